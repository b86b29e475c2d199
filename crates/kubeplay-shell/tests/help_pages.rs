//! `kubectl CMD --help` is a whole page for every command kubeplay plays: what it does,
//! examples (but for the command groups), every option with what it means and kubectl's
//! default, and the usage line. A learner's `kubectl logs --help` used to print one line.

use kubeplay_shell::Session;

fn help(cmd: &str) -> String {
    let mut s = Session::new(1);
    s.feed_line(&format!("kubectl {cmd} --help"));
    s.run_until_idle();
    s.take_output().into_iter().map(|c| c.text).collect()
}

#[test]
fn every_command_has_a_whole_help_page() {
    let groups = [
        "create service",
        "create secret",
        "set",
        "rollout",
        "create",
        "config",
    ];
    let commands = [
        "logs",
        "exec",
        "run",
        "expose",
        "get",
        "describe",
        "explain",
        "create configmap",
        "create secret generic",
        "create secret tls",
        "create secret docker-registry",
        "create deployment",
        "create namespace",
        "create service clusterip",
        "create service nodeport",
        "create service loadbalancer",
        "create service externalname",
        "create serviceaccount",
        "create token",
        "apply",
        "apply view-last-applied",
        "delete",
        "edit",
        "label",
        "annotate",
        "patch",
        "replace",
        "diff",
        "wait",
        "scale",
        "set image",
        "set env",
        "set serviceaccount",
        "rollout status",
        "rollout history",
        "rollout undo",
        "rollout pause",
        "rollout resume",
        "rollout restart",
        "version",
        "api-resources",
        "api-versions",
        "cluster-info",
    ];
    for cmd in commands.iter().chain(&groups) {
        let page = help(cmd);
        let usage = format!("\nUsage:\n  kubectl {cmd}");
        assert!(
            page.contains(&usage),
            "kubectl {cmd} --help has no usage:\n{page}"
        );
        if !groups.contains(cmd) {
            assert!(
                page.contains("\nExamples:\n  "),
                "kubectl {cmd} --help has no examples:\n{page}"
            );
        }
        assert!(
            !page.contains("See the kubectl documentation"),
            "kubectl {cmd} --help leaves an option unexplained:\n{page}"
        );
    }
}

#[test]
fn defaults_are_the_commands_own() {
    let logs = help("logs");
    assert!(logs.contains("    --tail=-1:\n"), "{logs}");
    assert!(logs.contains("    --max-log-requests=5:\n"), "{logs}");
    let deployment = help("create deployment");
    assert!(
        deployment.contains("    -r, --replicas=1:\n"),
        "{deployment}"
    );
    let delete = help("delete");
    assert!(
        delete.contains("    --wait=true:\n") && delete.contains("    --timeout=0s:\n"),
        "{delete}"
    );
    let wait = help("wait");
    assert!(wait.contains("    --timeout=30s:\n"), "{wait}");
}
