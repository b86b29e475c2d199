//! The ReplicaSet controller (`pkg/controller/replicaset`): keeps the number of active pods at
//! `spec.replicas`, deleting the least valuable pods first, and reports status.

use super::{controller_ref, is_active, is_available, ready_since};
use crate::events::NewEvent;
use crate::store::Key;
use crate::time::Millis;
use crate::{Task, World};
use kubeplay_api::k8s_openapi::api::apps::v1::{ReplicaSet, ReplicaSetCondition, ReplicaSetStatus};
use kubeplay_api::k8s_openapi::api::core::v1::Pod;
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_api::Kind;

/// The condition a ReplicaSet carries while it cannot create (or delete) its pods.
pub(crate) const REPLICA_FAILURE: &str = "ReplicaFailure";

/// The ReplicaSet controller's `BurstReplicas`.
const BURST_REPLICAS: usize = 500;

/// The most pods the cluster holds: past it, ReplicaSets fail to create pods (`FailedCreate`,
/// as under a quota) and try again later. Kubeplay's limit, not Kubernetes': the cluster lives
/// in a browser tab. Room for a 10,000-replica rolling update (its surge and terminating pods
/// included), not for several.
pub const MAX_PODS: usize = 25_000;

/// A ReplicaSet whose pods could not be created tries again after 5 ms, doubling with each
/// failure up to 1,000 s: the controller's work queue's per-item back-off.
fn create_retry(failures: u32) -> Millis {
    (5u64 << failures.min(20)).min(1_000_000) as Millis
}

pub(crate) fn sync(w: &mut World, k: &Key) {
    let Some(rs) = w.get::<ReplicaSet>(k) else {
        return;
    };
    if rs.metadata.deletion_timestamp.is_some() {
        return;
    }
    let uid = rs.metadata.uid.as_deref().unwrap_or_default();
    let want = rs.spec.replicas.unwrap_or(1).max(0) as usize;
    // The tally gives the active count at no cost; the pods are walked only when some must go.
    let active = w.store.pod_tally(uid).active.max(0) as usize;
    if active == want {
        if !w.rs_create_failures.is_empty() {
            w.rs_create_failures.remove(k);
        }
        update_status(w, k, None);
        return;
    }
    // What events about the ReplicaSet need of it.
    let meta = ObjectMeta {
        name: rs.metadata.name.clone(),
        namespace: rs.metadata.namespace.clone(),
        uid: rs.metadata.uid.clone(),
        ..Default::default()
    };
    let template = (active < want).then(|| PodFactory::new(rs));
    // `burstReplicas`: one sync creates or deletes at most 500 pods; the writes it makes queue
    // the next sync, which does the rest (a 1,000-replica scale-up is two syncs, as in
    // Kubernetes, so no single step of the simulation makes all of them).
    let doomed: Vec<Key> = if active > want {
        let uid = meta.uid.as_deref().unwrap_or_default();
        w.store
            .first_to_delete(uid, (active - want).min(BURST_REPLICAS))
    } else {
        Vec::new()
    };
    // The error that stopped this sync's creates, as the API server gave it.
    let mut create_error = None;
    if let Some(template) = template {
        let wanted = (want - active).min(BURST_REPLICAS);
        let room = w.max_pods.saturating_sub(w.store.pods.len());
        let ns = meta.namespace.as_deref().unwrap_or("default");
        let generate_name = [template.rs_name.as_str(), "-"].concat();
        match crate::serviceaccount::admit_pod(w, ns, &generate_name, &template.pod) {
            Ok(automount) => {
                for _ in 0..wanted.min(room) {
                    create_pod(w, &meta, &template, automount);
                }
                create_error = (room < wanted).then(|| {
                    format!(
                        "pods \"{generate_name}\" is forbidden: the cluster holds {} pods, the most kubeplay keeps (it runs the whole cluster in a browser tab)",
                        w.max_pods
                    )
                });
            }
            Err(e) => create_error = Some(e.message),
        }
    }
    if let Some(error) = &create_error {
        w.record_event(NewEvent {
            kind: Kind::ReplicaSet,
            object: &meta,
            field_path: None,
            warning: true,
            reason: "FailedCreate",
            message: ["Error creating: ", error].concat(),
            component: "replicaset-controller",
            host: None,
        });
        let failures = w.rs_create_failures.entry(k.clone()).or_insert(0);
        let delay = create_retry(*failures);
        *failures += 1;
        w.enqueue(Task::ReplicaSet(k.clone()), w.now() + delay);
    } else if !w.rs_create_failures.is_empty() {
        w.rs_create_failures.remove(k);
    }
    for pk in doomed {
        // `World::delete` for a pod, without the copy of it that kubectl gets back.
        if w.store.pods.contains_key(&pk) {
            crate::kubelet::delete_pod(w, &pk, Default::default());
        }
        w.record_event(NewEvent {
            kind: Kind::ReplicaSet,
            object: &meta,
            field_path: None,
            warning: false,
            reason: "SuccessfulDelete",
            message: ["Deleted pod: ", &pk.1].concat(),
            component: "replicaset-controller",
            host: None,
        });
    }
    update_status(w, k, create_error.as_deref());
}

/// The status conditions after a sync: a ReplicaFailure condition added on an error when
/// there is none, removed when the sync had no error, otherwise kept as it was.
fn failure_conditions(
    conds: Option<&Vec<ReplicaSetCondition>>,
    create_error: Option<&str>,
    now: Millis,
) -> Option<Vec<ReplicaSetCondition>> {
    let failing = conds.is_some_and(|c| {
        c.iter()
            .any(|c| c.type_.as_deref() == Some(REPLICA_FAILURE))
    });
    match (create_error, failing) {
        (Some(error), false) => {
            let mut out = conds.cloned().unwrap_or_default();
            out.push(ReplicaSetCondition {
                type_: Some(REPLICA_FAILURE.into()),
                status: Some("True".into()),
                reason: Some("FailedCreate".into()),
                message: Some(error.into()),
                last_transition_time: Some(crate::time::k8s_time(now)),
            });
            Some(out)
        }
        (None, true) => {
            let out: Vec<_> = conds
                .into_iter()
                .flatten()
                .filter(|c| c.type_.as_deref() != Some(REPLICA_FAILURE))
                .cloned()
                .collect();
            (!out.is_empty()).then_some(out)
        }
        _ => conds.cloned(),
    }
}

/// `getPodsToDelete` ranking (`ActivePodsWithRanks`): the pod that sorts first goes first.
/// Unassigned < assigned; Pending < Unknown < Running; not ready < ready; ready for less time <
/// ready for longer; more restarts < fewer; newer < older; then by name.
pub(crate) type Rank = (RankHead, crate::key::Name);

pub(crate) fn deletion_rank(p: &Pod) -> Rank {
    (
        rank_head(p),
        p.metadata.name.as_deref().unwrap_or("").into(),
    )
}

/// `Rank` without the pod's name.
pub(crate) type RankHead = (
    bool,
    u8,
    bool,
    std::cmp::Reverse<Millis>,
    std::cmp::Reverse<i32>,
    std::cmp::Reverse<Millis>,
);

pub(crate) fn rank_head(p: &Pod) -> RankHead {
    let assigned = p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some();
    let phase = match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
        Some("Pending") | None => 0,
        Some("Unknown") => 1,
        _ => 2,
    };
    let ready = ready_since(p);
    let restarts: i32 = p
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map(|cs| cs.iter().map(|c| c.restart_count).sum())
        .unwrap_or(0);
    let created = p
        .metadata
        .creation_timestamp
        .as_ref()
        .map(crate::time::millis_of)
        .unwrap_or(0);
    (
        assigned,
        phase,
        ready.is_some(),
        std::cmp::Reverse(ready.unwrap_or(0)),
        std::cmp::Reverse(restarts),
        std::cmp::Reverse(created),
    )
}

/// What every pod of one ReplicaSet starts from, built once per sync.
struct PodFactory {
    pod: Pod,
    rs_name: String,
}

impl PodFactory {
    fn new(rs: &ReplicaSet) -> PodFactory {
        let template = rs.spec.template.clone().unwrap_or_default();
        let tmeta = template.metadata.unwrap_or_default();
        let name = rs.metadata.name.clone().unwrap_or_default();
        let mut pod = Pod {
            metadata: ObjectMeta {
                generate_name: Some(format!("{name}-")),
                namespace: rs.metadata.namespace.clone(),
                labels: tmeta.labels,
                annotations: tmeta.annotations,
                owner_references: Some(vec![controller_ref("ReplicaSet", "apps/v1", &rs.metadata)]),
                ..Default::default()
            },
            spec: template.spec,
            status: Some(kubeplay_api::k8s_openapi::api::core::v1::PodStatus {
                phase: Some("Pending".into()),
                ..Default::default()
            }),
        };
        kubeplay_api::defaults::pod(&mut pod);
        // As the pod strategy's PrepareForCreate sets it, once for all the template's pods.
        let qos = pod
            .spec
            .as_ref()
            .map_or("BestEffort", kubeplay_api::quantity::pod_qos);
        if let Some(s) = pod.status.as_mut() {
            s.qos_class = Some(qos.into());
        }
        PodFactory { pod, rs_name: name }
    }
}

fn create_pod(w: &mut World, rs: &ObjectMeta, f: &PodFactory, automount: Option<bool>) {
    let pk = w.create_pod_internal(f.pod.clone(), automount);
    w.enqueue_now(Task::Schedule(pk.clone()));
    w.record_event(NewEvent {
        kind: Kind::ReplicaSet,
        object: rs,
        field_path: None,
        warning: false,
        reason: "SuccessfulCreate",
        message: ["Created pod: ", &pk.1].concat(),
        component: "replicaset-controller",
        host: None,
    });
}

/// Recount the status from the pods; wake up again when a pod will turn available.
/// `create_error` is what stopped this sync's creates: the ReplicaFailure condition comes
/// with the first such error and goes with the first sync without one (`calculateStatus`).
fn update_status(w: &mut World, k: &Key, create_error: Option<&str>) {
    let now = w.now();
    let Some(rs) = w.get::<ReplicaSet>(k) else {
        return;
    };
    // Borrowed until the status is built (every pod change brings its ReplicaSet here).
    let uid = rs.metadata.uid.as_deref().unwrap_or_default();
    let min_ready = rs.spec.min_ready_seconds.unwrap_or(0);
    let selector_labels = rs
        .spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.as_ref());
    let (mut replicas, mut labeled, mut ready, mut available) = (0, 0, 0, 0);
    let mut wake: Option<Millis> = None;
    let tally = w.store.pod_tally(uid);
    // Without minReadySeconds, available is ready, and the tally has both: no walk over the
    // pods. (Pods keep the template's labels, so every active pod counts as fully labeled.)
    let walk = min_ready > 0;
    if !walk {
        (replicas, labeled, ready, available) =
            (tally.active, tally.active, tally.ready, tally.ready);
    }
    // Counted, and the earliest wake taken: any order will do.
    let pods = walk.then(|| w.pods_of_unordered(uid)).into_iter().flatten();
    for p in pods {
        if !is_active(p) {
            continue;
        }
        replicas += 1;
        if selector_labels.is_none_or(|l| {
            l.iter()
                .all(|(k, v)| p.metadata.labels.as_ref().and_then(|pl| pl.get(k)) == Some(v))
        }) {
            labeled += 1;
        }
        if let Some(since) = ready_since(p) {
            ready += 1;
            if is_available(p, min_ready, now) {
                available += 1;
            } else {
                let at = since + min_ready as Millis * 1000;
                wake = Some(wake.map_or(at, |w: Millis| w.min(at)));
            }
        }
    }
    let generation = rs.metadata.generation;
    let status = ReplicaSetStatus {
        replicas,
        fully_labeled_replicas: (labeled > 0).then_some(labeled),
        ready_replicas: (ready > 0).then_some(ready),
        available_replicas: (available > 0).then_some(available),
        observed_generation: generation,
        conditions: failure_conditions(
            rs.status.as_ref().and_then(|s| s.conditions.as_ref()),
            create_error,
            now,
        ),
        terminating_replicas: None,
    };
    w.mutate::<ReplicaSet>(k, |r| {
        if r.status.as_ref() == Some(&status) {
            return false;
        }
        r.status = Some(status);
        true
    });
    if let Some(at) = wake {
        w.enqueue(Task::ReplicaSet(k.clone()), at);
    }
}
