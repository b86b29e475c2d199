//! A terminal session: lines in, output chunks out, virtual time advanced by the embedder.
//!
//! Lines go through the shell language of `kubeplay-sh`: a long-lived interactive [`Proc`]
//! runs each complete input. `kubectl` (and `k`, an alias) is run by this module's host,
//! which hands kubectl's waiting commands (`rollout status`, `get -w`) to the interpreter as
//! suspended steps; [`Session::advance_to`] and [`Session::run_until_idle`] resume them as
//! virtual time passes.

use crate::fs::Vfs;
use crate::kubectl::{self, Cx, Exec, Waiter};
use kubeplay_core::time::Millis;
use kubeplay_core::World;
use kubeplay_sh::parse::HeredocEnd;
use kubeplay_sh::{Handle, Host, Io, Out, ParseError, Proc, Shell, Step};
use std::collections::BTreeMap;

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
    /// Move what was written into the shell's output, fd 1 and 2.
    fn drain_into(&mut self, out: &mut Out) {
        for c in self.chunks.drain(..) {
            out.write(
                if c.stream == Stream::Out { 1 } else { 2 },
                c.text.as_bytes(),
            );
        }
    }
}

/// How long [`Session::run_until_idle`] lets virtual time run for one command before it
/// stops it as if by Ctrl+C (a `while true; do sleep 1; done` at the prompt).
pub const IDLE_LIMIT_MS: Millis = 24 * 3600 * 1000;

/// How many times [`Session::run_until_idle`] lets one command wake up on its own clock
/// (`sleep`) before it stops it: `watch` and `while true; do sleep 1; done` would otherwise
/// run 86,400 rounds before [`IDLE_LIMIT_MS`] (a few seconds, and megabytes of output).
pub const WAKE_LIMIT: u32 = 5000;

pub struct Session {
    pub world: World,
    pub fs: Vfs,
    /// The namespace of the current kubectl context.
    pub namespace: String,
    /// The shell: variables, aliases, functions, the command running in the foreground.
    proc: Proc,
    /// Lines of an unfinished command (an open quote or heredoc).
    pending: String,
    /// When `pending` stops inside a heredoc: its closing line. Lines before it are added
    /// without parsing again.
    heredoc_end: Option<HeredocEnd>,
    waits: BTreeMap<u64, Box<dyn Waiter>>,
    next_handle: u64,
    output: Output,
    /// `$?` of the last command.
    pub last_status: i32,
    /// The embedder has an editor for `kubectl edit` ([`Session::set_editor`]).
    editor: bool,
    /// Objects `kubectl edit` asked to open ([`Session::take_edit_requests`]).
    edits: Vec<crate::kubectl::edit::EditRequest>,
    /// Files `vi FILE` asked to open ([`Session::take_open_requests`]).
    opens: Vec<String>,
    /// The container shell the terminal is attached to (`kubectl exec -it POD -- sh`).
    attached: Option<u64>,
    /// The command that attached it, when it has more to do once the shell ends
    /// (`kubectl run -it --rm`: [`Waiter::finish`]).
    attached_by: Option<Box<dyn Waiter>>,
    /// Leave the cluster's work of the current instant to the embedder ([`Session::set_defer_settle`]).
    defer_settle: bool,
}

/// What the shell runs on: the session's cluster and files.
struct SessionHost<'a> {
    world: &'a mut World,
    fs: &'a mut Vfs,
    namespace: &'a mut String,
    waits: &'a mut BTreeMap<u64, Box<dyn Waiter>>,
    next_handle: &'a mut u64,
    attached: &'a mut Option<u64>,
    attached_by: &'a mut Option<Box<dyn Waiter>>,
    /// `kubectl edit`: whether there is an editor, and the objects to open in it.
    editor: bool,
    edits: &'a mut Vec<crate::kubectl::edit::EditRequest>,
    opens: &'a mut Vec<String>,
    defer_settle: bool,
}

/// Terminal editors: with an editor in the embedder, they open their file there.
const EDITORS: &[&str] = &["vi", "vim", "nano"];

impl Host for SessionHost<'_> {
    fn fs(&mut self) -> &mut Vfs {
        self.fs
    }
    fn now(&self) -> Millis {
        self.world.now()
    }
    fn has_command(&self, name: &str) -> bool {
        name == "kubectl" || name == "docker" || (self.editor && EDITORS.contains(&name))
    }
    fn run(&mut self, argv: &[String], io: &mut Io) -> Step {
        if self.editor && EDITORS.contains(&argv[0].as_str()) {
            // The page's editor stands in for the terminal's: the file (a new one if it does
            // not exist yet) opens there, and the prompt comes back at once.
            let file = argv[1..].iter().find(|a| !a.starts_with(['-', '+']));
            self.opens.push(file.cloned().unwrap_or_default());
            return Step::Exit(0);
        }
        if argv[0] != "kubectl" && argv[0] != "docker" {
            return Step::NotFound;
        }
        self.fs.cwd = io.cwd.clone();
        if self.defer_settle {
            self.world.settle();
        }
        let mut output = Output {
            editor: self.editor,
            ..Output::default()
        };
        let mut cx = Cx {
            world: self.world,
            fs: self.fs,
            namespace: self.namespace,
            out: &mut output,
            stdin: io.stdin.take(),
        };
        let exec = if argv[0] == "docker" {
            crate::docker::run(&mut cx, &argv[1..])
        } else {
            kubectl::run(&mut cx, &argv[1..])
        };
        // Input kubectl did not take stays for the next command (`while read`).
        io.stdin = cx.stdin.take();
        self.edits.append(&mut output.edits);
        output.drain_into(&mut io.out);
        if !self.defer_settle {
            self.world.settle();
        }
        match exec {
            Exec::Done(code) => Step::Exit(code),
            Exec::Wait(w) if w.attach().is_some() => {
                *self.attached = w.attach();
                Step::Exit(0)
            }
            Exec::Wait(w) => {
                let h = *self.next_handle;
                *self.next_handle += 1;
                self.waits.insert(h, w);
                Step::Wait(Handle(h))
            }
        }
    }
    fn poll(&mut self, h: Handle, io: &mut Io) -> Option<i32> {
        if self.defer_settle {
            self.world.settle();
        }
        let w = self.waits.get_mut(&h.0)?;
        let mut output = Output::default();
        let mut r = w.poll(self.world, &mut output);
        if let Some(status) = r {
            let mut w = self.waits.remove(&h.0).expect("polled just now");
            r = match w.finish(self.world, status, &mut output) {
                Exec::Done(code) => Some(code),
                // The command now talks to a container shell through the terminal.
                Exec::Wait(next) if next.attach().is_some() => {
                    *self.attached = next.attach();
                    *self.attached_by = Some(next);
                    Some(0)
                }
                Exec::Wait(next) => {
                    self.waits.insert(h.0, next);
                    None
                }
            };
        }
        output.drain_into(&mut io.out);
        r
    }
    fn wake_at(&self, h: Handle) -> Option<Millis> {
        self.waits.get(&h.0)?.wake_at()
    }
    fn cancel(&mut self, h: Handle) {
        self.waits.remove(&h.0);
    }
}

impl Session {
    pub fn new(seed: u64) -> Session {
        Session::with_fs(seed, Vfs::default())
    }

    pub fn with_fs(seed: u64, mut fs: Vfs) -> Session {
        fs.seed_random(seed);
        let mut sh = Shell::interactive_bash();
        sh.seed_random((seed ^ (seed >> 32)) as u32);
        Session {
            world: World::new(seed),
            fs,
            namespace: "default".into(),
            proc: Proc::idle(sh),
            pending: String::new(),
            heredoc_end: None,
            waits: BTreeMap::new(),
            next_handle: 1,
            output: Output::default(),
            last_status: 0,
            editor: false,
            edits: Vec::new(),
            opens: Vec::new(),
            attached: None,
            attached_by: None,
            defer_settle: false,
        }
    }

    /// By default every kubectl command lets the cluster finish the work it caused before the
    /// shell goes on (`World::settle`). With `defer` set, a command settles what came before
    /// it instead, and the work the last one caused is left queued at the current instant
    /// for the embedder to run, a slice per frame, with [`Session::advance_within`]. Every
    /// command and every waiting command still sees a settled cluster, so the output is the
    /// same; the page uses this so that applying 1,000 replicas does not freeze a frame.
    /// (Before the next line, the embedder finishes the instant: `advance_to(now)`.)
    pub fn set_defer_settle(&mut self, defer: bool) {
        self.defer_settle = defer;
    }

    pub fn now(&self) -> Millis {
        self.world.now()
    }

    /// The shell's state (variables, aliases, working directory, history).
    pub fn shell(&self) -> &Shell {
        self.proc.shell()
    }

    /// Run one line. A command that waits (`sleep`, `rollout status`) leaves the session busy
    /// until enough virtual time has passed. An unfinished command (open quote, heredoc,
    /// trailing `|`) asks for more lines and runs once complete.
    pub fn feed_line(&mut self, line: &str) -> LineState {
        if let Some(id) = self.attached {
            self.world.exec_feed(id, line);
            self.world.settle();
            self.drain_attached();
            return LineState::Done;
        }
        self.pending.push_str(line);
        self.pending.push('\n');
        if let Some(end) = &self.heredoc_end {
            if !end.closed_by(line) {
                return LineState::NeedMore;
            }
        }
        let text = std::mem::take(&mut self.pending);
        let (parsed, end) = kubeplay_sh::parse::parse_or_wait(&text);
        self.heredoc_end = end;
        let list = match parsed {
            Ok(l) => l,
            Err(ParseError::Incomplete) => {
                self.pending = text;
                return LineState::NeedMore;
            }
            Err(e) => {
                self.proc
                    .shell_mut()
                    .push_history(text.trim_end_matches('\n'));
                self.output.err(format!("bash: {}\n", e.message()));
                self.last_status = 2;
                self.proc.shell_mut().status = 2;
                return LineState::Done;
            }
        };
        let typed = text.trim_end_matches('\n');
        if !typed.trim().is_empty() {
            self.proc.shell_mut().push_history(typed);
        }
        if list.is_empty() {
            return LineState::Done;
        }
        self.proc.start(list);
        self.step();
        LineState::Done
    }

    /// Whether a line is half typed (the terminal shows `> `).
    pub fn is_continuing(&self) -> bool {
        !self.pending.is_empty()
    }

    fn host(&mut self) -> (&mut Proc, SessionHost<'_>) {
        (
            &mut self.proc,
            SessionHost {
                world: &mut self.world,
                fs: &mut self.fs,
                namespace: &mut self.namespace,
                waits: &mut self.waits,
                next_handle: &mut self.next_handle,
                attached: &mut self.attached,
                attached_by: &mut self.attached_by,
                editor: self.editor,
                edits: &mut self.edits,
                opens: &mut self.opens,
                defer_settle: self.defer_settle,
            },
        )
    }

    /// Let the shell run as far as it can now.
    fn step(&mut self) {
        if self.attached.is_some() {
            self.drain_attached();
            return;
        }
        let mut out = Out::default();
        let (proc, mut host) = self.host();
        proc.step(&mut host, &mut out);
        if !host.defer_settle {
            host.world.settle();
        }
        if proc.exit_requested().is_some() {
            // `exit` at the prompt: the terminal stays; the shell carries on.
            *proc = Proc::idle(proc.shell().clone());
        }
        self.fs.cwd = self.proc.shell().cwd.clone();
        for (fd, data) in out.take() {
            let text = String::from_utf8_lossy(&data);
            if fd == 2 {
                self.output.err(text);
            } else {
                self.output.out(text);
            }
        }
        if !self.proc.is_busy() {
            self.last_status = self.proc.shell().status;
        }
    }

    fn wake_at(&mut self) -> Option<Millis> {
        if let Some(id) = self.attached {
            return self.world.exec_get(id).and_then(|e| e.wake);
        }
        let (proc, host) = self.host();
        proc.wake_at(&host)
    }

    pub fn is_busy(&self) -> bool {
        match self.attached {
            Some(id) => self.world.exec_busy(id),
            None => self.proc.is_busy(),
        }
    }

    /// The prompt of the container shell the terminal is attached to (`/ # `), or `None` at
    /// the learner's own prompt.
    pub fn prompt(&self) -> Option<String> {
        let id = self.attached?;
        Some(self.world.exec_get(id)?.prompt.clone())
    }

    /// Move what the attached container shell printed into the output; detach when it ended.
    fn drain_attached(&mut self) {
        let Some(id) = self.attached else { return };
        for (err, text) in self.world.exec_take_output(id) {
            if err {
                self.output.err(text);
            } else {
                self.output.out(text);
            }
        }
        let exit = self.world.exec_get(id).map_or(Some(0), |e| e.exit);
        if let Some(code) = exit {
            self.world.exec_close(id);
            self.attached = None;
            let code = match self.attached_by.take() {
                Some(mut by) => match by.finish(&mut self.world, code, &mut self.output) {
                    Exec::Done(c) => c,
                    Exec::Wait(_) => code,
                },
                None => {
                    if code != 0 {
                        self.output
                            .err(format!("command terminated with exit code {code}\n"));
                    }
                    code
                }
            };
            self.last_status = code;
            self.proc.shell_mut().status = code;
        }
    }

    /// Advance virtual time to `t`, one instant of work at a time, letting a waiting command
    /// see each change.
    pub fn advance_to(&mut self, t: Millis) {
        loop {
            let mut next = self.world.next_due().unwrap_or(t).min(t);
            if let Some(w) = self.wake_at() {
                next = next.min(w.max(self.world.now()));
            }
            self.world.run_until(next);
            self.step();
            if next >= t {
                break;
            }
        }
    }

    /// Like [`Session::advance_to`], but run at most `*budget` tasks of the cluster's work
    /// (counting them off), so that an embedder can spread a heavy instant over several
    /// frames. Returns whether the clock reached `t`. When the budget runs out, the clock stays
    /// at the instant being worked on and the foreground command is not stepped until that
    /// instant's work is all done, so the command sees what it would have seen unsliced: the
    /// same calls with any budgets give the same output and the same cluster.
    pub fn advance_within(&mut self, t: Millis, budget: &mut u64) -> bool {
        loop {
            let mut next = self.world.next_due().unwrap_or(t).min(t);
            if let Some(w) = self.wake_at() {
                next = next.min(w.max(self.world.now()));
            }
            if !self.world.run_until_within(next, budget) {
                return false;
            }
            self.step();
            if next >= t {
                return true;
            }
        }
    }

    /// Let virtual time run until the foreground command finishes, or until nothing more can
    /// happen, [`IDLE_LIMIT_MS`] has passed or it has woken [`WAKE_LIMIT`] times (then the
    /// command is stopped, as if by Ctrl+C).
    pub fn run_until_idle(&mut self) {
        let start = self.world.now();
        let mut wakes = 0;
        while self.is_busy() {
            if let Some(w) = self.wake_at() {
                if self.world.next_due().is_none_or(|d| w <= d) {
                    wakes += 1;
                    if wakes > WAKE_LIMIT {
                        self.interrupt();
                        break;
                    }
                }
            }
            let next = match (self.world.next_due(), self.wake_at()) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(t) => t,
                    None => {
                        self.interrupt();
                        break;
                    }
                },
            };
            if next > start.saturating_add(IDLE_LIMIT_MS) {
                self.interrupt();
                break;
            }
            self.advance_to(next.max(self.world.now()));
        }
    }

    /// Ctrl+C: stop the foreground command, or drop a half-typed one, and print `^C` as a
    /// terminal does.
    pub fn interrupt(&mut self) {
        if let Some(id) = self.attached {
            self.world.exec_interrupt(id);
            self.output.out("^C\n");
            self.drain_attached();
            return;
        }
        if self.proc.is_busy() {
            let (proc, mut host) = self.host();
            proc.interrupt(&mut host);
            self.output.out("^C\n");
            self.last_status = 130;
        } else if !self.pending.is_empty() {
            self.pending.clear();
            self.heredoc_end = None;
            self.output.out("^C\n");
            self.last_status = 130;
            self.proc.shell_mut().status = 130;
        }
    }

    /// Ctrl+C while `kubectl edit` waits for the editor: kubectl dies with the editor's file
    /// unsaved, so nothing is patched; the shell prints `^C` and `$?` is 130. The caller
    /// drops the edit requests it holds.
    pub fn interrupt_edit(&mut self) {
        self.output.out("^C\n");
        self.last_status = 130;
        self.proc.shell_mut().status = 130;
    }

    /// Say whether there is an editor for `kubectl edit` (the page has one; the CLI not).
    pub fn set_editor(&mut self, available: bool) {
        self.editor = available;
    }

    /// Objects `kubectl edit` wants opened in the editor.
    pub fn take_edit_requests(&mut self) -> Vec<crate::kubectl::edit::EditRequest> {
        std::mem::take(&mut self.edits)
    }

    /// Files `vi`, `vim` or `nano` wants opened in the editor (`""`: none named), in order.
    pub fn take_open_requests(&mut self) -> Vec<String> {
        std::mem::take(&mut self.opens)
    }

    /// The editor was saved: patch the object with the text, printing what kubectl prints
    /// (`deployment.apps/web edited`, or `Edit cancelled, no changes made.`). When kubectl
    /// would reopen the editor (a syntax error, an invalid object), the request comes back
    /// with the file and the reasons at its top; open it again.
    pub fn finish_edit(
        &mut self,
        req: &crate::kubectl::edit::EditRequest,
        text: &str,
    ) -> Option<crate::kubectl::edit::EditRequest> {
        use crate::kubectl::edit::{finish, EditOutcome};
        let r = finish(&mut self.world, &mut self.fs, &mut self.output, req, text);
        self.world.settle();
        match r {
            EditOutcome::Done(code) => {
                self.last_status = code;
                self.proc.shell_mut().status = code;
                None
            }
            EditOutcome::Reopen(req) => Some(req),
        }
    }

    /// Output produced since the last call.
    pub fn take_output(&mut self) -> Vec<Chunk> {
        std::mem::take(&mut self.output.chunks)
    }
}
