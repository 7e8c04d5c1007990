//! Gap scoring: every observation against its expectation's zone of
//! tolerance, aggregated per expectation, per stage and per any dimension,
//! with the feedback figures and a remark in plain words.
//!
//! # What is observed
//!
//! An expectation's observations are the records that match its stage and,
//! when set, its touchpoint, channel and segment:
//! - `first_response`, `next_response`, `resolution`: interactions, measured by
//!   the clock rules of [`crate::engine::clock`] (business time when the expectation
//!   names a calendar; the resolution clock pauses in its pause statuses). A
//!   resolution with no recorded reply counts as the first reply.
//! - `rating`: answered feedback of the kinds in `from` (default `csat` on a
//!   5-point scale, `rating` answers on the expectation's scale) at the stage
//!   (the feedback's own, or its interaction's).
//! - `flag`: manual observations; any expectation also takes the manual
//!   observations recorded for it.
//!
//! An interaction that matches several expectations counts once for each.
//! Each observation is scored against the record of its expectation in force
//! at its time (the latest `recorded_at` at or before it; the earliest record
//! for observations before every record).
//!
//! # As of
//!
//! The report is a snapshot at `as_of` (default: the latest timestamp in the
//! data, so the same input gives the same report). Records after it are left
//! out and events after it have not happened yet. A clock still running at
//! `as_of` is **missed** once it has passed the adequate level and **pending**
//! (counted apart, in no share) before that.

pub(crate) mod clock;
pub(crate) mod feedback;
pub(crate) mod kept;
mod lanes;
pub(crate) mod negative;
pub(crate) mod observe;
pub(crate) mod select;
pub(crate) mod sheet;
pub(crate) mod zone;
pub(crate) use crate::model::held::{Fb, Held};
pub(crate) use observe::{LatestSeen, Scope};

use rustc_hash::FxHashMap as HashMap;

use rustc_hash::FxHashMap;

use chrono::DateTime;
use serde::{Deserialize, Serialize};

use crate::engine::clock::Reading;
use crate::error::{Error, Location, Result};
use crate::model::*;
use crate::time::calendar::{BusinessCalendar, Measure};
use crate::time::period::Bucket;
use crate::words::{Msg, Sentence};
use feedback::{FeedbackAccumulator, FeedbackItem};
use zone::{Class, Direction, Unit, Zone, ZoneAccumulator, micro_points};

/// Schema of the report JSON.
pub const REPORT_SCHEMA: &str = "mindgap/report/1";

/// A dimension to roll the figures up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Dimension {
    /// Journey stage.
    Stage,
    /// Touchpoint (`stage/touchpoint`).
    Touchpoint,
    /// Channel.
    Channel,
    /// Responsible employee.
    Employee,
    /// Team.
    Team,
    /// Customer.
    Customer,
    /// Customer segment.
    Segment,
    /// Local day of the observation.
    Day,
    /// ISO week (Monday) of the observation.
    Week,
    /// Month of the observation.
    Month,
}

impl Dimension {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Stage => "stage",
            Dimension::Touchpoint => "touchpoint",
            Dimension::Channel => "channel",
            Dimension::Employee => "employee",
            Dimension::Team => "team",
            Dimension::Customer => "customer",
            Dimension::Segment => "segment",
            Dimension::Day => "day",
            Dimension::Week => "week",
            Dimension::Month => "month",
        }
    }
    pub(crate) fn bucket(self) -> Option<Bucket> {
        match self {
            Dimension::Day => Some(Bucket::Day),
            Dimension::Week => Some(Bucket::Week),
            Dimension::Month => Some(Bucket::Month),
            _ => None,
        }
    }
}

/// Where the Importance–Performance cross-hair sits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Crosshair {
    /// At the mean importance and mean performance (the default).
    #[default]
    Mean,
    /// At the medians.
    Median,
}

pub use crate::words::Lang;

/// Report options; every field has a documented default.
///
/// ```
/// use mindgap::{Bucket, Channel, Dimension, Lang, ReportOptions};
/// let options = ReportOptions::default()
///     .with_as_of(mindgap::sample::as_of())
///     .with_confidence(0.9)
///     .with_channel(Channel::Chat)
///     .with_by(Dimension::Employee)
///     .with_per(Bucket::Month)
///     .with_lang(Lang::Ru);
/// let report = mindgap::report(&mindgap::sample::diary(200), &options)?;
/// assert_eq!(report.options, options);
/// assert!(report.breakdowns[0].groups.iter().all(|g| g.period.is_some()));
/// # Ok::<(), mindgap::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ReportOptions {
    /// The report instant (default: the latest timestamp in the data).
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub as_of: Option<Timestamp>,
    /// Confidence level of every interval (default 0.95).
    pub confidence: f64,
    /// Only observations at or after this instant.
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub since: Option<Timestamp>,
    /// Only observations before this instant.
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub until: Option<Timestamp>,
    /// Only these stages (default: all).
    pub stages: Vec<StageId>,
    /// Only these channels (default: all). Feedback takes its interaction's channel.
    pub channels: Vec<Channel>,
    /// Roll-ups to add to the report.
    pub by: Vec<Dimension>,
    /// Split every roll-up group by this period too (`by: ["stage"], per:
    /// "week"` gives a group per stage and week: the series of the trends).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<Bucket>,
    /// Importance–Performance cross-hair (default: mean).
    pub crosshair: Crosshair,
    /// Language of the remarks (default: English).
    pub lang: Lang,
    /// Add the weekly trend of each expectation's missed share (the `trend`
    /// key: [`crate::analysis::trend::TrendReport`] by expectation, as `trend` gives it
    /// with its defaults), computed from the same prepared data (default: no).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub trend: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            as_of: None,
            confidence: 0.95,
            since: None,
            until: None,
            stages: Vec::new(),
            channels: Vec::new(),
            by: Vec::new(),
            per: None,
            crosshair: Crosshair::Mean,
            lang: Lang::En,
            trend: false,
        }
    }
}

crate::util::setters!(ReportOptions {
    /// Sets the report instant ([`ReportOptions::as_of`]).
    with_as_of(as_of: Timestamp) as_of: some;
    /// Sets the confidence level of the intervals.
    with_confidence(confidence: f64) confidence: set;
    /// Keeps only observations at or after this instant.
    with_since(since: Timestamp) since: some;
    /// Keeps only observations before this instant.
    with_until(until: Timestamp) until: some;
    /// Adds a stage to keep (all stages when none is added).
    with_stage(stage: impl Into<StageId>) stages: push;
    /// Adds a channel to keep (all channels when none is added).
    with_channel(channel: Channel) channels: push;
    /// Adds a roll-up dimension.
    with_by(dim: Dimension) by: push;
    /// Splits every roll-up group by this period too.
    with_per(per: Bucket) per: some;
    /// Sets the Importance–Performance cross-hair.
    with_crosshair(crosshair: Crosshair) crosshair: set;
    /// Sets the language of the remarks.
    with_lang(lang: Lang) lang: set;
    /// Adds each expectation's weekly trend ([`ReportOptions::trend`]).
    with_trend(trend: bool) trend: set;
});

impl ReportOptions {
    pub(crate) fn check(&self) -> Result<()> {
        // The period is checked with the other filters ([`Prepared::scope`]).
        check_confidence(self.confidence)
    }
}

/// A confidence level strictly between 0 and 1, or a clear error.
pub(crate) fn check_confidence(c: f64) -> Result<()> {
    if c > 0.0 && c < 1.0 {
        Ok(())
    } else {
        Err(Error::InvalidOption {
            option: "confidence".into(),
            message: Sentence::new(Msg::OptConfidence).value("value", c),
        })
    }
}

/// Ids interned to dense numbers, for allocation-free scoring. The names are
/// owned, so one set of keys can serve several preparations in turn (the
/// chunks of a streamed report).
#[derive(Debug, Default, Clone)]
pub(crate) struct Keys {
    /// The names; a key is its name's slot (one buffer for the text, 4-byte
    /// table entries: a streamed 10M-row report interns millions of
    /// customers).
    pub(crate) ids: crate::util::ids::Ids,
    /// No more names taken: a name not there is [`OTHER`].
    pub(crate) closed: bool,
}

pub(crate) const NONE: u32 = u32::MAX;

/// The key of a name not interned: unknown to a lookup, or not taken by
/// closed keys.
pub(crate) const OTHER: u32 = NONE - 1;

impl Keys {
    pub(crate) fn intern(&mut self, s: Option<&str>) -> u32 {
        let Some(s) = s else { return NONE };
        if self.closed {
            return self.ids.get(s).unwrap_or(OTHER);
        }
        match self.ids.insert(s) {
            Ok(k) | Err(k) => k,
        }
    }
    pub(crate) fn get(&self, s: Option<&str>) -> u32 {
        s.and_then(|s| self.ids.get(s)).unwrap_or(OTHER)
    }
    pub(crate) fn name(&self, k: u32) -> &str {
        self.ids.name(k)
    }
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// Every interned key of a preparation: stages, then touchpoints, channels,
/// employees, teams, customers and segments ([`KEYED`] order).
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    pub(crate) stages: Keys,
    pub(crate) keys: [Keys; 6],
}

impl Interner {
    /// The key of customer `id` (interned if new).
    pub(crate) fn customer(&mut self, id: &str) -> u32 {
        self.keys[4].intern(Some(id))
    }

    /// The number of customers interned.
    pub(crate) fn customers(&self) -> u32 {
        u32::try_from(self.keys[4].len()).unwrap_or(u32::MAX)
    }

    /// Interns no more customers: every customer not interned yet shares
    /// the key [`OTHER`]. For a stream that groups nothing by customer (the
    /// customers it tells apart are those whose contacts close follow-ups,
    /// interned first): a 10M-row stream meets millions of customers.
    pub(crate) fn close_customers(&mut self) {
        self.keys[4].closed = true;
    }
}

/// The attributes an observation is grouped by.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Attrs {
    pub(crate) stage: u32,
    pub(crate) touchpoint: u32,
    pub(crate) channel: u32,
    pub(crate) employee: u32,
    pub(crate) team: u32,
    pub(crate) customer: u32,
    pub(crate) segment: u32,
    /// The `when` selectors it satisfies, one bit each ([`select`]).
    pub(crate) when: u32,
}

/// Dimension slots in `Attrs` order (stage and the six interned ones).
pub(crate) const KEYED: [Dimension; 7] = [
    Dimension::Stage,
    Dimension::Touchpoint,
    Dimension::Channel,
    Dimension::Employee,
    Dimension::Team,
    Dimension::Customer,
    Dimension::Segment,
];

impl Attrs {
    pub(crate) fn get(&self, d: Dimension) -> u32 {
        match d {
            Dimension::Stage => self.stage,
            Dimension::Touchpoint => self.touchpoint,
            Dimension::Channel => self.channel,
            Dimension::Employee => self.employee,
            Dimension::Team => self.team,
            Dimension::Customer => self.customer,
            Dimension::Segment => self.segment,
            _ => NONE,
        }
    }
}

/// "No such instant" in the precomputed times.
pub(crate) const NO_TIME: i64 = i64::MIN;

/// An interaction as the engine reads it: its interned attributes and its
/// instants; the rest (texts, histories) is its entry `rec` in
/// [`Prepared::sheet`].
pub(crate) struct Row {
    /// Its entry in [`Prepared::sheet`].
    pub(crate) rec: u32,
    pub(crate) opened: i64,
    /// First reply, or [`NO_TIME`].
    pub(crate) first: i64,
    /// Resolution, or [`NO_TIME`].
    pub(crate) resolved: i64,
    /// Where the pause runs of its status history start in
    /// [`Prepared::runs`] ([`NONE`] without a history: the clocks' fast
    /// path).
    pub(crate) runs: u32,
    pub(crate) attrs: Attrs,
}

/// [`Row::runs`] of a row whose history has no runs kept: read from the
/// record.
pub(crate) const RUNS_ELSEWHERE: u32 = NONE - 1;

/// The interactions of a preparation ([`Prepared::from_lean`]).
pub(crate) enum Feed<'l, 'a> {
    /// A chunk made lean already (a stream's, whose records are not held):
    /// its rows, entries and pause runs are taken.
    Lean(&'l mut sheet::Lean),
    /// Records the caller holds, made lean a chunk of [`CHUNK`] at a time
    /// (one chunk is lean at a time); the entries are the records.
    Records(&'l mut dyn Iterator<Item = &'a Interaction>),
}

/// Refuses a preparation of `n` interactions past what a [`Row::rec`]
/// can number (never in practice).
fn countable(n: usize) -> Result<()> {
    match u32::try_from(n) {
        Ok(_) => Ok(()),
        Err(_) => Err(Error::internal(
            "more than 4 294 967 295 interactions in one preparation",
        )),
    }
}

/// Records a preparation makes lean at a time (see [`Feed::Records`]).
/// Tests use small chunks, to have many.
const CHUNK: usize = if cfg!(test) { 97 } else { 4096 };

impl<'a> Prepared<'a> {
    /// The pause runs of `row`'s status history (see [`Prepared::runs`]).
    pub(crate) fn runs_of(&self, row: &Row) -> Option<&[[i64; 2]]> {
        self.runs_at(row.runs)
    }

    /// The pause runs starting at `at` in [`Prepared::runs`].
    pub(crate) fn runs_at(&self, at: u32) -> Option<&[[i64; 2]]> {
        if at >= RUNS_ELSEWHERE {
            return None;
        }
        let at = at as usize;
        let count = usize::try_from(self.runs.get(at)?[0]).ok()?;
        self.runs.get(at + 1..at + 1 + count)
    }
}

impl Prepared<'_> {
    /// The row of entry `k` of [`Prepared::sheet`] (where each entry's row
    /// is, found at the first call).
    #[cfg_attr(not(feature = "analyses"), allow(dead_code))]
    pub(crate) fn row_at(&self, k: u32) -> Option<&Row> {
        let places = self.places.get_or_init(|| {
            let mut places = vec![[NONE; 2]; self.sheet.len()];
            for (stage, rows) in self.rows.iter().enumerate() {
                for (place, row) in rows.iter().enumerate() {
                    if let Some(p) = places.get_mut(row.rec as usize) {
                        *p = [stage as u32, place as u32];
                    }
                }
            }
            places
        });
        let &[stage, place] = places.get(k as usize)?;
        self.rows.get(stage as usize)?.get(place as usize)
    }
}

impl Row {
    /// Has a status history (the slow path of the clocks).
    pub(crate) fn history(&self) -> bool {
        self.runs != NONE
    }
}

/// What a streamed report keeps of an interaction it has scored and let go:
/// what feedback linked to it reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub(crate) attrs: Attrs,
    /// First reply and resolution ([`NO_TIME`] when absent): its contacts.
    pub(crate) first: i64,
    pub(crate) resolved: i64,
}

/// The interactions feedback links to (by id), each with what that feedback
/// reads once the interaction was scored and let go: 24 bytes a link, in
/// lists by the id's slot (a 10M-row stream links millions): the customer,
/// the other attributes as one key of the combinations seen (a few thousand
/// where rows number millions), the first reply and resolution.
#[derive(Debug, Default)]
pub(crate) struct Links {
    pub(crate) ids: crate::util::ids::Ordered,
    /// Where the links set in order stand, by stage (a stream's chunk
    /// hands its rows over stage by stage, each stage's in the order read:
    /// mostly that of their ids).
    pub(crate) cursors: Vec<crate::util::ids::Cursor>,
    /// The linked interaction's customer.
    pub(crate) customer: Vec<u32>,
    /// Its other attributes' combination ([`NONE`] until it is scored).
    pub(crate) combo: Vec<u32>,
    /// Its first reply and resolution.
    pub(crate) times: Vec<[i64; 2]>,
    /// The combinations, by key (customer left at [`NONE`]).
    pub(crate) combos: Vec<Attrs>,
    /// The key of each combination.
    pub(crate) keys: FxHashMap<[u32; 7], u32>,
}

/// An interaction's attributes but its customer.
pub(crate) fn combination(a: &Attrs) -> [u32; 7] {
    [
        a.stage,
        a.touchpoint,
        a.channel,
        a.employee,
        a.team,
        a.segment,
        a.when,
    ]
}

impl Links {
    /// Links to each of `ids` (repeats are one), none known yet; with the
    /// slot of each, in order (`u32::MAX` for none).
    pub(crate) fn new<'i>(ids: impl Iterator<Item = Option<&'i str>>) -> (Links, Vec<u32>) {
        let mut set = crate::util::ids::Ids::default();
        // A repeat is the same link.
        let mut slot = |id: &str| set.insert(id).unwrap_or_else(|s| s);
        let mut slots: Vec<u32> = ids.map(|id| id.map_or(u32::MAX, &mut slot)).collect();
        // In order: interactions read in order find their links in a few
        // steps of a search, without hashing.
        let (set, position) = set.into_ordered();
        for s in &mut slots {
            if let Some(&p) = position.get(*s as usize) {
                *s = p;
            }
        }
        let links = Links {
            customer: vec![NONE; set.len() as usize],
            combo: vec![NONE; set.len() as usize],
            times: vec![[NO_TIME; 2]; set.len() as usize],
            ids: set,
            ..Links::default()
        };
        (links, slots)
    }

    /// What the link at `slot` (see [`Links::new`]) reads, once known.
    pub(crate) fn at(&self, slot: u32) -> Option<Link> {
        let slot = slot as usize;
        let combo = *self.combo.get(slot)?;
        let mut attrs = *self.combos.get(combo as usize)?;
        attrs.customer = *self.customer.get(slot)?;
        let [first, resolved] = *self.times.get(slot)?;
        Some(Link {
            attrs,
            first,
            resolved,
        })
    }

    /// Whether feedback links to `id`.
    pub(crate) fn wants(&self, id: &str) -> bool {
        self.ids.find(id).is_some()
    }

    /// What the link to `id` reads, once known.
    pub(crate) fn get(&self, id: &str) -> Option<Link> {
        self.at(self.ids.find(id)?)
    }

    /// Sets what the link to `id` reads, if feedback links to it.
    pub(crate) fn set(&mut self, id: &str, link: Link) {
        let stage = link.attrs.stage as usize;
        if self.cursors.len() <= stage {
            self.cursors.resize_with(stage + 1, Default::default);
        }
        let Some(cursor) = self.cursors.get_mut(stage) else {
            return;
        };
        let Some(slot) = self.ids.seek(id, cursor) else {
            return;
        };
        self.set_at(slot, link);
    }

    /// Sets what the link at `slot` reads; links by position (a
    /// [`Links::default`] without ids) grow to take it.
    pub(crate) fn set_at(&mut self, slot: u32, link: Link) {
        let slot = slot as usize;
        if slot >= self.combo.len() && self.ids.len() == 0 {
            self.customer.resize(slot + 1, NONE);
            self.combo.resize(slot + 1, NONE);
            self.times.resize(slot + 1, [NO_TIME; 2]);
        }
        let next = u32::try_from(self.combos.len()).unwrap_or(NONE);
        let combos = &mut self.combos;
        let key = *self
            .keys
            .entry(combination(&link.attrs))
            .or_insert_with(|| {
                combos.push(Attrs {
                    customer: NONE,
                    ..link.attrs
                });
                next
            });
        if let (Some(c), Some(k), Some(t)) = (
            self.customer.get_mut(slot),
            self.combo.get_mut(slot),
            self.times.get_mut(slot),
        ) {
            *c = link.attrs.customer;
            *k = key;
            *t = [link.first, link.resolved];
        }
    }
}

/// What a preparation reads of the interactions a stream no longer holds:
/// the link of a feedback (while it prepares), the contacts (as long as it
/// lives).
#[derive(Clone, Copy)]
pub(crate) struct Unheld<'l, 'a> {
    pub(crate) link: &'l dyn Fn(Fb<'_>) -> Option<Link>,
    pub(crate) contacts: &'a [(u32, i64)],
}

/// What a streamed report knows of the interactions it no longer holds.
#[derive(Debug, Default)]
pub(crate) struct External {
    /// What feedback reads of the interactions it links to.
    pub(crate) links: Links,
    /// Customer keys and the instants of the company's contacts with them
    /// (for customers with negative feedback: contacts close follow-ups).
    pub(crate) contacts: Vec<(u32, i64)>,
}

pub(crate) struct FRow<'a> {
    pub(crate) f: Fb<'a>,
    pub(crate) at: i64,
    pub(crate) attrs: Attrs,
    /// The linked interaction's entry in [`Prepared::sheet`], when held.
    pub(crate) linked: Option<u32>,
    /// The linked interaction's contacts (first reply, resolution;
    /// [`NO_TIME`] when absent or not linked).
    pub(crate) contacts: [i64; 2],
    /// The record's kind and whether it was dismissed, here so that the
    /// loops over all feedback read the record itself only for the records
    /// they take (these two fit in the row's padding).
    pub(crate) kind: FeedbackKind,
    pub(crate) dismissed: bool,
    /// Its score ([`f64::NAN`] for none: a checked score is finite), here so
    /// that a rating expectation does not go to the record for each row it
    /// takes (that miss was a third of the scoring loop's time).
    pub(crate) score: f64,
}

/// An expectation with all its records, compiled.
pub(crate) struct Exp<'a> {
    pub(crate) records: Vec<&'a Expectation>,
    pub(crate) zones: Vec<Zone>,
    /// `recorded_at` of each record in ms (`i64::MIN` when absent), ascending.
    pub(crate) recorded: Vec<i64>,
    pub(crate) stage: u32,
    pub(crate) touchpoint: u32,
    pub(crate) channel: u32,
    pub(crate) segment: u32,
    /// The `when` bits a row must have ([`select`]; 0: any row).
    pub(crate) when: u32,
    /// Index into [`Prepared::calendars`].
    pub(crate) calendar: Option<usize>,
}

impl Exp<'_> {
    pub(crate) fn version_at(&self, t: i64) -> usize {
        // Latest record at or before t; the earliest when none is.
        self.recorded.partition_point(|&r| r <= t).saturating_sub(1)
    }
    pub(crate) fn latest(&self) -> Option<&Expectation> {
        self.records.last().copied()
    }
    pub(crate) fn matches(&self, a: &Attrs) -> bool {
        a.stage == self.stage
            && (self.touchpoint == NONE || a.touchpoint == self.touchpoint)
            && (self.channel == NONE || a.channel == self.channel)
            && (self.segment == NONE || a.segment == self.segment)
            && a.when & self.when == self.when
    }
}

pub(crate) fn zone_of(metric: &Metric) -> Zone {
    match metric {
        Metric::FirstResponse(z)
        | Metric::NextResponse(z)
        | Metric::Update(z)
        | Metric::Resolution(z)
        | Metric::FollowUp(z) => Zone {
            direction: Direction::LowerIsBetter,
            unit: if z.desired.is_business_days() {
                Unit::MicroDays
            } else {
                Unit::Milliseconds
            },
            desired: z.desired.value(),
            adequate: z.adequate.value(),
        },
        Metric::Rating(z) => Zone {
            direction: Direction::HigherIsBetter,
            unit: Unit::MicroPoints,
            desired: micro_points(z.desired),
            adequate: micro_points(z.adequate),
        },
        // A flag observation is 1 when the feature is as desired.
        Metric::Flag(_) => Zone {
            direction: Direction::HigherIsBetter,
            unit: Unit::Flag,
            desired: 1,
            adequate: 1,
        },
    }
}

pub(crate) fn ms(t: &Timestamp) -> i64 {
    t.timestamp_millis()
}

/// What a report counts before it is assembled: one accumulator per
/// expectation, the feedback per stage, overall and per group, and the
/// interactions per group. Chunks of a stream add to the same tally.
#[derive(Clone)]
pub(crate) struct Tally {
    /// Whether each expectation's overall accumulators keep values.
    pub(crate) values: bool,
    pub(crate) accs: Vec<Option<ExpAcc>>,
    pub(crate) fb_stage: Vec<FeedbackAccumulator>,
    pub(crate) fb_all: FeedbackAccumulator,
    pub(crate) fb_by: Vec<HashMap<GroupKey, FeedbackAccumulator>>,
    pub(crate) volumes: Vec<FxHashMap<GroupKey, u64>>,
}

impl Tally {
    pub(crate) fn new(stages: usize, options: &ReportOptions) -> Tally {
        Tally {
            values: true,
            accs: Vec::new(),
            fb_stage: vec![FeedbackAccumulator::default(); stages],
            fb_all: FeedbackAccumulator::default(),
            fb_by: options.by.iter().map(|_| HashMap::default()).collect(),
            volumes: options.by.iter().map(|_| FxHashMap::default()).collect(),
        }
    }

    /// A tally for the series of a trend: only its roll-up is read, so the
    /// expectations' overall accumulators count without keeping values (the
    /// report's own keep them; a trend would hold every value twice).
    pub(crate) fn series(stages: usize, options: &ReportOptions) -> Tally {
        Tally {
            values: false,
            ..Tally::new(stages, options)
        }
    }
}

/// Per-expectation accumulators.
#[derive(Clone)]
pub(crate) struct ExpAcc {
    pub(crate) overall: Vec<ZoneAccumulator>,
    /// One map per requested dimension: key → per-version accumulators.
    pub(crate) by: Vec<HashMap<GroupKey, Vec<ZoneAccumulator>>>,
    /// (missed, classified) per channel and per employee, for the remarks.
    pub(crate) channel: Vec<(u64, u64)>,
    pub(crate) employee: Vec<(u64, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct GroupKey {
    /// The dimension's key ([`NO_ID`] for period dimensions).
    pub(crate) id: u32,
    /// The period (for period dimensions, or with [`ReportOptions::per`]).
    pub(crate) period: Option<chrono::NaiveDate>,
}

/// The id part of a period dimension's key.
pub(crate) const NO_ID: u32 = u32::MAX - 2;

pub(crate) fn group_key(
    d: Dimension,
    attrs: &Attrs,
    t: i64,
    per: Option<Bucket>,
    tz: crate::time::TimeZone,
) -> GroupKey {
    match d.bucket() {
        Some(b) => GroupKey {
            id: NO_ID,
            period: Some(b.start(t, tz)),
        },
        None => GroupKey {
            id: attrs.get(d),
            period: per.map(|b| b.start(t, tz)),
        },
    }
}

/// The diary prepared for scoring: ids interned, calendars compiled,
/// expectations grouped with their records over time. Build it once, report
/// many times: the second report (without a roll-up dimension) lays out
/// each clock and rating expectation's observations, and from then on a
/// report reads only those.
///
#[cfg_attr(feature = "analyses", doc = "```")]
#[cfg_attr(not(feature = "analyses"), doc = "```ignore")]
/// use mindgap::{Dimension, DrillOptions, Outcome, Pick, Prepared, ReportOptions};
/// let diary = mindgap::sample::diary(300);
/// let prepared = Prepared::new(&diary).unwrap();
/// let by_channel = prepared.report(&ReportOptions::default().with_by(Dimension::Channel)).unwrap();
/// assert_eq!(by_channel.breakdowns[0].dimension, Dimension::Channel);
/// // The records behind a figure: the missed first replies by email.
/// let drill = prepared
///     .drill(&DrillOptions::default().with_expectation("email-reply").with_class(Pick::Missed))
///     .unwrap();
/// assert!(drill.records.iter().all(|r| r.class == Outcome::Missed));
/// ```
pub struct Prepared<'a> {
    pub(crate) diary: &'a Diary,
    pub(crate) stages: Keys,
    pub(crate) keys: [Keys; 6],
    /// Interactions grouped by stage (contiguous, so a stage's rows are read
    /// in one sequential pass).
    pub(crate) rows: Vec<Vec<Row>>,
    /// The rows' texts and histories (by [`Row::rec`]).
    pub(crate) sheet: sheet::Entries<'a>,
    /// Where the row of each entry of the sheet is (stage, place), found
    /// when first asked ([`Prepared::row_at`]).
    pub(crate) places: std::sync::OnceLock<Vec<[u32; 2]>>,
    pub(crate) feedback: Vec<FRow<'a>>,
    pub(crate) exps: Vec<Exp<'a>>,
    pub(crate) calendars: Vec<BusinessCalendar>,
    pub(crate) latest: Option<i64>,
    /// Contacts of interactions a stream no longer holds, per customer.
    pub(crate) contacts: Option<&'a [(u32, i64)]>,
    /// The earliest explicit follow-up record of each feedback row (its
    /// index in the diary's `follow_ups`, [`NONE`] for none); empty when the
    /// diary has none. Found once here: looked up by the feedback's id for
    /// every negative at every reading, it took an eighth of the scoring loop
    /// (17 of 136 ms on 1M sample interactions).
    pub(crate) follow_up_of: Vec<u32>,
    /// The pause runs of the rows' status histories under the default pause
    /// statuses (see [`crate::engine::clock::pause_runs`]), each row's after a
    /// header holding their count: what the resolution clock reads of a
    /// history without going back to the record.
    pub(crate) runs: Vec<[i64; 2]>,
    /// What the negatives of every report instant start from, found at the
    /// first reading that needs them.
    pub(crate) negative_base: std::sync::OnceLock<negative::NegativeBase<'a>>,
    /// Each expectation's matching records, laid out at the second tally
    /// that would read them (see [`lanes`]).
    pub(crate) lanes: lanes::Lanes,
}

impl std::fmt::Debug for Prepared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("diary", &self.diary.name)
            .field(
                "interactions",
                &self.rows.iter().map(Vec::len).sum::<usize>(),
            )
            .field("feedback", &self.feedback.len())
            .field("expectations", &self.exps.len())
            .finish()
    }
}

impl<'a> Prepared<'a> {
    /// Prepares a diary (as read by [`crate::input::read::Loader`], which validates
    /// it). Fails if a record names a stage the diary does not have.
    ///
    /// ```
    /// let diary = mindgap::sample::diary(200);
    /// let prepared = mindgap::Prepared::new(&diary)?;
    /// assert_eq!(prepared.diary().interactions.len(), 200);
    /// // A record naming a stage the diary does not have is refused.
    /// let mut broken = diary.clone();
    /// broken.interactions[0].stage = "nowhere".into();
    /// assert!(mindgap::Prepared::new(&broken).is_err());
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn new(diary: &'a Diary) -> Result<Prepared<'a>> {
        Prepared::with(
            diary,
            &mut diary.interactions.iter(),
            Interner::default(),
            None,
            None,
        )
    }

    /// Prepares the definitions and feedback of `diary` with `interactions`
    /// (the diary's own, or a chunk of a stream), continuing `interner` so
    /// that keys agree between chunks. Feedback linked to an interaction not
    /// among them reads it from `external` (what a stream kept; its links
    /// are read here only, and may be let go once prepared). A stream's
    /// feedback is `held`, a part at a time (after the diary's own, which it
    /// then has none of).
    pub(crate) fn with<'i: 'a>(
        diary: &'a Diary,
        interactions: &mut dyn Iterator<Item = &'i Interaction>,
        interner: Interner,
        external: Option<Unheld<'_, 'a>>,
        held: Option<(&'a Held, std::ops::Range<usize>)>,
    ) -> Result<Prepared<'a>> {
        let mut held_records = interactions.map(|i| -> &'a Interaction { i });
        let feed = Feed::Records(&mut held_records);
        Prepared::from_lean(diary, feed, interner, external, held)
    }

    /// [`Prepared::with`] of interactions as `feed` gives them: made lean
    /// (by a [`sheet::Compactor`] of `diary`) and their keys interned here.
    pub(crate) fn from_lean(
        diary: &'a Diary,
        feed: Feed<'_, 'a>,
        interner: Interner,
        external: Option<Unheld<'_, 'a>>,
        held: Option<(&'a Held, std::ops::Range<usize>)>,
    ) -> Result<Prepared<'a>> {
        let Interner {
            mut stages,
            keys: [mut tp, mut ch, mut em, mut te, mut cu, mut se],
        } = interner;
        if stages.len() == 0 {
            for s in &diary.stages {
                stages.intern(Some(s.id.as_str()));
            }
        }
        let mut calendars = diary
            .calendars
            .iter()
            .map(|c| c.compile_among(diary.timezone, &diary.calendars, &diary.holiday_lists))
            .collect::<Result<Vec<_>>>()?;
        let segments: HashMap<&str, &str> = diary
            .customers
            .iter()
            .filter_map(|c| c.segment.as_deref().map(|s| (c.id.as_str(), s)))
            .collect();
        let selectors = select::Selectors::new(diary)?;
        let unlinked_when = selectors.of_nothing();
        let mut latest: Option<i64> = None;
        let mut seen = |t: i64| latest = Some(latest.map_or(t, |l| l.max(t)));
        let stage_of = |id: &str, record: &str| -> Result<u32> {
            let k = stages.get(Some(id));
            if k >= NONE - 1 {
                return Err(Error::UnknownReference {
                    at: Location::default().with_record(record).with_field("stage"),
                    kind: "stage",
                    id: id.to_owned(),
                });
            }
            Ok(k)
        };
        let mut rows: Vec<Vec<Row>> = (0..diary.stages.len()).map(|_| Vec::new()).collect();
        // Where each interaction is, for the feedback that links to it (a
        // chunk of a stream has no feedback: no index).
        let held_count = held.as_ref().map_or(0, |(h, r)| r.len().min(h.len()));
        let feedback_count = diary.feedback.len() + held_count;
        // (None without interactions: a stream's feedback at its end links
        // to what the stream kept.)
        let linking = feedback_count > 0
            && match &feed {
                Feed::Lean(lean) => !lean.rows.is_empty(),
                Feed::Records(_) => true,
            };
        // Keyed by the ids feedback names (fewer than the interactions, as a
        // rule), each found as the interactions pass.
        let mut index: FxHashMap<&str, (u32, u32)> = FxHashMap::default();
        if linking {
            index.reserve(feedback_count);
            let named =
                (diary.feedback.iter()).filter_map(|f| f.interaction.as_ref().map(|i| i.as_str()));
            let held_named = (held.iter())
                .flat_map(|(h, r)| h.part(r.clone()))
                .filter_map(|f| f.interaction());
            for id in named.chain(held_named) {
                index.insert(id, (NONE, NONE));
            }
        }
        // The rows of one lean chunk whose first entry is `base` and whose
        // pause runs start at `runs_base` of the preparation's; `placed`
        // hears where each entry's row is (its stage and place).
        let mut take = |lean: &sheet::Lean,
                        base: usize,
                        runs_base: usize,
                        placed: &mut dyn FnMut(u32, u32, u32)| {
            for (k, r) in lean.rows.iter().enumerate() {
                let [touchpoint, channel, employee, team, customer, segment] = lean.keys(k);
                let attrs = Attrs {
                    stage: r.stage,
                    touchpoint: tp.intern(touchpoint),
                    channel: ch.intern(channel),
                    employee: em.intern(employee),
                    team: te.intern(team),
                    customer: cu.intern(customer),
                    segment: se.intern(segment),
                    when: r.when,
                };
                // The entries are in the order taken, one each (a
                // preparation past `u32` entries is refused below).
                let rec = u32::try_from(base + k).unwrap_or(NONE);
                let Some(stage_rows) = rows.get_mut(r.stage as usize) else {
                    continue;
                };
                let place = stage_rows.len() as u32;
                if linking {
                    placed(rec, r.stage, place);
                }
                let runs = match r.runs {
                    NONE | RUNS_ELSEWHERE => r.runs,
                    at => u32::try_from(runs_base + at as usize)
                        .map_or(RUNS_ELSEWHERE, |at| at.min(RUNS_ELSEWHERE)),
                };
                stage_rows.push(Row {
                    rec,
                    opened: r.opened,
                    first: r.first,
                    resolved: r.resolved,
                    runs,
                    attrs,
                });
            }
        };
        let (sheet, runs) = match feed {
            Feed::Lean(lean) => {
                if let Some(e) = lean.error.take() {
                    return Err(e);
                }
                countable(lean.rows.len())?;
                let sheet = std::mem::take(&mut lean.sheet);
                take(lean, 0, 0, &mut |rec, stage, place| {
                    if let Some(at) = index.get_mut(sheet.id(rec)) {
                        *at = (stage, place);
                    }
                });
                if let Some(t) = lean.latest {
                    seen(t);
                }
                (sheet::Entries::Sheet(sheet), std::mem::take(&mut lean.runs))
            }
            Feed::Records(records) => {
                // A chunk at a time, so that only one chunk is ever lean:
                // the rows' entries are the records.
                let compactor = sheet::Compactor::new(diary);
                let mut lean = sheet::Lean::default();
                let mut held: Vec<&'a Interaction> = Vec::new();
                let mut runs = Vec::new();
                loop {
                    let buffer = std::mem::take(&mut lean.runs);
                    lean.take_room(sheet::Sheet::default(), buffer);
                    let base = held.len();
                    for i in (&mut *records).take(CHUNK) {
                        compactor.push_row(&mut lean, i);
                        held.push(i);
                        if lean.error.is_some() {
                            break;
                        }
                    }
                    if let Some(e) = lean.error.take() {
                        return Err(e);
                    }
                    if lean.rows.is_empty() {
                        break;
                    }
                    countable(held.len())?;
                    take(&lean, base, runs.len(), &mut |rec, stage, place| {
                        let id = held.get(rec as usize).map_or("", |i| i.id.as_str());
                        if let Some(at) = index.get_mut(id) {
                            *at = (stage, place);
                        }
                    });
                    runs.extend_from_slice(&lean.runs);
                    if let Some(t) = lean.latest {
                        seen(t);
                    }
                }
                (sheet::Entries::Records(held), runs)
            }
        };
        let mut feedback = Vec::with_capacity(feedback_count);
        let records = diary.feedback.iter().map(Fb::Record);
        for f in records.chain(held.into_iter().flat_map(|(h, r)| h.part(r))) {
            let row = f
                .interaction()
                .and_then(|id| index.get(id))
                .and_then(|&(s, n)| rows.get(s as usize).and_then(|r| r.get(n as usize)));
            let link = match row {
                Some(r) => Some(Link {
                    attrs: r.attrs,
                    first: r.first,
                    resolved: r.resolved,
                }),
                // A held record knows its link's slot: no lookup.
                None => external.and_then(|e| (e.link)(f)),
            };
            let linked = link.is_some();
            let stage = match (f.stage(), link) {
                (Some(s), _) => stage_of(s, f.id())?,
                (None, Some(l)) => l.attrs.stage,
                (None, None) => {
                    return Err(Error::MissingField {
                        at: Location::default().with_record(f.id()).with_field("stage"),
                    });
                }
            };
            let base = link.map(|l| l.attrs).unwrap_or_default();
            let customer = match f.customer() {
                // Most feedback names its interaction's customer: no lookup.
                Some(c) if linked && base.customer != NONE && cu.name(base.customer) == c => {
                    base.customer
                }
                Some(c) => cu.intern(Some(c)),
                None if linked => base.customer,
                None => NONE,
            };
            let attrs = Attrs {
                stage,
                touchpoint: match f.touchpoint() {
                    Some(t) => tp.intern(Some(t)),
                    None if linked => base.touchpoint,
                    None => NONE,
                },
                channel: if linked { base.channel } else { NONE },
                employee: if linked { base.employee } else { NONE },
                team: if linked { base.team } else { NONE },
                customer,
                segment: if linked {
                    base.segment
                } else {
                    se.intern(f.customer().and_then(|c| segments.get(c).copied()))
                },
                when: if linked { base.when } else { unlinked_when },
            };
            let at = ms(&f.at());
            seen(at);
            feedback.push(FRow {
                f,
                at,
                attrs,
                linked: row.map(|r| r.rec),
                contacts: link.map_or([NO_TIME; 2], |l| [l.first, l.resolved]),
                kind: f.kind(),
                dismissed: f.dismissed(),
                score: f.score().unwrap_or(f64::NAN),
            });
        }
        for o in &diary.observations {
            seen(ms(&o.at));
        }
        let follow_up_of = negative::first_records(&diary.follow_ups, &feedback);

        let mut order: Vec<&str> = Vec::new();
        let mut grouped: HashMap<&str, Vec<&Expectation>> = HashMap::default();
        for e in &diary.expectations {
            let v = grouped.entry(e.id.as_str()).or_default();
            if v.is_empty() {
                order.push(e.id.as_str());
            }
            v.push(e);
        }
        let mut exps = Vec::with_capacity(order.len());
        for id in order {
            let mut records = grouped.remove(id).unwrap_or_default();
            crate::util::sort::sort_by_key(&mut records, |e| {
                e.recorded_at.as_ref().map_or(i64::MIN, ms)
            });
            let Some(first) = records.first() else {
                continue;
            };
            let at = Location::default().with_record(id);
            // The levels' kind, the same in every level of every record
            // (the Loader checks it; a diary built in code is checked here,
            // so no clock is read in the wrong unit).
            let kind = first.metric.duration_zone().map(|z| z.desired.kind());
            for r in &records {
                let Some(z) = r.metric.duration_zone() else {
                    continue;
                };
                let levels = [Some(z.desired), Some(z.adequate), z.promised];
                if let Some(l) = levels.into_iter().flatten().find(|l| {
                    Some(l.kind()) != kind
                        || matches!(l, Level::BusinessDays(d) if !(d.is_finite() && *d >= 0.0))
                }) {
                    return Err(Error::invalid(
                        at.clone().with_field("metric"),
                        l.to_string(),
                        Sentence::new(Msg::VLevelsOneKind),
                    ));
                }
            }
            if first.calendar.is_none()
                && kind.is_some_and(|k| k != crate::model::level::LevelKind::Time)
            {
                return Err(Error::invalid(
                    at.clone().with_field("calendar"),
                    "none",
                    Sentence::new(Msg::VNeedCalendar),
                ));
            }
            let calendar = match &first.calendar {
                None => None,
                Some(c) => {
                    let k = calendars.iter().position(|k| k.id() == c).ok_or_else(|| {
                        Error::UnknownReference {
                            at: at.clone().with_field("calendar"),
                            kind: "calendar",
                            id: c.as_str().to_owned(),
                        }
                    })?;
                    // Levels in business days: the calendar counting them
                    // (compiled once per calendar and kind, after the
                    // diary's own).
                    let measure = match first.metric.duration_zone().map(|z| z.desired) {
                        Some(Level::BusinessDays(_)) => Measure::Days,
                        Some(Level::EndOfBusinessDay(_)) => Measure::DaysFromDayStart,
                        _ => Measure::Millis,
                    };
                    if measure == Measure::Millis {
                        Some(k)
                    } else if calendars.get(k).is_some_and(BusinessCalendar::is_union) {
                        return Err(Error::invalid(
                            at.clone().with_field("calendar"),
                            c.as_str(),
                            Sentence::new(Msg::VSunCalendarShort),
                        ));
                    } else if let Some(m) = calendars
                        .iter()
                        .position(|m| m.id() == c && m.measure() == measure)
                    {
                        Some(m)
                    } else {
                        let m = calendars.get(k).map(|b| b.measured_in(measure));
                        calendars.extend(m);
                        Some(calendars.len() - 1)
                    }
                }
            };
            exps.push(Exp {
                zones: records.iter().map(|e| zone_of(&e.metric)).collect(),
                recorded: records
                    .iter()
                    .map(|e| e.recorded_at.as_ref().map_or(i64::MIN, ms))
                    .collect(),
                stage: stage_of(first.stage.as_str(), id)?,
                touchpoint: first
                    .touchpoint
                    .as_ref()
                    .map_or(NONE, |t| tp.get(Some(t.as_str()))),
                channel: first
                    .channel
                    .as_ref()
                    .map_or(NONE, |c| ch.get(Some(c.as_str()))),
                segment: first.segment.as_deref().map_or(NONE, |s| se.get(Some(s))),
                when: selectors.required(&first.when),
                calendar,
                records,
            });
        }
        Ok(Prepared {
            diary,
            stages,
            keys: [tp, ch, em, te, cu, se],
            rows,
            sheet,
            places: std::sync::OnceLock::new(),
            feedback,
            exps,
            calendars,
            latest,
            contacts: external.map(|e| e.contacts),
            follow_up_of,
            runs,
            negative_base: std::sync::OnceLock::new(),
            lanes: lanes::Lanes::default(),
        })
    }
}

/// One observation's outcome (the values are read by drill-down).
#[cfg_attr(not(feature = "analyses"), allow(dead_code))]
#[derive(Debug, Clone, Copy)]
pub(crate) enum Obs {
    Value(i64),
    /// A clock still running past the adequate level (its reading so far).
    Missed(i64),
    /// A clock still running within the adequate level (its reading so far).
    Pending(i64),
}

#[inline(always)]
pub(crate) fn apply(acc: &mut ZoneAccumulator, obs: Obs) -> Option<Class> {
    match obs {
        Obs::Value(v) => Some(acc.add(v)),
        Obs::Missed(_) => {
            acc.add_missed_without_value();
            Some(Class::Missed)
        }
        Obs::Pending(_) => {
            acc.add_pending();
            None
        }
    }
}

/// A clock reading against the adequate level: a stopped clock has a value; a
/// running one is missed once past adequate, pending before.
pub(crate) fn outcome(reading: Reading, zone: &Zone) -> Obs {
    match reading {
        Reading::Stopped(s) => Obs::Value(s.as_millis()),
        Reading::Running(s) if s.as_millis() > zone.adequate => Obs::Missed(s.as_millis()),
        Reading::Running(s) => Obs::Pending(s.as_millis()),
    }
}

pub(crate) struct Ctx<'p> {
    /// Whether the overall accumulators keep values ([`Tally::series`]).
    pub(crate) values: bool,
    pub(crate) dims: &'p [Dimension],
    pub(crate) per: Option<Bucket>,
    pub(crate) tz: crate::time::TimeZone,
}

impl ExpAcc {
    pub(crate) fn new(zones: &[Zone], ctx: &Ctx<'_>) -> ExpAcc {
        ExpAcc {
            overall: zones
                .iter()
                .map(|z| {
                    if ctx.values {
                        ZoneAccumulator::new(*z)
                    } else {
                        ZoneAccumulator::counting(*z)
                    }
                })
                .collect(),
            by: ctx.dims.iter().map(|_| HashMap::default()).collect(),
            channel: Vec::new(),
            employee: Vec::new(),
        }
    }

    #[inline]
    pub(crate) fn add(
        &mut self,
        zones: &[Zone],
        version: usize,
        attrs: &Attrs,
        t: i64,
        obs: Obs,
        ctx: &Ctx<'_>,
    ) {
        if version >= self.overall.len() {
            return;
        }
        for (k, d) in ctx.dims.iter().enumerate() {
            let key = group_key(*d, attrs, t, ctx.per, ctx.tz);
            let Some(map) = self.by.get_mut(k) else {
                continue;
            };
            let accs = map
                .entry(key)
                .or_insert_with(|| zones.iter().map(|z| ZoneAccumulator::new(*z)).collect());
            if let Some(acc) = accs.get_mut(version) {
                apply(acc, obs);
            }
        }
        self.add_plain(version, attrs.channel, attrs.employee, obs);
    }

    /// [`ExpAcc::add`] without roll-up dimensions.
    #[inline(always)]
    pub(crate) fn add_plain(&mut self, version: usize, channel: u32, employee: u32, obs: Obs) {
        let Some(acc) = self.overall.get_mut(version) else {
            return;
        };
        if let Some(class) = apply(acc, obs) {
            let missed = u64::from(class == Class::Missed);
            for (map, key) in [(&mut self.channel, channel), (&mut self.employee, employee)] {
                // Keys grow as a stream is read; NONE and its neighbours are not keys.
                if key < NO_ID && map.len() <= key as usize {
                    map.resize(key as usize + 1, (0, 0));
                }
                if let Some(e) = map.get_mut(key as usize) {
                    e.0 += missed;
                    e.1 += 1;
                }
            }
        }
    }
}

pub(crate) fn feedback_item(f: Fb<'_>) -> FeedbackItem<'_> {
    FeedbackItem {
        kind: f.kind(),
        score: f.score(),
        scale: f.scale().unwrap_or(5),
        dismissed: f.dismissed(),
        reason: f.reason(),
        comment: f.comment().is_some(),
        negative: f.sentiment() == Some(Sentiment::Negative),
    }
}

/// Whether a feedback record is read as an observation of a rating metric.
pub(crate) fn reads_rating(z: &RatingZone, kind: FeedbackKind, f: Fb<'_>) -> bool {
    let scale = match kind {
        FeedbackKind::Nps => 10,
        FeedbackKind::Csat => 5,
        FeedbackKind::Ces => 7,
        FeedbackKind::Rating => f.scale().unwrap_or(5),
        FeedbackKind::Comment | FeedbackKind::Reason => return false,
    };
    let listed = if z.from.is_empty() {
        matches!(kind, FeedbackKind::Csat | FeedbackKind::Rating)
    } else {
        z.from.contains(&kind)
    };
    listed && scale == z.scale
}

impl Prepared<'_> {
    /// The latest timestamp in the data (the default "as of").
    pub fn latest(&self) -> Option<Timestamp> {
        self.latest
            .and_then(DateTime::from_timestamp_millis)
            .map(|t| self.diary.timezone.at(&t))
    }

    /// The shared filters of `options`, at `as_of`.
    pub(crate) fn scope_of(
        &self,
        options: &ReportOptions,
        as_of: Option<Timestamp>,
    ) -> Result<Scope> {
        self.scope(
            as_of,
            options.since,
            options.until,
            &options.stages,
            &options.channels,
        )
    }

    /// Adds what this preparation observes to `tally`: every observation of
    /// every expectation in scope, the feedback, and the interactions per
    /// group. Rows already counted are skipped, so a stream adds each chunk
    /// and then the rest.
    pub(crate) fn tally(
        &self,
        options: &ReportOptions,
        scope: &Scope,
        tally: &mut Tally,
    ) -> Result<()> {
        let time_ok = |t: i64| scope.time_ok(t);
        let channel_ok = |c: u32| scope.channel_ok(c);
        let stage_ok = &scope.stage_ok;
        let ctx = self.ctx(options, tally.values);

        self.score_expectations(scope, tally, &ctx)?;

        // Feedback per stage, overall and per group.
        let Tally {
            fb_stage,
            fb_all,
            fb_by,
            volumes,
            ..
        } = tally;
        for f in &self.feedback {
            if !(stage_ok
                .get(f.attrs.stage as usize)
                .copied()
                .unwrap_or(false)
                && time_ok(f.at)
                && channel_ok(f.attrs.channel))
            {
                continue;
            }
            let item = feedback_item(f.f);
            if let Some(acc) = fb_stage.get_mut(f.attrs.stage as usize) {
                acc.add(&item);
            }
            fb_all.add(&item);
            for (k, d) in options.by.iter().enumerate() {
                let key = group_key(*d, &f.attrs, f.at, ctx.per, ctx.tz);
                if let Some(map) = fb_by.get_mut(k) {
                    map.entry(key).or_default().add(&item);
                }
            }
        }

        // Interactions per group.
        if !options.by.is_empty() {
            for (si, rows) in self.rows.iter().enumerate() {
                if !stage_ok.get(si).copied().unwrap_or(false) {
                    continue;
                }
                for row in rows {
                    if !(time_ok(row.opened) && channel_ok(row.attrs.channel)) {
                        continue;
                    }
                    for (k, d) in options.by.iter().enumerate() {
                        let key = group_key(*d, &row.attrs, row.opened, options.per, ctx.tz);
                        if let Some(m) = volumes.get_mut(k) {
                            *m.entry(key).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// What the accumulators of a tally under `options` are made with.
    pub(crate) fn ctx<'o>(&self, options: &'o ReportOptions, values: bool) -> Ctx<'o> {
        Ctx {
            values,
            dims: &options.by,
            per: options.per,
            tz: self.diary.timezone,
        }
    }

    /// The scoring loop: every expectation's observations in scope, each
    /// read (clocks at the scope's instant), classified against its zone of
    /// tolerance and added to the expectation's accumulators.
    pub(crate) fn score_expectations(
        &self,
        scope: &Scope,
        tally: &mut Tally,
        ctx: &Ctx<'_>,
    ) -> Result<()> {
        let negatives = self.negatives_for(scope);
        if tally.accs.len() < self.exps.len() {
            tally.accs.resize_with(self.exps.len(), || None);
        }
        // Without roll-up dimensions a tally reads only what it counts of
        // each observation (its record in force, outcome, channel and
        // employee): the clocks and ratings from their lanes, the follow-ups
        // from the negatives.
        let plain = ctx.dims.is_empty();
        let lanes = if plain { self.lanes() } else { None };
        for (ei, (e, slot)) in self.exps.iter().zip(&mut tally.accs).enumerate() {
            if !scope.stage(e.stage) {
                continue;
            }
            let acc = slot.get_or_insert_with(|| ExpAcc::new(&e.zones, ctx));
            let follow_up = matches!(
                e.records.first().map(|r| &r.metric),
                Some(Metric::FollowUp(_))
            );
            let lane = lanes.and_then(|l| l.get(ei)).and_then(Option::as_ref);
            if !plain || !(follow_up || lane.is_some()) {
                self.observe(e, scope, &negatives, &mut |seen| {
                    acc.add(&e.zones, seen.version, &seen.attrs, seen.at, seen.obs, ctx);
                })?;
                continue;
            }
            if let Some(lane) = lane {
                self.tally_lane(lane, e, scope, acc)?;
            } else {
                let cal = e.calendar.and_then(|c| self.calendars.get(c));
                for n in &negatives {
                    if let Some((v, obs)) = observe::follow_up_obs(e, n, scope, cal) {
                        acc.add_plain(v, n.attrs.channel, n.attrs.employee, obs);
                    }
                }
            }
            // Then the recorded observations, as `observe` yields them.
            self.observe_recorded(e, scope, &mut |seen| {
                acc.add(&e.zones, seen.version, &seen.attrs, seen.at, seen.obs, ctx);
            });
        }
        Ok(())
    }

    /// The scoring loop alone ([`Prepared::report`] without the feedback
    /// tallies and the assembly): the number of observations scored. For
    /// the benchmark of the loop's speed.
    #[cfg(feature = "bench")]
    #[doc(hidden)]
    pub fn score_only(&self, options: &ReportOptions) -> Result<u64> {
        options.check()?;
        let scope = self.scope_of(options, options.as_of)?;
        let mut tally = Tally::new(self.diary.stages.len(), options);
        let ctx = self.ctx(options, tally.values);
        self.score_expectations(&scope, &mut tally, &ctx)?;
        let overall = tally.accs.iter().flatten().flat_map(|a| &a.overall);
        Ok(overall.map(|z| z.classified() + z.counts().3).sum())
    }

    /// The diary this was prepared from.
    pub fn diary(&self) -> &Diary {
        self.diary
    }

    /// The keys, to continue in the next chunk's preparation.
    pub(crate) fn into_interner(self) -> Interner {
        Interner {
            stages: self.stages,
            keys: self.keys,
        }
    }

    /// [`Prepared::into_interner`], giving `lean` back the room of the
    /// buffers it was prepared from (emptied), for the next chunk.
    pub(crate) fn into_interner_and_room(mut self, lean: &mut sheet::Lean) -> Interner {
        let sheet = match std::mem::take(&mut self.sheet) {
            sheet::Entries::Sheet(sheet) => sheet,
            sheet::Entries::Records(_) => sheet::Sheet::default(),
        };
        lean.take_room(sheet, std::mem::take(&mut self.runs));
        self.into_interner()
    }
}

#[cfg(test)]
mod tests;
