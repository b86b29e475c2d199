//! The object store: one ordered table per kind, an owner index, and resourceVersions.
//! Iteration order is the key order, so everything built on it is deterministic.

use crate::controllers::replicaset::{deletion_rank, rank_head, Rank, RankHead};
use crate::table::{OrderedSet, Table};
use kubeplay_api::k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use kubeplay_api::k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event, Namespace, Node, Pod, Secret, Service, ServiceAccount,
};
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_api::{Kind, Object};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

pub use crate::key::{key, Key, Name};

/// A k8s-openapi type the store keeps in a table of its own.
pub trait Stored: Clone + Into<Object> + 'static {
    const KIND: Kind;
    fn table(s: &Store) -> &Table<Self>;
    fn table_mut(s: &mut Store) -> &mut Table<Self>;
    fn meta(&self) -> &ObjectMeta;
    fn meta_mut(&mut self) -> &mut ObjectMeta;
    fn from_object(o: Object) -> Option<Self>;
}

macro_rules! tables {
    ($($kind:ident => $field:ident),* $(,)?) => {
        /// Every stored object, by kind.
        #[derive(Clone, Debug, Default)]
        pub struct Store {
            $(pub $field: Table<$kind>,)*
            /// owner uid -> the objects whose controller reference points at it (hashed: a
            /// rollout adds and removes thousands of pods, and lists them in order rarely).
            owned: BTreeMap<String, OrderedSet<(Kind, Key)>>,
            /// owner uid -> what its pods count for, kept as pods are written (one lookup
            /// per change for both parts).
            owner_pods: BTreeMap<String, OwnerPods>,
            resource_version: u64,
            /// Counts writes (puts, removals, changes through `World::mutate`), so that a
            /// controller can tell whether what it copied out is still current.
            writes: u64,
        }

        $(
            impl Stored for $kind {
                const KIND: Kind = Kind::$kind;
                fn table(s: &Store) -> &Table<Self> { &s.$field }
                fn table_mut(s: &mut Store) -> &mut Table<Self> { &mut s.$field }
                fn meta(&self) -> &ObjectMeta { &self.metadata }
                fn meta_mut(&mut self) -> &mut ObjectMeta { &mut self.metadata }
                fn from_object(o: Object) -> Option<Self> {
                    match o { Object::$kind(b) => Some(*b), _ => None }
                }
            }
        )*

        impl Store {
            /// A clone of one object, of any kind, as the API server holds it (a pod with its
            /// implied token volume written out).
            pub fn get_object(&self, kind: Kind, k: &Key) -> Option<Object> {
                let o = match kind { $(Kind::$kind => self.$field.get(k).cloned().map(Into::into),)* };
                o.map(whole)
            }
            /// Keys of one kind, in one namespace or all.
            pub fn keys(&self, kind: Kind, ns: Option<&str>) -> Vec<Key> {
                match kind { $(Kind::$kind => keys_in(&self.$field, ns),)* }
            }
            /// Insert or replace an object of any kind, keeping the owner index right.
            pub fn put_object(&mut self, o: Object) {
                match o { $(Object::$kind(b) => { self.put(*b); })* }
            }
            pub fn contains(&self, kind: Kind, k: &Key) -> bool {
                match kind { $(Kind::$kind => self.$field.contains_key(k),)* }
            }
            pub fn remove_object(&mut self, kind: Kind, k: &Key) -> Option<Object> {
                let o = match kind {
                    $(Kind::$kind => self.remove::<$kind>(k).map(|o| Rc::unwrap_or_clone(o).into()),)*
                };
                o.map(whole)
            }
        }
    };
}

tables!(
    Namespace => namespaces,
    Node => nodes,
    Pod => pods,
    Service => services,
    Endpoints => endpoints,
    ConfigMap => configmaps,
    Secret => secrets,
    Event => events,
    ServiceAccount => serviceaccounts,
    Deployment => deployments,
    ReplicaSet => replicasets,
);

/// An object as the API server holds it: a pod's implied token volume written out
/// ([`crate::serviceaccount::add_implied_token_volume`]).
fn whole(mut o: Object) -> Object {
    if let Object::Pod(p) = &mut o {
        crate::serviceaccount::add_implied_token_volume(p);
    }
    o
}

fn keys_in<T>(t: &Table<T>, ns: Option<&str>) -> Vec<Key> {
    match ns {
        None => t.keys().cloned().collect(),
        Some(ns) => t
            .keys_from(key(ns, "")..)
            .take_while(|k| k.0 == ns)
            .cloned()
            .collect(),
    }
}

pub fn key_of(meta: &ObjectMeta) -> Key {
    key(
        meta.namespace.as_deref().unwrap_or(""),
        meta.name.as_deref().unwrap_or(""),
    )
}

/// How many of an owner's pods are active (not terminal, not being deleted) and ready.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PodTally {
    pub active: i32,
    pub ready: i32,
}

/// What an owner's pods count for.
#[derive(Clone, Debug, Default)]
struct OwnerPods {
    /// Counts of its pods, so that a ReplicaSet's status costs O(1) instead of a walk over
    /// its pods.
    tally: PodTally,
    /// Its active pods in the order the ReplicaSet controller deletes them, so scaling down
    /// k pods costs O(k log n). Built from the owner's pods when it first scales down, and
    /// kept from then on (`built`): an owner that only grows (the new ReplicaSet of a
    /// rollout) never pays for moving its pods in this order as they start and turn ready.
    ranked: BTreeSet<(Rank, Key)>,
    built: bool,
}

/// A pod's contribution to its controller's tally and deletion order.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Contribution {
    owner: UidCopy,
    active: bool,
    ready: bool,
    rank: Option<Rank>,
}

/// What a pod counts for (active, ready, deletion rank without the name), without copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Standing {
    active: bool,
    ready: bool,
    rank: Option<RankHead>,
}

impl Standing {
    fn with(self, owner: UidCopy, k: &Key) -> Contribution {
        Contribution {
            owner,
            active: self.active,
            ready: self.ready,
            rank: self.rank.map(|r| (r, k.1.clone())),
        }
    }
}

fn standing<T: Stored>(o: &T) -> Option<Standing> {
    let p = (o as &dyn std::any::Any).downcast_ref::<Pod>()?;
    controller_uid(&p.metadata)?;
    let active = crate::controllers::is_active(p);
    let ready = active && crate::controllers::ready_since(p).is_some();
    let rank = active.then(|| rank_head(p));
    Some(Standing {
        active,
        ready,
        rank,
    })
}

fn tally_of<T: Stored>(o: &T) -> Option<Contribution> {
    let p = (o as &dyn std::any::Any).downcast_ref::<Pod>()?;
    let owner = UidCopy::of(controller_uid(&p.metadata)?);
    let active = crate::controllers::is_active(p);
    let ready = active && crate::controllers::ready_since(p).is_some();
    let rank = active.then(|| deletion_rank(p));
    Some(Contribution {
        owner,
        active,
        ready,
        rank,
    })
}

/// A controller uid kept across a change without a heap copy (uids are 36 bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
enum UidCopy {
    Inline([u8; 48], u8),
    Heap(String),
}

impl UidCopy {
    fn of(s: &str) -> UidCopy {
        if s.len() <= 48 {
            let mut b = [0; 48];
            b[..s.len()].copy_from_slice(s.as_bytes());
            UidCopy::Inline(b, s.len() as u8)
        } else {
            UidCopy::Heap(s.to_string())
        }
    }
    fn as_bytes(&self) -> &[u8] {
        match self {
            UidCopy::Inline(b, n) => &b[..*n as usize],
            UidCopy::Heap(s) => s.as_bytes(),
        }
    }
    /// The uid again.
    fn as_str(&self) -> &str {
        match self {
            // SAFETY: the bytes were copied whole from a `str` (`UidCopy::of`), so they are
            // UTF-8 (as `Name::as_str`; checked again on every pod write, they cost more than
            // the check is worth).
            UidCopy::Inline(b, n) => unsafe { std::str::from_utf8_unchecked(&b[..*n as usize]) },
            UidCopy::Heap(s) => s,
        }
    }
}

fn controller_uid(meta: &ObjectMeta) -> Option<&str> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| r.uid.as_str())
}

impl Store {
    pub fn next_resource_version(&mut self) -> String {
        self.writes += 1;
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    /// The last resourceVersion handed out.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// The version the next write will get, without taking it yet.
    pub fn next_resource_version_peek(&self) -> String {
        (self.resource_version + 1).to_string()
    }

    pub fn commit_resource_version(&mut self) {
        self.writes += 1;
        self.resource_version += 1;
    }

    /// How many writes the store has seen; equal counts mean nothing changed in between.
    pub fn writes(&self) -> u64 {
        self.writes
    }

    pub fn get<T: Stored>(&self, k: &Key) -> Option<&T> {
        T::table(self).get(k)
    }

    /// Change an object in place, keeping the owner index and pod tallies right.
    pub fn modify<T: Stored, R>(&mut self, k: &Key, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let o = T::table_mut(self).get_mut(k)?;
        let owner_before = controller_uid(o.meta()).map(UidCopy::of);
        let standing_before = standing(o);
        let r = f(o);
        // Most writes change neither the controller nor what the pod counts for: only the
        // comparison (on the object just written, not looked up again), no copies.
        let (same_owner, standing_now) = {
            let o: &T = o;
            let owner_now = controller_uid(o.meta());
            (
                owner_before.as_ref().map(UidCopy::as_bytes) == owner_now.map(str::as_bytes),
                standing(o),
            )
        };
        if same_owner && standing_before == standing_now {
            return Some(r);
        }
        let o = T::table(self).get(k)?;
        let owner_now = controller_uid(o.meta());
        // Only the deletion rank moved, for an owner whose order is not kept yet.
        if let (true, Some(b), Some(n), Some(uid)) =
            (same_owner, standing_before, standing_now, owner_now)
        {
            if (b.active, b.ready) == (n.active, n.ready)
                && !self.owner_pods.get(uid).is_some_and(|e| e.built)
            {
                return Some(r);
            }
        }
        let (tally_before, tally_after) = (
            standing_before
                .zip(owner_before.clone())
                .map(|(s, owner)| s.with(owner, k)),
            tally_of(o),
        );
        if !same_owner {
            let owner_after = owner_now.map(str::to_string);
            if let Some(uid) = &owner_before {
                self.unindex(uid.as_str(), T::KIND, k);
            }
            if let Some(uid) = owner_after {
                self.owned
                    .entry(uid)
                    .or_default()
                    .insert((T::KIND, k.clone()));
            }
        }
        if tally_before != tally_after {
            self.count(tally_before, k, -1);
            self.count(tally_after, k, 1);
        }
        Some(r)
    }

    fn count(&mut self, t: Option<Contribution>, k: &Key, sign: i32) {
        let Some(c) = t else { return };
        let delta = PodTally {
            active: sign * c.active as i32,
            ready: sign * c.ready as i32,
        };
        if c.rank.is_none() && delta == PodTally::default() {
            return;
        }
        let owner = c.owner.as_str();
        if sign > 0 {
            // The owner's entry is made only when it is new (the uid is copied in then).
            let e = match self.owner_pods.get_mut(owner) {
                Some(e) => e,
                None => self.owner_pods.entry(owner.to_string()).or_default(),
            };
            if let Some(rank) = c.rank.filter(|_| e.built) {
                e.ranked.insert((rank, k.clone()));
            }
            e.tally.active += delta.active;
            e.tally.ready += delta.ready;
        } else if let Some(e) = self.owner_pods.get_mut(owner) {
            if let Some(rank) = c.rank.filter(|_| e.built) {
                e.ranked.remove(&(rank, k.clone()));
            }
            e.tally.active += delta.active;
            e.tally.ready += delta.ready;
            if e.ranked.is_empty() && e.tally == PodTally::default() {
                self.owner_pods.remove(owner);
            }
        }
    }

    /// The `n` active pods of `uid` that its ReplicaSet should delete first.
    pub fn first_to_delete(&mut self, uid: &str, n: usize) -> Vec<Key> {
        self.build_ranked(uid);
        self.owner_pods
            .get(uid)
            .into_iter()
            .flat_map(|e| &e.ranked)
            .take(n)
            .map(|(_, k)| k.clone())
            .collect()
    }

    /// Order the active pods of `uid` for deletion, if they are not kept in order yet: the
    /// same set `count` keeps from then on (a pod is in `owned` under its controller's uid,
    /// as it is counted).
    fn build_ranked(&mut self, uid: &str) {
        if self.owner_pods.get(uid).is_none_or(|e| e.built) {
            return;
        }
        let ranked: BTreeSet<(Rank, Key)> = self
            .owned_by_unordered(uid)
            .filter(|(kind, _)| *kind == Kind::Pod)
            .filter_map(|(_, k)| Some((k, self.pods.get(k)?)))
            .filter(|(_, p)| crate::controllers::is_active(p))
            .map(|(k, p)| (deletion_rank(p), k.clone()))
            .collect();
        if let Some(e) = self.owner_pods.get_mut(uid) {
            e.ranked = ranked;
            e.built = true;
        }
    }

    /// Active and ready pods controlled by `uid`.
    pub fn pod_tally(&self, uid: &str) -> PodTally {
        self.owner_pods
            .get(uid)
            .map(|e| e.tally)
            .unwrap_or_default()
    }

    /// Objects of one kind in one namespace, in name order.
    pub fn list<'a, T: Stored>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a T> + 'a {
        T::table(self)
            .range(key(ns, "")..)
            .take_while(move |(k, _)| k.0 == ns)
            .map(|(_, v)| v)
    }

    /// Insert or replace. The caller has set metadata (uid, resourceVersion...). A pod's token
    /// volume, as admission made it, is kept implied ([`crate::serviceaccount::mount_token`]).
    pub fn put<T: Stored>(&mut self, mut o: T) {
        if let Some(p) = (&mut o as &mut dyn std::any::Any).downcast_mut::<Pod>() {
            crate::serviceaccount::imply_token_volume(p);
        }
        self.writes += 1;
        let k = key_of(o.meta());
        if let Some(old) = T::table(self).get(&k) {
            let t = tally_of(old);
            if let Some(uid) = controller_uid(old.meta()).map(UidCopy::of) {
                self.unindex(uid.as_str(), T::KIND, &k);
            }
            self.count(t, &k, -1);
        }
        self.count(tally_of(&o), &k, 1);
        if let Some(uid) = controller_uid(o.meta()) {
            // The uid is copied only for an owner's first object.
            let entry = (T::KIND, k.clone());
            match self.owned.get_mut(uid) {
                Some(set) => {
                    set.insert(entry);
                }
                None => {
                    let mut set = OrderedSet::default();
                    set.insert(entry);
                    self.owned.insert(uid.to_string(), set);
                }
            }
        }
        T::table_mut(self).insert(k, o);
    }

    pub fn remove<T: Stored>(&mut self, k: &Key) -> Option<Rc<T>> {
        let o = T::table_mut(self).remove(k)?;
        self.writes += 1;
        if let Some(uid) = controller_uid(o.meta()) {
            self.unindex(uid, T::KIND, k);
        }
        self.count(tally_of(&*o), k, -1);
        Some(o)
    }

    fn unindex(&mut self, uid: &str, kind: Kind, k: &Key) {
        if let Some(set) = self.owned.get_mut(uid) {
            set.remove(&(kind, k.clone()));
            if set.is_empty() {
                self.owned.remove(uid);
            }
        }
    }

    /// Objects whose controller is the object with `uid`, in (kind, key) order.
    pub fn owned_by(&self, uid: &str) -> impl Iterator<Item = &(Kind, Key)> {
        self.owned
            .get(uid)
            .into_iter()
            .flat_map(|set| set.sorted().iter())
    }

    /// `owned_by` in no particular order: for those who count, or order by something else.
    pub fn owned_by_unordered(&self, uid: &str) -> impl Iterator<Item = &(Kind, Key)> {
        self.owned
            .get(uid)
            .into_iter()
            .flat_map(|set| set.iter_unordered())
    }

    /// Keys of one kind controlled by `uid`.
    pub fn owned_keys<T: Stored>(&self, uid: &str) -> Vec<Key> {
        self.owned_by(uid)
            .filter(|(k, _)| *k == T::KIND)
            .map(|(_, key)| key.clone())
            .collect()
    }
}
