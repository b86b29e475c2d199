//! Rollouts at every instant: the bounds RollingUpdate promises, Recreate's gap, rollover,
//! and determinism. Each test steps the world one instant of work at a time.

mod common;
use common::*;
use kubeplay_core::controllers::deployment::{fenceposts, max_unavailable};
use kubeplay_core::World;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Check the RollingUpdate bounds at every instant of a rollout from v1 to v2 (and, when
/// `rollover` is set, to v3 halfway through).
fn rolling_case(
    seed: u64,
    replicas: i32,
    surge: &str,
    unavailable: &str,
    min_ready: i32,
    rollover: Option<usize>,
) {
    let mut w = World::new(seed);
    let strategy = format!("{{type: RollingUpdate, rollingUpdate: {{maxSurge: {surge}, maxUnavailable: {unavailable}}}}}");
    create(
        &mut w,
        deployment("web", replicas, "nginx:1.14.2", &strategy, min_ready),
    );
    run_to_completion(&mut w, "web", 100_000, |_| {});
    let d = get_deploy(&w, "web");
    let (max_surge, _) = fenceposts(&d);
    let min_available = replicas - max_unavailable(&d);
    let label = format!("seed {seed} replicas {replicas} surge {surge} unavailable {unavailable} minReady {min_ready}");
    set_image(&mut w, "web", "nginx:1.16.1");
    let mut instants = 0usize;
    let check = |w: &World| {
        let c = census(w, min_ready);
        assert!(
            c.available >= min_available,
            "{label}: {} available < {min_available} at {}ms",
            c.available,
            w.now()
        );
        assert!(
            c.active <= replicas + max_surge,
            "{label}: {} pods > {} at {}ms",
            c.active,
            replicas + max_surge,
            w.now()
        );
    };
    if let Some(after) = rollover {
        for _ in 0..after {
            if !step(&mut w) {
                break;
            }
            check(&w);
            instants += 1;
        }
        set_image(&mut w, "web", "nginx:1.25");
    }
    run_to_completion(&mut w, "web", 100_000, |w| {
        check(w);
        instants += 1;
    });
    let want = if rollover.is_some() {
        "nginx:1.25"
    } else {
        "nginx:1.16.1"
    };
    let c = census(&w, min_ready);
    assert_eq!(c.by_image.get(want).copied(), Some(replicas), "{label}");
    assert_eq!(c.by_image.len(), 1, "{label}: {:?}", c.by_image);
    assert!(instants > 0);
}

const SURGES: &[&str] = &["0", "1", "2", "25%", "50%", "100%"];
const UNAVAILABLES: &[&str] = &["0", "1", "3", "25%", "50%", "100%"];

fn both_zero(s: &str, u: &str) -> bool {
    s.trim_end_matches('%') == "0" && u.trim_end_matches('%') == "0"
}

#[test]
fn rolling_update_keeps_its_bounds_over_many_combinations() {
    for replicas in [1, 2, 3, 4, 5, 10] {
        for s in SURGES {
            for u in UNAVAILABLES {
                if both_zero(s, u) {
                    continue;
                }
                rolling_case(7, replicas, s, u, 0, None);
            }
        }
    }
}

#[test]
fn rolling_update_with_min_ready_seconds_keeps_its_bounds() {
    for replicas in [3, 10] {
        for (s, u) in [("25%", "25%"), ("1", "0"), ("0", "1"), ("2", "3")] {
            rolling_case(11, replicas, s, u, 5, None);
        }
    }
}

#[test]
fn rollover_mid_rollout_keeps_its_bounds() {
    for after in [1, 3, 6, 12, 25] {
        rolling_case(3, 10, "3", "2", 0, Some(after));
        rolling_case(3, 5, "25%", "25%", 2, Some(after));
    }
}

/// A small generator over the World's seed: random sizes, budgets, minReadySeconds and
/// rollovers, all within the bounds.
#[test]
fn property_random_rollouts_keep_their_bounds() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    for case in 0..60u64 {
        let replicas = 1 + (rng.next_u32() % 16) as i32;
        let pick = |rng: &mut ChaCha8Rng| -> String {
            if rng.next_u32() % 2 == 0 {
                format!("{}", rng.next_u32() % 5)
            } else {
                format!("{}%", rng.next_u32() % 101)
            }
        };
        let (mut s, mut u) = (pick(&mut rng), pick(&mut rng));
        if both_zero(&s, &u) {
            s = "1".into();
            u = "0".into();
        }
        let min_ready = (rng.next_u32() % 3) as i32;
        let rollover = (rng.next_u32() % 3 == 0).then(|| (rng.next_u32() % 20) as usize);
        rolling_case(case, replicas, &s, &u, min_ready, rollover);
    }
}

#[test]
fn recreate_never_runs_old_and_new_pods_together() {
    for replicas in [1, 3, 5] {
        let mut w = World::new(5);
        create(
            &mut w,
            deployment("web", replicas, "nginx:1.14.2", "{type: Recreate}", 0),
        );
        run_to_completion(&mut w, "web", 100_000, |_| {});
        set_image(&mut w, "web", "nginx:1.16.1");
        let mut saw_old_terminating = false;
        run_to_completion(&mut w, "web", 100_000, |w| {
            let c = census(w, 0);
            assert!(
                c.existing_by_image.len() <= 1,
                "old and new pods together at {}ms: {:?}",
                w.now(),
                c.existing_by_image
            );
            saw_old_terminating |=
                c.existing_by_image.contains_key("nginx:1.14.2") && c.active == 0;
        });
        assert!(
            saw_old_terminating,
            "Recreate should wait while the old pods terminate"
        );
        let c = census(&w, 0);
        assert_eq!(c.by_image.get("nginx:1.16.1").copied(), Some(replicas));
    }
}

/// The worked example in rolling.go: 10 replicas, maxSurge 3, maxUnavailable 2 — the new RS
/// is created with 3, the old one goes to 8, and so on.
#[test]
fn worked_example_from_rolling_go() {
    let mut w = World::new(1);
    create(
        &mut w,
        deployment(
            "web",
            10,
            "nginx:1.14.2",
            "{rollingUpdate: {maxSurge: 3, maxUnavailable: 2}}",
            0,
        ),
    );
    run_to_completion(&mut w, "web", 100_000, |_| {});
    set_image(&mut w, "web", "nginx:1.16.1");
    w.settle();
    let msgs: Vec<String> = w
        .events()
        .iter()
        .filter(|e| e.reason == "ScalingReplicaSet")
        .map(|e| e.message.to_string())
        .collect();
    let d = get_deploy(&w, "web");
    let rss = w.replicasets_of(&d);
    let (old, new) = (
        rss[0].metadata.name.clone().unwrap(),
        rss[1].metadata.name.clone().unwrap(),
    );
    assert_eq!(
        msgs,
        vec![
            format!("Scaled up replica set {old} to 10"),
            format!("Scaled up replica set {new} to 3"),
            format!("Scaled down replica set {old} to 8 from 10"),
            format!("Scaled up replica set {new} to 5 from 3"),
        ]
    );
}

fn event_log(w: &World) -> Vec<String> {
    w.events()
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {} {} {} {}",
                e.first, e.last, e.count, e.name, e.reason, e.component, e.message
            )
        })
        .collect()
}

/// One random scenario: creates, image changes, scales, pauses, pod deletions, time passing.
fn scenario(seed: u64) -> (Vec<String>, String) {
    let mut w = World::new(seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let strategies = [
        "{}",
        "{type: Recreate}",
        "{rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}",
        "{rollingUpdate: {maxSurge: 50%, maxUnavailable: 0}}",
    ];
    let strat = strategies[(rng.next_u32() % 4) as usize];
    let replicas = 1 + (rng.next_u32() % 6) as i32;
    create(
        &mut w,
        deployment(
            "web",
            replicas,
            "nginx:1.14.2",
            strat,
            (rng.next_u32() % 3) as i32,
        ),
    );
    for _ in 0..12 {
        let t = w.now() + (rng.next_u32() % 8000) as u64;
        w.run_until(t);
        match rng.next_u32() % 5 {
            0 | 1 => set_image(
                &mut w,
                "web",
                ["nginx:1.14.2", "nginx:1.16.1", "nginx:1.25"][(rng.next_u32() % 3) as usize],
            ),
            2 => {
                let mut d = get_deploy(&w, "web");
                d.spec.replicas = Some((rng.next_u32() % 8) as i32);
                w.update(d.into(), false).unwrap();
            }
            3 => {
                let mut d = get_deploy(&w, "web");
                d.spec.paused = Some(d.spec.paused != Some(true));
                w.update(d.into(), false).unwrap();
            }
            _ => {
                let names: Vec<String> = w.store.pods.keys().map(|k| k.1.to_string()).collect();
                if !names.is_empty() {
                    let n = &names[(rng.next_u32() as usize) % names.len()];
                    let _ = w.delete(kubeplay_api::Kind::Pod, "default", n, Default::default());
                }
            }
        }
    }
    w.run_until(w.now() + 120_000);
    let state = serde_json::to_string(
        &w.list_objects(kubeplay_api::Kind::Pod, None)
            .iter()
            .map(|o| o.to_value())
            .collect::<Vec<_>>(),
    )
    .unwrap()
        + &serde_json::to_string(&get_deploy(&w, "web")).unwrap();
    (event_log(&w), state)
}

#[test]
fn determinism_100_seeded_scenarios_run_twice() {
    for seed in 0..100 {
        let a = scenario(seed);
        let b = scenario(seed);
        assert!(!a.0.is_empty());
        assert_eq!(a, b, "seed {seed} diverged");
    }
}

#[test]
fn a_replicaset_creates_at_most_500_pods_per_sync() {
    // `burstReplicas`: scaling to 1,200 takes three ReplicaSet syncs (500, 500, 200), and the
    // counts move only when a ReplicaSet task has run.
    let mut w = World::new(1);
    w.create(common::deployment(
        "big",
        1200,
        "nginx:1.25",
        "{type: RollingUpdate}",
        0,
    ))
    .expect("valid");
    let mut seen = vec![0usize];
    let mut spent = 0;
    while spent < 100_000 {
        let before = w.task_counts[1];
        let mut one = 1;
        if w.run_until_within(0, &mut one) {
            break;
        }
        spent += 1;
        let pods = w.store.pods.len();
        if w.task_counts[1] > before && pods != *seen.last().unwrap() {
            seen.push(pods);
        }
    }
    assert_eq!(seen, vec![0, 500, 1000, 1200]);
}

#[test]
fn more_than_10000_replicas_is_refused_with_whose_limit_it_is() {
    // A slip such as `--replicas=1000000` would fill the browser tab's memory: the API says no
    // and changes nothing. 10,000 (the benchmark's size) is allowed.
    let mut w = World::new(1);
    let err = w
        .create(common::deployment("big", 10_001, "nginx:1.25", "{}", 0))
        .expect_err("over the limit");
    assert_eq!(
        err.to_string(),
        "Deployment \"big\" is invalid: spec.replicas: Invalid value: 10001: must be less than or equal to 10000 (a limit of kubeplay, which runs the whole cluster in a browser tab; not of Kubernetes)"
    );
    assert!(w.store.deployments.is_empty());
    w.create(common::deployment("big", 10_000, "nginx:1.25", "{}", 0))
        .expect("at the limit");
    let mut d = common::get_deploy(&w, "big");
    d.spec.replicas = Some(20_000);
    assert!(w.update(d.into(), false).is_err());
    assert_eq!(common::get_deploy(&w, "big").spec.replicas, Some(10_000));
}

#[test]
fn past_the_pod_limit_replicasets_fail_to_create_and_try_again() {
    // As under a quota: FailedCreate, and the ReplicaSet tries again once there is room.
    let mut w = World::new(1);
    w.max_pods = 8;
    common::create(&mut w, common::deployment("a", 5, "nginx:1.25", "{}", 0));
    common::run_to_completion(&mut w, "a", 100_000, |_| {});
    common::create(&mut w, common::deployment("b", 5, "nginx:1.25", "{}", 0));
    w.run_until(w.now() + 5_000);
    assert_eq!(w.store.pods.len(), 8);
    let failed: Vec<_> = w
        .events()
        .iter()
        .filter(|e| e.reason == "FailedCreate")
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].warning);
    assert!(
        failed[0].message.starts_with("Error creating: pods \"b-")
            && failed[0].message.ends_with(
                "-\" is forbidden: the cluster holds 8 pods, the most kubeplay keeps (it runs the whole cluster in a browser tab)"
            ),
        "{}",
        failed[0].message
    );
    // Room again: b gets its pods on a later try, and the retries stop.
    let mut a = common::get_deploy(&w, "a");
    a.spec.replicas = Some(0);
    w.update(a.into(), false).expect("scale a to 0");
    common::run_to_completion(&mut w, "b", 100_000, |_| {});
    assert_eq!(common::census(&w, 0).by_image.get("nginx:1.25"), Some(&5));
    assert!(failed_count(&w) >= 1);
    assert!(w.next_due().is_none_or(|t| t > w.now() + 60_000));
}

fn failed_count(w: &World) -> u32 {
    w.events()
        .iter()
        .filter(|e| e.reason == "FailedCreate")
        .map(|e| e.count)
        .sum()
}
