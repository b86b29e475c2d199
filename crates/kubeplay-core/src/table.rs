//! `Table`: a map from `Key` to objects that iterates in key order, like a `BTreeMap`, but
//! finds one key by hash. With thousands of pods, a B-tree lookup compares the key with a
//! dozen or more stored keys, each a pair of heap strings read from memory that is rarely in
//! cache; a hash lookup reads the key once and compares with one stored key. Looking up one
//! object is what controllers and the kubelet do most; listing in order goes through the
//! ordered set of keys, which is only written when an object is added or removed.
//!
//! Values are shared (`Rc`) and copied on write: a reader that must hold an object while it
//! writes to the world (the kubelet, for the length of one pod's sync) takes a reference
//! ([`Table::get_shared`]) instead of a copy. A write to an object someone holds copies it
//! first (`Rc::make_mut`), so what the holder sees never changes under it.

use crate::store::Key;
use std::collections::{btree_set, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
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
/// small (a lookup reads a compact table, growing it moves pointers, not objects).
#[derive(Clone, Debug)]
pub struct Table<V> {
    map: HashMap<Key, Rc<V>, FxBuild>,
    order: BTreeSet<Key>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table {
            map: HashMap::default(),
            order: BTreeSet::new(),
        }
    }
}

impl<V> Table<V> {
    pub fn get(&self, k: &Key) -> Option<&V> {
        self.map.get(k).map(|v| &**v)
    }
    /// The object itself, shared: held past a write to the table, it stays as it was.
    pub fn get_shared(&self, k: &Key) -> Option<Rc<V>> {
        self.map.get(k).cloned()
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
            Some(old) => *old = Rc::new(v),
            None => {
                self.order.insert(k.clone());
                self.map.insert(k, Rc::new(v));
            }
        }
    }
    /// Remove a key; the object comes back shared, as others may still hold it.
    pub fn remove(&mut self, k: &Key) -> Option<Rc<V>> {
        let v = self.map.remove(k)?;
        self.order.remove(k);
        Some(v)
    }
    /// Entries in key order.
    pub fn iter(&self) -> Iter<'_, V> {
        Iter {
            keys: self.order.range(..),
            map: &self.map,
        }
    }
    /// Entries from `r.start` on, in key order.
    pub fn range(&self, r: RangeFrom<Key>) -> Iter<'_, V> {
        Iter {
            keys: self.order.range(r),
            map: &self.map,
        }
    }
    /// Keys from `r.start` on, in key order (no object is looked up).
    pub fn keys_from(&self, r: RangeFrom<Key>) -> btree_set::Range<'_, Key> {
        self.order.range(r)
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + '_ {
        self.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + '_ {
        self.iter().map(|(_, v)| v)
    }
}

impl<V: Clone> Table<V> {
    /// The object, to change in place; copied first if someone holds it.
    pub fn get_mut(&mut self, k: &Key) -> Option<&mut V> {
        self.map.get_mut(k).map(Rc::make_mut)
    }
}

pub struct Iter<'a, V> {
    keys: btree_set::Range<'a, Key>,
    map: &'a HashMap<Key, Rc<V>, FxBuild>,
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a Key, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        // The order and the map hold the same keys.
        let k = self.keys.next()?;
        Some((k, &**self.map.get(k)?))
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let k = self.keys.next_back()?;
        Some((k, &**self.map.get(k)?))
    }
}

impl<'a, V> IntoIterator for &'a Table<V> {
    type Item = (&'a Key, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}
