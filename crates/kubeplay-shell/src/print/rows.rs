//! The columns `kubectl get` prints for each kind (the API server's table convertors).

use super::age::{age, human_duration};
use super::table::Table;
use kubeplay_api::k8s_openapi::api::core::v1::Pod;
use kubeplay_api::{Kind, Object};
use kubeplay_core::time::{millis_of, Millis};

fn created(o: &Object) -> Option<Millis> {
    o.meta().creation_timestamp.as_ref().map(millis_of)
}

pub fn table_for(kind: Kind, objs: &[Object], now: Millis) -> Table {
    let mut t = match kind {
        Kind::Pod => Table::new(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]),
        Kind::Deployment => Table::new(&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]),
        Kind::ReplicaSet => Table::new(&["NAME", "DESIRED", "CURRENT", "READY", "AGE"]),
        _ => Table::new(&["NAME", "AGE"]),
    };
    for o in objs {
        let name = o.name().to_string();
        let a = age(created(o), now);
        let row = match o {
            Object::Pod(p) => {
                let (ready, status, restarts) = pod_columns(p, now);
                vec![name, ready, status, restarts, a]
            }
            Object::Deployment(d) => {
                let st = d.status.clone().unwrap_or_default();
                let want = d.spec.replicas.unwrap_or(1);
                vec![
                    name,
                    format!("{}/{}", st.ready_replicas.unwrap_or(0), want),
                    st.updated_replicas.unwrap_or(0).to_string(),
                    st.available_replicas.unwrap_or(0).to_string(),
                    a,
                ]
            }
            Object::ReplicaSet(rs) => {
                let st = rs.status.clone().unwrap_or_default();
                vec![
                    name,
                    rs.spec.replicas.unwrap_or(1).to_string(),
                    st.replicas.to_string(),
                    st.ready_replicas.unwrap_or(0).to_string(),
                    a,
                ]
            }
            _ => vec![name, a],
        };
        t.push(row);
    }
    t
}

/// READY, STATUS and RESTARTS of a pod, by `printPod`'s rules.
pub fn pod_columns(p: &Pod, now: Millis) -> (String, String, String) {
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    let total = spec.containers.len();
    let statuses = st.container_statuses.clone().unwrap_or_default();
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
    let inits = st.init_container_statuses.clone().unwrap_or_default();
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
        if c.started == Some(true) && is_sidecar(&spec, &c.name) {
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
