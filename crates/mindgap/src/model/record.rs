//! One record of any kind, as a JSON Lines line or a CSV row carries it.

use serde::{Deserialize, Serialize};

use super::*;

/// One record of any kind: a line of JSON Lines (`{"type": "interaction", …}`)
/// or a row of CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Record {
    /// An interaction.
    Interaction(Interaction),
    /// A feedback record.
    Feedback(Feedback),
    /// An expectation (a definition or a new measurement of one).
    Expectation(Expectation),
    /// A manual observation.
    Observation(Observation),
    /// A follow-up done outside the interaction log.
    FollowUp(FollowUpRecord),
}

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    /// Interactions.
    Interactions,
    /// Feedback.
    Feedback,
}

pub(crate) fn record_key(record: &Record) -> Option<&str> {
    let id = match record {
        Record::Interaction(r) => r.id.as_str(),
        Record::Feedback(r) => r.id.as_str(),
        Record::Expectation(r) => r.id.as_str(),
        Record::Observation(r) => r.id.as_str(),
        Record::FollowUp(r) => r.id.as_str(),
    };
    (!id.is_empty()).then_some(id)
}

/// The kind of a record a result points back to (a drill-down row, a
/// customer's history, what closed a follow-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecordKind {
    /// A feedback record.
    Feedback,
    /// A follow-up record.
    FollowUp,
    /// An interaction.
    Interaction,
    /// A manual observation.
    Observation,
}

crate::util::names!(RecordKind {
    Feedback => "feedback",
    FollowUp => "follow_up",
    Interaction => "interaction",
    Observation => "observation",
});
