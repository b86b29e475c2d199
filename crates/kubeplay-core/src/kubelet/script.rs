//! `sh -c SCRIPT` inside a container, run by kubeplay-sh's resumable interpreter. The
//! container's files are lent to the interpreter as a `Vfs` for each step; commands that need
//! the cluster (`nslookup`, `wget`, `curl`, `hostname`) are run by the container host.

use super::process::{self, Files, Poll, ProcCx};
use crate::time::Millis;
use kubeplay_sh::{Flavour, Handle, Host, Io, Out, Proc, Shell, Status, Step, Vfs};
use kubeplay_sort::Collect as _;
use std::cell::RefCell;
use std::rc::Rc;

/// A shell script process. The interpreter state is shared between clones of a world (a
/// cloned world is a snapshot for reading, not a second simulation).
#[derive(Clone)]
pub struct Script {
    /// `bash`, or `sh`.
    shell: &'static str,
    pub text: String,
    pub args: Vec<String>,
    state: Rc<RefCell<State>>,
    /// A server the script started as a daemon (`nginx` without `daemon off;`): it serves
    /// while the script, process 1, lives.
    pub daemon: Option<process::ServerKind>,
}

enum State {
    NotStarted,
    Running(Box<Proc>, Follows),
    /// The script put this command, which the kubelet runs, in its place.
    Execed(Vec<String>),
}

impl Script {
    /// Whether the script waits on a `tail -f`.
    pub fn follows(&self) -> bool {
        matches!(&*self.state.borrow(), State::Running(_, f) if !f.is_empty())
    }

    /// The command line the script `exec`ed into, which now is the process.
    pub fn exec_argv(&self) -> Option<Vec<String>> {
        match &*self.state.borrow() {
            State::Running(p, _) => p.exec_argv().map(<[String]>::to_vec),
            State::Execed(argv) => Some(argv.clone()),
            State::NotStarted => None,
        }
    }

    /// The command the script handed its process to, for the kubelet to start
    /// ([`ContainerHost::handoff`]).
    pub fn execed(&self) -> Option<Vec<String>> {
        match &*self.state.borrow() {
            State::Execed(argv) => Some(argv.clone()),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Script").field("text", &self.text).finish()
    }
}

impl PartialEq for Script {
    fn eq(&self, other: &Script) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}
impl Eq for Script {}

/// Directories every container has.
const DIRS: &[&str] = &[
    "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/tmp", "/usr", "/usr/bin", "/var",
    "/var/log",
];

/// The handle a script waits on once it has handed its process to the kubelet: never polled,
/// since the script ends there.
const HANDOFF: u64 = u64::MAX;

/// `tail -f` commands a script is running: handle -> (path, bytes already shown).
pub type Follows = std::collections::BTreeMap<u64, (String, usize)>;

/// The container as the interpreter's host.
pub struct ContainerHost<'a, 'b> {
    pub cx: &'a mut ProcCx<'b>,
    pub vfs: Vfs,
    pub follows: Follows,
    /// The process `kubectl exec` started, when this host runs one (for `ps`).
    pub exec: Option<super::ps::PsProc>,
    /// Process 1's command line, once the script this host runs as process 1 has put a
    /// command in its own place (for `ps`).
    main: Option<Vec<String>>,
    /// That command, when the kubelet runs it rather than the shell (a server): the script
    /// ends here, and the container's process becomes the program.
    handoff: Option<Vec<String>>,
    /// A server the script started in the background (see [`Script::daemon`]).
    daemon: Option<process::ServerKind>,
}

impl<'a, 'b> ContainerHost<'a, 'b> {
    /// Lend the container's files (plus `dirs`, which exist even when empty) as a Vfs.
    pub fn new(cx: &'a mut ProcCx<'b>, dirs: &[String]) -> ContainerHost<'a, 'b> {
        let mut vfs = Vfs::bare();
        vfs.now = crate::time::EPOCH_SECONDS + (cx.now / 1000) as i64;
        for d in DIRS
            .iter()
            .map(|s| s.to_string())
            .chain(dirs.iter().cloned())
            .chain(cx.dirs.iter().cloned())
        {
            let _ = vfs.mkdir(&d, true);
        }
        for (p, d) in cx.fs.iter() {
            vfs.write(p, d.clone());
        }
        vfs.read_only = cx.read_only.to_vec();
        vfs.seed_random(u64::from(crate::names::fnv32a(cx.hostname.as_bytes())) << 32 | cx.now);
        ContainerHost {
            cx,
            vfs,
            follows: Follows::new(),
            exec: None,
            main: None,
            handoff: None,
            daemon: None,
        }
    }

    /// Give the files back to the container; returns the `tail -f`s still following.
    pub fn finish(self) -> Follows {
        let files: Files = self
            .vfs
            .files()
            .map(|(p, d)| (p.clone(), d.clone()))
            .collect_map();
        *self.cx.fs = files;
        self.follows
    }

    /// `tail [-n N] [-f|-F] FILE...`, busybox's or GNU's as the image has; following waits
    /// on the file. A file that is not there ends it (`-F` waits for it instead).
    fn tail(&mut self, args: &[String], io: &mut Io) -> Step {
        let mut n: usize = 10;
        let mut follow = false;
        let mut retry = false;
        let mut files = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            match a.as_str() {
                "-f" | "--follow" => follow = true,
                "-F" => (follow, retry) = (true, true),
                "-n" => {
                    i += 1;
                    n = args
                        .get(i)
                        .and_then(|v| v.trim_start_matches('+').parse().ok())
                        .unwrap_or(10);
                }
                s if s.starts_with("-n") => n = s[2..].parse().unwrap_or(10),
                s if s.len() > 1
                    && s.starts_with('-')
                    && s[1..].chars().all(|c| c.is_ascii_digit()) =>
                {
                    n = s[1..].parse().unwrap_or(10)
                }
                s if s.len() > 1 && s.starts_with('-') => {
                    follow |= s.contains('f') || s.contains('F');
                    retry |= s.contains('F');
                }
                s => files.push(s.to_string()),
            }
            i += 1;
        }
        let Some(path) = files.first() else {
            // No file: tail reads stdin.
            let data = io.stdin.take().unwrap_or_default();
            let text = String::from_utf8_lossy(&data).into_owned();
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            io.out(lines[lines.len().saturating_sub(n)..].concat());
            return Step::Exit(0);
        };
        let abs = kubeplay_sh::vfs::resolve(&io.cwd, path);
        let data = self.vfs.read(&abs);
        match &data {
            Some(d) => {
                let text = String::from_utf8_lossy(d).into_owned();
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                io.out(lines[lines.len().saturating_sub(n)..].concat());
            }
            None => {
                let (said, ends) = process::tail_missing(self.cx.userland, path, follow, retry);
                io.err(said);
                if ends {
                    return Step::Exit(1);
                }
            }
        }
        if !follow {
            return Step::Exit(if data.is_some() { 0 } else { 1 });
        }
        let h = self.follows.keys().next_back().map_or(1, |k| k + 1);
        self.follows.insert(h, (abs, data.map_or(0, |d| d.len())));
        Step::Wait(Handle(h))
    }

    /// `ps`: process 1, the exec's process, and `ps` itself (the exec's process when it is
    /// `ps`, else its child).
    fn ps(&self, argv: &[String]) -> String {
        use super::ps::{exec_pid, PsProc};
        let is_ps = |a: &[String]| {
            a.first()
                .is_some_and(|a| a.rsplit('/').next() == Some("ps"))
        };
        let mut procs = vec![PsProc {
            pid: 1,
            ppid: 0,
            argv: self.main.as_deref().unwrap_or(self.cx.main).to_vec(),
            tty: false,
            stat: "Ss",
            start: self.cx.since,
        }];
        let parent = match &self.exec {
            // Process 1's script put `ps` in its place: ps is process 1.
            None if self.main.as_deref().is_some_and(is_ps) => {
                procs[0].stat = "Rs";
                return super::ps::ps(self.cx.userland, &argv[1..], &procs, 0);
            }
            Some(e) if is_ps(&e.argv) => {
                let running = if e.tty { "Rs+" } else { "Rs" };
                procs.push(PsProc {
                    stat: running,
                    ..e.clone()
                });
                return super::ps::ps(self.cx.userland, &argv[1..], &procs, 1);
            }
            Some(e) => {
                procs.push(e.clone());
                e
            }
            None => &procs[0],
        };
        let me = PsProc {
            pid: if self.exec.is_some() {
                parent.pid + 6
            } else {
                exec_pid(0)
            },
            ppid: parent.pid,
            argv: argv.to_vec(),
            tty: parent.tty,
            stat: if parent.tty { "R+" } else { "R" },
            start: self.cx.now,
        };
        procs.push(me);
        super::ps::ps(self.cx.userland, &argv[1..], &procs, procs.len() - 1)
    }
}

impl Host for ContainerHost<'_, '_> {
    fn replaced_by(&mut self, argv: &[String]) {
        match &mut self.exec {
            Some(e) => e.argv = argv.to_vec(),
            None => self.main = Some(argv.to_vec()),
        }
    }
    fn fs(&mut self) -> &mut Vfs {
        &mut self.vfs
    }
    fn now(&self) -> Millis {
        self.cx.now
    }
    fn has_command(&self, name: &str) -> bool {
        let base = name.rsplit('/').next().unwrap_or(name);
        // The cluster's commands, and the image's programs the shell's utilities have not.
        matches!(
            base,
            "nslookup" | "wget" | "curl" | "hostname" | "tail" | "ps"
        ) || !kubeplay_sh::utils::exists(base)
    }
    fn has_program(&self, name: &str) -> bool {
        process::has_binary(self.cx.userland, Some(self.cx.image), name)
    }
    fn run(&mut self, argv: &[String], io: &mut Io) -> Step {
        let base = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
        if base == "tail" {
            return self.tail(&argv[1..], io);
        }
        if base == "ps" {
            io.out(self.ps(argv));
            return Step::Exit(0);
        }
        // A server that forks a daemon, started by process 1's script (not by the process it
        // exec'd into, which would leave with its daemon): the daemon serves from now on.
        let own_child = self.exec.is_none() && self.main.as_deref() != Some(argv);
        if own_child {
            let (cx, pid) = (&self.cx, super::ps::exec_pid(0));
            if let Some((server, log)) = process::daemon_of(argv, cx.env, cx.image, cx.now, pid) {
                io.err(log);
                self.daemon = Some(server);
                return Step::Exit(0);
            }
        }
        // Lend the Vfs's current files to the simple command, then take back what it wrote.
        let mut files: Files = self
            .vfs
            .files()
            .map(|(p, d)| (p.clone(), d.clone()))
            .collect_map();
        let before = files.clone();
        let mut text = String::new();
        let code = {
            let mut cx = ProcCx {
                now: self.cx.now,
                hostname: self.cx.hostname,
                namespace: self.cx.namespace,
                pod_ip: self.cx.pod_ip,
                env: self.cx.env,
                fs: &mut files,
                out: &mut text,
                net: self.cx.net,
                userland: self.cx.userland,
                image: self.cx.image,
                dirs: self.cx.dirs,
                read_only: self.cx.read_only,
                stdin_open: false,
                main: self.cx.main,
                since: self.cx.since,
            };
            let Some((code, out)) = process::simple(argv, &mut cx) else {
                if self.exec.is_none() && self.main.as_deref() == Some(argv) {
                    self.handoff = Some(argv.to_vec());
                    return Step::Wait(Handle(HANDOFF));
                }
                // A server kubeplay runs, but only as the container's process: as a script's
                // child it would serve while the script waits on it.
                if process::server_of(argv, self.cx.env, self.cx.image).is_some() {
                    io.err(format!("{base}: kubeplay runs this server only as the container's process 1: as its command, after `exec`, or as the last command of `sh -c`\n"));
                    return Step::Exit(127);
                }
                let (code, out) = unsimulated(&base);
                io.err(out);
                return Step::Exit(code);
            };
            cx.out.push_str(&out);
            code
        };
        for (p, d) in files {
            if before.get(&p) != Some(&d) {
                let abs = kubeplay_sh::vfs::resolve(&io.cwd, &p);
                self.vfs.write(&abs, d);
            }
        }
        if code == 0 {
            io.out(text);
        } else {
            io.err(text);
        }
        Step::Exit(code)
    }
    fn poll(&mut self, h: Handle, io: &mut Io) -> Option<i32> {
        let (path, offset) = self.follows.get(&h.0)?.clone();
        if let Some(d) = self.vfs.read(&path) {
            if d.len() > offset {
                io.out(&d[offset..]);
            }
            self.follows.insert(h.0, (path, d.len()));
        }
        None
    }
    fn cancel(&mut self, h: Handle) {
        self.follows.remove(&h.0);
    }
}

/// A program the image has and kubeplay does not play (`top`, `df`): said plainly, as kubectl
/// says of its verbs kubeplay has not.
pub fn unsimulated(base: &str) -> (i32, String) {
    (
        127,
        format!("{base}: this program is not available in kubeplay\n"),
    )
}

/// A fresh `sh` for a container: its environment exported, `/` as the working directory.
pub fn container_shell(
    name: &str,
    env: &[process::EnvPair],
    hostname: &str,
    userland: crate::images::Userland,
    forks_last: bool,
) -> Shell {
    use crate::images::Userland;
    let sh_is = match userland {
        Userland::Busybox | Userland::BusyboxLegacy | Userland::Alpine => Flavour::Ash,
        _ => Flavour::Dash,
    };
    let mut sh = Shell::with_sh(name, sh_is);
    sh.forks_last = forks_last;
    for k in ["SHELL", "USER", "LOGNAME", "TERM"] {
        sh.unset(k);
    }
    sh.set("HOSTNAME", hostname);
    sh.export("HOSTNAME");
    for (k, v) in env {
        sh.set(k, v);
        sh.export(k);
    }
    sh.cwd = "/".into();
    sh.set("PWD", "/");
    sh
}

impl Script {
    /// `shell -c text args...`, where `shell` is `bash` or (for `sh` and `ash`) the image's
    /// `sh`.
    pub fn new(shell: &str, text: &str, args: &[String]) -> Script {
        Script {
            shell: if shell == "bash" { "bash" } else { "sh" },
            text: text.to_string(),
            args: args.to_vec(),
            state: Rc::new(RefCell::new(State::NotStarted)),
            daemon: None,
        }
    }

    pub fn resume(&mut self, cx: &mut ProcCx<'_>) -> Poll {
        let mut st = self.state.borrow_mut();
        if let State::NotStarted = &*st {
            let mut sh = container_shell(
                self.shell,
                cx.env,
                cx.hostname,
                cx.userland,
                cx.image.sh_forks_last(),
            );
            if let Some((a0, rest)) = self.args.split_first() {
                sh.arg0 = a0.clone();
                sh.positional = rest.to_vec();
            }
            *st = State::Running(
                Box::new(Proc::script(&self.text, sh, false)),
                Follows::new(),
            );
        }
        match &mut *st {
            State::NotStarted => Poll::Exit(0),
            // The kubelet runs the program now (`Program::Execed`).
            State::Execed(_) => Poll::Idle,
            State::Running(p, follows) => {
                let mut host = ContainerHost::new(cx, &[]);
                host.follows = std::mem::take(follows);
                let mut out = Out::default();
                let status = p.step(&mut host, &mut out);
                let wake = p.wake_at(&host);
                let handoff = host.handoff.take();
                if let Some(d) = host.daemon.take() {
                    self.daemon = Some(d);
                }
                *follows = host.finish();
                cx.out.push_str(&out.all_text());
                if let Some(argv) = handoff {
                    *st = State::Execed(argv);
                    return Poll::Idle;
                }
                match status {
                    Status::Exited(code) => Poll::Exit(code),
                    Status::Blocked => match wake {
                        Some(t) => Poll::Until(t),
                        None => Poll::Idle,
                    },
                }
            }
        }
    }
}
