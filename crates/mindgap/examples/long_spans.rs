//! Times business-time arithmetic over long spans (years 1..=9999): a
//! follow-the-sun union of three zones, one working day compiled in a DST
//! zone, hours that change on a date. Prints each result and how long it
//! took (the first call per thread finds the zones' changes):
//!
//!     cargo run --release -p mindgap --example long_spans [UNION_YEARS]
//!
//! `UNION_YEARS` (default 9999) bounds the union's span from year 1.
#![allow(clippy::expect_used)] // a timing example: a failure is a bug to see at once

use std::time::Instant;

use mindgap::{BusinessCalendar, Calendar, MAX_INSTANT_MS, MIN_INSTANT_MS, TimeZone};

fn compile(json: &str, zone: &str) -> Vec<BusinessCalendar> {
    let cals: Vec<Calendar> = serde_json::from_str(json).expect("calendars");
    let tz = TimeZone::from_name(zone).expect("zone");
    cals.iter()
        .map(|c| c.compile_among(tz, &cals, &[]).expect("compiles"))
        .collect()
}

fn timed<T: std::fmt::Debug>(what: &str, f: impl FnOnce() -> T) {
    let t = Instant::now();
    let v = f();
    println!(
        "{what:<58} {:>10.3} ms  {v:?}",
        t.elapsed().as_secs_f64() * 1e3
    );
}

fn main() {
    let years: i64 = std::env::args()
        .nth(1)
        .map_or(9999, |a| a.parse().expect("a number of years"));
    let week = r#"{"mon": ["09:00-13:00", "14:00-18:00"], "tue": ["09:00-13:00", "14:00-18:00"],
        "wed": ["09:00-13:00", "14:00-18:00"], "thu": ["09:00-13:00", "14:00-18:00"],
        "fri": ["09:00-13:00", "14:00-18:00"]}"#;
    let sun = compile(
        &format!(
            r#"[{{"id": "emea", "timezone": "Europe/London", "hours": {week}}},
            {{"id": "amer", "timezone": "America/New_York", "hours": {week}}},
            {{"id": "apac", "timezone": "Australia/Lord_Howe", "hours": {week}}},
            {{"id": "global", "follow_the_sun": ["emea", "amer", "apac"]}}]"#
        ),
        "UTC",
    );
    let global = &sun[3];
    timed(
        "the three zones' changes, years 1..9999 (once a thread)",
        || {
            let mut n = 0;
            for z in ["Europe/London", "America/New_York", "Australia/Lord_Howe"] {
                let zone = TimeZone::from_name(z).expect("zone");
                let mut t = MIN_INSTANT_MS;
                while let Some(c) = zone.next_change(t, MAX_INSTANT_MS) {
                    n += 1;
                    t = c;
                }
            }
            n
        },
    );
    let end = (MIN_INSTANT_MS + years * 31_556_952_000).min(MAX_INSTANT_MS);
    let span = format!("years 1..{years}");
    timed(&format!("union duration, {span}"), || {
        global.duration_ms(MIN_INSTANT_MS, end)
    });
    timed(&format!("union duration again, {span}"), || {
        global.duration_ms(MIN_INSTANT_MS, end)
    });
    timed("union deadline of 1e12 ms from year 1", || {
        global.deadline_ms(MIN_INSTANT_MS, 1_000_000_000_000)
    });
    timed("union business days 2026..2027", || {
        global.business_days(1_767_225_600_000, 1_798_761_600_000)
    });

    let few = compile(
        r#"[{"id": "few", "hours": {}, "working_days": [{"date": "2030-01-02", "hours": ["09:00-10:00"]}]}]"#,
        "Australia/Lord_Howe",
    );
    timed("one working day, Lord Howe: duration years 1..9999", || {
        few[0].duration_ms(MIN_INSTANT_MS, MAX_INSTANT_MS)
    });
    timed(
        "one working day, Lord Howe: next opening after 2031",
        || few[0].next_opening_ms(1_924_992_000_000),
    );
    let sparse = compile(
        r#"[{"id": "few", "hours": {}, "working_days": [{"date": "1014-01-02", "hours": ["09:00-10:00"]}]}]"#,
        "America/New_York",
    );
    let y1015 = chrono::NaiveDate::from_ymd_opt(1015, 1, 1)
        .expect("a date")
        .and_hms_opt(0, 0, 0)
        .expect("a time")
        .and_utc()
        .timestamp_millis();
    timed(
        "one working day in 1014, New York: next opening after",
        || sparse[0].next_opening_ms(y1015),
    );
    timed(
        "one working day in 1014, New York: duration to 9999",
        || sparse[0].duration_ms(y1015, MAX_INSTANT_MS),
    );
    let sla = compile(
        r#"[{"id": "support-hours", "hours": {"mon": ["09:00-18:00"], "tue": ["09:00-18:00"],
          "wed": ["09:00-18:00"], "thu": ["09:00-18:00"], "fri": ["09:00-18:00"]},
          "holidays": ["11-04", "01-01/01-08"],
          "changes": [{"from": "2026-11-10", "hours": {"mon": ["08:00-17:00"], "tue": ["08:00-17:00"],
          "wed": ["08:00-17:00"], "thu": ["08:00-17:00"], "fri": ["08:00-17:00"]}}]}]"#,
        "Australia/Lord_Howe",
    );
    timed(
        "hours that change in 2026, Lord Howe: duration 1..9999",
        || sla[0].duration_ms(MIN_INSTANT_MS, MAX_INSTANT_MS),
    );
    timed(
        "hours that change in 2026, Lord Howe: deadline 1e12 ms",
        || sla[0].deadline_ms(MIN_INSTANT_MS, 1_000_000_000_000),
    );
}
