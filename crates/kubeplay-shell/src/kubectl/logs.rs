//! `kubectl logs POD|TYPE/NAME [-c CONTAINER] [-p] [--tail N] [-f] [--all-containers]`:
//! what the container wrote, as the kubelet keeps it.

use super::flags::{self, Flag, FlagError};
use super::help::Doc;
use super::pods::{container_of, resolve_pod};
use super::{Cx, Exec, Waiter};
use crate::session::Output;
use kubeplay_core::kubelet::CState;
use kubeplay_core::time::Millis;
use kubeplay_core::World;

static FLAGS: &[Flag] = &[
    Flag::str("container", Some('c')),
    Flag::bool("previous", Some('p')),
    Flag::int("tail", None).shows("-1"),
    Flag::bool("follow", Some('f')),
    Flag::bool("all-containers", None),
    Flag::bool("timestamps", None),
    Flag::bool("prefix", None),
    Flag::str("since", None).shows("0s"),
    Flag::str("selector", Some('l')),
    Flag::bool("ignore-errors", None),
    Flag::str("pod-running-timeout", None).shows("20s"),
    Flag::int("limit-bytes", None),
    Flag::int("max-log-requests", None).shows("5"),
];

static DOC: Doc = Doc {
    path: "kubectl logs",
    long: "Print the logs of a container: of a pod, or of a pod of the Deployment or ReplicaSet given as TYPE/NAME. Give the container with -c when the pod has more than one.",
    examples: "# The logs of webapp's only container
kubectl logs webapp

# The logs of one container of a multi-container pod
kubectl logs simple-webapp -c log-agent

# Keep printing new lines as they come (Ctrl+C stops)
kubectl logs -f webapp

# The logs of the container's previous run, after a crash
kubectl logs -p webapp

# Only the last 20 lines
kubectl logs webapp --tail=20

# A pod of a deployment
kubectl logs deployment/myapp-deployment",
    usage: "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
    subcommands: &[],
};

const USAGE: &str = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n";

fn tail(text: &str, n: Option<i64>) -> String {
    match n {
        Some(n) if n >= 0 => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            lines[lines.len().saturating_sub(n as usize)..].concat()
        }
        _ => text.to_string(),
    }
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match flags::parse("kubectl logs", FLAGS, args) {
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
    let mut pos = a.positional.clone();
    let mut container = a.str("container").map(str::to_string);
    if pos.is_empty() || pos.len() > 2 {
        cx.out.err(USAGE);
        return Exec::Done(1);
    }
    if pos.len() == 2 {
        if container.is_some() {
            cx.out.err("error: only one of -c or an inline [CONTAINER] arg is allowed\nSee 'kubectl logs -h' for help and examples\n");
            return Exec::Done(1);
        }
        container = pos.pop();
    }
    let pod = match resolve_pod(cx, &ns, &pos[0]) {
        Ok(p) => p,
        Err(e) => {
            cx.out.err(e);
            return Exec::Done(1);
        }
    };
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let names: Vec<String> = if a.bool("all-containers") {
        let spec = pod.spec.clone().unwrap_or_default();
        spec.init_containers
            .iter()
            .flatten()
            .chain(spec.containers.iter())
            .map(|c| c.name.clone())
            .collect()
    } else {
        match container_of(cx, &pod, container.as_deref(), false) {
            Ok(c) => vec![c],
            Err(e) => {
                cx.out.err(e);
                return Exec::Done(1);
            }
        }
    };
    let previous = a.bool("previous");
    let n = a.int("tail");
    let mut code = 0;
    for c in &names {
        match read_logs(cx.world, &ns, &pod_name, c, previous) {
            Ok(text) => cx.out.out(tail(&text, n)),
            Err(e) => {
                cx.out.err(e);
                code = 1;
            }
        }
    }
    if code == 0 && a.bool("follow") && names.len() == 1 && !previous {
        let offset = read_logs(cx.world, &ns, &pod_name, &names[0], false)
            .map(|t| t.len())
            .unwrap_or(0);
        return Exec::Wait(Box::new(Follow {
            ns,
            pod: pod_name,
            container: names[0].clone(),
            offset,
            uid: pod.metadata.uid.clone().unwrap_or_default(),
        }));
    }
    Exec::Done(code)
}

/// The log of a container's current (or just exited) run, or of the run before with
/// `previous`; `Err` is what the API server answers.
pub fn read_logs(
    w: &World,
    ns: &str,
    pod: &str,
    container: &str,
    previous: bool,
) -> Result<String, String> {
    let rt = w.pod_runtime(ns, pod);
    let c = rt.and_then(|rt| rt.container(container));
    if previous {
        return match c.and_then(|c| c.prev_logs.as_ref()).map(|l| l.to_string()) {
            Some(t) => Ok(t),
            None => Err(format!("Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{pod}\" not found\n")),
        };
    }
    let waiting = |reason: &str| {
        let why = match reason {
            "ErrImagePull" => "image can't be pulled".to_string(),
            "ImagePullBackOff" => "trying and failing to pull image".to_string(),
            "" => "ContainerCreating".to_string(),
            r => r.to_string(),
        };
        Err(format!("Error from server (BadRequest): container \"{container}\" in pod \"{pod}\" is waiting to start: {why}\n"))
    };
    let Some(c) = c else {
        return waiting("ContainerCreating");
    };
    match &c.state {
        CState::Waiting { reason, .. } if c.container_id.is_empty() => waiting(reason),
        CState::Waiting { reason, .. }
            if reason == "CreateContainerConfigError"
                || reason == "PodInitializing"
                || reason == "ContainerCreating" =>
        {
            waiting(reason)
        }
        _ => Ok(c.logs.to_string()),
    }
}

/// `logs -f`: print what is appended until the container stops.
struct Follow {
    ns: String,
    pod: String,
    container: String,
    offset: usize,
    uid: String,
}

impl Waiter for Follow {
    fn poll(&mut self, world: &World, out: &mut Output) -> Option<i32> {
        let Some(rt) = world
            .pod_runtime(&self.ns, &self.pod)
            .filter(|rt| rt.uid == self.uid)
        else {
            return Some(0);
        };
        let Some(c) = rt.container(&self.container) else {
            return Some(0);
        };
        if c.logs.len() >= self.offset {
            out.out(&c.logs[self.offset..]);
            self.offset = c.logs.len();
        } else {
            // The container restarted: its new log starts over.
            return Some(0);
        }
        (!c.is_running()).then_some(0)
    }
    fn wake_at(&self) -> Option<Millis> {
        None
    }
}
