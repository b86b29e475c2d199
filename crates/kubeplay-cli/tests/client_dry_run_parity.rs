//! `create -f … --dry-run=client` (and `replace`), next to the real kubectl (/usr/bin/kubectl), which maps the
//! kinds through a discovery cache and sends nothing ([`parity::offline_cluster`]): every
//! manifest the transcripts use, and the course notes' mistakes, printed as kubectl prints
//! them (the document as read, unknown and misplaced fields included, with the namespace
//! kubectl sets). `--validate=false`: kubectl's default validation would ask the server for
//! its OpenAPI schema. Skipped when no kubectl is installed.

mod parity;

use parity::{compare, have_kubectl, offline_cluster, Dir};
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
    if !have_kubectl() {
        return;
    }
    let dir = Dir::new("client-dry-run");
    offline_cluster(&dir.0);
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
