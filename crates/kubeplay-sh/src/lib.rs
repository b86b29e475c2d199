//! The shell language kubeplay speaks, both at the learner's prompt and inside simulated
//! containers (`sh -c '...'`): a lexer and parser for the bash subset people type, a
//! resumable interpreter, a virtual filesystem and the coreutils that go with it.
//!
//! The crate does no IO and knows nothing of browsers or clusters. Whatever is not a shell
//! builtin or a utility of its own (kubectl, wget, a container's server) is run by the
//! [`Host`], which may take virtual time to finish.
//!
//! # Driving a process
//!
//! Execution state lives in explicit frames, not on the Rust stack, so a script can stop in
//! the middle of `sleep 5 && kubectl get pods` and carry on later:
//!
//! ```
//! use kubeplay_sh::{Host, Io, Out, Proc, Shell, Status, Step, Handle, Millis, Vfs};
//!
//! struct Clock { now: Millis, fs: Vfs }
//! impl Host for Clock {
//!     fn fs(&mut self) -> &mut Vfs { &mut self.fs }
//!     fn now(&self) -> Millis { self.now }
//!     // Commands the host runs itself; `Step::Wait(handle)` for ones that take time.
//!     fn run(&mut self, _argv: &[String], _io: &mut Io) -> Step { Step::NotFound }
//!     fn poll(&mut self, _h: Handle, _io: &mut Io) -> Option<i32> { Some(0) }
//! }
//!
//! let mut host = Clock { now: 0, fs: Vfs::default() };
//! let mut proc = Proc::parse("echo start; sleep 10 && echo done", Shell::new("sh")).unwrap();
//! let mut out = Out::default();
//! assert_eq!(proc.step(&mut host, &mut out), Status::Blocked);
//! assert_eq!(proc.wake_at(&host), Some(10_000)); // virtual ms: when to step it again
//! host.now = 10_000;
//! assert_eq!(proc.step(&mut host, &mut out), Status::Exited(0));
//! assert_eq!(out.stdout_text(), "start\ndone\n");
//! ```
//!
//! A host steps a process whenever something it might wait for has changed (its own
//! [`Host::wake_at`] times, the process's [`Proc::wake_at`]). Each `step` call runs at most
//! [`STEP_BUDGET`] commands without blocking; past that, the process is stopped with
//! `kubeplay: script stopped after 100000 steps without waiting` and status 124, so
//! `while true; do :; done` cannot hang the page.

pub mod arith;
pub mod ast;
mod cond;
pub mod diff;
mod dynamic;
pub mod expand;
pub mod glob;
mod interp;
pub mod parse;
pub mod utils;
pub mod vfs;
mod watch;

pub use interp::{Proc, Status, MAX_PROC_DEPTH, STEP_BUDGET};
pub use parse::{parse, ParseError};

pub use vfs::{FileSource, FsError, Vfs};

use kubeplay_sort::Collect as _;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Milliseconds of virtual time.
pub type Millis = u64;

/// The longest string the shell builds (a word, a variable, one printf's or seq's output):
/// 16 MiB. Past it the shell says what bash says when memory runs out, instead
/// of taking the page's memory (`x=$x$x` forty times is a terabyte).
pub const MAX_STRING: usize = 16 << 20;

/// How bash's complaint when memory runs out begins.
pub const OUT_OF_MEMORY: &str = "xrealloc: cannot allocate";

/// Bash's complaint when an allocation of `n` bytes fails.
pub fn out_of_memory(n: usize) -> String {
    format!("{OUT_OF_MEMORY} {} bytes", n + 1)
}

/// 2026-01-01T00:00:00Z, the Unix time at virtual time 0 (kubeplay's simulation epoch).
pub const EPOCH_UNIX_SECONDS: i64 = 1_767_225_600;

/// A command the host is running that has not finished yet; the host picks the numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Handle(pub u64);

/// What became of a command the host was asked to run.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    Exit(i32),
    /// Still running: the interpreter will [`Host::poll`] it.
    Wait(Handle),
    /// The host has no such command; the shell looks further (its utilities, then
    /// `command not found`).
    NotFound,
}

/// What a process runs on: its files, its clock, and the commands beyond the shell's own.
pub trait Host {
    fn fs(&mut self) -> &mut Vfs;
    /// Virtual time now.
    fn now(&self) -> Millis;
    /// Unix time in milliseconds (for `date` and file times).
    fn unix_ms(&self) -> i64 {
        EPOCH_UNIX_SECONDS * 1000 + self.now() as i64
    }
    /// Whether the host runs `name` (for `which` and `type`). The shell asks the host before
    /// its own utilities, so a host can override one (a container's `wget`).
    fn has_command(&self, _name: &str) -> bool {
        false
    }
    /// Whether the machine has a program called `name` at all: a container has what its
    /// image has, so a name it lacks is `not found` there even where the shell has a utility
    /// of that name (`jq` in busybox). The controlplane has every one.
    fn has_program(&self, _name: &str) -> bool {
        true
    }
    /// Run a command. `io` carries stdin, the working directory and the exported
    /// environment; output written to it is routed through the command's redirections.
    fn run(&mut self, argv: &[String], io: &mut Io) -> Step;
    /// Check on a waiting command; `Some(status)` when it has finished.
    fn poll(&mut self, h: Handle, io: &mut Io) -> Option<i32>;
    /// When a waiting command wants to be polled even if nothing else happens.
    fn wake_at(&self, _h: Handle) -> Option<Millis> {
        None
    }
    /// The command is no longer wanted (Ctrl+C, or its script was stopped).
    fn cancel(&mut self, _h: Handle) {}
    /// The shell process this host runs was replaced by `argv` (`exec`, or the last command of
    /// a `-c` string): what the host's process list shows for it from now on.
    fn replaced_by(&mut self, _argv: &[String]) {}
}

/// Output in the order it was written: (fd, bytes), fd 1 or 2.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Out {
    pub chunks: Vec<(u32, Vec<u8>)>,
}

impl Out {
    pub fn write(&mut self, fd: u32, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((f, d)) if *f == fd => d.extend_from_slice(data),
            _ => self.chunks.push((fd, data.to_vec())),
        }
    }
    pub fn out(&mut self, s: impl AsRef<[u8]>) {
        self.write(1, s.as_ref())
    }
    pub fn err(&mut self, s: impl AsRef<[u8]>) {
        self.write(2, s.as_ref())
    }
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }
    pub fn take(&mut self) -> Vec<(u32, Vec<u8>)> {
        std::mem::take(&mut self.chunks)
    }
    /// Everything written to fd 1, as text.
    pub fn stdout_text(&self) -> String {
        self.text_of(1)
    }
    /// Everything written to fd 2, as text.
    pub fn stderr_text(&self) -> String {
        self.text_of(2)
    }
    fn text_of(&self, fd: u32) -> String {
        let mut v = Vec::new();
        for (f, d) in &self.chunks {
            if *f == fd {
                v.extend_from_slice(d);
            }
        }
        String::from_utf8_lossy(&v).into_owned()
    }
    /// Both streams interleaved, as a terminal shows them.
    pub fn all_text(&self) -> String {
        let v: Vec<u8> = self
            .chunks
            .iter()
            .flat_map(|(_, d)| d.iter().copied())
            .collect();
        String::from_utf8_lossy(&v).into_owned()
    }
}

/// A command's standard streams and process context.
#[derive(Clone, Debug, Default)]
pub struct Io {
    /// Standard input, when something is piped or redirected in; `None` at a terminal.
    pub stdin: Option<Vec<u8>>,
    /// The working directory (absolute).
    pub cwd: String,
    /// The exported environment.
    pub env: BTreeMap<String, String>,
    pub out: Out,
    /// Standard output goes straight to the terminal (`ls` then prints columns).
    pub stdout_tty: bool,
}

impl Io {
    pub fn out(&mut self, s: impl AsRef<[u8]>) {
        self.out.out(s)
    }
    pub fn err(&mut self, s: impl AsRef<[u8]>) {
        self.out.err(s)
    }
}

#[derive(Clone, Debug)]
struct Var {
    value: String,
    exported: bool,
    /// `readonly`, `declare -r`: no assignment, `export NAME=...` or `unset` changes it.
    readonly: bool,
    /// An array's elements; `value` is then unused (`$a` is `${a[0]}`).
    array: Option<Array>,
}

/// A bash array: indexed (sparse, by index) or associative (`declare -A`).
#[derive(Clone, Debug)]
enum Array {
    Indexed(BTreeMap<i64, String>),
    Assoc(Assoc),
}

/// An associative array's elements, listed in bash's order: by bucket of its 1024-bucket
/// hash table (FNV-1 of the key), the newest first within a bucket.
#[derive(Clone, Debug, Default)]
struct Assoc {
    map: BTreeMap<String, (u64, String)>,
    added: u64,
}

impl Assoc {
    fn get(&self, k: &str) -> Option<&String> {
        self.map.get(k).map(|(_, v)| v)
    }
    fn slot(&mut self, k: &str) -> &mut String {
        if !self.map.contains_key(k) {
            self.added += 1;
            self.map.insert(k.to_string(), (self.added, String::new()));
        }
        &mut self.map.get_mut(k).expect("inserted above").1
    }
    fn insert(&mut self, k: &str, v: String) {
        *self.slot(k) = v;
    }
    fn remove(&mut self, k: &str) {
        self.map.remove(k);
    }
    fn iter(&self) -> Vec<(&String, &String)> {
        let bucket = |k: &str| {
            k.bytes().fold(2_166_136_261u32, |h, b| {
                h.wrapping_mul(16_777_619) ^ b as u32
            }) & 1023
        };
        let mut v: Vec<_> = self.map.iter().collect();
        v.sort_by_key(|(k, (added, _))| (bucket(k), std::cmp::Reverse(*added)));
        v.into_iter().map(|(k, (_, v))| (k, v)).collect()
    }
}

/// A variable's value as `set` and `declare -p` show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    Scalar(String),
    /// An array: `([0]="a" [1]="b")`.
    Compound(String),
}

/// Which element of an array: an index (negative counts from the end) or a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elem {
    Index(i64),
    Key(String),
}

/// bash's double quoting of a value in `declare -p` and `set` (`"a \"b\""`).
fn dquote(v: &str) -> String {
    let mut o = String::from("\"");
    for c in v.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            o.push('\\');
        }
        o.push(c);
    }
    o.push('"');
    o
}

/// A variable as it was (or its absence), kept while a function's `local` one hides it.
#[derive(Clone, Debug)]
pub struct SavedVar(Option<Var>);

/// A shell's state: variables, aliases, functions, working directory. Subshells, pipeline
/// stages and command substitutions run on a copy.
#[derive(Clone, Debug)]
pub struct Shell {
    vars: BTreeMap<String, Var>,
    pub aliases: BTreeMap<String, String>,
    /// `complete` specifications by command name, as `complete -p` prints their options.
    pub completions: BTreeMap<String, String>,
    pub funcs: BTreeMap<String, Rc<ast::Command>>,
    /// The functions `export -f` put in the environment: a new bash defines them again.
    pub exported_funcs: BTreeSet<String>,
    pub cwd: String,
    pub positional: Vec<String>,
    /// `$0`, and the prefix of the shell's own error messages (`bash: foo: command not found`).
    pub arg0: String,
    /// `$?`
    pub status: i32,
    /// `$$`
    pub pid: u32,
    pub last_bg: Option<u32>,
    /// The lines typed so far, for `history`.
    pub history: Rc<Vec<String>>,
    /// An interactive shell prints job numbers for `&`.
    pub interactive: bool,
    /// `set -e`, `set -u`, `set -o pipefail`...
    pub opts: Opts,
    /// `trap ACTION SIGNAL`: the commands by signal name (`EXIT` runs when a script ends).
    pub traps: BTreeMap<String, String>,
    /// Where `getopts` stopped inside a cluster of options (`-ac`): the OPTIND it left and
    /// the character after; (0, 0) at a word's start.
    pub getopts_at: (usize, usize),
    /// `$RANDOM`, `$SECONDS`, `$EPOCHSECONDS` (bash only), `$LINENO`.
    pub(crate) dynamic: dynamic::Dynamic,
    /// Running a script file: errors say on which line (`deploy.sh: line 3: `).
    pub script: bool,
    /// Which shell this is, and which one `sh` starts here: their messages differ.
    pub flavour: Flavour,
    pub sh_is: Flavour,
    /// busybox's ash before 1.28 forks even for the last command of a `-c` string, which
    /// later ash, dash and bash run in their own place ([`Proc::command_string`]).
    pub forks_last: bool,
}

/// The shells kubeplay plays: bash; dash, the `sh` of Debian and Ubuntu (and of the
/// controlplane); busybox's ash, the `sh` of busybox and Alpine images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    Bash,
    Dash,
    Ash,
}

/// The shell options `set` turns on and off that change what runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Opts {
    /// `-e`: a failing command ends a script (not the prompt: the terminal stays).
    pub errexit: bool,
    /// `-u`: expanding an unset variable is an error.
    pub nounset: bool,
    /// A pipeline fails when any of its commands does.
    pub pipefail: bool,
    /// `-x`, kept for `set -o` (commands are not traced).
    pub xtrace: bool,
}

impl Opts {
    /// bash's option names, as `set -o` lists them (on for the ones bash starts with on).
    pub const NAMES: &'static [&'static str] = &[
        "allexport",
        "braceexpand",
        "emacs",
        "errexit",
        "errtrace",
        "functrace",
        "hashall",
        "histexpand",
        "history",
        "ignoreeof",
        "interactive-comments",
        "keyword",
        "monitor",
        "noclobber",
        "noexec",
        "noglob",
        "nolog",
        "notify",
        "nounset",
        "onecmd",
        "physical",
        "pipefail",
        "posix",
        "privileged",
        "verbose",
        "vi",
        "xtrace",
    ];

    /// Whether option `name` is on.
    pub fn get(&self, name: &str) -> bool {
        match name {
            "errexit" => self.errexit,
            "nounset" => self.nounset,
            "pipefail" => self.pipefail,
            "xtrace" => self.xtrace,
            "braceexpand" | "hashall" | "interactive-comments" => true,
            _ => false,
        }
    }

    /// Turn option `name` on or off; false for a name bash does not have.
    pub fn set(&mut self, name: &str, on: bool) -> bool {
        match name {
            "errexit" => self.errexit = on,
            "nounset" => self.nounset = on,
            "pipefail" => self.pipefail = on,
            "xtrace" => self.xtrace = on,
            n => return Self::NAMES.contains(&n),
        }
        true
    }
}

impl Shell {
    /// A shell named `name` (`bash` at the prompt, `sh` in containers) with the usual
    /// environment and `/root` as its working directory.
    pub fn new(name: &str) -> Shell {
        Shell::with_sh(name, Flavour::Dash)
    }

    /// [`Shell::new`] on a machine whose `sh` is `sh_is`.
    pub fn with_sh(name: &str, sh_is: Flavour) -> Shell {
        let mut sh = Shell {
            vars: BTreeMap::new(),
            aliases: BTreeMap::new(),
            completions: BTreeMap::new(),
            funcs: BTreeMap::new(),
            exported_funcs: BTreeSet::new(),
            cwd: vfs::HOME.into(),
            positional: Vec::new(),
            arg0: name.into(),
            status: 0,
            pid: 1,
            last_bg: None,
            history: Rc::new(Vec::new()),
            interactive: false,
            opts: Opts::default(),
            traps: BTreeMap::new(),
            getopts_at: (0, 0),
            dynamic: dynamic::Dynamic::new(0),
            script: false,
            flavour: Flavour::Bash,
            sh_is,
            forks_last: false,
        };
        for (k, v) in [
            ("HOME", vfs::HOME),
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("PWD", vfs::HOME),
            ("SHELL", "/bin/bash"),
            ("USER", "root"),
            ("LOGNAME", "root"),
            ("TERM", "xterm"),
            ("HOSTNAME", "controlplane"),
        ] {
            sh.set(k, v);
            sh.export(k);
        }
        if name != "bash" {
            sh.become_sh();
        }
        if name == "bash" {
            sh.set_bash_own();
        }
        sh
    }

    /// What bash sets for itself (not exported): scripts test `$UID` or `$BASH_VERSION`.
    fn set_bash_own(&mut self) {
        for (k, v) in [
            ("BASH", "/bin/bash"),
            ("BASH_VERSION", "5.2.21(1)-release"),
            ("UID", "0"),
            ("EUID", "0"),
            ("HOSTTYPE", "x86_64"),
            ("OSTYPE", "linux-gnu"),
            ("MACHTYPE", "x86_64-pc-linux-gnu"),
        ] {
            self.set(k, v);
        }
    }

    /// This shell's copy made into a new `bash` (or `sh`) process: `bash -c`, `sh file`, a
    /// script run by its path. A process inherits only the environment: the exported
    /// variables (arrays are not exported) and, into bash, the functions `export -f`
    /// exported; and its working directory. The other variables, functions, aliases, shell
    /// options and traps stay with the parent, as `( ... )` would keep them.
    pub fn into_new_process(&mut self, bash: bool) {
        self.vars.retain(|_, v| v.exported && v.array.is_none());
        let exported = &self.exported_funcs;
        self.funcs.retain(|name, _| bash && exported.contains(name));
        if bash {
            self.set_bash_own();
        }
        self.aliases.clear();
        self.completions.clear();
        self.opts = Opts::default();
        self.traps.clear();
        self.getopts_at = (0, 0);
        self.status = 0;
        self.last_bg = None;
    }

    /// The learner's shell at the prompt: interactive, with `k` aliased to kubectl.
    pub fn interactive_bash() -> Shell {
        let mut sh = Shell::new("bash");
        sh.interactive = true;
        sh.pid = 4242;
        sh.aliases.insert("k".into(), "kubectl".into());
        // Its `$SECONDS` count from the session's start.
        sh.dynamic.tick(0, EPOCH_UNIX_SECONDS * 1000);
        sh
    }

    /// Seed `$RANDOM` (a session seeds it from its own seed, so a replay gives the same
    /// numbers).
    pub fn seed_random(&mut self, seed: u32) {
        self.dynamic.assign("RANDOM", &seed.to_string());
    }

    /// This shell as the `sh` of its machine ([`Shell::sh_is`]). Debian's dash has no
    /// `$RANDOM`, `$SECONDS` or `$LINENO`; busybox's ash has `$RANDOM` and `$LINENO`.
    pub fn become_sh(&mut self) {
        self.flavour = self.sh_is;
        let gone: &[&str] = match self.flavour {
            Flavour::Dash => &["RANDOM", "SECONDS", "EPOCHSECONDS", "LINENO"],
            _ => &["SECONDS", "EPOCHSECONDS"],
        };
        for n in gone {
            self.dynamic.unset(n);
        }
    }

    /// Who an error message comes from: `bash`, in a script `deploy.sh: line 3`; dash
    /// always says the line, `sh: 1`.
    pub fn who(&self) -> String {
        match self.flavour {
            Flavour::Dash => format!("{}: {}", self.arg0, self.dynamic.line()),
            _ if self.script => format!("{}: line {}", self.arg0, self.dynamic.line()),
            _ => self.arg0.clone(),
        }
    }

    /// The line busybox's ash says a command is on: it counts a `-c` string's lines from 0.
    fn ash_line(&self) -> u32 {
        let line = self.dynamic.line();
        if self.script || self.interactive {
            line
        } else {
            line.saturating_sub(1)
        }
    }

    /// A builtin's error line, as each shell words its place: bash `bash: cd: MSG` (in a
    /// script `deploy.sh: line 3: cd: MSG`), dash `sh: 1: cd: MSG`, busybox's ash
    /// `sh: cd: line 0: MSG` (`sh: cd: MSG` at its prompt).
    pub fn builtin_error(&self, builtin: &str, msg: &str) -> String {
        match self.flavour {
            Flavour::Ash if self.interactive => format!("{}: {builtin}: {msg}\n", self.arg0),
            Flavour::Ash => format!(
                "{}: {builtin}: line {}: {msg}\n",
                self.arg0,
                self.ash_line()
            ),
            _ => format!("{}: {builtin}: {msg}\n", self.who()),
        }
    }

    /// `$name` as expansion sees it: a dynamic variable's new value, else [`Shell::get`].
    pub fn value(&self, name: &str) -> Option<String> {
        if name == "LINENO" && self.flavour == Flavour::Ash {
            return self.dynamic.get(name).map(|_| self.ash_line().to_string());
        }
        self.dynamic
            .get(name)
            .or_else(|| self.get(name).map(str::to_string))
    }

    /// `$name`: a scalar's value, or an array's element 0 (key `0`).
    pub fn get(&self, name: &str) -> Option<&str> {
        let v = self.vars.get(name)?;
        match &v.array {
            None => Some(v.value.as_str()),
            Some(Array::Indexed(m)) => m.get(&0).map(String::as_str),
            Some(Array::Assoc(m)) => m.get("0").map(String::as_str),
        }
    }

    /// `name=value`; on an array, its element 0.
    pub fn set(&mut self, name: &str, value: &str) {
        self.dynamic.assign(name, value);
        match self.vars.get_mut(name) {
            Some(Var { array: Some(a), .. }) => match a {
                Array::Indexed(m) => {
                    m.insert(0, value.to_string());
                }
                Array::Assoc(m) => m.insert("0", value.to_string()),
            },
            Some(v) => v.value = value.to_string(),
            None => {
                self.vars.insert(
                    name.to_string(),
                    Var {
                        value: value.to_string(),
                        exported: false,
                        readonly: false,
                        array: None,
                    },
                );
            }
        }
    }

    /// Whether `name` is an associative array (its subscripts are keys, not arithmetic).
    pub fn is_assoc(&self, name: &str) -> bool {
        matches!(
            self.vars.get(name),
            Some(Var {
                array: Some(Array::Assoc(_)),
                ..
            })
        )
    }

    /// Whether `name` is an array of either kind.
    pub fn is_array(&self, name: &str) -> bool {
        self.vars.get(name).is_some_and(|v| v.array.is_some())
    }

    /// `declare -a name` / `declare -A name`: make it an array (a scalar's value becomes
    /// element 0); an array of the other kind is left as it is (bash refuses to convert).
    pub fn declare_array(&mut self, name: &str, assoc: bool) {
        let v = self.vars.entry(name.to_string()).or_insert_with(|| Var {
            value: String::new(),
            exported: false,
            readonly: false,
            array: None,
        });
        if v.array.is_none() {
            let had = std::mem::take(&mut v.value);
            let mut a = if assoc {
                Array::Assoc(Assoc::default())
            } else {
                Array::Indexed(BTreeMap::new())
            };
            if !had.is_empty() {
                match &mut a {
                    Array::Indexed(m) => {
                        m.insert(0, had);
                    }
                    Array::Assoc(m) => m.insert("0", had),
                }
            }
            v.array = Some(a);
        }
    }

    /// `${name[@]}`: the values in index (or key) order; a scalar is one value, an unset
    /// name none.
    pub fn values(&self, name: &str) -> Vec<String> {
        match self.vars.get(name) {
            None => Vec::new(),
            Some(Var {
                array: Some(Array::Indexed(m)),
                ..
            }) => m.values().cloned().collect(),
            Some(Var {
                array: Some(Array::Assoc(m)),
                ..
            }) => m.iter().into_iter().map(|(_, v)| v.clone()).collect(),
            Some(v) => vec![v.value.clone()],
        }
    }

    /// `${!name[@]}`: the indices or keys.
    pub fn keys(&self, name: &str) -> Vec<String> {
        match self.vars.get(name) {
            None => Vec::new(),
            Some(Var {
                array: Some(Array::Indexed(m)),
                ..
            }) => m.keys().map(|k| k.to_string()).collect(),
            Some(Var {
                array: Some(Array::Assoc(m)),
                ..
            }) => m.iter().into_iter().map(|(k, _)| k.clone()).collect(),
            Some(_) => vec!["0".into()],
        }
    }

    /// A negative index counts back from one past the highest; `None` when that is before
    /// the first.
    fn resolve(m: &BTreeMap<i64, String>, i: i64) -> Option<i64> {
        if i >= 0 {
            return Some(i);
        }
        let top = m.keys().next_back().map_or(0, |k| k + 1);
        (top + i >= 0).then_some(top + i)
    }

    /// `${name[i]}` / `${name[key]}`.
    pub fn element(&self, name: &str, e: &Elem) -> Option<String> {
        let v = self.vars.get(name)?;
        match (&v.array, e) {
            (Some(Array::Indexed(m)), Elem::Index(i)) => m.get(&Self::resolve(m, *i)?).cloned(),
            (Some(Array::Assoc(m)), Elem::Key(k)) => m.get(k).cloned(),
            (None, Elem::Index(0 | -1)) => Some(v.value.clone()),
            _ => None,
        }
    }

    /// `name[i]=value` (`append`: `+=`). A scalar becomes an indexed array with its value at
    /// 0. Err for a negative index before the first element (bash's `bad array subscript`).
    pub fn set_element(
        &mut self,
        name: &str,
        e: &Elem,
        value: &str,
        append: bool,
    ) -> Result<(), String> {
        if !self.is_array(name) {
            self.declare_array(name, matches!(e, Elem::Key(_)));
        }
        let Some(Var { array: Some(a), .. }) = self.vars.get_mut(name) else {
            return Ok(());
        };
        let slot = match (a, e) {
            (Array::Indexed(m), Elem::Index(i)) => {
                let i = Self::resolve(m, *i)
                    .ok_or_else(|| format!("{name}[{i}]: bad array subscript"))?;
                m.entry(i).or_default()
            }
            (Array::Indexed(m), Elem::Key(k)) => m.entry(k.parse().unwrap_or(0)).or_default(),
            (Array::Assoc(m), Elem::Key(k)) => m.slot(k),
            (Array::Assoc(m), Elem::Index(i)) => m.slot(&i.to_string()),
        };
        if !append {
            slot.clear();
        }
        slot.push_str(value);
        Ok(())
    }

    /// `name=(v1 v2 [k]=v3)` (`append`: `+=( )`): elements without a subscript follow the
    /// last one set.
    pub fn set_array(&mut self, name: &str, items: Vec<(Option<Elem>, String)>, append: bool) {
        let assoc = self.is_assoc(name);
        if !append || !self.is_array(name) {
            let exported = self.vars.get(name).is_some_and(|v| v.exported);
            self.vars.remove(name);
            self.declare_array(name, assoc);
            if let Some(v) = self.vars.get_mut(name) {
                v.exported = exported;
            }
        }
        let Some(Var { array: Some(a), .. }) = self.vars.get_mut(name) else {
            return;
        };
        let mut next = match a {
            Array::Indexed(m) => m.keys().next_back().map_or(0, |k| k + 1),
            Array::Assoc(_) => 0,
        };
        // bash 5.2: in `declare -A m=(k1 v1 k2 v2)` words without a subscript pair up as
        // key and value.
        let mut pending_key: Option<String> = None;
        for (e, v) in items {
            match (&mut *a, e) {
                (Array::Indexed(m), Some(Elem::Index(i))) => {
                    m.insert(i, v);
                    next = i + 1;
                }
                (Array::Indexed(m), _) => {
                    m.insert(next, v);
                    next += 1;
                }
                (Array::Assoc(m), Some(Elem::Key(k))) => m.insert(&k, v),
                (Array::Assoc(m), Some(Elem::Index(i))) => m.insert(&i.to_string(), v),
                (Array::Assoc(m), None) => match pending_key.take() {
                    Some(k) => m.insert(&k, v),
                    None => pending_key = Some(v),
                },
            }
        }
        if let (Some(k), Array::Assoc(m)) = (pending_key, a) {
            m.insert(&k, String::new());
        }
    }

    /// `unset 'name[i]'`.
    pub fn unset_element(&mut self, name: &str, e: &Elem) {
        let Some(v) = self.vars.get_mut(name) else {
            return;
        };
        match (&mut v.array, e) {
            (Some(Array::Indexed(m)), Elem::Index(i)) => {
                if let Some(i) = Self::resolve(m, *i) {
                    m.remove(&i);
                }
            }
            (Some(Array::Assoc(m)), Elem::Key(k)) => {
                m.remove(k);
            }
            (None, Elem::Index(0)) => {
                self.vars.remove(name);
            }
            _ => {}
        }
    }

    pub fn export(&mut self, name: &str) {
        match self.vars.get_mut(name) {
            Some(v) => v.exported = true,
            None => {
                self.vars.insert(
                    name.to_string(),
                    Var {
                        value: String::new(),
                        exported: true,
                        readonly: false,
                        array: None,
                    },
                );
            }
        }
    }

    /// `readonly NAME`: from now on it keeps its value.
    pub fn make_readonly(&mut self, name: &str) {
        if let Some(v) = self.vars.get_mut(name) {
            v.readonly = true;
        }
    }

    pub fn is_readonly(&self, name: &str) -> bool {
        self.vars.get(name).is_some_and(|v| v.readonly)
    }

    /// The error for changing a readonly variable, in each shell's words.
    pub fn readonly_error(&self, name: &str) -> String {
        match self.flavour {
            Flavour::Bash => format!("{name}: readonly variable"),
            _ => format!("{name}: is read only"),
        }
    }

    /// `export -n`: the variable stays, out of the environment.
    pub fn unexport(&mut self, name: &str) {
        if let Some(v) = self.vars.get_mut(name) {
            v.exported = false;
        }
    }

    /// `name` as it is now, to put back with [`Shell::restore`] (a function's `local`).
    pub fn save(&self, name: &str) -> SavedVar {
        SavedVar(self.vars.get(name).cloned())
    }

    pub fn restore(&mut self, name: &str, saved: SavedVar) {
        match saved.0 {
            Some(v) => {
                self.vars.insert(name.to_string(), v);
            }
            None => {
                self.vars.remove(name);
            }
        }
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    pub fn unset(&mut self, name: &str) {
        self.dynamic.unset(name);
        self.vars.remove(name);
    }

    /// The exported variables (arrays are not exported, as in bash).
    pub fn env(&self) -> BTreeMap<String, String> {
        self.vars
            .iter()
            .filter(|(_, v)| v.exported && v.array.is_none())
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect_map()
    }

    /// Every variable, for `set` and `declare -p`: name, its `declare` flags (`-x`, `-a`,
    /// `-A`, or `--`), and its value.
    pub fn vars(&self) -> Vec<(String, &'static str, Shown)> {
        self.vars
            .iter()
            .map(|(k, v)| {
                let (flags, shown) = match &v.array {
                    None => (
                        match (v.readonly, v.exported) {
                            (false, false) => "--",
                            (false, true) => "-x",
                            (true, false) => "-r",
                            (true, true) => "-rx",
                        },
                        Shown::Scalar(v.value.clone()),
                    ),
                    Some(Array::Indexed(m)) => (
                        if v.readonly { "-ar" } else { "-a" },
                        Shown::Compound(Self::compound(m.iter().map(|(i, v)| (i.to_string(), v)))),
                    ),
                    // bash ends an associative array's list with a space.
                    Some(Array::Assoc(m)) => (
                        if v.readonly { "-Ar" } else { "-A" },
                        Shown::Compound(format!(
                            "{} )",
                            Self::compound(m.iter().into_iter().map(|(k, v)| (k.clone(), v)))
                                .trim_end_matches(')')
                        )),
                    ),
                };
                (k.clone(), flags, shown)
            })
            .collect()
    }

    /// A scalar variable's value (`None` for an array or an unset name).
    pub fn scalar(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .filter(|v| v.array.is_none())
            .map(|v| v.value.as_str())
    }

    fn compound<'a>(items: impl Iterator<Item = (String, &'a String)>) -> String {
        let inner: Vec<String> = items.map(|(k, v)| format!("[{k}]={}", dquote(v))).collect();
        format!("({})", inner.join(" "))
    }

    pub fn push_history(&mut self, line: &str) {
        Rc::make_mut(&mut self.history).push(line.to_string());
    }
}

#[cfg(test)]
mod tests;
