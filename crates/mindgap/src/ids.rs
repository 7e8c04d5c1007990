//! The ids of one kind of record, remembered to catch duplicates.
//!
//! A diary can hold tens of millions of interactions, and each id has to be
//! remembered until the end (a duplicate can come last). A map of boxed
//! strings costs 70 to 110 bytes an id (the box, its allocation, the map's
//! 32-byte slot, doubled while the map grows); here every id's text sits in
//! one buffer, its end in 4 bytes, and the table holds 4-byte entries (the
//! position: a probe that meets an entry whose 7-bit tag matches reads its
//! text); the lines ids were read at are kept as runs of evenly spaced lines
//! (one run per CSV file): about 20 bytes an id for the sample's ids, and no
//! allocation per id. A reader that knows how many ids are coming (from the
//! length of a file) makes room at once ([`Ids::reserve`]): no table is
//! rebuilt, and the old and new tables are never held together.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// A set of ids in the order they were added; an id's position is its
/// *slot*.
#[derive(Debug, Default, Clone)]
pub(crate) struct Ids {
    names: Names,
    /// Slots, found by their id's hash (growing the table hashes the texts
    /// again).
    table: HashTable<u32>,
}

/// The ids' texts by slot.
#[derive(Debug, Default, Clone)]
struct Names {
    /// Every id's text, one after another.
    text: String,
    /// Where each id's text ends in `text` (it starts where the previous
    /// one ends), in its low 32 bits: see [`end_of`].
    ends: Vec<u32>,
    /// The slots whose end passed another 4 GiB of text (in practice none).
    wraps: Vec<u32>,
}

/// Ids with where each was read.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    ids: Ids,
    /// Where the ids were read, as runs of ids on evenly spaced lines of one
    /// file: a CSV file is one run (unless it has multi-line fields), so the
    /// lines cost nothing an id.
    runs: Vec<Run>,
}

/// Ids `slot..` were read in `file` at lines `line`, `line + step`, … (up to
/// the next run's first slot).
#[derive(Debug, Clone, Copy)]
struct Run {
    slot: u32,
    file: u32,
    line: u64,
    /// 0 until the run has a second id.
    step: u64,
}

/// An id's hash, spread over all 64 bits (the table reads both ends: its
/// bucket from the low bits, its 7-bit tag from the top ones). Both halves
/// of the hasher's output are folded and multiplied out again: on 32-bit
/// targets (WebAssembly) its state is 32 bits and the top half of its `u64`
/// is always zero, which put every id in one bucket chain.
fn hash(id: &str) -> u64 {
    let h = FxBuildHasher.hash_one(id);
    u64::from((h ^ (h >> 32)) as u32).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Where the text of the id at `slot` ends (0 when there is none).
fn end_of(ends: &[u32], wraps: &[u32], slot: usize) -> usize {
    let Some(&low) = ends.get(slot) else {
        return 0;
    };
    // Empty (the fast path) unless the ids' text passed 4 GiB (never on
    // 32-bit targets).
    let high = wraps.partition_point(|&w| w as usize <= slot) as u64;
    usize::try_from((high << 32) | u64::from(low)).unwrap_or(usize::MAX)
}

impl Names {
    /// The text of the id at `slot` (empty when there is none).
    fn get(&self, slot: u32) -> &str {
        let slot = slot as usize;
        let end = end_of(&self.ends, &self.wraps, slot);
        let start = slot
            .checked_sub(1)
            .map_or(0, |s| end_of(&self.ends, &self.wraps, s));
        self.text.get(start..end).unwrap_or("")
    }

    /// The hash of the id at `slot` (what growing the table reads).
    fn hash(&self, slot: u32) -> u64 {
        hash(self.get(slot))
    }

    /// Adds the text of the id at the next slot.
    fn push(&mut self, id: &str) {
        let slot = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        let before = self.text.len();
        self.text.push_str(id);
        if before as u64 >> 32 != self.text.len() as u64 >> 32 {
            self.wraps.push(slot);
        }
        // The low 32 bits; the rest is counted by `wraps`.
        self.ends.push(self.text.len() as u32);
    }
}

impl Ids {
    /// The number of ids.
    pub(crate) fn len(&self) -> usize {
        self.names.ends.len()
    }

    /// The slot of `id`, if there.
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        let names = &self.names;
        self.table.find(hash(id), |&s| names.get(s) == id).copied()
    }

    /// The id at `slot` (empty when there is none).
    pub(crate) fn name(&self, slot: u32) -> &str {
        self.names.get(slot)
    }

    /// Adds `id`: its new slot, or `Err` with the slot it already has.
    pub(crate) fn insert(&mut self, id: &str) -> Result<u32, u32> {
        let Ids { names, table } = self;
        let slot = u32::try_from(names.ends.len()).unwrap_or(u32::MAX);
        let entry = table.entry(hash(id), |&s| names.get(s) == id, |&s| names.hash(s));
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => Err(*e.get()),
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(slot);
                names.push(id);
                Ok(slot)
            }
        }
    }

    /// Makes room for `more` ids, as long as the ids so far on average.
    /// Room that cannot be had is left to grow as the ids come (`more` is a
    /// guess).
    pub(crate) fn reserve(&mut self, more: usize) {
        let Ids { names, table } = self;
        let per_id = names.text.len().div_ceil(names.ends.len().max(1));
        let _ = names.ends.try_reserve_exact(more);
        let _ = names.text.try_reserve_exact(more.saturating_mul(per_id));
        let _ = table.try_reserve(more, |&s| names.hash(s));
    }

    /// Frees the room kept for more ids.
    pub(crate) fn shrink_to_fit(&mut self) {
        let Ids { names, table } = self;
        names.text.shrink_to_fit();
        names.ends.shrink_to_fit();
        names.wraps.shrink_to_fit();
        table.shrink_to_fit(|&s| names.hash(s));
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
        let run = self.runs.last_mut().filter(|r| r.file == file);
        let extends = run.is_some_and(|r| {
            let count = u64::from(slot - r.slot);
            if count == 1 && line >= r.line {
                // The second id sets the run's step.
                r.step = line - r.line;
                return true;
            }
            line.checked_sub(r.line) == r.step.checked_mul(count)
        });
        if !extends {
            self.runs.push(Run {
                slot,
                file,
                line,
                step: 0,
            });
        }
        Ok(slot)
    }

    /// See [`Ids::reserve`].
    pub(crate) fn reserve(&mut self, more: usize) {
        self.ids.reserve(more);
    }

    /// The file number and line the id at `slot` was read at.
    pub(crate) fn seen(&self, slot: u32) -> (u32, u64) {
        let run = self.runs.partition_point(|r| r.slot <= slot);
        match run.checked_sub(1).and_then(|r| self.runs.get(r)) {
            Some(r) => (r.file, r.line + r.step * u64::from(slot - r.slot)),
            None => (0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn hashes_spread_over_both_ends() {
        let ids: Vec<String> = (0..1000).map(|n| format!("i-{n}")).collect();
        let hashes: std::collections::HashSet<u64> = ids.iter().map(|i| hash(i)).collect();
        assert_eq!(hashes.len(), 1000);
        // The table's tag (top 7 bits) and bucket (low bits) both vary.
        let tags: std::collections::HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
        let buckets: std::collections::HashSet<u64> = hashes.iter().map(|h| h & 1023).collect();
        assert!(
            tags.len() > 100 && buckets.len() > 500,
            "{} {}",
            tags.len(),
            buckets.len()
        );
    }

    #[test]
    fn room_made_ahead_holds_the_ids() {
        let mut r = Registry::default();
        assert_eq!(r.insert("i-0000", 0, 2), Ok(0));
        r.reserve(10_000);
        let buckets = r.ids.table.capacity();
        let text = r.ids.names.text.capacity();
        for n in 1..10_000u32 {
            assert_eq!(r.insert(&format!("i-{n:04}"), 0, u64::from(n) + 2), Ok(n));
        }
        // Room enough: the table was not rebuilt, nor the text moved.
        assert_eq!(r.ids.table.capacity(), buckets);
        assert!(
            r.ids.names.text.capacity() == text && text >= 6 * 10_000,
            "{text}"
        );
        assert_eq!(r.get("i-0042"), Some(42));
        assert_eq!(r.get("i-0000"), Some(0));
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

    #[test]
    fn ends_past_4_gib_count_their_wraps() {
        // Slot 1 ended past 4 GiB, slot 3 past 8 GiB.
        let (ends, wraps) = ([10, 5, 20, 7], [1, 3]);
        assert_eq!(end_of(&ends, &wraps, 0), 10);
        assert_eq!(end_of(&ends, &wraps, 1), (1 << 32) + 5);
        assert_eq!(end_of(&ends, &wraps, 2), (1 << 32) + 20);
        assert_eq!(end_of(&ends, &wraps, 3), (2 << 32) + 7);
        assert_eq!(end_of(&ends, &wraps, 4), 0);
    }

    #[test]
    fn a_csv_file_is_one_run() {
        let mut r = Registry::default();
        for n in 0..10_000u32 {
            assert_eq!(r.insert(&format!("i-{n}"), 0, u64::from(n) + 2), Ok(n));
        }
        // Lines unknown (0): one run too.
        for n in 0..100u32 {
            let _ = r.insert(&format!("j-{n}"), 1, 0);
        }
        assert_eq!(r.runs.len(), 2);
        assert_eq!(r.seen(9_999), (0, 10_001));
        assert_eq!(r.seen(10_050), (1, 0));
    }

    proptest! {
        /// The registry answers as a map from id to (slot, file, line) does,
        /// across table growth, ids that share prefixes, and lines that come
        /// evenly spaced, repeated or in gaps.
        #[test]
        fn agrees_with_a_map(
            ids in proptest::collection::vec(("[a-c]{0,3}", 0u64..3, 0u8..8), 0..400),
            room in proptest::option::of(0usize..500),
        ) {
            let mut r = Registry::default();
            let mut room = room;
            let mut m: HashMap<String, (u32, u32, u64)> = HashMap::new();
            let (mut file, mut line) = (0u32, 1u64);
            for (id, gap, jump) in &ids {
                // Mostly the same spacing; now and then a gap or a new file.
                match jump {
                    0 => line += gap * 7,
                    1 => {
                        file += 1;
                        line = *gap;
                    }
                    // Evenly spaced (one line a record, or a gap of two).
                    2 => line += 2,
                    _ => line += 1,
                }
                let id = id.as_str();
                let got = r.insert(id, file, line);
                if let Some(more) = room.take() {
                    // Room made after the first id, as a reader does.
                    r.reserve(more);
                }
                match m.get(id) {
                    Some(&(slot, _, _)) => prop_assert_eq!(got, Err(slot)),
                    None => {
                        let slot = m.len() as u32;
                        prop_assert_eq!(got, Ok(slot));
                        m.insert(id.to_owned(), (slot, file, line));
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
