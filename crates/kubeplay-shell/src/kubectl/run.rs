//! `kubectl run NAME --image=IMAGE [--command] [--restart] [--env] [--port] [--labels]
//! [--dry-run=client -o yaml] -- [COMMAND] [args...]` (KUBECTL:pkg/cmd/run/run.go and the
//! `run-pod/v1` generator): a Pod with one container named after it.

use super::flags::{Flag, DRY_RUN, OUTPUT};
use super::help::Doc;
use super::output::{check_format, object_value, print_result};
use super::{dry_run_of, fail, namespace_of, usage_error, Cx, DryRun, Exec, Waiter};
use crate::session::Output;
use kubeplay_api::{registry, Kind};
use kubeplay_core::time::Millis;
use kubeplay_core::World;
use serde_json::{json, Map, Value};

static FLAGS: &[Flag] = &[
    Flag::str("image", None),
    Flag::bool("command", None),
    Flag::str("restart", None).shows("'Always'"),
    Flag::array("env", None),
    Flag::str("port", None),
    Flag::str("labels", Some('l')),
    Flag::array("annotations", None),
    Flag::str("image-pull-policy", None),
    Flag::bool("stdin", Some('i')),
    Flag::bool("tty", Some('t')),
    Flag::bool("rm", None),
    Flag::bool("attach", None),
    Flag::bool("expose", None),
    Flag::str("overrides", None),
    Flag::bool("record", None),
    Flag::str("override-type", None).shows("'merge'"),
    Flag::bool("privileged", None),
    Flag::bool("quiet", Some('q')),
    Flag::str("pod-running-timeout", None).shows("1m0s"),
    Flag::bool("leave-stdin-open", None),
    Flag::str("field-manager", None),
    Flag::bool("save-config", None),
    Flag::str("template", None),
    Flag::bool("show-managed-fields", None),
    Flag::str("cascade", None).with_no_opt("background"),
    Flag::str("grace-period", None),
    Flag::bool("force", None),
    Flag::bool("wait", None),
    Flag::str("timeout", None),
    Flag::bool("allow-missing-template-keys", None),
    Flag::slice("filename", Some('f')),
    Flag::bool("recursive", Some('R')),
    DRY_RUN,
    OUTPUT,
];

const CMD: &str = "kubectl run";

static DOC: Doc = Doc {
    path: CMD,
    long: "Create a pod running an image. The words after -- become the container's args, which replace the image's CMD; with --command they become its command, which replaces the image's ENTRYPOINT.",
    examples: "# A pod running nginx
kubectl run nginx --image=nginx

# An argument for the image's ENTRYPOINT (the course's ubuntu-sleeper)
kubectl run ubuntu-sleeper --image=ubuntu-sleeper -- 10

# A command instead of the image's ENTRYPOINT
kubectl run sleeper --image=ubuntu --command -- sleep 3600

# An environment variable and a port
kubectl run webapp --image=kodekloud/webapp-color --env=APP_COLOR=green --port=8080

# Write the pod's manifest to a file instead of creating it
kubectl run nginx --image=nginx --dry-run=client -o yaml > pod.yaml",
    usage: "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
    subcommands: &[],
};

/// `--overrides` (cmdutil.Overrider): patch the generated object with an inline JSON
/// fragment, as an RFC 7386 merge patch (the default), a strategic merge patch or an RFC 6902
/// JSON patch, by `--override-type`.
fn apply_overrides(obj: &Value, fragment: &str, how: &str) -> Result<Value, String> {
    let patch: Result<Value, _> = serde_json::from_str(fragment);
    match how {
        "merge" => patch
            .map(|p| super::merge::json_merge(obj, &p))
            .map_err(|_| "Invalid JSON Patch".to_string()),
        "strategic" => {
            super::merge::strategic_merge(Kind::Pod, obj, &patch.map_err(|e| e.to_string())?)
        }
        "json" => super::merge::json_patch(obj, &patch.map_err(|e| e.to_string())?),
        other => Err(format!("invalid override type: {other}")),
    }
}

/// `--labels=a=b,c=d` (`generate.ParseLabels`, and expose.go's `parseLabels`, the same; the
/// API server checks keys and values).
pub(super) fn parse_labels(s: &str) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    for part in s.split(',') {
        let kv: Vec<&str> = part.split('=').collect();
        let [k, v] = kv.as_slice() else {
            return Err(format!("unexpected label spec: {part}"));
        };
        if k.is_empty() {
            return Err("unexpected empty label key".into());
        }
        m.insert(k.to_string(), Value::String(v.to_string()));
    }
    Ok(m)
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match super::parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let Some(image) = a.str("image").map(str::to_string) else {
        cx.out.err("error: required flag(s) \"image\" not set\n");
        return Exec::Done(1);
    };
    let (before, after) = a.split_at_dash();
    let Some(name) = before.first().cloned() else {
        return usage_error(cx.out, CMD, "NAME is required for run");
    };
    // Words after NAME but before `--` are the command too (old style).
    let mut rest: Vec<String> = before[1..].to_vec();
    rest.extend(after.iter().cloned());
    if image.is_empty() {
        return usage_error(cx.out, CMD, "--image is required");
    }
    if kubeplay_core::images::parse_reference(&image).is_err() {
        return fail(
            cx.out,
            format!("Invalid image name \"{image}\": invalid reference format"),
        );
    }
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let interactive = a.bool("stdin");
    let tty = a.bool("tty");
    let attach = a.bool("attach") || interactive;
    if dry != DryRun::None && (attach || tty) {
        return usage_error(cx.out, CMD, "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
    }
    let restart = a.str("restart").unwrap_or("Always").to_string();
    if !matches!(restart.as_str(), "Always" | "OnFailure" | "Never") {
        return usage_error(cx.out, CMD, format!("invalid restart policy: {restart}"));
    }
    if a.bool("rm") && !attach {
        return usage_error(
            cx.out,
            CMD,
            "--rm should only be used for attached containers",
        );
    }
    let format = a.str("output").unwrap_or("").to_string();
    if let Err(e) = check_format(&format) {
        return fail(cx.out, e);
    }
    let mut container = Map::new();
    if !rest.is_empty() {
        let key = if a.bool("command") { "command" } else { "args" };
        container.insert(key.into(), json!(rest));
    }
    let envs = a.all("env");
    if !envs.is_empty() {
        let mut v = Vec::new();
        for e in &envs {
            match e.split_once('=') {
                Some((k, val)) if !k.is_empty() => v.push(json!({"name": k, "value": val})),
                _ => return fail(cx.out, format!("invalid env: {e}")),
            }
        }
        container.insert("env".into(), Value::Array(v));
    }
    container.insert("image".into(), json!(image));
    if let Some(p) = a.str("image-pull-policy").filter(|p| !p.is_empty()) {
        container.insert("imagePullPolicy".into(), json!(p));
    }
    container.insert("name".into(), json!(name));
    if let Some(port) = a.str("port").filter(|p| !p.is_empty()) {
        match port.parse::<i64>() {
            Ok(n) => {
                container.insert("ports".into(), json!([{"containerPort": n}]));
            }
            Err(_) => {
                return fail(
                    cx.out,
                    format!("strconv.Atoi: parsing \"{port}\": invalid syntax"),
                )
            }
        }
    }
    container.insert("resources".into(), json!({}));
    if interactive {
        container.insert("stdin".into(), json!(true));
    }
    if tty {
        container.insert("tty".into(), json!(true));
    }
    let labels = match a.str("labels").filter(|l| !l.is_empty()) {
        Some(l) => match parse_labels(l) {
            Ok(m) => m,
            Err(e) => return fail(cx.out, e),
        },
        None => {
            let mut m = Map::new();
            m.insert("run".into(), json!(name));
            m
        }
    };
    let mut meta = Map::new();
    meta.insert("labels".into(), Value::Object(labels));
    meta.insert("name".into(), json!(name));
    if a.namespace().is_some() {
        meta.insert("namespace".into(), json!(namespace_of(cx, &a)));
    }
    let annotations = a.all("annotations");
    if !annotations.is_empty() {
        let mut m = Map::new();
        for an in annotations {
            if let Some((k, v)) = an.split_once('=') {
                m.insert(k.into(), json!(v));
            }
        }
        meta.insert("annotations".into(), Value::Object(m));
    }
    let mut pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": Value::Object(meta),
        "spec": {
            "containers": [Value::Object(container)],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": restart,
        },
        "status": {},
    });
    if let Some(fragment) = a.str("overrides").filter(|o| !o.is_empty()) {
        pod = match apply_overrides(&pod, fragment, a.str("override-type").unwrap_or("merge")) {
            Ok(p) => p,
            Err(e) => return fail(cx.out, e),
        };
    }
    if a.bool("record") {
        pod["metadata"]["annotations"][super::CHANGE_CAUSE] = json!(a.change_cause("run"));
    }
    let info = registry::info(Kind::Pod);
    if dry == DryRun::Client {
        print_result(cx, info, &pod, "created (dry run)", &format);
        return Exec::Done(0);
    }
    let mut obj = match kubeplay_api::decode::decode(&pod) {
        Ok(o) => o,
        Err(e) => return fail(cx.out, e.message()),
    };
    obj.meta_mut().namespace = Some(namespace_of(cx, &a));
    match cx.world.create_checked(obj, dry == DryRun::Server) {
        Ok(o) if attach => {
            let ns = o.namespace().unwrap_or("default").to_string();
            let timeout = a
                .str("pod-running-timeout")
                .and_then(super::rollout::parse_duration)
                .unwrap_or(60_000);
            Exec::Wait(Box::new(Attach {
                ns,
                pod: name.clone(),
                rm: a.bool("rm"),
                stdin: interactive,
                tty,
                quiet: a.bool("quiet"),
                restart,
                deadline: cx.world.now() + timeout,
                printed: 0,
                session: None,
                announced: false,
                timed_out: false,
                run: None,
            }))
        }
        Ok(o) => {
            print_result(
                cx,
                info,
                &object_value(&o),
                &format!("created{}", dry.suffix()),
                &format,
            );
            Exec::Done(0)
        }
        Err(e) => {
            super::print_api_error(cx.out, &e, None);
            Exec::Done(1)
        }
    }
}

/// `kubectl run` with `-i`, `-t` or `--attach`: it waits for the pod to run, then shows what
/// its container does: a shell waiting on its input gets the terminal (as `kubectl attach
/// -it`), any other command's output is followed until it ends. Then, with `--rm`, the pod is
/// deleted; with `--restart=Never` or `OnFailure` the container's exit code is the status.
#[derive(Clone)]
struct Attach {
    ns: String,
    /// The pod, and its one container, both named NAME.
    pod: String,
    rm: bool,
    stdin: bool,
    tty: bool,
    quiet: bool,
    restart: String,
    /// `--pod-running-timeout` (1m): when waiting for the pod to run gives up.
    deadline: Millis,
    /// How much of the container's log is printed.
    printed: usize,
    /// The container shell the terminal is attached to.
    session: Option<u64>,
    /// Attached to the running container: the notes about it are printed.
    announced: bool,
    /// The pod did not run within `--pod-running-timeout`.
    timed_out: bool,
    /// The run being followed (the container's restart count then): the attachment ends
    /// with it, even if the container is restarted.
    run: Option<i32>,
}

enum Seen {
    /// Not running yet.
    Waiting,
    /// Its container runs a shell on an open input: attach to it.
    Shell(String),
    /// Running some other command: follow its output.
    Running,
    /// The pod has ended.
    Done,
}

impl Attach {
    fn look(&self, world: &World) -> Seen {
        let Some(pod) = world.get::<kubeplay_api::k8s_openapi::api::core::v1::Pod>(
            &kubeplay_core::store::key(&self.ns, &self.pod),
        ) else {
            return Seen::Done;
        };
        if kubeplay_core::controllers::is_terminal(pod) {
            return Seen::Done;
        }
        let Some(c) = world
            .pod_runtime(&self.ns, &self.pod)
            .and_then(|rt| rt.container(&self.pod))
        else {
            return Seen::Waiting;
        };
        let same_run = self.run.is_none_or(|r| r == c.restarts);
        if !c.is_running() || !same_run {
            return if self.run.is_some() {
                Seen::Done
            } else {
                Seen::Waiting
            };
        }
        let shell = c.argv.len() == 1
            && matches!(c.argv[0].rsplit('/').next(), Some("sh" | "bash" | "ash"));
        if shell && self.stdin && self.tty {
            Seen::Shell(c.argv[0].clone())
        } else {
            Seen::Running
        }
    }

    /// What attaching to a running container prints first (a terminal's session is logged).
    fn announce(&mut self, out: &mut Output) {
        if self.announced || self.quiet {
            return;
        }
        self.announced = true;
        if self.tty {
            out.err("All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n");
        }
        out.err("If you don't see a command prompt, try pressing enter.\n");
    }

    /// Print what the container logged since the last look.
    fn follow(&mut self, world: &World, out: &mut Output) {
        let logs = world
            .pod_runtime(&self.ns, &self.pod)
            .and_then(|rt| rt.container(&self.pod))
            .map(|c| c.logs.as_str())
            .unwrap_or("");
        match logs.get(self.printed..) {
            Some(new) => out.out(new),
            // Shorter than what was printed: the container restarted with a new log.
            None => out.out(logs),
        }
        self.printed = logs.len();
    }

    /// The end: `--rm` deletes the pod; with Never or OnFailure the container's exit is the
    /// command's (`pod ns/name terminated (Error)` for a failure).
    fn end(&mut self, world: &mut World, out: &mut Output) -> i32 {
        world.settle();
        let pod = world
            .get::<kubeplay_api::k8s_openapi::api::core::v1::Pod>(&kubeplay_core::store::key(
                &self.ns, &self.pod,
            ))
            .cloned();
        if self.rm && pod.is_some() {
            let _ = world.delete(Kind::Pod, &self.ns, &self.pod, Default::default());
            out.out(format!(
                "pod \"{}\" deleted from {} namespace\n",
                self.pod, self.ns
            ));
        }
        if self.restart == "Always" {
            return 0;
        }
        let Some(status) = pod.and_then(|p| p.status) else {
            return 0;
        };
        if status.phase.as_deref() != Some("Failed") {
            return 0;
        }
        let terminated = status
            .container_statuses
            .iter()
            .flatten()
            .next()
            .and_then(|c| c.state.as_ref())
            .and_then(|s| s.terminated.clone());
        match terminated.filter(|t| t.exit_code != 0) {
            Some(t) => {
                out.err(format!(
                    "pod {}/{} terminated ({})\n{}",
                    self.ns,
                    self.pod,
                    t.reason.unwrap_or_default(),
                    t.message.unwrap_or_default()
                ));
                t.exit_code
            }
            None => {
                out.err(format!(
                    "error: pod {}/{} failed with unknown exit code\n",
                    self.ns, self.pod
                ));
                1
            }
        }
    }
}

impl Waiter for Attach {
    fn poll(&mut self, world: &World, out: &mut Output) -> Option<i32> {
        match self.look(world) {
            Seen::Waiting if world.now() >= self.deadline => {
                self.timed_out = true;
                Some(1)
            }
            Seen::Waiting => None,
            Seen::Shell(_) => Some(0),
            Seen::Running => {
                if self.run.is_none() {
                    self.run = world
                        .pod_runtime(&self.ns, &self.pod)
                        .and_then(|rt| rt.container(&self.pod))
                        .map(|c| c.restarts);
                }
                self.announce(out);
                self.follow(world, out);
                None
            }
            Seen::Done => {
                self.follow(world, out);
                Some(0)
            }
        }
    }
    fn wake_at(&self) -> Option<Millis> {
        Some(self.deadline)
    }
    fn attach(&self) -> Option<u64> {
        self.session
    }
    fn finish(&mut self, world: &mut World, status: i32, out: &mut Output) -> Exec {
        if self.session.take().is_some() {
            // The terminal's session ended: so does the shell it was talking to.
            world.attach_end(&self.ns, &self.pod, &self.pod, status);
            if !self.quiet && self.stdin && self.tty && self.restart == "Always" {
                out.out(format!(
                    "Session ended, resume using 'kubectl attach {} -c {} -i -t' command when the pod is running\n",
                    self.pod, self.pod
                ));
            }
            return Exec::Done(self.end(world, out));
        }
        if self.timed_out {
            // --rm deletes the pod first (a deferred removal), then the error shows.
            self.end(world, out);
            out.err("error: timed out waiting for the condition\n");
            return Exec::Done(status);
        }
        if let Seen::Shell(shell) = self.look(world) {
            self.announce(out);
            match world.exec_start(&self.ns, &self.pod, &self.pod, &[shell], None, true) {
                Ok(id) => {
                    let mut next = self.clone();
                    next.session = Some(id);
                    return Exec::Wait(Box::new(next));
                }
                Err(e) => {
                    out.err(format!("{e}\n"));
                    return Exec::Done(1);
                }
            }
        }
        Exec::Done(self.end(world, out))
    }
}
