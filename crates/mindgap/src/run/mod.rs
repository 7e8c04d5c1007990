//! The ways records reach the engine for a report: streamed from files in
//! bounded memory, fed piece by piece to a live diary, or held whole.

#[cfg(test)]
#[cfg(feature = "analyses")]
mod analyses_tests;
pub(crate) mod files;
#[cfg(feature = "analyses")]
pub(crate) mod followups;
pub(crate) mod live;
pub(crate) mod stream;
#[cfg(test)]
mod twice_tests;
