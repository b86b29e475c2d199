//! `kubectl exec`: processes started inside a running container, run by the same shell
//! interpreter and host as the container's own process, stepped by the kubelet when their
//! sleeps end. An interactive session (`exec -it POD -- sh`) is an idle shell fed line by line.

use super::script::{container_shell, ContainerHost};
use super::{with_cx, Kubelet, Role};
use crate::store::{key, Key};
use crate::time::Millis;
use crate::{Task, World};
use kubeplay_api::k8s_openapi::api::core::v1::Pod;
use kubeplay_sh::{Out, Proc, Status};
use std::cell::RefCell;
use std::rc::Rc;

/// One `kubectl exec` (shared between clones of a world, like container scripts).
#[derive(Clone)]
pub struct ExecProc {
    pub pod: Key,
    pub uid: String,
    pub container: String,
    proc: Rc<RefCell<Proc>>,
    follows: Rc<RefCell<super::script::Follows>>,
    /// Everything written so far (stdout and stderr, in order: (is_stderr, text)).
    pub output: Vec<(bool, String)>,
    pub exit: Option<i32>,
    pub wake: Option<Millis>,
    pub interactive: bool,
    /// The prompt an interactive shell shows (`/ # `, `root@web:/# `).
    pub prompt: String,
    /// Its process, as the container's `ps` lists it.
    ps: super::ps::PsProc,
}

impl std::fmt::Debug for ExecProc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecProc")
            .field("pod", &self.pod)
            .field("container", &self.container)
            .finish()
    }
}

/// Why an exec could not start, as kubectl prints it (without the trailing newline).
pub type ExecError = String;

pub(super) fn quote(w: &str) -> String {
    format!("'{}'", w.replace('\'', "'\\''"))
}

impl Kubelet {
    fn next_exec_id(&mut self) -> u64 {
        self.exec_seq += 1;
        self.exec_seq
    }
}

impl World {
    /// Start `argv` in a container. `argv` empty or a bare shell with `interactive` opens an
    /// interactive shell. Returns the exec's id.
    pub fn exec_start(
        &mut self,
        ns: &str,
        pod: &str,
        container: &str,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        interactive: bool,
    ) -> Result<u64, ExecError> {
        let k = key(ns, pod);
        let Some(p) = self.get::<Pod>(&k).cloned() else {
            return Err(format!(
                "Error from server (NotFound): pods \"{pod}\" not found"
            ));
        };
        if crate::controllers::is_terminal(&p) {
            let phase = p
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default();
            return Err(format!(
                "error: cannot exec into a container in a completed pod; current phase is {phase}"
            ));
        }
        let Some(rt) = self.kubelet.pods.get(&k) else {
            return Err(format!(
                "error: unable to upgrade connection: container not found (\"{container}\")"
            ));
        };
        let Some(i) = rt.ctrs.iter().position(|c| c.name == container) else {
            return Err(format!(
                "error: unable to upgrade connection: container not found (\"{container}\")"
            ));
        };
        let c = &rt.ctrs[i];
        if !c.is_running() || (c.role == Role::Init && !c.is_running()) {
            return Err(format!(
                "error: unable to upgrade connection: container not found (\"{container}\")"
            ));
        }
        let userland = c
            .img
            .as_ref()
            .map(|i| i.userland)
            .unwrap_or(crate::images::Userland::Busybox);
        let first = argv.first().cloned().unwrap_or_else(|| "sh".into());
        let base = first.rsplit('/').next().unwrap_or(&first).to_string();
        if !super::process::has_binary(userland, c.img.as_deref(), &first) {
            return Err(format!("error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{:064x}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{first}\": executable file not found in $PATH: unknown", crate::names::fnv32a(first.as_bytes()) as u128 * 0x1_0000_0001));
        }
        let sh_name = if matches!(base.as_str(), "bash") {
            "bash"
        } else {
            "sh"
        };
        let forks_last = c.img.as_ref().is_some_and(|i| i.sh_forks_last());
        let mut shell = container_shell(sh_name, &c.env, pod, userland, forks_last);
        let pid = super::ps::exec_pid(c.execs);
        shell.pid = pid;
        let ps = super::ps::PsProc {
            pid,
            ppid: 0,
            argv: if argv.is_empty() {
                vec![sh_name.to_string()]
            } else {
                argv.to_vec()
            },
            tty: interactive,
            stat: "Ss",
            start: self.now(),
        };
        let is_shell = matches!(base.as_str(), "sh" | "bash" | "ash");
        let c_string = is_shell && argv.len() >= 3 && argv[1] == "-c";
        let script = if c_string {
            Some(argv[2].clone())
        } else if is_shell && argv.len() <= 1 {
            None
        } else {
            Some(argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "))
        };
        let interactive_shell = script.is_none();
        let proc = match &script {
            Some(s) => match kubeplay_sh::parse(s) {
                Ok(list) => {
                    let mut p = if c_string {
                        Proc::command_string(shell, list)
                    } else {
                        Proc::new(shell, list)
                    };
                    if let Some(d) = stdin {
                        p = p.with_stdin(d);
                    }
                    p
                }
                Err(e) => return Err(format!("{sh_name}: -c: line 1: {}", e.message())),
            },
            None => {
                shell.interactive = interactive;
                Proc::idle(shell)
            }
        };
        let prompt = match userland {
            crate::images::Userland::Busybox
            | crate::images::Userland::BusyboxLegacy
            | crate::images::Userland::Alpine
                if sh_name == "sh" =>
            {
                "/ # ".to_string()
            }
            _ if sh_name == "sh" => "# ".to_string(),
            _ => format!("root@{pod}:/# "),
        };
        let uid = rt.uid.clone();
        if let Some(rt) = self.kubelet.pods.get_mut(&k) {
            rt.ctrs[i].execs += 1;
        }
        let id = self.kubelet.next_exec_id();
        self.kubelet.execs.insert(
            id,
            ExecProc {
                pod: k.clone(),
                uid,
                container: container.to_string(),
                proc: Rc::new(RefCell::new(proc)),
                follows: Default::default(),
                output: Vec::new(),
                exit: None,
                wake: None,
                interactive: interactive_shell,
                prompt,
                ps,
            },
        );
        if !interactive_shell {
            self.exec_step(id);
        }
        Ok(id)
    }

    /// Type a line into an interactive exec. `exit` ends it.
    pub fn exec_feed(&mut self, id: u64, line: &str) {
        let Some(e) = self.kubelet.execs.get_mut(&id) else {
            return;
        };
        if e.exit.is_some() {
            return;
        }
        match kubeplay_sh::parse(&format!("{line}\n")) {
            Ok(list) => {
                e.proc.borrow_mut().start(list);
            }
            Err(err) => {
                e.output.push((
                    true,
                    format!(
                        "sh: syntax error: {}\n",
                        err.message().trim_start_matches("syntax error: ")
                    ),
                ));
                return;
            }
        }
        self.exec_step(id);
    }

    /// Run an exec as far as it goes now.
    pub(crate) fn exec_step(&mut self, id: u64) {
        let Some(e) = self.kubelet.execs.get(&id).cloned() else {
            return;
        };
        if e.exit.is_some() {
            return;
        }
        let Some(pod) = self.get::<Pod>(&e.pod).cloned() else {
            self.exec_end(id, 137);
            return;
        };
        let Some(mut rt) = self.kubelet.pods.remove(&e.pod) else {
            self.exec_end(id, 137);
            return;
        };
        let Some(i) = rt
            .ctrs
            .iter()
            .position(|c| c.name == e.container && c.is_running())
        else {
            self.kubelet.pods.insert(e.pod.clone(), rt);
            self.exec_end(id, 137);
            return;
        };
        let (status, wake, out) = with_cx(self, &pod, &mut rt, i, |cx, _| {
            let mut host = ContainerHost::new(cx, &[]);
            host.exec = Some(e.ps.clone());
            host.follows = std::mem::take(&mut *e.follows.borrow_mut());
            let mut out = Out::default();
            let mut p = e.proc.borrow_mut();
            let st = p.step(&mut host, &mut out);
            let wake = p.wake_at(&host);
            let exit_req = p.exit_requested();
            *e.follows.borrow_mut() = host.finish();
            let st = match (st, exit_req) {
                (_, Some(code)) => Status::Exited(code),
                (s, None) => s,
            };
            (st, wake, out)
        });
        // What the command wrote, a `tail -f` of the pod's reads now (tail polls each second,
        // inotify at once), rather than at the pod's next sync.
        let mut woken = None;
        for j in 0..rt.ctrs.len() {
            let c = &rt.ctrs[j];
            if c.is_running() && c.proc.as_ref().is_some_and(|p| p.follows()) {
                super::step_container(self, &pod, &mut rt, j, &mut woken);
            }
        }
        if let Some(t) = woken {
            self.enqueue(Task::Kubelet(e.pod.clone()), t);
        }
        self.kubelet.pods.insert(e.pod.clone(), rt);
        let Some(x) = self.kubelet.execs.get_mut(&id) else {
            return;
        };
        for (fd, d) in out.chunks {
            x.output
                .push((fd == 2, String::from_utf8_lossy(&d).into_owned()));
        }
        x.wake = wake;
        match status {
            Status::Exited(code)
                if !x.interactive || x.proc.borrow().exit_requested().is_some() =>
            {
                x.exit = Some(code);
            }
            _ => {
                if let Some(t) = wake {
                    self.enqueue(Task::Kubelet(e.pod.clone()), t);
                }
            }
        }
    }

    fn exec_end(&mut self, id: u64, code: i32) {
        if let Some(x) = self.kubelet.execs.get_mut(&id) {
            x.exit.get_or_insert(code);
        }
    }

    pub fn exec_get(&self, id: u64) -> Option<&ExecProc> {
        self.kubelet.execs.get(&id)
    }

    /// Whether an interactive exec is still busy with the line it was given.
    pub fn exec_busy(&self, id: u64) -> bool {
        self.kubelet
            .execs
            .get(&id)
            .is_some_and(|e| e.exit.is_none() && e.proc.borrow().is_busy())
    }

    /// `kubectl run -it`'s session with a container's own shell ended with `code`: that
    /// shell, waiting on its standard input until now, exits. Whether there was such a
    /// shell to end.
    pub fn attach_end(&mut self, ns: &str, pod: &str, container: &str, code: i32) -> bool {
        let k = key(ns, pod);
        let Some(rt) = self.kubelet.pods.get_mut(&k) else {
            return false;
        };
        let Some(c) = rt.ctrs.iter_mut().find(|c| c.name == container) else {
            return false;
        };
        if !c.is_running() || c.proc != Some(super::process::Program::Idle) {
            return false;
        }
        c.proc = Some(super::process::Program::Done(code));
        self.enqueue_now(crate::Task::Kubelet(k));
        true
    }

    /// Forget an exec (its output has been read).
    pub fn exec_close(&mut self, id: u64) {
        self.kubelet.execs.remove(&id);
    }

    /// Drain an exec's output.
    pub fn exec_take_output(&mut self, id: u64) -> Vec<(bool, String)> {
        self.kubelet
            .execs
            .get_mut(&id)
            .map(|e| std::mem::take(&mut e.output))
            .unwrap_or_default()
    }

    /// Ctrl+C inside an exec.
    pub fn exec_interrupt(&mut self, id: u64) {
        if let Some(e) = self.kubelet.execs.get(&id) {
            if e.interactive {
                // The foreground command stops; the shell stays.
                let p = e.proc.clone();
                let mut p = p.borrow_mut();
                let mut dummy = kubeplay_sh::Vfs::bare();
                struct NoHost<'a>(&'a mut kubeplay_sh::Vfs, Millis);
                impl kubeplay_sh::Host for NoHost<'_> {
                    fn fs(&mut self) -> &mut kubeplay_sh::Vfs {
                        self.0
                    }
                    fn now(&self) -> Millis {
                        self.1
                    }
                    fn run(&mut self, _: &[String], _: &mut kubeplay_sh::Io) -> kubeplay_sh::Step {
                        kubeplay_sh::Step::NotFound
                    }
                    fn poll(
                        &mut self,
                        _: kubeplay_sh::Handle,
                        _: &mut kubeplay_sh::Io,
                    ) -> Option<i32> {
                        Some(0)
                    }
                }
                p.interrupt(&mut NoHost(&mut dummy, self.now()));
            } else {
                self.exec_end(id, 130);
            }
        }
    }

    /// Step the execs of a pod that are due (called from the pod's sync).
    pub(crate) fn exec_due(&mut self, k: &Key) {
        let now = self.now();
        let due: Vec<u64> = self
            .kubelet
            .execs
            .iter()
            .filter(|(_, e)| &e.pod == k && e.exit.is_none() && e.wake.is_some_and(|t| t <= now))
            .map(|(id, _)| *id)
            .collect();
        for id in due {
            self.exec_step(id);
        }
    }
}
