//! What the engine keeps of each interaction besides its row: the texts an
//! analysis reads, the instants its clocks name in errors and the status
//! and message histories, in a few flat buffers (no record is held).
//!
//! A row ([`crate::engine::Row`]) holds the interned attributes and the
//! instants in epoch ms; its entry here ([`Sheet::hist`], [`Sheet::texts`])
//! holds the rest: the id (drill-down, links, errors), the category
//! (problems), the request and status (a follow-up's history item), the
//! instants as read (exact, for the messages of a clock that finds them out
//! of order), and the histories (the clocks' slow path).

use crate::engine::clock::Hist;
use crate::engine::select::Selectors;
use crate::engine::{Keys, NO_TIME, NONE, RUNS_ELSEWHERE, ms};
use crate::error::{Error, Location, Result};
use crate::model::*;
use crate::util::ids::Ids;

/// One interaction's entry.
#[derive(Debug, Clone)]
struct Entry {
    /// Where its texts end in [`Sheet::text`]: id, category, request,
    /// status (each starts where the previous one ends; the first where the
    /// previous entry's status ends).
    ends: [u32; 4],
    /// Which of category, request and status it has (bits 0, 1, 2).
    #[cfg_attr(not(feature = "analyses"), allow(dead_code))]
    has: u8,
    opened_at: Timestamp,
    first_response_at: Option<Timestamp>,
    resolved_at: Option<Timestamp>,
    /// Where its statuses and messages end in [`Sheet::statuses`] and
    /// [`Sheet::messages`] (they start where the previous entry's end).
    statuses: u32,
    messages: u32,
}

/// The entries of the interactions of a preparation, in the order taken.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sheet {
    entries: Vec<Entry>,
    text: String,
    statuses: Vec<StatusChange>,
    messages: Vec<Message>,
}

/// The texts of an entry (see [`Sheet::texts`]).
#[cfg_attr(not(feature = "analyses"), allow(dead_code))]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Texts<'a> {
    pub(crate) id: &'a str,
    pub(crate) category: Option<&'a str>,
    pub(crate) request: Option<&'a str>,
    pub(crate) status: Option<&'a str>,
}

/// A buffer position as `u32`: a sheet holds at most a chunk or a diary
/// (past 4 GB of text the positions saturate and the texts read empty,
/// never out of bounds).
fn pos(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Sheet {
    /// Adds the entry of `i`; its index is the number of entries before it.
    /// Without `texts` only its id is kept of its texts (what a report
    /// reads; the other analyses read the category, request and status).
    pub(crate) fn push(&mut self, i: &Interaction, texts: bool) {
        let mut ends = [0; 4];
        let mut has = 0u8;
        self.text.push_str(i.id.as_str());
        ends[0] = pos(self.text.len());
        let texts = [
            i.category.as_deref().filter(|_| texts),
            i.request.as_deref().filter(|_| texts),
            i.status.as_ref().map(|s| s.as_str()).filter(|_| texts),
        ];
        for (k, t) in texts.into_iter().enumerate() {
            if let Some(t) = t {
                self.text.push_str(t);
                has |= 1 << k;
            }
            if let Some(end) = ends.get_mut(k + 1) {
                *end = pos(self.text.len());
            }
        }
        self.statuses.extend_from_slice(&i.statuses);
        self.messages.extend_from_slice(&i.messages);
        self.entries.push(Entry {
            ends,
            has,
            opened_at: i.opened_at,
            first_response_at: i.first_response_at,
            resolved_at: i.resolved_at,
            statuses: pos(self.statuses.len()),
            messages: pos(self.messages.len()),
        });
    }

    /// An empty sheet with room for as much as `like` holds.
    #[cfg(feature = "parallel")]
    fn like(like: &Sheet) -> Sheet {
        Sheet {
            entries: Vec::with_capacity(like.entries.len()),
            text: String::with_capacity(like.text.len()),
            statuses: Vec::with_capacity(like.statuses.len()),
            messages: Vec::with_capacity(like.messages.len()),
        }
    }

    /// The number of entries.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entry before `k` (where `k`'s buffers start), if any.
    fn before(&self, k: u32) -> Option<&Entry> {
        (k as usize)
            .checked_sub(1)
            .and_then(|p| self.entries.get(p))
    }

    /// The texts of entry `k` (empty for an index out of range).
    #[cfg_attr(not(feature = "analyses"), allow(dead_code))]
    pub(crate) fn texts(&self, k: u32) -> Texts<'_> {
        let none = Texts {
            id: "",
            category: None,
            request: None,
            status: None,
        };
        let Some(e) = self.entries.get(k as usize) else {
            return none;
        };
        let mut start = self.before(k).map_or(0, |p| p.ends[3]) as usize;
        let mut parts = [""; 4];
        for (part, &end) in parts.iter_mut().zip(&e.ends) {
            let end = end as usize;
            *part = self.text.get(start..end).unwrap_or("");
            start = end;
        }
        let [id, category, request, status] = parts;
        let has = e.has;
        fn when(has: u8, bit: u8, t: &str) -> Option<&str> {
            (has & (1 << bit) != 0).then_some(t)
        }
        Texts {
            id,
            category: when(has, 0, category),
            request: when(has, 1, request),
            status: when(has, 2, status),
        }
    }

    /// The id of entry `k` ("" out of range).
    pub(crate) fn id(&self, k: u32) -> &str {
        let Some(e) = self.entries.get(k as usize) else {
            return "";
        };
        let start = self.before(k).map_or(0, |p| p.ends[3]) as usize;
        self.text.get(start..e.ends[0] as usize).unwrap_or("")
    }

    /// When entry `k` was opened, as read (`None` out of range).
    pub(crate) fn opened_at(&self, k: u32) -> Option<&Timestamp> {
        self.entries.get(k as usize).map(|e| &e.opened_at)
    }

    /// What the clocks read of entry `k` (`None` out of range).
    pub(crate) fn hist(&self, k: u32) -> Option<Hist<'_>> {
        let e = self.entries.get(k as usize)?;
        let (statuses, messages) = self
            .before(k)
            .map_or((0, 0), |p| (p.statuses as usize, p.messages as usize));
        Some(Hist {
            id: self.id(k),
            opened_at: &e.opened_at,
            first_response_at: e.first_response_at.as_ref(),
            resolved_at: e.resolved_at.as_ref(),
            statuses: self
                .statuses
                .get(statuses..e.statuses as usize)
                .unwrap_or(&[]),
            messages: self
                .messages
                .get(messages..e.messages as usize)
                .unwrap_or(&[]),
        })
    }
}

/// The entries of a preparation's rows: copied into a [`Sheet`] (a
/// stream's chunk, whose records are not held), or the records themselves
/// where the caller holds them (a diary in memory: nothing copied).
#[derive(Debug)]
pub(crate) enum Entries<'a> {
    Sheet(Sheet),
    Records(Vec<&'a Interaction>),
}

impl Default for Entries<'_> {
    fn default() -> Self {
        Entries::Sheet(Sheet::default())
    }
}

impl<'a> Entries<'a> {
    /// The number of entries.
    pub(crate) fn len(&self) -> usize {
        match self {
            Entries::Sheet(s) => s.len(),
            Entries::Records(r) => r.len(),
        }
    }

    /// The texts of entry `k` (see [`Sheet::texts`]).
    #[cfg_attr(not(feature = "analyses"), allow(dead_code))]
    pub(crate) fn texts(&self, k: u32) -> Texts<'_> {
        match self {
            Entries::Sheet(s) => s.texts(k),
            Entries::Records(r) => {
                let i = r.get(k as usize);
                Texts {
                    id: i.map_or("", |i| i.id.as_str()),
                    category: i.and_then(|i| i.category.as_deref()),
                    request: i.and_then(|i| i.request.as_deref()),
                    status: i.and_then(|i| i.status.as_ref()).map(|s| s.as_str()),
                }
            }
        }
    }

    /// The id of entry `k` ("" out of range).
    pub(crate) fn id(&self, k: u32) -> &str {
        match self {
            Entries::Sheet(s) => s.id(k),
            Entries::Records(r) => r.get(k as usize).map_or("", |i| i.id.as_str()),
        }
    }

    /// When entry `k` was opened, as read (`None` out of range).
    pub(crate) fn opened_at(&self, k: u32) -> Option<&Timestamp> {
        match self {
            Entries::Sheet(s) => s.opened_at(k),
            Entries::Records(r) => r.get(k as usize).map(|i| &i.opened_at),
        }
    }

    /// Entry `k`, to be read when needed.
    pub(crate) fn entry(&self, k: u32) -> EntryRef<'_> {
        EntryRef { entries: self, k }
    }

    /// What the clocks read of entry `k` (`None` out of range).
    pub(crate) fn hist(&self, k: u32) -> Option<Hist<'_>> {
        match self {
            Entries::Sheet(s) => s.hist(k),
            Entries::Records(r) => r.get(k as usize).map(|i| Hist::of(i)),
        }
    }
}

/// An entry of a preparation, read when needed (an observation names its
/// record this way: most are counted without being read).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntryRef<'a> {
    entries: &'a Entries<'a>,
    k: u32,
}

impl<'a> EntryRef<'a> {
    /// Its id.
    pub(crate) fn id(self) -> &'a str {
        self.entries.id(self.k)
    }

    /// What its clocks read (`None` for an entry out of range, which no
    /// row has).
    pub(crate) fn hist(self) -> Option<Hist<'a>> {
        self.entries.hist(self.k)
    }
}

/// A chunk of interactions as a preparation takes them
/// ([`Prepared::from_lean`](crate::engine::Prepared)): per row the stage key,
/// the other keys as texts (interned by the preparation, so one interner
/// serves every chunk), the instants in epoch ms and the `when` bits; the
/// rest in its [`Sheet`]; the pause runs in one buffer. What a stream's
/// checking thread hands to its scorer instead of the records.
#[derive(Debug, Default)]
pub(crate) struct Lean {
    pub(crate) rows: Vec<LeanRow>,
    /// The key texts, each row's after the previous row's.
    keys: String,
    pub(crate) sheet: Sheet,
    /// The pause runs under the default statuses (see
    /// [`crate::engine::Prepared::runs`]).
    pub(crate) runs: Vec<[i64; 2]>,
    /// The latest instant of the rows taken (epoch ms).
    pub(crate) latest: Option<i64>,
    /// The error of the first row that could not be taken: the chunk takes
    /// no row after it, and a preparation of it fails with it.
    pub(crate) error: Option<Error>,
    /// See [`Lean::taken`].
    taken: usize,
}

/// One row of a [`Lean`] chunk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeanRow {
    pub(crate) stage: u32,
    /// Where its key texts end in [`Lean::keys`]: touchpoint, channel,
    /// employee, team, customer, segment.
    ends: [u32; 6],
    /// Which of them it has (bit `k` for key `k`).
    has: u8,
    pub(crate) opened: i64,
    pub(crate) first: i64,
    pub(crate) resolved: i64,
    pub(crate) runs: u32,
    pub(crate) when: u32,
}

impl Lean {
    /// An empty chunk with room for as much as `like` holds (the next
    /// chunk of a stream: no buffer grows while it fills).
    #[cfg(feature = "parallel")]
    pub(crate) fn like(like: &Lean) -> Lean {
        Lean {
            rows: Vec::with_capacity(like.rows.len()),
            keys: String::with_capacity(like.keys.len()),
            sheet: Sheet::like(&like.sheet),
            runs: Vec::with_capacity(like.runs.len()),
            ..Lean::default()
        }
    }

    /// Empties it, keeping its room, and takes `sheet` and `runs` (emptied)
    /// as its buffers: those of a preparation made of it, given back.
    pub(crate) fn take_room(&mut self, mut sheet: Sheet, mut runs: Vec<[i64; 2]>) {
        sheet.entries.clear();
        sheet.text.clear();
        sheet.statuses.clear();
        sheet.messages.clear();
        runs.clear();
        self.rows.clear();
        self.keys.clear();
        self.sheet = sheet;
        self.runs = runs;
        self.latest = None;
        self.error = None;
        self.taken = 0;
    }

    /// The number of records given to it, taken or not (after an error):
    /// a chunk is full at the same count whatever it holds.
    pub(crate) fn taken(&self) -> usize {
        self.taken
    }

    /// The key texts of row `k` (touchpoint, channel, employee, team,
    /// customer, segment; `None` when absent or out of range).
    pub(crate) fn keys(&self, k: usize) -> [Option<&str>; 6] {
        let mut out = [None; 6];
        let Some(r) = self.rows.get(k) else {
            return out;
        };
        let mut start = (k.checked_sub(1))
            .and_then(|p| self.rows.get(p))
            .map_or(0, |p| p.ends[5]) as usize;
        for (n, (o, &end)) in out.iter_mut().zip(&r.ends).enumerate() {
            let end = end as usize;
            if r.has & (1 << n) != 0 {
                *o = self.keys.get(start..end);
            }
            start = end;
        }
        out
    }
}

/// Turns records into [`Lean`] rows: what a preparation reads of a record
/// that does not depend on the keys interned so far (the stage, the
/// segment, the `when` bits, the instants, the checks of the history).
#[derive(Debug, Default)]
pub(crate) struct Compactor {
    stages: Keys,
    /// The customers the diary lists with a segment, and the segment of
    /// each (by the customer's key).
    customers: Ids,
    segment_of: Vec<u32>,
    segments: Ids,
    /// `None` when the diary's selectors do not compile (a preparation of
    /// the diary fails with their error before it reads a row).
    selectors: Option<Selectors>,
    /// Keep the texts only analyses other than the report read (see
    /// [`Sheet::push`]); `true` unless set otherwise.
    pub(crate) texts: bool,
}

impl Compactor {
    /// The compactor of `diary`'s definitions.
    pub(crate) fn new(diary: &Diary) -> Compactor {
        let mut stages = Keys::default();
        for s in &diary.stages {
            stages.intern(Some(s.id.as_str()));
        }
        // The last segment given to a customer listed twice, as a map
        // collected from the list keeps it.
        let (mut customers, mut segment_of, mut segments) =
            (Ids::default(), Vec::new(), Ids::default());
        for c in &diary.customers {
            let Some(s) = c.segment.as_deref() else {
                continue;
            };
            let (Ok(k) | Err(k)) = customers.insert(c.id.as_str());
            let (Ok(segment) | Err(segment)) = segments.insert(s);
            match segment_of.get_mut(k as usize) {
                Some(at) => *at = segment,
                None => segment_of.push(segment),
            }
        }
        Compactor {
            stages,
            customers,
            segment_of,
            segments,
            selectors: Selectors::new(diary).ok(),
            texts: true,
        }
    }

    /// Takes `i` into `lean`; a record that cannot be taken (a stage the
    /// diary does not have, a status history out of order) notes its error
    /// there instead, and nothing is taken after it.
    pub(crate) fn push(&self, lean: &mut Lean, i: &Interaction) {
        self.push_as(lean, i, true);
    }

    /// [`Compactor::push`] of a record its caller holds: its row only, no
    /// entry in the chunk's sheet (the preparation reads the record itself,
    /// [`Entries::Records`]).
    pub(crate) fn push_row(&self, lean: &mut Lean, i: &Interaction) {
        self.push_as(lean, i, false);
    }

    fn push_as(&self, lean: &mut Lean, i: &Interaction, entry: bool) {
        lean.taken += 1;
        if lean.error.is_some() {
            return;
        }
        if let Err(e) = self.take(lean, i, entry) {
            lean.error = Some(e);
        }
    }

    fn take(&self, lean: &mut Lean, i: &Interaction, entry: bool) -> Result<()> {
        let stage = self.stages.get(Some(i.stage.as_str()));
        if stage >= NONE - 1 {
            return Err(Error::UnknownReference {
                at: Location::default()
                    .with_record(i.id.as_str())
                    .with_field("stage"),
                kind: "stage",
                id: i.stage.as_str().to_owned(),
            });
        }
        if !i.statuses.is_empty() {
            // Once here, so the clocks need not check it per expectation.
            crate::engine::clock::check_history(i)?;
        }
        let segment = i.segment.as_deref().or_else(|| {
            let k = self.customers.get(i.customer.as_ref()?.as_str())?;
            Some(self.segments.name(*self.segment_of.get(k as usize)?))
        });
        let texts = [
            i.touchpoint.as_ref().map(TouchpointId::as_str),
            Some(i.channel.as_str()),
            i.employee.as_ref().map(EmployeeId::as_str),
            i.team.as_deref(),
            i.customer.as_ref().map(CustomerId::as_str),
            segment,
        ];
        let mut ends = [0; 6];
        let mut has = 0u8;
        for (k, (t, end)) in texts.iter().zip(&mut ends).enumerate() {
            if let Some(t) = t {
                lean.keys.push_str(t);
                has |= 1 << k;
            }
            *end = pos(lean.keys.len());
        }
        let when = match &self.selectors {
            Some(s) if s.is_empty() => 0,
            Some(s) => s.of(i, segment),
            None => return Err(Error::internal("the diary's selectors do not compile")),
        };
        // Each instant converted once.
        let opened = ms(&i.opened_at);
        let first_response = i.first_response_at.as_ref().map(ms);
        let resolved = i.resolved_at.as_ref().map(ms);
        let last = i.statuses.last().map(|c| ms(&c.at));
        let latest = [first_response, resolved, last]
            .into_iter()
            .flatten()
            .fold(opened, i64::max);
        lean.latest = Some(lean.latest.map_or(latest, |l| l.max(latest)));
        let hist = Hist::of(i);
        let runs = if i.statuses.is_empty() {
            NONE
        } else {
            // A header (the count of runs), then the runs.
            let runs = &mut lean.runs;
            let at = runs.len();
            runs.push([0, 0]);
            crate::engine::clock::pause_runs(
                hist,
                crate::engine::clock::DEFAULT_PAUSE_STATUSES,
                runs,
            );
            let count = (runs.len() - at - 1) as i64;
            if let Some(header) = runs.get_mut(at) {
                header[0] = count;
            }
            // Past `u32` places (never in practice) the row still has a
            // history, read from its entry.
            u32::try_from(at).map_or(RUNS_ELSEWHERE, |at| at.min(RUNS_ELSEWHERE))
        };
        lean.rows.push(LeanRow {
            stage,
            ends,
            has,
            opened,
            // The first reply: `first_response_at`, else from the messages.
            first: first_response
                .or_else(|| crate::engine::clock::first_reply_in(hist))
                .unwrap_or(NO_TIME),
            resolved: resolved.unwrap_or(NO_TIME),
            runs,
            when,
        });
        if entry {
            lean.sheet.push(i, self.texts);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_as_taken() {
        let diary = crate::sample::diary(50);
        let mut sheet = Sheet::default();
        for i in &diary.interactions {
            sheet.push(i, true);
        }
        assert_eq!(sheet.len(), diary.interactions.len());
        for (k, i) in diary.interactions.iter().enumerate() {
            let k = k as u32;
            let t = sheet.texts(k);
            assert_eq!(t.id, i.id.as_str());
            assert_eq!(t.category, i.category.as_deref());
            assert_eq!(t.request, i.request.as_deref());
            assert_eq!(t.status, i.status.as_ref().map(|s| s.as_str()));
            let h = sheet.hist(k).unwrap();
            assert_eq!(h.statuses, &i.statuses[..]);
            assert_eq!(h.messages, &i.messages[..]);
            assert_eq!(h.opened_at, &i.opened_at);
            assert_eq!(h.first_response_at, i.first_response_at.as_ref());
            assert_eq!(h.resolved_at, i.resolved_at.as_ref());
        }
        assert!(sheet.hist(sheet.len() as u32).is_none());
        assert_eq!(sheet.id(sheet.len() as u32), "");
    }
}
