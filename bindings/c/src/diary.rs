//! The diary handle: a `mindgap::Journal` — records read from JSON, CSV and
//! JSON Lines or added one at a time, each checked as it comes — and every
//! analysis by name (`mindgap::api::run`), as canonical JSON.

use std::ffi::c_char;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, FixedOffset};
use mindgap_core::CsvKind;
use mindgap_core::{Channel, Feedback, FeedbackKind, Interaction, Sentiment, Status, Timestamp};
use mindgap_core::{Error, Journal, Location, ReadOptions, Record};

use crate::args;
use crate::boundary::{Failure, api};
use crate::status::mg_status::{self, *};

/// A diary being kept (opaque). Created by mg_diary_new_json or
/// mg_diary_new_sample, freed by mg_diary_free.
///
/// Thread safety: a diary may be shared between threads with no lock of
/// your own. It holds a readers-writer lock: calls that change it
/// (`mg_diary_read_*`, `mg_diary_add_*`, `mg_diary_link`) wait for the calls
/// running on it and run alone; mg_diary_run calls run together. Only
/// mg_diary_free must come after every other call on it has returned.
#[derive(Debug)]
pub struct mg_diary {
    journal: RwLock<Journal>,
}

impl mg_diary {
    fn new(journal: Journal) -> mg_diary {
        mg_diary {
            journal: RwLock::new(journal),
        }
    }

    /// The journal to read, once no change is running.
    fn read(&self) -> Result<RwLockReadGuard<'_, Journal>, Failure> {
        self.journal.read().or_else(|_| poisoned())
    }

    /// The journal to change, once no other call is running on it.
    fn write(&self) -> Result<RwLockWriteGuard<'_, Journal>, Failure> {
        self.journal.write().or_else(|_| poisoned())
    }
}

/// A change that panicked (MG_PANIC, a bug) may have left the diary half
/// changed: it is refused from then on rather than read.
fn poisoned<T>() -> Result<T, Failure> {
    api(
        MG_INTERNAL,
        "the diary is unusable: an earlier call panicked while changing it \
         (MG_PANIC, a bug: please report it); free it and read it again",
    )
}

/// A string given by pointer and length (UTF-8, not NUL-terminated).
/// In the record structs an optional field is absent when `ptr` is NULL or
/// `len` is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct mg_str {
    /// The first byte; NULL only when `len` is 0.
    pub ptr: *const c_char,
    /// Length in bytes.
    pub len: usize,
}

/// What a CSV file held (told apart by its header).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mg_csv_kind {
    /// Interactions.
    MG_CSV_INTERACTIONS = 1,
    /// Feedback.
    MG_CSV_FEEDBACK = 2,
}

/// An interaction (a diary entry), for mg_diary_add_interaction: no JSON on
/// the hot path. Times are milliseconds since the Unix epoch (UTC), or
/// MG_NO_TIME when absent; they are stored with the UTC offset
/// `utc_offset_minutes` (0 for UTC). Strings are copied.
///
/// Start from `mg_interaction i = MG_INTERACTION_INIT;` (or
/// mg_interaction_init): it sets `version`, and a later library that adds
/// fields reads the struct by its version.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct mg_interaction {
    /// MG_INTERACTION_VERSION of the header the caller was built with.
    pub version: u32,
    /// Unique id (required).
    pub id: mg_str,
    /// Journey stage id (required).
    pub stage: mg_str,
    /// Channel: phone, email, chat, messenger, social, in_person, web, or any
    /// other name (required).
    pub channel: mg_str,
    /// Touchpoint within the stage (optional).
    pub touchpoint: mg_str,
    /// Customer id (optional).
    pub customer: mg_str,
    /// Responsible employee (optional).
    pub employee: mg_str,
    /// Team (optional).
    pub team: mg_str,
    /// Status: new, open, waiting_customer, on_hold, resolved, closed… (optional).
    pub status: mg_str,
    /// Category of the request (optional).
    pub category: mg_str,
    /// Priority as the helpdesk names it (`urgent`, `P1`…; optional): what
    /// an expectation's `when` selects by.
    pub priority: mg_str,
    /// When the customer reached out (required).
    pub opened_at_ms: i64,
    /// First reply, or MG_NO_TIME.
    pub first_response_at_ms: i64,
    /// Resolution, or MG_NO_TIME.
    pub resolved_at_ms: i64,
    /// UTC offset the times are recorded with, in minutes (-1439..=1439).
    pub utc_offset_minutes: i32,
}

/// mg_feedback.flags: `score` holds a score.
pub const MG_FEEDBACK_HAS_SCORE: u32 = 1;
/// mg_feedback.flags: the survey was shown and dismissed (never an answer).
pub const MG_FEEDBACK_DISMISSED: u32 = 2;

/// A feedback record, for mg_diary_add_feedback. Time as in mg_interaction.
/// Start from `mg_feedback f = MG_FEEDBACK_INIT;` (or mg_feedback_init).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct mg_feedback {
    /// MG_FEEDBACK_VERSION of the header the caller was built with.
    pub version: u32,
    /// Unique id (required).
    pub id: mg_str,
    /// nps, csat, ces, rating, comment or reason (required).
    pub kind: mg_str,
    /// The score, read when flags has MG_FEEDBACK_HAS_SCORE.
    pub score: f64,
    /// Top of the scale for `rating` (0: the default, 5).
    pub scale: u32,
    /// MG_FEEDBACK_HAS_SCORE | MG_FEEDBACK_DISMISSED; other bits must be 0.
    pub flags: u32,
    /// Reason code (optional).
    pub reason: mg_str,
    /// Comment (optional).
    pub comment: mg_str,
    /// negative, neutral or positive (optional).
    pub sentiment: mg_str,
    /// Id of the interaction it is about (optional).
    pub interaction: mg_str,
    /// Stage (optional when linked to an interaction).
    pub stage: mg_str,
    /// Touchpoint (optional).
    pub touchpoint: mg_str,
    /// Customer (optional).
    pub customer: mg_str,
    /// When it was given (required).
    pub at_ms: i64,
    /// UTC offset, in minutes.
    pub utc_offset_minutes: i32,
}

/// The absent time in mg_interaction and mg_feedback (INT64_MIN).
pub const MG_NO_TIME: i64 = i64::MIN;

/// The layout of mg_interaction in this header (its `version` field).
pub const MG_INTERACTION_VERSION: u32 = 1;
/// The layout of mg_feedback in this header (its `version` field).
pub const MG_FEEDBACK_VERSION: u32 = 1;

impl mg_interaction {
    /// What MG_INTERACTION_INIT gives: no strings, no times, UTC.
    pub(crate) const INIT: mg_interaction = mg_interaction {
        version: MG_INTERACTION_VERSION,
        id: mg_str::EMPTY,
        stage: mg_str::EMPTY,
        channel: mg_str::EMPTY,
        touchpoint: mg_str::EMPTY,
        customer: mg_str::EMPTY,
        employee: mg_str::EMPTY,
        team: mg_str::EMPTY,
        status: mg_str::EMPTY,
        category: mg_str::EMPTY,
        priority: mg_str::EMPTY,
        opened_at_ms: MG_NO_TIME,
        first_response_at_ms: MG_NO_TIME,
        resolved_at_ms: MG_NO_TIME,
        utc_offset_minutes: 0,
    };
}

impl mg_feedback {
    /// What MG_FEEDBACK_INIT gives: no strings, no score, no time, UTC.
    pub(crate) const INIT: mg_feedback = mg_feedback {
        version: MG_FEEDBACK_VERSION,
        id: mg_str::EMPTY,
        kind: mg_str::EMPTY,
        score: 0.0,
        scale: 0,
        flags: 0,
        reason: mg_str::EMPTY,
        comment: mg_str::EMPTY,
        sentiment: mg_str::EMPTY,
        interaction: mg_str::EMPTY,
        stage: mg_str::EMPTY,
        touchpoint: mg_str::EMPTY,
        customer: mg_str::EMPTY,
        at_ms: MG_NO_TIME,
        utc_offset_minutes: 0,
    };
}

impl mg_str {
    /// The absent string.
    pub(crate) const EMPTY: mg_str = mg_str {
        ptr: std::ptr::null(),
        len: 0,
    };
}

/// Sets `*interaction` to MG_INTERACTION_INIT of the given `version` (pass
/// MG_INTERACTION_VERSION): for callers that cannot use the macro (C++ before
/// C++20, other languages). A version this library does not know is
/// MG_INVALID_ARGUMENT, and `*interaction` is left as it was.
///
/// # Safety
/// `interaction` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_interaction_init(
    interaction: *mut mg_interaction,
    version: u32,
) -> mg_status {
    boundary!({
        let out = args::out(interaction, "interaction")?;
        args::known_version(version, MG_INTERACTION_VERSION, "mg_interaction")?;
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(mg_interaction::INIT) };
        Ok(())
    })
}

/// Sets `*feedback` to MG_FEEDBACK_INIT of the given `version` (pass
/// MG_FEEDBACK_VERSION); as mg_interaction_init.
///
/// # Safety
/// `feedback` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_feedback_init(feedback: *mut mg_feedback, version: u32) -> mg_status {
    boundary!({
        let out = args::out(feedback, "feedback")?;
        args::known_version(version, MG_FEEDBACK_VERSION, "mg_feedback")?;
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(mg_feedback::INIT) };
        Ok(())
    })
}

/// Largest sample diary mg_diary_new_sample builds.
pub const MG_SAMPLE_MAX_ROWS: usize = 1_000_000;

unsafe fn read_options(ptr: *const c_char, len: usize) -> Result<ReadOptions, Failure> {
    // SAFETY: forwarded from the caller.
    let json = unsafe { args::opt_str_arg(ptr, len, "options_json") }?;
    Ok(mindgap_core::api::options(json, "read")?)
}

/// Reads a diary from its JSON (schema `mindgap/1`): its definitions and any
/// records in it, checked. `name` names the source in error messages
/// (`"diary.json line 22, …"`). `options_json` (may be NULL) holds the read
/// options: `{"mode": "strict" | "lenient", "csv": {…column mapping…}}`.
/// On success `*out` is a new diary to free with mg_diary_free.
///
/// # Safety
/// Pointers are NULL or valid for their lengths; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_new_json(
    name: *const c_char,
    name_len: usize,
    json: *const u8,
    json_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out: *mut *mut mg_diary,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        // SAFETY (all three): the caller's pointers are valid for their lengths.
        let name = unsafe { args::str_arg(name, name_len, "name") }?;
        if json.is_null() {
            return api(MG_NULL_ARGUMENT, "json is NULL");
        }
        let json = unsafe { args::slice(json, json_len, "json") }?;
        let options = unsafe { read_options(options_json, options_len) }?;
        let journal = Journal::from_json(json, name, options)?;
        // SAFETY: `out` was checked non-NULL.
        unsafe { args::handle_out(mg_diary::new(journal), out) }
    })
}

/// The built-in sample diary (a shop: four stages, their expectations) with
/// `rows` generated interactions and their feedback (at most
/// MG_SAMPLE_MAX_ROWS). `rows = 0` gives the definitions alone, ready for
/// records. `options_json` as in mg_diary_new_json.
///
/// # Safety
/// `options_json` is NULL or valid for `options_len`; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_new_sample(
    rows: usize,
    options_json: *const c_char,
    options_len: usize,
    out: *mut *mut mg_diary,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        if rows > MG_SAMPLE_MAX_ROWS {
            return api(
                MG_INVALID_ARGUMENT,
                format!("rows {rows} is over the sample's limit {MG_SAMPLE_MAX_ROWS}"),
            );
        }
        // SAFETY: the caller's pointer is valid for its length.
        let options = unsafe { read_options(options_json, options_len) }?;
        let diary = if rows == 0 {
            mindgap_core::sample::definitions()
        } else {
            mindgap_core::sample::diary(rows)
        };
        let journal = Journal::new(diary, options)?;
        // SAFETY: `out` was checked non-NULL.
        unsafe { args::handle_out(mg_diary::new(journal), out) }
    })
}

/// Frees a diary. NULL does nothing.
///
/// # Safety
/// `diary` is NULL or a live diary, not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_free(diary: *mut mg_diary) {
    boundary!(or () => {
        if !diary.is_null() {
            // SAFETY: a live diary from Box::into_raw (args::handle_out).
            drop(unsafe { Box::from_raw(diary) });
        }
    })
}

/// Reads CSV records (interactions or feedback, told apart by the header;
/// columns mapped by the diary's read options). `name` names the file in
/// error messages. Strict mode: the first bad row is the error, the rows
/// before it stay added. Lenient: bad rows are skipped and listed by the
/// `validate` analysis. `kind_out` may be NULL.
///
/// # Safety
/// `diary` is a live diary; pointers are valid for
/// their lengths; `kind_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_read_csv(
    diary: *mut mg_diary,
    name: *const c_char,
    name_len: usize,
    bytes: *const u8,
    bytes_len: usize,
    kind_out: *mut mg_csv_kind,
) -> mg_status {
    boundary!({
        // SAFETY (all): the caller's pointers are live and valid for their lengths.
        let d = unsafe { args::handle(diary, "diary") }?;
        let name = unsafe { args::str_arg(name, name_len, "name") }?;
        if bytes.is_null() {
            return api(MG_NULL_ARGUMENT, "bytes is NULL");
        }
        let bytes = unsafe { args::slice(bytes, bytes_len, "bytes") }?;
        let kind = match d.write()?.read_csv(bytes, name)? {
            CsvKind::Interactions => mg_csv_kind::MG_CSV_INTERACTIONS,
            CsvKind::Feedback => mg_csv_kind::MG_CSV_FEEDBACK,
        };
        if !kind_out.is_null() {
            // SAFETY: non-NULL and writable per the contract.
            unsafe { kind_out.write(kind) };
        }
        Ok(())
    })
}

/// Reads JSON Lines records (`{"type": "interaction" | "feedback" |
/// "expectation" | "observation", …}` a line). Errors as mg_diary_read_csv.
///
/// # Safety
/// As mg_diary_read_csv.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_read_jsonl(
    diary: *mut mg_diary,
    name: *const c_char,
    name_len: usize,
    bytes: *const u8,
    bytes_len: usize,
) -> mg_status {
    boundary!({
        // SAFETY (all): the caller's pointers are live and valid for their lengths.
        let d = unsafe { args::handle(diary, "diary") }?;
        let name = unsafe { args::str_arg(name, name_len, "name") }?;
        if bytes.is_null() {
            return api(MG_NULL_ARGUMENT, "bytes is NULL");
        }
        let bytes = unsafe { args::slice(bytes, bytes_len, "bytes") }?;
        d.write()?.read_jsonl(bytes, name)?;
        Ok(())
    })
}

/// Adds one record given as JSON (`{"type": "interaction", …}`), checked like
/// any other. Strict: a bad record is the error and the diary is unchanged;
/// lenient: it is skipped and listed by `validate`.
///
/// # Safety
/// `diary` is a live diary; `json` is valid for
/// `json_len`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_add_json(
    diary: *mut mg_diary,
    json: *const c_char,
    json_len: usize,
) -> mg_status {
    boundary!({
        // SAFETY (both): the caller's pointers are live and valid.
        let d = unsafe { args::handle(diary, "diary") }?;
        let json = unsafe { args::str_arg(json, json_len, "json") }?;
        d.write()?.push_json(json)?;
        Ok(())
    })
}

/// Adds one interaction from a struct (the hot path: no JSON), checked like
/// any other record; errors as mg_diary_add_json.
///
/// # Safety
/// `diary` is a live diary; `interaction` is valid
/// and its strings are valid for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_add_interaction(
    diary: *mut mg_diary,
    interaction: *const mg_interaction,
) -> mg_status {
    boundary!({
        // SAFETY (all): the caller's pointers are live and valid.
        let d = unsafe { args::handle(diary, "diary") }?;
        let i = unsafe { args::versioned(interaction, MG_INTERACTION_VERSION, "interaction") }?;
        let record = unsafe { interaction_record(i) }?;
        d.write()?.push(Record::Interaction(record))?;
        Ok(())
    })
}

/// Adds one feedback record from a struct; errors as mg_diary_add_json.
///
/// # Safety
/// As mg_diary_add_interaction.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_add_feedback(
    diary: *mut mg_diary,
    feedback: *const mg_feedback,
) -> mg_status {
    boundary!({
        // SAFETY (all): the caller's pointers are live and valid.
        let d = unsafe { args::handle(diary, "diary") }?;
        let f = unsafe { args::versioned(feedback, MG_FEEDBACK_VERSION, "feedback") }?;
        let record = unsafe { feedback_record(f) }?;
        d.write()?.push(Record::Feedback(record))?;
        Ok(())
    })
}

/// Checks now the links of feedback added before the interaction it names
/// (links may point forward, so they are otherwise left pending). Strict: the
/// first broken link is the error (`MG_UNKNOWN_REFERENCE`…), and the diary
/// stays open for the missing interactions; lenient: broken links are
/// skipped and listed by `validate`. Call it once everything is read.
///
/// # Safety
/// `diary` is a live diary.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_link(diary: *mut mg_diary) -> mg_status {
    boundary!({
        // SAFETY: the caller's pointer is a live diary.
        let d = unsafe { args::handle(diary, "diary") }?;
        d.write()?.link()?;
        Ok(())
    })
}

/// Runs an analysis by name with its options as JSON (`options_json` may be
/// NULL: the defaults) and returns its result as canonical JSON, exactly what
/// `mindgap <analysis> --format json` prints (without the final newline).
/// Analyses: `validate`, `report` (options as the core's `ReportOptions`;
/// `{"trend": true}` adds the weekly trend), `trend`, `follow_ups`, `drill`,
/// `people`, `problems`, `diary`, and every one the core adds later — an
/// unknown name is `MG_INVALID_OPTION` with the list of known ones.
/// `report` and `trend` are kept up to date, not recomputed: the diary keeps
/// the accumulators of the last four option sets asked for, and the next run
/// with the same options reads only the records added since (and the
/// interactions whose clocks still run); the result is the same as a fresh
/// computation's.
/// On success `*out` is a new string (free with mg_string_free) and
/// `*len_out` (when not NULL) its length.
///
/// # Safety
/// `diary` is a live diary; pointers are valid
/// for their lengths; `out` is writable; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_diary_run(
    diary: *const mg_diary,
    what: *const c_char,
    what_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out: *mut *mut c_char,
    len_out: *mut usize,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        // SAFETY (all): the caller's pointers are live and valid.
        let d = unsafe { args::handle(diary, "diary") }?;
        let what = unsafe { args::str_arg(what, what_len, "what") }?;
        let options = unsafe { args::opt_str_arg(options_json, options_len, "options_json") }?;
        let json = d.read()?.run(what, options)?;
        // SAFETY: `out` checked non-NULL; `len_out` NULL or writable.
        unsafe { args::string_out(json, out, len_out) }
    })
}

// ---- struct → record -------------------------------------------------------

/// An optional string field: absent when NULL or empty.
unsafe fn opt_field(s: &mg_str, field: &str) -> Result<Option<String>, Failure> {
    // SAFETY: forwarded from the caller.
    let text = unsafe { args::opt_str_arg(s.ptr, s.len, field) }?;
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// A required string field: empty is left to the core to reject.
unsafe fn field(s: &mg_str, field: &str) -> Result<String, Failure> {
    // SAFETY: forwarded from the caller.
    Ok(unsafe { opt_field(s, field) }?.unwrap_or_default())
}

fn time(
    ms: i64,
    offset_minutes: i32,
    at: &Location,
    field: &str,
) -> Result<Option<Timestamp>, Failure> {
    if ms == MG_NO_TIME {
        return Ok(None);
    }
    let located = || at.clone().with_field(field);
    let offset = offset_minutes
        .checked_mul(60)
        .and_then(FixedOffset::east_opt)
        .ok_or_else(|| {
            Error::invalid(
                at.clone().with_field("utc_offset_minutes"),
                offset_minutes.to_string(),
                "a UTC offset in minutes from -1439 to 1439",
            )
        })?;
    let utc = DateTime::from_timestamp_millis(ms).ok_or_else(|| {
        Error::invalid(
            located(),
            ms.to_string(),
            "milliseconds since 1970-01-01T00:00:00Z within chrono's range, or MG_NO_TIME",
        )
    })?;
    Ok(Some(utc.with_timezone(&offset)))
}

unsafe fn interaction_record(i: &mg_interaction) -> Result<Interaction, Failure> {
    // SAFETY (all fields): the caller guarantees each string is valid.
    let id = unsafe { field(&i.id, "interaction.id") }?;
    let at = Location::default().with_record(id.clone());
    let opened_at =
        time(i.opened_at_ms, i.utc_offset_minutes, &at, "opened_at")?.ok_or_else(|| {
            Error::MissingField {
                at: at.clone().with_field("opened_at"),
            }
        })?;
    Ok(Interaction {
        id: id.into(),
        opened_at,
        first_response_at: time(
            i.first_response_at_ms,
            i.utc_offset_minutes,
            &at,
            "first_response_at",
        )?,
        resolved_at: time(i.resolved_at_ms, i.utc_offset_minutes, &at, "resolved_at")?,
        statuses: Vec::new(),
        messages: Vec::new(),
        channel: Channel::parse(&unsafe { field(&i.channel, "interaction.channel") }?),
        stage: unsafe { field(&i.stage, "interaction.stage") }?.into(),
        touchpoint: unsafe { opt_field(&i.touchpoint, "interaction.touchpoint") }?.map(Into::into),
        customer: unsafe { opt_field(&i.customer, "interaction.customer") }?.map(Into::into),
        segment: None,
        employee: unsafe { opt_field(&i.employee, "interaction.employee") }?.map(Into::into),
        team: unsafe { opt_field(&i.team, "interaction.team") }?,
        request: None,
        resolution: None,
        outcome: None,
        status: unsafe { opt_field(&i.status, "interaction.status") }?.map(|s| Status::parse(&s)),
        category: unsafe { opt_field(&i.category, "interaction.category") }?,
        priority: unsafe { opt_field(&i.priority, "interaction.priority") }?,
        tags: Vec::new(),
        fields: Default::default(),
    })
}

unsafe fn feedback_record(f: &mg_feedback) -> Result<Feedback, Failure> {
    if f.flags & !(MG_FEEDBACK_HAS_SCORE | MG_FEEDBACK_DISMISSED) != 0 {
        return api(
            MG_INVALID_ARGUMENT,
            format!("feedback.flags {:#x} has unknown bits", f.flags),
        );
    }
    // SAFETY (all fields): the caller guarantees each string is valid.
    let id = unsafe { field(&f.id, "feedback.id") }?;
    let at = Location::default().with_record(id.clone());
    let kind_text = unsafe { field(&f.kind, "feedback.kind") }?;
    let kind = FeedbackKind::parse(&kind_text).ok_or_else(|| {
        Error::invalid(
            at.clone().with_field("kind"),
            kind_text.clone(),
            mindgap_core::FEEDBACK_KIND_EXPECTED,
        )
    })?;
    let sentiment = match unsafe { opt_field(&f.sentiment, "feedback.sentiment") }? {
        None => None,
        Some(s) => Some(Sentiment::parse(&s).ok_or_else(|| {
            Error::invalid(
                at.clone().with_field("sentiment"),
                s.clone(),
                mindgap_core::SENTIMENT_EXPECTED,
            )
        })?),
    };
    let when =
        time(f.at_ms, f.utc_offset_minutes, &at, "at")?.ok_or_else(|| Error::MissingField {
            at: at.clone().with_field("at"),
        })?;
    Ok(Feedback {
        id: id.into(),
        at: when,
        kind,
        score: (f.flags & MG_FEEDBACK_HAS_SCORE != 0).then_some(f.score),
        scale: (f.scale != 0).then_some(f.scale),
        reason: unsafe { opt_field(&f.reason, "feedback.reason") }?,
        comment: unsafe { opt_field(&f.comment, "feedback.comment") }?,
        sentiment,
        dismissed: f.flags & MG_FEEDBACK_DISMISSED != 0,
        interaction: unsafe { opt_field(&f.interaction, "feedback.interaction") }?.map(Into::into),
        stage: unsafe { opt_field(&f.stage, "feedback.stage") }?.map(Into::into),
        touchpoint: unsafe { opt_field(&f.touchpoint, "feedback.touchpoint") }?.map(Into::into),
        customer: unsafe { opt_field(&f.customer, "feedback.customer") }?.map(Into::into),
    })
}
