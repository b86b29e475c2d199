//! Typed checks against a cluster driven the way a learner drives it: lines into a Session.

use kubeplay_lessons::run::{new_session, run_lines};
use kubeplay_lessons::scenario::Lang;
use kubeplay_lessons::{Check, Scenario};
use kubeplay_shell::Session;

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  strategy:
    type: Recreate
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: nginx
          image: nginx:1.24
        - name: sidecar
          image: busybox
          command: [sleep, '3600']
";

const CM_SECRET: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  APP_COLOR: blue
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
data:
  DB_USER: cm9vdA==
  DB_HOST: bXlzcWw=
";

fn session() -> Session {
    let sc = Scenario::from_yaml(&format!(
        "id: t\ntitle: T\nfiles:\n  d.yaml: |\n{}  cs.yaml: |\n{}steps: [{{title: x}}]\n",
        indent(DEPLOY),
        indent(CM_SECRET)
    ))
    .unwrap();
    let mut s = new_session(&sc);
    let t = run_lines(
        &mut s,
        [
            "kubectl apply -f d.yaml",
            "kubectl apply -f cs.yaml",
            "sleep 60",
        ],
    );
    assert!(t.contains("deployment.apps/web created"), "{t}");
    assert!(t.contains("configmap/app-config created"), "{t}");
    s
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}

fn check(yaml: &str) -> Check {
    let sc = Scenario::from_yaml(&format!(
        "id: t\ntitle: T\nsteps:\n  - title: x\n    checks:\n      - {yaml}\n"
    ))
    .unwrap_or_else(|e| panic!("{yaml}: {e}"));
    sc.steps[0].checks[0].clone()
}

/// (check, passes?, expected, actual)
fn eval(s: &Session, yaml: &str) -> (bool, String, String) {
    let r = check(yaml).evaluate(s);
    (r.passed, r.expected, r.actual)
}

#[test]
fn deployment_checks_read_spec_and_status() {
    let s = session();
    assert!(eval(&s, "deploymentImage: {name: web, image: 'nginx:1.24'}").0);
    assert_eq!(
        eval(&s, "deploymentImage: {name: web, image: 'nginx:1.25'}"),
        (false, "nginx:1.25".into(), "nginx:1.24".into())
    );
    assert!(
        eval(
            &s,
            "deploymentImage: {name: web, container: sidecar, image: busybox}"
        )
        .0
    );
    assert_eq!(
        eval(
            &s,
            "deploymentImage: {name: web, container: nope, image: x}"
        )
        .2,
        "container nope <not found>"
    );
    assert_eq!(
        eval(&s, "deploymentImage: {name: nope, image: x}").2,
        "deployment/nope <not found>"
    );
    assert!(
        eval(
            &s,
            "deploymentReplicas: {name: web, desired: 2, ready: 2, available: 2, updated: 2}"
        )
        .0
    );
    assert_eq!(
        eval(&s, "deploymentReplicas: {name: web, ready: 3}"),
        (false, "3 ready".into(), "2 ready".into())
    );
    assert!(eval(&s, "deploymentRevision: {name: web, revision: 1}").0);
    assert!(!eval(&s, "deploymentRevision: {name: web, revision: 2}").0);
    assert!(eval(&s, "revisionCount: {deployment: web, count: 1}").0);
    assert!(eval(&s, "deploymentStrategy: {name: web, type: Recreate}").0);
    assert_eq!(
        eval(&s, "deploymentStrategy: {name: web, type: RollingUpdate}"),
        (false, "RollingUpdate".into(), "Recreate".into())
    );
}

#[test]
fn configmap_and_secret_values_secrets_decoded() {
    let s = session();
    assert!(
        eval(
            &s,
            "configMapValue: {name: app-config, key: APP_COLOR, value: blue}"
        )
        .0
    );
    assert_eq!(
        eval(
            &s,
            "configMapValue: {name: app-config, key: APP_COLOR, value: pink}"
        ),
        (false, "\"pink\"".into(), "\"blue\"".into())
    );
    assert_eq!(
        eval(
            &s,
            "configMapValue: {name: app-config, key: APP_MODE, value: prod}"
        )
        .2,
        "key APP_MODE <not found>"
    );
    assert!(
        eval(
            &s,
            "secretValue: {name: app-secret, key: DB_USER, value: root}"
        )
        .0
    );
    assert!(
        eval(
            &s,
            "secretValue: {name: app-secret, key: DB_HOST, value: mysql}"
        )
        .0
    );
    // The encoded form is not the value.
    assert!(
        !eval(
            &s,
            "secretValue: {name: app-secret, key: DB_HOST, value: bXlzcWw=}"
        )
        .0
    );
    assert!(eval(&s, "exists: {kind: cm, name: app-config}").0);
    assert!(eval(&s, "exists: {kind: secret, name: nope, exists: false}").0);
    assert_eq!(
        eval(&s, "exists: {kind: deploy, name: nope}"),
        (false, "exists".into(), "does not exist".into())
    );
}

#[test]
fn pod_checks_by_selector_and_name() {
    let s = session();
    assert!(eval(&s, "podCount: {selector: app=web, count: 2}").0);
    assert!(
        eval(
            &s,
            "podCount: {selector: app=web, phase: Running, ready: true, count: 2}"
        )
        .0
    );
    assert!(
        eval(
            &s,
            "podCount: {selector: app=web, phase: Pending, count: 0}"
        )
        .0
    );
    assert!(eval(&s, "podCount: {selector: app=other, count: 0}").0);
    assert!(
        eval(
            &s,
            "podStatus: {selector: app=web, ready: 2/2, status: Running, phase: Running}"
        )
        .0
    );
    assert_eq!(
        eval(&s, "podStatus: {selector: app=web, ready: 1/2}"),
        (false, "READY 1/2".into(), "READY 2/2".into())
    );
    assert_eq!(
        eval(&s, "podStatus: {pod: nope, status: Running}").2,
        "pod/nope <not found>"
    );
}

#[test]
fn file_and_command_checks_do_not_touch_the_session() {
    let mut s = session();
    assert!(eval(&s, "file: {path: d.yaml, contains: 'image: nginx:1.24'}").0);
    assert!(!eval(&s, "file: {path: d.yaml, notContains: 'nginx:1.24'}").0);
    let before_now = s.now();
    let (ok, _, actual) = eval(
        &s,
        "command: {run: kubectl get deploy web, contains: '2/2'}",
    );
    assert!(ok, "{actual}");
    let (ok, exp, actual) = eval(&s, "command: {run: kubectl get deploy nope, status: 0}");
    assert!(!ok);
    assert_eq!(exp, "exit status 0");
    assert!(actual.contains("NotFound"), "{actual}");
    // The learner's session saw nothing of it.
    assert_eq!(s.now(), before_now);
    assert!(s.take_output().is_empty());
}

#[test]
fn descriptions_are_stable_in_both_languages() {
    let c = check("deploymentReplicas: {name: web, updated: 3, ready: 3}");
    assert_eq!(
        c.describe(Lang::En),
        "deployment/web has 3 ready, 3 up-to-date"
    );
    assert_eq!(
        c.describe(Lang::Ko),
        "deployment/web: 레플리카 준비 3, 최신 3"
    );
    let c = check("env: {selector: app=web, container: nginx, var: APP_COLOR, value: pink}");
    assert_eq!(
        c.describe(Lang::En),
        "$APP_COLOR in a pod of -l app=web -c nginx is \"pink\""
    );
    assert!(c.needs_exec());
}

#[test]
fn invalid_checks_are_rejected_when_loading() {
    for (yaml, want) in [
        ("deploymentReplicas: {name: web}", "needs one of"),
        (
            "podStatus: {pod: a, selector: b, ready: 1/1}",
            "exactly one of",
        ),
        ("exists: {kind: widget, name: a}", "unknown kind"),
        ("file: {path: a}", "one of equals"),
        ("podCount: {selector: 'a in (', count: 1}", ""),
        (
            "deploymentImage: {name: web, image: x, colour: red}",
            "unknown field `colour`",
        ),
    ] {
        let r = Scenario::from_yaml(&format!(
            "id: t\ntitle: T\nsteps:\n  - title: x\n    checks:\n      - {yaml}\n"
        ));
        let e = r.expect_err(yaml).0;
        assert!(e.contains(want), "{yaml}: {e}");
    }
}

#[test]
fn field_check_reads_any_path() {
    let s = session();
    assert!(eval(&s, "field: {kind: deploy, name: web, path: 'spec.template.spec.containers[1].name', value: sidecar}").0);
    assert!(eval(&s, "field: {kind: deploy, name: web, path: spec.selector.matchLabels, value: '{\"app\":\"web\"}'}").0);
    assert_eq!(
        eval(&s, "field: {kind: deploy, name: web, path: 'spec.template.spec.containers[0].command', value: '[\"sleep\"]'}").2,
        "<none>"
    );
    assert_eq!(
        eval(&s, "field: {kind: cm, name: nope, path: data, value: x}").2,
        "configmap/nope <not found>"
    );
    let e = Scenario::from_yaml("id: t\ntitle: T\nsteps:\n  - title: x\n    checks:\n      - field: {kind: pod, name: a, path: 'spec.containers[x]', value: v}\n").unwrap_err();
    assert!(e.0.contains("bad field path"), "{e}");
}
