//! A report kept up to date while records are added: what a
//! [`Journal`](crate::Journal) — and so the C handle and the JavaScript
//! `Diary` class — reports.
//!
//! It is the streamed report ([`super::stream`]) kept open: every
//! interaction is read once, when the first report after it is asked for.
//! One whose clocks have all stopped reads the same at any later instant, so
//! it is tallied into the report's accumulators then and never read again;
//! one with a clock still running is listed and read again at each report,
//! at that report's instant. What feedback and follow-ups read of an
//! interaction (its interned attributes, its contact instants) is kept for
//! every interaction, since feedback may name it later. Each report then
//! reads only the interactions added since the last one, the running ones,
//! the feedback and the observations, and assembles the report from a copy
//! of the accumulators.
//!
//! The report is the one [`Prepared::report`] gives for the same diary
//! (tested record by record below); a change to the definitions (a new
//! expectation record) starts the tally again; a journal keeps the tallies of
//! its last four option sets.

use super::stream::{State, conclude, definitions};
use crate::analysis::report::{Report, report_trend_options};
use crate::analysis::trend::TrendOptions;
use crate::engine::{External, Fb, Interner, Link, Links, Prepared, ReportOptions, Unheld};
use crate::error::Result;
use crate::model::Diary;

/// A report (or trend) of a diary that only grows, tallied as it grows.
pub(crate) struct Live {
    /// The options the tally is for.
    options: ReportOptions,
    /// The trend's options, when this is a trend.
    trend: Option<TrendOptions>,
    state: State,
    /// The diary's interactions read so far (tallied, or running).
    taken: usize,
    /// Those among them with a clock still running (their positions).
    running: Vec<usize>,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("taken", &self.taken)
            .field("running", &self.running.len())
            .finish()
    }
}

impl Live {
    /// The report of `options` over `diary`'s definitions, nothing tallied.
    pub(crate) fn report(diary: &Diary, options: &ReportOptions) -> Result<Live> {
        options.check()?;
        let trend = options.trend.then(|| report_trend_options(options));
        Ok(Live::start(diary, options, trend, None))
    }

    /// The trend of `options` (a report of `options.report` without
    /// roll-ups, with the trend in its `trend` key), nothing tallied.
    pub(crate) fn trend(diary: &Diary, options: &TrendOptions) -> Result<Live> {
        crate::analysis::trend::check_options(options)?;
        let report = super::stream::trend_report_options(options);
        report.check()?;
        Ok(Live::start(
            diary,
            &report,
            Some(options.clone()),
            Some(options.clone()),
        ))
    }

    fn start(
        diary: &Diary,
        options: &ReportOptions,
        series: Option<TrendOptions>,
        trend: Option<TrendOptions>,
    ) -> Live {
        // Feedback may come later and name any interaction, from any
        // customer: every link (in `Shared::links`) and every customer's
        // contacts are kept.
        let external = External::default();
        let state = State::new(
            definitions(diary),
            options,
            series,
            Interner::default(),
            u32::MAX,
            external,
        );
        Live {
            options: options.clone(),
            trend,
            state,
            taken: 0,
            running: Vec::new(),
        }
    }

    /// Whether this tally can still be read for `diary`: the same
    /// definitions, and the interactions read so far still the diary's
    /// first ones.
    pub(crate) fn current(&self, diary: &Diary) -> bool {
        self.taken <= diary.interactions.len() && same_definitions(&self.state.defs, diary)
    }

    /// Whether this tally is the one for `options` (or the trend of
    /// `trend`).
    pub(crate) fn is_for(
        &self,
        options: Option<&ReportOptions>,
        trend: Option<&TrendOptions>,
    ) -> bool {
        match (options, trend) {
            (Some(o), None) => self.trend.is_none() && self.options == *o,
            (None, Some(t)) => self.trend.as_ref() == Some(t),
            _ => false,
        }
    }

    /// The report of `diary` as it is now (the diary this tally was started
    /// with, grown since), with the keys and links its tallies share;
    /// `slot_of` gives the position of an interaction in it by id (the
    /// reader's register). After an error neither this tally nor what it
    /// shares is to be used again.
    fn read(
        &mut self,
        shared: &mut Shared,
        diary: &Diary,
        slot_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Result<Report> {
        std::mem::swap(&mut self.state.interner, &mut shared.interner);
        let report = self.read_with(&mut shared.links, diary, slot_of);
        std::mem::swap(&mut self.state.interner, &mut shared.interner);
        report
    }

    fn read_with(
        &mut self,
        links: &mut Links,
        diary: &Diary,
        slot_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Result<Report> {
        // The new interactions: those with every clock stopped tallied at
        // once (they are in memory already: no chunks), the others listed.
        let new = diary.interactions.get(self.taken..).unwrap_or_default();
        let settle = &self.state.settle;
        let settled: Vec<bool> = new.iter().map(|i| settle.settled(i)).collect();
        for (k, _) in settled.iter().enumerate().filter(|(_, s)| !**s) {
            self.running.push(self.taken + k);
        }
        if !new.is_empty() {
            // The position of each row tallied, by its place among them.
            let positions: Vec<usize> = (settled.iter().enumerate())
                .filter(|(_, s)| **s)
                .map(|(k, _)| self.taken + k)
                .collect();
            let mut rows = positions.iter().filter_map(|&k| diary.interactions.get(k));
            let links = &mut *links;
            let all = &diary.interactions;
            let keep = &mut |place: u32, id: &str, link: Link| {
                // A row's position from its place (checked), or by id.
                let at = match positions.get(place as usize) {
                    Some(&at) if all.get(at).is_some_and(|i| i.id.as_str() == id) => Some(at),
                    _ => slot_of(id),
                };
                // Set again by every tally that settles the row: the same
                // link (the keys are shared).
                if let Some(at) = at.and_then(|a| u32::try_from(a).ok()) {
                    links.set_at(at, link);
                }
            };
            self.state.score_rows(&mut rows, keep)?;
        }
        self.taken = diary.interactions.len();
        // The running interactions, the feedback and the observations, read
        // at the report's instant (the latest in the data, unless fixed).
        let interner = std::mem::take(&mut self.state.interner);
        let mut running = (self.running.iter()).filter_map(|&k| diary.interactions.get(k));
        let links = &*links;
        // The register's slot is the position (it registers the accepted
        // interactions in the order the diary keeps them).
        let link = |f: Fb<'_>| links.at(u32::try_from(slot_of(f.interaction()?)?).ok()?);
        let unheld = Unheld {
            link: &link,
            contacts: &self.state.external.contacts,
        };
        let mut p = Prepared::with(diary, &mut running, interner, Some(unheld), None)?;
        p.latest = p.latest.max(self.state.latest);
        let report = conclude(
            &p,
            self.state.tallies.clone(),
            self.state.trend.clone(),
            self.state.seen.clone(),
        );
        self.state.interner = p.into_interner();
        report
    }
}

/// The tallies a journal keeps (see [`Tallies::report`]), and what they
/// share.
#[derive(Debug, Default)]
pub(crate) struct Tallies {
    shared: Shared,
    /// The most recently read last.
    kept: Vec<Live>,
}

/// What every tally of a diary reads alike: the interned keys, and what
/// feedback reads of each interaction a tally has settled, by its position
/// in the diary (a stage of `NONE` for rows no tally has settled: those are
/// read again at each report).
#[derive(Debug, Default)]
struct Shared {
    interner: Interner,
    links: Links,
}

impl Tallies {
    /// The report of `options` (or the trend of `trend`) over `diary` as it
    /// is now, from the tally kept for it (made by `start` if there is
    /// none); at most `keep` tallies are kept, the least recently read
    /// dropped first. `slot_of` gives an interaction's position by id.
    pub(crate) fn report(
        &mut self,
        diary: &Diary,
        slot_of: &dyn Fn(&str) -> Option<usize>,
        wanted: (Option<&ReportOptions>, Option<&TrendOptions>),
        start: impl FnOnce(&Diary) -> Result<Live>,
        keep: usize,
    ) -> Result<Report> {
        if !self.kept.iter().all(|l| l.current(diary)) {
            // New definitions: nothing kept holds (nor do the shared keys).
            *self = Tallies::default();
        }
        let (options, trend) = wanted;
        let at = self.kept.iter().position(|l| l.is_for(options, trend));
        let mut tally = match at {
            Some(at) => self.kept.remove(at),
            None => start(diary)?,
        };
        match tally.read(&mut self.shared, diary, slot_of) {
            Ok(report) => {
                if self.kept.len() >= keep {
                    self.kept.remove(0);
                }
                self.kept.push(tally);
                Ok(report)
            }
            Err(e) => {
                // The shared keys may be half-made: start again next time.
                *self = Tallies::default();
                Err(e)
            }
        }
    }
}

/// Whether `defs` are the definitions of `diary`.
fn same_definitions(defs: &Diary, diary: &Diary) -> bool {
    defs.name == diary.name
        && defs.timezone == diary.timezone
        && defs.stages == diary.stages
        && defs.expectations == diary.expectations
        && defs.calendars == diary.calendars
        && defs.customers == diary.customers
        && defs.follow_up == diary.follow_up
}

#[cfg(test)]
mod tests {
    use crate::analysis::trend::TrendOptions;
    use crate::api::journal::Journal;
    use crate::engine::{Dimension, ReportOptions};
    use crate::input::read::ReadOptions;
    use crate::model::Record;
    use crate::model::{Diary, Feedback, Interaction};
    use crate::run::stream::tests::{report_cases, same};
    use serde_json::Value;

    fn json<T: serde::Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap()
    }

    /// The sample's records in an order a journal accepts (each feedback
    /// after the interaction it names), in batches of growing sizes.
    fn batches(whole: &Diary) -> Vec<(Vec<Interaction>, Vec<Feedback>)> {
        let at: std::collections::HashMap<&str, usize> = (whole.interactions.iter())
            .enumerate()
            .map(|(n, i)| (i.id.as_str(), n))
            .collect();
        // The interaction a feedback names (the first, for one naming none).
        let after = |f: &Feedback| f.interaction.as_ref().map_or(0, |i| at[i.as_str()]);
        let mut out = Vec::new();
        let (mut from, mut size) = (0, 1);
        while from < whole.interactions.len() {
            let to = (from + size).min(whole.interactions.len());
            let feedback = (whole.feedback.iter())
                .filter(|f| (from..to).contains(&after(f)))
                .cloned()
                .collect();
            out.push((whole.interactions[from..to].to_vec(), feedback));
            from = to;
            size = size * 5 + 3;
        }
        out
    }

    fn journal(whole: &Diary) -> Journal {
        let mut defs = whole.clone();
        defs.interactions.clear();
        defs.feedback.clear();
        Journal::new(defs, ReadOptions::default()).unwrap()
    }

    fn add(j: &mut Journal, (interactions, feedback): &(Vec<Interaction>, Vec<Feedback>)) {
        for i in interactions {
            j.push(Record::Interaction(i.clone())).unwrap();
        }
        for f in feedback {
            j.push(Record::Feedback(f.clone())).unwrap();
        }
    }

    #[test]
    #[cfg_attr(
        not(feature = "trend"),
        ignore = "asks for trends (core feature `trend`)"
    )]
    fn a_journal_reports_what_a_fresh_preparation_reports_as_records_come() {
        let whole = crate::sample::diary(3_000);
        let batches = batches(&whole);
        assert!(batches.len() >= 5);
        let added: usize = batches.iter().map(|(i, f)| i.len() + f.len()).sum();
        assert_eq!(added, whole.interactions.len() + whole.feedback.len());
        let cases = report_cases();
        // One journal per option set, and one asked for all of them in turn
        // (its four tallies share keys and links; with a fixed instant every
        // row is settled, without one some run).
        let mut all = journal(&whole);
        for options in &cases {
            let mut j = journal(&whole);
            for (n, batch) in batches.iter().enumerate() {
                add(&mut j, batch);
                let kept = j.report(options).unwrap();
                let fresh = crate::analysis::report::report(j.diary(), options).unwrap();
                same(&json(&kept), &json(&fresh), "")
                    .unwrap_or_else(|e| panic!("{options:?}, batch {n}: {e}"));
            }
            // Asked again with nothing new: the same report.
            let again = j.report(options).unwrap();
            assert_eq!(json(&again), json(&j.report(options).unwrap()));
        }
        for (n, batch) in batches.iter().enumerate() {
            add(&mut all, batch);
            for options in cases.iter().rev() {
                let kept = all.report(options).unwrap();
                let fresh = crate::analysis::report::report(all.diary(), options).unwrap();
                same(&json(&kept), &json(&fresh), "")
                    .unwrap_or_else(|e| panic!("shared, {options:?}, batch {n}: {e}"));
            }
        }
    }

    #[test]
    fn tallies_share_keys_so_links_read_alike() {
        // Without a fixed instant a running row is interned at the end of a
        // reading, after the settled ones; with one every row is settled and
        // interned in order. Were the keys a tally's own, the second tally
        // would write the links of the rows it settles with keys the first
        // reads otherwise (here: the employee of the interaction a feedback
        // names).
        let mut j = journal(&crate::sample::diary(0));
        let push = |j: &mut Journal, json: &str| j.push_json(json).unwrap();
        push(
            &mut j,
            r#"{"type": "interaction", "id": "r1", "opened_at": "2026-05-04T10:00:00+03:00",
            "channel": "email", "stage": "service", "employee": "e-running", "customer": "c1"}"#,
        );
        push(
            &mut j,
            r#"{"type": "interaction", "id": "r2", "opened_at": "2026-05-04T11:00:00+03:00",
            "first_response_at": "2026-05-04T12:00:00+03:00", "resolved_at": "2026-05-04T13:00:00+03:00",
            "channel": "email", "stage": "service", "employee": "e-settled", "customer": "c2"}"#,
        );
        let by_employee = ReportOptions {
            by: vec![Dimension::Employee],
            ..ReportOptions::default()
        };
        let fixed = ReportOptions {
            as_of: Some(crate::sample::as_of()),
            ..by_employee.clone()
        };
        j.report(&by_employee).unwrap();
        j.report(&fixed).unwrap();
        push(
            &mut j,
            r#"{"type": "feedback", "id": "f1", "at": "2026-05-04T14:00:00+03:00",
            "kind": "csat", "score": 1, "interaction": "r2"}"#,
        );
        for options in [&by_employee, &fixed] {
            let kept = json(&j.report(options).unwrap());
            let fresh = json(&crate::analysis::report::report(j.diary(), options).unwrap());
            same(&kept, &fresh, "").unwrap_or_else(|e| panic!("{options:?}: {e}"));
        }
    }

    #[test]
    #[cfg_attr(
        not(feature = "trend"),
        ignore = "asks for trends (core feature `trend`)"
    )]
    fn a_journal_trend_and_a_changed_definition_agree_with_fresh_ones() {
        let whole = crate::sample::diary(2_000);
        let mut j = journal(&whole);
        let options = TrendOptions::default();
        for (n, batch) in batches(&whole).iter().enumerate() {
            add(&mut j, batch);
            let kept = j.trend(&options).unwrap();
            let fresh = crate::analysis::trend::trend(j.diary(), &options).unwrap();
            same(&json(&kept), &json(&fresh), "").unwrap_or_else(|e| panic!("batch {n}: {e}"));
            // A report in between: the journal keeps both tallies.
            j.report(&ReportOptions::default()).unwrap();
        }
        // A new measurement of an expectation: the tally starts again.
        let report = ReportOptions::default();
        let before = json(&j.report(&report).unwrap());
        use crate::model::Metric;
        let mut e = (whole.expectations.iter())
            .find(|e| matches!(e.metric, Metric::FirstResponse(_)))
            .unwrap()
            .clone();
        e.recorded_at = Some(crate::sample::as_of() - chrono::Duration::days(30));
        if let Metric::FirstResponse(z) = &mut e.metric {
            z.adequate = z.desired;
        }
        j.push(Record::Expectation(e)).unwrap();
        let kept = json(&j.report(&report).unwrap());
        let fresh = json(&crate::analysis::report::report(j.diary(), &report).unwrap());
        same(&kept, &fresh, "").unwrap();
        assert_ne!(kept, before, "the new measurement changes the report");
    }
}
