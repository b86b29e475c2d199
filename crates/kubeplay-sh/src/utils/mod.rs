//! The utilities a shell finds on its PATH, over the virtual filesystem, with GNU coreutils'
//! output and error wording.

mod awk;
pub(crate) mod basic;
mod difftool;
mod expr;
mod files;
mod jq;
mod text;

use crate::vfs::Vfs;
use crate::Io;
pub(crate) use basic::strftime;

/// How a utility ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Exit(i32),
    /// `tail -f`: keep printing what is appended to `path`, from `offset`, until interrupted.
    Follow {
        path: String,
        offset: usize,
    },
}

/// What a utility gets to work with.
pub struct Cx<'a> {
    pub args: &'a [String],
    pub io: &'a mut Io,
    pub fs: &'a mut Vfs,
    /// Unix time in milliseconds.
    pub now_ms: i64,
    /// Busybox's applets rather than GNU coreutils (an `ash` in a busybox or Alpine
    /// container): the same programs, some with their own error wording.
    pub busybox: bool,
}

impl Cx<'_> {
    /// The utility's standard input, as bytes (empty at a terminal).
    pub fn stdin(&mut self) -> Vec<u8> {
        self.io.stdin.take().unwrap_or_default()
    }
    pub fn path(&self, p: &str) -> String {
        crate::vfs::resolve(&self.io.cwd, p)
    }
    /// The contents of the named files, or stdin for none or `-`; errors printed as
    /// `name: file: reason` (busybox's `cat` and `tail`, which open with `open_or_warn`:
    /// `name: can't open 'file': reason`). Returns (data per input, had an error).
    pub fn inputs(&mut self, name: &str, files: &[String]) -> (Vec<(String, Vec<u8>)>, bool) {
        let mut v = Vec::new();
        let mut bad = false;
        if files.is_empty() {
            let d = self.stdin();
            return (vec![("-".into(), d)], false);
        }
        for f in files {
            if f == "-" {
                let d = self.stdin();
                v.push(("-".into(), d));
                continue;
            }
            match self.fs.read_file(&self.path(f)) {
                Ok(d) => v.push((f.clone(), d)),
                Err(e) if self.busybox && matches!(name, "cat" | "tail") => {
                    self.io
                        .err(format!("{name}: can't open '{f}': {}\n", e.text()));
                    bad = true;
                }
                Err(e) => {
                    self.io.err(format!("{name}: {f}: {}\n", e.text()));
                    bad = true;
                }
            }
        }
        (v, bad)
    }
}

type Util = fn(&mut Cx) -> Outcome;

fn find(name: &str) -> Option<Util> {
    [basic::TABLE, files::TABLE, text::TABLE]
        .iter()
        .flat_map(|t| t.iter())
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}

/// Whether there is a utility called `name`.
pub fn exists(name: &str) -> bool {
    find(name).is_some()
}

/// Run `argv[0]` (busybox's applet when `busybox`), or `None` when there is no such
/// utility.
pub fn run(
    argv: &[String],
    io: &mut Io,
    fs: &mut Vfs,
    now_ms: i64,
    busybox: bool,
) -> Option<Outcome> {
    let f = find(&argv[0])?;
    let mut cx = Cx {
        args: &argv[1..],
        io,
        fs,
        now_ms,
        busybox,
    };
    Some(f(&mut cx))
}

/// `Outcome::Exit` shorthand.
pub(crate) fn exit(code: i32) -> Outcome {
    Outcome::Exit(code)
}

/// GNU ls's column layout for 80 columns (exposed for tests).
#[doc(hidden)]
pub fn columns_for_test(names: &[String]) -> String {
    files::columns(names, 80)
}
