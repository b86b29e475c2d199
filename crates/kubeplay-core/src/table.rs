//! `Table`: a map from `Key` to objects that iterates in key order, like a `BTreeMap`, but
//! finds one key by hash. With thousands of pods, a B-tree lookup compares the key with a
//! dozen or more stored keys, each a pair of heap strings read from memory that is rarely in
//! cache; a hash lookup reads the key once and compares with one stored key. Looking up one
//! object is what controllers and the kubelet do most; listing in order goes through the
//! ordered set of keys, which is only written when an object is added or removed.

use crate::store::Key;
use std::collections::{btree_set, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::RangeFrom;

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

/// Objects by key: hashed for lookups, ordered for iteration. Values are boxed: a k8s-openapi
/// object is kilobytes inline (a Pod about 2.5 KB), and boxed the hash table stays small
/// (a lookup reads a compact table, growing it moves pointers, not objects).
#[derive(Clone, Debug)]
pub struct Table<V> {
    map: HashMap<Key, Box<V>, FxBuild>,
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
        self.map.get(k).map(|b| &**b)
    }
    pub fn get_mut(&mut self, k: &Key) -> Option<&mut V> {
        self.map.get_mut(k).map(|b| &mut **b)
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
    /// Insert or replace; returns the replaced value.
    pub fn insert(&mut self, k: Key, v: V) -> Option<V> {
        match self.map.get_mut(&k) {
            Some(old) => Some(std::mem::replace(&mut **old, v)),
            None => {
                self.order.insert(k.clone());
                self.map.insert(k, Box::new(v));
                None
            }
        }
    }
    /// Remove a key, whether its value is in the table or out (`take`).
    pub fn remove(&mut self, k: &Key) -> Option<V> {
        let v = self.map.remove(k);
        self.order.remove(k);
        v.map(|b| *b)
    }
    /// Take a value out for a while and keep its place: until `restore` puts it back, lookups
    /// and iteration do not see it (as if removed), and neither costs a walk of the order.
    pub fn take(&mut self, k: &Key) -> Option<V> {
        self.map.remove(k).map(|b| *b)
    }
    /// Put back what `take` took.
    pub fn restore(&mut self, k: Key, v: V) {
        debug_assert!(self.order.contains(&k));
        self.map.insert(k, Box::new(v));
    }
    pub fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
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
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + '_ {
        self.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + '_ {
        self.iter().map(|(_, v)| v)
    }
}

pub struct Iter<'a, V> {
    keys: btree_set::Range<'a, Key>,
    map: &'a HashMap<Key, Box<V>, FxBuild>,
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a Key, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        // A key whose value is out (`take`) is passed over.
        self.keys.find_map(|k| Some((k, &**self.map.get(k)?)))
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        loop {
            let k = self.keys.next_back()?;
            if let Some(v) = self.map.get(k) {
                return Some((k, &**v));
            }
        }
    }
}

impl<'a, V> IntoIterator for &'a Table<V> {
    type Item = (&'a Key, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}
