//! What is read from a tally: the gap report and its remarks, trends, the
//! follow-up list, drill-down to the records behind a figure, people and
//! recurring problems.

pub(crate) mod drill;
pub(crate) mod followup;
#[cfg(test)]
mod loop_tests;
pub(crate) mod remark;
pub(crate) mod report;
pub(crate) mod trend;
