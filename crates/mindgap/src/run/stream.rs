//! A report computed while the records are read, in bounded memory:
//! [`StreamReport`].

use rustc_hash::FxHashMap;
use std::io::Read;

use crate::analysis::fold::{Fold, Folded};
use crate::analysis::report::{Report, report_trend_options};
use crate::analysis::trend::{TrendOptions, series_options, trend_from};
use crate::engine::clock;
use crate::engine::kept::Kept;
use crate::engine::sheet::{Compactor, Lean};
use crate::engine::{
    External, Held, Interner, LatestSeen, Link, Links, NO_TIME, Prepared, ReportOptions, Tally,
    Unheld, ms,
};
use crate::error::Result;
use crate::input::read::{Loader, Skim, StageOf};
use crate::model::*;

/// Interactions prepared and tallied at a time.
pub(crate) const CHUNK: usize = 1024;

/// Feedback records prepared at a time at the end of a stream: each part
/// lays out the contacts of its negatives' customers again, so parts are
/// large (about 11 MB prepared). Tests use small parts, to have many.
const FEEDBACK_CHUNK: usize = if cfg!(test) { 97 } else { 1 << 17 };

/// The error of a scorer thread that stopped without saying why (it
/// panicked, which the workspace's lints rule out).
#[cfg(feature = "parallel")]
fn scorer_stopped() -> crate::error::Error {
    crate::error::Error::internal("the scoring thread stopped")
}

/// A report read straight from the interaction files, without holding them.
///
/// [`Prepared::report`] needs the whole diary in memory: a million
/// interactions take about a gigabyte as records. A streamed report keeps
/// only what the report still needs once a row has been read:
///
/// 1. The definitions and the **feedback** are read first (the loader, as
///    usual), so the stream knows which interactions feedback links to and
///    which customers gave negative feedback (whose contacts close
///    follow-ups). A feedback CSV file that can be opened again
///    (what [`StreamFiles`](crate::StreamFiles) does with a file) keeps only that
///    and is read again at the end; other feedback is held compactly (one
///    48-byte row a record and its texts in one buffer).
/// 2. Interactions are **checked and scored in chunks** as the CSV is parsed:
///    every clock that has stopped reads the same whatever the report instant
///    is, so a chunk is prepared, tallied into the report's accumulators
///    (the same accumulators the in-memory report fills) and dropped.
/// 3. What is kept: interactions with a clock still running (their reading
///    depends on the default "as of", the latest instant in the data, known
///    only at the end; packed in one buffer without their texts, ~120 bytes
///    a row), and, of the scored ones, only what feedback reads of the
///    interaction it links to (its interned attributes and contact instants)
///    and the contact instants of customers with negative feedback (contacts
///    close follow-ups).
/// 4. At the end the feedback is linked, the report instant is known, and
///    the kept rows are unpacked and scored at it in chunks like the rest;
///    the feedback (held, or read again: its records must be those of the
///    first reading) is prepared and tallied a part at a time into the same
///    accumulators, and
///    the report is assembled by the code the in-memory report uses: the
///    JSON is the same (tested on the sample against [`Prepared::report`],
///    trend included).
///
/// With an explicit `as_of` every clock reads at once and no row is kept.
/// With the `parallel` feature, splitting rows, making and checking records
/// and scoring run on three threads. [`StreamReport::trend`] streams a trend the same way.
pub(crate) struct StreamReport {
    loader: Loader,
    state: State,
    /// The feedback files read twice ([`Loader::read_feedback_twice`]).
    skim: Option<Skim>,
}

impl std::fmt::Debug for StreamReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamReport")
            .field("diary", &self.state.defs.name)
            .field("read", &self.state.read)
            .field("kept", &self.state.kept.len())
            .finish()
    }
}

/// Everything but the loader (so the loader's sink can borrow it); what a
/// [`super::live::Live`] report keeps open.
pub(crate) struct State {
    /// The definitions, without records: what each chunk is prepared with.
    pub(crate) defs: Diary,
    pub(crate) interner: Interner,
    /// The report's own options and tally, then the trend's series, if asked.
    pub(crate) tallies: Vec<(ReportOptions, Tally)>,
    pub(crate) trend: Option<TrendOptions>,
    /// An analysis folded over the parts instead of the report.
    fold: Option<Fold>,
    /// The chunk being filled, lean: keys as texts, instants in ms, the
    /// texts the analyses read and the histories in a few buffers.
    chunk: Lean,
    /// What makes a record lean (the stage, segment and `when` keys of the
    /// definitions).
    compactor: Compactor,
    /// Rows with a clock still running, kept to the end (packed).
    kept: Kept,
    /// Customers whose contacts may close a follow-up: those with a key
    /// below this one (they are interned first).
    pub(crate) contacts: u32,
    /// What feedback and follow-ups read of the interactions let go.
    pub(crate) external: External,
    /// Interactions taken.
    pub(crate) read: usize,
    /// The latest instant of the chunks scored (epoch ms).
    pub(crate) latest: Option<i64>,
    pub(crate) seen: LatestSeen,
    /// The report instant when the options fix it; [`far`] otherwise (and
    /// the data's latest instant at the end).
    pub(crate) as_of: Timestamp,
    /// Whether the files are all read (the kept rows are being scored).
    at_end: bool,
    pub(crate) settle: Settle,
}

/// Tells whether a row's readings are final (see [`Settle::settled`]).
#[derive(Debug, Clone)]
pub(crate) struct Settle {
    /// An explicit report instant: every reading is final.
    as_of_fixed: bool,
    /// The interaction clocks each stage's expectations read.
    clocks: Vec<(StageId, Vec<ClockShape>)>,
}

/// What an interaction-clock expectation reads, and of which rows.
#[derive(Debug, Clone)]
struct ClockShape {
    touchpoint: Option<TouchpointId>,
    channel: Option<Channel>,
    /// `first_response`, `resolution` or `next_response` (by discriminant
    /// of [`Metric`]).
    metric: ClockKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClockKind {
    First,
    Resolution,
    Next,
    Update,
}

/// An instant after every instant in the data: the chunks' "as of" when the
/// report's is the latest instant in the data (only stopped clocks are read
/// in the chunks then, and they read the same at any later instant).
fn far() -> Timestamp {
    chrono::DateTime::<chrono::Utc>::MAX_UTC.fixed_offset()
}

/// What a stream gives at the end: the report, or the analysis folded
/// instead (one per stream: the variants' sizes do not matter).
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
enum Done {
    Report(Report),
    Folded(Folded),
    #[cfg(feature = "analyses")]
    FollowUps(Box<super::followups::FollowUpsHalf>),
}

/// The definitions of `diary`, without its records.
pub(crate) fn definitions(diary: &Diary) -> Diary {
    Diary {
        schema: diary.schema.clone(),
        name: diary.name.clone(),
        timezone: diary.timezone,
        stages: diary.stages.clone(),
        expectations: diary.expectations.clone(),
        calendars: diary.calendars.clone(),
        holiday_lists: diary.holiday_lists.clone(),
        customers: diary.customers.clone(),
        interactions: Vec::new(),
        feedback: Vec::new(),
        observations: Vec::new(),
        follow_up: diary.follow_up.clone(),
        follow_ups: Vec::new(),
    }
}

/// The options of the report a trend of `options` is read with: its
/// report's, without roll-ups.
pub(crate) fn trend_report_options(options: &TrendOptions) -> ReportOptions {
    let mut report = options.report.clone();
    report.by.clear();
    report.per = None;
    report.trend = false;
    report
}

/// A streamed analysis with what the reading skipped and noted.
#[derive(Debug)]
#[non_exhaustive]
pub struct Streamed<T = Report> {
    /// The result: a [`Report`] or a [`TrendReport`](crate::TrendReport).
    pub result: T,
    /// Skipped records (lenient mode), in input order.
    pub skipped: Vec<crate::error::Error>,
    /// Things worth knowing that are not errors.
    pub notes: Vec<crate::words::Sentence>,
    /// Interactions read.
    pub interactions: usize,
    /// Interactions still held at the end (those with a clock running).
    pub kept: usize,
}

impl<T> Streamed<T> {
    /// The same run with its result turned by `f`.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> Result<U>) -> Result<Streamed<U>> {
        Ok(Streamed {
            result: f(self.result)?,
            skipped: self.skipped,
            notes: self.notes,
            interactions: self.interactions,
            kept: self.kept,
        })
    }
}

impl StreamReport {
    /// Starts a streamed report from a loader that has read the diary and the
    /// feedback (and any other records). Interactions it already holds are
    /// scored first.
    pub(crate) fn new(loader: Loader, options: &ReportOptions) -> Result<StreamReport> {
        let trend = options.trend.then(|| report_trend_options(options));
        StreamReport::start(loader, options, trend, None)
    }

    /// Starts a streamed trend (as [`crate::analysis::trend::trend`] computes it):
    /// [`StreamReport::finish`] gives the report of `options.report` without
    /// roll-ups, with the trend in its `trend` key.
    pub(crate) fn trend(loader: Loader, options: &TrendOptions) -> Result<StreamReport> {
        crate::analysis::trend::check_options(options)?;
        let report = trend_report_options(options);
        StreamReport::start(loader, &report, Some(options.clone()), None)
    }

    /// Starts a streamed analysis other than the report (a people ranking,
    /// a drill-down): [`StreamReport::finish_fold`] gives its result.
    #[cfg(feature = "analyses")]
    pub(crate) fn fold(
        loader: Loader,
        make: impl FnOnce(&Prepared<'_>) -> Result<Fold>,
    ) -> Result<StreamReport> {
        let defs = definitions(loader.diary());
        let fold = make(&Prepared::new(&defs)?)?;
        let options = fold.stream_options();
        StreamReport::start(loader, &options, None, Some(fold))
    }

    fn start(
        mut loader: Loader,
        options: &ReportOptions,
        trend: Option<TrendOptions>,
        fold: Option<Fold>,
    ) -> Result<StreamReport> {
        options.check()?;
        let held = loader.take_interactions();
        let mut skim = loader.take_skim();
        loader.hold_feedback();
        let mut fold = fold;
        if let Some(fold) = &mut fold {
            fold.see_feedback(loader.feedback());
            if let Some(s) = &mut skim {
                let links = std::mem::take(&mut s.reason_links);
                let n = u32::try_from(links.len()).unwrap_or(u32::MAX);
                fold.see_reason_links((0..n).map(|k| links.name(k)));
            }
        }
        loader.shrink_to_fit();
        let defs = definitions(loader.diary());
        // Each held record keeps its link's slot: no lookup by id later. The
        // feedback read twice names its links once each.
        let skimmed = skim.as_mut().map(|s| std::mem::take(&mut s.links));
        let skimmed_ids = skimmed.iter().flat_map(|ids| {
            (0..u32::try_from(ids.len()).unwrap_or(u32::MAX)).map(|k| Some(ids.name(k)))
        });
        let held_ids = loader.feedback().map(|f| f.interaction());
        let (links, slots) = Links::new(held_ids.chain(skimmed_ids));
        loader.set_feedback_links(&slots);
        drop((slots, skimmed));
        let scores_follow_ups = fold.as_ref().is_some_and(Fold::reads_contacts)
            || (defs.expectations.iter()).any(|e| matches!(e.metric, Metric::FollowUp(_)));
        // The customers whose contacts may close a follow-up take the first
        // keys, so a row is theirs when its customer's key is below the count.
        let mut interner = Interner::default();
        if scores_follow_ups {
            let negative = |f: &crate::engine::Fb<'_>| {
                crate::model::rules::judge(&defs.follow_up, *f, None).is_some()
            };
            for c in loader
                .feedback()
                .filter(negative)
                .filter_map(|f| f.customer())
            {
                interner.customer(c);
            }
            for negative in skim.iter().map(|s| &s.negative) {
                for k in 0..u32::try_from(negative.len()).unwrap_or(u32::MAX) {
                    interner.customer(negative.name(k));
                }
            }
            for c in &loader.negative_customers {
                interner.customer(c);
            }
        }
        if let Some(s) = &mut skim {
            s.negative = crate::util::ids::Ids::default();
        }
        let contacts = interner.customers();
        // Only a roll-up by customer tells the others apart (a trend's series
        // roll up by period, stage, expectation, channel or employee).
        if !options.by.contains(&crate::engine::Dimension::Customer) {
            interner.close_customers();
        }
        let links = External {
            links,
            contacts: Vec::new(),
        };
        let mut state = State::new(defs, options, trend, interner, contacts, links);
        if fold.is_some() {
            // The analysis instead of the report.
            state.tallies.clear();
            state.fold = fold;
            state.compactor.texts = true;
        }
        for i in held {
            state.take(i)?;
        }
        Ok(StreamReport {
            loader,
            state,
            skim,
        })
    }

    /// Reads a CSV file of interactions (checked as [`Loader::read_csv`]
    /// checks them), scoring them as they come.
    ///
    /// With the `parallel` feature the scoring runs on a thread of its own:
    /// the loader's reading thread splits rows into fields, this one makes
    /// records of them, checks them and packs them into lean chunks, and the
    /// scorer prepares and tallies each chunk (the same chunks in the same
    /// order, so the same report). No record crosses threads: rows' bytes
    /// go to this thread, lean chunks to the scorer.
    #[cfg(test)]
    pub(crate) fn read_csv(&mut self, reader: impl Read + Send, file: &str) -> Result<()> {
        self.read_csv_sized(reader, file, None)
    }

    /// [`StreamReport::read_csv`] of a file about `size` bytes long (a hint:
    /// room for the ids kept to catch duplicates is made at once, from the
    /// length of its first rows).
    pub(crate) fn read_csv_sized(
        &mut self,
        reader: impl Read + Send,
        file: &str,
        size: Option<u64>,
    ) -> Result<()> {
        #[cfg(feature = "parallel")]
        {
            let StreamReport { loader, state, .. } = self;
            // This thread checks and sorts rows into chunks (and the rows
            // kept to the end); the scorer scores each chunk and hands it
            // back empty, so its room is used again.
            let settle = state.settle.clone();
            let compactor = std::mem::take(&mut state.compactor);
            let mut chunk = std::mem::take(&mut state.chunk);
            let mut kept = Kept::default();
            let mut read = 0;
            let scored = std::thread::scope(|scope| {
                // Lean chunks cross: no record does.
                let (tx, rx) = std::sync::mpsc::sync_channel::<Lean>(1);
                let (back, empty) = std::sync::mpsc::channel::<Lean>();
                let scorer_state = &mut *state;
                let scorer = scope.spawn(move || -> Result<()> {
                    for mut lean in rx {
                        scorer_state.score_lean(&mut lean)?;
                        // The reader may be done with it already.
                        let _ = back.send(lean);
                    }
                    Ok(())
                });
                let done = loader.read_streamed_csv(reader, file, size, &mut |i| {
                    read += 1;
                    if !settle.sort(i, &compactor, &mut kept, &mut chunk) {
                        return Ok(());
                    }
                    let next = empty.try_recv().unwrap_or_else(|_| Lean::like(&chunk));
                    let full = std::mem::replace(&mut chunk, next);
                    // A closed channel: the scorer stopped at an error, which
                    // is returned below.
                    tx.send(full).map_err(|_| scorer_stopped())
                });
                drop(tx);
                let scored = scorer.join().unwrap_or_else(|_| Err(scorer_stopped()));
                // The scorer's error first: the reader only saw it stop.
                scored.and(done)
            });
            // What is not scored yet waits for the next file or the end.
            state.chunk = chunk;
            state.compactor = compactor;
            state.kept.append(kept);
            state.read += read;
            scored
        }
        #[cfg(not(feature = "parallel"))]
        {
            let state = &mut self.state;
            self.loader
                .read_streamed_csv(reader, file, size, &mut |i| state.take(i))
        }
    }

    /// The diary's definitions (no records).
    #[cfg(feature = "analyses")]
    pub(crate) fn definitions(&self) -> &Diary {
        &self.state.defs
    }

    /// Scores what is left, links the feedback and assembles the report.
    pub(crate) fn finish(self) -> Result<Streamed> {
        let done = self.state.finish(self.loader, self.skim)?;
        done.map(|d| match d {
            Done::Report(r) => Ok(r),
            _ => Err(crate::error::Error::internal(
                "a streamed analysis finished as a report",
            )),
        })
    }

    /// Scores what is left, links the feedback and gives the analysis of
    /// [`StreamReport::fold`].
    #[cfg(feature = "analyses")]
    pub(crate) fn finish_fold(self) -> Result<Streamed<Folded>> {
        let done = self.state.finish(self.loader, self.skim)?;
        done.map(|d| match d {
            Done::Folded(f) => Ok(f),
            _ => Err(crate::error::Error::internal(
                "a streamed report finished as another analysis",
            )),
        })
    }

    /// Scores what is left, links the feedback and makes the follow-up list
    /// of [`StreamReport::fold`] knowing only the instants of the contacts
    /// let go: what to read again to finish it.
    #[cfg(feature = "analyses")]
    pub(crate) fn finish_follow_ups(self) -> Result<Streamed<super::followups::FollowUpsHalf>> {
        let done = self.state.finish(self.loader, self.skim)?;
        done.map(|d| match d {
            Done::FollowUps(half) => Ok(*half),
            _ => Err(crate::error::Error::internal(
                "a streamed follow-up list finished as another analysis",
            )),
        })
    }
}

impl State {
    /// The state of a report of `defs` with `options` (and the series of
    /// `trend`), nothing read yet: `interner` and `external` as set up for
    /// the feedback, the contacts of customers with keys below `contacts`
    /// kept.
    pub(crate) fn new(
        defs: Diary,
        options: &ReportOptions,
        trend: Option<TrendOptions>,
        interner: Interner,
        contacts: u32,
        external: External,
    ) -> State {
        let mut clocks: Vec<(StageId, Vec<ClockShape>)> = Vec::new();
        for e in &defs.expectations {
            let metric = match e.metric {
                Metric::FirstResponse(_) => ClockKind::First,
                Metric::Resolution(_) => ClockKind::Resolution,
                Metric::NextResponse(_) => ClockKind::Next,
                Metric::Update(_) => ClockKind::Update,
                _ => continue,
            };
            let shape = ClockShape {
                touchpoint: e.touchpoint.clone(),
                channel: e.channel.clone(),
                metric,
            };
            match clocks.iter_mut().find(|(s, _)| *s == e.stage) {
                Some((_, list)) => list.push(shape),
                None => clocks.push((e.stage.clone(), vec![shape])),
            }
        }
        let mut tallies = vec![(options.clone(), Tally::new(defs.stages.len(), options))];
        if let Some(t) = &trend {
            let series = series_options(t);
            let tally = Tally::series(defs.stages.len(), &series);
            tallies.push((series, tally));
        }
        // A report reads no text of a row but its id (an analysis folded
        // instead keeps them: see `StreamReport::start`).
        let mut compactor = Compactor::new(&defs);
        compactor.texts = false;
        State {
            defs,
            interner,
            tallies,
            trend,
            fold: None,
            chunk: Lean::default(),
            compactor,
            kept: Kept::default(),
            contacts,
            external,
            read: 0,
            latest: None,
            seen: LatestSeen::default(),
            as_of: options.as_of.unwrap_or_else(far),
            at_end: false,
            settle: Settle {
                as_of_fixed: options.as_of.is_some(),
                clocks,
            },
        }
    }

    /// Takes one checked interaction.
    fn take(&mut self, i: Interaction) -> Result<()> {
        self.read += 1;
        if (self.settle).sort(i, &self.compactor, &mut self.kept, &mut self.chunk) {
            self.flush()?;
        }
        Ok(())
    }

    /// Scores the chunk, then empties it.
    fn flush(&mut self) -> Result<()> {
        let mut lean = std::mem::take(&mut self.chunk);
        let scored = self.score_lean(&mut lean);
        self.chunk = lean;
        scored
    }

    /// Scores `rows`, keeps what feedback and follow-ups will read of them,
    /// and empties `rows` (keeping its room).
    fn score(&mut self, rows: &mut Vec<Interaction>) -> Result<()> {
        let mut lean = Lean::default();
        for i in rows.drain(..) {
            self.compactor.push(&mut lean, &i);
        }
        self.score_lean(&mut lean)
    }

    /// Scores the rows of `lean` and keeps what feedback and follow-ups
    /// will read of them; `lean` is left empty, with its room.
    fn score_lean(&mut self, lean: &mut Lean) -> Result<()> {
        if lean.taken() == 0 {
            return Ok(());
        }
        // What feedback reads of them: by id, if feedback links to it.
        let mut links = std::mem::take(&mut self.external.links);
        let scored = self.score_prepared(lean, &mut |_, id, link| {
            links.set(id, link);
        });
        self.external.links = links;
        scored
    }

    /// Scores `rows`, gives `keep` what feedback will read of each (with
    /// its position among `rows` and its id), and keeps their contacts for
    /// follow-ups.
    pub(crate) fn score_rows(
        &mut self,
        rows: &mut dyn Iterator<Item = &Interaction>,
        keep: &mut dyn FnMut(u32, &str, Link),
    ) -> Result<()> {
        let mut lean = Lean::default();
        for i in rows {
            self.compactor.push(&mut lean, i);
        }
        self.score_prepared(&mut lean, keep)
    }

    /// [`State::score_rows`] of the rows of `lean`.
    fn score_prepared(
        &mut self,
        lean: &mut Lean,
        keep: &mut dyn FnMut(u32, &str, Link),
    ) -> Result<()> {
        let interner = std::mem::take(&mut self.interner);
        let p = Prepared::from_lean(
            &self.defs,
            crate::engine::Feed::Lean(lean),
            interner,
            None,
            None,
        )?;
        let seen = self.trend.is_some().then_some(&mut self.seen);
        tally_part(&p, &mut self.tallies, self.at_end, &self.as_of, seen)?;
        if let Some(fold) = &mut self.fold {
            fold.part(&p, self.as_of)?;
        }
        self.latest = self.latest.max(p.latest);
        for row in p.rows.iter().flatten() {
            keep(
                row.rec,
                p.sheet.id(row.rec),
                Link {
                    attrs: row.attrs,
                    first: row.first,
                    resolved: row.resolved,
                },
            );
            if row.attrs.customer < self.contacts {
                for t in [row.first, row.resolved] {
                    if t != NO_TIME {
                        self.external.contacts.push((row.attrs.customer, t));
                    }
                }
            }
        }
        self.interner = p.into_interner_and_room(lean);
        Ok(())
    }

    fn finish(mut self, mut loader: Loader, mut skim: Option<Skim>) -> Result<Streamed<Done>> {
        self.flush()?;
        let feedback = self.link(&mut loader, skim.as_mut())?;
        // The report instant, now that every instant is known: the latest of
        // the data, as a preparation counts it (the kept rows read at it).
        if !self.settle.as_of_fixed {
            let held = feedback.iter().map(|f| ms(&f.at()));
            let observations = loader.diary().observations.iter().map(|o| ms(&o.at));
            let latest = (held.chain(observations))
                .chain(self.latest)
                .chain(self.kept.latest())
                .chain(skim.as_ref().and_then(|s| s.latest))
                .max();
            self.as_of = latest
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map_or_else(
                    || chrono::DateTime::UNIX_EPOCH.fixed_offset(),
                    |t| self.defs.timezone.at(&t),
                );
        }
        // The kept rows are scored as every other chunk was, and let go.
        let kept = std::mem::take(&mut self.kept);
        self.at_end = true;
        let kept_rows = kept.len();
        kept.unpack(CHUNK, &mut |rows| self.score(rows))?;
        #[cfg(feature = "analyses")]
        if let Some(Fold::FollowUps(options)) = &self.fold {
            let options = options.clone();
            let half = super::followups::FollowUpsHalf::new(
                self, loader, feedback, skim, options, kept_rows,
            )?;
            return half.map(|h| Ok(Done::FollowUps(Box::new(h))));
        }
        // The feedback is prepared and tallied a part at a time, as the
        // interactions were (prepared at once it took as much memory again
        // as held), with the definitions and the follow-up records; the
        // observations are tallied once, with the report.
        let parts_diary = Diary {
            follow_ups: loader.diary().follow_ups.clone(),
            ..definitions(loader.diary())
        };
        let State {
            defs,
            interner,
            tallies,
            trend,
            fold,
            external,
            latest,
            seen,
            as_of,
            ..
        } = &mut self;
        let mut parts = Parts {
            diary: &parts_diary,
            interner,
            tallies,
            fold,
            trend: trend.is_some(),
            external,
            latest,
            seen,
            as_of,
        };
        parts.tally(&feedback)?;
        drop(feedback);
        if let Some(skim) = &mut skim {
            parts.reread(&loader, skim, &defs.stages)?;
        }
        drop(parts_diary);
        let loaded = loader.into_loaded();
        let State {
            interner,
            tallies,
            trend,
            fold,
            external,
            read,
            latest,
            seen,
            as_of,
            ..
        } = self;
        let diary = loaded.diary;
        let External { links, contacts } = external;
        let link = |f: crate::engine::Fb<'_>| links_of(&links, f);
        let unheld = Unheld {
            link: &link,
            contacts: &contacts,
        };
        let mut p = Prepared::with(
            &diary,
            &mut std::iter::empty(),
            interner,
            Some(unheld),
            None,
        )?;
        // Read: what is left of the run needs none of it.
        drop(links);
        p.latest = p.latest.max(latest);
        let result = match fold {
            Some(mut fold) => {
                fold.part(&p, as_of)?;
                Done::Folded(fold.finish(&p, as_of)?)
            }
            None => Done::Report(conclude(&p, tallies, trend, seen)?),
        };
        Ok(Streamed {
            result,
            skipped: loaded.skipped,
            notes: loaded.notes,
            interactions: read,
            kept: kept_rows,
        })
    }

    /// Links the feedback to the interactions read (let go or kept), before
    /// the kept rows are scored: the held feedback; the feedback read twice,
    /// in lenient mode (its broken links are skipped before the report
    /// instant is known: strict mode stops at the first, at the second
    /// reading); then the follow-up records. [`Loader::finish`] for a
    /// stream, but for the loader's end.
    fn link(&mut self, loader: &mut Loader, skim: Option<&mut Skim>) -> Result<Held> {
        let State {
            defs,
            kept,
            external,
            ..
        } = self;
        // The stage of each kept row feedback links to.
        let mut held: FxHashMap<&str, &str> = FxHashMap::default();
        kept.stages(&mut |id, stage| {
            if external.links.wants(id) {
                held.insert(id, stage);
            }
        })?;
        let stage = |id: &str| defs.stages.iter().map(|s| &s.id).find(|s| s.as_str() == id);
        let stage_of = |id: &str, slot: Option<u32>| {
            let link = match slot {
                Some(slot) => external.links.at(slot),
                None => external.links.get(id),
            };
            match link {
                Some(l) => defs.stages.get(l.attrs.stage as usize).map(|s| &s.id),
                None => held.get(id).and_then(|s| stage(s)),
            }
        };
        let feedback = loader.link_held(&stage_of)?;
        let no_ats = FxHashMap::default();
        let ats = match skim {
            Some(skim) => {
                if loader.mode() == crate::validate::Mode::Lenient {
                    sweep(loader, skim, &stage_of)?;
                }
                &skim.follow_up_ats
            }
            None => &no_ats,
        };
        loader.link_follow_ups(Some(&feedback), ats)?;
        Ok(feedback)
    }
}

/// What a feedback record reads of the interaction it links to: a held
/// record knows its link's slot, no lookup by id.
pub(super) fn links_of(links: &Links, f: crate::engine::Fb<'_>) -> Option<Link> {
    match f.link() {
        Some(slot) => links.at(slot),
        None => f.interaction().and_then(|id| links.get(id)),
    }
}

/// The feedback read twice, read again to check its links before the
/// report instant is known (lenient mode): a record with a broken link is
/// listed as skipped, and skipped at the second reading; the latest instant
/// is that of the records kept.
fn sweep(loader: &mut Loader, skim: &mut Skim, stage_of: &StageOf<'_, '_>) -> Result<()> {
    let mut latest: Option<i64> = None;
    let mut errors = Vec::new();
    let mut dropped_hashes = Vec::new();
    let Skim {
        files,
        follow_up_ats,
        ..
    } = &mut *skim;
    for (file, skipped) in files.iter_mut() {
        let reader = file.reader()?;
        let mut dropped = Vec::new();
        loader.reread_feedback_csv(reader, &file.name, skipped, &mut |r, at| {
            let found = r
                .interaction
                .as_ref()
                .and_then(|i| stage_of(i.as_str(), None));
            match crate::validate::link_record(&r, found, at) {
                Ok(()) => latest = latest.max(Some(ms(&r.at))),
                Err(e) => {
                    errors.push(e);
                    dropped.push(at.line.unwrap_or(0));
                    follow_up_ats.remove(r.id.as_str());
                    dropped_hashes.push(Skim::hash(&r));
                }
            }
            Ok(())
        })?;
        if !dropped.is_empty() {
            skipped.extend(dropped);
            skipped.sort_unstable();
        }
    }
    for e in errors {
        loader.skip(e);
    }
    for hash in dropped_hashes {
        skim.drop_one(hash);
    }
    skim.latest = latest;
    Ok(())
}

/// Feedback tallied a part at a time at the end of a stream (see
/// [`FEEDBACK_CHUNK`]), with `diary`'s definitions and follow-up records,
/// into a stream's tallies.
struct Parts<'s> {
    diary: &'s Diary,
    interner: &'s mut Interner,
    tallies: &'s mut Vec<(ReportOptions, Tally)>,
    fold: &'s mut Option<Fold>,
    trend: bool,
    external: &'s External,
    latest: &'s mut Option<i64>,
    seen: &'s mut LatestSeen,
    as_of: &'s Timestamp,
}

impl Parts<'_> {
    /// Prepares and tallies `feedback`, a part at a time.
    fn tally(&mut self, feedback: &Held) -> Result<()> {
        let links = &self.external.links;
        let link = |f: crate::engine::Fb<'_>| links_of(links, f);
        let unheld = Unheld {
            link: &link,
            contacts: &self.external.contacts,
        };
        for start in (0..feedback.len()).step_by(FEEDBACK_CHUNK) {
            let part = start..start.saturating_add(FEEDBACK_CHUNK);
            let interner = std::mem::take(self.interner);
            let empty = &mut std::iter::empty();
            let held = Some((feedback, part));
            let p = Prepared::with(self.diary, empty, interner, Some(unheld), held)?;
            let seen = self.trend.then_some(&mut *self.seen);
            tally_part(&p, self.tallies, true, self.as_of, seen)?;
            if let Some(fold) = self.fold.as_mut() {
                fold.part(&p, *self.as_of)?;
            }
            *self.latest = (*self.latest).max(p.latest);
            *self.interner = p.into_interner();
        }
        Ok(())
    }

    /// Reads the feedback files of `skim` again and tallies their records a
    /// part at a time; each link is checked (every interaction has been
    /// read), and the records must be those of the first reading.
    fn reread(&mut self, loader: &Loader, skim: &mut Skim, stages: &[Stage]) -> Result<()> {
        let mut part = Held::default();
        let (mut count, mut digest) = (0usize, 0u64);
        for (file, skipped) in &mut skim.files {
            let reader = file.reader()?;
            loader.reread_feedback_csv(reader, &file.name, skipped, &mut |r, at| {
                let found = (r.interaction.as_ref())
                    .and_then(|id| self.external.links.get(id.as_str()))
                    .and_then(|l| stages.get(l.attrs.stage as usize))
                    .map(|s| &s.id);
                crate::validate::link_record(&r, found, at)?;
                count += 1;
                digest = digest.wrapping_add(Skim::hash(&r));
                part.push(&r);
                if part.len() == FEEDBACK_CHUNK {
                    self.tally(&part)?;
                    part.clear();
                }
                Ok(())
            })?;
        }
        self.tally(&part)?;
        same_feedback(skim, count, digest)
    }
}

/// The feedback read twice gave, at its second reading, `count` records
/// summing to `digest` ([`Skim::hash`]): the same as at the first, or an
/// error naming the files.
pub(super) fn same_feedback(skim: &Skim, count: usize, digest: u64) -> Result<()> {
    if (count, digest) == (skim.count, skim.digest) {
        return Ok(());
    }
    let names: Vec<&str> = skim.files.iter().map(|(f, _)| f.name.as_str()).collect();
    Err(crate::error::Error::InvalidOption {
        option: "feedback".into(),
        message: crate::words::Sentence::new(crate::words::Msg::FilesChanged)
            .value("files", names.join(", "))
            .count("first", skim.count as u64)
            .count("then", count as u64),
    })
}

/// Tallies what `p` holds (the rows read at the end, the feedback, the
/// observations) into `tallies` (the report's, then the trend's series, as
/// [`State::new`] makes them) and assembles the report, with its trend.
pub(crate) fn conclude(
    p: &Prepared<'_>,
    tallies: Vec<(ReportOptions, Tally)>,
    trend: Option<TrendOptions>,
    mut seen: LatestSeen,
) -> Result<Report> {
    let mut tallies = tallies.into_iter();
    let Some((options, mut tally)) = tallies.next() else {
        return Err(crate::error::Error::internal(
            "a streamed report without options",
        ));
    };
    let scope = p.scope_of(&options, options.as_of)?;
    let series = trend.zip(tallies.next());
    // The report's tally and the trend's series are independent: they
    // are tallied side by side.
    let tally_series = |(t, (series, mut tally)): (TrendOptions, (ReportOptions, Tally))| {
        p.tally(&series, &scope, &mut tally)?;
        let by = p.assemble(&series, &scope, tally)?;
        Ok((t, by))
    };
    let report_tally = || {
        p.tally(&options, &scope, &mut tally)?;
        p.assemble(&options, &scope, tally)
    };
    let (by, report) = match series {
        Some(series) => {
            let (by, report) = side_by_side(move || tally_series(series), report_tally);
            (Some(by?), report)
        }
        None => (None, report_tally()),
    };
    let mut report = report?;
    if let Some((t, by)) = by {
        seen.merge(p.latest_seen(scope.as_of_ms));
        report.trend = Some(trend_from(p.diary(), &t, &by, &report, seen)?);
    }
    Ok(report)
}

/// Tallies `p` (a chunk of interactions, or a part of the feedback) into
/// every tally at the stream's report instant `as_of`; with `seen` (a trend
/// reads it) notes what was seen last.
fn tally_part(
    p: &Prepared<'_>,
    tallies: &mut [(ReportOptions, Tally)],
    at_end: bool,
    as_of: &Timestamp,
    seen: Option<&mut LatestSeen>,
) -> Result<()> {
    let tally = |(options, tally): &mut (ReportOptions, Tally)| {
        let scope = p.scope_of(options, Some(*as_of))?;
        p.tally(options, &scope, tally)
    };
    match tallies {
        // At the end (the kept rows, the feedback) the other core is free:
        // the report and the trend's series are tallied side by side.
        [report, series] if at_end => {
            let (series, report) = side_by_side(|| tally(series), || tally(report));
            report.and(series)?;
        }
        all => all.iter_mut().try_for_each(tally)?,
    }
    if let Some(seen) = seen {
        seen.merge(p.latest_seen(ms(as_of)));
    }
    Ok(())
}

/// Runs `there` and `here` side by side: `there` on a second thread with the
/// `parallel` feature, after `here` without.
fn side_by_side<T: Send, U>(
    there: impl FnOnce() -> Result<T> + Send,
    here: impl FnOnce() -> U,
) -> (Result<T>, U) {
    #[cfg(feature = "parallel")]
    {
        std::thread::scope(|s| {
            let there = s.spawn(there);
            let here = here();
            (there.join().unwrap_or_else(|_| Err(scorer_stopped())), here)
        })
    }
    #[cfg(not(feature = "parallel"))]
    {
        let here = here();
        (there(), here)
    }
}

impl Settle {
    /// Puts a checked row with the rows kept to the end (its clocks still
    /// run) or into `chunk`; `true` when the chunk is full.
    fn sort(
        &self,
        i: Interaction,
        compactor: &Compactor,
        kept: &mut Kept,
        chunk: &mut Lean,
    ) -> bool {
        if self.settled(&i) {
            compactor.push(chunk, &i);
            chunk.taken() >= CHUNK
        } else {
            kept.push(&i);
            false
        }
    }

    /// Whether every clock an expectation reads of the row has stopped, so
    /// it reads the same at any later instant. An expectation narrowed to a
    /// segment is taken to apply (keeping a row is never wrong).
    pub(crate) fn settled(&self, i: &Interaction) -> bool {
        if self.as_of_fixed {
            return true;
        }
        let Some((_, shapes)) = self.clocks.iter().find(|(s, _)| *s == i.stage) else {
            return true;
        };
        shapes
            .iter()
            .filter(|c| {
                c.touchpoint
                    .as_ref()
                    .is_none_or(|t| i.touchpoint.as_ref() == Some(t))
                    && c.channel.as_ref().is_none_or(|ch| *ch == i.channel)
            })
            .all(|c| match c.metric {
                ClockKind::First => clock::first_reply_ms(i).is_some() || i.resolved_at.is_some(),
                ClockKind::Resolution => i.resolved_at.is_some(),
                ClockKind::Next => {
                    clock::next_responses(i).is_ok_and(|mut c| c.all(|c| c.stopped_ms.is_some()))
                }
                ClockKind::Update => clock::updates(i).all(|c| c.stopped_ms.is_some()),
            })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::Dimension;
    use crate::input::read::ReadOptions;
    use serde_json::Value;

    #[test]
    fn a_stream_reads_csv_text_and_finishes_with_the_report() {
        let json = br#"{"schema": "mindgap/1", "name": "Shop", "timezone": "UTC",
          "stages": [{"id": "service", "name": "Service"}],
          "expectations": [{"id": "reply", "stage": "service", "description": "Reply within a day",
            "importance": 1, "metric": {"kind": "first_response", "desired": "PT4H", "adequate": "P1D"}}]}"#;
        let loader = Loader::from_json(json, "diary.json", ReadOptions::default()).unwrap();
        let mut stream = StreamReport::new(loader, &ReportOptions::default()).unwrap();
        let csv = "id,opened_at,first_response_at,channel,stage\n\
                   i1,2026-01-05T10:00:00Z,2026-01-05T12:00:00Z,email,service\n\
                   i2,2026-01-05T11:00:00Z,2026-01-07T11:00:00Z,email,service\n";
        stream.read_csv(csv.as_bytes(), "interactions.csv").unwrap();
        let streamed = stream.finish().unwrap();
        assert_eq!(streamed.result.expectations[0].gap.n, 2);
    }

    /// Numbers agree to 1e-12 (sums may run in another order), the rest
    /// exactly; the first difference is named by its path.
    pub(crate) fn same(a: &Value, b: &Value, path: &str) -> std::result::Result<(), String> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (
                    x.as_f64().unwrap_or(f64::NAN),
                    y.as_f64().unwrap_or(f64::NAN),
                );
                if (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0) {
                    Ok(())
                } else {
                    Err(format!("{path}: {x} != {y}"))
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .try_for_each(|(i, (x, y))| same(x, y, &format!("{path}[{i}]"))),
            (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
                x.iter().try_for_each(|(k, v)| match y.get(k) {
                    Some(w) => same(v, w, &format!("{path}.{k}")),
                    None => Err(format!("{path}.{k}: missing")),
                })
            }
            _ if a == b => Ok(()),
            _ => Err(format!("{path}: {a} != {b}")),
        }
    }

    /// The diary without its interactions, and the interactions as CSV.
    fn split(rows: usize) -> (Diary, Vec<u8>) {
        let mut diary = crate::sample::diary(rows);
        let csv = crate::input::csv::write_interactions(Vec::new(), &diary.interactions).unwrap();
        diary.interactions.clear();
        (diary, csv)
    }

    fn in_memory(defs: &Diary, csv: &[u8], options: &ReportOptions) -> Report {
        let mut loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
        loader.read_csv(csv, "interactions.csv").unwrap();
        let diary = loader.finish().unwrap().diary;
        Prepared::new(&diary).unwrap().report(options).unwrap()
    }

    fn streamed(defs: &Diary, csv: &[u8], options: &ReportOptions) -> Streamed {
        let loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
        let mut stream = StreamReport::new(loader, options).unwrap();
        // Two files: the stream goes on across them.
        let cut = csv.len() / 2;
        let cut = cut + csv[cut..].iter().position(|&b| b == b'\n').unwrap() + 1;
        let header_end = csv.iter().position(|&b| b == b'\n').unwrap() + 1;
        let mut second = csv[..header_end].to_vec();
        second.extend_from_slice(&csv[cut..]);
        stream.read_csv(&csv[..cut], "a.csv").unwrap();
        stream.read_csv(&second[..], "b.csv").unwrap();
        stream.finish().unwrap()
    }

    /// Report options that exercise a tally: the defaults, the trend, a
    /// fixed instant with roll-ups, per-month roll-ups of one stage, filters
    /// with the trend.
    pub(crate) fn report_cases() -> Vec<ReportOptions> {
        let mid = crate::sample::as_of() - chrono::Duration::days(40);
        vec![
            ReportOptions::default(),
            ReportOptions {
                trend: true,
                ..ReportOptions::default()
            },
            ReportOptions {
                as_of: Some(mid),
                trend: true,
                by: vec![Dimension::Employee, Dimension::Week],
                ..ReportOptions::default()
            },
            ReportOptions {
                by: vec![Dimension::Channel, Dimension::Customer],
                per: Some(crate::time::period::Bucket::Month),
                stages: vec![StageId::from("service")],
                ..ReportOptions::default()
            },
            ReportOptions {
                channels: vec![Channel::Email],
                since: Some(mid - chrono::Duration::days(30)),
                until: Some(mid),
                trend: true,
                ..ReportOptions::default()
            },
        ]
    }

    #[test]
    #[cfg_attr(
        not(feature = "trend"),
        ignore = "asks for trends (core feature `trend`)"
    )]
    fn streamed_reports_equal_in_memory_ones() {
        // More rows than a chunk, so several chunks and the rest meet.
        let (defs, csv) = split(40_000);
        let cases = report_cases();
        for options in cases {
            let want = serde_json::to_value(in_memory(&defs, &csv, &options)).unwrap();
            let got = streamed(&defs, &csv, &options);
            // Rows with a clock running are kept (and scored at the end)
            // unless the report instant is given.
            assert_eq!(got.kept == 0, options.as_of.is_some(), "{options:?}");
            assert!(
                got.kept < got.interactions / 2,
                "kept {} of {}",
                got.kept,
                got.interactions
            );
            let got = serde_json::to_value(&got.result).unwrap();
            if let Err(e) = same(&got, &want, "report") {
                panic!("{options:?}: {e}");
            }
        }
    }

    #[test]
    #[cfg_attr(
        not(feature = "trend"),
        ignore = "asks for trends (core feature `trend`)"
    )]
    fn streamed_sla_reports_equal_in_memory_ones() {
        // Conversations, priorities, periodic updates and paused first
        // replies selected by `when`: kept rows carry all of it.
        let mut diary = crate::sample::with_conversations(crate::sample::diary(20_000));
        let csv = crate::input::csv::write_interactions(Vec::new(), &diary.interactions).unwrap();
        diary.interactions.clear();
        for options in report_cases().into_iter().take(3) {
            let want = serde_json::to_value(in_memory(&diary, &csv, &options)).unwrap();
            let got = streamed(&diary, &csv, &options);
            assert!(got.kept > 0 || options.as_of.is_some());
            let got = serde_json::to_value(&got.result).unwrap();
            if let Err(e) = same(&got, &want, "report") {
                panic!("{options:?}: {e}");
            }
            let n = |id: &str| {
                want["expectations"]
                    .as_array()
                    .and_then(|a| a.iter().find(|e| e["id"] == id))
                    .map_or(0, |e| e["gap"]["n"].as_u64().unwrap_or(0))
            };
            assert!(n("update-service") > 100 && n("urgent-reply-service") > 100);
        }
    }

    #[test]
    #[cfg_attr(
        not(feature = "trend"),
        ignore = "asks for trends (core feature `trend`)"
    )]
    fn held_interactions_and_lenient_links_match_the_in_memory_report() {
        // Some interactions come with the diary (scored first, held), the rest
        // stream; two feedback records name interactions no file has, and one
        // names a streamed interaction at the wrong stage.
        let (mut defs, csv) = split(3000);
        let mut all = crate::sample::diary(3000).interactions;
        defs.interactions = all.drain(..500).collect();
        let csv_rest = crate::input::csv::write_interactions(Vec::new(), &all).unwrap();
        let _ = csv;
        defs.feedback[3].interaction = Some(InteractionId::from("nowhere"));
        defs.feedback[7].interaction = Some(InteractionId::from("nowhere-either"));
        let far_one = all[2000].clone();
        let wrong = defs
            .stages
            .iter()
            .find(|s| s.id != far_one.stage)
            .map(|s| s.id.clone());
        defs.feedback[11].interaction = Some(far_one.id.clone());
        defs.feedback[11].stage = wrong;
        defs.feedback[11].touchpoint = None;
        let lenient = ReadOptions::default().with_mode(crate::validate::Mode::Lenient);
        let options = ReportOptions {
            trend: true,
            by: vec![Dimension::Stage],
            ..ReportOptions::default()
        };

        let mut loader = Loader::new(defs.clone(), lenient.clone()).unwrap();
        loader.read_csv(&csv_rest[..], "rest.csv").unwrap();
        let loaded = loader.finish().unwrap();
        let want = Prepared::new(&loaded.diary)
            .unwrap()
            .report(&options)
            .unwrap();

        let loader = Loader::new(defs.clone(), lenient).unwrap();
        let mut stream = StreamReport::new(loader, &options).unwrap();
        stream.read_csv(&csv_rest[..], "rest.csv").unwrap();
        let got = stream.finish().unwrap();
        assert_eq!(got.interactions, 3000);
        let skipped: Vec<String> = got.skipped.iter().map(ToString::to_string).collect();
        let expected: Vec<String> = loaded.skipped.iter().map(ToString::to_string).collect();
        assert_eq!(skipped, expected);
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        assert!(
            skipped
                .iter()
                .any(|e| e.contains("feedback[11]") && e.contains("stage")),
            "{skipped:?}"
        );
        let (got, want) = (
            serde_json::to_value(&got.result).unwrap(),
            serde_json::to_value(&want).unwrap(),
        );
        if let Err(e) = same(&got, &want, "report") {
            panic!("{e}");
        }

        // Strict: the first broken link is the error, named by its place.
        let loader = Loader::new(defs, ReadOptions::default()).unwrap();
        let mut stream = StreamReport::new(loader, &options).unwrap();
        stream.read_csv(&csv_rest[..], "rest.csv").unwrap();
        let e = stream.finish().unwrap_err().to_string();
        assert!(e.contains("feedback[3]") && e.contains("nowhere"), "{e}");
    }

    #[test]
    #[cfg_attr(
        not(feature = "trend"),
        ignore = "asks for trends (core feature `trend`)"
    )]
    fn streamed_trends_equal_in_memory_ones() {
        use crate::analysis::trend::{TrendBy, TrendMetric, TrendOptions};
        let (defs, csv) = split(20_000);
        let mut loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
        loader.read_csv(&csv[..], "i.csv").unwrap();
        let diary = loader.finish().unwrap().diary;
        for (by, metric) in [
            (TrendBy::Expectation, TrendMetric::P90),
            (TrendBy::Stage, TrendMetric::Nps),
            (TrendBy::Channel, TrendMetric::Missed),
            (TrendBy::Employee, TrendMetric::Volume),
        ] {
            let options = TrendOptions {
                by,
                metric,
                ..TrendOptions::default()
            };
            let want =
                serde_json::to_value(crate::analysis::trend::trend(&diary, &options).unwrap())
                    .unwrap();
            let loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
            let mut stream = StreamReport::trend(loader, &options).unwrap();
            stream.read_csv(&csv[..], "i.csv").unwrap();
            let got = stream.finish().unwrap().result.trend.unwrap();
            let got = serde_json::to_value(got).unwrap();
            if let Err(e) = same(&got, &want, "trend") {
                panic!("{by:?} {metric:?}: {e}");
            }
        }
        let bad = TrendOptions {
            alpha: 2.0,
            ..TrendOptions::default()
        };
        let loader = Loader::new(defs, ReadOptions::default()).unwrap();
        let e = StreamReport::trend(loader, &bad).unwrap_err();
        assert!(e.to_string().contains("alpha"), "{e}");
    }

    #[test]
    fn feedback_after_the_interactions_is_refused() {
        let (defs, _) = split(300);
        let loader = Loader::new(defs, ReadOptions::default()).unwrap();
        let mut stream = StreamReport::new(loader, &ReportOptions::default()).unwrap();
        let fb = crate::input::csv::write_feedback(Vec::new(), &crate::sample::diary(300).feedback)
            .unwrap();
        let e = stream.read_csv(&fb[..], "feedback.csv").unwrap_err();
        assert!(e.to_string().contains("feedback.csv holds feedback"), "{e}");
    }

    #[test]
    fn errors_name_the_file_and_line_and_links_are_checked() {
        let (defs, csv) = split(300);
        let text = String::from_utf8(csv).unwrap();
        // A duplicate id on line 3.
        let mut lines: Vec<&str> = text.lines().collect();
        let first_id = lines[1].split(',').next().unwrap().to_owned();
        let dup = lines[2].replacen(lines[2].split(',').next().unwrap(), &first_id, 1);
        lines[2] = &dup;
        let bad = lines.join("\n") + "\n";
        let loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
        let mut stream = StreamReport::new(loader, &ReportOptions::default()).unwrap();
        let e = stream.read_csv(bad.as_bytes(), "x.csv").unwrap_err();
        assert!(e.to_string().contains("x.csv"), "{e}");
        assert!(e.to_string().contains("line 3"), "{e}");
        // A free text the stream does not keep is still checked.
        let mut bytes = text.clone().into_bytes();
        let line4 = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(2)
            .map(|(k, _)| k + 1)
            .unwrap();
        let request_col = 9;
        let mut at = line4;
        for _ in 0..request_col {
            at += bytes[at..].iter().position(|&b| b == b',').unwrap() + 1;
        }
        bytes.splice(at..at, [b'x', 0xff]);
        let loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
        let mut stream = StreamReport::new(loader, &ReportOptions::default()).unwrap();
        let e = stream
            .read_csv(&bytes[..], "y.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("y.csv line 4") && e.contains("request") && e.contains("UTF-8"),
            "{e}"
        );
        // Feedback naming an interaction no file had: an error at the end.
        let loader = Loader::new(defs, ReadOptions::default()).unwrap();
        let stream = StreamReport::new(loader, &ReportOptions::default()).unwrap();
        let e = stream.finish().unwrap_err();
        assert!(e.to_string().contains("interaction"), "{e}");
    }
}
