//! The expectations' observations laid out for tallying.
//!
//! A tally that reads the rows reads every row of an expectation's stage to
//! find the ones it matches (touchpoint, channel, segment): 64 bytes a row,
//! most of them passed over (a stage's chat, e-mail and phone expectations
//! each read all of its rows), and every feedback row for each rating
//! expectation. A [`Prepared`] tallied again (a report per channel, period
//! or stage, or the same report again) lays out, at its second tally, each
//! first-response, resolution and rating expectation's matching records in
//! a *lane* (each stage's rows and the feedback read once for all the
//! expectations that read them): 24 bytes each, only what a tally counts (the
//! instant, the clock's stop or the rating, channel, employee). What does
//! not depend on the report's scope is decided once, there; what does (the
//! period, the channels, the report instant) is read at each tally. A
//! resolution clock paused by a status history reads its pause runs from a
//! side list; one paused by other statuses is read from its row, in its
//! place: the observations come in the order the rows give them, so the
//! figures are the same to the last bit (tested).
//!
//! Lanes serve tallies without a roll-up dimension (those need every
//! attribute); the drill-down, the people ranking and the follow-up list
//! read the rows ([`Prepared::observe`]), and never lay them out. The first
//! tally reads the rows too: laying out is a pass of its own (38 ms on 1M
//! sample interactions, about what the rows' tally takes), which a one-off
//! report or a stream's chunk would only pay for.

use super::observe::{Scope, stopped_at};

use super::{Exp, ExpAcc, NO_TIME, Obs, Prepared, RUNS_ELSEWHERE, Row, outcome};
use crate::engine::clock;
use crate::error::Result;
use crate::model::{Metric, RatingZone};

/// One matching row, as a lane holds it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub(crate) opened: i64,
    /// When the clock stops ([`NO_TIME`]: not yet), or [`IN_RUNS`] or
    /// [`FROM_ROW`].
    pub(crate) end: i64,
    pub(crate) channel: u32,
    pub(crate) employee: u32,
}

/// [`Hit::end`] of a resolution clock paused by its history's runs (the
/// next of [`ClockLane::in_runs`]).
const IN_RUNS: i64 = NO_TIME + 1;
/// [`Hit::end`] of a hit read from its row (the next of
/// [`ClockLane::from_row`]).
const FROM_ROW: i64 = NO_TIME + 2;

/// One rating a rating expectation reads, as its lane holds it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rated {
    pub(crate) at: i64,
    /// The score in micro-points.
    pub(crate) value: i64,
    pub(crate) channel: u32,
    pub(crate) employee: u32,
}

/// The matching records of one expectation.
#[derive(Debug)]
pub(crate) enum Lane {
    Clock(ClockLane),
    Rating(Vec<Rated>),
}

/// The matching rows of a first-response or resolution expectation.
#[derive(Debug, Default)]
pub(crate) struct ClockLane {
    pub(crate) hits: Vec<Hit>,
    /// Of each hit marked [`IN_RUNS`], in order: when it was resolved
    /// ([`NO_TIME`]: not yet) and where its runs start in [`Prepared::runs`].
    pub(crate) in_runs: Vec<(i64, u32)>,
    /// The stage row of each hit marked [`FROM_ROW`], in order.
    pub(crate) from_row: Vec<u32>,
}

impl ClockLane {
    /// Adds row `at` of its stage (`row`, which the expectation matches).
    #[inline]
    pub(crate) fn push(&mut self, at: u32, row: &Row, resolution: bool, default_pauses: bool) {
        let end = if !resolution {
            if row.first != NO_TIME {
                row.first
            } else {
                row.resolved
            }
        } else if !row.history() {
            row.resolved
        } else if default_pauses
            && row.runs < RUNS_ELSEWHERE
            && (row.resolved == NO_TIME || row.resolved > row.opened)
        {
            self.in_runs.push((row.resolved, row.runs));
            IN_RUNS
        } else {
            // Other pause statuses, or a resolution to check against the
            // opening: the record's clock.
            self.from_row.push(at);
            FROM_ROW
        };
        self.hits.push(Hit {
            opened: row.opened,
            end,
            channel: row.attrs.channel,
            employee: row.attrs.employee,
        });
    }
}

/// The lanes of a prepared diary, laid out at its second plain tally.
#[derive(Debug, Default)]
pub(crate) struct Lanes {
    pub(crate) tallied: std::sync::atomic::AtomicBool,
    pub(crate) lanes: std::sync::OnceLock<Vec<Option<Lane>>>,
}

impl<'a> Prepared<'a> {
    /// The lanes, for a tally without roll-up dimensions; `None` at the
    /// first such tally, which reads the rows (a one-off report, a stream's
    /// chunk: laying out is a pass of its own, about as long as the tally it
    /// saves).
    pub(crate) fn lanes(&self) -> Option<&[Option<Lane>]> {
        let Lanes { tallied, lanes } = &self.lanes;
        if let Some(l) = lanes.get() {
            return Some(l);
        }
        if !tallied.swap(true, std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        Some(lanes.get_or_init(|| self.lay_out()))
    }

    /// The lane of every expectation (`None` for those without one: clocks
    /// with a business calendar, next-response clocks, follow-ups and
    /// flags): each stage's rows and the feedback read once, for all the
    /// expectations that read them.
    pub(crate) fn lay_out(&self) -> Vec<Option<Lane>> {
        let mut lanes: Vec<Option<Lane>> = Vec::with_capacity(self.exps.len());
        // Per stage, its clock expectations: (index, resolution, default pauses).
        let mut clocks: Vec<Vec<(usize, bool, bool)>> = vec![Vec::new(); self.rows.len()];
        let mut ratings: Vec<(usize, &RatingZone)> = Vec::new();
        for (ei, e) in self.exps.iter().enumerate() {
            let metric = e.records.first().map(|r| &r.metric);
            let lane = match metric {
                // A first reply paused in the expectation's own statuses
                // reads its row.
                Some(Metric::FirstResponse(_) | Metric::Resolution(_))
                    if e.calendar.is_none()
                        && (matches!(metric, Some(Metric::Resolution(_)))
                            || e.latest().is_none_or(|r| r.pause_statuses.is_empty())) =>
                {
                    let resolution = matches!(metric, Some(Metric::Resolution(_)));
                    let default_pauses = self.clock_of(e, 0).default_pauses();
                    // Laid out below, with the other clocks of its stage.
                    clocks.get_mut(e.stage as usize).map(|c| {
                        c.push((ei, resolution, default_pauses));
                        Lane::Clock(ClockLane::default())
                    })
                }
                Some(Metric::Rating(z)) => {
                    ratings.push((ei, z));
                    Some(Lane::Rating(Vec::new()))
                }
                _ => None,
            };
            lanes.push(lane);
        }
        for (rows, mine) in self.rows.iter().zip(&clocks) {
            if mine.is_empty() {
                continue;
            }
            if u32::try_from(rows.len()).is_err() {
                // Row numbers past `u32`: these expectations read the rows.
                for &(ei, ..) in mine {
                    if let Some(slot) = lanes.get_mut(ei) {
                        *slot = None;
                    }
                }
                continue;
            }
            let mut laid: Vec<ClockLane> = mine.iter().map(|_| ClockLane::default()).collect();
            for (at, row) in (0u32..).zip(rows) {
                for (&(ei, resolution, default_pauses), lane) in mine.iter().zip(&mut laid) {
                    if self.exps.get(ei).is_some_and(|e| e.matches(&row.attrs)) {
                        lane.push(at, row, resolution, default_pauses);
                    }
                }
            }
            for (&(ei, ..), lane) in mine.iter().zip(laid) {
                if let Some(slot) = lanes.get_mut(ei) {
                    *slot = Some(Lane::Clock(lane));
                }
            }
        }
        if !ratings.is_empty() {
            for f in &self.feedback {
                if f.dismissed || f.score.is_nan() {
                    continue;
                }
                for &(ei, z) in &ratings {
                    // What `observe` reads, but the scope.
                    let reads = self.exps.get(ei).is_some_and(|e| {
                        f.attrs.stage == e.stage
                            && e.matches(&f.attrs)
                            && super::reads_rating(z, f.kind, f.f)
                    });
                    if let (true, Some(Some(Lane::Rating(rated)))) = (reads, lanes.get_mut(ei)) {
                        rated.push(Rated {
                            at: f.at,
                            value: super::zone::micro_points(f.score),
                            channel: f.attrs.channel,
                            employee: f.attrs.employee,
                        });
                    }
                }
            }
        }
        lanes
    }

    /// Tallies the observations of `e` from `lane` into `acc`: what
    /// [`Prepared::observe`] yields of its rows, in the same order.
    pub(crate) fn tally_lane(
        &self,
        lane: &Lane,
        e: &Exp<'a>,
        scope: &Scope,
        acc: &mut ExpAcc,
    ) -> Result<()> {
        let lane = match lane {
            Lane::Clock(lane) => lane,
            Lane::Rating(rated) => {
                let single = e.zones.len() == 1;
                for r in rated {
                    if scope.time_ok(r.at) && scope.channel_ok(r.channel) {
                        let v = if single { 0 } else { e.version_at(r.at) };
                        acc.add_plain(v, r.channel, r.employee, Obs::Value(r.value));
                    }
                }
                return Ok(());
            }
        };
        let Some(metric) = e.records.first().map(|r| &r.metric) else {
            return Ok(());
        };
        let clock = self.clock_of(e, scope.as_of_ms);
        let as_of_ms = scope.as_of_ms;
        let rows = self
            .rows
            .get(e.stage as usize)
            .map_or(&[][..], Vec::as_slice);
        let (mut in_runs, mut from_row) = (lane.in_runs.iter(), lane.from_row.iter());
        let single = e.zones.len() == 1;
        for h in &lane.hits {
            // The side lists are taken in order, whether in scope or not.
            let side = match h.end {
                IN_RUNS => Side::Runs(in_runs.next()),
                FROM_ROW => Side::Row(from_row.next().and_then(|&at| rows.get(at as usize))),
                _ => Side::None,
            };
            if !(scope.time_ok(h.opened) && scope.channel_ok(h.channel)) {
                continue;
            }
            let v = if single { 0 } else { e.version_at(h.opened) };
            let Some(zone) = e.zones.get(v) else { continue };
            let obs = match side {
                Side::None => outcome(stopped_at(h.opened, h.end, as_of_ms), zone),
                Side::Runs(Some(&(resolved, at))) => {
                    let resolved = (resolved != NO_TIME).then_some(resolved);
                    let runs = self.runs_at(at).unwrap_or_default();
                    outcome(
                        clock::reading_in_runs(h.opened, resolved, runs, as_of_ms),
                        zone,
                    )
                }
                Side::Row(Some(row)) => self.clock_obs(metric, row, &clock, zone)?,
                // The side lists hold one entry per marked hit.
                Side::Runs(None) | Side::Row(None) => continue,
            };
            acc.add_plain(v, h.channel, h.employee, obs);
        }
        Ok(())
    }
}

/// Where a hit's reading comes from besides the hit.
enum Side<'r> {
    None,
    Runs(Option<&'r (i64, u32)>),
    Row(Option<&'r Row>),
}

#[cfg(test)]
mod tests {
    use super::super::{Prepared, ReportOptions};
    use crate::model::*;
    use crate::run::stream::tests::report_cases;

    /// The sample, with what sends a lane back to its rows or keeps an
    /// expectation out of lanes: a resolution clock paused by other
    /// statuses, a second record of a clock expectation (survey waves), and
    /// a business calendar.
    fn diary() -> Diary {
        let mut d = crate::sample::diary(6_000);
        let copy = |id: &str| d.expectations.iter().find(|e| e.id.as_str() == id).cloned();
        let mut paused = copy("full-service").unwrap();
        paused.id = ExpectationId::from("full-service-on-hold-only");
        paused.pause_statuses = vec![Status::OnHold];
        let mut wave = copy("order-status").unwrap();
        wave.recorded_at = Some(crate::sample::as_of() - chrono::Duration::days(50));
        if let Metric::Resolution(z) = &mut wave.metric {
            z.adequate = z.desired;
        }
        let mut business = paused.clone();
        business.id = ExpectationId::from("full-service-business");
        business.pause_statuses.clear();
        business.calendar = d.calendars.first().map(|c| c.id.clone());
        d.expectations.extend([paused, wave, business]);
        d
    }

    #[test]
    #[cfg_attr(
        not(feature = "trend"),
        ignore = "asks for trends (core feature `trend`)"
    )]
    fn a_report_reads_the_same_from_lanes_as_from_rows() {
        let d = diary();
        let mut cases = report_cases();
        cases.push(ReportOptions {
            channels: vec![Channel::Chat, Channel::Phone],
            ..ReportOptions::default()
        });
        for options in cases {
            let prepared = Prepared::new(&d).unwrap();
            // The first tally reads the rows, the later ones the lanes.
            let rows = serde_json::to_string(&prepared.report(&options).unwrap()).unwrap();
            assert!(prepared.lanes.lanes.get().is_none());
            for _ in 0..2 {
                let lanes = serde_json::to_string(&prepared.report(&options).unwrap()).unwrap();
                assert_eq!(rows, lanes, "{options:?}");
            }
            // A roll-up reads every attribute: never from lanes.
            assert_eq!(
                prepared.lanes.lanes.get().is_some(),
                options.by.is_empty(),
                "{options:?}"
            );
        }
        // Drill-downs read the rows: no lanes, however many.
        #[cfg(feature = "analyses")]
        {
            let rows = Prepared::new(&d).unwrap();
            for _ in 0..2 {
                rows.drill(&Default::default()).unwrap();
            }
            assert!(rows.lanes.lanes.get().is_none());
        }
    }

    #[test]
    fn lanes_cover_clocks_and_ratings_but_calendars() {
        let d = diary();
        let prepared = Prepared::new(&d).unwrap();
        let lanes = prepared.lay_out();
        for (e, lane) in prepared.exps.iter().zip(&lanes) {
            let r = e.records.first().unwrap();
            let laned = match (&r.metric, lane) {
                (Metric::FirstResponse(_) | Metric::Resolution(_), Some(super::Lane::Clock(l))) => {
                    !l.hits.is_empty()
                }
                (Metric::Rating(_), Some(super::Lane::Rating(l))) => !l.is_empty(),
                (_, None) => false,
                (m, Some(_)) => panic!("{}: a lane for {m:?}", r.id),
            };
            let want = matches!(
                r.metric,
                Metric::FirstResponse(_) | Metric::Resolution(_) | Metric::Rating(_)
            ) && r.calendar.is_none();
            assert_eq!(laned, want, "{}", r.id);
        }
        let clock = |id: &str| {
            let at = prepared
                .exps
                .iter()
                .position(|e| e.records[0].id.as_str() == id);
            match at.and_then(|at| lanes[at].as_ref()) {
                Some(super::Lane::Clock(l)) => l,
                _ => panic!("{id}: no clock lane"),
            }
        };
        // A history under other pause statuses is read from its row; under
        // the default ones, from its runs.
        let paused = clock("full-service-on-hold-only");
        assert!(!paused.from_row.is_empty() && paused.in_runs.is_empty());
        let default = clock("full-service");
        assert!(default.from_row.is_empty() && !default.in_runs.is_empty());
    }
}
