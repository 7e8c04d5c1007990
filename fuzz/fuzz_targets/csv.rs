//! CSV records under every import profile: the first byte picks the profile
//! (0: none, then the profiles in `profile_names()` order) and strict or
//! lenient mode; the rest is the file, read into the sample's definitions.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mindgap_core::{Journal, api, profile_names, sample};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&first, csv)) = data.split_first() else {
        return;
    };
    let profiles: Vec<&str> = profile_names().collect();
    let pick = usize::from(first & 0x7f) % (profiles.len() + 1);
    let mode = if first & 0x80 != 0 {
        "lenient"
    } else {
        "strict"
    };
    let options = match pick {
        0 => format!(r#"{{"mode": "{mode}"}}"#),
        k => format!(
            r#"{{"mode": "{mode}", "csv": {{"from": "{}"}}}}"#,
            profiles[k - 1]
        ),
    };
    let options = api::options(&options, "read").expect("valid read options");
    let Ok(mut journal) = Journal::new(sample::definitions(), options) else {
        return;
    };
    if journal.read_csv(csv, "fuzz.csv").is_ok() {
        let _ = journal.link();
        common::analyses_and_round_trip(&journal, common::REPORT);
    }
});
