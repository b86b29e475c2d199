//! `Table`: a map from `Key` to objects that iterates in key order, like a `BTreeMap`, but
//! finds one key by hash. With thousands of pods, a B-tree lookup compares the key with a
//! dozen or more stored keys, each a pair of heap strings read from memory that is rarely in
//! cache; a hash lookup reads the key once and compares with one stored key. Looking up one
//! object is what controllers and the kubelet do most. Listing in order goes through a sorted
//! list of the keys, brought up to date only when someone lists ([`Order`]): a rollout adds
//! and removes thousands of pods and lists none of them, and a B-tree of keys kept in order as
//! they came and went was about a twentieth of its time.
//!
//! Values are shared (`Rc`) and copied on write: a reader that must hold an object while it
//! writes to the world (the kubelet, for the length of one pod's sync) takes a reference
//! ([`Table::get_shared`]) instead of a copy. A write to an object someone holds copies it
//! first (`Rc::make_mut`), so what the holder sees never changes under it.

use crate::store::Key;
use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::RangeFrom;
use std::rc::Rc;

/// FxHash (as in rustc): fast on short strings, and the same on every run and platform.
/// Nothing iterates the hash maps it is used in, so its order is never seen.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for b in chunks.remainder() {
            self.add(*b as u64);
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(n as u64);
    }
    fn write_u32(&mut self, n: u32) {
        self.add(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;

/// Objects by key: hashed for lookups, ordered for iteration. Values are behind a pointer: a
/// k8s-openapi object is kilobytes inline (a Pod about 2.5 KB), and so the hash table stays
/// small (a lookup reads a compact table, growing it moves pointers, not objects). Printed
/// (`Debug`) as its entries in key order: what it holds, not how far its order was brought
/// up to date (two worlds that did the same, listing at different times, print the same).
#[derive(Clone)]
pub struct Table<V> {
    map: HashMap<Key, Slot<V>, FxBuild>,
    order: Order<Key>,
}

/// An object, and whether its key is in the table's last sorted list ([`Order`]).
#[derive(Clone)]
struct Slot<V> {
    value: Rc<V>,
    listed: Cell<bool>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table {
            map: HashMap::default(),
            order: Order::default(),
        }
    }
}

impl<V> Table<V> {
    pub fn get(&self, k: &Key) -> Option<&V> {
        self.map.get(k).map(|s| &*s.value)
    }
    /// The object itself, shared: held past a write to the table, it stays as it was.
    pub fn get_shared(&self, k: &Key) -> Option<Rc<V>> {
        self.map.get(k).map(|s| s.value.clone())
    }
    pub fn contains_key(&self, k: &Key) -> bool {
        self.map.contains_key(k)
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// Insert or replace.
    pub fn insert(&mut self, k: Key, v: V) {
        match self.map.get_mut(&k) {
            Some(old) => old.value = Rc::new(v),
            None => {
                self.order.changed();
                let slot = Slot {
                    value: Rc::new(v),
                    listed: Cell::new(false),
                };
                self.map.insert(k, slot);
            }
        }
    }
    /// Remove a key; the object comes back shared, as others may still hold it.
    pub fn remove(&mut self, k: &Key) -> Option<Rc<V>> {
        let v = self.map.remove(k)?;
        self.order.changed();
        Some(v.value)
    }
    /// The keys, sorted.
    fn sorted(&self) -> &[Key] {
        self.order
            .sorted(self.map.iter().map(|(k, s)| (k, &s.listed)), |k| {
                self.map.contains_key(k)
            })
    }
    /// Entries in key order.
    pub fn iter(&self) -> Iter<'_, V> {
        Iter {
            keys: self.sorted().iter(),
            map: &self.map,
        }
    }
    /// Entries from `r.start` on, in key order.
    pub fn range(&self, r: RangeFrom<Key>) -> Iter<'_, V> {
        Iter {
            keys: self.keys_from(r),
            map: &self.map,
        }
    }
    /// Keys from `r.start` on, in key order (no object is looked up).
    pub fn keys_from(&self, r: RangeFrom<Key>) -> std::slice::Iter<'_, Key> {
        let sorted = self.sorted();
        sorted[sorted.partition_point(|k| *k < r.start)..].iter()
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + '_ {
        self.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + '_ {
        self.iter().map(|(_, v)| v)
    }
}

/// Keys in order, brought up to date only when read. `base` is sorted, as the keys were when
/// someone last listed them; each key held marks whether it is in that list (`listed`, false
/// for a key added since). Reading after a change sorts only the keys added since, and merges
/// them into `base` less the keys no longer held: once (`view`) until the next change, which
/// starts from that view. So adding and removing keys costs nothing here, and nothing is
/// kept per change: a rollout of 10,000 pods adds and removes 20,000 and lists none of them.
#[derive(Clone, Debug)]
pub(crate) struct Order<T> {
    base: Vec<T>,
    /// Keys came or went since `base`.
    changed: bool,
    /// `base` with the changes applied, once someone read it.
    view: OnceCell<Vec<T>>,
}

impl<T> Default for Order<T> {
    fn default() -> Self {
        Order {
            base: Vec::new(),
            changed: false,
            view: OnceCell::new(),
        }
    }
}

impl<T: Ord + Clone> Order<T> {
    /// A key is about to come or has gone: the next reader merges.
    pub(crate) fn changed(&mut self) {
        if let Some(view) = self.view.take() {
            self.base = view;
        }
        self.changed = true;
    }
    /// The keys held, sorted: `held` lists each with its mark, `contains` answers for one.
    pub(crate) fn sorted<'a>(
        &'a self,
        held: impl Iterator<Item = (&'a T, &'a Cell<bool>)>,
        contains: impl Fn(&T) -> bool,
    ) -> &'a [T] {
        if !self.changed {
            return &self.base;
        }
        self.view.get_or_init(|| {
            // What came since (it may be in `base` too, if it went and came back), marked as
            // listed from now on: the view becomes the next `base`.
            let mut new: Vec<&T> = held
                .filter(|(_, listed)| !listed.replace(true))
                .map(|(k, _)| k)
                .collect();
            new.sort_unstable();
            let mut out = Vec::with_capacity(self.base.len() + new.len());
            let mut new = new.into_iter().peekable();
            for k in self.base.iter().filter(|k| contains(k)) {
                while let Some(n) = new.next_if(|n| *n < k) {
                    out.push(n.clone());
                }
                // Back after it went: it is here already.
                new.next_if(|n| *n == k);
                out.push(k.clone());
            }
            out.extend(new.cloned());
            out
        })
    }
}

/// A hashed set that lists in order ([`Order`]): adding and removing cost a hash, and the
/// order is paid for only by those who list. Printed (`Debug`) as its elements in order.
#[derive(Clone)]
pub(crate) struct OrderedSet<T> {
    set: HashMap<T, Cell<bool>, FxBuild>,
    order: Order<T>,
}

impl<T> Default for OrderedSet<T> {
    fn default() -> Self {
        OrderedSet {
            set: HashMap::default(),
            order: Order::default(),
        }
    }
}

impl<T: Ord + Hash + Clone> OrderedSet<T> {
    /// Whether `k` is new.
    pub(crate) fn insert(&mut self, k: T) -> bool {
        use std::collections::hash_map::Entry;
        match self.set.entry(k) {
            Entry::Occupied(_) => false,
            Entry::Vacant(e) => {
                e.insert(Cell::new(false));
                self.order.changed();
                true
            }
        }
    }
    /// Whether `k` was there.
    pub(crate) fn remove(&mut self, k: &T) -> bool {
        if self.set.remove(k).is_none() {
            return false;
        }
        self.order.changed();
        true
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
    /// In no particular order: for those who only count or look, or sort by something else.
    pub(crate) fn iter_unordered(&self) -> impl Iterator<Item = &T> {
        self.set.keys()
    }
    /// In order.
    pub(crate) fn sorted(&self) -> &[T] {
        self.order
            .sorted(self.set.iter(), |k| self.set.contains_key(k))
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for Table<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: Ord + Hash + Clone + std::fmt::Debug> std::fmt::Debug for OrderedSet<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.sorted()).finish()
    }
}

pub struct Iter<'a, V> {
    keys: std::slice::Iter<'a, Key>,
    map: &'a HashMap<Key, Slot<V>, FxBuild>,
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a Key, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        // The order and the map hold the same keys.
        let k = self.keys.next()?;
        Some((k, &*self.map.get(k)?.value))
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let k = self.keys.next_back()?;
        Some((k, &*self.map.get(k)?.value))
    }
}

impl<'a, V> IntoIterator for &'a Table<V> {
    type Item = (&'a Key, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}

impl<V: Clone> Table<V> {
    /// The object, to change in place; copied first if someone holds it.
    pub fn get_mut(&mut self, k: &Key) -> Option<&mut V> {
        self.map.get_mut(k).map(|s| Rc::make_mut(&mut s.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::key;
    use std::collections::BTreeSet;

    /// A few keys, so that the same one comes and goes many times.
    fn some_key(r: &mut u64) -> Key {
        *r = r
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = (*r >> 33) % 40;
        key(if n % 3 == 0 { "a" } else { "b" }, &format!("pod-{n}"))
    }

    #[test]
    fn table_lists_in_key_order_through_any_mix_of_changes_and_reads() {
        let mut t: Table<u32> = Table::default();
        let mut model: BTreeSet<Key> = BTreeSet::new();
        let mut r = 7u64;
        for i in 0..5000u32 {
            let k = some_key(&mut r);
            match (r >> 20) % 4 {
                0 | 1 => {
                    t.insert(k.clone(), i);
                    model.insert(k);
                }
                2 => {
                    assert_eq!(t.remove(&k).is_some(), model.remove(&k));
                }
                // Read only now and then: changes pile up between reads, and sometimes
                // outnumber the keys (folded in without a read).
                _ if (r >> 40) % 16 == 0 => {
                    let keys: Vec<&Key> = t.keys().collect();
                    assert_eq!(keys, model.iter().collect::<Vec<_>>());
                    let from = key("b", "pod-2");
                    let tail: Vec<&Key> = t.keys_from(from.clone()..).collect();
                    assert_eq!(tail, model.range(from..).collect::<Vec<_>>());
                    assert_eq!(
                        t.keys().rev().collect::<Vec<_>>(),
                        model.iter().rev().collect::<Vec<_>>()
                    );
                }
                _ => {}
            }
            assert_eq!(t.len(), model.len());
        }
        let keys: Vec<&Key> = t.keys().collect();
        assert_eq!(keys, model.iter().collect::<Vec<_>>());
    }

    #[test]
    fn changes_cost_nothing_until_someone_lists() {
        let mut t: Table<u32> = Table::default();
        let mut model: BTreeSet<Key> = BTreeSet::new();
        for pass in 0..3u32 {
            for round in 0..300u32 {
                // Ten come and nine go again (the one kept differs from round to round), and
                // the same ones come back in the next pass.
                for i in 0..10 {
                    let k = key("ns", &format!("p{round}-{i}"));
                    t.insert(k.clone(), i);
                    model.insert(k);
                }
                for i in (0..10).filter(|i| *i != (round + pass) % 10) {
                    let k = key("ns", &format!("p{round}-{i}"));
                    t.remove(&k);
                    model.remove(&k);
                }
            }
            // Nothing was sorted or kept for the changes: the order is as the last list left it.
            assert!(t.order.view.get().is_none());
            assert!(t.order.base.len() <= 2 * 300);
            assert_eq!(
                t.keys().collect::<Vec<_>>(),
                model.iter().collect::<Vec<_>>()
            );
            assert_eq!(t.order.view.get().map(Vec::len), Some(model.len()));
        }
    }

    /// Two tables holding the same, one listed along the way and one not, print the same.
    #[test]
    fn a_table_prints_what_it_holds_not_how_it_was_listed() {
        let (mut a, mut b): (Table<u32>, Table<u32>) = Default::default();
        let (mut sa, mut sb): (OrderedSet<Key>, OrderedSet<Key>) = Default::default();
        let mut model = std::collections::BTreeMap::new();
        for i in 0..20u32 {
            let k = key("ns", &format!("p{}", (i * 7) % 13));
            for t in [&mut a, &mut b] {
                t.insert(k.clone(), i);
            }
            model.insert(k.clone(), i);
            sa.insert(k.clone());
            sb.insert(k.clone());
            if i % 3 == 0 {
                model.remove(&k);
                a.remove(&k);
                b.remove(&k);
                sa.remove(&k);
                sb.remove(&k);
            }
            // Only `a` and `sa` are listed as they go.
            let _ = a.keys().count();
            let _ = sa.sorted();
        }
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(format!("{sa:?}"), format!("{sb:?}"));
        // As a map in key order prints.
        assert_eq!(format!("{a:?}"), format!("{model:?}"));
        let keys: BTreeSet<&Key> = model.keys().collect();
        assert_eq!(format!("{sa:?}"), format!("{keys:?}"));
    }

    #[test]
    fn ordered_set_lists_in_order_and_answers_membership() {
        let mut s: OrderedSet<Key> = OrderedSet::default();
        let mut model: BTreeSet<Key> = BTreeSet::new();
        let mut r = 11u64;
        for _ in 0..3000 {
            let k = some_key(&mut r);
            if (r >> 30) % 3 == 0 {
                assert_eq!(s.remove(&k), model.remove(&k));
            } else {
                assert_eq!(s.insert(k.clone()), model.insert(k));
            }
            if (r >> 40) % 8 == 0 {
                assert_eq!(
                    s.sorted().iter().collect::<Vec<_>>(),
                    model.iter().collect::<Vec<_>>()
                );
            }
            let mut any: Vec<&Key> = s.iter_unordered().collect();
            any.sort();
            assert_eq!(any, model.iter().collect::<Vec<_>>());
            assert_eq!(s.is_empty(), model.is_empty());
        }
    }
}
