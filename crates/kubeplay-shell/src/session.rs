//! A terminal session: lines in, output chunks out, virtual time advanced by the embedder.

use crate::fs::Vfs;
use crate::kubectl::{self, Cx, Exec, Waiter};
use kubeplay_core::time::Millis;
use kubeplay_core::World;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// A piece of output, in the order it was produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub stream: Stream,
    pub text: String,
}

/// What became of a fed line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineState {
    /// The command ran (or is running: see [`Session::is_busy`]).
    Done,
    /// The line is incomplete (an open quote or heredoc); feed the next one.
    NeedMore,
}

/// Output as it is produced by a command.
#[derive(Default)]
pub struct Output {
    pub chunks: Vec<Chunk>,
    /// The embedder has an editor (the page): `kubectl edit` opens objects in it.
    pub editor: bool,
    /// Objects `kubectl edit` asked to open, for the page to take with
    /// [`Session::take_edit_requests`].
    pub edits: Vec<crate::kubectl::edit::EditRequest>,
}

impl Output {
    pub fn out(&mut self, s: impl AsRef<str>) {
        self.push(Stream::Out, s.as_ref());
    }
    pub fn err(&mut self, s: impl AsRef<str>) {
        self.push(Stream::Err, s.as_ref());
    }
    fn push(&mut self, stream: Stream, s: &str) {
        if s.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some(c) if c.stream == stream => c.text.push_str(s),
            _ => self.chunks.push(Chunk {
                stream,
                text: s.to_string(),
            }),
        }
    }
}

pub struct Session {
    pub world: World,
    pub fs: Vfs,
    /// The namespace of the current kubectl context.
    pub namespace: String,
    pending: Option<Box<dyn Waiter>>,
    output: Output,
    pub last_status: i32,
}

impl Session {
    pub fn new(seed: u64) -> Session {
        Session::with_fs(seed, Vfs::default())
    }

    pub fn with_fs(seed: u64, fs: Vfs) -> Session {
        Session {
            world: World::new(seed),
            fs,
            namespace: "default".into(),
            pending: None,
            output: Output::default(),
            last_status: 0,
        }
    }

    pub fn now(&self) -> Millis {
        self.world.now()
    }

    /// Run one line. A command that waits (`sleep`, `rollout status`) leaves the session busy
    /// until enough virtual time has passed.
    pub fn feed_line(&mut self, line: &str) -> LineState {
        let words = match split_words(line) {
            Ok(w) => w,
            Err(()) => return LineState::NeedMore,
        };
        if words.is_empty() {
            return LineState::Done;
        }
        let exec = self.exec(&words);
        self.finish(exec);
        self.world.settle();
        LineState::Done
    }

    fn exec(&mut self, words: &[String]) -> Exec {
        let mut cx = Cx {
            world: &mut self.world,
            fs: &mut self.fs,
            namespace: &mut self.namespace,
            out: &mut self.output,
            stdin: None,
        };
        match words[0].as_str() {
            "kubectl" | "k" => kubectl::run(&mut cx, &words[1..]),
            "sleep" => match words.get(1).and_then(|s| parse_seconds(s)) {
                Some(ms) => Exec::Wait(Box::new(kubectl::Sleep {
                    until: cx.world.now() + ms,
                })),
                None => {
                    cx.out
                        .err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
                    Exec::Done(1)
                }
            },
            "echo" => {
                cx.out.out(format!("{}\n", words[1..].join(" ")));
                Exec::Done(0)
            }
            "cat" => {
                let mut code = 0;
                for f in &words[1..] {
                    match cx.fs.read(f) {
                        Some(b) => cx.out.out(String::from_utf8_lossy(&b)),
                        None => {
                            cx.out.err(format!("cat: {f}: No such file or directory\n"));
                            code = 1;
                        }
                    }
                }
                Exec::Done(code)
            }
            other => {
                cx.out.err(format!("bash: {other}: command not found\n"));
                Exec::Done(127)
            }
        }
    }

    fn finish(&mut self, exec: Exec) {
        match exec {
            Exec::Done(code) => self.last_status = code,
            Exec::Wait(w) => {
                self.pending = Some(w);
                self.poll();
            }
        }
    }

    fn poll(&mut self) {
        if let Some(mut w) = self.pending.take() {
            match w.poll(&self.world, &mut self.output) {
                Some(code) => self.last_status = code,
                None => self.pending = Some(w),
            }
        }
    }

    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Advance virtual time to `t`, one instant of work at a time, letting a waiting command
    /// see each change.
    pub fn advance_to(&mut self, t: Millis) {
        loop {
            let mut next = self.world.next_due().unwrap_or(t).min(t);
            if let Some(w) = self.pending.as_ref().and_then(|p| p.wake_at()) {
                next = next.min(w.max(self.world.now()));
            }
            self.world.run_until(next);
            self.poll();
            if next >= t {
                break;
            }
        }
    }

    /// Let virtual time run until the waiting command finishes, or until nothing more can
    /// happen (then the command is stopped, as if by Ctrl+C).
    pub fn run_until_idle(&mut self) {
        while let Some(p) = self.pending.as_ref() {
            let next = match (self.world.next_due(), p.wake_at()) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(t) => t,
                    None => {
                        self.interrupt();
                        break;
                    }
                },
            };
            self.advance_to(next.max(self.world.now()));
        }
    }

    /// Ctrl+C: stop the waiting command.
    pub fn interrupt(&mut self) {
        if self.pending.take().is_some() {
            self.last_status = 130;
        }
    }

    /// Say whether there is an editor for `kubectl edit` (the page has one; the CLI not).
    pub fn set_editor(&mut self, available: bool) {
        self.output.editor = available;
    }

    /// Objects `kubectl edit` wants opened in the editor.
    pub fn take_edit_requests(&mut self) -> Vec<crate::kubectl::edit::EditRequest> {
        std::mem::take(&mut self.output.edits)
    }

    /// The editor was saved: apply the text to the object, printing what kubectl prints
    /// (`deployment.apps/web edited`, or `Edit cancelled, no changes made.`).
    pub fn finish_edit(&mut self, req: &crate::kubectl::edit::EditRequest, text: &str) {
        self.last_status =
            crate::kubectl::edit::finish(&mut self.world, &mut self.output, req, text);
        self.world.settle();
    }

    /// Output produced since the last call.
    pub fn take_output(&mut self) -> Vec<Chunk> {
        std::mem::take(&mut self.output.chunks)
    }
}

fn parse_seconds(s: &str) -> Option<Millis> {
    let (num, mult) = match s.strip_suffix('s') {
        Some(n) => (n, 1000.0),
        None => match s.strip_suffix('m') {
            Some(n) => (n, 60_000.0),
            None => match s.strip_suffix('h') {
                Some(n) => (n, 3_600_000.0),
                None => (s, 1000.0),
            },
        },
    };
    let v: f64 = num.parse().ok()?;
    (v >= 0.0).then(|| (v * mult) as Millis)
}

/// Split a line into words with shell quoting; `Err` when a quote is left open.
fn split_words(line: &str) -> Result<Vec<String>, ()> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err(()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => cur.extend(chars.next()),
                        Some(c) => cur.push(c),
                        None => return Err(()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.extend(chars.next());
            }
            '#' if !in_word => break,
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}
