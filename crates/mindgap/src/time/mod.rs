//! Time as the diary measures it: IANA time zones, exact durations, calendar
//! periods in the diary's zone, and business calendars (hours, holidays)
//! with the business time between two instants.

pub(crate) mod calendar;
pub(crate) mod period;
pub(crate) mod span;
pub(crate) mod tz;

pub use calendar::{
    BusinessCalendar, Calendar, DateRange, Holiday, HolidayList, HoursChange, MonthDay, TimeRange,
    WeekHours, WorkingDay,
};
pub use period::Bucket;
pub use span::{Span, SpanParseError};
pub use tz::{TimeZone, UnknownZone, ZoneSource, set_zone_source};
