//! Validation with the API server's messages (`ValidateDeployment`, `ValidatePod`, ...).

use crate::selector::Selector;
use crate::{configdata, ApiError, Cause, Object};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentStrategy, ReplicaSet};
use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, PodTemplateSpec, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay_sort::Collect as _;
use std::collections::BTreeMap;

/// Validate an object about to be created.
pub fn validate_create(obj: &Object) -> Result<(), ApiError> {
    match obj {
        Object::ConfigMap(c) => {
            configdata::invalid("ConfigMap", obj.name(), configdata::validate_config_map(c))
        }
        Object::Secret(s) => {
            configdata::invalid("Secret", obj.name(), configdata::validate_secret(s))
        }
        Object::Deployment(d) => configdata::invalid("Deployment", obj.name(), deployment(d)),
        Object::ReplicaSet(r) => configdata::invalid("ReplicaSet", obj.name(), replicaset(r)),
        Object::Pod(p) => configdata::invalid("Pod", obj.name(), pod(p)),
        Object::Service(svc) => configdata::invalid("Service", obj.name(), service(svc)),
        // `ValidateServiceAccount`: its metadata, the name a DNS-1123 subdomain.
        Object::ServiceAccount(s) => {
            configdata::invalid("ServiceAccount", obj.name(), object_meta(&s.metadata))
        }
        other => {
            let mut causes = Vec::new();
            meta_maps(Some(other.meta()), "metadata", &mut causes);
            configdata::invalid(other.kind().as_str(), other.name(), causes)
        }
    }
}

/// Validate an update of `old` to `new` (immutable fields and the create rules).
pub fn validate_update(new: &Object, old: &Object) -> Result<(), ApiError> {
    match (new, old) {
        (Object::ConfigMap(n), Object::ConfigMap(o)) => configdata::invalid(
            "ConfigMap",
            new.name(),
            configdata::validate_config_map_update(n, o),
        ),
        (Object::Secret(n), Object::Secret(o)) => configdata::invalid(
            "Secret",
            new.name(),
            configdata::validate_secret_update(n, o),
        ),
        (Object::Deployment(n), Object::Deployment(o)) => {
            let mut causes = deployment(n);
            causes.extend(immutable_selector(&n.spec.selector, &o.spec.selector));
            configdata::invalid("Deployment", new.name(), causes)
        }
        (Object::ReplicaSet(n), Object::ReplicaSet(o)) => {
            let mut causes = replicaset(n);
            causes.extend(immutable_selector(&n.spec.selector, &o.spec.selector));
            configdata::invalid("ReplicaSet", new.name(), causes)
        }
        (Object::Pod(n), Object::Pod(o)) => {
            let mut causes = pod(n);
            causes.extend(pod_spec_update(n, o));
            configdata::invalid("Pod", new.name(), causes)
        }
        _ => validate_create(new),
    }
}

/// What `ValidatePodUpdate` lets a pod update change.
const POD_UPDATABLE: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// `ValidatePodUpdate`: a running pod's spec is immutable but for images, the active deadline,
/// added tolerations and a grace period. The API server appends a Go `cmp.Diff` of the specs
/// to the message; kubeplay lists the changed fields instead, one per line.
fn pod_spec_update(new: &Pod, old: &Pod) -> Vec<Cause> {
    let (Some(ns), Some(os)) = (new.spec.as_ref(), old.spec.as_ref()) else {
        return vec![];
    };
    let mut munged = ns.clone();
    for (list, old_list) in [
        (Some(&mut munged.containers), Some(&os.containers)),
        (munged.init_containers.as_mut(), os.init_containers.as_ref()),
    ] {
        if let (Some(list), Some(old_list)) = (list, old_list) {
            if list.len() == old_list.len() {
                for (c, oc) in list.iter_mut().zip(old_list) {
                    c.image = oc.image.clone();
                }
            }
        }
    }
    munged.active_deadline_seconds = os.active_deadline_seconds;
    let added_only = os
        .tolerations
        .iter()
        .flatten()
        .all(|t| ns.tolerations.iter().flatten().any(|n| n == t));
    if added_only {
        munged.tolerations = os.tolerations.clone();
    }
    if os.termination_grace_period_seconds.is_some_and(|g| g < 0)
        && ns.termination_grace_period_seconds == Some(1)
    {
        munged.termination_grace_period_seconds = os.termination_grace_period_seconds;
    }
    let (a, b) = (crate::codec::to_value(os), crate::codec::to_value(&munged));
    if a == b {
        return vec![];
    }
    let mut lines = Vec::new();
    diff_paths(&a, &b, "spec", &mut lines);
    let detail = format!(
        "pod updates may not change fields other than {POD_UPDATABLE}\n{}",
        lines.join("\n")
    );
    vec![Cause::forbidden("spec", &detail)]
}

/// `  spec.containers[0].command: ["sleep2.0"] -> ["sleep","10"]` for each changed leaf.
fn diff_paths(a: &serde_json::Value, b: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect_set();
            for k in keys {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                diff_paths(va, vb, &format!("{path}.{k}"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff_paths(va, vb, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("  {path}: {a} -> {b}")),
        _ => {}
    }
}

const DNS1123_LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const PERCENT: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
const NONNEGATIVE: &str = "must be greater than or equal to 0";

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Compact JSON of a k8s-openapi value, by way of a `Value` (the same bytes: their fields are
/// written in sorted order), through the field tables ([`crate::codec`]).
fn json<T: crate::codec::Codec>(v: &T) -> String {
    crate::codec::to_value(v).to_string()
}

/// The most replicas one Deployment or ReplicaSet may ask for. Kubeplay's limit, not the API
/// server's: the whole cluster lives in a browser tab, and a slip such as `--replicas=1000000`
/// would fill its memory. The message says whose limit it is.
pub const MAX_REPLICAS: i32 = 10_000;

/// `spec.replicas`: not negative, and within [`MAX_REPLICAS`].
fn replicas(v: Option<i32>, out: &mut Vec<Cause>) {
    let v = v.unwrap_or(1);
    nonnegative("spec.replicas", v as i64, out);
    if v > MAX_REPLICAS {
        out.push(Cause::invalid(
            "spec.replicas",
            &v.to_string(),
            &format!(
                "must be less than or equal to {MAX_REPLICAS} (a limit of kubeplay, which runs the whole cluster in a browser tab; not of Kubernetes)"
            ),
        ));
    }
}

fn nonnegative(field: &str, v: i64, out: &mut Vec<Cause>) {
    if v < 0 {
        out.push(Cause::invalid(field, &v.to_string(), NONNEGATIVE));
    }
}

fn is_dns1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn selector_is_empty(s: &LabelSelector) -> bool {
    s.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && s.match_expressions.as_ref().is_none_or(|m| m.is_empty())
}

// ----- ObjectMeta: labels and annotations (apimachinery's validation.go) -----

const QUALIFIED_NAME: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, the shape of label values and of the name part
/// of qualified names.
fn is_qualified_token(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// `validation.IsQualifiedName`: `[prefix/]name`, the prefix a DNS-1123 subdomain.
pub fn qualified_name_errors(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = v.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                for e in configdata::dns1123_subdomain_errors(prefix) {
                    errs.push(format!("prefix part {e}"));
                }
            }
            *name
        }
        _ => {
            errs.push(format!("a qualified name {QUALIFIED_NAME} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !name.is_empty() && !is_qualified_token(name) {
        errs.push(format!("name part {QUALIFIED_NAME}"));
    }
    errs
}

/// `validation.IsValidLabelValue`.
pub fn label_value_errors(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !v.is_empty() && !is_qualified_token(v) {
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".into());
    }
    errs
}

/// `ValidateLabels`: each key a qualified name, each value a label value.
fn labels(m: Option<&BTreeMap<String, String>>, path: &str, out: &mut Vec<Cause>) {
    for (k, v) in m.into_iter().flatten() {
        for e in qualified_name_errors(k) {
            out.push(Cause::invalid(path, &quote(k), &e));
        }
        for e in label_value_errors(v) {
            out.push(Cause::invalid(path, &quote(v), &e));
        }
    }
}

/// `ValidateAnnotations`: keys are qualified names (checked lowercased), 256 KiB in all.
fn annotations(m: Option<&BTreeMap<String, String>>, path: &str, out: &mut Vec<Cause>) {
    let mut total = 0;
    for (k, v) in m.into_iter().flatten() {
        for e in qualified_name_errors(&k.to_lowercase()) {
            out.push(Cause::invalid(path, &quote(k), &e));
        }
        total += k.len() + v.len();
    }
    if total > 256 * 1024 {
        out.push(Cause::new(
            path,
            "Too long: must have at most 262144 bytes".to_string(),
        ));
    }
}

/// `ValidateObjectMeta` with a DNS-1123 subdomain name: the name, labels and annotations.
pub(crate) fn object_meta(m: &ObjectMeta) -> Vec<Cause> {
    let mut out = configdata::name_causes(m.name.as_deref().unwrap_or(""));
    meta_maps(Some(m), "metadata", &mut out);
    out
}

/// The labels and annotations of an object's or a template's metadata.
fn meta_maps(m: Option<&ObjectMeta>, path: &str, out: &mut Vec<Cause>) {
    let m = m.map(|m| (m.labels.as_ref(), m.annotations.as_ref()));
    let (l, a) = m.unwrap_or((None, None));
    labels(l, &format!("{path}.labels"), out);
    annotations(a, &format!("{path}.annotations"), out);
}

/// `ValidateDeployment`: metadata, then `ValidateDeploymentSpec` in its order of checks.
pub fn deployment(d: &Deployment) -> Vec<Cause> {
    let mut out = object_meta(&d.metadata);
    let spec = &d.spec;
    replicas(spec.replicas, &mut out);
    selector_and_template(&spec.selector, Some(&spec.template), "spec", &mut out);
    if let Some(st) = &spec.strategy {
        strategy(st, &mut out);
    }
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    nonnegative("spec.minReadySeconds", min_ready as i64, &mut out);
    if let Some(r) = spec.revision_history_limit {
        nonnegative("spec.revisionHistoryLimit", r as i64, &mut out);
    }
    if let Some(p) = spec.progress_deadline_seconds {
        nonnegative("spec.progressDeadlineSeconds", p as i64, &mut out);
        if p <= min_ready {
            out.push(Cause::invalid(
                "spec.progressDeadlineSeconds",
                &p.to_string(),
                "must be greater than minReadySeconds",
            ));
        }
    }
    out
}

/// `ValidateReplicaSet`.
pub fn replicaset(r: &ReplicaSet) -> Vec<Cause> {
    let mut out = object_meta(&r.metadata);
    let spec = &r.spec;
    replicas(spec.replicas, &mut out);
    nonnegative(
        "spec.minReadySeconds",
        spec.min_ready_seconds.unwrap_or(0) as i64,
        &mut out,
    );
    selector_and_template(&spec.selector, spec.template.as_ref(), "spec", &mut out);
    out
}

/// The selector rules and `ValidatePodTemplateSpecForReplicaSet`. A missing selector is
/// `Required`, and then (as `LabelSelectorAsSelector(nil)` selects nothing) the template's
/// labels never match it.
fn selector_and_template(
    sel: &LabelSelector,
    template: Option<&PodTemplateSpec>,
    path: &str,
    out: &mut Vec<Cause>,
) {
    let missing = selector_is_empty(sel);
    if missing {
        out.push(Cause::required(format!("{path}.selector")));
    }
    labels(
        sel.match_labels.as_ref(),
        &format!("{path}.selector.matchLabels"),
        out,
    );
    let Some(t) = template else {
        out.push(Cause::required(format!("{path}.template")));
        return;
    };
    let labels = t.metadata.as_ref().and_then(|m| m.labels.as_ref());
    let matches = !missing && Selector::from_label_selector(sel).is_ok_and(|s| s.matches(labels));
    if !matches {
        let rendered = labels.map_or("null".to_string(), json);
        out.push(Cause::invalid(
            format!("{path}.template.metadata.labels"),
            &rendered,
            "`selector` does not match template `labels`",
        ));
    }
    meta_maps(
        t.metadata.as_ref(),
        &format!("{path}.template.metadata"),
        out,
    );
    let spec = t.spec.clone().unwrap_or_default();
    pod_spec(&spec, &format!("{path}.template.spec"), out);
    let policy = spec.restart_policy.as_deref().unwrap_or("Always");
    if policy != "Always" && ["OnFailure", "Never"].contains(&policy) {
        out.push(Cause::new(
            format!("{path}.template.spec.restartPolicy"),
            format!(
                "Unsupported value: {}: supported values: \"Always\"",
                quote(policy)
            ),
        ));
    }
    if spec.active_deadline_seconds.is_some() {
        out.push(Cause::forbidden(
            format!("{path}.template.spec.activeDeadlineSeconds"),
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        ));
    }
}

/// `ValidatePodSpec`, the parts a learner meets: containers, names, images, ports, the
/// restart policy.
fn pod_spec(spec: &PodSpec, path: &str, out: &mut Vec<Cause>) {
    let volumes = volumes(spec.volumes.as_deref().unwrap_or_default(), path, out);
    let grace = spec.termination_grace_period_seconds;
    // `validateContainers`, then `validateInitContainers`: every name must differ from the
    // app containers' and the earlier init containers'.
    if spec.containers.is_empty() {
        out.push(Cause::required(format!("{path}.containers")));
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let at = format!("{path}.containers[{i}]");
        container_common(c, &at, &volumes, out);
        if names.contains(&c.name.as_str()) {
            out.push(duplicate(format!("{at}.name"), &c.name));
        } else {
            names.push(&c.name);
        }
        handlers(c, grace, &at, out);
        if c.restart_policy.is_some() {
            out.push(Cause::forbidden(
                format!("{at}.restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        let at = format!("{path}.initContainers[{i}]");
        container_common(c, &at, &volumes, out);
        let sidecar = match c.restart_policy.as_deref() {
            None => false,
            Some("Always") => true,
            Some(other) => {
                out.push(unsupported(
                    format!("{at}.restartPolicy"),
                    other,
                    &["Always"],
                ));
                false
            }
        };
        if names.contains(&c.name.as_str()) {
            out.push(duplicate(format!("{at}.name"), &c.name));
        } else if !c.name.is_empty() {
            names.push(&c.name);
        }
        if sidecar {
            handlers(c, grace, &at, out);
            continue;
        }
        let set = [
            ("lifecycle", c.lifecycle.is_some()),
            ("livenessProbe", c.liveness_probe.is_some()),
            ("readinessProbe", c.readiness_probe.is_some()),
            ("startupProbe", c.startup_probe.is_some()),
        ];
        for (field, _) in set.iter().filter(|(_, set)| *set) {
            out.push(Cause::forbidden(
                format!("{at}.{field}"),
                "may not be set for init containers without restartPolicy=Always",
            ));
        }
    }
    if let Some(p) = spec.restart_policy.as_deref() {
        if !["Always", "OnFailure", "Never"].contains(&p) {
            out.push(unsupported(
                format!("{path}.restartPolicy"),
                p,
                &["Always", "OnFailure", "Never"],
            ));
        }
    }
}

fn duplicate(field: String, value: &str) -> Cause {
    Cause::new(field, format!("Duplicate value: {}", quote(value)))
}

/// `field.NotSupported`: the value and what would do, as the API server lists them.
fn unsupported(field: String, value: &str, supported: &[&str]) -> Cause {
    let list: Vec<String> = supported.iter().map(|s| quote(s)).collect();
    Cause::new(
        field,
        format!(
            "Unsupported value: {}: supported values: {}",
            quote(value),
            list.join(", ")
        ),
    )
}

/// A name that must be a DNS label (a container's, a volume's): required, then the label
/// rule. Whether it passed.
fn label_name(name: &str, field: String, out: &mut Vec<Cause>) -> bool {
    if name.is_empty() {
        out.push(Cause::required(field));
        return false;
    }
    if !is_dns1123_label(name) {
        out.push(Cause::invalid(field, &quote(name), DNS1123_LABEL));
        return false;
    }
    true
}

/// `validateContainerCommon`: what every container is checked for, init containers too.
fn container_common(c: &Container, path: &str, volumes: &[&str], out: &mut Vec<Cause>) {
    label_name(&c.name, format!("{path}.name"), out);
    if c.image.as_deref().is_none_or(str::is_empty) {
        out.push(Cause::required(format!("{path}.image")));
    }
    match c.termination_message_policy.as_deref() {
        None | Some("File" | "FallbackToLogsOnError") => {}
        Some("") => out.push(Cause::required(format!("{path}.terminationMessagePolicy"))),
        Some(p) => out.push(unsupported(
            format!("{path}.terminationMessagePolicy"),
            p,
            &["File", "FallbackToLogsOnError"],
        )),
    }
    container_ports(c, path, out);
    container_env_and_mounts(c, path, volumes, out);
    match c.image_pull_policy.as_deref() {
        None | Some("Always" | "IfNotPresent" | "Never") => {}
        Some("") => out.push(Cause::required(format!("{path}.imagePullPolicy"))),
        Some(p) => out.push(unsupported(
            format!("{path}.imagePullPolicy"),
            p,
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    if let Some(r) = &c.resources {
        resources(r, &format!("{path}.resources"), out);
    }
}

/// `ValidateContainerResourceRequirements`: standard resource names, no negative quantity, and
/// no request above its limit. (Go visits the maps in no set order; kubeplay in name order.)
fn resources(
    r: &k8s_openapi::api::core::v1::ResourceRequirements,
    path: &str,
    out: &mut Vec<Cause>,
) {
    use crate::quantity::Quantity;
    let standard = |name: &str| {
        matches!(name, "cpu" | "memory" | "ephemeral-storage")
            || name.starts_with("hugepages-")
            || name.contains('/')
    };
    let zero = Quantity::parse("0").expect("zero");
    for at in ["limits", "requests"] {
        let list = if at == "limits" {
            &r.limits
        } else {
            &r.requests
        };
        for (name, q) in list.iter().flatten() {
            let field = format!("{path}.{at}[{name}]");
            if !standard(name) {
                out.push(Cause::invalid(
                    &field,
                    &quote(name),
                    "must be a standard resource for containers",
                ));
            }
            let Ok(value) = Quantity::parse(&q.0) else {
                continue;
            };
            if value < zero {
                out.push(Cause::invalid(&field, &quote(&q.0), NONNEGATIVE));
            }
            let limit = r.limits.as_ref().and_then(|l| l.get(name));
            if let Some(limit) = limit.filter(|_| at == "requests") {
                if Quantity::parse(&limit.0).is_ok_and(|l| value > l) {
                    out.push(Cause::invalid(
                        format!("{path}.requests"),
                        &quote(&q.0),
                        &format!("must be less than or equal to {name} limit of {}", limit.0),
                    ));
                }
            }
        }
    }
}

/// `validateContainerPorts`.
fn container_ports(c: &Container, path: &str, out: &mut Vec<Cause>) {
    let mut names: Vec<&str> = Vec::new();
    for (i, p) in c.ports.iter().flatten().enumerate() {
        let at = format!("{path}.ports[{i}]");
        if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
            let errors = port_name_errors(name);
            for msg in &errors {
                out.push(Cause::invalid(format!("{at}.name"), &quote(name), msg));
            }
            if errors.is_empty() && names.contains(&name) {
                out.push(duplicate(format!("{at}.name"), name));
            } else if errors.is_empty() {
                names.push(name);
            }
        }
        if p.container_port == 0 {
            out.push(Cause::required(format!("{at}.containerPort")));
        } else {
            port_number(p.container_port, &format!("{at}.containerPort"), out);
        }
        if let Some(h) = p.host_port.filter(|h| *h != 0) {
            port_number(h, &format!("{at}.hostPort"), out);
        }
        match p.protocol.as_deref() {
            None | Some("TCP" | "UDP" | "SCTP") => {}
            Some("") => out.push(Cause::required(format!("{at}.protocol"))),
            Some(other) => out.push(unsupported(
                format!("{at}.protocol"),
                other,
                &["SCTP", "TCP", "UDP"],
            )),
        }
    }
}

/// `IsValidPortNum`.
fn port_number(n: i32, field: &str, out: &mut Vec<Cause>) {
    if !(1..=65535).contains(&n) {
        out.push(Cause::invalid(
            field,
            &n.to_string(),
            "must be between 1 and 65535, inclusive",
        ));
    }
}

/// `IsValidPortName`: an IANA service name.
fn port_name_errors(name: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if name.len() > 15 {
        errors.push("must be no more than 15 characters");
    }
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errors.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        errors.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        errors.push("must not begin or end with a hyphen");
    }
    errors
}

/// `ValidatePortNumOrName`.
fn port_num_or_name(port: &IntOrString, field: &str, out: &mut Vec<Cause>) {
    match port {
        IntOrString::Int(n) => port_number(*n, field, out),
        IntOrString::String(name) => {
            for msg in port_name_errors(name) {
                out.push(Cause::invalid(field, &quote(name), msg));
            }
        }
    }
}

/// What an app container or a sidecar may have: its lifecycle hooks and probes
/// (`validateLifecycle`, `validateLivenessProbe`, `validateReadinessProbe`,
/// `validateStartupProbe`).
fn handlers(c: &Container, grace: Option<i64>, path: &str, out: &mut Vec<Cause>) {
    if let Some(l) = &c.lifecycle {
        for (name, h) in [("postStart", &l.post_start), ("preStop", &l.pre_stop)] {
            let Some(h) = h else { continue };
            let actions = Actions {
                exec: h.exec.as_ref(),
                http_get: h.http_get.as_ref(),
                tcp_socket: h.tcp_socket.as_ref(),
                grpc: None,
                sleep: h.sleep.as_ref(),
            };
            handler(&actions, grace, &format!("{path}.lifecycle.{name}"), out);
        }
    }
    for (name, probe) in [
        ("livenessProbe", &c.liveness_probe),
        ("readinessProbe", &c.readiness_probe),
        ("startupProbe", &c.startup_probe),
    ] {
        let Some(p) = probe else { continue };
        let at = format!("{path}.{name}");
        let actions = Actions {
            exec: p.exec.as_ref(),
            http_get: p.http_get.as_ref(),
            tcp_socket: p.tcp_socket.as_ref(),
            grpc: p.grpc.as_ref(),
            sleep: None,
        };
        handler(&actions, grace, &at, out);
        for (field, v) in [
            ("initialDelaySeconds", p.initial_delay_seconds),
            ("timeoutSeconds", p.timeout_seconds),
            ("periodSeconds", p.period_seconds),
            ("successThreshold", p.success_threshold),
            ("failureThreshold", p.failure_threshold),
        ] {
            nonnegative(&format!("{at}.{field}"), v.unwrap_or(0) as i64, out);
        }
        if let Some(t) = p.termination_grace_period_seconds.filter(|t| *t <= 0) {
            out.push(Cause::invalid(
                format!("{at}.terminationGracePeriodSeconds"),
                &t.to_string(),
                "must be greater than 0",
            ));
        }
        if name == "readinessProbe" {
            if let Some(t) = p.termination_grace_period_seconds {
                out.push(Cause::invalid(
                    format!("{at}.terminationGracePeriodSeconds"),
                    &t.to_string(),
                    "must not be set for readinessProbes",
                ));
            }
        } else if p.success_threshold != Some(1) {
            out.push(Cause::invalid(
                format!("{at}.successThreshold"),
                &p.success_threshold.unwrap_or(0).to_string(),
                "must be 1",
            ));
        }
    }
}

/// Go's `commonHandler`: the actions a probe or a lifecycle hook may name.
struct Actions<'a> {
    exec: Option<&'a k8s_openapi::api::core::v1::ExecAction>,
    http_get: Option<&'a k8s_openapi::api::core::v1::HTTPGetAction>,
    tcp_socket: Option<&'a k8s_openapi::api::core::v1::TCPSocketAction>,
    grpc: Option<&'a k8s_openapi::api::core::v1::GRPCAction>,
    sleep: Option<&'a k8s_openapi::api::core::v1::SleepAction>,
}

/// `validateHandler`: exactly one action, taken in the API server's order; the first
/// present is checked, any other is forbidden.
fn handler(a: &Actions<'_>, grace: Option<i64>, path: &str, out: &mut Vec<Cause>) {
    let mut found = false;
    let mut first = |name: &str, present: bool, out: &mut Vec<Cause>| {
        if present && found {
            out.push(Cause::forbidden(
                format!("{path}.{name}"),
                "may not specify more than 1 handler type",
            ));
        }
        let first = present && !found;
        found |= present;
        first
    };
    if first("exec", a.exec.is_some(), out) {
        exec(a.exec, path, out);
    }
    if first("httpGet", a.http_get.is_some(), out) {
        http_get(a.http_get, path, out);
    }
    if first("tcpSocket", a.tcp_socket.is_some(), out) {
        tcp_socket(a.tcp_socket, path, out);
    }
    if first("grpc", a.grpc.is_some(), out) {
        if let Some(g) = a.grpc {
            port_number(g.port, &format!("{path}.grpc.port"), out);
        }
    }
    if first("sleep", a.sleep.is_some(), out) {
        if let (Some(s), Some(grace)) = (a.sleep, grace) {
            if s.seconds < 0 || s.seconds > grace {
                out.push(Cause::invalid(
                    format!("{path}.sleep"),
                    &s.seconds.to_string(),
                    &format!(
                        "must be non-negative and less than terminationGracePeriodSeconds ({grace})"
                    ),
                ));
            }
        }
    }
    if !found {
        out.push(Cause::new(
            path,
            "Required value: must specify a handler type",
        ));
    }
}

/// `validateExecAction`.
fn exec(e: Option<&k8s_openapi::api::core::v1::ExecAction>, path: &str, out: &mut Vec<Cause>) {
    if e.is_some_and(|e| e.command.as_ref().is_none_or(Vec::is_empty)) {
        out.push(Cause::required(format!("{path}.exec.command")));
    }
}

/// `validateTCPSocketAction`.
fn tcp_socket(
    t: Option<&k8s_openapi::api::core::v1::TCPSocketAction>,
    path: &str,
    out: &mut Vec<Cause>,
) {
    if let Some(t) = t {
        port_num_or_name(&t.port, &format!("{path}.tcpSocket.port"), out);
    }
}

/// `validateHTTPGetAction`.
fn http_get(
    g: Option<&k8s_openapi::api::core::v1::HTTPGetAction>,
    path: &str,
    out: &mut Vec<Cause>,
) {
    let Some(g) = g else { return };
    let at = format!("{path}.httpGet");
    if g.path.as_deref().is_none_or(str::is_empty) {
        out.push(Cause::required(format!("{at}.path")));
    }
    port_num_or_name(&g.port, &format!("{at}.port"), out);
    let scheme = g.scheme.as_deref().unwrap_or_default();
    if !["HTTP", "HTTPS"].contains(&scheme) {
        out.push(unsupported(
            format!("{at}.scheme"),
            scheme,
            &["HTTP", "HTTPS"],
        ));
    }
    for h in g.http_headers.iter().flatten() {
        let ok = !h.name.is_empty()
            && h.name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            out.push(Cause::invalid(
                format!("{at}.httpHeaders"),
                &quote(&h.name),
                "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
            ));
        }
    }
}

/// `ValidateVolumes`: each volume's name (a DNS label, not used twice) and exactly one
/// source, with the name a configMap or secret source needs. Returns the names.
fn volumes<'a>(vols: &'a [Volume], path: &str, out: &mut Vec<Cause>) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for (i, v) in vols.iter().enumerate() {
        let at = format!("{path}.volumes[{i}]");
        if label_name(&v.name, format!("{at}.name"), out) {
            if names.contains(&v.name.as_str()) {
                out.push(duplicate(format!("{at}.name"), &v.name));
            } else {
                names.push(&v.name);
            }
        }
        // Every field but the name is a volume type.
        let types = match json(v).parse::<serde_json::Value>() {
            Ok(serde_json::Value::Object(m)) => m.keys().filter(|k| *k != "name").count(),
            _ => 0,
        };
        match types {
            0 => out.push(Cause::new(at, "Required value: must specify a volume type")),
            1 => {
                if v.config_map.as_ref().is_some_and(|c| c.name.is_empty()) {
                    out.push(Cause::required(format!("{at}.configMap.name")));
                }
                if v.secret
                    .as_ref()
                    .is_some_and(|s| s.secret_name.as_deref().unwrap_or("").is_empty())
                {
                    out.push(Cause::required(format!("{at}.secret.secretName")));
                }
                if let Some(h) = &v.host_path {
                    host_path(&h.path, h.type_.as_deref(), &format!("{at}.hostPath"), out);
                }
            }
            _ => out.push(Cause::forbidden(
                at,
                "may not specify more than 1 volume type",
            )),
        }
    }
    names
}

/// `validateHostPathVolumeSource`: a path, without a `..` step, and a known type.
fn host_path(path: &str, kind: Option<&str>, at: &str, out: &mut Vec<Cause>) {
    if path.is_empty() {
        out.push(Cause::required(format!("{at}.path")));
        return;
    }
    if path.split('/').any(|step| step == "..") {
        out.push(Cause::invalid(
            format!("{at}.path"),
            &quote(path),
            "must not contain '..'",
        ));
    }
    const TYPES: [&str; 8] = [
        "",
        "BlockDevice",
        "CharDevice",
        "Directory",
        "DirectoryOrCreate",
        "File",
        "FileOrCreate",
        "Socket",
    ];
    if let Some(k) = kind.filter(|k| !TYPES.contains(k)) {
        out.push(unsupported(format!("{at}.type"), k, &TYPES));
    }
}

/// `IsEnvVarName` as Kubernetes 1.34 has it (relaxed): printable ASCII but `=`.
fn env_var_name_errors(name: &str) -> Option<&'static str> {
    (!name.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'='))
        .then_some("a valid environment variable name must consist only of printable ASCII characters other than '='")
}

/// A `configMapKeyRef` or `secretKeyRef`: its key is required and must be a config key.
fn key_selector(name: &str, key: &str, at: &str, out: &mut Vec<Cause>) {
    if !name.is_empty() {
        for msg in configdata::dns1123_subdomain_errors(name) {
            out.push(Cause::invalid(format!("{at}.name"), &quote(name), &msg));
        }
    }
    if key.is_empty() {
        out.push(Cause::required(format!("{at}.key")));
    } else {
        for msg in configdata::config_key_errors(key) {
            out.push(Cause::invalid(format!("{at}.key"), &quote(key), &msg));
        }
    }
}

/// `ValidateEnv`, `ValidateEnvFrom` and `ValidateVolumeMounts` of one container.
fn container_env_and_mounts(c: &Container, path: &str, volumes: &[&str], out: &mut Vec<Cause>) {
    for (i, e) in c.env.iter().flatten().enumerate() {
        let at = format!("{path}.env[{i}]");
        if e.name.is_empty() {
            out.push(Cause::required(format!("{at}.name")));
        } else if let Some(msg) = env_var_name_errors(&e.name) {
            out.push(Cause::invalid(format!("{at}.name"), &quote(&e.name), msg));
        }
        let Some(from) = &e.value_from else { continue };
        let at = format!("{at}.valueFrom");
        let mut sources = 0;
        if from.field_ref.is_some() {
            sources += 1;
        }
        if from.resource_field_ref.is_some() {
            sources += 1;
        }
        if let Some(r) = &from.config_map_key_ref {
            sources += 1;
            key_selector(&r.name, &r.key, &format!("{at}.configMapKeyRef"), out);
        }
        if let Some(r) = &from.secret_key_ref {
            sources += 1;
            key_selector(&r.name, &r.key, &format!("{at}.secretKeyRef"), out);
        }
        let detail = if sources == 0 {
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
        } else if e.value.as_deref().is_some_and(|v| !v.is_empty()) {
            "may not be specified when `value` is not empty"
        } else if sources > 1 {
            "may not have more than one field specified at a time"
        } else {
            continue;
        };
        out.push(Cause::invalid(at, "\"\"", detail));
    }
    for (i, e) in c.env_from.iter().flatten().enumerate() {
        let at = format!("{path}.envFrom[{i}]");
        if let Some(msg) = e
            .prefix
            .as_deref()
            .filter(|p| !p.is_empty())
            .and_then(env_var_name_errors)
        {
            out.push(Cause::invalid(
                format!("{at}.prefix"),
                &quote(e.prefix.as_deref().unwrap_or("")),
                msg,
            ));
        }
        let refs = [
            e.config_map_ref.as_ref().map(|r| (&r.name, "configMapRef")),
            e.secret_ref.as_ref().map(|r| (&r.name, "secretRef")),
        ];
        for (name, field) in refs.iter().flatten() {
            if name.is_empty() {
                out.push(Cause::required(format!("{at}.{field}.name")));
            }
        }
        // The index is left out of these two, as the API server leaves it out.
        match refs.iter().flatten().count() {
            0 => out.push(Cause::invalid(
                format!("{path}.envFrom"),
                "\"\"",
                "must specify one of: `configMapRef` or `secretRef`",
            )),
            1 => {}
            _ => out.push(Cause::invalid(
                format!("{path}.envFrom"),
                "\"\"",
                "may not have more than one field specified at a time",
            )),
        }
    }
    let mut mount_paths: Vec<&str> = Vec::new();
    for (i, m) in c.volume_mounts.iter().flatten().enumerate() {
        let at = format!("{path}.volumeMounts[{i}]");
        if m.name.is_empty() {
            out.push(Cause::required(format!("{at}.name")));
        }
        if !volumes.contains(&m.name.as_str()) {
            out.push(Cause::new(
                format!("{at}.name"),
                format!("Not found: {}", quote(&m.name)),
            ));
        }
        if m.mount_path.is_empty() {
            out.push(Cause::required(format!("{at}.mountPath")));
        }
        if mount_paths.contains(&m.mount_path.as_str()) {
            out.push(Cause::invalid(
                format!("{at}.mountPath"),
                &quote(&m.mount_path),
                "must be unique",
            ));
        }
        mount_paths.push(&m.mount_path);
    }
}

/// `ValidateService`, the parts a Service of kubeplay's can get wrong: its ports (required
/// but for a headless or ExternalName service; named when there are several; numbers,
/// protocols and target ports; no port twice), its selector's labels, session affinity,
/// external IPs, type and traffic policies. Then, as the node port allocator answers after
/// validation, a node port outside 30000-32767.
pub fn service(svc: &k8s_openapi::api::core::v1::Service) -> Vec<Cause> {
    let mut out = Vec::new();
    meta_maps(Some(&svc.metadata), "metadata", &mut out);
    let Some(spec) = &svc.spec else {
        return out;
    };
    let kind = spec.type_.as_deref().unwrap_or_default();
    let headless = spec.cluster_ip.as_deref() == Some("None");
    let ports = spec.ports.as_deref().unwrap_or_default();
    if ports.is_empty() && !headless && kind != "ExternalName" {
        out.push(Cause::required("spec.ports"));
    }
    match kind {
        "LoadBalancer" | "NodePort" if headless => out.push(Cause::invalid(
            "spec.clusterIPs[0]",
            "\"None\"",
            &format!("may not be set to 'None' for {kind} services"),
        )),
        "ExternalName" => {
            let cname = spec.external_name.as_deref().unwrap_or_default();
            let cname = cname.strip_suffix('.').unwrap_or(cname);
            if cname.is_empty() {
                out.push(Cause::required("spec.externalName"));
            }
            for e in configdata::dns1123_subdomain_errors(cname)
                .iter()
                .filter(|_| !cname.is_empty())
            {
                out.push(Cause::invalid("spec.externalName", &quote(cname), e));
            }
        }
        _ => {}
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let at = format!("spec.ports[{i}]");
        match p.name.as_deref().unwrap_or_default() {
            "" if ports.len() > 1 => out.push(Cause::required(format!("{at}.name"))),
            "" => {}
            name => {
                if !is_dns1123_label(name) {
                    out.push(Cause::invalid(
                        format!("{at}.name"),
                        &quote(name),
                        DNS1123_LABEL,
                    ));
                }
                if names.contains(&name) {
                    out.push(duplicate(format!("{at}.name"), name));
                } else {
                    names.push(name);
                }
            }
        }
        port_number(p.port, &format!("{at}.port"), &mut out);
        match p.protocol.as_deref().unwrap_or_default() {
            "TCP" | "UDP" | "SCTP" => {}
            "" => out.push(Cause::required(format!("{at}.protocol"))),
            other => out.push(unsupported(
                format!("{at}.protocol"),
                other,
                &["SCTP", "TCP", "UDP"],
            )),
        }
        if let Some(t) = &p.target_port {
            port_num_or_name(t, &format!("{at}.targetPort"), &mut out);
        }
    }
    labels(spec.selector.as_ref(), "spec.selector", &mut out);
    match spec.session_affinity.as_deref().unwrap_or_default() {
        "" => out.push(Cause::required("spec.sessionAffinity")),
        "ClientIP" => {
            let timeout = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref())
                .and_then(|c| c.timeout_seconds);
            if let Some(t) = timeout.filter(|t| *t <= 0 || *t > 86400) {
                out.push(Cause::invalid(
                    "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                    &t.to_string(),
                    "must be greater than 0 and less than 86400",
                ));
            }
        }
        "None" => {
            if spec.session_affinity_config.is_some() {
                out.push(Cause::forbidden(
                    "spec.sessionAffinityConfig",
                    "must not be set when session affinity is None",
                ));
            }
        }
        other => out.push(unsupported(
            "spec.sessionAffinity".into(),
            other,
            &["ClientIP", "None"],
        )),
    }
    for (i, ip) in spec.external_ips.iter().flatten().enumerate() {
        if ip.parse::<std::net::IpAddr>().is_err() {
            out.push(Cause::invalid(
                format!("spec.externalIPs[{i}]"),
                &quote(ip),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
    }
    const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    match kind {
        "" => out.push(Cause::required("spec.type")),
        k if !TYPES.contains(&k) => out.push(unsupported("spec.type".into(), k, &TYPES)),
        _ => {}
    }
    if kind == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if p.node_port.unwrap_or(0) != 0 {
                out.push(Cause::forbidden(
                    format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut seen: Vec<(&str, i32)> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let Some(n) = p.node_port.filter(|n| *n != 0) else {
            continue;
        };
        let key = (p.protocol.as_deref().unwrap_or_default(), n);
        if seen.contains(&key) {
            out.push(Cause::new(
                format!("spec.ports[{i}].nodePort"),
                format!("Duplicate value: {n}"),
            ));
        }
        seen.push(key);
    }
    let mut seen: Vec<(&str, i32)> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let key = (p.protocol.as_deref().unwrap_or_default(), p.port);
        if seen.contains(&key) {
            // Go's %#v of the (protocol, port) key, an internal `core.ServicePort`.
            out.push(Cause::new(
                format!("spec.ports[{i}]"),
                format!(
                    "Duplicate value: core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                    quote(key.0),
                    key.1
                ),
            ));
        }
        seen.push(key);
    }
    let external = matches!(kind, "NodePort" | "LoadBalancer");
    match spec.external_traffic_policy.as_deref() {
        Some(p) if !external => out.push(Cause::invalid(
            "spec.externalTrafficPolicy",
            &quote(p),
            "may only be set for externally-accessible services",
        )),
        Some(p) if !["Cluster", "Local"].contains(&p) => out.push(unsupported(
            "spec.externalTrafficPolicy".into(),
            p,
            &["Cluster", "Local"],
        )),
        _ => {}
    }
    if let Some(p) = spec
        .internal_traffic_policy
        .as_deref()
        .filter(|p| !["Cluster", "Local"].contains(p))
    {
        out.push(unsupported(
            "spec.internalTrafficPolicy".into(),
            p,
            &["Cluster", "Local"],
        ));
    }
    if out.is_empty() {
        for (i, p) in ports.iter().enumerate() {
            if let Some(n) = p
                .node_port
                .filter(|n| *n != 0 && !(30000..=32767).contains(n))
            {
                out.push(Cause::invalid(
                    format!("spec.ports[{i}].nodePort"),
                    &n.to_string(),
                    "provided port is not in the valid range. The range of valid ports is 30000-32767",
                ));
            }
        }
    }
    out
}

/// `ValidateDeploymentStrategy` and `ValidateRollingUpdateDeployment`.
fn strategy(st: &DeploymentStrategy, out: &mut Vec<Cause>) {
    match st.type_.as_deref().unwrap_or("RollingUpdate") {
        "Recreate" => {
            if st.rolling_update.is_some() {
                out.push(Cause::forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => {
            let Some(ru) = &st.rolling_update else {
                out.push(Cause::new(
                    "spec.strategy.rollingUpdate",
                    "Required value: this should be defaulted and never be nil",
                ));
                return;
            };
            let zero = IntOrString::Int(0);
            let mu = ru.max_unavailable.as_ref().unwrap_or(&zero);
            let ms = ru.max_surge.as_ref().unwrap_or(&zero);
            int_or_percent(mu, "spec.strategy.rollingUpdate.maxUnavailable", out);
            int_or_percent(ms, "spec.strategy.rollingUpdate.maxSurge", out);
            if int_or_percent_value(mu) == Some(0) && int_or_percent_value(ms) == Some(0) {
                out.push(Cause::invalid(
                    "spec.strategy.rollingUpdate.maxUnavailable",
                    &render_ios(mu),
                    "may not be 0 when `maxSurge` is 0",
                ));
            }
            if let IntOrString::String(s) = mu {
                if int_or_percent_value(mu).is_some_and(|v| v > 100) {
                    out.push(Cause::invalid(
                        "spec.strategy.rollingUpdate.maxUnavailable",
                        &quote(s),
                        "must not be greater than 100%",
                    ));
                }
            }
        }
        other => out.push(Cause::new(
            "spec.strategy.type",
            format!(
                "Unsupported value: {}: supported values: \"Recreate\", \"RollingUpdate\"",
                quote(other)
            ),
        )),
    }
}

fn render_ios(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => quote(s),
    }
}

fn is_percent(s: &str) -> bool {
    s.strip_suffix('%')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// `getIntOrPercentValue`: the number, whether plain or a percent.
fn int_or_percent_value(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::Int(i) => Some(*i as i64),
        IntOrString::String(s) if is_percent(s) => s.trim_end_matches('%').parse().ok(),
        IntOrString::String(_) => None,
    }
}

/// `ValidatePositiveIntOrPercent`.
fn int_or_percent(v: &IntOrString, field: &str, out: &mut Vec<Cause>) {
    match v {
        IntOrString::String(s) if !is_percent(s) => {
            out.push(Cause::invalid(field, &quote(s), PERCENT))
        }
        IntOrString::String(s) => {
            if let Some(n) = int_or_percent_value(v) {
                if n < 0 {
                    out.push(Cause::invalid(field, &quote(s), NONNEGATIVE));
                }
            }
        }
        IntOrString::Int(i) => nonnegative(field, *i as i64, out),
    }
}

fn immutable_selector(new: &LabelSelector, old: &LabelSelector) -> Vec<Cause> {
    if new == old {
        return vec![];
    }
    vec![Cause::invalid(
        "spec.selector",
        &json(new),
        "field is immutable",
    )]
}

/// `ValidatePod`: the name and the pod spec.
pub fn pod(p: &Pod) -> Vec<Cause> {
    let mut out = object_meta(&p.metadata);
    let spec = p.spec.clone().unwrap_or_default();
    pod_spec(&spec, "spec", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deploy(yaml: &str) -> Object {
        let docs = crate::decode::parse_documents(yaml).unwrap();
        let mut o = crate::decode::decode(&docs[0]).unwrap();
        crate::defaults::apply(&mut o);
        o
    }

    const GOOD: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: nginx, image: nginx}]\n";

    fn msg(o: &Object) -> String {
        validate_create(o)
            .map(|_| String::new())
            .unwrap_or_else(|e| e.message)
    }

    #[test]
    fn a_good_deployment_passes() {
        assert_eq!(msg(&deploy(GOOD)), "");
    }

    #[test]
    fn missing_selector_and_containers() {
        let o = deploy("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app1-deployment}\nspec:\n  template:\n    spec: {}\n");
        assert_eq!(
            msg(&o),
            "Deployment \"app1-deployment\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`\n* spec.template.spec.containers: Required value"
        );
    }

    #[test]
    fn selector_must_match_labels() {
        let o = deploy(&GOOD.replace("labels: {app: web}", "labels: {app: nginx}"));
        assert_eq!(msg(&o), "Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"nginx\"}: `selector` does not match template `labels`");
    }

    #[test]
    fn both_budgets_zero() {
        let o = deploy(&GOOD.replace(
            "spec:\n  selector",
            "spec:\n  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n  selector",
        ));
        assert_eq!(msg(&o), "Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0");
    }

    #[test]
    fn recreate_with_rolling_update() {
        let o = deploy(&GOOD.replace(
            "spec:\n  selector",
            "spec:\n  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n  selector",
        ));
        assert_eq!(msg(&o), "Deployment \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
    }

    #[test]
    fn bad_percent_and_over_100() {
        let o = deploy(&GOOD.replace("spec:\n  selector", "spec:\n  strategy: {rollingUpdate: {maxSurge: 20Percent, maxUnavailable: 110%}}\n  selector"));
        let m = msg(&o);
        assert!(m.contains("* spec.strategy.rollingUpdate.maxSurge: Invalid value: \"20Percent\": a valid percent string"), "{m}");
        assert!(m.contains("* spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"110%\": must not be greater than 100%"), "{m}");
    }

    #[test]
    fn names_must_be_dns_1123() {
        let o = deploy(&GOOD.replace("name: web}", "name: My_App}"));
        assert!(msg(&o).starts_with("Deployment \"My_App\" is invalid: metadata.name: Invalid value: \"My_App\": a lowercase RFC 1123 subdomain"));
        let o = deploy(&GOOD.replace("name: nginx,", "name: Nginx,"));
        assert!(msg(&o).contains("spec.template.spec.containers[0].name: Invalid value: \"Nginx\": a lowercase RFC 1123 label"));
    }

    #[test]
    fn label_keys_and_values_are_checked_where_they_stand() {
        let o = deploy(&GOOD.replace(
            "metadata: {name: web}",
            "metadata: {name: web, labels: {\"bad key\": ok, tier: -x}}",
        ));
        assert_eq!(
            msg(&o),
            format!("Deployment \"web\" is invalid: \n* metadata.labels: Invalid value: \"bad key\": name part {QUALIFIED_NAME}\n* metadata.labels: Invalid value: \"-x\": {}", label_value_errors("-x")[0])
        );
        let o = deploy(&GOOD.replace("labels: {app: web}", "labels: {app: web, \"a/b/c\": x}"));
        assert!(msg(&o).contains("spec.template.metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of"));
        let o = deploy(
            &GOOD
                .replace(
                    "matchLabels: {app: web}",
                    "matchLabels: {app: web, \"Example.com/x\": y}",
                )
                .replace(
                    "labels: {app: web}",
                    "labels: {app: web, \"Example.com/x\": y}",
                ),
        );
        assert!(msg(&o).contains("spec.selector.matchLabels: Invalid value: \"Example.com/x\": prefix part a lowercase RFC 1123 subdomain"));
        let o = deploy(&GOOD.replace(
            "metadata: {name: web}",
            "metadata: {name: web, annotations: {\"/x\": y}}",
        ));
        assert!(msg(&o).ends_with(
            "metadata.annotations: Invalid value: \"/x\": prefix part must be non-empty"
        ));
        let ok = deploy(&GOOD.replace("metadata: {name: web}", "metadata: {name: web, labels: {\"example.com/Tier_1.a\": \"\"}, annotations: {\"kubernetes.io/change-cause\": \"any text at all\"}}"));
        assert!(validate_create(&ok).is_ok());
    }

    #[test]
    fn env_env_from_mounts_and_volumes_are_checked() {
        // Decoded as under --validate=warn: the mis-indented envFrom's `name` is dropped.
        let pod = |spec: &str| {
            let yaml = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}");
            let docs = crate::decode::parse_documents(&yaml).unwrap();
            let (mut o, _) =
                crate::decode::decode_validated(&docs[0], crate::decode::Validation::Warn).unwrap();
            crate::defaults::apply(&mut o);
            o
        };
        let e = msg(&pod(
            "  containers:\n  - name: c\n    image: nginx\n    envFrom:\n    - configMapRef:\n      name: app-config\n",
        ));
        assert_eq!(
            e,
            "Pod \"p\" is invalid: spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`"
        );
        let e = msg(&pod(
            "  containers:\n  - name: c\n    image: nginx\n    volumeMounts: [{name: config, mountPath: /etc/app}]\n  volumes: [{name: app-config, configMap: {name: app-config}}]\n",
        ));
        assert_eq!(
            e,
            "Pod \"p\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"config\""
        );
        let e = msg(&pod(
            "  containers:\n  - name: c\n    image: nginx\n    env:\n    - {name: A, valueFrom: {secretKeyRef: {name: s}}}\n    - {name: B, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n  volumes: [{name: v}, {name: v, emptyDir: {}}]\n",
        ));
        assert!(e.contains("* spec.volumes[0]: Required value: must specify a volume type\n* spec.volumes[1].name: Duplicate value: \"v\"\n* spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value\n* spec.containers[0].env[1].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty"), "{e}");
    }

    #[test]
    fn other_kinds_get_their_labels_checked_too() {
        let mut o = crate::decode::decode(&serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "labels": {"x": "a b"}}, "spec": {"ports": [{"port": 80}]}})).unwrap();
        crate::defaults::apply(&mut o);
        let e = msg(&o);
        assert!(e.starts_with("Service \"s\" is invalid: metadata.labels: Invalid value: \"a b\": a valid label must be"), "{e}");
    }

    #[test]
    fn progress_deadline_after_min_ready() {
        let o = deploy(&GOOD.replace(
            "spec:\n  selector",
            "spec:\n  minReadySeconds: 10\n  progressDeadlineSeconds: 5\n  selector",
        ));
        assert_eq!(msg(&o), "Deployment \"web\" is invalid: spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds");
    }

    #[test]
    fn selector_is_immutable() {
        let old = deploy(GOOD);
        let new = deploy(&GOOD.replace("{app: web}", "{app: web2}"));
        let e = validate_update(&new, &old).unwrap_err();
        assert_eq!(e.message, "Deployment \"web\" is invalid: spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web2\"}}: field is immutable");
    }
}
