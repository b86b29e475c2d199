//! The columns `kubectl get` prints for each kind (the API server's table convertors).

use super::age::{age, human_duration};
use super::table::Table;
use kubeplay_api::k8s_openapi::api::core::v1::{Endpoints, Event, Pod, PodSpec};
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, Time};
use kubeplay_api::selector::Selector;
use kubeplay_api::{Kind, Object};
use kubeplay_core::time::{millis_of, Millis};
use std::collections::BTreeMap;

fn created(o: &Object) -> Option<Millis> {
    o.meta().creation_timestamp.as_ref().map(millis_of)
}

/// Column headers of a kind's table (`wide`: with the `-o wide` columns).
pub fn headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    let (base, extra): (&[&str], &[&str]) = match kind {
        Kind::Pod => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Kind::Deployment => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::ReplicaSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Service => (
            &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            &["SELECTOR"],
        ),
        Kind::ConfigMap => (&["NAME", "DATA", "AGE"], &[]),
        Kind::Secret => (&["NAME", "TYPE", "DATA", "AGE"], &[]),
        Kind::ServiceAccount => (&["NAME", "SECRETS", "AGE"], &[]),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::Event => {
            return if wide {
                vec![
                    "LAST SEEN",
                    "TYPE",
                    "REASON",
                    "OBJECT",
                    "SUBOBJECT",
                    "SOURCE",
                    "MESSAGE",
                    "FIRST SEEN",
                    "COUNT",
                    "NAME",
                ]
            } else {
                vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
            }
        }
    };
    let mut h = base.to_vec();
    if wide {
        h.extend_from_slice(extra);
    }
    h
}

/// Whether the kind's first column is the object's name (events have none).
pub fn has_name_column(kind: Kind) -> bool {
    kind != Kind::Event
}

fn none_if_empty(s: String) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

/// `labels.FormatLabels`: `k=v,k2=v2`, sorted, `<none>` when empty.
pub fn format_labels(l: Option<&BTreeMap<String, String>>) -> String {
    let s = l
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    none_if_empty(s)
}

fn selector_string(ls: &LabelSelector) -> String {
    match Selector::from_label_selector(ls) {
        Ok(s) if !s.is_empty() => s.to_string(),
        Ok(_) => "<none>".into(),
        Err(_) => "<error>".into(),
    }
}

fn containers_images(spec: Option<&PodSpec>) -> (String, String) {
    let cs = spec.map(|s| s.containers.as_slice()).unwrap_or(&[]);
    (
        cs.iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(","),
        cs.iter()
            .map(|c| c.image.as_deref().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// One object's cells, in [`headers`] order.
pub fn row(o: &Object, now: Millis, wide: bool) -> Vec<String> {
    let name = o.name().to_string();
    let a = age(created(o), now);
    match o {
        Object::Pod(p) => {
            let (ready, status, restarts) = pod_columns(p, now);
            let mut r = vec![name, ready, status, restarts, a];
            if wide {
                let st = p.status.as_ref();
                let spec = p.spec.as_ref();
                let gates = spec
                    .and_then(|s| s.readiness_gates.as_ref())
                    .filter(|g| !g.is_empty());
                let gates = match gates {
                    None => "<none>".to_string(),
                    Some(g) => {
                        let conds = st.and_then(|s| s.conditions.as_ref());
                        let t = g
                            .iter()
                            .filter(|g| {
                                conds.is_some_and(|cs| {
                                    cs.iter()
                                        .any(|c| c.type_ == g.condition_type && c.status == "True")
                                })
                            })
                            .count();
                        format!("{t}/{}", g.len())
                    }
                };
                r.push(none_if_empty(
                    st.and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
                ));
                r.push(none_if_empty(
                    spec.and_then(|s| s.node_name.clone()).unwrap_or_default(),
                ));
                r.push(none_if_empty(
                    st.and_then(|s| s.nominated_node_name.clone())
                        .unwrap_or_default(),
                ));
                r.push(gates);
            }
            r
        }
        Object::Deployment(d) => {
            let st = d.status.clone().unwrap_or_default();
            let spec = Some(&d.spec);
            let want = spec.and_then(|s| s.replicas).unwrap_or(1);
            let mut r = vec![
                name,
                format!("{}/{}", st.ready_replicas.unwrap_or(0), want),
                st.updated_replicas.unwrap_or(0).to_string(),
                st.available_replicas.unwrap_or(0).to_string(),
                a,
            ];
            if wide {
                let (c, i) = containers_images(spec.and_then(|s| s.template.spec.as_ref()));
                r.push(c);
                r.push(i);
                r.push(spec.map_or("<none>".into(), |s| selector_string(&s.selector)));
            }
            r
        }
        Object::ReplicaSet(rs) => {
            let st = rs.status.clone().unwrap_or_default();
            let spec = Some(&rs.spec);
            let mut r = vec![
                name,
                spec.and_then(|s| s.replicas).unwrap_or(1).to_string(),
                st.replicas.to_string(),
                st.ready_replicas.unwrap_or(0).to_string(),
                a,
            ];
            if wide {
                let (c, i) = containers_images(
                    spec.and_then(|s| s.template.as_ref())
                        .and_then(|t| t.spec.as_ref()),
                );
                r.push(c);
                r.push(i);
                r.push(spec.map_or("<none>".into(), |s| selector_string(&s.selector)));
            }
            r
        }
        Object::Service(svc) => {
            let spec = svc.spec.clone().unwrap_or_default();
            let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
            let cluster_ip = match spec.cluster_ip.as_deref() {
                None | Some("") => "<none>".to_string(),
                Some(ip) => ip.to_string(),
            };
            let mut external: Vec<String> = spec.external_ips.clone().unwrap_or_default();
            let external = match ty.as_str() {
                "LoadBalancer" => {
                    let ingress: Vec<String> = svc
                        .status
                        .as_ref()
                        .and_then(|s| s.load_balancer.as_ref())
                        .and_then(|l| l.ingress.as_ref())
                        .map(|is| {
                            is.iter()
                                .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                                .collect()
                        })
                        .unwrap_or_default();
                    external.extend(ingress);
                    if external.is_empty() {
                        "<pending>".to_string()
                    } else {
                        external.join(",")
                    }
                }
                "ExternalName" => spec.external_name.clone().unwrap_or_default(),
                _ => none_if_empty(external.join(",")),
            };
            let ports: Vec<String> = spec
                .ports
                .iter()
                .flatten()
                .map(|p| {
                    let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
                    match p.node_port {
                        Some(np) if np != 0 => format!("{}:{np}/{proto}", p.port),
                        _ => format!("{}/{proto}", p.port),
                    }
                })
                .collect();
            let mut r = vec![
                name,
                ty,
                cluster_ip,
                external,
                none_if_empty(ports.join(",")),
                a,
            ];
            if wide {
                r.push(format_labels(spec.selector.as_ref()));
            }
            r
        }
        Object::ConfigMap(cm) => {
            let n = cm.data.as_ref().map_or(0, |d| d.len())
                + cm.binary_data.as_ref().map_or(0, |d| d.len());
            vec![name, n.to_string(), a]
        }
        Object::Secret(s) => {
            let ty = s.type_.clone().unwrap_or_else(|| "Opaque".into());
            let n = s.data.as_ref().map_or(0, |d| d.len());
            vec![name, ty, n.to_string(), a]
        }
        Object::ServiceAccount(sa) => {
            let n = sa.secrets.as_ref().map_or(0, |s| s.len());
            vec![name, n.to_string(), a]
        }
        Object::Namespace(ns) => {
            let phase = ns
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default();
            vec![name, phase, a]
        }
        Object::Node(n) => {
            let st = n.status.clone().unwrap_or_default();
            let ready = st
                .conditions
                .iter()
                .flatten()
                .find(|c| c.type_ == "Ready")
                .map(|c| match c.status.as_str() {
                    "True" => "Ready",
                    "False" => "NotReady",
                    _ => "Unknown",
                })
                .unwrap_or("Unknown");
            let mut status = ready.to_string();
            if n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
                status.push_str(",SchedulingDisabled");
            }
            let mut roles: Vec<String> = Vec::new();
            for (k, v) in n.metadata.labels.iter().flatten() {
                if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
                    if !r.is_empty() {
                        roles.push(r.to_string());
                    }
                } else if k == "kubernetes.io/role" && !v.is_empty() {
                    roles.push(v.clone());
                }
            }
            kubeplay_sort::sort(&mut roles);
            roles.dedup();
            let info = st.node_info.clone().unwrap_or_default();
            let mut r = vec![
                name,
                status,
                none_if_empty(roles.join(",")),
                a,
                info.kubelet_version.clone(),
            ];
            if wide {
                let addr = |t: &str| {
                    st.addresses
                        .iter()
                        .flatten()
                        .find(|x| x.type_ == t)
                        .map(|x| x.address.clone())
                        .unwrap_or_else(|| "<none>".into())
                };
                r.push(addr("InternalIP"));
                r.push(addr("ExternalIP"));
                r.push(info.os_image.clone());
                r.push(info.kernel_version.clone());
                r.push(info.container_runtime_version.clone());
            }
            r
        }
        Object::Endpoints(ep) => vec![name, format_endpoints(ep), a],
        Object::Event(e) => event_row(e, now, wide),
    }
}

fn format_endpoints(ep: &Endpoints) -> String {
    let Some(subsets) = ep.subsets.as_ref().filter(|s| !s.is_empty()) else {
        return "<none>".into();
    };
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in subsets {
        let addrs = ss.addresses.as_deref().unwrap_or(&[]);
        let ports = ss.ports.as_deref().unwrap_or(&[]);
        if ports.is_empty() {
            count += addrs.len();
            for a in addrs {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for p in ports {
            count += addrs.len();
            for a in addrs {
                if list.len() == max {
                    more = true;
                    break;
                }
                if a.ip.contains(':') {
                    list.push(format!("[{}]:{}", a.ip, p.port));
                } else {
                    list.push(format!("{}:{}", a.ip, p.port));
                }
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

fn event_row(e: &Event, now: Millis, wide: bool) -> Vec<String> {
    let ts = |t: Option<&Time>| match t {
        Some(t) => age(Some(millis_of(t)), now),
        None => "<unknown>".to_string(),
    };
    let first = match e.first_timestamp.as_ref() {
        Some(t) => ts(Some(t)),
        None => match e.event_time.as_ref() {
            Some(mt) => age(Some(millis_of(&Time(mt.0))), now),
            None => "<unknown>".into(),
        },
    };
    let mut last = match e.last_timestamp.as_ref() {
        Some(t) => ts(Some(t)),
        None => first.clone(),
    };
    let mut count = e.count.unwrap_or(0);
    if let Some(s) = e.series.as_ref() {
        if let Some(t) = s.last_observed_time.as_ref() {
            last = age(Some(millis_of(&Time(t.0))), now);
        }
        count = s.count.unwrap_or(count);
    } else if count == 0 {
        count = 1;
    }
    let io = &e.involved_object;
    let kind = io.kind.clone().unwrap_or_default().to_lowercase();
    let target = match io.name.as_deref() {
        Some(n) if !n.is_empty() => format!("{kind}/{n}"),
        _ => kind,
    };
    let message = e.message.clone().unwrap_or_default().trim().to_string();
    let ty = e.type_.clone().unwrap_or_default();
    let reason = e.reason.clone().unwrap_or_default();
    if wide {
        let src = e.source.clone().unwrap_or_default();
        let mut source = src
            .component
            .clone()
            .filter(|c| !c.is_empty())
            .or_else(|| e.reporting_component.clone())
            .unwrap_or_default();
        let host = src
            .host
            .clone()
            .filter(|h| !h.is_empty())
            .or_else(|| e.reporting_instance.clone().filter(|h| !h.is_empty()));
        if let Some(h) = host {
            source = format!("{source}, {h}");
        }
        vec![
            last,
            ty,
            reason,
            target,
            io.field_path.clone().unwrap_or_default(),
            source,
            message,
            first,
            count.to_string(),
            e.metadata.name.clone().unwrap_or_default(),
        ]
    } else {
        vec![last, ty, reason, target, message]
    }
}

/// A table of objects of one kind (kept for callers that want the plain `get` table).
pub fn table_for(kind: Kind, objs: &[Object], now: Millis) -> Table {
    let mut t = Table::new(&headers(kind, false));
    for o in objs {
        t.push(row(o, now, false));
    }
    t
}

/// READY, STATUS and RESTARTS of a pod, by `printPod`'s rules.
pub fn pod_columns(p: &Pod, now: Millis) -> (String, String, String) {
    static NO_SPEC: std::sync::OnceLock<PodSpec> = std::sync::OnceLock::new();
    static NO_STATUS: std::sync::OnceLock<kubeplay_api::k8s_openapi::api::core::v1::PodStatus> =
        std::sync::OnceLock::new();
    let spec = p
        .spec
        .as_ref()
        .unwrap_or_else(|| NO_SPEC.get_or_init(PodSpec::default));
    let st = p
        .status
        .as_ref()
        .unwrap_or_else(|| NO_STATUS.get_or_init(Default::default));
    let total = spec.containers.len();
    let statuses: &[_] = st.container_statuses.as_deref().unwrap_or(&[]);
    let ready = statuses
        .iter()
        .filter(|c| c.ready && c.state.as_ref().is_some_and(|s| s.running.is_some()))
        .count();

    let mut reason = st.phase.clone().unwrap_or_else(|| "Pending".into());
    if let Some(r) = st.reason.clone() {
        reason = r;
    }
    let mut restarts = 0;
    let mut last_restart: Option<Millis> = None;
    let mut initializing = false;
    let inits: &[_] = st.init_container_statuses.as_deref().unwrap_or(&[]);
    let n_init = spec.init_containers.as_ref().map_or(0, |v| v.len());
    for (i, c) in inits.iter().enumerate() {
        restarts += c.restart_count;
        if let Some(t) = c
            .last_state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
            .and_then(|t| t.finished_at.as_ref())
        {
            last_restart = last_restart.max(Some(millis_of(t)));
        }
        let state = c.state.clone().unwrap_or_default();
        if let Some(t) = state.terminated.as_ref() {
            if t.exit_code == 0 {
                continue;
            }
            reason = match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ if t.signal.unwrap_or(0) != 0 => format!("Init:Signal:{}", t.signal.unwrap_or(0)),
                _ => format!("Init:ExitCode:{}", t.exit_code),
            };
            initializing = true;
            break;
        }
        if c.started == Some(true) && is_sidecar(spec, &c.name) {
            continue;
        }
        match state.waiting.as_ref().and_then(|w| w.reason.clone()) {
            Some(r) if !r.is_empty() && r != "PodInitializing" => reason = format!("Init:{r}"),
            _ => reason = format!("Init:{}/{}", i, n_init),
        }
        initializing = true;
        break;
    }
    if !initializing {
        restarts = 0;
        last_restart = None;
        let mut has_running = false;
        for c in statuses.iter().rev() {
            restarts += c.restart_count;
            if let Some(t) = c
                .last_state
                .as_ref()
                .and_then(|s| s.terminated.as_ref())
                .and_then(|t| t.finished_at.as_ref())
            {
                last_restart = last_restart.max(Some(millis_of(t)));
            }
            let state = c.state.clone().unwrap_or_default();
            if let Some(r) = state
                .waiting
                .as_ref()
                .and_then(|w| w.reason.clone())
                .filter(|r| !r.is_empty())
            {
                reason = r;
            } else if let Some(t) = state.terminated.as_ref() {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => r.to_string(),
                    _ if t.signal.unwrap_or(0) != 0 => format!("Signal:{}", t.signal.unwrap_or(0)),
                    _ => format!("ExitCode:{}", t.exit_code),
                };
            } else if c.ready && state.running.is_some() {
                has_running = true;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = st
                .conditions
                .iter()
                .flatten()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if p.metadata.deletion_timestamp.is_some()
        && !matches!(st.phase.as_deref(), Some("Succeeded" | "Failed"))
    {
        reason = if st.reason.as_deref() == Some("NodeLost") {
            "Unknown".into()
        } else {
            "Terminating".into()
        };
    }
    let restarts = match last_restart {
        Some(t) if restarts > 0 => {
            format!("{restarts} ({} ago)", human_duration(now as i64 - t as i64))
        }
        _ => restarts.to_string(),
    };
    (format!("{ready}/{total}"), reason, restarts)
}

fn is_sidecar(spec: &kubeplay_api::k8s_openapi::api::core::v1::PodSpec, name: &str) -> bool {
    spec.init_containers
        .iter()
        .flatten()
        .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
}
