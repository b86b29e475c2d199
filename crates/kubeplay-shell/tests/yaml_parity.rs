//! `-o yaml` parity with the real kubectl: kubectl prints the same object as JSON and as YAML;
//! our emitter, fed kubectl's JSON, must print kubectl's YAML byte for byte. Skips when
//! /usr/bin/kubectl is absent.

use kubeplay_shell::print::yaml::to_yaml;
use std::process::Command;

const KUBECTL: &str = "/usr/bin/kubectl";

fn kubectl(args: &[String]) -> Option<String> {
    let home = std::env::temp_dir().join("kubeplay-yaml-parity-home");
    let _ = std::fs::create_dir_all(&home);
    let out = Command::new(KUBECTL)
        .args(args)
        .env("HOME", &home)
        .env("KUBECONFIG", home.join("none"))
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "kubectl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("utf-8"))
}

fn check(base: &[&str]) {
    if !std::path::Path::new(KUBECTL).exists() {
        eprintln!("skipping: no {KUBECTL}");
        return;
    }
    // Flags go first: `run ... -- cmd` takes everything after `--` as the command.
    let with = |o: &str| -> Vec<String> {
        let mut a: Vec<String> = vec![
            base[0].into(),
            "--dry-run=client".into(),
            "-o".into(),
            o.into(),
        ];
        a.extend(base[1..].iter().map(|s| s.to_string()));
        a
    };
    let (j, y) = (with("json"), with("yaml"));
    let (Some(json), Some(yaml)) = (kubectl(&j), kubectl(&y)) else {
        return;
    };
    let v: serde_json::Value = serde_json::from_str(&json).expect("kubectl printed JSON");
    assert_eq!(to_yaml(&v), yaml, "for kubectl {base:?}");
}

#[test]
fn deployment_and_pod_generators() {
    check(&["create", "deployment", "x", "--image=nginx"]);
    check(&[
        "create",
        "deployment",
        "web",
        "--image=nginx:1.14.2",
        "--replicas=3",
        "--port=80",
    ]);
    // (`kubectl run` needs a server even with --dry-run=client in this build.)
    check(&[
        "create",
        "cronjob",
        "c",
        "--image=busybox",
        "--schedule=*/1 * * * *",
        "--",
        "sh",
        "-c",
        "echo hi; sleep 3600",
    ]);
    check(&[
        "create",
        "secret",
        "generic",
        "s",
        "--from-literal=DB_PASSWORD=secret",
    ]);
    check(&["create", "service", "clusterip", "s", "--tcp=80:8080"]);
    check(&["create", "namespace", "dev"]);
}

#[test]
fn configmap_values_that_need_quoting() {
    let long = vec!["word"; 40].join(" ");
    let values: Vec<String> = vec![
        "true".into(),
        "1".into(),
        "1.5".into(),
        "".into(),
        "null".into(),
        "~".into(),
        "yes".into(),
        "off".into(),
        "y".into(),
        "a: b".into(),
        "a:b".into(),
        "- x".into(),
        "-x".into(),
        " lead".into(),
        "trail ".into(),
        "l1\nl2".into(),
        "l1\nl2\n".into(),
        "l1 \nl2".into(),
        "a\n\nb\n\n".into(),
        " x\ny".into(),
        "a\tb".into(),
        "héllo 😀 ünïcode".into(),
        "<a>&".into(),
        "2026-01-01".into(),
        "2026-01-01T10:00:00Z".into(),
        "0x1F".into(),
        "08".into(),
        "1:20".into(),
        "1e3".into(),
        "#x".into(),
        "a #b".into(),
        "'q".into(),
        "\"dq\"".into(),
        "@at".into(),
        "%p".into(),
        "`b".into(),
        "?x".into(),
        "? x".into(),
        ":x".into(),
        "[x]".into(),
        "{x}".into(),
        "*x".into(),
        "&x".into(),
        "!x".into(),
        "|x".into(),
        ">x".into(),
        "x,y".into(),
        "---".into(),
        "...".into(),
        long.clone(),
        format!("'{long}"),
        format!("{long} \nnext"),
        format!("a{}b", " ".repeat(100)),
        format!("{}  {}", "x".repeat(85), "y".repeat(10)),
        format!("\"{}  {}", "x".repeat(85), "y".repeat(10)),
    ];
    let mut args = vec![
        "create".to_string(),
        "configmap".to_string(),
        "tricky".to_string(),
    ];
    for (i, v) in values.iter().enumerate() {
        args.push(format!("--from-literal=k{i}={v}"));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    check(&refs);
}

#[test]
fn generated_strings() {
    // A deterministic sweep over short strings built from the characters that matter to the
    // emitter's decisions.
    let alphabet: Vec<&str> = vec![
        " ", ":", "#", "-", "'", "\"", "\n", "a", "1", ".", "t", "?", "\t", "é", "0", "e", "_",
    ];
    let mut values = Vec::new();
    let mut state: u64 = 0x2545F4914F6CDD1D;
    for _ in 0..400 {
        let mut s = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = 1 + (state % 6) as usize;
        for j in 0..len {
            let idx = ((state >> (j * 5)) % alphabet.len() as u64) as usize;
            s.push_str(alphabet[idx]);
        }
        values.push(s);
    }
    for chunk in values.chunks(100) {
        let mut args = vec![
            "create".to_string(),
            "configmap".to_string(),
            "gen".to_string(),
        ];
        for (i, v) in chunk.iter().enumerate() {
            args.push(format!("--from-literal=k{i}={v}"));
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        check(&refs);
    }
}
