//! CSV as CRMs export it: interactions and feedback, one row per record.
//!
//! Default columns — interactions:
//! `id,opened_at,first_response_at,resolved_at,channel,stage,touchpoint,customer,employee,request,resolution,outcome,status,category`
//! and optionally `team,segment,tags,statuses`; feedback:
//! `id,at,customer,interaction,stage,touchpoint,kind,score,reason,comment` and optionally
//! `scale,sentiment,dismissed`. Required: interactions `id, opened_at, channel, stage`;
//! feedback `id, at, kind`. An empty cell means absent. `tags` are separated by
//! `;`; `statuses` is `status@timestamp;status@timestamp…`. Columns the mapping
//! does not name are ignored and reported as a note.
//!
//! A [`CsvOptions::interaction_columns`] / [`CsvOptions::feedback_columns`] mapping
//! reads other exports (other header names) and [`CsvOptions::timestamp_format`]
//! other timestamp formats, without editing the file. Quoted fields with commas
//! and newlines, UTF-8 (Cyrillic included), a BOM at the start and `\r\n` or
//! `\r` line endings are handled; rows stream one at a time, and an error
//! names the line its row starts on.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use chrono::{DateTime, NaiveDateTime, SecondsFormat};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::model::*;

mod records;
use records::{Fault, Fields, Records};

/// Column mapping and formats for reading CSV.
///
/// ```
/// use mindgap::{CsvOptions, Loader, ReadOptions};
/// let csv = CsvOptions::default()
///     .with_interaction_column(("id", "Ticket"))
///     .with_interaction_column(("opened_at", "Created"))
///     .with_interaction_column(("channel", "Via"))
///     .with_timestamp_format("%d.%m.%Y %H:%M")
///     .with_delimiter(';');
/// let mut loader = Loader::new(mindgap::sample::definitions(), ReadOptions::default().with_csv(csv))?;
/// loader.read_csv("Ticket;Created;Via;stage\nT-1;05.05.2026 10:00;email;attraction\n".as_bytes(), "x.csv")?;
/// // No offset in the format: local time in the diary's zone (Moscow, +03:00).
/// assert_eq!(loader.diary().interactions[0].opened_at.to_rfc3339(), "2026-05-05T10:00:00+03:00");
/// # Ok::<(), mindgap::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct CsvOptions {
    /// What the file holds; told from the header when absent (a file with an
    /// `opened_at` column holds interactions, one with `kind` and `at` feedback).
    pub kind: Option<CsvKind>,
    /// Field name → header name, for interaction files (`{"opened_at": "Created"}`).
    pub interaction_columns: BTreeMap<String, String>,
    /// Field name → header name, for feedback files.
    pub feedback_columns: BTreeMap<String, String>,
    /// A chrono `strftime` format for timestamps (`%d.%m.%Y %H:%M`). Without an
    /// offset (`%z`) in it, times are local to the diary's time zone. Default:
    /// RFC 3339 with an offset.
    pub timestamp_format: Option<String>,
    /// Field delimiter (an ASCII character); default `,`.
    pub delimiter: Option<char>,
}

crate::util::setters!(CsvOptions {
    /// Says what the file holds (told from the header otherwise).
    with_kind(kind: CsvKind) kind: some;
    /// Maps an interaction field to the file's column: `(field, column)`.
    with_interaction_column(pair: (&str, &str)) interaction_columns: insert;
    /// Maps a feedback field to the file's column: `(field, column)`.
    with_feedback_column(pair: (&str, &str)) feedback_columns: insert;
    /// Sets the strftime format of timestamps.
    with_timestamp_format(format: impl Into<String>) timestamp_format: some;
    /// Sets the field delimiter (`,` otherwise).
    with_delimiter(delimiter: char) delimiter: some;
});

/// Interaction fields, in the default column order; `true` = required.
pub const INTERACTION_COLUMNS: [(&str, bool); 18] = [
    ("id", true),
    ("opened_at", true),
    ("first_response_at", false),
    ("resolved_at", false),
    ("channel", true),
    ("stage", true),
    ("touchpoint", false),
    ("customer", false),
    ("employee", false),
    ("request", false),
    ("resolution", false),
    ("outcome", false),
    ("status", false),
    ("category", false),
    ("team", false),
    ("segment", false),
    ("tags", false),
    ("statuses", false),
];

/// Feedback fields, in the default column order; `true` = required.
pub const FEEDBACK_COLUMNS: [(&str, bool); 13] = [
    ("id", true),
    ("at", true),
    ("customer", false),
    ("interaction", false),
    ("stage", false),
    ("touchpoint", false),
    ("kind", true),
    ("score", false),
    ("reason", false),
    ("comment", false),
    ("scale", false),
    ("sentiment", false),
    ("dismissed", false),
];

impl CsvKind {
    fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            CsvKind::Interactions => &INTERACTION_COLUMNS,
            CsvKind::Feedback => &FEEDBACK_COLUMNS,
        }
    }
}

impl CsvOptions {
    fn mapping(&self, kind: CsvKind) -> &BTreeMap<String, String> {
        match kind {
            CsvKind::Interactions => &self.interaction_columns,
            CsvKind::Feedback => &self.feedback_columns,
        }
    }

    fn delimiter(&self) -> Result<u8> {
        match self.delimiter {
            None => Ok(b','),
            Some(c) if c.is_ascii() && c != '"' && c != '\n' && c != '\r' => Ok(c as u8),
            Some(c) => Err(Error::InvalidOption {
                option: "csv.delimiter".into(),
                message: format!(
                    "{c:?} cannot separate fields; use an ASCII character other than a quote or newline"
                ),
            }),
        }
    }

    /// Checks that the mappings name only known fields.
    pub fn check(&self) -> Result<()> {
        for kind in [CsvKind::Interactions, CsvKind::Feedback] {
            for field in self.mapping(kind).keys() {
                if !kind.columns().iter().any(|(f, _)| f == field) {
                    let option = match kind {
                        CsvKind::Interactions => "csv.interaction_columns",
                        CsvKind::Feedback => "csv.feedback_columns",
                    };
                    let known: Vec<&str> = kind.columns().iter().map(|(f, _)| *f).collect();
                    return Err(Error::InvalidOption {
                        option: option.into(),
                        message: format!(
                            "unknown field {field:?}; the fields are: {}",
                            known.join(", ")
                        ),
                    });
                }
            }
        }
        self.delimiter().map(|_| ())
    }
}

/// Streams records out of a CSV file.
#[derive(Debug)]
pub struct CsvReader<R: Read> {
    rdr: Records<R>,
    file: String,
    kind: CsvKind,
    /// Column index of each field of `kind.columns()`.
    index: Vec<Option<usize>>,
    ignored: Vec<String>,
    timestamp_format: Option<String>,
    timezone: crate::time::TimeZone,
    /// Interactions without their free texts (see [`CsvReader::without_texts`]).
    lean: bool,
}

/// A header cell as text (a byte order mark before it was passed over by
/// [`Records`]).
fn header_text(field: &[u8]) -> String {
    String::from_utf8_lossy(field).trim().to_owned()
}

impl<R: Read> CsvReader<R> {
    /// Reads the header and resolves the columns. Fails listing every missing
    /// required column.
    ///
    /// ```
    /// use mindgap::{CsvKind, CsvOptions, CsvReader, Record, TimeZone};
    /// let csv = "id,at,kind,score,stage,colour\nf1,2026-05-05T10:00:00Z,nps,9,purchase,red\n";
    /// let reader = CsvReader::new(csv.as_bytes(), "fb.csv", &CsvOptions::default(), TimeZone::UTC)?;
    /// assert_eq!(reader.kind(), CsvKind::Feedback);
    /// assert_eq!(reader.ignored_columns(), ["colour"]);
    /// let records = reader.collect::<Result<Vec<_>, _>>()?;
    /// let (Record::Feedback(f), at) = &records[0] else { unreachable!() };
    /// assert_eq!((f.score, at.line), (Some(9.0), Some(2)));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn new(
        reader: R,
        file: &str,
        options: &CsvOptions,
        timezone: crate::time::TimeZone,
    ) -> Result<Self> {
        options.check()?;
        let mut rdr = Records::new(reader, options.delimiter()?);
        let Some(header) = rdr.next().map_err(|e| csv_error(e, file))? else {
            return Err(Error::MissingColumns {
                at: Location::file(file).with_line(1),
                missing: vec!["(the file is empty: no header)".into()],
            });
        };
        let top = Location::file(file).with_line(header.line);
        let names: Vec<String> = header.iter().map(header_text).collect();
        let find = |kind: CsvKind, field: &str| -> Option<usize> {
            let want = options
                .mapping(kind)
                .get(field)
                .map_or(field, String::as_str);
            names
                .iter()
                .position(|n| n == want)
                .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(want)))
        };
        let kind = match options.kind {
            Some(k) => k,
            None if find(CsvKind::Interactions, "opened_at").is_some() => CsvKind::Interactions,
            None if find(CsvKind::Feedback, "kind").is_some()
                && find(CsvKind::Feedback, "at").is_some() =>
            {
                CsvKind::Feedback
            }
            None => {
                let score = |k: CsvKind| {
                    k.columns()
                        .iter()
                        .filter(|(f, _)| find(k, f).is_some())
                        .count()
                };
                match score(CsvKind::Interactions).cmp(&score(CsvKind::Feedback)) {
                    std::cmp::Ordering::Greater => CsvKind::Interactions,
                    std::cmp::Ordering::Less => CsvKind::Feedback,
                    std::cmp::Ordering::Equal => return Err(Error::MissingColumns {
                    at: top,
                    missing: vec![
                        "opened_at (for interactions) or kind and at (for feedback); set the column mapping or csv.kind"
                            .into(),
                    ],
                }),
                }
            }
        };
        let index: Vec<Option<usize>> = kind.columns().iter().map(|(f, _)| find(kind, f)).collect();
        let missing: Vec<String> = kind
            .columns()
            .iter()
            .zip(&index)
            .filter(|((_, required), found)| *required && found.is_none())
            .map(|((f, _), _)| match options.mapping(kind).get(*f) {
                Some(h) => format!("{h} (for {f})"),
                None => (*f).to_owned(),
            })
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingColumns { at: top, missing });
        }
        let ignored = names
            .iter()
            .enumerate()
            .filter(|(i, _)| !index.contains(&Some(*i)))
            .map(|(_, n)| n.clone())
            .collect();
        Ok(CsvReader {
            rdr,
            file: file.to_owned(),
            kind,
            index,
            ignored,
            timestamp_format: options.timestamp_format.clone(),
            timezone,
            lean: false,
        })
    }

    /// Reads interactions without the free texts no figure reads (`request`,
    /// `resolution`, `outcome`, `category`, `tags`): they are checked (UTF-8)
    /// and left out, which saves allocating them for a streamed report.
    pub(crate) fn without_texts(mut self) -> Self {
        self.lean = true;
        self
    }

    /// What the file holds.
    pub fn kind(&self) -> CsvKind {
        self.kind
    }

    /// Header columns that no field reads.
    pub fn ignored_columns(&self) -> Vec<String> {
        self.ignored.clone()
    }
}

fn csv_error((fault, line): (Fault, u64), file: &str) -> Error {
    let at = Location::file(file).with_line(line);
    match fault {
        Fault::Io(source) => Error::Io { at, source },
        Fault::Width { len, expected } => Error::Syntax {
            at,
            message: format!("a row with {len} field(s) where the header has {expected}"),
        },
    }
}

/// [`str::trim`], quick for the usual cell with nothing to trim (a cell
/// that starts and ends with a visible ASCII character).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Column `col` of `record` as text; `None` when absent or not UTF-8.
/// `all` is the record's fields run together when that is UTF-8 (checked
/// once for all the fields): a field of it is UTF-8 when it starts and ends
/// on character boundaries.
fn field_text<'a>(record: &Fields<'a>, all: Option<&'a str>, col: usize) -> Option<&'a str> {
    let range = record.range(col)?;
    match all {
        Some(all) => all.get(range),
        None => std::str::from_utf8(record.data.get(range)?).ok(),
    }
}

/// One row being read, with its location.
struct Row<'a> {
    record: Fields<'a>,
    /// The record's fields run together, when that is UTF-8 (checked once
    /// for all the fields: the usual case).
    text: Option<&'a str>,
    index: &'a [Option<usize>],
    names: &'static [(&'static str, bool)],
    file: &'a str,
    line: u64,
    /// The record's id, when it has one.
    id: Option<&'a str>,
    timestamp_format: Option<&'a str>,
    timezone: crate::time::TimeZone,
}

impl Row<'_> {
    fn field_at(&self, field: usize) -> Location {
        let at = Location::file(self.file).with_line(self.line);
        match self.id {
            Some(id) => at.with_record(id),
            None => at,
        }
        .with_field(self.names.get(field).map_or("?", |f| f.0))
    }

    /// The cell as written (not trimmed), `None` when empty or absent.
    fn raw(&self, field: usize) -> Result<Option<&str>> {
        let Some(Some(col)) = self.index.get(field) else {
            return Ok(None);
        };
        if self.record.range(*col).is_none() {
            return Ok(None);
        }
        let text = field_text(&self.record, self.text, *col).ok_or_else(|| Error::InvalidUtf8 {
            at: self.field_at(field),
        })?;
        Ok((!trim(text).is_empty()).then_some(text))
    }

    fn text(&self, field: usize) -> Result<Option<String>> {
        Ok(self.raw(field)?.map(str::to_owned))
    }

    fn trimmed(&self, field: usize) -> Result<Option<&str>> {
        Ok(self.raw(field)?.map(trim))
    }

    fn required(&self, field: usize) -> Result<&str> {
        self.trimmed(field)?.ok_or_else(|| Error::MissingField {
            at: self.field_at(field),
        })
    }

    fn timestamp(&self, field: usize) -> Result<Option<Timestamp>> {
        self.trimmed(field)?
            .map(|s| {
                parse_timestamp(s, self.timestamp_format, self.timezone)
                    .map_err(|expected| Error::invalid(self.field_at(field), s, expected))
            })
            .transpose()
    }

    fn number<T: std::str::FromStr>(&self, field: usize, expected: &str) -> Result<Option<T>> {
        self.trimmed(field)?
            .map(|s| {
                s.parse()
                    .map_err(|_| Error::invalid(self.field_at(field), s, expected))
            })
            .transpose()
    }
}

/// Parses a timestamp: RFC 3339 (a space instead of `T` is accepted), or the
/// given `strftime` format, local to `tz` when the format has no offset.
/// Returns what was expected on failure.
///
/// ```
/// use mindgap::{TimeZone, parse_timestamp};
/// let t = parse_timestamp("2026-01-05 10:00:00+03:00", None, TimeZone::UTC)?;
/// assert_eq!(t.to_rfc3339(), "2026-01-05T10:00:00+03:00");
/// // A format without an offset reads a local time in the zone given.
/// let moscow = TimeZone::from_name("Europe/Moscow").unwrap();
/// let t = parse_timestamp("05.01.2026 10:00", Some("%d.%m.%Y %H:%M"), moscow)?;
/// assert_eq!(t.to_rfc3339(), "2026-01-05T10:00:00+03:00");
/// // A local time skipped by a DST change is refused, saying why.
/// let berlin = TimeZone::from_name("Europe/Berlin").unwrap();
/// let e = parse_timestamp("29.03.2026 02:30", Some("%d.%m.%Y %H:%M"), berlin).unwrap_err();
/// assert!(e.contains("clocks go forward"), "{e}");
/// # Ok::<(), String>(())
/// ```
pub fn parse_timestamp(
    s: &str,
    format: Option<&str>,
    tz: crate::time::TimeZone,
) -> std::result::Result<Timestamp, String> {
    let Some(format) = format else {
        if let Some(t) = rfc3339_plain(s) {
            return Ok(t);
        }
        return DateTime::parse_from_rfc3339(s)
            .or_else(|_| DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)))
            .map_err(|_| {
                "an RFC 3339 timestamp with an offset, like 2026-01-05T10:00:00+03:00".to_owned()
            });
    };
    if let Ok(t) = DateTime::parse_from_str(s, format) {
        return Ok(t);
    }
    let naive = NaiveDateTime::parse_from_str(s, format)
        .map_err(|_| format!("a timestamp in the format {format:?}"))?;
    match tz.from_local(&naive) {
        chrono::LocalResult::Single(t) => Ok(t),
        chrono::LocalResult::Ambiguous(..) => Err(format!(
            "an unambiguous local time; {s} happens twice in {tz} (clocks go back): write it with an offset"
        )),
        chrono::LocalResult::None => Err(format!(
            "a local time that exists; {s} is skipped in {tz} (clocks go forward)"
        )),
    }
}

/// The usual RFC 3339 timestamp, `2026-01-05T10:00:00[.123]+03:00` (or `Z`,
/// or a space for the `T`), read without chrono's general parser (a CSV
/// export has millions): the same instant, checked against it by a property
/// test. `None` for anything else, which the general parser then reads or
/// refuses (leap seconds, other spellings, out-of-range fields).
fn rfc3339_plain(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    // `YYYY-MM-DDTHH:MM:SS`, then the fraction and the offset.
    let head: &[u8; 19] = b.get(..19)?.try_into().ok()?;
    if head[4] != b'-' || head[7] != b'-' || !matches!(head[10], b'T' | b' ') {
        return None;
    }
    if head[13] != b':' || head[16] != b':' {
        return None;
    }
    // Two ASCII digits (`None` for anything else).
    let two = |x: u8, y: u8| -> Option<u32> {
        let (x, y) = (x.wrapping_sub(b'0'), y.wrapping_sub(b'0'));
        (x < 10 && y < 10).then(|| u32::from(x) * 10 + u32::from(y))
    };
    let year = two(head[0], head[1])? * 100 + two(head[2], head[3])?;
    let (month, day) = (two(head[5], head[6])?, two(head[8], head[9])?);
    let hour = two(head[11], head[12])?;
    let (minute, second) = (two(head[14], head[15])?, two(head[17], head[18])?);
    // Up to nine digits of a second's fraction.
    let mut rest = b.get(19..)?;
    let mut nanos = 0;
    if let [b'.', digits @ ..] = rest {
        let count = digits.iter().take_while(|d| d.is_ascii_digit()).count();
        if count == 0 || count > 9 {
            return None;
        }
        for d in digits.get(..count)? {
            nanos = nanos * 10 + u32::from(d - b'0');
        }
        nanos *= 10u32.pow(9 - count as u32);
        rest = digits.get(count..)?;
    }
    let offset: i32 = match *rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (two(h1, h2)?, two(m1, m2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let secs = (h * 3600 + m * 60) as i32;
            if sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None; // a leap second, or out of range: left to chrono
    }
    let date = chrono::NaiveDate::from_ymd_opt(year as i32, month, day)?;
    // The UTC time of day, and the day it falls on.
    let local = (hour * 3600 + minute * 60 + second) as i32;
    let utc = local - offset;
    let (date, utc) = if utc < 0 {
        (date.pred_opt()?, utc + 86_400)
    } else if utc >= 86_400 {
        (date.succ_opt()?, utc - 86_400)
    } else {
        (date, utc)
    };
    let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(utc as u32, nanos)?;
    let offset = chrono::FixedOffset::east_opt(offset)?;
    Some(DateTime::from_naive_utc_and_offset(
        date.and_time(time),
        offset,
    ))
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "y" => Some(true),
        "false" | "no" | "0" | "n" => Some(false),
        _ => None,
    }
}

fn parse_statuses(s: &str, row: &Row<'_>, field: usize) -> Result<Vec<StatusChange>> {
    s.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let bad = |expected: String| Error::invalid(row.field_at(field), part.trim(), expected);
            let (status, at) = part
                .split_once('@')
                .ok_or_else(|| bad("status@timestamp entries separated by ';'".into()))?;
            let at = parse_timestamp(at.trim(), row.timestamp_format, row.timezone).map_err(bad)?;
            Ok(StatusChange {
                at,
                status: Status::parse(status),
            })
        })
        .collect()
}

/// A free text: kept, or only checked when `lean`.
fn free_text(row: &Row<'_>, field: usize, lean: bool) -> Result<Option<String>> {
    if lean {
        row.raw(field).map(|_| None)
    } else {
        row.text(field)
    }
}

fn interaction(row: &Row<'_>, lean: bool) -> Result<Interaction> {
    // Field numbers follow INTERACTION_COLUMNS.
    let opened_at = row.timestamp(1)?.ok_or_else(|| Error::MissingField {
        at: row.field_at(1),
    })?;
    Ok(Interaction {
        id: row.required(0)?.into(),
        opened_at,
        first_response_at: row.timestamp(2)?,
        resolved_at: row.timestamp(3)?,
        channel: Channel::parse(row.required(4)?),
        stage: row.required(5)?.into(),
        touchpoint: row.trimmed(6)?.map(Into::into),
        customer: row.trimmed(7)?.map(Into::into),
        employee: row.trimmed(8)?.map(Into::into),
        request: free_text(row, 9, lean)?,
        resolution: free_text(row, 10, lean)?,
        outcome: free_text(row, 11, lean)?,
        status: row.trimmed(12)?.map(Status::parse),
        category: free_text(row, 13, lean)?,
        team: row.text(14)?,
        segment: row.text(15)?,
        tags: row
            .raw(16)?
            .filter(|_| !lean)
            .map(|s| {
                s.split(';')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        statuses: match row.raw(17)? {
            Some(s) => parse_statuses(s, row, 17)?,
            None => Vec::new(),
        },
    })
}

fn feedback(row: &Row<'_>) -> Result<Feedback> {
    // Field numbers follow FEEDBACK_COLUMNS.
    let at = row.timestamp(1)?.ok_or_else(|| Error::MissingField {
        at: row.field_at(1),
    })?;
    let kind_text = row.required(6)?;
    let kind = FeedbackKind::parse(kind_text)
        .ok_or_else(|| Error::invalid(row.field_at(6), kind_text, FEEDBACK_KIND_EXPECTED))?;
    let sentiment = match row.trimmed(11)? {
        None => None,
        Some(s) => Some(
            Sentiment::parse(s)
                .ok_or_else(|| Error::invalid(row.field_at(11), s, SENTIMENT_EXPECTED))?,
        ),
    };
    let dismissed = match row.trimmed(12)? {
        None => false,
        Some(s) => {
            parse_bool(s).ok_or_else(|| Error::invalid(row.field_at(12), s, "true or false"))?
        }
    };
    Ok(Feedback {
        id: row.required(0)?.into(),
        at,
        kind,
        score: row.number(7, "a number")?,
        scale: row.number(10, "a whole number (the top of the rating scale)")?,
        reason: row.text(8)?,
        comment: row.text(9)?,
        sentiment,
        dismissed,
        interaction: row.trimmed(3)?.map(Into::into),
        stage: row.trimmed(4)?.map(Into::into),
        touchpoint: row.trimmed(5)?.map(Into::into),
        customer: row.trimmed(2)?.map(Into::into),
    })
}

impl<R: Read> CsvReader<R> {
    /// The next record, the line it starts at and its offset in bytes (the
    /// iterator's item without a [`Location`] made for every row).
    pub(crate) fn next_row(&mut self) -> Option<Result<(Record, u64, u64)>> {
        let record = match self.rdr.next() {
            Ok(None) => return None,
            Ok(Some(record)) => record,
            Err(e) => return Some(Err(csv_error(e, &self.file))),
        };
        let (line, byte) = (record.line, record.byte);
        let text = std::str::from_utf8(record.data).ok();
        let id = self
            .index
            .first()
            .copied()
            .flatten()
            .and_then(|c| field_text(&record, text, c))
            .map(trim)
            .filter(|id| !id.is_empty());
        let row = Row {
            record,
            text,
            index: &self.index,
            names: self.kind.columns(),
            file: &self.file,
            line,
            id,
            timestamp_format: self.timestamp_format.as_deref(),
            timezone: self.timezone,
        };
        let parsed = match self.kind {
            CsvKind::Interactions => interaction(&row, self.lean).map(Record::Interaction),
            CsvKind::Feedback => feedback(&row).map(Record::Feedback),
        };
        Some(parsed.map(|r| (r, line, byte)))
    }
}

impl<R: Read> Iterator for CsvReader<R> {
    type Item = Result<(Record, Location)>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.next_row()?.map(|(record, line, _)| {
            let mut at = Location::file(&self.file).with_line(line);
            at.record = crate::model::record_key(&record).map(str::to_owned);
            (record, at)
        }))
    }
}

fn ts(t: &Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn opt<T: ToString>(v: Option<&T>) -> String {
    v.map(ToString::to_string).unwrap_or_default()
}

fn write_error(e: csv::Error) -> Error {
    io_error(match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    })
}

/// Writes records as CSV, one row at a time, with every column of their kind
/// (the defaults, then the optional ones). Reading the file back gives the
/// same records.
#[derive(Debug)]
pub struct CsvWriter<W: Write> {
    w: csv::Writer<W>,
    kind: CsvKind,
}

fn io_error(source: std::io::Error) -> Error {
    Error::Io {
        at: Location::default(),
        source,
    }
}

impl<W: Write> CsvWriter<W> {
    /// Starts a file of `kind` and writes its header.
    pub fn new(out: W, kind: CsvKind) -> Result<Self> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(kind.columns().iter().map(|c| c.0))
            .map_err(write_error)?;
        Ok(CsvWriter { w, kind })
    }

    fn wrong_kind(&self, what: &str) -> Error {
        Error::InvalidOption {
            option: "csv.kind".into(),
            message: format!("cannot write {what} to a {:?} file", self.kind),
        }
    }

    /// Writes one interaction.
    pub fn interaction(&mut self, r: &Interaction) -> Result<()> {
        if self.kind != CsvKind::Interactions {
            return Err(self.wrong_kind("an interaction"));
        }
        let statuses: Vec<String> = r
            .statuses
            .iter()
            .map(|s| format!("{}@{}", s.status, ts(&s.at)))
            .collect();
        let row = [
            r.id.to_string(),
            ts(&r.opened_at),
            opt(r.first_response_at.map(|t| ts(&t)).as_ref()),
            opt(r.resolved_at.map(|t| ts(&t)).as_ref()),
            r.channel.to_string(),
            r.stage.to_string(),
            opt(r.touchpoint.as_ref()),
            opt(r.customer.as_ref()),
            opt(r.employee.as_ref()),
            opt(r.request.as_ref()),
            opt(r.resolution.as_ref()),
            opt(r.outcome.as_ref()),
            opt(r.status.as_ref()),
            opt(r.category.as_ref()),
            opt(r.team.as_ref()),
            opt(r.segment.as_ref()),
            r.tags.join(";"),
            statuses.join(";"),
        ];
        self.w.write_record(&row).map_err(write_error)
    }

    /// Writes one feedback record.
    pub fn feedback(&mut self, r: &Feedback) -> Result<()> {
        if self.kind != CsvKind::Feedback {
            return Err(self.wrong_kind("a feedback record"));
        }
        let sentiment = r.sentiment.map(Sentiment::as_str);
        let row = [
            r.id.to_string(),
            ts(&r.at),
            opt(r.customer.as_ref()),
            opt(r.interaction.as_ref()),
            opt(r.stage.as_ref()),
            opt(r.touchpoint.as_ref()),
            r.kind.to_string(),
            opt(r.score.as_ref()),
            opt(r.reason.as_ref()),
            opt(r.comment.as_ref()),
            opt(r.scale.as_ref()),
            sentiment.unwrap_or_default().to_owned(),
            if r.dismissed {
                "true".into()
            } else {
                String::new()
            },
        ];
        self.w.write_record(&row).map_err(write_error)
    }

    /// Flushes and returns the writer.
    pub fn finish(self) -> Result<W> {
        self.w
            .into_inner()
            .map_err(|e| io_error(std::io::Error::other(e.to_string())))
    }
}

/// Writes interactions as CSV (see [`CsvWriter`]).
///
/// ```
/// let diary = mindgap::sample::diary(50);
/// let bytes = mindgap::write_interactions(Vec::new(), &diary.interactions)?;
/// assert!(bytes.starts_with(b"id,opened_at,first_response_at,resolved_at,channel,stage,"));
/// // Reading the file back gives the same records.
/// let mut loader = mindgap::Loader::new(mindgap::sample::definitions(), Default::default())?;
/// loader.read_csv(bytes.as_slice(), "interactions.csv")?;
/// assert_eq!(loader.diary().interactions, diary.interactions);
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn write_interactions<W: Write>(out: W, records: &[Interaction]) -> Result<W> {
    let mut w = CsvWriter::new(out, CsvKind::Interactions)?;
    records.iter().try_for_each(|r| w.interaction(r))?;
    w.finish()
}

/// Writes feedback as CSV (see [`CsvWriter`]).
///
/// ```
/// let diary = mindgap::sample::diary(50);
/// let bytes = mindgap::write_feedback(Vec::new(), &diary.feedback)?;
/// assert!(bytes.starts_with(b"id,at,customer,interaction,stage,touchpoint,kind,score,"));
/// // Read back beside the interactions they name: the same records.
/// let mut defs = diary.clone();
/// (defs.feedback, defs.follow_ups) = (Vec::new(), Vec::new());
/// let mut loader = mindgap::Loader::new(defs, Default::default())?;
/// loader.read_csv(bytes.as_slice(), "feedback.csv")?;
/// assert_eq!(loader.diary().feedback, diary.feedback);
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn write_feedback<W: Write>(out: W, records: &[Feedback]) -> Result<W> {
    let mut w = CsvWriter::new(out, CsvKind::Feedback)?;
    records.iter().try_for_each(|r| w.feedback(r))?;
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What chrono's general parser reads (the path `rfc3339_plain` cuts
    /// short).
    fn general(s: &str) -> Option<Timestamp> {
        DateTime::parse_from_rfc3339(s)
            .or_else(|_| DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)))
            .ok()
    }

    fn stamp() -> impl Strategy<Value = String> {
        (
            (0u32..10_000, 0u32..14, 0u32..33),
            (0u32..26, 0u32..62, 0u32..62),
            prop_oneof![Just(String::new()), "\\.[0-9]{0,11}"],
            prop_oneof![
                Just("Z".to_owned()),
                Just("z".to_owned()),
                (prop_oneof![Just('+'), Just('-')], 0u32..26, 0u32..62)
                    .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
                "[+-][0-9]{1,4}",
            ],
            prop_oneof![Just('T'), Just(' '), Just('t')],
        )
            .prop_map(|((y, mo, d), (h, mi, s), frac, off, t)| {
                format!("{y:04}-{mo:02}-{d:02}{t}{h:02}:{mi:02}:{s:02}{frac}{off}")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// Whatever the quick reader reads, chrono reads the same; what it
        /// leaves, the general parser still gets (parse_timestamp agrees
        /// with chrono on everything).
        #[test]
        fn plain_timestamps_read_as_chrono_reads_them(s in stamp()) {
            if let Some(t) = rfc3339_plain(&s) {
                // Equal instants, and the offset as written.
                let g = general(&s);
                prop_assert_eq!(Some(t), g);
                prop_assert_eq!(Some(*t.offset()), g.map(|g| *g.offset()));
            }
            prop_assert_eq!(parse_timestamp(&s, None, crate::time::TimeZone::UTC).ok(), general(&s));
        }

        #[test]
        fn other_text_reads_as_chrono_reads_it(s in "[0-9T:+Z. -]{0,32}") {
            prop_assert_eq!(parse_timestamp(&s, None, crate::time::TimeZone::UTC).ok(), general(&s));
        }
    }

    #[test]
    fn the_usual_forms_take_the_quick_path() {
        for s in [
            "2026-01-05T10:00:00+03:00",
            "2026-01-05 10:00:00Z",
            "2024-02-29T23:59:59.123456789-09:30",
            "2026-01-05T00:00:00.5-00:00",
        ] {
            assert_eq!(rfc3339_plain(s), general(s), "{s}");
            assert_eq!(
                rfc3339_plain(s).map(|t| *t.offset()),
                general(s).map(|t| *t.offset()),
                "{s}"
            );
            assert!(rfc3339_plain(s).is_some(), "{s}");
        }
        for s in [
            "2026-02-29T10:00:00Z",
            "2026-01-05T10:00:60Z",
            "2026-01-05T10:00:00",
        ] {
            assert!(rfc3339_plain(s).is_none(), "{s}");
        }
    }
}
