//! The golden report shared with the JS suite: the gap report of the built-in
//! sample diary with 300 interactions, as the core prints it. Written when
//! absent (or with `MINDGAP_BLESS=1`), compared otherwise; the JS tests check
//! that `gapReport(sampleDiary(300))` equals it.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

#[test]
fn sample_300_report_matches_the_golden_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/golden/sample-300-report.json");
    let report = mindgap::report(&mindgap::sample::diary(300), &Default::default()).unwrap();
    let json = mindgap::api::to_json(&report) + "\n";
    if std::env::var_os("MINDGAP_BLESS").is_some() || !path.exists() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &json).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    assert!(
        golden == json,
        "{} differs from the core's report; MINDGAP_BLESS=1 rewrites it (review the diff)",
        path.display()
    );
}

/// The trend the JS suite compares with: `trend(sampleDiary(1200), TREND)`
/// in the npm package must give these bytes' figures exactly (p-values
/// included: the core's ln/exp are the same code natively and in wasm).
const TREND: &str = r#"{"metric": "missed", "by": "stage", "bucket": "week"}"#;

#[test]
fn sample_1200_trend_matches_the_golden_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/golden/sample-1200-trend.json");
    let journal = mindgap::Journal::new(
        mindgap::sample::diary(1200),
        mindgap::ReadOptions::default(),
    )
    .unwrap();
    let json = mindgap::api::run(&journal, "trend", TREND).unwrap() + "\n";
    if std::env::var_os("MINDGAP_BLESS").is_some() || !path.exists() {
        std::fs::write(&path, &json).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    assert!(
        golden == json,
        "{} differs from the core's trend; MINDGAP_BLESS=1 rewrites it (review the diff)",
        path.display()
    );
    let options =
        std::fs::read_to_string(path.with_file_name("sample-1200-trend-options.json")).unwrap();
    assert_eq!(options.trim(), TREND);
}
