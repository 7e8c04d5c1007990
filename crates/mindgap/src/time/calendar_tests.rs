//! Tests of the compiled calendar: rules, DST, bad input, and a slow
//! minute-by-minute reference read straight from the model.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Timelike};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::*;

const H: i64 = 3_600_000;
const MIN: i64 = 60_000;

fn cal(json: &str) -> Calendar {
    serde_json::from_str(json).unwrap()
}

fn bc(json: &str) -> BusinessCalendar {
    cal(json).compile(chrono_tz::UTC).unwrap()
}

/// Epoch ms of an RFC 3339 instant.
fn ms(s: &str) -> i64 {
    DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
}

/// Epoch ms of a local wall time that exists once in `tz`.
fn local(tz: Tz, s: &str) -> i64 {
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    tz.from_local_datetime(&naive)
        .single()
        .unwrap()
        .timestamp_millis()
}

fn show(tz: Tz, ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

const NINE_TO_FIVE: &str = r#"{"id": "office", "hours": {
    "mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
    "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}"#;

// ----- the reference: minute by minute, read from the model -----

fn ref_schedule(c: &Calendar, date: NaiveDate) -> Vec<TimeRange> {
    if let Some(w) = c.working_days.iter().find(|w| w.date == date) {
        return w.hours.clone();
    }
    if c.holidays.iter().any(|h| h.contains(date)) {
        return Vec::new();
    }
    // The hours in force on the date.
    let hours = (c.changes.iter())
        .filter(|ch| ch.from <= date)
        .max_by_key(|ch| ch.from)
        .map_or(&c.hours, |ch| &ch.hours);
    hours.day(date.weekday()).to_vec()
}

fn ref_open(c: &Calendar, tz: Tz, at: i64) -> bool {
    let local = DateTime::from_timestamp_millis(at)
        .unwrap()
        .with_timezone(&tz)
        .naive_local();
    let date = local.date();
    let secs = local.time().num_seconds_from_midnight();
    let today = ref_schedule(c, date).into_iter().any(|r| {
        if r.crosses_midnight() {
            secs >= r.start
        } else {
            r.start <= secs && secs < r.end
        }
    });
    let spill = ref_schedule(c, date.pred_opt().unwrap())
        .into_iter()
        .any(|r| r.crosses_midnight() && secs < r.end);
    today || spill
}

/// Business ms in `[a, b)`, both on minute boundaries, minute by minute.
fn ref_duration(c: &Calendar, tz: Tz, a: i64, b: i64) -> i64 {
    let mut t = a;
    let mut total = 0;
    while t < b {
        if ref_open(c, tz, t) {
            total += MIN;
        }
        t += MIN;
    }
    total
}

fn ref_deadline(c: &Calendar, tz: Tz, start: i64, d: i64) -> i64 {
    let mut t = start;
    let mut acc = 0;
    if d <= 0 {
        while !ref_open(c, tz, t) {
            t += MIN;
        }
        return t;
    }
    loop {
        if ref_open(c, tz, t) {
            acc += MIN;
            if acc >= d {
                return t + MIN;
            }
        }
        t += MIN;
    }
}

// ----- the brief's examples -----

#[test]
fn friday_1630_plus_one_business_hour_is_monday_0930() {
    let c = bc(NINE_TO_FIVE);
    let fri = ms("2026-05-29T16:30:00Z");
    let mon = ms("2026-06-01T09:30:00Z");
    assert_eq!(c.deadline_ms(fri, H), Some(mon));
    assert_eq!(c.duration_ms(fri, mon), H);
    // Same in Berlin wall-clock time.
    let berlin = cal(NINE_TO_FIVE)
        .compile(chrono_tz::Europe::Berlin)
        .unwrap();
    let tz = chrono_tz::Europe::Berlin;
    assert_eq!(
        berlin.deadline_ms(local(tz, "2026-05-29 16:30"), H),
        Some(local(tz, "2026-06-01 09:30"))
    );
}

#[test]
fn a_holiday_on_monday_moves_the_deadline_to_tuesday() {
    let mut c = cal(NINE_TO_FIVE);
    c.holidays.push("2026-06-01".parse().unwrap());
    let c = c.compile(chrono_tz::UTC).unwrap();
    assert_eq!(
        c.deadline_ms(ms("2026-05-29T16:30:00Z"), H),
        Some(ms("2026-06-02T09:30:00Z"))
    );
}

#[test]
fn a_deadline_ends_at_closing_time_when_the_hours_are_used_up_exactly() {
    let c = bc(NINE_TO_FIVE);
    assert_eq!(
        c.deadline_ms(ms("2026-05-29T16:00:00Z"), H),
        Some(ms("2026-05-29T17:00:00Z"))
    );
}

#[test]
fn a_start_outside_hours_begins_at_the_next_opening() {
    let c = bc(NINE_TO_FIVE);
    let sat = ms("2026-05-30T10:00:00Z");
    assert!(!c.is_open_ms(sat));
    assert_eq!(c.next_opening_ms(sat), Some(ms("2026-06-01T09:00:00Z")));
    assert_eq!(c.deadline_ms(sat, H), Some(ms("2026-06-01T10:00:00Z")));
    assert_eq!(c.deadline_ms(sat, 0), Some(ms("2026-06-01T09:00:00Z")));
    let early = ms("2026-06-01T07:00:00Z");
    assert_eq!(
        c.deadline_ms(early, 30 * MIN),
        Some(ms("2026-06-01T09:30:00Z"))
    );
    assert_eq!(c.duration_ms(sat, ms("2026-06-01T10:00:00Z")), H);
    // Opening is inclusive, closing exclusive.
    assert!(c.is_open_ms(ms("2026-06-01T09:00:00Z")));
    assert!(!c.is_open_ms(ms("2026-06-01T17:00:00Z")));
    assert_eq!(
        c.next_opening_ms(ms("2026-06-01T12:00:00Z")),
        Some(ms("2026-06-01T12:00:00Z"))
    );
}

#[test]
fn duration_is_zero_when_end_is_not_after_start() {
    let c = bc(NINE_TO_FIVE);
    let t = ms("2026-06-01T10:00:00Z");
    assert_eq!(c.duration_ms(t, t), 0);
    assert_eq!(c.duration_ms(t + H, t), 0);
}

#[test]
fn lunch_breaks_are_not_business_time() {
    let c = bc(r#"{"id": "c", "hours": {"mon": ["13:00-17:00", "09:00-12:00"]}}"#);
    let mon = |t: &str| ms(&format!("2026-06-01T{t}:00Z"));
    assert_eq!(c.deadline_ms(mon("11:30"), H), Some(mon("13:30")));
    assert_eq!(c.duration_ms(mon("08:00"), mon("18:00")), 7 * H);
    assert!(!c.is_open_ms(mon("12:30")));
    assert_eq!(c.next_opening_ms(mon("12:30")), Some(mon("13:00")));
    // Touching ranges are allowed and behave as one.
    let c = bc(r#"{"id": "c", "hours": {"mon": ["09:00-12:00", "12:00-17:00"]}}"#);
    assert_eq!(c.deadline_ms(mon("11:30"), H), Some(mon("12:30")));
}

#[test]
fn a_night_shift_crosses_midnight_and_belongs_to_the_day_it_starts() {
    let json = r#"{"id": "night", "hours": {
        "mon": ["22:00-06:00"], "tue": ["22:00-06:00"], "wed": ["22:00-06:00"],
        "thu": ["22:00-06:00"], "fri": ["22:00-06:00"]}}"#;
    let c = bc(json);
    // Friday 2026-05-29 23:00: 7 h left in the shift, which ends Saturday 06:00.
    let fri = ms("2026-05-29T23:00:00Z");
    assert_eq!(c.deadline_ms(fri, 6 * H), Some(ms("2026-05-30T05:00:00Z")));
    assert!(c.is_open_ms(ms("2026-05-30T05:59:00Z")));
    assert!(!c.is_open_ms(ms("2026-05-30T06:00:00Z")));
    // No shift starts on Saturday or Sunday: the next one is Monday 22:00.
    assert_eq!(c.deadline_ms(fri, 8 * H), Some(ms("2026-06-01T23:00:00Z")));
    // A holiday on Friday removes Friday's shift (its Saturday morning too), not
    // Thursday's shift that ends on Friday morning.
    let mut h = cal(json);
    h.holidays.push("2026-05-29".parse().unwrap());
    let h = h.compile(chrono_tz::UTC).unwrap();
    assert!(h.is_open_ms(ms("2026-05-29T05:00:00Z")));
    assert!(!h.is_open_ms(ms("2026-05-29T23:00:00Z")));
    assert!(!h.is_open_ms(ms("2026-05-30T01:00:00Z")));
    // A holiday on Saturday does not cut Friday's shift short.
    let mut h = cal(json);
    h.holidays.push("2026-05-30".parse().unwrap());
    let h = h.compile(chrono_tz::UTC).unwrap();
    assert!(h.is_open_ms(ms("2026-05-30T01:00:00Z")));
}

#[test]
fn a_shift_ending_at_midnight_or_at_24_00() {
    let c = bc(r#"{"id": "c", "hours": {"mon": ["18:00-00:00"], "tue": ["18:00-24:00"]}}"#);
    assert_eq!(
        c.duration_ms(ms("2026-06-01T00:00:00Z"), ms("2026-06-03T00:00:00Z")),
        12 * H
    );
}

#[test]
fn a_working_saturday_has_its_own_hours() {
    let json = r#"{"id": "c", "hours": {"fri": ["09:00-17:00"], "mon": ["09:00-17:00"]},
        "working_days": [{"date": "2026-05-30", "hours": ["10:00-14:00"]}]}"#;
    let c = bc(json);
    let fri = ms("2026-05-29T16:30:00Z");
    assert_eq!(c.deadline_ms(fri, H), Some(ms("2026-05-30T10:30:00Z")));
    assert_eq!(
        c.duration_ms(fri, ms("2026-06-01T09:30:00Z")),
        30 * MIN + 4 * H + 30 * MIN
    );
}

#[test]
fn a_working_day_inside_a_holiday_range_is_an_exception() {
    let json = r#"{"id": "c", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
        "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]},
        "holidays": ["2026-12-21/2026-12-31", "2026-12-24/2026-12-26"],
        "working_days": [{"date": "2026-12-28", "hours": ["10:00-14:00"]}]}"#;
    let c = bc(json);
    assert_eq!(
        c.duration_ms(ms("2026-12-18T00:00:00Z"), ms("2027-01-02T00:00:00Z")),
        8 * H + 4 * H + 8 * H // Fri 18th, Mon 28th, Fri 1st Jan
    );
    assert_eq!(
        c.deadline_ms(ms("2026-12-18T16:00:00Z"), 2 * H),
        Some(ms("2026-12-28T11:00:00Z"))
    );
}

#[test]
fn a_calendar_with_only_working_days_runs_out() {
    let c = bc(r#"{"id": "c", "hours": {},
        "working_days": [{"date": "2026-05-30", "hours": ["10:00-14:00"]}]}"#);
    let t = ms("2026-05-01T00:00:00Z");
    assert_eq!(c.deadline_ms(t, 4 * H), Some(ms("2026-05-30T14:00:00Z")));
    assert_eq!(c.deadline_ms(t, 4 * H + 1), None);
    assert_eq!(c.next_opening_ms(ms("2026-05-30T14:00:00Z")), None);
}

#[test]
fn huge_spans_saturate_instead_of_overflowing() {
    let c = bc(NINE_TO_FIVE);
    let started = std::time::Instant::now();
    assert_eq!(c.deadline_ms(0, i64::MAX), None);
    assert_eq!(c.deadline_ms(i64::MIN, i64::MAX), None);
    assert!(c.deadline_ms(i64::MAX, 1).is_none());
    let whole = c.duration_ms(i64::MIN, i64::MAX);
    assert!(whole > 0);
    assert_eq!(c.duration_ms(i64::MAX, i64::MIN), 0);
    assert!(!c.is_open_ms(i64::MIN) || c.is_open_ms(i64::MIN));
    assert!(c.next_opening_ms(i64::MIN).is_some());
    assert!(c.deadline_ms(i64::MIN, 1).is_some());
    // 40 h a week, ~1 000 years of 52 weeks.
    let year3000 = ms("3000-01-01T00:00:00Z");
    let millennium = c.duration_ms(ms("2000-01-01T00:00:00Z"), year3000);
    assert!(millennium > 52 * 40 * H * 1000 && millennium < 53 * 40 * H * 1000);
    assert_eq!(
        c.deadline_ms(ms("2000-01-01T00:00:00Z"), millennium),
        c.next_opening_ms(year3000)
            .map(|_| ms("2999-12-31T17:00:00Z"))
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

// ----- DST -----

#[test]
fn berlin_spring_forward_skips_the_missing_hour() {
    let tz = chrono_tz::Europe::Berlin;
    // 2026-03-29: 02:00 CET becomes 03:00 CEST; the day has 23 hours.
    let c = cal(r#"{"id": "c", "hours": {"sun": ["01:00-04:00"], "mon": ["00:00-24:00"]}}"#)
        .compile(tz)
        .unwrap();
    let sun = local(tz, "2026-03-29 00:00");
    let mon = local(tz, "2026-03-30 00:00");
    assert_eq!(mon - sun, 23 * H);
    assert_eq!(c.duration_ms(sun, mon), 2 * H);
    assert_eq!(
        c.deadline_ms(local(tz, "2026-03-29 01:30"), H),
        Some(local(tz, "2026-03-29 03:30"))
    );
    // A 24-hour Monday is 24 hours.
    assert_eq!(c.duration_ms(mon, local(tz, "2026-03-31 00:00")), 24 * H);
}

#[test]
fn berlin_fall_back_counts_the_repeated_hour_twice() {
    let tz = chrono_tz::Europe::Berlin;
    // 2026-10-25: 03:00 CEST becomes 02:00 CET; the day has 25 hours.
    let c = cal(r#"{"id": "c", "hours": {"sun": ["01:00-04:00"]}}"#)
        .compile(tz)
        .unwrap();
    let sun = local(tz, "2026-10-25 00:00");
    let mon = local(tz, "2026-10-26 00:00");
    assert_eq!(mon - sun, 25 * H);
    assert_eq!(c.duration_ms(sun, mon), 4 * H);
    // 01:30 + 2 h: 02:00–03:00 CEST, then 02:00–02:30 CET again.
    let d = c.deadline_ms(local(tz, "2026-10-25 01:30"), 2 * H).unwrap();
    assert_eq!(show(tz, d), "2026-10-25 02:30 CET");
    assert_eq!(d, ms("2026-10-25T01:30:00Z"));
}

#[test]
fn office_hours_in_dst_weeks_are_unchanged() {
    for (tz, spring, fall) in [
        (
            chrono_tz::Europe::Berlin,
            "2026-03-23 00:00",
            "2026-10-19 00:00",
        ),
        (
            chrono_tz::America::New_York,
            "2026-03-02 00:00",
            "2026-10-26 00:00",
        ),
    ] {
        let c = cal(NINE_TO_FIVE).compile(tz).unwrap();
        for week in [spring, fall] {
            let a = local(tz, week);
            let b = local(tz, week) + 7 * 24 * H + 7 * H; // a week and a bit, across the change
            let b = c.next_opening_ms(b).unwrap();
            assert_eq!(c.duration_ms(a, b) % (8 * H), 0, "{tz} {week}");
        }
        let c2 = cal(NINE_TO_FIVE).compile(tz).unwrap();
        // Friday before the change + 1 h = Monday 09:30 local.
        let fri = if tz == chrono_tz::Europe::Berlin {
            ("2026-03-27 16:30", "2026-03-30 09:30")
        } else {
            ("2026-03-06 16:30", "2026-03-09 09:30")
        };
        assert_eq!(c2.deadline_ms(local(tz, fri.0), H), Some(local(tz, fri.1)));
    }
}

#[test]
fn new_york_night_shift_across_the_changes() {
    let tz = chrono_tz::America::New_York;
    let c = cal(r#"{"id": "c", "hours": {"sat": ["22:00-06:00"]}}"#)
        .compile(tz)
        .unwrap();
    // Spring forward 2026-03-08 02:00 → 03:00: the shift lasts 7 h.
    let a = local(tz, "2026-03-07 12:00");
    assert_eq!(c.duration_ms(a, a + 48 * H), 7 * H);
    assert_eq!(
        c.deadline_ms(local(tz, "2026-03-07 22:00"), 4 * H),
        Some(local(tz, "2026-03-08 03:00"))
    );
    assert!(!c.is_open_ms(local(tz, "2026-03-08 06:00")));
    // Fall back 2026-11-01 02:00 → 01:00: the shift lasts 9 h.
    let a = local(tz, "2026-10-31 12:00");
    assert_eq!(c.duration_ms(a, a + 48 * H), 9 * H);
    let d = c.deadline_ms(local(tz, "2026-10-31 22:00"), 4 * H).unwrap();
    assert_eq!(show(tz, d), "2026-11-01 01:00 EST");
}

#[test]
fn hours_that_start_in_the_gap_open_when_the_gap_ends() {
    let tz = chrono_tz::America::New_York;
    let c = cal(r#"{"id": "c", "hours": {"sun": ["02:30-05:00"]}}"#)
        .compile(tz)
        .unwrap();
    let sun = local(tz, "2026-03-08 00:00");
    assert_eq!(c.next_opening_ms(sun), Some(ms("2026-03-08T07:00:00Z")));
    assert_eq!(show(tz, ms("2026-03-08T07:00:00Z")), "2026-03-08 03:00 EDT");
    assert_eq!(c.duration_ms(sun, sun + 24 * H), 2 * H);
    // Hours that lie entirely in the gap never open that day.
    let c = cal(r#"{"id": "c", "hours": {"sun": ["02:00-03:00"]}}"#)
        .compile(tz)
        .unwrap();
    assert_eq!(c.duration_ms(sun, sun + 24 * H), 0);
    assert_eq!(c.next_opening_ms(sun), Some(local(tz, "2026-03-15 02:00")));
}

#[test]
fn hours_straddling_02_00_to_03_00_on_change_days() {
    for tz in [chrono_tz::Europe::Berlin, chrono_tz::America::New_York] {
        let c = cal(r#"{"id": "c", "hours": {"sun": ["01:30-03:30"]}}"#);
        let b = c.compile(tz).unwrap();
        for day in ["2026-03-29", "2026-03-08", "2026-10-25", "2026-11-01"] {
            let start = local(tz, &format!("{day} 00:00"));
            let end = start + 30 * H;
            assert_eq!(
                b.duration_ms(start, end),
                ref_duration(&c, tz, start, end),
                "{tz} {day}"
            );
        }
    }
}

// ----- long spans against the reference -----

#[test]
fn months_agree_with_the_minute_by_minute_reference() {
    let json = r#"{"id": "c", "timezone": "Europe/Berlin", "hours": {
        "mon": ["09:00-12:00", "13:00-17:30"], "tue": ["09:00-17:00"],
        "wed": ["09:00-17:00", "22:00-02:00"], "thu": ["08:00-12:00"], "fri": ["09:00-15:00"],
        "sun": ["23:00-01:00"]},
        "holidays": ["2026-01-01", "2026-04-03/2026-04-06", "2026-03-29"],
        "working_days": [{"date": "2026-03-28", "hours": ["10:00-14:00", "23:30-03:30"]}]}"#;
    let c = cal(json);
    let tz = chrono_tz::Europe::Berlin;
    let b = c.compile(chrono_tz::UTC).unwrap();
    let a = ms("2025-12-20T07:13:00Z");
    let z = ms("2026-04-20T15:47:00Z");
    let expected = ref_duration(&c, tz, a, z);
    assert_eq!(b.duration_ms(a, z), expected);
    assert_eq!(
        b.deadline_ms(a, expected),
        b.next_opening_ms(z).map(|_| {
            // the deadline is the end of the last counted minute
            let mut t = z;
            while !ref_open(&c, tz, t - MIN) {
                t -= MIN;
            }
            t
        })
    );
    // Sample starts and durations over the months.
    for k in 0..40 {
        let start = a + k * 71 * 60 * MIN + k * 13 * MIN;
        let d = (k * 37 % 90) * H + k * MIN;
        assert_eq!(
            b.deadline_ms(start, d),
            Some(ref_deadline(&c, tz, start, d)),
            "start {} + {d} ms",
            show(tz, start)
        );
        assert_eq!(b.is_open_ms(start), ref_open(&c, tz, start));
    }
}

// ----- bad input -----

fn compile_err(json: &str) -> Error {
    cal(json).compile(chrono_tz::UTC).unwrap_err()
}

fn field(e: &Error) -> String {
    let at = e.location().unwrap();
    assert_eq!(at.record.as_deref(), Some("bad"), "{e}");
    assert_eq!(e.code(), 22, "{e}");
    at.field.clone().unwrap()
}

#[test]
fn overlapping_hours_name_the_field() {
    let e = compile_err(r#"{"id": "bad", "hours": {"mon": ["09:00-13:00", "12:00-14:00"]}}"#);
    assert_eq!(field(&e), "hours.mon[1]");
    assert_eq!(
        e.to_string(),
        "record \"bad\", field \"hours.mon[1]\": invalid calendar: hours.mon[1] 12:00-14:00 \
         overlaps hours.mon[0] 09:00-13:00"
    );
    let e = compile_err(r#"{"id": "bad", "hours": {"tue": ["20:00-02:00", "22:00-23:00"]}}"#);
    assert_eq!(field(&e), "hours.tue[1]");
    let e = compile_err(r#"{"id": "bad", "hours": {"tue": ["20:00-02:00", "23:00-01:00"]}}"#);
    assert_eq!(field(&e), "hours.tue[1]");
}

#[test]
fn a_night_shift_overlapping_the_next_day_is_an_error() {
    let e =
        compile_err(r#"{"id": "bad", "hours": {"mon": ["22:00-06:00"], "tue": ["05:00-10:00"]}}"#);
    assert_eq!(field(&e), "hours.mon[0]");
    assert!(
        e.to_string()
            .contains("crosses midnight and overlaps hours.tue[0]"),
        "{e}"
    );
    // Sunday into Monday wraps around the week.
    let e =
        compile_err(r#"{"id": "bad", "hours": {"sun": ["22:00-06:00"], "mon": ["05:00-10:00"]}}"#);
    assert_eq!(field(&e), "hours.sun[0]");
    // Ending exactly when the next day opens is fine.
    bc(r#"{"id": "ok", "hours": {"sun": ["22:00-06:00"], "mon": ["06:00-10:00"]}}"#);
}

#[test]
fn working_day_errors() {
    // Its night shift runs into the next (weekly) day.
    let e = compile_err(
        r#"{"id": "bad", "hours": {"sun": ["05:00-10:00"]},
        "working_days": [{"date": "2026-05-30", "hours": ["22:00-06:00"]}]}"#,
    );
    assert_eq!(field(&e), "working_days[0].hours[0]");
    assert!(e.to_string().contains("hours.sun[0] on 2026-05-31"), "{e}");
    // The previous day's night shift runs into it.
    let e = compile_err(
        r#"{"id": "bad", "hours": {"fri": ["22:00-06:00"]},
        "working_days": [{"date": "2026-05-30", "hours": ["05:00-10:00"]}]}"#,
    );
    assert_eq!(field(&e), "hours.fri[0]");
    // Listed twice.
    let e = compile_err(
        r#"{"id": "bad", "hours": {"mon": ["09:00-10:00"]},
        "working_days": [{"date": "2026-05-30", "hours": ["10:00-14:00"]},
                         {"date": "2026-05-30", "hours": ["15:00-16:00"]}]}"#,
    );
    assert_eq!(field(&e), "working_days[1].date");
    // No hours.
    let e = compile_err(
        r#"{"id": "bad", "hours": {"mon": ["09:00-10:00"]},
        "working_days": [{"date": "2026-05-30", "hours": []}]}"#,
    );
    assert_eq!(field(&e), "working_days[0].hours");
    // Overlapping hours of its own.
    let e = compile_err(
        r#"{"id": "bad", "hours": {"mon": ["09:00-10:00"]},
        "working_days": [{"date": "2026-05-30", "hours": ["10:00-14:00", "13:00-15:00"]}]}"#,
    );
    assert_eq!(field(&e), "working_days[0].hours[1]");
    // Also a single-date holiday.
    let e = compile_err(
        r#"{"id": "bad", "hours": {"mon": ["09:00-10:00"]},
        "holidays": ["2026-01-01", "2026-05-30"],
        "working_days": [{"date": "2026-05-30", "hours": ["10:00-14:00"]}]}"#,
    );
    assert_eq!(field(&e), "holidays[1]");
    assert!(
        e.to_string().contains("both a holiday and working_days[0]"),
        "{e}"
    );
}

#[test]
fn an_empty_week_can_never_meet_a_deadline() {
    let e = compile_err(r#"{"id": "bad", "hours": {}}"#);
    assert_eq!(field(&e), "hours");
    assert!(e.to_string().contains("a deadline can never be met"), "{e}");
    // Holidays do not help.
    let e = compile_err(r#"{"id": "bad", "hours": {}, "holidays": ["2026-01-01"]}"#);
    assert_eq!(field(&e), "hours");
}

#[test]
fn ranges_built_by_hand_are_checked() {
    for (range, expected) in [
        (
            TimeRange {
                start: 90_000,
                end: 91_000,
            },
            "outside 00:00-24:00",
        ),
        (
            TimeRange {
                start: 3_600,
                end: 86_401,
            },
            "outside 00:00-24:00",
        ),
        (
            // A 24-hour shift from 01:00: over the day's other range.
            TimeRange {
                start: 3_600,
                end: 3_600,
            },
            "overlaps",
        ),
    ] {
        let mut c = cal(r#"{"id": "bad", "hours": {"mon": ["09:00-10:00"]}}"#);
        c.hours.wed = vec!["09:00-10:00".parse().unwrap(), range];
        let e = c.compile(chrono_tz::UTC).unwrap_err();
        assert_eq!(field(&e), "hours.wed[1]");
        assert!(e.to_string().contains(expected), "{e}");
    }
}

#[test]
fn a_24_hour_shift_runs_from_its_start_to_the_same_time_next_day() {
    // Monday 08:00 to Tuesday 08:00, then nothing until next Monday.
    let c = bc(r#"{"id": "c", "hours": {"mon": ["08:00-08:00"]}}"#);
    let mon_8 = ms("2026-06-01T08:00:00Z");
    assert_eq!(c.duration_ms(mon_8 - H, mon_8 + 30 * H), 24 * H);
    assert_eq!(c.deadline_ms(mon_8, 24 * H), Some(mon_8 + 24 * H));
    assert_eq!(
        c.deadline_ms(mon_8, 24 * H + 1),
        Some(mon_8 + 7 * 24 * H + 1)
    );
    // Every day: round the clock, as elapsed time.
    let all = bc(
        r#"{"id": "c", "hours": {"mon": ["08:00-08:00"], "tue": ["08:00-08:00"],
        "wed": ["08:00-08:00"], "thu": ["08:00-08:00"], "fri": ["08:00-08:00"],
        "sat": ["08:00-08:00"], "sun": ["08:00-08:00"]}}"#,
    );
    assert_eq!(all.duration_ms(mon_8 - 5 * H, mon_8 + 100 * H), 105 * H);
    assert!("08:00-08:00".parse::<TimeRange>().is_ok());
    assert_eq!(
        "08:00-08:00".parse::<TimeRange>().unwrap().to_string(),
        "08:00-08:00"
    );
}

#[test]
fn yearly_holidays_come_back_every_year_and_lists_are_shared() {
    // Orthodox Christmas and the Russian New Year holidays, every year.
    let c = bc(
        r#"{"id": "c", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
        "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]},
        "holidays": ["12-31/01-08", "02-29"]}"#,
    );
    for year in [1999, 2026, 2031, 2400] {
        let at = |m: u32, d: u32| {
            NaiveDate::from_ymd_opt(year, m, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp_millis()
        };
        // 9 January is the first business day after the holidays, or the
        // first weekday after it.
        let opening = c.next_opening_ms(at(12, 31)).unwrap();
        let opened = DateTime::from_timestamp_millis(opening)
            .unwrap()
            .date_naive();
        assert!(opened.month() == 1 && opened.day() >= 9, "{year}: {opened}");
        assert!(!c.is_open_ms(at(1, 7)) && !c.is_open_ms(at(1, 1)));
    }
    // 29 February only in leap years: a Tuesday in 2028, worked in 2027's
    // 1 March (Monday).
    assert!(!c.is_open_ms(ms("2028-02-29T12:00:00Z")));
    assert!(c.is_open_ms(ms("2027-03-01T12:00:00Z")));
    // A list shared by calendars.
    let lists: Vec<HolidayList> =
        serde_json::from_str(r#"[{"id": "ru", "holidays": ["01-07", "2026-11-04"]}]"#).unwrap();
    let with = cal(r#"{"id": "w", "hours": {"wed": ["09:00-17:00"]}, "holiday_lists": ["ru"]}"#)
        .with_lists(&lists)
        .unwrap()
        .compile(chrono_tz::UTC)
        .unwrap();
    assert!(!with.is_open_ms(ms("2026-11-04T12:00:00Z")));
    assert!(!with.is_open_ms(ms("2032-01-07T12:00:00Z"))); // a Wednesday
    assert!(with.is_open_ms(ms("2026-11-11T12:00:00Z")));
    let unknown =
        cal(r#"{"id": "bad", "hours": {"wed": ["09:00-17:00"]}, "holiday_lists": ["de"]}"#)
            .with_lists(&lists)
            .unwrap_err();
    let at = unknown.location().unwrap();
    assert_eq!(at.field.as_deref(), Some("holiday_lists[0]"));
    assert!(
        matches!(unknown, Error::UnknownReference { .. }),
        "{unknown}"
    );
    assert!(unknown.to_string().contains("\"de\""), "{unknown}");
    // Written back as read.
    let json = serde_json::to_string(&cal(
        r#"{"id": "c", "hours": {"mon": ["08:00-08:00"]}, "holidays": ["01-07", "12-31/01-08", "2026-05-01"]}"#,
    ))
    .unwrap();
    assert!(
        json.contains(r#""holidays":["01-07","12-31/01-08","2026-05-01"]"#),
        "{json}"
    );
}

#[test]
fn hours_that_change_on_a_date_score_each_day_with_its_own() {
    // 09-17 until June, then 08-20 with a Saturday; the week of the change
    // straddles both.
    let c = bc(
        r#"{"id": "c", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
        "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]},
        "changes": [{"from": "2026-06-03", "hours": {"mon": ["08:00-20:00"], "tue": ["08:00-20:00"],
        "wed": ["08:00-20:00"], "thu": ["08:00-20:00"], "fri": ["08:00-20:00"], "sat": ["10:00-14:00"]}}],
        "holidays": ["2026-06-04"]}"#,
    );
    // Mon 1 June 00:00 to Mon 8 June 00:00: 8 + 8 (old) + 12 (Wed, new) + 0
    // (Thu holiday) + 12 (Fri) + 4 (Sat).
    let week = c.duration_ms(ms("2026-06-01T00:00:00Z"), ms("2026-06-08T00:00:00Z"));
    assert_eq!(week, 44 * H);
    // Tue 16:00 + 3 h: 1 h on Tuesday's old hours, then from 08:00 on Wednesday.
    assert_eq!(
        c.deadline_ms(ms("2026-06-02T16:00:00Z"), 3 * H),
        Some(ms("2026-06-03T10:00:00Z"))
    );
    assert!(c.is_open_ms(ms("2026-06-06T11:00:00Z")));
    assert!(!c.is_open_ms(ms("2026-05-30T11:00:00Z")));
    assert_eq!(
        c.next_opening_ms(ms("2026-06-02T17:30:00Z")),
        Some(ms("2026-06-03T08:00:00Z"))
    );
    // Closed from a date on: no deadline past it.
    let closing = bc(r#"{"id": "c", "hours": {"mon": ["09:00-17:00"]},
        "changes": [{"from": "2026-06-09", "hours": {}}]}"#);
    // Two Mondays (1 and 8 June) are left: 16 h, not 17.
    assert_eq!(
        closing.deadline_ms(ms("2026-06-01T09:00:00Z"), 16 * H),
        Some(ms("2026-06-08T17:00:00Z"))
    );
    assert_eq!(
        closing.deadline_ms(ms("2026-06-01T09:00:00Z"), 16 * H + 1),
        None
    );
    assert_eq!(
        closing.deadline_ms(ms("2026-06-01T09:00:00Z"), 8 * H),
        Some(ms("2026-06-01T17:00:00Z"))
    );
    // Two changes on one date, and a bad range of a change, are named.
    let e = compile_err(
        r#"{"id": "bad", "hours": {"mon": ["09:00-17:00"]}, "changes": [
        {"from": "2026-06-09", "hours": {"mon": ["09:00-12:00", "11:00-13:00"]}}]}"#,
    );
    assert!(e.to_string().contains("changes[0].hours.mon"), "{e}");
    let e = compile_err(
        r#"{"id": "bad", "hours": {"mon": ["09:00-17:00"]}, "changes": [
        {"from": "2026-06-09", "hours": {}}, {"from": "2026-06-09", "hours": {}}]}"#,
    );
    assert!(e.to_string().contains("changes[1].from"), "{e}");
}

#[test]
fn overlapping_holidays_merge() {
    let c = bc(
        r#"{"id": "c", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"]},
        "holidays": ["2026-06-01/2026-06-08", "2026-06-02", "2026-06-05/2026-06-09"]}"#,
    );
    assert_eq!(
        c.deadline_ms(ms("2026-05-29T00:00:00Z"), H),
        Some(ms("2026-06-15T10:00:00Z"))
    );
}

#[test]
fn an_unknown_time_zone_is_rejected_clearly() {
    let e = serde_json::from_str::<Calendar>(
        r#"{"id": "c", "timezone": "Mars/Base", "hours": {"mon": ["09:00-17:00"]}}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("Mars/Base"), "{e}");
    assert!(
        e.contains("timezone") || e.contains("time zone") || e.contains("tz"),
        "{e}"
    );
}

#[test]
fn the_calendar_zone_wins_over_the_default() {
    let c =
        cal(r#"{"id": "c", "timezone": "America/New_York", "hours": {"mon": ["09:00-17:00"]}}"#)
            .compile(chrono_tz::Europe::Berlin)
            .unwrap();
    assert_eq!(c.timezone(), chrono_tz::America::New_York.into());
    assert_eq!(c.id().as_str(), "c");
    let t = ms("2026-06-01T13:00:00Z"); // 09:00 EDT
    assert!(c.is_open_ms(t));
    assert!(!c.is_open_ms(t - 1));
    let dt = DateTime::from_timestamp_millis(t).unwrap();
    assert!(c.is_open(&dt));
    assert_eq!(c.next_opening(&dt), Some(dt));
    assert_eq!(
        c.duration(&dt, &(dt + Duration::hours(2))),
        Span::from_hours(2)
    );
    assert_eq!(
        c.deadline(&dt, Span::from_hours(2)),
        Some(dt + Duration::hours(2))
    );
}

// ----- properties -----

const ZONES: [Tz; 5] = [
    chrono_tz::UTC,
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe, // a 30-minute DST shift
    chrono_tz::America::Sao_Paulo,
];

/// A day's hours on a 30-minute grid, valid by construction: up to two
/// ranges between distinct sorted half hours, or (one day in four) a shift
/// that crosses midnight, 24 hours at most, after an optional range that ends
/// before it starts. Only a shift spilling into the next day's hours can
/// still make a calendar invalid.
fn arb_day() -> impl Strategy<Value = Vec<TimeRange>> {
    let half = |h: u32| h * 1800;
    let plain = proptest::collection::btree_set(0u32..=48, 0..=4).prop_map(move |points| {
        let points: Vec<u32> = points.into_iter().collect();
        points
            .chunks_exact(2)
            .map(|p| TimeRange {
                start: half(p[0]),
                end: half(p[1]),
            })
            .collect()
    });
    let night = (1u32..48, 1u32..=48, proptest::option::of(0u32..48)).prop_map(
        move |(start, len, before)| {
            // Ends after midnight (or is a 24-hour shift when len is 48).
            let len = len.max(48 - start + 1).min(48);
            let end = (start + len) % 48;
            let mut day = Vec::new();
            if let Some(b) = before.filter(|&b| b < start && len < 48) {
                day.push(TimeRange {
                    start: half(b),
                    end: half(start),
                });
            }
            day.push(TimeRange {
                start: half(start),
                end: if end == 0 { 86_400 } else { half(end) },
            });
            day
        },
    );
    prop_oneof![3 => plain, 1 => night]
}

/// A random calendar on a 30-minute grid: hours valid day by day (see
/// [`arb_day`]); a night shift may still overlap the next day's hours or a
/// working day, which [`arb_valid_calendar`] filters out.
fn arb_calendar() -> impl Strategy<Value = Calendar> {
    let day = arb_day();
    (
        proptest::collection::vec(day, 14),
        proptest::collection::vec(0i64..40, 0..3),
        proptest::option::of((0i64..40, (0u32..40, 1u32..10))),
        0usize..ZONES.len(),
        proptest::option::of(0i64..48),
    )
        .prop_map(|(days, holidays, working, z, change)| {
            let base = NaiveDate::from_ymd_opt(2026, 2, 20).unwrap();
            let mut it = days.into_iter();
            let mut next = || it.next().unwrap_or_default();
            let hours = WeekHours {
                mon: next(),
                tue: next(),
                wed: next(),
                thu: next(),
                fri: next(),
                sat: next(),
                sun: next(),
            };
            // New hours from a date in the window, or none.
            let changes = change
                .map(|d| crate::time::calendar::HoursChange {
                    from: base + Duration::days(d),
                    hours: WeekHours {
                        mon: next(),
                        tue: next(),
                        wed: next(),
                        thu: next(),
                        fri: next(),
                        sat: next(),
                        sun: next(),
                    },
                })
                .into_iter()
                .collect();
            Calendar {
                id: "p".into(),
                timezone: ZONES.get(z).map(|&z| z.into()),
                hours,
                holidays: holidays
                    .into_iter()
                    .map(|d| {
                        let day = base + Duration::days(d);
                        if d % 3 == 0 {
                            // Every year, from a leap year's day: the
                            // expansion must give it in 2026 too.
                            let md = crate::time::calendar::MonthDay {
                                month: day.month(),
                                day: day.day(),
                            };
                            Holiday::Yearly { from: md, to: md }
                        } else {
                            Holiday::Once(DateRange { from: day, to: day })
                        }
                    })
                    .collect(),
                holiday_lists: Vec::new(),
                changes,
                follow_the_sun: Vec::new(),
                working_days: working
                    .into_iter()
                    .map(|(d, (s, len))| WorkingDay {
                        date: base + Duration::days(d),
                        hours: vec![TimeRange {
                            start: s * 1800,
                            end: s * 1800 + len * 1800,
                        }],
                    })
                    .collect(),
            }
        })
}

/// [`arb_calendar`] that compiles.
fn arb_valid_calendar() -> impl Strategy<Value = Calendar> {
    arb_calendar().prop_filter("refused", |c| c.compile(chrono_tz::UTC).is_ok())
}

/// Instants on minute boundaries around the 2026 DST changes of the zones above.
fn arb_instant() -> impl Strategy<Value = i64> {
    let base = ms("2026-02-25T00:00:00Z");
    (0i64..2, 0i64..(14 * 24 * 60)).prop_map(move |(which, m)| {
        // late February to mid March, or late March to early April
        base + which * 28 * 24 * H + m * MIN
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_calendars_agree_with_the_reference(
        c in arb_valid_calendar(), a in arb_instant(), len in 0i64..(5 * 24 * 60)
    ) {
        let b = c.compile(chrono_tz::UTC).unwrap();
        let tz: Tz = b.timezone().name().parse().unwrap();
        let z = a + len * MIN;
        let d = b.duration_ms(a, z);
        prop_assert_eq!(d, ref_duration(&c, tz, a, z));
        prop_assert_eq!(b.is_open_ms(a), ref_open(&c, tz, a));
        prop_assert_eq!(b.is_open_ms(z), ref_open(&c, tz, z));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn durations_add_up(c in arb_valid_calendar(), x in arb_instant(), y in arb_instant(), w in arb_instant(), ms_off in 0i64..60_000) {
        let b = c.compile(chrono_tz::UTC).unwrap();
        let mut v = [x, y + ms_off, w];
        v.sort_unstable();
        let [p, q, r] = v;
        prop_assert_eq!(b.duration_ms(p, q) + b.duration_ms(q, r), b.duration_ms(p, r));
    }

    #[test]
    fn the_deadline_inverts_the_duration(c in arb_valid_calendar(), s in arb_instant(), e in arb_instant(), ms_off in 0i64..60_000) {
        let b = c.compile(chrono_tz::UTC).unwrap();
        let (s, e) = (s.min(e), s.max(e) + ms_off);
        // An instant inside business hours (hours are 30 minutes at least):
        // at an opening the deadline is the closing before it.
        let e = if b.is_open_ms(e) {
            e
        } else {
            b.next_opening_ms(e).map_or(e, |o| o + 1 + ms_off)
        };
        prop_assume!(e > s && b.is_open_ms(e));
        prop_assert_eq!(b.deadline_ms(s, b.duration_ms(s, e)), Some(e));
    }

    #[test]
    fn the_deadline_has_exactly_the_business_time(c in arb_valid_calendar(), s in arb_instant(), d in 0i64..(100 * H)) {
        let b = c.compile(chrono_tz::UTC).unwrap();
        if let Some(t) = b.deadline_ms(s, d) {
            prop_assert!(t >= s);
            prop_assert_eq!(b.duration_ms(s, t), d);
            if d > 0 {
                prop_assert!(b.duration_ms(s, t - 1) < d);
            }
            let o = b.next_opening_ms(s).unwrap();
            prop_assert!(b.is_open_ms(o));
            prop_assert_eq!(b.duration_ms(s, o), 0);
        }
    }
}

// ----- business days -----

/// Business days (millionths) in `[a, b)` minute by minute: each date's
/// real business minutes (a shift that crosses midnight is its first
/// date's), a date wholly in the span counting one, a date partly in it its
/// share. `None` when a date near the span has hours but no real minute
/// (its hours inside a DST gap): a case the reference does not model.
fn ref_business_days(c: &Calendar, tz: Tz, a: i64, b: i64) -> Option<i64> {
    use std::collections::BTreeMap;
    let (lo, hi) = (a - 3 * 24 * H, b + 3 * 24 * H);
    // date → (minutes, minutes before a, minutes before b)
    let mut dates: BTreeMap<NaiveDate, (i64, i64, i64)> = BTreeMap::new();
    let mut t = lo;
    while t < hi {
        if ref_open(c, tz, t) {
            let local = DateTime::from_timestamp_millis(t)
                .unwrap()
                .with_timezone(&tz)
                .naive_local();
            let (date, secs) = (local.date(), local.time().num_seconds_from_midnight());
            let today = ref_schedule(c, date).into_iter().any(|r| {
                if r.crosses_midnight() {
                    secs >= r.start
                } else {
                    r.start <= secs && secs < r.end
                }
            });
            let owner = if today {
                date
            } else {
                date.pred_opt().unwrap()
            };
            let e = dates.entry(owner).or_default();
            e.0 += 1;
            e.1 += i64::from(t < a);
            e.2 += i64::from(t < b);
        }
        t += MIN;
    }
    let first = DateTime::from_timestamp_millis(lo)
        .unwrap()
        .with_timezone(&tz)
        .date_naive();
    let last = DateTime::from_timestamp_millis(hi)
        .unwrap()
        .with_timezone(&tz)
        .date_naive();
    let mut d = first + Duration::days(1);
    while d < last - Duration::days(1) {
        if !ref_schedule(c, d).is_empty() && !dates.contains_key(&d) {
            return None;
        }
        d += Duration::days(1);
    }
    let share = |n: i64, of: i64| (n * MICRO_DAY / of).max(i64::from(n > 0));
    Some(
        dates
            .values()
            .map(|&(n, x, y)| share(y, n) - share(x, n))
            .sum(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn business_days_agree_with_the_reference(
        c in arb_valid_calendar(), a in arb_instant(), len in 0i64..(5 * 24 * 60)
    ) {
        let b = c.compile(chrono_tz::UTC).unwrap();
        let tz: Tz = b.timezone().name().parse().unwrap();
        let days = b.measured_in(Measure::Days);
        let z = a + len * MIN;
        let Some(expected) = ref_business_days(&c, tz, a, z) else { return Ok(()); };
        prop_assert_eq!(days.duration_ms(a, z), expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn business_days_add_up(c in arb_valid_calendar(), x in arb_instant(), y in arb_instant(), w in arb_instant()) {
        let b = c.compile(chrono_tz::UTC).unwrap();
        let b = b.measured_in(Measure::Days);
        let mut v = [x, y, w];
        v.sort_unstable();
        let [p, q, r] = v;
        prop_assert_eq!(b.duration_ms(p, q) + b.duration_ms(q, r), b.duration_ms(p, r));
    }

    #[test]
    fn the_day_deadline_has_exactly_the_business_days(
        c in arb_valid_calendar(), s in arb_instant(), d in 0i64..(6 * MICRO_DAY), from_day_start in any::<bool>()
    ) {
        let b = c.compile(chrono_tz::UTC).unwrap();
        let b = b.measured_in(if from_day_start { Measure::DaysFromDayStart } else { Measure::Days });
        if let Some(t) = b.deadline_ms(s, d) {
            prop_assert!(t >= s);
            prop_assert!(b.duration_ms(s, t) >= d);
            if d > 0 {
                prop_assert!(b.duration_ms(s, t - 1) < d, "{} {}", b.duration_ms(s, t - 1), d);
            }
        }
        let off = b.day_start_offset(s);
        prop_assert!((0..MICRO_DAY).contains(&off));
        if !from_day_start {
            prop_assert_eq!(off, 0);
        }
    }
}

#[test]
fn business_days_count_dates_not_hours() {
    // Friday has 4 hours, Monday 8: each is one business day.
    let c = bc(
        r#"{"id": "c", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
        "fri": ["09:00-13:00"]}}"#,
    );
    let d = c.measured_in(Measure::Days);
    let fri_11 = ms("2026-05-29T11:00:00Z");
    assert_eq!(
        d.duration_ms(fri_11, ms("2026-05-29T13:00:00Z")),
        MICRO_DAY / 2
    );
    assert_eq!(
        d.duration_ms(fri_11, ms("2026-06-01T09:00:00Z")),
        MICRO_DAY / 2
    );
    assert_eq!(d.duration_ms(fri_11, ms("2026-06-01T13:00:00Z")), MICRO_DAY);
    // Three business days from Friday 11:00 is Wednesday's… Tuesday's close,
    // then half of the next business date (Friday again).
    assert_eq!(
        d.deadline_ms(fri_11, 2 * MICRO_DAY + MICRO_DAY / 2),
        Some(ms("2026-06-02T17:00:00Z"))
    );
    assert_eq!(
        d.deadline_ms(fri_11, 3 * MICRO_DAY),
        Some(ms("2026-06-05T11:00:00Z"))
    );
    // From the start of the day: Friday 11:00 is half-way through Friday, so
    // "by the end of the next business day" (2 days from the day's start)
    // falls at Monday's close.
    let eod = c.measured_in(Measure::DaysFromDayStart);
    assert_eq!(eod.day_start_offset(fri_11), MICRO_DAY / 2);
    assert_eq!(
        eod.deadline_ms(fri_11, 2 * MICRO_DAY - eod.day_start_offset(fri_11)),
        Some(ms("2026-06-01T17:00:00Z"))
    );
    // Opened on Saturday: the business day starts on Monday.
    let sat = ms("2026-05-30T12:00:00Z");
    assert_eq!(eod.day_start_offset(sat), 0);
    assert_eq!(
        eod.deadline_ms(sat, 2 * MICRO_DAY),
        Some(ms("2026-06-02T17:00:00Z"))
    );
}

#[test]
fn a_business_day_of_a_dst_night_is_its_real_time() {
    // 24-hour shifts from 08:00; the night of 29 March 2026 is an hour short
    // in Berlin, so the 28th's shift lasts 23 hours: half of it is 11.5 h.
    let c = cal(r#"{"id": "c", "timezone": "Europe/Berlin", "hours": {
        "mon": ["08:00-08:00"], "tue": ["08:00-08:00"], "wed": ["08:00-08:00"], "thu": ["08:00-08:00"],
        "fri": ["08:00-08:00"], "sat": ["08:00-08:00"], "sun": ["08:00-08:00"]}}"#)
    .compile(chrono_tz::UTC)
    .unwrap()
    .measured_in(Measure::Days);
    let tz = chrono_tz::Europe::Berlin;
    let start = local(tz, "2026-03-28 08:00");
    assert_eq!(c.duration_ms(start, start + 23 * H / 2), MICRO_DAY / 2);
    assert_eq!(c.duration_ms(start, start + 23 * H), MICRO_DAY);
    assert_eq!(c.deadline_ms(start, MICRO_DAY), Some(start + 23 * H));
}

// ----- follow the sun -----

/// A follow-the-sun calendar `sun` over `members`.
fn sun_of(members: &[&str]) -> Calendar {
    Calendar {
        id: "sun".into(),
        timezone: None,
        hours: WeekHours::default(),
        holidays: Vec::new(),
        holiday_lists: Vec::new(),
        working_days: Vec::new(),
        changes: Vec::new(),
        follow_the_sun: members.iter().map(|&m| m.into()).collect(),
    }
}

/// Two random calendars (each in its own zone) and the union of them.
fn union_of(a: &Calendar, b: &Calendar) -> Option<(BusinessCalendar, [Tz; 2])> {
    let (mut a, mut b) = (a.clone(), b.clone());
    a.id = "a".into();
    b.id = "b".into();
    let sun = sun_of(&["a", "b"]);
    let all = [a.clone(), b.clone(), sun.clone()];
    let u = sun.compile_among(chrono_tz::UTC, &all, &[]).ok()?;
    let tz = |c: &Calendar| -> Tz { c.timezone.map_or("UTC", |z| z.name()).parse().unwrap() };
    Some((u, [tz(&a), tz(&b)]))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_union_agrees_with_the_reference(
        a in arb_valid_calendar(), b in arb_valid_calendar(), s in arb_instant(), len in 0i64..(4 * 24 * 60)
    ) {
        let Some((u, [ta, tb])) = union_of(&a, &b) else { return Ok(()); };
        let e = s + len * MIN;
        let mut want = 0;
        let mut t = s;
        while t < e {
            if ref_open(&a, ta, t) || ref_open(&b, tb, t) {
                want += MIN;
            }
            t += MIN;
        }
        prop_assert_eq!(u.duration_ms(s, e), want);
        prop_assert_eq!(u.is_open_ms(e), ref_open(&a, ta, e) || ref_open(&b, tb, e));
    }

    #[test]
    fn a_unions_deadline_has_exactly_the_business_time(
        a in arb_valid_calendar(), b in arb_valid_calendar(), s in arb_instant(), d in 0i64..(60 * H)
    ) {
        let Some((u, _)) = union_of(&a, &b) else { return Ok(()); };
        if let Some(t) = u.deadline_ms(s, d) {
            prop_assert!(t >= s);
            prop_assert_eq!(u.duration_ms(s, t), d);
            if d > 0 {
                prop_assert!(u.duration_ms(s, t - 1) < d);
            }
        }
    }
}

#[test]
fn follow_the_sun_counts_overlaps_once_and_refuses_what_it_cannot_be() {
    let cals: Vec<Calendar> = serde_json::from_str(
        r#"[
        {"id": "berlin", "timezone": "Europe/Berlin", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"]}},
        {"id": "sydney", "timezone": "Australia/Sydney", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"]},
         "holidays": ["2026-06-02"]},
        {"id": "new-york", "timezone": "America/New_York", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"]}},
        {"id": "global", "follow_the_sun": ["sydney", "berlin", "new-york"]}]"#,
    )
    .unwrap();
    let g = cals[3].compile_among(chrono_tz::UTC, &cals, &[]).unwrap();
    // Mon 1 June 2026 (UTC): Sydney (UTC+10) Mon 09-17 is Sun 23:00-Mon 07:00;
    // Berlin (UTC+2) 07:00-15:00; New York (UTC-4) 13:00-21:00. Sunday 23:00
    // to Monday 21:00 is covered without a gap: 22 hours, the overlap once.
    let sun_23 = ms("2026-05-31T23:00:00Z");
    assert_eq!(g.duration_ms(sun_23, ms("2026-06-01T21:00:00Z")), 22 * H);
    assert_eq!(
        g.deadline_ms(sun_23, 22 * H),
        Some(ms("2026-06-01T21:00:00Z"))
    );
    // Sydney's Tuesday is a holiday: Tuesday's cover starts in Berlin.
    assert_eq!(
        g.next_opening_ms(ms("2026-06-01T21:00:00Z")),
        Some(ms("2026-06-02T07:00:00Z"))
    );
    assert_eq!(
        g.deadline_ms(ms("2026-06-01T20:00:00Z"), 2 * H),
        Some(ms("2026-06-02T08:00:00Z"))
    );
    // Alone, it has nothing to be made of.
    assert!(cals[3].compile(chrono_tz::UTC).is_err());
    let refused = |json: &str| {
        let mut all = cals.clone();
        all.push(serde_json::from_str(json).unwrap());
        let c = all.last().unwrap().clone();
        match c.compile_among(chrono_tz::UTC, &all, &[]) {
            Err(Error::Calendar { at, message }) => {
                (at.field.unwrap_or_default(), message.to_string())
            }
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        refused(r#"{"id": "x", "follow_the_sun": ["nowhere"]}"#).1,
        "no calendar \"nowhere\" in the diary"
    );
    assert!(
        refused(r#"{"id": "x", "follow_the_sun": ["global"]}"#)
            .1
            .contains("follows the sun itself")
    );
    assert!(
        refused(r#"{"id": "x", "follow_the_sun": ["x"]}"#)
            .1
            .contains("itself")
    );
    let (field, message) =
        refused(r#"{"id": "x", "follow_the_sun": ["berlin"], "hours": {"mon": ["09:00-10:00"]}}"#);
    assert_eq!(field, "follow_the_sun");
    assert!(message.contains("from its members"), "{message}");
}

// ----- long spans: a union's blocks and cycles -----

/// Three random calendars (each in its own zone) and the union of them.
fn union_of3(cals: [&Calendar; 3]) -> Option<BusinessCalendar> {
    let mut all: Vec<Calendar> = cals.iter().map(|&c| c.clone()).collect();
    for (c, id) in all.iter_mut().zip(["a", "b", "c"]) {
        c.id = id.into();
    }
    let sun = sun_of(&["a", "b", "c"]);
    all.push(sun.clone());
    sun.compile_among(chrono_tz::UTC, &all, &[]).ok()
}

/// An instant of year `year` (1..=9999, roughly), `off` ms into it.
fn in_year(year: i64, off: i64) -> i64 {
    MIN_INSTANT_MS + (year - 1) * 31_556_952_000 + off
}

/// The union's business time by its runs over the whole span at once: no
/// blocks, no cycles.
fn union_whole(u: &BusinessCalendar, x: i64, y: i64) -> i64 {
    let (x, y) = (clamp_instant(x), clamp_instant(y));
    if y <= x {
        return 0;
    }
    run_total(&u.union_runs(x, y))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Blocks, and cycles of blocks read off the first one, give the time a
    /// sweep of the whole span gives, anywhere in years 1..=9999 (spans up
    /// to ~900 years: across the zones' quiet years, their history and
    /// their repeating rules).
    #[test]
    fn a_unions_blocks_and_cycles_are_its_whole_span(
        a in arb_valid_calendar(), b in arb_valid_calendar(), c in arb_valid_calendar(),
        year in 1i64..=9999, off in 0i64..(366 * 24 * H), days in prop_oneof![0i64..400, 0i64..150_000],
    ) {
        let Some(u) = union_of3([&a, &b, &c]) else { return Ok(()); };
        let x = in_year(year, off);
        let y = x + days * 24 * H + off / 7;
        prop_assert_eq!(u.duration_ms(x, y), union_whole(&u, x, y));
    }

    /// The blocks give what the old walk run by run gives (kept as the
    /// reference), durations and deadlines, anywhere in years 1..=9999.
    #[test]
    fn a_unions_blocks_are_the_walk_run_by_run(
        a in arb_valid_calendar(), b in arb_valid_calendar(), c in arb_valid_calendar(),
        year in 1i64..=9999, off in 0i64..(366 * 24 * H), days in 0i64..40,
        amount in 1i64..(150 * H),
    ) {
        let Some(u) = union_of3([&a, &b, &c]) else { return Ok(()); };
        let x = in_year(year, off);
        let y = x + days * 24 * H + off / 7;
        prop_assert_eq!(u.duration_ms(x, y), u.union_duration_by_runs(x, y));
        let t = u.deadline_ms(x, amount);
        prop_assert_eq!(t, u.union_deadline_by_runs(x, amount));
        if let Some(t) = t {
            prop_assert_eq!(u.duration_ms(x, t), amount);
        }
    }
}

/// London, New York and Lord Howe with yearly and one-off holidays and
/// hours that change in 2600: the union over years 1..=9999 repeats its
/// 400-year cycles where each member does, and its blocks add up to the
/// whole span's sweep, durations and deadlines.
#[test]
fn follow_the_sun_over_millennia_is_its_whole_span() {
    let cals: Vec<Calendar> = serde_json::from_str(
        r#"[
        {"id": "emea", "timezone": "Europe/London", "hours": {"mon": ["09:00-17:00"], "fri": ["22:00-06:00"]},
         "holidays": ["12-25/12-26", "01-01", "3000-05-01/3000-06-30"]},
        {"id": "amer", "timezone": "America/New_York", "hours": {"mon": ["08:00-18:00"], "tue": ["08:00-18:00"]},
         "holidays": ["07-04"], "working_days": [{"date": "5000-01-01", "hours": ["10:00-11:00"]}],
         "changes": [{"from": "2600-03-01", "hours": {"wed": ["09:00-09:00"]}}]},
        {"id": "apac", "timezone": "Australia/Lord_Howe", "hours": {"mon": ["09:00-17:00"], "sun": ["23:00-23:30"]},
         "holidays": ["12-31/01-02"]},
        {"id": "global", "follow_the_sun": ["emea", "amer", "apac"]}]"#,
    )
    .unwrap();
    let g = cals[3].compile_among(chrono_tz::UTC, &cals, &[]).unwrap();
    let cycles = g.union_memo.with(&g, |m, _| m.cycles.clone());
    // Before 1400 (the quiet years' cycle), from 2600 to 3000 and after
    // 3000 and 5000 (the one-off dates break them) until 9999.
    assert!(cycles.len() >= 3, "{cycles:?}");
    // Across each stretch's ends, the whole span's sweep.
    for (a, b) in [
        (1, 60),
        (1350, 1450),
        (1900, 1901),
        (2350, 2650),
        (2950, 3050),
        (4990, 5010),
        (9900, 10_000),
    ] {
        let (a, b) = (in_year(a, 12_345), in_year(b, 6_789));
        let whole = union_whole(&g, a, b);
        assert_eq!(g.duration_ms(a, b), whole, "{a}..{b}");
        let t = g.deadline_ms(a, whole).unwrap();
        assert_eq!(g.duration_ms(a, t), whole);
        assert!(t <= b && g.duration_ms(a, t - 1) < whole);
    }
    // Over all the years: the blocks add up, by any cut.
    let (x, y) = (in_year(1, 0), in_year(10_000, 0));
    let total = g.duration_ms(x, y);
    for cut in [2, 1401, 2399, 2401, 2800, 3001, 5000, 7777, 9999] {
        let m = in_year(cut, 98_765);
        assert_eq!(
            g.duration_ms(x, m) + g.duration_ms(m, y),
            total,
            "cut in {cut}"
        );
    }
    let t = g.deadline_ms(x, total).unwrap();
    assert_eq!(g.duration_ms(x, t), total);
    assert!(g.duration_ms(x, t - 1) < total);
    assert_eq!(g.deadline_ms(x, total + 1), None);
}

/// A calendar's business time walked offset change by offset change (its
/// periods' summed): what its long spans' blocks must give.
fn piece_walk(b: &BusinessCalendar, x: i64, y: i64) -> i64 {
    if b.eras.is_empty() {
        b.business_ms(x, y)
    } else {
        b.eras.iter().map(|e| e.business_ms(x, y)).sum()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Over years, a calendar (periods of hours too) sums blocks and
    /// cycles: the same time as the walk by offset changes, and the
    /// deadline of that time comes at the end's last opening or before.
    #[test]
    fn a_calendars_long_spans_by_blocks_are_its_piece_walk(
        c in arb_valid_calendar(),
        year in 1i64..=9999, off in 0i64..(366 * 24 * H), days in prop_oneof![0i64..2_000, 0i64..150_000],
    ) {
        let b = c.compile(chrono_tz::UTC).unwrap();
        let x = in_year(year, off);
        let y = x + days * 24 * H + off / 7;
        let d = b.duration_ms(x, y);
        prop_assert_eq!(d, piece_walk(&b, x, y));
        if d > 0 {
            let t = b.deadline_ms(x, d).unwrap();
            prop_assert!(t <= clamp_instant(y));
            prop_assert_eq!(b.duration_ms(x, t), d);
            prop_assert!(b.duration_ms(x, t - 1) < d);
        }
    }
}

/// Found by the calendar fuzz target over years 1..=9999: Lord Howe's
/// Thursday night shift is worked twice in some folds (its clocks went back
/// across it), so years 1 to 9999 hold more real business time than wall
/// time; the deadline of all of it was `None`, read off the wall clock.
#[test]
fn the_deadline_of_all_the_business_time_there_is() {
    let w = r#"["09:00-13:00", "14:00-18:00"]"#;
    let json = format!(
        r#"[{{"id": "emea", "timezone": "Europe/London", "hours": {{"mon": {w}, "fri": {w}}}}},
        {{"id": "apac", "timezone": "Australia/Lord_Howe",
          "hours": {{"mon": {w}, "thu": ["09:00-13:00", "14:00-01:08"], "fri": {w}}}}},
        {{"id": "global", "follow_the_sun": ["emea", "apac"]}}]"#
    );
    let cals: Vec<Calendar> = serde_json::from_str(&json).unwrap();
    for c in [&cals[1], &cals[2]] {
        let g = c.compile_among(chrono_tz::UTC, &cals, &[]).unwrap();
        let d = g.duration_ms(MIN_INSTANT_MS, MAX_INSTANT_MS);
        let t = g.deadline_ms(MIN_INSTANT_MS, d).unwrap();
        assert_eq!(g.duration_ms(MIN_INSTANT_MS, t), d, "{}", c.id);
        assert!(t <= MAX_INSTANT_MS && g.duration_ms(MIN_INSTANT_MS, t - 1) < d);
        assert_eq!(g.deadline_ms(MIN_INSTANT_MS, d + 1), None);
    }
}
