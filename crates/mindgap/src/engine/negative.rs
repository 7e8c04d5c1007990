//! The negative feedback a tally counts: each judged once against the
//! follow-up rules, then closed, at a report instant, by the customer's next
//! contact or a follow-up record.

use rustc_hash::FxHashMap as HashMap;

use super::{Attrs, NO_TIME, NONE, Prepared, Scope, ms};
use crate::model::rules::judge;
use crate::model::*;

/// What closed a follow-up, found in the data (read by the follow-up list).
#[cfg_attr(not(feature = "analyses"), allow(dead_code))]
#[derive(Debug, Clone, Copy)]
pub(crate) enum Closer<'a> {
    /// A held interaction, by its entry in [`Prepared::sheet`].
    Interaction(u32),
    Record(&'a FollowUpRecord),
    /// An interaction a streamed report has let go: only the instant is
    /// known (the report needs no more).
    Unheld,
}

/// A close: when and by what.
#[cfg_attr(not(feature = "analyses"), allow(dead_code))]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Close<'a> {
    pub(crate) at: i64,
    pub(crate) by: Closer<'a>,
}

/// A negative feedback record, as of an instant.
#[cfg_attr(not(feature = "analyses"), allow(dead_code))]
#[derive(Debug, Clone)]
pub(crate) struct Negative<'a> {
    /// Index into [`Prepared::feedback`].
    pub(crate) row: usize,
    pub(crate) severity: f64,
    pub(crate) closed: Option<Close<'a>>,
    /// The interaction the feedback is linked to (its entry in
    /// [`Prepared::sheet`]).
    pub(crate) linked: Option<u32>,
    /// The feedback's instant and attributes (its row's, here so that a
    /// tally does not go back to the row).
    pub(crate) at: i64,
    pub(crate) attrs: Attrs,
}

/// What the negatives of every report instant start from (see
/// [`Prepared::negatives`]): judging each feedback and gathering its
/// customer's contacts do not depend on the instant.
pub(crate) struct NegativeBase<'a> {
    /// Every negative feedback row, whatever its instant, in row order.
    pub(crate) judged: Vec<Judged<'a>>,
}

/// A negative feedback as every report instant starts from it.
pub(crate) struct Judged<'a> {
    /// Index into [`Prepared::feedback`].
    pub(crate) row: usize,
    pub(crate) severity: f64,
    /// When it was given.
    pub(crate) at: i64,
    /// Its row's attributes and linked interaction (a reading goes back to
    /// the row only for feedback without a customer).
    pub(crate) attrs: Attrs,
    pub(crate) linked: Option<u32>,
    /// Its customer's first contact after it (whether that is before a
    /// report instant is all that instant decides).
    pub(crate) next: Option<(i64, Closer<'a>)>,
}

/// The instants at which the company was in contact in an interaction.
fn contacts(i: Option<crate::engine::clock::Hist<'_>>) -> impl Iterator<Item = i64> + '_ {
    (i.into_iter())
        .flat_map(|i| [i.first_response_at, i.resolved_at])
        .flatten()
        .map(ms)
}

/// The earliest of `records` for each of `feedback` (its index in
/// `records`, [`NONE`] for none; empty when there are no records). The
/// earliest record at or before an instant is this one or none: every other
/// record of the feedback is later.
pub(crate) fn first_records(records: &[FollowUpRecord], feedback: &[super::FRow<'_>]) -> Vec<u32> {
    if records.is_empty() || feedback.is_empty() {
        return Vec::new();
    }
    let mut first: HashMap<&str, u32> = HashMap::default();
    first.reserve(records.len());
    for (k, r) in records.iter().enumerate() {
        let k = u32::try_from(k).unwrap_or(NONE);
        let e = first.entry(r.feedback.as_str()).or_insert(k);
        if records
            .get(*e as usize)
            .is_some_and(|earliest| r.at < earliest.at)
        {
            *e = k;
        }
    }
    feedback
        .iter()
        .map(|f| first.get(f.f.id()).copied().unwrap_or(NONE))
        .collect()
}

impl<'a> Prepared<'a> {
    /// Whether any `follow_up` expectation is in scope.
    pub(crate) fn scores_follow_ups(&self, scope: &Scope) -> bool {
        self.exps.iter().any(|e| {
            scope.stage(e.stage)
                && e.records
                    .first()
                    .is_some_and(|r| matches!(r.metric, Metric::FollowUp(_)))
        })
    }

    /// The negatives the report needs: none unless a `follow_up` expectation
    /// is scored.
    pub(crate) fn negatives_for(&self, scope: &Scope) -> Vec<Negative<'a>> {
        if self.scores_follow_ups(scope) {
            self.negatives(scope.as_of_ms)
        } else {
            Vec::new()
        }
    }

    /// Every negative feedback given at or before `as_of`, with its close.
    pub(crate) fn negatives(&self, as_of_ms: i64) -> Vec<Negative<'a>> {
        let base = self.negative_base.get_or_init(|| self.negative_base());
        let mut out = Vec::new();
        for j in base.judged.iter().filter(|j| j.at <= as_of_ms) {
            let after = |t: i64| t > j.at && t <= as_of_ms;
            // The earliest record; none at all when it is after `as_of`.
            let record = self
                .follow_up_of
                .get(j.row)
                .and_then(|&k| self.diary.follow_ups.get(k as usize))
                .filter(|r| ms(&r.at) <= as_of_ms);
            let mut best: Option<Close<'a>> = record.map(|r| Close {
                at: ms(&r.at),
                by: Closer::Record(r),
            });
            let mut offer = |at: i64, by: Closer<'a>| {
                if after(at) && best.is_none_or(|b| at < b.at) {
                    best = Some(Close { at, by });
                }
            };
            if j.attrs.customer == NONE {
                match j.linked {
                    Some(i) => {
                        for t in contacts(self.sheet.hist(i)) {
                            offer(t, Closer::Interaction(i));
                        }
                    }
                    None => {
                        let f = self
                            .feedback
                            .get(j.row)
                            .map_or([NO_TIME; 2], |f| f.contacts);
                        for t in f.into_iter().filter(|&t| t != NO_TIME) {
                            offer(t, Closer::Unheld);
                        }
                    }
                }
            } else if let Some((t, by)) = j.next {
                offer(t, by);
            }
            // A record at the feedback's own instant closes it too.
            if let Some(r) = record {
                if ms(&r.at) == j.at {
                    best = Some(Close {
                        at: j.at,
                        by: Closer::Record(r),
                    });
                }
            }
            out.push(Negative {
                row: j.row,
                severity: j.severity,
                closed: best,
                linked: j.linked,
                at: j.at,
                attrs: j.attrs,
            });
        }
        out
    }

    /// What [`Prepared::negatives`] starts from at every report instant:
    /// every negative feedback, whatever its instant, and the contacts of
    /// their customers (found at the first reading, then kept).
    pub(crate) fn negative_base(&self) -> NegativeBase<'a> {
        let rules = &self.diary.follow_up;
        let mut judged: Vec<Judged<'a>> = (self.feedback.iter().enumerate())
            .filter(|(_, f)| !f.dismissed)
            .filter_map(|(row, f)| {
                judge(rules, f.f, None).map(|severity| Judged {
                    row,
                    severity,
                    at: f.at,
                    attrs: f.attrs,
                    linked: f.linked,
                    next: None,
                })
            })
            .collect();
        if judged.is_empty() {
            // No contacts to lay out (a stream's chunks have no feedback).
            return NegativeBase { judged };
        }
        // The negatives of each customer, laid out by customer key: `c`'s
        // are `by_customer[start[c]..start[c + 1]]` (indices into `judged`).
        let customers = self.keys[4].len();
        // Its customer's key; none for no customer (NONE).
        let customer_of =
            |j: &Judged<'_>| Some(j.attrs.customer as usize).filter(|&c| c < customers);
        let mut start = vec![0u32; customers + 1];
        for j in &judged {
            // Counted at the next key's place.
            if let Some(n) = customer_of(j).and_then(|c| start.get_mut(c + 1)) {
                *n += 1;
            }
        }
        for k in 1..start.len() {
            start[k] += start[k - 1];
        }
        // Each customer's negatives in time order, their instants side by
        // side: a contact reads its customer's run, not `judged`.
        let mut next = start.clone();
        let total = start.last().copied().unwrap_or(0) as usize;
        let mut by_customer: Vec<(i64, u32)> = vec![(0, 0); total];
        for (q, j) in (0u32..).zip(&judged) {
            if let Some(k) = customer_of(j).and_then(|c| next.get_mut(c)) {
                if let Some(slot) = by_customer.get_mut(*k as usize) {
                    *slot = (j.at, q);
                }
                *k += 1;
            }
        }
        drop(next);
        let run_of = |c: usize| match (start.get(c), start.get(c.wrapping_add(1))) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        };
        for c in 0..customers {
            if let Some(run) = by_customer.get_mut(run_of(c)) {
                if run.len() > 1 {
                    crate::util::sort::sort_by_key(run, |n| n.0);
                }
            }
        }
        // Every contact of those customers, in one pass, noted at the last of
        // its customer's negatives before it (the earliest there, the first
        // offered among equals: a held interaction's before a contact of one
        // let go); then a negative's first contact after it is the earliest
        // noted at it or at any later negative of the customer. No list of
        // the contacts, no sort of them, whatever a customer's count.
        let mut noted: Vec<Option<(i64, u64, Closer<'a>)>> = vec![None; total];
        let mut order = 0u64;
        let mut offer = |customer: u32, t: i64, by: Closer<'a>| {
            let run = run_of(customer as usize);
            let Some(negatives) = by_customer.get(run.clone()) else {
                return;
            };
            let before = negatives.partition_point(|n| n.0 < t);
            let Some(slot) = before
                .checked_sub(1)
                .and_then(|k| noted.get_mut(run.start + k))
            else {
                return;
            };
            order += 1;
            if slot.is_none_or(|(s, _, _)| t < s) {
                *slot = Some((t, order, by));
            }
        };
        for row in self.rows.iter().flatten() {
            for t in [row.first, row.resolved] {
                if t != NO_TIME {
                    offer(row.attrs.customer, t, Closer::Interaction(row.rec));
                }
            }
        }
        for &(customer, t) in self.contacts.unwrap_or_default() {
            offer(customer, t, Closer::Unheld);
        }
        for c in 0..customers {
            let run = run_of(c);
            let (Some(negatives), Some(noted)) = (by_customer.get(run.clone()), noted.get(run))
            else {
                continue;
            };
            let mut earliest: Option<(i64, u64, Closer<'a>)> = None;
            for (&(_, q), &here) in negatives.iter().zip(noted).rev() {
                if let Some(h) = here {
                    if earliest.is_none_or(|e| (h.0, h.1) < (e.0, e.1)) {
                        earliest = Some(h);
                    }
                }
                if let Some(j) = judged.get_mut(q as usize) {
                    j.next = earliest.map(|(t, _, by)| (t, by));
                }
            }
        }
        NegativeBase { judged }
    }
}
