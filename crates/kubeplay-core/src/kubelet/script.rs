//! `sh -c SCRIPT` inside a container, run by kubeplay-sh's resumable interpreter. The
//! container's files are lent to the interpreter as a `Vfs` for each step; commands that need
//! the cluster (`nslookup`, `wget`, `curl`, `hostname`) are run by the container host.

use super::process::{self, Files, Poll, ProcCx};
use crate::time::Millis;
use kubeplay_sh::{Handle, Host, Io, Out, Proc, Shell, Status, Step, Vfs};
use std::cell::RefCell;
use std::rc::Rc;

/// A shell script process. The interpreter state is shared between clones of a world (a
/// cloned world is a snapshot for reading, not a second simulation).
#[derive(Clone)]
pub struct Script {
    pub text: String,
    pub args: Vec<String>,
    state: Rc<RefCell<State>>,
}

enum State {
    NotStarted,
    Running(Box<Proc>),
    Failed(String),
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

/// The container as the interpreter's host.
pub struct ContainerHost<'a, 'b> {
    pub cx: &'a mut ProcCx<'b>,
    pub vfs: Vfs,
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
        ContainerHost { cx, vfs }
    }

    /// Give the files back to the container.
    pub fn finish(self) {
        let files: Files = self
            .vfs
            .files()
            .map(|(p, d)| (p.clone(), d.clone()))
            .collect();
        *self.cx.fs = files;
    }
}

impl Host for ContainerHost<'_, '_> {
    fn fs(&mut self) -> &mut Vfs {
        &mut self.vfs
    }
    fn now(&self) -> Millis {
        self.cx.now
    }
    fn has_command(&self, name: &str) -> bool {
        let base = name.rsplit('/').next().unwrap_or(name);
        // The cluster's commands, and simple ones the shell's utilities do not have (yet).
        matches!(base, "nslookup" | "wget" | "curl" | "hostname")
            || (!kubeplay_sh::utils::exists(base)
                && matches!(base, "ls" | "cat" | "date" | "printenv" | "env"))
    }
    fn run(&mut self, argv: &[String], io: &mut Io) -> Step {
        let base = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
        if !process::has_binary(self.cx.userland, &base) {
            io.err(format!("sh: {base}: not found\n"));
            return Step::Exit(127);
        }
        // Lend the Vfs's current files to the simple command, then take back what it wrote.
        let mut files: Files = self
            .vfs
            .files()
            .map(|(p, d)| (p.clone(), d.clone()))
            .collect();
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
                dirs: self.cx.dirs,
            };
            let (code, out) = process::simple(argv, &mut cx);
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
    fn poll(&mut self, _h: Handle, _io: &mut Io) -> Option<i32> {
        Some(0)
    }
}

/// A fresh `sh` for a container: its environment exported, `/` as the working directory.
pub fn container_shell(name: &str, env: &[(String, String)], hostname: &str) -> Shell {
    let mut sh = Shell::new(name);
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
    pub fn new(text: &str, args: &[String]) -> Script {
        Script {
            text: text.to_string(),
            args: args.to_vec(),
            state: Rc::new(RefCell::new(State::NotStarted)),
        }
    }

    pub fn resume(&mut self, cx: &mut ProcCx<'_>) -> Poll {
        let mut st = self.state.borrow_mut();
        if let State::NotStarted = &*st {
            let mut sh = container_shell("sh", cx.env, cx.hostname);
            if let Some((a0, rest)) = self.args.split_first() {
                sh.arg0 = a0.clone();
                sh.positional = rest.to_vec();
            }
            *st = match Proc::parse(&self.text, sh) {
                Ok(p) => State::Running(Box::new(p)),
                Err(e) => State::Failed(format!("sh: -c: line 1: {}\n", e.message())),
            };
        }
        match &mut *st {
            State::NotStarted => Poll::Exit(0),
            State::Failed(msg) => {
                cx.out.push_str(msg);
                msg.clear();
                Poll::Exit(2)
            }
            State::Running(p) => {
                let mut host = ContainerHost::new(cx, &[]);
                let mut out = Out::default();
                let status = p.step(&mut host, &mut out);
                let wake = p.wake_at(&host);
                host.finish();
                cx.out.push_str(&out.all_text());
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
