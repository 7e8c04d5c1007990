//! The one error type of mindgap, with a stable numeric code per kind and a
//! [`Location`] that names the file, line or JSON path, record and field.

use std::fmt;

use crate::words::{Lang, Msg, Sentence, Words};

/// Where in the input an error was found. Every part is optional; the
/// [`Display`](fmt::Display) form joins the parts that are known, e.g.
/// `interactions.csv line 12, record "i-17", field "opened_at"`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// File name (as given by the caller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line in the file (for CSV: the line where the record starts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// JSON path such as `expectations[2].metric.desired`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Id of the record the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Field (or CSV column) the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The file's own column the field was read from, when its header is
    /// not the field's name (an export read with a mapping or a profile:
    /// `Created at` for `opened_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Location {
    /// A location in a file.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: Some(file.into()),
            ..Location::default()
        }
    }
    /// Sets the line.
    #[must_use]
    pub fn with_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
    /// Sets the JSON path.
    #[must_use]
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    /// Sets the record id.
    #[must_use]
    pub fn with_record(mut self, record: impl Into<String>) -> Self {
        self.record = Some(record.into());
        self
    }
    /// Sets the field.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
    /// Fills the parts of `self` that are unknown from `outer`.
    #[must_use]
    pub fn within(mut self, outer: &Location) -> Self {
        if self.file.is_none() {
            self.file.clone_from(&outer.file);
        }
        if self.line.is_none() {
            self.line = outer.line;
        }
        if self.path.is_none() {
            self.path.clone_from(&outer.path);
        }
        if self.record.is_none() {
            self.record.clone_from(&outer.record);
        }
        if self.field.is_none() {
            self.field.clone_from(&outer.field);
        }
        self
    }
    fn is_empty(&self) -> bool {
        self == &Location::default()
    }
}

impl Location {
    /// The location in `lang`: `interactions.csv line 12, record "i-17"`,
    /// `interactions.csv, строка 12, запись "i-17"`. The file, path, record
    /// and field are the data's and stay as they are.
    ///
    /// ```
    /// use mindgap::{Lang, Location};
    /// let at = Location::file("interactions.csv").with_line(12).with_record("i-17");
    /// assert_eq!(at.text(Lang::Ru), "interactions.csv, строка 12, запись \"i-17\"");
    /// assert_eq!(at.text(Lang::En), at.to_string());
    /// ```
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.write(lang.words(), &mut out);
        out
    }

    pub(crate) fn write(&self, w: &Words, out: &mut String) {
        self.said().write(w, out);
    }

    /// The location as a [`Sentence`] of the catalogue: the file, then the
    /// line, path, record and field, then the column.
    pub(crate) fn said(&self) -> Sentence {
        let mut parts: Vec<Sentence> = Vec::new();
        if let Some(line) = self.line {
            parts.push(Sentence::new(Msg::LocLine).value("line", line));
        }
        if let Some(path) = &self.path {
            parts.push(Sentence::new(Msg::LocPath).value("path", path));
        }
        if let Some(record) = &self.record {
            parts.push(Sentence::new(Msg::LocRecord).quoted("record", record));
        }
        if let Some(field) = &self.field {
            parts.push(Sentence::new(Msg::LocField).quoted("field", field));
        }
        let head = match (&self.file, parts.is_empty()) {
            (Some(file), false) => Sentence::new(Msg::LocFile)
                .value("file", file)
                .list("parts", parts),
            (Some(file), true) => Sentence::verbatim(file.clone()),
            (None, _) => Sentence::new(Msg::LocParts).list("parts", parts),
        };
        let column = match (&self.field, &self.column) {
            (Some(_), Some(column)) => Sentence::new(Msg::LocColumn).quoted("column", column),
            _ => Sentence::verbatim(""),
        };
        Sentence::new(Msg::Three)
            .with("a", head)
            .with("b", column)
            .value("c", "")
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Everything that can go wrong in mindgap.
///
/// Each variant has a stable numeric [`code`](Error::code), shared by the C and
/// JavaScript faces; codes are never reused. Messages say what was wrong, where
/// (file, line or JSON path, record, field) and what was expected.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    Io {
        /// Where.
        at: Location,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The text is not well-formed JSON, CSV or JSON Lines.
    Syntax {
        /// Where.
        at: Location,
        /// What the parser said.
        message: Sentence,
    },
    /// The `schema` field names a version this library does not know.
    UnknownSchema {
        /// Where.
        at: Location,
        /// The schema found.
        found: String,
        /// The schema understood.
        expected: &'static str,
    },
    /// Required CSV columns are missing from the header.
    MissingColumns {
        /// Where.
        at: Location,
        /// Every missing column, in the order they are expected.
        missing: Vec<String>,
        /// What may read the file (`; the header looks like a zendesk
        /// export: …`), or empty.
        hint: Sentence,
    },
    /// The input is not valid UTF-8.
    InvalidUtf8 {
        /// Where.
        at: Location,
    },
    /// A value could not be parsed or is out of its range.
    InvalidValue {
        /// Where (the field is set).
        at: Location,
        /// The offending value as text.
        value: String,
        /// What was expected instead.
        expected: Sentence,
    },
    /// A required field is absent or empty.
    MissingField {
        /// Where (the field is set).
        at: Location,
    },
    /// A field the format does not know (typos are caught here).
    UnknownField {
        /// Where.
        at: Location,
        /// The unknown field.
        field: String,
        /// The fields that are known here.
        expected: String,
    },
    /// A reference to a stage, touchpoint, calendar, expectation… that does not exist.
    UnknownReference {
        /// Where.
        at: Location,
        /// What kind of thing was referenced (`stage`, `touchpoint`, …).
        kind: &'static str,
        /// The id that was not found.
        id: String,
    },
    /// Two records of the same kind share an id.
    Duplicate {
        /// Where the second one is.
        at: Location,
        /// Kind of record.
        kind: &'static str,
        /// The id.
        id: String,
        /// Where the first one is.
        first: Location,
    },
    /// The desired level of a zone of tolerance is worse than its adequate level.
    InvertedZone {
        /// Where.
        at: Location,
        /// Desired level as text.
        desired: String,
        /// Adequate level as text.
        adequate: String,
        /// `lower` or `higher`.
        direction: &'static str,
    },
    /// Timestamps out of order, e.g. a reply before the interaction was opened.
    OutOfOrder {
        /// Where.
        at: Location,
        /// What is out of order.
        message: Sentence,
    },
    /// A business calendar that cannot work (overlapping hours, an empty week…).
    Calendar {
        /// Where.
        at: Location,
        /// What is wrong.
        message: Sentence,
    },
    /// Options passed by the caller are invalid.
    InvalidOption {
        /// The option.
        option: String,
        /// What is wrong.
        message: Sentence,
    },
    /// A value does not fit the schema (wrong type, unparseable timestamp or
    /// duration, unknown enum name…); the message is the parser's.
    Mismatch {
        /// Where.
        at: Location,
        /// What the parser expected and found.
        message: Sentence,
    },
    /// A fault of mindgap itself, not of the input or the options (a worker
    /// thread that stopped, a state that cannot happen): please report it.
    Internal {
        /// What went wrong.
        message: Sentence,
    },
    /// Several errors, in lenient mode or when validation collects them all.
    Many {
        /// All of them, in input order.
        errors: Vec<Error>,
    },
}

impl Error {
    /// The message in `lang`: the same sentence as the English
    /// [`Display`](fmt::Display), from the language's catalogue; the values
    /// of the data (file names, ids, fields, the offending value) are not
    /// translated, and a parser's or the system's own text is kept as it is.
    ///
    /// ```
    /// use mindgap::{Error, Lang, Location};
    /// let e = Error::MissingField { at: Location::file("interactions.csv").with_line(3).with_field("id") };
    /// assert_eq!(e.to_string(), "interactions.csv line 3, field \"id\": missing required field");
    /// assert_eq!(e.message_in(Lang::Ru), "interactions.csv, строка 3, поле \"id\": не заполнено обязательное поле");
    /// ```
    pub fn message_in(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.write(lang.words(), &mut out);
        out
    }

    fn write(&self, w: &Words, out: &mut String) {
        self.sentence().write(w, out);
    }

    /// The message as a [`Sentence`] of the catalogue: the location, then
    /// what is wrong (for a message that quotes another error).
    pub fn sentence(&self) -> Sentence {
        let said = match self {
            Error::Io { source, .. } => Sentence::verbatim(source.to_string()),
            Error::Syntax { message, .. } => {
                Sentence::new(Msg::ErrSyntax).with("message", message.clone())
            }
            Error::UnknownSchema {
                found, expected, ..
            } => Sentence::new(Msg::ErrUnknownSchema)
                .quoted("found", found)
                .quoted("expected", expected),
            Error::MissingColumns { missing, hint, .. } => Sentence::new(Msg::ErrMissingColumns)
                .value("missing", missing.join(", "))
                .with("hint", hint.clone()),
            Error::InvalidUtf8 { .. } => Sentence::new(Msg::ErrInvalidUtf8),
            Error::InvalidValue {
                value, expected, ..
            } => Sentence::new(Msg::ErrInvalidValue)
                .quoted("value", value)
                .with("expected", expected.clone()),
            Error::MissingField { .. } => Sentence::new(Msg::ErrMissingField),
            Error::UnknownField {
                field, expected, ..
            } => Sentence::new(Msg::ErrUnknownField)
                .quoted("field", field)
                .value("expected", expected),
            Error::UnknownReference { kind, id, .. } => Sentence::new(Msg::ErrUnknownReference)
                .with("kind", record_kind(kind))
                .quoted("id", id),
            Error::Duplicate {
                kind, id, first, ..
            } => Sentence::new(Msg::ErrDuplicate)
                .with("kind", record_kind(kind))
                .quoted("id", id)
                .with("first", first.said()),
            Error::InvertedZone {
                desired,
                adequate,
                direction,
                ..
            } => Sentence::new(Msg::ErrInvertedZone)
                .value("desired", desired)
                .value("adequate", adequate)
                .with(
                    "direction",
                    match *direction {
                        "lower" => Sentence::new(Msg::Lower),
                        "higher" => Sentence::new(Msg::Higher),
                        other => Sentence::verbatim(other),
                    },
                ),
            Error::OutOfOrder { message, .. } | Error::Mismatch { message, .. } => message.clone(),
            Error::Calendar { message, .. } => {
                Sentence::new(Msg::ErrCalendar).with("message", message.clone())
            }
            Error::InvalidOption { option, message } => Sentence::new(Msg::ErrInvalidOption)
                .quoted("option", option)
                .with("message", message.clone()),
            Error::Internal { message } => {
                Sentence::new(Msg::ErrInternal).with("message", message.clone())
            }
            Error::Many { errors } => Sentence::new(Msg::ErrMany)
                .count("n", errors.len() as u64)
                .with(
                    "first",
                    errors
                        .first()
                        .map_or_else(|| Sentence::verbatim(""), Error::sentence),
                ),
        };
        match self.location().filter(|at| !at.is_empty()) {
            Some(at) => Sentence::new(Msg::LocPrefix)
                .with("at", at.said())
                .with("message", said),
            None => said,
        }
    }
}

/// The word of a kind of record an [`Error::UnknownReference`] or an
/// [`Error::Duplicate`] names (a kind not in the catalogue is printed as
/// it is).
fn record_kind(kind: &str) -> Sentence {
    let key = match kind {
        "stage" => Msg::KindStage,
        "touchpoint" => Msg::KindTouchpoint,
        "calendar" => Msg::KindCalendar,
        "holiday list" => Msg::KindHolidayList,
        "customer" => Msg::KindCustomer,
        "expectation" => Msg::KindExpectation,
        "expectation record" => Msg::KindExpectationRecord,
        "interaction" => Msg::KindInteraction,
        "feedback" => Msg::KindFeedback,
        "observation" => Msg::KindObservation,
        "follow-up" | "follow_up" => Msg::KindFollowUp,
        "profile" => Msg::KindProfile,
        "record" => Msg::KindRecord,
        other => return Sentence::verbatim(other),
    };
    Sentence::new(key)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_in(Lang::En))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// One kind of [`Error`]: its stable code, its name in JSON and what it means.
///
/// [`ERROR_CODES`] is the one table of them; the C header's `mg_status`
/// values 10 and up and the TypeScript `ErrorKind` type are checked against
/// it by their test suites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ErrorCode {
    /// [`Error::code`]: the C status and the JavaScript `error.code`.
    pub code: u32,
    /// [`Error::kind`]: the `kind` of the JSON error report.
    pub kind: &'static str,
    /// What it means, in a line.
    pub summary: &'static str,
}

/// Every kind of [`Error`], by code. Codes are never reused.
///
/// ```
/// let e = mindgap::Error::internal("x");
/// let k = mindgap::ERROR_CODES.iter().find(|k| k.code == e.code()).unwrap();
/// assert_eq!(k.kind, e.kind());
/// ```
pub const ERROR_CODES: &[ErrorCode] = &[
    kind(10, "io", "reading failed"),
    kind(11, "syntax", "malformed JSON, CSV or JSON Lines"),
    kind(12, "unknown_schema", "unknown diary schema version"),
    kind(13, "missing_columns", "required CSV columns are missing"),
    kind(14, "invalid_utf8", "input data is not valid UTF-8"),
    kind(
        15,
        "invalid_value",
        "a value could not be parsed or is out of its range",
    ),
    kind(16, "missing_field", "a required field is absent or empty"),
    kind(17, "unknown_field", "a field the format does not know"),
    kind(
        18,
        "unknown_reference",
        "a reference to a record that does not exist",
    ),
    kind(19, "duplicate", "two records of one kind share an id"),
    kind(20, "inverted_zone", "desired level worse than adequate"),
    kind(21, "out_of_order", "timestamps out of order"),
    kind(22, "calendar", "a business calendar that cannot work"),
    kind(
        23,
        "invalid_option",
        "invalid options or unknown analysis name",
    ),
    kind(24, "many", "several errors"),
    kind(25, "mismatch", "a value does not fit the schema"),
    kind(
        26,
        "internal",
        "a fault of mindgap itself (a bug: please report it)",
    ),
];

const fn kind(code: u32, kind: &'static str, summary: &'static str) -> ErrorCode {
    ErrorCode {
        code,
        kind,
        summary,
    }
}

impl Error {
    /// The stable numeric code of this kind of error (the C status code and the
    /// JavaScript `error.code`). Codes are never reused.
    ///
    /// ```
    /// let e = mindgap::diary_from_json(br#"{"schema": "mindgap/1", "name": "S", "timezone": "UTC",
    ///   "stages": [{"id": "s", "name": "S"}],
    ///   "feedback": [{"id": "f1", "at": "2026-05-04T10:00:00Z", "kind": "nps", "score": 11, "stage": "s"}]}"#)
    ///     .unwrap_err();
    /// assert_eq!(e.code(), 15); // invalid_value: an NPS score of 11
    /// let listed = mindgap::ERROR_CODES.iter().find(|k| k.code == e.code());
    /// assert_eq!(listed.map(|k| k.summary), Some("a value could not be parsed or is out of its range"));
    /// ```
    pub fn code(&self) -> u32 {
        match self {
            Error::Io { .. } => 10,
            Error::Syntax { .. } => 11,
            Error::UnknownSchema { .. } => 12,
            Error::MissingColumns { .. } => 13,
            Error::InvalidUtf8 { .. } => 14,
            Error::InvalidValue { .. } => 15,
            Error::MissingField { .. } => 16,
            Error::UnknownField { .. } => 17,
            Error::UnknownReference { .. } => 18,
            Error::Duplicate { .. } => 19,
            Error::InvertedZone { .. } => 20,
            Error::OutOfOrder { .. } => 21,
            Error::Calendar { .. } => 22,
            Error::InvalidOption { .. } => 23,
            Error::Many { .. } => 24,
            Error::Mismatch { .. } => 25,
            Error::Internal { .. } => 26,
        }
    }

    /// A short stable name of the kind (`"invalid_value"`, …), for JSON output.
    ///
    /// ```
    /// let e = mindgap::api::Request::parse("reprot", "").unwrap_err();
    /// assert_eq!(e.kind(), "invalid_option");
    /// let csv = "id,channel\ni1,chat\n";
    /// let mut loader = mindgap::Loader::new(mindgap::sample::definitions(), Default::default())?;
    /// assert_eq!(loader.read_csv(csv.as_bytes(), "x.csv").unwrap_err().kind(), "missing_columns");
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Syntax { .. } => "syntax",
            Error::UnknownSchema { .. } => "unknown_schema",
            Error::MissingColumns { .. } => "missing_columns",
            Error::InvalidUtf8 { .. } => "invalid_utf8",
            Error::InvalidValue { .. } => "invalid_value",
            Error::MissingField { .. } => "missing_field",
            Error::UnknownField { .. } => "unknown_field",
            Error::UnknownReference { .. } => "unknown_reference",
            Error::Duplicate { .. } => "duplicate",
            Error::InvertedZone { .. } => "inverted_zone",
            Error::OutOfOrder { .. } => "out_of_order",
            Error::Calendar { .. } => "calendar",
            Error::InvalidOption { .. } => "invalid_option",
            Error::Many { .. } => "many",
            Error::Mismatch { .. } => "mismatch",
            Error::Internal { .. } => "internal",
        }
    }

    /// Where the error is, when it is about a place in the input.
    ///
    /// ```
    /// let e = mindgap::diary_from_json(br#"{"schema": "mindgap/1", "name": "S", "timezone": "UTC",
    ///   "stages": [{"id": "s", "name": "S"}],
    ///   "feedback": [{"id": "f1", "at": "2026-05-04T10:00:00Z", "kind": "nps", "score": 11, "stage": "s"}]}"#)
    ///     .unwrap_err();
    /// let at = e.location().unwrap();
    /// assert_eq!((at.file.as_deref(), at.line), (Some("diary.json"), Some(3)));
    /// assert_eq!((at.path.as_deref(), at.record.as_deref()), (Some("feedback[0]"), Some("f1")));
    /// assert_eq!(at.field.as_deref(), Some("score"));
    /// // An error about options is about no place in the input.
    /// assert_eq!(mindgap::api::Request::parse("reprot", "").unwrap_err().location(), None);
    /// ```
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Io { at, .. }
            | Error::Syntax { at, .. }
            | Error::UnknownSchema { at, .. }
            | Error::MissingColumns { at, .. }
            | Error::InvalidUtf8 { at }
            | Error::InvalidValue { at, .. }
            | Error::MissingField { at }
            | Error::UnknownField { at, .. }
            | Error::UnknownReference { at, .. }
            | Error::Duplicate { at, .. }
            | Error::InvertedZone { at, .. }
            | Error::OutOfOrder { at, .. }
            | Error::Calendar { at, .. }
            | Error::Mismatch { at, .. } => Some(at),
            Error::InvalidOption { .. } | Error::Internal { .. } | Error::Many { .. } => None,
        }
    }

    /// Completes the location of this error with the parts known by the caller
    /// (file, line, record) that the error itself did not know.
    #[must_use]
    pub fn within(mut self, outer: &Location) -> Self {
        match &mut self {
            Error::Io { at, .. }
            | Error::Syntax { at, .. }
            | Error::UnknownSchema { at, .. }
            | Error::MissingColumns { at, .. }
            | Error::InvalidUtf8 { at }
            | Error::InvalidValue { at, .. }
            | Error::MissingField { at }
            | Error::UnknownField { at, .. }
            | Error::UnknownReference { at, .. }
            | Error::Duplicate { at, .. }
            | Error::InvertedZone { at, .. }
            | Error::OutOfOrder { at, .. }
            | Error::Calendar { at, .. }
            | Error::Mismatch { at, .. } => *at = std::mem::take(at).within(outer),
            Error::InvalidOption { .. } | Error::Internal { .. } => {}
            Error::Many { errors } => {
                for e in errors.iter_mut() {
                    *e = std::mem::replace(e, Error::Many { errors: Vec::new() }).within(outer);
                }
            }
        }
        self
    }

    /// Builds an [`Error::Internal`]: the detail is for mindgap's developers
    /// and stays as written in every language.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: Sentence::verbatim(message),
        }
    }

    /// Builds an [`Error::InvalidValue`]; `expected` is a [`Sentence`] of the
    /// catalogue, or a caller's own text (kept as it is).
    pub fn invalid(at: Location, value: impl Into<String>, expected: impl Into<Sentence>) -> Self {
        let value = value.into();
        Error::InvalidValue {
            at,
            value: if value.len() > EXCERPT {
                excerpt_text(&value)
            } else {
                value
            },
            expected: expected.into(),
        }
    }

    /// A plain-data view of this error, for JSON output (CLI, C, JS).
    ///
    /// ```
    /// let e = mindgap::diary_from_json(br#"{"schema": "mindgap/1", "name": "S", "timezone": "UTC",
    ///   "stages": [{"id": "s", "name": "S"}],
    ///   "feedback": [{"id": "f1", "at": "2026-05-04T10:00:00Z", "kind": "nps", "score": 11, "stage": "s"}]}"#)
    ///     .unwrap_err();
    /// let report = e.to_report();
    /// assert_eq!((report.code, report.kind), (15, "invalid_value"));
    /// assert_eq!(report.message, e.to_string());
    /// assert_eq!(Some(&report.location), e.location());
    /// assert!(mindgap::api::to_json(&report).contains(r#""record": "f1""#));
    /// ```
    pub fn to_report(&self) -> ErrorReport {
        self.to_report_in(Lang::En)
    }

    /// [`to_report`](Error::to_report) with the message in `lang` (the
    /// code, kind and location are the same in every language).
    ///
    /// ```
    /// use mindgap::{Error, Lang, Location};
    /// let e = Error::MissingField { at: Location::file("f.csv").with_line(2) };
    /// let report = e.to_report_in(Lang::Ru);
    /// assert_eq!((report.code, report.message.as_str()), (16, "f.csv, строка 2: не заполнено обязательное поле"));
    /// ```
    pub fn to_report_in(&self, lang: Lang) -> ErrorReport {
        ErrorReport {
            code: self.code(),
            kind: self.kind(),
            message: self.message_in(lang),
            location: self.location().cloned().unwrap_or_default(),
        }
    }
}

/// An error as plain data: what the CLI, C and JavaScript faces print as JSON.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ErrorReport {
    /// [`Error::code`].
    pub code: u32,
    /// [`Error::kind`].
    pub kind: &'static str,
    /// The full message, location included.
    pub message: String,
    /// The location, with unknown parts left out.
    pub location: Location,
}

/// `Result` with mindgap's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How much of an input an error message repeats.
const EXCERPT: usize = 120;

/// The first [`EXCERPT`] bytes of `text` (at a character boundary) and how
/// long it was: an error names a 100 MB value without repeating it.
fn excerpt_text(text: &str) -> String {
    let mut end = EXCERPT.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}… ({} bytes)",
        text.get(..end).unwrap_or_default(),
        text.len()
    )
}

/// `text` quoted for a message, cut to its first 120 bytes when longer.
///
/// ```
/// let long = "x".repeat(1_000_000);
/// let said = mindgap::excerpt(&long);
/// assert!(said.len() < 200 && said.ends_with("(1000000 bytes)"));
/// assert_eq!(mindgap::excerpt("[0.9]"), "\"[0.9]\"");
/// ```
pub fn excerpt(text: &str) -> String {
    if text.len() > EXCERPT {
        let cut = excerpt_text(text);
        let (head, tail) = cut.rsplit_once("… ").unwrap_or((&cut, ""));
        format!("{head:?}… {tail}")
    } else {
        format!("{text:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of every kind (a new variant fails to compile here until
    /// it is added, and then fails the table test until it is in the table).
    fn one_of_each() -> Vec<Error> {
        let at = Location::default;
        let text = String::new;
        let all = vec![
            Error::Io {
                at: at(),
                source: std::io::Error::other("x"),
            },
            Error::Syntax {
                at: at(),
                message: text().into(),
            },
            Error::UnknownSchema {
                at: at(),
                found: text(),
                expected: "",
            },
            Error::MissingColumns {
                at: at(),
                missing: Vec::new(),
                hint: Sentence::verbatim(""),
            },
            Error::InvalidUtf8 { at: at() },
            Error::invalid(at(), "", ""),
            Error::MissingField { at: at() },
            Error::UnknownField {
                at: at(),
                field: text(),
                expected: text(),
            },
            Error::UnknownReference {
                at: at(),
                kind: "",
                id: text(),
            },
            Error::Duplicate {
                at: at(),
                kind: "",
                id: text(),
                first: at(),
            },
            Error::InvertedZone {
                at: at(),
                desired: text(),
                adequate: text(),
                direction: "",
            },
            Error::OutOfOrder {
                at: at(),
                message: text().into(),
            },
            Error::Calendar {
                at: at(),
                message: text().into(),
            },
            Error::InvalidOption {
                option: text(),
                message: text().into(),
            },
            Error::Many { errors: Vec::new() },
            Error::Mismatch {
                at: at(),
                message: text().into(),
            },
            Error::internal(""),
        ];
        for e in &all {
            match e {
                Error::Io { .. }
                | Error::Syntax { .. }
                | Error::UnknownSchema { .. }
                | Error::MissingColumns { .. }
                | Error::InvalidUtf8 { .. }
                | Error::InvalidValue { .. }
                | Error::MissingField { .. }
                | Error::UnknownField { .. }
                | Error::UnknownReference { .. }
                | Error::Duplicate { .. }
                | Error::InvertedZone { .. }
                | Error::OutOfOrder { .. }
                | Error::Calendar { .. }
                | Error::InvalidOption { .. }
                | Error::Many { .. }
                | Error::Mismatch { .. }
                | Error::Internal { .. } => {}
            }
        }
        all
    }

    #[test]
    fn the_table_names_every_kind_once() {
        let all = one_of_each();
        assert_eq!(all.len(), ERROR_CODES.len());
        for (e, k) in all.iter().zip(ERROR_CODES) {
            assert_eq!((e.code(), e.kind()), (k.code, k.kind));
        }
        assert!(
            ERROR_CODES.windows(2).all(|w| w[0].code < w[1].code),
            "codes ascend, none reused"
        );
    }

    #[test]
    fn message_names_every_part_of_the_location() {
        let e = Error::invalid(
            Location::file("interactions.csv")
                .with_line(12)
                .with_record("i-17")
                .with_field("opened_at"),
            "yesterday",
            "an RFC 3339 timestamp",
        );
        assert_eq!(
            e.to_string(),
            "interactions.csv line 12, record \"i-17\", field \"opened_at\": invalid value \"yesterday\": expected an RFC 3339 timestamp"
        );
        assert_eq!(e.code(), 15);
    }

    #[test]
    fn errors_and_locations_read_in_russian() {
        let at = Location::file("tickets.csv")
            .with_line(43)
            .with_record("9999")
            .with_field("opened_at");
        let mut at_column = at.clone();
        at_column.column = Some("Дата создания".into());
        let e = Error::MissingField { at: at_column };
        assert_eq!(
            e.message_in(Lang::Ru),
            "tickets.csv, строка 43, запись \"9999\", поле \"opened_at\" (столбец \"Дата \
             создания\"): не заполнено обязательное поле"
        );
        let first = Location::file("tickets.csv").with_line(2);
        let dup = Error::Duplicate {
            at: at.clone(),
            kind: "interaction",
            id: "i1".into(),
            first,
        };
        assert_eq!(
            dup.message_in(Lang::Ru),
            "tickets.csv, строка 43, запись \"9999\", поле \"opened_at\": обращение: id \"i1\" \
             уже встречался (tickets.csv, строка 2)"
        );
        let zone = Error::InvertedZone {
            at: Location::default().with_path("expectations[0]"),
            desired: "P5D".into(),
            adequate: "P3D".into(),
            direction: "lower",
        };
        assert_eq!(
            zone.message_in(Lang::Ru),
            "путь expectations[0]: желаемый уровень P5D хуже допустимого P3D (чем меньше, тем лучше)"
        );
        let many = Error::Many {
            errors: vec![dup, zone],
        };
        assert!(
            many.message_in(Lang::Ru)
                .starts_with("2 ошибки; первая: tickets.csv, строка 43")
        );
        // English stays the Display, byte for byte.
        for e in one_of_each() {
            assert_eq!(e.message_in(Lang::En), e.to_string());
        }
    }

    #[test]
    fn within_fills_only_unknown_parts() {
        let e = Error::MissingField {
            at: Location::default().with_field("id"),
        }
        .within(&Location::file("f.csv").with_line(3).with_field("other"));
        assert_eq!(
            e.to_string(),
            "f.csv line 3, field \"id\": missing required field"
        );
    }
}
