//! Business calendars: definitions compiled from fuzzed JSON (the
//! `calendars` and `holiday_lists` of a diary, or one calendar alone), then
//! business time between fuzzed instants, deadlines, openings and business
//! days. The first 25 bytes are the instants and the duration, the rest the
//! JSON.
//!
//! Checked besides "no panic", the properties `BusinessCalendar` documents
//! and its unit tests state (`time/calendar_tests.rs`): durations are never
//! negative, never longer than the real time, and add up over adjacent
//! ranges; the deadline is the earliest instant with exactly the business
//! time asked, so `deadline(a, duration(a, b)) <= b` (and `== b` when the
//! millisecond before `b` is business time); the next opening is open and no
//! business time away; business days add up too.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mindgap_core::{
    BusinessCalendar, Calendar, HolidayList, MAX_INSTANT_MS, MIN_INSTANT_MS, TimeZone,
};
use serde::Deserialize;

#[path = "common.rs"]
mod common;

/// The default zones a calendar without `timezone` is compiled in: UTC,
/// whole-hour DST, a 30-minute DST (Lord Howe), a 45-minute offset, a zone
/// that skipped a whole date (Apia, 2011-12-30).
const ZONES: [&str; 5] = [
    "UTC",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
];
/// Calendars compiled per input, at most (the exec rate matters more).
const MAX_CALENDARS: usize = 4;
const HOUR: i64 = 3_600_000;
/// 2020-01-01T00:00:00Z: most instants fall in the 40 years after it.
const BASE: i64 = 1_577_836_800_000;
const SPREAD: i64 = 40 * 366 * 24 * HOUR;

#[derive(Deserialize)]
struct Definitions {
    #[serde(default)]
    calendars: Vec<Calendar>,
    #[serde(default)]
    holiday_lists: Vec<HolidayList>,
}

fuzz_target!(init: common::warm_up(), |data: &[u8]| {
    if data.len() < 25 {
        return;
    }
    let (head, json) = data.split_at(25);
    let word = |k: usize| i64::from_le_bytes(head[1 + 8 * k..9 + 8 * k].try_into().unwrap());
    let flags = head[0];
    // Mostly instants of the years people use; with a flag, anything at all
    // (the arithmetic clamps to years 1..=9999).
    let instant = |raw: i64, wide: bool| {
        if wide {
            raw
        } else {
            BASE + raw.rem_euclid(SPREAD)
        }
    };
    // Both ends anywhere with a flag (years 1..=9999 after clamping), and
    // any business time: a follow-the-sun union sums cached blocks and
    // 400-year cycles, a zone's changes are read off its repeating rules,
    // so years 1 to 9999 cost milliseconds (fuzz/regressions/calendar has
    // the inputs that once took minutes).
    let a = instant(word(0), flags & 1 != 0);
    let b = instant(word(1), flags & 2 != 0);
    let business = if flags & 4 != 0 {
        word(2)
    } else {
        word(2).rem_euclid(1_000 * HOUR)
    };
    let zone = TimeZone::from_name(ZONES[usize::from(flags >> 5) % ZONES.len()])
        .expect("a zone of the tz database");

    let defs = match serde_json::from_slice::<Definitions>(json) {
        Ok(d) => d,
        Err(_) => match serde_json::from_slice::<Calendar>(json) {
            Ok(c) => Definitions {
                calendars: vec![c],
                holiday_lists: Vec::new(),
            },
            Err(_) => return,
        },
    };
    for cal in defs.calendars.iter().take(MAX_CALENDARS) {
        // What reads prints and reads back the same.
        let printed = serde_json::to_string(cal).expect("a calendar serializes");
        let back: Calendar = serde_json::from_str(&printed)
            .unwrap_or_else(|e| panic!("the printed calendar does not read back: {e}\n{printed}"));
        assert!(&back == cal, "the calendar read back differs: {printed}");
        let Ok(bc) = cal.compile_among(zone, &defs.calendars, &defs.holiday_lists) else {
            continue;
        };
        check(&bc, a, b, business);
        if cal.follow_the_sun.is_empty() {
            // The plain compile either fails or agrees with compile_among
            // when no holiday list is shared.
            if cal.holiday_lists.is_empty() {
                if let Ok(alone) = cal.compile(zone) {
                    assert_eq!(alone.duration_ms(a, b), bc.duration_ms(a, b));
                }
            }
        }
    }
});

fn clamp(t: i64) -> i64 {
    t.clamp(MIN_INSTANT_MS, MAX_INSTANT_MS)
}

fn check(bc: &BusinessCalendar, a: i64, b: i64, business: i64) {
    let (a, b) = (clamp(a), clamp(b));
    let (lo, hi) = (a.min(b), a.max(b));

    // Durations: none backwards, at most the real time, adding up.
    let d = bc.duration_ms(lo, hi);
    assert!((0..=hi - lo).contains(&d), "duration {d} of {lo}..{hi}");
    assert_eq!(
        bc.duration_ms(hi, lo),
        if hi == lo { d } else { 0 },
        "backwards"
    );
    let mid = lo + (hi - lo) / 2;
    assert_eq!(
        bc.duration_ms(lo, mid) + bc.duration_ms(mid, hi),
        d,
        "{lo}..{mid}..{hi}"
    );

    // The deadline of the business time between them is at most the end,
    // and exactly the end when the end is within hours.
    if d > 0 {
        let t = bc.deadline_ms(lo, d);
        assert!(
            matches!(t, Some(t) if t <= hi),
            "deadline({lo}, {d}) = {t:?}, after {hi}"
        );
        // The last millisecond before `hi` is business time: nothing
        // earlier has all of it.
        if bc.duration_ms(hi - 1, hi) == 1 {
            assert_eq!(
                t,
                Some(hi),
                "deadline({lo}, duration to {hi}, open before it)"
            );
        }
    }

    // A deadline has exactly the business time asked, and is the earliest.
    if let Some(t) = bc.deadline_ms(a, business) {
        assert!(
            (a..=MAX_INSTANT_MS).contains(&t),
            "deadline({a}, {business}) = {t}"
        );
        let got = bc.duration_ms(a, t);
        assert_eq!(
            got,
            business.max(0),
            "business time to deadline({a}, {business})"
        );
        if business > 0 {
            assert!(bc.duration_ms(a, t - 1) < business, "an earlier deadline");
        }
    }

    // The next opening: open, no business time away, itself when open.
    match bc.next_opening_ms(a) {
        Some(o) => {
            assert!(o >= a && o <= MAX_INSTANT_MS, "next_opening({a}) = {o}");
            assert!(bc.is_open_ms(o), "next_opening({a}) = {o} is closed");
            assert_eq!(bc.duration_ms(a, o), 0, "business time before the opening");
            if bc.is_open_ms(a) {
                assert_eq!(o, a, "open at {a}, yet the next opening is later");
            }
        }
        None => assert_eq!(
            bc.duration_ms(a, MAX_INSTANT_MS),
            0,
            "no opening after {a}, yet business time"
        ),
    }

    // Business days: a count of millionths, adding up.
    let days = |x: i64, y: i64| {
        let v = bc.business_days(x, y);
        assert!(v.is_finite() && v >= 0.0, "business_days({x}, {y}) = {v}");
        (v * 1e6).round() as i64
    };
    assert_eq!(days(lo, mid) + days(mid, hi), days(lo, hi), "business days");
    assert!(hi == lo || days(hi, lo) == 0, "business days backwards");
}
