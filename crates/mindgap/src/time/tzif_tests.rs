//! The TZif reader and the POSIX TZ rule: hand-checked instants, the forms
//! of the rule (Jn, n, Mm.w.d, times past 24 h and negative), footers
//! against chrono-tz's compiled tables, and bad files refused, not panicking.

use proptest::prelude::*;

use super::*;

fn at(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp())
        .unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn rule(s: &str) -> PosixTz {
    PosixTz::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

const H: i32 = 3600;

#[test]
fn new_york_rule_changes_on_its_sundays_at_two() {
    let ny = rule("EST5EDT,M3.2.0,M11.1.0");
    for (t, want) in [
        ("2026-01-15T12:00:00Z", -5 * H),
        ("2026-07-01T12:00:00Z", -4 * H),
        // 2026-03-08 02:00 EST = 07:00Z.
        ("2026-03-08T06:59:59Z", -5 * H),
        ("2026-03-08T07:00:00Z", -4 * H),
        // 2026-11-01 02:00 EDT = 06:00Z.
        ("2026-11-01T05:59:59Z", -4 * H),
        ("2026-11-01T06:00:00Z", -5 * H),
        // Past 2037 and past 2099: the rule goes on.
        ("2100-07-05T12:00:00Z", -4 * H),
        ("2100-03-14T07:00:00Z", -4 * H),
        ("2100-03-14T06:59:59Z", -5 * H),
        ("9999-07-01T00:00:00Z", -4 * H),
    ] {
        assert_eq!(ny.offset_at(at(t)), want, "{t}");
    }
    // A fixed zone, and the far past and future without overflow.
    assert_eq!(rule("<+03>-3").offset_at(0), 3 * H);
    assert_eq!(rule("<+0330>-3:30").offset_at(0), 3 * H + 1800);
    assert_eq!(rule("UTC0").offset_at(i64::MAX), 0);
    assert_eq!(ny.offset_at(i64::MAX / 2), ny.offset_at(i64::MAX / 2));
    assert!([-5 * H, -4 * H].contains(&ny.offset_at(i64::MIN)));
}

#[test]
fn southern_rules_span_the_new_year() {
    // Santiago: daylight saving time from the first Saturday of September
    // at 24:00 to the first Saturday of April at 24:00.
    let santiago = rule("<-04>4<-03>,M9.1.6/24,M4.1.6/24");
    for (t, want) in [
        ("2026-01-15T12:00:00Z", -3 * H),
        ("2026-06-15T12:00:00Z", -4 * H),
        ("2026-12-15T12:00:00Z", -3 * H),
        // Saturday 4 April 2026, 24:00 -03 = 5 April 03:00Z.
        ("2026-04-05T02:59:59Z", -3 * H),
        ("2026-04-05T03:00:00Z", -4 * H),
        // Saturday 5 September 2026, 24:00 -04 = 6 September 04:00Z.
        ("2026-09-06T03:59:59Z", -4 * H),
        ("2026-09-06T04:00:00Z", -3 * H),
    ] {
        assert_eq!(santiago.offset_at(at(t)), want, "{t}");
    }
    // Dublin: "daylight saving" is winter (a negative saving).
    let dublin = rule("IST-1GMT0,M10.5.0,M3.5.0/1");
    assert_eq!(dublin.offset_at(at("2026-01-15T12:00:00Z")), 0);
    assert_eq!(dublin.offset_at(at("2026-07-15T12:00:00Z")), H);
    // Lord Howe: half an hour of saving, given as an offset.
    let lh = rule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    assert_eq!(lh.offset_at(at("2026-01-15T12:00:00Z")), 11 * H);
    assert_eq!(lh.offset_at(at("2026-07-15T12:00:00Z")), 10 * H + 1800);
}

#[test]
fn times_past_a_day_and_before_midnight() {
    // Nuuk: into summer time at -1:00 (the Saturday before, at 23:00).
    let nuuk = rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    // The last Sunday of March 2026 is the 29th: 28 March 23:00 -02 = 29 March 01:00Z.
    assert_eq!(nuuk.offset_at(at("2026-03-29T00:59:59Z")), -2 * H);
    assert_eq!(nuuk.offset_at(at("2026-03-29T01:00:00Z")), -H);
    // The last Sunday of October 2026 is the 25th: 00:00 -01 = 01:00Z.
    assert_eq!(nuuk.offset_at(at("2026-10-25T00:59:59Z")), -H);
    assert_eq!(nuuk.offset_at(at("2026-10-25T01:00:00Z")), -2 * H);
    // Daylight saving time all year (RFC 8536's example): Jan 1 00:00 on,
    // Dec 31 at 25:00 off, which is the next Jan 1 00:00 standard time.
    let always = rule("EST5EDT,0/0,J365/25");
    for t in [
        "2026-01-01T04:59:59Z",
        "2026-01-01T05:00:00Z",
        "2026-07-01T00:00:00Z",
        "2026-12-31T23:59:59Z",
        "2027-01-01T05:00:00Z",
        "2028-02-29T12:00:00Z",
    ] {
        assert_eq!(always.offset_at(at(t)), -4 * H, "{t}");
    }
    // Up to 167 hours.
    let late = rule("XXX0YYY,J1/167,J300");
    assert_eq!(late.offset_at(at("2026-01-07T22:59:59Z")), 0);
    assert_eq!(late.offset_at(at("2026-01-07T23:00:00Z")), H);
}

#[test]
fn julian_days_count_or_skip_the_leap_day() {
    // J60 is 1 March in every year; 59 (from 0) is 29 February in a leap
    // year and 1 March otherwise.
    let j = rule("AAA0BBB,J60/0,J61/0");
    assert_eq!(j.offset_at(at("2028-02-29T12:00:00Z")), 0);
    assert_eq!(j.offset_at(at("2028-03-01T12:00:00Z")), H);
    assert_eq!(j.offset_at(at("2027-03-01T12:00:00Z")), H);
    let n = rule("AAA0BBB,59/0,60/0");
    assert_eq!(n.offset_at(at("2028-02-29T12:00:00Z")), H);
    assert_eq!(n.offset_at(at("2028-03-01T12:00:00Z")), 0);
    assert_eq!(n.offset_at(at("2027-03-01T12:00:00Z")), H);
    assert_eq!(n.offset_at(at("2027-02-28T12:00:00Z")), 0);
    // Without dates: the US rule, as glibc reads it.
    assert_eq!(rule("EST5EDT"), rule("EST5EDT,M3.2.0/2,M11.1.0/2:00:00"));
    // The fifth week is the last one.
    let last = rule("AAA0BBB,M2.5.0/0,M3.5.0/0");
    // Last Sunday of February 2026 is the 22nd.
    assert_eq!(last.offset_at(at("2026-02-21T23:59:59Z")), 0);
    assert_eq!(last.offset_at(at("2026-02-22T00:00:00Z")), H);
}

#[test]
fn bad_rules_are_refused_with_a_reason() {
    for (s, why) in [
        ("", "shorter than 3"),
        ("AB5", "shorter than 3"),
        ("<+03-3", "unterminated"),
        ("EST", "expected a number"),
        ("EST25", "out of range"),
        ("EST5EDT,M13.1.0,M11.1.0", "out of range"),
        ("EST5EDT,M3.0.0,M11.1.0", "week 1–5"),
        ("EST5EDT,M3.2.7,M11.1.0", "out of range"),
        ("EST5EDT,J0,J365", "1–365"),
        ("EST5EDT,366,1", "out of range"),
        ("EST5EDT,M3.2.0", "expected ,end"),
        ("EST5EDT,M3.2.0/168,M11.1.0", "out of range"),
        ("EST5EDT,M3.2.0,M11.1.0x", "unexpected text"),
        ("EST5EDT,M3.2.0,M11.1.0/9999", "expected a number"),
    ] {
        let e = PosixTz::parse(s).expect_err(s);
        assert!(e.0.contains(why), "{s}: {e}");
    }
}

/// The footers of real zones (tzdata 2025b) and the zones chrono-tz
/// compiled from the same release.
const FOOTERS: [(&str, chrono_tz::Tz); 10] = [
    ("EST5EDT,M3.2.0,M11.1.0", chrono_tz::America::New_York),
    ("CET-1CEST,M3.5.0,M10.5.0/3", chrono_tz::Europe::Berlin),
    (
        "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
        chrono_tz::America::Santiago,
    ),
    ("AEST-10AEDT,M10.1.0,M4.1.0/3", chrono_tz::Australia::Sydney),
    (
        "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
        chrono_tz::Australia::Lord_Howe,
    ),
    ("IST-1GMT0,M10.5.0,M3.5.0/1", chrono_tz::Europe::Dublin),
    ("NZST-12NZDT,M9.5.0,M4.1.0/3", chrono_tz::Pacific::Auckland),
    ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", chrono_tz::America::Nuuk),
    (
        "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
        chrono_tz::Pacific::Chatham,
    ),
    (
        "<+00>0<+02>-2,M3.5.0/1,M10.5.0/3",
        chrono_tz::Antarctica::Troll,
    ),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// Each footer gives the offsets chrono-tz's tables give, from 2030 to
    /// 2099 (where both follow the same rule), to the second around each
    /// change.
    #[test]
    fn footers_agree_with_the_compiled_tables(
        z in 0..FOOTERS.len(),
        t in at("2030-01-01T00:00:00Z")..at("2099-12-01T00:00:00Z"),
        near in any::<bool>(),
    ) {
        use chrono::{Offset, TimeZone as _};
        let (text, tz) = FOOTERS[z];
        let posix = rule(text);
        let want = |t: i64| {
            tz.offset_from_utc_datetime(&chrono::DateTime::from_timestamp(t, 0).unwrap().naive_utc())
                .fix()
                .local_minus_utc()
        };
        let mut t = t;
        if near {
            // Move to the next change of the compiled zone, if one is
            // within 200 days, and test both sides of it.
            let o = want(t);
            if let Some(d) = (1..200).find(|d| want(t + d * DAY) != o) {
                let (mut lo, mut hi) = (t + (d - 1) * DAY, t + d * DAY);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if want(mid) == o { lo = mid } else { hi = mid }
                }
                prop_assert_eq!(posix.offset_at(lo), want(lo), "{} at {}", text, lo);
                t = hi;
            }
        }
        prop_assert_eq!(posix.offset_at(t), want(t), "{} at {}", text, t);
    }

    /// Any bytes: an error or a zone, never a panic; and every prefix of a
    /// real file is refused.
    #[test]
    fn garbage_is_refused_not_panicked_on(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut file = b"TZif2".to_vec();
        file.extend_from_slice(&bytes);
        let _ = Tzif::parse(&file);
        let _ = Tzif::parse(&bytes);
        if let Ok(s) = std::str::from_utf8(&bytes) {
            let _ = PosixTz::parse(s);
        }
    }
}

/// Builds a version 2 TZif file: the given transitions (time, type) and
/// types (offsets), and a footer.
fn tzif(transitions: &[(i64, u8)], types: &[i32], footer: &str) -> Vec<u8> {
    let mut out = Vec::new();
    // Version 1 block: empty (no transitions, one type), as zic -b slim
    // writes.
    let head = |out: &mut Vec<u8>, time: u32, typ: u32| {
        out.extend_from_slice(b"TZif2");
        out.extend_from_slice(&[0; 15]);
        for n in [0, 0, 0, time, typ, 4] {
            out.extend_from_slice(&u32::to_be_bytes(n));
        }
    };
    head(&mut out, 0, 1);
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(b"LMT\0");
    head(&mut out, transitions.len() as u32, types.len() as u32);
    for (t, _) in transitions {
        out.extend_from_slice(&t.to_be_bytes());
    }
    for (_, i) in transitions {
        out.push(*i);
    }
    for o in types {
        out.extend_from_slice(&o.to_be_bytes());
        out.extend_from_slice(&[0, 0]);
    }
    out.extend_from_slice(b"LMT\0");
    out.push(b'\n');
    out.extend_from_slice(footer.as_bytes());
    out.push(b'\n');
    out
}

#[test]
fn a_built_file_is_read_and_its_footer_followed() {
    let file = tzif(
        &[(-1000, 1), (0, 2), (1_000_000, 1)],
        &[-17762, -5 * H, -4 * H],
        "EST5EDT,M3.2.0,M11.1.0",
    );
    let z = Tzif::parse(&file).unwrap();
    assert_eq!(z.offset_at(-1001), -17762);
    assert_eq!(z.offset_at(-1000), -5 * H);
    assert_eq!(z.offset_at(0), -4 * H);
    assert_eq!(z.offset_at(999_999), -4 * H);
    // From the last transition on, the footer.
    assert_eq!(z.offset_at(1_000_000), rule("EST5EDT").offset_at(1_000_000));
    assert_eq!(z.offset_at(at("2100-07-05T12:00:00Z")), -4 * H);
    // No transitions: the footer throughout.
    let utc = Tzif::parse(&tzif(&[], &[0], "UTC0")).unwrap();
    assert_eq!(utc.offset_at(at("2100-07-05T12:00:00Z")), 0);
    // Without a footer, the last type stays.
    let frozen = Tzif::parse(&tzif(&[(0, 1)], &[0, H], "")).unwrap();
    assert_eq!(frozen.offset_at(i64::MAX), H);
}

#[test]
fn broken_files_say_what_is_wrong() {
    let good = tzif(&[(0, 1), (10, 0)], &[0, H], "UTC0");
    assert!(Tzif::parse(&good).is_ok());
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"TZjf2".to_vec(), "not a TZif"),
        (b"TZif".to_vec(), "truncated"),
        (b"TZifX".to_vec(), "version"),
        (tzif(&[(10, 1), (0, 0)], &[0, H], ""), "not after"),
        (tzif(&[(0, 7)], &[0, H], ""), "type 7"),
        (tzif(&[(0, 1)], &[0, 86_400], ""), "out of range"),
        (tzif(&[], &[0], "UTC"), "footer TZ string"),
        (good[..good.len() - 1].to_vec(), "footer does not end"),
        (good[..60].to_vec(), "truncated"),
    ];
    for (bytes, why) in cases {
        let e = Tzif::parse(&bytes).expect_err(why);
        assert!(e.0.contains(why), "{why}: {e}");
    }
    // Every prefix of a good file is refused (not read as something else).
    for n in 0..good.len() {
        assert!(Tzif::parse(&good[..n]).is_err(), "prefix {n}");
    }
}

#[test]
fn civil_days_round_trip() {
    for d in [
        -800_000i64,
        -719_468,
        -1,
        0,
        1,
        59,
        365,
        11_016,
        47_482,
        2_932_896,
    ] {
        let (y, m, dd) = civil_from_days(d);
        assert_eq!(days_from_civil(y, m, dd), d);
    }
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    assert_eq!(civil_from_days(47_482), (2100, 1, 1));
}

/// Every file of the system's database (`$TZDIR` or /usr/share/zoneinfo),
/// when there is one: each TZif file is read (the `right/` ones refused
/// for their leap seconds), and New York's follows its footer past 2099.
#[test]
fn the_system_database_files_are_all_read() {
    let dir = crate::time::tzdata::system_tzdir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: no tz database at {}", dir.display());
        return;
    };
    let mut stack: Vec<std::path::PathBuf> = entries.flatten().map(|e| e.path()).collect();
    let (mut read, mut refused) = (0, 0);
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(
                std::fs::read_dir(&path)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path()),
            );
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if !bytes.starts_with(b"TZif") {
            continue;
        }
        match Tzif::parse(&bytes) {
            Ok(z) => {
                read += 1;
                // The offset of any instant is within a day.
                for t in [
                    i64::MIN,
                    -4_000_000_000,
                    0,
                    2_000_000_000,
                    5_000_000_000,
                    i64::MAX,
                ] {
                    assert!(i64::from(z.offset_at(t)).abs() < DAY, "{}", path.display());
                }
            }
            Err(e) => {
                assert!(
                    path.components().any(|c| c.as_os_str() == "right"),
                    "{}: {e}",
                    path.display()
                );
                assert!(e.0.contains("leap-second"), "{}: {e}", path.display());
                refused += 1;
            }
        }
    }
    eprintln!("{read} zones read, {refused} right/ zones refused");
    if let Ok(bytes) = std::fs::read(dir.join("America/New_York")) {
        let ny = Tzif::parse(&bytes).unwrap();
        assert_eq!(ny.offset_at(at("2100-07-05T12:00:00Z")), -4 * H);
        assert_eq!(ny.offset_at(at("2100-01-05T12:00:00Z")), -5 * H);
        assert_eq!(ny.offset_at(at("1883-11-18T12:00:00Z")), -17762);
    }
}
