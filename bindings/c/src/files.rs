//! A report streamed from files on disk (`mindgap::files`): the
//! interaction CSV files are read without being held, so a back end can
//! report on millions of rows in a few hundred megabytes.

use std::ffi::{CString, c_char};
use std::path::PathBuf;

use mindgap_core::Files;

use crate::args;
use crate::boundary::{Failure, api};
use crate::diary::mg_str;
use crate::status::mg_status::{self, *};

/// The files of mg_report_files: paths as UTF-8 strings (not
/// NUL-terminated). An array may be NULL when its length is 0. Start from
/// `mg_files files = MG_FILES_INIT;` (or mg_files_init).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct mg_files {
    /// MG_FILES_VERSION of the header the caller was built with.
    pub version: u32,
    /// The diary JSON (stages, expectations, and any records in it).
    pub diary: mg_str,
    /// Interaction CSV files (.csv, .tsv, .txt), streamed in this order; at
    /// least one.
    pub interactions: *const mg_str,
    /// Their count.
    pub interactions_len: usize,
    /// Feedback files (CSV or JSON Lines). Feedback CSV over 64 MB in all is
    /// read twice (once before the interactions, once after) rather than
    /// held; a file that changes between the readings is an error.
    pub feedback: *const mg_str,
    /// Their count.
    pub feedback_len: usize,
    /// Other record files (CSV or JSON Lines: follow-ups, observations…).
    pub records: *const mg_str,
    /// Their count.
    pub records_len: usize,
}

/// The layout of mg_files in this header (its `version` field).
pub const MG_FILES_VERSION: u32 = 1;

impl mg_files {
    /// What MG_FILES_INIT gives: no files.
    pub(crate) const INIT: mg_files = mg_files {
        version: MG_FILES_VERSION,
        diary: mg_str::EMPTY,
        interactions: std::ptr::null(),
        interactions_len: 0,
        feedback: std::ptr::null(),
        feedback_len: 0,
        records: std::ptr::null(),
        records_len: 0,
    };
}

/// Sets `*files` to MG_FILES_INIT of the given `version` (pass
/// MG_FILES_VERSION); as mg_interaction_init.
///
/// # Safety
/// `files` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_files_init(files: *mut mg_files, version: u32) -> mg_status {
    boundary!({
        let out = args::out(files, "files")?;
        args::known_version(version, MG_FILES_VERSION, "mg_files")?;
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { out.write(mg_files::INIT) };
        Ok(())
    })
}

unsafe fn paths(ptr: *const mg_str, len: usize, what: &str) -> Result<Vec<PathBuf>, Failure> {
    // SAFETY: forwarded from the caller.
    let all = unsafe { args::slice(ptr, len, what) }?;
    (all.iter().enumerate())
        .map(|(k, s)| {
            let name = format!("{what}[{k}]");
            // SAFETY: forwarded from the caller.
            let path = unsafe { args::str_arg(s.ptr, s.len, &name) }?;
            if path.is_empty() {
                return api(MG_INVALID_ARGUMENT, format!("{name} is empty"));
            }
            Ok(PathBuf::from(path))
        })
        .collect()
}

/// An analysis of files on disk, streamed: `what` is "report" (options as
/// for mg_diary_run), "trend", "follow_ups", "drill", "people" or
/// "problems". The diary, the record files and the feedback are read first,
/// then the interaction CSV files a chunk at a time (nothing is kept of an
/// interaction but what the analysis still needs; follow_ups and problems
/// read the interaction files a second time for the few records they
/// show). The JSON is the same as mg_diary_run's on the diary loaded whole. `read_options_json` (may be NULL): `{"mode": "strict" |
/// "lenient", "csv": {…column mapping…}}` as for mg_diary_new_json.
/// On success `*out` is a new string (free with mg_string_free), `*len_out`
/// (when not NULL) its length, and `*skipped_out` (when not NULL) a new
/// string with the JSON array of the records skipped in lenient mode
/// (`[{"code", "kind", "message", "location"}]`; `[]` in strict mode).
/// A file that cannot be opened is MG_IO naming it. No state is kept
/// between calls: calls may run at once on different threads.
///
/// # Safety
/// `files` points to a valid mg_files whose arrays and strings are valid for
/// their lengths; other pointers as in mg_diary_run; `skipped_out` is NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_report_files(
    files: *const mg_files,
    what: *const c_char,
    what_len: usize,
    read_options_json: *const c_char,
    read_options_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out: *mut *mut c_char,
    len_out: *mut usize,
    skipped_out: *mut *mut c_char,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        // SAFETY (all): the caller's pointers are live and valid.
        let f = unsafe { args::versioned(files, MG_FILES_VERSION, "files") }?;
        let what = unsafe { args::str_arg(what, what_len, "what") }?;
        let read =
            unsafe { args::opt_str_arg(read_options_json, read_options_len, "read_options_json") }?;
        let options = unsafe { args::opt_str_arg(options_json, options_len, "options_json") }?;
        let diary = unsafe { args::str_arg(f.diary.ptr, f.diary.len, "files.diary") }?;
        if diary.is_empty() {
            return api(MG_INVALID_ARGUMENT, "files.diary is empty");
        }
        let stream = Files::new(diary, unsafe {
            paths(f.interactions, f.interactions_len, "files.interactions")
        }?)
        .with_feedback(unsafe { paths(f.feedback, f.feedback_len, "files.feedback") }?)
        .with_records(unsafe { paths(f.records, f.records_len, "files.records") }?)
        .with_read(mindgap_core::api::options(read, "read")?);
        if stream.interactions.is_empty() {
            return api(
                MG_INVALID_ARGUMENT,
                "files.interactions is empty: give at least one interaction CSV file",
            );
        }
        let (json, skipped) = mindgap_core::api::run_files(&stream, what, options)?;
        // Both outputs made before either is written (written only on success).
        let skipped = CString::new(mindgap_core::api::to_json(&skipped));
        let (Ok(skipped), Ok(json)) = (skipped, CString::new(json)) else {
            return api(MG_INVALID_ARGUMENT, "the result contains a NUL byte");
        };
        // SAFETY: `out` checked non-NULL; the others NULL or writable.
        unsafe {
            if !len_out.is_null() {
                len_out.write(json.as_bytes().len());
            }
            out.write(json.into_raw());
            if !skipped_out.is_null() {
                skipped_out.write(skipped.into_raw());
            }
        }
        Ok(())
    })
}
