//! RollingUpdate v1 -> v2 run to completion, for 1,000 and 10,000 replicas. Prints medians.
//! `cargo bench -p kubeplay-core --bench rollout`

#[path = "../tests/common/mod.rs"]
mod common;
use common::*;
use kubeplay_core::World;
use std::time::{Duration, Instant};

/// The `kubeplay` binary's allocator: a simulation allocates and frees many small objects
/// per pod, which mimalloc does in about half of glibc's time.
#[path = "../../kubeplay-cli/src/alloc.rs"]
mod alloc;
#[global_allocator]
static ALLOC: alloc::Mi = alloc::Mi;

fn one(replicas: i32) -> Duration {
    let mut w = World::new(1);
    create(&mut w, deployment("web", replicas, "nginx:1.14.2", "{}", 0));
    run_to_completion(&mut w, "web", 10_000_000, |_| {});
    let before = w.task_counts;
    perf_ctl("enable");
    let e = timed(&mut w);
    perf_ctl("disable");
    if std::env::var("COUNTS").is_ok() {
        let during: Vec<u64> = (0..5).map(|i| w.task_counts[i] - before[i]).collect();
        println!(
            "{replicas}: tasks {:?} (rollout {during:?}) at {}ms",
            w.task_counts,
            w.now()
        );
        let mut reasons = std::collections::BTreeMap::new();
        for e in w.events() {
            *reasons.entry(e.reason).or_insert(0u32) += e.count;
        }
        println!("{replicas}: events {reasons:?}");
    }
    let c = census(&w, 0);
    assert_eq!(c.by_image.get("nginx:1.16.1").copied(), Some(replicas));
    e
}

/// The measured part: the update and the rollout to completion. Not inlined, so that
/// `valgrind --tool=callgrind --toggle-collect=rollout::timed` can count it alone.
#[inline(never)]
fn timed(w: &mut World) -> Duration {
    let t = Instant::now();
    set_image(w, "web", "nginx:1.16.1");
    run_to_completion(w, "web", 10_000_000, |_| {});
    t.elapsed()
}

/// With `PERF_CTL=<fifo>` (perf record's `--control=fifo:<fifo> -D -1`), only the timed part
/// is recorded: not the setup, not the World's drop.
fn perf_ctl(cmd: &str) {
    if let Ok(path) = std::env::var("PERF_CTL") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(path) {
            let _ = writeln!(f, "{cmd}");
        }
    }
}

fn median(replicas: i32, runs: usize) -> Duration {
    let mut v: Vec<Duration> = (0..runs).map(|_| one(replicas)).collect();
    v.sort();
    v[runs / 2]
}

fn main() {
    alloc::keep_freed_pages();
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let sizes: Vec<i32> = std::env::var("SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000]);
    if sizes.len() != 2 {
        for n in sizes {
            println!(
                "rolling update v1->v2, {n} replicas: median {:.1} ms",
                median(n, runs).as_secs_f64() * 1e3
            );
        }
        return;
    }
    let a = median(sizes[0], runs);
    let b = median(sizes[1], runs);
    println!(
        "rolling update v1->v2, 1000 replicas:  median {:.1} ms",
        a.as_secs_f64() * 1e3
    );
    println!(
        "rolling update v1->v2, 10000 replicas: median {:.1} ms",
        b.as_secs_f64() * 1e3
    );
    println!("ratio 10000/1000: {:.2}", b.as_secs_f64() / a.as_secs_f64());
}
