//! The breach queue: every clock still running at an instant, with when it
//! leaves the desired level (`warn_at`) and when it passes the adequate one
//! (`breach_at`), read from the expectation's zone of tolerance.
//!
//! A clock is a first-response, next-response, resolution or follow-up
//! clock of a duration expectation, exactly as the report counts it: the
//! queue lists the report's pending and running-missed observations, no
//! others. Its reading `v(t)` is the clock's value at `t` (business time
//! with a calendar, pauses taken off):
//!
//! - `breach_at` is the last instant at which `v(t) <= adequate`: the
//!   report made at any instant after it counts the clock **missed**, at
//!   it or before, **pending**. `warn_at` is the same for the desired level.
//! - Past instants are read from the record's history; future ones assume
//!   nothing changes after `as_of` (no reply, no status change): a clock
//!   paused at `as_of` (a resolution clock in a pause status) has no future
//!   `warn_at`/`breach_at`.
//! - `left` is `adequate - v(as_of)`, in the clock's own time (business
//!   time with a calendar): below zero once breached.
//!
//! States: **on track** (`v <= desired`), **at risk** (`desired < v <=
//! adequate`), **breached** (`v > adequate`). With `changes_since`, each
//! clock also says whether it became at risk or breached after that instant
//! (its `warn_at`/`breach_at` falls in `[changes_since, as_of)`), and the
//! follow-ups opened since are listed: what a host notifies about, without
//! keeping state between calls.

use serde::{Deserialize, Serialize};

use super::Header;
use super::drill::Filters;
use super::followup::{FollowUpOptions, State as FollowUpState};
use crate::engine::clock;
use crate::engine::observe::Rec;
use crate::engine::{Obs, Prepared};
use crate::error::{Error, Result};
use crate::model::*;
use crate::time::span::Span;
use crate::words::{Msg, Sentence};

/// Schema of the breach queue JSON.
pub const DUE_SCHEMA: &str = "mindgap/due/1";

/// Breach queue options; every field has a documented default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct DueOptions {
    /// The shared filters (the instant, the period the clocks started in,
    /// stages, channels).
    pub filters: Filters,
    /// Only clocks breached or breaching within this (real) time after
    /// `as_of` (default: every running clock).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<Span>,
    /// Only breached clocks (default false).
    pub breached: bool,
    /// Only this expectation's clocks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expectation: Option<ExpectationId>,
    /// The instant of the host's last call: each clock says whether it
    /// became at risk or breached since, and the follow-ups opened since
    /// are listed.
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub changes_since: Option<Timestamp>,
}

crate::util::setters!(DueOptions {
    /// Sets the filters.
    with_filters(filters: Filters) filters: set;
    /// Keeps clocks breached or breaching within this time of `as_of`.
    with_within(within: Span) within: some;
    /// Keeps breached clocks only.
    with_breached(breached: bool) breached: set;
    /// Keeps one expectation's clocks.
    with_expectation(expectation: impl Into<ExpectationId>) expectation: some;
    /// Reports what changed since this instant.
    with_changes_since(since: Timestamp) changes_since: some;
});

/// Which clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClockKind {
    /// Opening → first reply.
    FirstResponse,
    /// A customer's later message → the next reply.
    NextResponse,
    /// A reply → the next reply or the resolution (periodic update).
    Update,
    /// Opening → resolution, pauses taken off.
    Resolution,
    /// Negative feedback → the company's next contact.
    FollowUp,
}

/// Where a running clock stands against its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DueState {
    /// Passed the adequate level: the report counts it missed.
    Breached,
    /// Past the desired level, within the adequate one.
    AtRisk,
    /// Within the desired level.
    OnTrack,
}

/// What happened to a clock since [`DueOptions::changes_since`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DueChange {
    /// It passed the desired level since (and is not breached).
    NewlyAtRisk,
    /// It passed the adequate level since.
    NewlyBreached,
}

/// One running clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DueClock {
    /// The expectation whose zone it is read against (with `when`
    /// selectors, the one that applied).
    pub expectation: String,
    /// Which clock.
    pub clock: ClockKind,
    /// The record it runs for: an interaction, or the feedback of a follow-up.
    pub kind: RecordKind,
    /// Its id.
    pub id: String,
    /// When the clock started.
    pub started: Timestamp,
    /// Stage.
    pub stage: String,
    /// Channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Employee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee: Option<String>,
    /// Team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// The business calendar its time is counted in (real time if none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// The clock's reading at `as_of`. This and the three below are in the
    /// clock's unit: a duration ([`Level::Time`]), or business days
    /// ([`Level::BusinessDays`]) for an expectation whose levels are
    /// written in business days (for `end_of_business_day` levels counted
    /// from the start of the business day the clock started in).
    pub elapsed: Level,
    /// The desired level.
    pub desired: Level,
    /// The adequate level.
    pub adequate: Level,
    /// `adequate - elapsed` (below zero once breached).
    pub left: Level,
    /// The last instant within the desired level (`None`: paused short of it).
    #[serde(with = "crate::model::rfc3339_opt")]
    pub warn_at: Option<Timestamp>,
    /// The last instant within the adequate level (`None`: paused short of it).
    #[serde(with = "crate::model::rfc3339_opt")]
    pub breach_at: Option<Timestamp>,
    /// Where it stands.
    pub state: DueState,
    /// Paused at `as_of` (a resolution clock in a pause status).
    pub paused: bool,
    /// What changed since `changes_since`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<DueChange>,
}

/// A follow-up opened since [`DueOptions::changes_since`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewFollowUp {
    /// The negative feedback that opened it.
    pub feedback: String,
    /// When it was given.
    pub at: Timestamp,
    /// The customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Due by (the follow-up expectation's adequate level), if one applies.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "crate::model::rfc3339_opt"
    )]
    pub due: Option<Timestamp>,
}

/// Counts over every listed clock.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DueSummary {
    /// Clocks listed.
    pub total: u64,
    /// Of them breached.
    pub breached: u64,
    /// At risk.
    pub at_risk: u64,
    /// On track.
    pub on_track: u64,
    /// Paused at `as_of`.
    pub paused: u64,
    /// Newly at risk since `changes_since`.
    pub newly_at_risk: u64,
    /// Newly breached since `changes_since`.
    pub newly_breached: u64,
}

/// The breach queue: every clock still running at an instant, with when it
/// leaves the desired level (`warn_at`) and when it passes the adequate one
/// (`breach_at`), read from the expectation's zone of tolerance.
///
/// A clock is a first-response, next-response, resolution or follow-up
/// clock of a duration expectation, exactly as the report counts it: the
/// queue lists the report's pending and running-missed observations, no
/// others. Its reading `v(t)` is the clock's value at `t` (business time
/// with a calendar, pauses taken off):
///
/// - `breach_at` is the last instant at which `v(t) <= adequate`: the
///   report made at any instant after it counts the clock **missed**, at
///   it or before, **pending**. `warn_at` is the same for the desired level.
/// - Past instants are read from the record's history; future ones assume
///   nothing changes after `as_of` (no reply, no status change): a clock
///   paused at `as_of` (a resolution clock in a pause status) has no future
///   `warn_at`/`breach_at`.
/// - `left` is `adequate - v(as_of)`, in the clock's own time (business
///   time with a calendar): below zero once breached.
///
/// States: **on track** (`v <= desired`), **at risk** (`desired < v <=
/// adequate`), **breached** (`v > adequate`). With `changes_since`, each
/// clock also says whether it became at risk or breached after that instant
/// (its `warn_at`/`breach_at` falls in `[changes_since, as_of)`), and the
/// follow-ups opened since are listed: what a host notifies about, without
/// keeping state between calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DueList {
    /// [`DUE_SCHEMA`], the diary and the instant.
    #[serde(flatten)]
    pub header: Header,
    /// The options used.
    pub options: DueOptions,
    /// Counts.
    pub summary: DueSummary,
    /// The clocks: by `breach_at` (breached first), paused ones last.
    pub clocks: Vec<DueClock>,
    /// Follow-ups opened since `changes_since` (none without it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub new_follow_ups: Vec<NewFollowUp>,
}

/// What happened to a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClockEventKind {
    /// It started (the opening, the customer's message, the reply).
    Started,
    /// It paused (a change into a pause status).
    Paused,
    /// It ran again.
    Resumed,
    /// It reached the adequate level: the last instant within it, missed
    /// after it.
    Breached,
    /// It stopped (the reply, the resolution).
    Stopped,
}

/// One event of a clock's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClockEvent {
    /// When.
    pub at: Timestamp,
    /// What.
    pub event: ClockEventKind,
}

/// The timeline of a clock from `start` that stops at `stop` (`None`:
/// still running at `as_of`), read against `adequate`: started, each pause
/// and resumption of its pause statuses, breached (when its value passed
/// the adequate level), stopped; in time order, as epoch ms.
pub(crate) fn timeline(
    reader: ClockReader<'_>,
    rec: Rec<'_>,
    start: i64,
    stop: Option<i64>,
    as_of: i64,
    adequate: i64,
) -> Result<Vec<(i64, ClockEventKind)>> {
    let ClockReader { mut read, pauses } = reader;
    let end = stop.filter(|&s| s <= as_of).unwrap_or(as_of).max(start);
    let mut out = vec![(start, ClockEventKind::Started)];
    if let (Rec::Interaction(i), false) = (rec, pauses.is_empty()) {
        let mut runs = Vec::new();
        if let Some(i) = i.hist() {
            clock::pause_runs(i, pauses, &mut runs);
        }
        for [a, b] in runs {
            if a >= end || b <= start {
                continue;
            }
            out.push((a.max(start), ClockEventKind::Paused));
            if b < end {
                out.push((b, ClockEventKind::Resumed));
            }
        }
    }
    // The value at the end: a stopped clock's reading just before it
    // stopped equals its value.
    if read(end)? > adequate {
        out.push((
            last_within(start, end, adequate, &mut read)?,
            ClockEventKind::Breached,
        ));
    }
    if let Some(s) = stop.filter(|&s| s <= as_of) {
        out.push((s, ClockEventKind::Stopped));
    }
    crate::util::sort::sort_by_key(&mut out, |&(t, _)| t);
    Ok(out)
}

/// How a clock reads at past instants, from its record.
pub(crate) struct ClockReader<'p> {
    /// The clock's value (ms) at an instant before it stops.
    pub(crate) read: Box<dyn FnMut(i64) -> Result<i64> + 'p>,
    /// The statuses it pauses in.
    pub(crate) pauses: &'p [Status],
}

impl<'p> ClockReader<'p> {
    /// The reader of `kind`'s clock of `rec` that started at `start`.
    pub(crate) fn of(
        kind: ClockKind,
        rec: Rec<'p>,
        clock: crate::engine::observe::ClockOf<'p>,
        start: i64,
    ) -> ClockReader<'p> {
        let cal = clock.cal;
        match (kind, rec) {
            (ClockKind::Resolution, Rec::Interaction(i)) => {
                let pauses = clock.pauses;
                ClockReader {
                    read: Box::new(move |t| {
                        let i = i
                            .hist()
                            .ok_or_else(|| Error::internal("a row without its entry"))?;
                        Ok(clock::resolution_as_of_checked(i, cal, pauses, t)?
                            .span()
                            .as_millis())
                    }),
                    pauses,
                }
            }
            // Response and update clocks pause in the expectation's own
            // statuses.
            (_, Rec::Interaction(i)) if !clock.explicit.is_empty() => {
                let pauses = clock.explicit;
                ClockReader {
                    read: Box::new(move |t| {
                        let i = i
                            .hist()
                            .ok_or_else(|| Error::internal("a row without its entry"))?;
                        Ok(clock::read_paused(i, cal, pauses, start, None, t)
                            .span()
                            .as_millis())
                    }),
                    pauses,
                }
            }
            _ => ClockReader {
                read: Box::new(move |t| Ok(clock::since(cal, start, t).as_millis())),
                pauses: &[],
            },
        }
    }
}

/// A clock value in its zone's unit, as a [`Level`].
fn amount(unit: crate::engine::zone::Unit, v: i64) -> Level {
    match unit {
        crate::engine::zone::Unit::MicroDays => Level::BusinessDays(v as f64 / 1e6),
        _ => Level::Time(Span::from_millis(v)),
    }
}

/// The kind of clock a metric runs, if it runs one.
pub(crate) fn clock_kind(metric: &Metric) -> Option<ClockKind> {
    Some(match metric {
        Metric::FirstResponse(_) => ClockKind::FirstResponse,
        Metric::NextResponse(_) => ClockKind::NextResponse,
        Metric::Update(_) => ClockKind::Update,
        Metric::Resolution(_) => ClockKind::Resolution,
        Metric::FollowUp(_) => ClockKind::FollowUp,
        _ => return None,
    })
}

/// The last instant in `(start, as_of]`… at which `v(t) <= thr`, for a
/// monotone `v` with `v(as_of) > thr`: one before the first instant past it.
pub(crate) fn last_within(
    start: i64,
    as_of: i64,
    thr: i64,
    v: &mut dyn FnMut(i64) -> Result<i64>,
) -> Result<i64> {
    let (mut lo, mut hi) = (start, as_of);
    if v(lo)? > thr {
        return Ok(lo.saturating_sub(1));
    }
    // v(lo) <= thr < v(hi)
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if v(mid)? > thr {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(lo)
}

impl Prepared<'_> {
    /// The breach queue at the filters' instant (the rules: [`DueList`]).
    ///
    /// ```
    /// use mindgap::{DueOptions, DueState, Filters, Prepared};
    /// let diary = mindgap::sample::diary(2_000);
    /// let prepared = Prepared::new(&diary)?;
    /// let queue = prepared.due(&DueOptions::default())?;
    /// assert!(queue.summary.total > 0);
    /// // Breached clocks first; each passed its adequate level before `as_of`.
    /// let first = &queue.clocks[0];
    /// assert_eq!(first.state, DueState::Breached);
    /// assert!(first.breach_at.unwrap() < queue.header.as_of);
    /// assert!(first.left.as_span().is_some_and(|l| l.as_millis() < 0));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn due(&self, options: &DueOptions) -> Result<DueList> {
        let scope = self.filters(&options.filters)?;
        let as_of = scope.as_of_ms;
        if let Some(w) = options.within.filter(|w| w.as_millis() < 0) {
            return Err(Error::InvalidOption {
                option: "within".into(),
                message: Sentence::new(Msg::OptNonNegative).value("value", w),
            });
        }
        let since = options.changes_since.as_ref().map(|t| t.timestamp_millis());
        if let Some(s) = options.changes_since.filter(|_| since > Some(as_of)) {
            return Err(Error::InvalidOption {
                option: "changes_since".into(),
                message: Sentence::new(Msg::OptAfterQueue)
                    .value("since", s.to_rfc3339())
                    .value("as_of", scope.as_of.to_rfc3339()),
            });
        }
        let only = match &options.expectation {
            None => None,
            Some(id) => Some(
                self.exps
                    .iter()
                    .position(|e| e.latest().is_some_and(|r| r.id == *id))
                    .ok_or_else(|| Error::InvalidOption {
                        option: "expectation".into(),
                        message: Sentence::new(Msg::OptNoExpectation).quoted("id", id.as_str()),
                    })?,
            ),
        };
        let negatives = self.negatives_for(&scope);
        let mut clocks = Vec::new();
        for (ei, e) in self.exps.iter().enumerate() {
            if only.is_some_and(|o| o != ei) || !scope.stage(e.stage) {
                continue;
            }
            let Some(first) = e.records.first() else {
                continue;
            };
            let Some(kind) = clock_kind(&first.metric) else {
                continue;
            };
            let clock = self.clock_of(e, as_of);
            let cal = clock.cal;
            let id = e.latest().map_or("", |r| r.id.as_str());
            let mut running = Vec::new();
            self.observe(e, &scope, &negatives, &mut |s| {
                if let Obs::Pending(v) | Obs::Missed(v) = s.obs {
                    running.push((s, v));
                }
            })?;
            for (s, now) in running {
                let Some(zone) = e.zones.get(s.version) else {
                    continue;
                };
                let start = s.at;
                let ClockReader {
                    read: mut v,
                    pauses,
                } = ClockReader::of(kind, s.rec, clock, start);
                let paused = match s.rec {
                    Rec::Interaction(i) => {
                        i.hist().is_some_and(|i| clock::paused_at(i, pauses, as_of))
                    }
                    _ => false,
                };
                // The first instant a future reading passes `thr`, nothing
                // changing after `as_of`.
                let future = |thr: i64| -> Option<i64> {
                    if paused {
                        return None;
                    }
                    let need = thr - now + 1;
                    match cal {
                        Some(c) => c.deadline_ms(as_of, need),
                        None => as_of.checked_add(need),
                    }
                };
                let mut crossing = |thr: i64| -> Result<Option<i64>> {
                    if now > thr {
                        last_within(start, as_of, thr, &mut v).map(Some)
                    } else {
                        Ok(future(thr).map(|t| t - 1))
                    }
                };
                let warn = crossing(zone.desired)?;
                let breach = crossing(zone.adequate)?;
                let state = if now > zone.adequate {
                    DueState::Breached
                } else if now > zone.desired {
                    DueState::AtRisk
                } else {
                    DueState::OnTrack
                };
                if options.breached && state != DueState::Breached {
                    continue;
                }
                if let Some(w) = options.within {
                    let horizon = as_of.saturating_add(w.as_millis());
                    if state != DueState::Breached && breach.is_none_or(|b| b > horizon) {
                        continue;
                    }
                }
                let after =
                    |t: Option<i64>| since.is_some_and(|s| t.is_some_and(|t| t >= s && t < as_of));
                let change = match state {
                    DueState::Breached if after(breach) => Some(DueChange::NewlyBreached),
                    DueState::AtRisk if after(warn) => Some(DueChange::NewlyAtRisk),
                    _ => None,
                };
                let instant = |t: Option<i64>| t.and_then(|t| self.instant(t));
                clocks.push((
                    breach,
                    DueClock {
                        expectation: id.to_owned(),
                        clock: kind,
                        kind: s.rec.kind(),
                        id: s.rec.id().to_owned(),
                        started: self.instant(start).ok_or_else(|| {
                            Error::internal("a clock started outside the instants mindgap reads")
                        })?,
                        stage: self.stages.name(s.attrs.stage).to_owned(),
                        channel: self.name_of(1, s.attrs.channel),
                        employee: self.name_of(2, s.attrs.employee),
                        team: self.name_of(3, s.attrs.team),
                        customer: self.name_of(4, s.attrs.customer),
                        calendar: cal.map(|c| c.id().as_str().to_owned()),
                        elapsed: amount(zone.unit, now),
                        desired: amount(zone.unit, zone.desired),
                        adequate: amount(zone.unit, zone.adequate),
                        left: amount(zone.unit, zone.adequate - now),
                        warn_at: instant(warn),
                        breach_at: instant(breach),
                        state,
                        paused,
                        change,
                    },
                ));
            }
        }
        // By breach instant (paused ones last), then expectation and record.
        crate::util::sort::sort_by(&mut clocks, |(a, x), (b, y)| {
            (a.is_none(), a, &x.expectation, &x.id, x.started).cmp(&(
                b.is_none(),
                b,
                &y.expectation,
                &y.id,
                y.started,
            ))
        });
        let clocks: Vec<DueClock> = clocks.into_iter().map(|(_, c)| c).collect();
        let mut summary = DueSummary {
            total: clocks.len() as u64,
            ..DueSummary::default()
        };
        for c in &clocks {
            *match c.state {
                DueState::Breached => &mut summary.breached,
                DueState::AtRisk => &mut summary.at_risk,
                DueState::OnTrack => &mut summary.on_track,
            } += 1;
            summary.paused += u64::from(c.paused);
            match c.change {
                Some(DueChange::NewlyAtRisk) => summary.newly_at_risk += 1,
                Some(DueChange::NewlyBreached) => summary.newly_breached += 1,
                None => {}
            }
        }
        let new_follow_ups = match options.changes_since {
            None => Vec::new(),
            Some(since) => {
                let mut filters = options.filters.clone();
                filters.as_of = Some(scope.as_of);
                filters.since = Some(filters.since.map_or(since, |s| s.max(since)));
                let list = self.follow_ups(&FollowUpOptions::default().with_filters(filters))?;
                list.follow_ups
                    .into_iter()
                    .filter(|f| f.state != FollowUpState::Closed)
                    .map(|f| NewFollowUp {
                        feedback: f.feedback,
                        at: f.at,
                        customer: f.customer,
                        due: f.due,
                    })
                    .collect()
            }
        };
        Ok(DueList {
            header: Header {
                schema: DUE_SCHEMA.to_owned(),
                diary: Some(self.diary.name.clone()),
                timezone: None,
                as_of: scope.as_of,
            },
            options: options.clone(),
            summary,
            clocks,
            new_follow_ups,
        })
    }
}

#[cfg(test)]
#[path = "due_tests.rs"]
mod tests;
