//! The world: store + clock + RNG + work queue. Its public methods are the API server's verbs;
//! controllers, the scheduler and the kubelet run from the queue as virtual time passes.

use crate::store::{key, key_of, Key, Store, Stored};
use crate::table::FxBuild;
use crate::time::{k8s_time, Millis};
use crate::{controllers, kubelet, names, scheduler, serviceaccount};
use kubeplay_api::k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use kubeplay_api::k8s_openapi::api::core::v1::{Namespace, Node, NodeSpec, Pod, Taint};
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_api::{defaults, validate, ApiError, Kind, Object};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::rc::Rc;

/// A unit of controller work. Ordered, so that ties in the queue break the same way every run.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Task {
    Deployment(Key),
    ReplicaSet(Key),
    Schedule(Key),
    Kubelet(Key),
    Endpoints(Key),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created,
    Configured,
    Unchanged,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct DeleteOptions {
    /// Pod grace period override in seconds (`--grace-period`); `Some(0)` with `force` removes
    /// the pod at once.
    pub grace_period: Option<i64>,
    pub force: bool,
    pub propagation: Propagation,
}

/// So many tasks at one instant means two controllers are fighting; stop rather than hang.
const MAX_TASKS_PER_INSTANT: u64 = 2_000_000;

#[derive(Clone, Debug)]
pub struct World {
    now: Millis,
    rng: ChaCha8Rng,
    pub store: Store,
    /// Queued tasks by due time; within one time, in the order they were queued (their
    /// sequence numbers rise). The queue runs in (time, sequence) order.
    queue: BTreeMap<Millis, VecDeque<(u64, Task)>>,
    /// Where each queued task sits in `queue`, as (time, sequence) (looked up only, never
    /// iterated). A task is a key of inline names: it is copied here without allocating.
    queued: HashMap<Task, (Millis, u64), FxBuild>,
    /// Sequence numbers of entries left in `queue` when their task was queued again for an
    /// earlier time: skipped when reached. The first entry of `queue` is never one of them.
    stale: HashSet<u64, FxBuild>,
    /// Emptied lists of `queue`, kept for the next time that needs one (thousands of due
    /// times come and go in a rollout: each would allocate and grow a list of its own).
    spare: Vec<VecDeque<(u64, Task)>>,
    seq: u64,
    pub(crate) events: crate::events::EventLog,
    pub(crate) kubelet: kubelet::Kubelet,
    pub(crate) scheduler: scheduler::Scheduler,
    /// The deployment controller's copies of what it reads.
    pub(crate) copies: controllers::deployment::Copies,
    /// The last namespace whose pods' changes were checked for Services of its own (besides
    /// `default/kubernetes`), with the answer and the `services_gen` it holds for
    /// ([`controllers::endpoints::pod_changed`]).
    pub(crate) own_services: Option<(u64, crate::key::Name, bool)>,
    /// Set when the per-instant task budget ran out.
    pub livelock: bool,
    /// Set while the kubelet writes a pod's status: as the kubelet's pod config ignores
    /// status-only updates of its pods, that write does not queue the pod's sync again.
    pub(crate) kubelet_status_write: bool,
    /// How many tasks of each kind ran (Deployment, ReplicaSet, Schedule, Kubelet, Endpoints),
    /// for benchmarks and tests of what a change costs.
    pub task_counts: [u64; 5],
    /// The instant a budgeted run stopped in, and how many of its tasks had run
    /// ([`World::run_until_within`]).
    sliced_instant: Option<(Millis, u64)>,
    /// The most pods ReplicaSets may bring the cluster to
    /// ([`controllers::replicaset::MAX_PODS`]; lower in tests).
    pub max_pods: usize,
    /// How many times in a row each ReplicaSet failed to create its pods (its back-off).
    pub(crate) rs_create_failures: BTreeMap<Key, u32>,
}

impl World {
    /// A cluster as `kubeadm` leaves it: namespaces `default`, `kube-system`, `kube-public`,
    /// `kube-node-lease`; a tainted `controlplane` node and a worker `node01`.
    pub fn new(seed: u64) -> World {
        let mut w = World {
            now: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
            store: Store::default(),
            queue: BTreeMap::new(),
            queued: HashMap::default(),
            stale: HashSet::default(),
            spare: Vec::new(),
            seq: 0,
            events: Default::default(),
            kubelet: Default::default(),
            scheduler: Default::default(),
            copies: Default::default(),
            own_services: None,
            livelock: false,
            kubelet_status_write: false,
            task_counts: [0; 5],
            sliced_instant: None,
            max_pods: controllers::replicaset::MAX_PODS,
            rs_create_failures: BTreeMap::new(),
        };
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let n = Namespace {
                metadata: meta(ns, None),
                ..Default::default()
            };
            w.create(n.into()).expect("fresh namespace");
        }
        for (name, control_plane) in [("controlplane", true), ("node01", false)] {
            let mut labels = kubeplay_sort::map([
                ("kubernetes.io/hostname".to_string(), name.to_string()),
                ("kubernetes.io/os".to_string(), "linux".to_string()),
                ("kubernetes.io/arch".to_string(), "amd64".to_string()),
            ]);
            let mut taints = None;
            if control_plane {
                labels.insert(
                    "node-role.kubernetes.io/control-plane".into(),
                    String::new(),
                );
                taints = Some(vec![Taint {
                    key: "node-role.kubernetes.io/control-plane".into(),
                    effect: "NoSchedule".into(),
                    ..Default::default()
                }]);
            }
            let mut m = meta(name, None);
            m.labels = Some(labels);
            let node = Node {
                metadata: m,
                spec: Some(NodeSpec {
                    taints,
                    ..Default::default()
                }),
                status: Some(scheduler::node_status(name)),
            };
            w.create(node.into()).expect("fresh node");
        }
        controllers::endpoints::bootstrap(&mut w);
        w
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    // ----- the queue -----

    /// Queue `task` to run at `at` (not before now). A task already queued earlier stays.
    pub fn enqueue(&mut self, task: Task, at: Millis) {
        use std::collections::hash_map::Entry;
        let at = at.max(self.now);
        // One hash of the task, whether it is queued already or not.
        let entry = self.queued.entry(task);
        if let Entry::Occupied(e) = &entry {
            let slot = *e.get();
            if slot.0 <= at {
                return;
            }
            // Left where it is, and skipped when reached: it is behind the new entry.
            self.stale.insert(slot.1);
        }
        self.seq += 1;
        let slot = (at, self.seq);
        let item = (self.seq, entry.key().clone());
        entry.insert_entry(slot);
        // Most work is queued for the instant being run, the first in the queue: no search.
        if let Some(mut first) = self.queue.first_entry() {
            if *first.key() == at {
                first.get_mut().push_back(item);
                return;
            }
        }
        match self.queue.entry(at) {
            std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().push_back(item),
            std::collections::btree_map::Entry::Vacant(e) => {
                let mut list = self.spare.pop().unwrap_or_default();
                list.push_back(item);
                e.insert(list);
            }
        }
    }

    pub fn enqueue_now(&mut self, task: Task) {
        self.enqueue(task, self.now);
    }

    /// When the next piece of work is due, if any.
    pub fn next_due(&self) -> Option<Millis> {
        self.queue.keys().next().copied()
    }

    /// Run all work due up to and including `t`, then set the clock to `t`.
    pub fn run_until(&mut self, t: Millis) {
        self.run(t, None);
    }

    /// Like [`World::run_until`], but run at most `*budget` tasks (counting them off). Returns
    /// whether all work due by `t` ran; the clock is then at `t`. When the budget runs out
    /// first, the clock stays at the instant being worked on, the rest of its work still
    /// queued, and a later call carries on exactly where this one stopped: slicing the work
    /// changes when it runs in real time, never what it does.
    pub fn run_until_within(&mut self, t: Millis, budget: &mut u64) -> bool {
        self.run(t, Some(budget))
    }

    fn run(&mut self, t: Millis, mut budget: Option<&mut u64>) -> bool {
        let mut at_instant = 0u64;
        let mut instant = self.now;
        if let Some((paused, n)) = self.sliced_instant.take() {
            // Carry on counting the instant a budget cut short.
            if paused == self.now {
                at_instant = n;
            }
        }
        while let Some(mut first) = self.queue.first_entry() {
            let at = *first.key();
            if at > t {
                break;
            }
            if let Some(b) = budget.as_deref_mut() {
                if *b == 0 {
                    self.sliced_instant = Some((instant, at_instant));
                    return false;
                }
                *b -= 1;
            }
            let (_, task) = first.get_mut().pop_front().expect("no empty time is kept");
            if first.get().is_empty() {
                self.spare.push(first.remove());
            }
            self.queued.remove(&task);
            self.drop_stale();
            if at != instant {
                instant = at;
                at_instant = 0;
            }
            at_instant += 1;
            if at_instant > MAX_TASKS_PER_INSTANT {
                self.livelock = true;
                self.queue.clear();
                self.queued.clear();
                self.stale.clear();
                break;
            }
            self.now = self.now.max(at);
            self.dispatch(task);
        }
        self.now = self.now.max(t);
        true
    }

    /// Take the stale entries off the front of the queue, so that the first entry is one to
    /// run (and `next_due` is when work is due).
    fn drop_stale(&mut self) {
        while !self.stale.is_empty() {
            let Some(mut first) = self.queue.first_entry() else {
                return;
            };
            let seq = first.get().front().expect("no empty time is kept").0;
            if !self.stale.remove(&seq) {
                return;
            }
            first.get_mut().pop_front();
            if first.get().is_empty() {
                self.spare.push(first.remove());
            }
        }
    }

    /// Finish everything due now, without moving the clock.
    pub fn settle(&mut self) {
        self.run_until(self.now);
    }

    fn dispatch(&mut self, task: Task) {
        let slot = match &task {
            Task::Deployment(_) => 0,
            Task::ReplicaSet(_) => 1,
            Task::Schedule(_) => 2,
            Task::Kubelet(_) => 3,
            Task::Endpoints(_) => 4,
        };
        self.task_counts[slot] += 1;
        match task {
            Task::Deployment(k) => controllers::deployment::sync(self, &k),
            Task::ReplicaSet(k) => controllers::replicaset::sync(self, &k),
            Task::Schedule(k) => scheduler::schedule(self, &k),
            Task::Kubelet(k) => kubelet::sync(self, &k),
            Task::Endpoints(k) => controllers::endpoints::sync(self, &k),
        }
    }

    /// Tell the controllers that watch `kind` that the object at `k` changed.
    pub(crate) fn notify(&mut self, kind: Kind, k: &Key, meta: &ObjectMeta) {
        let owner = watched_owner(kind, k, meta);
        self.notify_owner(kind, k, owner);
    }

    /// `notify`, given what `watched_owner` found.
    fn notify_owner(&mut self, kind: Kind, k: &Key, owner: Option<Key>) {
        match kind {
            Kind::Deployment => self.enqueue_now(Task::Deployment(k.clone())),
            Kind::ReplicaSet => {
                self.enqueue_now(Task::ReplicaSet(k.clone()));
                if let Some(dk) = owner {
                    self.enqueue_now(Task::Deployment(dk));
                }
            }
            Kind::Pod => {
                if let Some(rk) = owner {
                    self.enqueue_now(Task::ReplicaSet(rk));
                }
                // One lookup of the pod for both questions.
                let (stored, unbound) = match self.store.pods.get(k) {
                    Some(p) => (
                        true,
                        p.spec.as_ref().is_some_and(|s| s.node_name.is_none())
                            && p.metadata.deletion_timestamp.is_none(),
                    ),
                    None => (false, false),
                };
                if unbound {
                    self.enqueue_now(Task::Schedule(k.clone()));
                }
                // Not for a pod that is gone when the kubelet holds nothing of it (the kubelet
                // removed it itself, or never started it): that sync would do nothing.
                let gone_unknown = !stored && !self.kubelet.pods.contains_key(k);
                if !gone_unknown && !self.kubelet_status_write {
                    self.enqueue_now(Task::Kubelet(k.clone()));
                }
                controllers::endpoints::pod_changed(self, k);
            }
            Kind::Service => {
                self.kubelet.services_gen += 1;
                self.enqueue_now(Task::Endpoints(k.clone()))
            }
            Kind::ConfigMap | Kind::Secret => {
                if kind == Kind::ConfigMap && k.1 == serviceaccount::ROOT_CA_CONFIGMAP {
                    serviceaccount::publish_root_ca(self, &k.0);
                }
                kubelet::config_changed(self, kind, k)
            }
            Kind::Namespace => {
                serviceaccount::ensure_default(self, &k.1);
                serviceaccount::publish_root_ca(self, &k.1)
            }
            Kind::ServiceAccount if k.1 == serviceaccount::DEFAULT_SERVICE_ACCOUNT => {
                serviceaccount::ensure_default(self, &k.0)
            }
            _ => {}
        }
    }

    // ----- typed access for controllers -----

    pub fn get<T: Stored>(&self, k: &Key) -> Option<&T> {
        self.store.get(k)
    }

    /// Change an object in place. `f` returns whether it changed anything; only then is the
    /// resourceVersion bumped and the watchers told.
    pub fn mutate<T: Stored>(&mut self, k: &Key, f: impl FnOnce(&mut T) -> bool) -> bool {
        // Written out only when `f` changed something.
        let rv = self.store.resource_version() + 1;
        let owner = self.store.modify::<T, _>(k, |o| {
            if !f(o) {
                return None;
            }
            o.meta_mut().resource_version = Some(rv.to_string());
            Some(watched_owner(T::KIND, k, o.meta()))
        });
        let Some(Some(owner)) = owner else {
            return false;
        };
        self.store.commit_resource_version();
        self.notify_owner(T::KIND, k, owner);
        true
    }

    /// Create an object on behalf of a controller (no validation: controllers write valid
    /// objects). Returns its key.
    pub(crate) fn create_internal<T: Stored>(&mut self, o: T) -> Key {
        self.store_new(o, false, None)
    }

    /// A controller's pod, its service account looked up first
    /// ([`serviceaccount::admit_pod`], which gives `automount`).
    pub(crate) fn create_pod_internal(&mut self, pod: Pod, automount: Option<bool>) -> Key {
        self.store_new(pod, false, automount)
    }

    /// `create_internal` for an object a controller keeps in every namespace (a namespace's
    /// `default` ServiceAccount): its uid is derived, not drawn, so that making it leaves the
    /// names drawn after it as they were.
    pub(crate) fn create_derived<T: Stored>(&mut self, o: T) -> Key {
        self.store_new(o, true, None)
    }

    fn store_new<T: Stored>(
        &mut self,
        mut o: T,
        derived_uid: bool,
        automount: Option<bool>,
    ) -> Key {
        self.admit(o.meta_mut(), T::KIND, derived_uid);
        if let Some(pod) = (&mut o as &mut dyn std::any::Any).downcast_mut::<Pod>() {
            serviceaccount::mount_token(pod, automount, true);
        }
        let k = key_of(o.meta());
        let owner = watched_owner(T::KIND, &k, o.meta());
        self.store.put(o);
        self.notify_owner(T::KIND, &k, owner);
        k
    }

    /// Remove an object outright, and collect what it owned.
    pub(crate) fn remove<T: Stored>(&mut self, k: &Key) -> Option<Rc<T>> {
        let o = self.store.remove::<T>(k)?;
        // Out of the store: its metadata is read in place, not copied.
        let meta = o.meta();
        self.notify(T::KIND, k, meta);
        if T::KIND == Kind::Pod {
            self.pod_gone(k, meta);
        }
        if let Some(uid) = meta.uid.as_deref() {
            self.collect_garbage(uid, Propagation::Background);
        }
        Some(o)
    }

    /// The deployment controller's `deletePod` handler: a Recreate rollout waits for the old
    /// pods to be gone, so the Deployment behind a removed pod's ReplicaSet takes another look.
    fn pod_gone(&mut self, k: &Key, meta: &ObjectMeta) {
        let Some(rs_ref) = meta
            .owner_references
            .iter()
            .flatten()
            .find(|r| r.controller == Some(true) && r.kind == "ReplicaSet")
        else {
            return;
        };
        let Some(rs) = self.store.get::<ReplicaSet>(&key(&k.0, &rs_ref.name)) else {
            return;
        };
        let deploy = rs
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|r| r.controller == Some(true) && r.kind == "Deployment")
            .map(|r| key(&k.0, &r.name));
        if let Some(dk) = deploy {
            self.enqueue_now(Task::Deployment(dk));
        }
    }

    /// Metadata the API server sets on create.
    /// Name (for generateName), namespace, uid, resourceVersion and the other server-set
    /// fields. A `derived` uid comes from the object's kind, key and resourceVersion instead of
    /// the world's generator ([`names::derived_uuid`]).
    fn admit(&mut self, m: &mut ObjectMeta, kind: Kind, derived: bool) {
        if m.name.as_deref().unwrap_or("").is_empty() {
            if let Some(base) = m.generate_name.clone() {
                // A clash is AlreadyExists for the API server and a retry for the client:
                // the net effect is another name.
                let ns = if kubeplay_api::registry::info(kind).namespaced {
                    m.namespace.clone().unwrap_or_else(|| "default".into())
                } else {
                    String::new()
                };
                loop {
                    let name = names::generate_name(&base, &mut self.rng);
                    if !self.store.contains(kind, &key(&ns, &name)) {
                        m.name = Some(name);
                        break;
                    }
                }
            }
        }
        if kubeplay_api::registry::info(kind).namespaced {
            if m.namespace.is_none() {
                m.namespace = Some("default".into());
            }
        } else {
            m.namespace = None;
        }
        let rv = self.store.next_resource_version();
        m.uid = Some(if derived {
            let ns = m.namespace.as_deref().unwrap_or("");
            let name = m.name.as_deref().unwrap_or("");
            names::derived_uuid([kind.as_str(), ns, name, &rv].join("/").as_bytes())
        } else {
            names::uuid(&mut self.rng)
        });
        m.resource_version = Some(rv);
        m.creation_timestamp = Some(k8s_time(self.now));
        if matches!(kind, Kind::Deployment | Kind::ReplicaSet) {
            m.generation = Some(1);
        }
    }

    // ----- the API server's verbs, for kubectl -----

    pub fn get_object(&self, kind: Kind, ns: &str, name: &str) -> Result<Object, ApiError> {
        let k = key(
            if kubeplay_api::registry::info(kind).namespaced {
                ns
            } else {
                ""
            },
            name,
        );
        if kind == Kind::Event {
            if let Some(e) = self
                .events
                .records()
                .iter()
                .map(|r| r.to_event())
                .find(|e| {
                    e.metadata.namespace.as_deref() == Some(ns)
                        && e.metadata.name.as_deref() == Some(name)
                })
            {
                return Ok(Object::from(e));
            }
        }
        self.store
            .get_object(kind, &k)
            .ok_or_else(|| ApiError::not_found(kubeplay_api::registry::info(kind), name))
    }

    /// Objects of a kind in a namespace (`None`: all namespaces), in (namespace, name) order.
    pub fn list_objects(&self, kind: Kind, ns: Option<&str>) -> Vec<Object> {
        let ns = if kubeplay_api::registry::info(kind).namespaced {
            ns
        } else {
            None
        };
        let mut out = Vec::new();
        for k in self.store.keys(kind, ns) {
            out.extend(self.store.get_object(kind, &k));
        }
        if kind == Kind::Event {
            // Events live in the compact event log; materialize them as the API would list
            // them (by namespace, then name).
            let mut evs: Vec<Object> = self
                .events
                .records()
                .iter()
                .filter(|r| ns.is_none_or(|n| r.namespace == n))
                .map(|r| Object::from(r.to_event()))
                .collect();
            kubeplay_sort::sort_by(&mut evs, |a, b| {
                (a.namespace(), a.name()).cmp(&(b.namespace(), b.name()))
            });
            out.extend(evs);
        }
        out
    }

    fn check_namespace(&self, kind: Kind, m: &ObjectMeta) -> Result<(), ApiError> {
        if !kubeplay_api::registry::info(kind).namespaced {
            return Ok(());
        }
        let ns = m.namespace.as_deref().unwrap_or("default");
        if self.store.namespaces.contains_key(&key("", ns)) {
            Ok(())
        } else {
            Err(ApiError::not_found(
                kubeplay_api::registry::info(Kind::Namespace),
                ns,
            ))
        }
    }

    /// POST: default, validate, admit, store. With `dry_run` nothing is stored.
    pub fn create_checked(&mut self, mut obj: Object, dry_run: bool) -> Result<Object, ApiError> {
        let kind = obj.kind();
        let info = kubeplay_api::registry::info(kind);
        if info.namespaced && obj.meta().namespace.is_none() {
            obj.meta_mut().namespace = Some("default".into());
        }
        defaults::apply(&mut obj);
        // As the API server: admission (the namespace must exist, a pod's service account
        // too), then validation, then storage (AlreadyExists).
        self.check_namespace(kind, obj.meta())?;
        let automount = match &obj {
            Object::Pod(p) => {
                let ns = p.metadata.namespace.as_deref().unwrap_or("default");
                serviceaccount::admit_pod(self, ns, obj.name(), p)?
            }
            _ => None,
        };
        validate::validate_create(&obj)?;
        let k = key_of(obj.meta());
        let k = if info.namespaced { k } else { key("", &k.1) };
        if self.store.get_object(kind, &k).is_some() {
            return Err(ApiError::already_exists(info, &k.1));
        }
        let mut stored = obj;
        if let (Object::Service(s), false) = (&mut stored, dry_run) {
            controllers::endpoints::prepare_service(self, s);
        }
        strip_status_on_create(&mut stored);
        if dry_run {
            // A uid as the API server fills in even for a dry run, derived rather than drawn
            // so that trying something changes no name made later.
            let seed = [
                kind.as_str(),
                &k.0,
                &k.1,
                &self.store.next_resource_version_peek(),
            ]
            .join("/");
            let m = stored.meta_mut();
            m.uid = Some(names::derived_uuid(seed.as_bytes()));
            m.creation_timestamp = Some(k8s_time(self.now));
            if let Object::Pod(p) = &mut stored {
                serviceaccount::mount_token(p, automount, false);
            }
            return Ok(stored);
        }
        self.admit(stored.meta_mut(), kind, false);
        if let Object::Pod(p) = &mut stored {
            // Whole, as the client is answered; the store keeps the volume implied.
            serviceaccount::mount_token(p, automount, false);
        }
        let meta = stored.meta().clone();
        self.store.put_object(stored.clone());
        self.notify(kind, &key_of(&meta), &meta);
        Ok(stored)
    }

    /// Create without dry run; for setup code that knows its objects are valid.
    pub fn create(&mut self, obj: Object) -> Result<Object, ApiError> {
        self.create_checked(obj, false)
    }

    /// PUT: replace an object's spec (status is kept, as with a status subresource), bump the
    /// generation when the spec changed. Returns whether anything changed.
    pub fn update(&mut self, mut obj: Object, dry_run: bool) -> Result<(Object, bool), ApiError> {
        let kind = obj.kind();
        let info = kubeplay_api::registry::info(kind);
        if info.namespaced && obj.meta().namespace.is_none() {
            obj.meta_mut().namespace = Some("default".into());
        }
        let k = key_of(obj.meta());
        let old = self
            .store
            .get_object(kind, &k)
            .ok_or_else(|| ApiError::not_found(info, &k.1))?;
        defaults::apply(&mut obj);
        validate::validate_update(&obj, &old)?;
        // Server-owned metadata comes from the stored object.
        {
            let (om, nm) = (old.meta().clone(), obj.meta_mut());
            nm.uid = om.uid;
            nm.creation_timestamp = om.creation_timestamp;
            nm.generation = om.generation;
            nm.resource_version = om.resource_version;
            nm.deletion_timestamp = om.deletion_timestamp;
            nm.deletion_grace_period_seconds = om.deletion_grace_period_seconds;
            if nm.owner_references.is_none() {
                nm.owner_references = om.owner_references;
            }
        }
        keep_status(&mut obj, &old);
        if obj == old {
            return Ok((old, false));
        }
        if spec_of(&obj) != spec_of(&old) {
            let g = old.meta().generation.unwrap_or(0);
            if matches!(kind, Kind::Deployment | Kind::ReplicaSet) {
                obj.meta_mut().generation = Some(g + 1);
            }
        }
        if dry_run {
            return Ok((obj, true));
        }
        obj.meta_mut().resource_version = Some(self.store.next_resource_version());
        let meta = obj.meta().clone();
        self.store.put_object(obj.clone());
        self.notify(kind, &k, &meta);
        Ok((obj, true))
    }

    /// DELETE. Pods terminate gracefully (the kubelet removes them); other kinds go at once
    /// and their dependents are collected unless orphaned.
    pub fn delete(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        opts: DeleteOptions,
    ) -> Result<Object, ApiError> {
        let info = kubeplay_api::registry::info(kind);
        let k = key(if info.namespaced { ns } else { "" }, name);
        let obj = self
            .store
            .get_object(kind, &k)
            .ok_or_else(|| ApiError::not_found(info, name))?;
        match kind {
            Kind::Pod => kubelet::delete_pod(self, &k, opts),
            Kind::Namespace => {
                // The namespace goes first, so that the controllers that keep objects in every
                // namespace (its `default` ServiceAccount, `kube-root-ca.crt`) see it gone and
                // do not put back what is deleted next.
                self.store.remove_object(kind, &k);
                for kind in Kind::ALL {
                    if kubeplay_api::registry::info(*kind).namespaced {
                        for ok in self.store.keys(*kind, Some(name)) {
                            if let Some(o) = self.store.remove_object(*kind, &ok) {
                                let m = o.meta().clone();
                                self.notify(*kind, &ok, &m);
                            }
                        }
                    }
                }
            }
            _ => {
                self.store.remove_object(kind, &k);
                self.notify(kind, &k, obj.meta());
                if let Some(uid) = obj.meta().uid.as_deref() {
                    self.collect_garbage(uid, opts.propagation);
                }
            }
        }
        Ok(obj)
    }

    /// The garbage collector: delete (or, for orphan propagation, release) the dependents of a
    /// deleted owner.
    fn collect_garbage(&mut self, owner_uid: &str, propagation: Propagation) {
        let dependents: Vec<(Kind, Key)> = self.store.owned_by(owner_uid).cloned().collect();
        for (kind, k) in dependents {
            match propagation {
                Propagation::Orphan => {
                    if let Some(mut o) = self.store.get_object(kind, &k) {
                        let m = o.meta_mut();
                        if let Some(refs) = m.owner_references.as_mut() {
                            refs.retain(|r| r.uid != owner_uid);
                            if refs.is_empty() {
                                m.owner_references = None;
                            }
                        }
                        m.resource_version = Some(self.store.next_resource_version());
                        let meta = o.meta().clone();
                        self.store.put_object(o);
                        self.notify(kind, &k, &meta);
                    }
                }
                _ => {
                    let _ = self.delete(kind, &k.0, &k.1, DeleteOptions::default());
                }
            }
        }
    }

    /// The ReplicaSets a Deployment controls, oldest first.
    pub fn replicasets_of(&self, d: &Deployment) -> Vec<&ReplicaSet> {
        let uid = d.metadata.uid.as_deref().unwrap_or("");
        // Sorted below (creation time and name order them all: names are unique).
        let mut v: Vec<&ReplicaSet> = self
            .store
            .owned_by_unordered(uid)
            .filter(|(kind, _)| *kind == Kind::ReplicaSet)
            .filter_map(|(_, k)| self.store.get::<ReplicaSet>(k))
            .collect();
        kubeplay_sort::sort_by(&mut v, |a, b| {
            (
                a.metadata.creation_timestamp.as_ref(),
                a.metadata.name.as_ref(),
            )
                .cmp(&(
                    b.metadata.creation_timestamp.as_ref(),
                    b.metadata.name.as_ref(),
                ))
        });
        v
    }

    /// The pods a ReplicaSet controls, in name order.
    pub fn pods_of(&self, rs_uid: &str) -> Vec<&Pod> {
        self.store
            .owned_by(rs_uid)
            .filter(|(kind, _)| *kind == Kind::Pod)
            .filter_map(|(_, k)| self.store.get::<Pod>(k))
            .collect()
    }

    /// `pods_of` in no particular order, for those who only count or look for one.
    pub(crate) fn pods_of_unordered(&self, rs_uid: &str) -> impl Iterator<Item = &Pod> {
        self.store
            .owned_by_unordered(rs_uid)
            .filter(|(kind, _)| *kind == Kind::Pod)
            .filter_map(|(_, k)| self.store.get::<Pod>(k))
    }

    pub(crate) fn record_event(&mut self, e: crate::events::NewEvent<'_>) {
        crate::events::record(self, e);
    }
}

/// The controller of an object whose changes its controller watches: a ReplicaSet's
/// Deployment, a pod's ReplicaSet.
fn watched_owner(kind: Kind, k: &Key, meta: &ObjectMeta) -> Option<Key> {
    let want = match kind {
        Kind::ReplicaSet => "Deployment",
        Kind::Pod => "ReplicaSet",
        _ => return None,
    };
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .filter(|r| r.kind == want)
        .map(|r| key(&k.0, &r.name))
}

/// Plain metadata with a name (and namespace).
pub fn meta(name: &str, ns: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: ns.map(Into::into),
        ..Default::default()
    }
}

fn strip_status_on_create(o: &mut Object) {
    match o {
        Object::Deployment(d) => d.status = None,
        Object::ReplicaSet(r) => r.status = None,
        // The pod strategy's PrepareForCreate: Pending, with the QoS class its resources give.
        Object::Pod(p) => {
            let qos = p
                .spec
                .as_ref()
                .map_or("BestEffort", kubeplay_api::quantity::pod_qos);
            p.status = Some(kubeplay_api::k8s_openapi::api::core::v1::PodStatus {
                phase: Some("Pending".into()),
                qos_class: Some(qos.into()),
                ..Default::default()
            })
        }
        // The namespace strategy's PrepareForCreate: every new namespace is Active.
        Object::Namespace(n) => {
            n.status = Some(kubeplay_api::k8s_openapi::api::core::v1::NamespaceStatus {
                phase: Some("Active".into()),
                ..Default::default()
            })
        }
        _ => {}
    }
}

fn keep_status(new: &mut Object, old: &Object) {
    match (new, old) {
        (Object::Deployment(n), Object::Deployment(o)) => n.status = o.status.clone(),
        (Object::ReplicaSet(n), Object::ReplicaSet(o)) => n.status = o.status.clone(),
        (Object::Pod(n), Object::Pod(o)) => n.status = o.status.clone(),
        (Object::Node(n), Object::Node(o)) => n.status = o.status.clone(),
        (Object::Namespace(n), Object::Namespace(o)) => n.status = o.status.clone(),
        (Object::Service(n), Object::Service(o)) => n.status = o.status.clone(),
        _ => {}
    }
}

fn spec_of(o: &Object) -> serde_json::Value {
    o.to_value().get("spec").cloned().unwrap_or_default()
}
