//! Share links: a state opened from its link is the same state, byte for byte; bad links are
//! refused with a message before anything runs.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use kubeplay_lessons::builtin;
use kubeplay_lessons::check::run_scratch;
use kubeplay_lessons::share::{Event, Playground, ShareState, MAX_EVENTS, MAX_LINK_CHARS};

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: nginx
          image: nginx:1.24
";

/// Everything observable about a playground: clock, files, the cluster as `kubectl get -o
/// yaml` prints it, and the store itself.
fn fingerprint(pg: &Playground) -> String {
    let s = &pg.session;
    let mut o = format!("now={}\n", s.now());
    for (p, d) in s.fs.files() {
        o.push_str(&format!("file {p}: {}\n", String::from_utf8_lossy(d)));
    }
    for line in [
        "kubectl get deployments,replicasets,pods -o yaml",
        "kubectl get pods",
        "kubectl get events",
    ] {
        o.push_str(&run_scratch(s, line).1);
    }
    o.push_str(&format!("{:?}\n", s.world.store));
    o.push_str(&format!("{:?}\n", pg.state.lesson));
    o
}

/// Play lines with time passing between them the way a learner's would.
fn play(pg: &mut Playground, steps: &[(&str, u64)]) -> String {
    let mut term = String::new();
    for (line, wait_ms) in steps {
        term.push_str(&format!("$ {line}\n"));
        pg.feed_line(line);
        let t = pg.session.now() + wait_ms;
        pg.advance_to(t);
        for c in pg.session.take_output() {
            term.push_str(&c.text);
        }
    }
    term
}

fn replayed_terminal(h: &[kubeplay_lessons::share::Replayed]) -> String {
    let mut term = String::new();
    for r in h {
        if let Some(l) = &r.line {
            term.push_str(&format!("$ {l}{}", if r.cancelled { "" } else { "\n" }));
        }
        for c in &r.output {
            term.push_str(&c.text);
        }
    }
    term
}

#[test]
fn a_free_session_replays_to_the_same_bytes() {
    let mut pg = Playground::new(42);
    pg.write_file("web.yaml", WEB);
    let term = play(
        &mut pg,
        &[
            ("kubectl apply -f web.yaml", 1_500),
            ("kubectl get pods", 20_000),
            ("kubectl get deploy web", 0),
            ("kubectl get nope", 3_000),
        ],
    );
    pg.write_file("web.yaml", &WEB.replace("replicas: 3", "replicas: 2"));
    let term = term
        + &play(
            &mut pg,
            &[
                ("kubectl apply -f web.yaml", 700),
                ("kubectl get pods", 5_000),
            ],
        );
    pg.advance_to(pg.session.now() + 12_345);
    let link = pg.share_link();
    assert!(link
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));

    let (back, history) = Playground::from_link(&link).unwrap();
    assert_eq!(replayed_terminal(&history), term);
    assert_eq!(fingerprint(&back), fingerprint(&pg));
    // And a link of the replayed state is the same link.
    assert_eq!(back.share_link(), link);
    // `#` prefix accepted.
    assert!(Playground::from_link(&format!("#{link}")).is_ok());
}

#[test]
fn a_lesson_link_keeps_step_and_progress_and_replays_exactly() {
    let sc = builtin::get("rolling-update").unwrap();
    let mut pg = Playground::with_scenario(sc.clone(), true);
    for (i, st) in sc.steps.iter().enumerate() {
        pg.set_step(i);
        for l in st.solution_lines() {
            pg.feed_line(l);
            pg.run_until_idle();
        }
    }
    let link = pg.share_link();
    println!(
        "rolling-update share link after all steps: {} characters",
        link.len()
    );
    assert!(link.len() < 2_000, "{}", link.len());
    let (back, _) = Playground::from_link(&link).unwrap();
    assert_eq!(back.state.lesson.as_ref().unwrap().step, 2);
    assert_eq!(back.state.lesson.as_ref().unwrap().id, "rolling-update");
    assert_eq!(fingerprint(&back), fingerprint(&pg));
}

#[test]
fn a_custom_scenario_travels_inside_the_link() {
    let sc = kubeplay_lessons::Scenario::from_yaml(&format!(
        "id: custom\ntitle: Custom <b>one</b>\nfiles:\n  web.yaml: |\n{}steps:\n  - title: Go\n    checks:\n      - deploymentReplicas: {{name: web, ready: 3}}\n",
        WEB.lines().map(|l| format!("    {l}\n")).collect::<String>()
    ))
    .unwrap();
    let mut pg = Playground::with_scenario(sc, false);
    play(&mut pg, &[("kubectl apply -f web.yaml", 30_000)]);
    pg.refresh_progress();
    assert_eq!(pg.state.lesson.as_ref().unwrap().done, [true]);
    let (back, _) = Playground::from_link(&pg.share_link()).unwrap();
    assert_eq!(
        back.scenario.as_ref().unwrap().title.en,
        "Custom <b>one</b>"
    );
    assert_eq!(back.state.lesson.as_ref().unwrap().done, [true]);
    assert_eq!(fingerprint(&back), fingerprint(&pg));
}

fn pack(version: u8, json: &str) -> String {
    let mut b = vec![version];
    b.extend(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6));
    URL_SAFE_NO_PAD.encode(b)
}

fn refused(link: &str) -> String {
    match Playground::from_link(link) {
        Ok(_) => panic!("accepted {link:.60}"),
        Err(e) => e.0,
    }
}

#[test]
fn bad_links_are_refused_with_a_message() {
    let mut pg = Playground::new(1);
    pg.write_file("web.yaml", WEB);
    play(&mut pg, &[("kubectl apply -f web.yaml", 5_000)]);
    let good = pg.share_link();

    assert!(refused("").contains("holds no state"));
    assert!(refused(&good[..good.len() / 2]).contains("damaged"));
    assert!(refused("not base64!!").contains("not valid base64url"));
    assert!(refused(&"A".repeat(MAX_LINK_CHARS + 1)).contains("too long"));
    assert!(refused(&pack(9, "{}")).contains("newer kubeplay (format 9)"));
    assert!(refused(&pack(1, "[1,2")).contains("damaged"));
    assert!(refused(&pack(1, r#"{"s":1,"c":0,"e":[[0,7]]}"#)).contains("bad history entry"));
    assert!(refused(&pack(1, r#"{"s":1,"c":5,"e":[[9,"ls"]]}"#)).contains("bad history time"));
    assert!(refused(&pack(1, r#"{"s":1,"c":99999999999999,"e":[]}"#)).contains("30 days"));
    assert!(
        refused(&pack(1, r#"{"s":1,"c":0,"e":[[0,1,"../etc/passwd","x"]]}"#)).contains("file name")
    );
    assert!(refused(&pack(
        1,
        r#"{"s":1,"c":0,"e":[],"l":{"id":"nope","st":0,"d":[]}}"#
    ))
    .contains("does not have (\"nope\")"));
    assert!(refused(&pack(
        1,
        r#"{"s":1,"c":0,"e":[],"l":{"id":"rolling-update","st":7,"d":[]}}"#
    ))
    .contains("step 8 of lesson \"rolling-update\", which has 3 steps"));
    // A compression bomb: tiny link, huge content.
    let bomb = format!(r#"{{"s":1,"c":0,"e":[[0,"{}"]]}}"#, "a".repeat(4 << 20));
    let link = pack(1, &bomb);
    assert!(link.len() < 20_000, "{}", link.len());
    assert!(refused(&link).contains("unpacks to more than"));
    // Too many lines.
    let many: Vec<String> = (0..=MAX_EVENTS).map(|_| "[0,\"ls\"]".to_string()).collect();
    let link = pack(1, &format!(r#"{{"s":1,"c":0,"e":[{}]}}"#, many.join(",")));
    assert!(refused(&link).contains("at most 5000"));
}

#[test]
fn html_in_names_stays_data() {
    let mut st = ShareState::new(3);
    st.events.push(Event::Write {
        at: 0,
        path: "<img src=x onerror=alert(1)>.yaml".into(),
        content: "<script>alert(1)</script>".into(),
    });
    st.events.push(Event::Line {
        at: 0,
        text: "kubectl get pod '<b>x</b>'".into(),
    });
    let (pg, history) = Playground::from_link(&st.encode()).unwrap();
    assert_eq!(
        pg.session
            .fs
            .read("<img src=x onerror=alert(1)>.yaml")
            .unwrap(),
        b"<script>alert(1)</script>"
    );
    assert_eq!(
        history[0].line.as_deref(),
        Some("kubectl get pod '<b>x</b>'")
    );
}

#[test]
fn ctrl_c_replays_too() {
    let mut pg = Playground::new(5);
    pg.write_file("web.yaml", WEB);
    play(
        &mut pg,
        &[("kubectl apply -f web.yaml", 2_000), ("sleep 100", 1_000)],
    );
    assert!(pg.session.is_busy());
    pg.interrupt();
    play(&mut pg, &[("echo 'half", 0)]);
    assert!(pg.session.is_continuing());
    pg.interrupt();
    play(&mut pg, &[("kubectl get deploy web", 500)]);
    assert_eq!(
        pg.state
            .events
            .iter()
            .filter(|e| matches!(e, Event::Interrupt { .. }))
            .count(),
        2
    );
    let (back, history) = Playground::from_link(&pg.share_link()).unwrap();
    assert_eq!(fingerprint(&back), fingerprint(&pg));
    assert!(replayed_terminal(&history).contains("$ sleep 100\n^C\n"));
}

#[test]
fn edits_and_the_editor_flag_survive_the_link() {
    let mut st = ShareState::new(2);
    st.editor = true;
    st.events.push(Event::Edit {
        at: 10,
        text: "apiVersion: v1\n".into(),
    });
    st.clock = 10;
    let back = ShareState::decode(&st.encode()).unwrap();
    assert_eq!(back, st);
}

/// Random sessions (lines, files, waits and Ctrl+C drawn from ChaCha8) open from their links
/// as the same terminal and the same cluster, whatever was waiting when a line came.
#[test]
fn random_sessions_replay_to_the_same_bytes() {
    use rand_chacha::ChaCha8Rng;
    use rand_core::{RngCore, SeedableRng};
    const LINES: &[&str] = &[
        "kubectl apply -f web.yaml",
        "kubectl rollout status deployment/web",
        "kubectl rollout status deployment/web --timeout=3s",
        "kubectl set image deployment/web nginx=nginx:1.25",
        "kubectl set image deployment/web nginx=nginx:1.161",
        "kubectl rollout undo deployment/web",
        "kubectl rollout history deployment/web",
        "kubectl scale deployment web --replicas=5",
        "kubectl rollout pause deployment web",
        "kubectl rollout resume deployment web",
        "kubectl get pods -w",
        "kubectl delete pod --all --wait=false",
        "kubectl delete deployment web",
        "kubectl get deploy,rs,pods",
        "kubectl run solo --image=busybox:1.28 -- sh -c 'echo hi; sleep 5; exit 3'",
        "kubectl logs solo -f",
        "kubectl wait --for=condition=Available deployment/web --timeout=20s",
        "sleep 4",
        "cat web.yaml | wc -l",
    ];
    for seed in 0..25u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut below = |n: u64| rng.next_u64() % n;
        let mut pg = Playground::new(seed);
        pg.write_file("web.yaml", WEB);
        let mut term = String::new();
        for _ in 0..14 {
            match below(8) {
                0 => pg.write_file(
                    "web.yaml",
                    &WEB.replace("replicas: 3", &format!("replicas: {}", below(6))),
                ),
                1 => {
                    pg.interrupt();
                    for c in pg.session.take_output() {
                        term.push_str(&c.text);
                    }
                }
                _ => {
                    let line = LINES[below(LINES.len() as u64) as usize];
                    term += &play(&mut pg, &[(line, below(4) * below(9_000))]);
                }
            }
        }
        let (back, history) = Playground::from_link(&pg.share_link()).unwrap();
        assert_eq!(replayed_terminal(&history), term, "seed {seed}");
        assert_eq!(fingerprint(&back), fingerprint(&pg), "seed {seed}");
    }
}
