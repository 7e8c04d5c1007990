//! What every parser target checks once its input was read: the analyses
//! run without a panic, and the diary as the library prints it reads back and
//! prints the same ("any instant mindgap accepts, it can print and read back").

use mindgap_core::{Journal, ReadOptions};

/// Every analysis the diary targets run; the record targets (csv, jsonl) run
/// the report alone, so that their executions go to the parsers (all of them
/// took a 10 KB import file to ~150 ms an execution under ASan).
pub const ALL: &[&str] = &["validate", "report", "trend", "follow_ups", "due"];
/// The record targets' analysis.
pub const REPORT: &[&str] = &["report"];

pub fn analyses_and_round_trip(journal: &Journal, analyses: &[&str]) {
    for what in analyses {
        let _ = journal.run(what, "");
    }
    let Ok(printed) = journal.run("diary", "") else {
        return;
    };
    let back = match Journal::from_json(printed.as_bytes(), "printed.json", ReadOptions::default())
    {
        Ok(back) => back,
        Err(e) => panic!("the library rejects its own diary: {e}\n{printed}"),
    };
    let again = back
        .run("diary", "")
        .unwrap_or_else(|e| panic!("printing it again: {e}"));
    assert!(again == printed, "the diary read back prints differently");
}
