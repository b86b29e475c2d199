//! What the pod detail drawer and the ConfigMap/Secret list show, read from the World: a pod's
//! containers in order with their state, the effective command line with where each word came
//! from, every environment variable with its source, its mounted files, events and logs; and
//! for each ConfigMap and Secret, the pods that use it. Plain data, tested natively.

use crate::i18n::Words;
use kubeplay_api::k8s_openapi::api::apps::v1::ReplicaSet;
use kubeplay_api::k8s_openapi::api::core::v1::{
    ConfigMap, Container, ContainerStatus, Pod, PodSpec, Secret,
};
use kubeplay_api::Kind;
use kubeplay_core::config::{self, ConfigSource, EnvSource};
use kubeplay_core::images;
use kubeplay_core::kubelet::{self, command, process::EnvPair};
use kubeplay_core::World;
use kubeplay_sort::Collect as _;
use std::collections::BTreeMap;

/// How many of a pod's newest events and log lines the drawer shows.
pub const EVENTS_SHOWN: usize = 15;
pub const LOG_LINES_SHOWN: usize = 30;

/// Where one word of the command line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    ImageEntrypoint,
    ImageCmd,
    Command,
    Args,
}

impl Origin {
    pub fn label(self, tr: &Words) -> &'static str {
        match self {
            Origin::ImageEntrypoint => tr.image_entrypoint,
            Origin::ImageCmd => tr.image_cmd,
            Origin::Command => "command",
            Origin::Args => "args",
        }
    }
    pub fn class(self) -> &'static str {
        match self {
            Origin::ImageEntrypoint => "o-entrypoint",
            Origin::ImageCmd => "o-cmd",
            Origin::Command => "o-command",
            Origin::Args => "o-args",
        }
    }
}

/// The command/args rule that gives a container its command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Image,
    Command,
    Args,
    Both,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgWord {
    /// As written in the spec or the image.
    pub raw: String,
    /// After `$(VAR)` expansion.
    pub value: String,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvRow {
    pub name: String,
    /// What the process sees (the running container's value when it has one).
    pub value: String,
    /// Where it came from, in the words of the spec (`configMapKeyRef app-config/APP_COLOR`).
    pub source: String,
    /// A short class for colouring: `value`, `configmap`, `secret`, `field`, `image`, `runtime`,
    /// `service`.
    pub class: &'static str,
    /// Something to know (the source says something else now: env is read only at start).
    pub note: Option<String>,
}

/// One entry of a container's `env`/`envFrom` as declared, with what is wrong with it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvDecl {
    pub what: String,
    pub problem: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountView {
    pub volume: String,
    pub path: String,
    /// `configMap app-config`, `secret app-secret`, `emptyDir`...
    pub source: String,
    pub sub_path: Option<String>,
    pub read_only: bool,
    /// (absolute path, size in bytes, the start of its content)
    pub files: Vec<(String, usize, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CtrDetail {
    pub name: String,
    /// `init`, `sidecar` or `app`.
    pub role: &'static str,
    pub image: String,
    /// `Waiting`, `Running` or `Terminated` (empty before the kubelet reported anything).
    pub state: String,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub exit_code: Option<i32>,
    pub restarts: i32,
    pub ready: bool,
    /// The last termination, as `Error (exit 1)`.
    pub last: Option<String>,
    /// When the image is not in kubeplay's catalog (its pull fails as for a missing image,
    /// and its ENTRYPOINT/CMD are unknown): the images the catalog has, to pick from.
    pub known_images: Option<String>,
    pub argv: Vec<ArgWord>,
    /// Which of the four command/args rules applied.
    pub rule: Rule,
    /// What runs as process 1 now, when the command line's shell put a command in its own
    /// place (`sh -c '...; sleep 3600'` runs `sleep 3600`).
    pub execed: Option<String>,
    pub env: Vec<EnvRow>,
    /// Why the kubelet cannot build the environment (`CreateContainerConfigError`).
    pub env_error: Option<String>,
    pub decls: Vec<EnvDecl>,
    pub mounts: Vec<MountView>,
    pub mount_error: Option<String>,
    pub logs: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventLine {
    pub age_ms: u64,
    pub warning: bool,
    pub reason: String,
    pub message: String,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodDetail {
    pub name: String,
    pub namespace: String,
    pub node: String,
    pub ip: String,
    /// STATUS and READY as `kubectl get pods` prints them.
    pub status: String,
    pub ready: String,
    /// `ReplicaSet/web-5d4f…` when a controller owns it.
    pub owner: Option<String>,
    pub containers: Vec<CtrDetail>,
    pub events: Vec<EventLine>,
}

fn describe_source(s: &EnvSource, tr: &Words) -> (String, &'static str) {
    let k = tr.key;
    match s {
        EnvSource::Value => ("value".into(), "value"),
        EnvSource::ConfigMapKey { name, key } => {
            (format!("configMapKeyRef {name} → {k} {key}"), "configmap")
        }
        EnvSource::SecretKey { name, key } => {
            (format!("secretKeyRef {name} → {k} {key}"), "secret")
        }
        EnvSource::Field { path } => (format!("fieldRef {path}"), "field"),
        EnvSource::ResourceField { resource } => (format!("resourceFieldRef {resource}"), "field"),
        EnvSource::ConfigMapEnvFrom { name, key } => (
            format!("envFrom configMapRef {name} → {k} {key}"),
            "configmap",
        ),
        EnvSource::SecretEnvFrom { name, key } => {
            (format!("envFrom secretRef {name} → {k} {key}"), "secret")
        }
        EnvSource::Service => (tr.service_link.into(), "service"),
    }
}

/// The repositories kubeplay's registry has, and what was built: `busybox, nginx, ...`.
fn known_images(w: &World) -> String {
    let mut seen = std::collections::BTreeSet::new();
    w.image_catalog()
        .names()
        .into_iter()
        .filter(|n| !n.contains(':') && seen.insert(n.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn image_of(w: &World, image: &str) -> Option<images::Image> {
    let r = images::parse_reference(image).ok()?;
    w.image_catalog().resolve(&r)
}

/// The words of the command line with their origins, by the four rules.
fn argv_words(
    img: Option<&images::Image>,
    c: &Container,
    env: &dyn Fn(&str) -> Option<String>,
    ran: &[String],
) -> (Vec<ArgWord>, Rule) {
    let command = c.command.as_ref().filter(|v| !v.is_empty());
    let args = c.args.as_ref().filter(|v| !v.is_empty());
    let (ep, cmd): (&[String], &[String]) = match img {
        Some(i) => (&i.entrypoint, &i.cmd),
        None => (&[], &[]),
    };
    let mut words: Vec<(String, Origin)> = Vec::new();
    match command {
        Some(c) => words.extend(c.iter().map(|w| (w.clone(), Origin::Command))),
        None => words.extend(ep.iter().map(|w| (w.clone(), Origin::ImageEntrypoint))),
    }
    match (command, args) {
        (_, Some(a)) => words.extend(a.iter().map(|w| (w.clone(), Origin::Args))),
        (None, None) => words.extend(cmd.iter().map(|w| (w.clone(), Origin::ImageCmd))),
        (Some(_), None) => {}
    }
    let rule = match (command.is_some(), args.is_some()) {
        (false, false) => Rule::Image,
        (true, false) => Rule::Command,
        (false, true) => Rule::Args,
        (true, true) => Rule::Both,
    };
    // The running container's argv, when it matches word for word, is the truth.
    let use_ran = ran.len() == words.len() && !ran.is_empty();
    let words = words
        .into_iter()
        .enumerate()
        .map(|(i, (raw, origin))| ArgWord {
            value: if use_ran {
                ran[i].clone()
            } else {
                command::expand(&raw, env)
            },
            raw,
            origin,
        })
        .collect();
    (words, rule)
}

fn cm_keys(cm: &ConfigMap) -> Vec<String> {
    cm.data
        .iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .chain(cm.binary_data.iter().flatten().map(|(k, _)| k.clone()))
        .collect()
}

fn secret_keys(s: &Secret) -> Vec<String> {
    s.data
        .iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .chain(s.string_data.iter().flatten().map(|(k, _)| k.clone()))
        .collect()
}

/// The container's `envFrom` and `env` as declared, each with what is wrong with it now.
fn env_decls(w: &World, ns: &str, c: &Container, tr: &Words) -> Vec<EnvDecl> {
    let k = tr.key;
    let mut out = Vec::new();
    for f in c.env_from.iter().flatten() {
        let prefix = f
            .prefix
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| format!(", prefix {p}"))
            .unwrap_or_default();
        if let Some(r) = &f.config_map_ref {
            let problem = match w.config_map(ns, &r.name) {
                Some(_) => None,
                None if r.optional == Some(true) => Some(tr.optional_skipped.into()),
                None => Some(format!("configmap \"{}\" not found", r.name)),
            };
            out.push(EnvDecl {
                what: format!("envFrom configMapRef {}{prefix}", r.name),
                problem,
            });
        }
        if let Some(r) = &f.secret_ref {
            let problem = match w.secret(ns, &r.name) {
                Some(_) => None,
                None if r.optional == Some(true) => Some(tr.optional_skipped.into()),
                None => Some(format!("secret \"{}\" not found", r.name)),
            };
            out.push(EnvDecl {
                what: format!("envFrom secretRef {}{prefix}", r.name),
                problem,
            });
        }
    }
    for e in c.env.iter().flatten() {
        let (what, problem) = match &e.value_from {
            None => (
                format!("{} = {:?}", e.name, e.value.clone().unwrap_or_default()),
                None,
            ),
            Some(vf) => {
                if let Some(r) = &vf.config_map_key_ref {
                    let p = match w.config_map(ns, &r.name) {
                        None if r.optional == Some(true) => None,
                        None => Some(format!("configmap \"{}\" not found", r.name)),
                        Some(cm) => {
                            let keys = cm_keys(cm);
                            (!keys.contains(&r.key) && r.optional != Some(true))
                                .then(|| (tr.no_such_key)("ConfigMap", &r.name, &r.key, &keys))
                        }
                    };
                    (
                        format!("{} ← configMapKeyRef {} → {k} {}", e.name, r.name, r.key),
                        p,
                    )
                } else if let Some(r) = &vf.secret_key_ref {
                    let p = match w.secret(ns, &r.name) {
                        None if r.optional == Some(true) => None,
                        None => Some(format!("secret \"{}\" not found", r.name)),
                        Some(s) => {
                            let keys = secret_keys(s);
                            (!keys.contains(&r.key) && r.optional != Some(true))
                                .then(|| (tr.no_such_key)("Secret", &r.name, &r.key, &keys))
                        }
                    };
                    (
                        format!("{} ← secretKeyRef {} → {k} {}", e.name, r.name, r.key),
                        p,
                    )
                } else if let Some(f) = &vf.field_ref {
                    (format!("{} ← fieldRef {}", e.name, f.field_path), None)
                } else if let Some(r) = &vf.resource_field_ref {
                    (
                        format!("{} ← resourceFieldRef {}", e.name, r.resource),
                        None,
                    )
                } else {
                    (format!("{} ← valueFrom (empty)", e.name), None)
                }
            }
        };
        out.push(EnvDecl { what, problem });
    }
    out
}

/// Every variable the process sees, in the runtime's order, with its source.
fn env_rows(
    w: &World,
    pod: &Pod,
    c: &Container,
    img: Option<&images::Image>,
    ran: &[EnvPair],
    tr: &Words,
) -> (Vec<EnvRow>, Option<String>) {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let links = pod
        .spec
        .as_ref()
        .and_then(|s| s.enable_service_links)
        .unwrap_or(true);
    let svc = kubelet::service_env(w, ns, links);
    let alloc = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_ref())
        .and_then(|n| w.store.nodes.get(&kubeplay_core::key("", n)))
        .and_then(|n| n.status.as_ref())
        .and_then(|s| s.allocatable.as_ref());
    let mut rows: Vec<EnvRow> = Vec::new();
    let set = |rows: &mut Vec<EnvRow>, name: &str, value: String, source: String, class| {
        let row = EnvRow {
            name: name.to_string(),
            value,
            source,
            class,
            note: None,
        };
        match rows.iter_mut().find(|r| r.name == name) {
            Some(r) => *r = row,
            None => rows.push(row),
        }
    };
    let img_label = (tr.image_env)(c.image.as_deref().unwrap_or(""));
    let img_env: &[EnvPair] = img.map(|i| i.env.as_slice()).unwrap_or(&[]);
    let mut it = img_env.iter();
    if let Some((k, v)) = it.next() {
        set(&mut rows, k, v.to_string(), img_label.clone(), "image");
    }
    set(
        &mut rows,
        "HOSTNAME",
        pod.metadata.name.clone().unwrap_or_default(),
        tr.runtime_hostname.into(),
        "runtime",
    );
    for (k, v) in it {
        set(&mut rows, k, v.to_string(), img_label.clone(), "image");
    }
    let error = match config::resolve_env(pod, c, w, &svc, alloc) {
        Ok(r) => {
            for v in r.vars {
                let (src, class) = describe_source(&v.source, tr);
                set(&mut rows, &v.name, v.value.to_string(), src, class);
            }
            None
        }
        Err(e) => Some(e.message()),
    };
    if error.is_none() && !rows.iter().any(|r| r.name == "HOME") {
        rows.push(EnvRow {
            name: "HOME".into(),
            value: "/root".into(),
            source: tr.runtime_default.into(),
            class: "runtime",
            note: None,
        });
    }
    // The running container keeps the values it started with.
    if !ran.is_empty() {
        for r in rows.iter_mut() {
            if let Some((_, v)) = ran.iter().find(|(k, _)| **k == *r.name) {
                if **v != *r.value {
                    r.note = Some((tr.env_changed)(&r.value));
                    r.value = v.to_string();
                }
            }
        }
    }
    (rows, error)
}

fn mounts_of(w: &World, pod: &Pod, c: &Container, tr: &Words) -> (Vec<MountView>, Option<String>) {
    let spec = pod.spec.as_ref();
    let vols: BTreeMap<&str, _> = spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
        .map(|v| (v.name.as_str(), v))
        .collect_map();
    let (files, error) = match config::container_mounts(pod, c, w) {
        Ok(m) => (m.files, None),
        Err(e) => (Vec::new(), Some(e.event_message())),
    };
    let mut out = Vec::new();
    for vm in c.volume_mounts.iter().flatten() {
        let source = match vols.get(vm.name.as_str()) {
            None => (tr.volume_not_in_pod)(&vm.name),
            Some(v) => {
                if let Some(cm) = &v.config_map {
                    let items = cm
                        .items
                        .iter()
                        .flatten()
                        .map(|i| format!("{}→{}", i.key, i.path))
                        .collect::<Vec<_>>();
                    let how = if items.is_empty() {
                        tr.every_key_a_file.to_string()
                    } else {
                        (tr.items)(&items.join(", "))
                    };
                    format!("configMap {} ({how})", cm.name)
                } else if let Some(s) = &v.secret {
                    let name = s.secret_name.clone().unwrap_or_default();
                    let items = s
                        .items
                        .iter()
                        .flatten()
                        .map(|i| format!("{}→{}", i.key, i.path))
                        .collect::<Vec<_>>();
                    let how = if items.is_empty() {
                        tr.every_key_decoded.to_string()
                    } else {
                        (tr.items)(&items.join(", "))
                    };
                    format!("secret {name} ({how})")
                } else if v.empty_dir.is_some() {
                    tr.empty_dir.into()
                } else if let Some(pj) = &v.projected {
                    let parts: Vec<String> = pj
                        .sources
                        .iter()
                        .flatten()
                        .map(|src| {
                            if src.service_account_token.is_some() {
                                "serviceAccountToken".to_string()
                            } else if let Some(c) = &src.config_map {
                                format!("configMap {}", c.name)
                            } else if let Some(sec) = &src.secret {
                                format!("secret {}", sec.name)
                            } else if src.downward_api.is_some() {
                                "downwardAPI".to_string()
                            } else {
                                "source".to_string()
                            }
                        })
                        .collect();
                    format!("projected ({})", parts.join(", "))
                } else if let Some(h) = &v.host_path {
                    format!("hostPath {}", h.path)
                } else {
                    "volume".into()
                }
            }
        };
        let files = files
            .iter()
            .filter(|f| f.volume == vm.name)
            .map(|f| {
                let data = f.data.bytes();
                let text = String::from_utf8_lossy(&data);
                let first = text.lines().next().unwrap_or("");
                let mut preview: String = first.chars().take(60).collect();
                if first.chars().count() > 60 || text.trim_end().contains('\n') {
                    preview.push('…');
                }
                (f.path.clone(), data.len(), preview)
            })
            .collect();
        out.push(MountView {
            volume: vm.name.clone(),
            path: vm.mount_path.clone(),
            source,
            sub_path: vm.sub_path.clone().filter(|s| !s.is_empty()),
            read_only: vm.read_only == Some(true),
            files,
        });
    }
    (out, error)
}

fn state_of(st: Option<&ContainerStatus>) -> (String, Option<String>, Option<String>, Option<i32>) {
    let Some(s) = st.and_then(|s| s.state.as_ref()) else {
        return (String::new(), None, None, None);
    };
    if s.running.is_some() {
        return ("Running".into(), None, None, None);
    }
    if let Some(t) = &s.terminated {
        return (
            "Terminated".into(),
            t.reason.clone(),
            t.message.clone(),
            Some(t.exit_code),
        );
    }
    if let Some(wt) = &s.waiting {
        return (
            "Waiting".into(),
            wt.reason.clone(),
            wt.message.clone(),
            None,
        );
    }
    (String::new(), None, None, None)
}

fn last_of(st: Option<&ContainerStatus>) -> Option<String> {
    let t = st?.last_state.as_ref()?.terminated.as_ref()?;
    Some(format!(
        "{} (exit {})",
        t.reason.as_deref().unwrap_or("Terminated"),
        t.exit_code
    ))
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let from = lines.len().saturating_sub(n);
    lines[from..].join("\n")
}

/// Everything the drawer shows about pod `name` in `ns`, or `None` when it is gone.
pub fn pod_detail(w: &World, ns: &str, name: &str, tr: &Words) -> Option<PodDetail> {
    // As the API server holds it: the token volume its mounts imply written out.
    let mut whole: Pod = w.store.get::<Pod>(&kubeplay_core::key(ns, name))?.clone();
    kubeplay_core::serviceaccount::add_implied_token_volume(&mut whole);
    let pod = &whole;
    let spec: &PodSpec = pod.spec.as_ref()?;
    let status = pod.status.clone().unwrap_or_default();
    let rt = w.pod_runtime(ns, name);
    let (ready, st, _) = kubeplay_shell::print::rows::pod_columns(pod, w.now());
    let init_st = status.init_container_statuses.clone().unwrap_or_default();
    let app_st = status.container_statuses.clone().unwrap_or_default();
    let mut containers = Vec::new();
    let all = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| (c, true))
        .chain(spec.containers.iter().map(|c| (c, false)));
    for (c, is_init) in all {
        let cs = if is_init { &init_st } else { &app_st }
            .iter()
            .find(|s| s.name == c.name);
        let role = if !is_init {
            "app"
        } else if c.restart_policy.as_deref() == Some("Always") {
            "sidecar"
        } else {
            "init"
        };
        let image = c.image.clone().unwrap_or_default();
        let img = image_of(w, &image);
        let run = rt.and_then(|r| r.container(&c.name));
        let ran_env: &[EnvPair] = run.map(|r| r.env.as_slice()).unwrap_or(&[]);
        let ran_argv: &[String] = run.map(|r| r.argv.as_slice()).unwrap_or(&[]);
        let (env, env_error) = env_rows(w, pod, c, img.as_ref(), ran_env, tr);
        let lookup = |k: &str| {
            ran_env
                .iter()
                .find(|(n, _)| &**n == k)
                .map(|(_, v)| v.to_string())
                .or_else(|| env.iter().find(|r| r.name == k).map(|r| r.value.clone()))
        };
        let (argv, rule) = argv_words(img.as_ref(), c, &lookup, ran_argv);
        let (state, reason, message, exit_code) = state_of(cs);
        let (mounts, mount_error) = mounts_of(w, pod, c, tr);
        containers.push(CtrDetail {
            name: c.name.clone(),
            role,
            image,
            state,
            reason,
            message,
            exit_code,
            restarts: cs.map_or(0, |s| s.restart_count),
            ready: cs.is_some_and(|s| s.ready),
            last: last_of(cs),
            known_images: img.is_none().then(|| known_images(w)),
            argv,
            rule,
            execed: run.and_then(kubelet::Ctr::execed).map(|a| a.join(" ")),
            env,
            env_error,
            decls: env_decls(w, ns, c, tr),
            mounts,
            mount_error,
            logs: run
                .map(|r| tail(&r.logs, LOG_LINES_SHOWN))
                .unwrap_or_default(),
        });
    }
    let uid = pod.metadata.uid.as_deref().unwrap_or("");
    let evs = w.events_for(uid);
    let from = evs.len().saturating_sub(EVENTS_SHOWN);
    let events = evs[from..]
        .iter()
        .map(|e| EventLine {
            age_ms: w.now().saturating_sub(e.last),
            warning: e.warning,
            reason: e.reason.to_string(),
            message: e.message.to_string(),
            count: e.count,
        })
        .collect();
    Some(PodDetail {
        name: name.to_string(),
        namespace: ns.to_string(),
        node: spec.node_name.clone().unwrap_or_default(),
        ip: status.pod_ip.clone().unwrap_or_default(),
        status: st,
        ready,
        owner: pod
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))
            .map(|o| format!("{}/{}", o.kind, o.name)),
        containers,
        events,
    })
}

/// What a word clicked in the terminal names in namespace `ns`: a pod (its detail opens) or
/// another object the cluster view draws (it is scrolled into view). Accepts `NAME`,
/// `TYPE/NAME` with kubectl's type words (`pod/x`, `deployment.apps/x`, `rs/x`, `cm/x`...),
/// with quotes and trailing punctuation around it ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Named {
    Pod(String),
    /// A CSS selector of the object's element in the cluster view.
    Other(String),
}

pub fn object_named(w: &World, ns: &str, word: &str) -> Option<Named> {
    use kubeplay_api::k8s_openapi::api::apps::v1::Deployment;
    let word = word
        .trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '/'));
    let word = word.trim_end_matches('.');
    let (ty, name) = match word.split_once('/') {
        Some((t, n)) => (Some(t.split('.').next().unwrap_or(t)), n),
        None => (None, word),
    };
    if name.is_empty() || name.contains('/') {
        return None;
    }
    let k = kubeplay_core::key(ns, name);
    let is = |names: &[&str]| ty.is_none_or(|t| names.contains(&t));
    if is(&["pod", "pods", "po"]) && w.store.get::<Pod>(&k).is_some() {
        return Some(Named::Pod(name.to_string()));
    }
    if is(&["deployment", "deployments", "deploy"]) && w.store.get::<Deployment>(&k).is_some() {
        return Some(Named::Other(format!(
            ".cluster [data-deployment=\"{name}\"]"
        )));
    }
    if is(&["replicaset", "replicasets", "rs"]) && w.store.get::<ReplicaSet>(&k).is_some() {
        return Some(Named::Other(format!(".cluster [data-rs=\"{name}\"]")));
    }
    if is(&["configmap", "configmaps", "cm"]) && w.store.get::<ConfigMap>(&k).is_some() {
        return Some(Named::Other(format!(
            ".cluster [data-config=\"ConfigMap/{name}\"]"
        )));
    }
    if is(&["secret", "secrets"]) && w.store.get::<Secret>(&k).is_some() {
        return Some(Named::Other(format!(
            ".cluster [data-config=\"Secret/{name}\"]"
        )));
    }
    None
}

/// `text` cut into runs, each a word that `names` accepts (`true`) or the text between them;
/// words end where [`word_at`]'s do.
pub fn name_runs(text: &str, mut names: impl FnMut(&str) -> bool) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    let mut plain = String::new();
    for piece in text.split_inclusive(is_word_stop) {
        let (word, stop) = match piece.char_indices().last() {
            Some((i, c)) if is_word_stop(c) => piece.split_at(i),
            _ => (piece, ""),
        };
        // The name without what `object_named` trims (a trailing `.` or `:`).
        let core = word.trim_end_matches(['.', ':', ',']);
        if !core.is_empty() && names(core) {
            if !plain.is_empty() {
                out.push((false, std::mem::take(&mut plain)));
            }
            out.push((true, core.to_string()));
            plain.push_str(&word[core.len()..]);
        } else {
            plain.push_str(word);
        }
        plain.push_str(stop);
    }
    if !plain.is_empty() {
        out.push((false, plain));
    }
    out
}

fn is_word_stop(c: char) -> bool {
    c.is_whitespace() || c == '"' || c == '\'' || c == '(' || c == ')'
}

/// The word around byte `at` of `text` (what a click in the terminal lands on).
pub fn word_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let stop = is_word_stop;
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| stop(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .char_indices()
        .find(|(_, c)| stop(*c))
        .map_or(text.len(), |(i, _)| at + i);
    &text[start..end]
}

// ----- ConfigMaps and Secrets with the pods that use them -----

/// How a pod (or a ReplicaSet's pods) uses a ConfigMap or Secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use {
    /// `ReplicaSet web-5d4f (3 pods)`; `None` for a pod no ReplicaSet owns (its name says it).
    pub by: Option<String>,
    /// Names of the first few pods (for selecting one).
    pub pods: Vec<String>,
    /// How many pods in all.
    pub total: usize,
    /// `env APP_COLOR ← key APP_COLOR (container web)`, `envFrom (container web)`,
    /// `volume app-config-volume at /etc/config (container web)`.
    pub how: String,
    /// The key or object it needs is missing.
    pub problem: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigView {
    /// `ConfigMap` or `Secret`.
    pub kind: &'static str,
    pub name: String,
    /// False for a ConfigMap or Secret that pods name but that does not exist.
    pub exists: bool,
    pub keys: Vec<String>,
    /// `Opaque`, `kubernetes.io/tls`...
    pub type_: Option<String>,
    pub uses: Vec<Use>,
}

/// The references of a pod spec: (kind, object name, how, key it needs).
fn spec_refs(spec: &PodSpec, tr: &Words) -> Vec<(Kind, String, String, Option<String>)> {
    let mut out = Vec::new();
    let all = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter());
    for c in all {
        let cn = (tr.in_container)(&c.name);
        let k = tr.key;
        for f in c.env_from.iter().flatten() {
            let prefix = f
                .prefix
                .as_deref()
                .filter(|p| !p.is_empty())
                .map(|p| format!(" prefix {p}"))
                .unwrap_or_default();
            if let Some(r) = &f.config_map_ref {
                out.push((
                    Kind::ConfigMap,
                    r.name.clone(),
                    format!("envFrom{prefix} {cn}"),
                    None,
                ));
            }
            if let Some(r) = &f.secret_ref {
                out.push((
                    Kind::Secret,
                    r.name.clone(),
                    format!("envFrom{prefix} {cn}"),
                    None,
                ));
            }
        }
        for e in c.env.iter().flatten() {
            if let Some(vf) = &e.value_from {
                if let Some(r) = &vf.config_map_key_ref {
                    out.push((
                        Kind::ConfigMap,
                        r.name.clone(),
                        format!("env {} ← {k} {} {cn}", e.name, r.key),
                        Some(r.key.clone()),
                    ));
                }
                if let Some(r) = &vf.secret_key_ref {
                    out.push((
                        Kind::Secret,
                        r.name.clone(),
                        format!("env {} ← {k} {} {cn}", e.name, r.key),
                        Some(r.key.clone()),
                    ));
                }
            }
        }
    }
    for v in spec.volumes.iter().flatten() {
        let at: Vec<String> = spec
            .init_containers
            .iter()
            .flatten()
            .chain(spec.containers.iter())
            .flat_map(|c| {
                c.volume_mounts
                    .iter()
                    .flatten()
                    .filter(|m| m.name == v.name)
                    .map(move |m| (tr.mount_in)(&m.mount_path, &c.name))
            })
            .collect();
        let how = if at.is_empty() {
            (tr.volume_unmounted)(&v.name)
        } else {
            (tr.volume_at)(&v.name, &at.join(", "))
        };
        if let Some(c) = &v.config_map {
            out.push((Kind::ConfigMap, c.name.clone(), how.clone(), None));
        }
        if let Some(s) = &v.secret {
            out.push((
                Kind::Secret,
                s.secret_name.clone().unwrap_or_default(),
                how,
                None,
            ));
        }
    }
    out
}

/// How many pod names a use keeps.
pub const PODS_NAMED: usize = 4;

/// Every ConfigMap and Secret of namespace `ns` (and every one a pod names that is missing),
/// each with the pods that use it. A ReplicaSet's pods share its template, so they are read
/// through the ReplicaSet; `bare_pods` are the pods no ReplicaSet owns (the cluster model has
/// them). Pods are walked only for ReplicaSets whose template names a ConfigMap or Secret.
pub fn config_views(w: &World, ns: &str, bare_pods: &[String], tr: &Words) -> Vec<ConfigView> {
    let mut views: BTreeMap<(u8, String), ConfigView> = BTreeMap::new();
    for cm in w.store.list::<ConfigMap>(ns) {
        let name = cm.metadata.name.clone().unwrap_or_default();
        if name == "kube-root-ca.crt" {
            continue;
        }
        views.insert(
            (0, name.clone()),
            ConfigView {
                kind: "ConfigMap",
                name,
                exists: true,
                keys: cm_keys(cm),
                type_: None,
                uses: Vec::new(),
            },
        );
    }
    for s in w.store.list::<Secret>(ns) {
        let name = s.metadata.name.clone().unwrap_or_default();
        views.insert(
            (1, name.clone()),
            ConfigView {
                kind: "Secret",
                name,
                exists: true,
                keys: secret_keys(s),
                type_: s.type_.clone(),
                uses: Vec::new(),
            },
        );
    }
    let mut users: Vec<(Option<String>, Vec<String>, usize, &PodSpec)> = Vec::new();
    for rs in w.store.list::<ReplicaSet>(ns) {
        let Some(spec) = rs.spec.template.as_ref().and_then(|t| t.spec.as_ref()) else {
            continue;
        };
        if spec_refs(spec, tr).is_empty() {
            continue;
        }
        let uid = rs.metadata.uid.as_deref().unwrap_or("");
        let pods = w.pods_of(uid);
        if pods.is_empty() {
            continue;
        }
        let n = pods.len();
        let mut names: Vec<String> = pods
            .iter()
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        kubeplay_sort::sort(&mut names);
        names.truncate(PODS_NAMED);
        let by = (tr.rs_pods)(rs.metadata.name.as_deref().unwrap_or(""), n);
        users.push((Some(by), names, n, spec));
    }
    for name in bare_pods {
        if let Some(spec) = w
            .store
            .get::<Pod>(&kubeplay_core::key(ns, name))
            .and_then(|p| p.spec.as_ref())
        {
            users.push((None, vec![name.clone()], 1, spec));
        }
    }
    for (by, pods, total, spec) in users {
        for (kind, name, how, key) in spec_refs(spec, tr) {
            let k = (if kind == Kind::ConfigMap { 0 } else { 1 }, name.clone());
            let v = views.entry(k).or_insert_with(|| ConfigView {
                kind: if kind == Kind::ConfigMap {
                    "ConfigMap"
                } else {
                    "Secret"
                },
                name: name.clone(),
                exists: false,
                keys: Vec::new(),
                type_: None,
                uses: Vec::new(),
            });
            let problem = if !v.exists {
                Some((tr.does_not_exist)(v.kind, &name))
            } else {
                key.filter(|k| !v.keys.contains(k))
                    .map(|k| (tr.no_such_key)(v.kind, &name, &k, &v.keys))
            };
            v.uses.push(Use {
                by: by.clone(),
                pods: pods.clone(),
                total,
                how,
                problem,
            });
        }
    }
    views.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;
    use kubeplay_shell::Session;

    fn run(s: &mut Session, script: &str) -> String {
        for l in script.lines() {
            s.feed_line(l);
        }
        s.run_until_idle();
        s.take_output().into_iter().map(|c| c.text).collect()
    }

    const SETUP: &str = "kubectl create configmap app-config --from-literal=APP_COLOR=blue --from-literal=APP_MODE=prod
kubectl create secret generic app-secret --from-literal=DB_HOST=mysql --from-literal=DB_PASSWORD=paswrd
cat <<'EOF' | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: webapp
spec:
  containers:
  - name: web
    image: busybox:1.28
    command: ['sh', '-c']
    args: ['echo color=$(APP_COLOR); sleep 3600']
    envFrom:
    - secretRef:
        name: app-secret
    env:
    - name: APP_COLOR
      valueFrom:
        configMapKeyRef:
          name: app-config
          key: APP_COLOR
    - name: GREETING
      value: hello
    volumeMounts:
    - name: cfg
      mountPath: /etc/config
  volumes:
  - name: cfg
    configMap:
      name: app-config
EOF";

    #[test]
    fn names_in_output_become_runs_of_their_own() {
        let names = |w: &str| ["web", "pod/web-1", "deployment.apps/web"].contains(&w);
        let runs = name_runs(
            "deployment.apps/web created\npod/web-1 and \"web\". webx web:\n",
            names,
        );
        let got: Vec<(bool, &str)> = runs.iter().map(|(n, t)| (*n, t.as_str())).collect();
        assert_eq!(
            got,
            [
                (true, "deployment.apps/web"),
                (false, " created\n"),
                (true, "pod/web-1"),
                (false, " and \""),
                (true, "web"),
                (false, "\". webx "),
                (true, "web"),
                (false, ":\n"),
            ]
        );
        let text = "a  b\n";
        assert_eq!(name_runs(text, |_| false), [(false, text.to_string())]);
    }

    #[test]
    fn a_pod_shows_where_its_env_and_command_came_from() {
        let mut s = Session::new(1);
        let out = run(&mut s, SETUP);
        assert!(out.contains("pod/webapp created"), "{out}");
        let t = s.now() + 30_000;
        s.advance_to(t);
        let d = pod_detail(&s.world, "default", "webapp", &EN).unwrap();
        assert_eq!(d.status, "Running");
        let c = &d.containers[0];
        assert_eq!(
            (c.role, c.state.as_str(), c.ready),
            ("app", "Running", true)
        );
        let row = |n: &str| c.env.iter().find(|r| r.name == n).unwrap().clone();
        assert_eq!(row("APP_COLOR").value, "blue");
        assert_eq!(
            row("APP_COLOR").source,
            "configMapKeyRef app-config → key APP_COLOR"
        );
        assert_eq!(row("DB_PASSWORD").value, "paswrd");
        assert_eq!(
            row("DB_PASSWORD").source,
            "envFrom secretRef app-secret → key DB_PASSWORD"
        );
        assert_eq!(row("GREETING").source, "value");
        assert_eq!(row("HOSTNAME").value, "webapp");
        assert!(row("PATH").source.starts_with("image ENV"));
        assert!(c.env.iter().any(|r| r.class == "service"));
        // command + args: both from the pod, the $(VAR) expanded.
        let words: Vec<(&str, Origin)> = c
            .argv
            .iter()
            .map(|w| (w.value.as_str(), w.origin))
            .collect();
        assert_eq!(
            words,
            [
                ("sh", Origin::Command),
                ("-c", Origin::Command),
                ("echo color=blue; sleep 3600", Origin::Args)
            ]
        );
        assert_eq!(c.argv[2].raw, "echo color=$(APP_COLOR); sleep 3600");
        // The shell ran its last command in its own place: process 1 is `sleep` now.
        assert_eq!(c.execed.as_deref(), Some("sleep 3600"));
        assert!(c.logs.contains("color=blue"), "{}", c.logs);
        let m = &c.mounts[0];
        assert_eq!((m.volume.as_str(), m.path.as_str()), ("cfg", "/etc/config"));
        let files: Vec<&str> = m.files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(files, ["/etc/config/APP_COLOR", "/etc/config/APP_MODE"]);
        assert!(d.events.iter().any(|e| e.reason == "Started"));

        // A changed ConfigMap: the running container keeps its value, and the row says so.
        run(
            &mut s,
            "kubectl patch cm app-config -p '{\"data\":{\"APP_COLOR\":\"red\"}}'",
        );
        let d = pod_detail(&s.world, "default", "webapp", &EN).unwrap();
        let r = d.containers[0]
            .env
            .iter()
            .find(|r| r.name == "APP_COLOR")
            .unwrap();
        assert_eq!(r.value, "blue");
        assert!(r.note.as_deref().unwrap().contains("\"red\""), "{r:?}");

        let views = config_views(&s.world, "default", &["webapp".to_string()], &EN);
        let cm = views.iter().find(|v| v.name == "app-config").unwrap();
        assert_eq!(cm.kind, "ConfigMap");
        let hows: Vec<&str> = cm.uses.iter().map(|u| u.how.as_str()).collect();
        assert_eq!(
            hows,
            [
                "env APP_COLOR ← key APP_COLOR (container web)",
                "volume cfg at /etc/config in web"
            ]
        );
        assert!(cm
            .uses
            .iter()
            .all(|u| u.pods == ["webapp"] && u.problem.is_none()));
        let sec = views.iter().find(|v| v.name == "app-secret").unwrap();
        assert_eq!(sec.kind, "Secret");
        assert_eq!(sec.uses[0].how, "envFrom (container web)");
    }

    #[test]
    fn a_missing_key_is_named_with_the_keys_there_are() {
        let mut s = Session::new(2);
        run(
            &mut s,
            "kubectl create configmap app-config --from-literal=APP_COLOR=blue",
        );
        let out = run(
            &mut s,
            "kubectl run bad --image=nginx --dry-run=client -o yaml > p.yaml
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
  - name: bad
    image: nginx:1.25
    env:
    - name: APP_COLOR
      valueFrom:
        configMapKeyRef:
          name: app-config
          key: APP_COLOUR
EOF",
        );
        assert!(out.contains("pod/bad created"), "{out}");
        let t = s.now() + 30_000;
        s.advance_to(t);
        let d = pod_detail(&s.world, "default", "bad", &EN).unwrap();
        assert_eq!(d.status, "CreateContainerConfigError");
        let c = &d.containers[0];
        assert_eq!(c.state, "Waiting");
        assert_eq!(c.reason.as_deref(), Some("CreateContainerConfigError"));
        assert_eq!(
            c.env_error.as_deref(),
            Some("couldn't find key APP_COLOUR in ConfigMap default/app-config")
        );
        assert_eq!(
            c.decls[0].problem.as_deref(),
            Some("ConfigMap app-config has no key APP_COLOUR (its keys: APP_COLOR)")
        );
        // nginx: no command or args, so the image's ENTRYPOINT and CMD.
        let origins: Vec<Origin> = c.argv.iter().map(|w| w.origin).collect();
        assert!(origins.contains(&Origin::ImageEntrypoint));
        assert!(origins.contains(&Origin::ImageCmd));
        assert!(d.events.iter().any(|e| e.warning && e.reason == "Failed"));
        let views = config_views(&s.world, "default", &["bad".to_string()], &EN);
        let cm = views.iter().find(|v| v.name == "app-config").unwrap();
        assert!(cm.uses[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("no key APP_COLOUR"));
        assert!(pod_detail(&s.world, "default", "gone", &EN).is_none());
        // Clicking a pod's name in the terminal.
        let line =
            "pod/bad created\nNAME   READY   STATUS\nbad    0/1     CreateContainerConfigError";
        let pod = |w: &str| object_named(&s.world, "default", w);
        assert_eq!(word_at(line, 5), "pod/bad");
        assert_eq!(pod(word_at(line, 5)), Some(Named::Pod("bad".into())));
        let at = line.rfind("bad").unwrap() + 1;
        assert_eq!(pod(word_at(line, at)), Some(Named::Pod("bad".into())));
        assert_eq!(pod("READY"), None);
        assert_eq!(pod("\"bad\","), Some(Named::Pod("bad".into())));
        assert_eq!(object_named(&s.world, "other", "bad"), None);
        assert_eq!(
            pod("configmap/app-config"),
            Some(Named::Other(
                ".cluster [data-config=\"ConfigMap/app-config\"]".into()
            ))
        );
        assert_eq!(pod("app-config"), pod("cm/app-config"));
        assert_eq!(pod("secret/app-config"), None);
        assert_eq!(pod("deployment.apps/bad"), None);
    }

    #[test]
    fn the_notes_init_container_shows_first_and_why_it_fails() {
        // The course notes' pod, verbatim: its init container's script is not valid sh.
        let mut s = Session::new(3);
        let out = run(
            &mut s,
            "cat <<'EOF' | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
spec:
  containers:
    - name: myapp-container
      image: busybox:1.28
      command: [ 'sh', '-c', 'echo The app is running! && sleep 3600' ]
  initContainers:
    - name: init-myservice
      image: busybox
      command: [ 'sh', '-c', 'git clone <some-repository-that-will-be-used-by-application>; done;' ]
EOF",
        );
        assert!(out.contains("pod/myapp-pod created"), "{out}");
        let t = s.now() + 60_000;
        s.advance_to(t);
        let d = pod_detail(&s.world, "default", "myapp-pod", &EN).unwrap();
        let order: Vec<(&str, &str)> = d
            .containers
            .iter()
            .map(|c| (c.name.as_str(), c.role))
            .collect();
        assert_eq!(
            order,
            [("init-myservice", "init"), ("myapp-container", "app")]
        );
        let (init, app) = (&d.containers[0], &d.containers[1]);
        assert!(init.restarts >= 1, "{init:?}");
        assert!(!init.ready);
        // What kubectl get says, and what the drawer says, agree.
        assert!(d.status.starts_with("Init:"), "{}", d.status);
        if init.state == "Terminated" {
            assert_eq!(init.reason.as_deref(), Some("Error"));
            assert_ne!(init.exit_code, Some(0));
        } else {
            assert_eq!(init.state, "Waiting");
            assert_eq!(init.reason.as_deref(), Some("CrashLoopBackOff"));
            assert!(
                init.last.as_deref().unwrap().starts_with("Error (exit "),
                "{init:?}"
            );
        }
        let (out, _) = {
            s.feed_line("kubectl logs myapp-pod -c init-myservice");
            s.run_until_idle();
            let o: String = s.take_output().into_iter().map(|c| c.text).collect();
            (o, ())
        };
        assert!(!init.logs.is_empty());
        assert_eq!(format!("{}\n", init.logs), out);
        assert_eq!(app.state, "Waiting");
        assert_eq!(app.reason.as_deref(), Some("PodInitializing"));
        let words: Vec<&str> = app.argv.iter().map(|w| w.value.as_str()).collect();
        assert_eq!(
            words,
            ["sh", "-c", "echo The app is running! && sleep 3600"]
        );
        assert_eq!(app.rule, Rule::Command);
    }
}
