//! kubectl's client-side behaviour next to the real kubectl (/usr/bin/kubectl, v1.32.4 on the
//! development machines): `--dry-run=client -o yaml|json|name|jsonpath` of `create namespace`
//! and `create service ...`, and flag and usage errors of the verbs kubeplay's front end owns.
//! Same command line, same bytes on stdout and stderr, same exit status. Skipped (passing, with
//! a note) where no kubectl is installed. Every case is checked to run without a server: a case
//! whose real output mentions the connection to the server is a broken case and fails.
//!
//! Normalizations of the real output, each a documented difference of that build or version:
//! * The gcloud "dispatcher" build prints cobra-level errors as `Error: ...` followed by a blank
//!   line, and logs klog lines (`E1126 13:29:15.166351 ... "command failed" ...`,
//!   `W... --dry-run is deprecated`). Upstream kubectl (since 1.24, `cli.RunNoErrOutput` +
//!   `CheckErr`) prints `error: ...` with no blank line and no klog line. We match upstream.
//! * kubeplay is kubectl/Kubernetes 1.34, which prints no `creationTimestamp: null`
//!   ([`since_1_34`]).

mod common {
    pub mod session;
    pub mod since_1_34;
}
use common::session::{kubectl_line, run_line};
use common::since_1_34::since_1_34;
use kubeplay_shell::Session;
use std::process::Command;

const KUBECTL: &str = "/usr/bin/kubectl";

/// Run `kubectl ARGS` in a fresh kubeplay session: (stdout, stderr, status).
fn kubeplay(args: &[&str]) -> (String, String, i32) {
    let mut s = Session::new(1);
    let (out, err) = run_line(&mut s, &kubectl_line(args));
    (out, err, s.last_status)
}

fn is_klog(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 6
        && matches!(b[0], b'E' | b'W' | b'I')
        && b[1..5].iter().all(u8::is_ascii_digit)
        && b[5] == b' '
}

/// Run the real kubectl with an empty HOME: (stdout, stderr, status), normalized as above.
fn real(args: &[&str]) -> (String, String, i32) {
    let home = std::env::temp_dir().join(format!("kubeplay-verbs-parity-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let o = Command::new(KUBECTL)
        .args(args)
        .env_clear()
        .env("HOME", &home)
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("kubectl runs");
    let stdout = since_1_34(&String::from_utf8_lossy(&o.stdout));
    let mut stderr: String = String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| !is_klog(l))
        .map(|l| format!("{l}\n"))
        .collect();
    if let Some(rest) = stderr.strip_prefix("Error: ") {
        stderr = format!("error: {rest}");
        if stderr.ends_with("\n\n") {
            stderr.pop();
        }
    }
    // `lines()` + "\n" adds a newline the real output may not have had.
    let fix = |orig: &[u8], mut s: String| -> String {
        if !orig.ends_with(b"\n") && s.ends_with('\n') {
            s.pop();
        }
        s
    };
    (
        fix(&o.stdout, stdout),
        fix(&o.stderr, stderr),
        o.status.code().unwrap_or(-1),
    )
}

/// The cases: each a kubectl command line that needs no server.
fn cases() -> Vec<Vec<&'static str>> {
    let c = |s: &'static str| -> Vec<&'static str> { s.split(' ').collect() };
    let mut v: Vec<Vec<&str>> = vec![
        // create namespace
        c("create namespace foo --dry-run=client -o yaml"),
        c("create ns foo --dry-run=client -o json"),
        c("create ns foo --dry-run=client"),
        c("create ns foo --dry-run=client -o name"),
        c("create ns My_Ns --dry-run=client -o yaml"),
        c("create namespace --dry-run=client"),
        c("create ns a b --dry-run=client"),
        c("create ns foo --dry-run=client -o wide"),
        c("create ns foo --dry-run=bogus"),
        c("create ns foo --dry-run=true"),
        c("create ns foo --dry-run"),
        c("create ns foo --foo"),
        c("create ns foo -x"),
        c("create ns foo --dry-run=client -o yaml --save-config"),
        c("create ns foo --dry-run=client -n other -o yaml"),
        c("create -n other ns foo --dry-run=client -o name"),
        // create service
        c("create service clusterip web --tcp=80:8080 --dry-run=client -o yaml"),
        c("create svc clusterip web --tcp=80:8080 --tcp=443 --dry-run=client -o yaml"),
        c("create svc clusterip web --tcp=80:8080,81:8081 --dry-run=client -o yaml"),
        c("create service clusterip hl --clusterip=None --dry-run=client -o yaml"),
        c("create service clusterip hl --clusterip=None --tcp=80 --dry-run=client -o yaml"),
        c("create service clusterip fixed --clusterip=10.96.0.50 --tcp=80 --dry-run=client -o yaml"),
        c("create service clusterip web --dry-run=client -o yaml"),
        c("create service nodeport web --tcp=80:8080 --node-port=30080 --dry-run=client -o yaml"),
        c("create service nodeport web --tcp=80 --dry-run=client -o json"),
        c("create service nodeport web --tcp=80 --node-port=abc --dry-run=client"),
        c("create service nodeport web --clusterip=None --tcp=80 --dry-run=client"),
        c("create service loadbalancer lb --tcp=80:8080 --dry-run=client -o yaml"),
        c("create service externalname ext --external-name=db.example.com --dry-run=client -o yaml"),
        c("create service externalname ext --external-name=Bad_Name --dry-run=client"),
        c("create service clusterip web --tcp=abc --dry-run=client"),
        c("create service clusterip web --tcp=70000 --dry-run=client"),
        c("create service clusterip web --tcp=80:http --dry-run=client -o yaml"),
        c("create service clusterip web --tcp=80:0 --dry-run=client"),
        c("create service clusterip web --tcp=80:Bad_Port --dry-run=client"),
        c("create service clusterip web --tcp=80 -n dev --dry-run=client -o yaml"),
        c("create service clusterip web --tcp=80:8080 --dry-run=client -o name"),
        c("create service clusterip web --tcp=80:8080 --dry-run=client"),
        c("create service clusterip --tcp=80"),
        c("create service clusterip a b --tcp=80"),
        c("create svc clusterip web --tcp=80 --dry-run=client -o jsonpath={.spec.ports[0].name}"),
        c("create svc nodeport web --tcp=80 --dry-run=client -o go-template={{.spec.type}}"),
        c("create ns foo --dry-run=client -o jsonpath={.kind}"),
        c("create ns foo --dry-run=client -o template --template={{.metadata.name}}"),
        c("create svc loadbalancer lb --tcp=443:8443 --dry-run=client -o json"),
        c("create svc externalname ext --external-name=x.example.com --tcp=80 --dry-run=client -o yaml"),
        c("create svc nodeport np --tcp=30000:80 --dry-run=client -o name"),
        c("create svc clusterip a --tcp=80 --tcp=80 --dry-run=client -o yaml"),
        c("create svc clusterip a --tcp=80:8080 --dry-run=client -o jsonpath-as-json={.spec.ports}"),
        c("create svc clusterip a --tcp=80:8080 --dry-run=client -o yaml --save-config"),
        c("create svc clusterip a --tcp=80:8080 --dry-run=client -o json --save-config"),
        c("create svc bogus a"),
        c("create svc bogus"),
        c("create svc clusterip x --tcp=80 --dry-run=client -o go-template --template={{.kind}}"),
        // the other generators: since 1.34 none prints `creationTimestamp: null`
        c("create deployment web --image=nginx:1.14.2 --replicas=3 --dry-run=client -o yaml"),
        c("create deployment web --image=nginx --port=80 --dry-run=client -o json"),
        c("create deployment two --image=nginx --image=redis --dry-run=client -o yaml"),
        c("create configmap app-config --from-literal=APP_COLOR=blue --dry-run=client -o yaml"),
        c("create configmap app-config --from-literal=APP_COLOR=blue --dry-run=client -o json"),
        c("create secret generic app-secret --from-literal=DB_Host=mysql --dry-run=client -o yaml"),
        c("create secret generic app-secret --from-literal=DB_Host=mysql --dry-run=client -o json"),
        c("create secret docker-registry reg --docker-username=u --docker-password=p --dry-run=client -o yaml"),
        // groups given an unknown word, and errors found before the server is asked
        c("rollout foo"),
        c("rollout foo bar"),
        c("set foo"),
        c("-n default set bogus deploy/web"),
        c("config foo bar"),
        c("rollout history deployment/a --revision=-2"),
        c("scale --replicas=-1 deployment/a"),
        c("expose"),
        c("describe"),
        // the front end
        c("ge"),
        c("foo"),
        c("aply"),
        c("delet pods"),
        c("crate ns x"),
        c("lable pods x a=b"),
        c("--foo"),
        c("create"),
        c("create foo"),
        c("create -f missing.yaml"),
        // delete
        c("delete"),
        c("delete pod x --now --grace-period=5"),
        c("delete pod x --cascade=bogus"),
        c("delete pod x --grace-period=abc"),
        c("delete pod x --bogus"),
        // label / annotate
        c("label"),
        c("label pods"),
        c("label pods foo"),
        c("label pods foo a=b=c"),
        c("label pods foo a=b a-"),
        c("label a=b"),
        c("label pods foo a=b x"),
        c("label pods foo =b"),
        c("label pods foo a=-b"),
        c("annotate"),
        c("annotate pods"),
        c("annotate pods foo =x"),
        c("annotate pods foo a=1 a-"),
        c("annotate pods foo a=1 b c=2"),
        c("label pods foo a=1 --list -o yaml"),
        c("label pods foo a=1 --local"),
        c("annotate pods foo a=1 --local"),
        c("annotate --local a=1"),
        c("label --local a=1"),
        c("delete pod x --dry-run=bogus"),
        c("wait --for=delete"),
        c("wait --for=condition=Ready"),
        // patch
        c("patch deploy web"),
        c("patch deploy web -p {} --type=foo"),
        c("patch deploy web -p x --patch-file y"),
        c("patch --local deploy web -p {}"),
        // apply / replace / edit / wait
        c("apply"),
        c("apply foo"),
        c("apply -f missing.yaml"),
        c("replace"),
        c("replace foo"),
        c("replace -f missing.yaml"),
        c("edit"),
        c("wait --for=ready pod/x"),
        c("wait pod/x"),
        c("wait pod/x --for=jsonpath={.status.phase}="),
        c("wait pod/x --for=jsonpath=="),
        c("wait pod/x --timeout=30"),
        // discovery and config
        c("version extra"),
        c("version -o xml --client"),
        c("api-resources --sort-by=foo"),
        c("api-resources extra"),
        c("api-versions extra"),
        c("config use-context foo"),
        c("config set-context"),
        c("config get-contexts foo"),
    ];
    v.push(vec!["label", "pods", "foo", "a=b c"]);
    v
}

#[test]
fn verbs_match_the_real_kubectl() {
    if !std::path::Path::new(KUBECTL).exists() {
        eprintln!("note: {KUBECTL} not found; kubectl parity cases skipped");
        return;
    }
    let cases = cases();
    let mut failures = Vec::new();
    for args in &cases {
        let want = real(args);
        if want.1.contains("connection to the server")
            || want.0.contains("connection to the server")
        {
            failures.push(format!(
                "case needs a server, pick another: kubectl {}",
                args.join(" ")
            ));
            continue;
        }
        let got = kubeplay(args);
        if got != want {
            failures.push(format!(
                "kubectl {}\n--- real (status {})\n{}{}--- kubeplay (status {})\n{}{}",
                args.join(" "),
                want.2,
                want.0,
                want.1,
                got.2,
                got.0,
                got.1
            ));
        }
    }
    eprintln!(
        "kubectl parity: {} of {} cases byte-identical",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
