//! `kubectl set env --local -f FILE ...` next to the real kubectl (/usr/bin/kubectl): listing,
//! adding, removing, container wildcards and the error paths give the same bytes. Skipped when
//! no kubectl is installed.

mod parity;

use parity::{compare, have_kubectl, Dir};

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
      - name: init-db
        image: busybox
        env:
        - name: A
          value: "1"
      containers:
      - name: nginx
        image: nginx
        env:
        - name: A
          value: "0"
        - name: FROM_CM
          valueFrom:
            configMapKeyRef: {name: cfg, key: k}
        - name: POD
          valueFrom:
            fieldRef: {fieldPath: metadata.name}
      - name: side
        image: busybox
"#;

const CONFIGMAP: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  k: v
"#;

#[test]
fn set_env_local_matches_kubectl() {
    if !have_kubectl() {
        return;
    }
    let dir = Dir::new("set-env");
    dir.write("d.yaml", DEPLOYMENT.as_bytes());
    dir.write("cm.yaml", CONFIGMAP.as_bytes());
    let base = ["set", "env", "--local", "-f"];
    let cases: Vec<Vec<&'static str>> = [
        &["d.yaml", "--list"][..],
        &["d.yaml", "B=2", "--list"],
        &["d.yaml", "-c", "side", "--list"],
        &["d.yaml", "-c", "si*", "X=1", "--list"],
        &["d.yaml", "A-", "--list"],
        &["d.yaml", "-c", "nope", "X=1"],
        &["d.yaml", "A=5", "--overwrite=false"],
        &["d.yaml", "-o", "name", "X=1"],
        &["d.yaml", "1X=2"],
        &["d.yaml", "X"],
        &["d.yaml", "A=1", "A-"],
        &["d.yaml", "--keys=a"],
        &["d.yaml", "--list", "-o", "yaml"],
        &["d.yaml", "--all", "-l", "a=b", "A=1"],
        &["cm.yaml", "A=1"],
    ]
    .iter()
    .map(|c| base.iter().chain(c.iter()).copied().collect())
    .collect();
    compare(&dir, &cases);
}
