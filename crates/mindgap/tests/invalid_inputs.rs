//! Every kind of bad input gets its documented error: the golden cases in
//! `fixtures/invalid/cases.json`, with the expected code, kind and exact
//! message in `fixtures/invalid/expected.json` (shared with the C and JS
//! suites). `MINDGAP_BLESS=1 cargo test` rewrites the expectations; review the
//! diff before committing it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use mindgap::{Error, Mode};
use mindgap::{Loader, ReadOptions};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn bytes(case: &Value, key: &str) -> Option<Vec<u8>> {
    let text = case.get(key)?.as_str()?;
    if case.get("encode_latin1").and_then(Value::as_bool) == Some(true) {
        Some(text.chars().map(|c| c as u32 as u8).collect())
    } else {
        Some(text.as_bytes().to_vec())
    }
}

fn run(case: &Value, mode: Mode) -> Result<mindgap::Loaded, Error> {
    let base = std::fs::read(fixtures().join("diary-small.json")).unwrap();
    let diary = bytes(case, "diary").unwrap_or(base);
    let mut loader =
        Loader::from_json(&diary, "diary.json", ReadOptions::default().with_mode(mode))?;
    if let Some(csv) = bytes(case, "interactions_csv") {
        loader.read_csv(csv.as_slice(), "interactions.csv")?;
    }
    if let Some(csv) = bytes(case, "feedback_csv") {
        loader.read_csv(csv.as_slice(), "feedback.csv")?;
    }
    if let Some(jsonl) = bytes(case, "records_jsonl") {
        loader.read_jsonl(jsonl.as_slice(), "records.jsonl")?;
    }
    loader.finish()
}

#[test]
fn each_bad_input_gets_its_precise_error() {
    let cases: Vec<Value> =
        serde_json::from_slice(&std::fs::read(fixtures().join("invalid/cases.json")).unwrap())
            .unwrap();
    let expected_path = fixtures().join("invalid/expected.json");
    let mut actual = BTreeMap::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap().to_owned();
        let err = match run(case, Mode::Strict) {
            Ok(_) => panic!("case {name:?} was accepted"),
            Err(e) => e,
        };
        // Lenient mode reports the same error: fatal, or as a skipped record.
        match run(case, Mode::Lenient) {
            Err(e) => assert_eq!(e.to_string(), err.to_string(), "{name}"),
            Ok(loaded) => assert_eq!(
                loaded.skipped.first().map(ToString::to_string),
                Some(err.to_string()),
                "{name}: lenient mode must list the skipped record"
            ),
        }
        actual.insert(name, serde_json::to_value(err.to_report()).unwrap());
    }
    if std::env::var_os("MINDGAP_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&actual).unwrap();
        std::fs::write(&expected_path, text + "\n").unwrap();
        return;
    }
    let expected: BTreeMap<String, Value> =
        serde_json::from_slice(&std::fs::read(&expected_path).unwrap()).unwrap();
    for (name, got) in &actual {
        assert_eq!(Some(got), expected.get(name), "case {name:?}");
    }
    assert_eq!(
        actual.len(),
        expected.len(),
        "cases and expectations differ in number"
    );
}

#[test]
fn lenient_mode_keeps_the_good_rows_and_lists_every_bad_one() {
    let diary = std::fs::read(fixtures().join("diary-small.json")).unwrap();
    let csv = "id,opened_at,channel,stage\n\
               i1,2026-01-05T10:00:00+03:00,email,attraction\n\
               i2,not a time,email,attraction\n\
               i3,2026-01-05T10:00:00+03:00,email,nowhere\n\
               i4,2026-01-05T11:00:00+03:00,chat,service\n\
               i1,2026-01-05T12:00:00+03:00,chat,service\n";
    let mut loader = Loader::from_json(
        &diary,
        "diary.json",
        ReadOptions::default().with_mode(Mode::Lenient),
    )
    .unwrap();
    loader.read_csv(csv.as_bytes(), "i.csv").unwrap();
    let loaded = loader.finish().unwrap();
    let ids: Vec<&str> = loaded
        .diary
        .interactions
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(ids, ["i1", "i4"]);
    let lines: Vec<Option<u64>> = loaded
        .skipped
        .iter()
        .map(|e| e.location().and_then(|l| l.line))
        .collect();
    assert_eq!(lines, [Some(3), Some(4), Some(6)]);
    assert_eq!(
        loaded.skipped[2].to_string(),
        "i.csv line 6, record \"i1\", field \"id\": duplicate interaction id \"i1\" (first seen i.csv line 2)"
    );
}

/// English words of the message templates (three letters or more), but
/// the names the Russian templates use as well (`nps`, `rating`, `when`:
/// names of the format, the same in every language).
fn english_words() -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for &key in mindgap::text::Msg::ALL {
        let text = (mindgap::Lang::En.words().message)(key);
        out.extend(words(&without_holes(text)));
    }
    for &key in mindgap::text::Msg::ALL {
        for name in words(&without_holes((mindgap::Lang::Ru.words().message)(key))) {
            out.remove(&name);
        }
    }
    for shared in [
        "mindgap", "utf", "rfc", "iso", "iana", "csv", "nps", "csat", "ces",
    ] {
        out.remove(shared);
    }
    out
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_ascii_lowercase)
        .collect()
}

/// A template without its `{…}` placeholders.
fn without_holes(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A message with what it quotes (ids, fields, values: the data's, in
/// `"…"`, `'…'` or backticks) and its identifiers (`working_days[2]`,
/// `opened_at`, `--from`) taken out.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut quote = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '`') => quote = Some(c),
            None => out.push(c),
        }
    }
    out.split_whitespace()
        .filter(|w| !w.contains(['_', '[', '.', '-', '@', ':', '/']) || w.ends_with(':'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every golden error reads in Russian: the same code, kind and location,
/// and no English word of the catalogue in its text; only the texts of
/// parsers outside mindgap (serde_json's syntax errors, serde's enum and
/// level messages) stay as they are.
#[test]
fn each_bad_input_reads_in_russian() {
    let cases: Vec<Value> =
        serde_json::from_slice(&std::fs::read(fixtures().join("invalid/cases.json")).unwrap())
            .unwrap();
    let english = english_words();
    let mut parsers = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let err = run(case, Mode::Strict).unwrap_err();
        let (en, ru) = (err.to_report(), err.to_report_in(mindgap::Lang::Ru));
        assert_eq!(
            (en.code, en.kind, &en.location),
            (ru.code, ru.kind, &ru.location)
        );
        assert_ne!(en.message, ru.message, "{name}");
        // Words of the case's own input (column names, values) are data.
        let input: Vec<String> = ["diary", "interactions_csv", "feedback_csv", "records_jsonl"]
            .iter()
            .filter_map(|k| case.get(*k).and_then(Value::as_str))
            .flat_map(words)
            .chain(match &err {
                // Column and field names: mindgap's names, not words.
                Error::MissingColumns { missing, .. } => {
                    missing.iter().flat_map(|m| words(m)).collect()
                }
                Error::UnknownField { expected, .. } => words(expected),
                _ => Vec::new(),
            })
            .collect();
        let found: Vec<String> = words(&prose(&ru.message))
            .into_iter()
            .filter(|w| english.contains(w) && !input.contains(w) && w != "generic")
            .collect();
        if found.is_empty() {
            continue;
        }
        // A parser's own English after the Russian location.
        let parser = matches!(err.kind(), "mismatch" | "syntax")
            && !words(&prose(&without_location(&ru.message, &err))).is_empty();
        assert!(parser, "{name}: English {found:?} in {:?}", ru.message);
        parsers += 1;
    }
    assert!(parsers <= 5, "{parsers} messages still English");
}

/// The message after its location.
fn without_location(message: &str, err: &Error) -> String {
    let at = err
        .location()
        .map(|l| l.text(mindgap::Lang::Ru))
        .unwrap_or_default();
    message
        .strip_prefix(&at)
        .unwrap_or(message)
        .trim_start_matches(": ")
        .to_owned()
}
