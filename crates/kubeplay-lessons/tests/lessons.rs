//! Each built-in lesson: its solution passes every check (the code path of `kubeplay check`),
//! and a plausible wrong attempt at a step fails exactly the checks that should catch it.

use kubeplay_lessons::builtin;
use kubeplay_lessons::run::{check_scenario, check_with};
use kubeplay_lessons::scenario::Lang;

fn solution_passes(id: &str) {
    let sc = builtin::get(id).expect("built-in");
    let report = check_scenario(&sc, Lang::En);
    assert!(report.passed(), "{}", report.render(true));
    // Deterministic: the same bytes twice.
    assert_eq!(
        report.render(true),
        check_scenario(&sc, Lang::En).render(true)
    );
}

/// Replace step `step`'s (from 1) lines with `wrong` and expect exactly `failing` to fail there.
fn wrong_attempt_fails(id: &str, step: usize, wrong: &[&str], failing: &[&str]) {
    let sc = builtin::get(id).expect("built-in");
    let report = check_with(&sc, Lang::En, |i, st| {
        if i + 1 == step {
            wrong.iter().map(|s| s.to_string()).collect()
        } else {
            st.solution_lines().into_iter().map(String::from).collect()
        }
    });
    let got: Vec<&str> = report.steps[step - 1]
        .checks
        .iter()
        .filter(|c| !c.result.passed)
        .map(|c| c.description.as_str())
        .collect();
    assert_eq!(got, failing, "{}", report.render(true));
    for earlier in &report.steps[..step - 1] {
        assert!(earlier.checks.iter().all(|c| c.result.passed));
    }
}

#[test]
#[ignore = "needs kubectl set image and rollout"]
fn rolling_update_solution_passes() {
    solution_passes("rolling-update");
}

#[test]
#[ignore = "needs kubectl set image and rollout"]
fn rolling_update_wrong_container_name_fails_the_image_check() {
    // `set image` with the container name wrong changes nothing.
    wrong_attempt_fails(
        "rolling-update",
        2,
        &[
            "kubectl set image deployment/myapp-deploy myapp=nginx:1.25",
            "kubectl rollout status deployment/myapp-deploy",
        ],
        &[
            "deployment/myapp-deploy image is nginx:1.25",
            "deployment/myapp-deploy is at revision 2",
            "deployment/myapp-deploy has 2 revision(s) in its history",
        ],
    );
}

#[test]
fn rolling_update_first_step_without_waiting_is_not_ready_yet() {
    // Checks look at the state right after the lines: pods just created are not ready.
    wrong_attempt_fails(
        "rolling-update",
        1,
        &["kubectl apply -f myapp-deploy.yaml"],
        &["deployment/myapp-deploy has 3 ready, 3 available"],
    );
}
