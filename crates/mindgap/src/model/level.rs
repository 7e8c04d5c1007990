//! The levels of a duration zone: a time, a number of business days, or the
//! end of a business day.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::time::span::Span;

/// A level of a [`DurationZone`](crate::DurationZone) (desired, adequate or
/// promised). In JSON:
///
/// - `"PT4H"`, `"P3D"`: a duration (ISO 8601), elapsed time, or business
///   time under the expectation's calendar (`P1D` is then 24 business hours);
/// - `{"business_days": 3}`: business days, each business date (a date
///   with business hours) counting one whatever its hours, a part of one
///   its share of that date's business time (`1.5` allowed). Needs a
///   calendar;
/// - `{"end_of_business_day": 1}`: by the close of the n-th business day
///   after the one the clock starts in (`0`: the same business day, `1`: the
///   next). A clock started outside hours starts with the next business
///   day. Needs a calendar.
///
/// The levels of one zone are of one kind. Business-day levels are
/// reported in business days; for `end_of_business_day` the values count
/// from the start of the business day the clock started in, so level `n` is
/// the value `n + 1` ("closed 0.4 into the next business day" is `1.4`).
///
/// ```
/// use mindgap::{Level, Span};
/// let levels: Vec<Level> = serde_json::from_str(
///     r#"["PT4H", {"business_days": 1.5}, {"end_of_business_day": 1}]"#)?;
/// assert_eq!(levels[0], Level::Time(Span::from_hours(4)));
/// assert_eq!(levels[1], Level::BusinessDays(1.5));
/// assert_eq!(levels[2], Level::EndOfBusinessDay(1));
/// assert_eq!(levels[2].to_string(), "by the end of business day +1");
/// assert_eq!(serde_json::to_string(&levels)?,
///     r#"["PT4H",{"business_days":1.5},{"end_of_business_day":1}]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Level {
    /// A duration: elapsed time, or business time under a calendar.
    Time(Span),
    /// A number of business days (fractions allowed).
    BusinessDays(f64),
    /// By the close of the n-th business day after the clock's first one.
    EndOfBusinessDay(u32),
}

/// What a level counts, for checking that a zone's levels agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum LevelKind {
    Time,
    BusinessDays,
    EndOfBusinessDay,
}

impl Level {
    /// The duration, for a [`Level::Time`].
    pub fn as_span(self) -> Option<Span> {
        match self {
            Level::Time(s) => Some(s),
            Level::BusinessDays(_) | Level::EndOfBusinessDay(_) => None,
        }
    }

    /// Whether the level counts business days (and so needs a calendar).
    pub fn is_business_days(self) -> bool {
        !matches!(self, Level::Time(_))
    }

    pub(crate) fn kind(self) -> LevelKind {
        match self {
            Level::Time(_) => LevelKind::Time,
            Level::BusinessDays(_) => LevelKind::BusinessDays,
            Level::EndOfBusinessDay(_) => LevelKind::EndOfBusinessDay,
        }
    }

    /// The level in the engine's integer unit: ms for a time, millionths of
    /// a business day otherwise (`end_of_business_day: n` is `n + 1` days
    /// from the start of the clock's first business day).
    pub(crate) fn value(self) -> i64 {
        const MICRO: f64 = 1e6;
        match self {
            Level::Time(s) => s.as_millis(),
            // Checked finite and in range by validation; `as` saturates.
            Level::BusinessDays(d) => (d * MICRO).round() as i64,
            Level::EndOfBusinessDay(n) => (i64::from(n) + 1) * 1_000_000,
        }
    }
}

impl From<Span> for Level {
    fn from(s: Span) -> Level {
        Level::Time(s)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Level::Time(s) => s.fmt(f),
            Level::BusinessDays(d) => write!(f, "{d} business days"),
            Level::EndOfBusinessDay(0) => f.write_str("by the end of the business day"),
            Level::EndOfBusinessDay(n) => write!(f, "by the end of business day +{n}"),
        }
    }
}

impl Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Level::Time(span) => span.serialize(s),
            Level::BusinessDays(d) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("business_days", d)?;
                m.end()
            }
            Level::EndOfBusinessDay(n) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("end_of_business_day", n)?;
                m.end()
            }
        }
    }
}

const EXPECTED: &str = "a duration (\"PT4H\", \"P3D\"), {\"business_days\": N} or \
                        {\"end_of_business_day\": N}";

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Level;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Level, E> {
                v.parse::<Span>().map(Level::Time).map_err(|e| {
                    E::custom(format!(
                        "{}: {e}; expected {}, or business days as {{\"business_days\": N}} \
                         or {{\"end_of_business_day\": N}}",
                        crate::error::excerpt(v),
                        crate::time::span::SPAN_EXPECTED
                    ))
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Level, A::Error> {
                use serde::de::Error;
                let Some(key) = map.next_key::<String>()? else {
                    return Err(A::Error::custom(format!(
                        "an empty object; expected {EXPECTED}"
                    )));
                };
                let level = match key.as_str() {
                    "business_days" => {
                        let d: f64 = map.next_value()?;
                        // Below zero only as a reading (time left once
                        // breached); a diary's levels are checked apart.
                        if !(d.is_finite() && d.abs() <= 100_000.0) {
                            return Err(A::Error::custom(format!(
                                "business_days {d}: expected a number of days up to 100000"
                            )));
                        }
                        Level::BusinessDays(d)
                    }
                    "end_of_business_day" => {
                        let n: u32 = map.next_value()?;
                        if n > 100_000 {
                            return Err(A::Error::custom(format!(
                                "end_of_business_day {n}: expected a number of days from 0 to 100000"
                            )));
                        }
                        Level::EndOfBusinessDay(n)
                    }
                    other => {
                        return Err(A::Error::custom(format!(
                            "unknown level {}; expected {EXPECTED}",
                            crate::error::excerpt(other)
                        )));
                    }
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(A::Error::custom(format!(
                        "a level has one key, found {} too; expected {EXPECTED}",
                        crate::error::excerpt(&extra)
                    )));
                }
                Ok(level)
            }
        }
        d.deserialize_any(V)
    }
}
