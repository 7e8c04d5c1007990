//! CSV as CRMs export it: interactions and feedback, one row per record.
//!
//! Default columns — interactions:
//! `id,opened_at,first_response_at,resolved_at,channel,stage,touchpoint,customer,employee,request,resolution,outcome,status,category`
//! and optionally `team,segment,tags,statuses,priority,messages`; feedback:
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

use chrono::{DateTime, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::model::*;
use crate::words::{Msg, Sentence};

mod decode;
mod mapping;
mod records;
use decode::Decoded;
pub use decode::Encoding;
use mapping::ValueMap;
pub use mapping::{Column, DurationUnit, RowFeedback, profile, profile_names};
#[cfg(feature = "parallel")]
use records::Batch;
use records::{Fault, Fields, Records};

/// Column mapping and formats for reading CSV: mindgap's own columns by
/// default, another export's with a mapping, or a product's export with an
/// import profile ([`CsvOptions::from`], see [`profile`]).
///
/// As JSON (a profile file has this form too):
///
/// ```json
/// {"from": "zendesk",
///  "interaction_columns": {"stage": {"const": "support"}, "team": ["Group", "Queue"]},
///  "values": {"channel": {"Web Widget": "chat"}},
///  "timestamp_format": ["%d.%m.%Y %H:%M", "%d.%m.%Y"], "delimiter": ";",
///  "encoding": "windows-1251", "decimal_comma": true}
/// ```
///
/// In Rust:
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
    /// An import profile this mapping builds on ([`profile_names`]): its
    /// mapping, with what is set here on top (columns and value maps by
    /// field, the rest when set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// A profile's name (for people; not read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// What the mapping reads (for people; not read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What was assumed in writing it (for people; not read).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the file holds; told from the header when absent (a file with an
    /// `opened_at` column holds interactions, one with `kind` and `at` feedback).
    pub kind: Option<CsvKind>,
    /// Field name → where it is read, for interaction files
    /// (`{"opened_at": "Created"}`; see [`Column`]).
    pub interaction_columns: BTreeMap<String, Column>,
    /// Field name → where it is read, for feedback files.
    pub feedback_columns: BTreeMap<String, Column>,
    /// Feedback read from an interaction file's rows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub row_feedback: Vec<RowFeedback>,
    /// Columns of an interaction file kept as custom fields
    /// ([`Interaction::fields`]) under their header names (`["Priority"]`);
    /// `"*"` keeps every column no field reads. Columns named
    /// `field:<name>` are always kept so.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom_columns: Vec<String>,
    /// Value maps by field name (`{"channel": {"Voice": "phone"}}`): a
    /// cell's value, compared without regard to case, becomes the mapped
    /// one (`""`: absent). Values no map names are read as they are.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// chrono `strftime` formats for timestamps, tried in order (one, or a
    /// list). Without an offset (`%z`) in it, times are local to the diary's
    /// time zone. Without any: RFC 3339 with an offset, else a local
    /// `2026-01-05 10:00[:00]`, `05.01.2026 10:00[:00]`, `2026-01-05` or
    /// `05.01.2026`.
    #[serde(
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub timestamp_format: Vec<String>,
    /// Field delimiter (an ASCII character); told from the header line when
    /// absent (the one of `,` `;` tab `|` it has most of; `,` on a tie).
    pub delimiter: Option<char>,
    /// The text encoding; told from the first bytes when absent (see the
    /// note the reading leaves).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Encoding>,
    /// Numbers may have a decimal comma (`4,5`). Always so when the
    /// delimiter is not a comma.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub decimal_comma: bool,
}

/// A string or a list of strings (a visitor: serde's untagged enums
/// buffer the value, which weighs in the WebAssembly build).
fn one_or_many<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a strftime format or a list of them")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Vec<String>, E> {
            Ok(vec![v.to_owned()])
        }
        fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Vec<String>, A::Error> {
            let mut list = Vec::new();
            while let Some(f) = seq.next_element::<String>()? {
                list.push(f);
            }
            Ok(list)
        }
    }
    d.deserialize_any(V)
}

crate::util::setters!(CsvOptions {
    /// Builds on an import profile ([`profile_names`]).
    with_from(name: impl Into<String>) from: some;
    /// Says what the file holds (told from the header otherwise).
    with_kind(kind: CsvKind) kind: some;
    /// Maps an interaction field to the file's column: `(field, column)`.
    with_interaction_column(pair: (&str, &str)) interaction_columns: insert;
    /// Maps a feedback field to the file's column: `(field, column)`.
    with_feedback_column(pair: (&str, &str)) feedback_columns: insert;
    /// Adds a strftime format of timestamps (tried in the order added).
    with_timestamp_format(format: impl Into<String>) timestamp_format: push;
    /// Sets the field delimiter (told from the header otherwise).
    with_delimiter(delimiter: char) delimiter: some;
    /// Sets the text encoding (told from the first bytes otherwise).
    with_encoding(encoding: Encoding) encoding: some;
});

/// Interaction fields, in the default column order; `true` = required.
pub const INTERACTION_COLUMNS: [(&str, bool); 20] = [
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
    ("priority", false),
    ("messages", false),
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
    fn mapping(&self, kind: CsvKind) -> &BTreeMap<String, Column> {
        match kind {
            CsvKind::Interactions => &self.interaction_columns,
            CsvKind::Feedback => &self.feedback_columns,
        }
    }

    fn delimiter(&self) -> Result<Option<u8>> {
        match self.delimiter {
            None => Ok(None),
            Some(c) if c.is_ascii() && c != '"' && c != '\n' && c != '\r' => Ok(Some(c as u8)),
            Some(c) => Err(Error::InvalidOption {
                option: "csv.delimiter".into(),
                message: Sentence::new(Msg::CsvDelimiter).value("char", format!("{c:?}")),
            }),
        }
    }

    /// The options with the profile they build on ([`CsvOptions::from`])
    /// under them.
    pub fn resolved(&self) -> Result<std::borrow::Cow<'_, CsvOptions>> {
        let Some(from) = &self.from else {
            return Ok(std::borrow::Cow::Borrowed(self));
        };
        let mut base = profile(from)?;
        base.interaction_columns
            .extend(self.interaction_columns.clone());
        base.feedback_columns.extend(self.feedback_columns.clone());
        if !self.row_feedback.is_empty() {
            base.row_feedback = self.row_feedback.clone();
        }
        for c in &self.custom_columns {
            if !base.custom_columns.contains(c) {
                base.custom_columns.push(c.clone());
            }
        }
        for (field, map) in &self.values {
            base.values
                .entry(field.clone())
                .or_default()
                .extend(map.clone());
        }
        if !self.timestamp_format.is_empty() {
            base.timestamp_format = self.timestamp_format.clone();
        }
        base.kind = self.kind.or(base.kind);
        // A profile's delimiter is a hint: the header line decides (Excel
        // saves the same export with tabs as "Unicode text").
        base.delimiter = self.delimiter;
        base.encoding = self.encoding.or(base.encoding);
        base.decimal_comma |= self.decimal_comma;
        for (mine, theirs) in [
            (&self.profile, &mut base.profile),
            (&self.description, &mut base.description),
        ] {
            if mine.is_some() {
                theirs.clone_from(mine);
            }
        }
        base.notes.extend(self.notes.iter().cloned());
        Ok(std::borrow::Cow::Owned(base))
    }

    /// Checks that the mappings and value maps name only known fields, that
    /// only timestamps are durations, and that the profile it builds on
    /// exists.
    pub fn check(&self) -> Result<()> {
        let options = self.resolved()?;
        let bad = |option: &str, message: Sentence| Error::InvalidOption {
            option: option.into(),
            message,
        };
        let names = |kind: CsvKind| -> String {
            kind.columns()
                .iter()
                .map(|(f, _)| *f)
                .collect::<Vec<_>>()
                .join(", ")
        };
        for kind in [CsvKind::Interactions, CsvKind::Feedback] {
            let option = match kind {
                CsvKind::Interactions => "csv.interaction_columns",
                CsvKind::Feedback => "csv.feedback_columns",
            };
            for (field, column) in options.mapping(kind) {
                if !kind.columns().iter().any(|(f, _)| f == field) {
                    return Err(bad(
                        option,
                        Sentence::new(Msg::CsvUnknownField)
                            .quoted("field", field)
                            .value("fields", names(kind)),
                    ));
                }
                let timestamp = matches!(field.as_str(), "first_response_at" | "resolved_at")
                    || (kind == CsvKind::Feedback && field == "at");
                if column.unit.is_some() && !timestamp {
                    return Err(bad(
                        &format!("{option}.{field}"),
                        Sentence::new(Msg::CsvDurationField),
                    ));
                }
            }
        }
        for field in options.values.keys() {
            let known = [CsvKind::Interactions, CsvKind::Feedback]
                .iter()
                .any(|k| k.columns().iter().any(|(f, _)| f == field));
            if !known {
                return Err(bad(
                    "csv.values",
                    Sentence::new(Msg::CsvUnknownValueField)
                        .quoted("field", field)
                        .value("interactions", names(CsvKind::Interactions))
                        .value("feedback", names(CsvKind::Feedback)),
                ));
            }
        }
        for (i, r) in options.row_feedback.iter().enumerate() {
            let needs = match r.kind {
                FeedbackKind::Comment => ("comment", r.comment.is_some()),
                FeedbackKind::Reason => ("reason", r.reason.is_some()),
                _ => ("score", r.score.is_some()),
            };
            if !needs.1 {
                return Err(bad(
                    &format!("csv.row_feedback[{i}]"),
                    Sentence::new(Msg::CsvRowFeedback)
                        .value("kind", r.kind)
                        .value("column", needs.0),
                ));
            }
        }
        options.delimiter().map(|_| ())
    }
}

/// Where one field's value comes from in a file, resolved against its
/// header.
#[derive(Debug, Clone, Default)]
struct Source {
    /// A constant.
    constant: Option<String>,
    /// A duration from `opened_at`, in this unit.
    unit: Option<DurationUnit>,
    /// Its value map.
    values: Option<ValueMap>,
}

/// A [`RowFeedback`] resolved: its fields' numbers among the reader's.
#[derive(Debug, Clone)]
struct RowPlan {
    kind: FeedbackKind,
    scale: Option<u32>,
    /// Fields: score, comment, reason, at.
    fields: [usize; 4],
}

/// The fields a row feedback reads, after the kind's own.
const ROW_FEEDBACK_FIELDS: [&str; 4] = ["score", "comment", "reason", "at"];

/// Streams records out of a CSV file.
#[derive(Debug)]
pub struct CsvReader<R: Read> {
    rdr: Records<Decoded<R>>,
    /// What makes records of the rows (on the thread that takes them).
    maker: Maker,
}

/// Everything of a [`CsvReader`] but its input: what makes a record of
/// each row.
#[derive(Debug)]
struct Maker {
    file: String,
    kind: CsvKind,
    /// Column index of each field: those of `kind.columns()`, then those of
    /// the row feedback.
    index: Vec<Option<usize>>,
    /// The name of each field, as `index`.
    names: Vec<&'static str>,
    /// Where each field that is not a plain column comes from (empty when
    /// every field is one: the usual case).
    sources: Vec<Source>,
    row_feedback: Vec<RowPlan>,
    /// Columns kept as custom fields: column index and field name.
    custom: Vec<(usize, String)>,
    /// The header's names, by column (errors name the export's column).
    headers: Vec<String>,
    /// Records made from the last row after the first (its feedback).
    queue: std::collections::VecDeque<(Result<Record>, u64, u64)>,
    ignored: Vec<String>,
    /// Columns the mapping names that the file does not have.
    absent: Vec<String>,
    timestamp_format: Vec<String>,
    decimal_comma: bool,
    timezone: crate::time::TimeZone,
    /// What was assumed about the file (its encoding), when anything was.
    assumed: Option<Sentence>,
    /// Interactions without their free texts (see [`CsvReader::without_texts`]).
    lean: bool,
}

/// A header cell as text (a byte order mark before it was passed over by
/// [`Records`]).
fn header_text(field: &[u8]) -> String {
    String::from_utf8_lossy(field).trim().to_owned()
}

/// The delimiter of a header line: the one of `,` `;` tab `|` it has most
/// of outside quotes (`,` on a tie).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            b',' => counts[0] += 1,
            b';' => counts[1] += 1,
            b'\t' => counts[2] += 1,
            b'|' => counts[3] += 1,
            _ => {}
        }
    }
    let best = (0..4)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t', b'|'][best]
    }
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
        // The profile under the options read once; checked as resolved.
        let options = options.resolved()?;
        options.check()?;
        let mut decoded = Decoded::new(reader, options.encoding, file)?;
        let delimiter = match options.delimiter()? {
            Some(d) => d,
            None => sniff_delimiter(decoded.peek().map_err(|source| Error::Io {
                at: Location::file(file),
                source,
            })?),
        };
        let assumed = decoded.assumed().cloned();
        let mut rdr = Records::new(decoded, delimiter);
        let Some(header) = rdr.next().map_err(|e| csv_error(e, file))? else {
            return Err(Error::MissingColumns {
                at: Location::file(file).with_line(1),
                missing: Vec::new(),
                hint: Sentence::new(Msg::CsvEmpty),
            });
        };
        let top = Location::file(file).with_line(header.line);
        let names: Vec<String> = header.iter().map(header_text).collect();
        let column = |wanted: &str| -> Option<usize> {
            let wanted = wanted.trim();
            names.iter().position(|n| n == wanted).or_else(|| {
                names
                    .iter()
                    .position(|n| n.to_lowercase() == wanted.to_lowercase())
            })
        };
        // The column a mapping names (the first of its headers the file
        // has), or the field's own name; `Some(None)` for a constant.
        let find = |kind: CsvKind, field: &str| -> Option<Option<usize>> {
            match options.mapping(kind).get(field) {
                Some(c) if c.constant.is_some() => Some(None),
                Some(c) => c.headers.iter().find_map(|h| column(h)).map(Some),
                None => column(field).map(Some),
            }
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
                    std::cmp::Ordering::Equal => {
                        return Err(Error::MissingColumns {
                            at: top,
                            missing: Vec::new(),
                            hint: Sentence::new(Msg::Three)
                                .with("a", Sentence::new(Msg::CsvKindUnknown))
                                .with("b", hint(&names, delimiter, assumed.as_ref()))
                                .value("c", ""),
                        });
                    }
                }
            }
        };
        let found: Vec<Option<Option<usize>>> =
            kind.columns().iter().map(|(f, _)| find(kind, f)).collect();
        let missing: Vec<String> = kind
            .columns()
            .iter()
            .zip(&found)
            .filter(|((_, required), found)| *required && found.is_none())
            .map(|((f, _), _)| match options.mapping(kind).get(*f) {
                Some(c) => format!("{} (for {f})", c.describe()),
                None => (*f).to_owned(),
            })
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingColumns {
                at: top,
                missing,
                hint: hint(&names, delimiter, assumed.as_ref()),
            });
        }
        let mut index: Vec<Option<usize>> = found.iter().map(|f| f.flatten()).collect();
        let mut field_names: Vec<&'static str> = kind.columns().iter().map(|(f, _)| *f).collect();
        let mut columns: Vec<Option<&Column>> = kind
            .columns()
            .iter()
            .map(|(f, _)| options.mapping(kind).get(*f))
            .collect();
        let mut row_feedback = Vec::new();
        if kind == CsvKind::Interactions {
            for r in &options.row_feedback {
                let mut fields = [0; 4];
                for (k, (name, c)) in ROW_FEEDBACK_FIELDS
                    .iter()
                    .zip([&r.score, &r.comment, &r.reason, &r.at])
                    .enumerate()
                {
                    fields[k] = index.len();
                    index.push(
                        c.as_ref()
                            .and_then(|c| c.headers.iter().find_map(|h| column(h))),
                    );
                    field_names.push(name);
                    columns.push(c.as_ref());
                }
                row_feedback.push(RowPlan {
                    kind: r.kind,
                    scale: r.scale,
                    fields,
                });
            }
        }
        let mut sources = vec![Source::default(); index.len()];
        let mut plain = true;
        for (i, source) in sources.iter_mut().enumerate() {
            if let Some(c) = columns[i] {
                source.constant.clone_from(&c.constant);
                source.unit = c.unit;
            }
            source.values = options.values.get(field_names[i]).map(ValueMap::new);
            plain &= source.constant.is_none() && source.unit.is_none() && source.values.is_none();
        }
        if plain {
            sources.clear();
        }
        let mut custom: Vec<(usize, String)> = Vec::new();
        if kind == CsvKind::Interactions {
            let every = options.custom_columns.iter().any(|c| c.trim() == "*");
            for (i, n) in names.iter().enumerate() {
                let prefixed = n
                    .get(..6)
                    .filter(|p| p.eq_ignore_ascii_case("field:"))
                    .map(|_| n[6..].trim());
                let named = options
                    .custom_columns
                    .iter()
                    .any(|c| c.trim().to_lowercase() == n.to_lowercase());
                let name = match prefixed {
                    Some(name) if !name.is_empty() => name,
                    Some(_) => continue,
                    None if named || (every && !index.contains(&Some(i))) => n.as_str(),
                    None => continue,
                };
                if !index.contains(&Some(i)) && !custom.iter().any(|(_, c)| c == name) {
                    custom.push((i, name.to_owned()));
                }
            }
        }
        let ignored = names
            .iter()
            .enumerate()
            .filter(|(i, _)| !index.contains(&Some(*i)) && !custom.iter().any(|(c, _)| c == i))
            .map(|(_, n)| n.clone())
            .collect();
        let headers = names.clone();
        // Columns the mapping names that the file does not have: a typo, or
        // an export without them (their fields stay absent).
        let absent = (columns.iter().zip(&index).zip(&field_names))
            .filter_map(|((c, found), name)| match c {
                Some(c) if c.constant.is_none() && found.is_none() => {
                    Some(format!("{name} ({})", c.describe()))
                }
                _ => None,
            })
            .collect();
        Ok(CsvReader {
            rdr,
            maker: Maker {
                absent,
                custom,
                headers,
                file: file.to_owned(),
                kind,
                index,
                names: field_names,
                sources,
                row_feedback,
                queue: std::collections::VecDeque::new(),
                ignored,
                timestamp_format: options.timestamp_format.clone(),
                decimal_comma: options.decimal_comma || delimiter != b',',
                timezone,
                assumed,
                lean: false,
            },
        })
    }

    /// Reads interactions without the free texts no figure reads (`request`,
    /// `resolution`, `outcome`, `category`, `tags`): they are checked (UTF-8)
    /// and left out, which saves allocating them for a streamed report.
    pub(crate) fn without_texts(mut self) -> Self {
        self.maker.lean = true;
        self
    }

    /// What the file holds.
    pub fn kind(&self) -> CsvKind {
        self.maker.kind
    }

    /// Whether rows give feedback besides interactions
    /// ([`CsvOptions::row_feedback`]).
    pub fn gives_feedback(&self) -> bool {
        !self.maker.row_feedback.is_empty()
    }

    /// Header columns that no field reads.
    pub fn ignored_columns(&self) -> Vec<String> {
        self.maker.ignored.clone()
    }

    /// Fields whose mapped columns the file does not have (`team (Group)`):
    /// they stay absent.
    pub fn absent_columns(&self) -> Vec<String> {
        self.maker.absent.clone()
    }

    /// What was assumed in reading the file (its encoding), when anything
    /// was.
    pub fn assumed(&self) -> Option<&Sentence> {
        self.maker.assumed.as_ref()
    }
}

/// A hint for a header that names no required column: the header as read,
/// the profile whose headers it has most of, and the encoding assumed.
fn hint(names: &[String], delimiter: u8, assumed: Option<&Sentence>) -> Sentence {
    let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
    let header = Sentence::new(Msg::HintHeader)
        .count("n", names.len() as u64)
        .value("delimiter", format!("{:?}", char::from(delimiter)))
        .value(
            "names",
            format!(
                "{}{}",
                shown.join(" | "),
                if names.len() > shown.len() {
                    " | …"
                } else {
                    ""
                }
            ),
        );
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let best = profile_names()
        .filter(|n| *n != "generic")
        .filter_map(|name| {
            let p = profile(name).ok()?;
            let hits = (p.interaction_columns.values())
                .chain(p.feedback_columns.values())
                .filter(|c| {
                    c.headers
                        .iter()
                        .any(|h| lower.contains(&h.trim().to_lowercase()))
                })
                .count();
            (hits >= 3).then_some((hits, name))
        })
        .max();
    let profile = match best {
        Some((_, name)) => Sentence::new(Msg::HintProfile).value("name", name),
        None => Sentence::new(Msg::HintGeneric),
    };
    let note = match assumed {
        Some(note) => Sentence::new(Msg::HintNote).with("note", note.clone()),
        None => Sentence::verbatim(""),
    };
    Sentence::new(Msg::Three)
        .with("a", header)
        .with("b", profile)
        .with("c", note)
}

fn csv_error((fault, line): (Fault, u64), file: &str) -> Error {
    let at = Location::file(file).with_line(line);
    match fault {
        Fault::Io(source) => Error::Io { at, source },
        Fault::Width { len, expected } => Error::Syntax {
            at,
            message: Sentence::new(Msg::CsvWidth)
                .count("len", len as u64)
                .count("expected", expected as u64),
        },
        Fault::Unclosed { to } => Error::Syntax {
            at,
            message: Sentence::new(Msg::CsvUnclosed).value("to", to),
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
    names: &'a [&'static str],
    /// Where fields that are not plain columns come from (empty when all
    /// are).
    sources: &'a [Source],
    /// Columns kept as custom fields.
    custom: &'a [(usize, String)],
    /// The header's names, by column.
    headers: &'a [String],
    file: &'a str,
    line: u64,
    /// The record's id, when it has one.
    id: Option<&'a str>,
    timestamp_format: &'a [String],
    decimal_comma: bool,
    timezone: crate::time::TimeZone,
}

impl<'a> Row<'a> {
    fn field_at(&self, field: usize) -> Location {
        let at = Location::file(self.file).with_line(self.line);
        let name = self.names.get(field).copied().unwrap_or("?");
        let mut at = match self.id {
            Some(id) => at.with_record(id),
            None => at,
        }
        .with_field(name);
        // The export's own column, when its header is another name.
        let header = (self.index.get(field).copied().flatten()).and_then(|c| self.headers.get(c));
        at.column = header.filter(|h| !h.eq_ignore_ascii_case(name)).cloned();
        at
    }

    /// The cell as written (not trimmed), `None` when empty or absent; a
    /// constant, or the value its map gives, for a field that has one.
    fn raw(&self, field: usize) -> Result<Option<&'a str>> {
        let source = self.sources.get(field);
        if let Some(c) = source.and_then(|s| s.constant.as_deref()) {
            return Ok(Some(c));
        }
        let Some(Some(col)) = self.index.get(field) else {
            return Ok(None);
        };
        if self.record.range(*col).is_none() {
            return Ok(None);
        }
        let text = field_text(&self.record, self.text, *col).ok_or_else(|| Error::InvalidUtf8 {
            at: self.field_at(field),
        })?;
        if trim(text).is_empty() {
            return Ok(None);
        }
        match source
            .and_then(|s| s.values.as_ref())
            .and_then(|m| m.get(text))
        {
            Some("") => Ok(None),
            Some(mapped) => Ok(Some(mapped)),
            None => Ok(Some(text)),
        }
    }

    fn text(&self, field: usize) -> Result<Option<String>> {
        Ok(self.raw(field)?.map(str::to_owned))
    }

    fn trimmed(&self, field: usize) -> Result<Option<&'a str>> {
        Ok(self.raw(field)?.map(trim))
    }

    fn required(&self, field: usize) -> Result<&'a str> {
        self.trimmed(field)?.ok_or_else(|| Error::MissingField {
            at: self.field_at(field),
        })
    }

    /// A timestamp; for a duration column, `opened_at` (field 1) and the
    /// duration.
    fn timestamp(&self, field: usize) -> Result<Option<Timestamp>> {
        let Some(s) = self.trimmed(field)? else {
            return Ok(None);
        };
        if let Some(unit) = self.sources.get(field).and_then(|s| s.unit) {
            let bad = || Error::invalid(self.field_at(field), s, Sentence::new(unit.expected()));
            let ms = unit.millis(s).ok_or_else(bad)?;
            let from = match self.timestamp(1)? {
                Some(t) if field != 1 => t,
                _ => {
                    return Err(Error::MissingField {
                        at: self.field_at(1),
                    });
                }
            };
            return from
                .checked_add_signed(chrono::Duration::milliseconds(ms))
                .map(Some)
                .ok_or_else(bad);
        }
        parse_in(s, self.timestamp_format, self.timezone)
            .map(Some)
            .map_err(|expected| Error::invalid(self.field_at(field), s, expected))
    }

    fn number<T: std::str::FromStr>(&self, field: usize, expected: Msg) -> Result<Option<T>> {
        self.trimmed(field)?
            .map(|s| {
                let parsed = match s.parse() {
                    Err(_) if self.decimal_comma && s.contains(',') && !s.contains('.') => {
                        s.replacen(',', ".", 1).parse()
                    }
                    other => other,
                };
                parsed.map_err(|_| Error::invalid(self.field_at(field), s, Sentence::new(expected)))
            })
            .transpose()
    }
}

/// Local formats tried when none is given and a timestamp is not RFC 3339:
/// unambiguous ones only (year first, or day first with dots).
const LOCAL_FORMATS: [&str; 6] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y",
];

/// Whether `s` has the exact shape of a local form read without a format:
/// `YYYY-MM-DD` or `DD.MM.YYYY`, then nothing, ` HH:MM` or ` HH:MM:SS`
/// (strftime alone would take `1.1.0` for a date in year 0).
fn plain_local(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, to: usize| {
        b.get(from..to)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let date = b.len() >= 10
        && ((b[4] == b'-' && b[7] == b'-' && digits(0, 4) && digits(5, 7) && digits(8, 10))
            || (b[2] == b'.' && b[5] == b'.' && digits(0, 2) && digits(3, 5) && digits(6, 10)));
    let minutes = || b[10] == b' ' && digits(11, 13) && b[13] == b':' && digits(14, 16);
    match b.len() {
        10 => date,
        16 => date && minutes(),
        19 => date && minutes() && b[16] == b':' && digits(17, 19),
        _ => false,
    }
}

/// [`parse_timestamp`] with any number of formats, tried in order, then
/// the forms read without a format (RFC 3339, the exact local shapes). A
/// local time a DST change skips or repeats is that error, not a mismatch.
fn parse_in(
    s: &str,
    formats: &[String],
    tz: crate::time::TimeZone,
) -> std::result::Result<Timestamp, Sentence> {
    let mut dst = None;
    for f in formats {
        match parse_said(s, Some(f), tz) {
            Ok(t) => return Ok(t),
            Err(e) if clocks_change(&e) => dst = dst.or(Some(e)),
            Err(_) => {}
        }
    }
    match (parse_said(s, None, tz), formats) {
        (Ok(t), _) => Ok(t),
        (Err(e), _) if dst.is_none() && clocks_change(&e) => Err(e),
        (Err(e), []) => Err(e),
        (Err(_), [one]) => {
            Err(dst.unwrap_or_else(|| Sentence::new(Msg::TsOneFormat).quoted("format", one)))
        }
        (Err(_), many) => Err(dst.unwrap_or_else(|| {
            Sentence::new(Msg::TsFormats).value("formats", format!("{many:?}"))
        })),
    }
}

/// Whether a timestamp was refused for a local time a clock change skips
/// or repeats.
fn clocks_change(said: &Sentence) -> bool {
    matches!(said.key(), Some(Msg::TsAmbiguous | Msg::TsSkipped))
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
    parse_said(s, format, tz).map_err(|e| e.to_string())
}

/// [`parse_timestamp`], saying what was expected as a [`Sentence`].
fn parse_said(
    s: &str,
    format: Option<&str>,
    tz: crate::time::TimeZone,
) -> std::result::Result<Timestamp, Sentence> {
    let Some(format) = format else {
        if let Some(t) = rfc3339_plain(s) {
            return Ok(t);
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(s)
            .or_else(|_| DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)))
        {
            return Ok(t);
        }
        let mut dst = None;
        if plain_local(s) {
            for f in LOCAL_FORMATS {
                match parse_said(s, Some(f), tz) {
                    Ok(t) => return Ok(t),
                    Err(e) if clocks_change(&e) => dst = dst.or(Some(e)),
                    Err(_) => {}
                }
            }
        }
        return Err(dst.unwrap_or_else(|| Sentence::new(Msg::TsAny)));
    };
    if let Ok(t) = DateTime::parse_from_str(s, format) {
        return Ok(t);
    }
    let naive = NaiveDateTime::parse_from_str(s, format)
        .or_else(|e| {
            // A format of a date alone: its midnight.
            chrono::NaiveDate::parse_from_str(s, format)
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
                .map_err(|_| e)
        })
        .map_err(|_| Sentence::new(Msg::TsFormat).quoted("format", format))?;
    match tz.from_local(&naive) {
        chrono::LocalResult::Single(t) => Ok(t),
        chrono::LocalResult::Ambiguous(..) => Err(Sentence::new(Msg::TsAmbiguous)
            .value("time", s)
            .value("zone", tz)),
        chrono::LocalResult::None => Err(Sentence::new(Msg::TsSkipped)
            .value("time", s)
            .value("zone", tz)),
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

/// `kind@timestamp` entries separated by `;` (`customer@…;reply@…;note@…`).
fn parse_messages(s: &str, row: &Row<'_>, field: usize) -> Result<Vec<Message>> {
    s.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let bad =
                |expected: Sentence| Error::invalid(row.field_at(field), part.trim(), expected);
            let (kind, at) =
                (part.split_once('@')).ok_or_else(|| bad(Sentence::new(Msg::CsvMessages)))?;
            let kind =
                MessageKind::parse(kind).ok_or_else(|| bad(Sentence::new(Msg::CsvMessageKind)))?;
            let at = parse_in(at.trim(), row.timestamp_format, row.timezone).map_err(bad)?;
            Ok(Message { at, kind })
        })
        .collect()
}

fn parse_statuses(s: &str, row: &Row<'_>, field: usize) -> Result<Vec<StatusChange>> {
    s.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let bad =
                |expected: Sentence| Error::invalid(row.field_at(field), part.trim(), expected);
            let (status, at) =
                (part.split_once('@')).ok_or_else(|| bad(Sentence::new(Msg::CsvStatuses)))?;
            let at = parse_in(at.trim(), row.timestamp_format, row.timezone).map_err(bad)?;
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
        priority: row.text(18)?,
        messages: match row.raw(19)? {
            Some(s) => parse_messages(s, row, 19)?,
            None => Vec::new(),
        },
        fields: if lean {
            BTreeMap::new()
        } else {
            custom_fields(row)?
        },
    })
}

/// The custom fields of a row: its kept columns that are not blank.
fn custom_fields(row: &Row<'_>) -> Result<BTreeMap<String, String>> {
    let mut fields = BTreeMap::new();
    for (col, name) in row.custom {
        if row.record.range(*col).is_none() {
            continue;
        }
        let text = field_text(&row.record, row.text, *col).ok_or_else(|| Error::InvalidUtf8 {
            at: row.field_at(usize::MAX).with_field(format!("field:{name}")),
        })?;
        let text = trim(text);
        if !text.is_empty() {
            fields.insert(name.clone(), text.to_owned());
        }
    }
    Ok(fields)
}

fn feedback(row: &Row<'_>) -> Result<Feedback> {
    // Field numbers follow FEEDBACK_COLUMNS.
    let at = row.timestamp(1)?.ok_or_else(|| Error::MissingField {
        at: row.field_at(1),
    })?;
    let kind_text = row.required(6)?;
    let kind = FeedbackKind::parse(kind_text).ok_or_else(|| {
        Error::invalid(
            row.field_at(6),
            kind_text,
            Sentence::new(Msg::ExpFeedbackKind),
        )
    })?;
    let sentiment = match row.trimmed(11)? {
        None => None,
        Some(s) => Some(Sentiment::parse(s).ok_or_else(|| {
            Error::invalid(row.field_at(11), s, Sentence::new(Msg::ExpSentiment))
        })?),
    };
    let dismissed = match row.trimmed(12)? {
        None => false,
        Some(s) => parse_bool(s)
            .ok_or_else(|| Error::invalid(row.field_at(12), s, Sentence::new(Msg::ExpBool)))?,
    };
    Ok(Feedback {
        id: row.required(0)?.into(),
        at,
        kind,
        score: row.number(7, Msg::NumAny)?,
        scale: row.number(10, Msg::NumScale)?,
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

/// The feedback an interaction's row carries ([`RowFeedback`]): `None`
/// when its score (or text) is absent.
fn row_feedback(row: &Row<'_>, plan: &RowPlan, i: &Interaction) -> Result<Option<Feedback>> {
    let [score, comment, reason, at] = plan.fields;
    let score = row.number::<f64>(score, Msg::NumAny)?;
    let comment = row.text(comment)?;
    let reason = row.text(reason)?;
    let present = match plan.kind {
        FeedbackKind::Comment => comment.is_some(),
        FeedbackKind::Reason => reason.is_some(),
        _ => score.is_some(),
    };
    if !present {
        return Ok(None);
    }
    let at = row.timestamp(at)?.or(i.resolved_at).unwrap_or(i.opened_at);
    Ok(Some(Feedback {
        id: format!("{}-{}", i.id, plan.kind).into(),
        at,
        kind: plan.kind,
        score,
        scale: plan.scale,
        reason,
        comment,
        sentiment: None,
        dismissed: false,
        interaction: Some(i.id.clone()),
        stage: Some(i.stage.clone()),
        touchpoint: i.touchpoint.clone(),
        customer: i.customer.clone(),
    }))
}

impl<R: Read> CsvReader<R> {
    /// The next record, the line it starts at and its offset in bytes (the
    /// iterator's item without a [`Location`] made for every row).
    pub(crate) fn next_row(&mut self) -> Option<Result<(Record, u64, u64)>> {
        if let Some(queued) = self.maker.queued() {
            return Some(queued);
        }
        match self.rdr.next() {
            Ok(None) => None,
            Ok(Some(record)) => {
                let text = std::str::from_utf8(record.data).ok();
                Some(self.maker.make(record, text))
            }
            Err(e) => Some(Err(csv_error(e, &self.maker.file))),
        }
    }
}

impl<R: Read + Send> CsvReader<R> {
    /// Gives `each` every record in order, with its line and offset, up to
    /// the first error `each` returns.
    ///
    /// With the `parallel` feature the input is read, decoded and split into
    /// fields on a second thread, a batch of rows at a time (their bytes in
    /// one buffer), while this thread makes records of them and gives them
    /// to `each`: a record is made, taken and dropped on one thread, and
    /// only the rows' bytes cross (same records, same order, same errors).
    pub(crate) fn each(
        self,
        each: &mut dyn FnMut(Result<(Record, u64, u64)>) -> Result<()>,
    ) -> Result<()> {
        #[cfg(feature = "parallel")]
        {
            /// Rows read at a time.
            const BATCH: usize = 512;
            let CsvReader { mut rdr, mut maker } = self;
            std::thread::scope(|scope| {
                // Batches come to this thread and go back empty to be
                // filled again.
                let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
                let (back, empty) = std::sync::mpsc::channel::<Batch>();
                scope.spawn(move || {
                    loop {
                        let mut batch = empty.try_recv().unwrap_or_default();
                        let more = batch.fill(&mut rdr, BATCH);
                        // A closed channel: the taker stopped at an error.
                        if tx.send(batch).is_err() || !more {
                            return;
                        }
                    }
                });
                for mut batch in rx {
                    batch.each(&mut |record| {
                        each(match record {
                            Ok((fields, text)) => maker.make(fields, text),
                            Err(e) => Err(csv_error(e, &maker.file)),
                        })?;
                        while let Some(queued) = maker.queued() {
                            each(queued)?;
                        }
                        Ok(())
                    })?;
                    // The reader may be done already.
                    let _ = back.send(batch);
                }
                Ok(())
            })
        }
        #[cfg(not(feature = "parallel"))]
        {
            let mut rows = self;
            while let Some(row) = rows.next_row() {
                each(row)?;
            }
            Ok(())
        }
    }
}

impl Maker {
    /// A record made of the last row after its first (its feedback).
    fn queued(&mut self) -> Option<Result<(Record, u64, u64)>> {
        let (record, line, byte) = self.queue.pop_front()?;
        Some(record.map(|r| (r, line, byte)))
    }

    /// The record of a row (`text`: its bytes, if they are UTF-8), the line
    /// it starts at and its offset in bytes; the records of its feedback, if
    /// the row gives any, are queued.
    fn make<'a>(
        &mut self,
        record: Fields<'a>,
        text: Option<&'a str>,
    ) -> Result<(Record, u64, u64)> {
        let (line, byte) = (record.line, record.byte);
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
            names: &self.names,
            sources: &self.sources,
            custom: &self.custom,
            headers: &self.headers,
            file: &self.file,
            line,
            id,
            timestamp_format: &self.timestamp_format,
            decimal_comma: self.decimal_comma,
            timezone: self.timezone,
        };
        let parsed = match self.kind {
            CsvKind::Interactions => interaction(&row, self.lean).map(|i| {
                for plan in &self.row_feedback {
                    if let Some(f) = row_feedback(&row, plan, &i).transpose() {
                        self.queue.push_back((f.map(Record::Feedback), line, byte));
                    }
                }
                Record::Interaction(i)
            }),
            CsvKind::Feedback => feedback(&row).map(Record::Feedback),
        };
        parsed.map(|r| (r, line, byte))
    }
}

impl<R: Read> Iterator for CsvReader<R> {
    type Item = Result<(Record, Location)>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.next_row()?.map(|(record, line, _)| {
            let mut at = Location::file(&self.maker.file).with_line(line);
            at.record = crate::model::record_key(&record).map(str::to_owned);
            (record, at)
        }))
    }
}

fn ts(t: &Timestamp) -> String {
    crate::model::rfc3339::text(t)
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
    /// The custom fields written, as `field:<name>` columns.
    fields: Vec<String>,
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
        CsvWriter::with_fields(out, kind, &[])
    }

    /// Starts a file of `kind` whose interactions carry the custom fields
    /// `fields` ([`Interaction::fields`]), written as `field:<name>`
    /// columns after the others (read back as custom fields).
    pub fn with_fields(out: W, kind: CsvKind, fields: &[String]) -> Result<Self> {
        let mut w = csv::Writer::from_writer(out);
        let extra = fields.iter().map(|f| format!("field:{f}"));
        let header: Vec<String> = (kind.columns().iter().map(|c| c.0.to_owned()))
            .chain(extra.take(if kind == CsvKind::Interactions {
                usize::MAX
            } else {
                0
            }))
            .collect();
        w.write_record(&header).map_err(write_error)?;
        Ok(CsvWriter {
            w,
            kind,
            fields: fields.to_vec(),
        })
    }

    fn wrong_kind(&self, what: &str) -> Error {
        Error::InvalidOption {
            option: "csv.kind".into(),
            message: format!("cannot write {what} to a {:?} file", self.kind).into(),
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
            opt(r.priority.as_ref()),
            r.messages
                .iter()
                .map(|m| format!("{}@{}", m.kind.as_str(), ts(&m.at)))
                .collect::<Vec<_>>()
                .join(";"),
        ];
        if self.fields.is_empty() {
            if let Some(name) = r.fields.keys().next() {
                return Err(Error::InvalidOption {
                    option: "fields".into(),
                    message: format!(
                        "interaction {} has custom field {name:?}: start the file with \
                         CsvWriter::with_fields naming it",
                        r.id
                    )
                    .into(),
                });
            }
            return self.w.write_record(&row).map_err(write_error);
        }
        if let Some(name) = r.fields.keys().find(|k| !self.fields.contains(k)) {
            return Err(Error::InvalidOption {
                option: "fields".into(),
                message: format!(
                    "interaction {} has custom field {name:?}, which the file's header does not name",
                    r.id
                ).into(),
            });
        }
        let extra = (self.fields.iter()).map(|f| r.fields.get(f).cloned().unwrap_or_default());
        let row: Vec<String> = row.into_iter().chain(extra).collect();
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
    let mut w = CsvWriter::with_fields(out, CsvKind::Interactions, &custom_field_names(records))?;
    records.iter().try_for_each(|r| w.interaction(r))?;
    w.finish()
}

/// The custom field names of `records`, sorted: the `field:<name>` columns
/// [`CsvWriter::with_fields`] needs for them.
pub fn custom_field_names(records: &[Interaction]) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> =
        records.iter().flat_map(|r| r.fields.keys()).collect();
    names.into_iter().cloned().collect()
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
            // RFC 3339 as chrono reads it, else the exact local forms.
            let local = || {
                let naive = LOCAL_FORMATS.iter().find_map(|f| {
                    NaiveDateTime::parse_from_str(&s, f)
                        .or_else(|_| chrono::NaiveDate::parse_from_str(&s, f).map(|d| d.and_time(chrono::NaiveTime::MIN)))
                        .ok()
                })?;
                Some(naive.and_utc().fixed_offset())
            };
            let want = general(&s).or_else(|| if plain_local(&s) { local() } else { None });
            prop_assert_eq!(parse_timestamp(&s, None, crate::time::TimeZone::UTC).ok(), want);
        }

        #[test]
        fn local_forms_read_in_the_zone(
            (y, mo, d, h, mi, sec) in (1990i32..2100, 1u32..13, 1u32..29, 0u32..24, 0u32..60, 0u32..60),
            form in 0usize..6,
        ) {
            let text = match form {
                0 => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{sec:02}"),
                1 => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"),
                2 => format!("{d:02}.{mo:02}.{y:04} {h:02}:{mi:02}:{sec:02}"),
                3 => format!("{d:02}.{mo:02}.{y:04} {h:02}:{mi:02}"),
                4 => format!("{y:04}-{mo:02}-{d:02}"),
                _ => format!("{d:02}.{mo:02}.{y:04}"),
            };
            let (h, mi, sec) = match form { 4 | 5 => (0, 0, 0), 1 | 3 => (h, mi, 0), _ => (h, mi, sec) };
            let want = chrono::NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, sec).unwrap();
            let tz = crate::time::TimeZone::from_name("Asia/Tokyo").unwrap();
            let got = parse_timestamp(&text, None, tz).unwrap();
            prop_assert_eq!(got.naive_local(), want, "{}", text);
            prop_assert_eq!(got.offset().local_minus_utc(), 9 * 3600);
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
