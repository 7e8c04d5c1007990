//! Time as the diary measures it: IANA time zones, exact durations, calendar
//! periods in the diary's zone, and business calendars (hours, holidays)
//! with the business time between two instants.

pub(crate) mod calendar;
pub(crate) mod period;
pub(crate) mod span;
pub(crate) mod tz;
pub(crate) mod tzdata;
#[cfg(feature = "tzdb")]
pub(crate) mod tzif;

pub use calendar::{
    BusinessCalendar, Calendar, DateRange, Holiday, HolidayList, HoursChange, MonthDay, TimeRange,
    WeekHours, WorkingDay,
};
pub use period::Bucket;
pub use span::{Span, SpanParseError};
pub use tz::{TimeZone, UnknownZone, ZoneError, ZoneSource, set_zone_source};
pub use tzdata::{TZDATA_ENV, TzData, TzDataChoice, release_of, set_tzdata, system_tzdir, tzdata};
