//! Business calendars: an IANA time zone, weekly business hours (several
//! intervals a day, shifts across midnight), holidays and extra working days.
//!
//! JSON form:
//! ```json
//! {"id": "support", "timezone": "Europe/Berlin",
//!  "hours": {"mon": ["09:00-13:00", "14:00-18:00"], "sat": ["22:00-06:00"]},
//!  "holidays": ["2026-01-01", "2026-12-24/2026-12-26", "01-07", "12-31/01-08"],
//!  "holiday_lists": ["ru"],
//!  "working_days": [{"date": "2026-02-28", "hours": ["10:00-14:00"]}]}
//! ```
//!
//! `"changes": [{"from": "2026-06-01", "hours": {…}}]` gives new weekly hours
//! from a date on.
//!
//! A holiday written without a year (`01-07`, `12-31/01-08`) comes back every
//! year; `holiday_lists` names lists of holidays the diary shares between its
//! calendars (`"holiday_lists": [{"id": "ru", "holidays": ["01-01/01-08", …]}]`).

// `Error` is the crate's one error type (over clippy's 128-byte limit); boxing
// it is a crate-wide choice, not this module's.
#![allow(clippy::result_large_err)]

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location};
use crate::time::span::Span;
use crate::time::tz::CYCLE_DAYS;
use crate::util::id_type;
use crate::words::{Msg, Sentence};

id_type!(
    /// Id of a business calendar.
    CalendarId
);

/// A business calendar (the model; the business-time arithmetic lives beside it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// Id, referenced by expectations.
    pub id: CalendarId,
    /// IANA time zone of the hours; the diary's zone when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<crate::time::TimeZone>,
    /// Weekly business hours (none for a follow-the-sun calendar).
    #[serde(default, skip_serializing_if = "WeekHours::is_empty")]
    pub hours: WeekHours,
    /// Days (or ranges of days) with no business hours, once or every year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Holiday>,
    /// The diary's shared holiday lists this calendar also keeps
    /// ([`HolidayList`] ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holiday_lists: Vec<String>,
    /// Dates that are worked with their own hours (a Saturday made a working day).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub working_days: Vec<WorkingDay>,
    /// New weekly hours from a date on (summer hours, a second shift hired):
    /// each date is worked with the hours in force on it, so history is
    /// scored with the hours of its time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<HoursChange>,
    /// Follow the sun: the calendar is open whenever one of these calendars
    /// of the diary is, each in its own zone and with its own holidays
    /// (`"follow_the_sun": ["emea", "amer", "apac"]`); business time is the
    /// time at least one of them is open, counted once. Such a calendar has
    /// no hours of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_the_sun: Vec<CalendarId>,
}

/// Weekly hours in force from a date on (until the next change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursChange {
    /// The first date with these hours.
    #[serde(with = "crate::words::date::serde_ymd")]
    pub from: NaiveDate,
    /// The hours (a weekday left out has none; `{}` closes the office).
    pub hours: WeekHours,
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
    /// Whether no day has hours.
    pub fn is_empty(&self) -> bool {
        [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
        .iter()
        .all(|d| d.is_empty())
    }

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
/// crosses midnight into the next day, and an end equal to the start a
/// 24-hour shift (`08:00-08:00`: from 08:00 to 08:00 the next day).
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
            crate::words::date::parse_ymd(d.trim())
                .ok_or_else(|| format!("{d:?} is not a date like 2026-01-01"))
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

/// A day of the year, for holidays that come back every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    /// 1–12.
    pub month: u32,
    /// 1–31 (29 February is kept in leap years only).
    pub day: u32,
}

impl MonthDay {
    /// This day in `year`; 29 February in a year without one is `None`.
    fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

/// Days off: a date or range of dates once (`2026-01-01`,
/// `2026-12-24/2026-12-26`), or every year (`01-07`; `12-31/01-08` runs into
/// the next year; `02-29` only in leap years).
///
/// ```
/// use mindgap::Holiday;
/// let christmas: Holiday = "01-07".parse().unwrap();
/// let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
/// assert!(christmas.contains(d("2027-01-07")) && !christmas.contains(d("2027-01-08")));
/// let new_year: Holiday = "12-31/01-08".parse().unwrap();
/// assert!(new_year.contains(d("2026-12-31")) && new_year.contains(d("2031-01-03")));
/// assert!(!new_year.contains(d("2026-12-30")));
/// assert!("13-01".parse::<Holiday>().is_err() && "02-30".parse::<Holiday>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Holiday {
    /// Dates of one year.
    Once(DateRange),
    /// The same days every year, from `from` to `to` inclusive (into the
    /// next year when `to` comes before `from`).
    Yearly {
        /// First day.
        from: MonthDay,
        /// Last day (inclusive).
        to: MonthDay,
    },
}

impl Holiday {
    /// Whether `day` is a day off under this entry.
    pub fn contains(&self, day: NaiveDate) -> bool {
        match *self {
            Holiday::Once(r) => r.contains(day),
            Holiday::Yearly { from, to } => {
                let md = MonthDay {
                    month: day.month(),
                    day: day.day(),
                };
                if from <= to {
                    from <= md && md <= to
                } else {
                    md >= from || md <= to
                }
            }
        }
    }

    /// The inclusive day-number ranges of this entry within years 1–9999.
    fn days(&self, out: &mut Vec<(i64, i64)>) {
        match *self {
            Holiday::Once(r) => out.push((day_number(r.from), day_number(r.to))),
            Holiday::Yearly { from, to } => {
                for year in 1..=9999 {
                    let end_year = if to < from { year + 1 } else { year };
                    // 29 February: kept in leap years; as a range's end, the
                    // last day of February otherwise.
                    let start = from.in_year(year).or_else(|| {
                        NaiveDate::from_ymd_opt(year, from.month, 1)
                            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                    });
                    let end = to.in_year(end_year).or_else(|| {
                        NaiveDate::from_ymd_opt(end_year, to.month, 1)
                            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                            .and_then(|d| d.pred_opt())
                    });
                    if let (Some(a), Some(b)) = (start, end) {
                        if a <= b {
                            out.push((day_number(a), day_number(b)));
                        }
                    }
                }
            }
        }
    }
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Holiday::Once(r) => r.fmt(f),
            Holiday::Yearly { from, to } if from == to => from.fmt(f),
            Holiday::Yearly { from, to } => write!(f, "{from}/{to}"),
        }
    }
}

impl From<DateRange> for Holiday {
    fn from(r: DateRange) -> Holiday {
        Holiday::Once(r)
    }
}

impl std::str::FromStr for Holiday {
    type Err = String;
    fn from_str(s: &str) -> Result<Holiday, String> {
        let month_day = |t: &str| -> Option<MonthDay> {
            let (m, d) = t.trim().split_once('-')?;
            if m.len() != 2 || d.len() != 2 {
                return None;
            }
            let md = MonthDay {
                month: m.parse().ok()?,
                day: d.parse().ok()?,
            };
            // Any day of a leap year is a day of the year.
            md.in_year(2024).map(|_| md)
        };
        let yearly = match s.split_once('/') {
            Some((a, b)) => month_day(a).zip(month_day(b)),
            None => month_day(s).map(|d| (d, d)),
        };
        match yearly {
            Some((from, to)) => Ok(Holiday::Yearly { from, to }),
            None => s.parse::<DateRange>().map(Holiday::Once).map_err(|_| {
                format!(
                    "{s:?} is not a holiday like 2026-01-01, 2026-12-24/2026-12-26, or 01-07 and \
                     12-31/01-08 for every year"
                )
            }),
        }
    }
}

/// A list of holidays the diary's calendars share by id (a country's public
/// holidays), kept by each calendar that names it in `holiday_lists`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayList {
    /// Id, named by calendars.
    pub id: String,
    /// The holidays.
    pub holidays: Vec<Holiday>,
}

impl Calendar {
    /// This calendar with the holidays of the lists it names added, as it is
    /// compiled in a diary with `lists`. Fails naming the list when the diary
    /// has none with that id.
    pub fn with_lists(&self, lists: &[HolidayList]) -> Result<Calendar, Error> {
        let mut out = self.clone();
        for (i, name) in self.holiday_lists.iter().enumerate() {
            let list =
                lists
                    .iter()
                    .find(|l| l.id == *name)
                    .ok_or_else(|| Error::UnknownReference {
                        at: Location::default()
                            .with_record(self.id.as_str())
                            .with_field(format!("holiday_lists[{i}]")),
                        kind: "holiday list",
                        id: name.clone(),
                    })?;
            out.holidays.extend(list.holidays.iter().copied());
        }
        out.holiday_lists.clear();
        Ok(out)
    }
}

/// A date worked with its own hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingDay {
    /// The date.
    #[serde(with = "crate::words::date::serde_ymd")]
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
serde_via_str!(Holiday);

// ---------------------------------------------------------------------------
// Compiled calendars: validation and business-time arithmetic.
// ---------------------------------------------------------------------------

/// Milliseconds in a (wall-clock) day.
const DAY_MS: i64 = 86_400_000;
/// Earliest instant the arithmetic works on: 0001-01-01T00:00:00Z (epoch ms).
pub const MIN_INSTANT_MS: i64 = -62_135_596_800_000;
/// Latest instant the arithmetic works on: 9999-12-31T23:59:59.999Z (epoch ms).
pub const MAX_INSTANT_MS: i64 = 253_402_300_799_999;
/// Dates searched for a deadline or an opening: a little past the instant range,
/// so local dates of the first and last instants are covered in every zone.
const MAX_DAY: i64 = MAX_INSTANT_MS / DAY_MS + 2;
/// Day number (days since 1970-01-01) of a Monday, the origin of the weekly pattern.
const MONDAY: i64 = 4;

const WEEKDAY_FIELDS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// One business interval of a date, in ms after that date's local midnight
/// (`end` up to two days: a shift that crosses midnight ends on the next date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Iv {
    start: i64,
    end: i64,
    /// Index of the range in the calendar's list, for error messages.
    idx: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SegKind {
    Holiday,
    /// Index into `BusinessCalendar::working`.
    Working(usize),
}

/// A run of dates (day numbers, inclusive) whose schedule is not the weekly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    from: i64,
    to: i64,
    kind: SegKind,
}

/// Day number of a date (days since 1970-01-01).
fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

/// The date of a day number, for messages.
fn date_of(day: i64) -> String {
    i32::try_from(day + 719_163)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .map_or_else(|| format!("day {day}"), |d| d.to_string())
}

/// Monday = 0 … Sunday = 6.
fn weekday_index(day: i64) -> usize {
    // rem_euclid(7) is in 0..7, so the cast cannot truncate.
    (day + 3).rem_euclid(7) as usize
}

fn ceil_div(a: i64, b: i64) -> i64 {
    let q = a.div_euclid(b);
    if a.rem_euclid(b) == 0 { q } else { q + 1 }
}

/// The sum over dates `< day` (relative to `MONDAY`) of a weekly pattern
/// whose cumulative sums over Monday.. are `cum`.
fn weekly_sum(cum: &[i64; 8], day: i64) -> i64 {
    let k = day - MONDAY;
    // rem_euclid(7) is in 0..7, so the cast cannot truncate.
    k.div_euclid(7) * cum[7] + cum[k.rem_euclid(7) as usize]
}

fn clamp_instant(ms: i64) -> i64 {
    ms.clamp(MIN_INSTANT_MS, MAX_INSTANT_MS)
}

/// A [`Calendar`] checked and compiled for business-time arithmetic.
///
/// Build it with [`Calendar::compile`]. Every operation works on instants given
/// as **epoch milliseconds (UTC)**, the scorer's representation; the methods
/// taking [`chrono::DateTime`] are thin wrappers over them.
///
/// # The rules
///
/// - **Hours are local wall-clock time** in the calendar's zone. An instant is
///   *within hours* when its local date and time fall in a business interval
///   (half-open: `09:00-17:00` includes 09:00 and excludes 17:00).
/// - **Business time is real elapsed time** spent within hours. Across a DST
///   change this gives: a wall-clock **gap** (spring forward) is skipped — the
///   hour that does not exist is never worked, so `01:00-04:00` lasts 2 h that
///   night; a **fold** (fall back) is counted each time it passes — the repeated
///   hour is really worked twice, so `01:00-04:00` lasts 4 h that night. An
///   interval starting in a gap opens at the first instant after the gap.
/// - **A shift that crosses midnight belongs to the date it starts on**: a
///   holiday on that date removes the whole shift (its morning part too); a
///   holiday on the next date does not cut it short.
/// - **Dates**: an entry of `working_days` replaces the weekly hours of its date;
///   a holiday removes them. A working day inside a holiday *range* is an
///   exception to it (the office opens that one day); a working day equal to a
///   single-date holiday is a contradiction and an error.
/// - Instants are clamped to [`MIN_INSTANT_MS`]`..=`[`MAX_INSTANT_MS`] (years
///   1–9999); a deadline beyond that range is `None`.
///
/// Cost: over a span of up to about two years, each operation is `O(c + log
/// n)` where `c` is the number of UTC offset changes (DST) in the span and
/// `n` the number of holiday and working-day entries: business time over
/// whole days is computed arithmetically from precomputed weekly and
/// per-entry totals, the zone's changes looked up (found once per thread
/// and 365 days, see
/// [`TimeZone::next_change`](crate::time::TimeZone::next_change)). Longer
/// spans, and every span of a follow-the-sun calendar, are summed by
/// blocks of 27 weeks, each found once and kept (the calendar's clones
/// share them); where the calendar repeats with the 400-year Gregorian
/// cycle (its weekly hours and yearly holidays always do, its zone before
/// its first change and once its rules repeat) one cycle's blocks are
/// found and the others read off them, so years 1 to 9999 cost
/// milliseconds the first time and microseconds after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    id: CalendarId,
    tz: crate::time::TimeZone,
    /// Own intervals per weekday (Monday first), sorted.
    week: [Vec<Iv>; 7],
    /// Business ms per weekday (own intervals, spill included).
    week_total: [i64; 7],
    /// `week_cum[k]` = business ms of weekdays `0..k`.
    week_cum: [i64; 8],
    /// `week_days_cum[k]` = business dates (dates with hours) among weekdays `0..k`.
    week_days_cum: [i64; 8],
    /// Sorted, disjoint runs of dates with a non-weekly schedule.
    segs: Vec<Seg>,
    /// `seg_corr[i]` = sum over `segs[..i]` of (actual − weekly) business ms.
    seg_corr: Vec<i64>,
    /// `seg_days_corr[i]` = the same for the count of business dates.
    seg_days_corr: Vec<i64>,
    /// What [`duration_ms`](Self::duration_ms) and
    /// [`deadline_ms`](Self::deadline_ms) count.
    measure: Measure,
    /// Hours of the working days, referenced by `SegKind::Working`.
    working: Vec<Vec<Iv>>,
    working_total: Vec<i64>,
    /// With [`Calendar::changes`]: one calendar per period of hours, each
    /// with hours on its own dates only (the others holidays); the
    /// arithmetic is theirs, summed (empty otherwise).
    eras: Vec<BusinessCalendar>,
    /// With [`Calendar::follow_the_sun`]: the calendars whose open times
    /// this one's are the union of (empty otherwise).
    members: Vec<BusinessCalendar>,
    /// A union's business time by blocks, found as asked and kept (shared
    /// by the clones).
    union_memo: UnionMemo,
}

impl Calendar {
    /// Checks the calendar and compiles it for business-time arithmetic.
    ///
    /// `default_tz` is used when the calendar names no `timezone` (the diary's
    /// zone). Errors are [`Error::Calendar`] naming the calendar id and the
    /// field (`hours.mon[1]`, `holidays[2]`, `working_days[0].hours[1]`…):
    ///
    /// - a range out of `00:00..24:00` (a range whose end equals its start is
    ///   a 24-hour shift, not an empty one);
    /// - two ranges of a day that overlap, including a shift crossing midnight
    ///   that overlaps the next day's hours (`hours.sun[0]` into `hours.mon`,
    ///   and a working day's neighbours);
    /// - two `working_days` entries for one date, or a working day without hours;
    /// - a working day equal to a single-date holiday (a working day inside a
    ///   holiday range is an allowed exception; overlapping holidays merge);
    /// - no business hours at all: an empty week and no working days, so a
    ///   deadline can never be met.
    ///
    /// ```
    /// use mindgap::Calendar;
    /// let cal: Calendar = serde_json::from_str(
    ///     r#"{"id": "support", "timezone": "Europe/Berlin", "hours": {"mon": ["09:00-17:00"]}}"#,
    /// ).unwrap();
    /// let bc = cal.compile(mindgap::TimeZone::UTC).unwrap();
    /// assert_eq!(bc.timezone().name(), "Europe/Berlin");
    /// ```
    pub fn compile(
        &self,
        default_tz: impl Into<crate::time::TimeZone>,
    ) -> Result<BusinessCalendar, Error> {
        let default_tz = default_tz.into();
        if !self.follow_the_sun.is_empty() {
            return Err(Error::Calendar {
                at: Location::default()
                    .with_record(self.id.as_str())
                    .with_field("follow_the_sun"),
                message: Sentence::new(Msg::CalMembersCompile),
            });
        }
        if !self.changes.is_empty() {
            return self.compile_eras(default_tz);
        }
        let at = |field: String| {
            Location::default()
                .with_record(self.id.as_str())
                .with_field(field)
        };
        let err = |field: String, message: Sentence| Error::Calendar {
            at: at(field),
            message,
        };

        // Weekly hours.
        let mut week: [Vec<Iv>; 7] = Default::default();
        for (k, slot) in week.iter_mut().enumerate() {
            let name = WEEKDAY_FIELDS.get(k).copied().unwrap_or("?");
            let ranges = self.hours.day(weekday_of_index(k));
            *slot = day_intervals(ranges, &format!("hours.{name}"), &err)?;
        }
        for k in 0..7 {
            let next = (k + 1) % 7;
            let (Some(a), Some(b)) = (week.get(k), week.get(next)) else {
                continue;
            };
            let fa = format!("hours.{}", WEEKDAY_FIELDS.get(k).copied().unwrap_or("?"));
            let fb = format!("hours.{}", WEEKDAY_FIELDS.get(next).copied().unwrap_or("?"));
            check_spill(a, &fa, b, &fb, &Sentence::verbatim(""), &err)?;
        }

        // Working days.
        let mut order: Vec<usize> = (0..self.working_days.len()).collect();
        crate::util::sort::sort_by_key(&mut order, |&i| self.working_days.get(i).map(|w| w.date));
        let mut working = Vec::with_capacity(order.len());
        let mut working_days: Vec<(i64, usize)> = Vec::with_capacity(order.len());
        for &i in &order {
            let Some(wd) = self.working_days.get(i) else {
                continue;
            };
            let field = format!("working_days[{i}]");
            if let Some(&(_, prev)) = working_days
                .last()
                .filter(|&&(prev_day, _)| prev_day == day_number(wd.date))
            {
                return Err(err(
                    format!("{field}.date"),
                    Sentence::new(Msg::CalTwice)
                        .value("date", wd.date)
                        .value("prev", prev),
                ));
            }
            if wd.hours.is_empty() {
                return Err(err(
                    format!("{field}.hours"),
                    Sentence::new(Msg::CalNoHours).value("date", wd.date),
                ));
            }
            let ivs = day_intervals(&wd.hours, &format!("{field}.hours"), &err)?;
            working_days.push((day_number(wd.date), i));
            working.push(ivs);
        }

        // Holidays, with their conflicts with working days.
        for (h, holiday) in self.holidays.iter().enumerate() {
            let Holiday::Once(range) = holiday else {
                // A working day on a yearly holiday is that year's exception.
                continue;
            };
            for &(day, i) in &working_days {
                if range.from == range.to && day_number(range.from) == day {
                    return Err(err(
                        format!("holidays[{h}]"),
                        Sentence::new(Msg::CalHolidayWorking)
                            .value("date", range.from)
                            .value("i", i),
                    ));
                }
            }
        }
        let mut holidays: Vec<(i64, i64)> = Vec::with_capacity(self.holidays.len());
        for h in &self.holidays {
            h.days(&mut holidays);
        }
        holidays.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(holidays.len());
        for (from, to) in holidays {
            match merged.last_mut() {
                Some(last) if from <= last.1.saturating_add(1) => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        let mut segs = Vec::with_capacity(merged.len() + working_days.len());
        for (w, &(day, _)) in working_days.iter().enumerate() {
            segs.push(Seg {
                from: day,
                to: day,
                kind: SegKind::Working(w),
            });
        }
        for (from, to) in merged {
            // Carve the working days out of the range.
            let mut cur = from;
            let first = working_days.partition_point(|&(d, _)| d < from);
            for &(day, _) in working_days.get(first..).unwrap_or(&[]) {
                if day > to {
                    break;
                }
                if day > cur {
                    segs.push(Seg {
                        from: cur,
                        to: day - 1,
                        kind: SegKind::Holiday,
                    });
                }
                cur = day + 1;
            }
            if cur <= to {
                segs.push(Seg {
                    from: cur,
                    to,
                    kind: SegKind::Holiday,
                });
            }
        }
        segs.sort_unstable_by_key(|s| s.from);

        let week_total: [i64; 7] = std::array::from_fn(|k| week.get(k).map_or(0, |v| sum(v)));
        let mut week_cum = [0i64; 8];
        for k in 0..7 {
            week_cum[k + 1] = week_cum[k] + week_total[k];
        }
        let mut week_days_cum = [0i64; 8];
        for k in 0..7 {
            week_days_cum[k + 1] = week_days_cum[k] + i64::from(week_total[k] > 0);
        }
        let working_total: Vec<i64> = working.iter().map(|v| sum(v)).collect();
        if week_cum[7] == 0 && working.is_empty() {
            return Err(err("hours".to_owned(), Sentence::new(Msg::CalNeverMet)));
        }

        let mut cal = BusinessCalendar {
            id: self.id.clone(),
            tz: self.timezone.unwrap_or(default_tz),
            week,
            week_total,
            week_cum,
            week_days_cum,
            segs,
            seg_corr: Vec::new(),
            seg_days_corr: Vec::new(),
            measure: Measure::Millis,
            working,
            working_total,
            eras: Vec::new(),
            members: Vec::new(),
            union_memo: UnionMemo::default(),
        };

        // Night shifts of working days against their neighbours (and theirs into them).
        for &(day, i) in &working_days {
            let field = format!("working_days[{i}].hours");
            let (prev_f, next_f) = (cal.schedule_field(day - 1), cal.schedule_field(day + 1));
            let on = Sentence::new(Msg::CalOn).value("date", date_of(day));
            check_spill(
                cal.schedule(day - 1),
                &prev_f,
                cal.schedule(day),
                &field,
                &on,
                &err,
            )?;
            let on = Sentence::new(Msg::CalOn).value("date", date_of(day + 1));
            check_spill(
                cal.schedule(day),
                &field,
                cal.schedule(day + 1),
                &next_f,
                &on,
                &err,
            )?;
        }

        cal.seg_corr = cal.seg_corrections(&cal.week_cum, |w| {
            cal.working_total.get(w).copied().unwrap_or(0)
        });
        // A working day always has hours: one business date.
        cal.seg_days_corr = cal.seg_corrections(&cal.week_days_cum, |_| 1);
        Ok(cal)
    }
}

impl Calendar {
    /// [`Calendar::compile`] of a calendar whose hours change on dates: one
    /// calendar per period, each open on its own dates only.
    fn compile_eras(&self, tz: crate::time::TimeZone) -> Result<BusinessCalendar, Error> {
        let at = |field: String| {
            Location::default()
                .with_record(self.id.as_str())
                .with_field(field)
        };
        let mut order: Vec<usize> = (0..self.changes.len()).collect();
        crate::util::sort::sort_by_key(&mut order, |&i| self.changes.get(i).map(|c| c.from));
        // (first date, hours, where they come from)
        let mut periods: Vec<(Option<NaiveDate>, &WeekHours, String)> =
            vec![(None, &self.hours, String::new())];
        for &i in &order {
            let Some(c) = self.changes.get(i) else {
                continue;
            };
            if let Some((Some(prev), _, field)) = periods.last() {
                if *prev == c.from {
                    return Err(Error::Calendar {
                        at: at(format!("changes[{i}].from")),
                        message: Sentence::new(Msg::CalChangeDate)
                            .value("date", c.from)
                            .value("field", field),
                    });
                }
            }
            periods.push((Some(c.from), &c.hours, format!("changes[{i}]")));
        }
        let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
        let mut eras = Vec::with_capacity(periods.len());
        for (k, (from, hours, field)) in periods.iter().enumerate() {
            let until = periods.get(k + 1).and_then(|p| p.0);
            let mut era = self.clone();
            era.changes.clear();
            era.hours = (*hours).clone();
            let own = |d: NaiveDate| from.is_none_or(|f| d >= f) && until.is_none_or(|u| d < u);
            era.working_days.retain(|w| own(w.date));
            if let Some(f) = from.and_then(|f| f.pred_opt()).filter(|&p| p >= first) {
                era.holidays
                    .push(Holiday::Once(DateRange { from: first, to: f }));
            }
            if let Some(u) = until {
                era.holidays
                    .push(Holiday::Once(DateRange { from: u, to: last }));
            }
            let empty = WEEKDAY_FIELDS
                .iter()
                .enumerate()
                .all(|(d, _)| era.hours.day(weekday_of_index(d)).is_empty());
            if empty && era.working_days.is_empty() {
                // Closed for the period.
                continue;
            }
            let compiled = era.compile(tz).map_err(|e| match e {
                Error::Calendar {
                    at: mut loc,
                    message,
                } if !field.is_empty() => {
                    loc.field = loc.field.map(|f| {
                        if f.starts_with("hours") {
                            format!("{field}.{f}")
                        } else {
                            f
                        }
                    });
                    Error::Calendar { at: loc, message }
                }
                other => other,
            })?;
            eras.push(compiled);
        }
        // A night shift of a period's last date must end before the next
        // period's first hours.
        for pair in eras.windows(2) {
            let [a, b] = pair else { continue };
            // `b`'s first own date: the day after its leading holiday.
            let Some(day) = b.segs.first().map(|s| s.to + 1) else {
                continue;
            };
            check_spill(
                a.schedule(day - 1),
                &a.schedule_field(day - 1),
                b.schedule(day),
                &b.schedule_field(day),
                &Sentence::new(Msg::CalOn).value("date", date_of(day)),
                &|field, message| Error::Calendar {
                    at: at(field),
                    message,
                },
            )?;
        }
        let Some(base) = eras.first() else {
            return Err(Error::Calendar {
                at: at("hours".to_owned()),
                message: Sentence::new(Msg::CalNeverMetPeriods),
            });
        };
        let mut out = base.clone();
        out.eras = eras;
        Ok(out)
    }
}

fn weekday_of_index(k: usize) -> chrono::Weekday {
    use chrono::Weekday::*;
    match k {
        0 => Mon,
        1 => Tue,
        2 => Wed,
        3 => Thu,
        4 => Fri,
        5 => Sat,
        _ => Sun,
    }
}

fn sum(ivs: &[Iv]) -> i64 {
    ivs.iter().map(|iv| iv.end - iv.start).sum()
}

/// Checks the ranges of one day and turns them into sorted intervals.
fn day_intervals(
    ranges: &[TimeRange],
    field: &str,
    err: &dyn Fn(String, Sentence) -> Error,
) -> Result<Vec<Iv>, Error> {
    let mut ivs = Vec::with_capacity(ranges.len());
    for (idx, r) in ranges.iter().enumerate() {
        if r.start >= 86_400 || r.end > 86_400 {
            return Err(err(
                format!("{field}[{idx}]"),
                Sentence::new(Msg::CalRange)
                    .value("start", r.start)
                    .value("end", r.end),
            ));
        }
        let start = i64::from(r.start) * 1000;
        let mut end = i64::from(r.end) * 1000;
        if r.crosses_midnight() {
            end += DAY_MS;
        }
        ivs.push(Iv { start, end, idx });
    }
    ivs.sort_unstable_by_key(|iv| (iv.start, iv.end));
    for pair in ivs.windows(2) {
        let [a, b] = pair else { continue };
        if b.start < a.end {
            let (ra, rb) = (
                ranges
                    .get(a.idx)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                ranges
                    .get(b.idx)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
            let (first, second) = if a.idx < b.idx { (a, b) } else { (b, a) };
            let (rf, rs) = if a.idx < b.idx { (ra, rb) } else { (rb, ra) };
            return Err(err(
                format!("{field}[{}]", second.idx),
                Sentence::new(Msg::CalOverlap)
                    .value("field", field)
                    .value("second", second.idx)
                    .value("rs", rs)
                    .value("first", first.idx)
                    .value("rf", rf),
            ));
        }
    }
    Ok(ivs)
}

/// Checks that the shifts of one date that cross midnight end before the next
/// date's first range starts.
fn check_spill(
    prev: &[Iv],
    prev_field: &str,
    next: &[Iv],
    next_field: &str,
    on: &Sentence,
    err: &dyn Fn(String, Sentence) -> Error,
) -> Result<(), Error> {
    let Some(first) = next.iter().min_by_key(|iv| iv.start) else {
        return Ok(());
    };
    for iv in prev {
        let spill_end = iv.end - DAY_MS;
        if spill_end > first.start {
            return Err(err(
                format!("{prev_field}[{}]", iv.idx),
                Sentence::new(Msg::CalShift)
                    .value("prev", prev_field)
                    .value("i", iv.idx)
                    .value("next", next_field)
                    .value("j", first.idx)
                    .with("on", on.clone()),
            ));
        }
    }
    Ok(())
}

impl BusinessCalendar {
    /// The calendar's id.
    pub fn id(&self) -> &CalendarId {
        &self.id
    }

    /// The zone the hours are read in (the calendar's own, else the default
    /// given to [`Calendar::compile`]).
    pub fn timezone(&self) -> crate::time::TimeZone {
        self.tz
    }

    // ----- the naive (wall-clock) timeline: no DST, pure arithmetic -----

    fn seg_index(&self, day: i64) -> Option<&Seg> {
        let i = self.segs.partition_point(|s| s.to < day);
        self.segs.get(i).filter(|s| s.from <= day)
    }

    /// Own intervals of a date.
    fn schedule(&self, day: i64) -> &[Iv] {
        match self.seg_index(day).map(|s| s.kind) {
            Some(SegKind::Holiday) => &[],
            Some(SegKind::Working(w)) => self.working.get(w).map_or(&[], Vec::as_slice),
            None => self.week.get(weekday_index(day)).map_or(&[], Vec::as_slice),
        }
    }

    /// The field a date's hours come from, for messages.
    fn schedule_field(&self, day: i64) -> String {
        match self.seg_index(day).map(|s| s.kind) {
            Some(SegKind::Holiday) => "holidays".to_owned(),
            Some(SegKind::Working(w)) => format!("working_days[{w}].hours"),
            None => format!(
                "hours.{}",
                WEEKDAY_FIELDS
                    .get(weekday_index(day))
                    .copied()
                    .unwrap_or("?")
            ),
        }
    }

    /// Business ms of all dates `< day` (relative), exceptions included.
    fn prefix(&self, day: i64) -> i64 {
        self.sum_before(day, &self.week_cum, &self.seg_corr)
    }

    /// A per-date quantity (business ms, or 1 per business date) summed over
    /// the dates `< day`: the weekly pattern's sum (`cum`), corrected by the
    /// segments' (`corr`, as [`seg_corrections`](Self::seg_corrections)
    /// makes it) up to the one holding `day`, and by that one's part before
    /// `day` when it is a holiday run.
    fn sum_before(&self, day: i64, cum: &[i64; 8], corr: &[i64]) -> i64 {
        let i = self.segs.partition_point(|s| s.to < day);
        let mut p = weekly_sum(cum, day) + corr.get(i).copied().unwrap_or(0);
        if let Some(s) = self
            .segs
            .get(i)
            .filter(|s| s.from < day && s.kind == SegKind::Holiday)
        {
            p -= weekly_sum(cum, day) - weekly_sum(cum, s.from);
        }
        p
    }

    /// `corr[i]`: the sum over `segs[..i]` of (actual − weekly) of a per-date
    /// quantity whose weekly sums are `cum`; `working(w)` is its value on
    /// working day `w`.
    fn seg_corrections(&self, cum: &[i64; 8], working: impl Fn(usize) -> i64) -> Vec<i64> {
        let mut corr = Vec::with_capacity(self.segs.len() + 1);
        let mut acc = 0i64;
        corr.push(acc);
        for s in &self.segs {
            acc += match s.kind {
                SegKind::Holiday => -(weekly_sum(cum, s.to + 1) - weekly_sum(cum, s.from)),
                SegKind::Working(w) => {
                    working(w) - (weekly_sum(cum, s.from + 1) - weekly_sum(cum, s.from))
                }
            };
            corr.push(acc);
        }
        corr
    }

    /// Business ms of date `day`'s intervals that fall in the wall-time range `[w1, w2)`.
    fn clip_day(&self, day: i64, w1: i64, w2: i64) -> i64 {
        let base = day * DAY_MS;
        self.schedule(day)
            .iter()
            .map(|iv| ((base + iv.end).min(w2) - (base + iv.start).max(w1)).max(0))
            .sum()
    }

    /// Business ms in the wall-time range `[w1, w2)`.
    fn naive_business(&self, w1: i64, w2: i64) -> i64 {
        if w2 <= w1 {
            return 0;
        }
        let d1 = w1.div_euclid(DAY_MS);
        let d2 = w2.div_euclid(DAY_MS);
        let lo = ceil_div(w1, DAY_MS); // first date whose intervals all start at or after w1
        let hi = d2 - 2; // last date whose intervals all end at or before w2
        if lo <= hi {
            let mut total = self.prefix(hi + 1) - self.prefix(lo);
            for day in (d1 - 1)..lo {
                total += self.clip_day(day, w1, w2);
            }
            for day in (hi + 1)..=d2 {
                total += self.clip_day(day, w1, w2);
            }
            total
        } else {
            ((d1 - 1)..=d2).map(|day| self.clip_day(day, w1, w2)).sum()
        }
    }

    /// The first date `e >= start` with `prefix(e + 1) - prefix(start) >= rem`,
    /// and what is left of `rem` at the start of `e`.
    fn find_date(&self, start: i64, rem: i64) -> Option<(i64, i64)> {
        let base = self.prefix(start);
        let reached = |e: i64| self.prefix(e + 1) - base >= rem;
        let mut lo = start; // no date below lo reaches
        let mut step = 1i64;
        let hi = loop {
            let cand = start.saturating_add(step - 1).min(MAX_DAY);
            if reached(cand) {
                break cand;
            }
            if cand >= MAX_DAY {
                return None;
            }
            lo = cand + 1;
            step = step.saturating_mul(2);
        };
        let (mut lo, mut hi) = (lo, hi);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if reached(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Some((hi, rem - (self.prefix(hi) - base)))
    }

    /// The earliest wall time `x` with `naive_business(w, x) >= rem` (`rem > 0`).
    fn naive_advance(&self, w: i64, mut rem: i64) -> Option<i64> {
        let start = ceil_div(w, DAY_MS);
        for day in (start - 2)..start {
            let base = day * DAY_MS;
            for iv in self.schedule(day) {
                let a = (base + iv.start).max(w);
                let b = base + iv.end;
                if b > a {
                    if b - a >= rem {
                        return Some(a + rem);
                    }
                    rem -= b - a;
                }
            }
        }
        let (day, mut left) = self.find_date(start, rem)?;
        let base = day * DAY_MS;
        for iv in self.schedule(day) {
            let len = iv.end - iv.start;
            if len >= left {
                return Some(base + iv.start + left);
            }
            left -= len;
        }
        None
    }

    /// The earliest wall time `x >= w` within hours.
    fn naive_next_open(&self, w: i64) -> Option<i64> {
        let start = ceil_div(w, DAY_MS);
        for day in (start - 2)..start {
            let base = day * DAY_MS;
            for iv in self.schedule(day) {
                let a = (base + iv.start).max(w);
                if base + iv.end > a {
                    return Some(a);
                }
            }
        }
        let (day, _) = self.find_date(start, 1)?;
        self.schedule(day)
            .iter()
            .find(|iv| iv.end > iv.start)
            .map(|iv| day * DAY_MS + iv.start)
    }

    fn naive_within(&self, w: i64) -> bool {
        let day = w.div_euclid(DAY_MS);
        [day - 1, day].into_iter().any(|d| {
            let base = d * DAY_MS;
            self.schedule(d)
                .iter()
                .any(|iv| base + iv.start <= w && w < base + iv.end)
        })
    }

    // ----- real time: split at UTC-offset changes -----

    /// UTC offset (local − UTC) in ms at an instant.
    fn offset_ms(&self, ms: i64) -> i64 {
        i64::from(self.tz.offset_at(ms).local_minus_utc()) * 1000
    }

    /// The first instant in `(u, limit]` where the UTC offset differs from the
    /// one at `u`.
    fn next_transition(&self, u: i64, limit: i64) -> Option<i64> {
        self.tz.next_change(u, limit)
    }

    /// Business time, in ms, between two instants (epoch ms): the real time in
    /// `[start, end)` spent within hours. `0` when `end <= start`.
    ///
    /// ```
    /// # let cal: mindgap::Calendar = serde_json::from_str(
    /// #   r#"{"id": "c", "hours": {"fri": ["09:00-17:00"], "mon": ["09:00-17:00"]}}"#).unwrap();
    /// let bc = cal.compile(mindgap::TimeZone::UTC).unwrap();
    /// let fri_1630 = 1_780_072_200_000; // 2026-05-29T16:30:00Z, a Friday
    /// let mon_0930 = fri_1630 + (2 * 24 + 17) * 3_600_000; // 2026-06-01T09:30:00Z
    /// assert_eq!(bc.duration_ms(fri_1630, mon_0930), 3_600_000);
    /// ```
    pub fn duration_ms(&self, start: i64, end: i64) -> i64 {
        if !self.members.is_empty() {
            return if end <= start {
                0
            } else {
                self.union_duration(start, end)
            };
        }
        if self.measure == Measure::Millis && end.saturating_sub(start) > LONG_SPAN_MS {
            // Years of offset changes: by blocks, as a union of one.
            return self.union_duration(start, end);
        }
        if !self.eras.is_empty() {
            return self.eras.iter().map(|e| e.duration_ms(start, end)).sum();
        }
        match self.measure {
            Measure::Millis => self.business_ms(start, end),
            Measure::Days | Measure::DaysFromDayStart => {
                if end <= start {
                    0
                } else {
                    self.day_count(end) - self.day_count(start)
                }
            }
        }
    }

    /// Business ms in `[start, end)` of a calendar without periods.
    fn business_ms(&self, start: i64, end: i64) -> i64 {
        let (start, end) = (clamp_instant(start), clamp_instant(end));
        if end <= start {
            return 0;
        }
        let mut total = 0i64;
        let mut u = start;
        loop {
            let o = self.offset_ms(u);
            let piece_end = self.next_transition(u, end - 1).unwrap_or(end);
            total += self.naive_business(u + o, piece_end + o);
            if piece_end >= end {
                return total;
            }
            u = piece_end;
        }
    }

    /// The deadline: the earliest instant (epoch ms) by which `business_ms` of
    /// business time has passed since `start`. A start outside hours begins at
    /// the next opening; `business_ms <= 0` gives the next opening at or after
    /// `start`. `None` when the deadline lies beyond year 9999 (for instance a
    /// calendar with only a few working days, past the last of them).
    ///
    /// Friday 16:30 + 1 business hour with hours 09:00–17:00 is Monday 09:30:
    /// ```
    /// # let cal: mindgap::Calendar = serde_json::from_str(
    /// #   r#"{"id": "c", "hours": {"fri": ["09:00-17:00"], "mon": ["09:00-17:00"]}}"#).unwrap();
    /// let bc = cal.compile(mindgap::TimeZone::UTC).unwrap();
    /// let fri_1630 = 1_780_072_200_000; // 2026-05-29T16:30:00Z
    /// let mon_0930 = 1_780_306_200_000; // 2026-06-01T09:30:00Z
    /// assert_eq!(bc.deadline_ms(fri_1630, 3_600_000), Some(mon_0930));
    /// ```
    pub fn deadline_ms(&self, start: i64, business_ms: i64) -> Option<i64> {
        let start = clamp_instant(start);
        if business_ms <= 0 {
            return self.next_opening_ms(start);
        }
        if !self.members.is_empty() {
            return self.union_deadline(start, business_ms);
        }
        if self.measure == Measure::Millis && !self.eras.is_empty() {
            return self.union_deadline(start, business_ms);
        }
        if !self.eras.is_empty() {
            return self.eras_deadline(start, business_ms);
        }
        match self.measure {
            Measure::Millis => self.ms_deadline(start, business_ms),
            Measure::Days | Measure::DaysFromDayStart => self.days_deadline(start, business_ms),
        }
    }

    /// [`deadline_ms`](Self::deadline_ms) in business ms, of a calendar
    /// without periods (`start` clamped, `business_ms > 0`).
    fn ms_deadline(&self, start: i64, business_ms: i64) -> Option<i64> {
        let mut rem = business_ms;
        let mut u = start;
        loop {
            let o = self.offset_ms(u);
            let cand = self.naive_advance(u + o, rem).map(|c| c.saturating_sub(o));
            // Years of offset changes away, or beyond the wall clock's time
            // (real time can hold more: a fold is worked twice): by blocks.
            if self.measure == Measure::Millis
                && cand.is_none_or(|c| c.saturating_sub(u) > LONG_SPAN_MS)
            {
                return self.union_deadline(u, rem);
            }
            let cand = cand?;
            match self.next_transition(u, cand.min(MAX_INSTANT_MS + 1) - 1) {
                None => return (cand <= MAX_INSTANT_MS).then_some(cand),
                Some(t) => {
                    rem -= self.naive_business(u + o, t + o);
                    u = t;
                }
            }
        }
    }

    /// Whether the instant (epoch ms) is within business hours: its local wall
    /// time falls in one of its date's intervals (or in the previous date's
    /// shift that crosses midnight). Intervals are half-open.
    pub fn is_open_ms(&self, at: i64) -> bool {
        if !self.members.is_empty() {
            return self.members.iter().any(|e| e.is_open_ms(at));
        }
        if !self.eras.is_empty() {
            return self.eras.iter().any(|e| e.is_open_ms(at));
        }
        let at = clamp_instant(at);
        self.naive_within(at + self.offset_ms(at))
    }

    /// The next opening: `at` itself when it is within hours, else the first
    /// instant after it that is. `None` when there is none before year 10000.
    pub fn next_opening_ms(&self, at: i64) -> Option<i64> {
        if !self.members.is_empty() {
            return self
                .members
                .iter()
                .filter_map(|e| e.next_opening_ms(at))
                .min();
        }
        if !self.eras.is_empty() {
            return self.eras.iter().filter_map(|e| e.next_opening_ms(at)).min();
        }
        let mut u = clamp_instant(at);
        loop {
            let o = self.offset_ms(u);
            let cand = self.naive_next_open(u + o)?.saturating_sub(o);
            // Up to and including `cand`: if the offset changes right there, the
            // wall time at `cand` is not the one found, so look again from it.
            match self.next_transition(u, cand.min(MAX_INSTANT_MS + 1)) {
                None => return (cand <= MAX_INSTANT_MS).then_some(cand),
                Some(t) => u = t,
            }
        }
    }

    /// [`deadline_ms`](Self::deadline_ms) over periods of hours: the least
    /// instant whose business time since `start` reaches `business_ms` (the
    /// sum over periods is monotone), found by bisection between the
    /// periods' own deadlines.
    fn eras_deadline(&self, start: i64, business_ms: i64) -> Option<i64> {
        // Each period alone takes at least as long as all of them: the
        // earliest of their deadlines bounds the search, else the end of time.
        let hi = self
            .eras
            .iter()
            .filter_map(|e| e.deadline_ms(start, business_ms))
            .min()
            .unwrap_or(MAX_INSTANT_MS);
        if self.duration_ms(start, hi) < business_ms {
            return None;
        }
        let (mut lo, mut hi) = (start, hi);
        // duration(start, lo) < business_ms <= duration(start, hi)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.duration_ms(start, mid) >= business_ms {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(hi)
    }

    /// [`duration_ms`](Self::duration_ms) on date-times in any zone, as a [`Span`].
    ///
    /// ```
    /// use mindgap::{Span, TimeZone, parse_timestamp};
    /// // The sample's support hours: Monday to Friday 09:00-18:00, holidays (12 June).
    /// let cal = mindgap::sample::definitions().calendars[0].compile(TimeZone::UTC)?;
    /// let t = |s: &str| parse_timestamp(s, None, TimeZone::UTC);
    /// // Thursday 17:00 to Monday 10:00 over the Friday holiday: an hour each side.
    /// let (thu, mon) = (t("2026-06-11T17:00:00Z")?, t("2026-06-15T10:00:00Z")?);
    /// assert_eq!(cal.duration(&thu, &mon), Span::from_hours(2));
    /// assert_eq!(cal.duration(&mon, &thu), Span::ZERO);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn duration<A: chrono::TimeZone, B: chrono::TimeZone>(
        &self,
        start: &chrono::DateTime<A>,
        end: &chrono::DateTime<B>,
    ) -> Span {
        Span::from_millis(self.duration_ms(start.timestamp_millis(), end.timestamp_millis()))
    }

    /// [`deadline_ms`](Self::deadline_ms) on a date-time in any zone and a [`Span`].
    ///
    /// ```
    /// use mindgap::{Span, TimeZone, parse_timestamp};
    /// // The sample's support hours: Monday to Friday 09:00-18:00, holidays (12 June).
    /// let cal = mindgap::sample::definitions().calendars[0].compile(TimeZone::UTC)?;
    /// let t = |s: &str| parse_timestamp(s, None, TimeZone::UTC);
    /// // Thursday 17:30 plus one business hour: half an hour then, half on Monday.
    /// let due = cal.deadline(&t("2026-06-11T17:30:00Z")?, Span::from_hours(1));
    /// assert_eq!(due.map(|d| d.to_rfc3339()).as_deref(), Some("2026-06-15T09:30:00+00:00"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deadline<A: chrono::TimeZone>(
        &self,
        start: &chrono::DateTime<A>,
        business: Span,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        self.deadline_ms(start.timestamp_millis(), business.as_millis())
            .and_then(chrono::DateTime::from_timestamp_millis)
    }

    /// [`is_open_ms`](Self::is_open_ms) on a date-time in any zone.
    ///
    /// ```
    /// use mindgap::{TimeZone, parse_timestamp};
    /// // The sample's support hours: Monday to Friday 09:00-18:00, holidays (12 June).
    /// let cal = mindgap::sample::definitions().calendars[0].compile(TimeZone::UTC)?;
    /// let t = |s: &str| parse_timestamp(s, None, TimeZone::UTC);
    /// assert!(cal.is_open(&t("2026-06-10T09:00:00Z")?)); // Wednesday, at opening
    /// assert!(!cal.is_open(&t("2026-06-10T18:00:00Z")?)); // closing time: hours are half-open
    /// assert!(!cal.is_open(&t("2026-06-12T12:00:00Z")?)); // a holiday
    /// assert!(cal.is_open(&t("2026-06-10T12:00:00+03:00")?)); // any offset: 09:00 UTC
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_open<A: chrono::TimeZone>(&self, at: &chrono::DateTime<A>) -> bool {
        self.is_open_ms(at.timestamp_millis())
    }

    /// [`next_opening_ms`](Self::next_opening_ms) on a date-time in any zone.
    ///
    /// ```
    /// use mindgap::{TimeZone, parse_timestamp};
    /// // The sample's support hours: Monday to Friday 09:00-18:00, holidays (12 June).
    /// let cal = mindgap::sample::definitions().calendars[0].compile(TimeZone::UTC)?;
    /// let t = |s: &str| parse_timestamp(s, None, TimeZone::UTC);
    /// // Friday (a holiday) evening: the next opening is Monday morning.
    /// let next = cal.next_opening(&t("2026-06-12T20:00:00Z")?);
    /// assert_eq!(next.map(|d| d.to_rfc3339()).as_deref(), Some("2026-06-15T09:00:00+00:00"));
    /// // Within hours: the instant itself.
    /// let wed = t("2026-06-10T10:00:00Z")?;
    /// assert_eq!(cal.next_opening(&wed).map(|d| d.timestamp_millis()), Some(wed.timestamp_millis()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_opening<A: chrono::TimeZone>(
        &self,
        at: &chrono::DateTime<A>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        self.next_opening_ms(at.timestamp_millis())
            .and_then(chrono::DateTime::from_timestamp_millis)
    }
}

impl Calendar {
    /// [`Calendar::compile`] of a calendar among the others of its diary:
    /// the diary's shared holiday lists applied, and a follow-the-sun
    /// calendar made of its members (each compiled in its own zone, the
    /// diary's by default). Errors name the calendar and the field:
    /// `follow_the_sun` naming an unknown calendar, itself, or another
    /// follow-the-sun calendar, or given beside hours of its own.
    ///
    /// ```
    /// use mindgap::{Calendar, TimeZone};
    /// let cals: Vec<Calendar> = serde_json::from_str(r#"[
    ///   {"id": "berlin", "timezone": "Europe/Berlin", "hours": {"mon": ["09:00-17:00"]}},
    ///   {"id": "new-york", "timezone": "America/New_York", "hours": {"mon": ["09:00-17:00"]}},
    ///   {"id": "global", "follow_the_sun": ["berlin", "new-york"]}]"#).unwrap();
    /// let global = cals[2].compile_among(TimeZone::UTC, &cals, &[])?;
    /// // Monday 1 June 2026: Berlin 07:00-15:00 UTC, New York 13:00-21:00 UTC,
    /// // so 14 hours (the two overlapping hours once).
    /// let monday = 1_780_272_000_000; // 2026-06-01T00:00:00Z
    /// assert_eq!(global.duration_ms(monday, monday + 86_400_000), 14 * 3_600_000);
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn compile_among(
        &self,
        default_tz: impl Into<crate::time::TimeZone>,
        calendars: &[Calendar],
        lists: &[HolidayList],
    ) -> Result<BusinessCalendar, Error> {
        let default_tz = default_tz.into();
        let with_lists = |c: &Calendar| -> Result<BusinessCalendar, Error> {
            if c.holiday_lists.is_empty() {
                c.compile(default_tz)
            } else {
                c.with_lists(lists)?.compile(default_tz)
            }
        };
        if self.follow_the_sun.is_empty() {
            return with_lists(self);
        }
        let err = |message: Sentence| Error::Calendar {
            at: Location::default()
                .with_record(self.id.as_str())
                .with_field("follow_the_sun"),
            message,
        };
        let own = !self.hours.is_empty()
            || !self.holidays.is_empty()
            || !self.holiday_lists.is_empty()
            || !self.working_days.is_empty()
            || !self.changes.is_empty();
        if own {
            return Err(err(Sentence::new(Msg::CalSunOwn)));
        }
        let mut members = Vec::with_capacity(self.follow_the_sun.len());
        for id in &self.follow_the_sun {
            if *id == self.id {
                return Err(err(Sentence::new(Msg::CalSelf).quoted("id", id.as_str())));
            }
            let Some(c) = calendars.iter().find(|c| c.id == *id) else {
                return Err(err(
                    Sentence::new(Msg::CalNoMember).quoted("id", id.as_str())
                ));
            };
            if !c.follow_the_sun.is_empty() {
                return Err(err(
                    Sentence::new(Msg::CalSunItself).quoted("id", id.as_str())
                ));
            }
            members.push(with_lists(c)?);
        }
        let Some(first) = members.first() else {
            return Err(err(Sentence::new(Msg::CalNoMembers)));
        };
        let mut out = first.clone();
        out.id = self.id.clone();
        out.tz = self.timezone.unwrap_or(default_tz);
        out.eras = Vec::new();
        out.members = members;
        out.union_memo = UnionMemo::default();
        Ok(out)
    }
}

/// Runs `[start, end)` sorted and merged where they overlap or touch:
/// sorted, disjoint, not touching.
fn merge_runs(mut runs: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    runs.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(runs.len());
    for (s, e) in runs {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The first instant in `[t, limit]` at which none of `cals` is open (`limit`
/// when they cover the whole span): the end of a run of business time of
/// their union (the runs walked one by one: the tests' reference).
#[cfg(test)]
fn union_close(cals: &[BusinessCalendar], t: i64, limit: i64) -> i64 {
    let mut x = t;
    while x < limit {
        // Each member open at `x` stays open until its own closing; the
        // union closes when the last of them does and none reopens.
        let next = cals
            .iter()
            .filter(|c| c.is_open_ms(x))
            .map(|c| c.next_closing_ms(x, limit))
            .max();
        match next {
            Some(c) if c > x => x = c,
            // Open to the end of time (clamped there).
            Some(_) => return limit,
            None => return x,
        }
    }
    limit
}

impl BusinessCalendar {
    /// Whether the calendar is a union of others (follow the sun).
    pub(crate) fn is_union(&self) -> bool {
        !self.members.is_empty()
    }

    /// The first instant in `[t, limit]` at which the calendar is closed, or
    /// `limit` when it is open throughout.
    #[cfg(test)]
    fn next_closing_ms(&self, t: i64, limit: i64) -> i64 {
        if !self.members.is_empty() {
            return union_close(&self.members, t, limit);
        }
        if !self.eras.is_empty() {
            return union_close(&self.eras, t, limit);
        }
        let limit = clamp_instant(limit);
        let mut u = clamp_instant(t);
        while u < limit {
            let o = self.offset_ms(u);
            let Some(end) = self.interval_end(u + o) else {
                return u;
            };
            // The interval's end at this offset, unless the offset changes first.
            let cand = (end - o).min(limit);
            u = self.next_transition(u, cand).unwrap_or(cand);
        }
        limit
    }

    /// The end (wall time) of the business interval containing wall time
    /// `w`, if one does.
    #[cfg(test)]
    fn interval_end(&self, w: i64) -> Option<i64> {
        let day = w.div_euclid(DAY_MS);
        [day - 1, day].into_iter().find_map(|d| {
            let base = d * DAY_MS;
            self.schedule(d)
                .iter()
                .find(|iv| base + iv.start <= w && w < base + iv.end)
                .map(|iv| base + iv.end)
        })
    }

    /// [`duration_ms`](Self::duration_ms) of a union: the time at least one
    /// member is open, each instant counted once. Whole blocks of
    /// [`BLOCK_DAYS`] come from the union's memo ([`UnionState`]), the
    /// parts of a block at either end from the members' runs.
    fn union_duration(&self, start: i64, end: i64) -> i64 {
        let (start, end) = (clamp_instant(start), clamp_instant(end));
        if end <= start {
            return 0;
        }
        let (b1, b2) = (start.div_euclid(BLOCK_MS), end.div_euclid(BLOCK_MS));
        if b1 == b2 {
            return run_total(&self.union_runs(start, end));
        }
        let head = run_total(&self.union_runs(start, (b1 + 1) * BLOCK_MS));
        let tail = run_total(&self.union_runs(b2 * BLOCK_MS, end));
        head + self.union_memo.with(self, |m, cal| m.sum(cal, b1 + 1, b2)) + tail
    }

    /// [`deadline_ms`](Self::deadline_ms) of a union (`amount > 0`): the
    /// block the deadline falls in found by the blocks' sums, then the
    /// instant within it by its runs.
    fn union_deadline(&self, start: i64, amount: i64) -> Option<i64> {
        let b1 = start.div_euclid(BLOCK_MS);
        let mut rem = amount;
        let head_end = ((b1 + 1) * BLOCK_MS).min(MAX_INSTANT_MS);
        if let Some(t) = reach(&self.union_runs(start, head_end), &mut rem) {
            return Some(t);
        }
        let last = MAX_INSTANT_MS.div_euclid(BLOCK_MS);
        if b1 >= last {
            return None;
        }
        // The least b with sum(b1 + 1 .. b) >= rem: doubling, then halving.
        let first = b1 + 1;
        let (lo, hi) = self.union_memo.with(self, |m, cal| {
            let reached = |m: &mut UnionState, b: i64| m.sum(cal, first, b) >= rem;
            let mut lo = first; // sum(first .. lo) < rem
            let mut step = 1;
            let hi = loop {
                let cand = (first + step).min(last + 1);
                if reached(m, cand) {
                    break Some(cand);
                }
                if cand > last {
                    break None;
                }
                lo = cand;
                step *= 2;
            };
            let mut hi = hi?;
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if reached(m, mid) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            rem -= m.sum(cal, first, hi - 1);
            Some((hi - 1, hi))
        })?;
        debug_assert_eq!(lo + 1, hi);
        let (from, to) = (lo * BLOCK_MS, (hi * BLOCK_MS).min(MAX_INSTANT_MS));
        reach(&self.union_runs(from.max(start), to), &mut rem)
    }

    /// The calendars whose open times a union's are the union of: its
    /// members, a member's periods of hours in its stead.
    ///
    /// A calendar that is not a union is its own one member (or its periods
    /// of hours): its long spans use the union's blocks too.
    fn union_atoms(&self) -> impl Iterator<Item = &BusinessCalendar> {
        let own = if self.members.is_empty() {
            std::slice::from_ref(self)
        } else {
            self.members.as_slice()
        };
        own.iter().flat_map(|m| {
            if m.eras.is_empty() {
                std::slice::from_ref(m)
            } else {
                m.eras.as_slice()
            }
        })
    }

    /// The union's runs of business time in `[x, y)` (clamped instants):
    /// sorted, disjoint, not touching.
    fn union_runs(&self, x: i64, y: i64) -> Vec<(i64, i64)> {
        let mut runs = Vec::new();
        for cal in self.union_atoms() {
            cal.push_runs(x, y, &mut runs);
        }
        merge_runs(runs)
    }

    /// The runs of business time (UTC) of a calendar without periods or
    /// members in `[x, y)`, in order: the intervals of each date read in
    /// the offset in force, piece by piece between offset changes, as
    /// [`business_ms`](Self::business_ms) counts them.
    fn push_runs(&self, x: i64, y: i64, out: &mut Vec<(i64, i64)>) {
        let mut u = x;
        while u < y {
            let o = self.offset_ms(u);
            let piece_end = self.next_transition(u, y - 1).unwrap_or(y);
            let (w1, w2) = (u + o, piece_end + o);
            for day in (w1.div_euclid(DAY_MS) - 1)..=w2.div_euclid(DAY_MS) {
                let base = day * DAY_MS;
                for iv in self.schedule(day) {
                    let (s, e) = ((base + iv.start).max(w1), (base + iv.end).min(w2));
                    if e > s {
                        out.push((s - o, e - o));
                    }
                }
            }
            u = piece_end;
        }
    }
}

/// Business time over a span longer than this (four blocks, about two
/// years) is summed by blocks ([`UnionState`]), not offset change by offset
/// change.
const LONG_SPAN_MS: i64 = 4 * BLOCK_MS;

/// Days in a block of a union's memo: 27 weeks, so that a 400-year cycle
/// ([`CYCLE_DAYS`] = 3³ · 7 · 773 days) is a whole number of blocks.
const BLOCK_DAYS: i64 = 189;
/// [`BLOCK_DAYS`] in ms.
const BLOCK_MS: i64 = BLOCK_DAYS * DAY_MS;
/// Blocks in a 400-year cycle.
const CYCLE_BLOCKS: i64 = CYCLE_DAYS / BLOCK_DAYS;
const _: () = assert!(CYCLE_BLOCKS * BLOCK_DAYS == CYCLE_DAYS);
/// Fewer blocks of a repeating stretch than this are summed one by one
/// (the first sum over more finds the whole cycle's).
const SHORT_BLOCKS: i64 = 64;

/// The total length of sorted disjoint runs.
fn run_total(runs: &[(i64, i64)]) -> i64 {
    runs.iter().map(|(s, e)| e - s).sum()
}

/// Where the runs reach `rem` more business time: the instant, or `None`
/// with `rem` lessened by all of them.
fn reach(runs: &[(i64, i64)], rem: &mut i64) -> Option<i64> {
    for &(s, e) in runs {
        if e - s >= *rem {
            return Some(s + *rem);
        }
        *rem -= e - s;
    }
    None
}

/// A union's memo: shared by the calendar's clones, never part of its
/// value (two calendars compare equal whatever each has found).
#[derive(Clone, Default)]
struct UnionMemo(std::sync::Arc<std::sync::Mutex<Option<UnionState>>>);

impl PartialEq for UnionMemo {
    fn eq(&self, _: &UnionMemo) -> bool {
        true
    }
}

impl Eq for UnionMemo {}

impl fmt::Debug for UnionMemo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UnionMemo")
    }
}

impl UnionMemo {
    /// Runs `f` on the memo of `cal` (made on first use).
    fn with<T>(
        &self,
        cal: &BusinessCalendar,
        f: impl FnOnce(&mut UnionState, &BusinessCalendar) -> T,
    ) -> T {
        let mut guard = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let state = guard.get_or_insert_with(|| UnionState::new(cal));
        f(state, cal)
    }
}

/// What a union has found of its business time: the totals of blocks of
/// [`BLOCK_DAYS`] (block `b`: UTC days `b * BLOCK_DAYS ..`), and the
/// stretches where they repeat.
///
/// The union's open time repeats with the 400-year Gregorian cycle
/// wherever every member's does: its weekly hours and yearly holidays
/// always do; its zone's offsets do before its first change and after the
/// zone's rules start to repeat ([`crate::time::TimeZone::next_change`]);
/// its dates off the pattern (one-off holidays, working days, the bounds
/// of its periods of hours) are found by comparing each date's schedule
/// with the one 400 years later. In such a stretch the totals of
/// [`CYCLE_BLOCKS`] blocks are found once, the rest are read off them.
struct UnionState {
    /// Block ranges `[from, to)` whose totals repeat every
    /// [`CYCLE_BLOCKS`], sorted and disjoint.
    cycles: Vec<(i64, i64)>,
    /// Totals of blocks outside them, found as asked.
    totals: rustc_hash::FxHashMap<i64, i64>,
    /// Per stretch (by its first block): the sums of its first
    /// [`CYCLE_BLOCKS`] blocks' totals before each of them.
    prefix: rustc_hash::FxHashMap<i64, Vec<i64>>,
    /// One week's runs and their sums, by the members' offsets (`None`:
    /// closed).
    weeks: rustc_hash::FxHashMap<Vec<Option<i64>>, WeekRuns>,
}

impl UnionState {
    fn new(cal: &BusinessCalendar) -> UnionState {
        let first = MIN_INSTANT_MS.div_euclid(DAY_MS);
        // The last whole day in range.
        let last = MAX_INSTANT_MS.div_euclid(DAY_MS) - 1;
        // Days `u` such that the union's open time in day `u` and in day
        // `u + CYCLE_DAYS` are the same: both in range, every member's
        // offsets repeating there and its dates around them too.
        let mut good = vec![(first, last - CYCLE_DAYS)];
        for atom in cal.union_atoms() {
            good = intersect(&good, &atom.repeating_days(first, last));
        }
        let cycles = good
            .into_iter()
            .filter_map(|(g1, g2)| {
                // Blocks whose days are all good, and the cycle after them.
                let from = g1.div_euclid(BLOCK_DAYS) + i64::from(g1.rem_euclid(BLOCK_DAYS) != 0);
                let to = (g2 + 1).div_euclid(BLOCK_DAYS);
                (to > from).then_some((from, to + CYCLE_BLOCKS))
            })
            .collect();
        UnionState {
            cycles,
            totals: rustc_hash::FxHashMap::default(),
            prefix: rustc_hash::FxHashMap::default(),
            weeks: rustc_hash::FxHashMap::default(),
        }
    }

    /// The union's business time in block `b` (clamped to the instants'
    /// range).
    fn block(&mut self, cal: &BusinessCalendar, b: i64) -> i64 {
        if let Some(&t) = self.totals.get(&b) {
            return t;
        }
        let from = (b * BLOCK_MS).max(MIN_INSTANT_MS);
        let to = ((b + 1) * BLOCK_MS).min(MAX_INSTANT_MS);
        let t = if to <= from {
            0
        } else {
            self.stretches_total(cal, from, to)
        };
        self.totals.insert(b, t);
        t
    }

    /// The union's business time in `[x, y)` (clamped instants), stretch by
    /// stretch: where every member keeps one offset and its weekly hours
    /// (or a holiday run) throughout, the union repeats every week and its
    /// time is read off one week's runs ([`UnionState::week`]); the days
    /// around a date off the week come from the members' runs.
    fn stretches_total(&mut self, cal: &BusinessCalendar, x: i64, y: i64) -> i64 {
        let atoms: Vec<&BusinessCalendar> = cal.union_atoms().collect();
        let (d1, d2) = (x.div_euclid(DAY_MS), (y - 1).div_euclid(DAY_MS));
        // Each member's kind of day, and every instant a kind or an
        // offset changes at.
        let mut kinds = Vec::with_capacity(atoms.len());
        let mut cuts = vec![x, y];
        for atom in &atoms {
            let k = atom.day_kinds(d1, d2);
            cuts.extend(k.iter().map(|&(from, _, _)| from * DAY_MS));
            let mut t = x;
            while let Some(c) = atom.next_transition(t, y - 1) {
                cuts.push(c);
                t = c;
            }
            kinds.push(k);
        }
        cuts.retain(|&c| (x..=y).contains(&c));
        cuts.sort_unstable();
        cuts.dedup();
        let mut total = 0;
        let mut key: Vec<Option<i64>> = Vec::with_capacity(atoms.len());
        for pair in cuts.windows(2) {
            let [s, e] = *pair else { continue };
            let day = s.div_euclid(DAY_MS);
            key.clear();
            let mut dirty = false;
            for (atom, k) in atoms.iter().zip(&kinds) {
                let i = k.partition_point(|&(_, to, _)| to < day);
                match k.get(i).map(|&(_, _, kind)| kind) {
                    Some(DayKind::Weekly) => key.push(Some(atom.offset_ms(s))),
                    Some(DayKind::Closed) => key.push(None),
                    _ => dirty = true,
                }
            }
            total += if dirty {
                run_total(&cal.union_runs(s, e))
            } else {
                let (runs, cum) = self.week(&atoms, &key);
                week_measure(runs, cum, e) - week_measure(runs, cum, s)
            };
        }
        total
    }

    /// The union's runs over one week from Monday 1970-01-05 00:00 UTC
    /// (relative to it) when each member is open by its weekly hours at
    /// offset `key[i]` (or closed, `None`), and their running sums.
    fn week(
        &mut self,
        atoms: &[&BusinessCalendar],
        key: &[Option<i64>],
    ) -> (&[(i64, i64)], &[i64]) {
        let (runs, cum) = self.weeks.entry(key.to_vec()).or_insert_with(|| {
            let origin = MONDAY * DAY_MS;
            let mut runs = Vec::new();
            for (atom, o) in atoms.iter().zip(key) {
                let Some(o) = *o else { continue };
                // Every date whose hours can reach the week, at any offset.
                for day in (MONDAY - 2)..=(MONDAY + 8) {
                    let base = day * DAY_MS - o - origin;
                    for iv in atom
                        .week
                        .get(weekday_index(day))
                        .map_or(&[][..], Vec::as_slice)
                    {
                        let (s, e) = ((base + iv.start).max(0), (base + iv.end).min(WEEK_MS));
                        if e > s {
                            runs.push((s, e));
                        }
                    }
                }
            }
            let merged = merge_runs(runs);
            let mut cum = Vec::with_capacity(merged.len() + 1);
            let mut acc = 0;
            cum.push(acc);
            for (s, e) in &merged {
                acc += e - s;
                cum.push(acc);
            }
            (merged, cum)
        });
        (runs, cum)
    }

    /// The sum of the totals of blocks `from..to` of a repeating stretch
    /// starting at block `start` (`start <= from <= to`).
    fn cycle_sum(&mut self, cal: &BusinessCalendar, start: i64, from: i64, to: i64) -> i64 {
        if !self.prefix.contains_key(&start) {
            let mut sums = Vec::with_capacity(CYCLE_BLOCKS as usize + 1);
            let mut acc = 0;
            sums.push(acc);
            for b in start..start + CYCLE_BLOCKS {
                acc += self.block(cal, b);
                sums.push(acc);
            }
            self.prefix.insert(start, sums);
        }
        let Some(sums) = self.prefix.get(&start) else {
            return 0;
        };
        let cycle = sums.last().copied().unwrap_or(0);
        let upto = |b: i64| {
            let k = b - start;
            // rem_euclid(CYCLE_BLOCKS) is in 0..773, an index of `sums`.
            k.div_euclid(CYCLE_BLOCKS) * cycle
                + sums
                    .get(k.rem_euclid(CYCLE_BLOCKS) as usize)
                    .copied()
                    .unwrap_or(0)
        };
        upto(to) - upto(from)
    }

    /// The union's business time in blocks `from..to`.
    fn sum(&mut self, cal: &BusinessCalendar, from: i64, to: i64) -> i64 {
        let mut total = 0;
        let mut b = from;
        while b < to {
            let k = self.cycles.partition_point(|&(_, end)| end <= b);
            match self.cycles.get(k).copied() {
                Some((start, end)) if start <= b => {
                    let stop = to.min(end);
                    if stop - b < SHORT_BLOCKS {
                        // A few blocks: their own cycle's, one by one.
                        for block in b..stop {
                            let canon = start + (block - start).rem_euclid(CYCLE_BLOCKS);
                            total += self.block(cal, canon);
                        }
                    } else {
                        total += self.cycle_sum(cal, start, b, stop);
                    }
                    b = stop;
                }
                next => {
                    let stop = to.min(next.map_or(to, |(start, _)| start));
                    for block in b..stop {
                        total += self.block(cal, block);
                    }
                    b = stop;
                }
            }
        }
        total
    }
}

/// A week in ms.
const WEEK_MS: i64 = 7 * DAY_MS;

/// A union's runs within one week (relative to its origin, see
/// [`week_measure`]) and their running sums.
type WeekRuns = (Vec<(i64, i64)>, Vec<i64>);

/// The business time from the week's origin (Monday 1970-01-05 00:00 UTC)
/// to `t` of a pattern that repeats every week: its runs within one week
/// (relative to the origin) and their running sums.
fn week_measure(runs: &[(i64, i64)], cum: &[i64], t: i64) -> i64 {
    let k = t - MONDAY * DAY_MS;
    let (weeks, r) = (k.div_euclid(WEEK_MS), k.rem_euclid(WEEK_MS));
    let i = runs.partition_point(|&(s, _)| s < r);
    // Runs before `r`, the last one cut at `r`.
    let over = runs
        .get(i.wrapping_sub(1))
        .map_or(0, |&(_, e)| (e - r).max(0));
    weeks * cum.last().copied().unwrap_or(0) + cum.get(i).copied().unwrap_or(0) - over
}

/// What the dates around a UTC day make of a calendar's hours that day
/// (the dates `u - 2 ..= u + 1` of day `u` hold every hour that can fall
/// in it): all of the week, all of a holiday run, or some other mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DayKind {
    Weekly,
    Closed,
    Mixed,
}

/// The intersection of two sorted lists of disjoint inclusive ranges.
fn intersect(a: &[(i64, i64)], b: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(&(a1, a2)), Some(&(b1, b2))) = (a.get(i), b.get(j)) {
        let (lo, hi) = (a1.max(b1), a2.min(b2));
        if lo <= hi {
            out.push((lo, hi));
        }
        if a2 < b2 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

impl BusinessCalendar {
    /// The [`DayKind`]s of the UTC days `d1..=d2` of a calendar without
    /// periods or members, as sorted inclusive ranges covering them.
    fn day_kinds(&self, d1: i64, d2: i64) -> Vec<(i64, i64, DayKind)> {
        let mut out: Vec<(i64, i64, DayKind)> = Vec::new();
        let mut push = |from: i64, to: i64, kind: DayKind| {
            let from = from.max(d1);
            let to = to.min(d2);
            if from > to {
                return;
            }
            match out.last_mut() {
                // Ranges of segments closer than 4 days overlap: the later
                // one is mixed there.
                Some(last) if from <= last.1 => {
                    if kind == DayKind::Mixed {
                        last.1 = last.1.min(from - 1);
                        if last.1 < last.0 {
                            out.pop();
                        }
                        out.push((from, to, kind));
                    } else if to > last.1 {
                        let start = last.1 + 1;
                        out.push((start, to, kind));
                    }
                }
                _ => out.push((from, to, kind)),
            }
        };
        let first = self.segs.partition_point(|s| s.to < d1 - 2);
        let mut cur = d1;
        for seg in self.segs.get(first..).unwrap_or(&[]) {
            // The days whose hours seg's dates can reach.
            let (lo, hi) = (seg.from - 1, seg.to + 2);
            if lo > d2 {
                break;
            }
            push(cur, lo - 1, DayKind::Weekly);
            match seg.kind {
                SegKind::Holiday if seg.to - seg.from >= 3 => {
                    push(lo, seg.from + 1, DayKind::Mixed);
                    push(seg.from + 2, seg.to - 1, DayKind::Closed);
                    push(seg.to, hi, DayKind::Mixed);
                }
                _ => push(lo, hi, DayKind::Mixed),
            }
            cur = cur.max(hi + 1);
        }
        push(cur, d2, DayKind::Weekly);
        out
    }

    /// The UTC days `u` in `first..=last` at which this calendar (without
    /// periods or members) is open at the same times of day as at `u +`
    /// [`CYCLE_DAYS`], as sorted inclusive ranges: its offsets repeat
    /// there ([`crate::time::TimeZone`]'s cycle), and the dates whose
    /// hours fall in either day (a day before for a night shift, a day
    /// either side for the offset) have the schedule of the dates 400
    /// years later.
    fn repeating_days(&self, first: i64, last: i64) -> Vec<(i64, i64)> {
        let cycle = self.tz.cycle();
        // Offsets: constant in both days (before the zone's first change),
        // or both in its repeating rules.
        let mut zone = Vec::new();
        if let Some(q) = cycle.quiet_until {
            let q = q.div_euclid(DAY_MS);
            zone.push((i64::MIN / 4, q.saturating_sub(CYCLE_DAYS + 2)));
        }
        if let Some(p) = cycle.repeats_from {
            let p = p.div_euclid(DAY_MS) + 1;
            match zone.last_mut() {
                Some(z) if p <= z.1 + 1 => z.1 = i64::MAX / 4,
                _ => zone.push((p, i64::MAX / 4)),
            }
        }
        // Dates: good days are those with no date of `u - 2 ..= u + 1`
        // off the pattern.
        let mut dates = Vec::new();
        let mut from = first;
        for (d1, d2) in self.dates_off_cycle(first - 2, last + 1) {
            if d1 - 2 >= from {
                dates.push((from, d1 - 2));
            }
            from = from.max(d2 + 3);
        }
        if from <= last {
            dates.push((from, last));
        }
        intersect(&zone, &dates)
    }

    /// The dates `d` of `first..=last` whose schedule may differ from that
    /// of `d +` [`CYCLE_DAYS`] (weekly hours repeat, so only the dates off
    /// the weekly pattern are compared; a working day always counts), as
    /// sorted inclusive ranges.
    fn dates_off_cycle(&self, first: i64, last: i64) -> Vec<(i64, i64)> {
        // What the schedule of a date comes from: the week (0), a holiday
        // run (1) or a working day (2).
        let status = |d: i64| match self.seg_index(d).map(|s| s.kind) {
            None => 0u8,
            Some(SegKind::Holiday) => 1,
            Some(SegKind::Working(_)) => 2,
        };
        // The first date after `d` whose status may differ from `d`'s.
        let next_edge = |d: i64| {
            let i = self.segs.partition_point(|s| s.to < d);
            match self.segs.get(i) {
                Some(s) if s.from <= d => s.to + 1,
                Some(s) => s.from,
                None => i64::MAX / 4,
            }
        };
        let mut out: Vec<(i64, i64)> = Vec::new();
        let mut d = first;
        while d <= last {
            let (a, b) = (status(d), status(d + CYCLE_DAYS));
            let next = next_edge(d)
                .min(next_edge(d + CYCLE_DAYS) - CYCLE_DAYS)
                .min(last + 1);
            // A working day is one date (its own segment): always off.
            if a != b || a == 2 {
                match out.last_mut() {
                    Some(run) if run.1 + 1 >= d => run.1 = next - 1,
                    _ => out.push((d, next - 1)),
                }
            }
            d = next;
        }
        out
    }
}

#[cfg(test)]
impl BusinessCalendar {
    /// The union's business time by its runs, one after another (what
    /// `duration_ms` did before the blocks): the reference of the tests.
    pub(crate) fn union_duration_by_runs(&self, start: i64, end: i64) -> i64 {
        let (start, end) = (clamp_instant(start), clamp_instant(end));
        let mut total = 0i64;
        let mut x = start;
        while x < end {
            let Some(o) = self.next_opening_ms(x).filter(|&o| o < end) else {
                break;
            };
            let c = union_close(&self.members, o, end);
            total += c - o;
            x = c;
        }
        total
    }

    /// The union's deadline by its runs, one after another (the reference
    /// of the tests, `amount > 0`).
    pub(crate) fn union_deadline_by_runs(&self, start: i64, amount: i64) -> Option<i64> {
        let start = clamp_instant(start);
        let mut rem = amount;
        let mut x = start;
        loop {
            let o = self.next_opening_ms(x)?;
            let c = union_close(
                &self.members,
                o,
                o.saturating_add(rem).min(MAX_INSTANT_MS + 1),
            );
            if c - o >= rem {
                return (o + rem <= MAX_INSTANT_MS).then_some(o + rem);
            }
            if c >= MAX_INSTANT_MS {
                return None;
            }
            rem -= c - o;
            x = c;
        }
    }
}

/// What a compiled calendar's [`BusinessCalendar::duration_ms`] counts: business
/// milliseconds (the public meaning), or business days for an expectation
/// whose levels are written in business days (the engine's private use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Measure {
    /// Business time in ms.
    #[default]
    Millis,
    /// Business days in millionths ([`MICRO_DAY`]): each business date
    /// (a date with hours) counts one, a part of it its share of that
    /// date's business time.
    Days,
    /// [`Measure::Days`], for levels "by the end of the n-th business day":
    /// a clock counts from the start of the business day it starts in
    /// ([`BusinessCalendar::day_start_offset`]).
    DaysFromDayStart,
}

/// One business day in the unit of [`Measure::Days`].
pub(crate) const MICRO_DAY: i64 = 1_000_000;

impl BusinessCalendar {
    /// This calendar counting in `measure` (its periods too).
    pub(crate) fn measured_in(&self, measure: Measure) -> BusinessCalendar {
        let mut c = self.clone();
        c.measure = measure;
        for e in &mut c.eras {
            e.measure = measure;
        }
        c
    }

    /// What [`duration_ms`](Self::duration_ms) counts.
    pub(crate) fn measure(&self) -> Measure {
        self.measure
    }

    /// Business days between two instants (epoch ms), `0.0` when `end <=
    /// start`: every business date (a date with business hours) whose hours
    /// lie between them counts one, a date partly between them its share
    /// of that date's business time (to a millionth of a day). Friday 13:00
    /// to Tuesday 13:00 with hours 09:00–17:00 on weekdays is 2 business
    /// days (half of Friday, Monday, half of Tuesday), whatever the length
    /// of each date's hours.
    ///
    /// ```
    /// # let cal: mindgap::Calendar = serde_json::from_str(
    /// #   r#"{"id": "c", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
    /// #       "fri": ["09:00-13:00"]}}"#).unwrap();
    /// let bc = cal.compile(mindgap::TimeZone::UTC).unwrap();
    /// let fri_1100 = 1_780_052_400_000; // 2026-05-29T11:00:00Z, a Friday (09:00-13:00)
    /// let tue_1300 = fri_1100 + (4 * 24 + 2) * 3_600_000; // 2026-06-02T13:00:00Z
    /// assert_eq!(bc.business_days(fri_1100, tue_1300), 2.0);
    /// ```
    pub fn business_days(&self, start: i64, end: i64) -> f64 {
        self.measured_in(Measure::Days).duration_ms(start, end) as f64 / MICRO_DAY as f64
    }

    /// With [`Measure::DaysFromDayStart`], the share of the business day
    /// already gone at `start` (a clock starting then counts from that
    /// day's opening); zero otherwise.
    pub(crate) fn day_start_offset(&self, start: i64) -> i64 {
        if self.measure != Measure::DaysFromDayStart {
            return 0;
        }
        let b: i64 = if self.eras.is_empty() {
            self.day_count(start)
        } else {
            self.eras.iter().map(|e| e.day_count(start)).sum()
        };
        b.rem_euclid(MICRO_DAY)
    }

    /// Business dates `< day` (relative), exceptions included.
    fn days_prefix(&self, day: i64) -> i64 {
        self.sum_before(day, &self.week_days_cum, &self.seg_days_corr)
    }

    /// The business date whose [`days_prefix`](Self::days_prefix) is `idx`.
    fn date_with_index(&self, idx: i64) -> Option<i64> {
        let (mut lo, mut hi) = (-MAX_DAY, MAX_DAY);
        if self.days_prefix(hi + 1) <= idx || self.days_prefix(lo) > idx {
            return None;
        }
        // The least day with days_prefix(day + 1) > idx.
        while lo < hi {
            let mid = lo + (hi - lo).div_euclid(2);
            if self.days_prefix(mid + 1) > idx {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Some(lo)
    }

    /// The earliest instant whose local wall time is at or after `w`
    /// (`last`: the latest instant whose wall time is `w`, a fold's second
    /// pass), the first instant after a gap when `w` falls in one.
    fn real_of_wall(&self, w: i64, last: bool) -> i64 {
        const SPAN: i64 = 15 * 3_600_000;
        let hi = w + SPAN;
        let mut a = w - SPAN;
        let mut found = None;
        loop {
            let o = self.offset_ms(a);
            let b = self.next_transition(a, hi).unwrap_or(hi + 1);
            let u = w - o;
            if u < a {
                // The wall clock jumped past `w` at `a`.
                return found.unwrap_or(a);
            }
            if u < b {
                if !last {
                    return u;
                }
                found = Some(u);
            }
            if b > hi {
                return found.unwrap_or(w - self.offset_ms(w));
            }
            a = b;
        }
    }

    /// The real opening and closing instants of a business date's hours.
    fn day_bounds(&self, day: i64) -> (i64, i64) {
        let ivs = self.schedule(day);
        let first = ivs.iter().map(|iv| iv.start).min().unwrap_or(0);
        let last = ivs.iter().map(|iv| iv.end).max().unwrap_or(0);
        (
            self.real_of_wall(day * DAY_MS + first, false),
            self.real_of_wall(day * DAY_MS + last, true),
        )
    }

    /// Business days (millionths) from the calendar's origin to `t`: the
    /// business dates whose hours are over by then, plus the share gone of
    /// the one under way (its business time so far over its whole, rounded
    /// down to a millionth, but at least one once it has begun).
    fn day_count(&self, t: i64) -> i64 {
        let t = clamp_instant(t);
        let c = (t + self.offset_ms(t)).div_euclid(DAY_MS) + 1;
        // The dates whose hours may have begun by `t` (a night shift starts
        // the date before); any earlier date is over.
        for day in ((c - 3)..=c).rev() {
            if self.schedule(day).is_empty() {
                continue;
            }
            let (open, close) = self.day_bounds(day);
            if open > t {
                continue;
            }
            let whole = self.business_ms(open, close);
            let gone = self.business_ms(open, t);
            // Rounded down, but the first millisecond of a day's business
            // time counts: a level "by the end of a day" is met at the
            // close and passed at the next opening, not some milliseconds
            // into the next day.
            let share = if gone >= whole {
                MICRO_DAY
            } else {
                // 0 <= gone < whole: the share is below one day.
                let floor = (i128::from(gone) * i128::from(MICRO_DAY) / i128::from(whole)) as i64;
                floor.max(i64::from(gone > 0))
            };
            return self.days_prefix(day) * MICRO_DAY + share;
        }
        self.days_prefix(c - 3) * MICRO_DAY
    }

    /// [`deadline_ms`](Self::deadline_ms) in millionths of a business day.
    fn days_deadline(&self, start: i64, amount: i64) -> Option<i64> {
        let target = self.day_count(start).checked_add(amount)?;
        let (idx, share) = (target.div_euclid(MICRO_DAY), target.rem_euclid(MICRO_DAY));
        // A whole number of days is reached within the day before.
        let (idx, share) = if share == 0 {
            (idx - 1, MICRO_DAY)
        } else {
            (idx, share)
        };
        let day = self.date_with_index(idx)?;
        let (open, close) = self.day_bounds(day);
        let whole = self.business_ms(open, close);
        if whole == 0 {
            return (close <= MAX_INSTANT_MS).then_some(close);
        }
        // The least business time whose share reaches `share` (a share of
        // one millionth is reached by the first millisecond).
        let need = if share == 1 {
            1
        } else {
            (i128::from(share) * i128::from(whole) + i128::from(MICRO_DAY) - 1)
                / i128::from(MICRO_DAY)
        };
        self.ms_deadline(open, need as i64)
    }
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod business_tests;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
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
        // A 24-hour shift.
        assert!(
            "09:00-09:00"
                .parse::<TimeRange>()
                .unwrap()
                .crosses_midnight()
        );
        for bad in ["9-17", "09:00", "25:00-26:00", "24:00-01:00", "09:61-10:00"] {
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
