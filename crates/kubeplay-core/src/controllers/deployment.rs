//! The Deployment controller, after `pkg/controller/deployment`: the dispatcher reads as a
//! priority list (deleted, paused, scaling event, then the strategy); each step does one thing,
//! updates status and returns.

use super::{controller_ref, is_terminal};
use crate::events::NewEvent;
use crate::refresh::{refresh, refresh_each, refresh_meta};
use crate::store::{key, key_of, Key};
use crate::table::FxBuild;
use crate::time::{k8s_time, millis_of, Millis};
use crate::{names, Task, World};
use kubeplay_api::intstr::resolve_fenceposts;
use kubeplay_api::k8s_openapi::api::apps::v1::{
    Deployment, DeploymentCondition, DeploymentSpec, DeploymentStatus, ReplicaSet, ReplicaSetSpec,
};
use kubeplay_api::k8s_openapi::api::core::v1::PodTemplateSpec;
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_api::selector::Selector;
use kubeplay_api::Kind;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
pub const HASH_LABEL: &str = "pod-template-hash";
const MAX_REV_HISTORY_CHARS: usize = 2000;

/// Annotations that stay on the Deployment and are never copied to its ReplicaSets.
pub const SKIP_COPY: &[&str] = &[
    LAST_APPLIED,
    REVISION,
    REVISION_HISTORY,
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    "deprecated.deployment.rollback.to",
];

// ----- arithmetic (deployment_util.go) -----

pub fn replicas(d: &Deployment) -> i32 {
    d.spec.replicas.unwrap_or(1)
}

fn is_rolling(d: &Deployment) -> bool {
    d.spec
        .strategy
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate")
        == "RollingUpdate"
}

/// (maxSurge, maxUnavailable) resolved against the desired replicas.
pub fn fenceposts(d: &Deployment) -> (i32, i32) {
    if !is_rolling(d) {
        return (0, 0);
    }
    let ru = d
        .spec
        .strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref());
    resolve_fenceposts(
        ru.and_then(|r| r.max_surge.as_ref()),
        ru.and_then(|r| r.max_unavailable.as_ref()),
        replicas(d),
    )
}

pub fn max_surge(d: &Deployment) -> i32 {
    fenceposts(d).0
}

/// `MaxUnavailable`: 0 unless rolling; never more than the replicas.
pub fn max_unavailable(d: &Deployment) -> i32 {
    let r = replicas(d);
    if !is_rolling(d) || r == 0 {
        return 0;
    }
    fenceposts(d).1.min(r)
}

fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.replicas.unwrap_or(0)
}

fn rs_status(rs: &ReplicaSet) -> (i32, i32, i32) {
    rs.status.as_ref().map_or((0, 0, 0), |s| {
        (
            s.replicas,
            s.ready_replicas.unwrap_or(0),
            s.available_replicas.unwrap_or(0),
        )
    })
}

pub fn revision(meta: &ObjectMeta) -> i64 {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(REVISION))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// A template without its pod-template-hash label, for `EqualIgnoreHash`.
pub fn template_without_hash(t: &PodTemplateSpec) -> PodTemplateSpec {
    let mut t = t.clone();
    if let Some(m) = t.metadata.as_mut() {
        if let Some(l) = m.labels.as_mut() {
            l.remove(HASH_LABEL);
            if l.is_empty() {
                m.labels = None;
            }
        }
    }
    t
}

pub fn template_hash(t: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    // By way of a Value: k8s-openapi writes every struct's fields in sorted order, as a Value
    // keeps its keys, so the bytes are the same (through kubeplay_api's field tables).
    let t = kubeplay_api::codec::to_value(t);
    let canonical = serde_json::to_vec(&t).expect("templates serialize");
    names::pod_template_hash(&canonical, collision_count)
}

/// `EqualIgnoreHash` without copying either template: equal but for the pod-template-hash
/// label (labels that are empty once it is gone count as no labels).
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    if a.spec != b.spec {
        return false;
    }
    let (a, b) = match (a.metadata.as_ref(), b.metadata.as_ref()) {
        (None, None) => return true,
        (Some(a), Some(b)) => (a, b),
        _ => return false,
    };
    let ObjectMeta {
        annotations,
        creation_timestamp,
        deletion_grace_period_seconds,
        deletion_timestamp,
        finalizers,
        generate_name,
        generation,
        labels: _,
        managed_fields,
        name,
        namespace,
        owner_references,
        resource_version,
        self_link,
        uid,
    } = a;
    fn labels(m: &ObjectMeta) -> impl Iterator<Item = (&String, &String)> {
        m.labels
            .iter()
            .flatten()
            .filter(|(k, _)| k.as_str() != HASH_LABEL)
    }
    *annotations == b.annotations
        && *creation_timestamp == b.creation_timestamp
        && *deletion_grace_period_seconds == b.deletion_grace_period_seconds
        && *deletion_timestamp == b.deletion_timestamp
        && *finalizers == b.finalizers
        && *generate_name == b.generate_name
        && *generation == b.generation
        && *managed_fields == b.managed_fields
        && *name == b.name
        && *namespace == b.namespace
        && *owner_references == b.owner_references
        && *resource_version == b.resource_version
        && *self_link == b.self_link
        && *uid == b.uid
        && labels(a).eq(labels(b))
}

// ----- the dispatcher -----

/// What one sync works from: copies of the Deployment and its ReplicaSets, without their pod
/// templates (those stay in the store; only finding the new ReplicaSet and creating one read
/// them). A context is reloaded only when the store has been written since it was taken.
struct Ctx {
    /// Shared with the copies cache ([`Copies`]).
    d: Rc<Deployment>,
    key: Key,
    /// All ReplicaSets the Deployment controls, oldest first.
    rss: Vec<Rc<ReplicaSet>>,
    /// Which of `rss` has the Deployment's template (`FindNewReplicaSet`).
    new_idx: Option<usize>,
    /// The store's write count when this was loaded.
    stamp: u64,
}

impl Ctx {
    fn new_rs(&self) -> Option<&ReplicaSet> {
        self.new_idx.map(|i| &*self.rss[i])
    }
    fn old_rss(&self) -> Vec<&ReplicaSet> {
        self.rss
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != self.new_idx)
            .map(|(_, r)| &**r)
            .collect()
    }
}

fn load(w: &mut World, k: &Key) -> Option<Ctx> {
    adopt_orphans(w, k);
    let d = w.get::<Deployment>(k)?;
    let rss = w.replicasets_of(d);
    let known = w
        .copies
        .new_rs
        .get(k)
        .filter(|m| m.holds(d, &rss))
        .map(|m| m.new_idx);
    let new_idx = known.unwrap_or_else(|| {
        rss.iter().position(|rs| {
            rs.spec
                .template
                .as_ref()
                .is_some_and(|t| equal_ignore_hash(t, &d.spec.template))
        })
    });
    let memo = known.is_none().then(|| NewRs::of(d, &rss, new_idx));
    let keys: Vec<Key> = rss.iter().map(|r| key_of(&r.metadata)).collect();
    if let Some(m) = memo {
        w.copies.new_rs.insert(k.clone(), m);
    }
    // Copy without the templates (see `rs_copy`).
    let d = deployment_copy(w, k)?;
    let rss = keys.iter().filter_map(|rk| rs_copy(w, rk)).collect();
    Some(Ctx {
        d,
        key: k.clone(),
        rss,
        new_idx,
        stamp: w.store.writes(),
    })
}

/// Copies of Deployments and ReplicaSets without their pod templates, as the controller
/// last took them. Every write gives an object a new resourceVersion, so a copy whose
/// resourceVersion (and uid) is the stored object's is current, and the next sync shares
/// it instead of copying again.
#[derive(Clone, Debug, Default)]
pub(crate) struct Copies {
    deployments: HashMap<Key, Rc<Deployment>, FxBuild>,
    replicasets: HashMap<Key, Rc<ReplicaSet>, FxBuild>,
    /// Which ReplicaSet was found new, by Deployment.
    new_rs: HashMap<Key, NewRs, FxBuild>,
}

/// The outcome of `FindNewReplicaSet` and what it was found from. A template is part of its
/// object's spec, and every change of a Deployment's or ReplicaSet's spec moves its
/// generation (the API server's update, `scale_rs`); a deleted and recreated object has
/// another uid. So while the uids and generations are the same, in the same order, so is
/// the answer, and the templates are not compared again.
#[derive(Clone, Debug)]
struct NewRs {
    deployment: (String, Option<i64>),
    rss: Vec<(String, Option<i64>)>,
    new_idx: Option<usize>,
}

fn stamp(m: &ObjectMeta) -> (&str, Option<i64>) {
    (m.uid.as_deref().unwrap_or(""), m.generation)
}

impl NewRs {
    fn of(d: &Deployment, rss: &[&ReplicaSet], new_idx: Option<usize>) -> NewRs {
        let own = |m: &ObjectMeta| {
            let (uid, g) = stamp(m);
            (uid.to_string(), g)
        };
        NewRs {
            deployment: own(&d.metadata),
            rss: rss.iter().map(|r| own(&r.metadata)).collect(),
            new_idx,
        }
    }

    fn holds(&self, d: &Deployment, rss: &[&ReplicaSet]) -> bool {
        let same =
            |(uid, g): &(String, Option<i64>), m: &ObjectMeta| stamp(m) == (uid.as_str(), *g);
        same(&self.deployment, &d.metadata)
            && self.rss.len() == rss.len()
            && self.rss.iter().zip(rss).all(|(s, r)| same(s, &r.metadata))
    }
}

fn current(copy: &ObjectMeta, live: &ObjectMeta) -> bool {
    copy.resource_version == live.resource_version && copy.uid == live.uid
}

/// A copy of a Deployment without its pod template.
fn deployment_copy(w: &mut World, k: &Key) -> Option<Rc<Deployment>> {
    let live = w.store.deployments.get(k)?;
    if let Some(c) = w.copies.deployments.get_mut(k) {
        if current(&c.metadata, &live.metadata) {
            return Some(c.clone());
        }
        // Not shared (no context holds it): bring it up to date field by field, copying
        // only what changed (mostly the status and the resourceVersion).
        if let Some(m) = Rc::get_mut(c).filter(|m| m.metadata.uid == live.metadata.uid) {
            refresh_meta(&mut m.metadata, &live.metadata);
            let DeploymentSpec {
                min_ready_seconds,
                paused,
                progress_deadline_seconds,
                replicas,
                revision_history_limit,
                selector,
                strategy,
                template: _,
            } = &live.spec;
            let spec = &mut m.spec;
            refresh(&mut spec.min_ready_seconds, min_ready_seconds);
            refresh(&mut spec.paused, paused);
            refresh(
                &mut spec.progress_deadline_seconds,
                progress_deadline_seconds,
            );
            refresh(&mut spec.replicas, replicas);
            refresh(&mut spec.revision_history_limit, revision_history_limit);
            refresh(&mut spec.selector, selector);
            refresh(&mut spec.strategy, strategy);
            match (&mut m.status, &live.status) {
                (Some(c), Some(l)) => refresh_deployment_status(c, l),
                (c, l) => refresh(c, l),
            }
            return Some(c.clone());
        }
    }
    let d = w.store.deployments.get_mut(k)?;
    let t = std::mem::take(&mut d.spec.template);
    let c = Rc::new(d.clone());
    d.spec.template = t;
    w.copies.deployments.insert(k.clone(), c.clone());
    Some(c)
}

/// A copy of a ReplicaSet without its pod template.
fn rs_copy(w: &mut World, k: &Key) -> Option<Rc<ReplicaSet>> {
    let live = w.store.replicasets.get(k)?;
    if let Some(c) = w.copies.replicasets.get_mut(k) {
        if current(&c.metadata, &live.metadata) {
            return Some(c.clone());
        }
        // As in `deployment_copy`: an unshared copy is updated in place.
        if let Some(m) = Rc::get_mut(c).filter(|m| m.metadata.uid == live.metadata.uid) {
            refresh_meta(&mut m.metadata, &live.metadata);
            let ReplicaSetSpec {
                min_ready_seconds,
                replicas,
                selector,
                template: _,
            } = &live.spec;
            let spec = &mut m.spec;
            refresh(&mut spec.min_ready_seconds, min_ready_seconds);
            refresh(&mut spec.replicas, replicas);
            refresh(&mut spec.selector, selector);
            refresh(&mut m.status, &live.status);
            return Some(c.clone());
        }
    }
    // Take the template out, copy, put it back: no write, as the store's indexes do not look
    // at templates.
    let rs = w.store.replicasets.get_mut(k)?;
    let t = rs.spec.template.take();
    let c = Rc::new(rs.clone());
    rs.spec.template = t;
    w.copies.replicasets.insert(k.clone(), c.clone());
    Some(c)
}

/// `refresh` for a Deployment's status: the counts, and each condition on its own.
fn refresh_deployment_status(copy: &mut DeploymentStatus, live: &DeploymentStatus) {
    let DeploymentStatus {
        available_replicas,
        collision_count,
        conditions,
        observed_generation,
        ready_replicas,
        replicas,
        terminating_replicas,
        unavailable_replicas,
        updated_replicas,
    } = live;
    copy.available_replicas = *available_replicas;
    copy.collision_count = *collision_count;
    copy.observed_generation = *observed_generation;
    copy.ready_replicas = *ready_replicas;
    copy.replicas = *replicas;
    copy.terminating_replicas = *terminating_replicas;
    copy.unavailable_replicas = *unavailable_replicas;
    copy.updated_replicas = *updated_replicas;
    refresh_each(&mut copy.conditions, conditions, |c, l| {
        let DeploymentCondition {
            last_transition_time,
            last_update_time,
            message,
            reason,
            status,
            type_,
        } = l;
        refresh(&mut c.last_transition_time, last_transition_time);
        refresh(&mut c.last_update_time, last_update_time);
        refresh(&mut c.message, message);
        refresh(&mut c.reason, reason);
        refresh(&mut c.status, status);
        refresh(&mut c.type_, type_);
    });
}

/// The context again, as the store has it now.
fn reload(w: &mut World, cx: Ctx) -> Ctx {
    if cx.stamp == w.store.writes() {
        return cx;
    }
    // Let go of the old copies first, so that the cache can update them in place.
    let Ctx { key, d, rss, .. } = cx;
    drop((d, rss));
    load(w, &key).expect("there")
}

pub(crate) fn sync(w: &mut World, k: &Key) {
    let Some(cx) = load(w, k) else { return };
    let d = &cx.d;
    if d.metadata.deletion_timestamp.is_some() {
        sync_status_only(w, &cx);
        return;
    }
    let selector_empty = d
        .spec
        .selector
        .match_labels
        .as_ref()
        .is_none_or(|m| m.is_empty())
        && d.spec
            .selector
            .match_expressions
            .as_ref()
            .is_none_or(|m| m.is_empty());
    if selector_empty {
        event(
            w,
            d,
            true,
            "SelectingAll",
            "This deployment is selecting all pods. A non-empty selector is required.".into(),
        );
        w.mutate::<Deployment>(k, |d| {
            let st = d.status.get_or_insert_with(Default::default);
            let g = d.metadata.generation;
            if st.observed_generation == g {
                return false;
            }
            st.observed_generation = g;
            true
        });
        return;
    }
    check_paused_conditions(w, &cx);
    let cx = reload(w, cx);
    if cx.d.spec.paused == Some(true) {
        sync_scaling(w, cx);
        return;
    }
    if is_scaling_event(&cx) {
        sync_scaling(w, cx);
        return;
    }
    if is_rolling(&cx.d) {
        rollout_rolling(w, cx);
    } else {
        rollout_recreate(w, cx);
    }
}

fn event(w: &mut World, d: &Deployment, warning: bool, reason: &'static str, message: String) {
    w.record_event(NewEvent {
        kind: Kind::Deployment,
        object: &d.metadata,
        field_path: None,
        warning,
        reason,
        message,
        component: "deployment-controller",
        host: None,
    });
}

/// Take ReplicaSets that match the selector and have no controller.
fn adopt_orphans(w: &mut World, k: &Key) {
    let Some(d) = w.get::<Deployment>(k) else {
        return;
    };
    let ns = d.metadata.namespace.as_deref().unwrap_or_default();
    let orphan = |rs: &&ReplicaSet| {
        rs.metadata
            .owner_references
            .as_ref()
            .is_none_or(|o| o.iter().all(|r| r.controller != Some(true)))
            && rs.metadata.deletion_timestamp.is_none()
    };
    // Almost always every ReplicaSet has its controller: then there is no selector to build.
    if !w.store.list::<ReplicaSet>(ns).any(|rs| orphan(&rs)) {
        return;
    }
    let Ok(sel) = Selector::from_label_selector(&d.spec.selector) else {
        return;
    };
    if sel.is_empty() {
        return;
    }
    let orphans: Vec<Key> = w
        .store
        .list::<ReplicaSet>(ns)
        .filter(orphan)
        .filter(|rs| sel.matches(rs.metadata.labels.as_ref()))
        .map(|rs| key_of(&rs.metadata))
        .collect();
    if orphans.is_empty() {
        return;
    }
    let r = controller_ref("Deployment", "apps/v1", &d.metadata);
    for rk in orphans {
        let r = r.clone();
        w.mutate::<ReplicaSet>(&rk, |rs| {
            rs.metadata
                .owner_references
                .get_or_insert_with(Vec::new)
                .push(r);
            true
        });
    }
}

fn is_scaling_event(cx: &Ctx) -> bool {
    let want = replicas(&cx.d);
    cx.rss.iter().filter(|r| rs_replicas(r) > 0).any(|rs| {
        rs.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(DESIRED_REPLICAS))
            .is_some_and(|v| !is_decimal(v, want))
    })
}

/// `s == n.to_string()`, without writing `n` out on the heap (every sync asks).
fn is_decimal(s: &str, n: i32) -> bool {
    let mut buf = [0u8; 11];
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    s.as_bytes() == &buf[i..]
}

// ----- ReplicaSets: finding, creating, scaling -----

/// `getAllReplicaSetsAndSyncRevision`: find (or create) the new RS and keep revisions and
/// annotations in step. Returns the reloaded context and the new RS's key.
fn sync_revision(w: &mut World, cx: Ctx, create: bool) -> (Ctx, Option<Key>) {
    let max_old = cx
        .old_rss()
        .iter()
        .map(|r| revision(&r.metadata))
        .max()
        .unwrap_or(0);
    let new_revision = (max_old + 1).to_string();
    let d = cx.d.clone();
    let now = w.now();
    let new_key = if let Some(existing) = cx.new_rs() {
        let rk = key_of(&existing.metadata);
        let min_ready = d.spec.min_ready_seconds;
        let rev = new_revision.clone();
        w.mutate::<ReplicaSet>(&rk, |rs| {
            let mut changed = set_new_rs_annotations(&d, rs, &rev, true);
            let spec = &mut rs.spec;
            if spec.min_ready_seconds != min_ready {
                spec.min_ready_seconds = min_ready;
                changed = true;
            }
            changed
        });
        let rs_rev = w
            .get::<ReplicaSet>(&rk)
            .and_then(|r| r.metadata.annotations.as_ref()?.get(REVISION).cloned())
            .unwrap_or_default();
        let name = rk.1.clone();
        w.mutate::<Deployment>(&cx.key, |dd| {
            let mut changed = set_annotation(&mut dd.metadata, REVISION, &rs_rev);
            let deadline = has_progress_deadline(dd);
            let st = dd.status.get_or_insert_with(Default::default);
            if progressing(st).is_none() && deadline {
                set_condition(
                    st,
                    condition(
                        "Progressing",
                        "True",
                        "FoundNewReplicaSet",
                        format!("Found new replica set \"{name}\""),
                        now,
                    ),
                );
                changed = true;
            }
            changed
        });
        Some(rk)
    } else if create {
        create_new_rs(w, &cx, &new_revision)
    } else {
        None
    };
    drop(d);
    let cx = reload(w, cx);
    (cx, new_key)
}

fn set_annotation(m: &mut ObjectMeta, k: &str, v: &str) -> bool {
    if m.annotations
        .as_ref()
        .and_then(|a| a.get(k))
        .map(String::as_str)
        == Some(v)
    {
        return false;
    }
    m.annotations
        .get_or_insert_with(BTreeMap::new)
        .insert(k.into(), v.into());
    true
}

/// `SetNewReplicaSetAnnotations`.
fn set_new_rs_annotations(
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: &str,
    exists: bool,
) -> bool {
    let mut changed = false;
    for (k, v) in d.metadata.annotations.iter().flatten() {
        if SKIP_COPY.contains(&k.as_str()) {
            continue;
        }
        changed |= set_annotation(&mut rs.metadata, k, v);
    }
    let ann = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let old = ann.get(REVISION).cloned();
    let old_n: i64 = old.as_deref().and_then(|o| o.parse().ok()).unwrap_or(0);
    let new_n: i64 = new_revision.parse().unwrap_or(0);
    if old_n < new_n {
        ann.insert(REVISION.into(), new_revision.into());
        changed = true;
        if let Some(old) = old {
            let hist = ann.get(REVISION_HISTORY).cloned().unwrap_or_default();
            let mut revs: Vec<String> = if hist.is_empty() {
                vec![]
            } else {
                hist.split(',').map(String::from).collect()
            };
            let mut total = hist.len() + old.len() + 1;
            while total > MAX_REV_HISTORY_CHARS && !revs.is_empty() {
                total -= revs.remove(0).len() + 1;
            }
            revs.push(old);
            ann.insert(REVISION_HISTORY.into(), revs.join(","));
        }
    }
    if !exists {
        changed |= set_replicas_annotations(rs, replicas(d), replicas(d) + max_surge(d));
    }
    changed
}

fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let a = set_annotation(&mut rs.metadata, DESIRED_REPLICAS, &desired.to_string());
    let b = set_annotation(&mut rs.metadata, MAX_REPLICAS, &max.to_string());
    a || b
}

fn create_new_rs(w: &mut World, cx: &Ctx, new_revision: &str) -> Option<Key> {
    let d = &cx.d;
    let collision = d.status.as_ref().and_then(|s| s.collision_count);
    // The context's copy has no template: the store's Deployment has it.
    let mut template = w.get::<Deployment>(&cx.key)?.spec.template.clone();
    let hash = template_hash(&template, collision);
    let name = format!("{}-{}", d.metadata.name.as_deref().unwrap_or(""), hash);
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    let rk = key(&ns, &name);
    if w.get::<ReplicaSet>(&rk).is_some() {
        // Same name, other template: bump the collision count and try again.
        w.mutate::<Deployment>(&cx.key, |dd| {
            let st = dd.status.get_or_insert_with(Default::default);
            st.collision_count = Some(st.collision_count.unwrap_or(0) + 1);
            true
        });
        return None;
    }
    let tm = template.metadata.get_or_insert_with(Default::default);
    tm.labels
        .get_or_insert_with(BTreeMap::new)
        .insert(HASH_LABEL.into(), hash.clone());
    let mut selector = d.spec.selector.clone();
    selector
        .match_labels
        .get_or_insert_with(BTreeMap::new)
        .insert(HASH_LABEL.into(), hash.clone());
    let (surge_total, all): (i32, i32) = (
        replicas(d) + max_surge(d),
        cx.rss.iter().map(|r| rs_replicas(r)).sum(),
    );
    let new_replicas = new_rs_new_replicas(d, all, 0, surge_total);
    let mut rs = ReplicaSet {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(ns),
            labels: tm.labels.clone(),
            owner_references: Some(vec![controller_ref("Deployment", "apps/v1", &d.metadata)]),
            ..Default::default()
        },
        spec: ReplicaSetSpec {
            replicas: Some(new_replicas),
            min_ready_seconds: d.spec.min_ready_seconds,
            selector,
            template: Some(template),
        },
        status: None,
    };
    set_new_rs_annotations(d, &mut rs, new_revision, false);
    let rk = w.create_internal(rs);
    if new_replicas > 0 {
        event(
            w,
            d,
            false,
            "ScalingReplicaSet",
            format!("Scaled up replica set {name} to {new_replicas}"),
        );
    }
    let now = w.now();
    let rev = new_revision.to_string();
    w.mutate::<Deployment>(&cx.key, |dd| {
        set_annotation(&mut dd.metadata, REVISION, &rev);
        if has_progress_deadline(dd) {
            let st = dd.status.get_or_insert_with(Default::default);
            set_condition(
                st,
                condition(
                    "Progressing",
                    "True",
                    "NewReplicaSetCreated",
                    format!("Created new replica set \"{name}\""),
                    now,
                ),
            );
        }
        true
    });
    Some(rk)
}

/// `NewRSNewReplicas`.
fn new_rs_new_replicas(d: &Deployment, all_pods: i32, new_rs_replicas: i32, max_total: i32) -> i32 {
    if !is_rolling(d) {
        return replicas(d);
    }
    if all_pods >= max_total {
        return new_rs_replicas;
    }
    let up = (max_total - all_pods).min(replicas(d) - new_rs_replicas);
    new_rs_replicas + up.max(0)
}

/// `scaleReplicaSet`: set the size and the replica annotations; an event when the size moved.
fn scale_rs(w: &mut World, d: &Deployment, rk: &Key, to: i32) -> bool {
    let Some(rs) = w.get::<ReplicaSet>(rk) else {
        return false;
    };
    let from = rs_replicas(rs);
    let (desired, max) = (replicas(d), replicas(d) + max_surge(d));
    let ann = |k: &str, n: i32| {
        rs.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(k))
            .is_some_and(|v| is_decimal(v, n))
    };
    let ann_ok = ann(DESIRED_REPLICAS, desired) && ann(MAX_REPLICAS, max);
    if from == to && ann_ok {
        return false;
    }
    w.mutate::<ReplicaSet>(rk, |rs| {
        if rs.spec.replicas != Some(to) {
            // A spec change through the API: the generation moves.
            rs.metadata.generation = Some(rs.metadata.generation.unwrap_or(1) + 1);
        }
        rs.spec.replicas = Some(to);
        set_replicas_annotations(rs, desired, max);
        true
    });
    if from != to {
        let dir = if to > from { "up" } else { "down" };
        event(
            w,
            d,
            false,
            "ScalingReplicaSet",
            format!("Scaled {dir} replica set {} to {to} from {from}", rk.1),
        );
    }
    from != to
}

fn scale_rs_if_needed(w: &mut World, d: &Deployment, rs: &ReplicaSet, to: i32) -> bool {
    if rs_replicas(rs) == to {
        return false;
    }
    scale_rs(w, d, &key_of(&rs.metadata), to)
}

// ----- RollingUpdate (rolling.go) -----

fn rollout_rolling(w: &mut World, cx: Ctx) {
    let (cx, new_key) = sync_revision(w, cx, true);
    let Some(new_key) = new_key else {
        sync_rollout_status(w, &cx, None);
        return;
    };
    let d = cx.d.clone();
    let new_rs = rs_copy(w, &new_key).expect("new RS exists");
    // Scale up, if we can.
    let all_pods: i32 = cx.rss.iter().map(|r| rs_replicas(r)).sum();
    let new_replicas = rs_replicas(&new_rs);
    let scaled_up = if new_replicas == replicas(&d) {
        false
    } else if new_replicas > replicas(&d) {
        scale_rs_if_needed(w, &d, &new_rs, replicas(&d))
    } else {
        let to = new_rs_new_replicas(&d, all_pods, new_replicas, replicas(&d) + max_surge(&d));
        scale_rs_if_needed(w, &d, &new_rs, to)
    };
    if scaled_up {
        drop((d, new_rs));
        let cx = reload(w, cx);
        sync_rollout_status(w, &cx, Some(&new_key));
        return;
    }
    // Scale down, if we can.
    let scaled_down = reconcile_old(w, &cx, &new_rs);
    // Shared copies cannot be refreshed in place by `reload`.
    drop((d, new_rs));
    if scaled_down {
        let cx = reload(w, cx);
        sync_rollout_status(w, &cx, Some(&new_key));
        return;
    }
    let cx = reload(w, cx);
    if let Some(st) = cx.d.status.as_ref() {
        if deployment_complete(&cx.d, st) {
            cleanup(w, &cx);
        }
    }
    let cx = reload(w, cx);
    sync_rollout_status(w, &cx, Some(&new_key));
}

/// `reconcileOldReplicaSets`.
fn reconcile_old(w: &mut World, cx: &Ctx, new_rs: &ReplicaSet) -> bool {
    let d = &cx.d;
    let olds = cx.old_rss();
    let old_pods: i32 = olds.iter().map(|r| rs_replicas(r)).sum();
    if old_pods == 0 {
        return false;
    }
    let all_pods: i32 = cx.rss.iter().map(|r| rs_replicas(r)).sum();
    let min_available = replicas(d) - max_unavailable(d);
    let new_unavailable = rs_replicas(new_rs) - rs_status(new_rs).2;
    let max_scaled_down = all_pods - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return false;
    }
    // Clean up unhealthy replicas first, otherwise they block the rollout.
    let mut cleaned = 0;
    let active_olds: Vec<&ReplicaSet> = olds.into_iter().filter(|r| rs_replicas(r) > 0).collect();
    for rs in &active_olds {
        if cleaned >= max_scaled_down {
            break;
        }
        let (spec, avail) = (rs_replicas(rs), rs_status(rs).2);
        if spec == 0 || spec == avail {
            continue;
        }
        let down = (max_scaled_down - cleaned).min(spec - avail);
        scale_rs(w, d, &key_of(&rs.metadata), spec - down);
        cleaned += down;
    }
    // Then scale down what the availability budget allows.
    let fresh;
    let rss: &[Rc<ReplicaSet>] = if cx.stamp == w.store.writes() {
        &cx.rss
    } else {
        fresh = load(w, &cx.key).map(|c| c.rss).unwrap_or_default();
        &fresh
    };
    let available: i32 = rss.iter().map(|r| rs_status(r).2).sum();
    let mut scaled = 0;
    if available > min_available {
        let total = available - min_available;
        let new_name = new_rs.metadata.name.clone();
        for rs in rss
            .iter()
            .filter(|r| r.metadata.name != new_name && rs_replicas(r) > 0)
        {
            if scaled >= total {
                break;
            }
            let down = rs_replicas(rs).min(total - scaled);
            scale_rs(w, d, &key_of(&rs.metadata), rs_replicas(rs) - down);
            scaled += down;
        }
    }
    cleaned + scaled > 0
}

// ----- Recreate (recreate.go) -----

fn rollout_recreate(w: &mut World, cx: Ctx) {
    let (cx, new_key) = sync_revision(w, cx, false);
    let d = cx.d.clone();
    let mut scaled = false;
    for rs in cx
        .old_rss()
        .into_iter()
        .filter(|r| rs_replicas(r) > 0)
        .cloned()
        .collect::<Vec<_>>()
    {
        scaled |= scale_rs_if_needed(w, &d, &rs, 0);
    }
    if scaled {
        let cx = reload(w, cx);
        sync_rollout_status(w, &cx, new_key.as_ref());
        return;
    }
    if old_pods_running(w, &cx) {
        sync_rollout_status(w, &cx, new_key.as_ref());
        return;
    }
    let (cx, new_key) = match new_key {
        Some(k) => (cx, Some(k)),
        None => sync_revision(w, cx, true),
    };
    if let Some(nk) = new_key.as_ref() {
        if let Some(rs) = rs_copy(w, nk) {
            scale_rs_if_needed(w, &d, &rs, replicas(&d));
        }
    }
    let cx = reload(w, cx);
    if let Some(st) = cx.d.status.as_ref() {
        if deployment_complete(&cx.d, st) {
            cleanup(w, &cx);
        }
    }
    let cx = reload(w, cx);
    sync_rollout_status(w, &cx, new_key.as_ref());
}

fn old_pods_running(w: &World, cx: &Ctx) -> bool {
    for rs in cx.old_rss() {
        if rs_status(rs).0 > 0 {
            return true;
        }
        let uid = rs.metadata.uid.as_deref().unwrap_or("");
        if w.pods_of_unordered(uid).any(|p| !is_terminal(p)) {
            return true;
        }
    }
    false
}

// ----- scaling and pausing (sync.go) -----

fn sync_scaling(w: &mut World, cx: Ctx) {
    let (cx, new_key) = sync_revision(w, cx, false);
    scale(w, &cx, new_key.as_ref());
    let cx = reload(w, cx);
    if cx.d.spec.paused == Some(true) {
        cleanup(w, &cx);
    }
    let cx = reload(w, cx);
    sync_status_only(w, &cx);
}

fn scale(w: &mut World, cx: &Ctx, new_key: Option<&Key>) {
    let d = &cx.d;
    let want = replicas(d);
    let new_rs = new_key.and_then(|k| rs_copy(w, k)).map(|r| (*r).clone());
    let mut olds: Vec<ReplicaSet> = cx.old_rss().into_iter().cloned().collect();
    // FindActiveOrLatest
    kubeplay_sort::sort_by(&mut olds, |a, b| creation(b).cmp(&creation(a)));
    let mut active: Vec<ReplicaSet> = olds
        .iter()
        .chain(new_rs.iter())
        .filter(|r| rs_replicas(r) > 0)
        .cloned()
        .collect();
    let active_or_latest = match active.len() {
        0 => new_rs.clone().or_else(|| olds.first().cloned()),
        1 => Some(active[0].clone()),
        _ => None,
    };
    if let Some(rs) = active_or_latest {
        if rs_replicas(&rs) != want {
            scale_rs(w, d, &key_of(&rs.metadata), want);
        }
        return;
    }
    if let Some(n) = new_rs.as_ref() {
        let desired_ann = n
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(DESIRED_REPLICAS))
            .cloned();
        if rs_replicas(n) == want && desired_ann == Some(want.to_string()) && rs_status(n).2 == want
        {
            for rs in olds.iter().filter(|r| rs_replicas(r) > 0) {
                scale_rs(w, d, &key_of(&rs.metadata), 0);
            }
            return;
        }
    }
    if !is_rolling(d) {
        return;
    }
    let current: i32 = active.iter().map(rs_replicas).sum();
    let allowed = if want > 0 { want + max_surge(d) } else { 0 };
    let to_add = allowed - current;
    if to_add > 0 {
        // Larger first; among equals, newer first.
        kubeplay_sort::sort_by(&mut active, |a, b| {
            rs_replicas(b)
                .cmp(&rs_replicas(a))
                .then(creation(b).cmp(&creation(a)))
        });
    } else if to_add < 0 {
        kubeplay_sort::sort_by(&mut active, |a, b| {
            rs_replicas(b)
                .cmp(&rs_replicas(a))
                .then(creation(a).cmp(&creation(b)))
        });
    }
    let mut added = 0;
    let mut sizes: Vec<i32> = Vec::new();
    for rs in &active {
        if to_add != 0 {
            let p = proportion(rs, d, to_add, added);
            sizes.push(rs_replicas(rs) + p);
            added += p;
        } else {
            sizes.push(rs_replicas(rs));
        }
    }
    if added != to_add && !sizes.is_empty() {
        sizes[0] = (sizes[0] + to_add - added).max(0);
    }
    for (rs, size) in active.iter().zip(sizes) {
        scale_rs(w, d, &key_of(&rs.metadata), size);
    }
}

fn creation(rs: &ReplicaSet) -> (Millis, Option<String>) {
    (
        rs.metadata
            .creation_timestamp
            .as_ref()
            .map(millis_of)
            .unwrap_or(0),
        rs.metadata.name.clone(),
    )
}

/// `GetProportion`.
fn proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if rs_replicas(rs) == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = {
        if replicas(d) == 0 {
            -rs_replicas(rs)
        } else {
            let deployment_replicas = replicas(d) + max_surge(d);
            let annotated = rs
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(MAX_REPLICAS))
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or_else(|| d.status.as_ref().map_or(0, |s| s.replicas.unwrap_or(0)));
            if annotated == 0 {
                0
            } else {
                let size = (rs_replicas(rs) as f64 * deployment_replicas as f64) / annotated as f64;
                size.round() as i32 - rs_replicas(rs)
            }
        }
    };
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

fn check_paused_conditions(w: &mut World, cx: &Ctx) {
    let d = &cx.d;
    if !has_progress_deadline(d) {
        return;
    }
    let now = w.now();
    let cond = d.status.as_ref().and_then(progressing);
    if cond.is_some_and(|c| c.reason.as_deref() == Some("ProgressDeadlineExceeded")) {
        return;
    }
    let paused = d.spec.paused == Some(true);
    let paused_cond = cond.is_some_and(|c| c.reason.as_deref() == Some("DeploymentPaused"));
    let c = if paused && !paused_cond {
        condition(
            "Progressing",
            "Unknown",
            "DeploymentPaused",
            "Deployment is paused".into(),
            now,
        )
    } else if !paused && paused_cond {
        condition(
            "Progressing",
            "Unknown",
            "DeploymentResumed",
            "Deployment is resumed".into(),
            now,
        )
    } else {
        return;
    };
    w.mutate::<Deployment>(&cx.key, |dd| {
        set_condition(dd.status.get_or_insert_with(Default::default), c);
        true
    });
}

/// `cleanupDeployment`: keep at most revisionHistoryLimit old, empty ReplicaSets.
fn cleanup(w: &mut World, cx: &Ctx) {
    let Some(limit) = cx.d.spec.revision_history_limit else {
        return;
    };
    if limit == i32::MAX {
        return;
    }
    let mut olds: Vec<&ReplicaSet> = cx
        .old_rss()
        .into_iter()
        .filter(|r| r.metadata.deletion_timestamp.is_none())
        .collect();
    let diff = olds.len() as i64 - limit as i64;
    if diff <= 0 {
        return;
    }
    kubeplay_sort::sort_by_key(&mut olds, |r| (revision(&r.metadata), creation(r)));
    let doomed: Vec<Key> = olds
        .iter()
        .take(diff as usize)
        .filter(|r| {
            let (replicas, observed) = r
                .status
                .as_ref()
                .map_or((0, None), |st| (st.replicas, st.observed_generation));
            replicas == 0 && rs_replicas(r) == 0 && r.metadata.generation <= observed
        })
        .map(|r| key_of(&r.metadata))
        .collect();
    for rk in doomed {
        let _ = w.delete(Kind::ReplicaSet, &rk.0, &rk.1, Default::default());
    }
}

// ----- status (sync.go, progress.go) -----

fn condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: String,
    now: Millis,
) -> DeploymentCondition {
    DeploymentCondition {
        type_: Some(type_.into()),
        status: Some(status.into()),
        reason: Some(reason.into()),
        message: Some(message),
        last_update_time: Some(k8s_time(now)),
        last_transition_time: Some(k8s_time(now)),
    }
}

fn progressing(st: &DeploymentStatus) -> Option<&DeploymentCondition> {
    st.conditions
        .iter()
        .flatten()
        .find(|c| c.type_.as_deref() == Some("Progressing"))
}

/// `SetDeploymentCondition`: unchanged status and reason leave it alone; same status keeps the
/// transition time; the changed condition moves to the end.
fn set_condition(st: &mut DeploymentStatus, mut c: DeploymentCondition) {
    let conds = st.conditions.get_or_insert_with(Vec::new);
    if let Some(old) = conds.iter().find(|o| o.type_ == c.type_) {
        if old.status == c.status && old.reason == c.reason {
            return;
        }
        if old.status == c.status {
            c.last_transition_time = old.last_transition_time.clone();
        }
    }
    conds.retain(|o| o.type_ != c.type_);
    conds.push(c);
}

/// `set_condition(st, condition(..))`, building the condition only when it would change
/// something (an unchanged status and reason leave the condition as it is).
fn set_condition_lazy(
    st: &mut DeploymentStatus,
    type_: &str,
    status: &str,
    reason: &str,
    message: impl FnOnce() -> String,
    now: Millis,
) {
    let same = st
        .conditions
        .iter()
        .flatten()
        .find(|o| o.type_.as_deref() == Some(type_))
        .is_some_and(|o| {
            o.status.as_deref() == Some(status) && o.reason.as_deref() == Some(reason)
        });
    if !same {
        set_condition(st, condition(type_, status, reason, message(), now));
    }
}

pub fn has_progress_deadline(d: &Deployment) -> bool {
    d.spec
        .progress_deadline_seconds
        .is_some_and(|s| s != i32::MAX)
}

/// `DeploymentComplete`.
pub fn deployment_complete(d: &Deployment, st: &DeploymentStatus) -> bool {
    let want = replicas(d);
    st.updated_replicas.unwrap_or(0) == want
        && st.replicas.unwrap_or(0) == want
        && st.available_replicas.unwrap_or(0) == want
        && st.observed_generation >= d.metadata.generation
}

fn calculate_status(w: &World, cx: &Ctx, new_key: Option<&Key>) -> DeploymentStatus {
    let d = &cx.d;
    let new_rs = new_key.and_then(|k| w.get::<ReplicaSet>(k));
    let sum = |f: &dyn Fn(&ReplicaSet) -> i32| -> i32 { cx.rss.iter().map(|r| f(r)).sum() };
    let available = sum(&|r| rs_status(r).2);
    let total_spec = sum(&rs_replicas);
    let opt = |n: i32| (n != 0).then_some(n);
    let mut st = DeploymentStatus {
        observed_generation: d.metadata.generation,
        replicas: opt(sum(&|r| rs_status(r).0)),
        updated_replicas: opt(new_rs.map_or(0, |r| rs_status(r).0)),
        ready_replicas: opt(sum(&|r| rs_status(r).1)),
        available_replicas: opt(available),
        unavailable_replicas: opt((total_spec - available).max(0)),
        collision_count: d.status.as_ref().and_then(|s| s.collision_count),
        conditions: d.status.as_ref().and_then(|s| s.conditions.clone()),
        terminating_replicas: None,
    };
    let now = w.now();
    if available >= replicas(d) - max_unavailable(d) {
        set_condition_lazy(
            &mut st,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            || "Deployment has minimum availability.".into(),
            now,
        );
    } else {
        set_condition_lazy(
            &mut st,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            || "Deployment does not have minimum availability.".into(),
            now,
        );
    }
    st
}

fn write_status(w: &mut World, k: &Key, st: DeploymentStatus) {
    w.mutate::<Deployment>(k, |d| {
        if d.status.as_ref() == Some(&st) {
            return false;
        }
        d.status = Some(st);
        true
    });
}

fn sync_status_only(w: &mut World, cx: &Ctx) {
    let new_key = cx.new_rs().map(|r| key_of(&r.metadata));
    let st = calculate_status(w, cx, new_key.as_ref());
    write_status(w, &cx.key, st);
}

/// `syncRolloutStatus`: status plus the Progressing condition, and a wake-up at the deadline.
fn sync_rollout_status(w: &mut World, cx: &Ctx, new_key: Option<&Key>) {
    let d = &cx.d;
    let now = w.now();
    let mut st = calculate_status(w, cx, new_key);
    if !has_progress_deadline(d) {
        if let Some(c) = st.conditions.as_mut() {
            c.retain(|c| c.type_.as_deref() != Some("Progressing"));
        }
    }
    // What the rest needs of the current Progressing condition, read before `st` changes.
    let deadline = d.spec.progress_deadline_seconds.unwrap_or(600) as Millis * 1000;
    let (cur_complete, cur_true_since, cur_timed_out) = match progressing(&st) {
        Some(c) => (
            c.reason.as_deref() == Some("NewReplicaSetAvailable"),
            Some(c.last_transition_time.clone()).filter(|_| c.status.as_deref() == Some("True")),
            timed_out(Some(c), deadline, now),
        ),
        None => (false, None, false),
    };
    let is_complete = st.replicas == st.updated_replicas && cur_complete;
    let subject = || match new_key {
        Some(k) => ["ReplicaSet \"", &k.1, "\""].concat(),
        None => format!(
            "Deployment \"{}\"",
            d.metadata.name.as_deref().unwrap_or("")
        ),
    };
    let no_status = DeploymentStatus::default();
    let old = d.status.as_ref().unwrap_or(&no_status);
    if has_progress_deadline(d) && !is_complete {
        if deployment_complete(d, &st) {
            set_condition_lazy(
                &mut st,
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                || format!("{} has successfully progressed.", subject()),
                now,
            );
        } else if deployment_progressing(old, &st) {
            let mut c = condition(
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                subject() + " is progressing.",
                now,
            );
            if let Some(since) = cur_true_since {
                c.last_transition_time = since;
            }
            if let Some(conds) = st.conditions.as_mut() {
                conds.retain(|c| c.type_.as_deref() != Some("Progressing"));
            }
            set_condition(&mut st, c);
        } else if cur_timed_out {
            set_condition_lazy(
                &mut st,
                "Progressing",
                "False",
                "ProgressDeadlineExceeded",
                || format!("{} has timed out progressing.", subject()),
                now,
            );
        }
    }
    // Requeue for the deadline while a rollout is under way.
    if has_progress_deadline(d) && !deployment_complete(d, &st) {
        if let Some(c) = progressing(&st) {
            if c.reason.as_deref() != Some("ProgressDeadlineExceeded")
                && c.reason.as_deref() != Some("NewReplicaSetAvailable")
            {
                let since = c.last_update_time.as_ref().map(millis_of).unwrap_or(now);
                w.enqueue(Task::Deployment(cx.key.clone()), since + deadline + 1000);
            }
        }
    }
    // The new ReplicaSet's ReplicaFailure condition, else another's, becomes the Deployment's
    // (`getReplicaFailures`); with none, the Deployment's goes.
    let failure = |rs: &Rc<ReplicaSet>| {
        let c = rs
            .status
            .as_ref()?
            .conditions
            .as_ref()?
            .iter()
            .find(|c| c.type_.as_deref() == Some(super::replicaset::REPLICA_FAILURE))?;
        Some(DeploymentCondition {
            type_: c.type_.clone(),
            status: c.status.clone(),
            reason: c.reason.clone(),
            message: c.message.clone(),
            last_update_time: c.last_transition_time.clone(),
            last_transition_time: c.last_transition_time.clone(),
        })
    };
    let new_failure = cx.new_idx.and_then(|i| failure(&cx.rss[i]));
    match new_failure.or_else(|| cx.rss.iter().find_map(failure)) {
        Some(c) => set_condition(&mut st, c),
        None => {
            if let Some(conds) = st.conditions.as_mut() {
                conds.retain(|c| c.type_.as_deref() != Some(super::replicaset::REPLICA_FAILURE));
            }
        }
    }
    write_status(w, &cx.key, st);
}

fn deployment_progressing(old: &DeploymentStatus, new: &DeploymentStatus) -> bool {
    let g = |v: Option<i32>| v.unwrap_or(0);
    g(new.updated_replicas) > g(old.updated_replicas)
        || g(new.replicas) - g(new.updated_replicas) < g(old.replicas) - g(old.updated_replicas)
        || g(new.ready_replicas) > g(old.ready_replicas)
        || g(new.available_replicas) > g(old.available_replicas)
}

fn timed_out(cur: Option<&DeploymentCondition>, deadline: Millis, now: Millis) -> bool {
    let Some(c) = cur else { return false };
    match c.reason.as_deref() {
        Some("NewReplicaSetAvailable") => false,
        Some("ProgressDeadlineExceeded") => true,
        _ => c.last_update_time.as_ref().map(millis_of).unwrap_or(now) + deadline < now,
    }
}

#[cfg(test)]
mod tests {
    use super::is_decimal;

    #[test]
    fn is_decimal_is_equality_with_the_number_written_out() {
        for n in [0, 1, 9, 10, 25, 10_000, -1, -250, i32::MAX, i32::MIN] {
            let s = n.to_string();
            assert!(is_decimal(&s, n), "{s}");
            assert!(!is_decimal(&format!("0{s}"), n), "0{s}");
            assert!(!is_decimal(&format!("{s}0"), n), "{s}0");
            assert!(!is_decimal(&s, n.wrapping_add(1)), "{s} vs n+1");
        }
        assert!(!is_decimal("", 0));
        assert!(!is_decimal(" 5", 5));
    }
}
