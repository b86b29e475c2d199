//! The page spreads a heavy instant of cluster work over several frames with
//! `Session::advance_within`. Slicing must change nothing a learner can see: the same lines at
//! the same virtual times give the same output bytes and the same cluster, whatever the budgets.

use kubeplay_shell::{LineState, Session};

fn deploy(replicas: u32, image: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  \
         selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        \
         app: web\n    spec:\n      containers:\n      - name: nginx\n        image: {image}\n"
    )
}

/// What a learner does, as (virtual time, line); between lines the clock moves in 500 ms
/// frames (30x at 60 frames a second), by `advance` given the frame's target.
fn script() -> Vec<(u64, String)> {
    vec![
        (0, "kubectl apply -f d1.yaml".into()),
        (0, "kubectl rollout status deployment/web".into()),
        (
            40_000,
            "kubectl apply -f d2.yaml && kubectl rollout status deployment/web".into(),
        ),
        (90_000, "kubectl get deploy,rs".into()),
        (90_000, "kubectl scale deployment/web --replicas=10".into()),
        (
            95_000,
            "kubectl rollout undo deployment/web; sleep 3; kubectl get rs; kubectl rollout status deploy/web".into(),
        ),
        (140_000, "kubectl get events --no-headers | wc -l".into()),
    ]
}

/// Play the script; `advance(session, target)` moves the clock (however it likes) and must
/// leave it at `target` or report that it lags. Lines wait for the clock (and for a busy
/// prompt) as the page's queue does. Returns the terminal text and the cluster's state.
fn play(defer: bool, mut advance: impl FnMut(&mut Session, u64) -> bool) -> (String, String) {
    let mut s = Session::new(7);
    s.set_defer_settle(defer);
    s.fs.write("d1.yaml", deploy(120, "nginx:1.25").into_bytes());
    s.fs.write("d2.yaml", deploy(120, "nginx:1.26").into_bytes());
    let mut out = String::new();
    let mut lines = script().into_iter().peekable();
    let mut target = 0u64;
    let mut frames = 0;
    while lines.peek().is_some() || s.is_busy() {
        frames += 1;
        assert!(frames < 100_000, "the script never finished");
        let caught_up = advance(&mut s, target);
        if caught_up {
            assert_eq!(s.now(), target);
            while let Some((at, _)) = lines.peek() {
                if *at > s.now() || s.is_busy() {
                    break;
                }
                let (_, line) = lines.next().unwrap();
                out.push_str(&format!("$ {line}\n"));
                assert_eq!(s.feed_line(&line), LineState::Done);
            }
            target += 500;
        }
        for c in s.take_output() {
            out.push_str(&c.text);
        }
    }
    (out, format!("{:?}\n{:?}", s.world.store, s.world.events()))
}

#[test]
fn any_budget_gives_the_same_bytes_and_cluster() {
    let (whole_out, whole_state) = play(false, |s, t| {
        s.advance_to(t);
        true
    });
    assert!(whole_out.contains("successfully rolled out"), "{whole_out}");
    assert!(whole_out.contains("web-"), "{whole_out}");
    for (slice, defer) in [
        (1u64, false),
        (3, false),
        (17, false),
        (250, false),
        (1, true),
        (5, true),
        (250, true),
    ] {
        let mut sliced_frames = 0;
        let (out, state) = play(defer, |s, t| {
            let mut budget = slice;
            let done = s.advance_within(t, &mut budget);
            if !done {
                sliced_frames += 1;
                assert_eq!(budget, 0, "stopped with budget left");
            }
            done
        });
        assert!(
            sliced_frames > 0,
            "budget {slice} defer {defer}: no instant was ever cut short"
        );
        assert_eq!(
            out, whole_out,
            "budget {slice} defer {defer}: the terminal differs"
        );
        assert!(
            state == whole_state,
            "budget {slice} defer {defer}: the cluster differs"
        );
    }
}

#[test]
fn a_line_typed_mid_instant_sees_the_instant_finished() {
    // The page finishes the instant before it feeds a line (as a share link's replay does).
    let mut a = Session::new(3);
    a.fs.write("d.yaml", deploy(50, "nginx:1.25").into_bytes());
    let mut b = Session::new(3);
    b.fs.write("d.yaml", deploy(50, "nginx:1.25").into_bytes());
    for s in [&mut a, &mut b] {
        assert_eq!(s.feed_line("kubectl apply -f d.yaml"), LineState::Done);
        s.advance_to(1000);
    }
    let mut budget = 5;
    assert!(!b.advance_within(4000, &mut budget));
    assert!(b.now() < 4000);
    let t = b.now();
    b.advance_to(t);
    a.advance_to(t);
    for s in [&mut a, &mut b] {
        s.take_output();
        assert_eq!(
            s.feed_line("kubectl get pods --no-headers | sort"),
            LineState::Done
        );
    }
    let (ta, tb): (String, String) = (
        a.take_output().into_iter().map(|c| c.text).collect(),
        b.take_output().into_iter().map(|c| c.text).collect(),
    );
    assert_eq!(ta, tb);
    assert!(ta.contains("web-"), "{ta}");
}

#[test]
fn a_deferred_apply_leaves_its_work_to_the_embedder() {
    let mut s = Session::new(1);
    s.set_defer_settle(true);
    s.fs.write("d.yaml", deploy(100, "nginx:1.25").into_bytes());
    assert_eq!(s.feed_line("kubectl apply -f d.yaml"), LineState::Done);
    let out: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(out, "deployment.apps/web created\n");
    assert_eq!(
        s.world.next_due(),
        Some(s.now()),
        "the instant's work waits"
    );
    assert!(s.world.store.pods.is_empty());
    // The next command settles first, so it sees what the command line would.
    assert_eq!(
        s.feed_line("kubectl get pods --no-headers | wc -l"),
        LineState::Done
    );
    let out: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(out, "100\n");
}
