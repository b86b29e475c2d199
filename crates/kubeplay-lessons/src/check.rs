//! Checks: questions about the cluster's state, answered from the `World` (or, for what only a
//! running container knows, by `kubectl exec` in a scratch copy of the session). A check never
//! looks at what was typed, and never changes the learner's session.

use crate::scenario::Lang;
use kubeplay_api::k8s_openapi::api::apps::v1::Deployment;
use kubeplay_api::k8s_openapi::api::core::v1::Pod;
use kubeplay_api::selector::Selector;
use kubeplay_api::{registry, Kind};
use kubeplay_core::key;
use kubeplay_shell::{LineState, Session, Stream};
use serde::{Deserialize, Serialize};

/// One check. In YAML, a map with a single key naming the check, e.g.
/// `- deploymentImage: {name: web, image: nginx:1.25}`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Check {
    /// The image of a Deployment's pod template (its only container, or `container`).
    DeploymentImage {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        container: Option<String>,
        image: String,
    },
    /// A Deployment's replica counts; each field given is compared.
    DeploymentReplicas {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        /// `spec.replicas`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        desired: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ready: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        available: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated: Option<i32>,
    },
    /// The Deployment's current revision (`deployment.kubernetes.io/revision`).
    DeploymentRevision {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        revision: u64,
    },
    /// How many revisions `kubectl rollout history` lists (the Deployment's ReplicaSets).
    RevisionCount {
        deployment: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        count: usize,
    },
    /// `spec.strategy.type` (`RollingUpdate` when unset, as the API server defaults it).
    DeploymentStrategy {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(rename = "type")]
        type_: String,
    },
    /// A ConfigMap key's value.
    ConfigMapValue {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        key: String,
        value: String,
    },
    /// A Secret key's value, decoded (what the container sees).
    SecretValue {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        key: String,
        value: String,
    },
    /// Whether an object exists (`kind` as kubectl takes it: `deploy`, `cm`, `pod`...).
    Exists {
        kind: String,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        exists: bool,
    },
    /// How many pods match a label selector, optionally only those in a phase or ready.
    PodCount {
        selector: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        phase: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ready: Option<bool>,
        count: usize,
    },
    /// A pod's READY and/or STATUS column as `kubectl get pods` shows them (`2/2`,
    /// `Init:0/1`, `Running`, `CrashLoopBackOff`...), or its phase.
    PodStatus {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pod: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        selector: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ready: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        phase: Option<String>,
    },
    /// Any field of any object, by a path such as `spec.containers[0].args`: a string compares
    /// as itself, anything else as compact JSON (`["sleep","10"]`); a missing field is `<none>`.
    Field {
        kind: String,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        path: String,
        value: String,
    },
    /// An environment variable as the container resolved it (`kubectl exec POD -- printenv`).
    Env {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pod: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        selector: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        container: Option<String>,
        #[serde(rename = "var")]
        var: String,
        value: String,
    },
    /// A file's content inside a container (`kubectl exec POD -- cat PATH`).
    ContainerFile {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pod: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        selector: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        container: Option<String>,
        path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        equals: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contains: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_contains: Option<String>,
    },
    /// A file in the learner's editor / working directory.
    File {
        path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        equals: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contains: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_contains: Option<String>,
    },
    /// The output of a shell line, run in a scratch copy of the session (the learner's session
    /// is not touched). Output is stdout followed by stderr.
    Command {
        run: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        equals: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contains: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_contains: Option<String>,
    },
}

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}

/// Which pod: by name, or the first (in name order) of those a selector matches, preferring
/// running ones.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct PodRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// What a text must be: `equals` compares without trailing newlines.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Expect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_contains: Option<String>,
}

/// The outcome of one check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    pub passed: bool,
    /// What the check wanted, in words (`nginx:1.25`, `3 ready`).
    pub expected: String,
    /// What the cluster has.
    pub actual: String,
}

impl CheckResult {
    fn compare(expected: impl ToString, actual: impl ToString) -> CheckResult {
        let (expected, actual) = (expected.to_string(), actual.to_string());
        CheckResult {
            passed: expected == actual,
            expected,
            actual,
        }
    }
    fn fail(expected: impl ToString, actual: impl ToString) -> CheckResult {
        CheckResult {
            passed: false,
            expected: expected.to_string(),
            actual: actual.to_string(),
        }
    }
}

const NOT_FOUND: &str = "<not found>";

impl Check {
    /// Reject checks that can never be meaningful.
    pub fn validate(&self) -> Result<(), String> {
        let pod = self.pod_ref();
        let expect = self.expect();
        match self {
            Check::DeploymentReplicas {
                desired,
                ready,
                available,
                updated,
                ..
            } if desired.is_none()
                && ready.is_none()
                && available.is_none()
                && updated.is_none() =>
            {
                Err("deploymentReplicas needs one of desired, ready, available, updated".into())
            }
            Check::PodStatus {
                ready,
                status,
                phase,
                ..
            } => {
                pod.validate()?;
                if ready.is_none() && status.is_none() && phase.is_none() {
                    return Err("podStatus needs one of ready, status, phase".into());
                }
                Ok(())
            }
            Check::Env { .. } => pod.validate(),
            Check::ContainerFile { .. } => {
                pod.validate()?;
                expect.validate()
            }
            Check::File { .. } => expect.validate(),
            Check::Command { run, status, .. } => {
                if run.contains('\n') {
                    return Err("command: `run` must be one line".into());
                }
                if status.is_none() {
                    expect.validate()
                } else {
                    Ok(())
                }
            }
            Check::Field { kind, path, .. } => {
                if registry::lookup(kind).is_none() {
                    return Err(format!("field: unknown kind {kind:?}"));
                }
                parse_path(path).map(|_| ())
            }
            Check::Exists { kind, .. } if registry::lookup(kind).is_none() => {
                Err(format!("exists: unknown kind {kind:?}"))
            }
            Check::PodCount { selector, .. } => Selector::parse(selector).map(|_| ()),
            _ => Ok(()),
        }
    }

    /// Whether this check asks a container (and so needs `kubectl exec`).
    pub fn needs_exec(&self) -> bool {
        matches!(self, Check::Env { .. } | Check::ContainerFile { .. })
    }

    /// A one-line description, stable across runs (it is what `kubeplay check` prints).
    pub fn describe(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        let pod = self.pod_ref();
        let expect = self.expect();
        let ns = |n: &Option<String>| match n {
            Some(n) if n != "default" => format!(" -n {n}"),
            _ => String::new(),
        };
        match self {
            Check::DeploymentImage {
                name,
                namespace,
                container,
                image,
            } => {
                let c = container
                    .as_ref()
                    .map(|c| format!(" container {c}"))
                    .unwrap_or_default();
                if ko {
                    format!("deployment/{name}{}{c}의 이미지가 {image}", ns(namespace))
                } else {
                    format!("deployment/{name}{}{c} image is {image}", ns(namespace))
                }
            }
            Check::DeploymentReplicas {
                name,
                namespace,
                desired,
                ready,
                available,
                updated,
            } => {
                let mut parts = vec![];
                let words: [(&Option<i32>, &str, &str); 4] = [
                    (desired, "desired", "희망"),
                    (ready, "ready", "준비"),
                    (available, "available", "사용 가능"),
                    (updated, "up-to-date", "최신"),
                ];
                for (v, en, k) in words {
                    if let Some(v) = v {
                        parts.push(if ko {
                            format!("{k} {v}")
                        } else {
                            format!("{v} {en}")
                        });
                    }
                }
                if ko {
                    format!(
                        "deployment/{name}{}: 레플리카 {}",
                        ns(namespace),
                        parts.join(", ")
                    )
                } else {
                    format!(
                        "deployment/{name}{} has {}",
                        ns(namespace),
                        parts.join(", ")
                    )
                }
            }
            Check::DeploymentRevision {
                name,
                namespace,
                revision,
            } => {
                if ko {
                    format!(
                        "deployment/{name}{}의 현재 리비전이 {revision}",
                        ns(namespace)
                    )
                } else {
                    format!(
                        "deployment/{name}{} is at revision {revision}",
                        ns(namespace)
                    )
                }
            }
            Check::RevisionCount {
                deployment,
                namespace,
                count,
            } => {
                if ko {
                    format!(
                        "deployment/{deployment}{}의 리비전 기록이 {count}개",
                        ns(namespace)
                    )
                } else {
                    format!(
                        "deployment/{deployment}{} has {count} revision(s) in its history",
                        ns(namespace)
                    )
                }
            }
            Check::DeploymentStrategy {
                name,
                namespace,
                type_,
            } => {
                if ko {
                    format!("deployment/{name}{}의 배포 전략이 {type_}", ns(namespace))
                } else {
                    format!(
                        "deployment/{name}{} uses the {type_} strategy",
                        ns(namespace)
                    )
                }
            }
            Check::ConfigMapValue {
                name,
                namespace,
                key,
                value,
            } => {
                if ko {
                    format!("configmap/{name}{}의 {key} 값이 {value:?}", ns(namespace))
                } else {
                    format!("configmap/{name}{} key {key} is {value:?}", ns(namespace))
                }
            }
            Check::SecretValue {
                name,
                namespace,
                key,
                value,
            } => {
                if ko {
                    format!(
                        "secret/{name}{}의 {key} 값(디코딩)이 {value:?}",
                        ns(namespace)
                    )
                } else {
                    format!(
                        "secret/{name}{} key {key} decodes to {value:?}",
                        ns(namespace)
                    )
                }
            }
            Check::Exists {
                kind,
                name,
                namespace,
                exists,
            } => {
                let what = registry::lookup(kind)
                    .map(|i| i.kind.as_str().to_ascii_lowercase())
                    .unwrap_or_else(|| kind.clone());
                match (ko, exists) {
                    (false, true) => format!("{what}/{name}{} exists", ns(namespace)),
                    (false, false) => format!("{what}/{name}{} does not exist", ns(namespace)),
                    (true, true) => format!("{what}/{name}{}가 있음", ns(namespace)),
                    (true, false) => format!("{what}/{name}{}가 없음", ns(namespace)),
                }
            }
            Check::Field {
                kind,
                name,
                namespace,
                path,
                value,
            } => {
                let what = registry::lookup(kind)
                    .map(|i| i.kind.as_str().to_ascii_lowercase())
                    .unwrap_or_else(|| kind.clone());
                if ko {
                    format!("{what}/{name}{}의 {path} 값이 {value}", ns(namespace))
                } else {
                    format!("{what}/{name}{} {path} is {value}", ns(namespace))
                }
            }
            Check::PodCount {
                selector,
                namespace,
                phase,
                ready,
                count,
            } => {
                let mut q = String::new();
                if let Some(p) = phase {
                    q.push_str(&format!(" {p}"));
                }
                if let Some(r) = ready {
                    q.push_str(if *r { " ready" } else { " not ready" });
                }
                if ko {
                    format!("-l {selector}{} 파드 중{q} {count}개", ns(namespace))
                } else {
                    format!("{count}{q} pod(s) match -l {selector}{}", ns(namespace))
                }
            }
            Check::PodStatus {
                ready,
                status,
                phase,
                ..
            } => {
                let mut parts = vec![];
                if let Some(r) = ready {
                    parts.push(format!("READY {r}"));
                }
                if let Some(s) = status {
                    parts.push(format!("STATUS {s}"));
                }
                if let Some(p) = phase {
                    parts.push(format!("phase {p}"));
                }
                if ko {
                    format!("{}: {}", pod.describe(lang), parts.join(", "))
                } else {
                    format!("{} shows {}", pod.describe(lang), parts.join(", "))
                }
            }
            Check::Env {
                container,
                var,
                value,
                ..
            } => {
                let c = container
                    .as_ref()
                    .map(|c| format!(" -c {c}"))
                    .unwrap_or_default();
                if ko {
                    format!("{}{c} 안의 ${var} 값이 {value:?}", pod.describe(lang))
                } else {
                    format!("${var} in {}{c} is {value:?}", pod.describe(lang))
                }
            }
            Check::ContainerFile {
                container, path, ..
            } => {
                let c = container
                    .as_ref()
                    .map(|c| format!(" -c {c}"))
                    .unwrap_or_default();
                if ko {
                    format!(
                        "{}{c} 안의 {path}: {}",
                        pod.describe(lang),
                        expect.describe(lang)
                    )
                } else {
                    format!(
                        "{path} in {}{c} {}",
                        pod.describe(lang),
                        expect.describe(lang)
                    )
                }
            }
            Check::File { path, .. } => {
                if ko {
                    format!("파일 {path}: {}", expect.describe(lang))
                } else {
                    format!("file {path} {}", expect.describe(lang))
                }
            }
            Check::Command { run, status, .. } => {
                let mut parts = vec![];
                if let Some(s) = status {
                    parts.push(if ko {
                        format!("종료 코드 {s}")
                    } else {
                        format!("exits {s}")
                    });
                }
                if expect.equals.is_some()
                    || expect.contains.is_some()
                    || expect.not_contains.is_some()
                {
                    parts.push(if ko {
                        format!("출력: {}", expect.describe(lang))
                    } else {
                        format!("output {}", expect.describe(lang))
                    });
                }
                format!("`{run}` {}", parts.join(if ko { ", " } else { " and " }))
            }
        }
    }

    /// Evaluate against the session's current state. The session is not changed.
    pub fn evaluate(&self, s: &Session) -> CheckResult {
        let w = &s.world;
        let pod = self.pod_ref();
        let expect = self.expect();
        let ns_of = |n: &Option<String>| n.clone().unwrap_or_else(|| s.namespace.clone());
        let deploy = |name: &str, n: &Option<String>| w.get::<Deployment>(&key(&ns_of(n), name));
        match self {
            Check::DeploymentImage {
                name,
                namespace,
                container,
                image,
            } => {
                let Some(d) = deploy(name, namespace) else {
                    return CheckResult::fail(image, format!("deployment/{name} {NOT_FOUND}"));
                };
                let containers = d
                    .spec
                    .template
                    .spec
                    .as_ref()
                    .map(|p| p.containers.as_slice())
                    .unwrap_or_default();
                let c = match container {
                    Some(n) => containers.iter().find(|c| &c.name == n),
                    None => containers.first(),
                };
                match c {
                    Some(c) => CheckResult::compare(image, c.image.clone().unwrap_or_default()),
                    None => CheckResult::fail(
                        image,
                        format!(
                            "container {} {NOT_FOUND}",
                            container.as_deref().unwrap_or("")
                        ),
                    ),
                }
            }
            Check::DeploymentReplicas {
                name,
                namespace,
                desired,
                ready,
                available,
                updated,
            } => {
                let st = deploy(name, namespace).map(|d| {
                    let st = d.status.clone().unwrap_or_default();
                    [
                        d.spec.replicas.unwrap_or(1),
                        st.ready_replicas.unwrap_or(0),
                        st.available_replicas.unwrap_or(0),
                        st.updated_replicas.unwrap_or(0),
                    ]
                });
                let want = [desired, ready, available, updated];
                let names = ["desired", "ready", "available", "up-to-date"];
                let fmt = |vals: &[i32; 4]| {
                    want.iter()
                        .zip(names)
                        .zip(vals)
                        .filter(|((w, _), _)| w.is_some())
                        .map(|((_, n), v)| format!("{v} {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let exp: [i32; 4] = [
                    desired.unwrap_or(0),
                    ready.unwrap_or(0),
                    available.unwrap_or(0),
                    updated.unwrap_or(0),
                ];
                match st {
                    None => CheckResult::fail(fmt(&exp), format!("deployment/{name} {NOT_FOUND}")),
                    Some(vals) => CheckResult::compare(fmt(&exp), fmt(&vals)),
                }
            }
            Check::DeploymentRevision {
                name,
                namespace,
                revision,
            } => match deploy(name, namespace) {
                None => CheckResult::fail(revision, format!("deployment/{name} {NOT_FOUND}")),
                Some(d) => CheckResult::compare(
                    revision,
                    d.metadata
                        .annotations
                        .as_ref()
                        .and_then(|a| a.get("deployment.kubernetes.io/revision"))
                        .cloned()
                        .unwrap_or_else(|| "<none>".into()),
                ),
            },
            Check::RevisionCount {
                deployment,
                namespace,
                count,
            } => match deploy(deployment, namespace) {
                None => CheckResult::fail(count, format!("deployment/{deployment} {NOT_FOUND}")),
                Some(d) => CheckResult::compare(count, w.replicasets_of(d).len()),
            },
            Check::DeploymentStrategy {
                name,
                namespace,
                type_,
            } => match deploy(name, namespace) {
                None => CheckResult::fail(type_, format!("deployment/{name} {NOT_FOUND}")),
                Some(d) => CheckResult::compare(
                    type_,
                    d.spec
                        .strategy
                        .as_ref()
                        .and_then(|s| s.type_.clone())
                        .unwrap_or_else(|| "RollingUpdate".into()),
                ),
            },
            Check::ConfigMapValue {
                name,
                namespace,
                key: k,
                value,
            } => {
                let cm = w.get::<kubeplay_api::k8s_openapi::api::core::v1::ConfigMap>(&key(
                    &ns_of(namespace),
                    name,
                ));
                match cm {
                    None => CheckResult::fail(
                        format!("{value:?}"),
                        format!("configmap/{name} {NOT_FOUND}"),
                    ),
                    Some(cm) => match cm.data.as_ref().and_then(|d| d.get(k)) {
                        Some(v) => CheckResult::compare(format!("{value:?}"), format!("{v:?}")),
                        None => {
                            CheckResult::fail(format!("{value:?}"), format!("key {k} {NOT_FOUND}"))
                        }
                    },
                }
            }
            Check::SecretValue {
                name,
                namespace,
                key: k,
                value,
            } => {
                let sec = w.get::<kubeplay_api::k8s_openapi::api::core::v1::Secret>(&key(
                    &ns_of(namespace),
                    name,
                ));
                match sec {
                    None => CheckResult::fail(
                        format!("{value:?}"),
                        format!("secret/{name} {NOT_FOUND}"),
                    ),
                    Some(sec) => {
                        // stringData is folded into data by the API server; look at both in
                        // case a write path kept it.
                        let v = sec
                            .data
                            .as_ref()
                            .and_then(|d| d.get(k))
                            .map(|b| String::from_utf8_lossy(&b.0).into_owned())
                            .or_else(|| sec.string_data.as_ref().and_then(|d| d.get(k)).cloned());
                        match v {
                            Some(v) => CheckResult::compare(format!("{value:?}"), format!("{v:?}")),
                            None => CheckResult::fail(
                                format!("{value:?}"),
                                format!("key {k} {NOT_FOUND}"),
                            ),
                        }
                    }
                }
            }
            Check::Exists {
                kind,
                name,
                namespace,
                exists,
            } => {
                let Some(info) = registry::lookup(kind) else {
                    return CheckResult::fail("a known kind", kind);
                };
                let ns = if info.namespaced {
                    ns_of(namespace)
                } else {
                    String::new()
                };
                let found = w.store.get_object(info.kind, &key(&ns, name)).is_some();
                let word = |b: bool| if b { "exists" } else { "does not exist" };
                CheckResult::compare(word(*exists), word(found))
            }
            Check::Field {
                kind,
                name,
                namespace,
                path,
                value,
            } => {
                let Some(info) = registry::lookup(kind) else {
                    return CheckResult::fail(value, format!("unknown kind {kind}"));
                };
                let ns = if info.namespaced {
                    ns_of(namespace)
                } else {
                    String::new()
                };
                let Some(obj) = w.store.get_object(info.kind, &key(&ns, name)) else {
                    return CheckResult::fail(
                        value,
                        format!(
                            "{}/{name} {NOT_FOUND}",
                            info.kind.as_str().to_ascii_lowercase()
                        ),
                    );
                };
                let Ok(segs) = parse_path(path) else {
                    return CheckResult::fail(value, format!("bad path {path:?}"));
                };
                let mut v = &obj.to_value();
                for seg in &segs {
                    let next = match seg {
                        PathSeg::Key(k) => v.get(k.as_str()),
                        PathSeg::Index(i) => v.get(*i),
                    };
                    match next {
                        Some(n) => v = n,
                        None => return CheckResult::compare(value, "<none>"),
                    }
                }
                let got = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                CheckResult::compare(value, got)
            }
            Check::PodCount {
                selector,
                namespace,
                phase,
                ready,
                count,
            } => {
                let Ok(sel) = Selector::parse(selector) else {
                    return CheckResult::fail(count, format!("bad selector {selector:?}"));
                };
                let ns = ns_of(namespace);
                let n = w
                    .store
                    .keys(Kind::Pod, Some(&ns))
                    .iter()
                    .filter_map(|k| w.get::<Pod>(k))
                    .filter(|p| p.metadata.deletion_timestamp.is_none())
                    .filter(|p| sel.matches(p.metadata.labels.as_ref()))
                    .filter(|p| phase.as_ref().is_none_or(|ph| pod_phase(p) == *ph))
                    .filter(|p| ready.is_none_or(|r| pod_ready(p) == r))
                    .count();
                CheckResult::compare(count, n)
            }
            Check::PodStatus {
                ready,
                status,
                phase,
                ..
            } => {
                let Some(p) = pod.resolve(s) else {
                    return CheckResult::fail(
                        self.expected_status(ready, status, phase),
                        format!("{} {NOT_FOUND}", pod.describe(Lang::En)),
                    );
                };
                let (r, st, _) = kubeplay_shell::print::rows::pod_columns(p, w.now());
                let mut got = vec![];
                if ready.is_some() {
                    got.push(format!("READY {r}"));
                }
                if status.is_some() {
                    got.push(format!("STATUS {st}"));
                }
                if phase.is_some() {
                    got.push(format!("phase {}", pod_phase(p)));
                }
                CheckResult::compare(self.expected_status(ready, status, phase), got.join(", "))
            }
            Check::Env {
                container,
                var,
                value,
                ..
            } => {
                let Some(p) = pod.resolve(s) else {
                    return CheckResult::fail(
                        format!("{value:?}"),
                        format!("{} {NOT_FOUND}", pod.describe(Lang::En)),
                    );
                };
                let line = exec_line(p, container, &format!("printenv {}", quote(var)));
                let (code, out) = run_scratch(s, &line);
                if code != 0 {
                    return CheckResult::fail(format!("{value:?}"), describe_failure(code, &out));
                }
                CheckResult::compare(format!("{value:?}"), format!("{:?}", trim_nl(&out)))
            }
            Check::ContainerFile {
                container, path, ..
            } => {
                let Some(p) = pod.resolve(s) else {
                    return CheckResult::fail(
                        expect.describe(Lang::En),
                        format!("{} {NOT_FOUND}", pod.describe(Lang::En)),
                    );
                };
                let line = exec_line(p, container, &format!("cat {}", quote(path)));
                let (code, out) = run_scratch(s, &line);
                if code != 0 {
                    return CheckResult::fail(
                        expect.describe(Lang::En),
                        describe_failure(code, &out),
                    );
                }
                expect.test(&out)
            }
            Check::File { path, .. } => match s.fs.read(path) {
                None => CheckResult::fail(expect.describe(Lang::En), format!("{path} {NOT_FOUND}")),
                Some(b) => expect.test(&String::from_utf8_lossy(&b)),
            },
            Check::Command { run, status, .. } => {
                let (code, out) = run_scratch(s, run);
                if let Some(want) = status {
                    if *want != code {
                        return CheckResult::fail(
                            format!("exit status {want}"),
                            format!("exit status {code}: {:?}", trim_nl(&out)),
                        );
                    }
                    if expect == Expect::default() {
                        return CheckResult::compare(
                            format!("exit status {want}"),
                            format!("exit status {code}"),
                        );
                    }
                }
                expect.test(&out)
            }
        }
    }

    /// The pod a pod check names.
    pub fn pod_ref(&self) -> PodRef {
        match self {
            Check::PodStatus {
                pod,
                selector,
                namespace,
                ..
            }
            | Check::Env {
                pod,
                selector,
                namespace,
                ..
            }
            | Check::ContainerFile {
                pod,
                selector,
                namespace,
                ..
            } => PodRef {
                pod: pod.clone(),
                selector: selector.clone(),
                namespace: namespace.clone(),
            },
            _ => PodRef::default(),
        }
    }

    /// What a text check wants.
    pub fn expect(&self) -> Expect {
        match self {
            Check::ContainerFile {
                equals,
                contains,
                not_contains,
                ..
            }
            | Check::File {
                equals,
                contains,
                not_contains,
                ..
            }
            | Check::Command {
                equals,
                contains,
                not_contains,
                ..
            } => Expect {
                equals: equals.clone(),
                contains: contains.clone(),
                not_contains: not_contains.clone(),
            },
            _ => Expect::default(),
        }
    }

    fn expected_status(
        &self,
        ready: &Option<String>,
        status: &Option<String>,
        phase: &Option<String>,
    ) -> String {
        let mut v = vec![];
        if let Some(r) = ready {
            v.push(format!("READY {r}"));
        }
        if let Some(s) = status {
            v.push(format!("STATUS {s}"));
        }
        if let Some(p) = phase {
            v.push(format!("phase {p}"));
        }
        v.join(", ")
    }
}

impl PodRef {
    fn validate(&self) -> Result<(), String> {
        match (&self.pod, &self.selector) {
            (Some(_), None) => Ok(()),
            (None, Some(sel)) => Selector::parse(sel).map(|_| ()),
            _ => Err("give exactly one of `pod` and `selector`".into()),
        }
    }

    fn describe(&self, lang: Lang) -> String {
        let ns = match &self.namespace {
            Some(n) if n != "default" => format!(" -n {n}"),
            _ => String::new(),
        };
        match (&self.pod, &self.selector) {
            (Some(p), _) => format!("pod/{p}{ns}"),
            (None, Some(s)) if lang == Lang::Ko => format!("-l {s}{ns} 파드"),
            (None, Some(s)) => format!("a pod of -l {s}{ns}"),
            (None, None) => "a pod".into(),
        }
    }

    /// The pod meant: by name; or, by selector, the first not being deleted, running ones
    /// first, in name order.
    pub fn resolve<'a>(&self, s: &'a Session) -> Option<&'a Pod> {
        let ns = self
            .namespace
            .clone()
            .unwrap_or_else(|| s.namespace.clone());
        let w = &s.world;
        if let Some(name) = &self.pod {
            return w.get::<Pod>(&key(&ns, name));
        }
        let sel = Selector::parse(self.selector.as_deref()?).ok()?;
        let pods: Vec<&Pod> = w
            .store
            .keys(Kind::Pod, Some(&ns))
            .iter()
            .filter_map(|k| w.get::<Pod>(k))
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .filter(|p| sel.matches(p.metadata.labels.as_ref()))
            .collect();
        pods.iter()
            .find(|p| pod_phase(p) == "Running")
            .or(pods.first())
            .copied()
    }
}

impl Expect {
    fn validate(&self) -> Result<(), String> {
        if self.equals.is_none() && self.contains.is_none() && self.not_contains.is_none() {
            return Err("give one of equals, contains, notContains".into());
        }
        Ok(())
    }

    fn describe(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        let mut v = vec![];
        if let Some(e) = &self.equals {
            v.push(if ko {
                format!("{e:?}와 같음")
            } else {
                format!("is {e:?}")
            });
        }
        if let Some(c) = &self.contains {
            v.push(if ko {
                format!("{c:?} 포함")
            } else {
                format!("contains {c:?}")
            });
        }
        if let Some(c) = &self.not_contains {
            v.push(if ko {
                format!("{c:?} 없음")
            } else {
                format!("does not contain {c:?}")
            });
        }
        v.join(if ko { ", " } else { " and " })
    }

    fn test(&self, text: &str) -> CheckResult {
        let t = trim_nl(text);
        if let Some(e) = &self.equals {
            if t != e.as_str() {
                return CheckResult::fail(format!("{e:?}"), format!("{t:?}"));
            }
        }
        if let Some(c) = &self.contains {
            if !text.contains(c.as_str()) {
                return CheckResult::fail(format!("to contain {c:?}"), format!("{t:?}"));
            }
        }
        if let Some(c) = &self.not_contains {
            if text.contains(c.as_str()) {
                return CheckResult::fail(format!("not to contain {c:?}"), format!("{t:?}"));
            }
        }
        CheckResult {
            passed: true,
            expected: self.describe(Lang::En),
            actual: format!("{t:?}"),
        }
    }
}

enum PathSeg {
    Key(String),
    Index(usize),
}

/// `spec.containers[0].command` -> [spec, containers, 0, command].
fn parse_path(path: &str) -> Result<Vec<PathSeg>, String> {
    let bad = || format!("bad field path {path:?} (write it like spec.containers[0].image)");
    let mut out = vec![];
    for part in path.trim_start_matches('.').split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() && out.is_empty() && rest.is_empty() {
            return Err(bad());
        }
        if !name.is_empty() {
            out.push(PathSeg::Key(name.to_string()));
        }
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(bad)?;
            let idx: usize = rest[1..close].parse().map_err(|_| bad())?;
            out.push(PathSeg::Index(idx));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(bad());
            }
        }
    }
    if out.is_empty() {
        return Err(bad());
    }
    Ok(out)
}

fn trim_nl(s: &str) -> &str {
    s.trim_end_matches(['\n', '\r'])
}

fn pod_phase(p: &Pod) -> String {
    p.status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_else(|| "Pending".into())
}

fn pod_ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// Single-quote a word for the shell if it needs it.
pub(crate) fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn exec_line(p: &Pod, container: &Option<String>, cmd: &str) -> String {
    let name = p.metadata.name.as_deref().unwrap_or("");
    let ns = p.metadata.namespace.as_deref().unwrap_or("default");
    let c = container
        .as_ref()
        .map(|c| format!(" -c {}", quote(c)))
        .unwrap_or_default();
    format!("kubectl exec -n {} {}{c} -- {cmd}", quote(ns), quote(name))
}

fn describe_failure(code: i32, out: &str) -> String {
    format!("exit status {code}: {:?}", trim_nl(out))
}

/// How long a check's command may wait on virtual time before it is stopped.
const SCRATCH_BUDGET_MS: u64 = 60_000;

/// Run one line in a throwaway session holding a copy of `s`'s cluster and files; return its
/// exit status and its output (stdout then stderr).
pub fn run_scratch(s: &Session, line: &str) -> (i32, String) {
    let mut scratch = Session::new(0);
    scratch.world = s.world.clone();
    scratch.namespace = s.namespace.clone();
    for (p, d) in s.fs.files() {
        scratch.fs.write(p, d.clone());
    }
    if scratch.feed_line(line) == LineState::NeedMore {
        return (2, "check command is incomplete (an open quote)".into());
    }
    if scratch.is_busy() {
        let until = scratch.now() + SCRATCH_BUDGET_MS as kubeplay_core::time::Millis;
        scratch.advance_to(until);
        scratch.interrupt();
    }
    let mut out = String::new();
    let mut err = String::new();
    for c in scratch.take_output() {
        match c.stream {
            Stream::Out => out.push_str(&c.text),
            Stream::Err => err.push_str(&c.text),
        }
    }
    out.push_str(&err);
    (scratch.last_status, out)
}
