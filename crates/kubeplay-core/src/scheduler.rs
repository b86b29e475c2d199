//! A small scheduler: honours `nodeName`, `nodeSelector` and NoSchedule taints, and spreads
//! pods to the least loaded node that fits.

use crate::events::NewEvent;
use crate::store::Key;
use crate::time::k8s_time;
use crate::World;
use kubeplay_api::k8s_openapi::api::core::v1::{
    Node, NodeAddress, NodeCondition, NodeStatus, NodeSystemInfo, Pod, PodCondition, PodStatus,
};
use kubeplay_api::Kind;
use std::collections::BTreeMap;

pub const KUBELET_VERSION: &str = "v1.34.1";

#[derive(Clone, Debug, Default)]
pub struct Scheduler {
    /// Pods bound to each node, kept as pods are bound and removed.
    load: BTreeMap<String, usize>,
}

impl Scheduler {
    pub(crate) fn unbind(&mut self, node: &str) {
        if let Some(n) = self.load.get_mut(node) {
            *n = n.saturating_sub(1);
        }
    }
}

pub fn node_status(name: &str) -> NodeStatus {
    let ip = if name == "controlplane" {
        "192.168.121.10"
    } else {
        "192.168.121.11"
    };
    let cond = |t: &str, s: &str, reason: &str, msg: &str| NodeCondition {
        type_: t.into(),
        status: s.into(),
        reason: Some(reason.into()),
        message: Some(msg.into()),
        last_heartbeat_time: Some(k8s_time(0)),
        last_transition_time: Some(k8s_time(0)),
    };
    NodeStatus {
        addresses: Some(vec![
            NodeAddress {
                type_: "InternalIP".into(),
                address: ip.into(),
            },
            NodeAddress {
                type_: "Hostname".into(),
                address: name.into(),
            },
        ]),
        conditions: Some(vec![
            cond(
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            cond(
                "DiskPressure",
                "False",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
            ),
            cond(
                "PIDPressure",
                "False",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
            cond(
                "Ready",
                "True",
                "KubeletReady",
                "kubelet is posting ready status",
            ),
        ]),
        node_info: Some(NodeSystemInfo {
            architecture: "amd64".into(),
            container_runtime_version: "containerd://1.7.28".into(),
            kernel_version: "6.8.0-1031-gcp".into(),
            kubelet_version: KUBELET_VERSION.into(),
            kube_proxy_version: KUBELET_VERSION.into(),
            operating_system: "linux".into(),
            os_image: "Ubuntu 24.04.3 LTS".into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn tolerates(pod: &Pod, node: &Node) -> bool {
    let tolerations = pod.spec.as_ref().and_then(|s| s.tolerations.as_ref());
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .all(|t| {
            t.effect != "NoSchedule"
                || tolerations.into_iter().flatten().any(|tol| {
                    let op = tol.operator.as_deref().unwrap_or("Equal");
                    let key_ok = tol
                        .key
                        .as_deref()
                        .is_none_or(|k| k.is_empty() || k == t.key);
                    let val_ok = op == "Exists"
                        || tol.value.as_deref().unwrap_or("") == t.value.as_deref().unwrap_or("");
                    let eff_ok = tol
                        .effect
                        .as_deref()
                        .is_none_or(|e| e.is_empty() || e == t.effect);
                    key_ok && val_ok && eff_ok
                })
        })
}

fn selects(pod: &Pod, node: &Node) -> bool {
    let empty = BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    pod.spec
        .as_ref()
        .and_then(|s| s.node_selector.as_ref())
        .into_iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v))
}

pub(crate) fn schedule(w: &mut World, k: &Key) {
    // Shared with the store, not copied; let go before the pod is written.
    let Some(pod) = w.store.pods.get_shared(k) else {
        return;
    };
    if pod.spec.as_ref().is_some_and(|s| s.node_name.is_some())
        || pod.metadata.deletion_timestamp.is_some()
    {
        return;
    }
    let load = &w.scheduler.load;
    // Compared borrowed: the names are copied only for the node chosen.
    let chosen = w
        .store
        .nodes
        .values()
        .filter(|n| tolerates(&pod, n) && selects(&pod, n))
        .min_by_key(|n| {
            let name = n.metadata.name.as_deref();
            (load.get(name.unwrap_or("")).copied().unwrap_or(0), name)
        })
        .and_then(|n| n.metadata.name.clone());
    let now = w.now();
    let Some(node) = chosen else {
        drop(pod);
        w.mutate::<Pod>(k, |p| {
            let st = p.status.get_or_insert_with(Default::default);
            let cond = PodCondition {
                type_: "PodScheduled".into(),
                status: "False".into(),
                reason: Some("Unschedulable".into()),
                message: Some("0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.".into()),
                last_transition_time: Some(k8s_time(now)),
                ..Default::default()
            };
            if st.conditions.as_ref().is_some_and(|c| c.iter().any(|c| c.type_ == "PodScheduled")) {
                return false;
            }
            st.phase = Some("Pending".into());
            st.conditions = Some(vec![cond]);
            true
        });
        return;
    };
    match w.scheduler.load.get_mut(&node) {
        Some(n) => *n += 1,
        None => {
            w.scheduler.load.insert(node.clone(), 1);
        }
    }
    // The event first, from the pod as it is (its metadata is what the event needs, and the
    // write below does not change it): the write only queues work, so the log is the same.
    w.record_event(NewEvent {
        kind: Kind::Pod,
        object: &pod.metadata,
        field_path: None,
        warning: false,
        reason: "Scheduled",
        message: ["Successfully assigned ", &k.0, "/", &k.1, " to ", &node].concat(),
        component: "default-scheduler",
        host: None,
    });
    drop(pod);
    w.mutate::<Pod>(k, |p| {
        p.spec.get_or_insert_with(Default::default).node_name = Some(node);
        p.status = Some(PodStatus {
            phase: Some("Pending".into()),
            qos_class: p.status.as_ref().and_then(|s| s.qos_class.clone()),
            conditions: Some(vec![PodCondition {
                type_: "PodScheduled".into(),
                status: "True".into(),
                last_transition_time: Some(k8s_time(now)),
                ..Default::default()
            }]),
            ..Default::default()
        });
        true
    });
}
