//! Transcript tests: every `tests/transcripts/*.txt` at the workspace root is the exact output
//! of `kubeplay run --echo` over its own `$` lines (seed 1, unless the first line is
//! `$ # seed=N`). Files beside the transcripts are readable by the session, read-only.
//! `UPDATE_EXPECT=1 cargo test -p kubeplay-cli --test transcripts` rewrites them.

use kubeplay_shell::fs::{FileSource, Vfs};
use kubeplay_shell::script::{commands_of, transcript};
use kubeplay_shell::Session;
use std::path::{Path, PathBuf};

struct Dir(PathBuf);

impl FileSource for Dir {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let p = self.0.join(path);
        p.is_file().then(|| std::fs::read(p).ok()).flatten()
    }
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts")
}

fn seed_of(text: &str) -> u64 {
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("$ # seed="))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(1)
}

fn run_one(path: &Path) -> (String, String) {
    let expected = std::fs::read_to_string(path).expect("readable transcript");
    let mut s = Session::with_fs(seed_of(&expected), Vfs::with_source(Box::new(Dir(dir()))));
    let actual = transcript(&mut s, &commands_of(&expected));
    (expected, actual)
}

#[test]
fn transcripts() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/transcripts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no transcripts found");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let mut lines = 0;
    for p in &paths {
        let (expected, actual) = run_one(p);
        lines += commands_of(&expected).lines().count();
        if expected != actual {
            if update {
                std::fs::write(p, &actual).expect("writable");
            } else {
                failures.push(format!("{}:\n{}", p.display(), diff(&expected, &actual)));
            }
        }
    }
    eprintln!("{} transcripts, {} command lines", paths.len(), lines);
    assert!(
        failures.is_empty(),
        "{} transcript(s) differ (UPDATE_EXPECT=1 to rewrite):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The first differing line and some context.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let i = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let from = i.saturating_sub(3);
    let mut s = String::new();
    for l in &e[from..i] {
        s.push_str(&format!("   {l}\n"));
    }
    for l in e.iter().skip(i).take(4) {
        s.push_str(&format!(" - {l}\n"));
    }
    for l in a.iter().skip(i).take(4) {
        s.push_str(&format!(" + {l}\n"));
    }
    s
}
