//! # The C face of mindgap
//!
//! `libmindgap.{a,so}` and `include/mindgap.h`: a diary handle that runs any
//! analysis by name and returns its canonical JSON, plus batch scoring and
//! exact, mergeable accumulators for hot paths. This crate only translates
//! between C and the core (`crates/mindgap`); it holds no logic of its own.
//!
//! Conventions, enforced here for every export:
//! - every `extern "C"` function body is one [`boundary!`] call: panics are
//!   caught and become [`mg_status::MG_PANIC`], failures keep their message as
//!   the thread's last error ([`mg_last_error_message`]); a unit test scans the
//!   source and fails if any export bypasses it;
//! - fallible functions return [`mg_status`] and write outputs through their
//!   trailing out-parameters only on success;
//! - NULL where a value is required is [`mg_status::MG_NULL_ARGUMENT`];
//!   `mg_*_free(NULL)` does nothing;
//! - strings in are pointer + length, checked to be UTF-8; strings out are
//!   NUL-terminated, owned by the library and freed by [`mg_string_free`].

#![allow(non_camel_case_types)]

#[macro_use]
mod boundary;
mod args;
mod diary;
mod files;
mod status;
mod tzdata;
mod zone;

#[cfg(test)]
mod tests;

use std::ffi::{CString, c_char};

pub use boundary::Failure;
pub use diary::*;
pub use files::*;
pub use status::mg_status;
pub use tzdata::*;
pub use zone::*;

/// Major version of the library this header belongs to (also the SONAME's).
pub const MINDGAP_VERSION_MAJOR: u32 = 0;
/// Minor version of the library this header belongs to.
pub const MINDGAP_VERSION_MINOR: u32 = 1;
/// Patch version of the library this header belongs to.
pub const MINDGAP_VERSION_PATCH: u32 = 0;
/// The header's version as one number, MAJOR * 10000 + MINOR * 100 + PATCH
/// (0.1.0 is 100), to compare with mg_version_number() at run time.
pub const MINDGAP_VERSION_NUMBER: u32 =
    MINDGAP_VERSION_MAJOR * 10000 + MINDGAP_VERSION_MINOR * 100 + MINDGAP_VERSION_PATCH;

/// The version of the library, e.g. `"0.1.0"`: a static string, never freed.
/// Compare it with the MINDGAP_VERSION_* macros to catch a header that does
/// not match the library linked.
#[unsafe(no_mangle)]
pub extern "C" fn mg_version() -> *const c_char {
    boundary!(or std::ptr::null() => {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}

/// The version of the library linked as one number, MAJOR * 10000 +
/// MINOR * 100 + PATCH (0.1.0 is 100): compare it with MINDGAP_VERSION_NUMBER.
/// While the major version is 0, a library whose MAJOR * 100 + MINOR differs
/// from the header's is a different ABI (the SONAME says so too:
/// `libmindgap.so.0.MINOR`).
#[unsafe(no_mangle)]
pub extern "C" fn mg_version_number() -> u32 {
    boundary!(or 0 => { MINDGAP_VERSION_NUMBER })
}

/// The name of a status code (`"MG_NULL_ARGUMENT"`), or `"MG_UNKNOWN_STATUS"`:
/// a static string, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn mg_status_name(status: i32) -> *const c_char {
    boundary!(or std::ptr::null() => {
        status::name(status).as_ptr().cast()
    })
}

/// Frees a string returned by this library. `NULL` does nothing. Each string
/// is freed once; never pass it to `free()`.
///
/// # Safety
/// `s` is NULL or a string returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_string_free(s: *mut c_char) {
    boundary!(or () => {
        if !s.is_null() {
            // SAFETY: the caller passes a pointer from CString::into_raw (the
            // only way this library returns strings), not yet freed.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// Frees bytes returned by this library (mg_accumulator_serialize). `NULL`
/// does nothing. The library keeps the length in a header before the bytes,
/// so the pointer alone is enough. Any other pointer is undefined behaviour;
/// the header's check value catches some such mistakes (a string returned
/// by the library, say): that pointer is left alone, not freed, and the
/// thread's last error says so.
///
/// # Safety
/// `bytes` is NULL or bytes returned by this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_bytes_free(bytes: *mut u8) {
    boundary!(or () => {
        // SAFETY: forwarded from the caller.
        if let Err(f) = unsafe { args::bytes_free(bytes) } {
            boundary::fail(f);
        }
    })
}

/// The message of the last failure on this thread (file, line, record and
/// field included when known), as a new string to free with
/// mg_string_free; `""` when nothing has failed yet. Successful calls do not
/// clear it. `len_out` may be NULL.
///
/// # Safety
/// `out` is a valid pointer to write to; `len_out` is NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_last_error_message(
    out: *mut *mut c_char,
    len_out: *mut usize,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        let message = boundary::last_error(|e| e.map(|e| e.message.clone()));
        // SAFETY: `out` was checked non-NULL; `len_out` is NULL or valid.
        unsafe { args::string_out(message.unwrap_or_default(), out, len_out) }
    })
}

/// The last failure on this thread as JSON: `{"code", "kind", "message",
/// "location": {"file", "line", "path", "record", "field", "column"}}` (the core's
/// error report; location parts that are unknown are left out), or `"null"`
/// when nothing has failed yet. Free with mg_string_free. `len_out` may be
/// NULL.
///
/// # Safety
/// `out` is a valid pointer to write to; `len_out` is NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_last_error_json(
    out: *mut *mut c_char,
    len_out: *mut usize,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        let json = boundary::last_error(|e| e.map(|e| e.json.clone()));
        // SAFETY: `out` was checked non-NULL; `len_out` is NULL or valid.
        unsafe { args::string_out(json.unwrap_or_else(|| "null".into()), out, len_out) }
    })
}
