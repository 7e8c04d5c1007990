//! Closing the loop: negative feedback opens a follow-up, due by its own
//! expectation, closed by the company's next contact with the customer.
//!
//! # Rules
//!
//! - **Opens**: an answered feedback record that meets any of the diary's
//!   [`FollowUpRules`] (NPS detractor, low CSAT/CES/rating, a listed
//!   complaint reason, marked negative).
//! - **Due**: the `follow_up` expectation of the feedback's stage (narrowed by
//!   touchpoint, channel or segment like any expectation; the first that
//!   matches) gives the levels: `due` is the feedback's instant plus the
//!   adequate level, `desired_by` plus the desired level, counted in the
//!   expectation's business calendar when it names one. Without such an
//!   expectation a follow-up has no due time and is never overdue.
//! - **Closed** at the first instant after the feedback, and not after
//!   `as_of`, at which the company was in contact with the customer: a reply
//!   (`first_response_at`) or a resolution (`resolved_at`) in any of the
//!   customer's interactions (for feedback without a customer: in its linked
//!   interaction), or an explicit [`FollowUpRecord`].
//! - **Overdue**: still open and its clock (business time when the
//!   expectation names a calendar) is past the adequate level at `as_of` —
//!   the instant the `follow_up` gap counts it as missed.
//! - **Priority** = importance × (severity + repeats). Severity is 1 for the
//!   worst score and falls to `1/(t − lo + 1)` at the threshold `t` (NPS 0 → 1,
//!   NPS 6 → 1/7; CSAT 1 → 1, CSAT 2 → 1/2); a reason or a negative mark alone
//!   is 1/2. Repeats count the customer's earlier negative feedback within
//!   the history window, each adding 1, so repeat complainers come first.

use super::{Attrs, Fb};
use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use super::drill::Filters;
use super::observe::Scope;
use super::{NO_TIME, NONE, Prepared, ms};
use crate::clock;
use crate::error::{Error, Result};
use crate::model::*;
use crate::span::Span;
use crate::stats;

/// Schema of the follow-up list JSON.
pub const FOLLOW_UPS_SCHEMA: &str = "mindgap/follow-ups/1";

/// Which follow-ups to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Show {
    /// All of them (the default).
    #[default]
    All,
    /// Open ones, overdue included.
    Open,
    /// Overdue ones only.
    Overdue,
    /// Closed ones only.
    Closed,
}

/// Follow-up list options; every field has a documented default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FollowUpOptions {
    /// The report's filters (instant, period of the feedback, stages,
    /// channels of the feedback's interaction).
    pub filters: Filters,
    /// Which follow-ups to list (default: all; the summary counts all).
    pub show: Show,
    /// The customer's history shown with each follow-up: records within this
    /// span before and after the feedback (default 30 days). Also the window
    /// in which earlier negative feedback counts as a repeat.
    pub history: Span,
}

impl Default for FollowUpOptions {
    fn default() -> Self {
        FollowUpOptions {
            filters: Filters::default(),
            show: Show::All,
            history: Span::from_days(30),
        }
    }
}

/// Why a feedback record opened a follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// The rule: `nps`, `csat`, `ces`, `rating`, `reason` or `sentiment`.
    pub rule: String,
    /// What met it, in words: `"3 ≤ 6"`, `"late_delivery"`, `"negative"`.
    pub detail: String,
}

/// State of a follow-up at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Open and past its due time.
    Overdue,
    /// Open, not yet due (or with no due time).
    Open,
    /// Closed by a contact.
    Closed,
}

/// A record in a customer's history, in brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    /// `interaction` or `feedback`.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// When it was opened or given.
    pub at: Timestamp,
    /// Stage.
    pub stage: String,
    /// Channel (interactions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Responsible employee (interactions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee: Option<String>,
    /// Current status (interactions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Category (interactions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// What was asked (interactions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// Feedback kind and score, or reason, in brief (`nps 3`, `reason late_delivery`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said: Option<String>,
}

/// What closed a follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosedBy {
    /// `interaction` (a reply or resolution in it) or `follow_up` (a record).
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Who made the contact, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee: Option<String>,
}

/// One follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The feedback that opened it.
    pub feedback: String,
    /// When that feedback was given.
    pub at: Timestamp,
    /// Its kind.
    pub kind: FeedbackKind,
    /// Its score, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Its reason, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Its comment, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The rules it met.
    pub triggers: Vec<Trigger>,
    /// How bad, 0–1 (see the module docs).
    pub severity: f64,
    /// Earlier negative feedback of the customer within the history window.
    pub repeats: u64,
    /// Importance of the follow-up expectation (1 without one).
    pub importance: f64,
    /// importance × (severity + repeats); the list is sorted by it.
    pub priority: f64,
    /// Stage.
    pub stage: String,
    /// Customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// The employee responsible for the linked interaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee: Option<String>,
    /// Their team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The linked interaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interaction: Option<HistoryItem>,
    /// The `follow_up` expectation that sets the due time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expectation: Option<String>,
    /// Due by (adequate level).
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub due: Option<Timestamp>,
    /// Hoped for by (desired level).
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub desired_by: Option<Timestamp>,
    /// Open, overdue or closed at `as_of`.
    pub state: State,
    /// When it was closed.
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub closed_at: Option<Timestamp>,
    /// What closed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<ClosedBy>,
    /// Time from the feedback to the close, or to `as_of` while open, in
    /// seconds (business seconds with the expectation's calendar).
    pub age: f64,
    /// The same in words.
    pub age_text: String,
    /// Closed after its due time.
    pub late: bool,
    /// The customer's records around the feedback, in time order.
    pub history: Vec<HistoryItem>,
}

/// Counts over every follow-up in scope (whatever [`Show`] lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// All follow-ups opened in scope.
    pub total: u64,
    /// Open and not overdue.
    pub open: u64,
    /// Open and overdue.
    pub overdue: u64,
    /// Closed.
    pub closed: u64,
    /// Closed after their due time.
    pub closed_late: u64,
    /// Median time to close, seconds (closed ones).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_time_to_close: Option<f64>,
    /// 90th percentile of the time to close, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p90_time_to_close: Option<f64>,
}

/// The follow-up list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpList {
    /// Always [`FOLLOW_UPS_SCHEMA`].
    pub schema: String,
    /// The diary's name.
    pub diary: String,
    /// The instant of the list.
    pub as_of: Timestamp,
    /// The options used.
    pub options: FollowUpOptions,
    /// Counts.
    pub summary: Summary,
    /// The follow-ups: overdue, then open, then closed; by priority within.
    pub follow_ups: Vec<FollowUp>,
}

/// What closed a follow-up, found in the data.
#[derive(Debug, Clone, Copy)]
pub(super) enum Closer<'a> {
    Interaction(&'a Interaction),
    Record(&'a FollowUpRecord),
    /// An interaction a streamed report has let go: only the instant is
    /// known (the report needs no more).
    Unheld,
}

/// A close: when and by what.
#[derive(Debug, Clone, Copy)]
pub(super) struct Close<'a> {
    pub(super) at: i64,
    pub(super) by: Closer<'a>,
}

/// The records of one customer.
#[derive(Default)]
struct CustomerRecords<'p, 'a> {
    rows: Vec<&'p super::Row<'a>>,
    feedback: Vec<&'p super::FRow<'a>>,
}

/// A negative feedback record, as of an instant.
#[derive(Debug, Clone)]
pub(super) struct Negative<'a> {
    /// Index into [`Prepared::feedback`].
    pub(super) row: usize,
    pub(super) severity: f64,
    pub(super) closed: Option<Close<'a>>,
    /// The interaction the feedback is linked to.
    pub(super) linked: Option<&'a Interaction>,
    /// The feedback's instant and attributes (its row's, here so that a
    /// tally does not go back to the row).
    pub(super) at: i64,
    pub(super) attrs: Attrs,
}

/// What the negatives of every report instant start from (see
/// [`Prepared::negatives`]): judging each feedback and gathering its
/// customer's contacts do not depend on the instant.
pub(crate) struct NegativeBase<'a> {
    /// Every negative feedback row, whatever its instant, in row order.
    judged: Vec<Judged<'a>>,
}

/// A negative feedback as every report instant starts from it.
struct Judged<'a> {
    /// Index into [`Prepared::feedback`].
    row: usize,
    severity: f64,
    /// When it was given.
    at: i64,
    /// Its row's attributes and linked interaction (a reading goes back to
    /// the row only for feedback without a customer).
    attrs: Attrs,
    linked: Option<&'a Interaction>,
    /// Its customer's first contact after it (whether that is before a
    /// report instant is all that instant decides).
    next: Option<(i64, Closer<'a>)>,
}

/// Checks a feedback record against the rules: `(severity, triggers)`.
fn triggers(rules: &FollowUpRules, f: Fb<'_>) -> (f64, Vec<Trigger>) {
    let mut out = Vec::new();
    let severity = judge(rules, f, Some(&mut out)).unwrap_or(0.0);
    (severity, out)
}

/// The severity of a feedback record that opens a follow-up under the
/// rules, `None` when it opens none; each rule that fires is added to
/// `triggers` when given (the report only needs the severity: no text made).
pub(crate) fn judge(
    rules: &FollowUpRules,
    f: Fb<'_>,
    mut triggers: Option<&mut Vec<Trigger>>,
) -> Option<f64> {
    if f.dismissed() {
        return None;
    }
    let mut severity: Option<f64> = None;
    let mut fire = |s: f64, rule: &str, detail: &dyn Fn() -> String| {
        severity = Some(severity.map_or(s, |x: f64| x.max(s)));
        if let Some(out) = triggers.as_deref_mut() {
            out.push(Trigger {
                rule: rule.to_owned(),
                detail: detail(),
            });
        }
    };
    let scored = match (f.kind(), f.score()) {
        (FeedbackKind::Nps, Some(s)) => rules.nps_at_most.map(|t| ("nps", s, t, 0.0)),
        (FeedbackKind::Csat, Some(s)) => rules.csat_at_most.map(|t| ("csat", s, t, 1.0)),
        (FeedbackKind::Ces, Some(s)) => rules.ces_at_most.map(|t| ("ces", s, t, 1.0)),
        (FeedbackKind::Rating, Some(s)) => {
            let scale = f64::from(f.scale().unwrap_or(5).max(2));
            let five = 1.0 + (s - 1.0) * 4.0 / (scale - 1.0);
            rules.rating_at_most.map(|t| ("rating", five, t, 1.0))
        }
        _ => None,
    };
    if let Some((rule, s, t, lo)) = scored {
        if s <= t {
            let sev = ((t + 1.0 - s) / (t + 1.0 - lo)).clamp(0.0, 1.0);
            fire(sev, rule, &|| format!("{} ≤ {}", trim(s), trim(t)));
        }
    }
    if let Some(r) = f.reason() {
        if rules.reasons.iter().any(|x| x.trim() == r.trim()) {
            fire(0.5, "reason", &|| r.to_owned());
        }
    }
    if rules.negative_sentiment && f.sentiment() == Some(Sentiment::Negative) {
        fire(0.5, "sentiment", &|| "negative".to_owned());
    }
    severity
}

/// Whether a feedback record opens a follow-up under these rules.
///
/// ```
/// use mindgap::model::*;
/// let f: Feedback = serde_json::from_str(
///     r#"{"id": "f", "at": "2026-06-01T10:00:00Z", "kind": "nps", "score": 6, "stage": "s"}"#,
/// ).unwrap();
/// assert!(mindgap::score::followup::opens(&FollowUpRules::default(), &f));
/// ```
pub fn opens(rules: &FollowUpRules, f: &Feedback) -> bool {
    judge(rules, Fb::Record(f), None).is_some()
}

fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The instants at which the company was in contact in an interaction.
fn contacts(i: &Interaction) -> impl Iterator<Item = i64> + '_ {
    [i.first_response_at.as_ref(), i.resolved_at.as_ref()]
        .into_iter()
        .flatten()
        .map(ms)
}

/// The earliest of `records` for each of `feedback` (its index in
/// `records`, [`NONE`] for none; empty when there are no records). The
/// earliest record at or before an instant is this one or none: every other
/// record of the feedback is later.
pub(super) fn first_records(records: &[FollowUpRecord], feedback: &[super::FRow<'_>]) -> Vec<u32> {
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
    fn scores_follow_ups(&self, scope: &Scope) -> bool {
        self.exps.iter().any(|e| {
            scope.stage(e.stage)
                && e.records
                    .first()
                    .is_some_and(|r| matches!(r.metric, Metric::FollowUp(_)))
        })
    }

    /// The negatives the report needs: none unless a `follow_up` expectation
    /// is scored.
    pub(super) fn negatives_for(&self, scope: &Scope) -> Vec<Negative<'a>> {
        if self.scores_follow_ups(scope) {
            self.negatives(scope.as_of_ms)
        } else {
            Vec::new()
        }
    }

    /// Every negative feedback given at or before `as_of`, with its close.
    pub(super) fn negatives(&self, as_of_ms: i64) -> Vec<Negative<'a>> {
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
                        for t in contacts(i) {
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
    fn negative_base(&self) -> NegativeBase<'a> {
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
                    crate::sort::sort_by_key(run, |n| n.0);
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
                    offer(row.attrs.customer, t, Closer::Interaction(row.i));
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

    /// An instant in the diary's time zone.
    pub(super) fn instant(&self, t: i64) -> Option<Timestamp> {
        chrono::DateTime::from_timestamp_millis(t).map(|d| self.diary.timezone.at(&d))
    }

    fn history_item(&self, i: &Interaction) -> HistoryItem {
        HistoryItem {
            kind: "interaction".into(),
            id: i.id.as_str().to_owned(),
            at: i.opened_at,
            stage: i.stage.as_str().to_owned(),
            channel: Some(i.channel.as_str().to_owned()),
            employee: i.employee.as_ref().map(|e| e.as_str().to_owned()),
            status: i.status.as_ref().map(|s| s.as_str().to_owned()),
            category: i.category.clone(),
            request: i.request.clone(),
            said: None,
        }
    }

    /// The follow-up list.
    pub fn follow_ups(&self, options: &FollowUpOptions) -> Result<FollowUpList> {
        if options.history.as_millis() < 0 {
            return Err(Error::InvalidOption {
                option: "history".into(),
                message: format!("{} is not a duration of zero or more", options.history),
            });
        }
        let scope = self.filters(&options.filters)?;
        let as_of_ms = scope.as_of_ms;
        let window = options.history.as_millis();
        let negatives = self.negatives(as_of_ms);
        let by_customer = self.records_of(&negatives);
        // Negative instants per customer, for repeats.
        let mut neg_at: HashMap<u32, Vec<i64>> = HashMap::default();
        for n in &negatives {
            if let Some(f) = self.feedback.get(n.row) {
                if f.attrs.customer != NONE {
                    neg_at.entry(f.attrs.customer).or_default().push(f.at);
                }
            }
        }
        for v in neg_at.values_mut() {
            v.sort_unstable();
        }
        let mut list = Vec::new();
        let mut summary = Summary {
            total: 0,
            open: 0,
            overdue: 0,
            closed: 0,
            closed_late: 0,
            median_time_to_close: None,
            p90_time_to_close: None,
        };
        let mut times = Vec::new();
        for n in &negatives {
            let Some(f) = self.feedback.get(n.row) else {
                continue;
            };
            if !scope.admits(&f.attrs, f.at) {
                continue;
            }
            let exp = self.exps.iter().find(|e| {
                e.stage == f.attrs.stage
                    && e.matches(&f.attrs)
                    && e.records
                        .first()
                        .is_some_and(|r| matches!(r.metric, Metric::FollowUp(_)))
            });
            let version = exp.map(|e| e.version_at(f.at));
            let zone = exp.zip(version).and_then(|(e, v)| e.zones.get(v));
            let record = exp.zip(version).and_then(|(e, v)| e.records.get(v));
            let cal = exp
                .and_then(|e| e.calendar)
                .and_then(|c| self.calendars.get(c));
            let until = |d: i64| match cal {
                Some(c) => c.deadline_ms(f.at, d),
                None => f.at.checked_add(d),
            };
            let end = n.closed.map_or(as_of_ms.max(f.at), |c| c.at);
            let age = clock::elapsed(cal, f.at, end);
            let past = zone.is_some_and(|z| age.as_millis() > z.adequate);
            let state = match (n.closed, past) {
                (Some(_), _) => State::Closed,
                (None, true) => State::Overdue,
                (None, false) => State::Open,
            };
            summary.total += 1;
            match state {
                State::Open => summary.open += 1,
                State::Overdue => summary.overdue += 1,
                State::Closed => {
                    summary.closed += 1;
                    summary.closed_late += u64::from(past);
                    times.push(age.as_secs_f64());
                }
            }
            let show = match options.show {
                Show::All => true,
                Show::Open => state != State::Closed,
                Show::Overdue => state == State::Overdue,
                Show::Closed => state == State::Closed,
            };
            if !show {
                continue;
            }
            let repeats = neg_at.get(&f.attrs.customer).map_or(0, |v| {
                let lo = v.partition_point(|&t| t < f.at.saturating_sub(window));
                let hi = v.partition_point(|&t| t < f.at);
                (hi - lo) as u64
            });
            let importance = record.map_or(1.0, |r| r.importance);
            let name = |k: usize, key: u32| {
                (key != NONE).then(|| {
                    self.keys
                        .get(k)
                        .map_or("", |keys| keys.name(key))
                        .to_owned()
                })
            };
            let history = self.history(by_customer.get(&f.attrs.customer), f.at, window, as_of_ms);
            list.push(FollowUp {
                feedback: f.f.id().to_owned(),
                at: f.f.at(),
                kind: f.f.kind(),
                score: f.f.score(),
                reason: f.f.reason().map(str::to_owned),
                comment: f.f.comment().map(str::to_owned),
                triggers: triggers(&self.diary.follow_up, f.f).1,
                severity: n.severity,
                repeats,
                importance,
                priority: importance * (n.severity + repeats as f64),
                stage: self.stages.name(f.attrs.stage).to_owned(),
                customer: name(4, f.attrs.customer),
                employee: name(2, f.attrs.employee),
                team: name(3, f.attrs.team),
                interaction: n.linked.map(|i| self.history_item(i)),
                expectation: record.map(|r| r.id.as_str().to_owned()),
                due: zone
                    .and_then(|z| until(z.adequate))
                    .and_then(|t| self.instant(t)),
                desired_by: zone
                    .and_then(|z| until(z.desired))
                    .and_then(|t| self.instant(t)),
                state,
                closed_at: n.closed.and_then(|c| self.instant(c.at)),
                closed_by: n.closed.and_then(|c| match c.by {
                    Closer::Interaction(i) => Some(ClosedBy {
                        kind: "interaction".into(),
                        id: i.id.as_str().to_owned(),
                        employee: i.employee.as_ref().map(|e| e.as_str().to_owned()),
                    }),
                    Closer::Record(r) => Some(ClosedBy {
                        kind: "follow_up".into(),
                        id: r.id.clone(),
                        employee: r.employee.as_ref().map(|e| e.as_str().to_owned()),
                    }),
                    Closer::Unheld => None,
                }),
                age: age.as_secs_f64(),
                age_text: age.human(),
                late: n.closed.is_some() && past,
                history,
            });
        }
        if !times.is_empty() {
            summary.median_time_to_close = stats::quantile(&times, 0.5).ok();
            summary.p90_time_to_close = stats::quantile(&times, 0.9).ok();
        }
        crate::sort::sort_by(&mut list, |a, b| {
            a.state
                .cmp(&b.state)
                .then_with(|| b.priority.total_cmp(&a.priority))
                .then_with(|| a.due.cmp(&b.due))
                .then_with(|| a.at.cmp(&b.at))
                .then_with(|| a.feedback.cmp(&b.feedback))
        });
        Ok(FollowUpList {
            schema: FOLLOW_UPS_SCHEMA.to_owned(),
            diary: self.diary.name.clone(),
            as_of: scope.as_of,
            options: options.clone(),
            summary,
            follow_ups: list,
        })
    }

    /// The records of each customer with a negative feedback, in one pass
    /// over the diary (so the history of every follow-up is not a scan).
    fn records_of(&self, negatives: &[Negative<'a>]) -> HashMap<u32, CustomerRecords<'_, 'a>> {
        let mut out: HashMap<u32, CustomerRecords<'_, 'a>> = HashMap::default();
        for n in negatives {
            if let Some(f) = self
                .feedback
                .get(n.row)
                .filter(|f| f.attrs.customer != NONE)
            {
                out.entry(f.attrs.customer).or_default();
            }
        }
        for row in self.rows.iter().flatten() {
            if let Some(c) = out.get_mut(&row.attrs.customer) {
                c.rows.push(row);
            }
        }
        for f in &self.feedback {
            if let Some(c) = out.get_mut(&f.attrs.customer) {
                c.feedback.push(f);
            }
        }
        out
    }

    /// A customer's interactions and feedback within `window` of `at`, not
    /// after `as_of`, in time order.
    fn history(
        &self,
        records: Option<&CustomerRecords<'_, 'a>>,
        at: i64,
        window: i64,
        as_of_ms: i64,
    ) -> Vec<HistoryItem> {
        let Some(records) = records else {
            return Vec::new();
        };
        let near = |t: i64| {
            t >= at.saturating_sub(window) && t <= at.saturating_add(window) && t <= as_of_ms
        };
        let mut out: Vec<(i64, HistoryItem)> = Vec::new();
        for row in &records.rows {
            if near(row.opened) {
                out.push((row.opened, self.history_item(row.i)));
            }
        }
        for f in &records.feedback {
            if near(f.at) && !f.f.dismissed() {
                let said = match (f.f.score(), f.f.reason()) {
                    (Some(s), _) => format!("{} {}", f.f.kind(), trim(s)),
                    (None, Some(r)) => format!("reason {r}"),
                    (None, None) => f.f.kind().as_str().to_owned(),
                };
                out.push((
                    f.at,
                    HistoryItem {
                        kind: "feedback".into(),
                        id: f.f.id().to_owned(),
                        at: f.f.at(),
                        stage: self.stages.name(f.attrs.stage).to_owned(),
                        channel: None,
                        employee: None,
                        status: None,
                        category: None,
                        request: None,
                        said: Some(said),
                    },
                ));
            }
        }
        crate::sort::sort_by(&mut out, |a, b| {
            a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id))
        });
        out.into_iter().map(|(_, h)| h).collect()
    }
}
