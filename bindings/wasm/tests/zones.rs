//! The package's time zones come from the JavaScript runtime
//! (`Intl.DateTimeFormat`, installed as the core's zone source by
//! `src/zones.rs`), not from compiled
//! tables. Checked here, inside Node and headless Chromium, against the tz
//! database compiled into chrono-tz: offsets every three hours over 2000–2030 and
//! the second of every transition, local times around each (skipped,
//! doubled), names.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone as _};
use mindgap::TimeZone;
use wasm_bindgen_test::wasm_bindgen_test;

/// Zones whose rules did not change after the runtime's and chrono-tz's data
/// could differ: DST north and south, a 30-minute DST, none, abolished ones.
const ZONES: [&str; 8] = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Europe/Moscow",
    "America/Sao_Paulo",
    "Pacific/Auckland",
    "America/St_Johns",
];

const H: i64 = 3_600_000;
const START: i64 = 946_684_800_000; // 2000-01-01T00:00:00Z
const END: i64 = 1_924_992_000_000; // 2031-01-01T00:00:00Z

fn reference(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap()
}

fn reference_offset(tz: chrono_tz::Tz, ms: i64) -> i32 {
    let t = DateTime::from_timestamp_millis(ms).unwrap().naive_utc();
    tz.offset_from_utc_datetime(&t).fix().local_minus_utc()
}

#[wasm_bindgen_test]
fn offsets_agree_with_the_tz_database() {
    mindgap_wasm::install_zones();
    for name in ZONES {
        let zone = TimeZone::from_name(name).unwrap_or_else(|| panic!("{name} unknown"));
        assert_eq!(zone.name(), name);
        let tz = reference(name);
        let check = |ms: i64| {
            assert_eq!(
                zone.offset_at(ms).local_minus_utc(),
                reference_offset(tz, ms),
                "{name} at {}",
                DateTime::from_timestamp_millis(ms).unwrap()
            );
        };
        let mut t = START;
        while t < END {
            check(t);
            check(t + 17 * 60_000 + 1);
            let next = t + 3 * H;
            if reference_offset(tz, t) != reference_offset(tz, next) {
                // The transition's exact second, and the millisecond before.
                let (mut lo, mut hi) = (t, next);
                while hi - lo > 1000 {
                    let mid = lo + (hi - lo) / 2000 * 1000;
                    if reference_offset(tz, mid) == reference_offset(tz, t) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                check(hi - 1);
                check(hi);
            }
            t = next;
        }
    }
}

#[wasm_bindgen_test]
fn local_times_agree_around_every_transition() {
    mindgap_wasm::install_zones();
    for name in ZONES {
        let zone = TimeZone::from_name(name).unwrap();
        let tz = reference(name);
        let mut last = reference_offset(tz, START);
        let mut t = START;
        let mut transitions = 0;
        while t < END {
            let o = reference_offset(tz, t);
            if o != last {
                transitions += 1;
                // Every quarter of an hour, three hours either side (local).
                let wall = DateTime::from_timestamp_millis(t + i64::from(o) * 1000)
                    .unwrap()
                    .naive_utc();
                for q in -12..=12 {
                    let local: NaiveDateTime = wall + chrono::Duration::minutes(15 * q);
                    let want = tz.from_local_datetime(&local).map(|d| d.fixed_offset());
                    let got = zone.from_local(&local);
                    assert_eq!(got, want, "{name} local {local}");
                }
            }
            last = o;
            t += H;
        }
        if name == "Europe/Berlin" {
            assert_eq!(transitions, 62);
        }
    }
    let berlin = TimeZone::from_name("Europe/Berlin").unwrap();
    let skipped = "2026-03-29T02:30:00".parse::<NaiveDateTime>().unwrap();
    assert_eq!(berlin.from_local(&skipped), LocalResult::None);
    let twice = "2026-10-25T02:30:00".parse::<NaiveDateTime>().unwrap();
    assert!(matches!(berlin.from_local(&twice), LocalResult::Ambiguous(a, b) if a < b));
}

#[wasm_bindgen_test]
fn names() {
    mindgap_wasm::install_zones();
    assert!(TimeZone::from_name("Mars/Olympus").is_none());
    // The tz database's names are exact; the runtime would take any case.
    assert!(TimeZone::from_name("europe/berlin").is_none());
    assert!(TimeZone::from_name("").is_none());
    assert_eq!(
        TimeZone::from_name("UTC")
            .unwrap()
            .offset_at(0)
            .local_minus_utc(),
        0
    );
    assert_eq!(TimeZone::UTC.name(), "UTC");
    // Asked twice: the same zone.
    assert_eq!(
        TimeZone::from_name("Asia/Tokyo").unwrap(),
        TimeZone::from_name("Asia/Tokyo").unwrap()
    );
    // Far instants do not throw out of the runtime (JS dates end at ±8.64e15 ms).
    let tokyo = TimeZone::from_name("Asia/Tokyo").unwrap();
    let _ = tokyo.offset_at(i64::MAX);
    let _ = tokyo.offset_at(i64::MIN);
    assert_eq!(tokyo.offset_at(START).local_minus_utc(), 9 * 3600);
}
