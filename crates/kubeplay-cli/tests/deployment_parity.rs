//! `kubectl create deployment ... --dry-run=client -o yaml|json|name` next to the real kubectl
//! (/usr/bin/kubectl, v1.32.4): the same command line, the same bytes on stdout and stderr.
//! Skipped when no kubectl is installed.

use std::path::Path;
use std::process::Command;

const KUBECTL: &str = "/usr/bin/kubectl";

fn kubectl(dir: &Path, args: &[&str]) -> (String, String) {
    let home = dir.join(".home");
    std::fs::create_dir_all(&home).unwrap();
    let o = Command::new(KUBECTL)
        .args(args)
        .current_dir(dir)
        .env("HOME", &home)
        .env_remove("KUBECONFIG")
        .output()
        .expect("kubectl runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn kubeplay(dir: &Path, args: &[&str]) -> (String, String) {
    let line: Vec<String> = std::iter::once("kubectl".to_string())
        .chain(
            args.iter()
                .map(|a| format!("'{}'", a.replace('\'', "'\\''"))),
        )
        .collect();
    let script = dir.join(".script.sh");
    std::fs::write(&script, format!("{}\n", line.join(" "))).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(["run", ".script.sh"])
        .current_dir(dir)
        .output()
        .expect("kubeplay runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn create_deployment_dry_run_matches_kubectl() {
    if !Path::new(KUBECTL).exists() {
        eprintln!("skipped: no {KUBECTL}");
        return;
    }
    let dir = std::env::temp_dir().join(format!("kubeplay-deploy-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: &[&[&str]] = &[
        &[
            "create",
            "deployment",
            "nginx-deployment",
            "--image=nginx:1.14.2",
            "--replicas=3",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "create",
            "deployment",
            "web",
            "--image=nginx:1.14.2",
            "--port=80",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--image=busybox",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "create",
            "deployment",
            "frontend",
            "--image=kodekloud/webapp-color:v1",
            "-r",
            "4",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "create",
            "deployment",
            "web",
            "--image=busybox",
            "--dry-run=client",
            "-o",
            "yaml",
            "--",
            "sleep",
            "3600",
        ],
        &[
            "create",
            "deployment",
            "web",
            "--image=nginx:1.14.2",
            "--port=80",
            "--dry-run=client",
            "-o",
            "json",
        ],
        &[
            "create",
            "deployment",
            "web",
            "--image=nginx:1.14.2",
            "--dry-run=client",
            "-o",
            "name",
        ],
        &[
            "create",
            "deployment",
            "web",
            "--image=nginx:1.14.2",
            "--dry-run=client",
        ],
        &[
            "create",
            "deployment",
            "web",
            "--image=localhost:5000/app:v2",
            "--replicas=0",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
    ];
    let mut failures = Vec::new();
    for args in cases {
        let want = kubectl(&dir, args);
        let got = kubeplay(&dir, args);
        if want != got {
            failures.push(format!(
                "kubectl {}\n--- kubectl\n{}{}--- kubeplay\n{}{}",
                args.join(" "),
                want.0,
                want.1,
                got.0,
                got.1
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
