//! `kubeplay lessons`, `kubeplay check` and `kubeplay export` as a course author's CI runs them.

use std::process::Command;

fn kubeplay(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(args)
        .output()
        .expect("runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const SCENARIO: &str = r#"id: ci-demo
title: {en: CI demo, ko: CI 데모}
files:
  web.yaml: |
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: web, image: "nginx:1.25"}]
steps:
  - title: {en: Deploy, ko: 배포}
    solution:
      - kubectl apply -f web.yaml
      - sleep 30
    checks:
      - deploymentImage: {name: web, image: "nginx:1.25"}
      - deploymentReplicas: {name: web, ready: 2}
"#;

fn write(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("kubeplay-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn check_passes_and_prints_one_line_per_check() {
    let f = write("ok.yaml", SCENARIO);
    let (code, out, err) = kubeplay(&["check", &f]);
    assert_eq!(
        out,
        "scenario ci-demo: CI demo\nstep 1: Deploy\n  PASS deployment/web image is nginx:1.25\n  \
         PASS deployment/web has 2 ready\nok: 2 of 2 checks passed\n",
        "{err}"
    );
    assert_eq!(code, 0);
}

#[test]
fn check_fails_with_expected_and_actual_and_exit_1() {
    let f = write("bad.yaml", &SCENARIO.replace("ready: 2}", "ready: 3}"));
    let (code, out, _) = kubeplay(&["check", "--lang", "ko", &f]);
    assert_eq!(code, 1);
    assert!(out.contains("step 1: 배포\n"), "{out}");
    assert!(
        out.contains("  FAIL deployment/web: 레플리카 준비 3: expected 3 ready, got 2 ready\n"),
        "{out}"
    );
    assert!(out.ends_with("FAILED: 1 of 2 checks passed\n"), "{out}");
}

#[test]
fn bad_scenarios_and_unknown_lessons_exit_2_with_a_message() {
    let f = write("typo.yaml", &SCENARIO.replace("solution:", "solutoin:"));
    let (code, _, err) = kubeplay(&["check", &f]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown field `solutoin`"), "{err}");
    let (code, _, err) = kubeplay(&["check", "lesson:nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no built-in lesson \"nope\""), "{err}");
    let (code, _, _) = kubeplay(&["check"]);
    assert_eq!(code, 2);
}

#[test]
fn lessons_lists_builtins_and_export_prints_a_script() {
    let (code, out, _) = kubeplay(&["lessons"]);
    assert_eq!(code, 0);
    assert!(
        out.lines().any(|l| l.starts_with("rolling-update ")),
        "{out}"
    );
    let (code, out, _) = kubeplay(&["export", "lesson:rolling-update"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("#!/usr/bin/env bash\n"));
    assert!(out.contains("kubectl set image deployment/myapp-deploy nginx=nginx:1.25\n"));
}

#[test]
fn share_then_open_replays_the_solution() {
    let f = write("share.yaml", SCENARIO);
    let (code, link, err) = kubeplay(&["share", &f]);
    assert_eq!(code, 0, "{err}");
    let link = link.trim_end();
    let (code, out, err) = kubeplay(&["open", &format!("https://kubeplay.example/#{link}")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# lesson ci-demo step 1 done [x]\n$ kubectl apply -f web.yaml\ndeployment.apps/web created\n$ sleep 30\n"), "{out}");
    let (code, _, err) = kubeplay(&["open", &link[..link.len() / 2]]);
    assert_eq!(code, 2);
    assert!(err.contains("damaged"), "{err}");
}
