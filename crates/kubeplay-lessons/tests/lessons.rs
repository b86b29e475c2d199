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
fn rolling_update_solution_passes() {
    solution_passes("rolling-update");
}

#[test]
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

#[test]
fn recreate_vs_rolling_solution_passes() {
    solution_passes("recreate-vs-rolling");
}

#[test]
fn recreate_vs_rolling_updating_without_recreate_shows_no_downtime() {
    wrong_attempt_fails(
        "recreate-vs-rolling",
        2,
        &["kubectl set image deployment/frontend simple-webapp=kodekloud/webapp-color:v2"],
        &[
            "deployment/frontend uses the Recreate strategy",
            "deployment/frontend has 0 available",
        ],
    );
}

#[test]
fn apply_vs_set_image_solution_passes() {
    solution_passes("apply-vs-set-image");
}

#[test]
fn apply_vs_set_image_set_image_again_leaves_the_file_stale() {
    wrong_attempt_fails(
        "apply-vs-set-image",
        3,
        &[
            "kubectl set image deployment frontend simple-webapp=kodekloud/webapp-color:v3",
            "kubectl rollout status deployment/frontend",
        ],
        &["file frontend.yaml contains \"image: kodekloud/webapp-color:v3\""],
    );
}

#[test]

fn commands_args_solution_passes() {
    solution_passes("commands-args");
}

#[test]

fn commands_args_applying_over_the_running_pod_is_refused() {
    // A pod's command is immutable: apply without deleting leaves sleep2.0 failing.
    let sc = kubeplay_lessons::builtin::get("commands-args").unwrap();
    let heredoc = sc.steps[2].solution[0].clone();
    let mut wrong: Vec<&str> = heredoc.trim_end().split('\n').collect();
    wrong.extend(["kubectl apply -f ubuntu-sleeper-pod.yaml", "sleep 5"]);
    wrong_attempt_fails(
        "commands-args",
        3,
        &wrong,
        &["pod/ubuntu-sleeper-pod shows READY 1/1, STATUS Running"],
    );
}

#[test]
fn env_vars_solution_passes() {
    solution_passes("env-vars");
}

#[test]

fn env_vars_editing_the_file_without_recreating_the_pod_fails() {
    let sc = kubeplay_lessons::builtin::get("env-vars").unwrap();
    let heredoc = sc.steps[1].solution[0].clone();
    let mut wrong: Vec<&str> = heredoc.trim_end().split('\n').collect();
    wrong.extend(["kubectl apply -f webapp-color.yaml", "sleep 10"]);
    wrong_attempt_fails(
        "env-vars",
        2,
        &wrong,
        &[
            "pod/webapp-color spec.containers[0].env[0].value is green",
            "$APP_COLOR in pod/webapp-color is \"green\"",
        ],
    );
}

#[test]
fn configmaps_solution_passes() {
    solution_passes("configmaps");
}

#[test]
fn configmaps_the_notes_misindented_envfrom_creates_nothing() {
    wrong_attempt_fails(
        "configmaps",
        2,
        &["kubectl apply -f webapp-pod.yaml", "sleep 10"],
        &[
            "pod/webapp spec.containers[0].envFrom[0].configMapRef.name is app-config",
            "pod/webapp shows READY 1/1, STATUS Running",
            "$APP_COLOR in pod/webapp is \"blue\"",
            "$APP_MODE in pod/webapp is \"prod\"",
        ],
    );
}

#[test]
fn secrets_solution_passes() {
    solution_passes("secrets");
}

#[test]
fn secrets_decoding_alone_does_not_fix_the_notes_typo() {
    // The notes' DB_USER "cm9vda==" decodes to "roou", not "root".
    wrong_attempt_fails(
        "secrets",
        2,
        &["echo -n 'cm9vda==' | base64 --decode"],
        &["secret/app-secret key DB_USER decodes to \"root\""],
    );
}

#[test]
fn multi_container_solution_passes() {
    solution_passes("multi-container");
}

#[test]
fn multi_container_a_second_container_that_writes_elsewhere_is_caught() {
    // Without the shared volume the agent cannot see the app's file.
    let sc = kubeplay_lessons::builtin::get("multi-container").unwrap();
    let yaml = sc.files["shared-log.yaml"].replace("mountPath: /logs\n", "mountPath: /elsewhere\n");
    assert_ne!(yaml, sc.files["shared-log.yaml"]);
    let mut lines = vec!["cat > shared-log.yaml <<'EOF'".to_string()];
    lines.extend(yaml.lines().map(String::from));
    lines.push("EOF".into());
    lines.extend(["kubectl apply -f shared-log.yaml".into(), "sleep 15".into()]);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    wrong_attempt_fails(
        "multi-container",
        2,
        &refs,
        &["/logs/app.log in pod/shared-log -c log-agent is \"request served\""],
    );
}

#[test]
fn apply_vs_set_image_the_notes_typo_never_gets_the_new_image() {
    // The notes' `kodecloud` image does not exist: a new revision, but not the image asked for.
    wrong_attempt_fails(
        "apply-vs-set-image",
        2,
        &[
            "kubectl set image deployment frontend simple-webapp=kodecloud/webapp-color:v2",
            "sleep 60",
        ],
        &["deployment/frontend image is kodekloud/webapp-color:v2"],
    );
}

#[test]
fn init_containers_solution_passes() {
    solution_passes("init-containers");
}

#[test]
fn init_containers_recreating_the_broken_pod_stays_pending() {
    wrong_attempt_fails(
        "init-containers",
        2,
        &[
            "kubectl delete pod myapp-pod",
            "kubectl apply -f myapp-pod.yaml",
            "sleep 30",
        ],
        &[
            "pod/myapp-pod shows READY 1/1, STATUS Running, phase Running",
            "pod/myapp-pod status.initContainerStatuses[0].state.terminated.reason is Completed",
        ],
    );
}
