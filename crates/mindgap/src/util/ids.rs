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
//!
//! Most files number their records in order, though: a [`Registry`] keeps
//! ids that come in order front-coded ([`Ordered`]: 3 to 4 bytes an id, no
//! hashing, a duplicate impossible past the greatest id so far) and hashes
//! only the others.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

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

/// Ids in increasing order, front-coded: most ids are numbered in the order
/// their records are written (`i-0000001`, `i-0000002`, … or `98`, `99`,
/// `100`), and such a run needs neither hashing nor a table. The order is
/// *shortlex* (shorter ids first, then byte by byte), so numbers without
/// leading zeros count up too. Ids are kept in blocks of [`Ordered::BLOCK`]:
/// the first in full (its length, its bytes), each next one as the length
/// of the prefix it shares with the one before, the length of the rest, and
/// the rest (lengths as LEB128): 3 to 4 bytes an id for the sample's ids
/// where a hash set of them takes 20 to 24.
#[derive(Debug, Default)]
pub(crate) struct Ordered {
    bytes: Vec<u8>,
    /// Where each block starts in `bytes`.
    blocks: Vec<usize>,
    len: u32,
    /// The last (greatest) id.
    last: String,
    /// The block the last id found was in: ids looked up in order are
    /// found there or in the next one, without a search.
    finger: AtomicUsize,
}

/// Where a run of lookups in order stands in an [`Ordered`] (see
/// [`Ordered::seek`]): the first id not before the last one looked up, at
/// `position`, decoded, and where the next one starts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cursor {
    position: u32,
    at: usize,
    current: Vec<u8>,
    /// At an id (a new cursor is not).
    started: bool,
    /// The id last looked up: every id before `current` comes before it.
    last: Vec<u8>,
}

/// Shortlex order: by length, then by bytes.
fn shortlex(a: &str, b: &str) -> std::cmp::Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn put_len(bytes: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        bytes.push((n as u8) | 0x80);
        n >>= 7;
    }
    bytes.push(n as u8);
}

/// The length at `*at` in `bytes`, moving `at` past it (0 past the end).
fn take_len(bytes: &[u8], at: &mut usize) -> usize {
    let mut n = 0usize;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        n |= usize::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        shift += 7;
        if b < 0x80 {
            break;
        }
    }
    n
}

/// `len` bytes at `*at` in `bytes`, moving `at` past them.
fn take_bytes<'b>(bytes: &'b [u8], at: &mut usize, len: usize) -> &'b [u8] {
    let start = (*at).min(bytes.len());
    *at = start.saturating_add(len).min(bytes.len());
    bytes.get(start..*at).unwrap_or_default()
}

impl Ordered {
    /// Ids a block.
    const BLOCK: u32 = 16;

    /// The number of ids.
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    /// Whether `id` comes after every id so far (so it is not among them).
    pub(crate) fn is_after(&self, id: &str) -> bool {
        self.len == 0 || shortlex(id, &self.last).is_gt()
    }

    /// Adds `id` at the next position if it comes after every id so far
    /// (see [`Ordered::is_after`]); `false` (nothing added) otherwise.
    pub(crate) fn push(&mut self, id: &str) -> bool {
        if !self.is_after(id) {
            return false;
        }
        if self.len % Ordered::BLOCK == 0 {
            self.blocks.push(self.bytes.len());
            put_len(&mut self.bytes, id.len());
            self.bytes.extend_from_slice(id.as_bytes());
        } else {
            let shared = common_prefix(self.last.as_bytes(), id.as_bytes());
            let rest = id.as_bytes().get(shared..).unwrap_or_default();
            put_len(&mut self.bytes, shared);
            put_len(&mut self.bytes, rest.len());
            self.bytes.extend_from_slice(rest);
        }
        self.last.clear();
        self.last.push_str(id);
        self.len += 1;
        true
    }

    /// The first id of the block starting at `start`, and where the next
    /// one starts.
    fn first(&self, start: usize) -> (&[u8], usize) {
        let mut at = start;
        let len = take_len(&self.bytes, &mut at);
        (take_bytes(&self.bytes, &mut at, len), at)
    }

    /// The position of `id`, if there.
    pub(crate) fn find(&self, id: &str) -> Option<u32> {
        if self.is_after(id) {
            return None;
        }
        let t = id.as_bytes();
        let starts_at_most = |start: usize| {
            let first = self.first(start).0;
            first.len().cmp(&t.len()).then_with(|| first.cmp(t)).is_le()
        };
        // The block: the last one's or the next (ids looked up in order),
        // else searched for.
        let holds = |b: usize| {
            self.blocks.get(b).is_some_and(|&s| starts_at_most(s))
                && self.blocks.get(b + 1).is_none_or(|&s| !starts_at_most(s))
        };
        let finger = self.finger.load(Relaxed);
        let b = if holds(finger) {
            finger
        } else if holds(finger + 1) {
            finger + 1
        } else {
            self.blocks
                .partition_point(|&s| starts_at_most(s))
                .checked_sub(1)?
        };
        self.finger.store(b, Relaxed);
        let (first, mut at) = self.first(*self.blocks.get(b)?);
        // Scan the block, knowing of each id only how many of its first
        // bytes it shares with `id` (`common`) and its length: an id equals
        // `id` when both are `id`'s length.
        let mut common = common_prefix(first, t);
        let mut len = first.len();
        let end = self.blocks.get(b + 1).copied().unwrap_or(self.bytes.len());
        let mut position = u32::try_from(b).ok()? * Ordered::BLOCK;
        loop {
            if len == t.len() && common == t.len() {
                return Some(position);
            }
            if at >= end {
                return None;
            }
            let shared = take_len(&self.bytes, &mut at);
            let rest_len = take_len(&self.bytes, &mut at);
            let rest = take_bytes(&self.bytes, &mut at, rest_len);
            // The id is the previous one's first `shared` bytes and `rest`:
            // past the bytes the previous one shares with `id` it differs
            // from `id` as the previous one did.
            if shared <= common {
                common = shared + common_prefix(rest, t.get(shared..).unwrap_or_default());
            }
            len = shared + rest_len;
            position += 1;
        }
    }

    /// The position of `id`, if there, for ids looked up in order: `cursor`
    /// walks the ids once, so a run of lookups in increasing order costs a
    /// step per id passed (an id before the cursor is searched for).
    pub(crate) fn seek(&self, id: &str, cursor: &mut Cursor) -> Option<u32> {
        let t = id.as_bytes();
        let order =
            |c: &Cursor| (c.current.len().cmp(&t.len())).then_with(|| c.current.as_slice().cmp(t));
        if !cursor.started {
            if self.len == 0 {
                return None;
            }
            let (first, end) = self.first(0);
            cursor.current.extend_from_slice(first);
            cursor.at = end;
            cursor.started = true;
        } else {
            // Every id before the cursor is before the last one looked up:
            // an id before that one is searched for.
            let last = cursor.last.as_slice();
            let before = (t.len().cmp(&last.len())).then_with(|| t.cmp(last));
            if before.is_lt() {
                return self.find(id);
            }
        }
        cursor.last.clear();
        cursor.last.extend_from_slice(t);
        loop {
            match order(cursor) {
                std::cmp::Ordering::Equal => return Some(cursor.position),
                std::cmp::Ordering::Greater => return None,
                std::cmp::Ordering::Less => {}
            }
            let next = cursor.position.wrapping_add(1);
            if next >= self.len {
                return None;
            }
            let mut at = cursor.at;
            if next % Ordered::BLOCK == 0 {
                let (first, end) = self.first(at);
                cursor.current.clear();
                cursor.current.extend_from_slice(first);
                at = end;
            } else {
                let shared = take_len(&self.bytes, &mut at);
                let rest_len = take_len(&self.bytes, &mut at);
                cursor.current.truncate(shared);
                cursor
                    .current
                    .extend_from_slice(take_bytes(&self.bytes, &mut at, rest_len));
            }
            cursor.at = at;
            cursor.position = next;
        }
    }

    /// Keeps the first `len` ids (undoing the pushes after them).
    fn truncate(&mut self, len: u32) {
        if len >= self.len {
            return;
        }
        if len == 0 {
            *self = Ordered::default();
            return;
        }
        // The last id kept is decoded from the start of its block.
        let last = len - 1;
        let block = (last / Ordered::BLOCK) as usize;
        let start = self.blocks.get(block).copied().unwrap_or(0);
        let (first, mut at) = self.first(start);
        let mut current = first.to_vec();
        for _ in 0..last % Ordered::BLOCK {
            let shared = take_len(&self.bytes, &mut at);
            let rest_len = take_len(&self.bytes, &mut at);
            current.truncate(shared);
            current.extend_from_slice(take_bytes(&self.bytes, &mut at, rest_len));
        }
        self.bytes.truncate(at);
        self.blocks.truncate(block + 1);
        self.last = String::from_utf8(current).unwrap_or_default();
        self.len = len;
        self.finger.store(0, Relaxed);
    }

    /// Makes room for `more` ids as long as those so far on average.
    fn reserve(&mut self, more: usize) {
        let per_id = self.bytes.len().div_ceil(self.len.max(1) as usize);
        let _ = self.bytes.try_reserve_exact(more.saturating_mul(per_id));
        let _ = self
            .blocks
            .try_reserve_exact(more.div_ceil(Ordered::BLOCK as usize));
    }

    fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.blocks.shrink_to_fit();
    }
}

/// A set of ids in the order they were added, as [`Ids`] without names:
/// the ids that come in order (see [`Ordered`]) are kept front-coded, the
/// others in an [`Ids`].
#[derive(Debug, Default)]
pub(crate) struct Set {
    ordered: Ordered,
    /// From which position of `ordered` on its slots are shifted by how
    /// many (the ids of `rest` added before it): one pair each time ids
    /// out of order came between ids in order.
    shifts: Vec<[u32; 2]>,
    rest: Ids,
    /// The slot of each id of `rest`.
    rest_slots: Vec<u32>,
}

impl Set {
    /// The number of ids.
    pub(crate) fn len(&self) -> usize {
        self.ordered.len() as usize + self.rest_slots.len()
    }

    /// The slot of the id at `position` of `ordered`.
    fn ordered_slot(&self, position: u32) -> u32 {
        let run = self.shifts.partition_point(|s| s[0] <= position);
        let shift = run
            .checked_sub(1)
            .and_then(|r| self.shifts.get(r))
            .map_or(0, |s| s[1]);
        position + shift
    }

    /// The slot of `id`, if there.
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        if self.ordered.is_after(id) {
            return None;
        }
        if let Some(p) = self.ordered.find(id) {
            return Some(self.ordered_slot(p));
        }
        let r = self.rest.get(id)?;
        self.rest_slots.get(r as usize).copied()
    }

    /// Adds `id`: its new slot, or `Err` with the slot it already has.
    pub(crate) fn insert(&mut self, id: &str) -> Result<u32, u32> {
        let slot = u32::try_from(self.len()).unwrap_or(u32::MAX);
        let position = self.ordered.len();
        if self.ordered.push(id) {
            let shift = slot - position;
            if self.shifts.last().map_or(0, |s| s[1]) != shift {
                self.shifts.push([position, shift]);
            }
            return Ok(slot);
        }
        if let Some(p) = self.ordered.find(id) {
            return Err(self.ordered_slot(p));
        }
        match self.rest.insert(id) {
            Ok(_) => {
                self.rest_slots.push(slot);
                Ok(slot)
            }
            Err(r) => Err(self.rest_slots.get(r as usize).copied().unwrap_or(u32::MAX)),
        }
    }

    /// Keeps the ids of the first `len` slots (undoing the inserts after
    /// them: slots are given in increasing order, so those are the last
    /// ones of `ordered` and of `rest`).
    fn truncate(&mut self, len: usize) {
        // The ordered ids kept: those whose slot is below `len`.
        let (mut lo, mut hi) = (0u32, self.ordered.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if (self.ordered_slot(mid) as usize) < len {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        self.ordered.truncate(lo);
        self.shifts.retain(|s| s[0] < lo);
        let rest = self.rest_slots.partition_point(|&s| (s as usize) < len);
        self.rest.truncate(rest);
        self.rest_slots.truncate(rest);
    }

    /// Makes room for `more` ids, shared between those in order and the
    /// others as the ids so far are.
    pub(crate) fn reserve(&mut self, more: usize) {
        let all = self.len().max(1);
        let ordered = (more as u128 * u128::from(self.ordered.len()) / all as u128) as usize;
        self.ordered.reserve(ordered);
        if !self.rest_slots.is_empty() {
            let rest = more.saturating_sub(ordered);
            self.rest.reserve(rest);
            let _ = self.rest_slots.try_reserve_exact(rest);
        }
    }
}

/// Ids with where each was read.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    ids: Set,
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

    /// Keeps the ids of the first `len` slots (undoing the inserts after
    /// them).
    fn truncate(&mut self, len: usize) {
        let Ids { names, table } = self;
        if len >= names.ends.len() {
            return;
        }
        let end = len
            .checked_sub(1)
            .map_or(0, |s| end_of(&names.ends, &names.wraps, s));
        // Each id taken out is found by its hash (not the whole table
        // swept: undoing one record costs one lookup).
        for slot in (len..names.ends.len()).rev() {
            let slot = u32::try_from(slot).unwrap_or(u32::MAX);
            if let Ok(entry) = table.find_entry(names.hash(slot), |&s| s == slot) {
                entry.remove();
            }
        }
        names.text.truncate(end);
        names.ends.truncate(len);
        names.wraps.retain(|&w| (w as usize) < len);
    }

    /// The ids in order (see [`Ordered`]), and the position there of the id
    /// at each slot.
    pub(crate) fn into_ordered(self) -> (Ordered, Vec<u32>) {
        let Ids { names, table } = self;
        drop(table);
        let mut order: Vec<u32> =
            (0..u32::try_from(names.ends.len()).unwrap_or(u32::MAX)).collect();
        // Stable: ids read nearly in order are sorted in a few passes.
        order.sort_by(|&a, &b| shortlex(names.get(a), names.get(b)));
        let mut ordered = Ordered::default();
        let mut position = vec![0; order.len()];
        for (p, &slot) in order.iter().enumerate() {
            ordered.push(names.get(slot));
            if let Some(at) = position.get_mut(slot as usize) {
                *at = u32::try_from(p).unwrap_or(u32::MAX);
            }
        }
        ordered.shrink_to_fit();
        (ordered, position)
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

    /// The number of ids registered.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Forgets every id registered after the first `len` (a read undone):
    /// the registry is as it was when it held `len` ids.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.ids.truncate(len);
        self.runs.retain(|r| (r.slot as usize) < len);
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
        let bytes = r.ids.ordered.bytes.capacity();
        for n in 1..10_000u32 {
            assert_eq!(r.insert(&format!("i-{n:04}"), 0, u64::from(n) + 2), Ok(n));
        }
        // Ids in order, room enough: the bytes were not moved, no table.
        assert_eq!(r.ids.ordered.bytes.capacity(), bytes);
        assert_eq!(r.ids.rest.len(), 0);
        assert_eq!(r.get("i-0042"), Some(42));
        assert_eq!(r.get("i-0000"), Some(0));
        // Ids out of order: hashed, with room made for them as they came.
        let mut r = Registry::default();
        for n in 0..100u32 {
            assert_eq!(r.insert(&format!("{}", 1000 - n), 0, 0), Ok(n));
        }
        r.reserve(10_000);
        let buckets = r.ids.rest.table.capacity();
        for n in 100..10_000u32 {
            let _ = r.insert(&format!("{}", 100_000 - n), 0, 0);
        }
        assert_eq!(r.ids.rest.table.capacity(), buckets);
    }

    #[test]
    fn ids_in_order_are_front_coded() {
        let mut o = Ordered::default();
        for n in [8, 9, 10, 99, 100, 101, 1000] {
            assert!(o.push(&n.to_string()), "{n}");
        }
        // Shortlex: 1000 comes after 999, "0999" before it.
        assert!(!o.push("999") && !o.push("1000") && !o.push("0999"));
        assert!(o.push("1001"));
        assert_eq!(o.find("99"), Some(3));
        assert_eq!(o.find("1001"), Some(7));
        assert_eq!(o.find("11"), None);
        assert_eq!(o.find(""), None);
        let mut o = Ordered::default();
        for n in 0..100_000u32 {
            assert!(o.push(&format!("i-{n:07}")));
        }
        // 3 bytes an id (shared 7, one byte after them), a full one a block.
        assert!(o.bytes.len() < 100_000 * 4, "{}", o.bytes.len());
        for n in (0..100_000u32).step_by(7) {
            assert_eq!(o.find(&format!("i-{n:07}")), Some(n));
        }
        assert_eq!(o.find("i-0100000"), None);
        assert_eq!(o.find("i-00000000"), None);
        assert_eq!(o.find("i-000000"), None);
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
        /// Ids sorted from a set are found where they were put, looked up
        /// in order (the finger), out of order (the search) or absent.
        #[test]
        fn ordered_ids_are_found_in_any_order(
            ids in proptest::collection::vec("[a-c0-9]{0,4}", 0..300),
            probes in proptest::collection::vec("[a-c0-9]{0,4}", 0..100),
        ) {
            let mut set = Ids::default();
            for id in &ids {
                let _ = set.insert(id);
            }
            let names: Vec<String> = (0..set.len() as u32).map(|s| set.name(s).to_owned()).collect();
            let (ordered, position) = set.into_ordered();
            prop_assert_eq!(ordered.len() as usize, names.len());
            let mut sorted = names.clone();
            sorted.sort_by(|a, b| shortlex(a, b));
            for (p, id) in sorted.iter().enumerate() {
                prop_assert_eq!(ordered.find(id), Some(p as u32));
            }
            for (slot, id) in names.iter().enumerate() {
                prop_assert_eq!(ordered.find(id), position.get(slot).copied());
            }
            for id in &probes {
                let want = sorted.iter().position(|s| s == id).map(|p| p as u32);
                prop_assert_eq!(ordered.find(id), want);
            }
            // A cursor: the ids in order, the probes in order, then in any.
            let mut cursor = Cursor::default();
            for (p, id) in sorted.iter().enumerate() {
                prop_assert_eq!(ordered.seek(id, &mut cursor), Some(p as u32));
            }
            let mut in_order = probes.clone();
            in_order.sort_by(|a, b| shortlex(a, b));
            for list in [&in_order, &probes] {
                let mut cursor = Cursor::default();
                for id in list {
                    let want = sorted.iter().position(|s| s == id).map(|p| p as u32);
                    prop_assert_eq!(ordered.seek(id, &mut cursor), want);
                }
            }
        }

        /// The registry answers as a map from id to (slot, file, line) does,
        /// across table growth, ids that share prefixes, and lines that come
        /// evenly spaced, repeated or in gaps.
        #[test]
        fn agrees_with_a_map(
            ids in proptest::collection::vec(("[a-c]{0,3}", 0u64..3, 0u8..8, 0u8..4), 0..400),
            room in proptest::option::of(0usize..500),
        ) {
            // Runs of ids in order (the next number, or the last one again)
            // among others.
            let mut next = 0u64;
            let ids: Vec<(String, u64, u8)> = ids
                .into_iter()
                .map(|(id, gap, jump, order)| match order {
                    0 | 1 => {
                        next += gap;
                        (format!("{next}"), gap, jump)
                    }
                    _ => (id, gap, jump),
                })
                .collect();
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

        /// A registry truncated to its first `keep` ids (a read undone) is
        /// the registry that only ever had them: the same slots, lines and
        /// answers, and the same answers to the inserts that come next.
        #[test]
        fn truncated_is_as_if_never_inserted(
            ids in proptest::collection::vec(("[a-c]{0,3}", 0u8..3), 0..300),
            cut in 0usize..300,
            after in proptest::collection::vec("[a-c0-9]{0,3}", 0..60),
        ) {
            // Numbered runs (front-coded) among others, as in agrees_with_a_map.
            let mut next = 0u32;
            let ids: Vec<String> = ids
                .into_iter()
                .map(|(id, order)| match order {
                    0 | 1 => {
                        next += 1;
                        format!("{next}")
                    }
                    _ => id,
                })
                .collect();
            let cut = cut.min(ids.len());
            let mut whole = Registry::default();
            let mut fresh = Registry::default();
            let mut keep = 0;
            for (n, id) in ids.iter().enumerate() {
                let line = n as u64 + 2;
                let _ = whole.insert(id, 0, line);
                if n < cut {
                    let _ = fresh.insert(id, 0, line);
                }
                if n + 1 == cut {
                    keep = whole.len();
                }
            }
            whole.truncate(keep);
            prop_assert_eq!(whole.len(), fresh.len());
            for id in ids.iter().chain(&after) {
                prop_assert_eq!(whole.get(id), fresh.get(id), "{}", id);
            }
            for slot in 0..fresh.len() as u32 {
                prop_assert_eq!(whole.seen(slot), fresh.seen(slot));
            }
            for (n, id) in after.iter().enumerate() {
                let line = 1000 + n as u64;
                prop_assert_eq!(whole.insert(id, 1, line), fresh.insert(id, 1, line), "{}", id);
            }
            for id in ids.iter().chain(&after) {
                prop_assert_eq!(whole.get(id), fresh.get(id), "{}", id);
            }
        }
    }
}
