//! The ways records reach the engine for a report: streamed from files in
//! bounded memory, fed piece by piece to a live diary, or held whole.

pub(crate) mod files;
pub(crate) mod live;
pub(crate) mod stream;
#[cfg(test)]
mod twice_tests;
