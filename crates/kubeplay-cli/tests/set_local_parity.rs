//! `kubectl set image|serviceaccount|env|resources --local -f FILE` next to the real kubectl
//! (/usr/bin/kubectl): the objects printed as the typed client decodes them (`status: {}`,
//! `resources: {}`...), YAML documents separated by `---`, unchanged objects left out, and the
//! errors (a container that is not there, an object without a pod template, objects named
//! with --local) all together at the end. Skipped when no kubectl is installed.

mod parity;

use parity::{compare, have_kubectl, Dir};

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: myapp-deployment
  labels:
    app: myapp
spec:
  replicas: 3
  selector:
    matchLabels:
      type: front-end
  template:
    metadata:
      name: myapp-pod
      labels:
        app: myapp
        type: front-end
    spec:
      containers:
      - name: nginx-container
        image: nginx
"#;

/// A pod with an init container, a Service (no pod template) and a ReplicaSet.
const MIXED: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
  - name: init
    image: busybox
  containers:
  - name: c
    image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  selector:
    app: x
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: rs
spec:
  selector:
    matchLabels:
      a: b
  template:
    metadata:
      labels:
        a: b
    spec:
      containers:
      - name: c
        image: nginx
"#;

#[test]
fn set_local_matches_kubectl() {
    if !have_kubectl() {
        return;
    }
    let dir = Dir::new("set-local");
    dir.write("d.yaml", DEPLOYMENT.as_bytes());
    dir.write("mixed.yaml", MIXED.as_bytes());
    let c = |s: &'static str| -> Vec<&'static str> { s.split(' ').collect() };
    let cases = [
        c("set image --local -f d.yaml nginx-container=nginx:1.9.1 -o yaml"),
        c("set image --local -f d.yaml nginx-container=nginx:1.9.1"),
        c("set image --local -f d.yaml nginx-container=nginx:1.9.1 --dry-run=client"),
        c("set image --local -f d.yaml nginx-container=nginx:1.9.1 -o name"),
        c("set image --local -f d.yaml nginx-container=nginx"),
        c("set image --local -f d.yaml nginx-container=nginx:2 --dry-run=server"),
        c("set image --local -f d.yaml nope=nginx -o yaml"),
        c("set image --local -f d.yaml *=a c=b"),
        c("set image --local -f d.yaml"),
        c("set image --local deployment/x a=b"),
        c("set image --local -f mixed.yaml *=nginx:2 -o yaml"),
        c("set image --local -f mixed.yaml c=x nope=y"),
        c("set image --local -f mixed.yaml c=nginx"),
        c("set image --local -f mixed.yaml init=busybox -o name"),
        c("set serviceaccount --local -f d.yaml sa1 -o yaml"),
        c("set sa --local -f d.yaml sa1"),
        c("set sa --local -f d.yaml sa1 --dry-run=client"),
        c("set sa --local -f mixed.yaml sa1 -o yaml"),
        c("set sa --local deployment/x sa1"),
        c("set env --local -f d.yaml APP_COLOR=blue -o yaml"),
        c("set env --local -f d.yaml APP_COLOR=blue --dry-run=client"),
        c("set env --local -f mixed.yaml A=1 -o yaml"),
        c("set env --local deployment/x A=1"),
        c("set resources --local -f d.yaml --limits=cpu=200m,memory=512Mi -o yaml"),
        c("set resources --local -f d.yaml --limits=cpu=0.5,memory=1.5Gi --requests=cpu=100m,memory=1024Mi -o yaml"),
        c("set resources --local -f d.yaml --requests=cpu=1000m"),
        c("set resources --local -f d.yaml --requests=cpu=1000m --dry-run=client -o name"),
        c("set resources --local -f d.yaml -c=nginx* --limits=cpu=1 -o yaml"),
        c("set resources --local -f d.yaml -c=nope --limits=cpu=1"),
        c("set resources --local -f d.yaml"),
        c("set resources --local -f d.yaml --limits=cpu"),
        c("set resources --local -f d.yaml --limits=cpu=abc"),
        c("set resources --local -f d.yaml --limits=cpu=1GB"),
        c("set resources --local -f d.yaml --limits=cpu=1 --dry-run=server"),
        c("set resources --local deployment/x --limits=cpu=1"),
        c("set resources --local -f mixed.yaml --limits=memory=64Mi -o yaml"),
        c("set resources --local -f mixed.yaml -c=init --requests=cpu=10m"),
    ];
    compare(&dir, &cases);
}
