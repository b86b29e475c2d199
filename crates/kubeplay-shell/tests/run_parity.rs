//! `kubectl run --dry-run=client -o yaml` byte for byte against the real kubectl 1.32, less
//! what 1.34 no longer prints ([`since_1_34`]). `run`
//! asks the server for discovery even in a client dry run, so the test serves the three
//! discovery documents from a tiny local HTTP server. Skips when /usr/bin/kubectl is absent.

mod common {
    pub mod session;
    pub mod since_1_34;
}
use common::session::{kubectl_line, run_line};
use common::since_1_34::since_1_34;
use kubeplay_shell::Session;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

const KUBECTL: &str = "/usr/bin/kubectl";

/// Serve `/api`, `/apis` and `/api/v1` until the test process ends; returns the port.
fn discovery_server() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]).to_string();
            let path = req
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .split('?')
                .next()
                .unwrap_or("/")
                .to_string();
            let body = match path.as_str() {
                "/api" => {
                    r#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]}"#
                }
                "/apis" => r#"{"kind":"APIGroupList","apiVersion":"v1","groups":[]}"#,
                "/api/v1" => {
                    r#"{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["po"]}]}"#
                }
                _ => "",
            };
            let status = if body.is_empty() {
                "404 Not Found"
            } else {
                "200 OK"
            };
            let _ = write!(s, "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    port
}

fn real(port: u16, args: &[&str]) -> (String, String) {
    let home = std::env::temp_dir().join(format!("kubeplay-run-parity-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&home);
    let out = Command::new(KUBECTL)
        .arg("-s")
        .arg(format!("http://127.0.0.1:{port}"))
        .args(args)
        .env("HOME", &home)
        .env("KUBECONFIG", home.join("none"))
        .output()
        .expect("kubectl runs");
    (
        since_1_34(&String::from_utf8_lossy(&out.stdout)),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ours(args: &[&str]) -> (String, String) {
    run_line(&mut Session::new(1), &kubectl_line(args))
}

#[test]
fn run_dry_run_yaml_matches_kubectl() {
    if !std::path::Path::new(KUBECTL).exists() {
        eprintln!("skipping: no {KUBECTL}");
        return;
    }
    let port = discovery_server();
    let cases: &[&[&str]] = &[
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "run",
            "b",
            "--image=busybox",
            "--restart=Never",
            "--env=A=1",
            "--env=B=2",
            "--port=80",
            "--labels=app=x,tier=y",
            "--dry-run=client",
            "-o",
            "yaml",
            "--",
            "sleep",
            "3600",
        ],
        &[
            "run",
            "c",
            "--image=busybox",
            "--command",
            "--dry-run=client",
            "-o",
            "yaml",
            "--",
            "sh",
            "-c",
            "echo hi",
        ],
        &[
            "run",
            "ubuntu-sleeper",
            "--image=ubuntu-sleeper",
            "--restart=OnFailure",
            "--dry-run=client",
            "-o",
            "yaml",
            "--",
            "10",
        ],
        &[
            "run",
            "d",
            "--image=nginx:1.16.1",
            "-n",
            "dev",
            "--image-pull-policy=IfNotPresent",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &["run", "e", "--image=busybox", "--dry-run=client"],
        &[
            "run",
            "e",
            "--image=busybox",
            "--dry-run=client",
            "-o",
            "name",
        ],
        &[
            "run",
            "quiet",
            "--image=busybox",
            "--overrides={\"spec\":{\"automountServiceAccountToken\":false,\"serviceAccountName\":\"builder\",\"dnsPolicy\":null}}",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "run",
            "s",
            "--image=busybox",
            "--override-type=strategic",
            "--overrides={\"spec\":{\"containers\":[{\"name\":\"s\",\"stdin\":true}]}}",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "run",
            "j",
            "--image=busybox",
            "--override-type=json",
            "--overrides=[{\"op\":\"add\",\"path\":\"/metadata/labels/extra\",\"value\":\"1\"}]",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
    ];
    for c in cases {
        let (want, _) = real(port, c);
        let (got, err) = ours(c);
        assert_eq!(got, want, "kubectl {c:?} (our stderr: {err})");
    }
    // Errors: ours follow upstream's lowercase `error:` lines.
    let errs: &[(&[&str], &str)] = &[
        (
            &["run", "g", "--image=x", "--restart=Foo", "--dry-run=client"],
            "error: invalid restart policy: Foo\nSee 'kubectl run -h' for help and examples\n",
        ),
        (
            &["run", "g", "--image=x", "--port=abc", "--dry-run=client"],
            "error: strconv.Atoi: parsing \"abc\": invalid syntax\n",
        ),
        (
            &["run", "g", "--image=x", "--env=FOO", "--dry-run=client"],
            "error: invalid env: FOO\n",
        ),
        (
            &["run", "g", "--image=x", "--overrides={", "--dry-run=client"],
            "error: Invalid JSON Patch\n",
        ),
        (
            &[
                "run",
                "g",
                "--image=x",
                "--overrides={}",
                "--override-type=x",
                "--dry-run=client",
            ],
            "error: invalid override type: x\n",
        ),
        (
            &["run", "g", "--image=x", "--labels=bad", "--dry-run=client"],
            "error: unexpected label spec: bad\n",
        ),
        (
            &["run", "g", "--image=x", "--labels==x", "--dry-run=client"],
            "error: unexpected empty label key\n",
        ),
    ];
    for (c, want) in errs {
        let (_, real_err) = real(port, c);
        assert_eq!(&real_err, want, "real kubectl {c:?}");
        let (_, err) = ours(c);
        assert_eq!(&err, want, "kubectl {c:?}");
    }
}
