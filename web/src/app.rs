//! The app: one shared [`Sim`], a frame loop that drives its clock in real time, and the
//! panes. Components get the `SimRef` plus the version counter of what they show, so each
//! re-renders only when its part changed; nothing clones the world.

use crate::components::clock::Clock;
use crate::components::cluster::ClusterView;
use crate::components::edit_pane::EditPane;
use crate::components::editor::Editor;
use crate::components::lesson_host::{use_lessons, Notices, Toolbar};
use crate::components::lesson_panel::LessonPanel;
use crate::components::pod_detail::PodDetailDrawer;
use crate::components::splitter::Splitter;
use crate::components::terminal::Terminal;
use crate::i18n::Lang;
use crate::sim::{Sim, SimRef};
use gloo::render::{request_animation_frame, AnimationFrame};
use kubeplay_lessons::embed::{Panel, Theme};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The virtual clock's whole seconds, given to the components that show ages or a time
/// axis (the events feed, the replica charts): they re-render as the clock moves on, the
/// cluster view around them only when the cluster changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Second(pub u64);

/// What the app re-renders on: when none of these moved, a frame costs one comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Versions {
    pub term: u64,
    pub cluster: u64,
    pub now: u64,
    pub playing: bool,
    pub speed: u32,
    pub behind: bool,
}

impl Versions {
    pub fn of(s: &Sim) -> Versions {
        Versions {
            term: s.term_version,
            cluster: s.cluster_version,
            now: s.session.now(),
            playing: s.playing,
            speed: s.speed,
            behind: s.behind,
        }
    }
}

/// The seed from `?seed=N` in the page's address, else 1.
fn seed_from_location() -> u64 {
    gloo::utils::window()
        .location()
        .search()
        .ok()
        .and_then(|q| {
            q.trim_start_matches('?')
                .split('&')
                .find_map(|kv| kv.strip_prefix("seed=").and_then(|v| v.parse().ok()))
        })
        .unwrap_or(1)
}

/// How long one frame may spend on the cluster's work before the clock is left to lag (the
/// rest of a 60 Hz frame is for rendering).
pub const SIM_BUDGET_MS: f64 = 8.0;

/// The frame (about a third of a second after the page is up) that runs `sim::warm_up`.
const WARM_UP_FRAME: u32 = 20;

/// The page's clock in milliseconds (`performance.now()`).
pub(crate) fn perf_now() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

/// Record `[start, now]` as a User Timing measure called `name` (seen in the browser's
/// performance panel and by tests/e2e/measure.mjs through a PerformanceObserver), then drop it
/// from the page's buffer so that a long session does not collect them.
pub(crate) fn measure_since(name: &str, start: f64) {
    let Some(p) = gloo::utils::window().performance() else {
        return;
    };
    let end = p.now();
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"start".into(), &start.into());
    let _ = js_sys::Reflect::set(&opts, &"end".into(), &end.into());
    let f = js_sys::Reflect::get(&p, &"measure".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(f) = f {
        let _ = f.call2(&p, &name.into(), &opts);
        p.clear_measures_with_measure_name(name);
    }
}

/// A frame whose simulation ran longer than this (one task can: a ReplicaSet creating 500 pods
/// is one step) leaves drawing its result to the next frame.
const LONG_SIM_MS: f64 = 16.0;

/// requestAnimationFrame, again and again: each frame lets the real time since the last one
/// pass in the simulation (within [`SIM_BUDGET_MS`]), then tells the app what moved. When the
/// simulation took long, the page draws in the next frame instead, without simulating: a frame
/// then holds one long step or one large redraw, never both.
struct FrameLoop {
    sim: SimRef,
    notify: Callback<Versions>,
    /// When the simulation last ran (the real time it let pass ends there).
    last: Cell<Option<f64>>,
    /// The last frame simulated but did not draw.
    owed: Cell<bool>,
    frames: Cell<u32>,
    stopped: Cell<bool>,
    handle: RefCell<Option<AnimationFrame>>,
}

impl FrameLoop {
    fn start(sim: SimRef, notify: Callback<Versions>) -> Rc<FrameLoop> {
        let lp = Rc::new(FrameLoop {
            sim,
            notify,
            last: Cell::new(None),
            owed: Cell::new(false),
            frames: Cell::new(0),
            stopped: Cell::new(false),
            handle: RefCell::new(None),
        });
        lp.schedule();
        lp
    }

    fn schedule(self: &Rc<Self>) {
        let me = self.clone();
        let h = request_animation_frame(move |ts| me.frame(ts));
        *self.handle.borrow_mut() = Some(h);
    }

    fn frame(self: &Rc<Self>, ts: f64) {
        if self.stopped.get() {
            return;
        }
        if self.owed.replace(false) {
            self.draw(Versions::of(&self.sim.borrow()));
            return;
        }
        let dt = self.last.get().map_or(0.0, |l| ts - l);
        self.last.set(Some(ts));
        self.frames.set(self.frames.get().saturating_add(1));
        if self.frames.get() == WARM_UP_FRAME {
            // Once, just after the page is up: see `sim::warm_up`. Its time is told on the
            // page (`<html data-warmed="ms">`) for tests/e2e/measure.mjs to report.
            let start = perf_now();
            drop(crate::sim::warm_up());
            let ms = perf_now() - start;
            measure_since("kubeplay:warm-up", start);
            if let Some(root) = gloo::utils::document().document_element() {
                let _ = root.set_attribute("data-warmed", &format!("{ms:.0}"));
            }
            // And the pod cells' colours, while nothing waits to be laid out.
            crate::components::cells::prime_colours();
            // This frame's real time went to the warm-up, not to the learner's clock.
            self.last.set(Some(perf_now()));
        }
        let start = perf_now();
        let v = {
            let mut s = self.sim.borrow_mut();
            s.tick_within(dt, &mut || perf_now() - start < SIM_BUDGET_MS);
            if s.docs_to_fetch() {
                let sim = self.sim.clone();
                yew::platform::spawn_local(async move {
                    crate::docs::fetch().await;
                    sim.borrow_mut().docs_fetched();
                });
            }
            Versions::of(&s)
        };
        measure_since("kubeplay:sim", start);
        if perf_now() - start > LONG_SIM_MS {
            self.owed.set(true);
            self.schedule();
        } else {
            self.draw(v);
        }
    }

    /// Tell the app what moved, and come back next frame.
    fn draw(self: &Rc<Self>, v: Versions) {
        self.notify.emit(v);
        // Yew renders in a microtask queued by `emit`; this one runs after it.
        let render = perf_now();
        yew::platform::spawn_local(async move { measure_since("kubeplay:render", render) });
        self.schedule();
    }

    fn stop(&self) {
        self.stopped.set(true);
        self.handle.borrow_mut().take();
    }
}

/// Set pane `which` (0 editor, 1 terminal) to `pct` percent, keeping every pane at least 12%;
/// `lead` is the percent of the row left of the editor (the lesson panel, when one is open).
pub fn clamp_widths(which: usize, pct: f64, (e, t): (f64, f64), lead: f64) -> (f64, f64) {
    const MIN: f64 = 12.0;
    let room = 100.0 - lead - MIN;
    if which == 0 {
        (pct.clamp(MIN, (room - t).max(MIN)), t)
    } else {
        (e, pct.clamp(MIN, (room - e).max(MIN)))
    }
}

/// The widths of the editor and the terminal until the learner resizes them, in percent of
/// the row: narrower when a lesson panel takes its share.
pub fn default_widths(lesson: bool) -> (f64, f64) {
    if lesson {
        (24.0, 30.0)
    } else {
        (28.0, 36.0)
    }
}

/// Where a splitter's pane starts and how wide the row is (pixels), and the percent of the
/// row left of the editor.
fn row_geometry(panes: &NodeRef, which: usize) -> Option<(f64, f64, f64)> {
    let row = panes.cast::<web_sys::Element>()?;
    let r = row.get_bounding_client_rect();
    if r.width() <= 0.0 {
        return None;
    }
    let left_of = |sel: &str| {
        row.query_selector(sel)
            .ok()
            .flatten()
            .map(|e| e.get_bounding_client_rect().left())
    };
    let editor = left_of(":scope > .pane.editor").unwrap_or(r.left());
    let pane = if which == 0 {
        editor
    } else {
        left_of(":scope > .pane.terminal")?
    };
    Some((pane, r.width(), (editor - r.left()) / r.width() * 100.0))
}

#[function_component]
pub fn App() -> Html {
    let sim = use_memo((), |_| {
        let mut s = Sim::new(seed_from_location());
        s.history = crate::storage::load_history();
        s.shared()
    });
    let sim: SimRef = (*sim).clone();
    let versions = use_state_eq(|| Versions::of(&sim.borrow()));
    {
        let sim = sim.clone();
        let versions = versions.clone();
        use_effect_with((), move |_| {
            let lp = FrameLoop::start(sim, Callback::from(move |v| versions.set(v)));
            move || lp.stop()
        });
    }
    // Widths of the editor and the terminal, in percent of the row, once the learner resizes
    // them (till then the defaults); the cluster view takes the rest.
    let resized = use_state_eq(|| None::<(f64, f64)>);
    let lesson_open = sim.borrow().lesson.is_some();
    let (ew, tw) = match *resized {
        // Widths chosen before a lesson opened give the lesson panel (24%) its room.
        Some((e, t)) if lesson_open && e + t > 64.0 => (e * 64.0 / (e + t), t * 64.0 / (e + t)),
        Some(w) => w,
        None => default_widths(lesson_open),
    };
    let panes = use_node_ref();
    let resize = |which: usize| {
        let resized = resized.clone();
        let panes = panes.clone();
        let on_drag = {
            let resized = resized.clone();
            let panes = panes.clone();
            Callback::from(move |x: f64| {
                // Measured from the resized pane's own left edge: a lesson panel may come
                // before the editor.
                if let Some((left, width, lead)) = row_geometry(&panes, which) {
                    let pct = (x - left) / width * 100.0;
                    resized.set(Some(clamp_widths(which, pct, (ew, tw), lead)));
                }
            })
        };
        let on_step = Callback::from(move |d: f64| {
            let lead = row_geometry(&panes, which).map_or(0.0, |g| g.2);
            let cur = if which == 0 { ew } else { tw };
            resized.set(Some(clamp_widths(which, cur + d, (ew, tw), lead)));
        });
        (on_drag, on_step)
    };
    let (drag0, step0) = resize(0);
    let (drag1, step1) = resize(1);
    let v = *versions;
    let opts = use_memo((), |_| crate::embed_glue::options());
    let opts: Rc<kubeplay_lessons::embed::EmbedOptions> = (*opts).clone().into();
    {
        // With an editor on the page, `kubectl edit` opens objects in it.
        let sim = sim.clone();
        let editor = opts.shows(Panel::Editor);
        use_memo((), move |_| {
            if editor {
                sim.borrow_mut().enable_editor();
            }
        });
    }
    let lessons = use_lessons(&sim, v.term, v.cluster, opts.clone());
    {
        // ?theme= overrides the system's light or dark.
        let theme = opts.theme;
        use_effect_with(theme, move |t| {
            if let Some(root) = gloo::utils::document().document_element() {
                match t {
                    Some(Theme::Light) => drop(root.set_attribute("data-theme", "light")),
                    Some(Theme::Dark) => drop(root.set_attribute("data-theme", "dark")),
                    None => drop(root.remove_attribute("data-theme")),
                }
            }
            crate::components::cells::forget_colours();
        });
    }
    let (has_next, namespace, editor_file) = {
        let s = sim.borrow();
        // In a lesson the editor opens the lesson's first file, as the session has it now.
        let editor_file = s.lesson.as_ref().and_then(|l| {
            let f = l.scenario.files.keys().next()?.clone();
            let text = s
                .session
                .fs
                .read(&f)
                .map(|b| String::from_utf8_lossy(&b).into_owned())?;
            Some((f, text))
        });
        (
            s.session.world.next_due().is_some(),
            s.session.namespace.clone(),
            editor_file,
        )
    };
    let lang = *lessons.lang;
    let tr = crate::i18n::words(lang);
    use_effect_with(lang, |lang| {
        let doc = gloo::utils::document();
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("lang", lang.as_str());
        }
        doc.set_title(crate::i18n::words(*lang).title);
    });
    let editing = sim.borrow().open_edit().map(|r| {
        let info = kubeplay_api::registry::info(r.kind);
        (
            format!("{}/{}", info.singular_group(), r.name),
            r.text.clone(),
        )
    });
    let hidden = editing.is_some();
    let editor = match editor_file {
        Some((file, text)) => html! {
            <Editor key={*lessons.loads} sim={sim.clone()} file={AttrValue::from(file)} initial={AttrValue::from(text)} {hidden} version={v.term} />
        },
        None => {
            html! { <Editor key={*lessons.loads} sim={sim.clone()} {hidden} version={v.term} /> }
        }
    };
    let edit_pane = editing.map(|(title, text)| html! {
        <EditPane sim={sim.clone()} title={AttrValue::from(title)} text={AttrValue::from(text)} />
    });
    html! {
        <ContextProvider<Lang> context={lang}>
        <ContextProvider<Second> context={Second(v.now / 1000)}>
        <div class={classes!("app", opts.embed.then_some("embed"))}>
            <header class="top">
                <h1 class="brand">{"kubeplay"}</h1>
                <span class="ns" title={tr.namespace_title}>{tr.namespace}<b>{namespace}</b></span>
                <Clock sim={sim.clone()} now={v.now} playing={v.playing} speed={v.speed} behind={v.behind} {has_next} />
                <Toolbar sim={sim.clone()} lessons={lessons.clone()} />
            </header>
            <Notices lessons={lessons.clone()} />
            <main class="panes" ref={panes} style={format!("--editor-w: {ew:.1}%; --term-w: {tw:.1}%")}>
                if opts.shows(Panel::Lesson) {
                    <LessonPanel sim={sim.clone()} version={lessons.version} {lang} />
                }
                if opts.shows(Panel::Editor) {
                    {editor}
                    { for edit_pane }
                    <Splitter label={tr.editor_width} value={ew} on_drag={drag0} on_step={step0} />
                }
                if opts.shows(Panel::Terminal) {
                    <Terminal sim={sim.clone()} version={v.term} />
                    <Splitter label={tr.terminal_width} value={tw} on_drag={drag1} on_step={step1} />
                }
                if opts.shows(Panel::Cluster) {
                    <ClusterView sim={sim.clone()} version={v.cluster} />
                }
                <PodDetailDrawer sim={sim.clone()} version={v.cluster} second={v.now / 1000} />
            </main>
        </div>
        </ContextProvider<Second>>
        </ContextProvider<Lang>>
    }
}

#[cfg(test)]
mod tests {
    use super::clamp_widths;

    #[test]
    fn panes_keep_a_minimum_width() {
        assert_eq!(clamp_widths(0, 40.0, (28.0, 36.0), 0.0), (40.0, 36.0));
        assert_eq!(clamp_widths(0, 80.0, (28.0, 36.0), 0.0), (52.0, 36.0));
        assert_eq!(clamp_widths(1, 1.0, (28.0, 36.0), 0.0), (28.0, 12.0));
        assert_eq!(clamp_widths(1, 90.0, (28.0, 36.0), 0.0), (28.0, 60.0));
        // A lesson panel of 24% before the editor leaves the cluster view its 12% too.
        assert_eq!(clamp_widths(0, 80.0, (24.0, 30.0), 24.0), (34.0, 30.0));
        assert_eq!(clamp_widths(1, 80.0, (24.0, 30.0), 24.0), (24.0, 40.0));
    }
}
