//! What every parser target checks once its input was read: the analyses
//! run without a panic, and the diary as the library prints it reads back and
//! prints the same ("any instant mindgap accepts, it can print and read back").

use mindgap_core::{Journal, ReadOptions, TimeZone};

/// Every analysis the diary targets run; the record targets (csv, jsonl) run
/// the report alone, so that their executions go to the parsers (all of them
/// took a 10 KB import file to ~150 ms an execution under ASan).
#[allow(dead_code)]
pub const ALL: &[&str] = &["validate", "report", "trend", "follow_ups", "due"];
/// The record targets' analysis.
#[allow(dead_code)]
pub const REPORT: &[&str] = &["report"];

#[allow(dead_code)]
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

/// Touches the core's thread-local caches once before fuzzing (the cache of
/// a zone's offset changes, `time/tz.rs`): the first touch registers a
/// destructor with glibc (`__cxa_thread_atexit_impl`, 32 bytes that live as
/// long as the thread), which LeakSanitizer would report as a leak of
/// whichever input came first to need the cache.
#[allow(dead_code)]
pub fn warm_up() {
    if let Some(zone) = TimeZone::from_name("Europe/Berlin") {
        let _ = zone.next_change(0, 2 * 365 * 86_400_000);
        // Past 2400, where the changes are read off a 400-year cycle kept
        // in a cache of its own.
        let y2400 = 13_569_465_600_000;
        let _ = zone.next_change(y2400, y2400 + 400 * 86_400_000);
    }
}
