//! `kubectl exec POD [-c C] [-i] [-t] -- CMD...`: run a command in a running container and
//! relay its output; `-it ... sh` opens a shell inside the container in the terminal.

use super::flags::{self, Flag, FlagError};
use super::help::Doc;
use super::pods::{container_of, resolve_pod};
use super::{Cx, Exec, Waiter};
use crate::session::Output;
use kubeplay_core::time::Millis;
use kubeplay_core::World;

static FLAGS: &[Flag] = &[
    Flag::str("container", Some('c')),
    Flag::bool("stdin", Some('i')),
    Flag::bool("tty", Some('t')),
    Flag::bool("quiet", Some('q')),
    Flag::slice("filename", Some('f')),
    Flag::str("pod-running-timeout", None).shows("1m0s"),
];

static DOC: Doc = Doc {
    path: "kubectl exec",
    long: "Run a command in a running container. Everything after -- is the command and its arguments; -it keeps a terminal open for an interactive shell.",
    examples: "# The environment the container's processes see
kubectl exec webapp -- printenv

# A file mounted from a ConfigMap
kubectl exec webapp -- cat /etc/app/APP_COLOR

# In one container of a multi-container pod
kubectl exec simple-webapp -c log-agent -- ls /log

# A shell in the container (exit leaves it)
kubectl exec -it webapp -- sh",
    usage: "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
    subcommands: &[],
};

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match flags::parse("kubectl exec", FLAGS, args) {
        Ok(a) => a,
        Err(FlagError::Usage(m)) => {
            cx.out.err(m);
            return Exec::Done(1);
        }
        Err(FlagError::Help) => {
            cx.out.out(super::help::render(&DOC, FLAGS));
            return Exec::Done(0);
        }
    };
    let ns = a
        .namespace()
        .map(str::to_string)
        .unwrap_or_else(|| cx.namespace.clone());
    let (before, after) = a.split_at_dash();
    if before.is_empty() {
        cx.out
            .err("error: pod, type/name or --filename must be specified\n");
        return Exec::Done(1);
    }
    if before.len() > 1 {
        cx.out.err("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n");
        return Exec::Done(1);
    }
    if after.is_empty() {
        cx.out
            .err("error: you must specify at least one command for the container\n");
        return Exec::Done(1);
    }
    let argv = after.to_vec();
    let quiet = a.bool("quiet");
    let pod = match resolve_pod(cx, &ns, &before[0]) {
        Ok(p) => p,
        Err(e) => {
            cx.out.err(e);
            return Exec::Done(1);
        }
    };
    let container = match container_of(cx, &pod, a.str("container"), quiet) {
        Ok(c) => c,
        Err(e) => {
            cx.out.err(e);
            return Exec::Done(1);
        }
    };
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let interactive = a.bool("stdin");
    let tty = a.bool("tty");
    if tty && !interactive && !quiet {
        cx.out
            .err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    }
    let stdin = if interactive { cx.stdin.take() } else { None };
    let shell_only =
        argv.len() == 1 && matches!(argv[0].rsplit('/').next(), Some("sh" | "bash" | "ash"));
    let attach = interactive && tty && shell_only && stdin.is_none();
    let argv = if shell_only && !attach {
        // A shell with no terminal and no input reads nothing and exits.
        vec![argv[0].clone(), "-c".into(), ":".into()]
    } else {
        argv
    };
    match cx
        .world
        .exec_start(&ns, &pod_name, &container, &argv, stdin, attach)
    {
        Ok(id) => {
            let mut w = Relay {
                id,
                attach,
                printed: 0,
            };
            match w.poll_mut(cx.world, cx.out) {
                Some(code) if !attach => Exec::Done(code),
                _ => Exec::Wait(Box::new(w)),
            }
        }
        Err(e) => {
            cx.out.err(format!("{e}\n"));
            Exec::Done(1)
        }
    }
}

/// Relays an exec's output; finishes with its exit status.
pub struct Relay {
    pub id: u64,
    pub attach: bool,
    /// How many output pieces were printed already.
    printed: usize,
}

impl Relay {
    fn poll_mut(&mut self, world: &mut World, out: &mut Output) -> Option<i32> {
        for (err, text) in world.exec_take_output(self.id) {
            if err {
                out.err(text);
            } else {
                out.out(text);
            }
        }
        let code = world.exec_get(self.id).and_then(|e| e.exit)?;
        world.exec_close(self.id);
        Some(report(code, out))
    }
}

fn report(code: i32, out: &mut Output) -> i32 {
    if code != 0 {
        out.err(format!("command terminated with exit code {code}\n"));
    }
    code
}

impl Waiter for Relay {
    fn poll(&mut self, world: &World, out: &mut Output) -> Option<i32> {
        let e = world.exec_get(self.id)?;
        // Output is read without taking it (the world is lent read-only); print what is new.
        for (err, text) in e.output.iter().skip(self.printed) {
            if *err {
                out.err(text);
            } else {
                out.out(text);
            }
        }
        self.printed = e.output.len();
        e.exit.map(|c| report(c, out))
    }
    fn wake_at(&self) -> Option<Millis> {
        None
    }
    fn attach(&self) -> Option<u64> {
        self.attach.then_some(self.id)
    }
}
