//! Robustness: the commands of every transcript, and of the manifests beside them, mutated at
//! random (characters dropped, doubled or replaced by shell and YAML punctuation, lines cut
//! short or repeated) and run in a fresh session. Whatever the input, nothing may panic and
//! every script must finish: bad input gets an error message, never a crash or a hang.
//! `MUTATIONS=N` sets how many mutants per transcript (default 12).

use kubeplay_shell::fs::{FileSource, Vfs};
use kubeplay_shell::script::{commands_of, transcript};
use kubeplay_shell::Session;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Transcript files, read-only, with manifests mutated by the same seed as the script.
struct Mutated {
    dir: PathBuf,
    seed: u64,
}

impl FileSource for Mutated {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let p = self.dir.join(path);
        let text = std::fs::read_to_string(p).ok()?;
        Some(mutate(&text, self.seed ^ 0x9e37_79b9).into_bytes())
    }
}

/// xorshift64*: enough randomness for mutations, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const NOISE: &[char] = &[
    '\'', '"', '$', '|', '&', ';', '(', ')', '{', '}', '[', ']', '<', '>', '=', ':', '-', ' ',
    '\t', '\\', '*', '?', '#', '`', '!', '%', '0', '9', 'a', 'Z', '\n', '/', '.', ',', '한',
];

/// A few edits to a few lines.
fn mutate(text: &str, seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    if lines.is_empty() {
        return String::new();
    }
    for _ in 0..1 + rng.below(3) {
        let i = rng.below(lines.len());
        let mut chars: Vec<char> = lines[i].chars().collect();
        let at = rng.below(chars.len() + 1);
        match rng.below(6) {
            0 if at < chars.len() => {
                let n = 1 + rng.below(4);
                chars.drain(at..(at + n).min(chars.len()));
            }
            1 => chars.insert(at, NOISE[rng.below(NOISE.len())]),
            2 if at < chars.len() => chars[at] = NOISE[rng.below(NOISE.len())],
            3 => chars.truncate(at),
            4 => {
                let copy = lines[i].clone();
                lines.insert(i, copy);
                continue;
            }
            _ if at < chars.len() => {
                let c = chars[at];
                chars.insert(at, c);
            }
            _ => chars.push(NOISE[rng.below(NOISE.len())]),
        }
        lines[i] = chars.into_iter().collect();
    }
    lines.join("\n") + "\n"
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts")
}

/// Run one mutant on its own thread; `Err` with the reason when it panics or takes too long.
fn survive(script: String, seed: u64) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| {
            let fs = Vfs::with_source(Box::new(Mutated { dir: dir(), seed }));
            let mut s = Session::with_fs(seed, fs);
            transcript(&mut s, &script);
        });
        let _ = tx.send(r.is_ok());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(true) => Ok(()),
        Ok(false) => Err("panicked".into()),
        Err(_) => Err("did not finish in 60 s".into()),
    }
}

/// kubectl lines made of words taken from anywhere in the transcripts, in any order: verbs
/// with the wrong kinds, flags with other verbs' values, half a JSONPath.
fn token_soup(words: &[&str], seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut out = String::new();
    for _ in 0..8 {
        out.push_str("kubectl");
        for _ in 0..1 + rng.below(6) {
            out.push(' ');
            out.push_str(words[rng.below(words.len())]);
        }
        out.push('\n');
    }
    out
}

#[test]
fn kubectl_token_soup_never_panics_or_hangs() {
    let mut text = String::new();
    for e in std::fs::read_dir(dir())
        .expect("tests/transcripts exists")
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "txt") {
            text.push_str(&commands_of(
                &std::fs::read_to_string(e.path()).expect("readable"),
            ));
        }
    }
    let mut words: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("kubectl "))
        .flat_map(|l| l.split_whitespace())
        .filter(|w| !w.contains(['\'', '"', '|', '<', '>', '$', '`']))
        .collect();
    words.sort();
    words.dedup();
    let n: u64 = std::env::var("MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12)
        * 20;
    let failures: Vec<String> = (0..n)
        .filter_map(|seed| {
            let script = token_soup(&words, seed + 7);
            survive(script.clone(), seed)
                .err()
                .map(|why| format!("seed {seed} {why}:\n{script}"))
        })
        .collect();
    eprintln!("{n} scripts of {} words", words.len());
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[test]
fn mutated_transcripts_never_panic_or_hang() {
    let per_file: u64 = std::env::var("MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/transcripts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut runs = 0;
    for p in &paths {
        let commands = commands_of(&std::fs::read_to_string(p).expect("readable"));
        for k in 0..per_file {
            let seed = (runs as u64 + 1) * 0x1000_0001 + k;
            let script = mutate(&commands, seed);
            runs += 1;
            if let Err(why) = survive(script.clone(), seed) {
                failures.push(format!(
                    "{} mutant {k} (seed {seed}) {why}:\n{script}",
                    p.display()
                ));
            }
        }
    }
    eprintln!("{runs} mutants of {} transcripts", paths.len());
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}
