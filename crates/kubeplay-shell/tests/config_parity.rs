//! `kubectl config` (view above all) next to the real kubectl (/usr/bin/kubectl) reading a
//! kubeconfig that holds what kubeplay's holds: the same bytes on stdout and stderr for YAML, JSON,
//! jsonpath and go-template output, `--raw` and `--minify`, in the default namespace and
//! after `config set-context --current --namespace=dev`; the other subcommands' errors.
//! `kubectl config` alone is left out: its help describes kubeplay's one-context kubeconfig.
//! Skipped when no kubectl is installed.

mod common {
    pub mod session;
}
use common::session::{kubectl_line, run_line};
use kubeplay_shell::Session;
use std::process::Command;

const KUBECTL: &str = "/usr/bin/kubectl";

/// kubeplay's kubeconfig as a file, with its namespace line when not `default`.
fn kubeconfig(namespace: Option<&str>) -> String {
    let ns = namespace.map_or(String::new(), |n| format!("    namespace: {n}\n"));
    format!(
        "apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: a3ViZXBsYXk=
    server: https://127.0.0.1:6443
  name: kubeplay
contexts:
- context:
    cluster: kubeplay
{ns}    user: kubeplay
  name: kubeplay
current-context: kubeplay
kind: Config
preferences: {{}}
users:
- name: kubeplay
  user:
    client-certificate-data: a3ViZXBsYXk=
    client-key-data: a3ViZXBsYXk=
"
    )
}

fn real(config: &str, args: &[&str]) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("kubeplay-config-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config");
    std::fs::write(&path, config).unwrap();
    let o = Command::new(KUBECTL)
        .args(args)
        .env_clear()
        .env("HOME", &dir)
        .env("KUBECONFIG", &path)
        .output()
        .expect("kubectl runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn ours(namespace: Option<&str>, args: &[&str]) -> (String, String) {
    let mut s = Session::new(1);
    if let Some(n) = namespace {
        run_line(
            &mut s,
            &format!("kubectl config set-context --current --namespace={n}"),
        );
    }
    run_line(&mut s, &kubectl_line(args))
}

#[test]
fn config_matches_kubectl() {
    if !std::path::Path::new(KUBECTL).exists() {
        eprintln!("skipping: no {KUBECTL}");
        return;
    }
    let cases: &[&[&str]] = &[
        &["config", "view"],
        &["config", "view", "--raw"],
        &["config", "view", "--minify"],
        &["config", "view", "-o", "yaml"],
        &["config", "view", "-o", "json"],
        &["config", "view", "--raw", "-o", "json"],
        &[
            "config",
            "view",
            "-o",
            "jsonpath={.contexts[0].context.namespace}",
        ],
        &["config", "view", "--minify", "-o", "jsonpath={..namespace}"],
        &["config", "view", "-o", "jsonpath={.contexts[*].name}"],
        &["config", "view", "-o", "jsonpath={.users[0].user}"],
        &[
            "config",
            "view",
            "-o",
            "go-template={{.kind}} {{index .clusters 0 \"name\"}}",
        ],
        &[
            "config",
            "view",
            "-o",
            "template",
            "--template={{.apiVersion}}",
        ],
        &["config", "view", "-o", "name"],
        &["config", "view", "-o", "wide"],
        &["config", "view", "--flatten"],
        &["config", "view", "--flatten", "--minify", "-o", "json"],
        &["config", "use-context"],
        &["config", "use", "kubeplay"],
        &["config", "use-context", "nope"],
        &["config", "set-context", "kubeplay", "--current"],
        &["config", "get-contexts"],
        &["config", "get-contexts", "-o", "name"],
        &["config", "current-context"],
        &["config", "veiw"],
        &["config", "foo", "bar"],
    ];
    let mut failures = Vec::new();
    for ns in [None, Some("dev")] {
        let config = kubeconfig(ns);
        for args in cases {
            let want = real(&config, args);
            let got = ours(ns, args);
            if want != got {
                failures.push(format!(
                    "namespace {ns:?}: kubectl {}\n--- kubectl\n{}{}--- kubeplay\n{}{}",
                    args.join(" "),
                    want.0,
                    want.1,
                    got.0,
                    got.1
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
