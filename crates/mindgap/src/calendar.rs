//! Business calendars: an IANA time zone, weekly business hours (several
//! intervals a day, shifts across midnight), holidays and extra working days.
//!
//! JSON form:
//! ```json
//! {"id": "support", "timezone": "Europe/Berlin",
//!  "hours": {"mon": ["09:00-13:00", "14:00-18:00"], "sat": ["22:00-06:00"]},
//!  "holidays": ["2026-01-01", "2026-12-24/2026-12-26"],
//!  "working_days": [{"date": "2026-02-28", "hours": ["10:00-14:00"]}]}
//! ```

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::CalendarId;

/// A business calendar (the model; the business-time arithmetic lives beside it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// Id, referenced by expectations.
    pub id: CalendarId,
    /// IANA time zone of the hours; the diary's zone when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<chrono_tz::Tz>,
    /// Weekly business hours.
    pub hours: WeekHours,
    /// Days (or ranges of days) with no business hours.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<DateRange>,
    /// Dates that are worked with their own hours (a Saturday made a working day).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub working_days: Vec<WorkingDay>,
}

/// Business hours for each day of the week; a missing day has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekHours {
    /// Monday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mon: Vec<TimeRange>,
    /// Tuesday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tue: Vec<TimeRange>,
    /// Wednesday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wed: Vec<TimeRange>,
    /// Thursday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thu: Vec<TimeRange>,
    /// Friday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fri: Vec<TimeRange>,
    /// Saturday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sat: Vec<TimeRange>,
    /// Sunday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sun: Vec<TimeRange>,
}

impl WeekHours {
    /// The hours of a weekday (Monday = 0).
    pub fn day(&self, weekday: chrono::Weekday) -> &[TimeRange] {
        use chrono::Weekday::*;
        match weekday {
            Mon => &self.mon,
            Tue => &self.tue,
            Wed => &self.wed,
            Thu => &self.thu,
            Fri => &self.fri,
            Sat => &self.sat,
            Sun => &self.sun,
        }
    }
}

/// A span of local wall-clock time within a day, `HH:MM-HH:MM` (seconds
/// optional). `24:00` ends at midnight; an end before the start is a shift that
/// crosses midnight into the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeRange {
    /// Start, in seconds after local midnight (`0..86400`).
    pub start: u32,
    /// End, in seconds after local midnight (`0..=86400`).
    pub end: u32,
}

impl TimeRange {
    /// Whether the shift ends on the next day.
    pub fn crosses_midnight(&self) -> bool {
        self.end <= self.start
    }
}

fn parse_clock(s: &str) -> Option<u32> {
    let mut parts = s.trim().split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let sec: u32 = match parts.next() {
        Some(p) => p.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() || m > 59 || sec > 59 || h > 24 || (h == 24 && (m, sec) != (0, 0)) {
        return None;
    }
    Some(h * 3600 + m * 60 + sec)
}

fn write_clock(f: &mut fmt::Formatter<'_>, secs: u32) -> fmt::Result {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 {
        write!(f, "{h:02}:{m:02}")
    } else {
        write!(f, "{h:02}:{m:02}:{s:02}")
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_clock(f, self.start)?;
        f.write_str("-")?;
        write_clock(f, self.end)
    }
}

impl std::str::FromStr for TimeRange {
    type Err = String;
    fn from_str(s: &str) -> Result<TimeRange, String> {
        let bad = || format!("{s:?} is not a time range like \"09:00-18:00\"");
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let start = parse_clock(a).ok_or_else(bad)?;
        let end = parse_clock(b).ok_or_else(bad)?;
        if start == 86_400 {
            return Err(format!("{s:?}: a range cannot start at 24:00"));
        }
        if start == end {
            return Err(format!(
                "{s:?}: a range must not be empty (start equals end)"
            ));
        }
        Ok(TimeRange { start, end })
    }
}

/// A single date or an inclusive range of dates, written `2026-01-01` or
/// `2026-01-01/2026-01-08`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateRange {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
}

impl DateRange {
    /// Whether `day` is in the range.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}/{}", self.from, self.to)
        }
    }
}

impl std::str::FromStr for DateRange {
    type Err = String;
    fn from_str(s: &str) -> Result<DateRange, String> {
        let date = |d: &str| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map_err(|_| format!("{d:?} is not a date like 2026-01-01"))
        };
        let (from, to) = match s.split_once('/') {
            Some((a, b)) => (date(a)?, date(b)?),
            None => {
                let d = date(s)?;
                (d, d)
            }
        };
        if to < from {
            return Err(format!("{s:?}: the range ends before it starts"));
        }
        Ok(DateRange { from, to })
    }
}

/// A date worked with its own hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingDay {
    /// The date.
    pub date: NaiveDate,
    /// Its hours.
    pub hours: Vec<TimeRange>,
}

macro_rules! serde_via_str {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_via_str!(TimeRange);
serde_via_str!(DateRange);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ranges_parse_and_print() {
        let r: TimeRange = "09:00-17:30".parse().unwrap();
        assert_eq!((r.start, r.end), (9 * 3600, 17 * 3600 + 1800));
        assert_eq!(r.to_string(), "09:00-17:30");
        let night: TimeRange = "22:00-06:00".parse().unwrap();
        assert!(night.crosses_midnight());
        assert_eq!("18:00-24:00".parse::<TimeRange>().unwrap().end, 86_400);
        for bad in [
            "9-17",
            "09:00",
            "25:00-26:00",
            "09:00-09:00",
            "24:00-01:00",
            "09:61-10:00",
        ] {
            assert!(bad.parse::<TimeRange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn date_ranges_parse_and_print() {
        let r: DateRange = "2026-12-24/2026-12-26".parse().unwrap();
        assert_eq!(r.to_string(), "2026-12-24/2026-12-26");
        assert!("2026-12-26/2026-12-24".parse::<DateRange>().is_err());
        assert_eq!(
            "2026-01-01".parse::<DateRange>().unwrap().to_string(),
            "2026-01-01"
        );
    }
}
