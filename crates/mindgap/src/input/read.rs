//! Reading a diary: the JSON diary (schema `mindgap/1`), records from CSV and
//! JSON Lines files beside it, all checked by one [`Checker`] so that every
//! error names the file, line or JSON path, record and field.
//!
//! ```
//! use mindgap::{Loader, ReadOptions};
//! let json = br#"{"schema": "mindgap/1", "name": "Shop", "timezone": "Europe/Moscow",
//!   "stages": [{"id": "attraction", "name": "Attraction"}], "expectations": []}"#;
//! let mut loader = Loader::from_json(json, "diary.json", ReadOptions::default()).unwrap();
//! let csv = "id,opened_at,channel,stage\ni1,2026-01-05T10:00:00+03:00,email,attraction\n";
//! loader.read_csv(csv.as_bytes(), "interactions.csv").unwrap();
//! let loaded = loader.finish().unwrap();
//! assert_eq!(loaded.diary.interactions.len(), 1);
//! ```

use rustc_hash::FxHashMap as HashMap;
use std::io::{BufRead, BufReader, Read};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::{Error, Location, Result};
use crate::input::coverage::Coverage;
use crate::input::csv::{CsvOptions, CsvReader};
use crate::input::jsonpath::{Shape, error_path};
use crate::model::held::{Fb, Held};
use crate::model::*;
use crate::time::calendar::Calendar;
use crate::util::remove_sorted;
use crate::validate::{Checker, Mode};
use crate::words::{Msg, Sentence};

/// How to read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Strict (stop at the first error, the default) or lenient (skip and list).
    pub mode: Mode,
    /// CSV column mapping and formats.
    pub csv: CsvOptions,
}

crate::util::setters!(ReadOptions {
    /// Sets the mode: strict (the default) or lenient.
    with_mode(mode: Mode) mode: set;
    /// Sets the CSV column mapping and formats.
    with_csv(csv: CsvOptions) csv: set;
});

/// The result of reading: the diary, and in lenient mode every record that was
/// skipped, with its reason.
#[derive(Debug)]
pub struct Loaded {
    /// The diary with every accepted record.
    pub diary: Diary,
    /// Skipped records (lenient mode), in input order.
    pub skipped: Vec<Error>,
    /// Things worth knowing that are not errors (ignored CSV columns…), as
    /// messages of the catalogue ([`Sentence::text`] in any language).
    pub notes: Vec<Sentence>,
}

/// Reads a diary from any number of sources, checking as it goes.
#[derive(Debug)]
pub struct Loader {
    diary: Diary,
    checker: Checker,
    options: ReadOptions,
    skipped: Vec<Error>,
    notes: Vec<Sentence>,
    /// What the data holds that the diary does not measure.
    coverage: Coverage,
    /// Feedback whose interaction was not known when it was read.
    unlinked: Places,
    /// Follow-up records whose feedback is checked in [`Loader::link`].
    follow_ups: Vec<Place>,
    /// The files of the places.
    files: Vec<String>,
    /// The feedback, held compactly instead of in the diary (see
    /// [`Loader::hold_feedback`]).
    held: Option<Held>,
    /// What a stream keeps of the feedback files it reads twice (see
    /// [`Loader::read_feedback_twice`]).
    skim: Option<Skim>,
    /// Streamed rows keep their texts (request, category…) even when no
    /// expectation reads them (see [`Loader::keep_texts`]).
    texts: bool,
    /// Reading interaction files a second time: the lines the first reading
    /// skipped, by file (see [`Loader::read_again`]).
    again: Vec<(String, Vec<u64>)>,
    /// Customers of negative feedback that names only its interaction,
    /// found by reading the interaction files ahead of a stream (see
    /// [`Loader::negative_links`]).
    pub(crate) negative_customers: Vec<String>,
}

/// What a streamed report keeps of the feedback CSV files it reads twice:
/// at the first reading, what it needs before the interactions (the links,
/// the customers of negative feedback, the latest instant); at the second,
/// at the end, each record again. A few bytes a distinct linked interaction
/// where holding the records took about 80 bytes each.
#[derive(Debug, Default)]
pub(crate) struct Skim {
    /// The interactions the feedback names, each once.
    pub(crate) links: crate::util::ids::Ids,
    /// The customers of feedback that opens a follow-up, each once.
    pub(crate) negative: crate::util::ids::Ids,
    /// The interactions feedback with a reason names, each once (the
    /// reason gaps of recurring problems read them).
    pub(crate) reason_links: crate::util::ids::Ids,
    /// The interactions feedback that opens a follow-up names when it names
    /// no customer: the customer is the interaction's.
    pub(crate) negative_links: crate::util::ids::Ids,
    /// The latest instant of the feedback, in ms.
    pub(crate) latest: Option<i64>,
    /// The records taken, and a digest of them (the sum of their hashes):
    /// the second reading must find the same.
    pub(crate) count: usize,
    pub(crate) digest: u64,
    /// The instants of the records named by follow-up records (read
    /// before: see [`Loader::read_feedback_twice`]), by id.
    pub(crate) follow_up_ats: HashMap<String, Timestamp>,
    /// The ids of those records.
    watch: rustc_hash::FxHashSet<String>,
    /// Each file read, with the lines of its rows skipped (lenient mode),
    /// in order.
    pub(crate) files: Vec<(FeedbackFile, Vec<u64>)>,
    /// Taking records (a file is being skimmed).
    active: bool,
}

/// A feedback CSV file a streamed report reads twice (see
/// [`Loader::read_feedback_twice`]).
pub(crate) struct FeedbackFile {
    /// Its name, for messages.
    pub name: String,
    /// Its length in bytes, if known (a hint: room for its ids is made at
    /// once).
    pub size: Option<u64>,
    /// Opens it, from the start, each time it is called (an error names
    /// the file).
    pub open: Box<dyn FnMut() -> Result<Box<dyn Read + Send>> + Send + Sync>,
}

impl std::fmt::Debug for FeedbackFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedbackFile")
            .field("name", &self.name)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl FeedbackFile {
    /// A reader of the file from its start.
    pub(crate) fn reader(&mut self) -> Result<Box<dyn Read + Send>> {
        (self.open)()
    }
}

impl Skim {
    /// Takes in an accepted record.
    fn take(&mut self, r: &Feedback, rules: &FollowUpRules) {
        if let Some(id) = &r.interaction {
            let _ = self.links.insert(id.as_str());
            if r.reason.is_some() && !Fb::Record(r).dismissed() {
                let _ = self.reason_links.insert(id.as_str());
            }
        }
        let negative = || crate::model::rules::judge(rules, Fb::Record(r), None).is_some();
        match (&r.customer, &r.interaction) {
            (Some(c), _) if negative() => {
                let _ = self.negative.insert(c.as_str());
            }
            (None, Some(i)) if negative() => {
                let _ = self.negative_links.insert(i.as_str());
            }
            _ => {}
        }
        if self.watch.contains(r.id.as_str()) {
            self.follow_up_ats.insert(r.id.as_str().to_owned(), r.at);
        }
        let at = r.at.timestamp_millis();
        self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
        self.count += 1;
        self.digest = self.digest.wrapping_add(Skim::hash(r));
    }

    /// Forgets a record taken, by its [`Skim::hash`] (a broken link found at
    /// the second reading, lenient mode).
    pub(crate) fn drop_one(&mut self, hash: u64) {
        self.count = self.count.saturating_sub(1);
        self.digest = self.digest.wrapping_sub(hash);
    }

    /// What the digest of the records adds up (its id, link, customer,
    /// instant, kind and score).
    pub(crate) fn hash(r: &Feedback) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one((
            r.id.as_str(),
            r.interaction.as_ref().map(|i| i.as_str()),
            r.customer.as_ref().map(|c| c.as_str()),
            r.at.timestamp_millis(),
            r.kind as u8,
            r.score.map(f64::to_bits),
        ))
    }
}

/// A record whose check waits for the end, and where it was read: a
/// [`Location`] without the record id (the record has it) and with the file
/// as an index into [`Loader::files`], 24 bytes in all, so that millions of
/// pending links do not each hold copies of their file name and id.
#[derive(Debug, Clone)]
struct Place {
    /// The record's position in its list.
    index: u32,
    /// `u32::MAX`: no file.
    file: u32,
    /// 0: no line (lines count from 1).
    line: u64,
    /// The JSON path and field, for records that have them.
    more: Option<Box<[Option<Box<str>>; 2]>>,
}

/// Places in the order added, as runs of evenly spaced ones: the feedback
/// rows of a CSV file that wait for their interactions (a third of a million
/// in a million-row diary) are one run, not 24 bytes each.
#[derive(Debug, Default)]
struct Places {
    runs: Vec<PlaceRun>,
}

/// `count` places: `first`, then each `index_step` records and `line_step`
/// lines further (places with a path or field are runs of one).
#[derive(Debug)]
struct PlaceRun {
    first: Place,
    count: u32,
    index_step: u32,
    line_step: u64,
}

impl PlaceRun {
    /// The `k`-th place of the run, `None` past its end.
    fn get(&self, k: u32) -> Option<Place> {
        if k >= self.count {
            return None;
        }
        let index = u64::from(self.first.index) + u64::from(self.index_step) * u64::from(k);
        Some(Place {
            index: u32::try_from(index).ok()?,
            file: self.first.file,
            line: self.first.line + self.line_step * u64::from(k),
            more: if k == 0 {
                self.first.more.clone()
            } else {
                None
            },
        })
    }

    /// Whether `p` is the run's next place (setting the steps from the
    /// second).
    fn extends(&mut self, p: &Place) -> bool {
        let f = &self.first;
        if f.more.is_some() || p.more.is_some() || f.file != p.file || self.count == u32::MAX {
            return false;
        }
        if self.count == 1 {
            let (Some(i), Some(l)) = (p.index.checked_sub(f.index), p.line.checked_sub(f.line))
            else {
                return false;
            };
            self.index_step = i;
            self.line_step = l;
            return true;
        }
        let k = u64::from(self.count);
        u64::from(p.index) == u64::from(f.index) + u64::from(self.index_step) * k
            && Some(p.line)
                == self
                    .line_step
                    .checked_mul(k)
                    .and_then(|d| f.line.checked_add(d))
    }
}

impl Places {
    fn push(&mut self, p: Place) {
        if let Some(run) = self.runs.last_mut() {
            if run.extends(&p) {
                run.count += 1;
                return;
            }
        }
        self.runs.push(PlaceRun {
            first: p,
            count: 1,
            index_step: 0,
            line_step: 0,
        });
    }

    fn shrink_to_fit(&mut self) {
        self.runs.shrink_to_fit();
    }

    /// The places, in order.
    fn into_places(self) -> impl Iterator<Item = Place> {
        self.runs
            .into_iter()
            .flat_map(|run| (0..run.count).map_while(move |k| run.get(k)))
    }
}

/// What [`Loader::undo`] goes back to: the length of each list, the notes,
/// the checker's mark, and the coverage (a few counts: kept whole).
struct Mark {
    interactions: usize,
    feedback: usize,
    expectations: usize,
    observations: usize,
    follow_ups: usize,
    notes: usize,
    checker: crate::validate::CheckMark,
    coverage: Coverage,
}

/// The stage of an interaction by id, for interactions a stream no longer
/// holds (`None`: not read).
/// It is given the id and the record's link slot, when it has one.
pub(crate) type StageOf<'l, 'k> = dyn Fn(&str, Option<u32>) -> Option<&'k StageId> + 'l;

/// Makes room for a CSV file's records (and their ids, kept to catch
/// duplicates) once its first rows tell how long a row is.
struct Room {
    /// The file's length in bytes, until room is made.
    size: Option<u64>,
    rows: u64,
    /// Whether the records are kept (not handed to a stream).
    keep: bool,
}

impl Room {
    /// Rows read before guessing.
    const SAMPLE: u64 = 4096;

    fn make(&mut self, loader: &mut Loader, kind: CsvKind, row: &Result<(Record, u64, u64)>) {
        let Some(size) = self.size else { return };
        self.rows += 1;
        let Ok((_, _, byte)) = row else { return };
        if self.rows < Room::SAMPLE || *byte == 0 {
            return;
        }
        self.size = None;
        // Rows to come, a fiftieth more for longer rows later on.
        let per_row = byte / self.rows;
        let more = (size.saturating_sub(*byte) / per_row.max(1)) * 51 / 50;
        // A size that is wrong (it is only a hint) must not stop the
        // reading: room that cannot be had is left to grow as it goes.
        let more = usize::try_from(more).unwrap_or(0);
        loader.checker.reserve_ids(kind, more);
        if self.keep && !loader.skim.as_ref().is_some_and(|s| s.active) {
            let _ = match (kind, &mut loader.held) {
                (CsvKind::Feedback, Some(held)) => {
                    held.reserve(more);
                    Ok(())
                }
                (CsvKind::Feedback, None) => loader.diary.feedback.try_reserve_exact(more),
                (CsvKind::Interactions, _) => loader.diary.interactions.try_reserve_exact(more),
            };
        }
    }
}

/// Where a streamed reader hands each accepted interaction.
pub(crate) type Sink<'s> = dyn FnMut(Interaction) -> Result<()> + 's;

/// Checks UTF-8 and names the line of the first bad byte.
pub(crate) fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = 1 + good.iter().filter(|&&b| b == b'\n').count() as u64;
        Error::InvalidUtf8 {
            at: Location::file(file).with_line(line),
        }
    })
}

/// Turns a serde error at a path into a located [`Error`].
pub(crate) fn serde_error(path: &str, err: &serde_json::Error, at: Location) -> Error {
    let full = err.to_string();
    // serde_json appends " at line L column C"; the location carries it.
    let mut message = match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_owned(),
        None => full,
    };
    // A syntax error's line is the location's; its column is said after it.
    let column = (err.is_syntax() || err.is_eof()).then(|| err.column());
    // serde repeats a value it did not expect whole: a 100 MB string too.
    if message.len() > 400 && !message.starts_with("invalid value \"") {
        let mut end = 300;
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message = format!("{}… ({} bytes of message)", &message[..end], message.len());
    }
    let mut at = at;
    if !path.is_empty() && path != "." && path != "?" {
        at.path = Some(match at.path.take() {
            Some(outer) => format!("{outer}.{path}"),
            None => path.to_owned(),
        });
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "");
        return Error::UnknownField {
            at,
            field: field.to_owned(),
            expected,
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return Error::MissingField {
            at: at.with_field(field),
        };
    }
    // A value our own parsers refused (`invalid value "x": expected …`):
    // the same error as from a CSV cell, naming the field.
    if let Some((value, expected)) = message
        .strip_prefix("invalid value \"")
        .and_then(|rest| rest.split_once("\": expected "))
    {
        // The path's last name is the field: `interactions[3].opened_at`
        // is at `interactions[3]`, field `opened_at`.
        let mut at = at;
        if let Some(path) = at.path.take() {
            let (outer, last) = match path.rsplit_once('.') {
                Some((o, l)) => (Some(o.to_owned()), l.to_owned()),
                None => (None, path.clone()),
            };
            if last.contains('[') {
                at.path = Some(path);
            } else {
                at.path = outer;
                at = at.with_field(last);
            }
        }
        return Error::invalid(
            at,
            value.replace("\\\"", "\""),
            Sentence::recognised(expected),
        );
    }
    // serde's words, in the catalogue's languages where their shape is known.
    let said = match column {
        Some(column) => Sentence::parser_at_column(&message, column),
        None => Sentence::parser(&message),
    };
    match err.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            Error::Syntax { at, message: said }
        }
        _ => Error::Mismatch { at, message: said },
    }
}

/// A record of JSON Lines (or added as JSON): `{"type": "interaction", …}`.
/// An error names the field, as the record's own type gives it.
pub(crate) fn read_record(text: &str, at: &Location, line_no: u64) -> Result<Record> {
    // As `from_json_text::<Record>`, without serde's buffering of the whole
    // record (see `input/tagged.rs`).
    crate::input::tagged::record(text)
        .map_err(|failed| match failed {
            crate::input::tagged::Failed::Read(e) => {
                located(text, &e, at.clone(), line_no, &Shape::PLAIN)
            }
            crate::input::tagged::Failed::End(e) => serde_error("", &e, at.clone()),
        })
        .map_err(|e| precise_record_error(text, at, line_no).unwrap_or(e))
}

/// The error of a JSON Lines record that does not read, as its own type
/// gives it: the `type` tag makes serde read the record whole first, which
/// loses the field the error is in. `None` when the line names no known
/// type or reads as its type.
fn precise_record_error(text: &str, at: &Location, line_no: u64) -> Option<Error> {
    let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
    let kind = value.as_object_mut()?.remove("type")?;
    let inner = value.to_string();
    let at = at.clone();
    let shape = &Shape::PLAIN;
    match kind.as_str()? {
        "interaction" => from_json_text::<Interaction>(&inner, at, line_no, shape).err(),
        "feedback" => from_json_text::<Feedback>(&inner, at, line_no, shape).err(),
        "expectation" => from_json_text::<Expectation>(&inner, at, line_no, &EXPECTATION).err(),
        "observation" => from_json_text::<Observation>(&inner, at, line_no, &OBSERVATION).err(),
        "follow_up" => from_json_text::<FollowUpRecord>(&inner, at, line_no, shape).err(),
        _ => None,
    }
}

/// Deserialises `T` from JSON text, with the path of any error (rebuilt from
/// serde_json's position of it; `shape` tells what the text does not).
pub(crate) fn from_json_text<'a, T: Deserialize<'a>>(
    text: &'a str,
    at: Location,
    base_line: u64,
    shape: &Shape,
) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value =
        T::deserialize(&mut de).map_err(|e| located(text, &e, at.clone(), base_line, shape))?;
    de.end().map_err(|e| serde_error("", &e, at.clone()))?;
    Ok(value)
}

/// The error `err` of reading `text` (whose first line is `base_line`), at
/// its line and JSON path.
fn located(
    text: &str,
    err: &serde_json::Error,
    at: Location,
    base_line: u64,
    shape: &Shape,
) -> Error {
    let at = if err.line() > 0 {
        at.with_line(base_line + err.line().saturating_sub(1) as u64)
    } else {
        at
    };
    serde_error(&error_path(text, err, shape), err, at)
}

/// The diary's head: only `schema` is read, every other value is skipped.
pub(crate) const SCHEMA_ONLY: Shape = Shape {
    only: Some(&["schema"]),
    ..Shape::PLAIN
};
/// An expectation: its metric is an internally tagged enum, read whole first.
pub(crate) const EXPECTATION: Shape = Shape {
    buffered: &[("metric", |t| serde_json::from_str::<Metric>(t).is_err())],
    ..Shape::PLAIN
};
/// An observation: its value is an untagged enum, read whole first.
pub(crate) const OBSERVATION: Shape = Shape {
    buffered: &[("value", |t| {
        serde_json::from_str::<ObservedValue>(t).is_err()
    })],
    ..Shape::PLAIN
};

#[derive(Deserialize)]
pub(crate) struct SchemaOnly {
    schema: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDiary<'a> {
    schema: String,
    name: String,
    timezone: crate::time::TimeZone,
    stages: Vec<Stage>,
    #[serde(default, borrow)]
    pub(crate) expectations: Vec<&'a RawValue>,
    #[serde(default)]
    calendars: Vec<Calendar>,
    #[serde(default)]
    holiday_lists: Vec<HolidayList>,
    #[serde(default)]
    customers: Vec<Customer>,
    #[serde(default, borrow)]
    pub(crate) interactions: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    pub(crate) feedback: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    pub(crate) observations: Vec<&'a RawValue>,
    #[serde(default)]
    follow_up: FollowUpRules,
    #[serde(default, borrow)]
    pub(crate) follow_ups: Vec<&'a RawValue>,
}

impl Loader {
    /// Starts from a diary held in memory: checks its definitions, then each of
    /// its records (located by JSON path).
    ///
    /// ```
    /// use mindgap::{Loader, ReadOptions};
    /// let loader = Loader::new(mindgap::sample::diary(200), ReadOptions::default())?;
    /// assert_eq!(loader.diary().interactions.len(), 200);
    /// // A bad record is located by its JSON path.
    /// let mut bad = mindgap::sample::diary(10);
    /// bad.interactions[3].stage = "nowhere".into();
    /// let e = Loader::new(bad, ReadOptions::default()).unwrap_err();
    /// assert_eq!(e.location().and_then(|at| at.path.as_deref()), Some("interactions[3]"));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn new(diary: Diary, options: ReadOptions) -> Result<Loader> {
        let checker = Checker::new(&diary)?;
        options.csv.check()?;
        let mut records = diary;
        let interactions = std::mem::take(&mut records.interactions);
        let feedback = std::mem::take(&mut records.feedback);
        let observations = std::mem::take(&mut records.observations);
        let follow_ups = std::mem::take(&mut records.follow_ups);
        let mut loader = Loader {
            coverage: Coverage::new(&records),
            diary: records,
            checker,
            options,
            skipped: Vec::new(),
            notes: Vec::new(),
            unlinked: Places::default(),
            follow_ups: Vec::new(),
            files: Vec::new(),
            held: None,
            skim: None,
            texts: false,
            again: Vec::new(),
            negative_customers: Vec::new(),
        };
        let at = |list: &str, i: usize| Location::default().with_path(format!("{list}[{i}]"));
        for (i, r) in interactions.into_iter().enumerate() {
            loader.push(Record::Interaction(r), at("interactions", i))?;
        }
        for (i, r) in feedback.into_iter().enumerate() {
            loader.push(Record::Feedback(r), at("feedback", i))?;
        }
        for (i, r) in observations.into_iter().enumerate() {
            loader.push(Record::Observation(r), at("observations", i))?;
        }
        for (i, r) in follow_ups.into_iter().enumerate() {
            loader.push(Record::FollowUp(r), at("follow_ups", i))?;
        }
        Ok(loader)
    }

    /// Reads a JSON diary. `file` names it in errors.
    ///
    /// ```
    /// use mindgap::{Loader, ReadOptions};
    /// let json = br#"{"schema": "mindgap/1", "name": "Shop", "timezone": "UTC",
    ///   "stages": [{"id": "s", "name": "S"}],
    ///   "interactions": [{"id": "i1", "opened_at": "2026-01-05T10:00:00Z", "channel": "chat", "stage": "s"}]}"#;
    /// let loader = Loader::from_json(json, "diary.json", ReadOptions::default())?;
    /// assert_eq!(loader.diary().interactions[0].id.as_str(), "i1");
    /// // Another schema is refused, naming the file.
    /// let e = Loader::from_json(br#"{"schema": "mindgap/9"}"#, "old.json", ReadOptions::default());
    /// assert_eq!(e.unwrap_err().kind(), "unknown_schema");
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn from_json(bytes: &[u8], file: &str, options: ReadOptions) -> Result<Loader> {
        let text = utf8(bytes, file)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let top = Location::file(file);
        let head: SchemaOnly = from_json_text(text, top.clone(), 1, &SCHEMA_ONLY)?;
        match head.schema {
            None => {
                return Err(Error::MissingField {
                    at: top.with_field("schema"),
                });
            }
            Some(serde_json::Value::String(s)) if s == SCHEMA => {}
            Some(other) => {
                let found = other
                    .as_str()
                    .map_or_else(|| other.to_string(), str::to_owned);
                return Err(Error::UnknownSchema {
                    at: top.with_field("schema"),
                    found,
                    expected: SCHEMA,
                });
            }
        }
        let raw: RawDiary<'_> = from_json_text(text, top.clone(), 1, &Shape::PLAIN)?;
        let diary = Diary {
            schema: raw.schema,
            name: raw.name,
            timezone: raw.timezone,
            stages: raw.stages,
            expectations: Vec::new(),
            calendars: raw.calendars,
            holiday_lists: raw.holiday_lists,
            customers: raw.customers,
            interactions: Vec::new(),
            feedback: Vec::new(),
            observations: Vec::new(),
            follow_up: raw.follow_up,
            follow_ups: Vec::new(),
        };
        let mut loader = Loader::new(diary, options).map_err(|e| e.within(&top))?;
        let lines = crate::util::lines::LineIndex::new(text);
        let locate = |list: &str, i: usize, raw: &RawValue| {
            let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
            let line = lines.line_of(offset);
            (Location::file(file).with_path(format!("{list}[{i}]")), line)
        };
        type ParseFn = fn(&str, Location, u64) -> Result<Record>;
        let lists: [(&str, &[&RawValue], ParseFn); 5] = [
            ("expectations", &raw.expectations, |t, at, l| {
                from_json_text(t, at, l, &EXPECTATION).map(Record::Expectation)
            }),
            ("interactions", &raw.interactions, |t, at, l| {
                from_json_text(t, at, l, &Shape::PLAIN).map(Record::Interaction)
            }),
            ("feedback", &raw.feedback, |t, at, l| {
                from_json_text(t, at, l, &Shape::PLAIN).map(Record::Feedback)
            }),
            ("observations", &raw.observations, |t, at, l| {
                from_json_text(t, at, l, &OBSERVATION).map(Record::Observation)
            }),
            ("follow_ups", &raw.follow_ups, |t, at, l| {
                from_json_text(t, at, l, &Shape::PLAIN).map(Record::FollowUp)
            }),
        ];
        for (list, items, parse) in lists {
            for (i, item) in items.iter().enumerate() {
                let (at, line) = locate(list, i, item);
                let at = at.with_line(line);
                let parsed = parse(item.get(), at.clone(), line)
                    .map_err(|e| e.within(&record_id(item.get(), &at)));
                match parsed {
                    Ok(record) => loader.push(record, at)?,
                    Err(e) => loader.reject(e)?,
                }
            }
        }
        Ok(loader)
    }

    /// The compact form of `at`, for the record at `index` of its list (see
    /// [`Place`]).
    fn place(&mut self, at: &Location, index: usize) -> Place {
        let file = match &at.file {
            None => u32::MAX,
            Some(f) => match self.files.iter().rposition(|g| g == f) {
                Some(k) => k as u32,
                None => {
                    self.files.push(f.clone());
                    (self.files.len() - 1) as u32
                }
            },
        };
        let more = [&at.path, &at.field].map(|t| t.as_deref().map(Box::from));
        Place {
            // A list of four billion records does not fit in memory.
            index: u32::try_from(index).unwrap_or(u32::MAX),
            file,
            line: at.line.unwrap_or(0),
            more: (more != [None, None]).then(|| Box::new(more)),
        }
    }

    /// The location a place stands for, of the record `id`.
    fn location(&self, place: &Place, id: &str) -> Location {
        Location {
            file: self.files.get(place.file as usize).cloned(),
            line: (place.line > 0).then_some(place.line),
            path: place
                .more
                .as_ref()
                .and_then(|m| m[0].as_deref().map(str::to_owned)),
            record: (!id.is_empty()).then(|| id.to_owned()),
            field: place
                .more
                .as_ref()
                .and_then(|m| m[1].as_deref().map(str::to_owned)),
            column: None,
        }
    }

    /// Runs a read of a whole file all or nothing in strict mode: when it
    /// fails, every record it added is taken out again (the lists, the ids
    /// registered, the pending links, the notes), so the loader is as it
    /// was before and the corrected file can be read again. Lenient reads
    /// keep what they accepted. The records a stream hands on or holds
    /// compactly cannot be taken back: such reads are left as they are (a
    /// failed stream is dropped whole).
    fn all_or_nothing<T>(&mut self, read: impl FnOnce(&mut Loader) -> Result<T>) -> Result<T> {
        if self.options.mode == Mode::Lenient || self.held.is_some() || self.skim.is_some() {
            return read(self);
        }
        let mark = Mark {
            interactions: self.diary.interactions.len(),
            feedback: self.diary.feedback.len(),
            expectations: self.diary.expectations.len(),
            observations: self.diary.observations.len(),
            follow_ups: self.diary.follow_ups.len(),
            notes: self.notes.len(),
            checker: self.checker.mark(),
            coverage: self.coverage.clone(),
        };
        let result = read(self);
        if result.is_err() {
            self.undo(mark);
        }
        result
    }

    /// Takes out everything added since `mark` (see
    /// [`Loader::all_or_nothing`]).
    fn undo(&mut self, mark: Mark) {
        let d = &mut self.diary;
        d.interactions.truncate(mark.interactions);
        d.feedback.truncate(mark.feedback);
        d.expectations.truncate(mark.expectations);
        d.observations.truncate(mark.observations);
        d.follow_ups.truncate(mark.follow_ups);
        self.notes.truncate(mark.notes);
        self.checker.undo(mark.checker);
        self.coverage = mark.coverage;
        // Pending links of the feedback taken out (places are in index
        // order within a read; kept or not by index either way).
        let pending = std::mem::take(&mut self.unlinked);
        for place in pending.into_places() {
            if (place.index as usize) < mark.feedback {
                self.unlinked.push(place);
            }
        }
        self.follow_ups
            .retain(|p| (p.index as usize) < mark.follow_ups);
    }

    /// Records an error: returned in strict mode, listed in lenient mode.
    fn reject(&mut self, e: Error) -> Result<()> {
        match self.options.mode {
            Mode::Strict => Err(e),
            Mode::Lenient => {
                self.skipped.push(e);
                Ok(())
            }
        }
    }

    /// Adds one record, checking it. In lenient mode a bad record is skipped
    /// and listed, and `Ok` is returned.
    ///
    /// ```
    /// use mindgap::{Loader, Location, Mode, ReadOptions, Record};
    /// let sample = mindgap::sample::diary(10);
    /// let lenient = ReadOptions::default().with_mode(Mode::Lenient);
    /// let mut loader = Loader::new(mindgap::sample::definitions(), lenient)?;
    /// loader.push(Record::Interaction(sample.interactions[0].clone()), Location::default())?;
    /// let mut bad = sample.interactions[1].clone();
    /// bad.stage = "nowhere".into();
    /// loader.push(Record::Interaction(bad), Location::file("crm.json"))?; // skipped, listed
    /// assert_eq!(loader.diary().interactions.len(), 1);
    /// assert_eq!(loader.skipped()[0].location().and_then(|at| at.file.as_deref()), Some("crm.json"));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn push(&mut self, record: Record, at: Location) -> Result<()> {
        let at = match record_key(&record) {
            Some(id) if at.record.is_none() => at.with_record(id),
            _ => at,
        };
        self.push_to(record, &at, None)
    }

    /// Checks a feedback record (registering its id), links it to its
    /// interaction or leaves the link pending, and keeps it.
    fn take_feedback(&mut self, mut r: Feedback, at: &Location) -> Result<()> {
        self.checker.feedback(&mut r, at)?;
        let known = r
            .interaction
            .as_ref()
            .map(|id| self.checker.interaction_slot(id.as_str()));
        match known {
            Some(None) => {
                // Linked to an interaction not read yet: check in `finish`.
                let place = self.place(at, self.feedback_len());
                self.unlinked.push(place);
            }
            Some(Some(i)) => self.checker.link_feedback(
                &mut r,
                self.diary.interactions.get(i).map(|i| &i.stage),
                at,
            )?,
            None => self.checker.link_feedback(&mut r, None, at)?,
        }
        match &mut self.held {
            Some(held) => held.push(&r),
            None => self.diary.feedback.push(r),
        }
        Ok(())
    }

    /// [`Loader::push`], handing an accepted interaction to `sink` instead of
    /// keeping it when one is given. An error from the sink is returned as it
    /// is (it is not the record's fault, so lenient mode does not skip it).
    /// `at` names the record.
    fn push_to(
        &mut self,
        record: Record,
        at: &Location,
        sink: Option<&mut Sink<'_>>,
    ) -> Result<()> {
        let checked = match record {
            // The checker's registry keeps each accepted interaction's
            // position: its index in the diary, or its number in the stream.
            Record::Interaction(mut r) => match self.checker.interaction(&mut r, at) {
                Ok(()) => {
                    self.coverage.see(&r);
                    return match sink {
                        Some(sink) => sink(r),
                        None => {
                            self.diary.interactions.push(r);
                            Ok(())
                        }
                    };
                }
                Err(e) => Err(e),
            },
            Record::Feedback(mut r) if self.skim.as_ref().is_some_and(|s| s.active) => {
                // Links are checked at the second reading, against the
                // interactions streamed.
                let checked =
                    self.checker
                        .feedback(&mut r, at)
                        .and_then(|()| match r.interaction {
                            Some(_) => Ok(()),
                            None => self.checker.link_feedback(&mut r, None, at),
                        });
                if checked.is_ok() {
                    if let Some(skim) = &mut self.skim {
                        skim.take(&r, &self.diary.follow_up);
                    }
                }
                checked
            }
            Record::Feedback(r) => {
                let ids = self.checker.feedback_ids();
                let taken = self.take_feedback(r, at);
                if taken.is_err() {
                    // Refused after its id was registered (its link): the
                    // id is free again, for the corrected record.
                    self.checker.forget_feedback_after(ids);
                }
                taken
            }
            Record::Expectation(r) => self.checker.expectation(&r, at).map(|()| {
                self.coverage.expect(&r);
                self.diary.expectations.push(r)
            }),
            Record::Observation(r) => {
                let metric = self
                    .diary
                    .expectations
                    .iter()
                    .find(|e| e.id == r.expectation)
                    .map(|e| &e.metric);
                self.checker
                    .observation(&r, metric, at)
                    .map(|()| self.diary.observations.push(r))
            }
            Record::FollowUp(_) if self.skim.is_some() => {
                return Err(Error::InvalidOption {
                    option: "records".into(),
                    message: Sentence::new(Msg::ReadFollowUpsFirst).with("at", at.said()),
                });
            }
            Record::FollowUp(r) => self.checker.follow_up(&r, at).map(|()| {
                let place = self.place(at, self.diary.follow_ups.len());
                self.follow_ups.push(place);
                self.diary.follow_ups.push(r);
            }),
        };
        match checked {
            Ok(()) => Ok(()),
            Err(e) => self.reject(e),
        }
    }

    /// Reads CSV records (interactions or feedback: told apart by the header,
    /// or by [`CsvOptions::kind`]). Streams: the text is never held whole.
    /// Strict reading is all or nothing: a file that fails adds none of its
    /// records, so the corrected file can then be read.
    ///
    /// With the `parallel` feature, rows are read and split into fields on a
    /// second thread while this one makes records of them, checks and stores
    /// them (a two-stage pipeline: same records, same order, same errors).
    ///
    /// ```
    /// use mindgap::{CsvKind, Loader};
    /// let mut loader = Loader::new(mindgap::sample::definitions(), Default::default())?;
    /// // Told apart by the header: `kind` and `at` make a feedback file.
    /// let csv = "id,at,kind,score,stage\nf1,2026-05-05T10:00:00+03:00,nps,9,purchase\n";
    /// assert_eq!(loader.read_csv(csv.as_bytes(), "feedback.csv")?, CsvKind::Feedback);
    /// // A missing required column is an error naming the file and the line.
    /// let e = loader.read_csv("id,channel\ni2,chat\n".as_bytes(), "bad.csv").unwrap_err();
    /// assert!(e.to_string().starts_with("bad.csv line 1: missing required column(s): opened_at, stage;"));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn read_csv(&mut self, reader: impl Read + Send, file: &str) -> Result<CsvKind> {
        self.all_or_nothing(|l| l.read_csv_to(reader, file, None, None))
    }

    /// [`Loader::read_csv`] of a file about `size` bytes long: room for its
    /// records is made at once, from the length of its first rows.
    pub(crate) fn read_csv_sized(
        &mut self,
        reader: impl Read + Send,
        file: &str,
        size: Option<u64>,
    ) -> Result<CsvKind> {
        self.all_or_nothing(|l| l.read_csv_to(reader, file, None, size))
    }

    /// The interaction files are read ahead of a stream, for a few of their
    /// records: ids are not registered (the stream does), and every row is
    /// taken or skipped as when lenient (the stream reports the errors).
    pub(crate) fn read_ahead(&mut self) {
        self.checker.read_again();
        self.options.mode = crate::validate::Mode::Lenient;
    }

    /// The interaction files are read a second time (by an analysis that
    /// reads again the few records it shows): ids are not registered again,
    /// and the lines the first reading skipped (in lenient mode; `skipped`
    /// are its skips) are skipped silently, so that the same records are
    /// read, in far less memory.
    #[cfg(feature = "analyses")]
    pub(crate) fn read_again(&mut self, skipped: &[Error]) {
        self.checker.read_again();
        for at in skipped.iter().filter_map(Error::location) {
            let (Some(file), Some(line)) = (&at.file, at.line) else {
                continue;
            };
            match self.again.iter_mut().find(|(f, _)| f == file) {
                Some((_, lines)) => lines.push(line),
                None => self.again.push((file.clone(), vec![line])),
            }
        }
        for (_, lines) in &mut self.again {
            lines.sort_unstable();
        }
    }

    /// The interactions named by negative feedback that names no customer
    /// (its customer is the interaction's): a stream must know those
    /// customers before the interactions pass, since their contacts close
    /// follow-ups. Empty when every negative feedback names its customer.
    pub(crate) fn negative_links(&self) -> crate::util::ids::Ids {
        let rules = &self.diary.follow_up;
        let mut ids = crate::util::ids::Ids::default();
        for f in self.feedback() {
            if let (None, Some(i)) = (f.customer(), f.interaction()) {
                if crate::model::rules::judge(rules, f, None).is_some() {
                    let _ = ids.insert(i);
                }
            }
        }
        if let Some(skim) = &self.skim {
            let n = u32::try_from(skim.negative_links.len()).unwrap_or(u32::MAX);
            for k in 0..n {
                let _ = ids.insert(skim.negative_links.name(k));
            }
        }
        ids
    }

    /// Streamed rows keep their texts: what an analysis that shows them
    /// (a follow-up's history) reads.
    #[cfg(feature = "analyses")]
    pub(crate) fn keep_texts(&mut self) {
        self.texts = true;
    }

    /// Reads a CSV file of interactions (about `size` bytes long), handing
    /// each accepted one to `sink` (in file order) instead of keeping it: the
    /// way a streamed report reads. The checks are those of
    /// [`Loader::read_csv`]; a file of feedback is refused, since feedback
    /// must be read before the interactions it names are streamed past.
    /// The interactions come without the free texts no figure reads
    /// (`request`, `resolution`, `outcome`, `category`, `tags`: checked, not
    /// kept) unless [`Loader::keep_texts`] was called.
    pub(crate) fn read_streamed_csv(
        &mut self,
        reader: impl Read + Send,
        file: &str,
        size: Option<u64>,
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        self.read_csv_to(reader, file, Some(sink), size).map(|_| ())
    }

    /// Reads a feedback CSV file for a [streamed report] that reads it
    /// again at its end instead of holding its records (about 80 bytes a
    /// record held: a 10M-row diary's feedback took a quarter of a gigabyte).
    /// Each record is checked now as [`Loader::read_csv`] checks it, but for
    /// its link to an interaction, checked at the second reading (the
    /// interactions are read in between); only what the stream needs
    /// before the interactions is kept. Read it after the other records
    /// (its records come after them); the file must not change until the
    /// stream finishes (a change is an error then).
    ///
    /// Only a [streamed report] reads such a loader: [`Loader::finish`]
    /// refuses it.
    ///
    /// [streamed report]: crate::run::stream::StreamReport
    pub(crate) fn read_feedback_twice(&mut self, mut file: FeedbackFile) -> Result<()> {
        let reader = file.reader()?;
        let name = file.name.clone();
        let size = file.size;
        let skim = self.skim.get_or_insert_with(Skim::default);
        skim.files.push((file, Vec::new()));
        skim.active = true;
        skim.watch = (self.diary.follow_ups.iter())
            .map(|r| r.feedback.as_str().to_owned())
            .collect();
        let read = self.read_csv_to(reader, &name, None, size);
        if let Some(skim) = &mut self.skim {
            skim.active = false;
        }
        match read? {
            CsvKind::Feedback => Ok(()),
            CsvKind::Interactions => Err(Error::InvalidOption {
                option: "feedback".into(),
                message: Sentence::new(Msg::ReadNotFeedback).value("file", name),
            }),
        }
    }

    /// What the feedback files skimmed so far left (see
    /// [`Loader::read_feedback_twice`]).
    pub(crate) fn take_skim(&mut self) -> Option<Skim> {
        self.skim.take()
    }

    /// Reads again a feedback CSV file skimmed by
    /// [`Loader::read_feedback_twice`]: each record it took, made as it was
    /// then (blanks as none), goes to `each` with where it was read, in
    /// order; the rows it skipped (`skipped_lines`, lenient mode) are skipped
    /// again, unreported. A row that no longer reads as it did is an error
    /// (the file changed between the readings).
    pub(crate) fn reread_feedback_csv(
        &self,
        reader: impl Read + Send,
        file: &str,
        skipped_lines: &[u64],
        each: &mut dyn FnMut(Feedback, &Location) -> Result<()>,
    ) -> Result<()> {
        let rows = CsvReader::new(reader, file, &self.options.csv, self.diary.timezone)?;
        let changed = |at: Location| Error::InvalidOption {
            option: "feedback".into(),
            message: Sentence::new(Msg::ReadChanged).with("at", at.said()),
        };
        if rows.kind() != CsvKind::Feedback {
            return Err(changed(Location::file(file)));
        }
        let mut skipped = skipped_lines.iter().copied().peekable();
        let mut at = Location::file(file);
        rows.each(&mut |row| {
            let (record, line) = match row {
                Ok((record, line, _)) => (record, line),
                Err(e @ Error::Io { .. }) => return Err(e),
                // Refused at the first reading too (lenient mode; strict
                // stopped there).
                Err(_) => return Ok(()),
            };
            if skipped.next_if(|&l| l == line).is_some() {
                return Ok(());
            }
            at.line = Some(line);
            let Record::Feedback(mut r) = record else {
                return Err(changed(at.clone()));
            };
            at.record = Some(r.id.as_str().to_owned());
            if self.checker.feedback_fields(&mut r, &at).is_err() {
                return Err(changed(at.clone()));
            }
            each(r, &at)
        })
    }

    fn read_csv_to(
        &mut self,
        reader: impl Read + Send,
        file: &str,
        mut sink: Option<&mut Sink<'_>>,
        size: Option<u64>,
    ) -> Result<CsvKind> {
        let csv_options = self.options.csv.clone();
        let mut rows = CsvReader::new(reader, file, &csv_options, self.diary.timezone)?;
        // A `when` selector may read the category, tags or custom fields.
        if sink.is_some()
            && !self.texts
            && self.diary.expectations.iter().all(|e| e.when.is_empty())
        {
            rows = rows.without_texts();
        }
        let kind = rows.kind();
        if sink.is_some() && (kind != CsvKind::Interactions || rows.gives_feedback()) {
            return Err(Error::InvalidOption {
                option: "interactions".into(),
                message: Sentence::new(Msg::ReadNotInteractions).value("file", file),
            });
        }
        if let Some(note) = rows.assumed() {
            self.notes.push(note.clone());
        }
        let absent = rows.absent_columns();
        if !absent.is_empty() {
            self.notes.push(
                Sentence::new(Msg::NoteAbsentColumns)
                    .value("file", file)
                    .count("n", absent.len() as u64)
                    .value("columns", absent.join(", ")),
            );
        }
        // A constant stage every row shares: checked once, not row by row.
        let csv = csv_options.resolved()?;
        let (columns, option) = match kind {
            CsvKind::Interactions => (&csv.interaction_columns, "csv.interaction_columns.stage"),
            CsvKind::Feedback => (&csv.feedback_columns, "csv.feedback_columns.stage"),
        };
        if let Some(stage) = columns.get("stage").and_then(|c| c.constant.as_deref()) {
            if !self.checker.knows_stage(stage) {
                let known: Vec<&str> = self.diary.stages.iter().map(|s| s.id.as_str()).collect();
                return Err(Error::InvalidOption {
                    option: option.into(),
                    message: Sentence::new(Msg::ReadConstantStage)
                        .quoted("stage", stage)
                        .value("known", known.join(", ")),
                });
            }
        }
        let ignored = rows.ignored_columns();
        if !ignored.is_empty() {
            self.notes.push(
                Sentence::new(Msg::NoteIgnoredColumns)
                    .value("file", file)
                    .count("n", ignored.len() as u64)
                    .value("columns", ignored.join(", ")),
            );
        }
        // One location, the row's line and id written into it in turn.
        let mut at = Location::file(file);
        let mut room = Room {
            size,
            rows: 0,
            keep: sink.is_none(),
        };
        rows.each(&mut |row| {
            room.make(self, kind, &row);
            self.take_csv_row(row, &mut at, sink.as_deref_mut())
        })?;
        Ok(kind)
    }

    /// Checks one parsed row; `at` is the file's location, given the row's
    /// line and id here.
    fn take_csv_row(
        &mut self,
        row: Result<(Record, u64, u64)>,
        at: &mut Location,
        sink: Option<&mut Sink<'_>>,
    ) -> Result<()> {
        match row {
            Ok((record, line, _)) => {
                if !self.again.is_empty() {
                    let file = at.file.as_deref().unwrap_or("");
                    if (self.again.iter())
                        .any(|(f, lines)| f == file && lines.binary_search(&line).is_ok())
                    {
                        return Ok(());
                    }
                }
                at.line = Some(line);
                match (record_key(&record), &mut at.record) {
                    (Some(id), Some(buf)) => {
                        buf.clear();
                        buf.push_str(id);
                    }
                    (Some(id), none) => *none = Some(id.to_owned()),
                    (None, had) => *had = None,
                }
                let taken = self.skim.as_ref().filter(|s| s.active).map(|s| s.count);
                self.push_to(record, at, sink)?;
                // A row skimmed and skipped (lenient) is skipped again at the
                // second reading.
                if let (Some(skim), Some(taken)) = (&mut self.skim, taken) {
                    if skim.count == taken {
                        if let Some((_, lines)) = skim.files.last_mut() {
                            lines.push(line);
                        }
                    }
                }
                Ok(())
            }
            Err(e @ Error::Io { .. }) => Err(e),
            Err(e) => self.reject(e),
        }
    }

    /// Reads JSON Lines: one tagged record per line (`{"type": "interaction", …}`,
    /// `feedback`, `expectation`, `observation`, `follow_up`). Blank lines are
    /// skipped.
    /// Strict reading is all or nothing, as for [`Loader::read_csv`].
    ///
    /// ```
    /// use mindgap::{Loader, Mode, ReadOptions};
    /// let lenient = ReadOptions::default().with_mode(Mode::Lenient);
    /// let mut loader = Loader::new(mindgap::sample::definitions(), lenient)?;
    /// let jsonl = r#"{"type": "interaction", "id": "i1", "opened_at": "2026-05-05T10:00:00+03:00", "channel": "chat", "stage": "attraction"}
    ///
    /// {"type": "interaction", "id": "i2", "opened_at": "yesterday", "channel": "chat", "stage": "attraction"}
    /// "#;
    /// loader.read_jsonl(jsonl.as_bytes(), "records.jsonl")?;
    /// assert_eq!(loader.diary().interactions.len(), 1);
    /// assert_eq!(loader.skipped()[0].location().and_then(|at| at.line), Some(3));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn read_jsonl(&mut self, reader: impl Read, file: &str) -> Result<()> {
        self.all_or_nothing(|l| l.read_jsonl_all(reader, file))
    }

    fn read_jsonl_all(&mut self, reader: impl Read, file: &str) -> Result<()> {
        let mut reader = BufReader::new(reader);
        let mut buf = Vec::new();
        let mut line_no = 0u64;
        loop {
            buf.clear();
            let n = reader
                .read_until(b'\n', &mut buf)
                .map_err(|source| Error::Io {
                    at: Location::file(file).with_line(line_no + 1),
                    source,
                })?;
            if n == 0 {
                return Ok(());
            }
            line_no += 1;
            let at = Location::file(file).with_line(line_no);
            let text = match std::str::from_utf8(&buf) {
                Ok(t) => t,
                Err(_) => {
                    self.reject(Error::InvalidUtf8 { at })?;
                    continue;
                }
            };
            let text = if line_no == 1 {
                text.trim_start_matches('\u{feff}')
            } else {
                text
            };
            if text.trim().is_empty() {
                continue;
            }
            match read_record(text, &at, line_no) {
                Ok(record) => self.push(record, at)?,
                Err(e) => {
                    let e = e.within(&record_id(text, &at));
                    self.reject(e)?;
                }
            }
        }
    }

    /// Finishes reading: links feedback to interactions read after it, and
    /// returns the diary with the skipped records.
    ///
    /// ```
    /// let defs = mindgap::sample::definitions();
    /// let mut loader = mindgap::Loader::new(defs.clone(), Default::default())?;
    /// let feedback = "id,at,kind,score,interaction\nf1,2026-05-05T11:00:00+03:00,csat,2,i1\n";
    /// loader.read_csv(feedback.as_bytes(), "feedback.csv")?;
    /// // The interaction it names comes later: the link is checked at the end.
    /// let interactions = "id,opened_at,channel,stage\ni1,2026-05-05T10:00:00+03:00,chat,purchase\n";
    /// loader.read_csv(interactions.as_bytes(), "interactions.csv")?;
    /// let loaded = loader.finish()?;
    /// assert_eq!((loaded.diary.interactions.len(), loaded.diary.feedback.len()), (1, 1));
    /// let mut orphan = mindgap::Loader::new(defs, Default::default())?;
    /// orphan.read_csv(feedback.as_bytes(), "feedback.csv")?;
    /// assert_eq!(orphan.finish().unwrap_err().kind(), "unknown_reference");
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn finish(mut self) -> Result<Loaded> {
        if let Some(skim) = &self.skim {
            let names: Vec<&str> = skim.files.iter().map(|(f, _)| f.name.as_str()).collect();
            return Err(Error::InvalidOption {
                option: "feedback".into(),
                message: Sentence::new(Msg::ReadSkimmed).value("files", names.join(", ")),
            });
        }
        self.link()?;
        if let Some(held) = self.held.take() {
            self.diary.feedback = held.iter().map(Fb::to_feedback).collect();
        }
        Ok(Loaded {
            notes: self.notes(),
            diary: self.diary,
            skipped: self.skipped,
        })
    }

    /// Checks now the links of feedback read before the interaction it names
    /// (the check [`Loader::finish`] makes), leaving the loader open for more
    /// records. Links that resolve are done with. Strict: the first broken
    /// link is returned, and it and the links after it stay pending. Lenient:
    /// broken links are skipped and listed, their feedback dropped.
    pub fn link(&mut self) -> Result<()> {
        let mut held = self.held.take();
        let linked = self.link_with(None, held.as_mut(), true);
        self.held = held;
        linked
    }

    /// [`Loader::finish`] for a loader whose interactions were streamed,
    /// first part: `lookup` gives the stage of an interaction by id (it must
    /// know every interaction read that feedback links to, and no other: an
    /// id it does not know is a broken link). The held feedback comes
    /// apart, linked (records with a broken link dropped from it in lenient
    /// mode); the follow-up records are checked next
    /// ([`Loader::link_follow_ups`]).
    pub(crate) fn link_held<'k>(&mut self, lookup: &StageOf<'_, 'k>) -> Result<Held> {
        let mut held = match self.held.take() {
            Some(held) => held,
            None => Held::new(std::mem::take(&mut self.diary.feedback)),
        };
        self.link_with(Some(lookup), Some(&mut held), false)?;
        Ok(held)
    }

    /// What was read, once checked.
    pub(crate) fn into_loaded(self) -> Loaded {
        Loaded {
            notes: self.notes(),
            diary: self.diary,
            skipped: self.skipped,
        }
    }

    /// Lists a record skipped at the end (lenient mode: a link the second
    /// reading of a feedback file found broken).
    pub(crate) fn skip(&mut self, e: Error) {
        self.skipped.push(e);
    }

    /// The reading mode.
    pub(crate) fn mode(&self) -> Mode {
        self.options.mode
    }

    /// Holds the feedback compactly from here on (about 100 bytes a record
    /// instead of 260: the way a streamed report holds a third of a million
    /// feedback rows; the feedback read so far is moved over). Checks and
    /// links are the same; [`Loader::diary`] then lists no feedback, and
    /// [`Loader::finish`] gives it back as records, in order.
    pub(crate) fn hold_feedback(&mut self) {
        if self.held.is_none() {
            self.held = Some(Held::new(std::mem::take(&mut self.diary.feedback)));
        }
    }

    /// The number of feedback records read and kept.
    fn feedback_len(&self) -> usize {
        self.diary.feedback.len() + self.held.as_ref().map_or(0, Held::len)
    }

    /// Sets the link slot of each held feedback record, in order (records
    /// not held have none).
    pub(crate) fn set_feedback_links(&mut self, slots: &[u32]) {
        let records = self.diary.feedback.len();
        if let (Some(held), Some(slots)) = (&mut self.held, slots.get(records..)) {
            held.set_links(slots);
        }
    }

    /// Every feedback record read and kept, in order.
    pub(crate) fn feedback(&self) -> impl Iterator<Item = Fb<'_>> {
        let records = self.diary.feedback.iter().map(Fb::Record);
        records.chain(self.held.iter().flat_map(Held::iter))
    }

    /// Links the pending feedback: the diary's, or the records `held` by a
    /// stream.
    fn link_with<'k>(
        &mut self,
        lookup: Option<&StageOf<'_, 'k>>,
        mut held: Option<&mut Held>,
        follow_ups: bool,
    ) -> Result<()> {
        let mut drop = Vec::new();
        let mut pending = std::mem::take(&mut self.unlinked).into_places();
        while let Some(place) = pending.next() {
            let i = place.index as usize;
            let fb = match held.as_deref() {
                Some(h) => h.get(i),
                None => self.diary.feedback.get(i).map(Fb::Record),
            };
            let Some(fb) = fb else {
                continue;
            };
            // The stage of the interaction it names, if that was read.
            let found = fb.interaction().and_then(|id| match lookup {
                // A stream knows every interaction it read that feedback
                // links to (let go or held), and only those: no trip to the
                // registry of every id.
                Some(lookup) => lookup(id, fb.link()),
                None => {
                    let j = self.checker.interaction_slot(id)?;
                    self.diary.interactions.get(j).map(|i| &i.stage)
                }
            });
            // The location is made for an error only (a third of a million
            // links resolve).
            let linked = crate::validate::link_parts(
                fb.interaction(),
                fb.stage(),
                found,
                &Location::default(),
            );
            if let Err(e) = linked {
                let e = e.within(&self.location(&place, fb.id()));
                match self.options.mode {
                    Mode::Strict => {
                        self.unlinked.push(place);
                        pending.for_each(|p| self.unlinked.push(p));
                        return Err(e);
                    }
                    Mode::Lenient => {
                        self.skipped.push(e);
                        drop.push(i);
                    }
                }
            }
        }
        if !drop.is_empty() {
            match held.as_deref_mut() {
                Some(h) => h.remove_sorted(&drop),
                None => remove_sorted(&mut self.diary.feedback, &drop),
            }
        }
        if !follow_ups {
            return Ok(());
        }
        self.link_follow_ups(held.as_deref(), &HashMap::default())
    }

    /// Checks the follow-up records read so far against the feedback they
    /// name (which must exist, and be given at or before the follow-up):
    /// the diary's, `held`, and the instants of `more` by id (the records
    /// of feedback read twice that follow-ups name).
    pub(crate) fn link_follow_ups(
        &mut self,
        held: Option<&Held>,
        more: &HashMap<String, Timestamp>,
    ) -> Result<()> {
        if self.follow_ups.is_empty() {
            return Ok(());
        }
        let records = self.diary.feedback.iter().map(Fb::Record);
        let feedback: HashMap<&str, Timestamp> = records
            .chain(held.into_iter().flat_map(Held::iter))
            .map(|f| (f.id(), f.at()))
            .chain(more.iter().map(|(id, at)| (id.as_str(), *at)))
            .collect();
        let mut drop = Vec::new();
        let mut first_error = None;
        for place in std::mem::take(&mut self.follow_ups) {
            let i = place.index as usize;
            let Some(r) = self.diary.follow_ups.get(i) else {
                continue;
            };
            let at = self.location(&place, r.id.as_str());
            let found = feedback
                .get_key_value(r.feedback.as_str())
                .map(|(&id, &at)| (id, at));
            if let Err(e) = crate::validate::follow_up_link(r, found, &at) {
                match self.options.mode {
                    Mode::Strict if first_error.is_none() => first_error = Some(e),
                    Mode::Strict => {}
                    Mode::Lenient => {
                        self.skipped.push(e);
                        drop.push(i);
                    }
                }
                if matches!(self.options.mode, Mode::Strict) {
                    self.follow_ups.push(place);
                }
            }
        }
        remove_sorted(&mut self.diary.follow_ups, &drop);
        first_error.map_or(Ok(()), Err)
    }

    /// Frees the room kept for more records, where the allocator gives it
    /// back, and the feedback ids kept to catch duplicates: a stream reads
    /// no more feedback (it refuses feedback files).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.checker.forget_feedback_ids();
        self.diary.feedback.shrink_to_fit();
        if let Some(held) = &mut self.held {
            held.shrink_to_fit();
        }
        self.diary.observations.shrink_to_fit();
        self.diary.follow_ups.shrink_to_fit();
        self.unlinked.shrink_to_fit();
        self.follow_ups.shrink_to_fit();
    }

    /// The position of an accepted interaction in the diary, by id.
    pub(crate) fn interaction_slot(&self, id: &str) -> Option<usize> {
        self.checker.interaction_slot(id)
    }

    /// Takes the interactions read so far out of the diary (a stream scores
    /// them first; their registry positions stay theirs).
    pub(crate) fn take_interactions(&mut self) -> Vec<Interaction> {
        std::mem::take(&mut self.diary.interactions)
    }

    /// The diary read so far.
    pub fn diary(&self) -> &Diary {
        &self.diary
    }

    /// Records skipped so far (lenient mode).
    pub fn skipped(&self) -> &[Error] {
        &self.skipped
    }

    /// Notes so far: what the reading noticed (columns no field reads, an
    /// encoding assumed), then what the data holds that the diary does not
    /// measure (interactions no expectation reaches, expectations nothing
    /// reaches, unknown status values).
    pub fn notes(&self) -> Vec<Sentence> {
        let mut notes = self.notes.clone();
        notes.extend(self.coverage.notes());
        notes
    }
}

/// The `id` of a JSON record that failed to parse, to name it in the error.
pub(crate) fn record_id(text: &str, at: &Location) -> Location {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<serde_json::Value>,
    }
    let mut at = at.clone();
    if let Ok(IdOnly { id: Some(id) }) = serde_json::from_str::<IdOnly>(text) {
        at.record = Some(id.as_str().map_or_else(|| id.to_string(), str::to_owned));
    }
    at
}

/// Reads a JSON diary strictly, with its records.
///
/// ```
/// let json = br#"{"schema": "mindgap/1", "name": "Shop", "timezone": "UTC",
///   "stages": [{"id": "s", "name": "S"}]}"#;
/// let diary = mindgap::diary_from_json(json).unwrap();
/// assert_eq!(diary.name, "Shop");
/// ```
pub fn diary_from_json(bytes: &[u8]) -> Result<Diary> {
    Ok(
        Loader::from_json(bytes, "diary.json", ReadOptions::default())?
            .finish()?
            .diary,
    )
}

/// Writes a diary as JSON Lines: its expectations, interactions, feedback and
/// observations, one tagged record per line.
pub fn write_jsonl(diary: &Diary, out: &mut impl std::io::Write) -> Result<()> {
    let io = |source| Error::Io {
        at: Location::default(),
        source,
    };
    #[derive(Serialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum RecordRef<'a> {
        Interaction(&'a Interaction),
        Feedback(&'a Feedback),
        Expectation(&'a Expectation),
        Observation(&'a Observation),
        FollowUp(&'a FollowUpRecord),
    }
    let mut line = |record: RecordRef<'_>| -> Result<()> {
        serde_json::to_writer(&mut *out, &record).map_err(|e| io(e.into()))?;
        out.write_all(b"\n").map_err(io)
    };
    diary
        .expectations
        .iter()
        .try_for_each(|r| line(RecordRef::Expectation(r)))?;
    diary
        .interactions
        .iter()
        .try_for_each(|r| line(RecordRef::Interaction(r)))?;
    diary
        .feedback
        .iter()
        .try_for_each(|r| line(RecordRef::Feedback(r)))?;
    diary
        .observations
        .iter()
        .try_for_each(|r| line(RecordRef::Observation(r)))?;
    diary
        .follow_ups
        .iter()
        .try_for_each(|r| line(RecordRef::FollowUp(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_known_size_gets_room_for_its_records_at_once() {
        let mut diary = crate::sample::diary(20_000);
        let feedback = std::mem::take(&mut diary.feedback);
        diary.interactions.clear();
        let csv = crate::input::csv::write_feedback(Vec::new(), &feedback).unwrap();
        // The feedback names interactions not read: lenient, so the test is
        // about room only.
        let lenient = ReadOptions::default().with_mode(Mode::Lenient);
        let read = |size: Option<u64>| {
            let mut loader = Loader::new(diary.clone(), lenient.clone()).unwrap();
            loader.read_csv_sized(&csv[..], "f.csv", size).unwrap();
            let d = &loader.diary().feedback;
            (d.len(), d.capacity())
        };
        let (n, grown) = read(None);
        let (m, sized) = read(Some(csv.len() as u64));
        assert_eq!(n, m);
        assert!(n > Room::SAMPLE as usize, "{n} rows");
        assert!(sized >= n && sized <= n + n / 10, "{sized} for {n}");
        assert!(grown > sized, "{grown} vs {sized}");
        // The size is a hint: one far off neither stops nor changes the read.
        let (k, _) = read(Some(u64::MAX));
        assert_eq!(k, n);
        let (k, _) = read(Some(1));
        assert_eq!(k, n);
    }

    proptest::proptest! {
        /// Places come back as they were added, whatever their spacing.
        #[test]
        fn places_come_back_as_added(
            steps in proptest::collection::vec((0u32..3, 0u64..4, 0u8..10), 0..300),
        ) {
            let (mut index, mut line, mut file) = (0u32, 1u64, 0u32);
            let mut want = Vec::new();
            let mut places = Places::default();
            for (di, dl, what) in steps {
                index += di;
                line += dl;
                if what == 0 {
                    file += 1;
                }
                let more = (what == 1).then(|| Box::new([Some(Box::from("feedback[3]")), None]));
                let p = Place { index, file, line, more };
                want.push(format!("{p:?}"));
                places.push(p);
            }
            let got: Vec<String> = places.into_places().map(|p| format!("{p:?}")).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn a_csv_files_pending_links_are_one_run() {
        let mut places = Places::default();
        for n in 0..100_000u32 {
            places.push(Place {
                index: n,
                file: 0,
                line: u64::from(n) + 2,
                more: None,
            });
        }
        assert_eq!(places.runs.len(), 1);
        assert_eq!(places.into_places().count(), 100_000);
    }

    #[test]
    fn held_feedback_reads_checks_and_links_as_records_do() {
        let mut diary = crate::sample::diary(3_000);
        let mut feedback = std::mem::take(&mut diary.feedback);
        let interactions = std::mem::take(&mut diary.interactions);
        let mut follow_ups = std::mem::take(&mut diary.follow_ups);
        assert!(feedback.len() > 100 && !follow_ups.is_empty());
        // Broken links, a wrong stage, a duplicate; some feedback read
        // before its interaction, some after.
        feedback[3].interaction = Some(InteractionId::from("nowhere"));
        feedback[5].stage = Some(StageId::from("no-stage"));
        follow_ups[0].feedback = FeedbackId::from("nowhere");
        let dup = feedback[9].clone();
        feedback.push(dup);
        let (early, late) = feedback.split_at(feedback.len() / 2);
        let early_csv = crate::input::csv::write_feedback(Vec::new(), early).unwrap();
        let late_csv = crate::input::csv::write_feedback(Vec::new(), late).unwrap();
        let interactions_csv =
            crate::input::csv::write_interactions(Vec::new(), &interactions).unwrap();
        let mut jsonl = Vec::new();
        let records = Diary {
            expectations: Vec::new(),
            observations: Vec::new(),
            follow_ups,
            ..diary.clone()
        };
        write_jsonl(&records, &mut jsonl).unwrap();
        for mode in [Mode::Lenient, Mode::Strict] {
            let read = |hold: bool| {
                let mut loader =
                    Loader::new(diary.clone(), ReadOptions::default().with_mode(mode))?;
                if hold {
                    loader.hold_feedback();
                }
                loader.read_csv(&early_csv[..], "early.csv")?;
                loader.read_csv(&interactions_csv[..], "interactions.csv")?;
                loader.read_csv(&late_csv[..], "late.csv")?;
                loader.read_jsonl(&jsonl[..], "follow-ups.jsonl")?;
                if hold {
                    assert!(loader.diary().feedback.is_empty());
                }
                loader.finish()
            };
            match (read(false), read(true)) {
                (Ok(records), Ok(held)) => {
                    assert_eq!(mode, Mode::Lenient);
                    assert_eq!(held.diary, records.diary);
                    let errors =
                        |l: &Loaded| l.skipped.iter().map(|e| e.to_string()).collect::<Vec<_>>();
                    assert_eq!(errors(&held), errors(&records));
                    assert_eq!(held.skipped.len(), 4, "{:?}", errors(&held));
                }
                (Err(records), Err(held)) => {
                    assert_eq!(mode, Mode::Strict);
                    assert_eq!(held.to_string(), records.to_string());
                }
                (a, b) => panic!("{mode:?}: {:?} vs {:?}", a.map(|_| ()), b.map(|_| ())),
            }
        }
    }
}
