//! Durations, in every form mindgap reads: the ISO 8601 text of a `Span`
//! (`PT4H`, `P1DT2,5H`, `-PT0.5S`), a zone level in JSON (`"PT4H"`,
//! `{"business_days": 1.5}`, `{"end_of_business_day": 1}`), and the CSV
//! duration columns of an import mapping (`seconds`, `minutes`, `hours`,
//! `days`, `hh:mm:ss`). The first byte picks the form (and the unit); the
//! rest is the text.
//!
//! Checked besides "no panic": what parses prints in a form that parses
//! back to the same value; a level's JSON reads back equal; a CSV duration
//! accepted lands `0 ..= 100 years` after `opened_at` and, for the number
//! units, at the number times the unit (to the millisecond).
#![no_main]
use chrono::DateTime;
use libfuzzer_sys::fuzz_target;
use mindgap_core::{Journal, Level, Span, api, sample};

#[path = "common.rs"]
mod common;

/// `100 * 366` days, the longest duration a CSV column may hold.
const MAX_CSV_MS: i64 = 100 * 366 * 86_400_000;
/// The units of a CSV duration column and each one's length in ms (`None`:
/// `hh:mm:ss`).
const UNITS: [(&str, Option<f64>); 5] = [
    ("seconds", Some(1e3)),
    ("minutes", Some(6e4)),
    ("hours", Some(3.6e6)),
    ("days", Some(8.64e7)),
    ("hh:mm:ss", None),
];

/// Every form once, accepted and refused, before the first input: the
/// thread-local caches the paths touch register their destructors now, not
/// as a "leak" of whichever input first needs one (see `common::warm_up`).
fn warm_up() {
    common::warm_up();
    for text in [
        &b"PT1H"[..],
        b"\0\"a\x01\"P1W\"\"x",
        b"{\"business_days\": 1.5}",
    ] {
        iso(text);
        level_json(text);
        for unit in 0..UNITS.len() {
            csv_column(unit, text);
            csv_column(unit, b"02:30");
            csv_column(unit, b"1,5");
        }
    }
}

fuzz_target!(init: warm_up(), |data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    match first % 3 {
        0 => iso(rest),
        1 => level_json(rest),
        _ => csv_column(usize::from(first / 3) % UNITS.len(), rest),
    }
});

/// A `Span` from its text, and the same text as a zone level.
fn iso(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let as_level = serde_json::from_value::<Level>(serde_json::Value::String(text.to_owned()));
    match text.parse::<Span>() {
        Ok(span) => {
            let printed = span.to_string();
            assert_eq!(
                printed.parse::<Span>(),
                Ok(span),
                "{text:?} prints as {printed:?}, which reads back differently"
            );
            assert!(!span.human().is_empty());
            match as_level {
                Ok(level) => assert_eq!(level, Level::Time(span), "{text:?} as a level"),
                Err(e) => panic!("{text:?} is a span but not a level: {e}"),
            }
            let json = serde_json::to_string(&span).expect("a span serializes");
            let back: Span = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
            assert_eq!(back, span);
        }
        Err(e) => {
            assert!(!e.to_string().is_empty(), "{text:?}: an empty message");
            assert!(as_level.is_err(), "{text:?} is a level but not a span");
        }
    }
}

/// A zone level from any JSON: what reads prints and reads back equal.
fn level_json(data: &[u8]) {
    let Ok(level) = serde_json::from_slice::<Level>(data) else {
        return;
    };
    let json = serde_json::to_string(&level).expect("a level serializes");
    let back: Level =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
    assert_eq!(back, level, "{json}");
    assert!(!level.to_string().is_empty());
    if let Some(span) = level.as_span() {
        assert!(!level.is_business_days());
        assert_eq!(span.to_string().parse::<Span>(), Ok(span));
    }
}

/// The text as a CSV duration column (`first_response_at` counted from
/// `opened_at`) in one unit.
fn csv_column(unit: usize, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (unit_name, per) = UNITS[unit];
    let options = format!(
        r#"{{"mode": "strict", "csv": {{"interaction_columns": {{
            "id": "id", "opened_at": "opened_at", "channel": "channel", "stage": "stage",
            "first_response_at": {{"column": "reply", "unit": "{unit_name}"}}}}}}}}"#
    );
    let options = api::options(&options, "read").expect("valid read options");
    let Ok(mut journal) = Journal::new(sample::definitions(), options) else {
        return;
    };
    let csv = format!(
        "id,opened_at,channel,stage,reply\nd1,2026-03-02T10:00:00+03:00,chat,service,\"{}\"\n",
        text.replace('"', "\"\"")
    );
    if journal.read_csv(csv.as_bytes(), "fuzz.csv").is_err() {
        return;
    }
    let printed = journal.run("diary", "").expect("the diary prints");
    let diary: serde_json::Value = serde_json::from_str(&printed).expect("the diary is JSON");
    let record = &diary["interactions"][0];
    let time = |field: &str| {
        record[field].as_str().map(|t| {
            DateTime::parse_from_rfc3339(t)
                .unwrap_or_else(|e| panic!("{field} {t:?} is not RFC 3339: {e}"))
                .timestamp_millis()
        })
    };
    let opened = time("opened_at").expect("opened_at printed");
    if let Some(reply) = time("first_response_at") {
        let ms = reply - opened;
        assert!(
            (0..=MAX_CSV_MS).contains(&ms),
            "{text:?} {unit_name}: {ms} ms, out of 0 ..= 100 years"
        );
        if let Some(per) = per {
            let n: f64 = text
                .trim()
                .replace(',', ".")
                .parse()
                .unwrap_or_else(|_| panic!("{text:?} accepted as {unit_name}, not a number"));
            let want = (n * per).round();
            assert!(
                (ms as f64 - want).abs() <= 1.0,
                "{text:?} {unit_name}: {ms} ms, expected {want}"
            );
        } else {
            assert!(
                matches!(text.matches(':').count(), 1 | 2),
                "{text:?} accepted as hh:mm:ss"
            );
        }
    }
    common::analyses_and_round_trip(&journal, common::REPORT);
}
