//! Closing the loop: negative feedback opens a follow-up, due by its own
//! expectation, closed by the company's next contact with the customer.

use super::Header;
use crate::engine::Fb;
use crate::words::{Msg, Sentence};
use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use super::drill::Filters;
use crate::engine::clock;
use crate::engine::negative::{Closer, Negative};
use crate::engine::{Lang, NONE, Prepared};
use crate::error::{Error, Result};
use crate::model::rules::{Trigger, judge, trim};
use crate::model::*;
use crate::stats;
use crate::time::span::Span;

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
#[non_exhaustive]
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
    /// Language of each follow-up's `age_text` (default English; not
    /// written when English).
    #[serde(skip_serializing_if = "Lang::is_default")]
    pub lang: Lang,
}

crate::util::setters!(FollowUpOptions {
    /// Sets the filters.
    with_filters(filters: Filters) filters: set;
    /// Sets which follow-ups are listed.
    with_show(show: Show) show: set;
    /// Sets how far back the customer's history goes.
    with_history(history: Span) history: set;
    /// Sets the language of each follow-up's age in words.
    with_lang(lang: Lang) lang: set;
});

impl Default for FollowUpOptions {
    fn default() -> Self {
        FollowUpOptions {
            filters: Filters::default(),
            show: Show::All,
            history: Span::from_days(30),
            lang: Lang::En,
        }
    }
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
    /// An interaction or a feedback record.
    pub kind: RecordKind,
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
    /// An interaction (a reply or resolution in it) or a follow-up record.
    pub kind: RecordKind,
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
    /// How bad, 0–1 (see [`FollowUpList`], Rules).
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
///
/// # Rules
///
/// - **Opens**: an answered feedback record that meets any of the diary's
///   [`FollowUpRules`](crate::FollowUpRules) (NPS detractor, low CSAT/CES/rating, a listed
///   complaint reason, marked negative).
/// - **Due**: the `follow_up` expectation of the feedback's stage (narrowed by
///   touchpoint, channel or segment like any expectation; the first that
///   matches) gives the levels: `due` is the feedback's instant plus the
///   adequate level, `desired_by` plus the desired level, counted in the
///   expectation's business calendar when it names one. Without such an
///   expectation a follow-up has no due time and is never overdue.
/// - **Closed** at the first instant after the feedback, and not after
///   `as_of`, at which the company was in contact with the customer: a reply
///   (`first_response_at`) or a resolution (`resolved_at`) in any of the
///   customer's interactions (for feedback without a customer: in its linked
///   interaction), or an explicit [`FollowUpRecord`](crate::FollowUpRecord).
/// - **Overdue**: still open and its clock (business time when the
///   expectation names a calendar) is past the adequate level at `as_of` —
///   the instant the `follow_up` gap counts it as missed.
/// - **Priority** = importance × (severity + repeats). Severity is 1 for the
///   worst score and falls to `1/(t − lo + 1)` at the threshold `t` (NPS 0 → 1,
///   NPS 6 → 1/7; CSAT 1 → 1, CSAT 2 → 1/2); a reason or a negative mark alone
///   is 1/2. Repeats count the customer's earlier negative feedback within
///   the history window, each adding 1, so repeat complainers come first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpList {
    /// [`FOLLOW_UPS_SCHEMA`], the diary and the instant.
    #[serde(flatten)]
    pub header: Header,
    /// The options used.
    pub options: FollowUpOptions,
    /// Counts.
    pub summary: Summary,
    /// The follow-ups: overdue, then open, then closed; by priority within.
    pub follow_ups: Vec<FollowUp>,
}

/// The records of one customer.
#[derive(Default)]
struct CustomerRecords<'p, 'a> {
    rows: Vec<&'p crate::engine::Row>,
    feedback: Vec<&'p crate::engine::FRow<'a>>,
}

/// Checks a feedback record against the rules: `(severity, triggers)`.
fn triggers(rules: &FollowUpRules, f: Fb<'_>) -> (f64, Vec<Trigger>) {
    let mut out = Vec::new();
    let severity = judge(rules, f, Some(&mut out)).unwrap_or(0.0);
    (severity, out)
}

impl<'a> Prepared<'a> {
    /// An instant in the diary's time zone.
    pub(crate) fn instant(&self, t: i64) -> Option<Timestamp> {
        chrono::DateTime::from_timestamp_millis(t).map(|d| self.diary.timezone.at(&d))
    }

    /// The name of `key` among the keys of slot `slot` of
    /// [`Prepared::keys`] (`None` for [`NONE`]).
    fn key_name(&self, slot: usize, key: u32) -> Option<String> {
        (key != NONE).then(|| {
            self.keys
                .get(slot)
                .map_or("", |keys| keys.name(key))
                .to_owned()
        })
    }

    /// The history item of entry `k` of the sheet (`None` out of range).
    fn history_item(&self, k: u32) -> Option<HistoryItem> {
        let row = self.row_at(k)?;
        let texts = self.sheet.texts(k);
        Some(HistoryItem {
            kind: RecordKind::Interaction,
            id: texts.id.to_owned(),
            at: *self.sheet.opened_at(k)?,
            stage: self.stages.name(row.attrs.stage).to_owned(),
            channel: self.key_name(1, row.attrs.channel),
            employee: self.key_name(2, row.attrs.employee),
            status: texts.status.map(str::to_owned),
            category: texts.category.map(str::to_owned),
            request: texts.request.map(str::to_owned),
            said: None,
        })
    }

    /// The follow-up list.
    ///
    /// ```
    /// use mindgap::{FollowUpOptions, Prepared, Show, State};
    /// let diary = mindgap::sample::diary(400);
    /// let prepared = Prepared::new(&diary)?;
    /// let list = prepared.follow_ups(&FollowUpOptions::default().with_show(Show::Closed))?;
    /// // The summary counts every follow-up; the list holds the closed ones.
    /// let s = &list.summary;
    /// assert_eq!(s.total, s.open + s.overdue + s.closed);
    /// assert_eq!(list.follow_ups.len() as u64, s.closed);
    /// assert!(list.follow_ups.iter().all(|f| f.state == State::Closed));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn follow_ups(&self, options: &FollowUpOptions) -> Result<FollowUpList> {
        if options.history.as_millis() < 0 {
            return Err(Error::InvalidOption {
                option: "history".into(),
                message: Sentence::new(Msg::OptNonNegative).value("value", options.history),
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
                Some(c) => c.deadline_ms(f.at, d - c.day_start_offset(f.at)),
                None => f.at.checked_add(d),
            };
            let end = n.closed.map_or(as_of_ms.max(f.at), |c| c.at);
            let age = clock::since(cal, f.at, end);
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
            let name = |k: usize, key: u32| self.key_name(k, key);
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
                interaction: n.linked.and_then(|i| self.history_item(i)),
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
                        kind: RecordKind::Interaction,
                        id: self.sheet.id(i).to_owned(),
                        employee: self
                            .row_at(i)
                            .and_then(|row| self.key_name(2, row.attrs.employee)),
                    }),
                    Closer::Record(r) => Some(ClosedBy {
                        kind: RecordKind::FollowUp,
                        id: r.id.clone(),
                        employee: r.employee.as_ref().map(|e| e.as_str().to_owned()),
                    }),
                    Closer::Unheld => None,
                }),
                age: age.as_secs_f64(),
                // Business seconds with the expectation's calendar, and said so.
                age_text: options
                    .lang
                    .words()
                    .duration(age.as_secs_f64(), cal.is_some()),
                late: n.closed.is_some() && past,
                history,
            });
        }
        if !times.is_empty() {
            summary.median_time_to_close = stats::quantile(&times, 0.5).ok();
            summary.p90_time_to_close = stats::quantile(&times, 0.9).ok();
        }
        crate::util::sort::sort_by(&mut list, |a, b| {
            a.state
                .cmp(&b.state)
                .then_with(|| b.priority.total_cmp(&a.priority))
                .then_with(|| a.due.cmp(&b.due))
                .then_with(|| a.at.cmp(&b.at))
                .then_with(|| a.feedback.cmp(&b.feedback))
        });
        Ok(FollowUpList {
            header: Header {
                schema: FOLLOW_UPS_SCHEMA.to_owned(),
                diary: Some(self.diary.name.clone()),
                timezone: None,
                as_of: scope.as_of,
            },
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
                out.extend(self.history_item(row.rec).map(|h| (row.opened, h)));
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
                        kind: RecordKind::Feedback,
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
        crate::util::sort::sort_by(&mut out, |a, b| {
            a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id))
        });
        out.into_iter().map(|(_, h)| h).collect()
    }
}

/// What a follow-up list reads of the interactions: the records a stream
/// holds at its second reading (see [`Prepared::follow_ups_wanted`]).
#[derive(Debug, Default)]
pub(crate) struct Wanted {
    /// The interactions listed follow-ups' feedback links to.
    ids: rustc_hash::FxHashSet<String>,
    /// By customer: the spans of the listed follow-ups' histories, and the
    /// instants of the contacts that closed them.
    customers: HashMap<String, Around>,
}

#[derive(Debug, Default)]
struct Around {
    /// Opened in one of these (inclusive) spans: in a history.
    spans: Vec<(i64, i64)>,
    /// A first reply or resolution at one of these: a close.
    closes: Vec<i64>,
}

impl Wanted {
    /// Whether the list reads `i`: its feedback links to it, it is in the
    /// history of a follow-up listed, or it may have closed one.
    pub(crate) fn wants(&self, i: &Interaction) -> bool {
        if self.ids.contains(i.id.as_str()) {
            return true;
        }
        let Some(around) = i
            .customer
            .as_ref()
            .and_then(|c| self.customers.get(c.as_str()))
        else {
            return false;
        };
        let opened = i.opened_at.timestamp_millis();
        around
            .spans
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&opened))
            || [
                clock::first_reply_ms(i),
                i.resolved_at.map(|t| t.timestamp_millis()),
            ]
            .into_iter()
            .flatten()
            .any(|t| around.closes.contains(&t))
    }
}

impl Prepared<'_> {
    /// The follow-up list with `options`, and what it reads of the
    /// interactions for the follow-ups it lists: a stream lists them
    /// knowing only the instants of the contacts it let go (so the closes,
    /// states and the summary are final), then reads the interactions again
    /// holding only those, and lists again.
    pub(crate) fn follow_ups_wanted(&self, options: &FollowUpOptions) -> Result<Wanted> {
        let list = self.follow_ups(options)?;
        let window = options.history.as_millis();
        let as_of = list.header.as_of.timestamp_millis();
        let listed: HashMap<&str, &FollowUp> = list
            .follow_ups
            .iter()
            .map(|f| (f.feedback.as_str(), f))
            .collect();
        let mut wanted = Wanted::default();
        for row in &self.feedback {
            let Some(f) = listed.get(row.f.id()) else {
                continue;
            };
            if let Some(id) = row.f.interaction() {
                wanted.ids.insert(id.to_owned());
            }
            let Some(customer) = &f.customer else {
                continue;
            };
            let around = wanted.customers.entry(customer.clone()).or_default();
            let lo = row.at.saturating_sub(window);
            let hi = row.at.saturating_add(window).min(as_of);
            if lo <= hi {
                around.spans.push((lo, hi));
            }
            if let (Some(t), None) = (f.closed_at, &f.closed_by) {
                around.closes.push(t.timestamp_millis());
            }
        }
        Ok(wanted)
    }
}
