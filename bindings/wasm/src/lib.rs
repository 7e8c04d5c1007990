//! mindgap for JavaScript and TypeScript: the npm package `mindgap`.
//!
//! This crate only translates. Inputs (diaries, records, options) arrive as
//! plain JS objects, JSON text or bytes and go to the core as JSON text, so
//! that every error is the core's own, with its code and exact message; every
//! result is the core's canonical JSON ([`mindgap::api::to_json`]) parsed into
//! plain JS objects, so the JS face returns what the CLI and the C library
//! print. Analyses go through [`mindgap::api::run`] by name: a new analysis in
//! the core works through [`run`] at once, and a named wrapper is one line.
//!
//! Errors are thrown as real `Error` objects with `name = "MindgapError"`,
//! `code` (the core's stable [`mindgap::Error::code`]), `kind` and `location`.

#[cfg(target_arch = "wasm32")]
mod zones;
#[cfg(target_arch = "wasm32")]
pub use zones::install as install_zones;

/// Installs the runtime's time zones when the module loads.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(start)]
fn start() {
    zones::install();
    // MindgapError.prototype inherits from Error.prototype from the start
    // (`MindgapError.prototype instanceof Error` before any error).
    error_prototype();
}

use js_sys::{JSON, Object, Reflect, Uint8Array};
#[cfg(feature = "full")]
use mindgap::CsvOptions;
use mindgap::api;
#[cfg(feature = "full")]
use mindgap::api::{Format, Source, ValidationReport};
use mindgap::{Error, Journal, Mode, ReadOptions};
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The TypeScript types of every input and result (hand-written, checked
/// against the Rust JSON by the tests), emitted into the generated `.d.ts`.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// A diary: a plain object, its JSON text, or its bytes.
    #[wasm_bindgen(typescript_type = "DiaryInput")]
    #[derive(Debug, Clone)]
    pub type DiaryInput;
    /// The diary as plain data (schema `mindgap/1`).
    #[wasm_bindgen(typescript_type = "DiaryData")]
    #[derive(Debug, Clone)]
    pub type DiaryData;
    /// Record files beside the diary.
    #[wasm_bindgen(typescript_type = "FileInput[]")]
    #[derive(Debug, Clone)]
    pub type FileInputs;
    /// CSV or JSON Lines text, or its bytes.
    #[wasm_bindgen(typescript_type = "string | Uint8Array")]
    #[derive(Debug, Clone)]
    pub type TextInput;
    /// Options of `validate` and of the `Diary` constructor.
    #[wasm_bindgen(typescript_type = "LoadOptions")]
    #[derive(Debug, Clone)]
    pub type LoadOptionsInput;
    /// Options of `parseCsv`.
    #[wasm_bindgen(typescript_type = "ParseCsvOptions")]
    #[derive(Debug, Clone)]
    pub type ParseCsvOptionsInput;
    /// The result of `parseCsv`.
    #[wasm_bindgen(typescript_type = "ParsedCsv")]
    #[derive(Debug, Clone)]
    pub type ParsedCsv;
    /// Report options.
    #[wasm_bindgen(typescript_type = "ReportOptions")]
    #[derive(Debug, Clone)]
    pub type ReportOptionsInput;
    /// The gap report.
    #[wasm_bindgen(typescript_type = "Report")]
    #[derive(Debug, Clone)]
    pub type ReportOutput;
    /// The charts of a report.
    #[wasm_bindgen(typescript_type = "Charts")]
    #[derive(Debug, Clone)]
    pub type ChartsOutput;
    /// The validation report.
    #[wasm_bindgen(typescript_type = "ValidationReport")]
    #[derive(Debug, Clone)]
    pub type ValidationOutput;
    /// Options of an analysis run by name.
    #[wasm_bindgen(typescript_type = "Record<string, unknown>")]
    #[derive(Debug, Clone)]
    pub type AnyOptions;
    /// The result of an analysis run by name.
    #[wasm_bindgen(typescript_type = "unknown")]
    #[derive(Debug, Clone)]
    pub type AnyOutput;
    /// An interaction to add.
    #[wasm_bindgen(typescript_type = "InteractionInput")]
    #[derive(Debug, Clone)]
    pub type InteractionInput;
    /// A feedback record to add.
    #[wasm_bindgen(typescript_type = "FeedbackInput")]
    #[derive(Debug, Clone)]
    pub type FeedbackInput;
    /// A record of any type to add.
    #[wasm_bindgen(typescript_type = "RecordInput")]
    #[derive(Debug, Clone)]
    pub type RecordInput;
    /// Record counts.
    #[wasm_bindgen(typescript_type = "Counts")]
    #[derive(Debug, Clone)]
    pub type CountsOutput;
    /// The names of the analyses.
    #[wasm_bindgen(typescript_type = "AnalysisName[]")]
    #[derive(Debug, Clone)]
    pub type AnalysisNames;
    /// Trend options.
    #[wasm_bindgen(typescript_type = "TrendOptions")]
    #[derive(Debug, Clone)]
    pub type TrendOptionsInput;
    /// The trend report.
    #[wasm_bindgen(typescript_type = "TrendReport")]
    #[derive(Debug, Clone)]
    pub type TrendOutput;
    /// Follow-up list options.
    #[wasm_bindgen(typescript_type = "FollowUpOptions")]
    #[derive(Debug, Clone)]
    pub type FollowUpOptionsInput;
    /// The follow-up list.
    #[wasm_bindgen(typescript_type = "FollowUpList")]
    #[derive(Debug, Clone)]
    pub type FollowUpOutput;
    /// A number argument (checked here, not by the glue).
    #[wasm_bindgen(typescript_type = "number")]
    #[derive(Debug, Clone)]
    pub type NumberArg;
    /// A text argument (checked here, not by the glue).
    #[wasm_bindgen(typescript_type = "string")]
    #[derive(Debug, Clone)]
    pub type StringArg;
    /// An analysis name (checked here, not by the glue).
    #[wasm_bindgen(typescript_type = "AnalysisName")]
    #[derive(Debug, Clone)]
    pub type AnalysisArg;
    /// Breach queue options.
    #[wasm_bindgen(typescript_type = "DueOptions")]
    #[derive(Debug, Clone)]
    pub type DueOptionsInput;
    /// The breach queue.
    #[wasm_bindgen(typescript_type = "DueList")]
    #[derive(Debug, Clone)]
    pub type DueOutput;
    /// Drill-down options.
    #[wasm_bindgen(typescript_type = "DrillOptions")]
    #[derive(Debug, Clone)]
    pub type DrillOptionsInput;
    /// A drill-down.
    #[wasm_bindgen(typescript_type = "Drill")]
    #[derive(Debug, Clone)]
    pub type DrillOutput;
    /// People ranking options.
    #[wasm_bindgen(typescript_type = "PeopleOptions")]
    #[derive(Debug, Clone)]
    pub type PeopleOptionsInput;
    /// The people ranking.
    #[wasm_bindgen(typescript_type = "People")]
    #[derive(Debug, Clone)]
    pub type PeopleOutput;
    /// Problems options.
    #[wasm_bindgen(typescript_type = "ProblemOptions")]
    #[derive(Debug, Clone)]
    pub type ProblemOptionsInput;
    /// Recurring problems and reasons × gap.
    #[wasm_bindgen(typescript_type = "Problems")]
    #[derive(Debug, Clone)]
    pub type ProblemsOutput;
}

/// The diary file name used in messages when none is given.
const DIARY_NAME: &str = "diary.json";

// ---------------------------------------------------------------------------
// Translation helpers

/// The class of everything the package throws, exported as `MindgapError`
/// so that `err instanceof MindgapError` works. The thrown values are real
/// `Error` objects (with a stack) whose prototype is this class's; the
/// class's prototype in turn inherits from `Error.prototype` (set up once,
/// at the first error). It holds nothing: it is not meant to be built
/// from JavaScript.
#[wasm_bindgen(js_name = MindgapError, skip_typescript)]
#[derive(Debug)]
pub struct MindgapErrorClass {}

thread_local! {
    /// `MindgapError.prototype`, made to inherit from `Error.prototype`.
    static ERROR_PROTOTYPE: std::cell::OnceCell<Object> = const { std::cell::OnceCell::new() };
}

/// `MindgapError.prototype`, set up at the first error: it inherits from
/// `Error.prototype`, is named `MindgapError`, and loses the `free` and
/// `Symbol.dispose` methods every exported class gets (an error holds no
/// Rust memory).
fn error_prototype() -> Object {
    ERROR_PROTOTYPE.with(|p| {
        p.get_or_init(|| {
            // An instance made once to reach the class's prototype; it holds
            // nothing (the registry of the glue frees its empty box).
            let probe: JsValue = MindgapErrorClass {}.into();
            let proto = Object::get_prototype_of(&probe);
            let error = Object::get_prototype_of(&js_sys::Error::new("").into());
            Object::set_prototype_of(&proto, &error);
            // Setting and deleting on a plain prototype object cannot fail.
            let _ = Reflect::set(&proto, &"name".into(), &"MindgapError".into());
            let _ = Reflect::delete_property(&proto, &"free".into());
            let _ = Reflect::delete_property(&proto, &js_sys::Symbol::dispose().into());
            proto
        })
        .clone()
    })
}

/// The core error as a thrown `MindgapError` (a real `Error`) with `code`,
/// `kind` and `location`. An argument error names the argument as the
/// location's `field`.
fn js_error(e: &Error) -> JsValue {
    let mut report = e.to_report();
    if let Error::InvalidOption { option, .. } = e {
        if report.location.field.is_none() {
            report.location.field = Some(option.clone());
        }
    }
    let err = js_sys::Error::new(&report.message);
    Object::set_prototype_of(&err, &error_prototype());
    err.set_name("MindgapError");
    let location = JSON::parse(&api::to_json(&report.location)).unwrap_or(JsValue::NULL);
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&err, &"code".into(), &report.code.into());
    let _ = Reflect::set(&err, &"kind".into(), &report.kind.into());
    let _ = Reflect::set(&err, &"location".into(), &location);
    err.into()
}

/// A caller mistake in the arguments, as the core's invalid-option error.
fn usage(option: &str, message: impl Into<String>) -> Error {
    Error::InvalidOption {
        option: option.to_owned(),
        message: mindgap::text::Sentence::verbatim(message),
    }
}

/// A message for a JS exception value.
fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "not representable as JSON".to_owned())
}

/// `JSON.stringify(value)` as Rust text. An invalid `Date` (which
/// `JSON.stringify` writes as `null`, so the value would be silently left
/// out) is refused, naming where it is.
fn stringify(value: &JsValue, what: &str) -> Result<String, Error> {
    check_dates(value, what, 0)?;
    JSON::stringify(value)
        .map(String::from)
        .map_err(|e| usage(what, describe(&e)))
}

/// Refuses an invalid `Date` anywhere in `value` (to a depth of 8: options
/// and records are shallow; a deeper or cyclic object is JSON's to refuse).
fn check_dates(value: &JsValue, path: &str, depth: usize) -> Result<(), Error> {
    if let Some(d) = value.dyn_ref::<js_sys::Date>() {
        if d.get_time().is_nan() {
            return Err(usage(
                path,
                "an invalid Date (new Date(...) of text it could not read); give a valid Date \
                 or RFC 3339 text",
            ));
        }
        return Ok(());
    }
    if depth >= 8 || !value.is_object() || value.dyn_ref::<Uint8Array>().is_some() {
        return Ok(());
    }
    let Ok(keys) = Reflect::own_keys(value) else {
        return Ok(());
    };
    for key in keys.iter() {
        let Ok(v) = Reflect::get(value, &key) else {
            continue;
        };
        if v.is_object() {
            let name = key.as_string().unwrap_or_else(|| "?".to_owned());
            check_dates(&v, &format!("{path}.{name}"), depth + 1)?;
        }
    }
    Ok(())
}

/// A text argument, or a clear error naming it (a number or an object
/// passed where a string goes would trap in the generated glue).
fn text_arg(value: &JsValue, what: &str) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| usage(what, format!("expected a string, got {}", type_of(value))))
}

/// An optional text argument (`undefined` or `null`: the default).
fn opt_text_arg(value: &JsValue, what: &str, default: &str) -> Result<String, Error> {
    if is_absent(value) {
        Ok(default.to_owned())
    } else {
        text_arg(value, what)
    }
}

/// A row count: a whole number from 0 to [`MAX_SAMPLE_ROWS`] (default 300).
fn rows_arg(value: &JsValue) -> Result<usize, Error> {
    if is_absent(value) {
        return Ok(300);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=MAX_SAMPLE_ROWS as f64).contains(&n) => {
            Ok(n as usize)
        }
        _ => Err(usage(
            "rows",
            format!(
                "expected a whole number of rows from 0 to {MAX_SAMPLE_ROWS}, got {}",
                value
                    .as_f64()
                    .map_or_else(|| type_of(value), |n| n.to_string())
            ),
        )),
    }
}

/// The most rows the sample makes in a page (the CLI makes any number).
const MAX_SAMPLE_ROWS: usize = 1_000_000;

fn type_of(value: &JsValue) -> String {
    value.js_typeof().as_string().unwrap_or_default()
}

fn is_absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// Text or bytes: a string, a `Uint8Array` or an `ArrayBuffer`.
fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(s) = value.as_string() {
        Some(s.into_bytes())
    } else if let Some(a) = value.dyn_ref::<Uint8Array>() {
        Some(a.to_vec())
    } else {
        value
            .dyn_ref::<js_sys::ArrayBuffer>()
            .map(|b| Uint8Array::new(b).to_vec())
    }
}

/// A diary given as an object (sent as JSON), JSON text or bytes.
fn diary_bytes(input: &JsValue) -> Result<Vec<u8>, Error> {
    if let Some(b) = bytes_of(input) {
        return Ok(b);
    }
    if input.is_object() {
        return stringify(input, "diary").map(String::into_bytes);
    }
    Err(usage(
        "diary",
        "expected a diary object, its JSON text, or its bytes (Uint8Array)",
    ))
}

/// Options object → JSON text for the core ("" when absent).
fn options_text(options: Option<&JsValue>, what: &str) -> Result<String, Error> {
    match options {
        Some(v) if !is_absent(v) => {
            if !v.is_object() || js_sys::Array::is_array(v) {
                return Err(usage(what, "options must be an object"));
            }
            stringify(v, what)
        }
        _ => Ok(String::new()),
    }
}

/// Canonical JSON → plain JS objects.
fn to_js(json: &str) -> Result<JsValue, JsValue> {
    JSON::parse(json)
}

fn throw<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(|e| js_error(&e))
}

/// Options of `validate` and of the `Diary` constructor.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct LoadOptions {
    /// Name of the diary in messages (default `diary.json`).
    name: Option<String>,
    /// `strict` or `lenient`.
    mode: Option<Mode>,
    /// CSV column mapping and formats.
    #[cfg(feature = "full")]
    csv: CsvOptions,
}

impl LoadOptions {
    fn parse(options: Option<&JsValue>, what: &str) -> Result<LoadOptions, Error> {
        api::options(&options_text(options, what)?, what)
    }
    fn read(&self, default_mode: Mode) -> ReadOptions {
        let read = ReadOptions::default().with_mode(self.mode.unwrap_or(default_mode));
        #[cfg(feature = "full")]
        let read = read.with_csv(self.csv.clone());
        read
    }
    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(DIARY_NAME)
    }
}

/// Options of `parseCsv`.
#[cfg(feature = "full")]
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ParseCsvOptions {
    /// Name of the diary in messages (default `diary.json`).
    name: Option<String>,
    /// Name of the CSV file in messages (default `records.csv`).
    file: Option<String>,
    /// `strict` (the default) or `lenient`.
    mode: Option<Mode>,
    /// CSV column mapping and formats.
    csv: CsvOptions,
}

/// A journal (strict) from a diary input, for the one-shot functions: asked
/// once, it keeps no tally.
fn journal(diary: &JsValue) -> Result<Journal, Error> {
    Journal::from_json(&diary_bytes(diary)?, DIARY_NAME, ReadOptions::default()).map(Journal::once)
}

fn run_journal(
    journal: &Journal,
    name: &str,
    options: Option<&JsValue>,
) -> Result<JsValue, JsValue> {
    let text = throw(options_text(options, name))?;
    to_js(&throw(journal.run(name, &text))?)
}

// ---------------------------------------------------------------------------
// Free functions

/// The version of the package (and of the mindgap core it was built from).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The analyses `run` knows today, by name.
#[wasm_bindgen]
pub fn analyses() -> AnalysisNames {
    let names: js_sys::Array = api::ANALYSES.iter().map(|s| JsValue::from_str(s)).collect();
    names.unchecked_into()
}

/// The built-in sample diary with `rows` interactions (default 300), their
/// feedback and observations.
#[wasm_bindgen(js_name = sampleDiary)]
pub fn sample_diary(rows: Option<NumberArg>) -> Result<DiaryData, JsValue> {
    let diary = mindgap::sample::diary(throw(rows_arg(
        &rows.map_or(JsValue::UNDEFINED, Into::into),
    ))?);
    Ok(to_js(&api::to_json(&diary))?.unchecked_into())
}

/// Checks a diary and its record files and lists every problem (lenient by
/// default, like `mindgap validate`; `mode: "strict"` stops at the first).
/// Data errors are in the result (`fatal`, `errors`); only bad arguments
/// throw.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn validate(
    diary: &DiaryInput,
    files: Option<FileInputs>,
    options: Option<LoadOptionsInput>,
) -> Result<ValidationOutput, JsValue> {
    let options = throw(LoadOptions::parse(options.as_deref(), "validate"))?;
    let bytes = throw(diary_bytes(diary))?;
    let files = throw(file_inputs(files.as_deref()))?;
    let mut slices: Vec<&[u8]> = files.iter().map(|f| f.content.as_slice()).collect();
    let mut sources: Vec<Source<'_>> = files
        .iter()
        .zip(slices.iter_mut())
        .map(|(f, reader)| Source {
            name: &f.name,
            format: f.format,
            size: Some(reader.len() as u64),
            reader,
        })
        .collect();
    let result = api::load(
        &bytes,
        options.name(),
        &mut sources,
        options.read(Mode::Lenient),
    );
    let report = ValidationReport::new(&result);
    Ok(to_js(&api::to_json(&report))?.unchecked_into())
}

/// One record file given to `validate`.
#[cfg(feature = "full")]
struct FileIn {
    name: String,
    format: Format,
    content: Vec<u8>,
}

#[cfg(feature = "full")]
fn file_inputs(files: Option<&JsValue>) -> Result<Vec<FileIn>, Error> {
    let Some(files) = files.filter(|f| !is_absent(f)) else {
        return Ok(Vec::new());
    };
    let Some(array) = files.dyn_ref::<js_sys::Array>() else {
        return Err(usage(
            "files",
            "expected an array of {name, content, format?}",
        ));
    };
    let mut out = Vec::new();
    for (i, f) in array.iter().enumerate() {
        let at = format!("files[{i}]");
        let get = |key: &str| Reflect::get(&f, &key.into()).unwrap_or(JsValue::UNDEFINED);
        if !f.is_object() {
            return Err(usage(&at, "expected {name, content, format?}"));
        }
        let name = get("name")
            .as_string()
            .ok_or_else(|| usage(&format!("{at}.name"), "expected the file name (a string)"))?;
        let content = bytes_of(&get("content")).ok_or_else(|| {
            usage(
                &format!("{at}.content"),
                "expected the file's text (a string) or bytes (Uint8Array)",
            )
        })?;
        let format = get("format");
        let format = match format.as_string().as_deref() {
            None if is_absent(&format) => Format::from_name(&name).ok_or_else(|| {
                usage(
                    &format!("{at}.format"),
                    format!("cannot tell the format of {name:?}; name it .csv or .jsonl, or give format \"csv\" or \"jsonl\""),
                )
            })?,
            Some("csv") => Format::Csv,
            Some("jsonl") => Format::Jsonl,
            _ => {
                return Err(usage(
                    &format!("{at}.format"),
                    "expected \"csv\" or \"jsonl\"",
                ));
            }
        };
        out.push(FileIn {
            name,
            format,
            content,
        });
    }
    Ok(out)
}

/// The gap report of a diary (strict reading; see `Diary` for lenient).
#[wasm_bindgen(js_name = gapReport)]
pub fn gap_report(
    diary: &DiaryInput,
    options: Option<ReportOptionsInput>,
) -> Result<ReportOutput, JsValue> {
    let journal = throw(journal(diary))?;
    Ok(run_journal(&journal, "report", options.as_deref())?.unchecked_into())
}

/// Reads CSV records (interactions or feedback, told apart by the header)
/// into a diary (its definitions, or a whole diary) and returns the diary
/// with them, the kind of file, and in lenient mode the rejected rows.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = parseCsv)]
pub fn parse_csv(
    diary_or_defs: &DiaryInput,
    csv: &TextInput,
    options: Option<ParseCsvOptionsInput>,
) -> Result<ParsedCsv, JsValue> {
    let options: ParseCsvOptions = throw(
        options_text(options.as_deref(), "parseCsv").and_then(|t| api::options(&t, "parseCsv")),
    )?;
    let bytes = throw(diary_bytes(diary_or_defs))?;
    let csv = throw(bytes_of(csv).ok_or_else(|| {
        usage(
            "csv",
            "expected the CSV text (a string) or bytes (Uint8Array)",
        )
    }))?;
    let read = ReadOptions::default()
        .with_mode(options.mode.unwrap_or_default())
        .with_csv(options.csv);
    let name = options.name.as_deref().unwrap_or(DIARY_NAME);
    let file = options.file.as_deref().unwrap_or("records.csv");
    let mut journal = throw(Journal::from_json(&bytes, name, read))?;
    let kind = throw(journal.read_csv(csv.as_slice(), file))?;
    let loaded = throw(journal.finish())?;
    let errors: Vec<_> = loaded.skipped.iter().map(Error::to_report).collect();
    let out = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&out, &k.into(), v);
    set("kind", &to_js(&api::to_json(&kind))?)?;
    set("diary", &to_js(&api::to_json(&loaded.diary))?)?;
    set("errors", &to_js(&api::to_json(&errors))?)?;
    set("notes", &to_js(&api::to_json(&loaded.notes))?)?;
    Ok(out.unchecked_into())
}

/// Runs an analysis by name (`analyses()` lists them) over a diary, with its
/// options, and returns its result as plain objects.
#[wasm_bindgen]
pub fn run(
    name: &AnalysisArg,
    diary: &DiaryInput,
    options: Option<AnyOptions>,
) -> Result<AnyOutput, JsValue> {
    let name = throw(text_arg(name, "analysis"))?;
    let journal = throw(journal(diary))?;
    Ok(run_journal(&journal, &name, options.as_deref())?.unchecked_into())
}

/// Trends of the gap figures: series per stage, expectation, channel or
/// employee with Mann–Kendall, Theil–Sen, p-charts and change points
/// (options as the core's `TrendOptions`; result schema `mindgap/trend/1`).
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn trend(
    diary: &DiaryInput,
    options: Option<TrendOptionsInput>,
) -> Result<TrendOutput, JsValue> {
    typed("trend", diary, options.map(Into::into))
}

/// Runs a named analysis with typed options and result.
#[cfg(feature = "full")]
fn typed<O: JsCast>(
    name: &str,
    diary: &DiaryInput,
    options: Option<JsValue>,
) -> Result<O, JsValue> {
    let journal = throw(journal(diary))?;
    Ok(run_journal(&journal, name, options.as_ref())?.unchecked_into())
}

/// The follow-up list: negative feedback (NPS detractors, low CSAT, listed
/// complaint reasons, negative marks) with its due time from the stage's
/// `follow_up` expectation, overdue as of the instant, closed by the next
/// contact; schema `mindgap/follow-ups/1`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = followUps)]
pub fn follow_ups(
    diary: &DiaryInput,
    options: Option<FollowUpOptionsInput>,
) -> Result<FollowUpOutput, JsValue> {
    typed("follow_ups", diary, options.map(Into::into))
}

/// The breach queue: every clock still running at the instant (first
/// reply, next reply, resolution, follow-up) with `warn_at` and `breach_at`
/// from its zone of tolerance, time left and state; with `changes_since`,
/// what became at risk or breached since and the follow-ups opened since;
/// schema `mindgap/due/1`.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn due(diary: &DiaryInput, options: Option<DueOptionsInput>) -> Result<DueOutput, JsValue> {
    typed("due", diary, options.map(Into::into))
}

/// From a figure to the records behind it: exactly the observations the
/// report counts, narrowed by expectation, stage, channel, employee…;
/// schema `mindgap/drill/1`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = drillDown)]
pub fn drill_down(
    diary: &DiaryInput,
    options: Option<DrillOptionsInput>,
) -> Result<DrillOutput, JsValue> {
    typed("drill", diary, options.map(Into::into))
}

/// Employees (or teams) by their share met, ranked by the Wilson lower
/// bound; schema `mindgap/people/1`.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn people(
    diary: &DiaryInput,
    options: Option<PeopleOptionsInput>,
) -> Result<PeopleOutput, JsValue> {
    typed("people", diary, options.map(Into::into))
}

/// Recurring problems and the gap behind each complaint reason; schema
/// `mindgap/problems/1`.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn problems(
    diary: &DiaryInput,
    options: Option<ProblemOptionsInput>,
) -> Result<ProblemsOutput, JsValue> {
    typed("problems", diary, options.map(Into::into))
}

// ---------------------------------------------------------------------------
// The Diary class

/// A diary kept in memory for incremental use: add records one at a time or
/// a file at a time (each is checked as it comes) and ask for any analysis
/// at any moment. Call `free()` when done (or use `using` where supported).
#[wasm_bindgen(js_name = Diary)]
#[derive(Debug)]
pub struct JsDiary {
    /// `None` once freed: the diary's memory is given back at `free()`,
    /// and any use after it is a clear error.
    journal: Option<Journal>,
}

/// The error of a `Diary` used after `free()`.
fn freed() -> JsValue {
    js_error(&usage(
        "Diary",
        "this Diary was freed (by free() or at the end of its `using` block); make a new one",
    ))
}

#[wasm_bindgen(js_class = Diary)]
impl JsDiary {
    /// A diary from a diary object, its JSON text or bytes. Options: `name`
    /// (in messages), `mode` (`strict`, the default: a bad record throws;
    /// `lenient`: it is listed in `validation().errors`), `csv`.
    #[wasm_bindgen(constructor)]
    pub fn new(diary: &DiaryInput, options: Option<LoadOptionsInput>) -> Result<JsDiary, JsValue> {
        let options = throw(LoadOptions::parse(options.as_deref(), "Diary"))?;
        let bytes = throw(diary_bytes(diary))?;
        let journal = throw(Journal::from_json(
            &bytes,
            options.name(),
            options.read(Mode::Strict),
        ))?;
        Ok(JsDiary {
            journal: Some(journal),
        })
    }

    /// The built-in sample diary with `rows` interactions (default 300).
    pub fn sample(rows: Option<NumberArg>) -> Result<JsDiary, JsValue> {
        let diary = mindgap::sample::diary(throw(rows_arg(
            &rows.map_or(JsValue::UNDEFINED, Into::into),
        ))?);
        let journal = throw(Journal::new(diary, ReadOptions::default()))?;
        Ok(JsDiary {
            journal: Some(journal),
        })
    }

    /// Adds an interaction (timestamps as RFC 3339 text with an offset, or
    /// `Date` objects).
    #[wasm_bindgen(js_name = addInteraction)]
    pub fn add_interaction(&mut self, record: &InteractionInput) -> Result<(), JsValue> {
        self.add("interaction", record)
    }

    /// Adds a feedback record.
    #[wasm_bindgen(js_name = addFeedback)]
    pub fn add_feedback(&mut self, record: &FeedbackInput) -> Result<(), JsValue> {
        self.add("feedback", record)
    }

    /// Adds a record of any type (`{type: "interaction" | "feedback" |
    /// "expectation" | "observation", …}`).
    #[wasm_bindgen(js_name = addRecord)]
    pub fn add_record(&mut self, record: &RecordInput) -> Result<(), JsValue> {
        let journal = self.journal_mut()?;
        let json = throw(record_text(record, None))?;
        throw(journal.push_json(&json))
    }

    fn add(&mut self, kind: &str, record: &JsValue) -> Result<(), JsValue> {
        let journal = self.journal_mut()?;
        let json = throw(record_text(record, Some(kind)))?;
        throw(journal.push_json(&json))
    }

    fn journal(&self) -> Result<&Journal, JsValue> {
        self.journal.as_ref().ok_or_else(freed)
    }

    fn journal_mut(&mut self) -> Result<&mut Journal, JsValue> {
        self.journal.as_mut().ok_or_else(freed)
    }

    /// Gives the diary's memory back. Idempotent: a second `free()` (or
    /// `[Symbol.dispose]()` after it, as a `using` block does) does nothing;
    /// any other use after it throws a `MindgapError`. This method replaces
    /// the `free()` the glue generates (it comes later in the class body),
    /// which threw "null pointer passed to rust" when called twice; the
    /// glue's empty box is given back by its finalization registry.
    #[wasm_bindgen(js_name = free, skip_typescript)]
    pub fn release(&mut self) {
        self.journal = None;
    }

    /// Reads a CSV file of interactions or feedback (told apart by the
    /// header); returns which it was.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = readCsv, unchecked_return_type = "\"interactions\" | \"feedback\"")]
    pub fn read_csv(
        &mut self,
        text: &TextInput,
        name: Option<StringArg>,
    ) -> Result<JsValue, JsValue> {
        let bytes =
            throw(bytes_of(text).ok_or_else(|| usage("csv", "expected the CSV text or bytes")))?;
        let name = throw(opt_text_arg(
            &name.map_or(JsValue::UNDEFINED, Into::into),
            "name",
            "records.csv",
        ))?;
        let kind = throw(self.journal_mut()?.read_csv(bytes.as_slice(), &name))?;
        to_js(&api::to_json(&kind))
    }

    /// Reads JSON Lines records.
    #[wasm_bindgen(js_name = readJsonl)]
    pub fn read_jsonl(&mut self, text: &TextInput, name: Option<StringArg>) -> Result<(), JsValue> {
        let bytes = throw(
            bytes_of(text).ok_or_else(|| usage("jsonl", "expected the JSON Lines text or bytes")),
        )?;
        let name = throw(opt_text_arg(
            &name.map_or(JsValue::UNDEFINED, Into::into),
            "name",
            "records.jsonl",
        ))?;
        throw(self.journal_mut()?.read_jsonl(bytes.as_slice(), &name))
    }

    /// The gap report of the diary as it is now.
    pub fn report(&self, options: Option<ReportOptionsInput>) -> Result<ReportOutput, JsValue> {
        Ok(run_journal(self.journal()?, "report", options.as_deref())?.unchecked_into())
    }

    /// The charts of the report `report(options)` gives, as SVG drawn by
    /// the core: the same markup as the command line's HTML report. (From
    /// the diary, not from a report object: reading a report back would
    /// bring its whole deserialiser into the package.)
    pub fn charts(&self, options: Option<ReportOptionsInput>) -> Result<ChartsOutput, JsValue> {
        let text = throw(options_text(options.as_deref(), "report"))?;
        to_js(&throw(mindgap::api::charts_of(self.journal()?, &text))?).map(JsCast::unchecked_into)
    }

    /// Runs an analysis by name (`analyses()` lists them).
    pub fn run(
        &self,
        name: &AnalysisArg,
        options: Option<AnyOptions>,
    ) -> Result<AnyOutput, JsValue> {
        let journal = self.journal()?;
        let name = throw(text_arg(name, "analysis"))?;
        Ok(run_journal(journal, &name, options.as_deref())?.unchecked_into())
    }

    /// What was read and accepted so far, and every rejected record (lenient).
    pub fn validation(&self) -> Result<ValidationOutput, JsValue> {
        Ok(run_journal(self.journal()?, "validate", None)?.unchecked_into())
    }

    /// The diary as plain data, as accepted so far (also what
    /// `JSON.stringify(diary)` gives).
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<DiaryData, JsValue> {
        Ok(run_journal(self.journal()?, "diary", None)?.unchecked_into())
    }

    /// Record counts.
    #[wasm_bindgen(getter)]
    pub fn counts(&self) -> Result<CountsOutput, JsValue> {
        let counts = api::Counts::of(self.journal()?.diary());
        Ok(to_js(&api::to_json(&counts))?.unchecked_into())
    }
}

/// A record object → JSON text with its `type` (forced when `kind` is given).
fn record_text(record: &JsValue, kind: Option<&str>) -> Result<String, Error> {
    let what = kind.unwrap_or("record");
    if !record.is_object() || js_sys::Array::is_array(record) {
        return Err(usage(what, format!("expected {what} as an object")));
    }
    let Some(kind) = kind else {
        return stringify(record, what);
    };
    let copy = Object::assign(&Object::new(), record.unchecked_ref());
    let _ = Reflect::set(&copy, &"type".into(), &kind.into());
    stringify(&copy, what)
}
