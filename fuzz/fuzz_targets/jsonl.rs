//! JSON Lines records (`{"type": "interaction" | "feedback" | …}` a line),
//! read into the sample's definitions.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mindgap_core::{Journal, ReadOptions, sample};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(mut journal) = Journal::new(sample::definitions(), ReadOptions::default()) else {
        return;
    };
    if journal.read_jsonl(data, "fuzz.jsonl").is_ok() {
        let _ = journal.link();
        common::analyses_and_round_trip(&journal, common::REPORT);
    }
});
