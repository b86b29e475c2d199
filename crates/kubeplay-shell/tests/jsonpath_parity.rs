//! `-o jsonpath` parity with the real kubectl: kubectl runs each template over a dry-run
//! object; our engine, run over the same object's JSON, must print the same bytes (and fail
//! where kubectl fails). Skips when /usr/bin/kubectl is absent.

use kubeplay_shell::print::jsonpath::JsonPath;
use std::process::Command;

const KUBECTL: &str = "/usr/bin/kubectl";

fn kubectl(args: &[&str]) -> (bool, String) {
    let home = std::env::temp_dir().join("kubeplay-jsonpath-parity-home");
    let _ = std::fs::create_dir_all(&home);
    let out = Command::new(KUBECTL)
        .args(args)
        .env("HOME", &home)
        .env("KUBECONFIG", home.join("none"))
        .output()
        .expect("kubectl runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

#[test]
fn templates_print_what_kubectl_prints() {
    if !std::path::Path::new(KUBECTL).exists() {
        eprintln!("skipping: no {KUBECTL}");
        return;
    }
    let base = [
        "create",
        "deployment",
        "web",
        "--image=nginx:1.14.2",
        "--image=busybox",
        "--port=80",
        "--replicas=3",
        "--dry-run=client",
    ];
    let mut j = base.to_vec();
    j.extend(["-o", "json"]);
    let (_, json) = kubectl(&j);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let templates = [
        "{.metadata.name}",
        "{.spec.replicas}",
        "{.spec.template.spec.containers[*].name}",
        "{.spec.template.spec.containers[0].image}",
        "{.spec.template.spec.containers[-1].name}",
        "{.spec.template.spec.containers[0:1].name}",
        "{.spec.template.spec.containers[1:].image}",
        "{.spec.template.spec.containers[::2].name}",
        "{.spec.template.spec.containers[0,1].name}",
        "{.spec.template.spec.containers[*]['name','image']}",
        "{..image}",
        "{..containerPort}",
        "{.spec.template.spec.containers[?(@.name==\"busybox\")].image}",
        "{.spec.template.spec.containers[?(@.name!=\"busybox\")].image}",
        "{.spec.template.spec.containers[?(@.ports)].name}",
        "{range .spec.template.spec.containers[*]}{.name}{\"\\t\"}{.image}{\"\\n\"}{end}",
        "{range .spec.template.spec.containers[*]}[{.name}]{end}",
        "name={.metadata.name} kind={.kind}\n",
        "{.metadata.labels}",
        "{.spec.template.spec.containers[0]}",
        "{.spec.selector.matchLabels.app}",
        "{.metadata.creationTimestamp}",
        "{.nope}",
        "{.spec.template.spec.containers[5]}",
        "{.kind[*]}",
        "{.a}{end}",
        "{$.kind}",
        "{@.kind}",
        "plain text",
        "{.metadata.name}{'\\n'}",
    ];
    for t in templates {
        let mut a = base.to_vec();
        let o = format!("jsonpath={t}");
        a.extend(["-o", &o]);
        let (ok, want) = kubectl(&a);
        let ours = JsonPath::parse(t)
            .map_err(|e| e)
            .and_then(|p| p.execute(&v, false).map_err(|e| e.0));
        match ours {
            Ok(got) => {
                assert!(ok, "kubectl failed but we printed {got:?} for {t}");
                assert_eq!(got, want, "template {t}");
            }
            Err(e) => assert!(!ok, "we failed ({e}) but kubectl printed {want:?} for {t}"),
        }
    }
}
