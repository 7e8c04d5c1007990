//! Exact durations in milliseconds, written as ISO 8601 durations
//! (`PT15M`, `PT900S`, `P3D`, `P1DT2H30M`, `P2W`).
//!
//! A day is 24 hours here: an SLA of `P1D` is 86 400 s of elapsed (or business)
//! time, never "the same clock time tomorrow". Years and months have no fixed
//! length and are rejected with a clear message.

use std::fmt;
use std::str::FromStr;

/// A signed duration with millisecond precision.
///
/// ```
/// use mindgap::Span;
/// let s: Span = "P1DT2H30M".parse().unwrap();
/// assert_eq!(s.as_millis(), ((24 + 2) * 3600 + 30 * 60) * 1000);
/// assert_eq!(s.to_string(), "P1DT2H30M");
/// assert_eq!(s.human(), "1 d 2 h");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span(i64);

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;

impl Span {
    /// Zero.
    pub const ZERO: Span = Span(0);

    /// From milliseconds.
    pub const fn from_millis(ms: i64) -> Span {
        Span(ms)
    }
    /// From whole seconds (saturating).
    pub const fn from_secs(s: i64) -> Span {
        Span(s.saturating_mul(SECOND))
    }
    /// From whole minutes (saturating).
    pub const fn from_minutes(m: i64) -> Span {
        Span(m.saturating_mul(MINUTE))
    }
    /// From whole hours (saturating).
    ///
    /// ```
    /// use mindgap::Span;
    /// assert_eq!(Span::from_hours(36).as_millis(), 36 * 3_600_000);
    /// assert_eq!(Span::from_hours(36).to_string(), "P1DT12H");
    /// assert_eq!(Span::from_hours(i64::MAX), Span::from_millis(i64::MAX)); // saturates
    /// ```
    pub const fn from_hours(h: i64) -> Span {
        Span(h.saturating_mul(HOUR))
    }
    /// From whole days of 24 hours (saturating).
    pub const fn from_days(d: i64) -> Span {
        Span(d.saturating_mul(DAY))
    }
    /// Milliseconds.
    pub const fn as_millis(self) -> i64 {
        self.0
    }
    /// Seconds, as a float.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
    /// Hours, as a float.
    ///
    /// ```
    /// use mindgap::Span;
    /// assert_eq!(Span::from_minutes(90).as_hours_f64(), 1.5);
    /// assert_eq!(Span::from_days(-1).as_hours_f64(), -24.0);
    /// ```
    pub fn as_hours_f64(self) -> f64 {
        self.0 as f64 / HOUR as f64
    }

    /// A short human form: `3 d 4 h`, `45 min`, `12 s`, `0 s`; at most the two
    /// largest units, the rest cut off.
    ///
    /// ```
    /// use mindgap::Span;
    /// assert_eq!(Span::from_minutes(45).human(), "45 min");
    /// assert_eq!(Span::from_millis(-90_000).human(), "-1 min 30 s");
    /// // The two largest units from the first: 1 d 0 h 5 min is "1 d".
    /// assert_eq!(Span::from_millis(86_400_000 + 300_000).human(), "1 d");
    /// assert_eq!((Span::ZERO.human(), Span::from_millis(250).human()), ("0 s".into(), "250 ms".into()));
    /// ```
    pub fn human(self) -> String {
        let mut out = String::new();
        let mut ms = self.0;
        if ms < 0 {
            out.push('-');
            ms = ms.saturating_neg();
        }
        if ms < SECOND && ms > 0 {
            return format!("{out}{ms} ms");
        }
        let units = [(DAY, "d"), (HOUR, "h"), (MINUTE, "min"), (SECOND, "s")];
        let mut written = 0;
        for (size, name) in units {
            let n = ms / size;
            if n > 0 && written < 2 {
                if written > 0 {
                    out.push(' ');
                }
                out.push_str(&format!("{n} {name}"));
                written += 1;
                ms -= n * size;
            } else if written > 0 {
                written += 1; // a zero unit in between still counts towards the two
            }
        }
        if written == 0 {
            out.push_str("0 s");
        }
        out
    }
}

impl fmt::Display for Span {
    /// The canonical ISO 8601 form: weeks are written as days, zero is `PT0S`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ms = self.0.unsigned_abs();
        if self.0 < 0 {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        let days = ms / DAY as u64;
        ms %= DAY as u64;
        if days > 0 {
            write!(f, "{days}D")?;
        }
        if ms == 0 {
            if days == 0 {
                f.write_str("T0S")?;
            }
            return Ok(());
        }
        f.write_str("T")?;
        let (h, m) = (ms / HOUR as u64, (ms % HOUR as u64) / MINUTE as u64);
        let rest = ms % MINUTE as u64;
        if h > 0 {
            write!(f, "{h}H")?;
        }
        if m > 0 {
            write!(f, "{m}M")?;
        }
        if rest > 0 {
            let (s, frac) = (rest / 1000, rest % 1000);
            if frac == 0 {
                write!(f, "{s}S")?;
            } else {
                let frac = format!("{frac:03}");
                write!(f, "{s}.{}S", frac.trim_end_matches('0'))?;
            }
        }
        Ok(())
    }
}

/// Why a duration did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanParseError(pub &'static str);

impl fmt::Display for SpanParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for SpanParseError {}

/// What a span is expected to look like, for error messages.
pub const SPAN_EXPECTED: &str =
    "an ISO 8601 duration such as PT15M, PT900S, P3D or P1DT2H (days are 24 h; no years or months)";

impl FromStr for Span {
    type Err = SpanParseError;

    fn from_str(text: &str) -> Result<Span, SpanParseError> {
        let s = text.trim();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let s = s
            .strip_prefix('P')
            .or_else(|| s.strip_prefix('p'))
            .ok_or(SpanParseError("a duration starts with P"))?;
        if s.is_empty() {
            return Err(SpanParseError("a duration needs at least one number"));
        }
        let mut total: i64 = 0;
        let mut in_time = false;
        let mut any = false;
        let mut last_rank = 0u8;
        let mut rest = s;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix(['T', 't']) {
                if in_time {
                    return Err(SpanParseError("T appears twice"));
                }
                in_time = true;
                rest = r;
                if rest.is_empty() {
                    return Err(SpanParseError(
                        "T must be followed by hours, minutes or seconds",
                    ));
                }
                continue;
            }
            let num_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                .ok_or(SpanParseError("a number must be followed by a unit letter"))?;
            if num_len == 0 {
                return Err(SpanParseError("expected a number"));
            }
            let (num, tail) = rest.split_at(num_len);
            let mut chars = tail.chars();
            let unit = chars.next().map(|c| c.to_ascii_uppercase());
            rest = chars.as_str();
            let (size, rank) = match (in_time, unit) {
                (false, Some('Y')) | (false, Some('M')) => {
                    return Err(SpanParseError(
                        "years and months have no fixed length; write days (P30D) instead",
                    ));
                }
                (false, Some('W')) => (WEEK, 1),
                (false, Some('D')) => (DAY, 2),
                (true, Some('H')) => (HOUR, 3),
                (true, Some('M')) => (MINUTE, 4),
                (true, Some('S')) => (SECOND, 5),
                _ => return Err(SpanParseError("unknown unit; use W, D, then T and H, M, S")),
            };
            if rank <= last_rank {
                return Err(SpanParseError("units out of order or repeated"));
            }
            last_rank = rank;
            let num = num.replace(',', ".");
            let value: f64 = num.parse().map_err(|_| SpanParseError("not a number"))?;
            if num.contains('.') && rest.chars().any(|c| c.is_ascii_digit()) {
                return Err(SpanParseError("only the last number may have a fraction"));
            }
            let ms = value * size as f64;
            if !ms.is_finite() || ms > 9.0e15 {
                return Err(SpanParseError("duration too long"));
            }
            total = total
                .checked_add(ms.round() as i64)
                .ok_or(SpanParseError("duration too long"))?;
            any = true;
        }
        if !any {
            return Err(SpanParseError("a duration needs at least one number"));
        }
        Ok(Span(if negative { -total } else { total }))
    }
}

impl serde::Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Span, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Span;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(SPAN_EXPECTED)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Span, E> {
                v.parse().map_err(|e: SpanParseError| {
                    E::custom(format!("{v:?}: {e}; expected {SPAN_EXPECTED}"))
                })
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_forms_in_the_docs() {
        let cases = [
            ("PT15M", 15 * MINUTE),
            ("PT900S", 900 * SECOND),
            ("P3D", 3 * DAY),
            ("P1DT2H", DAY + 2 * HOUR),
            ("P2W", 2 * WEEK),
            ("PT0.5S", 500),
            ("PT1,5H", 90 * MINUTE),
            ("-PT1H", -HOUR),
            ("PT0S", 0),
        ];
        for (text, ms) in cases {
            assert_eq!(text.parse::<Span>(), Ok(Span(ms)), "{text}");
        }
    }

    #[test]
    fn rejects_ambiguous_and_malformed_forms() {
        for bad in [
            "", "P", "PT", "1D", "P1M", "P1Y", "PT1H1H", "PT1M1H", "P1.5DT1H", "PTxS", "P1DX",
            "PT1",
        ] {
            assert!(bad.parse::<Span>().is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn canonical_form_and_human_form() {
        assert_eq!(Span::from_secs(900).to_string(), "PT15M");
        assert_eq!(Span::ZERO.to_string(), "PT0S");
        assert_eq!(Span::from_millis(1500).to_string(), "PT1.5S");
        assert_eq!(Span::from_days(3).to_string(), "P3D");
        assert_eq!(Span::from_hours(-2).to_string(), "-PT2H");
        assert_eq!(
            Span::from_secs(3 * 86400 + 4 * 3600 + 59).human(),
            "3 d 4 h"
        );
        assert_eq!(Span::from_secs(45 * 60).human(), "45 min");
        assert_eq!(Span::ZERO.human(), "0 s");
    }

    proptest! {
        #[test]
        fn display_then_parse_is_lossless(ms in -10_000_000_000_000i64..10_000_000_000_000) {
            let s = Span(ms);
            prop_assert_eq!(s.to_string().parse::<Span>(), Ok(s));
        }
    }
}
