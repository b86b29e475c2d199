//! The `kubeplay` binary as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

fn kubeplay(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs")
}

fn fixture() -> tempdir::Dir {
    let d = tempdir::Dir::new();
    std::fs::write(
        d.path().join("nginx.yaml"),
        include_str!("../../../tests/transcripts/nginx-deployment.yaml"),
    )
    .unwrap();
    std::fs::write(
        d.path().join("script.sh"),
        "kubectl apply -f nginx.yaml\nsleep 10\nkubectl get deploy,rs,pods\n",
    )
    .unwrap();
    d
}

/// A scratch directory, removed on drop (no extra dependency for one helper).
mod tempdir {
    use std::path::{Path, PathBuf};
    pub struct Dir(PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let p = std::env::temp_dir().join(format!(
                "kubeplay-cli-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ));
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_names() {
    let d = fixture();
    let a = kubeplay(&["run", "--seed", "7", "--echo", "script.sh"], d.path());
    let b = kubeplay(&["run", "--seed", "7", "--echo", "script.sh"], d.path());
    let c = kubeplay(&["run", "--seed", "8", "--echo", "script.sh"], d.path());
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let text = String::from_utf8(a.stdout).unwrap();
    assert!(
        text.contains("deployment.apps/nginx-deployment   3/3     3            3           10s"),
        "{text}"
    );
    assert_eq!(
        text.matches("   1/1     Running   0          10s").count(),
        3,
        "{text}"
    );
    let pods = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("pod/"))
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .collect()
    };
    let (pa, pc) = (pods(&text), pods(&String::from_utf8(c.stdout).unwrap()));
    assert_eq!(pa.len(), 3);
    assert_ne!(pa, pc, "another seed gives other pod suffixes");
    // The ReplicaSet's hash depends on the template only, not on the seed.
    let rs = |p: &str| p.rsplit_once('-').unwrap().0.to_string();
    assert_eq!(rs(&pa[0]), rs(&pc[0]));
}

#[test]
fn without_echo_streams_are_separate_and_status_is_zero() {
    let d = fixture();
    std::fs::write(
        d.path().join("bad.sh"),
        "kubectl get nothing\nkubectl get pods\n",
    )
    .unwrap();
    let o = kubeplay(&["run", "bad.sh"], d.path());
    assert!(
        o.status.success(),
        "the script ran, whatever its commands did"
    );
    assert_eq!(String::from_utf8_lossy(&o.stderr), "error: the server doesn't have a resource type \"nothing\"\nNo resources found in default namespace.\n");
    assert!(o.stdout.is_empty());
}

#[test]
fn stdin_script() {
    let d = fixture();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .args(["run", "-"])
        .current_dir(d.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"kubectl apply -f nginx.yaml\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "deployment.apps/nginx-deployment created\n"
    );
}

#[test]
fn unreadable_file_is_the_only_failure() {
    let d = fixture();
    let o = kubeplay(&["run", "missing.sh"], d.path());
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("kubeplay: cannot read missing.sh"));
}

#[test]
fn scripts_cannot_write_the_working_directory() {
    let d = fixture();
    std::fs::write(
        d.path().join("w.sh"),
        "echo hi > out.txt\necho bye > nginx.yaml\n",
    )
    .unwrap();
    let before: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    kubeplay(&["run", "w.sh"], d.path());
    let after: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before.len(), after.len());
    let nginx = std::fs::read_to_string(d.path().join("nginx.yaml")).unwrap();
    assert!(
        nginx.starts_with("apiVersion: apps/v1"),
        "the file on disk is untouched"
    );
}
