//! `create -f … --dry-run=client` (and `replace`), next to the real kubectl (/usr/bin/kubectl), which maps the
//! kinds through a discovery cache and sends nothing ([`parity::offline_cluster`]): every
//! manifest the transcripts use, and the course notes' mistakes, printed as kubectl prints
//! them (the document as read, unknown and misplaced fields included, with the namespace
//! kubectl sets). `--validate=false`: kubectl's default validation would ask the server for
//! its OpenAPI schema. Skipped when no kubectl is installed.

mod parity;

use parity::{compare, offline_cluster};
use std::path::Path;

/// The course notes' mistakes, and documents with what kubectl adds or keeps.
const FILES: &[(&str, &str)] = &[
    // envFrom with `name` one level too shallow: `configMapRef: null` and a stray `name`.
    ("misindented-envfrom.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp-color\nspec:\n  containers:\n  - name: webapp-color\n    image: kodekloud/webapp-color\n    envFrom:\n    - configMapRef:\n      name: webapp-config-map\n"),
    // A Secret whose data is not base64.
    ("bad-base64.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secret\ndata:\n  DB_Host: mysql\n  DB_User: cm9vdA==\n"),
    ("string-data.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\nstringData:\n  password: paswrd\n"),
    ("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  labels: {tier: web}\ndata:\n  APP_COLOR: blue\n  APP_MODE: prod\n"),
    ("unknown-top.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nreplicas: 3\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n"),
    ("namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n"),
];

fn manifests(root: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(rel))
        .unwrap()
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") {
            out.push((format!("{rel}{name}"), std::fs::read(e.path()).unwrap()));
        }
    }
}

#[test]
fn client_dry_run_matches_kubectl() {
    let Some(dir) = offline_cluster("client-dry-run") else {
        return;
    };
    let mut files: Vec<(String, Vec<u8>)> = FILES
        .iter()
        .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
        .collect();
    let transcripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts");
    manifests(&transcripts, "", &mut files);
    manifests(&transcripts, "containers/", &mut files);
    for (name, data) in &files {
        dir.write(name, data);
    }
    let names: Vec<&'static str> = files
        .into_iter()
        .map(|(n, _)| &*Box::leak(n.into_boxed_str()))
        .collect();
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for name in &names {
        for output in [None, Some("yaml"), Some("json"), Some("name")] {
            let mut c = vec!["create", "--dry-run=client", "--validate=false", "-f", name];
            if let Some(o) = output {
                c.extend(["-o", o]);
            }
            cases.push(c);
        }
        cases.push(vec![
            "create",
            "--dry-run=client",
            "--validate=false",
            "-f",
            name,
            "--save-config",
            "-o",
            "yaml",
        ]);
        cases.push(vec![
            "replace",
            "--dry-run=client",
            "--validate=false",
            "-f",
            name,
            "-o",
            "yaml",
        ]);
    }
    compare(&dir, &cases);
}

/// Verbs that read the objects from the files and, in a client dry run, send nothing:
/// `expose` (the Service it would make), `delete` and `scale`.
#[test]
fn file_verbs_match_kubectl() {
    let Some(dir) = offline_cluster("file-verbs") else {
        return;
    };
    let transcripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts");
    for name in ["nginx-deployment.yaml", "rollouts-seed-notes.yaml"] {
        dir.write(name, &std::fs::read(transcripts.join(name)).unwrap());
    }
    for name in ["web-v1.yaml", "two-containers.yaml", "services.yaml"] {
        dir.write(
            name,
            &std::fs::read(transcripts.join("containers").join(name)).unwrap(),
        );
    }
    dir.write("dns.yaml", b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: dns\n  labels: {app: dns, tier: infra}\nspec:\n  containers:\n  - name: dns\n    image: busybox\n    ports:\n    - {containerPort: 53, protocol: UDP}\n    - {containerPort: 53, protocol: TCP}\n    - {containerPort: 9153}\n");
    dir.write(
        "cm.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: b}\n",
    );
    dir.write("expr.yaml", b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: e\nspec:\n  selector:\n    matchLabels: {app: e}\n    matchExpressions:\n    - {key: tier, operator: In, values: [a, b]}\n  template:\n    metadata:\n      labels: {app: e, tier: a}\n    spec:\n      containers:\n      - {name: c, image: nginx}\n");
    let lines = [
        "expose -f dns.yaml --dry-run=client -o yaml",
        "expose -f dns.yaml --port 53 --dry-run=client -o yaml",
        "expose -f dns.yaml --port 9153 --protocol UDP --name metrics --dry-run=client -o yaml",
        "expose -f dns.yaml --port 53 --selector app=dns --labels team=a,env=b --session-affinity ClientIP --external-ip 1.2.3.4 --dry-run=client -o yaml",
        "expose -f dns.yaml --port 53 --cluster-ip None --type LoadBalancer --load-balancer-ip 10.0.0.9 --dry-run=client -o json",
        "expose -f dns.yaml --port 53 --session-affinity sticky --dry-run=client",
        "expose -f dns.yaml --port 53 --selector app --dry-run=client",
        "expose -f dns.yaml --port http --dry-run=client",
        "expose -f dns.yaml --port 53 --record --dry-run=client -o yaml",
        "expose -f dns.yaml --port 53 -n dev --dry-run=client -o yaml",
        "expose -f web-v1.yaml --dry-run=client",
        "expose -f cm.yaml --port 80 --dry-run=client",
        "expose -f expr.yaml --port 80 --dry-run=client",
        "expose -f nginx-deployment.yaml --port 80 --dry-run=client",
        "expose -f nginx-deployment.yaml --port 80 --dry-run=client -o yaml",
        "expose -f nginx-deployment.yaml --port 8080 --target-port 80 --name web --type NodePort --dry-run=client -o json",
        "expose -f nginx-deployment.yaml --dry-run=client -o yaml",
        "expose -f nginx-deployment.yaml --port 80 --protocol UDP --dry-run=client -o name",
        "expose -f web-v1.yaml --port 80 --dry-run=client -o yaml",
        "expose -f two-containers.yaml --port 80 --dry-run=client -o yaml",
        "expose -f rollouts-seed-notes.yaml --port 80 --dry-run=client -o yaml",
        "expose -f services.yaml --port 80 --dry-run=client",
        "delete -f nginx-deployment.yaml --dry-run=client",
        "delete -f rollouts-seed-notes.yaml --dry-run=client",
        "delete -f services.yaml --dry-run=client -o name",
        "scale -f nginx-deployment.yaml --replicas=5 --dry-run=client",
        "scale -f nginx-deployment.yaml --replicas=5 --dry-run=client -o yaml",
        "scale -f rollouts-seed-notes.yaml --replicas=2 --dry-run=client -o name",
        "scale -f two-containers.yaml --replicas=2 --dry-run=client",
    ];
    let cases: Vec<Vec<&str>> = lines.iter().map(|l| l.split(' ').collect()).collect();
    compare(&dir, &cases);
}
