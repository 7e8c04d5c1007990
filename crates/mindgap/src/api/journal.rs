//! A diary held in memory for incremental use: records are added one at a
//! time (or a file at a time), each checked as it comes, and any analysis can
//! be asked for at any moment. This is what the C handle and the JavaScript
//! `Diary` class wrap.

use std::io::Read;

use crate::analysis::report::Report;
use crate::analysis::trend::{TrendOptions, TrendReport};
use crate::api::{self, FileKind, FileSummary};
use crate::engine::ReportOptions;
use crate::error::{Error, Location, Result};
use crate::input::read::{Loaded, Loader, ReadOptions};
use crate::model::CsvKind;
use crate::model::Diary;
use crate::model::Record;
use crate::run::live::{Live, Tallies};

/// The report tallies a journal keeps (a page showing a report, its weekly
/// roll-up and the trend asks for three). They share the interned keys and
/// what feedback reads of each interaction; each holds its accumulators.
/// Measured on the 100k sample (RSS): 17.6 MB for the first, 27 MB for
/// four, beside the 93 MB of the diary.
const KEPT_TALLIES: usize = 4;

/// A diary being kept: definitions, accepted records, and the records
/// rejected so far (lenient mode).
///
/// Its report ([`Journal::report`], [`Journal::trend`]) is kept up to date as
/// records come, not recomputed: each interaction is read once, at the first
/// report after it, and tallied into the report's accumulators if its clocks
/// have stopped (those whose clocks still run are read again at each report,
/// at its instant; the feedback and observations too); the accumulators of
/// the last four option sets asked for are kept. The result is the report a
/// fresh [`crate::analysis::report::report`] gives.
///
#[cfg_attr(feature = "analyses", doc = "```")]
#[cfg_attr(not(feature = "analyses"), doc = "```ignore")]
/// use mindgap::{Journal, ReadOptions, Record};
/// let whole = mindgap::sample::diary(100);
/// let mut journal = Journal::new(mindgap::sample::definitions(), ReadOptions::default()).unwrap();
/// for i in &whole.interactions {
///     journal.push(Record::Interaction(i.clone())).unwrap();
/// }
/// let report = journal.report(&Default::default()).unwrap();
/// assert_eq!(report.stages.len(), whole.stages.len());
/// // The same analyses by name, as the C and JavaScript faces run them.
/// let json = journal.run("follow_ups", r#"{"show": "open"}"#).unwrap();
/// assert!(json.starts_with('{'));
/// ```
#[derive(Debug)]
pub struct Journal {
    loader: Loader,
    files: Vec<FileSummary>,
    added: u64,
    mode: crate::validate::Mode,
    /// The tallies of the last reports and trends asked for (at most
    /// [`KEPT_TALLIES`], the most recently read last).
    live: std::sync::Mutex<Tallies>,
    /// Whether reports keep their tally for the next one.
    keep: bool,
}

impl Journal {
    /// A journal for `diary` (its definitions and records are checked).
    ///
    /// ```
    /// use mindgap::{Journal, ReadOptions};
    /// let journal = Journal::new(mindgap::sample::diary(200), ReadOptions::default())?;
    /// assert_eq!(journal.diary().interactions.len(), 200);
    /// assert!(journal.skipped().is_empty());
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn new(diary: Diary, options: ReadOptions) -> Result<Journal> {
        let mode = options.mode;
        let loader = Loader::new(diary, options)?;
        Ok(Journal::from_loader(loader, Vec::new(), mode))
    }

    /// A journal read from a JSON diary.
    ///
    /// ```
    /// let json = br#"{"schema": "mindgap/1", "name": "Shop", "timezone": "UTC",
    ///   "stages": [{"id": "s", "name": "S"}]}"#;
    /// let journal = mindgap::Journal::from_json(json, "diary.json", Default::default())?;
    /// assert_eq!(journal.diary().name, "Shop");
    /// assert_eq!(journal.files()[0].file, "diary.json");
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn from_json(bytes: &[u8], name: &str, options: ReadOptions) -> Result<Journal> {
        let mode = options.mode;
        let loader = Loader::from_json(bytes, name, options)?;
        let files = vec![FileSummary {
            file: name.to_owned(),
            kind: FileKind::Diary,
        }];
        Ok(Journal::from_loader(loader, files, mode))
    }

    fn from_loader(
        loader: Loader,
        files: Vec<FileSummary>,
        mode: crate::validate::Mode,
    ) -> Journal {
        Journal {
            loader,
            files,
            added: 0,
            mode,
            live: std::sync::Mutex::new(Tallies::default()),
            keep: true,
        }
    }

    /// A journal asked once: its reports are computed afresh and keep no
    /// tally (keeping one costs the first report a little — about a tenth
    /// on the 100k sample — and the memory of a link per interaction).
    pub fn once(mut self) -> Journal {
        self.keep = false;
        self
    }

    /// Reads CSV records (interactions or feedback).
    ///
    /// ```
    /// use mindgap::{CsvKind, Journal};
    /// let mut journal = Journal::new(mindgap::sample::definitions(), Default::default())?;
    /// let csv = "id,opened_at,channel,stage\ni1,2026-05-05T10:00:00+03:00,email,attraction\n";
    /// let kind = journal.read_csv(csv.as_bytes(), "interactions.csv")?;
    /// assert_eq!(kind, CsvKind::Interactions);
    /// assert_eq!(journal.diary().interactions[0].id.as_str(), "i1");
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn read_csv(&mut self, reader: impl Read + Send, name: &str) -> Result<CsvKind> {
        let kind = self.loader.read_csv(reader, name)?;
        self.files.push(FileSummary {
            file: name.to_owned(),
            kind: kind.into(),
        });
        Ok(kind)
    }

    /// Reads JSON Lines records.
    ///
    /// ```
    /// let mut journal = mindgap::Journal::new(mindgap::sample::definitions(), Default::default())?;
    /// let jsonl = r#"{"type": "interaction", "id": "i1", "opened_at": "2026-05-05T10:00:00+03:00", "channel": "chat", "stage": "attraction"}
    /// {"type": "feedback", "id": "f1", "at": "2026-05-05T11:00:00+03:00", "kind": "csat", "score": 5, "stage": "attraction", "interaction": "i1"}
    /// "#;
    /// journal.read_jsonl(jsonl.as_bytes(), "records.jsonl")?;
    /// assert_eq!(journal.diary().interactions.len(), 1);
    /// assert_eq!(journal.diary().feedback.len(), 1);
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn read_jsonl(&mut self, reader: impl Read, name: &str) -> Result<()> {
        self.loader.read_jsonl(reader, name)?;
        self.files.push(FileSummary {
            file: name.to_owned(),
            kind: FileKind::Records,
        });
        Ok(())
    }

    /// Adds one record, checked like any other. In strict mode a bad record is
    /// an error (and the journal is unchanged); in lenient mode it is listed in
    /// [`Journal::skipped`].
    pub fn push(&mut self, record: Record) -> Result<()> {
        self.added += 1;
        let at = Location::default().with_path(format!("added[{}]", self.added - 1));
        self.loader.push(record, at)
    }

    /// Adds one record given as JSON (`{"type": "interaction", …}`).
    ///
    /// ```
    /// let mut journal = mindgap::Journal::new(mindgap::sample::definitions(), Default::default())?;
    /// journal.push_json(r#"{"type": "interaction", "id": "i1", "opened_at": "2026-05-05T10:00:00+03:00", "channel": "chat", "stage": "attraction"}"#)?;
    /// assert_eq!(journal.diary().interactions.len(), 1);
    /// // Strict by default: a bad record is an error and is not added.
    /// let bad = journal.push_json(r#"{"type": "interaction", "id": "i2", "opened_at": "2026-05-05T10:00:00+03:00", "channel": "chat", "stage": "nowhere"}"#);
    /// assert!(bad.is_err());
    /// assert_eq!(journal.diary().interactions.len(), 1);
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn push_json(&mut self, json: &str) -> Result<()> {
        let at = Location::default().with_path(format!("added[{}]", self.added));
        // A record that does not read is named by its id, as in a file.
        let record = crate::input::read::read_record(json, &at, 1)
            .map_err(|e| e.within(&crate::input::read::record_id(json, &at)))?;
        self.push(record)
    }

    /// The diary as accepted so far.
    pub fn diary(&self) -> &Diary {
        self.loader.diary()
    }

    /// The files read so far.
    pub fn files(&self) -> &[FileSummary] {
        &self.files
    }

    /// Records rejected so far (lenient mode), with their reasons.
    ///
    /// ```
    /// use mindgap::{Journal, Mode, ReadOptions};
    /// let lenient = ReadOptions::default().with_mode(Mode::Lenient);
    /// let mut journal = Journal::new(mindgap::sample::definitions(), lenient)?;
    /// journal.push_json(r#"{"type": "interaction", "id": "i1", "opened_at": "2026-05-05T10:00:00+03:00", "channel": "chat", "stage": "nowhere"}"#)?;
    /// assert_eq!(journal.skipped().len(), 1);
    /// assert!(journal.diary().interactions.is_empty());
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn skipped(&self) -> &[Error] {
        self.loader.skipped()
    }

    /// Notes so far: what the reading noticed (ignored CSV columns, an
    /// encoding assumed), then what the data holds that the diary does not
    /// measure (interactions no expectation reaches, expectations nothing
    /// reaches, status values mindgap does not know).
    ///
    /// ```
    /// let mut journal = mindgap::Journal::new(mindgap::sample::definitions(), Default::default())?;
    /// let csv = "id,opened_at,channel,stage,colour\ni1,2026-05-05T10:00:00+03:00,web,purchase,red\n";
    /// journal.read_csv(csv.as_bytes(), "interactions.csv")?;
    /// let notes = journal.notes();
    /// assert!(notes[0].to_string().contains("colour"));
    /// // No expectation of the sample measures web visits at the purchase stage.
    /// assert!(notes[1].to_string().starts_with("1 of 1 interaction(s) no duration expectation measures"));
    /// // The same note in Russian.
    /// assert!(notes[1].text(mindgap::Lang::Ru).starts_with("1 из 1 обращения не попадает"));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn notes(&self) -> Vec<crate::words::Sentence> {
        self.loader.notes()
    }

    /// Checks now the links of feedback added before the interaction it names
    /// (the check [`Journal::finish`] makes), and keeps the journal open (see
    /// [`Loader::link`](crate::input::read::Loader::link)): strict, the first broken
    /// link is an error; lenient, broken links are skipped and listed.
    pub fn link(&mut self) -> Result<()> {
        self.loader.link()
    }

    /// Checks feedback links to interactions added after the feedback, and
    /// returns the diary as a finished read (strict: the first broken link is
    /// an error; lenient: broken links are skipped and listed).
    ///
    /// ```
    /// use mindgap::Journal;
    /// let mut journal = Journal::new(mindgap::sample::definitions(), Default::default())?;
    /// // Feedback may come before the interaction it names: the link is checked at the end.
    /// journal.push_json(r#"{"type": "feedback", "id": "f1", "at": "2026-05-05T11:00:00+03:00", "kind": "csat", "score": 5, "stage": "attraction", "interaction": "i1"}"#)?;
    /// journal.push_json(r#"{"type": "interaction", "id": "i1", "opened_at": "2026-05-05T10:00:00+03:00", "channel": "chat", "stage": "attraction"}"#)?;
    /// let loaded = journal.finish()?;
    /// assert_eq!((loaded.diary.interactions.len(), loaded.diary.feedback.len()), (1, 1));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn finish(self) -> Result<Loaded> {
        self.loader.finish()
    }

    /// The mode records are checked in.
    pub fn mode(&self) -> crate::validate::Mode {
        self.mode
    }

    /// The gap report of the diary as it is now: the report
    /// [`crate::analysis::report::report`] gives, read from the accumulators of the
    /// previous report with the same options and the records added since.
    ///
    /// ```
    /// use mindgap::{Journal, ReportOptions};
    /// let diary = mindgap::sample::diary(200);
    /// let journal = Journal::new(diary.clone(), Default::default())?;
    /// let options = ReportOptions::default().with_as_of(mindgap::sample::as_of());
    /// // The same report as scoring the diary afresh.
    /// assert_eq!(journal.report(&options)?, mindgap::report(&diary, &options)?);
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn report(&self, options: &ReportOptions) -> Result<Report> {
        if !self.keep {
            return crate::analysis::report::report(self.diary(), options);
        }
        self.live(Some(options), None, |d| Live::report(d, options))
    }

    /// The trends of the diary as it is now: what [`crate::analysis::trend::trend`]
    /// gives, kept up to date as [`Journal::report`] is.
    ///
    #[cfg_attr(feature = "trend", doc = "```")]
    #[cfg_attr(not(feature = "trend"), doc = "```ignore")]
    /// use mindgap::{Bucket, Journal, TrendOptions};
    /// let journal = Journal::new(mindgap::sample::diary(200), Default::default())?;
    /// let trend = journal.trend(&TrendOptions::default().with_bucket(Bucket::Month))?;
    /// // One series per stage (the default grouping), one point per month from May.
    /// assert_eq!(trend.series.len(), journal.diary().stages.len());
    /// assert_eq!(trend.series[0].points[0].period, "2026-05");
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn trend(&self, options: &TrendOptions) -> Result<TrendReport> {
        if !self.keep {
            return crate::analysis::trend::trend(self.diary(), options);
        }
        let report = self.live(None, Some(options), |d| Live::trend(d, options))?;
        match report.trend {
            Some(trend) => Ok(trend),
            None => crate::analysis::trend::trend(self.diary(), options),
        }
    }

    /// Reads the kept tally if it is the one asked for, or a new one.
    fn live(
        &self,
        options: Option<&ReportOptions>,
        trend: Option<&TrendOptions>,
        start: impl FnOnce(&Diary) -> Result<Live>,
    ) -> Result<Report> {
        let mut tallies = self
            .live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        tallies.report(
            self.loader.diary(),
            &|id| self.loader.interaction_slot(id),
            (options, trend),
            start,
            KEPT_TALLIES,
        )
    }

    /// Answers a request: runs the analysis it names (see [`api::Request`]).
    ///
    /// ```
    /// use mindgap::api::{Request, Response};
    /// let journal = mindgap::Journal::new(mindgap::sample::diary(200), Default::default())?;
    /// let Response::Diary(diary) = journal.respond(&Request::Diary)? else { unreachable!() };
    /// assert_eq!(diary.interactions.len(), 200);
    /// let Response::Validation(v) = journal.respond(&Request::Validate)? else { unreachable!() };
    /// assert!(v.ok);
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn respond(&self, request: &api::Request) -> Result<api::Response<'_>> {
        api::respond(self, request)
    }

    /// Runs an analysis by name with options as JSON, and returns its JSON
    /// (see [`api::run`]).
    ///
    /// ```
    /// let journal = mindgap::Journal::new(mindgap::sample::diary(200), Default::default())?;
    /// let json = journal.run("report", r#"{"by": ["channel"]}"#)?;
    /// assert!(json.contains(r#""schema": "mindgap/report/1""#));
    /// // Unknown analyses and options are refused with the list of known ones.
    /// let e = journal.run("report", r#"{"bye": 1}"#).unwrap_err();
    /// assert!(e.to_string().contains("report.bye"));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn run(&self, what: &str, options_json: &str) -> Result<String> {
        api::run(self, what, options_json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_added_one_by_one_give_the_report_of_the_whole() {
        let whole = crate::sample::diary(400);
        let mut defs = whole.clone();
        defs.interactions.clear();
        defs.feedback.clear();
        let mut j = Journal::new(defs, ReadOptions::default()).unwrap();
        for i in &whole.interactions {
            j.push(Record::Interaction(i.clone())).unwrap();
        }
        for f in &whole.feedback {
            let json = serde_json::to_string(&Record::Feedback(f.clone())).unwrap();
            j.push_json(&json).unwrap();
        }
        let expected =
            api::to_json(&crate::analysis::report::report(&whole, &Default::default()).unwrap());
        assert_eq!(j.run("report", "").unwrap(), expected);
        let validation: serde_json::Value =
            serde_json::from_str(&j.run("validate", "{}").unwrap()).unwrap();
        assert_eq!(validation["ok"], true);
        assert_eq!(validation["counts"]["interactions"], 400);
    }

    #[test]
    fn bad_records_and_unknown_analyses_are_clear_errors() {
        let mut j = Journal::new(crate::sample::definitions(), ReadOptions::default()).unwrap();
        let e = j
            .push_json(r#"{"type": "feedback", "id": "f1", "at": "2026-05-01T10:00:00+03:00", "kind": "nps", "score": 6.5, "stage": "purchase"}"#)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "at added[0], record \"f1\", field \"score\": invalid value \"6.5\": expected a whole number from 0 to 10 for nps"
        );
        let e = j.run("reprot", "").unwrap_err();
        let known = if cfg!(all(feature = "trend", feature = "analyses")) {
            "the analyses are: validate, report, trend, follow_ups, due, drill, people, problems, diary"
        } else {
            "the analyses are: validate, report, diary" // the npm report build's core
        };
        if cfg!(feature = "trend") == cfg!(feature = "analyses") {
            assert!(e.to_string().contains(known), "{e}");
        }
        let e = j.run("validate", r#"{"x": 1}"#).unwrap_err();
        assert_eq!(e.code(), 23);
        let mut lenient = Journal::new(
            crate::sample::definitions(),
            ReadOptions::default().with_mode(crate::validate::Mode::Lenient),
        )
        .unwrap();
        lenient.push_json(r#"{"type": "interaction", "id": "i1", "opened_at": "2026-05-01T10:00:00+03:00", "channel": "chat", "stage": "nowhere"}"#).unwrap();
        assert_eq!(lenient.skipped().len(), 1);
        assert_eq!(lenient.diary().interactions.len(), 0);
    }

    #[test]
    fn links_are_checked_on_demand_and_the_journal_stays_open() {
        let whole = crate::sample::diary(20);
        let mut defs = whole.clone();
        defs.interactions.clear();
        defs.feedback.clear();
        let mut j = Journal::new(defs, ReadOptions::default()).unwrap();
        let linked: Vec<_> = whole
            .feedback
            .iter()
            .filter(|f| f.interaction.is_some())
            .cloned()
            .collect();
        assert!(!linked.is_empty());
        for f in &linked {
            j.push(Record::Feedback(f.clone())).unwrap();
        }
        let e = j.link().unwrap_err();
        assert_eq!(e.code(), 18, "{e}");
        for i in &whole.interactions {
            j.push(Record::Interaction(i.clone())).unwrap();
        }
        j.link().unwrap();
        assert_eq!(j.diary().feedback.len(), linked.len());
        assert!(j.finish().is_ok());
    }

    /// The diary as the faces print it, to compare a journal before and after.
    fn state(j: &Journal) -> String {
        format!("{}{:?}", j.run("diary", "").unwrap(), j.notes())
    }

    #[test]
    fn a_strict_file_that_fails_adds_nothing_and_the_fixed_file_reads() {
        let header = "id,opened_at,channel,stage,category\n";
        let good = "i1,2026-05-04T10:00:00+03:00,email,attraction,x\n";
        let mut j = Journal::new(crate::sample::definitions(), ReadOptions::default()).unwrap();
        j.read_csv(format!("{header}{good}").as_bytes(), "first.csv")
            .unwrap();
        // A tally is kept from here on.
        let first = j.run("report", "").unwrap();
        let before = state(&j);
        // Rows before the bad one, and a colour column (a note).
        let rows = "i2,2026-05-05T10:00:00+03:00,chat,purchase,y\n\
                    i3,2026-05-05T11:00:00+03:00,chat,purchase,y\n";
        let bad =
            format!("id,opened_at,channel,stage,colour\n{rows}i4,yesterday,chat,purchase,z\n");
        let e = j.read_csv(bad.as_bytes(), "more.csv").unwrap_err();
        assert_eq!(e.location().and_then(|at| at.line), Some(4), "{e}");
        assert_eq!(state(&j), before, "nothing of more.csv stays");
        assert_eq!(j.files().len(), 1);
        assert_eq!(j.run("report", "").unwrap(), first);
        // A duplicate inside the failing file is forgotten with it.
        let dup = format!("{header}{rows}i2,2026-05-06T10:00:00+03:00,chat,purchase,y\n");
        assert_eq!(
            j.read_csv(dup.as_bytes(), "dup.csv").unwrap_err().kind(),
            "duplicate"
        );
        assert_eq!(state(&j), before);
        // The corrected file reads, with no duplicate of the rows that had
        // gone in before the error.
        let fixed = format!("{header}{rows}i4,2026-05-06T10:00:00+03:00,chat,purchase,z\n");
        j.read_csv(fixed.as_bytes(), "more.csv").unwrap();
        assert_eq!(j.diary().interactions.len(), 4);
        // The same report as a journal that only ever read the good files.
        let mut fresh = Journal::new(crate::sample::definitions(), ReadOptions::default()).unwrap();
        fresh
            .read_csv(format!("{header}{good}").as_bytes(), "first.csv")
            .unwrap();
        fresh.read_csv(fixed.as_bytes(), "more.csv").unwrap();
        assert_eq!(
            j.run("report", "").unwrap(),
            fresh.run("report", "").unwrap()
        );
        // An id the failing file had is taken only once now.
        let again = j.read_csv(format!("{header}{rows}").as_bytes(), "again.csv");
        assert_eq!(again.unwrap_err().kind(), "duplicate");
    }

    #[test]
    fn a_strict_jsonl_file_that_fails_leaves_no_record_nor_pending_link() {
        let mut j = Journal::new(crate::sample::diary(30), ReadOptions::default()).unwrap();
        let before = state(&j);
        // A new measurement of an expectation (a later recorded_at).
        let mut expectation = serde_json::to_value(Record::Expectation(
            crate::sample::definitions().expectations[0].clone(),
        ))
        .unwrap();
        expectation["recorded_at"] = "2026-06-01T00:00:00+03:00".into();
        let expectation = expectation.to_string();
        // Every kind of record, feedback whose interaction comes later (a
        // pending link), then a line that is not a record.
        let lines = [
            r#"{"type": "feedback", "id": "f-new", "at": "2026-05-05T11:00:00+03:00", "kind": "csat", "score": 2, "interaction": "i-later"}"#.to_owned(),
            r#"{"type": "interaction", "id": "i-new", "opened_at": "2026-05-05T10:00:00+03:00", "channel": "chat", "stage": "attraction"}"#.to_owned(),
            r#"{"type": "follow_up", "id": "u-new", "feedback": "f-new", "at": "2026-05-05T12:00:00+03:00"}"#.to_owned(),
            expectation,
        ];
        let bad = format!("{}\n{{\"type\": \"gossip\"}}\n", lines.join("\n"));
        let e = j.read_jsonl(bad.as_bytes(), "r.jsonl").unwrap_err();
        assert_eq!(e.location().and_then(|at| at.line), Some(5), "{e}");
        assert_eq!(state(&j), before);
        // The pending link of f-new went with it: the diary still finishes.
        j.link().unwrap();
        // The corrected file, with the interaction the feedback names.
        let later = r#"{"type": "interaction", "id": "i-later", "opened_at": "2026-05-05T09:00:00+03:00", "channel": "chat", "stage": "attraction"}"#;
        let fixed = format!("{}\n{later}\n", lines.join("\n"));
        j.read_jsonl(fixed.as_bytes(), "r.jsonl").unwrap();
        let loaded = j.finish().unwrap();
        assert_eq!(loaded.diary.interactions.len(), 32);
        assert_eq!(loaded.diary.follow_ups.len(), 1);
    }

    #[test]
    fn an_added_record_that_does_not_read_is_named_by_its_id() {
        let mut j = Journal::new(crate::sample::definitions(), ReadOptions::default()).unwrap();
        let e = j
            .push_json(r#"{"type": "interaction", "id": "z2", "opened_at": "yesterday", "channel": "chat", "stage": "service"}"#)
            .unwrap_err();
        let at = e.location().unwrap();
        assert_eq!(
            (
                at.path.as_deref(),
                at.record.as_deref(),
                at.field.as_deref()
            ),
            (Some("added[0]"), Some("z2"), Some("opened_at")),
            "{e}"
        );
    }

    #[test]
    fn a_feedback_refused_for_its_link_can_be_added_again_corrected() {
        let mut j = Journal::new(crate::sample::diary(10), ReadOptions::default()).unwrap();
        let i = &j.diary().interactions[0];
        let (id, stage) = (i.id.as_str().to_owned(), i.stage.as_str().to_owned());
        let other = crate::sample::definitions()
            .stages
            .iter()
            .map(|s| s.id.as_str().to_owned())
            .find(|s| *s != stage)
            .unwrap();
        let record = |stage: &str| {
            format!(
                r#"{{"type": "feedback", "id": "f-x", "at": "2026-05-05T11:00:00+03:00", "kind": "csat", "score": 4, "interaction": "{id}", "stage": "{stage}"}}"#
            )
        };
        let e = j.push_json(&record(&other)).unwrap_err();
        assert_eq!(
            e.location().and_then(|at| at.field.as_deref()),
            Some("stage"),
            "{e}"
        );
        j.push_json(&record(&stage)).unwrap();
        assert_eq!(
            j.push_json(&record(&stage)).unwrap_err().kind(),
            "duplicate"
        );
    }
}
