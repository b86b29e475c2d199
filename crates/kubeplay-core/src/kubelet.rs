//! The simulated kubelet: takes each scheduled pod through sandbox creation, image pulls and
//! container starts, reports status, and terminates pods that are being deleted.

use crate::events::NewEvent;
use crate::store::Key;
use crate::time::{k8s_time, Millis};
use crate::world::DeleteOptions;
use crate::{Task, World};
use kubeplay_api::k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateWaiting, ContainerStatus, Pod,
    PodCondition, PodIP,
};
use kubeplay_api::Kind;
use rand_core::RngCore;
use std::collections::{BTreeMap, BTreeSet};

/// Where the kubelet is with one pod.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stage {
    /// Creating the sandbox and pulling images; containers start at the given time.
    Creating {
        start_at: Millis,
    },
    Running,
    /// Containers are stopping; the pod object goes away at the given time.
    Terminating {
        gone_at: Millis,
    },
}

#[derive(Clone, Debug, Default)]
pub struct Kubelet {
    pods: BTreeMap<Key, Stage>,
    /// Images already pulled, per node.
    images: BTreeSet<(String, String)>,
    /// Last host byte handed out, per node.
    next_ip: BTreeMap<String, u32>,
}

/// How long the kubelet takes to notice a newly bound pod.
const PICKUP: Millis = 400;

fn event(
    w: &mut World,
    pod: &Pod,
    warning: bool,
    reason: &'static str,
    message: String,
    field_path: Option<String>,
) {
    let host = pod.spec.as_ref().and_then(|s| s.node_name.clone());
    w.record_event(NewEvent {
        kind: Kind::Pod,
        object: &pod.metadata,
        field_path,
        warning,
        reason,
        message,
        component: "kubelet",
        host,
    });
}

fn ready_condition(type_: &str, ready: bool, now: Millis) -> PodCondition {
    PodCondition {
        type_: type_.into(),
        status: if ready { "True" } else { "False" }.into(),
        reason: (!ready).then(|| "ContainersNotReady".into()),
        message: None,
        last_transition_time: Some(k8s_time(now)),
        ..Default::default()
    }
}

fn set_condition(conds: &mut Vec<PodCondition>, c: PodCondition) {
    if let Some(old) = conds.iter_mut().find(|o| o.type_ == c.type_) {
        if old.status != c.status {
            *old = c;
        }
    } else {
        conds.push(c);
    }
}

pub(crate) fn sync(w: &mut World, k: &Key) {
    let now = w.now();
    let Some(pod) = w.get::<Pod>(k).cloned() else {
        w.kubelet.pods.remove(k);
        return;
    };
    let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.clone()) else {
        return;
    };
    let stage = w.kubelet.pods.get(k).cloned();

    if let Some(del) = pod.metadata.deletion_timestamp.as_ref() {
        match stage {
            Some(Stage::Terminating { gone_at }) => {
                if now >= gone_at {
                    w.kubelet.pods.remove(k);
                    w.scheduler.unbind(&node);
                    w.remove::<Pod>(k);
                } else {
                    w.enqueue(Task::Kubelet(k.clone()), gone_at);
                }
            }
            _ => {
                let deadline = crate::time::millis_of(del);
                for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
                    event(
                        w,
                        &pod,
                        false,
                        "Killing",
                        format!("Stopping container {}", c.name),
                        Some(format!("spec.containers{{{}}}", c.name)),
                    );
                }
                // Servers stop on SIGTERM at once; the rest of the grace period is not needed.
                let gone_at = deadline.min(now + 1000);
                w.kubelet
                    .pods
                    .insert(k.clone(), Stage::Terminating { gone_at });
                w.enqueue(Task::Kubelet(k.clone()), gone_at);
            }
        }
        return;
    }

    match stage {
        None => {
            if now < pod_bound_at(&pod) + PICKUP {
                w.enqueue(Task::Kubelet(k.clone()), pod_bound_at(&pod) + PICKUP);
                return;
            }
            let ip = {
                let n = w.kubelet.next_ip.entry(node.clone()).or_insert(1);
                *n = if *n >= 254 { 2 } else { *n + 1 };
                let subnet = if node == "controlplane" { 0 } else { 1 };
                format!("10.244.{subnet}.{n}")
            };
            let host_ip = if node == "controlplane" {
                "192.168.121.10"
            } else {
                "192.168.121.11"
            };
            let mut start_at = now + 300;
            let containers = pod.spec.clone().unwrap_or_default().containers;
            for c in &containers {
                let image = c.image.clone().unwrap_or_default();
                let fp = Some(format!("spec.containers{{{}}}", c.name));
                if w.kubelet.images.insert((node.clone(), image.clone())) {
                    let took = 1500 + (w.rng().next_u32() % 2500) as Millis;
                    start_at += took;
                    event(
                        w,
                        &pod,
                        false,
                        "Pulling",
                        format!("Pulling image \"{image}\""),
                        fp.clone(),
                    );
                    let secs = format!("{}.{:03}s", took / 1000, took % 1000);
                    let size = 30_000_000 + (crate::names::fnv32a(image.as_bytes()) % 50_000_000);
                    event(w, &pod, false, "Pulled", format!("Successfully pulled image \"{image}\" in {secs} ({secs} including waiting). Image size: {size} bytes."), fp.clone());
                } else {
                    event(w, &pod, false, "Pulled", format!("Container image \"{image}\" already present on machine and can be accessed by the pod"), fp.clone());
                }
                event(
                    w,
                    &pod,
                    false,
                    "Created",
                    "Container created".into(),
                    fp.clone(),
                );
                event(w, &pod, false, "Started", "Container started".into(), fp);
            }
            w.mutate::<Pod>(k, |p| {
                let st = p.status.get_or_insert_with(Default::default);
                st.host_ip = Some(host_ip.into());
                st.pod_ip = Some(ip.clone());
                st.pod_ips = Some(vec![PodIP { ip: ip.clone() }]);
                st.start_time = Some(k8s_time(now));
                let conds = st.conditions.get_or_insert_with(Vec::new);
                set_condition(
                    conds,
                    ready_condition("PodReadyToStartContainers", true, now),
                );
                set_condition(conds, ready_condition("Initialized", true, now));
                set_condition(conds, ready_condition("Ready", false, now));
                set_condition(conds, ready_condition("ContainersReady", false, now));
                st.container_statuses = Some(
                    containers
                        .iter()
                        .map(|c| ContainerStatus {
                            name: c.name.clone(),
                            image: c.image.clone().unwrap_or_default(),
                            image_id: String::new(),
                            ready: false,
                            restart_count: 0,
                            started: Some(false),
                            state: Some(ContainerState {
                                waiting: Some(ContainerStateWaiting {
                                    reason: Some("ContainerCreating".into()),
                                    message: None,
                                }),
                                ..Default::default()
                            }),
                            ..Default::default()
                        })
                        .collect(),
                );
                true
            });
            w.kubelet
                .pods
                .insert(k.clone(), Stage::Creating { start_at });
            w.enqueue(Task::Kubelet(k.clone()), start_at);
        }
        Some(Stage::Creating { start_at }) => {
            if now < start_at {
                w.enqueue(Task::Kubelet(k.clone()), start_at);
                return;
            }
            w.mutate::<Pod>(k, |p| {
                let st = p.status.get_or_insert_with(Default::default);
                st.phase = Some("Running".into());
                for cs in st.container_statuses.iter_mut().flatten() {
                    cs.ready = true;
                    cs.started = Some(true);
                    cs.container_id = Some(format!(
                        "containerd://{:064x}",
                        crate::names::fnv32a(cs.name.as_bytes()) as u128 * (start_at as u128 + 1)
                    ));
                    cs.image_id = image_id(&cs.image);
                    cs.state = Some(ContainerState {
                        running: Some(ContainerStateRunning {
                            started_at: Some(k8s_time(now)),
                        }),
                        ..Default::default()
                    });
                }
                let conds = st.conditions.get_or_insert_with(Vec::new);
                set_condition(conds, ready_condition("Ready", true, now));
                set_condition(conds, ready_condition("ContainersReady", true, now));
                true
            });
            w.kubelet.pods.insert(k.clone(), Stage::Running);
        }
        Some(Stage::Running) | Some(Stage::Terminating { .. }) => {}
    }
}

fn pod_bound_at(p: &Pod) -> Millis {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "PodScheduled"))
        .and_then(|c| c.last_transition_time.as_ref())
        .map(crate::time::millis_of)
        .unwrap_or(0)
}

fn image_id(image: &str) -> String {
    let repo = image.split(':').next().unwrap_or(image);
    let repo = if repo.contains('/') {
        repo.to_string()
    } else {
        format!("library/{repo}")
    };
    format!(
        "docker.io/{repo}@sha256:{:064x}",
        crate::names::fnv32a(image.as_bytes())
    )
}

/// Mark a pod for deletion; the kubelet finishes it. `--force --grace-period=0` removes it now.
pub(crate) fn delete_pod(w: &mut World, k: &Key, opts: DeleteOptions) {
    let now = w.now();
    let Some(pod) = w.get::<Pod>(k) else { return };
    let grace = opts
        .grace_period
        .or(pod
            .spec
            .as_ref()
            .and_then(|s| s.termination_grace_period_seconds))
        .unwrap_or(30)
        .max(0);
    let unscheduled = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_ref())
        .is_none();
    let done = matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    );
    if (opts.force && grace == 0) || unscheduled || done {
        if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.clone()) {
            w.scheduler.unbind(&node);
        }
        w.kubelet.pods.remove(k);
        w.remove::<Pod>(k);
        return;
    }
    if pod.metadata.deletion_timestamp.is_some() {
        return;
    }
    w.mutate::<Pod>(k, |p| {
        p.metadata.deletion_timestamp = Some(k8s_time(now + grace as Millis * 1000));
        p.metadata.deletion_grace_period_seconds = Some(grace);
        true
    });
}

/// A ConfigMap or Secret changed: pods in its namespace that wait on it get another look.
pub(crate) fn config_changed(w: &mut World, _kind: Kind, k: &Key) {
    let keys: Vec<Key> = w
        .store
        .list::<Pod>(&k.0)
        .map(|p| crate::store::key_of(&p.metadata))
        .collect();
    for pk in keys {
        if matches!(w.kubelet.pods.get(&pk), Some(Stage::Creating { .. })) {
            w.enqueue_now(Task::Kubelet(pk));
        }
    }
}
