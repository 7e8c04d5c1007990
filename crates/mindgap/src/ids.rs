//! The ids of one kind of record, remembered to catch duplicates.
//!
//! A diary can hold tens of millions of interactions, and each id has to be
//! remembered until the end (a duplicate can come last). A map of boxed
//! strings costs 70 to 110 bytes an id (the box, its allocation, the map's
//! 32-byte slot, doubled while the map grows); here every id's text sits in
//! one buffer and the table holds 8-byte entries (the position and a 32-bit
//! hash): about 35 bytes an id for the sample's ids, and no allocation per id.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// A set of ids in the order they were added; an id's position is its
/// *slot*.
#[derive(Debug, Default, Clone)]
pub(crate) struct Ids {
    /// Every id's text, one after another.
    text: String,
    /// Where each id's text ends in `text` (it starts where the previous
    /// one ends).
    ends: Vec<usize>,
    /// Slots, found by their id's hash, each with 32 bits of that hash
    /// (so that growing the table reads no text).
    table: HashTable<(u32, u32)>,
}

/// Ids with where each was read.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    ids: Ids,
    /// The line each id was read at (0 when unknown).
    lines: Vec<u64>,
    /// `(first slot, file)` at each change of file: ids come file by file.
    files: Vec<(u32, u32)>,
}

/// An id's hash in 32 bits: what the table keeps.
fn hash32(id: &str) -> u32 {
    fold(FxBuildHasher.hash_one(id))
}

/// Both halves of a hash folded into one. Not the top half alone: on 32-bit
/// targets (WebAssembly) the hasher's state is 32 bits and the top half of
/// its `u64` is always zero, which put every id in one bucket chain.
fn fold(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// The table's hash, made from the kept 32 bits (spread over all 64 bits: the
/// table reads both ends).
fn widen(h: u32) -> u64 {
    u64::from(h).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The text of the id at `slot`.
fn text_of<'a>(text: &'a str, ends: &[usize], slot: u32) -> &'a str {
    let slot = slot as usize;
    let end = ends.get(slot).copied().unwrap_or(0);
    let start = slot
        .checked_sub(1)
        .and_then(|s| ends.get(s).copied())
        .unwrap_or(0);
    text.get(start..end).unwrap_or("")
}

impl Ids {
    /// The number of ids.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The slot of `id`, if there.
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        let (text, ends) = (&self.text, &self.ends);
        let h = hash32(id);
        self.table
            .find(widen(h), |&(s, k)| k == h && text_of(text, ends, s) == id)
            .map(|&(s, _)| s)
    }

    /// The id at `slot` (empty when there is none).
    pub(crate) fn name(&self, slot: u32) -> &str {
        text_of(&self.text, &self.ends, slot)
    }

    /// Adds `id`: its new slot, or `Err` with the slot it already has.
    pub(crate) fn insert(&mut self, id: &str) -> Result<u32, u32> {
        let Ids { text, ends, table } = self;
        let slot = u32::try_from(ends.len()).unwrap_or(u32::MAX);
        let h = hash32(id);
        let entry = table.entry(
            widen(h),
            |&(s, k)| k == h && text_of(text, ends, s) == id,
            |&(_, k)| widen(k),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => Err(e.get().0),
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert((slot, h));
                text.push_str(id);
                ends.push(text.len());
                Ok(slot)
            }
        }
    }

    /// Frees the room kept for more ids.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.table.shrink_to_fit(|&(_, k)| widen(k));
    }
}

impl Registry {
    /// The slot of `id`, if registered.
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        self.ids.get(id)
    }

    /// Registers `id`, read at `line` of file number `file`: its new slot,
    /// or `Err` with the slot it already has.
    pub(crate) fn insert(&mut self, id: &str, file: u32, line: u64) -> Result<u32, u32> {
        let slot = self.ids.insert(id)?;
        self.lines.push(line);
        if self.files.last().is_none_or(|&(_, f)| f != file) {
            self.files.push((slot, file));
        }
        Ok(slot)
    }

    /// The file number and line the id at `slot` was read at.
    pub(crate) fn seen(&self, slot: u32) -> (u32, u64) {
        let run = self.files.partition_point(|&(first, _)| first <= slot);
        let file = run
            .checked_sub(1)
            .and_then(|r| self.files.get(r))
            .map_or(0, |&(_, f)| f);
        (file, self.lines.get(slot as usize).copied().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn a_hash_with_nothing_in_its_top_half_still_spreads() {
        // What a 32-bit hasher gives: distinct low halves stay distinct.
        let folded: std::collections::HashSet<u32> =
            (0..1000u64).map(|h| fold(h * 0x9e37_79b9)).collect();
        assert_eq!(folded.len(), 1000);
        assert_ne!(hash32("i-1"), hash32("i-2"));
    }

    #[test]
    fn slots_lines_and_files_are_remembered() {
        let mut r = Registry::default();
        assert_eq!(r.insert("i-1", 0, 2), Ok(0));
        assert_eq!(r.insert("i-2", 0, 3), Ok(1));
        assert_eq!(r.insert("", 1, 9), Ok(2));
        assert_eq!(r.insert("i-3", 1, 10), Ok(3));
        assert_eq!(r.insert("i-2", 1, 11), Err(1));
        assert_eq!(r.insert("", 2, 1), Err(2));
        assert_eq!(r.ids.len(), 4);
        assert_eq!(r.get("i-3"), Some(3));
        assert_eq!(r.get("i-4"), None);
        assert_eq!(r.seen(1), (0, 3));
        assert_eq!(r.seen(3), (1, 10));
        assert_eq!(r.seen(2), (1, 9));
    }

    proptest! {
        /// The registry answers as a map from id to (slot, file, line) does,
        /// across table growth and ids that share prefixes.
        #[test]
        fn agrees_with_a_map(ids in proptest::collection::vec("[a-c]{0,3}", 0..400)) {
            let mut r = Registry::default();
            let mut m: HashMap<String, (u32, u32, u64)> = HashMap::new();
            for (n, id) in ids.iter().enumerate() {
                let (file, line) = ((n / 50) as u32, n as u64 + 2);
                let got = r.insert(id, file, line);
                match m.get(id.as_str()) {
                    Some(&(slot, _, _)) => prop_assert_eq!(got, Err(slot)),
                    None => {
                        let slot = m.len() as u32;
                        prop_assert_eq!(got, Ok(slot));
                        m.insert(id.clone(), (slot, file, line));
                    }
                }
            }
            prop_assert_eq!(r.ids.len(), m.len());
            for (id, &(slot, file, line)) in &m {
                prop_assert_eq!(r.get(id), Some(slot));
                prop_assert_eq!(r.seen(slot), (file, line));
            }
        }
    }
}
