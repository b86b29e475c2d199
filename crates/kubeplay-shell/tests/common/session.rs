//! A kubeplay session driven the way these tests drive it: one command line at a time.

use kubeplay_shell::{Session, Stream};

/// `kubectl ARGS`, each argument single-quoted for the shell.
#[allow(dead_code)] // not every test builds kubectl lines
pub fn kubectl_line(args: &[&str]) -> String {
    std::iter::once("kubectl".to_string())
        .chain(
            args.iter()
                .map(|a| format!("'{}'", a.replace('\'', "'\\''"))),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

/// Feed one line, run it to the end, and return what it printed: (stdout, stderr).
pub fn run_line(s: &mut Session, line: &str) -> (String, String) {
    s.feed_line(line);
    s.run_until_idle();
    let (mut out, mut err) = (String::new(), String::new());
    for c in s.take_output() {
        match c.stream {
            Stream::Out => out.push_str(&c.text),
            Stream::Err => err.push_str(&c.text),
        }
    }
    (out, err)
}
