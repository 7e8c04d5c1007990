//! Dates as text, written and read without chrono's strftime machinery: the
//! few patterns the diary's languages and period labels use (`%Y-%m-%d`,
//! `%d.%m.%Y %H:%M`…) and the ISO date of calendars and period keys. The
//! output is what chrono's `format` writes for the same pattern, to the byte
//! (tested against it), and the reader accepts what chrono's date reader
//! accepts; chrono's general formatter and parser weigh ~25 KB in the npm
//! package, which needs none of their generality.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use std::fmt::Write;

/// English month names, as chrono's `%B` writes them.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `date` (and `time`) written in `pattern`: `%Y` (four digits, a sign and
/// more beyond 0–9999, as chrono writes it), `%m`, `%d`, `%H`, `%M`, `%S`
/// (two digits), `%-d` (no padding), `%B` (the English month name), `%%`;
/// any other character as it is. The patterns are the crate's own (the
/// languages' date formats, period labels).
pub(crate) fn format(pattern: &str, date: NaiveDate, time: NaiveTime) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Writing to a String cannot fail.
        let _ = match chars.next() {
            Some('Y') => write_year(&mut out, date.year()),
            Some('m') => write!(out, "{:02}", date.month()),
            Some('d') => write!(out, "{:02}", date.day()),
            Some('H') => write!(out, "{:02}", time.hour()),
            Some('M') => write!(out, "{:02}", time.minute()),
            Some('S') => write!(out, "{:02}", time.second()),
            Some('B') => {
                out.push_str(MONTHS.get(date.month0() as usize).copied().unwrap_or(""));
                Ok(())
            }
            Some('-') => match chars.next() {
                Some('d') => write!(out, "{}", date.day()),
                Some(other) => {
                    out.push_str("%-");
                    out.push(other);
                    Ok(())
                }
                None => {
                    out.push_str("%-");
                    Ok(())
                }
            },
            Some('%') => {
                out.push('%');
                Ok(())
            }
            Some(other) => {
                out.push('%');
                out.push(other);
                Ok(())
            }
            None => {
                out.push('%');
                Ok(())
            }
        };
    }
    out
}

/// A year as chrono's `%Y`: four digits within 0–9999, else a sign and at
/// least four digits (`+12345`, `-0001`).
fn write_year(out: &mut String, year: i32) -> std::fmt::Result {
    if (0..=9999).contains(&year) {
        write!(out, "{year:04}")
    } else {
        write!(out, "{year:+05}")
    }
}

/// `date` as `%Y-%m-%d` (a day's or a week's label, `2026-05-04`), written
/// directly: a label per bucket of every series.
pub(crate) fn ymd(date: NaiveDate) -> String {
    let mut out = ym(date);
    // Writing to a String cannot fail.
    let _ = write!(out, "-{:02}", date.day());
    out
}

/// `date` as `%Y-%m` (a month's label, `2026-05`).
pub(crate) fn ym(date: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    let _ = write_year(&mut out, date.year());
    let _ = write!(out, "-{:02}", date.month());
    out
}

/// A date written `%Y-%m-%d`, read as chrono's `NaiveDate::from_str` (its
/// serde) reads it, which takes every date its `%Y-%m-%d` parser takes:
/// whitespace before each number and each `-` and at the end is skipped; a year of one to four
/// digits, or a sign and any number of digits; a month and a day of one or
/// two digits; a date that does not exist is `None`.
pub(crate) fn parse_ymd(text: &str) -> Option<NaiveDate> {
    let (year, rest) = year(text.trim_start())?;
    let rest = rest.trim_start().strip_prefix('-')?;
    let (month, rest) = digits(rest.trim_start(), 2)?;
    let rest = rest.trim_start().strip_prefix('-')?;
    let (day, rest) = digits(rest.trim_start(), 2)?;
    if !rest.trim_start().is_empty() {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )
}

/// A year: a sign and any number of digits, or one to four digits.
fn year(text: &str) -> Option<(i64, &str)> {
    if let Some(rest) = text.strip_prefix('-') {
        let (v, rest) = digits(rest, usize::MAX)?;
        Some((-v, rest))
    } else if let Some(rest) = text.strip_prefix('+') {
        digits(rest, usize::MAX)
    } else {
        digits(text, 4)
    }
}

/// One to `max` ASCII digits at the start of `text`, and what follows.
fn digits(text: &str, max: usize) -> Option<(i64, &str)> {
    let n = text
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if n == 0 {
        return None;
    }
    let mut v: i64 = 0;
    for b in text.bytes().take(n) {
        v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some((v, text.get(n..)?))
}

/// What a date is expected to look like, for error messages (a template of
/// the catalogue, so it is said in every language).
pub(crate) const DATE_EXPECTED: &str = "a date like 2026-01-05";

/// Serde for a [`NaiveDate`] field as `2026-01-05` (chrono's own serde
/// goes through its general parser).
pub(crate) mod serde_ymd {
    use chrono::NaiveDate;

    pub(crate) fn serialize<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::ymd(*d))
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<NaiveDate, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        super::parse_ymd(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid value {text:?}: expected {}",
                super::DATE_EXPECTED
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATTERNS: &[&str] = &[
        "%Y-%m-%d",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y",
        "%d.%m.%Y %H:%M",
        "%d.%m",
        "%Y-%m",
        "%-d %B %Y",
        "%H:%M:%S %% x",
    ];

    #[test]
    fn writes_what_chrono_writes() {
        let dates = [
            (2026, 1, 5),
            (2026, 12, 31),
            (1, 2, 3),
            (0, 1, 1),
            (-1, 6, 30),
            (-262_143, 1, 1),
            (9999, 12, 31),
            (10_000, 1, 1),
            (262_142, 12, 31),
        ];
        let times = [(0, 0, 0), (9, 5, 7), (23, 59, 59)];
        for (y, m, d) in dates {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            for (h, mi, s) in times {
                let time = NaiveTime::from_hms_opt(h, mi, s).unwrap();
                for p in PATTERNS {
                    let chrono = date.and_time(time).format(p).to_string();
                    assert_eq!(format(p, date, time), chrono, "{p} {date} {time}");
                }
            }
            assert_eq!(ymd(date), date.format("%Y-%m-%d").to_string());
            assert_eq!(ym(date), date.format("%Y-%m").to_string());
        }
    }

    #[test]
    fn reads_what_chrono_reads() {
        let texts = [
            "2026-01-05",
            "2026-1-5",
            " 2026 - 01 - 05 ",
            "2026-02-29",
            "2024-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-01-32",
            "+12026-01-05",
            "-0001-01-05",
            "-1-01-05",
            "12026-01-05",
            "226-01-05",
            "2026-01-05x",
            "2026-01",
            "2026/01/05",
            "",
            "-",
            "+-1-01-01",
            "2026-001-05",
            "2026-01-005",
            "99999999999999999999-01-01",
            "+262143-12-31",
            "+262144-01-01",
            "2026-01-05\u{a0}",
            "٢٠٢٦-01-05",
        ];
        for t in texts {
            // What chrono's serde reads (FromStr), exactly; what its
            // `%Y-%m-%d` reads (no whitespace around `-`), the same dates.
            assert_eq!(parse_ymd(t), t.parse::<NaiveDate>().ok(), "{t:?} (FromStr)");
            if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                assert_eq!(parse_ymd(t), Some(d), "{t:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn reads_like_chrono_on_any_text(t in "[ +\\-0-9]{0,14}") {
            proptest::prop_assert_eq!(parse_ymd(&t), t.parse::<NaiveDate>().ok());
            if let Ok(d) = NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
                proptest::prop_assert_eq!(parse_ymd(&t), Some(d));
            }
        }

        #[test]
        fn round_trips_any_date(days in -95_000_000i64..95_000_000) {
            let date = NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).unwrap()).unwrap();
            proptest::prop_assert_eq!(parse_ymd(&ymd(date)), Some(date));
            proptest::prop_assert_eq!(ymd(date), date.format("%Y-%m-%d").to_string());
        }
    }
}
