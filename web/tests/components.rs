//! The components in a real browser (wasm-bindgen-test in headless Chromium): what needs the
//! DOM, such as a keypress in the editor, is tested here; pure logic is tested natively.
#![cfg(target_arch = "wasm32")]

use kubeplay_web::components::cluster::{ClusterProps, ClusterView};
use kubeplay_web::components::editor::{Editor, EditorProps};
use kubeplay_web::components::terminal::{Terminal, TerminalProps};
use kubeplay_web::sim::{Sim, SimRef};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlTextAreaElement, KeyboardEvent,
    KeyboardEventInit,
};
use yew::{BaseComponent, Renderer};

wasm_bindgen_test_configure!(run_in_browser);

/// Render `C` into a fresh element and let Yew finish.
async fn mount<C: BaseComponent>(props: C::Properties) -> Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    Renderer::<C>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(10)).await;
}

fn all(root: &Element, sel: &str) -> Vec<Element> {
    let list = root.query_selector_all(sel).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

use kubeplay_web::components::editor::NGINX_DEPLOYMENT as NGINX;

#[wasm_bindgen_test]
async fn tab_in_the_editor_inserts_two_spaces_and_numbers_follow() {
    let sim = Sim::new(1).shared();
    let root = mount::<Editor>(EditorProps {
        sim,
        file: "d.yaml".into(),
        initial: "a:\nb".into(),
        hidden: false,
        version: 0,
    })
    .await;
    let ta: HtmlTextAreaElement = root
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(
        root.query_selector(".gutter")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "1\n2\n\n"
    );
    ta.set_selection_range(3, 3).unwrap();
    let init = KeyboardEventInit::new();
    init.set_key("Tab");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    let not_cancelled = ta.dispatch_event(&ev).unwrap();
    settle().await;
    assert!(!not_cancelled, "Tab must not move focus");
    assert_eq!(ta.value(), "a:\n  b");
    assert_eq!(ta.selection_start().unwrap(), Some(5));

    // Escape, then Tab: the key is left to the browser (focus moves on).
    for key in ["Escape", "Tab"] {
        init.set_key(key);
        let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        assert!(ta.dispatch_event(&ev).unwrap(), "{key} should not be taken");
    }
    assert_eq!(ta.value(), "a:\n  b");
}

#[wasm_bindgen_test]
async fn apply_runs_kubectl_apply_in_the_session() {
    let sim = Sim::new(1).shared();
    let root = mount::<Editor>(EditorProps {
        sim: sim.clone(),
        file: "deployment.yaml".into(),
        initial: NGINX.into(),
        hidden: false,
        version: 0,
    })
    .await;
    let button: web_sys::HtmlElement = root
        .query_selector("button.apply")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    let s = sim.borrow();
    assert_eq!(s.session.world.store.deployments.len(), 1);
    assert!(s
        .scrollback
        .text()
        .ends_with("$ kubectl apply -f deployment.yaml\ndeployment.apps/nginx created\n"));
}

#[wasm_bindgen_test]
async fn the_cluster_view_colours_pods_by_their_kubectl_status() {
    let sim: SimRef = Sim::new(1).shared();
    sim.borrow_mut().apply_file("d.yaml", NGINX);
    // The page's next frame runs the work the apply caused.
    sim.borrow_mut().tick(0.0);
    let version = sim.borrow().cluster_version;
    let root = mount::<ClusterView>(ClusterProps {
        sim: sim.clone(),
        version,
    })
    .await;
    // Just created: pods exist but are not running yet.
    let pods = all(&root, ".pod");
    assert_eq!(pods.len(), 3);
    assert!(all(&root, ".pod.running").is_empty());

    let root = {
        let t = sim.borrow().session.now() + 60_000;
        sim.borrow_mut().advance_to(t);
        let version = sim.borrow().cluster_version;
        mount::<ClusterView>(ClusterProps {
            sim: sim.clone(),
            version,
        })
        .await
    };
    let running = all(&root, ".pod.running");
    assert_eq!(running.len(), 3);
    for p in running {
        assert_eq!(p.get_attribute("data-status").as_deref(), Some("Running"));
    }
    assert_eq!(
        root.query_selector(".rev")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "rev 1"
    );
    assert_eq!(
        root.query_selector(".image")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "nginx:1.25"
    );
}

#[wasm_bindgen_test]
async fn the_terminal_sets_stderr_apart_and_prompts_with_the_namespace() {
    let sim = Sim::new(1).shared();
    sim.borrow_mut().submit("echo hi");
    sim.borrow_mut().submit("kubectl get nosuchkind");
    let version = sim.borrow().term_version;
    let root = mount::<Terminal>(TerminalProps { sim, version }).await;
    let text = |sel: &str| {
        all(&root, sel)
            .iter()
            .map(|e| e.text_content().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(text(".term-out .t-out"), ["hi\n"]);
    let err = text(".term-out .t-err");
    assert_eq!(err.len(), 1);
    assert!(err[0].starts_with("error: "), "{err:?}");
    assert_eq!(
        text(".term-line .t-prompt"),
        ["controlplane ~ (default) $ "]
    );
}

/// Cells are 9 CSS pixels with a gap of 2, from (1, 1); the canvas is as wide as its columns.
fn cell_columns(canvas: &HtmlCanvasElement) -> usize {
    (canvas.client_width() as usize) / 11
}

/// The colour painted at the centre of cell `i` of a compact canvas, as `#rrggbb`.
fn cell_colour(canvas: &HtmlCanvasElement, i: usize) -> String {
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let cols = cell_columns(canvas);
    let scale = canvas.width() as f64 / canvas.client_width() as f64;
    let (x, y) = (
        (i % cols) as f64 * 11.0 + 5.5,
        (i / cols) as f64 * 11.0 + 5.5,
    );
    let px = ctx
        .get_image_data(x * scale, y * scale, 1.0, 1.0)
        .unwrap()
        .data();
    format!("#{:02x}{:02x}{:02x}", px[0], px[1], px[2])
}

/// Past 100 pods, pods are cells painted on a canvas, one per pod in name order, coloured by
/// status; pointing at a cell names its pod (title, and the pod a click opens), and the
/// canvas' label counts the pods by status.
#[wasm_bindgen_test]
async fn compact_cells_paint_each_pod_by_status_and_name_the_one_pointed_at() {
    const RUNNING: &str = "#2e9e57";
    const TERMINATING: &str = "#8b95a3";
    let sim: SimRef = Sim::new(1).shared();
    let big = NGINX.replace("replicas: 3", "replicas: 150");
    sim.borrow_mut().apply_file("d.yaml", &big);
    sim.borrow_mut().tick(0.0);
    let t = sim.borrow().session.now() + 60_000;
    sim.borrow_mut().advance_to(t);
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    root.set_attribute("style", "width: 500px").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let props = |sim: &SimRef| ClusterProps {
        sim: sim.clone(),
        version: sim.borrow().cluster_version,
    };
    let mut app = Renderer::<ClusterView>::with_root_and_props(root.clone(), props(&sim)).render();
    settle().await;
    assert!(all(&root, ".pod").is_empty(), "no cards past 100 pods");
    let canvases = all(&root, "canvas.pods.compact");
    assert_eq!(canvases.len(), 1);
    let canvas: HtmlCanvasElement = canvases[0].clone().dyn_into().unwrap();
    assert_eq!(
        canvas.get_attribute("aria-label").as_deref(),
        Some("150 pods: 150 running")
    );
    for i in [0, 1, 44, 149] {
        assert_eq!(cell_colour(&canvas, i), RUNNING, "cell {i}");
    }
    let names: Vec<String> = sim
        .borrow()
        .session
        .world
        .store
        .list::<kubeplay_api::k8s_openapi::api::core::v1::Pod>("default")
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    let point = |i: usize| {
        let cols = cell_columns(&canvas);
        let init = web_sys::MouseEventInit::new();
        init.set_client_x(
            canvas.get_bounding_client_rect().left() as i32 + (i % cols) as i32 * 11 + 5,
        );
        init.set_client_y(
            canvas.get_bounding_client_rect().top() as i32 + (i / cols) as i32 * 11 + 5,
        );
        init.set_bubbles(true);
        let e = web_sys::MouseEvent::new_with_mouse_event_init_dict("mousemove", &init).unwrap();
        canvas.dispatch_event(&e).unwrap();
    };
    point(3);
    assert_eq!(canvas.get_attribute("data-name"), Some(names[3].clone()));
    assert!(canvas
        .get_attribute("title")
        .unwrap()
        .starts_with(&format!("{}  1/1  Running", names[3])));

    // Delete one pod: its cell turns Terminating, a replacement comes in its place by name.
    sim.borrow_mut()
        .submit(&format!("kubectl delete pod {} --wait=false", names[0]));
    sim.borrow_mut().tick(0.0);
    app.update(props(&sim));
    settle().await;
    assert_eq!(cell_colour(&canvas, 0), TERMINATING);
    let label = canvas.get_attribute("aria-label").unwrap();
    assert!(label.starts_with("151 pods: "), "{label}");
    assert!(label.contains("1 terminating"), "{label}");

    // Once it is gone, its cell goes too: the grid is 150 running pods again.
    let t = sim.borrow().session.now() + 60_000;
    sim.borrow_mut().advance_to(t);
    app.update(props(&sim));
    settle().await;
    assert_eq!(
        canvas.get_attribute("aria-label").as_deref(),
        Some("150 pods: 150 running")
    );
    for i in [0, 75, 149] {
        assert_eq!(cell_colour(&canvas, i), RUNNING, "cell {i}");
    }
    assert_eq!(
        cell_colour(&canvas, 150),
        "#000000",
        "no cell past the last pod"
    );
}

/// The page's wasm leaves `kubectl explain`'s descriptions out: a line that mentions `explain`
/// waits for the page to fetch them, then runs; when they cannot be had, it runs and says why.
/// (One test: the descriptions, once given, stay for the whole page.)
#[wasm_bindgen_test]
async fn kubectl_explain_waits_for_its_descriptions() {
    use kubeplay_shell::kubectl::explain;
    assert!(!explain::docs_loaded());
    let text = |sim: &Sim| sim.scrollback.text();

    let mut failed = Sim::new(1);
    failed.submit("kubectl explain deploy.spec.strategy");
    failed.submit("echo after");
    assert!(failed.busy());
    assert!(!text(&failed).contains("after"), "{}", text(&failed));
    assert!(failed.docs_to_fetch());
    assert!(!failed.docs_to_fetch(), "one fetch at a time");
    explain::set_docs_error("could not fetch explain.txt: 404 Not Found");
    failed.docs_fetched();
    assert!(!failed.busy());
    assert!(
        text(&failed).ends_with("$ kubectl explain deploy.spec.strategy\nerror: failed to download openapi: could not fetch explain.txt: 404 Not Found\ncontrolplane ~ (default) $ echo after\nafter\n"),
        "{}",
        text(&failed)
    );

    let mut sim = Sim::new(1);
    sim.submit("kubectl explain deploy.spec.strategy");
    assert!(sim.docs_to_fetch());
    explain::set_docs(include_str!("../../crates/kubeplay-shell/explain.txt"));
    sim.docs_fetched();
    assert!(
        text(&sim).contains("$ kubectl explain deploy.spec.strategy\nGROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <DeploymentStrategy>\n"),
        "{}",
        text(&sim)
    );
    // From now on lines run at once.
    sim.submit("kubectl explain pod.spec.containers.envFrom");
    assert!(!sim.busy());
    assert!(!sim.docs_to_fetch());
    assert!(text(&sim).contains("FIELD: envFrom <[]EnvFromSource>\n"));
}
