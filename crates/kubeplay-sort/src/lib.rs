//! Stable sorts that share one copy of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element type *and* the comparison closure, so every
//! call site carries its own copy of the whole merge/quick sort (about 4 KB of WebAssembly
//! each; the page had 65 of them). These functions sort a list of indices with a comparison
//! behind `dyn`, which is one instantiation for the whole program, then move the elements
//! into place. The result is exactly that of the standard stable sort: equal elements keep
//! their order.
//!
//! Collecting into a `BTreeMap` or `BTreeSet` sorts too (a copy per element type): [`map`],
//! [`set`] and [`Collect`] build the same collections by inserting.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// `iter.collect::<BTreeMap<_, _>>()` (or `BTreeMap::from([...])`) without its sort: those sort
/// the entries first, a copy of the sort for each key and value type. The same map: a later
/// entry with an equal key replaces the earlier one's value.
pub fn map<K: Ord, V>(iter: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut m = BTreeMap::new();
    for (k, v) in iter {
        m.insert(k, v);
    }
    m
}

/// `iter.collect::<BTreeSet<_>>()` without its sort.
pub fn set<T: Ord>(iter: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut s = BTreeSet::new();
    for x in iter {
        s.insert(x);
    }
    s
}

/// `collect_map()`/`collect_set()` on any iterator: [`map`] and [`set`] in a chain.
pub trait Collect: Iterator + Sized {
    fn collect_map<K: Ord, V>(self) -> BTreeMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        map(self)
    }
    fn collect_set(self) -> BTreeSet<Self::Item>
    where
        Self::Item: Ord,
    {
        set(self)
    }
}

impl<I: Iterator> Collect for I {}

/// `v.sort_by(cmp)`, stable.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// `v.sort_by_key(key)`, stable.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// `v.sort()`, stable.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp)
}

#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Rearrange `v` so that its element `i` is the old element `order[i]`, following each
/// cycle of the permutation once.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut cur = start;
        while order[cur] != cur {
            let next = order[cur];
            order[cur] = cur;
            if next == start {
                break;
            }
            v.swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the test needs no dependency.
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn map_and_set_are_what_collect_builds() {
        let pairs = vec![("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)];
        let std_map: BTreeMap<_, _> = pairs.iter().cloned().collect();
        assert_eq!(map(pairs.iter().cloned()), std_map);
        assert_eq!(pairs.iter().cloned().collect_map(), std_map);
        let std_set: BTreeSet<_> = pairs.iter().map(|p| p.0).collect();
        assert_eq!(pairs.iter().map(|p| p.0).collect_set(), std_set);
        assert_eq!(set(pairs.iter().map(|p| p.0)), std_set);
    }

    #[test]
    fn same_as_the_standard_stable_sort() {
        let mut seed = 7;
        for len in (0..40).chain([100, 257, 1000, 5000]) {
            for range in [1, 3, 10, 1000] {
                let v: Vec<(u64, usize)> = (0..len).map(|i| (lcg(&mut seed) % range, i)).collect();
                let mut a = v.clone();
                let mut b = v.clone();
                a.sort_by(|x, y| x.0.cmp(&y.0));
                sort_by(&mut b, |x, y| x.0.cmp(&y.0));
                assert_eq!(a, b, "len {len} range {range}");
                let mut c = v.clone();
                sort_by_key(&mut c, |x| x.0);
                assert_eq!(a, c);
                let mut d = v.clone();
                let mut e = v.clone();
                d.sort();
                sort(&mut e);
                assert_eq!(d, e);
            }
        }
    }

    #[test]
    fn moves_owned_values() {
        let mut v: Vec<String> = ["b", "a", "d", "c", "a"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sort(&mut v);
        assert_eq!(v, ["a", "a", "b", "c", "d"]);
        let mut w = vec![3, 1, 2];
        sort_by(&mut w, |a, b| b.cmp(a));
        assert_eq!(w, [3, 2, 1]);
    }
}
