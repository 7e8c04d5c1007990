//! # mindgap — the customer expectations diary
//!
//! mindgap keeps a diary of what customers expect at each stage of their
//! journey (a zone of tolerance: the *desired* and the *adequate* level) and of
//! what they actually got (interactions and feedback), and measures the gap.
//!
//! The crate is pure: no clock reads, no global state (but the cache of the
//! WebAssembly build's time-zone offsets, see [`tz`]). Callers pass the "as
//! of" instant; the same input always gives the same result.
//!
//! - [`model`]: the diary as plain serde data;
//! - [`read`]: the JSON diary, CSV and JSON Lines readers, strict or lenient;
//! - [`validate`]: the rules every record is checked against;
//! - [`sample`]: the built-in sample diary;
//! - [`tz`]: IANA time zones, from the compiled tz database or the
//!   JavaScript runtime.

pub mod api;
pub mod calendar;
pub mod clock;
pub mod csv;
pub mod error;
mod ids;
pub mod journal;
mod jsonpath;
mod lines;
pub mod model;
pub mod period;
pub mod read;
pub mod sample;
pub mod score;
mod sort;
pub mod span;
pub mod stats;
pub mod trend;
pub mod tz;
pub mod validate;

pub use calendar::Calendar;
pub use error::{Error, ErrorReport, Location, Result};
pub use journal::Journal;
pub use model::*;
pub use read::{Loaded, Loader, ReadOptions, Record};
pub use span::Span;
pub use tz::TimeZone;
pub use validate::Mode;
