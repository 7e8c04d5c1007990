//! What is read from a tally: the gap report and its remarks, trends, the
//! follow-up list, the breach queue, drill-down to the records behind a figure, people and
//! recurring problems.

#[cfg(feature = "analyses")]
pub(crate) mod drill;
#[cfg(feature = "analyses")]
pub(crate) mod due;
pub(crate) mod fold;
#[cfg(feature = "analyses")]
pub(crate) mod followup;
#[cfg(test)]
#[cfg(feature = "analyses")]
mod loop_tests;
#[cfg(feature = "analyses")]
pub(crate) mod problems;
pub(crate) mod remark;
#[cfg(test)]
mod remark_tests;
pub(crate) mod report;
pub(crate) mod trend;

pub use header::Header;
mod header {
    use serde::{Deserialize, Serialize};

    use crate::model::Timestamp;

    /// What every analysis result opens with: its schema, the diary it was
    /// read from, the zone its periods are in, and its instant. In JSON its
    /// fields are the result's first keys (`schema`, `diary`, `timezone`,
    /// `as_of`), each optional part left out when absent.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct Header {
        /// The result's schema (`mindgap/report/1`, …).
        pub schema: String,
        /// The diary's name (all but a trend).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub diary: Option<String>,
        /// The diary's time zone (a report).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub timezone: Option<String>,
        /// The instant the result is as of.
        #[serde(with = "crate::model::rfc3339")]
        pub as_of: Timestamp,
    }
}
