//! Running one kubectl command line through the real kubectl (/usr/bin/kubectl) and through
//! kubeplay in the same directory, and comparing stdout and stderr byte for byte. Shared by
//! the parity tests; each is skipped when no kubectl is installed. kubectl 1.32's output is
//! compared less what 1.34 no longer prints ([`since_1_34`]).

#[path = "../../../kubeplay-shell/tests/common/since_1_34.rs"]
mod v1_34;
use std::path::{Path, PathBuf};
use std::process::Command;
use v1_34::since_1_34;

pub const KUBECTL: &str = "/usr/bin/kubectl";

/// A scratch directory of files the commands read, removed when dropped.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new(tag: &str) -> Dir {
        let p = std::env::temp_dir().join(format!("kubeplay-parity-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }
    #[allow(dead_code)] // not every parity test needs files
    pub fn write(&self, rel: &str, data: &[u8]) {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether the real kubectl is there; says so when it is not.
pub fn have_kubectl() -> bool {
    let there = Path::new(KUBECTL).exists();
    if !there {
        eprintln!("skipped: no {KUBECTL}");
    }
    there
}

fn output(o: std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The real kubectl, with an empty HOME and no kubeconfig: only client-side paths work.
pub fn kubectl(dir: &Path, args: &[&str]) -> (String, String) {
    let home = dir.join(".home");
    std::fs::create_dir_all(&home).unwrap();
    let (out, err) = output(
        Command::new(KUBECTL)
            .args(args)
            .current_dir(dir)
            .env("HOME", &home)
            .env_remove("KUBECONFIG")
            .output()
            .expect("kubectl runs"),
    );
    (since_1_34(&out), err)
}

/// The same command line as a one-line kubeplay script.
pub fn kubeplay(dir: &Path, args: &[&str]) -> (String, String) {
    let line: Vec<String> = std::iter::once("kubectl".to_string())
        .chain(
            args.iter()
                .map(|a| format!("'{}'", a.replace('\'', "'\\''"))),
        )
        .collect();
    std::fs::write(dir.join(".script.sh"), format!("{}\n", line.join(" "))).unwrap();
    output(
        Command::new(env!("CARGO_BIN_EXE_kubeplay"))
            .args(["run", ".script.sh"])
            .current_dir(dir)
            .output()
            .expect("kubeplay runs"),
    )
}

/// Run every case through both and fail with each difference.
pub fn compare<A: AsRef<[&'static str]>>(dir: &Dir, cases: &[A]) {
    let mut failures = Vec::new();
    for args in cases {
        let args = args.as_ref();
        let want = kubectl(&dir.0, args);
        let got = kubeplay(&dir.0, args);
        if want != got {
            failures.push(format!(
                "kubectl {}\n--- kubectl stdout\n{}--- kubectl stderr\n{}--- kubeplay stdout\n{}--- kubeplay stderr\n{}",
                args.join(" "),
                want.0,
                want.1,
                got.0,
                got.1
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A scratch directory (see [`Dir::new`]) whose real kubectl has a cluster it can map kinds
/// for without reaching it, or `None` when no kubectl is installed: a kubeconfig naming a
/// server nobody listens on (namespace `default`, as kubeplay's session starts) and a fresh
/// discovery cache for the kinds kubeplay has. Client-side paths that need the REST mapping
/// (`create -f --dry-run=client --validate=false`) then run offline.
#[allow(dead_code)] // only the parity tests of file verbs need it
pub fn offline_cluster(tag: &str) -> Option<Dir> {
    if !have_kubectl() {
        return None;
    }
    let dir = Dir::new(tag);
    let home = dir.0.join(".home");
    let kube = home.join(".kube");
    std::fs::create_dir_all(&kube).unwrap();
    std::fs::write(
        kube.join("config"),
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"https://127.0.0.1:6443\"}\n  name: c\ncontexts:\n- context: {cluster: c, user: u, namespace: default}\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n",
    )
    .unwrap();
    let cache = kube.join("cache/discovery/127.0.0.1_6443");
    let group = |name: &str, gv: &str| {
        format!(
            r#"{{"name":"{name}","versions":[{{"groupVersion":"{gv}","version":"v1"}}],"preferredVersion":{{"groupVersion":"{gv}","version":"v1"}}}}"#
        )
    };
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join("servergroups.json"),
        format!(
            r#"{{"kind":"APIGroupList","apiVersion":"v1","groups":[{},{}]}}"#,
            group("", "v1"),
            group("apps", "apps/v1")
        ),
    )
    .unwrap();
    let resources = |gv: &str, list: &[(&str, &str, bool)]| {
        let items: Vec<String> = list
            .iter()
            .map(|(plural, kind, namespaced)| {
                format!(
                    r#"{{"name":"{plural}","singularName":"{}","namespaced":{namespaced},"kind":"{kind}","verbs":["create","delete","get","list","patch","update","watch"]}}"#,
                    kind.to_lowercase()
                )
            })
            .collect();
        let file = cache.join(gv).join("serverresources.json");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(
            file,
            format!(
                r#"{{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"{gv}","resources":[{}]}}"#,
                items.join(",")
            ),
        )
        .unwrap();
    };
    resources(
        "v1",
        &[
            ("pods", "Pod", true),
            ("services", "Service", true),
            ("configmaps", "ConfigMap", true),
            ("secrets", "Secret", true),
            ("serviceaccounts", "ServiceAccount", true),
            ("endpoints", "Endpoints", true),
            ("events", "Event", true),
            ("namespaces", "Namespace", false),
            ("nodes", "Node", false),
        ],
    );
    resources(
        "apps/v1",
        &[
            ("deployments", "Deployment", true),
            ("replicasets", "ReplicaSet", true),
        ],
    );
    Some(dir)
}
