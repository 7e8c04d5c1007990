//! Calendar periods in the diary's time zone: days, ISO weeks (Monday start)
//! and months, labelled by their first local date. DST-safe: a period is a
//! range of local dates, never a count of 24-hour blocks, so days of 23 or 25
//! hours land where a person would put them.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A period length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// A local calendar day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
}

impl Bucket {
    /// The first local date of the period holding the instant `ms` (epoch
    /// milliseconds) in `tz`.
    pub fn start(self, ms: i64, tz: crate::time::TimeZone) -> NaiveDate {
        let date = tz.local(ms).map_or_else(
            // Out of chrono's range: clamp to its ends rather than fail.
            || {
                if ms < 0 {
                    NaiveDate::MIN
                } else {
                    NaiveDate::MAX
                }
            },
            |t| t.date(),
        );
        self.start_of(date)
    }

    /// The first date of the period holding `date`.
    ///
    /// ```
    /// use mindgap::{Bucket, TimeZone, parse_timestamp};
    /// // Thursday 7 May 2026.
    /// let day = parse_timestamp("2026-05-07T15:00:00+03:00", None, TimeZone::UTC)?.date_naive();
    /// assert_eq!(Bucket::Day.start_of(day), day);
    /// assert_eq!(Bucket::Week.start_of(day).to_string(), "2026-05-04"); // its Monday
    /// assert_eq!(Bucket::Month.start_of(day).to_string(), "2026-05-01");
    /// # Ok::<(), String>(())
    /// ```
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => date,
            Bucket::Week => {
                let back = i64::from(date.weekday().num_days_from_monday());
                date.checked_sub_days(chrono::Days::new(back as u64))
                    .unwrap_or(date)
            }
            Bucket::Month => date.with_day(1).unwrap_or(date),
        }
    }

    /// The first date of the next period.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        let next = match self {
            Bucket::Day => start.succ_opt(),
            Bucket::Week => start.checked_add_days(chrono::Days::new(7)),
            Bucket::Month => start.checked_add_months(chrono::Months::new(1)),
        };
        next.unwrap_or(NaiveDate::MAX)
    }

    /// The label of the period starting at `start`: `2026-05-04` for a day or a
    /// week (its Monday), `2026-05` for a month.
    ///
    /// ```
    /// use mindgap::{Bucket, TimeZone, parse_timestamp};
    /// let t = parse_timestamp("2026-05-10T22:30:00Z", None, TimeZone::UTC)?.timestamp_millis();
    /// let moscow = TimeZone::from_name("Europe/Moscow").unwrap();
    /// // Sunday 22:30 UTC is already Monday 01:30 in Moscow: a new week there.
    /// assert_eq!(Bucket::Week.label(Bucket::Week.start(t, TimeZone::UTC)), "2026-05-04");
    /// assert_eq!(Bucket::Week.label(Bucket::Week.start(t, moscow)), "2026-05-11");
    /// assert_eq!(Bucket::Month.label(Bucket::Month.start(t, moscow)), "2026-05");
    /// # Ok::<(), String>(())
    /// ```
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Bucket::Day | Bucket::Week => crate::words::date::ymd(start),
            Bucket::Month => crate::words::date::ym(start),
        }
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn ms(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    #[test]
    fn labels_are_what_strftime_writes_for_every_year() {
        for (y, m, d) in [
            (2026, 5, 4),
            (1, 1, 1),
            (0, 12, 31),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(Bucket::Day.label(date), date.format("%Y-%m-%d").to_string());
            assert_eq!(
                Bucket::Week.label(date),
                date.format("%Y-%m-%d").to_string()
            );
            assert_eq!(Bucket::Month.label(date), date.format("%Y-%m").to_string());
        }
    }

    #[test]
    fn days_follow_the_local_calendar_across_dst() {
        let berlin = crate::time::TimeZone::from(chrono_tz::Europe::Berlin);
        // 2026-03-29 is 23 hours long in Berlin; 23:30 local is still that day.
        assert_eq!(
            Bucket::Day
                .start(ms("2026-03-29T23:30:00+02:00"), berlin)
                .to_string(),
            "2026-03-29"
        );
        assert_eq!(
            Bucket::Day
                .start(ms("2026-03-29T00:30:00+01:00"), berlin)
                .to_string(),
            "2026-03-29"
        );
        // 2026-10-25 is 25 hours long: both 02:30s are that day.
        assert_eq!(
            Bucket::Day
                .start(ms("2026-10-25T02:30:00+02:00"), berlin)
                .to_string(),
            "2026-10-25"
        );
        assert_eq!(
            Bucket::Day
                .start(ms("2026-10-25T02:30:00+01:00"), berlin)
                .to_string(),
            "2026-10-25"
        );
        assert_eq!(
            Bucket::Day
                .start(ms("2026-10-25T23:59:00+01:00"), berlin)
                .to_string(),
            "2026-10-25"
        );
        // The same instant is another day in another zone.
        assert_eq!(
            Bucket::Day
                .start(ms("2026-05-01T23:30:00Z"), chrono_tz::Europe::Moscow.into())
                .to_string(),
            "2026-05-02"
        );
        assert_eq!(
            Bucket::Day
                .start(
                    ms("2026-05-01T23:30:00Z"),
                    chrono_tz::America::New_York.into()
                )
                .to_string(),
            "2026-05-01"
        );
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        let utc = crate::time::TimeZone::UTC;
        let sunday = ms("2026-11-22T12:00:00Z");
        assert_eq!(Bucket::Week.start(sunday, utc).to_string(), "2026-11-16");
        assert_eq!(
            Bucket::Week.label(Bucket::Week.start(sunday, utc)),
            "2026-11-16"
        );
        assert_eq!(
            Bucket::Month.label(Bucket::Month.start(sunday, utc)),
            "2026-11"
        );
        let start = Bucket::Month.start(sunday, utc);
        assert_eq!(Bucket::Month.next(start).to_string(), "2026-12-01");
        assert_eq!(
            Bucket::Week
                .next(Bucket::Week.start(sunday, utc))
                .to_string(),
            "2026-11-23"
        );
    }
}
