//! The resumable interpreter. A [`Proc`] keeps what it is doing in a stack of [`Frame`]s; every
//! step pops the top frame, does a little, and pushes what remains. A command that has to wait
//! (`sleep`, a host command such as `kubectl rollout status`) leaves a waiting frame on top and
//! the process reports [`Status::Blocked`]; the next `step` picks up exactly there.
//!
//! Subshells, pipeline stages and command substitutions are child `Proc`s held by a frame,
//! each on a copy of the shell state. Pipeline stages run one after another, each stage's
//! stdout buffered into the next one's stdin.

use crate::ast::*;
use crate::expand::Ex;
use crate::parse::{parse, ParseError};
use crate::utils;
use crate::{Handle, Host, Io, Millis, Out, Shell, Step};
use std::cell::RefCell;
use std::rc::Rc;

/// Commands a process may run in one `step` without waiting, before it is stopped.
pub const STEP_BUDGET: u32 = 100_000;
/// How deeply subshells, pipelines and command substitutions may nest at run time.
pub const MAX_PROC_DEPTH: usize = 64;
/// How deeply functions may call each other.
const MAX_FUNC_DEPTH: usize = 1000;
/// The status of a process stopped by the step budget (as `timeout` reports).
const BUDGET_STATUS: i32 = 124;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing left to run; the last command's status.
    Exited(i32),
    /// Waiting on virtual time or a host command: step again later.
    Blocked,
}

/// A shared stdin with a read position (`while read` consumes it line by line).
#[derive(Debug, Default)]
pub(crate) struct Input {
    data: Vec<u8>,
    pos: usize,
}

type Stdin = Rc<RefCell<Input>>;

fn stdin_of(data: Vec<u8>) -> Stdin {
    Rc::new(RefCell::new(Input { data, pos: 0 }))
}

#[derive(Clone, Debug, PartialEq)]
enum Target {
    /// Where this fd of the enclosing scope goes.
    Fd(u32),
    /// The terminal itself (`/dev/tty`), wherever fd 1 was sent.
    Tty,
    File(String),
    Null,
}

type Fds = Vec<(u32, Target)>;

fn lookup(fds: &Fds, fd: u32) -> Option<&Target> {
    fds.iter().rev().find(|(f, _)| *f == fd).map(|(_, t)| t)
}

struct Budget {
    left: u32,
    exhausted: bool,
}

impl Budget {
    fn tick(&mut self) -> bool {
        if self.left == 0 {
            self.exhausted = true;
            return false;
        }
        self.left -= 1;
        true
    }
}

enum Waiting {
    Sleep(Millis),
    Host(Handle),
    /// `tail -f`: follows a file forever.
    Follow {
        path: String,
        offset: usize,
    },
    /// `wait`: for the background jobs.
    Jobs,
}

enum ChildMode {
    /// `( ... )`, `bash -c`, a script file: everything goes out as is.
    Subshell,
}

enum Frame {
    /// Under the commands of a script before the one that does not parse: once they have
    /// run (and not called `exit`), the shell's syntax error ends the script, status 2.
    SyntaxError(String),
    List {
        list: List,
        idx: usize,
    },
    AndOr {
        list: List,
        idx: usize,
        next: usize,
        /// The pipeline last started is one whose failure `set -e` acts on: it ran (was not
        /// skipped by `&&`/`||`) and is not `! ...`.
        ran: bool,
    },
    Bang,
    /// After the `trap ... EXIT` commands: the shell exits with the status it had.
    ExitAfterTrap(i32),
    /// `exec CMD`: CMD replaced the shell, so its status ends the script.
    ExitAfterExec,
    Pipe {
        cmds: Vec<Rc<Command>>,
        bang: bool,
        stage: usize,
        input: Option<Vec<u8>>,
        child: Option<Box<Proc>>,
        buf: Vec<u8>,
        /// The status of the rightmost command so far that failed (`set -o pipefail`).
        failed: i32,
    },
    Simple {
        cmd: Rc<Command>,
        subs: Option<(Vec<String>, Option<i32>)>,
    },
    /// Runs command substitutions one by one; hands the outputs to the frame below.
    Subs {
        lists: Vec<Sub>,
        results: Vec<String>,
        child: Option<Box<Proc>>,
        captured: Vec<u8>,
        last: Option<i32>,
    },
    Wait {
        what: Waiting,
        fds: Fds,
    },
    /// A compound command's redirections, applying to everything run inside it.
    Scope {
        fds: Fds,
        stdin: Option<Stdin>,
        body: Option<Rc<Command>>,
    },
    CompoundRedirs {
        cmd: Rc<Command>,
        subs: Option<(Vec<String>, Option<i32>)>,
    },
    If {
        cmd: Rc<Command>,
        i: usize,
        in_body: bool,
    },
    Loop {
        cmd: Rc<Command>,
        in_body: bool,
        last: i32,
    },
    For {
        cmd: Rc<Command>,
        items: Option<Vec<String>>,
        idx: usize,
        subs: Option<(Vec<String>, Option<i32>)>,
        last: i32,
    },
    Case {
        cmd: Rc<Command>,
        subs: Option<(Vec<String>, Option<i32>)>,
    },
    /// `[[ ... ]]` and `(( ... ))`, once their command substitutions have run.
    Test {
        cmd: Rc<Command>,
        subs: Option<(Vec<String>, Option<i32>)>,
    },
    /// `for (( init; cond; step ))` at `stage`.
    ArithFor {
        cmd: Rc<Command>,
        stage: ForStage,
        subs: Option<(Vec<String>, Option<i32>)>,
        last: i32,
    },
    Func {
        saved: Vec<String>,
        /// The variables its `local` hid, as they were.
        locals: Vec<(String, crate::SavedVar)>,
    },
    Child {
        proc: Box<Proc>,
        mode: ChildMode,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ForStage {
    Init,
    Cond,
    /// The body has run (or a `continue` ended it): the step, then the condition.
    Step,
}

struct Job {
    id: usize,
    proc: Box<Proc>,
    /// Not stepped yet.
    fresh: bool,
    /// The command as typed, for `jobs` and the job's notices (known when it was the only
    /// command of an interactive line).
    text: String,
}

/// A line about a job as bash writes it: `[1]+  Running                 sleep 100 &`.
fn job_line(id: usize, mark: char, word: &str, text: &str) -> String {
    let line = format!("[{id}]{mark}  {word:<24}{text}");
    format!("{}\n", line.trim_end())
}

/// A running (or idle) shell process.
pub struct Proc {
    sh: Shell,
    frames: Vec<Frame>,
    stdin: Option<Stdin>,
    depth: usize,
    func_depth: usize,
    /// Set by `exit`.
    exited: Option<i32>,
    /// The command line `exec` replaced the shell with (what `ps` shows for the process).
    exec_argv: Option<Vec<String>>,
    /// Where the shell's own descriptors go, as `exec >file 2>&1` left them: the last place
    /// output is routed through, after every scope's redirections.
    exec_fds: Fds,
    /// The commands of a `-c` string that the shell runs in its own place, without a fork,
    /// when one of them comes last (see [`tail_commands`]).
    tails: Vec<Rc<Command>>,
    /// An expansion grew past [`crate::MAX_STRING`]: bash dies there; this shell abandons what
    /// it was running, as at the step budget.
    out_of_memory: bool,
    jobs: Vec<Job>,
    next_job: usize,
    /// Results of the last finished `Subs` frame, for the frame below it.
    subs_out: Option<(Vec<String>, Option<i32>)>,
    /// Loop control requested by `break`/`continue`: (levels, is_continue).
    pending_jump: Option<(usize, bool)>,
    /// This process's stdout is a terminal.
    tty: bool,
}

impl Proc {
    /// A process that will run `list`.
    pub fn new(sh: Shell, list: List) -> Proc {
        let mut p = Proc::idle(sh);
        p.start(list);
        p
    }

    /// Parse `src` and make a process of it.
    pub fn parse(src: &str, sh: Shell) -> Result<Proc, ParseError> {
        Ok(Proc::new(sh, parse(src)?))
    }

    /// A shell running `list`, a `-c` string that parsed.
    pub fn command_string(sh: Shell, list: List) -> Proc {
        let tails = tail_commands(&list, &sh);
        let mut p = Proc::new(sh, list);
        p.tails = tails;
        p
    }

    /// A shell running a script (see [`Proc::load_script`]).
    pub fn script(src: &str, sh: Shell, file: bool) -> Proc {
        let mut p = Proc::idle(sh);
        p.load_script(src, file);
        p
    }

    /// Run `src` as a script: a file's text when `file` (its errors then name their line),
    /// else a `-c` string. If it does not parse, the commands before the broken one run,
    /// then the shell's syntax error ends it (`parse::parse_script`).
    fn load_script(&mut self, src: &str, file: bool) {
        self.sh.script = file;
        // Lines are counted as each shell counts them: bash ends a `-c` string with a
        // newline of its own, dash and ash do not (`sh -c 'if true'` ends on line 1).
        let src = match (file, self.sh.flavour) {
            (true, _) if src.ends_with('\n') => src.to_string(),
            (false, crate::Flavour::Dash | crate::Flavour::Ash) => src.to_string(),
            _ => format!("{src}\n"),
        };
        match crate::parse::parse_script(&src) {
            Ok(list) => {
                if !file {
                    self.tails = tail_commands(&list, &self.sh);
                }
                self.start(list)
            }
            Err(e) => {
                let error = syntax_error(self.sh.flavour, &self.sh.arg0, file, &e);
                self.start(e.ran);
                // Under the commands that parsed: it comes when they are done.
                self.frames.insert(0, Frame::SyntaxError(error));
            }
        }
    }

    /// A process with nothing to run yet (an interactive shell between commands).
    pub fn idle(sh: Shell) -> Proc {
        let tty = sh.interactive;
        Proc {
            sh,
            frames: Vec::new(),
            stdin: None,
            depth: 0,
            func_depth: 0,
            exited: None,
            exec_argv: None,
            exec_fds: Fds::new(),
            tails: Vec::new(),
            out_of_memory: false,
            jobs: Vec::new(),
            next_job: 1,
            subs_out: None,
            pending_jump: None,
            tty,
        }
    }

    /// Say whether the process's stdout is a terminal (`ls` prints columns there). An
    /// interactive shell's is.
    pub fn set_tty(&mut self, tty: bool) {
        self.tty = tty;
    }

    /// Whether fd 1 at the current frame still reaches a terminal.
    fn fd1_tty(&self) -> bool {
        if !self.tty {
            return false;
        }
        let terminal = |fds: &Fds| matches!(lookup(fds, 1), None | Some(Target::Tty));
        self.frames.iter().all(|f| match f {
            Frame::Scope { fds, .. } => terminal(fds),
            _ => true,
        }) && terminal(&self.exec_fds)
    }

    /// Give the process a standard input.
    pub fn with_stdin(mut self, data: Vec<u8>) -> Proc {
        self.stdin = Some(stdin_of(data));
        self
    }

    /// Queue `list` to run after whatever is running.
    pub fn start(&mut self, list: List) {
        self.frames.insert(0, Frame::List { list, idx: 0 });
    }

    pub fn shell(&self) -> &Shell {
        &self.sh
    }
    pub fn shell_mut(&mut self) -> &mut Shell {
        &mut self.sh
    }

    /// Whether a foreground command is running or waiting.
    pub fn is_busy(&self) -> bool {
        !self.frames.is_empty()
    }

    /// `Some(status)` once the script ran `exit`.
    pub fn exit_requested(&self) -> Option<i32> {
        self.exited
    }

    /// The command `exec` put in the shell's place, while it runs.
    pub fn exec_argv(&self) -> Option<&[String]> {
        self.exec_argv.as_deref()
    }

    /// Whether background jobs are still running.
    pub fn has_jobs(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// A special builtin's error (`export 1x`, `exit 2x`...): dash and ash leave a script
    /// there with status 2, where bash goes on.
    fn special_error(&mut self, io: &mut Io, builtin: &str, msg: &str) {
        io.err(self.sh.builtin_error(builtin, msg));
        self.sh.status = 2;
        if !self.sh.interactive {
            self.exited = Some(2);
        }
    }

    fn child(&self, list: List, stdin: Option<Stdin>) -> Proc {
        let mut sh = self.sh.clone();
        sh.dynamic = self.sh.dynamic.fork();
        sh.interactive = false;
        // A subshell starts without the traps of its parent.
        sh.traps.clear();
        Proc {
            sh,
            frames: vec![Frame::List { list, idx: 0 }],
            stdin,
            depth: self.depth + 1,
            func_depth: self.func_depth,
            exited: None,
            exec_argv: None,
            exec_fds: Fds::new(),
            tails: Vec::new(),
            out_of_memory: false,
            jobs: Vec::new(),
            next_job: 1,
            subs_out: None,
            pending_jump: None,
            tty: false,
        }
    }

    /// Run until the process finishes or has to wait. Output goes to `out`.
    pub fn step(&mut self, host: &mut dyn Host, out: &mut Out) -> Status {
        let mut budget = Budget {
            left: STEP_BUDGET,
            exhausted: false,
        };
        let mut st;
        loop {
            // Background jobs first, so their output comes before what the foreground adds now.
            self.step_jobs(host, out, &mut budget);
            st = if budget.exhausted {
                Status::Exited(BUDGET_STATUS)
            } else {
                self.run(host, out, &mut budget)
            };
            // Jobs started just now get their first turn; a `wait` whose jobs just ended
            // goes on.
            let waiting_jobs = matches!(
                self.frames.last(),
                Some(Frame::Wait {
                    what: Waiting::Jobs,
                    ..
                })
            );
            let again = self.jobs.iter().any(|j| j.fresh)
                || (waiting_jobs && self.jobs.iter().any(|j| j.proc.frames.is_empty()));
            if budget.exhausted || st != Status::Blocked || !again {
                break;
            }
        }
        if budget.exhausted {
            out.err(format!(
                "kubeplay: script stopped after {STEP_BUDGET} steps without waiting\n"
            ));
            self.cancel_all(host);
            for j in std::mem::take(&mut self.jobs) {
                let mut p = j.proc;
                p.cancel_all(host);
            }
            self.sh.status = BUDGET_STATUS;
            if !self.sh.interactive {
                self.exited = Some(BUDGET_STATUS);
            }
            return Status::Exited(BUDGET_STATUS);
        }
        st
    }

    fn step_jobs(&mut self, host: &mut dyn Host, out: &mut Out, budget: &mut Budget) {
        let mut i = 0;
        while i < self.jobs.len() {
            self.jobs[i].fresh = false;
            let mut jout = Out::default();
            let st = self.jobs[i].proc.run(host, &mut jout, budget);
            for (fd, d) in jout.take() {
                self.route(host, 0, fd, &d, out);
            }
            if budget.exhausted {
                break;
            }
            if let Status::Exited(code) = st {
                let mark = self.job_mark(i);
                let job = self.jobs.remove(i);
                if self.sh.interactive {
                    let word = if code == 0 {
                        "Done".to_string()
                    } else {
                        format!("Exit {code}")
                    };
                    out.err(job_line(job.id, mark, &word, &job.text));
                }
            } else {
                i += 1;
            }
        }
    }

    /// `kill [-SIGNAL | -s SIGNAL | -n NUMBER] %JOB|PID ...`: ends background jobs (there are
    /// no other processes to signal), with bash's notices and errors.
    fn kill(&mut self, host: &mut dyn Host, args: &[String], io: &mut Io) -> i32 {
        let a0 = self.sh.who();
        let usage = |io: &mut Io| {
            io.err("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
            2
        };
        let mut rest = args;
        let mut signal = "TERM".to_string();
        match rest.first().map(String::as_str) {
            Some("-s" | "-n") => {
                let Some(sig) = rest.get(1) else {
                    return usage(io);
                };
                signal = sig.clone();
                rest = &rest[2..];
            }
            Some(a) if a.starts_with('-') && a.len() > 1 => {
                signal = a[1..].to_string();
                rest = &rest[1..];
            }
            _ => {}
        }
        let sig = signal.trim_start_matches("SIG").to_ascii_uppercase();
        let word = match sig.as_str() {
            "9" | "KILL" => "Killed",
            "2" | "INT" => "Interrupt",
            "1" | "HUP" => "Hangup",
            "15" | "TERM" => "Terminated",
            _ => {
                io.err(format!(
                    "{a0}: kill: {signal}: invalid signal specification\n"
                ));
                return 1;
            }
        };
        if rest.is_empty() {
            return usage(io);
        }
        let mut status = 0;
        for t in rest {
            let found = if let Some(spec) = t.strip_prefix('%') {
                self.job_index(spec)
                    .ok_or_else(|| format!("{a0}: kill: {t}: no such job\n"))
            } else if let Ok(pid) = t.parse::<u32>() {
                let base = self.sh.pid + 100;
                self.jobs
                    .iter()
                    .position(|j| base + j.id as u32 == pid)
                    .ok_or_else(|| format!("{a0}: kill: ({t}) - No such process\n"))
            } else {
                Err(format!(
                    "{a0}: kill: {t}: arguments must be process or job IDs\n"
                ))
            };
            match found {
                Ok(i) => {
                    let mark = self.job_mark(i);
                    let mut job = self.jobs.remove(i);
                    job.proc.cancel_all(host);
                    if self.sh.interactive {
                        io.err(job_line(job.id, mark, word, &job.text));
                    }
                }
                Err(e) => {
                    io.err(e);
                    status = 1;
                }
            }
        }
        status
    }

    /// When the process wants to be stepped again even if nothing else happens.
    pub fn wake_at(&self, host: &dyn Host) -> Option<Millis> {
        let mut t = self.frames_wake(host);
        for j in &self.jobs {
            t = min_opt(t, j.proc.wake_at(host));
        }
        t
    }

    fn frames_wake(&self, host: &dyn Host) -> Option<Millis> {
        match self.frames.last()? {
            Frame::Wait {
                what: Waiting::Sleep(t),
                ..
            } => Some(*t),
            Frame::Wait {
                what: Waiting::Host(h),
                ..
            } => host.wake_at(*h),
            Frame::Pipe { child: Some(c), .. }
            | Frame::Subs { child: Some(c), .. }
            | Frame::Child { proc: c, .. } => c.wake_at(host),
            _ => None,
        }
    }

    /// Ctrl+C: stop the foreground command (background jobs go on).
    pub fn interrupt(&mut self, host: &mut dyn Host) {
        self.cancel_all(host);
        self.sh.status = 130;
    }

    fn cancel_all(&mut self, host: &mut dyn Host) {
        for f in std::mem::take(&mut self.frames) {
            match f {
                Frame::Wait {
                    what: Waiting::Host(h),
                    ..
                } => host.cancel(h),
                Frame::Pipe {
                    child: Some(mut c), ..
                }
                | Frame::Subs {
                    child: Some(mut c), ..
                }
                | Frame::Child { proc: mut c, .. } => c.cancel_all(host),
                Frame::Func { saved, locals } => self.leave_func(saved, locals),
                _ => {}
            }
        }
        self.func_depth = 0;
        self.pending_jump = None;
        self.subs_out = None;
    }

    /// The stdin a command gets: the innermost redirected one, else the process's.
    fn current_stdin(&self) -> Option<Stdin> {
        for f in self.frames.iter().rev() {
            if let Frame::Scope { stdin: Some(s), .. } = f {
                return Some(s.clone());
            }
        }
        self.stdin.clone()
    }

    /// Send output written at frame depth `level` through the scopes below it.
    fn route(&mut self, host: &mut dyn Host, level: usize, fd: u32, data: &[u8], out: &mut Out) {
        let mut fd = fd;
        for i in (0..level.min(self.frames.len())).rev() {
            if let Frame::Scope { fds, .. } = &self.frames[i] {
                match lookup(fds, fd) {
                    None => {}
                    Some(Target::Fd(n)) => fd = *n,
                    Some(Target::Tty) => return out.write(1, data),
                    Some(Target::Null) => return,
                    Some(Target::File(p)) => {
                        let p = p.clone();
                        let _ = host.fs().append(&p, data);
                        return;
                    }
                }
            }
        }
        match lookup(&self.exec_fds, fd) {
            None => out.write(fd, data),
            Some(Target::Fd(n)) => out.write(*n, data),
            Some(Target::Tty) => out.write(1, data),
            Some(Target::Null) => {}
            Some(Target::File(p)) => {
                let p = p.clone();
                let _ = host.fs().append(&p, data);
            }
        }
    }

    /// Route a command's output through its own redirections, then the scopes.
    fn emit(&mut self, host: &mut dyn Host, fds: &Fds, chunks: Vec<(u32, Vec<u8>)>, out: &mut Out) {
        let level = self.frames.len();
        for (fd, data) in chunks {
            match lookup(fds, fd) {
                None => self.route(host, level, fd, &data, out),
                Some(Target::Fd(n)) => self.route(host, level, *n, &data, out),
                Some(Target::Tty) => out.write(1, &data),
                Some(Target::Null) => {}
                Some(Target::File(p)) => {
                    let _ = host.fs().append(p, &data);
                }
            }
        }
    }

    fn err(&mut self, host: &mut dyn Host, msg: &str, out: &mut Out) {
        self.out_of_memory |= msg.starts_with(crate::OUT_OF_MEMORY);
        let line = format!("{}: {msg}\n", self.sh.who());
        let level = self.frames.len();
        self.route(host, level, 2, line.as_bytes(), out);
    }

    fn run(&mut self, host: &mut dyn Host, out: &mut Out, budget: &mut Budget) -> Status {
        // Time stands still while a process runs: `$SECONDS` reads the clock of this turn.
        self.sh.dynamic.tick(host.now(), host.unix_ms());
        loop {
            if budget.exhausted {
                return Status::Exited(BUDGET_STATUS);
            }
            if std::mem::take(&mut self.out_of_memory) {
                self.cancel_all(host);
                self.sh.status = 2;
                if !self.sh.interactive {
                    self.exited = Some(2);
                }
                return Status::Exited(2);
            }
            if let Some(code) = self.exited {
                self.cancel_all(host);
                if self.run_exit_trap(code) {
                    continue;
                }
                return Status::Exited(code);
            }
            let Some(frame) = self.frames.pop() else {
                if self.run_exit_trap(self.sh.status) {
                    continue;
                }
                return Status::Exited(self.sh.status);
            };
            if let Some((levels, cont)) = self.pending_jump {
                match frame {
                    Frame::Loop { .. } | Frame::For { .. } | Frame::ArithFor { .. }
                        if levels <= 1 =>
                    {
                        self.pending_jump = None;
                        if cont {
                            match frame {
                                Frame::Loop { cmd, .. } => self.loop_cond(cmd, 0),
                                f => self.frames.push(f),
                            }
                        }
                        continue;
                    }
                    Frame::Loop { .. } | Frame::For { .. } | Frame::ArithFor { .. } => {
                        self.pending_jump = Some((levels - 1, cont));
                        continue;
                    }
                    Frame::Func { saved, locals } => {
                        self.pending_jump = None;
                        self.leave_func(saved, locals);
                        self.func_depth -= 1;
                        continue;
                    }
                    _ => continue,
                }
            }
            match frame {
                Frame::List { list, idx } => {
                    if idx < list.len() {
                        self.frames.push(Frame::List {
                            list: list.clone(),
                            idx: idx + 1,
                        });
                        if list[idx].background {
                            self.spawn_job(host, &list, idx, out);
                        } else {
                            self.frames.push(Frame::AndOr {
                                list,
                                idx,
                                next: 0,
                                ran: false,
                            });
                        }
                    }
                }
                Frame::AndOr {
                    list,
                    idx,
                    next,
                    ran,
                } => {
                    let ao = &list[idx];
                    if next == 0 {
                        let p = ao.first.clone();
                        self.frames.push(Frame::AndOr {
                            list: list.clone(),
                            idx,
                            next: 1,
                            ran: !p.bang,
                        });
                        self.start_pipeline(p);
                    } else if let Some((and, p)) = ao.rest.get(next - 1) {
                        let p = p.clone();
                        let go = (*and && self.sh.status == 0) || (!*and && self.sh.status != 0);
                        self.frames.push(Frame::AndOr {
                            list: list.clone(),
                            idx,
                            next: next + 1,
                            ran: go && !p.bang,
                        });
                        if go {
                            self.start_pipeline(p);
                        }
                    } else if ran
                        && self.sh.status != 0
                        && self.sh.opts.errexit
                        && !self.errexit_exempt()
                    {
                        // `set -e`: the last command of the list ran and failed.
                        self.exited = Some(self.sh.status);
                    }
                }
                Frame::Bang => self.sh.status = (self.sh.status == 0) as i32,
                Frame::SyntaxError(msg) => {
                    let level = self.frames.len();
                    self.route(host, level, 2, msg.as_bytes(), out);
                    self.sh.status = 2;
                    self.exited = Some(2);
                }
                Frame::ExitAfterTrap(code) => self.exited = Some(code),
                Frame::ExitAfterExec => self.exited = Some(self.sh.status),
                Frame::Pipe {
                    cmds,
                    bang,
                    stage,
                    input,
                    child,
                    buf,
                    failed,
                } => {
                    let mut child = match child {
                        Some(c) => c,
                        None => {
                            if self.depth >= MAX_PROC_DEPTH {
                                self.err(
                                    host,
                                    &format!("maximum nesting level exceeded ({MAX_PROC_DEPTH})"),
                                    out,
                                );
                                self.sh.status = 1;
                                continue;
                            }
                            let stdin = match input {
                                Some(ref d) if stage > 0 => Some(stdin_of(d.clone())),
                                _ => self.current_stdin(),
                            };
                            let list = Rc::new(vec![AndOr {
                                first: Pipeline {
                                    bang: false,
                                    cmds: vec![cmds[stage].clone()],
                                },
                                rest: vec![],
                                background: false,
                            }]);
                            let mut c = self.child(list, stdin);
                            c.tty = stage + 1 == cmds.len() && self.fd1_tty();
                            Box::new(c)
                        }
                    };
                    if !budget.tick() {
                        return Status::Exited(BUDGET_STATUS);
                    }
                    let mut cout = Out::default();
                    let st = child.run(host, &mut cout, budget);
                    let last = stage + 1 == cmds.len();
                    let mut buf = buf;
                    let level = self.frames.len();
                    for (fd, d) in cout.take() {
                        if fd == 1 && !last {
                            buf.extend_from_slice(&d);
                        } else {
                            self.route(host, level, fd, &d, out);
                        }
                    }
                    match st {
                        Status::Blocked => {
                            self.frames.push(Frame::Pipe {
                                cmds,
                                bang,
                                stage,
                                input,
                                child: Some(child),
                                buf,
                                failed,
                            });
                            return Status::Blocked;
                        }
                        Status::Exited(code) => {
                            let failed = if code != 0 { code } else { failed };
                            if last {
                                let code = if self.sh.opts.pipefail { failed } else { code };
                                self.sh.status = if bang { (code == 0) as i32 } else { code };
                            } else {
                                self.frames.push(Frame::Pipe {
                                    cmds,
                                    bang,
                                    stage: stage + 1,
                                    input: Some(buf),
                                    child: None,
                                    buf: Vec::new(),
                                    failed,
                                });
                            }
                        }
                    }
                }
                Frame::Subs {
                    lists,
                    mut results,
                    child,
                    mut captured,
                    last,
                } => {
                    if child.is_none() && results.len() == lists.len() {
                        self.subs_out = Some((results, last));
                        continue;
                    }
                    let mut child = match child {
                        Some(c) => c,
                        None => {
                            if self.depth >= MAX_PROC_DEPTH {
                                self.err(
                                    host,
                                    &format!("maximum nesting level exceeded ({MAX_PROC_DEPTH})"),
                                    out,
                                );
                                results.push(String::new());
                                self.frames.push(Frame::Subs {
                                    lists,
                                    results,
                                    child: None,
                                    captured,
                                    last: Some(1),
                                });
                                continue;
                            }
                            let stdin = self.current_stdin();
                            let mut c = self.child(lists[results.len()].list.clone(), stdin);
                            // bash's command substitutions do not inherit `set -e`.
                            c.sh.opts.errexit = false;
                            Box::new(c)
                        }
                    };
                    if !budget.tick() {
                        return Status::Exited(BUDGET_STATUS);
                    }
                    let mut cout = Out::default();
                    let st = child.run(host, &mut cout, budget);
                    let level = self.frames.len();
                    for (fd, d) in cout.take() {
                        if fd == 1 {
                            captured.extend_from_slice(&d);
                        } else {
                            self.route(host, level, fd, &d, out);
                        }
                    }
                    match st {
                        Status::Blocked => {
                            self.frames.push(Frame::Subs {
                                lists,
                                results,
                                child: Some(child),
                                captured,
                                last,
                            });
                            return Status::Blocked;
                        }
                        Status::Exited(code) => {
                            let i = results.len();
                            if lists[i].file {
                                // bash hands the command /dev/fd/63, then 62, ... to read.
                                let n = lists[..i].iter().filter(|s| s.file).count();
                                let path = format!("/dev/fd/{}", 63 - n);
                                host.fs().write(&path, std::mem::take(&mut captured));
                                results.push(path);
                            } else {
                                let mut s = String::from_utf8_lossy(&captured).into_owned();
                                while s.ends_with('\n') {
                                    s.pop();
                                }
                                results.push(s);
                            }
                            self.frames.push(Frame::Subs {
                                lists,
                                results,
                                child: None,
                                captured: Vec::new(),
                                last: Some(code),
                            });
                        }
                    }
                }
                Frame::Simple { cmd, subs } => {
                    let Command::Simple(s) = &*cmd else { continue };
                    self.sh.dynamic.set_line(s.line);
                    // In the order they are expanded: assignments, words, a declaration's
                    // array assignments, redirections.
                    let words = s
                        .assigns
                        .iter()
                        .filter(|a| !a.after)
                        .flat_map(Assign::words);
                    let words = words
                        .chain(&s.words)
                        .chain(s.assigns.iter().filter(|a| a.after).flat_map(Assign::words))
                        .chain(s.redirs.iter().map(|r| &r.target));
                    let retry = || Frame::Simple {
                        cmd: cmd.clone(),
                        subs: None,
                    };
                    let Some(subs) = self.subs_ready(words, subs, retry) else {
                        continue;
                    };
                    if !budget.tick() {
                        return Status::Exited(BUDGET_STATUS);
                    }
                    if let Some(st) = self.simple(host, &cmd, subs, out) {
                        return st;
                    }
                }
                Frame::Wait { what, fds } => {
                    let mut io = self.io();
                    let done = match &what {
                        Waiting::Sleep(t) => (host.now() >= *t).then_some(0),
                        Waiting::Host(h) => host.poll(*h, &mut io),
                        Waiting::Follow { path, offset } => {
                            let data = host.fs().read(path).unwrap_or_default();
                            let new_off = data.len();
                            if new_off > *offset {
                                io.out(&data[*offset..]);
                            }
                            let chunks = io.out.take();
                            self.emit(host, &fds, chunks, out);
                            self.frames.push(Frame::Wait {
                                what: Waiting::Follow {
                                    path: path.clone(),
                                    offset: new_off.max(*offset),
                                },
                                fds,
                            });
                            return Status::Blocked;
                        }
                        Waiting::Jobs => self.jobs.is_empty().then_some(0),
                    };
                    let chunks = io.out.take();
                    self.emit(host, &fds, chunks, out);
                    match done {
                        Some(code) => self.sh.status = code,
                        None => {
                            self.frames.push(Frame::Wait { what, fds });
                            return Status::Blocked;
                        }
                    }
                }
                Frame::Scope { fds, stdin, body } => {
                    if let Some(body) = body {
                        self.frames.push(Frame::Scope {
                            fds,
                            stdin,
                            body: None,
                        });
                        self.start_compound(body);
                    }
                }
                Frame::CompoundRedirs { cmd, subs } => {
                    let Command::Compound(_, redirs) = &*cmd else {
                        continue;
                    };
                    let retry = || Frame::CompoundRedirs {
                        cmd: cmd.clone(),
                        subs: None,
                    };
                    let Some(subs) = self.subs_ready(redirs.iter().map(|r| &r.target), subs, retry)
                    else {
                        continue;
                    };
                    // Its errors name the line it starts on.
                    if let Some(line) = first_line(&cmd) {
                        self.sh.dynamic.set_line(line);
                    }
                    match self.redirections(host, redirs, &subs.0, out) {
                        Ok((fds, stdin)) => self.frames.push(Frame::Scope {
                            fds,
                            stdin,
                            body: Some(cmd.clone()),
                        }),
                        Err(()) => self.redir_failed(None),
                    }
                }
                Frame::If { cmd, i, in_body } => {
                    let Command::Compound(Compound::If { clauses, otherwise }, _) = &*cmd else {
                        continue;
                    };
                    if in_body {
                        continue;
                    }
                    if self.sh.status == 0 {
                        let body = clauses[i].1.clone();
                        self.frames.push(Frame::If {
                            cmd: cmd.clone(),
                            i,
                            in_body: true,
                        });
                        self.frames.push(Frame::List { list: body, idx: 0 });
                    } else if i + 1 < clauses.len() {
                        let cond = clauses[i + 1].0.clone();
                        self.frames.push(Frame::If {
                            cmd: cmd.clone(),
                            i: i + 1,
                            in_body: false,
                        });
                        self.frames.push(Frame::List { list: cond, idx: 0 });
                    } else if let Some(o) = otherwise {
                        let o = o.clone();
                        self.frames.push(Frame::If {
                            cmd: cmd.clone(),
                            i,
                            in_body: true,
                        });
                        self.frames.push(Frame::List { list: o, idx: 0 });
                    } else {
                        self.sh.status = 0;
                    }
                }
                Frame::Loop { cmd, in_body, last } => {
                    let Command::Compound(Compound::Loop { until, body, .. }, _) = &*cmd else {
                        continue;
                    };
                    if !budget.tick() {
                        return Status::Exited(BUDGET_STATUS);
                    }
                    if in_body {
                        let last = self.sh.status;
                        self.loop_cond(cmd, last);
                    } else if (self.sh.status == 0) != *until {
                        let body = body.clone();
                        self.frames.push(Frame::Loop {
                            cmd: cmd.clone(),
                            in_body: true,
                            last,
                        });
                        self.frames.push(Frame::List { list: body, idx: 0 });
                    } else {
                        self.sh.status = last;
                    }
                }
                Frame::For {
                    cmd,
                    items,
                    idx,
                    subs,
                    last,
                } => {
                    let Command::Compound(Compound::For { var, words, body }, _) = &*cmd else {
                        continue;
                    };
                    let items = match items {
                        Some(i) => i,
                        None => {
                            let Some(words) = words else {
                                let items = self.sh.positional.clone();
                                self.frames.push(Frame::For {
                                    cmd: cmd.clone(),
                                    items: Some(items),
                                    idx,
                                    subs,
                                    last,
                                });
                                continue;
                            };
                            let retry = || Frame::For {
                                cmd: cmd.clone(),
                                items: None,
                                idx,
                                subs: None,
                                last,
                            };
                            let Some(subs) = self.subs_ready(words, subs, retry) else {
                                continue;
                            };
                            match self.expand_words(host, words, &subs.0) {
                                Ok(v) => v,
                                Err(e) => {
                                    self.script_error(host, &e, out);
                                    continue;
                                }
                            }
                        }
                    };
                    if !budget.tick() {
                        return Status::Exited(BUDGET_STATUS);
                    }
                    let last = if idx > 0 { self.sh.status } else { last };
                    if idx < items.len() {
                        self.sh.set(var, &items[idx]);
                        let body = body.clone();
                        self.frames.push(Frame::For {
                            cmd: cmd.clone(),
                            items: Some(items),
                            idx: idx + 1,
                            subs: None,
                            last,
                        });
                        self.frames.push(Frame::List { list: body, idx: 0 });
                    } else {
                        self.sh.status = last;
                    }
                }
                Frame::Case { cmd, subs } => {
                    let Command::Compound(Compound::Case { word, arms }, _) = &*cmd else {
                        continue;
                    };
                    let retry = || Frame::Case {
                        cmd: cmd.clone(),
                        subs: None,
                    };
                    let Some((subs, _)) = self.subs_ready([word], subs, retry) else {
                        continue;
                    };
                    let fs: &crate::Vfs = host.fs();
                    let mut ex = Ex {
                        sh: &mut self.sh,
                        fs,
                        subs: &subs,
                        next_sub: 0,
                    };
                    let value = ex.string(word);
                    let mut chosen = None;
                    if let Ok(value) = &value {
                        'arms: for (pats, body) in arms {
                            for p in pats {
                                if let Ok(p) = ex.pattern(p) {
                                    if crate::glob::matches(&p, value) {
                                        chosen = Some(body.clone());
                                        break 'arms;
                                    }
                                }
                            }
                        }
                    }
                    match (value, chosen) {
                        (Err(e), _) => {
                            self.script_error(host, &e, out);
                        }
                        (Ok(_), Some(body)) => self.frames.push(Frame::List { list: body, idx: 0 }),
                        (Ok(_), None) => self.sh.status = 0,
                    }
                }
                Frame::Test { cmd, subs } => {
                    let Command::Compound(test, _) = &*cmd else {
                        continue;
                    };
                    let mut words = Vec::new();
                    match test {
                        Compound::Cond(c) => cond_words(c, &mut words),
                        Compound::Arith(w) => words.push(w),
                        _ => continue,
                    }
                    let retry = || Frame::Test {
                        cmd: cmd.clone(),
                        subs: None,
                    };
                    let Some((subs, _)) = self.subs_ready(words, subs, retry) else {
                        continue;
                    };
                    let fs: &crate::Vfs = host.fs();
                    let r = match test {
                        Compound::Cond(c) => crate::cond::eval(c, &mut self.sh, fs, &subs)
                            .map_err(|e| format!("[[: {e}")),
                        Compound::Arith(w) => self.arith_value(fs, w, &subs).map(|v| {
                            if v.unwrap_or(0) != 0 {
                                0
                            } else {
                                1
                            }
                        }),
                        _ => continue,
                    };
                    self.sh.status = match r {
                        Ok(status) => status,
                        Err(e) => {
                            self.err(host, &e, out);
                            1
                        }
                    };
                }
                Frame::ArithFor {
                    cmd,
                    stage,
                    subs,
                    last,
                } => {
                    let Command::Compound(Compound::ArithFor(f), _) = &*cmd else {
                        continue;
                    };
                    let ArithFor {
                        init,
                        cond,
                        step,
                        body,
                    } = &**f;
                    let w = match stage {
                        ForStage::Init => init,
                        ForStage::Cond => cond,
                        ForStage::Step => step,
                    };
                    let retry = || Frame::ArithFor {
                        cmd: cmd.clone(),
                        stage,
                        subs: None,
                        last,
                    };
                    let Some((subs, _)) = self.subs_ready([w], subs, retry) else {
                        continue;
                    };
                    if !budget.tick() {
                        return Status::Exited(BUDGET_STATUS);
                    }
                    let last = if stage == ForStage::Step {
                        self.sh.status
                    } else {
                        last
                    };
                    let fs: &crate::Vfs = host.fs();
                    // A blank condition is true.
                    let v = match self.arith_value(fs, w, &subs) {
                        Ok(v) => v.unwrap_or(1),
                        Err(e) => {
                            self.err(host, &e, out);
                            self.sh.status = 1;
                            continue;
                        }
                    };
                    let next = |stage| Frame::ArithFor {
                        cmd: cmd.clone(),
                        stage,
                        subs: None,
                        last,
                    };
                    match stage {
                        ForStage::Init | ForStage::Step => self.frames.push(next(ForStage::Cond)),
                        ForStage::Cond if v != 0 => {
                            self.frames.push(next(ForStage::Step));
                            self.frames.push(Frame::List {
                                list: body.clone(),
                                idx: 0,
                            });
                        }
                        ForStage::Cond => self.sh.status = last,
                    }
                }
                Frame::Func { saved, locals } => {
                    self.leave_func(saved, locals);
                    self.func_depth -= 1;
                }
                Frame::Child { mut proc, mode } => {
                    let mut cout = Out::default();
                    let st = proc.run(host, &mut cout, budget);
                    let level = self.frames.len();
                    for (fd, d) in cout.take() {
                        self.route(host, level, fd, &d, out);
                    }
                    match st {
                        Status::Blocked => {
                            self.frames.push(Frame::Child { proc, mode });
                            return Status::Blocked;
                        }
                        Status::Exited(code) => self.sh.status = code,
                    }
                }
            }
        }
    }

    fn loop_cond(&mut self, cmd: Rc<Command>, last: i32) {
        let Command::Compound(Compound::Loop { cond, .. }, _) = &*cmd else {
            return;
        };
        let cond = cond.clone();
        self.frames.push(Frame::Loop {
            cmd,
            in_body: false,
            last,
        });
        self.frames.push(Frame::List { list: cond, idx: 0 });
    }

    /// The job a job spec names (what follows `%`): `+`, `%` or nothing for the newest, `-` for
    /// the one before, else a job number.
    fn job_index(&self, spec: &str) -> Option<usize> {
        let n = self.jobs.len();
        match spec {
            "" | "%" | "+" => n.checked_sub(1),
            "-" => n.checked_sub(2).or(n.checked_sub(1)),
            _ => {
                let id = spec.parse::<usize>().ok()?;
                self.jobs.iter().position(|j| j.id == id)
            }
        }
    }

    /// `+` for the newest job, `-` for the one before, as `jobs` marks them.
    fn job_mark(&self, i: usize) -> char {
        match self.jobs.len() - i {
            1 => '+',
            2 => '-',
            _ => ' ',
        }
    }

    fn spawn_job(&mut self, host: &mut dyn Host, list: &List, idx: usize, out: &mut Out) {
        // The line as typed, when this job is all of it (`kubectl get pods -w &`).
        let text = match (self.sh.interactive && self.depth == 0, list.len()) {
            (true, 1) => self
                .sh
                .history
                .last()
                .map_or("", |l| l.trim_end().trim_end_matches('&').trim_end()),
            _ => "",
        }
        .to_string();
        let mut ao = list[idx].clone();
        ao.background = false;
        let child = self.child(Rc::new(vec![ao]), None);
        let id = self.next_job;
        self.next_job += 1;
        let pid = self.sh.pid + 100 + id as u32;
        self.sh.last_bg = Some(pid);
        if self.sh.interactive {
            let level = self.frames.len();
            self.route(host, level, 2, format!("[{id}] {pid}\n").as_bytes(), out);
        }
        self.jobs.push(Job {
            id,
            proc: Box::new(child),
            fresh: true,
            text,
        });
        self.sh.status = 0;
    }

    fn start_pipeline(&mut self, p: Pipeline) {
        if p.cmds.len() == 1 {
            if p.bang {
                self.frames.push(Frame::Bang);
            }
            self.start_command(p.cmds[0].clone());
        } else {
            self.frames.push(Frame::Pipe {
                cmds: p.cmds,
                bang: p.bang,
                stage: 0,
                input: None,
                child: None,
                buf: Vec::new(),
                failed: 0,
            });
        }
    }

    fn start_command(&mut self, cmd: Rc<Command>) {
        match &*cmd {
            Command::Simple(_) => self.frames.push(Frame::Simple { cmd, subs: None }),
            Command::Function(name, body) => {
                self.sh.funcs.insert(name.clone(), body.clone());
                self.sh.status = 0;
            }
            Command::Compound(_, redirs) if !redirs.is_empty() => {
                self.frames.push(Frame::CompoundRedirs { cmd, subs: None })
            }
            Command::Compound(..) => self.start_compound(cmd),
        }
    }

    fn start_compound(&mut self, cmd: Rc<Command>) {
        let Command::Compound(c, _) = &*cmd else {
            return;
        };
        match c {
            Compound::Brace(list) => self.frames.push(Frame::List {
                list: list.clone(),
                idx: 0,
            }),
            Compound::Subshell(list) => {
                let stdin = self.current_stdin();
                let mut child = self.child(list.clone(), stdin);
                child.tty = self.fd1_tty();
                self.frames.push(Frame::Child {
                    proc: Box::new(child),
                    mode: ChildMode::Subshell,
                });
            }
            Compound::If { clauses, .. } => {
                let cond = clauses[0].0.clone();
                self.frames.push(Frame::If {
                    cmd: cmd.clone(),
                    i: 0,
                    in_body: false,
                });
                self.frames.push(Frame::List { list: cond, idx: 0 });
            }
            Compound::Loop { .. } => self.loop_cond(cmd.clone(), 0),
            Compound::For { .. } => self.frames.push(Frame::For {
                cmd: cmd.clone(),
                items: None,
                idx: 0,
                subs: None,
                last: 0,
            }),
            Compound::Case { .. } => self.frames.push(Frame::Case {
                cmd: cmd.clone(),
                subs: None,
            }),
            Compound::Cond(_) | Compound::Arith(_) => self.frames.push(Frame::Test {
                cmd: cmd.clone(),
                subs: None,
            }),
            Compound::ArithFor(_) => self.frames.push(Frame::ArithFor {
                cmd: cmd.clone(),
                stage: ForStage::Init,
                subs: None,
                last: 0,
            }),
        }
    }

    /// The outputs of the command substitutions in `words` (and the last one's status): those
    /// `ready` (or just left by a [`Frame::Subs`]), or none when there are none. Else pushes
    /// `retry`, then a [`Frame::Subs`] that runs them, and returns `None`.
    fn subs_ready<'w>(
        &mut self,
        words: impl IntoIterator<Item = &'w Word>,
        ready: Option<(Vec<String>, Option<i32>)>,
        retry: impl FnOnce() -> Frame,
    ) -> Option<(Vec<String>, Option<i32>)> {
        if let Some(done) = ready.or_else(|| self.subs_out.take()) {
            return Some(done);
        }
        let mut lists = Vec::new();
        for w in words {
            collect_subs(w, &mut lists);
        }
        if lists.is_empty() {
            return Some((Vec::new(), None));
        }
        self.frames.push(retry());
        self.frames.push(Frame::Subs {
            lists,
            results: Vec::new(),
            child: None,
            captured: Vec::new(),
            last: None,
        });
        None
    }

    /// `set [-+eux...] [-+o name]... [--] [args]`: options, then the positional parameters.
    fn set_builtin(&mut self, args: &[String], io: &mut Io) -> i32 {
        let a0 = self.sh.who();
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            if a == "--" || a == "-" {
                self.sh.positional = args[i + 1..].to_vec();
                return 0;
            }
            let on = a.starts_with('-');
            if !(on || a.starts_with('+')) || a.len() < 2 {
                self.sh.positional = args[i..].to_vec();
                return 0;
            }
            i += 1;
            for c in a[1..].chars() {
                match c {
                    'e' => self.sh.opts.errexit = on,
                    'u' => self.sh.opts.nounset = on,
                    'x' => self.sh.opts.xtrace = on,
                    'a' | 'b' | 'f' | 'h' | 'k' | 'm' | 'n' | 'p' | 't' | 'v' | 'B' | 'C' | 'E'
                    | 'H' | 'P' | 'T' => {}
                    'o' => match args.get(i) {
                        Some(name) => {
                            i += 1;
                            if !self.sh.opts.set(name, on) {
                                io.err(format!("{a0}: set: {name}: invalid option name\n"));
                                return 2;
                            }
                        }
                        // `set -o` lists the options; `set +o` as commands that restore them.
                        None => {
                            for n in crate::Opts::NAMES {
                                let v = self.sh.opts.get(n);
                                io.out(if on {
                                    format!("{n:<15}\t{}\n", if v { "on" } else { "off" })
                                } else {
                                    format!("set {}o {n}\n", if v { '-' } else { '+' })
                                });
                            }
                        }
                    },
                    _ => {
                        io.err(format!(
                            "{a0}: set: {}{c}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n",
                            if on { '-' } else { '+' }
                        ));
                        return 2;
                    }
                }
            }
        }
        0
    }

    /// A script ends with `code`: when it set `trap ... EXIT`, start those commands (once),
    /// and say so.
    fn run_exit_trap(&mut self, code: i32) -> bool {
        if self.sh.interactive {
            return false;
        }
        let Some(cmds) = self.sh.traps.remove("EXIT") else {
            return false;
        };
        let Ok(list) = parse(&cmds) else {
            return false;
        };
        self.exited = None;
        self.sh.status = code;
        self.frames.push(Frame::ExitAfterTrap(code));
        self.frames.push(Frame::List { list, idx: 0 });
        true
    }

    /// `trap [-p] [[action] signal...]`.
    fn trap_builtin(&mut self, args: &[String], io: &mut Io) -> i32 {
        let a0 = self.sh.who();
        const SIGNALS: &[&str] = &[
            "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
            "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
        ];
        let name = |spec: &str| -> Option<String> {
            let up = spec.to_ascii_uppercase();
            let up = up.strip_prefix("SIG").unwrap_or(&up).to_string();
            match spec.parse::<usize>() {
                Ok(0) => Some("EXIT".into()),
                Ok(n) => SIGNALS.get(n).map(|s| s.to_string()).filter(|_| n < 32),
                Err(_)
                    if SIGNALS.contains(&up.as_str())
                        || matches!(up.as_str(), "ERR" | "DEBUG" | "RETURN") =>
                {
                    Some(up)
                }
                Err(_) => None,
            }
        };
        let args: Vec<&String> = args.iter().filter(|a| *a != "--").collect();
        if args.is_empty() || args[0] == "-p" {
            for (sig, cmd) in &self.sh.traps {
                if args.len() <= 1 || args[1..].iter().any(|a| name(a).as_deref() == Some(sig)) {
                    io.out(format!("trap -- {} {sig}\n", quote_single(cmd)));
                }
            }
            return 0;
        }
        // One argument that is a signal, or `-`, resets.
        let (action, sigs) = if args.len() == 1 || args[0] == "-" {
            (
                None,
                if args[0] == "-" {
                    &args[1..]
                } else {
                    &args[..]
                },
            )
        } else {
            (Some(args[0].clone()), &args[1..])
        };
        let mut code = 0;
        for s in sigs {
            match name(s) {
                Some(sig) => match &action {
                    Some(a) => {
                        self.sh.traps.insert(sig, a.clone());
                    }
                    None => {
                        self.sh.traps.remove(&sig);
                    }
                },
                None => {
                    io.err(format!("{a0}: trap: {s}: invalid signal specification\n"));
                    code = 1;
                }
            }
        }
        code
    }

    /// `getopts OPTSTRING NAME [ARG...]`: the next option of the arguments (or of `$@`), in
    /// NAME, its value in OPTARG, and where it got to in OPTIND (and, within a cluster such as
    /// `-ac`, in the shell's own count).
    fn getopts(&mut self, args: &[String], io: &mut Io) -> i32 {
        let a0 = self.sh.arg0.clone();
        let (Some(spec), Some(name)) = (args.first(), args.get(1)) else {
            io.err("getopts: usage: getopts optstring name [arg ...]\n");
            return 2;
        };
        let words: Vec<String> = if args.len() > 2 {
            args[2..].to_vec()
        } else {
            self.sh.positional.clone()
        };
        let silent = spec.starts_with(':');
        let mut optind: usize = self
            .sh
            .get("OPTIND")
            .and_then(|v| v.trim().parse().ok())
            .filter(|&n: &usize| n >= 1)
            .unwrap_or(1);
        // A cluster is resumed only where the last call left it.
        let (at_ind, mut pos) = self.sh.getopts_at;
        if at_ind != optind || pos == 0 {
            pos = 1;
        }
        let end = |sh: &mut Shell, optind: usize| {
            sh.set(name, "?");
            sh.set("OPTIND", &optind.to_string());
            sh.getopts_at = (0, 0);
            1
        };
        let Some(word) = words.get(optind - 1) else {
            return end(&mut self.sh, optind);
        };
        if word == "--" {
            return end(&mut self.sh, optind + 1);
        }
        if !word.starts_with('-') || word == "-" {
            return end(&mut self.sh, optind);
        }
        let chars: Vec<char> = word.chars().collect();
        let c = chars.get(pos).copied().unwrap_or('?');
        pos += 1;
        let last_in_word = pos >= chars.len();
        self.sh.unset("OPTARG");
        let known = c != ':' && spec.contains(c);
        let takes_arg = known && spec[spec.find(c).unwrap_or(0) + c.len_utf8()..].starts_with(':');
        if !known {
            if silent {
                self.sh.set("OPTARG", &c.to_string());
            } else {
                io.err(format!("{a0}: illegal option -- {c}\n"));
            }
            self.sh.set(name, "?");
        } else if takes_arg {
            let value = if !last_in_word {
                Some(chars[pos..].iter().collect::<String>())
            } else {
                // The next word is the value (and is passed over when there is one).
                let v = words.get(optind).cloned();
                if v.is_some() {
                    optind += 1;
                }
                v
            };
            match value {
                Some(v) => {
                    self.sh.set("OPTARG", &v);
                    self.sh.set(name, &c.to_string());
                }
                None if silent => {
                    self.sh.set("OPTARG", &c.to_string());
                    self.sh.set(name, ":");
                }
                None => {
                    io.err(format!("{a0}: option requires an argument -- {c}\n"));
                    self.sh.set(name, "?");
                }
            }
            optind += 1;
            pos = 0;
        } else {
            self.sh.set(name, &c.to_string());
        }
        if pos != 0 && last_in_word {
            optind += 1;
            pos = 0;
        }
        self.sh.set("OPTIND", &optind.to_string());
        self.sh.getopts_at = (optind, pos);
        0
    }

    /// Whether `set -e` lets a failure pass here: at the prompt (the learner's terminal stays
    /// open), or inside a condition (`if`, `while`, `until`), a command of `&&`/`||` but the
    /// last, or a `!` pipeline, however deep in functions.
    fn errexit_exempt(&self) -> bool {
        self.sh.interactive
            || self.frames.iter().any(|f| match f {
                Frame::If { in_body, .. } | Frame::Loop { in_body, .. } => !in_body,
                Frame::AndOr {
                    list, idx, next, ..
                } => *next <= list[*idx].rest.len(),
                Frame::Bang => true,
                _ => false,
            })
    }

    /// An expansion failed (`${x:?}`, an unset variable under `set -u`, `$((1+))`), or an
    /// assignment to a readonly variable: the command does not run, and a script ends there,
    /// as a non-interactive shell does: with status 1 in bash, 2 in dash and ash.
    fn script_error(&mut self, host: &mut dyn Host, e: &str, out: &mut Out) {
        self.err(host, e, out);
        let code = if self.sh.flavour == crate::Flavour::Bash {
            1
        } else {
            2
        };
        self.sh.status = code;
        if !self.sh.interactive {
            self.exited = Some(code);
        }
    }

    /// A function returns: its arguments and the variables its `local` hid come back.
    fn leave_func(&mut self, positional: Vec<String>, locals: Vec<(String, crate::SavedVar)>) {
        self.sh.positional = positional;
        for (name, saved) in locals.into_iter().rev() {
            self.sh.restore(&name, saved);
        }
    }

    /// `local name`: keep `name` as it is to put back when the innermost function returns.
    /// False outside a function.
    fn make_local(&mut self, name: &str) -> bool {
        let saved = self.sh.save(name);
        let Some(Frame::Func { locals, .. }) = self
            .frames
            .iter_mut()
            .rev()
            .find(|f| matches!(f, Frame::Func { .. }))
        else {
            return false;
        };
        if !locals.iter().any(|(n, _)| n == name) {
            locals.push((name.to_string(), saved));
        }
        true
    }

    /// `(( w ))` or a part of `for (( ))`: its value (`None` when it is blank), or bash's
    /// complaint.
    fn arith_value(
        &mut self,
        fs: &crate::Vfs,
        w: &Word,
        subs: &[String],
    ) -> Result<Option<i64>, String> {
        let mut ex = Ex {
            sh: &mut self.sh,
            fs,
            subs,
            next_sub: 0,
        };
        let text = ex.string(w)?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        crate::arith::eval(&text, &mut self.sh)
            .map(Some)
            .map_err(|e| format!("((: {e}"))
    }

    fn expand_words(
        &mut self,
        host: &mut dyn Host,
        words: &[Word],
        subs: &[String],
    ) -> Result<Vec<String>, String> {
        let fs = host.fs();
        fs.cwd = self.sh.cwd.clone();
        let mut ex = Ex {
            sh: &mut self.sh,
            fs,
            subs,
            next_sub: 0,
        };
        ex.words(words)
    }

    fn io(&self) -> Io {
        Io {
            stdin: None,
            stdout_tty: false,
            cwd: self.sh.cwd.clone(),
            env: self.sh.env(),
            out: Out::default(),
        }
    }

    /// Open a command's redirections: its fd table and stdin. Errors are printed.
    /// A file a redirection cannot create (`>`) or open (`<`), in each shell's words: dash's
    /// and ash's `errmsg` name the two cases for a missing file.
    fn redir_error(&self, path: &str, create: bool, e: crate::FsError) -> String {
        let missing = e == crate::FsError::NotFound;
        match (self.sh.flavour, create) {
            (crate::Flavour::Bash, _) => format!("{path}: {}", e.text()),
            (crate::Flavour::Dash, true) if missing => {
                format!("cannot create {path}: Directory nonexistent")
            }
            (crate::Flavour::Dash, false) if missing => format!("cannot open {path}: No such file"),
            (crate::Flavour::Dash, true) => format!("cannot create {path}: {}", e.text()),
            (crate::Flavour::Dash, false) => format!("cannot open {path}: {}", e.text()),
            (crate::Flavour::Ash, true) if missing => {
                format!("can't create {path}: nonexistent directory")
            }
            (crate::Flavour::Ash, false) if missing => format!("can't open {path}: no such file"),
            (crate::Flavour::Ash, true) => format!("can't create {path}: {}", e.text()),
            (crate::Flavour::Ash, false) => format!("can't open {path}: {}", e.text()),
        }
    }

    /// The status a failed redirection leaves: dash's is 2. Before a special builtin
    /// (`exec >/nodir/log`), dash and ash leave a script there.
    fn redir_failed(&mut self, argv: Option<&str>) {
        let code = if self.sh.flavour == crate::Flavour::Dash {
            2
        } else {
            1
        };
        self.sh.status = code;
        let special = argv.is_some_and(|a| SPECIAL_BUILTINS.contains(&a));
        if special && self.sh.flavour != crate::Flavour::Bash && !self.sh.interactive {
            self.exited = Some(code);
        }
    }

    fn redirections(
        &mut self,
        host: &mut dyn Host,
        redirs: &[Redir],
        subs: &[String],
        out: &mut Out,
    ) -> Result<(Fds, Option<Stdin>), ()> {
        let mut fds: Fds = Vec::new();
        let mut stdin = None;
        // Substitutions are numbered across the whole command; those in redirections come
        // after the words', so count from the end.
        let in_redirs: usize = {
            let mut v = Vec::new();
            for r in redirs {
                collect_subs(&r.target, &mut v);
            }
            v.len()
        };
        let mut next_sub = subs.len().saturating_sub(in_redirs);
        for r in redirs {
            let target = {
                let fs: &crate::Vfs = host.fs();
                let mut ex = Ex {
                    sh: &mut self.sh,
                    fs,
                    subs,
                    next_sub,
                };
                let t = if matches!(r.op, RedirOp::Heredoc | RedirOp::HereString | RedirOp::Dup) {
                    ex.string(&r.target)
                } else {
                    ex.words(std::slice::from_ref(&r.target)).and_then(|v| {
                        if v.len() == 1 {
                            Ok(v.into_iter().next().unwrap_or_default())
                        } else {
                            Err(format!(
                                "{}: ambiguous redirect",
                                crate::parse::parse_word_text(&r.target)
                            ))
                        }
                    })
                };
                next_sub = ex.next_sub;
                match t {
                    Ok(t) => t,
                    Err(e) => {
                        self.err(host, &e, out);
                        return Err(());
                    }
                }
            };
            let tty = self.tty || self.sh.interactive;
            let file_target = |p: &str| -> Target {
                if p == "/dev/null" {
                    Target::Null
                } else if p == "/dev/tty" && tty {
                    Target::Tty
                } else if p == "/dev/stdout" {
                    Target::Fd(1)
                } else if p == "/dev/stderr" {
                    Target::Fd(2)
                } else {
                    Target::File(crate::vfs::resolve(&self.sh.cwd, p))
                }
            };
            match &r.op {
                RedirOp::Out | RedirOp::Append | RedirOp::Both { .. } => {
                    let t = file_target(&target);
                    if let Target::File(p) = &t {
                        let fs = host.fs();
                        let res = match (&r.op, fs.stat(p)) {
                            (_, Some(crate::vfs::Node::Dir { .. })) => Err(crate::FsError::IsDir),
                            (RedirOp::Append | RedirOp::Both { append: true }, Some(_)) => {
                                fs.writable(p)
                            }
                            _ => fs.write_file(p, Vec::new()),
                        };
                        if let Err(e) = res {
                            let msg = self.redir_error(&target, true, e);
                            self.err(host, &msg, out);
                            return Err(());
                        }
                    }
                    if let RedirOp::Both { .. } = r.op {
                        fds.push((1, t.clone()));
                        fds.push((2, t));
                    } else {
                        fds.push((r.fd, t));
                    }
                }
                RedirOp::In => {
                    if target == "/dev/null" {
                        stdin = Some(stdin_of(Vec::new()));
                        continue;
                    }
                    match host
                        .fs()
                        .read_file(&crate::vfs::resolve(&self.sh.cwd, &target))
                    {
                        Ok(d) => stdin = Some(stdin_of(d)),
                        Err(e) => {
                            let msg = self.redir_error(&target, false, e);
                            self.err(host, &msg, out);
                            return Err(());
                        }
                    }
                }
                RedirOp::Heredoc => stdin = Some(stdin_of(target.into_bytes())),
                RedirOp::HereString => stdin = Some(stdin_of(format!("{target}\n").into_bytes())),
                RedirOp::Dup => {
                    if target == "-" {
                        fds.push((r.fd, Target::Null));
                    } else if let Ok(n) = target.parse::<u32>() {
                        if r.fd == 0 {
                            continue;
                        }
                        let t = lookup(&fds, n).cloned().unwrap_or(Target::Fd(n));
                        let open = lookup(&fds, n).is_some()
                            || lookup(&self.exec_fds, n).is_some()
                            || self.frames.iter().any(
                                |f| matches!(f, Frame::Scope { fds, .. } if lookup(fds, n).is_some()),
                            );
                        if n > 2 && !open {
                            self.err(host, &format!("{n}: Bad file descriptor"), out);
                            return Err(());
                        }
                        fds.push((r.fd, t));
                    } else {
                        self.err(host, &format!("{target}: ambiguous redirect"), out);
                        return Err(());
                    }
                }
            }
        }
        Ok((fds, stdin))
    }

    /// Expand and run a simple command. `Some(status)` when the process must return now.
    fn simple(
        &mut self,
        host: &mut dyn Host,
        cmd: &Rc<Command>,
        subs: (Vec<String>, Option<i32>),
        out: &mut Out,
    ) -> Option<Status> {
        let Command::Simple(s) = &**cmd else {
            return None;
        };
        let (subs, sub_status) = subs;
        // The substitutions ran in the order: assignments, words, a declaration's array
        // assignments, redirections.
        let count = |ws: &mut dyn Iterator<Item = &Word>| {
            let mut v = Vec::new();
            ws.for_each(|w| collect_subs(w, &mut v));
            v.len()
        };
        let n_assign_subs = count(
            &mut s
                .assigns
                .iter()
                .filter(|a| !a.after)
                .flat_map(Assign::words),
        );
        let n_word_subs = count(&mut s.words.iter());
        let assigns = expand_assigns(&mut self.sh, host.fs(), s, &subs, 0, false);
        let assigns = match assigns {
            Ok(a) => a,
            Err(e) => {
                self.script_error(host, &e, out);
                return None;
            }
        };
        let words = {
            let fs = host.fs();
            fs.cwd = self.sh.cwd.clone();
            let mut ex = Ex {
                sh: &mut self.sh,
                fs,
                subs: &subs,
                next_sub: n_assign_subs,
            };
            ex.words(&s.words)
        };
        let mut argv = match words {
            Ok(w) => w,
            Err(e) => {
                self.script_error(host, &e, out);
                return None;
            }
        };
        let (fds, stdin) = match self.redirections(host, &s.redirs, &subs, out) {
            Ok(r) => r,
            Err(()) => {
                self.redir_failed(argv.first().map(String::as_str));
                return None;
            }
        };
        if argv.is_empty() {
            let mut status = sub_status.unwrap_or(0);
            for a in assigns {
                if self.sh.is_readonly(a.name()) {
                    let msg = self.sh.readonly_error(a.name());
                    self.script_error(host, &msg, out);
                    return None;
                }
                if let Err(e) = self.assign(a) {
                    self.err(host, &e, out);
                    status = 1;
                }
            }
            self.sh.status = status;
            return None;
        }
        // Before a command, only plain `name=value` reach its environment.
        let assigns: Vec<(String, String)> = assigns
            .into_iter()
            .filter_map(|a| match a {
                Assigned::Scalar {
                    name,
                    value,
                    append: false,
                } => Some((name, value)),
                _ => None,
            })
            .collect();
        // Aliases: only for a command name typed as a plain word.
        if s.words.first().is_some_and(|w| w.as_literal().is_some()) {
            let mut seen = Vec::new();
            while let Some(a) = self.sh.aliases.get(&argv[0]).cloned() {
                if seen.contains(&argv[0]) {
                    break;
                }
                seen.push(argv[0].clone());
                let mut words = split_alias(&a);
                if words.is_empty() {
                    argv.remove(0);
                    if argv.is_empty() {
                        self.sh.status = 0;
                        return None;
                    }
                    continue;
                }
                words.extend(argv.drain(1..));
                argv = words;
            }
        }
        // `exec CMD ARGS`: the command takes the shell's place; when it ends, so does the
        // script (`exec tail -f`, `exec nginx`, the usual last line of an entrypoint). A
        // bare `exec` (redirections for the rest of the script) only succeeds.
        let mut replaces = false;
        if argv[0] == "exec" {
            argv.remove(0);
            if argv.is_empty() {
                // `exec >log 2>&1`, `exec <input`: the shell's own descriptors change, for
                // the rest of the script. A descriptor copied (`2>&1`) is where the copied
                // one goes now.
                for (fd, target) in fds {
                    let target = match target {
                        Target::Fd(n) => {
                            lookup(&self.exec_fds, n).cloned().unwrap_or(Target::Fd(n))
                        }
                        t => t,
                    };
                    self.exec_fds.retain(|(f, _)| *f != fd);
                    self.exec_fds.push((fd, target));
                }
                if stdin.is_some() {
                    self.stdin = stdin;
                }
                self.sh.status = 0;
                return None;
            }
            self.frames.push(Frame::ExitAfterExec);
            self.replaced_by(host, &argv);
        } else {
            // The last command of a `-c` string: dash, ash and bash exec it in their own
            // place instead of forking (not with a trap set, which must still run after).
            replaces = self.sh.traps.is_empty() && self.tails.iter().any(|t| Rc::ptr_eq(t, cmd));
        }
        let stdin = stdin.or_else(|| self.current_stdin());
        let r = self.dispatch(host, argv, assigns, fds, stdin, replaces, out);
        // `declare -A m=([k]=v)`, `local a=(x y)`: on the variable just declared (whose kind
        // says what its subscripts are).
        if r.is_none() && self.sh.status == 0 && s.assigns.iter().any(|a| a.after) {
            let first = n_assign_subs + n_word_subs;
            let post = expand_assigns(&mut self.sh, host.fs(), s, &subs, first, true);
            let made = post.and_then(|p| p.into_iter().try_for_each(|a| self.assign(a)));
            if let Err(e) = made {
                self.err(host, &e, out);
                self.sh.status = 1;
            }
        }
        r
    }

    /// Make an expanded assignment.
    fn assign(&mut self, a: Assigned) -> Result<(), String> {
        match a {
            Assigned::Scalar {
                name,
                value,
                append,
            } => {
                let value = if append {
                    format!("{}{value}", self.sh.get(&name).unwrap_or(""))
                } else {
                    value
                };
                self.sh.set(&name, &value);
                Ok(())
            }
            Assigned::Elem {
                name,
                elem,
                value,
                append,
            } => self.sh.set_element(&name, &elem, &value, append),
            Assigned::Array {
                name,
                items,
                append,
            } => {
                self.sh.set_array(&name, items, append);
                Ok(())
            }
        }
    }

    fn dispatch(
        &mut self,
        host: &mut dyn Host,
        argv: Vec<String>,
        assigns: Vec<(String, String)>,
        fds: Fds,
        stdin: Option<Stdin>,
        replaces: bool,
        out: &mut Out,
    ) -> Option<Status> {
        let argv = match script_argv(host.fs(), &self.sh.cwd, &self.sh.arg0, argv) {
            Ok(argv) => argv,
            Err((line, code)) => {
                let level = self.frames.len();
                self.route(host, level, 2, line.as_bytes(), out);
                self.sh.status = code;
                return None;
            }
        };
        let name = argv[0].clone();
        let mut io = self.io();
        io.stdout_tty = self.fd1_tty() && lookup(&fds, 1).is_none();
        for (k, v) in &assigns {
            io.env.insert(k.clone(), v.clone());
        }
        // Functions
        if let Some(body) = self.sh.funcs.get(&name).cloned() {
            if self.func_depth >= MAX_FUNC_DEPTH {
                self.err(
                    host,
                    &format!("{name}: maximum function nesting level exceeded ({MAX_FUNC_DEPTH})"),
                    out,
                );
                self.sh.status = 1;
                return None;
            }
            for (k, v) in &assigns {
                self.sh.set(k, v);
            }
            self.func_depth += 1;
            let saved = std::mem::replace(&mut self.sh.positional, argv[1..].to_vec());
            self.frames.push(Frame::Func {
                saved,
                locals: Vec::new(),
            });
            let stdin_scope =
                stdin.filter(|s| !self.current_stdin().is_some_and(|c| Rc::ptr_eq(&c, s)));
            if !fds.is_empty() || stdin_scope.is_some() {
                self.frames.push(Frame::Scope {
                    fds,
                    stdin: stdin_scope,
                    body: Some(body),
                });
            } else {
                self.start_command(body);
            }
            return None;
        }
        // The shell's own builtins (`:`, `echo`, `test`...) are there on any machine.
        let builtin = SHELL_BUILTINS.contains(&name.as_str());
        let present = builtin || host.has_program(&name);
        if replaces && !builtin && present {
            self.replaced_by(host, &argv);
        }
        // Builtins that work on the shell itself
        if let Some(r) = self.builtin(host, &argv, &assigns, &fds, &stdin, &mut io) {
            let chunks = io.out.take();
            self.emit(host, &fds, chunks, out);
            return r;
        }
        // A command that reads its stdin (takes `io.stdin`) consumes all that is left of it.
        io.stdin = stdin.as_ref().map(|s| {
            let s = s.borrow();
            s.data[s.pos..].to_vec()
        });
        let consume = |io: &Io| {
            if io.stdin.is_none() {
                if let Some(s) = &stdin {
                    let mut s = s.borrow_mut();
                    s.pos = s.data.len();
                }
            }
        };
        if present && host.has_command(&name) {
            let step = host.run(&argv, &mut io);
            consume(&io);
            match step {
                Step::Exit(code) => {
                    let chunks = io.out.take();
                    self.emit(host, &fds, chunks, out);
                    self.sh.status = code;
                    return None;
                }
                Step::Wait(h) => {
                    let chunks = io.out.take();
                    self.emit(host, &fds, chunks, out);
                    self.frames.push(Frame::Wait {
                        what: Waiting::Host(h),
                        fds,
                    });
                    return None;
                }
                Step::NotFound => {}
            }
        }
        let now = host.unix_ms();
        let busybox = self.sh.flavour == crate::Flavour::Ash;
        let fs = host.fs();
        fs.cwd = self.sh.cwd.clone();
        fs.now = now.div_euclid(1000);
        let r = if present {
            utils::run(&argv, &mut io, fs, now, busybox)
        } else {
            None
        };
        consume(&io);
        let chunks = io.out.take();
        match r {
            Some(utils::Outcome::Exit(code)) => {
                self.emit(host, &fds, chunks, out);
                self.sh.status = code;
            }
            Some(utils::Outcome::Follow { path, offset }) => {
                self.emit(host, &fds, chunks, out);
                self.frames.push(Frame::Wait {
                    what: Waiting::Follow { path, offset },
                    fds,
                });
            }
            None => {
                let a0 = self.sh.who();
                let (msg, code) = if name.contains('/') {
                    let p = crate::vfs::resolve(&self.sh.cwd, &name);
                    match host.fs().stat(&p) {
                        Some(crate::vfs::Node::Dir { .. }) => ("Is a directory", 126),
                        Some(_) => ("Permission denied", 126),
                        None => ("No such file or directory", 127),
                    }
                } else {
                    ("command not found", 127)
                };
                // dash and ash say less: `not found`, or `Permission denied` for what is there.
                let msg = match (self.sh.flavour, code) {
                    (crate::Flavour::Bash, _) => msg,
                    (_, 127) => "not found",
                    _ => "Permission denied",
                };
                let mut chunks = chunks;
                chunks.push((2, format!("{a0}: {name}: {msg}\n").into_bytes()));
                self.emit(host, &fds, chunks, out);
                self.sh.status = code;
            }
        }
        None
    }

    /// `argv` takes the shell's place: what `ps` shows for this process from now on. (A
    /// shell inside the script is another process, which its host does not show.)
    fn replaced_by(&mut self, host: &mut dyn Host, argv: &[String]) {
        self.exec_argv = Some(argv.to_vec());
        if self.depth == 0 {
            host.replaced_by(argv);
        }
    }

    /// Builtins that need the shell's state or the interpreter. `None` when `argv[0]` is not
    /// one; `Some(None)` when it ran (status set); `Some(Some(st))` to return `st` now.
    #[allow(clippy::too_many_arguments)]
    fn builtin(
        &mut self,
        host: &mut dyn Host,
        argv: &[String],
        assigns: &[(String, String)],
        fds: &Fds,
        stdin: &Option<Stdin>,
        io: &mut Io,
    ) -> Option<Option<Status>> {
        // Programs the shell plays itself, where the machine has them.
        if matches!(argv[0].as_str(), "bash" | "watch" | "xargs") && !host.has_program(&argv[0]) {
            return None;
        }
        let args = &argv[1..];
        let a0 = self.sh.who();
        let status = match argv[0].as_str() {
            "cd" => {
                let home = self.sh.get("HOME").unwrap_or("/root").to_string();
                let (target, print) = match args.first().map(String::as_str) {
                    None | Some("~") => (home, false),
                    Some("-") => match self.sh.get("OLDPWD") {
                        Some(o) => (o.to_string(), true),
                        None => {
                            io.err(format!("{a0}: cd: OLDPWD not set\n"));
                            self.sh.status = 1;
                            return Some(None);
                        }
                    },
                    Some(d) => (d.to_string(), false),
                };
                if args.len() > 1 {
                    io.err(format!("{a0}: cd: too many arguments\n"));
                    1
                } else {
                    let abs = crate::vfs::resolve(&self.sh.cwd, &target);
                    match host.fs().stat(&abs) {
                        Some(crate::vfs::Node::Dir { .. }) => {
                            let old = std::mem::replace(&mut self.sh.cwd, abs.clone());
                            self.sh.set("OLDPWD", &old);
                            self.sh.set("PWD", &abs);
                            host.fs().cwd = abs.clone();
                            if print {
                                io.out(format!("{abs}\n"));
                            }
                            0
                        }
                        found => {
                            let why = if found.is_some() {
                                "Not a directory"
                            } else {
                                "No such file or directory"
                            };
                            // dash says only that it could not; ash says why too.
                            let (msg, code) = match self.sh.flavour {
                                crate::Flavour::Bash => (format!("{target}: {why}"), 1),
                                crate::Flavour::Dash => (format!("can't cd to {target}"), 2),
                                crate::Flavour::Ash => (format!("can't cd to {target}: {why}"), 2),
                            };
                            io.err(self.sh.builtin_error("cd", &msg));
                            code
                        }
                    }
                }
            }
            "export" | "readonly" | "declare" | "typeset" | "local" => {
                let export = argv[0] == "export";
                let mut code = 0;
                let list = args.is_empty() || args.iter().all(|a| a == "-p");
                let flags: String = args
                    .iter()
                    .filter(|a| a.starts_with('-'))
                    .flat_map(|a| a.chars().skip(1))
                    .collect();
                // `declare -p NAME...`: how each would be declared again.
                if !list && flags == "p" {
                    let vars = self.sh.vars();
                    for a in args.iter().filter(|a| !a.starts_with('-')) {
                        match vars.iter().find(|(k, _, _)| k == a) {
                            Some((k, f, v)) => io.out(format!("declare {f} {k}={}\n", declared(v))),
                            None => {
                                io.err(format!("{a0}: declare: {a}: not found\n"));
                                code = 1;
                            }
                        }
                    }
                    self.sh.status = code;
                    return Some(None);
                }
                let readonly = argv[0] == "readonly" || flags.contains('r');
                if list {
                    for (k, f, v) in self.sh.vars() {
                        let shown = if export {
                            f.contains('x')
                        } else if readonly {
                            f.contains('r')
                        } else {
                            true
                        };
                        if !shown {
                            continue;
                        }
                        match (&v, self.sh.flavour) {
                            // dash and ash list them as they would be made again.
                            (
                                crate::Shown::Scalar(v),
                                crate::Flavour::Dash | crate::Flavour::Ash,
                            ) => io.out(format!("{} {k}={}\n", argv[0], quote_single(v))),
                            _ => io.out(format!("declare {f} {k}={}\n", declared(&v))),
                        }
                    }
                }
                // In a function, `local` (and `declare` without -g) hide the caller's
                // variable until the function returns.
                let local = argv[0] == "local"
                    || (matches!(argv[0].as_str(), "declare" | "typeset")
                        && !args.iter().any(|a| a == "-g"));
                // `export -f NAME`: a function into the environment; `export -n NAME`: a
                // variable out of it.
                if export && (flags.contains('f') || flags.contains('n')) {
                    for name in args.iter().filter(|a| !a.starts_with('-')) {
                        if flags.contains('n') {
                            self.sh.unexport(name);
                        } else if self.sh.funcs.contains_key(name) {
                            self.sh.exported_funcs.insert(name.clone());
                        } else {
                            io.err(format!("{a0}: export: {name}: not a function\n"));
                            code = 1;
                        }
                    }
                    self.sh.status = code;
                    return Some(None);
                }
                let refused = argv[0] == "local" && !list && self.func_depth == 0;
                if refused {
                    if self.sh.flavour != crate::Flavour::Bash {
                        self.special_error(io, "local", "not in a function");
                        return Some(None);
                    }
                    io.err(format!("{a0}: local: can only be used in a function\n"));
                    code = 1;
                }
                for a in args.iter().filter(|a| !refused && !a.starts_with('-')) {
                    let (name, value) = match a.split_once('=') {
                        Some((n, v)) => (n, Some(v)),
                        None => (a.as_str(), None),
                    };
                    if !valid_name(name) {
                        if self.sh.flavour != crate::Flavour::Bash {
                            self.special_error(io, &argv[0], &format!("{name}: bad variable name"));
                            return Some(None);
                        }
                        io.err(format!(
                            "{a0}: {}: `{a}': not a valid identifier\n",
                            argv[0]
                        ));
                        code = 1;
                        continue;
                    }
                    if value.is_some() && self.sh.is_readonly(name) {
                        let msg = self.sh.readonly_error(name);
                        if self.sh.flavour != crate::Flavour::Bash {
                            self.special_error(io, &argv[0], &msg);
                            return Some(None);
                        }
                        io.err(format!("{a0}: {msg}\n"));
                        code = 1;
                        if export {
                            self.sh.export(name);
                        }
                        continue;
                    }
                    let hidden = local && self.make_local(name);
                    if flags.contains('A') || flags.contains('a') {
                        if hidden {
                            self.sh.unset(name);
                        }
                        self.sh.declare_array(name, flags.contains('A'));
                        if value.is_none() {
                            continue;
                        }
                    }
                    if let Some(v) = value {
                        self.sh.set(name, v);
                    } else if hidden {
                        self.sh.unset(name);
                    } else if !self.sh.is_set(name) && !export {
                        self.sh.set(name, "");
                    }
                    if export || args.iter().any(|a| a == "-x") {
                        self.sh.export(name);
                    }
                    if readonly {
                        self.sh.make_readonly(name);
                    }
                }
                code
            }
            "unset" => {
                let mut code = 0;
                let funcs_only = args.iter().any(|a| a == "-f");
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    // `unset 'a[1]'`: one element.
                    if let Some((name, sub)) = a.strip_suffix(']').and_then(|x| x.split_once('[')) {
                        let e = if self.sh.is_assoc(name) {
                            Ok(crate::Elem::Key(sub.to_string()))
                        } else {
                            crate::arith::eval(sub, &mut self.sh).map(crate::Elem::Index)
                        };
                        match e {
                            Ok(e) => self.sh.unset_element(name, &e),
                            Err(e) => io.err(format!("{a0}: {e}\n")),
                        }
                        continue;
                    }
                    if !funcs_only && self.sh.is_readonly(a) {
                        if self.sh.flavour != crate::Flavour::Bash {
                            let msg = self.sh.readonly_error(a);
                            self.special_error(io, "unset", &msg);
                            return Some(None);
                        }
                        io.err(format!(
                            "{a0}: unset: {a}: cannot unset: readonly variable\n"
                        ));
                        code = 1;
                        continue;
                    }
                    if !funcs_only && !valid_name(a) {
                        if self.sh.flavour != crate::Flavour::Bash {
                            self.special_error(io, "unset", &format!("{a}: bad variable name"));
                            return Some(None);
                        }
                        io.err(format!("{a0}: unset: `{a}': not a valid identifier\n"));
                        code = 1;
                        continue;
                    }
                    self.sh.unset(a);
                    self.sh.funcs.remove(a);
                    self.sh.exported_funcs.remove(a);
                }
                code
            }
            "mapfile" | "readarray" => {
                // mapfile [-t] [name]: the lines of the input into an array (MAPFILE).
                let strip = args.iter().any(|a| a == "-t");
                let name = args
                    .iter()
                    .rfind(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_else(|| "MAPFILE".into());
                let data = stdin.as_ref().map(|s| {
                    let mut s = s.borrow_mut();
                    let d = s.data[s.pos..].to_vec();
                    s.pos = s.data.len();
                    d
                });
                let text = String::from_utf8_lossy(&data.unwrap_or_default()).into_owned();
                let items = text
                    .split_inclusive('\n')
                    .map(|l| {
                        (
                            None,
                            if strip { l.trim_end_matches('\n') } else { l }.to_string(),
                        )
                    })
                    .collect();
                self.sh.set_array(&name, items, false);
                0
            }
            "alias" => {
                let mut code = 0;
                if args.is_empty() || args == ["-p"] {
                    for (k, v) in &self.sh.aliases {
                        io.out(format!("alias {k}={}\n", quote_single(v)));
                    }
                }
                for a in args.iter().filter(|a| *a != "-p") {
                    match a.split_once('=') {
                        Some((k, v)) => {
                            self.sh.aliases.insert(k.to_string(), v.to_string());
                        }
                        None => match self.sh.aliases.get(a) {
                            Some(v) => io.out(format!("alias {a}={}\n", quote_single(v))),
                            None => {
                                io.err(format!("{a0}: alias: {a}: not found\n"));
                                code = 1;
                            }
                        },
                    }
                }
                code
            }
            "complete" => complete(&mut self.sh, &args, io),
            "unalias" => {
                let mut code = 0;
                if args.first().map(String::as_str) == Some("-a") {
                    self.sh.aliases.clear();
                } else if args.is_empty() {
                    io.err(format!(
                        "{a0}: unalias: usage: unalias [-a] name [name ...]\n"
                    ));
                    code = 2;
                }
                for a in args.iter().filter(|a| *a != "-a") {
                    if self.sh.aliases.remove(a).is_none() {
                        io.err(format!("{a0}: unalias: {a}: not found\n"));
                        code = 1;
                    }
                }
                code
            }
            "exit" | "logout" => {
                let code = match args.first() {
                    None => self.sh.status,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) => (n & 0xff) as i32,
                        Err(_) if self.sh.flavour == crate::Flavour::Bash => {
                            io.err(format!("{a0}: exit: {a}: numeric argument required\n"));
                            2
                        }
                        Err(_) => {
                            io.err(
                                self.sh
                                    .builtin_error("exit", &format!("Illegal number: {a}")),
                            );
                            2
                        }
                    },
                };
                self.sh.status = code;
                self.exited = Some(code);
                return Some(None);
            }
            "return" => {
                let code = args
                    .first()
                    .and_then(|a| a.parse::<i64>().ok())
                    .map(|n| (n & 0xff) as i32)
                    .unwrap_or(self.sh.status);
                if self.func_depth == 0 {
                    io.err(format!(
                        "{a0}: return: can only `return' from a function or sourced script\n"
                    ));
                    1
                } else {
                    // Unwind to the function frame.
                    while let Some(f) = self.frames.pop() {
                        if let Frame::Func { saved, locals } = f {
                            self.leave_func(saved, locals);
                            self.func_depth -= 1;
                            break;
                        }
                    }
                    code
                }
            }
            "break" | "continue" => {
                let n = args
                    .first()
                    .and_then(|a| a.parse::<usize>().ok())
                    .unwrap_or(1)
                    .max(1);
                let in_loop = self
                    .frames
                    .iter()
                    .rev()
                    .take_while(|f| !matches!(f, Frame::Func { .. }))
                    .any(|f| {
                        matches!(
                            f,
                            Frame::Loop { .. } | Frame::For { .. } | Frame::ArithFor { .. }
                        )
                    });
                if in_loop {
                    self.pending_jump = Some((n, argv[0] == "continue"));
                    0
                } else {
                    io.err(format!(
                        "{a0}: {}: only meaningful in a `for', `while', or `until' loop\n",
                        argv[0]
                    ));
                    0
                }
            }
            "shift" => {
                let n = args
                    .first()
                    .and_then(|a| a.parse::<usize>().ok())
                    .unwrap_or(1);
                if n > self.sh.positional.len() {
                    1
                } else {
                    self.sh.positional.drain(..n);
                    0
                }
            }
            "set" => {
                if args.is_empty() {
                    for (k, _, v) in self.sh.vars() {
                        let v = match v {
                            crate::Shown::Scalar(v) => shell_quote(&v),
                            crate::Shown::Compound(c) => c,
                        };
                        io.out(format!("{k}={v}\n"));
                    }
                    0
                } else {
                    self.set_builtin(args, io)
                }
            }
            "read" => {
                let mut raw = false;
                // `read -a name`: the fields into an indexed array.
                let mut array = None;
                let mut names = Vec::new();
                let mut prompt = None;
                let mut it = args.iter();
                while let Some(a) = it.next() {
                    match a.as_str() {
                        "-r" => raw = true,
                        "-p" => prompt = it.next().cloned(),
                        "-a" => array = it.next().cloned(),
                        "-s" => {}
                        "-ra" | "-ar" => {
                            raw = true;
                            array = it.next().cloned();
                        }
                        _ => names.push(a.clone()),
                    }
                }
                if let Some(p) = prompt {
                    io.err(p);
                }
                if names.is_empty() && array.is_none() {
                    names.push("REPLY".into());
                }
                let line = stdin.as_ref().and_then(|s| {
                    let mut s = s.borrow_mut();
                    if s.pos >= s.data.len() {
                        return None;
                    }
                    let rest = &s.data[s.pos..];
                    let (line, used, complete) = match rest.iter().position(|&b| b == b'\n') {
                        Some(i) => (rest[..i].to_vec(), i + 1, true),
                        None => (rest.to_vec(), rest.len(), false),
                    };
                    s.pos += used;
                    Some((String::from_utf8_lossy(&line).into_owned(), complete))
                });
                match line {
                    None => {
                        for n in &names {
                            self.sh.set(n, "");
                        }
                        if let Some(a) = &array {
                            self.sh.set_array(a, Vec::new(), false);
                        }
                        1
                    }
                    Some((mut line, complete)) => {
                        if !raw {
                            line = line.replace('\\', "");
                        }
                        let ifs = self.sh.get("IFS").unwrap_or(" \t\n").to_string();
                        let mut rest =
                            line.trim_matches(|c: char| ifs.contains(c) && c.is_whitespace());
                        if let Some(a) = &array {
                            let items = rest
                                .split(|c: char| ifs.contains(c))
                                .filter(|f| !f.is_empty())
                                .map(|f| (None, f.to_string()))
                                .collect();
                            self.sh.set_array(a, items, false);
                            names.clear();
                        }
                        for (i, n) in names.iter().enumerate() {
                            if i + 1 == names.len() {
                                self.sh.set(
                                    n,
                                    rest.trim_end_matches(|c: char| {
                                        ifs.contains(c) && c.is_whitespace()
                                    }),
                                );
                            } else {
                                let end =
                                    rest.find(|c: char| ifs.contains(c)).unwrap_or(rest.len());
                                self.sh.set(n, &rest[..end]);
                                rest = rest[end..].trim_start_matches(|c: char| {
                                    ifs.contains(c) && c.is_whitespace()
                                });
                            }
                        }
                        if complete {
                            0
                        } else {
                            1
                        }
                    }
                }
            }
            "trap" => self.trap_builtin(args, io),
            "getopts" => self.getopts(args, io),
            "let" => {
                // `let expr...`: true when the last expression is not 0.
                if args.is_empty() {
                    io.err(format!("{a0}: let: expression expected\n"));
                    1
                } else {
                    let mut last = Ok(0);
                    for a in args {
                        last = crate::arith::eval(a, &mut self.sh);
                        if last.is_err() {
                            break;
                        }
                    }
                    match last {
                        Ok(v) => (v == 0) as i32,
                        Err(e) => {
                            io.err(format!("{a0}: let: {e}\n"));
                            1
                        }
                    }
                }
            }
            // `printf -v name format args`: into a variable instead of the output.
            "printf" if args.first().is_some_and(|a| a == "-v") => {
                let Some(name) = args.get(1).filter(|n| valid_name(n)) else {
                    io.err(format!(
                        "{a0}: printf: `{}': not a valid identifier\n",
                        args.get(1).map_or("", String::as_str)
                    ));
                    self.sh.status = 2;
                    return Some(None);
                };
                let argv: Vec<String> = ["printf".to_string()]
                    .into_iter()
                    .chain(args[2..].iter().cloned())
                    .collect();
                let mut pio = self.io();
                let now = host.unix_ms();
                let busybox = self.sh.flavour == crate::Flavour::Ash;
                let code = match utils::run(&argv, &mut pio, host.fs(), now, busybox) {
                    Some(utils::Outcome::Exit(c)) => c,
                    _ => 1,
                };
                let mut text = Vec::new();
                for (fd, d) in pio.out.take() {
                    if fd == 1 {
                        text.extend_from_slice(&d);
                    } else {
                        io.err(d);
                    }
                }
                self.sh.set(name, &String::from_utf8_lossy(&text));
                code
            }
            "watch" => {
                let cols = self
                    .sh
                    .get("COLUMNS")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(80);
                match crate::watch::watch(args, cols) {
                    crate::watch::Watch::Print { out, err, code } => {
                        io.out(out);
                        io.err(err);
                        code
                    }
                    crate::watch::Watch::Script(script) => {
                        let argv = ["bash", "-c", &script, "watch"].map(String::from);
                        return self.builtin(host, &argv, assigns, fds, stdin, io);
                    }
                }
            }
            "eval" | "source" | "." | "bash" | "sh" => {
                let (src, newshell, arg0, pos): (String, bool, String, Vec<String>) =
                    match argv[0].as_str() {
                        "eval" => (
                            args.join(" "),
                            false,
                            a0.clone(),
                            self.sh.positional.clone(),
                        ),
                        "source" | "." => {
                            let Some(f) = args.first() else {
                                io.err(format!("{a0}: {}: filename argument required\n", argv[0]));
                                self.sh.status = 2;
                                return Some(None);
                            };
                            match host.fs().read_file(&crate::vfs::resolve(&self.sh.cwd, f)) {
                                Ok(d) => (
                                    String::from_utf8_lossy(&d).into_owned(),
                                    false,
                                    a0.clone(),
                                    self.sh.positional.clone(),
                                ),
                                Err(e) => {
                                    io.err(format!("{a0}: {f}: {}\n", e.text()));
                                    self.sh.status = 1;
                                    return Some(None);
                                }
                            }
                        }
                        sh => {
                            let mut it = args
                                .iter()
                                .skip_while(|a| *a != "-c" && a.starts_with('-') && a.len() > 1);
                            match it.next().map(String::as_str) {
                                Some("-c") => match it.next() {
                                    Some(script) => {
                                        let rest: Vec<String> = it.cloned().collect();
                                        let arg0 =
                                            rest.first().cloned().unwrap_or_else(|| sh.to_string());
                                        let pos = rest.iter().skip(1).cloned().collect();
                                        (script.clone(), true, arg0, pos)
                                    }
                                    None => {
                                        io.err(format!("{sh}: -c: option requires an argument\n"));
                                        self.sh.status = 2;
                                        return Some(None);
                                    }
                                },
                                Some(file) => match host
                                    .fs()
                                    .read_file(&crate::vfs::resolve(&self.sh.cwd, file))
                                {
                                    Ok(d) => (
                                        String::from_utf8_lossy(&d).into_owned(),
                                        true,
                                        file.to_string(),
                                        it.cloned().collect(),
                                    ),
                                    Err(e) => {
                                        io.err(format!("{sh}: {file}: {}\n", e.text()));
                                        self.sh.status = 127;
                                        return Some(None);
                                    }
                                },
                                None => {
                                    // An interactive shell inside the shell: nothing to read.
                                    self.sh.status = 0;
                                    return Some(None);
                                }
                            }
                        }
                    };
                let file = newshell && !args.iter().any(|a| a == "-c");
                if newshell {
                    if self.depth >= MAX_PROC_DEPTH {
                        io.err(format!(
                            "{a0}: maximum nesting level exceeded ({MAX_PROC_DEPTH})\n"
                        ));
                        self.sh.status = 1;
                        return Some(None);
                    }
                    let mut child = self.child(Rc::default(), stdin.clone());
                    child.frames.clear();
                    child.sh.arg0 = arg0;
                    let bash = argv[0] != "sh";
                    if bash {
                        child.sh.flavour = crate::Flavour::Bash;
                    } else {
                        child.sh.become_sh();
                    }
                    child.sh.into_new_process(bash);
                    child.load_script(&src, file);
                    child.tty = self.fd1_tty() && lookup(fds, 1).is_none();
                    child.sh.positional = pos;
                    for (k, v) in assigns {
                        child.sh.set(k, v);
                        child.sh.export(k);
                    }
                    let chunks = io.out.take();
                    self.emit(host, fds, chunks, &mut Out::default());
                    if !fds.is_empty() {
                        self.frames.push(Frame::Scope {
                            fds: fds.clone(),
                            stdin: None,
                            body: None,
                        });
                    }
                    self.frames.push(Frame::Child {
                        proc: Box::new(child),
                        mode: ChildMode::Subshell,
                    });
                } else {
                    let list = match parse(&format!("{src}\n")) {
                        Ok(l) => l,
                        Err(e) => {
                            io.err(format!("{a0}: {}\n", e.message()));
                            self.sh.status = 1;
                            return Some(None);
                        }
                    };
                    if !fds.is_empty() {
                        self.frames.push(Frame::Scope {
                            fds: fds.clone(),
                            stdin: None,
                            body: None,
                        });
                    }
                    self.frames.push(Frame::List { list, idx: 0 });
                }
                self.sh.status = 0;
                return Some(None);
            }
            "sleep" => {
                let mut total: f64 = 0.0;
                if args.is_empty() {
                    io.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
                    self.sh.status = 1;
                    return Some(None);
                }
                for a in args {
                    match parse_duration(a) {
                        Some(s) => total += s,
                        None => {
                            io.err(format!("sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information.\n"));
                            self.sh.status = 1;
                            return Some(None);
                        }
                    }
                }
                let ms = (total * 1000.0).round();
                let until = host.now().saturating_add(if ms.is_finite() {
                    ms as Millis
                } else {
                    Millis::MAX / 2
                });
                let chunks = io.out.take();
                self.emit(host, fds, chunks, &mut Out::default());
                self.frames.push(Frame::Wait {
                    what: Waiting::Sleep(until),
                    fds: fds.clone(),
                });
                return Some(None);
            }
            "wait" => {
                self.frames.push(Frame::Wait {
                    what: Waiting::Jobs,
                    fds: fds.clone(),
                });
                return Some(None);
            }
            "jobs" => {
                for (i, j) in self.jobs.iter().enumerate() {
                    let text = if j.text.is_empty() {
                        String::new()
                    } else {
                        format!("{} &", j.text)
                    };
                    io.out(job_line(j.id, self.job_mark(i), "Running", &text));
                }
                0
            }
            "kill" => self.kill(host, args, io),
            "fg" => {
                // The job comes to the foreground: the prompt waits for it, Ctrl+C stops it.
                let found = match args.first() {
                    None => self.job_index("+").ok_or("current"),
                    Some(t) => self
                        .job_index(t.strip_prefix('%').unwrap_or(t))
                        .ok_or(t.as_ref()),
                };
                match found {
                    Ok(i) => {
                        let job = self.jobs.remove(i);
                        io.out(format!("{}\n", job.text));
                        self.frames.push(Frame::Child {
                            proc: job.proc,
                            mode: ChildMode::Subshell,
                        });
                        return Some(None);
                    }
                    Err(t) => {
                        io.err(format!("{a0}: fg: {t}: no such job\n"));
                        1
                    }
                }
            }
            "history" => {
                let start = match args.first().and_then(|a| a.parse::<usize>().ok()) {
                    Some(n) => self.sh.history.len().saturating_sub(n),
                    None => 0,
                };
                if args.first().map(String::as_str) == Some("-c") {
                    self.sh.history = Rc::new(Vec::new());
                } else {
                    for (i, l) in self.sh.history.iter().enumerate().skip(start) {
                        io.out(format!("{:>5}  {l}\n", i + 1));
                    }
                }
                0
            }
            "type" | "which" | "command" => {
                let is_which = argv[0] == "which";
                let mut names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                if argv[0] == "command" {
                    if !args.iter().any(|a| a == "-v" || a == "-V") {
                        // `command foo args`: run foo, skipping functions and aliases.
                        if args.is_empty() {
                            return Some(None);
                        }
                        let saved = self.sh.funcs.remove(&args[0]);
                        let r = self.dispatch(
                            host,
                            args.to_vec(),
                            assigns.to_vec(),
                            fds.clone(),
                            stdin.clone(),
                            false,
                            &mut Out::default(),
                        );
                        if let Some(f) = saved {
                            self.sh.funcs.insert(args[0].clone(), f);
                        }
                        return Some(r);
                    }
                    names.truncate(1);
                }
                let mut code = 0;
                // `type -t`: one word for what the name is; `-p`/`-P`: its file only.
                let kind_only = argv[0] == "type" && args.iter().any(|a| a == "-t");
                let path_only = argv[0] == "type" && args.iter().any(|a| a == "-p" || a == "-P");
                const KEYWORDS: &[&str] = &[
                    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while",
                    "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]",
                    "coproc",
                ];
                for n in names {
                    let alias = self.sh.aliases.get(n.as_str()).cloned();
                    let keyword = !is_which && KEYWORDS.contains(&n.as_str());
                    let desc = if let (Some(a), false) = (&alias, is_which) {
                        Some(format!("{n} is aliased to `{a}'"))
                    } else if keyword {
                        Some(format!("{n} is a shell keyword"))
                    } else if self.sh.funcs.contains_key(n.as_str()) && !is_which {
                        Some(format!("{n} is a function"))
                    } else if SHELL_BUILTINS.contains(&n.as_str()) && !is_which {
                        Some(format!("{n} is a shell builtin"))
                    } else if n.contains('/')
                        && host
                            .fs()
                            .is_executable(&crate::vfs::resolve(&self.sh.cwd, n))
                    {
                        // A path to an executable (`./deploy.sh`) is itself.
                        Some(if is_which || argv[0] == "command" {
                            n.to_string()
                        } else {
                            format!("{n} is {n}")
                        })
                    } else if host.has_program(n)
                        && (host.has_command(n)
                            || utils::exists(n)
                            || matches!(n.as_str(), "sleep" | "xargs" | "bash" | "sh" | "watch"))
                    {
                        let dir = if matches!(n.as_str(), "kubectl" | "kubeplay") {
                            "/usr/local/bin"
                        } else {
                            "/usr/bin"
                        };
                        Some(if is_which || argv[0] == "command" {
                            format!("{dir}/{n}")
                        } else {
                            format!("{n} is {dir}/{n}")
                        })
                    } else {
                        None
                    };
                    let desc = match desc {
                        Some(d) if kind_only => {
                            let kind = if alias.is_some() {
                                "alias"
                            } else if keyword {
                                "keyword"
                            } else if d.ends_with("is a function") {
                                "function"
                            } else if d.ends_with("is a shell builtin") {
                                "builtin"
                            } else {
                                "file"
                            };
                            Some(kind.to_string())
                        }
                        Some(d) if path_only => match d.split_once(" is ") {
                            Some((_, path)) if path.contains('/') => Some(path.to_string()),
                            _ => continue,
                        },
                        d => d,
                    };
                    match desc {
                        Some(d) => io.out(format!("{d}\n")),
                        None => {
                            if !is_which && argv[0] == "type" && !kind_only && !path_only {
                                io.err(format!("{a0}: type: {n}: not found\n"));
                            }
                            code = 1;
                        }
                    }
                }
                code
            }
            "xargs" => {
                let mut n: Option<usize> = None;
                let mut repl: Option<String> = None;
                let mut no_empty = false;
                let mut trace = false;
                let mut i = 0;
                while let Some(a) = args.get(i) {
                    match a.as_str() {
                        "-r" | "--no-run-if-empty" => no_empty = true,
                        "-t" | "--verbose" => trace = true,
                        "-n" | "-L" => {
                            i += 1;
                            n = args.get(i).and_then(|v| v.parse().ok());
                        }
                        "-I" | "-i" => {
                            i += 1;
                            repl = Some(args.get(i).cloned().unwrap_or_else(|| "{}".into()));
                        }
                        s if (s.starts_with("-n") || s.starts_with("-L")) && s.len() > 2 => {
                            n = s[2..].parse().ok()
                        }
                        s if s.starts_with("-I") && s.len() > 2 => repl = Some(s[2..].to_string()),
                        s if s.starts_with('-') && s.len() > 1 => {
                            io.err(format!("xargs: invalid option -- '{}'\nUsage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\nTry 'xargs --help' for more information.\n", &s[1..2]));
                            self.sh.status = 1;
                            return Some(None);
                        }
                        _ => break,
                    }
                    i += 1;
                }
                let mut cmd: Vec<String> = args.get(i..).map(|s| s.to_vec()).unwrap_or_default();
                if cmd.is_empty() {
                    cmd.push("echo".into());
                }
                let input = stdin
                    .as_ref()
                    .map(|s| {
                        let mut s = s.borrow_mut();
                        let d = String::from_utf8_lossy(&s.data[s.pos..]).into_owned();
                        s.pos = s.data.len();
                        d
                    })
                    .unwrap_or_default();
                let mut runs: Vec<Vec<String>> = Vec::new();
                if let Some(r) = &repl {
                    for line in input.lines().filter(|l| !l.trim().is_empty()) {
                        let line = line.trim();
                        runs.push(cmd.iter().map(|a| a.replace(r.as_str(), line)).collect());
                    }
                } else {
                    let items = xargs_split(&input);
                    if items.is_empty() {
                        if !no_empty {
                            runs.push(cmd.clone());
                        }
                    } else {
                        for chunk in items.chunks(n.unwrap_or(usize::MAX).max(1)) {
                            let mut argv = cmd.clone();
                            argv.extend(chunk.iter().cloned());
                            runs.push(argv);
                        }
                    }
                }
                let mut text = String::new();
                for argv in &runs {
                    if trace {
                        io.err(format!("{}\n", argv.join(" ")));
                    }
                    let words: Vec<String> = argv.iter().map(|a| quote_single(a)).collect();
                    text.push_str(&words.join(" "));
                    text.push('\n');
                }
                let chunks = io.out.take();
                self.emit(host, fds, chunks, &mut Out::default());
                match parse(&text) {
                    Ok(list) => {
                        self.frames.push(Frame::Scope {
                            fds: fds.clone(),
                            stdin: Some(stdin_of(Vec::new())),
                            body: None,
                        });
                        self.frames.push(Frame::List { list, idx: 0 });
                        self.sh.status = 0;
                    }
                    Err(_) => self.sh.status = 1,
                }
                return Some(None);
            }
            "help" => {
                io.out(HELP);
                0
            }
            _ => return None,
        };
        self.sh.status = status;
        Some(None)
    }
}

/// POSIX's special builtins: an error in one (a redirection that fails, say) ends a
/// non-interactive dash or ash.
const SPECIAL_BUILTINS: &[&str] = &[
    ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set",
    "shift", "times", "trap", "unset",
];

const SHELL_BUILTINS: &[&str] = &[
    "cd",
    "export",
    "unset",
    "alias",
    "unalias",
    "complete",
    "exit",
    "return",
    "break",
    "continue",
    "shift",
    "set",
    "read",
    "eval",
    "source",
    ".",
    "type",
    "command",
    "history",
    "help",
    "wait",
    "jobs",
    "kill",
    "fg",
    "echo",
    "printf",
    "true",
    "false",
    ":",
    "test",
    "[",
    "pwd",
    "local",
    "declare",
    "readonly",
    "let",
    "mapfile",
    "readarray",
    "typeset",
    "trap",
    "getopts",
];

const HELP: &str = "kubeplay shell: a bash-like shell over a simulated cluster.

Type kubectl commands as on a real cluster (`k` is an alias for kubectl).
Shell features: pipes |, && ||, ;, redirections > >> < 2>&1, heredocs <<EOF,
$VAR and ${VAR:-default}, $(command), $((arithmetic)), aliases,
if/while/for/case, [[ tests ]], (( arithmetic )), for ((;;)), functions with
local variables, background jobs with & (jobs, fg, kill %1).

Commands: alias base64 cat cd clear cp cut date echo env export expr false grep
head history jq ls mkdir mv paste printenv printf pwd rm sed seq sleep sort tail
tee touch tr true uniq unset watch wc which xargs yes, and more.
";

/// The commands of a `-c` string that its shell, reaching one of them as the string's last
/// command, runs in its own place (exec, no fork), so that it becomes the process (`ps`
/// shows it as process 1 of a container whose command is `sh -c '...; sleep 3600'`).
/// - dash and busybox ash (from 1.28, dash's "avoid a fork" change): the last command of the
///   list, of an `&&`/`||` chain, of a brace group, of an `if` branch or `case` arm, even with
///   redirections; not after `!`, in a pipeline, in the background or in a loop;
/// - bash (5.1 on): a lone simple command without redirections, or the right-hand command of
///   the string's top-level `;`, `&&` or `||` (in `x; a && b` that is `a && b`, not `b`);
/// - older busybox ash: none ([`Shell::forks_last`]).
fn tail_commands(list: &List, sh: &Shell) -> Vec<Rc<Command>> {
    fn last_simple(p: &Pipeline) -> Option<&Rc<Command>> {
        match p.cmds.as_slice() {
            [c] if !p.bang => Some(c),
            _ => None,
        }
    }
    fn ash(list: &[AndOr], v: &mut Vec<Rc<Command>>) {
        let Some(last) = list.last().filter(|a| !a.background) else {
            return;
        };
        let Some(c) = last_simple(last.rest.last().map_or(&last.first, |(_, p)| p)) else {
            return;
        };
        match &**c {
            Command::Simple(_) => v.push(c.clone()),
            Command::Compound(Compound::Brace(l), r) if r.is_empty() => ash(l, v),
            Command::Compound(Compound::If { clauses, otherwise }, r) if r.is_empty() => {
                for body in clauses.iter().map(|(_, b)| b).chain(otherwise) {
                    ash(body, v);
                }
            }
            Command::Compound(Compound::Case { arms, .. }, r) if r.is_empty() => {
                for (_, body) in arms {
                    ash(body, v);
                }
            }
            _ => {}
        }
    }
    let mut v = Vec::new();
    if sh.forks_last {
        return v;
    }
    if sh.flavour != crate::Flavour::Bash {
        ash(list, &mut v);
        return v;
    }
    let n = list.len();
    let Some(last) = list.last().filter(|a| !a.background) else {
        return v;
    };
    let p = match last.rest.last() {
        None if n < 2 || !list[n - 2].background => &last.first,
        Some((_, p)) if n == 1 => p,
        _ => return v,
    };
    if let Some(c) = last_simple(p) {
        if matches!(&**c, Command::Simple(s) if s.redirs.is_empty()) {
            v.push(c.clone());
        }
    }
    v
}

/// The line a command starts on, as far as its first simple command tells.
fn first_line(cmd: &Command) -> Option<u32> {
    let list = match cmd {
        Command::Simple(s) => return Some(s.line),
        Command::Function(_, body) => return first_line(body),
        Command::Compound(c, _) => match c {
            Compound::Brace(l) | Compound::Subshell(l) => l,
            Compound::If { clauses, .. } => &clauses.first()?.0,
            Compound::Loop { cond, .. } => cond,
            Compound::For { body, .. } => body,
            Compound::ArithFor(f) => &f.body,
            Compound::Case { .. } | Compound::Cond(_) | Compound::Arith(_) => return None,
        },
    };
    first_line(list.first()?.first.cmds.first()?)
}

fn min_opt(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// xargs' input items: blank-separated, with quotes and backslashes as xargs reads them.
fn xargs_split(s: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut started = false;
    let mut it = s.chars();
    while let Some(c) = it.next() {
        match c {
            '\'' | '"' => {
                started = true;
                for d in it.by_ref() {
                    if d == c {
                        break;
                    }
                    cur.push(d);
                }
            }
            '\\' => {
                started = true;
                cur.extend(it.next());
            }
            c if c.is_whitespace() => {
                if started {
                    items.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            c => {
                started = true;
                cur.push(c);
            }
        }
    }
    if started {
        items.push(cur);
    }
    items
}

fn valid_name(n: &str) -> bool {
    n.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `complete`: register (`complete -o default -F __start_kubectl k`), print (`-p`) and remove
/// (`-r`) completion specifications. The terminal's Tab completion reads them: a name
/// completed with `-F __start_kubectl` completes as kubectl.
fn complete(sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    const USAGE: &str = "complete: usage: complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]\n";
    // Kept in the order `complete -p` prints them: -o options, actions, then the rest.
    let (mut opts, mut actions) = (Vec::new(), Vec::new());
    let mut rest: [Option<String>; 7] = Default::default();
    const LATER: &str = "GWXPSCF";
    let (mut print, mut remove) = (false, false);
    let mut names = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if names.is_empty() && a.len() > 1 && a.starts_with('-') && a != "--" {
            let flags: Vec<char> = a[1..].chars().collect();
            for (j, f) in flags.iter().enumerate() {
                let takes = matches!(f, 'o' | 'A') || LATER.contains(*f);
                let value = if takes {
                    let inline: String = flags[j + 1..].iter().collect();
                    if !inline.is_empty() {
                        Some(inline)
                    } else {
                        i += 1;
                        match args.get(i) {
                            Some(v) => Some(v.clone()),
                            None => {
                                io.err(format!(
                                    "bash: complete: -{f}: option requires an argument\n"
                                ));
                                io.err(USAGE);
                                return 2;
                            }
                        }
                    }
                } else {
                    None
                };
                match (f, value) {
                    ('p', _) => print = true,
                    ('r', _) => remove = true,
                    ('o', Some(v)) => opts.push(format!("-o {v}")),
                    ('A', Some(v)) => actions.push(format!("-A {v}")),
                    (f, Some(v)) => {
                        let v = if *f == 'W' { quote_single(&v) } else { v };
                        rest[LATER.find(*f).unwrap_or(0)] = Some(format!("-{f} {v}"));
                    }
                    (f, None) if "abcdefgjksuvDEI".contains(*f) => actions.push(format!("-{f}")),
                    (f, None) => {
                        io.err(format!("bash: complete: -{f}: invalid option\n"));
                        io.err(USAGE);
                        return 2;
                    }
                }
                if takes {
                    break;
                }
            }
        } else if a != "--" || !names.is_empty() {
            names.push(a.clone());
        }
        i += 1;
    }
    let missing = |io: &mut Io, n: &str| {
        io.err(format!(
            "bash: complete: {n}: no completion specification\n"
        ));
        1
    };
    if remove {
        if names.is_empty() {
            sh.completions.clear();
        }
        let mut code = 0;
        for n in &names {
            if sh.completions.remove(n).is_none() {
                code = missing(io, n);
            }
        }
        return code;
    }
    let given = !opts.is_empty() || !actions.is_empty() || rest.iter().any(Option::is_some);
    if print || (names.is_empty() && !given) {
        let shown: Vec<String> = if names.is_empty() {
            sh.completions.keys().cloned().collect()
        } else {
            names
        };
        let mut code = 0;
        for n in &shown {
            match sh.completions.get(n) {
                Some(spec) => io.out(format!("complete {spec} {n}\n")),
                None => code = missing(io, n),
            }
        }
        return code;
    }
    if names.is_empty() {
        io.err(USAGE);
        return 2;
    }
    let spec: Vec<String> = opts
        .into_iter()
        .chain(actions)
        .chain(rest.into_iter().flatten())
        .collect();
    for n in names {
        sh.completions.insert(n, spec.join(" "));
    }
    0
}

pub(crate) fn quote_single(v: &str) -> String {
    format!("'{}'", v.replace('\'', "'\\''"))
}

fn shell_quote(v: &str) -> String {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c))
    {
        v.to_string()
    } else {
        quote_single(v)
    }
}

/// `sleep`'s NUMBER[SUFFIX], in seconds.
fn parse_duration(s: &str) -> Option<f64> {
    let (num, mult) = match s.char_indices().last()? {
        (i, 's') => (&s[..i], 1.0),
        (i, 'm') => (&s[..i], 60.0),
        (i, 'h') => (&s[..i], 3600.0),
        (i, 'd') => (&s[..i], 86400.0),
        _ => (s, 1.0),
    };
    if num == "inf" || num == "infinity" {
        return Some(f64::INFINITY);
    }
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    (v >= 0.0).then_some(v * mult)
}

/// Split an alias's value into words (quotes honoured, no expansions).
fn split_alias(v: &str) -> Vec<String> {
    match parse(v) {
        Ok(list) => {
            if let [AndOr {
                first: Pipeline { cmds, .. },
                rest,
                ..
            }] = list.as_slice()
            {
                if rest.is_empty() && cmds.len() == 1 {
                    if let Command::Simple(s) = &*cmds[0] {
                        return s
                            .words
                            .iter()
                            .map(|w| crate::parse::parse_word_text(w))
                            .collect();
                    }
                }
            }
            v.split_whitespace().map(str::to_string).collect()
        }
        Err(_) => v.split_whitespace().map(str::to_string).collect(),
    }
}

/// A substitution a command needs run first: `$(...)`, or `<(...)` (`file`), whose output
/// the command reads from a file.
#[derive(Clone)]
struct Sub {
    list: List,
    file: bool,
}

/// The command and process substitutions of a word, in order (not those nested inside them).
/// A value as `declare -p` shows it.
fn declared(v: &crate::Shown) -> String {
    match v {
        crate::Shown::Scalar(v) => format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")),
        crate::Shown::Compound(c) => c.clone(),
    }
}

/// An assignment with its words expanded.
enum Assigned {
    Scalar {
        name: String,
        value: String,
        append: bool,
    },
    Elem {
        name: String,
        elem: crate::Elem,
        value: String,
        append: bool,
    },
    Array {
        name: String,
        items: Vec<(Option<crate::Elem>, String)>,
        append: bool,
    },
}

impl Assigned {
    fn name(&self) -> &str {
        match self {
            Assigned::Scalar { name, .. }
            | Assigned::Elem { name, .. }
            | Assigned::Array { name, .. } => name,
        }
    }
}

/// A simple command's assignments, expanded: those made before it runs, or (`after`) a
/// declaration's arrays, made once it has run. Their command substitutions' outputs start at
/// `subs[first]`.
fn expand_assigns(
    sh: &mut Shell,
    fs: &crate::Vfs,
    s: &Simple,
    subs: &[String],
    first: usize,
    after: bool,
) -> Result<Vec<Assigned>, String> {
    let mut ex = Ex {
        sh,
        fs,
        subs,
        next_sub: first,
    };
    s.assigns
        .iter()
        .filter(|a| a.after == after)
        .map(|a| expand_assign(&mut ex, a))
        .collect()
}

fn expand_assign(ex: &mut Ex, a: &Assign) -> Result<Assigned, String> {
    let name = a.name.clone();
    let append = a.append;
    match (&a.index, &a.value) {
        (Some(i), AssignValue::Scalar(w)) => Ok(Assigned::Elem {
            elem: ex.elem(&name, i)?,
            value: ex.string(w)?,
            name,
            append,
        }),
        (None, AssignValue::Scalar(w)) => Ok(Assigned::Scalar {
            value: ex.string(w)?,
            name,
            append,
        }),
        (_, AssignValue::Array(ws)) => {
            let mut items = Vec::new();
            for w in ws {
                match crate::parse::split_element(w) {
                    Some((k, v)) => items.push((Some(ex.elem(&name, &k)?), ex.string(&v)?)),
                    None => items.extend(
                        ex.words(std::slice::from_ref(w))?
                            .into_iter()
                            .map(|v| (None, v)),
                    ),
                }
            }
            Ok(Assigned::Array {
                name,
                items,
                append,
            })
        }
    }
}

/// The words of a `[[ ]]` expression, in the order they are expanded.
fn cond_words<'a>(c: &'a Cond, out: &mut Vec<&'a Word>) {
    match c {
        Cond::Word(w) | Cond::Unary(_, w) => out.push(w),
        Cond::Binary(a, _, b) => {
            out.push(a);
            out.push(b);
        }
        Cond::Not(c) => cond_words(c, out),
        Cond::And(a, b) | Cond::Or(a, b) => {
            cond_words(a, out);
            cond_words(b, out);
        }
    }
}

fn collect_subs(w: &Word, out: &mut Vec<Sub>) {
    for p in &w.0 {
        collect_part(p, out);
    }
}

fn collect_part(p: &Part, out: &mut Vec<Sub>) {
    match p {
        Part::CmdSub(l) => out.push(Sub {
            list: l.clone(),
            file: false,
        }),
        Part::ProcSub(l) => out.push(Sub {
            list: l.clone(),
            file: true,
        }),
        Part::Double(ps) => ps.iter().for_each(|p| collect_part(p, out)),
        Part::Arith(w) => collect_subs(w, out),
        Part::Param(p) => {
            if let Some(Subscript::Index(w)) = p.sub.as_deref() {
                collect_subs(w, out);
            }
            collect_param_op(&p.op, out)
        }
        Part::Lit(_) | Part::Quoted(_) => {}
    }
}

fn collect_param_op(op: &ParamOp, out: &mut Vec<Sub>) {
    match op {
        ParamOp::Default(_, w)
        | ParamOp::Assign(_, w)
        | ParamOp::Alt(_, w)
        | ParamOp::Error(_, w)
        | ParamOp::TrimPrefix(_, w)
        | ParamOp::TrimSuffix(_, w) => collect_subs(w, out),
        ParamOp::Replace(_, a, b) => {
            collect_subs(a, out);
            collect_subs(b, out)
        }
        ParamOp::Substr(a, b) => {
            collect_subs(a, out);
            if let Some(b) = b {
                collect_subs(b, out)
            }
        }
        _ => {}
    }
}

/// A script run by its path (`./deploy.sh`, after `chmod +x`): the command line of the shell
/// that runs it, as the kernel makes it from the script's `#!` line: `bash ./deploy.sh` for
/// `#!/bin/bash` or `#!/usr/bin/env bash` (and for no `#!` line: bash runs those itself),
/// `sh` for `#!/bin/sh`. Another interpreter is one the machine has not: the error line and
/// status bash (or env) gives. Anything else, a file without an execute bit among them, is
/// left as it is.
fn script_argv(
    fs: &crate::Vfs,
    cwd: &str,
    arg0: &str,
    argv: Vec<String>,
) -> Result<Vec<String>, (String, i32)> {
    let name = &argv[0];
    let path = crate::vfs::resolve(cwd, name);
    if !name.contains('/') || !fs.is_executable(&path) {
        return Ok(argv);
    }
    let data = fs.read(&path).unwrap_or_default();
    let first = data.split(|&b| b == b'\n').next().unwrap_or_default();
    let shell = match first.strip_prefix(b"#!") {
        None => "bash",
        Some(line) => {
            let line = String::from_utf8_lossy(line);
            let mut words = line.split_whitespace();
            let interp = words.next().unwrap_or_default();
            // What the machine has in /bin (= /usr/bin): bash, sh (dash) and env.
            fn known(p: &str) -> Option<&str> {
                let (dir, prog) = p.rsplit_once('/')?;
                matches!(dir, "/bin" | "/usr/bin").then_some(prog)
            }
            match (known(interp), words.next()) {
                (Some("bash"), _) | (Some("env"), Some("bash")) => "bash",
                (Some("sh" | "dash"), _) | (Some("env"), Some("sh" | "dash")) => "sh",
                (Some("env"), Some(prog)) => {
                    return Err((
                        format!("{interp}: ‘{prog}’: No such file or directory\n"),
                        127,
                    ))
                }
                _ => {
                    return Err((
                        format!(
                        "{arg0}: {name}: {interp}: bad interpreter: No such file or directory\n"
                    ),
                        126,
                    ))
                }
            }
        }
    };
    let mut out = Vec::with_capacity(argv.len() + 1);
    out.push(shell.to_string());
    out.extend(argv);
    Ok(out)
}

/// What a shell prints when a script it runs does not parse: bash names the line and quotes
/// it (`deploy.sh: line 5: syntax error near unexpected token `fi'`); dash says
/// `deploy.sh: 5: Syntax error: "fi" unexpected`; busybox's ash
/// `deploy.sh: line 5: syntax error: unexpected "fi"` (no line for `-c`). At the end of the
/// input dash and ash name what they were waiting for (`(expecting "fi")`). They count a
/// newline token as the line after it, and a `-c` string has no newline of its own.
fn syntax_error(
    flavour: crate::Flavour,
    arg0: &str,
    file: bool,
    e: &crate::parse::ScriptError,
) -> String {
    use crate::parse::Open;
    use crate::{Flavour, ParseError};
    let mut line = e.line;
    if flavour == Flavour::Bash {
        let at = if file {
            format!("{arg0}: line {line}")
        } else {
            format!("{arg0}: -c: line {line}")
        };
        let mut msg = format!("{at}: {}\n", e.error.message());
        if let ParseError::Unexpected(_) = e.error {
            msg.push_str(&format!("{at}: `{}'\n", e.text));
        }
        return msg;
    }
    let dash = flavour == Flavour::Dash;
    // What went wrong, as (dash's words, ash's words).
    let (d, a) = match (&e.error, e.open) {
        (ParseError::Unexpected(t), _) if t == "newline" && file => {
            line += 1;
            (
                "Syntax error: newline unexpected".to_string(),
                "syntax error: unexpected newline".to_string(),
            )
        }
        (ParseError::Unexpected(t), _) if t != "newline" => (
            format!("Syntax error: \"{t}\" unexpected"),
            format!("syntax error: unexpected \"{t}\""),
        ),
        (ParseError::TooDeep, _) => (e.error.message(), e.error.message()),
        (_, Some(Open::Quote)) => (
            "Syntax error: Unterminated quoted string".to_string(),
            "syntax error: unterminated quoted string".to_string(),
        ),
        (_, Some(Open::Word(w))) => (
            format!("Syntax error: end of file unexpected (expecting \"{w}\")"),
            format!("syntax error: unexpected end of file (expecting \"{w}\")"),
        ),
        _ => (
            "Syntax error: end of file unexpected".to_string(),
            "syntax error: unexpected end of file".to_string(),
        ),
    };
    match (dash, file) {
        (true, _) => format!("{arg0}: {line}: {d}\n"),
        (false, true) => format!("{arg0}: line {line}: {a}\n"),
        (false, false) => format!("{arg0}: {a}\n"),
    }
}

#[cfg(test)]
mod tail_tests {
    use super::*;

    /// The words of each command `tail_commands` picks in `src`, run by `flavour`.
    fn tails(src: &str, flavour: crate::Flavour) -> Vec<String> {
        let mut sh = Shell::new("sh");
        sh.flavour = flavour;
        let list = crate::parse::parse(src).unwrap();
        tail_commands(&list, &sh)
            .iter()
            .map(|c| match &**c {
                Command::Simple(s) => s
                    .words
                    .iter()
                    .map(|w| w.as_literal().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => unreachable!("only simple commands are exec'd"),
            })
            .collect()
    }

    #[test]
    fn which_last_command_a_c_string_execs() {
        use crate::Flavour::{Ash, Bash, Dash};
        for f in [Ash, Dash, Bash] {
            assert_eq!(tails("sleep 1", f), ["sleep 1"], "{f:?}");
            assert_eq!(tails("echo a; sleep 1", f), ["sleep 1"], "{f:?}");
            assert_eq!(tails("echo a && sleep 1", f), ["sleep 1"], "{f:?}");
            assert_eq!(tails("false || sleep 1", f), ["sleep 1"], "{f:?}");
            for none in [
                "sleep 1 &",
                "! sleep 1",
                "sleep 1 | cat",
                "while true; do sleep 1; done",
                "for i in 1; do sleep 1; done",
            ] {
                assert!(tails(none, f).is_empty(), "{f:?}: {none}");
            }
        }
        // dash and ash follow the tree down; bash only its top-level list.
        for f in [Ash, Dash] {
            assert_eq!(tails("x=1; echo a && sleep 1", f), ["sleep 1"]);
            assert_eq!(tails("echo a & sleep 1", f), ["sleep 1"]);
            assert_eq!(tails("sleep 1 > /tmp/o", f), ["sleep 1"]);
            assert_eq!(tails("{ echo; sleep 1; }", f), ["sleep 1"]);
            assert_eq!(
                tails("if true; then a; elif b; then c; else d; fi", f),
                ["a", "c", "d"]
            );
            assert_eq!(tails("case x in x) a;; *) b;; esac", f), ["a", "b"]);
            assert!(tails("{ sleep 1; } > /tmp/o", f).is_empty());
        }
        assert!(tails("x=1; echo a && sleep 1", Bash).is_empty());
        // `a & b` is a connection by `&`, which bash does not optimize.
        assert!(tails("echo a & sleep 1", Bash).is_empty());
        assert!(tails("sleep 1 > /tmp/o", Bash).is_empty());
        assert!(tails("if true; then sleep 1; fi", Bash).is_empty());
        let mut old = Shell::new("sh");
        old.flavour = Ash;
        old.forks_last = true;
        assert!(tail_commands(&crate::parse::parse("sleep 1").unwrap(), &old).is_empty());
    }
}
