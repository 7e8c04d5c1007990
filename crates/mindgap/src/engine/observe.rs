//! Every observation of an expectation, read once: the report, the
//! drill-down and the people ranking all count what this yields, so a listed
//! record is exactly a counted one.

use chrono::DateTime;

use super::negative::Negative;
use super::zone::Zone;
use super::{Attrs, Exp, NO_TIME, NONE, Obs, Prepared, Row, ms, outcome};
use crate::engine::clock::{self, Hist, Reading};
use crate::error::{Error, Result};
use crate::model::*;
use crate::time::span::Span;
use crate::words::{Msg, Sentence};

/// The filters every analysis shares, resolved against the prepared diary.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    /// The instant the analysis is made at.
    pub(crate) as_of: Timestamp,
    pub(crate) as_of_ms: i64,
    pub(crate) since: i64,
    pub(crate) until: i64,
    /// Per stage: in scope.
    pub(crate) stage_ok: Vec<bool>,
    pub(crate) channel_keys: Vec<u32>,
}

impl Scope {
    /// Inside `[since, until)` and not after `as_of`.
    #[inline]
    pub(crate) fn time_ok(&self, t: i64) -> bool {
        t >= self.since && t < self.until && t <= self.as_of_ms
    }
    /// The channel is one of the chosen ones (any when none are chosen).
    #[inline]
    pub(crate) fn channel_ok(&self, c: u32) -> bool {
        self.channel_keys.is_empty() || self.channel_keys.contains(&c)
    }
    /// The stage is one of the chosen ones.
    pub(crate) fn stage(&self, s: u32) -> bool {
        self.stage_ok.get(s as usize).copied().unwrap_or(false)
    }
    /// An interaction or feedback row with these attributes at `t` is in scope.
    pub(crate) fn admits(&self, a: &Attrs, t: i64) -> bool {
        self.stage(a.stage) && self.time_ok(t) && self.channel_ok(a.channel)
    }
}

/// How an expectation's clocks read: its calendar, pause statuses and the
/// report instant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClockOf<'c> {
    pub(crate) cal: Option<&'c crate::time::calendar::BusinessCalendar>,
    pub(crate) pauses: &'c [Status],
    pub(crate) default_pauses: bool,
    /// The statuses the expectation lists itself (none: its response and
    /// update clocks do not pause).
    pub(crate) explicit: &'c [Status],
    pub(crate) as_of_ms: i64,
}

impl ClockOf<'_> {
    /// Pauses under the default statuses (the prepared runs apply).
    pub(crate) fn default_pauses(&self) -> bool {
        self.default_pauses
    }

    /// A next-response or update clock of `i` read at `as_of_ms`, paused in
    /// the expectation's own pause statuses.
    pub(crate) fn read(&self, i: Hist<'_>, c: &clock::ResponseClock, as_of_ms: i64) -> Reading {
        if self.explicit.is_empty() {
            c.reading(self.cal, as_of_ms)
        } else {
            clock::read_paused(
                i,
                self.cal,
                self.explicit,
                c.started_ms,
                c.stopped_ms,
                as_of_ms,
            )
        }
    }
}

/// A clock without calendar or pauses opened at `opened` that stops at
/// `end` ([`NO_TIME`]: not yet), read at `as_of_ms`.
#[inline]
pub(crate) fn stopped_at(opened: i64, end: i64, as_of_ms: i64) -> Reading {
    if end != NO_TIME && end <= as_of_ms {
        Reading::Stopped(Span::from_millis(end - opened))
    } else {
        Reading::Running(Span::from_millis((as_of_ms - opened).max(0)))
    }
}

/// The observation of `e` a negative feedback `n` makes (the expectation
/// record in force and the outcome), `None` when out of `e` or of scope.
#[inline]
pub(crate) fn follow_up_obs(
    e: &Exp<'_>,
    n: &Negative<'_>,
    scope: &Scope,
    cal: Option<&crate::time::calendar::BusinessCalendar>,
) -> Option<(usize, Obs)> {
    if !(e.matches(&n.attrs) && scope.admits(&n.attrs, n.at)) {
        return None;
    }
    let v = e.version_at(n.at);
    let zone = e.zones.get(v)?;
    let reading = match n.closed {
        Some(c) => Reading::Stopped(clock::since(cal, n.at, c.at)),
        None => Reading::Running(clock::since(cal, n.at, scope.as_of_ms.max(n.at))),
    };
    Some((v, outcome(reading, zone)))
}

/// The record an observation was read from (read by drill-down).
#[cfg_attr(not(feature = "analyses"), allow(dead_code))]
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rec<'a> {
    Interaction(crate::engine::sheet::EntryRef<'a>),
    Feedback(crate::engine::Fb<'a>),
    Observation(&'a Observation),
}

#[cfg_attr(not(feature = "analyses"), allow(dead_code))]
impl<'a> Rec<'a> {
    pub(crate) fn kind(self) -> RecordKind {
        match self {
            Rec::Interaction(_) => RecordKind::Interaction,
            Rec::Feedback(_) => RecordKind::Feedback,
            Rec::Observation(_) => RecordKind::Observation,
        }
    }
    pub(crate) fn id(self) -> &'a str {
        match self {
            Rec::Interaction(i) => i.id(),
            Rec::Feedback(f) => f.id(),
            Rec::Observation(o) => o.id.as_str(),
        }
    }
}

/// One observation as the report counts it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen<'a> {
    /// Index of the expectation record (survey wave) in force.
    pub(crate) version: usize,
    pub(crate) attrs: Attrs,
    /// When it was observed (the clock's start, the feedback's instant…).
    pub(crate) at: i64,
    pub(crate) obs: Obs,
    #[cfg_attr(not(feature = "analyses"), allow(dead_code))]
    pub(crate) rec: Rec<'a>,
}

impl<'a> Prepared<'a> {
    /// Resolves the shared filters. `as_of` defaults to the latest instant in
    /// the data.
    pub(crate) fn scope(
        &self,
        as_of: Option<Timestamp>,
        since: Option<Timestamp>,
        until: Option<Timestamp>,
        stages: &[StageId],
        channels: &[Channel],
    ) -> Result<Scope> {
        if let (Some(a), Some(b)) = (since, until) {
            if b <= a {
                return Err(Error::InvalidOption {
                    option: "until".into(),
                    message: Sentence::new(Msg::OptUntil)
                        .value("until", b.to_rfc3339())
                        .value("since", a.to_rfc3339()),
                });
            }
        }
        let as_of = as_of
            .or_else(|| self.latest())
            .unwrap_or_else(|| DateTime::UNIX_EPOCH.fixed_offset());
        let mut stage_ok = vec![stages.is_empty(); self.diary.stages.len()];
        for s in stages {
            let k = self.stages.get(Some(s.as_str()));
            match stage_ok.get_mut(k as usize) {
                Some(ok) => *ok = true,
                None => {
                    return Err(Error::InvalidOption {
                        option: "stages".into(),
                        message: Sentence::new(Msg::OptUnknownStage).quoted("id", s.as_str()),
                    });
                }
            }
        }
        Ok(Scope {
            as_of_ms: ms(&as_of),
            as_of,
            since: since.as_ref().map_or(i64::MIN, ms),
            until: until.as_ref().map_or(i64::MAX, ms),
            stage_ok,
            channel_keys: channels
                .iter()
                .map(|c| self.keys[1].get(Some(c.as_str())))
                .collect(),
        })
    }

    /// Calls `sink` with every observation of `e` in scope, in record order.
    pub(crate) fn observe<'s>(
        &'s self,
        e: &Exp<'a>,
        scope: &Scope,
        negatives: &[Negative],
        sink: &mut impl FnMut(Seen<'s>),
    ) -> Result<()> {
        let Some(first) = e.records.first() else {
            return Ok(());
        };
        let as_of_ms = scope.as_of_ms;
        let clock = self.clock_of(e, as_of_ms);
        let cal = clock.cal;
        let rows = self
            .rows
            .get(e.stage as usize)
            .map_or(&[][..], Vec::as_slice);
        match &first.metric {
            Metric::FirstResponse(_)
            | Metric::Resolution(_)
            | Metric::NextResponse(_)
            | Metric::Update(_) => {
                for row in rows {
                    if !(e.matches(&row.attrs)
                        && scope.time_ok(row.opened)
                        && scope.channel_ok(row.attrs.channel))
                    {
                        continue;
                    }
                    let v = e.version_at(row.opened);
                    let Some(zone) = e.zones.get(v) else { continue };
                    let entry = self.sheet.entry(row.rec);
                    match &first.metric {
                        Metric::FirstResponse(_) | Metric::Resolution(_) => {
                            sink(Seen {
                                version: v,
                                attrs: row.attrs,
                                at: row.opened,
                                obs: self.clock_obs(&first.metric, row, &clock, zone)?,
                                rec: Rec::Interaction(entry),
                            });
                        }
                        _ => {
                            let Some(i) = entry.hist() else { continue };
                            // Each clock against the record in force when it started.
                            let clocks: &mut dyn Iterator<Item = clock::ResponseClock> =
                                match &first.metric {
                                    Metric::Update(_) => &mut clock::updates_in(i),
                                    _ => &mut clock::next_responses_checked(i),
                                };
                            for c in clocks {
                                if c.started_ms > as_of_ms {
                                    continue;
                                }
                                let v = e.version_at(c.started_ms);
                                let Some(zone) = e.zones.get(v) else { continue };
                                sink(Seen {
                                    version: v,
                                    attrs: row.attrs,
                                    at: c.started_ms,
                                    obs: outcome(clock.read(i, &c, as_of_ms), zone),
                                    rec: Rec::Interaction(entry),
                                });
                            }
                        }
                    }
                }
            }
            Metric::FollowUp(_) => {
                for n in negatives {
                    let Some((version, obs)) = follow_up_obs(e, n, scope, cal) else {
                        continue;
                    };
                    let Some(f) = self.feedback.get(n.row) else {
                        continue;
                    };
                    sink(Seen {
                        version,
                        attrs: n.attrs,
                        at: n.at,
                        obs,
                        rec: Rec::Feedback(f.f),
                    });
                }
            }
            Metric::Rating(z) => {
                for f in &self.feedback {
                    let ok = f.attrs.stage == e.stage
                        && e.matches(&f.attrs)
                        && !f.dismissed
                        && scope.time_ok(f.at)
                        && scope.channel_ok(f.attrs.channel)
                        && super::reads_rating(z, f.kind, f.f);
                    if ok && !f.score.is_nan() {
                        sink(Seen {
                            version: e.version_at(f.at),
                            attrs: f.attrs,
                            at: f.at,
                            obs: Obs::Value(super::zone::micro_points(f.score)),
                            rec: Rec::Feedback(f.f),
                        });
                    }
                }
            }
            Metric::Flag(_) => {}
        }
        self.observe_recorded(e, scope, sink);
        Ok(())
    }

    /// Calls `sink` with every observation recorded for `e` in the diary's
    /// `observations` (surveys, audits) in scope, in record order.
    pub(crate) fn observe_recorded<'s>(
        &'s self,
        e: &Exp<'a>,
        scope: &Scope,
        sink: &mut impl FnMut(Seen<'s>),
    ) {
        let Some(first) = e.records.first() else {
            return;
        };
        for o in self
            .diary
            .observations
            .iter()
            .filter(|o| o.expectation == first.id)
        {
            let t = ms(&o.at);
            let channel = o
                .channel
                .as_ref()
                .map_or(NONE, |c| self.keys[1].get(Some(c.as_str())));
            if !scope.time_ok(t) || !scope.channel_ok(channel) {
                continue;
            }
            let v = e.version_at(t);
            let value = match (&o.value, e.records.get(v).map(|r| &r.metric)) {
                (ObservedValue::Flag(b), Some(Metric::Flag(z))) => i64::from(*b == z.desired),
                (ObservedValue::Number(x), _) => super::zone::micro_points(*x),
                (ObservedValue::Duration(d), _) => d.as_millis(),
                (ObservedValue::Flag(b), _) => i64::from(*b),
            };
            sink(Seen {
                version: v,
                attrs: Attrs {
                    stage: e.stage,
                    touchpoint: e.touchpoint,
                    channel,
                    employee: NONE,
                    team: NONE,
                    customer: NONE,
                    segment: e.segment,
                    when: e.when,
                },
                at: t,
                obs: Obs::Value(value),
                rec: Rec::Observation(o),
            });
        }
    }

    /// How the clocks of `e` read at `as_of_ms`.
    pub(crate) fn clock_of<'s>(&'s self, e: &'s Exp<'a>, as_of_ms: i64) -> ClockOf<'s> {
        let pauses = e
            .latest()
            .map_or(clock::DEFAULT_PAUSE_STATUSES, clock::pause_statuses);
        ClockOf {
            cal: e.calendar.and_then(|c| self.calendars.get(c)),
            default_pauses: pauses == clock::DEFAULT_PAUSE_STATUSES,
            pauses,
            explicit: e.latest().map_or(&[][..], |r| r.pause_statuses.as_slice()),
            as_of_ms,
        }
    }

    /// The outcome of `row`'s first-response or resolution clock (`metric`)
    /// against `zone`.
    pub(crate) fn clock_obs(
        &self,
        metric: &Metric,
        row: &Row,
        clock: &ClockOf<'_>,
        zone: &Zone,
    ) -> Result<Obs> {
        let ClockOf {
            cal,
            pauses,
            default_pauses,
            explicit,
            as_of_ms,
        } = *clock;
        // The entry is read on the slow paths only.
        let i =
            || (self.sheet.hist(row.rec)).ok_or_else(|| Error::internal("a row without its entry"));
        let reading = match metric {
            Metric::FirstResponse(_) if !explicit.is_empty() && row.history() => {
                // Paused in the expectation's own statuses; a resolution
                // with no reply counts as the reply.
                let stop = [row.first, row.resolved]
                    .into_iter()
                    .find(|&t| t != NO_TIME);
                clock::read_paused(i()?, cal, explicit, row.opened, stop, as_of_ms)
            }
            Metric::FirstResponse(_) => {
                if cal.is_none() {
                    // Elapsed time straight from the precomputed instants.
                    let end = if row.first != NO_TIME {
                        row.first
                    } else {
                        row.resolved
                    };
                    stopped_at(row.opened, end, as_of_ms)
                } else if row.first == NO_TIME
                    && row.resolved != NO_TIME
                    && row.resolved <= as_of_ms
                {
                    Reading::Stopped(clock::since(cal, row.opened, row.resolved))
                } else {
                    clock::first_response_as_of_in(i()?, cal, as_of_ms)?
                }
            }
            _ => {
                // Without a history nothing pauses: elapsed time.
                let fast = cal.is_none() && !row.history();
                // With one, its pause runs were found when prepared (under
                // the default pause statuses).
                let runs = (cal.is_none() && default_pauses)
                    .then(|| self.runs_of(row))
                    .flatten();
                if let (false, Some(runs)) = (fast, runs) {
                    let resolved = (row.resolved != NO_TIME).then_some(row.resolved);
                    clock::resolution_in_runs(i()?, row.opened, resolved, runs, as_of_ms)?
                } else if !fast {
                    clock::resolution_as_of_checked(i()?, cal, pauses, as_of_ms)?
                } else {
                    stopped_at(row.opened, row.resolved, as_of_ms)
                }
            }
        };
        Ok(outcome(reading, zone))
    }
}

/// The latest record (interaction opened, feedback given) not after an
/// instant, per stage, per `stage/touchpoint` and per channel.
#[derive(Debug, Default, Clone)]
pub(crate) struct LatestSeen {
    pub(crate) stages: Vec<(String, Timestamp)>,
    pub(crate) touchpoints: Vec<(String, Timestamp)>,
    pub(crate) channels: Vec<(String, Timestamp)>,
}

impl LatestSeen {
    /// Adds what `other` saw, keeping the latest instant of each key.
    pub(crate) fn merge(&mut self, other: LatestSeen) {
        for (mine, theirs) in [
            (&mut self.stages, other.stages),
            (&mut self.touchpoints, other.touchpoints),
            (&mut self.channels, other.channels),
        ] {
            for (key, t) in theirs {
                match mine.iter_mut().find(|(k, _)| *k == key) {
                    Some(e) if t > e.1 => e.1 = t,
                    Some(_) => {}
                    None => mine.push((key, t)),
                }
            }
        }
    }
}

impl Prepared<'_> {
    /// What [`LatestSeen`] says, from the interned attributes (a feedback
    /// record counts for its interaction's channel only when linked).
    pub(crate) fn latest_seen(&self, as_of_ms: i64) -> LatestSeen {
        use rustc_hash::FxHashMap;
        let mut stages: FxHashMap<u32, (i64, Timestamp)> = FxHashMap::default();
        let mut tps: FxHashMap<(u32, u32), (i64, Timestamp)> = FxHashMap::default();
        let mut channels: FxHashMap<u32, (i64, Timestamp)> = FxHashMap::default();
        fn note<K: std::hash::Hash + Eq>(
            m: &mut FxHashMap<K, (i64, Timestamp)>,
            k: K,
            t: i64,
            ts: &Timestamp,
        ) {
            let e = m.entry(k).or_insert((t, *ts));
            if t > e.0 {
                *e = (t, *ts);
            }
        }
        let mut seen = |a: &Attrs, t: i64, ts: Option<&Timestamp>| {
            let Some(ts) = ts else { return };
            if t > as_of_ms {
                return;
            }
            note(&mut stages, a.stage, t, ts);
            if a.touchpoint != NONE {
                note(&mut tps, (a.stage, a.touchpoint), t, ts);
            }
            if a.channel != NONE {
                note(&mut channels, a.channel, t, ts);
            }
        };
        for row in self.rows.iter().flatten() {
            seen(&row.attrs, row.opened, self.sheet.opened_at(row.rec));
        }
        for f in &self.feedback {
            seen(&f.attrs, f.at, Some(&f.f.at()));
        }
        let name = |slot: usize, k: u32| self.keys.get(slot).map_or("", |keys| keys.name(k));
        LatestSeen {
            stages: stages
                .into_iter()
                .map(|(k, (_, t))| (self.stages.name(k).to_owned(), t))
                .collect(),
            touchpoints: tps
                .into_iter()
                .map(|((s, k), (_, t))| (format!("{}/{}", self.stages.name(s), name(0, k)), t))
                .collect(),
            channels: channels
                .into_iter()
                .map(|(k, (_, t))| (name(1, k).to_owned(), t))
                .collect(),
        }
    }
}
