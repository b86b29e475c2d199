//! `kubectl CMD --help` is a whole page for every command kubeplay plays: what it does,
//! examples (but for the command groups), every option with what it means and kubectl's
//! default, and the usage line. A learner's `kubectl logs --help` used to print one line.

use kubeplay_shell::Session;
use std::collections::BTreeMap;

fn help(cmd: &str) -> String {
    let mut s = Session::new(1);
    s.feed_line(&format!("kubectl {cmd} --help"));
    s.run_until_idle();
    s.take_output().into_iter().map(|c| c.text).collect()
}

const GROUPS: [&str; 6] = [
    "create service",
    "create secret",
    "set",
    "rollout",
    "create",
    "config",
];
const COMMANDS: [&str; 51] = [
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
    "set resources",
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
    "config view",
    "config get-contexts",
    "config set-context",
    "config current-context",
    "config get-clusters",
    "config get-users",
    "config use-context",
];

#[test]
fn every_command_has_a_whole_help_page() {
    for cmd in COMMANDS.iter().chain(&GROUPS) {
        let page = help(cmd);
        let usage = format!("\nUsage:\n  kubectl {cmd}");
        assert!(
            page.contains(&usage),
            "kubectl {cmd} --help has no usage:\n{page}"
        );
        if !GROUPS.contains(cmd) {
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

/// `--flag=default` of each option a help page lists.
fn defaults(page: &str) -> BTreeMap<String, String> {
    page.lines()
        .filter_map(|l| l.strip_prefix("    ")?.strip_suffix(':'))
        .map(|l| l.rsplit(", ").next().unwrap_or(l))
        .filter_map(|l| l.strip_prefix("--")?.split_once('='))
        .map(|(f, d)| (f.to_string(), d.to_string()))
        .collect()
}

/// Every option both list shows the same default in kubeplay's help and in the real
/// kubectl's (/usr/bin/kubectl; skipped without it).
#[test]
fn defaults_match_kubectl() {
    const KUBECTL: &str = "/usr/bin/kubectl";
    if !std::path::Path::new(KUBECTL).exists() {
        eprintln!("skipping: no {KUBECTL}");
        return;
    }
    let mut wrong = Vec::new();
    for cmd in COMMANDS {
        let out = std::process::Command::new(KUBECTL)
            .args(cmd.split(' '))
            .arg("--help")
            .env_clear()
            .env("HOME", std::env::temp_dir())
            .output()
            .expect("kubectl runs");
        let real = defaults(&String::from_utf8_lossy(&out.stdout));
        for (flag, ours) in defaults(&help(cmd)) {
            if let Some(theirs) = real.get(&flag) {
                if *theirs != ours {
                    wrong.push(format!(
                        "kubectl {cmd} --{flag}: ours {ours}, kubectl {theirs}"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
