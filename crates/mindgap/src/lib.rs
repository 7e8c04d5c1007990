//! # mindgap — the customer expectations diary
//!
//! mindgap keeps a diary of what customers expect at each stage of their
//! journey (a zone of tolerance: the *desired* and the *adequate* level) and of
//! what they actually got (interactions and feedback), and measures the gap.
//!
//! The crate is pure: no clock reads, no global state but caches (time-zone
//! offsets remembered per thread), the zone source a build without the
//! tz database is given ([`set_zone_source`]) and the tz data chosen with
//! [`set_tzdata`] (by default the copy compiled in; the system's database
//! on request). Callers pass the "as of" instant; the same input and tz
//! data always give the same result.
//!
//! Everything an embedder names is re-exported here, at the root:
//!
//! - the diary as plain data: [`Diary`], [`Stage`], [`Expectation`],
//!   [`Interaction`], [`Feedback`], [`Calendar`], [`Span`], [`TimeZone`];
//! - reading: [`Loader`] and [`Journal`] (strict or lenient, JSON, CSV, JSON
//!   Lines), [`ReadOptions`], [`CsvOptions`];
//! - the analyses, each an options type and a result type: [`Report`]
//!   ([`ReportOptions`], over a [`Prepared`] diary), [`TrendReport`],
//!   [`FollowUpList`], [`DueList`] (the breach queue), [`Drill`], [`People`],
//!   [`Problems`];
//! - the zone of tolerance on its own: [`Zone`], [`ZoneAccumulator`];
//! - interactions scored in parts that merge exactly (what an engine that
//!   splits the rows needs, e.g. the DataFusion face): [`GapScorer`],
//!   [`GapPartial`], [`GapSummary`];
//! - [`api`]: the JSON request/response layer every face (CLI, C,
//!   WebAssembly) prints through, so they give the same bytes;
//! - [`stats`]: the numerics (intervals, trend tests, control charts);
//! - [`sample`]: the built-in sample diary; [`text`]: plain text the faces
//!   print alike.
//!
//! # Layers
//!
//! The source is layered; a module uses only the layers below it (a test,
//! `tests/layers.rs`, fails otherwise):
//!
//! | layer | what it holds |
//! |---|---|
//! | `error`, `util`, `words` | the error type; a stable sort, line numbers, the id registry; the words of each language, dates as text |
//! | `stats` | pure numerics: no diary types |
//! | `time` | time zones, durations, periods, business calendars |
//! | `model` | the diary as serde data, records, follow-up rules |
//! | `sample` | the built-in sample diary |
//! | `validate` | the rules every record is checked against |
//! | `input` | JSON, CSV and JSON Lines readers |
//! | `engine` | prepare, observe, tally: every observation against its zone |
//! | `analysis` | report, trend, follow-ups, drill, people, problems, remarks |
//! | `run`, `render` | how records reach the engine: streamed, live, held; the charts of a report as SVG |
//! | `api` | the diary handle ([`Journal`]) and the JSON layer of the faces |

pub mod api;
pub mod clock {
    //! SLA clocks: how long an interaction waited for its first reply, for each
    //! later reply, and for its resolution, in elapsed or business time.
    //!
    //! # The rules (Zendesk/Freshdesk SLA semantics)
    //!
    //! Times are instants; with a [`BusinessCalendar`](crate::BusinessCalendar) every duration is business
    //! time ([`BusinessCalendar::duration_ms`](crate::BusinessCalendar::duration_ms)), without one it is elapsed time.
    //!
    //! - **First response**: from `opened_at` to `first_response_at` (without
    //!   it, the first reply among the `messages`; [`first_reply_ms`]).
    //! - **Next response**: after the first reply, every time the status goes
    //!   *back* to `new` or `open` from any other status (the customer wrote again),
    //!   a next-response clock starts; it stops at the next change to any status
    //!   other than `new`/`open` (the agent replied: `waiting_customer`, `on_hold`,
    //!   `resolved`, `closed` or another). A reply **resets** the clock: each
    //!   start–stop pair is a separate observation. `new` ↔ `open` changes neither
    //!   start nor stop a clock. A clock still running when the history ends stops
    //!   at `resolved_at` if that comes later, else it is unfinished. Changes before
    //!   `first_response_at` (when known) start no clock. The interaction starts
    //!   in `new` at `opened_at`. With `messages`, the clocks are read from them
    //!   instead: a customer message after a reply (none running) starts one,
    //!   the next reply stops it.
    //! - **Periodic update** ([`updates`]): from the first reply to the next
    //!   reply, and so on, the last to `resolved_at` (running while
    //!   unresolved); read from the `messages`, none without them.
    //! - **Resolution**: from `opened_at` to `resolved_at`, minus the time spent in
    //!   a pause status ([`DEFAULT_PAUSE_STATUSES`] = `waiting_customer`, or the
    //!   expectation's `pause_statuses`, see [`pause_statuses`]). Pauses come from
    //!   the status history: a pause runs from a change into a pause status to the
    //!   next change into a status that is not one (or to the end of the clock).
    //!   Without a status history nothing is paused (the current `status` does not
    //!   say since when it holds), even when `new` is a pause status.
    //!   Time in `resolved` between a resolution and a reopening counts unless
    //!   `resolved` is a pause status. First-response, next-response and update
    //!   clocks pause the same way in the statuses the expectation lists
    //!   itself (none when it lists none).
    //! - **Unfinished clocks**: the `*_as_of` functions read a clock at an instant
    //!   (the report's "as of"): [`Reading::Stopped`] when it stopped by then,
    //!   else [`Reading::Running`] with the time elapsed so far, so the scorer can
    //!   tell *pending* from *missed*. Events after the instant are not yet known.
    //! - **Order**: `first_response_at` and `resolved_at` must not precede
    //!   `opened_at`, and the status history must be in time order, starting at or
    //!   after `opened_at` (equal instants are fine); otherwise
    //!   [`Error::OutOfOrder`](crate::Error::OutOfOrder) names the interaction and the field.
    //!
    //! None of these functions allocates, except to build an error.

    pub use crate::engine::clock::{
        DEFAULT_PAUSE_STATUSES, NextResponses, Reading, ResponseClock, Updates, check_history,
        check_order, elapsed, first_reply_ms, first_response, first_response_as_of, next_responses,
        pause_statuses, resolution, resolution_as_of, updates,
    };
}
pub mod sample;
pub mod stats;
pub mod text {
    //! Plain text the faces print alike: the catalogue of words of each
    //! language ([`Words`], from [`Lang::words`](crate::Lang::words)), a
    //! value in words ("2 d 4 h", "87 %"), a trend's sparkline, the list of
    //! stale series.

    pub use crate::analysis::report::remark_plain;
    pub use crate::analysis::trend::{sparkline, stale_list};
    pub use crate::render::{esc, focus, name, share_bar, summary, zone_text};
    pub use crate::words::{Arg, Category, Entry, Msg, Plural, Sentence, Words, fill};

    /// An instant in RFC 3339 as every face writes it: exactly, even in a
    /// zone whose offset has seconds (local mean time), which RFC 3339
    /// cannot write: the offset is written to the minute and the local time
    /// moved to match.
    ///
    /// ```
    /// let t = chrono::DateTime::parse_from_rfc3339("2026-01-05T10:00:00+03:00").unwrap();
    /// assert_eq!(mindgap::text::timestamp(&t), "2026-01-05T10:00:00+03:00");
    /// ```
    pub fn timestamp(t: &crate::Timestamp) -> String {
        crate::model::rfc3339::text(t)
    }
}

mod analysis;
mod engine;
mod error;
mod input;
mod model;
mod render;
mod run;
mod time;
mod util;
mod validate;
mod words;

pub use analysis::Header;
#[cfg(feature = "analyses")]
pub use analysis::drill::{
    Counts as DrillCounts, DRILL_SCHEMA, Drill, DrillOptions, DrillRecord, Filters, PEOPLE_SCHEMA,
    PROBLEMS_SCHEMA, People, PeopleBy, PeopleOptions, Person, PersonExpectation, Pick, ProblemKind,
    ProblemOptions, ProblemRecord, ProblemScope, Problems, ReasonGap, Recurring,
};
#[cfg(feature = "analyses")]
pub use analysis::due::{
    ClockKind, DUE_SCHEMA, DueChange, DueClock, DueList, DueOptions, DueState, DueSummary,
    NewFollowUp,
};
#[cfg(feature = "analyses")]
pub use analysis::followup::{
    ClosedBy, FOLLOW_UPS_SCHEMA, FollowUp, FollowUpList, FollowUpOptions, HistoryItem, Show, State,
    Summary,
};
pub use analysis::report::{
    Breakdown, Driver, ExpectationReport, Group, GroupExpectation, Ipa, Levels, Pooled, Quadrant,
    ReasonRow, Report, StageIndex, StageReport, report,
};
pub use analysis::trend::{
    Compare, Drift, DriftDirection, Freshness, Point, Projection, Series, SeriesStats, Shift,
    TREND_SCHEMA, TrendBy, TrendMetric, TrendOptions, TrendReport, Verdict, Wave, trend,
    trend_prepared,
};
pub use api::journal::Journal;
pub use api::partial::{GapPartial, GapScorer, GapSummary};
pub use engine::feedback::{
    Ces, FeedbackAccumulator, FeedbackFigures, FeedbackItem, RatingMean, ReasonCount,
};
pub use engine::zone::{
    Batch, Class, Direction, Figure, GapFigures, MeanMedian, Outcome, Percentiles, Unit, ValueUnit,
    ValuesIter, Zone, ZoneAccumulator, batch, figures,
};
pub use engine::{Crosshair, Dimension, Lang, Prepared, REPORT_SCHEMA, ReportOptions};
pub use error::{ERROR_CODES, Error, ErrorCode, ErrorReport, Location, Result, excerpt};
pub use input::csv::{
    Column, CsvOptions, CsvReader, CsvWriter, DurationUnit, Encoding, FEEDBACK_COLUMNS,
    INTERACTION_COLUMNS, RowFeedback, custom_field_names, parse_timestamp, profile, profile_names,
    write_feedback, write_interactions,
};
pub use input::read::{Loaded, Loader, ReadOptions, diary_from_json, write_jsonl};
pub use model::rules::{Trigger, opens};
pub use model::{
    Channel, Condition, CsvKind, Customer, CustomerId, Diary, DurationZone, EmployeeId,
    Expectation, ExpectationId, ExpectationSource, FEEDBACK_KIND_EXPECTED, Feedback, FeedbackId,
    FeedbackKind, FlagZone, FollowUpRecord, FollowUpRules, Interaction, InteractionId, Level,
    Message, MessageKind, Metric, Observation, ObservedValue, RatingZone, Record, RecordKind,
    SCHEMA, SELECTABLE, SENTIMENT_EXPECTED, Selectable, Sentiment, Stage, StageId, Status,
    StatusChange, TIMESTAMP_EXPECTED, Timestamp, Touchpoint, TouchpointId, When, default_stages,
};
pub use render::{Charts, charts};
pub use run::files::{Files, Opened};
pub use run::stream::Streamed;
pub use time::calendar::{CalendarId, MAX_INSTANT_MS, MIN_INSTANT_MS};
pub use time::{
    Bucket, BusinessCalendar, Calendar, DateRange, Holiday, HolidayList, HoursChange, MonthDay,
    Span, TimeRange, TimeZone, WeekHours, WorkingDay, ZoneSource, set_zone_source,
};
pub use time::{SpanParseError, UnknownZone, ZoneError};
pub use time::{TZDATA_ENV, TzData, TzDataChoice, release_of, set_tzdata, system_tzdir, tzdata};
pub use validate::Mode;
