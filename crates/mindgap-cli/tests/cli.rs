//! The `mindgap` command end to end: real processes, real files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn mindgap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sample(dir: &Path, rows: &str) -> [String; 3] {
    let out = mindgap(&["sample", "--out", dir.to_str().unwrap(), "--rows", rows]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    ["diary.json", "interactions.csv", "feedback.csv"]
        .map(|f| dir.join(f).to_str().unwrap().to_owned())
}

#[test]
fn sample_then_validate_passes() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample(dir.path(), "500");
    let out = mindgap(&["validate", &files[0], &files[1], &files[2]]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout)
            .starts_with("ok: 4 stage(s), 13 expectation record(s), 500 interaction(s)")
    );
}

#[test]
fn validate_lists_every_bad_row_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample(dir.path(), "50");
    let feedback = dir.path().join("bad-feedback.csv");
    std::fs::write(
        &feedback,
        "id,at,interaction,kind,score\n\
         b1,2026-06-01T10:00:00+03:00,i-0000001,nps,6.5\n\
         b2,2026-06-01T10:00:00+03:00,i-0000001,csat,4\n\
         b3,2026-06-01T10:00:00+03:00,i-9999999,csat,4\n",
    )
    .unwrap();
    let out = mindgap(&["validate", &files[0], &files[1], feedback.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("bad-feedback.csv line 2, record \"b1\", field \"score\": invalid value \"6.5\": expected a whole number from 0 to 10 for nps"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "line 4, record \"b3\", field \"interaction\": unknown interaction \"i-9999999\""
        ),
        "{stdout}"
    );
    assert!(stdout.contains("2 record(s) rejected"), "{stdout}");

    let json = mindgap(&[
        "validate",
        "--format",
        "json",
        &files[0],
        &files[1],
        feedback.to_str().unwrap(),
    ]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"][0]["code"], 15);
    assert_eq!(report["errors"][0]["location"]["line"], 2);
    assert_eq!(report["counts"]["feedback"], 1);

    let strict = mindgap(&[
        "validate",
        "--strict",
        &files[0],
        &files[1],
        feedback.to_str().unwrap(),
    ]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        text(&strict.stderr).contains("\"b1\""),
        "{}",
        text(&strict.stderr)
    );
}

#[test]
fn usage_errors_exit_with_2_and_say_why() {
    let out = mindgap(&["validate", "nowhere.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no diary given"),
        "{}",
        text(&out.stderr)
    );
    let out = mindgap(&["validate", "/nonexistent/diary.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("/nonexistent/diary.json"),
        "{}",
        text(&out.stderr)
    );
}
