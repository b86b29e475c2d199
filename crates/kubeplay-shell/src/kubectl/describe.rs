//! `kubectl describe`: the describers of pkg/describe/describe.go, written through a
//! `PrefixWriter` (2 spaces per level) into Go's tabwriter (minwidth 0, padding 2).

use super::flags::{self, Flag, FlagError};
use super::get::{resolve_args, FieldSelector, Scope};
use super::help::Doc;
use super::{print_api_error, Cx, Exec};
use crate::print::age::human_duration;
use crate::print::tabwriter;
use kubeplay_api::k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use kubeplay_api::k8s_openapi::api::core::v1::{
    ConfigMap, Container, ContainerState, ContainerStatus, Event, Namespace, Node, Pod,
    PodTemplateSpec, Probe, ResourceRequirements, Secret, Service, ServiceAccount, Toleration,
    Volume,
};
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kubeplay_api::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay_api::selector::Selector;
use kubeplay_api::Object;
use kubeplay_core::time::millis_of;
use kubeplay_core::World;
use std::collections::BTreeMap;

static FLAGS: &[Flag] = &[
    flags::SELECTOR,
    flags::ALL_NAMESPACES,
    flags::FILENAME,
    Flag::bool("show-events", None).shows("true"),
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    Flag::int("chunk-size", None).shows("500"),
];

/// Text for the tabwriter, written with describe's indentation levels.
#[derive(Default)]
pub struct PrefixWriter {
    /// Finished (flushed) output.
    done: String,
    /// Pending tabwriter input.
    buf: String,
}

impl PrefixWriter {
    pub fn write(&mut self, level: usize, s: &str) {
        for _ in 0..level {
            self.buf.push_str("  ");
        }
        self.buf.push_str(s);
    }
    /// `WriteLine`: the text and a newline, with no prefix.
    pub fn line(&mut self, s: &str) {
        self.buf.push_str(s);
        self.buf.push('\n');
    }
    pub fn flush(&mut self) {
        let t = std::mem::take(&mut self.buf);
        self.done.push_str(&tabwriter::format(&t, 0, 2));
    }
    pub fn finish(mut self) -> String {
        self.flush();
        self.done
    }
}

/// Strings and optional strings alike, as Go prints a string field.
trait Txt {
    fn txt(&self) -> String;
}
impl Txt for String {
    fn txt(&self) -> String {
        self.clone()
    }
}
impl Txt for Option<String> {
    fn txt(&self) -> String {
        self.clone().unwrap_or_default()
    }
}
fn txt(t: &impl Txt) -> String {
    t.txt()
}

/// RFC1123Z: `Mon, 02 Jan 2006 15:04:05 +0000`.
pub fn rfc1123z(t: &Time) -> String {
    kubeplay_api::timefmt::rfc1123z(t.0)
}

fn zero_time() -> String {
    "Mon, 01 Jan 0001 00:00:00 +0000".into()
}

fn opt_time(t: Option<&Time>) -> String {
    t.map(rfc1123z).unwrap_or_else(zero_time)
}

pub fn print_labels(
    w: &mut PrefixWriter,
    initial: &str,
    title: &str,
    labels: Option<&BTreeMap<String, String>>,
) {
    w.write(0, &format!("{initial}{title}:\t"));
    let Some(l) = labels.filter(|l| !l.is_empty()) else {
        w.line("<none>");
        return;
    };
    for (i, (k, v)) in l.iter().enumerate() {
        if i != 0 {
            w.write(0, initial);
            w.write(0, "\t");
        }
        w.write(0, &format!("{k}={v}\n"));
    }
}

const MAX_ANNOTATION_LEN: usize = 140;

pub fn print_annotations(
    w: &mut PrefixWriter,
    initial: &str,
    title: &str,
    ann: Option<&BTreeMap<String, String>>,
) {
    w.write(0, &format!("{initial}{title}:\t"));
    let keys: Vec<(&String, &String)> = ann
        .iter()
        .flat_map(|m| m.iter())
        .filter(|(k, _)| *k != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    let indent = format!("{initial}\t");
    for (i, (k, v)) in keys.into_iter().enumerate() {
        if i != 0 {
            w.write(0, &indent);
        }
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(0, &format!("{k}:\n"));
            for s in value.split('\n') {
                let s = if s.len() > MAX_ANNOTATION_LEN - 2 {
                    let mut cut = MAX_ANNOTATION_LEN - 2;
                    while !s.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    format!("{}...", &s[..cut])
                } else {
                    s.to_string()
                };
                w.write(0, &format!("{indent}  {s}\n"));
            }
        } else {
            w.write(0, &format!("{k}: {value}\n"));
        }
    }
}

fn print_tolerations(
    w: &mut PrefixWriter,
    initial: &str,
    title: &str,
    tols: Option<&Vec<Toleration>>,
) {
    w.write(0, &format!("{initial}{title}:\t"));
    let Some(t) = tols.filter(|t| !t.is_empty()) else {
        w.line("<none>");
        return;
    };
    let mut t = t.clone();
    kubeplay_sort::sort_by(&mut t, |a, b| a.key.cmp(&b.key));
    for (i, tol) in t.iter().enumerate() {
        if i != 0 {
            w.write(0, initial);
            w.write(0, "\t");
        }
        let key = tol.key.clone().unwrap_or_default();
        let value = tol.value.clone().unwrap_or_default();
        let effect = tol.effect.clone().unwrap_or_default();
        let mut s = key.clone();
        if !value.is_empty() {
            s.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            s.push_str(&format!(":{effect}"));
        }
        if tol.operator.as_deref() == Some("Exists") && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                s.push_str(" op=Exists");
            } else {
                s.push_str("op=Exists");
            }
        }
        if let Some(secs) = tol.toleration_seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        s.push('\n');
        w.write(0, &s);
    }
}

fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    if let Some(e) = &p.exec {
        return format!(
            "exec [{}] {attrs}",
            e.command.clone().unwrap_or_default().join(" ")
        );
    }
    if let Some(h) = &p.http_get {
        let scheme = h
            .scheme
            .clone()
            .unwrap_or_else(|| "HTTP".into())
            .to_lowercase();
        let host = h.host.clone().unwrap_or_default();
        let port = int_or_string(&h.port);
        let hostport = if port.is_empty() {
            host
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = h.path.clone().unwrap_or_default();
        return format!("http-get {scheme}://{hostport}{path} {attrs}");
    }
    if let Some(t) = &p.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            t.host.clone().unwrap_or_default(),
            int_or_string(&t.port)
        );
    }
    if let Some(g) = &p.grpc {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            g.port,
            g.service.clone().unwrap_or_default()
        );
    }
    format!("unknown {attrs}")
}

fn describe_resources(r: Option<&ResourceRequirements>, w: &mut PrefixWriter) {
    let Some(r) = r else { return };
    for (title, m) in [("Limits", &r.limits), ("Requests", &r.requests)] {
        if let Some(m) = m.as_ref().filter(|m| !m.is_empty()) {
            w.write(2, &format!("{title}:\n"));
            for (k, q) in m {
                w.write(3, &format!("{k}:\t{}\n", q.0));
            }
        }
    }
}

fn describe_state(name: &str, st: Option<&ContainerState>, w: &mut PrefixWriter) {
    let st = st.cloned().unwrap_or_default();
    if let Some(r) = &st.running {
        w.write(2, &format!("{name}:\tRunning\n"));
        w.write(
            3,
            &format!("Started:\t{}\n", opt_time(r.started_at.as_ref())),
        );
    } else if let Some(wt) = &st.waiting {
        w.write(2, &format!("{name}:\tWaiting\n"));
        if let Some(r) = wt.reason.as_ref().filter(|r| !r.is_empty()) {
            w.write(3, &format!("Reason:\t{r}\n"));
        }
    } else if let Some(t) = &st.terminated {
        w.write(2, &format!("{name}:\tTerminated\n"));
        if let Some(r) = t.reason.as_ref().filter(|r| !r.is_empty()) {
            w.write(3, &format!("Reason:\t{r}\n"));
        }
        if let Some(m) = t.message.as_ref().filter(|m| !m.is_empty()) {
            w.write(3, &format!("Message:\t{m}\n"));
        }
        w.write(3, &format!("Exit Code:\t{}\n", t.exit_code));
        if let Some(s) = t.signal.filter(|s| *s > 0) {
            w.write(3, &format!("Signal:\t{s}\n"));
        }
        w.write(
            3,
            &format!("Started:\t{}\n", opt_time(t.started_at.as_ref())),
        );
        w.write(
            3,
            &format!("Finished:\t{}\n", opt_time(t.finished_at.as_ref())),
        );
    } else {
        w.write(2, &format!("{name}:\tWaiting\n"));
    }
}

/// The value describe shows for a `fieldRef` env var of a pod.
fn field_ref_value(pod: Option<&Pod>, path: &str) -> String {
    let Some(p) = pod else { return String::new() };
    let m = &p.metadata;
    let spec = p.spec.as_ref();
    let st = p.status.as_ref();
    if let Some(k) = path
        .strip_prefix("metadata.labels['")
        .and_then(|k| k.strip_suffix("']"))
    {
        return m
            .labels
            .as_ref()
            .and_then(|l| l.get(k))
            .cloned()
            .unwrap_or_default();
    }
    if let Some(k) = path
        .strip_prefix("metadata.annotations['")
        .and_then(|k| k.strip_suffix("']"))
    {
        return m
            .annotations
            .as_ref()
            .and_then(|l| l.get(k))
            .cloned()
            .unwrap_or_default();
    }
    match path {
        "metadata.name" => m.name.clone(),
        "metadata.namespace" => m.namespace.clone(),
        "metadata.uid" => m.uid.clone(),
        "spec.nodeName" => spec.and_then(|s| s.node_name.clone()),
        "spec.serviceAccountName" => spec.and_then(|s| s.service_account_name.clone()),
        "status.hostIP" => st.and_then(|s| s.host_ip.clone()),
        "status.podIP" => st.and_then(|s| s.pod_ip.clone()),
        _ => None,
    }
    .unwrap_or_default()
}

fn describe_containers(
    label: &str,
    containers: &[Container],
    statuses: Option<&Vec<ContainerStatus>>,
    pod: Option<&Pod>,
    w: &mut PrefixWriter,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let st = statuses.and_then(|v| v.iter().find(|s| s.name == c.name));
        w.write(1, &format!("{name_indent}{}:\n", c.name));
        if let Some(s) = st {
            w.write(
                2,
                &format!(
                    "Container ID:\t{}\n",
                    s.container_id.clone().unwrap_or_default()
                ),
            );
        }
        w.write(
            2,
            &format!("Image:\t{}\n", c.image.clone().unwrap_or_default()),
        );
        if let Some(s) = st {
            w.write(2, &format!("Image ID:\t{}\n", s.image_id));
        }
        let ports = c.ports.as_deref().unwrap_or(&[]);
        let fmt_ports = |host: bool| -> String {
            ports
                .iter()
                .map(|p| {
                    let n = if host {
                        p.host_port.unwrap_or(0)
                    } else {
                        p.container_port
                    };
                    let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
                    match p.name.as_deref().filter(|n| !n.is_empty()) {
                        Some(name) => format!("{n}/{proto} ({name})"),
                        None => format!("{n}/{proto}"),
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (single, multi, s) in [
            ("Port", "Ports", fmt_ports(false)),
            ("Host Port", "Host Ports", fmt_ports(true)),
        ] {
            if s.contains(',') {
                w.write(2, &format!("{multi}:\t{s}\n"));
            } else if s.is_empty() {
                w.write(2, &format!("{single}:\t<none>\n"));
            } else {
                w.write(2, &format!("{single}:\t{s}\n"));
            }
        }
        for (title, items) in [("Command", &c.command), ("Args", &c.args)] {
            if let Some(items) = items.as_ref().filter(|v| !v.is_empty()) {
                w.write(2, &format!("{title}:\n"));
                for item in items {
                    for s in item.split('\n') {
                        w.write(3, &format!("{s}\n"));
                    }
                }
            }
        }
        if let Some(s) = st {
            describe_state("State", s.state.as_ref(), w);
            if s.last_state
                .as_ref()
                .is_some_and(|l| l.terminated.is_some())
            {
                describe_state("Last State", s.last_state.as_ref(), w);
            }
            w.write(
                2,
                &format!("Ready:\t{}\n", if s.ready { "True" } else { "False" }),
            );
            w.write(2, &format!("Restart Count:\t{}\n", s.restart_count));
        }
        describe_resources(c.resources.as_ref(), w);
        for (title, p) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = p {
                w.write(2, &format!("{title}:\t{}\n", describe_probe(p)));
            }
        }
        if let Some(ef) = c.env_from.as_ref().filter(|e| !e.is_empty()) {
            w.write(2, "Environment Variables from:\n");
            for e in ef {
                let (from, name, optional) = if let Some(r) = &e.config_map_ref {
                    ("ConfigMap", r.name.clone(), r.optional == Some(true))
                } else if let Some(r) = &e.secret_ref {
                    ("Secret", r.name.clone(), r.optional == Some(true))
                } else {
                    ("", String::new(), false)
                };
                match e.prefix.as_deref().filter(|p| !p.is_empty()) {
                    None => w.write(3, &format!("{name}\t{from}\tOptional: {optional}\n")),
                    Some(p) => w.write(
                        3,
                        &format!("{name}\t{from} with prefix '{p}'\tOptional: {optional}\n"),
                    ),
                }
            }
        }
        let env = c.env.as_deref().unwrap_or(&[]);
        if env.is_empty() {
            w.write(2, "Environment:\t<none>\n");
        } else {
            w.write(2, "Environment:\n");
        }
        for e in env {
            let Some(vf) = &e.value_from else {
                for (i, s) in e.value.clone().unwrap_or_default().split('\n').enumerate() {
                    if i == 0 {
                        w.write(3, &format!("{}:\t{s}\n", e.name));
                    } else {
                        w.write(3, &format!("\t{s}\n"));
                    }
                }
                continue;
            };
            if let Some(f) = &vf.field_ref {
                let v = field_ref_value(pod, &f.field_path);
                let api = f.api_version.clone().unwrap_or_else(|| "v1".into());
                w.write(3, &format!("{}:\t{v} ({api}:{})\n", e.name, f.field_path));
            } else if let Some(r) = &vf.resource_field_ref {
                let res = &r.resource;
                let reqs = c.resources.as_ref();
                let q = match res.split_once('.') {
                    Some(("limits", n)) => {
                        reqs.and_then(|r| r.limits.as_ref()).and_then(|m| m.get(n))
                    }
                    Some(("requests", n)) => reqs
                        .and_then(|r| r.requests.as_ref())
                        .and_then(|m| m.get(n)),
                    _ => None,
                };
                let mut v = q.map(|q| q.0.clone()).unwrap_or_else(|| "0".into());
                if v == "0" && (res == "limits.cpu" || res == "limits.memory") {
                    v = "node allocatable".into();
                }
                w.write(3, &format!("{}:\t{v} ({res})\n", e.name));
            } else if let Some(r) = &vf.secret_key_ref {
                w.write(
                    3,
                    &format!(
                        "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                        e.name,
                        r.key,
                        r.name,
                        r.optional == Some(true)
                    ),
                );
            } else if let Some(r) = &vf.config_map_key_ref {
                w.write(
                    3,
                    &format!(
                        "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                        e.name,
                        r.key,
                        r.name,
                        r.optional == Some(true)
                    ),
                );
            }
        }
        let mut mounts = c.volume_mounts.clone().unwrap_or_default();
        if mounts.is_empty() {
            w.write(2, "Mounts:\t<none>\n");
        } else {
            w.write(2, "Mounts:\n");
        }
        kubeplay_sort::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
        for m in mounts {
            let mut flags = vec![if m.read_only == Some(true) {
                "ro".to_string()
            } else {
                "rw".to_string()
            }];
            if let Some(sp) = m.sub_path.as_ref().filter(|s| !s.is_empty()) {
                flags.push(format!("path={}", crate::print::jsonpath::go_quote(sp)));
            }
            w.write(
                3,
                &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")),
            );
        }
    }
}

fn describe_volumes(vols: Option<&Vec<Volume>>, w: &mut PrefixWriter, space: &str) {
    let Some(vols) = vols.filter(|v| !v.is_empty()) else {
        w.write(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    };
    w.write(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        w.write(1, &format!("{name_indent}{}:\n", v.name));
        if let Some(h) = &v.host_path {
            w.write(
                2,
                &format!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                    h.path,
                    h.type_.clone().unwrap_or_else(|| "<none>".into())
                ),
            );
        } else if let Some(e) = &v.empty_dir {
            let size = e
                .size_limit
                .as_ref()
                .map(|q| q.0.clone())
                .filter(|q| q != "0")
                .unwrap_or_else(|| "<unset>".into());
            w.write(
                2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                    e.medium.clone().unwrap_or_default()
                ),
            );
        } else if let Some(s) = &v.secret {
            w.write(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    s.secret_name.clone().unwrap_or_default(),
                    s.optional == Some(true)
                ),
            );
        } else if let Some(c) = &v.config_map {
            w.write(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    c.name,
                    c.optional == Some(true)
                ),
            );
        } else if let Some(p) = &v.projected {
            w.write(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for s in p.sources.iter().flatten() {
                if let Some(sec) = &s.secret {
                    w.write(
                        2,
                        &format!(
                            "SecretName:\t{}\n    Optional:\t{}\n",
                            sec.name,
                            sec.optional == Some(true)
                        ),
                    );
                } else if s.downward_api.is_some() {
                    w.write(2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = &s.config_map {
                    w.write(
                        2,
                        &format!(
                            "ConfigMapName:\t{}\n    Optional:\t{}\n",
                            cm.name,
                            cm.optional == Some(true)
                        ),
                    );
                } else if let Some(t) = &s.service_account_token {
                    w.write(
                        2,
                        &format!(
                            "TokenExpirationSeconds:\t{}\n",
                            t.expiration_seconds.unwrap_or(3600)
                        ),
                    );
                }
            }
        } else if let Some(d) = &v.downward_api {
            w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
            for it in d.items.iter().flatten() {
                if let Some(f) = &it.field_ref {
                    w.write(3, &format!("{} -> {}\n", f.field_path, it.path));
                }
                if let Some(r) = &it.resource_field_ref {
                    w.write(3, &format!("{} -> {}\n", r.resource, it.path));
                }
            }
        } else if let Some(p) = &v.persistent_volume_claim {
            w.write(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    p.claim_name,
                    p.read_only == Some(true)
                ),
            );
        } else {
            w.write(1, "<unknown>\n");
        }
    }
}

/// `DescribePodTemplate` through a plain prefix writer into a buffer, with no tabwriter:
/// what `kubectl rollout history --revision=N` and `rollout undo --dry-run` print (tabs stay
/// literal).
pub fn pod_template_raw(t: &PodTemplateSpec) -> String {
    let mut w = PrefixWriter::default();
    describe_pod_template(t, &mut w);
    std::mem::take(&mut w.buf)
}

fn describe_pod_template(t: &PodTemplateSpec, w: &mut PrefixWriter) {
    w.write(0, "Pod Template:\n");
    let m = t.metadata.clone().unwrap_or_default();
    print_labels(w, "", "  Labels", m.labels.as_ref());
    if m.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        print_annotations(w, "", "  Annotations", m.annotations.as_ref());
    }
    let spec = t.spec.clone().unwrap_or_default();
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        w.write(1, &format!("Service Account:\t{sa}\n"));
    }
    if let Some(ic) = spec.init_containers.as_ref().filter(|v| !v.is_empty()) {
        describe_containers("Init Containers", ic, None, None, w, "  ");
    }
    describe_containers("Containers", &spec.containers, None, None, w, "  ");
    describe_volumes(spec.volumes.as_ref(), w, "  ");
    if let Some(pc) = spec.priority_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.write(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    print_labels(w, "", "  Node-Selectors", spec.node_selector.as_ref());
    print_tolerations(w, "", "  Tolerations", spec.tolerations.as_ref());
}

/// The events about an object, as `DescribeEvents` prints them.
fn describe_events(world: &World, uid: Option<&str>, w: &mut PrefixWriter) {
    let now = world.now();
    let mut evs: Vec<Event> = match uid {
        Some(u) if !u.is_empty() => world
            .events_for(u)
            .into_iter()
            .map(|r| r.to_event())
            .collect(),
        _ => vec![],
    };
    if evs.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    kubeplay_sort::sort_by_key(&mut evs, |e| e.last_timestamp.as_ref().map(millis_of));
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    let since = |t: Option<&Time>| -> String {
        match t {
            Some(t) => human_duration(now as i64 - (millis_of(t) / 1000 * 1000) as i64),
            None => "<unknown>".into(),
        }
    };
    for e in evs {
        let first = since(e.first_timestamp.as_ref());
        let count = e.count.unwrap_or(1);
        let interval = if count > 1 {
            format!(
                "{} (x{count} over {first})",
                since(e.last_timestamp.as_ref())
            )
        } else {
            first
        };
        let source = e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .filter(|c| !c.is_empty())
            .or_else(|| e.reporting_component.clone())
            .unwrap_or_default();
        let mut msg = e.message.clone().unwrap_or_default().trim().to_string();
        // kubectl >= 1.35 names the container the event is about.
        if let Some(fp) = e
            .involved_object
            .field_path
            .as_ref()
            .filter(|f| !f.is_empty())
        {
            msg = format!("{fp}: {msg}");
        }
        w.write(
            1,
            &format!(
                "{}\t{}\t{interval}\t{source}\t{msg}\n",
                e.type_.clone().unwrap_or_default(),
                e.reason.clone().unwrap_or_default()
            ),
        );
    }
}

fn controlled_by(o: &Object) -> Option<String> {
    o.meta()
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| format!("{}/{}", r.kind, r.name))
}

fn qos_class(p: &Pod) -> String {
    if let Some(q) = p.status.as_ref().and_then(|s| s.qos_class.clone()) {
        return q;
    }
    let spec = p.spec.clone().unwrap_or_default();
    let all: Vec<&Container> = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .collect();
    let mut any = false;
    let mut guaranteed = true;
    for c in &all {
        let r = c.resources.clone().unwrap_or_default();
        let req = r.requests.unwrap_or_default();
        let lim = r.limits.unwrap_or_default();
        if !req.is_empty() || !lim.is_empty() {
            any = true;
        }
        for res in ["cpu", "memory"] {
            match lim.get(res) {
                None => guaranteed = false,
                Some(l) => {
                    if req.get(res).is_some_and(|q| q.0 != l.0) {
                        guaranteed = false;
                    }
                }
            }
        }
    }
    if !any {
        "BestEffort".into()
    } else if guaranteed {
        "Guaranteed".into()
    } else {
        "Burstable".into()
    }
}

fn describe_pod(world: &World, p: &Pod, show_events: bool) -> String {
    let mut w = PrefixWriter::default();
    let m = &p.metadata;
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    w.write(
        0,
        &format!("Name:\t{}\n", m.name.clone().unwrap_or_default()),
    );
    w.write(
        0,
        &format!("Namespace:\t{}\n", m.namespace.clone().unwrap_or_default()),
    );
    if let Some(pr) = spec.priority {
        w.write(0, &format!("Priority:\t{pr}\n"));
    }
    if let Some(pc) = spec.priority_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("Priority Class Name:\t{pc}\n"));
    }
    if let Some(rc) = spec.runtime_class_name.as_ref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("Runtime Class Name:\t{rc}\n"));
    }
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("Service Account:\t{sa}\n"));
    }
    match spec.node_name.as_ref().filter(|n| !n.is_empty()) {
        None => w.write(0, "Node:\t<none>\n"),
        Some(n) => w.write(
            0,
            &format!("Node:\t{n}/{}\n", st.host_ip.clone().unwrap_or_default()),
        ),
    }
    if let Some(t) = &st.start_time {
        w.write(0, &format!("Start Time:\t{}\n", rfc1123z(t)));
    }
    print_labels(&mut w, "", "Labels", m.labels.as_ref());
    print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
    let phase = st.phase.clone().unwrap_or_default();
    match &m.deletion_timestamp {
        Some(dt) if phase != "Failed" && phase != "Succeeded" => {
            let lasts = human_duration(world.now() as i64 - millis_of(dt) as i64);
            w.write(0, &format!("Status:\tTerminating (lasts {lasts})\n"));
            w.write(
                0,
                &format!(
                    "Termination Grace Period:\t{}s\n",
                    m.deletion_grace_period_seconds.unwrap_or(30)
                ),
            );
        }
        _ => w.write(0, &format!("Status:\t{phase}\n")),
    }
    if let Some(r) = st.reason.as_ref().filter(|r| !r.is_empty()) {
        w.write(0, &format!("Reason:\t{r}\n"));
    }
    if let Some(msg) = st.message.as_ref().filter(|r| !r.is_empty()) {
        w.write(0, &format!("Message:\t{msg}\n"));
    }
    w.write(
        0,
        &format!("IP:\t{}\n", st.pod_ip.clone().unwrap_or_default()),
    );
    match st.pod_ips.as_ref().filter(|v| !v.is_empty()) {
        None => w.write(0, "IPs:\t<none>\n"),
        Some(ips) => {
            w.write(0, "IPs:\n");
            for ip in ips {
                w.write(1, &format!("IP:\t{}\n", ip.ip));
            }
        }
    }
    if let Some(c) = controlled_by(&Object::from(p.clone())) {
        w.write(0, &format!("Controlled By:\t{c}\n"));
    }
    if let Some(n) = st.nominated_node_name.as_ref().filter(|n| !n.is_empty()) {
        w.write(0, &format!("NominatedNodeName:\t{n}\n"));
    }
    if let Some(ic) = spec.init_containers.as_ref().filter(|v| !v.is_empty()) {
        describe_containers(
            "Init Containers",
            ic,
            st.init_container_statuses.as_ref(),
            Some(p),
            &mut w,
            "",
        );
    }
    describe_containers(
        "Containers",
        &spec.containers,
        st.container_statuses.as_ref(),
        Some(p),
        &mut w,
        "",
    );
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let status = st
                .conditions
                .iter()
                .flatten()
                .find(|c| c.type_ == g.condition_type)
                .map(|c| c.status.clone())
                .unwrap_or_else(|| "<none>".into());
            w.write(1, &format!("{} \t{status} \n", g.condition_type));
        }
    }
    if let Some(conds) = st.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in conds {
            w.write(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    describe_volumes(spec.volumes.as_ref(), &mut w, "");
    w.write(0, &format!("QoS Class:\t{}\n", qos_class(p)));
    print_labels(&mut w, "", "Node-Selectors", spec.node_selector.as_ref());
    print_tolerations(&mut w, "", "Tolerations", spec.tolerations.as_ref());
    if show_events {
        describe_events(world, m.uid.as_deref(), &mut w);
    }
    w.finish()
}

fn selector_text(
    s: &kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
) -> String {
    Selector::from_label_selector(s)
        .map(|s| s.to_string())
        .unwrap_or_default()
}

fn describe_deployment(world: &World, d: &Deployment, show_events: bool) -> String {
    let mut w = PrefixWriter::default();
    let m = &d.metadata;
    let st = d.status.clone().unwrap_or_default();
    w.write(
        0,
        &format!("Name:\t{}\n", m.name.clone().unwrap_or_default()),
    );
    w.write(
        0,
        &format!("Namespace:\t{}\n", m.namespace.clone().unwrap_or_default()),
    );
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            opt_time(m.creation_timestamp.as_ref())
        ),
    );
    print_labels(&mut w, "", "Labels", m.labels.as_ref());
    print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
    w.write(
        0,
        &format!("Selector:\t{}\n", selector_text(&d.spec.selector)),
    );
    w.write(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            d.spec.replicas.unwrap_or(1),
            st.updated_replicas.unwrap_or(0),
            st.replicas.unwrap_or(0),
            st.available_replicas.unwrap_or(0),
            st.unavailable_replicas.unwrap_or(0)
        ),
    );
    let strategy = d.spec.strategy.clone().unwrap_or_default();
    w.write(
        0,
        &format!(
            "StrategyType:\t{}\n",
            strategy.type_.clone().unwrap_or_default()
        ),
    );
    w.write(
        0,
        &format!(
            "MinReadySeconds:\t{}\n",
            d.spec.min_ready_seconds.unwrap_or(0)
        ),
    );
    if let Some(ru) = &strategy.rolling_update {
        let f =
            |v: &Option<IntOrString>| v.as_ref().map(int_or_string).unwrap_or_else(|| "0".into());
        w.write(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                f(&ru.max_unavailable),
                f(&ru.max_surge)
            ),
        );
    }
    describe_pod_template(&d.spec.template, &mut w);
    if let Some(conds) = st.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for c in conds {
            w.write(
                1,
                &format!(
                    "{} \t{}\t{}\n",
                    txt(&c.type_),
                    txt(&c.status),
                    txt(&c.reason)
                ),
            );
        }
    }
    let rss = world.replicasets_of(d);
    let want = kubeplay_core::controllers::deployment::template_without_hash(&d.spec.template);
    let new_rs = rss.iter().rev().find(|rs| {
        rs.spec.template.as_ref().is_some_and(|t| {
            kubeplay_core::controllers::deployment::template_without_hash(t) == want
        })
    });
    let fmt_rs = |rs: &ReplicaSet| {
        format!(
            "{} ({}/{} replicas created)",
            rs.metadata.name.clone().unwrap_or_default(),
            rs.status.as_ref().map_or(0, |s| s.replicas),
            rs.spec.replicas.unwrap_or(1)
        )
    };
    let old: Vec<String> = rss
        .iter()
        .filter(|rs| new_rs.is_none_or(|n| n.metadata.uid != rs.metadata.uid))
        .filter(|rs| rs.spec.replicas.unwrap_or(1) != 0)
        .map(|rs| fmt_rs(rs))
        .collect();
    w.write(
        0,
        &format!(
            "OldReplicaSets:\t{}\n",
            if old.is_empty() {
                "<none>".into()
            } else {
                old.join(", ")
            }
        ),
    );
    w.write(
        0,
        &format!(
            "NewReplicaSet:\t{}\n",
            new_rs.map(|r| fmt_rs(r)).unwrap_or_else(|| "<none>".into())
        ),
    );
    if show_events {
        describe_events(world, m.uid.as_deref(), &mut w);
    }
    w.finish()
}

fn describe_replicaset(world: &World, rs: &ReplicaSet, show_events: bool) -> String {
    let mut w = PrefixWriter::default();
    let m = &rs.metadata;
    let st = rs.status.clone().unwrap_or_default();
    w.write(
        0,
        &format!("Name:\t{}\n", m.name.clone().unwrap_or_default()),
    );
    w.write(
        0,
        &format!("Namespace:\t{}\n", m.namespace.clone().unwrap_or_default()),
    );
    w.write(
        0,
        &format!("Selector:\t{}\n", selector_text(&rs.spec.selector)),
    );
    print_labels(&mut w, "", "Labels", m.labels.as_ref());
    print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
    if let Some(c) = controlled_by(&Object::from(rs.clone())) {
        w.write(0, &format!("Controlled By:\t{c}\n"));
    }
    w.write(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            st.replicas,
            rs.spec.replicas.unwrap_or(1)
        ),
    );
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in world.pods_of(m.uid.as_deref().unwrap_or("")) {
        match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Running") => running += 1,
            Some("Succeeded") => succeeded += 1,
            Some("Failed") => failed += 1,
            _ => waiting += 1,
        }
    }
    w.write(
        0,
        &format!("Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"),
    );
    describe_pod_template(&rs.spec.template.clone().unwrap_or_default(), &mut w);
    if let Some(conds) = st.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for c in conds {
            w.write(
                1,
                &format!(
                    "{} \t{}\t{}\n",
                    txt(&c.type_),
                    txt(&c.status),
                    txt(&c.reason)
                ),
            );
        }
    }
    if show_events {
        describe_events(world, m.uid.as_deref(), &mut w);
    }
    w.finish()
}

fn describe_configmap(world: &World, cm: &ConfigMap, show_events: bool) -> String {
    let mut w = PrefixWriter::default();
    let m = &cm.metadata;
    w.write(
        0,
        &format!("Name:\t{}\n", m.name.clone().unwrap_or_default()),
    );
    w.write(
        0,
        &format!("Namespace:\t{}\n", m.namespace.clone().unwrap_or_default()),
    );
    print_labels(&mut w, "", "Labels", m.labels.as_ref());
    print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
    w.write(0, "\nData\n====\n");
    for (k, v) in cm.data.iter().flatten() {
        w.write(0, &format!("{k}:\n----\n"));
        w.write(0, &format!("{v}\n"));
        w.write(0, "\n");
    }
    w.write(0, "\nBinaryData\n====\n");
    for (k, v) in cm.binary_data.iter().flatten() {
        w.write(0, &format!("{k}: {} bytes\n", v.0.len()));
    }
    w.write(0, "\n");
    if show_events {
        describe_events(world, m.uid.as_deref(), &mut w);
    }
    w.finish()
}

fn describe_secret(s: &Secret) -> String {
    let mut w = PrefixWriter::default();
    let m = &s.metadata;
    w.write(
        0,
        &format!("Name:\t{}\n", m.name.clone().unwrap_or_default()),
    );
    w.write(
        0,
        &format!("Namespace:\t{}\n", m.namespace.clone().unwrap_or_default()),
    );
    print_labels(&mut w, "", "Labels", m.labels.as_ref());
    print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
    w.write(
        0,
        &format!(
            "\nType:\t{}\n",
            s.type_.clone().unwrap_or_else(|| "Opaque".into())
        ),
    );
    w.write(0, "\nData\n====\n");
    let sa_token = s.type_.as_deref() == Some("kubernetes.io/service-account-token");
    for (k, v) in s.data.iter().flatten() {
        if sa_token && k == "token" {
            w.write(0, &format!("{k}:\t{}\n", String::from_utf8_lossy(&v.0)));
        } else {
            w.write(0, &format!("{k}:\t{} bytes\n", v.0.len()));
        }
    }
    w.finish()
}

/// `describeServiceAccount`: the three lists of secret names under headers padded to one
/// width (in the headers' sorted order), a name that is not there marked `(not found)`; the
/// tokens are the namespace's service-account-token Secrets that name this account.
fn describe_service_account(world: &World, sa: &ServiceAccount, show_events: bool) -> String {
    let mut w = PrefixWriter::default();
    let m = &sa.metadata;
    let name = m.name.as_deref().unwrap_or("");
    let ns = m.namespace.as_deref().unwrap_or("");
    w.write(0, &format!("Name:\t{name}\n"));
    w.write(0, &format!("Namespace:\t{ns}\n"));
    print_labels(&mut w, "", "Labels", m.labels.as_ref());
    print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
    let secrets: Vec<&Secret> = world.store.list::<Secret>(ns).collect();
    let pulls: Vec<&str> = sa
        .image_pull_secrets
        .iter()
        .flatten()
        .map(|r| r.name.as_str())
        .collect();
    let mounts: Vec<&str> = sa
        .secrets
        .iter()
        .flatten()
        .filter_map(|r| r.name.as_deref())
        .collect();
    let tokens: Vec<&str> = secrets
        .iter()
        .filter(|s| {
            s.type_.as_deref() == Some("kubernetes.io/service-account-token")
                && s.metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get("kubernetes.io/service-account.name"))
                    .is_some_and(|n| n == name)
        })
        .filter_map(|s| s.metadata.name.as_deref())
        .collect();
    for (header, names) in [
        ("Image pull secrets:", pulls),
        ("Mountable secrets: ", mounts),
        ("Tokens:            ", tokens),
    ] {
        if names.is_empty() {
            w.write(0, &format!("{header}\t<none>\n"));
        }
        for (i, n) in names.iter().enumerate() {
            let prefix = if i == 0 {
                header
            } else {
                "                   "
            };
            let missing = !secrets
                .iter()
                .any(|s| s.metadata.name.as_deref() == Some(n));
            let mark = if missing { " (not found)" } else { "" };
            w.write(0, &format!("{prefix}\t{n}{mark}\n"));
        }
    }
    if show_events {
        describe_events(world, m.uid.as_deref(), &mut w);
    }
    w.finish()
}

fn describe_service(world: &World, svc: &Service, show_events: bool) -> String {
    let mut w = PrefixWriter::default();
    let m = &svc.metadata;
    let spec = svc.spec.clone().unwrap_or_default();
    w.write(
        0,
        &format!("Name:\t{}\n", m.name.clone().unwrap_or_default()),
    );
    w.write(
        0,
        &format!("Namespace:\t{}\n", m.namespace.clone().unwrap_or_default()),
    );
    print_labels(&mut w, "", "Labels", m.labels.as_ref());
    print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
    let sel = spec
        .selector
        .as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_else(|| "<none>".into());
    w.write(0, &format!("Selector:\t{sel}\n"));
    let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    w.write(0, &format!("Type:\t{ty}\n"));
    if let Some(f) = spec.ip_family_policy.as_ref() {
        w.write(0, &format!("IP Family Policy:\t{f}\n"));
    }
    if let Some(f) = spec.ip_families.as_ref().filter(|f| !f.is_empty()) {
        w.write(0, &format!("IP Families:\t{}\n", f.join(",")));
    }
    let ip = spec
        .cluster_ip
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "<none>".into());
    w.write(0, &format!("IP:\t{ip}\n"));
    let ips = spec
        .cluster_ips
        .clone()
        .filter(|v| !v.is_empty())
        .map(|v| v.join(","))
        .unwrap_or_else(|| ip.clone());
    w.write(0, &format!("IPs:\t{ips}\n"));
    if let Some(e) = spec.external_ips.as_ref().filter(|e| !e.is_empty()) {
        w.write(0, &format!("External IPs:\t{}\n", e.join(",")));
    }
    let eps = world
        .get_object(
            kubeplay_api::Kind::Endpoints,
            m.namespace.as_deref().unwrap_or("default"),
            m.name.as_deref().unwrap_or(""),
        )
        .ok();
    for p in spec.ports.iter().flatten() {
        let name = p
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<unset>".into());
        let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
        w.write(0, &format!("Port:\t{name}\t{}/{proto}\n", p.port));
        let tp = p
            .target_port
            .as_ref()
            .map(int_or_string)
            .unwrap_or_else(|| p.port.to_string());
        match &p.target_port {
            Some(IntOrString::String(_)) => w.write(0, &format!("TargetPort:\t{tp} ({proto})\n")),
            _ => w.write(0, &format!("TargetPort:\t{tp}/{proto}\n")),
        }
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            w.write(0, &format!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        let list = match &eps {
            Some(Object::Endpoints(ep)) => {
                let mut v = Vec::new();
                for ss in ep.subsets.iter().flatten() {
                    for a in ss.addresses.iter().flatten() {
                        for sp in ss.ports.iter().flatten() {
                            if sp.name == p.name || ss.ports.as_ref().is_some_and(|x| x.len() == 1)
                            {
                                v.push(format!("{}:{}", a.ip, sp.port));
                            }
                        }
                    }
                }
                v.join(",")
            }
            _ => String::new(),
        };
        w.write(
            0,
            &format!(
                "Endpoints:\t{}\n",
                if list.is_empty() {
                    "<none>".into()
                } else {
                    list
                }
            ),
        );
    }
    w.write(
        0,
        &format!(
            "Session Affinity:\t{}\n",
            spec.session_affinity
                .clone()
                .unwrap_or_else(|| "None".into())
        ),
    );
    if let Some(p) = spec.internal_traffic_policy.as_ref() {
        w.write(0, &format!("Internal Traffic Policy:\t{p}\n"));
    }
    if show_events {
        describe_events(world, m.uid.as_deref(), &mut w);
    }
    w.finish()
}

fn describe_namespace(n: &Namespace) -> String {
    let mut w = PrefixWriter::default();
    let m = &n.metadata;
    w.write(
        0,
        &format!("Name:\t{}\n", m.name.clone().unwrap_or_default()),
    );
    print_labels(&mut w, "", "Labels", m.labels.as_ref());
    print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
    w.write(
        0,
        &format!(
            "Status:\t{}\n",
            n.status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default()
        ),
    );
    w.write(0, "\nNo resource quota.\n");
    w.write(0, "\nNo LimitRange resource.\n");
    w.finish()
}

fn describe_node(world: &World, n: &Node, show_events: bool) -> String {
    let mut w = PrefixWriter::default();
    let m = &n.metadata;
    let st = n.status.clone().unwrap_or_default();
    let spec = n.spec.clone().unwrap_or_default();
    w.write(
        0,
        &format!("Name:\t{}\n", m.name.clone().unwrap_or_default()),
    );
    let roles: Vec<String> = m
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/").map(String::from))
        .filter(|r| !r.is_empty())
        .collect();
    w.write(
        0,
        &format!(
            "Roles:\t{}\n",
            if roles.is_empty() {
                "<none>".into()
            } else {
                roles.join(",")
            }
        ),
    );
    print_labels(&mut w, "", "Labels", m.labels.as_ref());
    print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            opt_time(m.creation_timestamp.as_ref())
        ),
    );
    match spec.taints.as_ref().filter(|t| !t.is_empty()) {
        None => w.write(0, "Taints:\t<none>\n"),
        Some(ts) => {
            for (i, t) in ts.iter().enumerate() {
                let v = t
                    .value
                    .as_ref()
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("={v}"))
                    .unwrap_or_default();
                let s = format!("{}{v}:{}", t.key, t.effect);
                if i == 0 {
                    w.write(0, &format!("Taints:\t{s}\n"));
                } else {
                    w.write(0, &format!("\t{s}\n"));
                }
            }
        }
    }
    w.write(
        0,
        &format!("Unschedulable:\t{}\n", spec.unschedulable.unwrap_or(false)),
    );
    if let Some(conds) = st.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conds {
            w.write(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    opt_time(c.last_heartbeat_time.as_ref()),
                    opt_time(c.last_transition_time.as_ref()),
                    c.reason.clone().unwrap_or_default(),
                    c.message.clone().unwrap_or_default()
                ),
            );
        }
    }
    if let Some(addrs) = st.addresses.as_ref().filter(|a| !a.is_empty()) {
        w.write(0, "Addresses:\n");
        for a in addrs {
            w.write(1, &format!("{}:\t{}\n", a.type_, a.address));
        }
    }
    for (title, m) in [("Capacity", &st.capacity), ("Allocatable", &st.allocatable)] {
        if let Some(m) = m.as_ref().filter(|m| !m.is_empty()) {
            w.write(0, &format!("{title}:\n"));
            for (k, q) in m {
                w.write(1, &format!("{k}:\t{}\n", q.0));
            }
        }
    }
    if let Some(i) = &st.node_info {
        w.write(0, "System Info:\n");
        for (k, v) in [
            ("Machine ID", &i.machine_id),
            ("System UUID", &i.system_uuid),
            ("Boot ID", &i.boot_id),
            ("Kernel Version", &i.kernel_version),
            ("OS Image", &i.os_image),
            ("Operating System", &i.operating_system),
            ("Architecture", &i.architecture),
            ("Container Runtime Version", &i.container_runtime_version),
            ("Kubelet Version", &i.kubelet_version),
            ("Kube-Proxy Version", &i.kube_proxy_version),
        ] {
            w.write(1, &format!("{k}:\t{v}\n"));
        }
    }
    if let Some(c) = spec.pod_cidr.as_ref() {
        w.write(0, &format!("PodCIDR:\t{c}\n"));
    }
    let node_name = m.name.clone().unwrap_or_default();
    let pods: Vec<Object> = world
        .list_objects(kubeplay_api::Kind::Pod, None)
        .into_iter()
        .filter(|o| match o {
            Object::Pod(p) => {
                p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node_name.as_str())
                    && !matches!(
                        p.status.as_ref().and_then(|s| s.phase.as_deref()),
                        Some("Succeeded" | "Failed")
                    )
            }
            _ => false,
        })
        .collect();
    w.write(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.write(
        1,
        "Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t------------\t----------\t---------------\t-------------\t---\n",
    );
    for o in &pods {
        if let Object::Pod(p) = o {
            let get = |lim: bool, res: &str| -> String {
                let mut vals: Vec<String> = Vec::new();
                for c in p.spec.iter().flat_map(|s| s.containers.iter()) {
                    let r = c.resources.as_ref();
                    let m = if lim {
                        r.and_then(|r| r.limits.as_ref())
                    } else {
                        r.and_then(|r| r.requests.as_ref())
                    };
                    if let Some(q) = m.and_then(|m| m.get(res)) {
                        vals.push(q.0.clone());
                    }
                }
                if vals.is_empty() {
                    "0 (0%)".into()
                } else {
                    format!("{} (0%)", vals.join("+"))
                }
            };
            let age = crate::print::age::age(
                p.metadata.creation_timestamp.as_ref().map(millis_of),
                world.now(),
            );
            w.write(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{age}\n",
                    p.metadata.namespace.clone().unwrap_or_default(),
                    p.metadata.name.clone().unwrap_or_default(),
                    get(false, "cpu"),
                    get(true, "cpu"),
                    get(false, "memory"),
                    get(true, "memory"),
                ),
            );
        }
    }
    if show_events {
        describe_events(world, m.uid.as_deref(), &mut w);
    }
    w.finish()
}

/// `kubectl describe` text of one object.
pub fn describe_object(world: &World, o: &Object, show_events: bool) -> String {
    match o {
        Object::Pod(p) => describe_pod(world, p, show_events),
        Object::Deployment(d) => describe_deployment(world, d, show_events),
        Object::ReplicaSet(rs) => describe_replicaset(world, rs, show_events),
        Object::ConfigMap(cm) => describe_configmap(world, cm, show_events),
        Object::Secret(s) => describe_secret(s),
        Object::ServiceAccount(sa) => describe_service_account(world, sa, show_events),
        Object::Service(s) => describe_service(world, s, show_events),
        Object::Namespace(n) => describe_namespace(n),
        Object::Node(n) => describe_node(world, n, show_events),
        Object::Endpoints(ep) => {
            let mut w = PrefixWriter::default();
            let m = &ep.metadata;
            w.write(
                0,
                &format!("Name:\t{}\n", m.name.clone().unwrap_or_default()),
            );
            w.write(
                0,
                &format!("Namespace:\t{}\n", m.namespace.clone().unwrap_or_default()),
            );
            print_labels(&mut w, "", "Labels", m.labels.as_ref());
            print_annotations(&mut w, "", "Annotations", m.annotations.as_ref());
            w.write(0, "Subsets:\n");
            for ss in ep.subsets.iter().flatten() {
                let addrs: Vec<String> = ss
                    .addresses
                    .iter()
                    .flatten()
                    .map(|a| a.ip.clone())
                    .collect();
                let nr: Vec<String> = ss
                    .not_ready_addresses
                    .iter()
                    .flatten()
                    .map(|a| a.ip.clone())
                    .collect();
                w.write(
                    1,
                    &format!(
                        "Addresses:\t{}\n",
                        if addrs.is_empty() {
                            "<none>".into()
                        } else {
                            addrs.join(",")
                        }
                    ),
                );
                w.write(
                    1,
                    &format!(
                        "NotReadyAddresses:\t{}\n",
                        if nr.is_empty() {
                            "<none>".into()
                        } else {
                            nr.join(",")
                        }
                    ),
                );
                if let Some(ps) = ss.ports.as_ref().filter(|p| !p.is_empty()) {
                    w.write(
                        1,
                        "Ports:\n    Name\tPort\tProtocol\n    ----\t----\t--------\n",
                    );
                    for p in ps {
                        w.write(
                            2,
                            &format!(
                                "{}\t{}\t{}\n",
                                p.name
                                    .clone()
                                    .filter(|n| !n.is_empty())
                                    .unwrap_or_else(|| "<unset>".into()),
                                p.port,
                                p.protocol.clone().unwrap_or_else(|| "TCP".into())
                            ),
                        );
                    }
                }
                w.write(0, "\n");
            }
            if show_events {
                describe_events(world, m.uid.as_deref(), &mut w);
            }
            w.finish()
        }
        Object::Event(e) => {
            // Events are described as their fields (kubectl's generic describer).
            let mut w = PrefixWriter::default();
            w.write(
                0,
                &format!("Name:\t{}\n", e.metadata.name.clone().unwrap_or_default()),
            );
            w.write(
                0,
                &format!(
                    "Namespace:\t{}\n",
                    e.metadata.namespace.clone().unwrap_or_default()
                ),
            );
            w.write(
                0,
                &format!("Reason:\t{}\n", e.reason.clone().unwrap_or_default()),
            );
            w.write(
                0,
                &format!("Message:\t{}\n", e.message.clone().unwrap_or_default()),
            );
            w.finish()
        }
    }
}

static DOC: Doc = Doc {
    path: "kubectl describe",
    long: "Show objects in detail, with the objects they relate to and their recent events. A name may be the start of names: kubectl describe pods web describes every pod whose name begins with web.",
    examples: "# A deployment: its strategy, its ReplicaSets and its events
kubectl describe deployment myapp-deployment

# Why a pod is not running
kubectl describe pod webapp

# Every pod with a label
kubectl describe pods -l app=myapp",
    usage: "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
    subcommands: &[],
};

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match flags::parse("kubectl describe", FLAGS, args) {
        Ok(a) => a,
        Err(FlagError::Help) => {
            cx.out.out(super::help::render(&DOC, FLAGS));
            return Exec::Done(0);
        }
        Err(FlagError::Usage(m)) => {
            cx.out.err(m);
            return Exec::Done(1);
        }
    };
    let show_events = !a.has("show-events") || a.bool("show-events");
    let (requests, _) = if !a.all("filename").is_empty() {
        match super::get::objects_from_files(cx, &a.all("filename")) {
            Ok(objs) => (
                objs.iter()
                    .map(|o| super::get::Request {
                        info: o.info(),
                        names: Some(vec![o.name().to_string()]),
                    })
                    .collect(),
                false,
            ),
            Err(m) => {
                cx.out.err(m);
                return Exec::Done(1);
            }
        }
    } else {
        match resolve_args(&a.positional) {
            Ok(r) => r,
            Err(m) => {
                cx.out.err(m);
                return Exec::Done(1);
            }
        }
    };
    if requests.is_empty() {
        cx.out.err("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
        return Exec::Done(1);
    }
    let all_ns = a.bool("all-namespaces");
    let ns = a
        .namespace()
        .map(String::from)
        .unwrap_or_else(|| cx.namespace.clone());
    let label_raw = a.str("selector").unwrap_or("").to_string();
    let labels = match Selector::parse(&label_raw) {
        Ok(s) => s,
        Err(e) => {
            cx.out.err(format!("error: {e}\n"));
            return Exec::Done(1);
        }
    };
    let scope = Scope {
        namespace: if all_ns { None } else { Some(ns.clone()) },
        labels,
        fields: FieldSelector::default(),
        label_raw,
        field_raw: String::new(),
    };
    let mut texts: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    let mut listed_any = false;
    for req in &requests {
        match &req.names {
            None => match scope.list(cx.world, req.info) {
                Ok(objs) => {
                    listed_any = true;
                    for o in objs {
                        texts.push(describe_object(cx.world, &o, show_events));
                    }
                }
                Err(e) => errors.push(e),
            },
            Some(names) => {
                for n in names {
                    match cx.world.get_object(req.info.kind, &ns, n) {
                        Ok(o) => texts.push(describe_object(cx.world, &o, show_events)),
                        Err(e) => {
                            // describe TYPE PREFIX: every object whose name starts with it.
                            let matches: Vec<Object> = scope
                                .list(cx.world, req.info)
                                .unwrap_or_default()
                                .into_iter()
                                .filter(|o| o.name().starts_with(n.as_str()))
                                .collect();
                            if matches.is_empty() {
                                errors.push(e);
                            }
                            for o in matches {
                                texts.push(describe_object(cx.world, &o, show_events));
                            }
                        }
                    }
                }
            }
        }
    }
    // Objects are separated by a blank line.
    // kubectl prints "\n\n" between descriptions.
    cx.out.out(texts.join("\n\n"));
    if texts.is_empty() && errors.is_empty() && listed_any {
        if all_ns || requests.iter().any(|r| !r.info.namespaced) {
            cx.out.err("No resources found\n");
        } else {
            cx.out
                .err(format!("No resources found in {ns} namespace.\n"));
        }
    }
    for e in &errors {
        print_api_error(cx.out, e, None);
    }
    Exec::Done(if errors.is_empty() { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(kind: kubeplay_api::Kind, v: serde_json::Value) -> Object {
        Object::from_value(kind, v).expect("valid object")
    }

    #[test]
    fn configmap_golden() {
        let w = World::new(1);
        let cm = obj(
            kubeplay_api::Kind::ConfigMap,
            json!({"metadata": {"name": "app-config", "namespace": "default"},
                   "data": {"APP_COLOR": "blue", "APP_MODE": "prod"}}),
        );
        assert_eq!(
            describe_object(&w, &cm, true),
            "Name:         app-config\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\nAPP_COLOR:\n----\nblue\n\nAPP_MODE:\n----\nprod\n\n\nBinaryData\n====\n\nEvents:  <none>\n"
        );
    }

    #[test]
    fn configmap_from_files_golden() {
        // §4.9: values read from files end with a newline, so two blank lines follow them.
        let w = World::new(1);
        let cm = obj(
            kubeplay_api::Kind::ConfigMap,
            json!({"metadata": {"name": "game-config", "namespace": "default"},
                   "data": {"game.properties": "enemies=aliens\nlives=3\n", "ui.properties": "color.good=purple\n"}}),
        );
        assert_eq!(
            describe_object(&w, &cm, true),
            "Name:         game-config\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\ngame.properties:\n----\nenemies=aliens\nlives=3\n\n\nui.properties:\n----\ncolor.good=purple\n\n\n\nBinaryData\n====\n\nEvents:  <none>\n"
        );
    }

    #[test]
    fn secret_golden() {
        let w = World::new(1);
        let s = obj(
            kubeplay_api::Kind::Secret,
            json!({"metadata": {"name": "db-secret", "namespace": "default"}, "type": "Opaque",
                   "data": {"DB_PASSWORD": "c2VjcmV0", "DB_USER": "YWRtaW4="}}),
        );
        assert_eq!(
            describe_object(&w, &s, true),
            "Name:         db-secret\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\nDB_PASSWORD:  6 bytes\nDB_USER:      5 bytes\n"
        );
    }

    #[test]
    fn replicaset_golden() {
        // §4.9, verified against kubectl 1.32.4 (no pods exist, hence 0 Running).
        let w = World::new(1);
        let rs = obj(
            kubeplay_api::Kind::ReplicaSet,
            json!({
                "metadata": {"name": "nginx-deployment-66b6c48dd5", "namespace": "default", "uid": "rs-1",
                    "labels": {"app": "nginx", "pod-template-hash": "66b6c48dd5"},
                    "annotations": {"deployment.kubernetes.io/desired-replicas": "3", "deployment.kubernetes.io/max-replicas": "4",
                        "deployment.kubernetes.io/revision": "2",
                        "kubernetes.io/change-cause": "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"},
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "nginx-deployment", "uid": "d-1", "controller": true}]},
                "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx", "pod-template-hash": "66b6c48dd5"}},
                    "template": {"metadata": {"labels": {"app": "nginx", "pod-template-hash": "66b6c48dd5"}},
                        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.16.1", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}},
                "status": {"replicas": 3}
            }),
        );
        let want = "Name:           nginx-deployment-66b6c48dd5
Namespace:      default
Selector:       app=nginx,pod-template-hash=66b6c48dd5
Labels:         app=nginx
                pod-template-hash=66b6c48dd5
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/max-replicas: 4
                deployment.kubernetes.io/revision: 2
                kubernetes.io/change-cause: kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1
Controlled By:  Deployment/nginx-deployment
Replicas:       3 current / 3 desired
Pods Status:    0 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
           pod-template-hash=66b6c48dd5
  Containers:
   nginx:
    Image:         nginx:1.16.1
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
";
        assert_eq!(describe_object(&w, &rs, true), want);
    }

    #[test]
    fn pod_golden_crashloop_with_sidecar() {
        // §4.9 `describe pod crashy` (kubectl 1.32.4), with the 1.33+ projected-volume line.
        let w = World::new(1);
        let mount = json!([{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-p4xq9", "readOnly": true}]);
        let p = obj(
            kubeplay_api::Kind::Pod,
            json!({
                "metadata": {"name": "crashy", "namespace": "default", "labels": {"run": "crashy"}},
                "spec": {
                    "priority": 0, "serviceAccountName": "default", "nodeName": "kind-worker",
                    "initContainers": [{"name": "sidecar", "image": "busybox:1.36", "restartPolicy": "Always",
                        "command": ["sh", "-c", "tail -f /dev/null"], "volumeMounts": mount}],
                    "containers": [{"name": "app", "image": "busybox:1.36",
                        "command": ["sh", "-c", "echo boom; exit 1"], "volumeMounts": mount}],
                    "volumes": [{"name": "kube-api-access-p4xq9", "projected": {"sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}],
                    "tolerations": [
                        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]
                },
                "status": {
                    "phase": "Running", "hostIP": "172.18.0.3", "podIP": "10.244.1.9", "podIPs": [{"ip": "10.244.1.9"}],
                    "startTime": "2026-08-03T10:00:00Z", "qosClass": "BestEffort",
                    "conditions": [
                        {"type": "PodReadyToStartContainers", "status": "True"}, {"type": "Initialized", "status": "True"},
                        {"type": "Ready", "status": "False"}, {"type": "ContainersReady", "status": "False"},
                        {"type": "PodScheduled", "status": "True"}],
                    "initContainerStatuses": [{"name": "sidecar", "containerID": "containerd://aaa", "image": "busybox:1.36",
                        "imageID": "docker.io/library/busybox@sha256:abc", "ready": true, "restartCount": 0, "started": true,
                        "state": {"running": {"startedAt": "2026-08-03T10:00:03Z"}}}],
                    "containerStatuses": [{"name": "app", "containerID": "containerd://bbb", "image": "busybox:1.36",
                        "imageID": "docker.io/library/busybox@sha256:abc", "ready": false, "restartCount": 3,
                        "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container=app"}},
                        "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                            "startedAt": "2026-08-03T10:01:10Z", "finishedAt": "2026-08-03T10:01:10Z"}}}]
                }
            }),
        );
        let want = "Name:             crashy
Namespace:        default
Priority:         0
Service Account:  default
Node:             kind-worker/172.18.0.3
Start Time:       Mon, 03 Aug 2026 10:00:00 +0000
Labels:           run=crashy
Annotations:      <none>
Status:           Running
IP:               10.244.1.9
IPs:
  IP:  10.244.1.9
Init Containers:
  sidecar:
    Container ID:  containerd://aaa
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:abc
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      tail -f /dev/null
    State:          Running
      Started:      Mon, 03 Aug 2026 10:00:03 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-p4xq9 (ro)
Containers:
  app:
    Container ID:  containerd://bbb
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:abc
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo boom; exit 1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Mon, 03 Aug 2026 10:01:10 +0000
      Finished:     Mon, 03 Aug 2026 10:01:10 +0000
    Ready:          False
    Restart Count:  3
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-p4xq9 (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       False 
  ContainersReady             False 
  PodScheduled                True 
Volumes:
  kube-api-access-p4xq9:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:                      <none>
";
        assert_eq!(describe_object(&w, &p, true), want);
    }

    #[test]
    fn env_sources_golden() {
        // §4.7 webapp: envFrom with a prefix, configMapKeyRef, secretKeyRef, literal.
        let w = World::new(1);
        let p = obj(
            kubeplay_api::Kind::Pod,
            json!({
                "metadata": {"name": "webapp", "namespace": "default"},
                "spec": {"containers": [{"name": "webapp", "image": "nginx:1.27", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "envFrom": [{"configMapRef": {"name": "app-config"}}, {"secretRef": {"name": "db-secret"}, "prefix": "DB_"}],
                    "env": [
                        {"name": "APP_COLOR", "valueFrom": {"configMapKeyRef": {"name": "app-config", "key": "APP_COLOR"}}},
                        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-secret", "key": "DB_PASSWORD"}}},
                        {"name": "GREETING", "value": "hello"}]}]},
                "status": {"phase": "Pending", "containerStatuses": [{"name": "webapp", "image": "nginx:1.27", "imageID": "",
                    "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "CreateContainerConfigError"}}}]}
            }),
        );
        let got = describe_object(&w, &p, false);
        let want_part = "Containers:
  webapp:
    Container ID:   
    Image:          nginx:1.27
    Image ID:       
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       CreateContainerConfigError
    Ready:          False
    Restart Count:  0
    Environment Variables from:
      app-config  ConfigMap                 Optional: false
      db-secret   Secret with prefix 'DB_'  Optional: false
    Environment:
      APP_COLOR:    <set to the key 'APP_COLOR' of config map 'app-config'>  Optional: false
      DB_PASSWORD:  <set to the key 'DB_PASSWORD' in secret 'db-secret'>     Optional: false
      GREETING:     hello
    Mounts:         <none>
";
        assert!(got.contains(want_part), "{got}");
    }
}
