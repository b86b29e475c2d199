//! `kubectl create deployment ... --dry-run=client -o yaml|json|name` next to the real kubectl
//! (/usr/bin/kubectl, v1.32.4): the same command line, the same bytes on stdout and stderr.
//! Skipped when no kubectl is installed.

mod parity;

use parity::{compare, have_kubectl, Dir};

#[test]
fn create_deployment_dry_run_matches_kubectl() {
    if !have_kubectl() {
        return;
    }
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
    compare(&Dir::new("deploy"), cases);
}
