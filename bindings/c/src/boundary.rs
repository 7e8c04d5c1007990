//! The one boundary every export goes through: panics are caught (a panic must
//! never unwind into C), failures become an [`mg_status`] and their message
//! the thread's last error.

use std::cell::RefCell;

use mindgap_core::Error;
use serde::Serialize;

use crate::status::{self, mg_status};

/// Why a call failed: an error of the core (its code is the status), or a
/// misuse of the C API.
// Failures are cold and carry the core's full location: worth their size
// (the workspace allows result_large_err for the same reason).
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Failure {
    /// An error of the core, with its location.
    Core(Error),
    /// A misuse of the API (NULL, bad UTF-8, out-of-range argument…).
    Api(mg_status, String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Core(e)
    }
}

/// The last failure of this thread.
#[derive(Debug, Clone)]
pub struct LastError {
    /// Its status.
    pub status: mg_status,
    /// Its message.
    pub message: String,
    /// Its report as JSON.
    pub json: String,
}

thread_local! {
    static LAST: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

/// Reads this thread's last error.
pub fn last_error<T>(f: impl FnOnce(Option<&LastError>) -> T) -> T {
    LAST.with(|l| f(l.borrow().as_ref()))
}

#[derive(Serialize)]
struct ApiReport<'a> {
    code: u32,
    kind: &'a str,
    message: &'a str,
    location: mindgap_core::Location,
}

/// Records a failure as the thread's last error and returns its status.
pub fn fail(f: Failure) -> mg_status {
    let last = match f {
        Failure::Core(e) => LastError {
            status: status::of_core(&e),
            message: e.to_string(),
            json: mindgap_core::api::to_json(&e.to_report()),
        },
        Failure::Api(status, message) => LastError {
            status,
            json: mindgap_core::api::to_json(&ApiReport {
                code: status as u32,
                kind: status::kind(status),
                message: &message,
                location: Default::default(),
            }),
            message,
        },
    };
    // A NUL in a message (a name passed with its terminator counted in its
    // length) would make the message unreadable from C: reading the last
    // error must never fail, so it is written as `\0`.
    let last = LastError {
        message: if last.message.contains('\0') {
            last.message.replace('\0', "\\0")
        } else {
            last.message
        },
        ..last
    };
    let status = last.status;
    LAST.with(|l| *l.borrow_mut() = Some(last));
    status
}

/// Records a caught panic as the thread's last error.
pub fn panicked(payload: Box<dyn std::any::Any + Send>) -> mg_status {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown payload".into());
    fail(Failure::Api(
        mg_status::MG_PANIC,
        format!("internal error: a panic was caught at the C boundary ({what}); please report it"),
    ))
}

/// An API misuse.
pub fn api<T>(status: mg_status, message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::Api(status, message.into()))
}

/// Wraps the body of every `extern "C"` function.
///
/// - `boundary!({ … })`: the body returns `Result<(), Failure>`; the function
///   returns `MG_OK` or the failure's status (message kept as last error).
/// - `boundary!(or FALLBACK => { … })`: for the few infallible functions
///   (frees, static strings): the body's value, or `FALLBACK` after a panic.
macro_rules! boundary {
    (or $fallback:expr => $body:block) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(payload) => {
                $crate::boundary::panicked(payload);
                $fallback
            }
        }
    }};
    ($body:block) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(
            || -> ::std::result::Result<(), $crate::boundary::Failure> {
                // The tz data (MINDGAP_TZDATA, else auto), chosen once.
                $crate::tzdata::ensure_default();
                $body
            },
        )) {
            Ok(Ok(())) => $crate::status::mg_status::MG_OK,
            Ok(Err(failure)) => $crate::boundary::fail(failure),
            Err(payload) => $crate::boundary::panicked(payload),
        }
    }};
}
