//! IANA time zones: where a diary buckets its days, weeks and months, where a
//! business calendar's hours are, and how a CSV's local timestamps are read.
//!
//! [`TimeZone`] is one small `Copy` value whatever holds the zone rules:
//!
//! - feature `tzdb` (on by default): the tz database compiled in (chrono-tz),
//!   every zone, the same answers on every machine; or, when chosen with
//!   [`crate::set_tzdata`], the system's database (TZif files, their POSIX
//!   rule followed past the last transition), with the compiled copy for
//!   the zones it lacks. Either way the offsets of the days a thread asked
//!   about last are remembered (a report asks the offset of every instant
//!   it buckets by week or month);
//! - without `tzdb`: the rules a host installs ([`ZoneSource`],
//!   [`set_zone_source`]); the npm package installs JavaScript's own
//!   database (`Intl.DateTimeFormat`), which keeps ~0.9 MB of tables out of
//!   the `.wasm`. Without a source only `UTC` is known (any other name is
//!   refused as unknown).
//!
//! Every face uses the same operations: the offset in force at an instant,
//! and the instant(s) a local wall-clock time names.

use std::fmt;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime};

const DAY_MS: i64 = 86_400_000;

/// An IANA time zone (`Europe/Moscow`, `America/New_York`, `UTC`).
///
/// Parse one with [`TimeZone::from_name`] (or `str::parse`); in JSON it is its
/// name.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone(backend::Zone);

impl TimeZone {
    /// Coordinated Universal Time.
    pub const UTC: TimeZone = TimeZone(backend::UTC);

    /// The zone named `name` (exact IANA spelling), or `None` when this build
    /// does not know it (nor when its system file cannot be read: `parse`
    /// says which file and why, [`ZoneError`]).
    ///
    /// ```
    /// use mindgap::TimeZone;
    /// let moscow = TimeZone::from_name("Europe/Moscow").unwrap();
    /// assert_eq!(moscow.name(), "Europe/Moscow");
    /// assert_eq!(TimeZone::from_name("UTC"), Some(TimeZone::UTC));
    /// assert_eq!(TimeZone::from_name("Europe/Atlantis"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<TimeZone> {
        TimeZone::lookup(name).ok()
    }

    /// The zone named `name`, from the tz data chosen with
    /// [`crate::set_tzdata`] (the compiled copy for a zone the system's
    /// database lacks).
    fn lookup(name: &str) -> Result<TimeZone, ZoneError> {
        match backend::from_name(name) {
            Ok(Some(z)) => Ok(TimeZone(z)),
            Ok(None) => Err(ZoneError::Unknown(UnknownZone(name.to_owned()))),
            Err((path, message)) => Err(ZoneError::Unreadable {
                name: name.to_owned(),
                path: path.display().to_string(),
                message,
            }),
        }
    }

    /// The tz data this zone's rules were read from, and its release.
    ///
    /// ```
    /// use mindgap::TimeZone;
    /// let berlin = TimeZone::from_name("Europe/Berlin").unwrap();
    /// // The library's default: the copy compiled in.
    /// assert_eq!(berlin.tzdata().source, "compiled");
    /// ```
    pub fn tzdata(self) -> crate::time::tzdata::TzData {
        backend::tzdata(self.0)
    }

    /// The IANA name, as it was given.
    pub fn name(self) -> &'static str {
        backend::name(self.0)
    }

    /// The offset from UTC (local − UTC) in force at `ms` (epoch milliseconds).
    pub fn offset_at(self, ms: i64) -> FixedOffset {
        FixedOffset::east_opt(backend::offset_secs(self.0, ms))
            .unwrap_or_else(|| chrono::Offset::fix(&chrono::Utc))
    }

    /// The instant `t` shown with this zone's offset at that instant.
    ///
    /// ```
    /// use mindgap::{TimeZone, parse_timestamp};
    /// let berlin = TimeZone::from_name("Europe/Berlin").unwrap();
    /// let winter = parse_timestamp("2026-01-05T09:00:00Z", None, TimeZone::UTC)?;
    /// let summer = parse_timestamp("2026-07-06T09:00:00Z", None, TimeZone::UTC)?;
    /// assert_eq!(berlin.at(&winter).to_rfc3339(), "2026-01-05T10:00:00+01:00");
    /// assert_eq!(berlin.at(&summer).to_rfc3339(), "2026-07-06T11:00:00+02:00");
    /// # Ok::<(), String>(())
    /// ```
    pub fn at<Z: chrono::TimeZone>(self, t: &DateTime<Z>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.offset_at(t.timestamp_millis()))
    }

    /// The local wall-clock time at `ms`, or `None` outside chrono's range.
    ///
    /// ```
    /// use mindgap::{TimeZone, parse_timestamp};
    /// let moscow = TimeZone::from_name("Europe/Moscow").unwrap();
    /// let t = parse_timestamp("2026-05-10T22:30:00Z", None, TimeZone::UTC)?;
    /// let local = moscow.local(t.timestamp_millis()).map(|l| l.to_string());
    /// assert_eq!(local.as_deref(), Some("2026-05-11 01:30:00"));
    /// assert_eq!(moscow.local(i64::MAX), None);
    /// # Ok::<(), String>(())
    /// ```
    pub fn local(self, ms: i64) -> Option<NaiveDateTime> {
        let utc = DateTime::from_timestamp_millis(ms)?;
        utc.naive_utc().checked_add_offset(self.offset_at(ms))
    }

    /// The instant(s) the local wall-clock time `local` names: one, two when
    /// the clocks go back (earliest first), none when they skip it.
    pub fn from_local(self, local: &NaiveDateTime) -> LocalResult<DateTime<FixedOffset>> {
        backend::from_local(self.0, local)
    }
}

/// Changes of offset found per zone and per span of [`SPAN_MS`] (a cache:
/// the same answers as asking the zone, found once per thread).
type Changes = rustc_hash::FxHashMap<(TimeZone, i64), Vec<i64>>;

thread_local! {
    static CHANGES: std::cell::RefCell<Changes> = std::cell::RefCell::default();
    /// Each zone's changes in `(P, P + CYCLE_MS]` of its repeating rules
    /// ([`backend::cycle`]): every later change is one of them moved by
    /// whole cycles.
    static CYCLES: std::cell::RefCell<rustc_hash::FxHashMap<TimeZone, Vec<i64>>> =
        std::cell::RefCell::default();
}

/// The spans [`TimeZone::next_change`] looks for changes in: 365 days.
const SPAN_MS: i64 = 365 * DAY_MS;

/// The Gregorian calendar's cycle: 400 years are exactly 146,097 days, which
/// is also a whole number of weeks (20,871). Rules written on the calendar
/// ("the second Sunday of March", "the last Sunday of October", a day of
/// the year) fall on the same dates, at the same instants, 400 years later.
///
/// Not 28 years: 28 years repeat the weekdays of dates only while no
/// century year skips its leap day (2100, 2200, 2300 do), so 2101 and 2129
/// do not share a calendar while 2101 and 2501 always do. (The compiled
/// backend maps each year past 2099 to a year of 2072–2099 with the same
/// calendar, [`backend::rule_year`]; the year it maps to repeats with the
/// 400-year cycle too.)
pub(crate) const CYCLE_DAYS: i64 = 146_097;
/// [`CYCLE_DAYS`] in milliseconds.
pub(crate) const CYCLE_MS: i64 = CYCLE_DAYS * DAY_MS;

impl TimeZone {
    /// The first instant in `(after, limit]` (epoch ms) at which the offset
    /// differs from the one just before it, or `None`.
    ///
    /// Found on a one-day grid, each change then to the millisecond: two
    /// changes less than a day apart that cancel out would go unnoticed (no
    /// zone in the tz database has those). Each 365-day span of a zone is
    /// searched once per thread and its changes kept, so a business-time
    /// duration over months costs a lookup, not a day-by-day walk (the first
    /// search of a span asks the zone ~400 times). Instants are clamped to
    /// chrono's range.
    ///
    /// Long searches do not walk the years: before the zone's first
    /// transition nothing changes (the compiled database's earliest is in
    /// 1844, the search skips to 1800), and from 2400 on (or the year after
    /// a system file's last transition, if later) the offsets repeat every
    /// 400 Gregorian years (146,097 days, a whole number of weeks), so one
    /// cycle's changes are found once per thread and every later one is
    /// read off them. A zone that never changes after its last transition
    /// answers `None` at once from then on.
    pub fn next_change(self, after: i64, limit: i64) -> Option<i64> {
        let range = DateTime::<chrono::Utc>::MIN_UTC.timestamp_millis()
            ..=DateTime::<chrono::Utc>::MAX_UTC.timestamp_millis();
        let mut after = after.clamp(*range.start(), *range.end());
        let limit = limit.clamp(*range.start(), *range.end());
        if limit <= after || self == TimeZone::UTC {
            return None;
        }
        let cycle = backend::cycle(self.0);
        // No change at or before `quiet`.
        if let Some(quiet) = cycle.quiet_until {
            if limit <= quiet {
                return None;
            }
            after = after.max(quiet);
        }
        if let Some(from) = cycle.repeats_from {
            // Whole cycles from `from`, short of chrono's last days (where
            // the offsets stop being the rules').
            let whole = (*range.end() - 2 * DAY_MS - from).div_euclid(CYCLE_MS);
            let end = from + whole.max(0) * CYCLE_MS;
            if after < from {
                let found = self.search_spans(after, limit.min(from));
                if found.is_some() || limit <= from {
                    return found;
                }
                after = from;
            }
            if after < end {
                let found = self.search_cycles(from, after, limit.min(end));
                if found.is_some() || limit <= end {
                    return found;
                }
                after = end;
            }
        }
        self.search_spans(after, limit)
    }

    /// [`TimeZone::next_change`] by the 365-day spans, one after another.
    fn search_spans(self, after: i64, limit: i64) -> Option<i64> {
        if limit <= after {
            return None;
        }
        for span in after.div_euclid(SPAN_MS)..=limit.div_euclid(SPAN_MS) {
            let found = CHANGES.with_borrow_mut(|cache| {
                let list = cache
                    .entry((self, span))
                    .or_insert_with(|| self.changes_in(span));
                let k = list.partition_point(|&t| t <= after);
                list.get(k).copied().filter(|&t| t <= limit)
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// [`TimeZone::next_change`] where the offsets repeat every cycle from
    /// `from` on (`from <= after < limit`): the changes of `(from, from +
    /// CYCLE_MS]`, moved by the whole cycles between `from` and `after`.
    fn search_cycles(self, from: i64, after: i64, limit: i64) -> Option<i64> {
        let known = CYCLES.with_borrow(|c| c.get(&self).is_some());
        if !known {
            let mut list = Vec::new();
            let mut t = from;
            while let Some(c) = self.search_spans(t, from + CYCLE_MS) {
                list.push(c);
                t = c;
            }
            CYCLES.with_borrow_mut(|c| c.insert(self, list));
        }
        CYCLES.with_borrow(|c| {
            let list = c.get(&self)?;
            let k = (after - from).div_euclid(CYCLE_MS);
            let shift = k * CYCLE_MS;
            let i = list.partition_point(|&t| t <= after - shift);
            let found = match list.get(i) {
                Some(&t) => t + shift,
                None => list.first()? + shift + CYCLE_MS,
            };
            (found <= limit).then_some(found)
        })
    }

    /// Every change in the span `span` (see [`TimeZone::next_change`]); a
    /// change at the span's end is listed here, not in the next span.
    fn changes_in(self, span: i64) -> Vec<i64> {
        let offset = |ms: i64| backend::offset_secs(self.0, ms);
        let start = span.saturating_mul(SPAN_MS);
        let mut out = Vec::new();
        let mut before = offset(start);
        for day in 0..365 {
            let (lo, hi) = (start + day * DAY_MS, start + (day + 1) * DAY_MS);
            let after = offset(hi);
            if after != before {
                out.push(first_change(lo, hi, 1, |t| offset(t) == before));
            }
            before = after;
        }
        out
    }
}

/// What a zone's rules say about long searches (each backend knows its
/// own): both instants are UTC midnights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Cycle {
    /// No change (on [`TimeZone::next_change`]'s day grid) at or before
    /// this instant: the zone keeps its first offset until its first
    /// transition.
    pub(crate) quiet_until: Option<i64>,
    /// From this instant on, the offsets repeat every [`CYCLE_MS`]:
    /// `offset(t + CYCLE_MS) == offset(t)` for every `t` at or after it
    /// (within chrono's range).
    pub(crate) repeats_from: Option<i64>,
}

impl TimeZone {
    /// The zone's [`Cycle`] (crate-internal: business calendars find
    /// their own repeating stretches from it).
    pub(crate) fn cycle(self) -> Cycle {
        if self == TimeZone::UTC {
            return Cycle {
                quiet_until: Some(i64::MAX),
                repeats_from: Some(i64::MIN / 2),
            };
        }
        backend::cycle(self.0)
    }
}

/// The first instant of `(lo, hi]`, on a grid of `step` ms from `lo`, at which
/// the offset is no longer the one at `lo` (`same` tells), by bisection;
/// `same(lo)` holds and `same(hi)` does not.
fn first_change(lo: i64, hi: i64, step: i64, mut same: impl FnMut(i64) -> bool) -> i64 {
    let (mut lo, mut hi) = (lo, hi);
    while hi - lo > step {
        let mid = lo + (hi - lo) / (2 * step) * step;
        if same(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// The offsets a zone has in force during one UTC day: one, or a change at
/// an instant (at most one: see [`TimeZone::next_change`] for why that
/// holds). What both databases keep per day, so the offset of an instant is
/// a lookup, not a search of the zone's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    Same(i32),
    Change { at: i64, before: i32, after: i32 },
}

impl Day {
    /// The offsets of UTC day `day` (days since the epoch), read from
    /// `offset` at its start and end, and, when they differ, at the first
    /// whole second with the new one.
    fn of(day: i64, mut offset: impl FnMut(i64) -> i32) -> Day {
        let start = day.saturating_mul(DAY_MS);
        let end = start.saturating_add(DAY_MS);
        let before = offset(start);
        if offset(end) == before {
            return Day::Same(before);
        }
        let at = first_change(start, end, 1000, |t| offset(t) == before);
        Day::Change {
            at,
            before,
            after: offset(at),
        }
    }

    /// The offset at `ms`, an instant of the day.
    fn at(self, ms: i64) -> i32 {
        match self {
            Day::Same(o) => o,
            Day::Change { at, before, after } => {
                if ms < at {
                    before
                } else {
                    after
                }
            }
        }
    }
}

/// Solves `u = local − offset(u)` from an offset function, assuming at most
/// one offset change within a day of `local` (true of every zone's rules
/// since 1900 apart from a handful of historical one-day detours): the two
/// offsets in force a day either side are the only candidates.
pub(crate) fn local_by_offsets(
    local: &NaiveDateTime,
    offset_secs: impl Fn(i64) -> i32,
) -> LocalResult<DateTime<FixedOffset>> {
    let wall = local.and_utc().timestamp_millis();
    let mut found: [Option<DateTime<FixedOffset>>; 2] = [None, None];
    let before = offset_secs(wall.saturating_sub(DAY_MS));
    let after = offset_secs(wall.saturating_add(DAY_MS));
    for (slot, o) in found.iter_mut().zip([before, after]) {
        let u = wall - i64::from(o) * 1000;
        if offset_secs(u) == o {
            *slot = FixedOffset::east_opt(o)
                .and_then(|f| DateTime::from_timestamp_millis(u).map(|t| t.with_timezone(&f)));
        }
    }
    match found {
        [Some(a), Some(b)] if a != b => {
            if a < b {
                LocalResult::Ambiguous(a, b)
            } else {
                LocalResult::Ambiguous(b, a)
            }
        }
        [Some(a), _] | [None, Some(a)] => LocalResult::Single(a),
        [None, None] => LocalResult::None,
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown zone name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid value {0:?}: expected an IANA time zone name like Europe/Moscow or America/New_York"
)]
pub struct UnknownZone(pub String);

/// Why a zone name could not be read (`str::parse`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneError {
    /// No tz data in use knows the name.
    #[error(transparent)]
    Unknown(#[from] UnknownZone),
    /// The system database has the zone's file, but it cannot be read or is
    /// not a valid TZif file.
    #[error(
        "time zone {name:?}: {path}: {message} (MINDGAP_TZDATA=compiled uses the compiled copy)"
    )]
    Unreadable {
        /// The zone's name.
        name: String,
        /// The file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

impl std::str::FromStr for TimeZone {
    type Err = ZoneError;
    fn from_str(s: &str) -> Result<TimeZone, ZoneError> {
        TimeZone::lookup(s)
    }
}

impl serde::Serialize for TimeZone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for TimeZone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TimeZone, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A zone of the compiled copy.
#[cfg(feature = "tzdb")]
impl From<chrono_tz::Tz> for TimeZone {
    fn from(tz: chrono_tz::Tz) -> TimeZone {
        TimeZone(backend::Zone::compiled(tz))
    }
}

/// The compiled tz database, and the system's when chosen.
#[cfg(feature = "tzdb")]
mod backend {
    use std::path::PathBuf;

    use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone};

    use crate::time::tzdata::backend as system;

    /// A zone by number, two bytes like chrono-tz's own `Tz`: its place in
    /// chrono-tz's `TZ_VARIANTS`, or [`SYSTEM`] and its place among the
    /// zones read from system databases.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    pub(super) struct Zone(u16);

    /// The bit of a zone read from a system database.
    const SYSTEM: u16 = 0x8000;

    pub(super) const UTC: Zone = Zone(chrono_tz::UTC as u16);

    impl Zone {
        pub(super) fn compiled(tz: chrono_tz::Tz) -> Zone {
            Zone(tz as u16)
        }
    }

    /// Where a zone's offsets come from.
    #[derive(Clone, Copy)]
    enum Rules {
        Compiled(chrono_tz::Tz),
        System(&'static system::Loaded),
    }

    fn rules(z: Zone) -> Rules {
        if z.0 & SYSTEM != 0 {
            if let Some(l) = system::loaded(usize::from(z.0 & !SYSTEM)) {
                return Rules::System(l);
            }
        }
        // Every number was made from a variant (`Zone::compiled`) or a
        // loaded zone; UTC is a harmless answer all the same.
        Rules::Compiled(
            chrono_tz::TZ_VARIANTS
                .get(usize::from(z.0))
                .copied()
                .unwrap_or(chrono_tz::UTC),
        )
    }

    impl Rules {
        fn offset(self, ms: i64) -> i32 {
            match self {
                Rules::Compiled(tz) => compiled_offset(tz, ms),
                Rules::System(l) => l.rules.offset_at(ms.div_euclid(1000)),
            }
        }
    }

    /// The zone `name` of the database chosen ([`crate::set_tzdata`]):
    /// a system database's file when it has one, else the compiled copy's
    /// zone; an error names a file that could not be read. `UTC` is the
    /// same in every database: always the compiled one (its offset is
    /// never looked up).
    pub(super) fn from_name(name: &str) -> Result<Option<Zone>, (PathBuf, String)> {
        if name != "UTC" {
            if let Some(db) = system::chosen() {
                if let Some(k) = system::zone(db, name)? {
                    return Ok(Some(Zone(SYSTEM | k)));
                }
            }
        }
        Ok(name.parse().ok().map(Zone::compiled))
    }

    pub(super) fn name(z: Zone) -> &'static str {
        match rules(z) {
            Rules::Compiled(tz) => tz.name(),
            Rules::System(l) => l.name,
        }
    }

    /// The tz data of a zone; UTC's is the data in use (the same rules in
    /// all).
    pub(super) fn tzdata(z: Zone) -> crate::time::tzdata::TzData {
        match rules(z) {
            Rules::System(l) => l.db.info.clone(),
            Rules::Compiled(_) if z == UTC => crate::time::tzdata::tzdata(),
            Rules::Compiled(_) => crate::time::tzdata::TzData::compiled(),
        }
    }

    /// The offset of zone `z` at `ms`, asked of its rules.
    pub(super) fn offset_of(z: Zone, ms: i64) -> i32 {
        rules(z).offset(ms)
    }

    /// The offset chrono-tz finds (a binary search of the zone's
    /// transitions and two date conversions: ~250 instructions). Its tables
    /// end with 2099 (no daylight saving after it): later instants are read
    /// in the year of 2072–2099 that has the same calendar ([`rule_year`]),
    /// which is what the zone's last rule gives.
    fn compiled_offset(z: chrono_tz::Tz, ms: i64) -> i32 {
        let ms = ms - rule_shift(ms.div_euclid(super::DAY_MS)) * super::DAY_MS;
        DateTime::from_timestamp_millis(ms).map_or(0, |t| {
            z.offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc()
        })
    }

    /// The first year chrono-tz's tables do not cover.
    const RULES_END: i32 = 2100;

    /// For a year past [`RULES_END`], the year of 2072–2099 with the same
    /// calendar (leap or not, and the weekday of 1 January): a rule like
    /// "the second Sunday of March" falls on the same dates in both. 28
    /// years without a skipped leap day hold every such calendar. Integer
    /// arithmetic (every offset past 2100 asks it).
    pub(super) fn rule_year(year: i32) -> i32 {
        let want = calendar_of(i64::from(year));
        (RULES_END - 28..RULES_END)
            .find(|&y| calendar_of(i64::from(y)) == want)
            .unwrap_or(RULES_END - 1)
    }

    /// A year's calendar: leap or not, and the weekday of 1 January.
    fn calendar_of(year: i64) -> (bool, i64) {
        use crate::time::tzif::{days_from_civil, is_leap};
        (is_leap(year), days_from_civil(year, 1, 1).rem_euclid(7))
    }

    /// 2100-01-01, the first day [`rule_shift`] moves (days since 1970).
    const RULES_END_DAY: i64 = 47_482;
    /// +262142-12-31, chrono's last date (days since 1970): later days are
    /// not moved (chrono has no date for them).
    const CHRONO_LAST_DAY: i64 = 95_026_236;

    /// Days from a day past the tables' end back to the same day of its
    /// rule year (0 before the end).
    fn rule_shift(day: i64) -> i64 {
        use crate::time::tzif::{civil_from_days, days_from_civil};
        if !(RULES_END_DAY..=CHRONO_LAST_DAY).contains(&day) {
            return 0;
        }
        let year = civil_from_days(day).0;
        // 2100..=262142: fits an i32.
        let rule = i64::from(rule_year(i32::try_from(year).unwrap_or(RULES_END)));
        days_from_civil(year, 1, 1) - days_from_civil(rule, 1, 1)
    }

    /// [`rule_shift`] by chrono's dates, as it was: the tests' reference.
    #[cfg(test)]
    pub(super) fn rule_shift_by_dates(day: i64) -> i64 {
        use chrono::Datelike;
        let Some(date) = chrono::NaiveDate::from_num_days_from_ce_opt(
            i32::try_from(day + 719_163).unwrap_or(i32::MAX),
        ) else {
            return 0;
        };
        if date.year() < RULES_END {
            return 0;
        }
        let jan1 = |y: i32| chrono::NaiveDate::from_ymd_opt(y, 1, 1).map(|d| d.weekday());
        let leap = |y: i32| chrono::NaiveDate::from_ymd_opt(y, 2, 29).is_some();
        let rule = (RULES_END - 28..RULES_END)
            .find(|&y| leap(y) == leap(date.year()) && jan1(y) == jan1(date.year()))
            .unwrap_or(RULES_END - 1);
        let start = |y: i32| {
            chrono::NaiveDate::from_ymd_opt(y, 1, 1).map_or(0, |d| i64::from(d.num_days_from_ce()))
        };
        start(date.year()) - start(rule)
    }

    #[cfg(test)]
    pub(super) fn rule_shift_of(day: i64) -> i64 {
        rule_shift(day)
    }

    /// The zone's [`Cycle`](super::Cycle). The compiled database: nothing
    /// changes before 1800 (its earliest transition is in 1844:
    /// `compiled_zones_keep_their_first_offset_until_1800` checks every
    /// zone), and from 2400 on the offsets repeat every 400 years (from
    /// 2100 the rules of [`rule_year`], which repeats with the cycle; 2400
    /// because the offsets of 1800–2400 are read through the days
    /// remembered below, beyond it straight from the rules). A system
    /// file: its first offset until its first change, its footer's rule
    /// (Gregorian too) after its last transition.
    pub(super) fn cycle(z: Zone) -> super::Cycle {
        let day = |ms: i64| ms.div_euclid(super::DAY_MS) * super::DAY_MS;
        match rules(z) {
            Rules::Compiled(_) => super::Cycle {
                quiet_until: Some(MEMO_RANGE.start),
                repeats_from: Some(MEMO_RANGE.end),
            },
            Rules::System(l) => {
                let (first, last) = l.rules.change_bounds();
                super::Cycle {
                    // The UTC midnight before the first change (a change at
                    // a midnight belongs to the day before it).
                    quiet_until: match first {
                        None => Some(i64::MAX),
                        Some(i64::MIN) => None,
                        Some(f) => Some(day(f.saturating_mul(1000).saturating_sub(1))),
                    },
                    repeats_from: Some(last.map_or(MEMO_RANGE.end, |l| {
                        (day(l.saturating_mul(1000)).saturating_add(2 * super::DAY_MS))
                            .max(MEMO_RANGE.end)
                    })),
                }
            }
        }
    }

    /// Days remembered per thread, by day number modulo their count: records
    /// come roughly in time order, and a report asks the offset of each of
    /// their instants (bucketing by week, business hours), mostly of the
    /// same few days.
    const MEMO: usize = 64;

    /// Instants from 1800 to 2400 are looked up by day; others (and the
    /// edges of chrono's range) ask the zone.
    pub(super) const MEMO_RANGE: std::ops::Range<i64> = -5_364_662_400_000..13_569_465_600_000;

    type Memo = [Option<(Zone, i64, super::Day)>; MEMO];

    thread_local! {
        static DAYS: std::cell::RefCell<Memo> = const { std::cell::RefCell::new([None; MEMO]) };
    }

    pub(super) fn offset_secs(z: Zone, ms: i64) -> i32 {
        if z == UTC || !MEMO_RANGE.contains(&ms) {
            return offset_of(z, ms);
        }
        let day = ms.div_euclid(super::DAY_MS);
        DAYS.with_borrow_mut(|days| {
            let Some(slot) = days.get_mut(day.rem_euclid(MEMO as i64) as usize) else {
                return offset_of(z, ms);
            };
            match *slot {
                Some((zone, d, known)) if zone == z && d == day => known.at(ms),
                _ => {
                    let r = rules(z);
                    let known = super::Day::of(day, |t| r.offset(t));
                    *slot = Some((z, day, known));
                    known.at(ms)
                }
            }
        })
    }

    pub(super) fn from_local(z: Zone, local: &NaiveDateTime) -> LocalResult<DateTime<FixedOffset>> {
        use chrono::Datelike;
        let z = match rules(z) {
            Rules::Compiled(tz) => tz,
            // A system zone: solved from its offsets (the solver is checked
            // against chrono-tz's in the tests below).
            Rules::System(_) => return super::local_by_offsets(local, |ms| offset_secs(z, ms)),
        };
        let shift = rule_shift(i64::from(local.date().num_days_from_ce()) - 719_163);
        if shift == 0 {
            return z.from_local_datetime(local).map(|t| t.fixed_offset());
        }
        // Read in the rule year, then moved back by the same days.
        let days = chrono::Duration::days(shift);
        let Some(there) = local.checked_sub_signed(days) else {
            return LocalResult::None;
        };
        z.from_local_datetime(&there).map(|t| {
            let off = t.offset().fix();
            (t.naive_utc() + days).and_utc().with_timezone(&off)
        })
    }
}

/// Declares [`ZoneSource`]: `Send + Sync` natively, where a report reads
/// zones on several threads; without bounds on WebAssembly, where the
/// source holds JavaScript objects and there is one thread.
macro_rules! zone_source {
    ($($bound:tt)*) => {
        /// Zone rules a host supplies, for a build without the compiled tz
        /// database (the npm package reads JavaScript's
        /// `Intl.DateTimeFormat` through one, keeping ~0.9 MB of tables out
        /// of the `.wasm`). Installed with [`set_zone_source`]; without one,
        /// such a build knows UTC only.
        ///
        /// Each zone's offsets are asked once per UTC day and remembered (a
        /// change inside a day is found to the second), so a report asks a
        /// few times per day of data, not per record.
        pub trait ZoneSource $($bound)* {
            /// Whether the source knows the zone `name` (exact IANA
            /// spelling; an alias the source resolves is fine, another letter
            /// case is not).
            fn knows(&self, name: &str) -> bool;
            /// The offset from UTC (local − UTC, whole seconds) of the zone
            /// `name` at `ms` (epoch milliseconds).
            fn offset_secs(&self, name: &str, ms: i64) -> i32;
            /// What the source's rules are, as a report names them
            /// (`tzdata`): by default `{"source": "host", "release":
            /// "unknown"}`; the npm package says `Intl` and, under Node,
            /// the runtime's release (`process.versions.tz`).
            fn tzdata(&self) -> crate::time::tzdata::TzData {
                crate::time::tzdata::TzData::new("host", None)
            }
        }
    };
}
#[cfg(not(target_arch = "wasm32"))]
zone_source!(: Send + Sync);
#[cfg(target_arch = "wasm32")]
zone_source!();

/// Installs the zone rules of a build without `tzdb` (the WebAssembly
/// package does it when it loads); install it once, before the first zone
/// is named. Natively the source serves every thread; on WebAssembly, the
/// thread that installs it. A build with `tzdb` answers from its compiled
/// database and never asks the source.
pub fn set_zone_source(source: Box<dyn ZoneSource>) {
    #[cfg(not(feature = "tzdb"))]
    backend::install(source);
    #[cfg(feature = "tzdb")]
    drop(source);
}

/// The tz data of the installed zone source (a build without `tzdb`).
#[cfg(not(feature = "tzdb"))]
pub(crate) fn source_tzdata() -> crate::time::tzdata::TzData {
    backend::tzdata(backend::UTC)
}

/// The host's zone rules ([`ZoneSource`]); UTC only without a source.
#[cfg(not(feature = "tzdb"))]
mod backend {
    use std::sync::Mutex;

    use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime};
    use rustc_hash::FxHashMap;

    use super::{DAY_MS, Day, ZoneSource};

    /// A zone: its name, interned (one `&'static str` per name, so its
    /// address names it too).
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    pub(super) struct Zone {
        name: &'static str,
    }

    pub(super) const UTC: Zone = Zone { name: "UTC" };

    /// Every zone name looked up, interned.
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

    #[cfg(not(target_arch = "wasm32"))]
    static SOURCE: std::sync::RwLock<Option<Box<dyn ZoneSource>>> = std::sync::RwLock::new(None);

    #[cfg(target_arch = "wasm32")]
    thread_local! {
        static SOURCE: std::cell::RefCell<Option<Box<dyn ZoneSource>>> =
            const { std::cell::RefCell::new(None) };
    }

    thread_local! {
        /// Each zone's offsets by UTC day, as the source gave them.
        static DAYS: std::cell::RefCell<FxHashMap<(usize, i64), Day>> =
            std::cell::RefCell::default();
    }

    pub(super) fn install(source: Box<dyn ZoneSource>) {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut slot = SOURCE
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *slot = Some(source);
        }
        #[cfg(target_arch = "wasm32")]
        SOURCE.set(Some(source));
    }

    /// Runs `f` with the installed source, if any.
    fn with_source<T>(f: impl FnOnce(Option<&dyn ZoneSource>) -> T) -> T {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let source = SOURCE
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            f(source.as_deref())
        }
        #[cfg(target_arch = "wasm32")]
        SOURCE.with_borrow(|s| f(s.as_deref()))
    }

    /// The zone `name` if the source knows it (never an error: the
    /// source reads no files).
    pub(super) fn from_name(name: &str) -> Result<Option<Zone>, (std::path::PathBuf, String)> {
        Ok(known(name))
    }

    fn known(name: &str) -> Option<Zone> {
        if name == UTC.name {
            return Some(UTC);
        }
        if !with_source(|s| s.is_some_and(|s| s.knows(name))) {
            return (name == "Etc/UTC").then_some(UTC);
        }
        let mut names = NAMES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let name = match names.iter().find(|n| **n == name) {
            Some(known) => *known,
            None => {
                let leaked: &'static str = Box::leak(name.into());
                names.push(leaked);
                leaked
            }
        };
        Some(Zone { name })
    }

    pub(super) fn name(z: Zone) -> &'static str {
        z.name
    }

    /// The installed source's tz data (every zone's), `UTC` alone without
    /// one.
    pub(super) fn tzdata(_: Zone) -> crate::time::tzdata::TzData {
        with_source(|s| {
            s.map_or_else(
                || crate::time::tzdata::TzData::new("UTC only", None),
                |s| s.tzdata(),
            )
        })
    }

    pub(super) fn offset_secs(z: Zone, ms: i64) -> i32 {
        if z == UTC {
            return 0;
        }
        let day = ms.div_euclid(DAY_MS);
        let key = (z.name.as_ptr() as usize, day);
        if let Some(known) = DAYS.with_borrow(|days| days.get(&key).copied()) {
            return known.at(ms);
        }
        let known = with_source(|s| Day::of(day, |t| s.map_or(0, |s| s.offset_secs(z.name, t))));
        DAYS.with_borrow_mut(|days| days.insert(key, known));
        known.at(ms)
    }

    /// A host's rules are not known to repeat: searched span by span.
    pub(super) fn cycle(_: Zone) -> super::Cycle {
        super::Cycle::default()
    }

    pub(super) fn from_local(z: Zone, local: &NaiveDateTime) -> LocalResult<DateTime<FixedOffset>> {
        super::local_by_offsets(local, |ms| offset_secs(z, ms))
    }
}

#[cfg(all(test, feature = "tzdb"))]
mod tests {
    use chrono::{Datelike, NaiveDate, TimeZone as _};
    use proptest::prelude::*;

    use super::*;

    /// The tz release `compiled_zones_keep_their_first_offset_until_1800`
    /// passed on.
    const CHECKED_RELEASE: &str = "2025b";

    const ZONES: [chrono_tz::Tz; 6] = [
        chrono_tz::Europe::Berlin,
        chrono_tz::America::New_York,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Europe::Moscow,
        chrono_tz::America::Santiago,
        chrono_tz::Asia::Kolkata,
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// The offset-only solver (the `intl` backend's) gives chrono-tz's
        /// answer for every local time, around transitions too.
        #[test]
        fn local_by_offsets_agrees_with_chrono_tz(
            z in 0..ZONES.len(),
            secs in 0i64..(60 * 366 * 86_400),
            near in any::<bool>(),
        ) {
            let tz = ZONES[z];
            let zone = TimeZone::from(tz);
            // Half the cases land within a day of a transition.
            let base = 1_104_537_600; // 2005-01-01
            let t = base + secs;
            let local = if near {
                let year = DateTime::from_timestamp(t, 0).unwrap().naive_utc().date().year_ce().1 as i32;
                let mut probe = NaiveDate::from_ymd_opt(year, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
                let mut last = zone.offset_at(probe.and_utc().timestamp_millis());
                let mut hit = probe;
                for _ in 0..(366 * 24) {
                    probe += chrono::Duration::hours(1);
                    let o = zone.offset_at(probe.and_utc().timestamp_millis());
                    if o != last {
                        hit = probe;
                        break;
                    }
                    last = o;
                }
                hit + chrono::Duration::seconds(secs % 10_800 - 5_400)
            } else {
                DateTime::from_timestamp(t, 0).unwrap().naive_utc()
            };
            let want = tz.from_local_datetime(&local).map(|t| t.fixed_offset());
            let got = local_by_offsets(&local, |ms| backend::offset_secs(zone.0, ms));
            prop_assert_eq!(got, want);
        }
    }

    #[cfg(feature = "tzdb")]
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The offsets remembered by day are the ones chrono-tz finds, for
        /// any zone at any instant from 1800 to 2400, and to the
        /// millisecond around the zone's next change.
        #[test]
        fn remembered_offsets_are_the_zones(
            z in 0..chrono_tz::TZ_VARIANTS.len(),
            ms in backend::MEMO_RANGE,
            near in -3_000i64..3_000,
        ) {
            let zone = chrono_tz::TZ_VARIANTS[z];
            let id = TimeZone::from(zone).0;
            let same = |t: i64| backend::offset_secs(id, t) == backend::offset_of(id, t);
            prop_assert!(same(ms), "{zone} at {ms}");
            if let Some(at) = TimeZone::from(zone).next_change(ms, ms + 400 * DAY_MS) {
                for t in [at - 1, at, at + near] {
                    prop_assert!(same(t), "{zone} at {t} (a change at {at})");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// The cached search finds the change an hour-by-hour walk finds.
        #[test]
        fn next_change_is_the_first_change_of_offset(
            z in 0..ZONES.len(),
            start in 946_684_800_000i64..1_893_456_000_000, // 2000..2030
            hours in 0i64..(2 * 366 * 24),
        ) {
            let zone = TimeZone::from(ZONES[z]);
            let limit = start + hours * 3_600_000 + 1234;
            let o = zone.offset_at(start);
            let mut want = None;
            let mut t = start;
            while t < limit {
                let next = (t + 3_600_000).min(limit);
                if zone.offset_at(next) != o {
                    let (mut a, mut b) = (t, next);
                    while b - a > 1 {
                        let mid = a + (b - a) / 2;
                        if zone.offset_at(mid) == o { a = mid } else { b = mid }
                    }
                    want = Some(b);
                    break;
                }
                t = next;
            }
            prop_assert_eq!(zone.next_change(start, limit), want);
        }
    }

    #[cfg(feature = "tzdb")]
    #[test]
    fn daylight_saving_goes_on_after_2099_by_the_last_rule() {
        let t = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .timestamp_millis()
        };
        let ny = TimeZone::from_name("America/New_York").unwrap();
        let berlin = TimeZone::from_name("Europe/Berlin").unwrap();
        for (at, zone, want) in [
            ("2099-07-05T12:00:00Z", ny, -4),
            ("2100-07-05T12:00:00Z", ny, -4),
            ("2100-01-05T12:00:00Z", ny, -5),
            ("2487-07-05T12:00:00Z", ny, -4),
            ("2200-07-01T00:00:00Z", berlin, 2),
            ("2200-12-01T00:00:00Z", berlin, 1),
        ] {
            assert_eq!(
                zone.offset_at(t(at)).local_minus_utc(),
                want * 3600,
                "{zone:?} {at}"
            );
        }
        // The change falls on the rule's day: the second Sunday of March
        // 2100 is the 14th (2 a.m. local, 07:00 UTC).
        let change = ny
            .next_change(t("2100-03-01T00:00:00Z"), t("2100-04-01T00:00:00Z"))
            .unwrap();
        assert_eq!(change, t("2100-03-14T07:00:00Z"));
        // A local time in the gap of that night does not exist; one after it does.
        let local = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert!(matches!(
            ny.from_local(&local("2100-03-14 02:30")),
            LocalResult::None
        ));
        let LocalResult::Single(noon) = ny.from_local(&local("2100-07-05 12:00")) else {
            panic!("noon exists")
        };
        assert_eq!(noon.timestamp_millis(), t("2100-07-05T16:00:00Z"));
        for y in 2100..2500 {
            let r = backend::rule_year(y);
            assert!((2072..2100).contains(&r), "{y} -> {r}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]
        /// The jumps of a long search (the quiet years before 1800, whole
        /// 400-year cycles after 2400) find what the walk span by span
        /// finds, for instants anywhere in years 1..=9999.
        #[test]
        fn next_change_by_cycles_is_the_walk_by_spans(
            z in 0..ZONES.len(),
            year in 1i64..9999,
            day in 0i64..366,
            len_days in prop_oneof![0i64..800, 0i64..200_000],
        ) {
            let zone = TimeZone::from(ZONES[z]);
            // Roughly the start of `year` (365.2425 days a year from year 1).
            let start = -62_135_596_800_000 + (year - 1) * 31_556_952_000 + day * DAY_MS + 12_345;
            let limit = start + len_days * DAY_MS + 678;
            prop_assert_eq!(zone.next_change(start, limit), zone.search_spans(start, limit));
            // A change found is one of the walk's, and the next one too.
            if let Some(c) = zone.next_change(start, limit) {
                prop_assert_eq!(zone.next_change(c, limit), zone.search_spans(c, limit));
            }
        }
    }

    #[test]
    fn a_zone_without_changes_answers_at_once() {
        let end = DateTime::<chrono::Utc>::MAX_UTC.timestamp_millis();
        let start = DateTime::<chrono::Utc>::MIN_UTC.timestamp_millis();
        // India has kept +05:30 since 1945; Etc/GMT+5 never changed.
        let kolkata = TimeZone::from_name("Asia/Kolkata").unwrap();
        let y2000 = 946_684_800_000;
        assert_eq!(kolkata.next_change(y2000, end), None);
        assert!(kolkata.next_change(start, y2000).is_some());
        let fixed = TimeZone::from_name("Etc/GMT+5").unwrap();
        assert_eq!(fixed.next_change(start, end), None);
        // Lord Howe: every year to 9999, the same two changes.
        let lh = TimeZone::from_name("Australia/Lord_Howe").unwrap();
        let y9990 = 253_086_940_800_000;
        let mut t = y9990;
        let mut n = 0;
        while let Some(c) = lh.next_change(t, 253_402_300_799_999) {
            assert_eq!(Some(c), lh.search_spans(t, 253_402_300_799_999));
            n += 1;
            t = c;
        }
        assert_eq!(n, 20);
    }

    /// The compiled database keeps every zone's first offset until 1800
    /// (its earliest transition is in 1844), which lets a search skip those
    /// years ([`backend::cycle`]). Walks every day of years 1..1800 of every
    /// zone: run it (`--ignored`, in release: ~1 minute) when chrono-tz or
    /// its tz release changes; `the_checked_tz_release_is_compiled_in`
    /// fails until then.
    #[test]
    #[ignore = "walks 650,000 days of ~600 zones; run after a tz release change"]
    fn compiled_zones_keep_their_first_offset_until_1800() {
        let quiet = backend::cycle(TimeZone::UTC.0).quiet_until.unwrap();
        let first_day = -62_135_596_800_000 / DAY_MS - 400;
        for tz in chrono_tz::TZ_VARIANTS {
            let id = TimeZone::from(tz).0;
            let o = backend::offset_of(id, first_day * DAY_MS);
            for day in first_day..=quiet / DAY_MS {
                assert_eq!(backend::offset_of(id, day * DAY_MS), o, "{tz} on day {day}");
            }
        }
    }

    #[test]
    fn the_checked_tz_release_is_compiled_in() {
        // The release `compiled_zones_keep_their_first_offset_until_1800`
        // was last run on.
        assert_eq!(chrono_tz::IANA_TZDB_VERSION, CHECKED_RELEASE);
    }

    #[test]
    fn rule_years_by_arithmetic_are_chrono_dates() {
        // Every day of 2090..2900, and then a day in every month to chrono's end.
        let days = (43_830..341_000).chain((341_000..95_026_300).step_by(29));
        for day in days {
            assert_eq!(
                backend::rule_shift_of(day),
                backend::rule_shift_by_dates(day),
                "day {day}"
            );
        }
    }

    #[test]
    fn zone_numbers_are_chrono_tz_variants() {
        // `Zone` keeps a compiled zone as its place in `TZ_VARIANTS`.
        for (k, tz) in chrono_tz::TZ_VARIANTS.iter().enumerate() {
            assert_eq!(*tz as usize, k, "{tz}");
            assert_eq!(TimeZone::from(*tz).name(), tz.name());
        }
        assert!(chrono_tz::TZ_VARIANTS.len() < 0x8000);
        assert_eq!(std::mem::size_of::<TimeZone>(), 2);
        assert_eq!(TimeZone::from(chrono_tz::UTC), TimeZone::UTC);
    }

    #[test]
    fn names_offsets_and_local_times() {
        let berlin: TimeZone = "Europe/Berlin".parse().unwrap();
        assert_eq!(berlin.name(), "Europe/Berlin");
        assert_eq!(berlin.to_string(), "Europe/Berlin");
        assert!("europe/berlin".parse::<TimeZone>().is_err());
        assert_eq!(
            "Mars/Olympus".parse::<TimeZone>().unwrap_err().to_string(),
            "invalid value \"Mars/Olympus\": expected an IANA time zone name like Europe/Moscow or America/New_York"
        );
        let summer = DateTime::parse_from_rfc3339("2026-07-01T12:00:00Z").unwrap();
        assert_eq!(
            berlin
                .offset_at(summer.timestamp_millis())
                .local_minus_utc(),
            7200
        );
        assert_eq!(berlin.at(&summer).to_rfc3339(), "2026-07-01T14:00:00+02:00");
        assert_eq!(
            berlin.local(summer.timestamp_millis()).unwrap().to_string(),
            "2026-07-01 14:00:00"
        );
        let skipped = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(berlin.from_local(&skipped), LocalResult::None);
        let twice = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert!(matches!(berlin.from_local(&twice), LocalResult::Ambiguous(a, b) if a < b));
        assert_eq!(TimeZone::UTC.name(), "UTC");
        // Berlin's 2026 changes, across the 365-day spans' edges too.
        let spring = DateTime::parse_from_rfc3339("2026-03-29T01:00:00Z").unwrap();
        let autumn = DateTime::parse_from_rfc3339("2026-10-25T01:00:00Z").unwrap();
        let new_year = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap();
        let (s, a) = (spring.timestamp_millis(), autumn.timestamp_millis());
        let from = new_year.timestamp_millis() - 400 * 86_400_000;
        assert_eq!(berlin.next_change(s - 1, s + 1), Some(s));
        assert_eq!(berlin.next_change(s, a - 1), None);
        assert_eq!(berlin.next_change(s, a), Some(a));
        assert!(
            berlin
                .next_change(from, s)
                .is_some_and(|t| t < new_year.timestamp_millis())
        );
        assert_eq!(TimeZone::UTC.next_change(i64::MIN, i64::MAX), None);
        assert_eq!(berlin.next_change(a, a), None);
        assert_eq!(TimeZone::UTC.offset_at(i64::MAX).local_minus_utc(), 0);
        assert!(TimeZone::UTC.local(i64::MAX).is_none());
        // The last instant chrono has, east of UTC: its local time is out
        // of range, and that is `None`, not a panic.
        let last = DateTime::<chrono::Utc>::MAX_UTC.timestamp_millis();
        let tokyo: TimeZone = "Asia/Tokyo".parse().unwrap();
        assert!(tokyo.local(last).is_none());
        assert_eq!(
            tokyo
                .at(&DateTime::<chrono::Utc>::MAX_UTC)
                .timestamp_millis(),
            last
        );
        let first = DateTime::<chrono::Utc>::MIN_UTC.timestamp_millis();
        let new_york: TimeZone = "America/New_York".parse().unwrap();
        assert!(new_york.local(first).is_none());
        assert_eq!(serde_json::to_string(&berlin).unwrap(), "\"Europe/Berlin\"");
        assert_eq!(
            serde_json::from_str::<TimeZone>("\"Europe/Berlin\"").unwrap(),
            berlin
        );
    }
}
