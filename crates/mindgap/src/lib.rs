//! # mindgap — the customer expectations diary
//!
//! mindgap keeps a diary of what customers expect at each stage of their
//! journey (a zone of tolerance: the *desired* and the *adequate* level) and of
//! what they actually got (interactions and feedback), and measures the gap.
//!
//! The crate is pure: no clock reads, no global state. Callers pass the
//! "as of" instant; the same input always gives the same result.

pub mod calendar;
pub mod clock;
pub mod error;
pub mod model;
pub mod span;

pub use calendar::Calendar;
pub use error::{Error, ErrorReport, Location, Result};
pub use model::*;
pub use span::Span;
