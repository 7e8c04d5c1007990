//! Which tz data the library reads zones from: `MINDGAP_TZDATA` at the
//! first call, else `auto` (the system's database when there is one, else
//! the copy compiled in); [`mg_tzdata_set`] chooses explicitly.

use std::ffi::c_char;

use mindgap_core::{TzDataChoice, set_tzdata};

use crate::args;

static DEFAULT: std::sync::Once = std::sync::Once::new();

/// Makes the library's default choice, once, before the first call that
/// may name a zone (the boundary calls it). An unusable `MINDGAP_TZDATA`
/// leaves the compiled copy (mg_tzdata says which data is in use;
/// mg_tzdata_set reports why a choice cannot be used).
pub fn ensure_default() {
    DEFAULT.call_once(|| {
        // The crate's own tests compare with golden files made from the
        // compiled copy, whatever the machine's database.
        let choice = if cfg!(test) {
            TzDataChoice::Compiled
        } else {
            TzDataChoice::from_env()
                .ok()
                .flatten()
                .unwrap_or(TzDataChoice::Auto)
        };
        if set_tzdata(&choice).is_err() {
            let _ = set_tzdata(&TzDataChoice::Compiled);
        }
    });
}

/// Chooses the tz data zones named from now on are read from: `"auto"`
/// (the system's database, `$TZDIR` or `/usr/share/zoneinfo`, when there
/// is one; else the copy compiled in), `"compiled"`, `"system"` (an error
/// without one), or a directory of TZif files. Without a call the library
/// uses `MINDGAP_TZDATA`, else `"auto"`. A zone the chosen database lacks
/// is read from the compiled copy. The choice is process-wide: make it
/// before loading diaries, not while other threads use the library.
///
/// On success, when `out` is not NULL, writes the data now in use as JSON
/// (`{"source": "system", "release": "2025b", "path": "/usr/share/zoneinfo"}`;
/// free with mg_string_free). A choice that cannot be used is
/// MG_INVALID_OPTION and changes nothing.
///
/// # Safety
/// `choice` points to `choice_len` readable bytes; `out` is NULL or
/// writable; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_tzdata_set(
    choice: *const c_char,
    choice_len: usize,
    out: *mut *mut c_char,
    len_out: *mut usize,
) -> crate::mg_status {
    boundary!({
        // SAFETY: forwarded from the caller.
        let text = unsafe { args::str_arg(choice, choice_len, "choice") }?;
        let choice: TzDataChoice = text.parse().map_err(|message: String| {
            crate::Failure::Core(mindgap_core::Error::InvalidOption {
                option: "tzdata".into(),
                message: message.into(),
            })
        })?;
        let used = set_tzdata(&choice)?;
        if out.is_null() {
            return Ok(());
        }
        // SAFETY: `out` is non-NULL; `len_out` is NULL or writable.
        unsafe { args::string_out(mindgap_core::api::to_json(&used), out, len_out) }
    })
}

/// The tz data zones named now are read from, as JSON (see mg_tzdata_set);
/// free with mg_string_free. `len_out` may be NULL.
///
/// # Safety
/// `out` is a valid pointer to write to; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_tzdata(out: *mut *mut c_char, len_out: *mut usize) -> crate::mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        let used = mindgap_core::tzdata();
        // SAFETY: `out` was checked non-NULL; `len_out` is NULL or writable.
        unsafe { args::string_out(mindgap_core::api::to_json(&used), out, len_out) }
    })
}
