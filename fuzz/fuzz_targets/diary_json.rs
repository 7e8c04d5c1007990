//! The diary JSON (schema mindgap/1): stages, expectations, calendars,
//! durations, time zones, records.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mindgap_core::{Journal, ReadOptions};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(journal) = Journal::from_json(data, "fuzz.json", ReadOptions::default()) {
        common::analyses_and_round_trip(&journal, common::ALL);
    }
});
