//! Stable sorting with one copy of the sorting code in WebAssembly builds.
//!
//! The standard library's stable sort is generic over the element and the
//! comparison, so each call site compiles its own ~4 KB copy; in the npm
//! package, where bytes are downloaded, every site goes through one
//! non-generic sort of indices instead, and the elements are then moved into
//! place along the permutation's cycles. Native builds call `sort_by`
//! directly. Both give the same order: the standard library's stable one.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp` (as `slice::sort_by`).
pub(crate) fn sort_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    by_index(v, cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
}

/// Sorts `v` stably by `key` (as `slice::sort_by_key`).
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The shared path: the order of the indices, then the moves.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn by_index<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut perm = order(v.len(), &mut |a, b| match (v.get(a), v.get(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        _ => Ordering::Equal,
    });
    permute(v, &mut perm);
}

/// `0..n` sorted stably by `cmp` on the indices (not generic: one copy).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| cmp(a, b));
    idx
}

/// Rearranges `v` so that position `i` holds what was at `perm[i]`: each
/// cycle of the permutation followed once with swaps (linear time);
/// `perm` is left as the identity.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn permute<T>(v: &mut [T], perm: &mut [usize]) {
    for start in 0..perm.len() {
        let mut cur = start;
        while let Some(next) = perm.get_mut(cur).map(|p| std::mem::replace(p, cur)) {
            if next == start || next == cur || next >= v.len() {
                break;
            }
            v.swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The shared path gives the standard library's stable order
        /// (keys with many ties; the payload tells equal keys apart).
        #[test]
        fn by_index_is_the_standard_stable_sort(keys in prop::collection::vec(0u8..6, 0..300)) {
            let mut want: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut got = want.clone();
            want.sort_by_key(|p| p.0);
            by_index(&mut got, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(&got, &want);
            // Descending, through the public helpers too.
            want.sort_by_key(|p| std::cmp::Reverse(p.0));
            sort_by(&mut got, |a, b| b.0.cmp(&a.0));
            prop_assert_eq!(&got, &want);
            want.sort_by_key(|p| p.1);
            sort_by_key(&mut got, |p| p.1);
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn permute_follows_each_cycle() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        let mut perm = vec![2, 0, 1, 4, 3];
        permute(&mut v, &mut perm);
        assert_eq!(v, ['c', 'a', 'b', 'e', 'd']);
        assert_eq!(perm, [0, 1, 2, 3, 4]);
    }
}
