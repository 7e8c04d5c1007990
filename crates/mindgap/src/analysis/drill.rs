//! From a figure to the records behind it, people ranked by their share met,
//! and recurring problems.
//!
//! All three read observations through the same code as the report
//! ([`Prepared::report`]), with the same filters, so the records a drill-down
//! lists are exactly the ones a report figure counts.

use super::Header;
use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use crate::engine::observe::{Rec, Scope, Seen};
use crate::engine::zone::{Class, Outcome, ValueUnit};
use crate::engine::{Attrs, Exp, Lang, NONE, Obs, Prepared, check_confidence};
use crate::error::{Error, Result};
use crate::model::*;
use crate::stats::{self, ShareInterval};
use crate::time::span::Span;
use crate::words::{Msg, Sentence};

/// Schema of the drill-down JSON.
pub const DRILL_SCHEMA: &str = "mindgap/drill/1";
/// Schema of the people ranking JSON.
pub const PEOPLE_SCHEMA: &str = "mindgap/people/1";
/// Schema of the problems JSON.
pub const PROBLEMS_SCHEMA: &str = "mindgap/problems/1";

/// The report's filters, shared by the analyses here; every field is
/// optional and means what it means in [`ReportOptions`](crate::engine::ReportOptions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Filters {
    /// The instant (default: the latest timestamp in the data).
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub as_of: Option<Timestamp>,
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
    /// Only these stages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageId>,
    /// Only these channels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
}

crate::util::setters!(Filters {
    /// Sets the instant of the analysis.
    with_as_of(as_of: Timestamp) as_of: some;
    /// Keeps only what happened at or after this instant.
    with_since(since: Timestamp) since: some;
    /// Keeps only what happened before this instant.
    with_until(until: Timestamp) until: some;
    /// Adds a stage to keep (all stages when none is added).
    with_stage(stage: impl Into<StageId>) stages: push;
    /// Adds a channel to keep (all channels when none is added).
    with_channel(channel: Channel) channels: push;
});

/// Which observations a drill-down lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Pick {
    /// Every observation, pending ones included (the default).
    #[default]
    All,
    /// Missed.
    Missed,
    /// Within the zone.
    Within,
    /// Exceeded.
    Exceeded,
    /// Met: within or exceeded.
    Met,
    /// Pending (a clock still running, not yet past adequate).
    Pending,
}

impl Pick {
    fn admits(self, class: Option<Class>) -> bool {
        match self {
            Pick::All => true,
            Pick::Missed => class == Some(Class::Missed),
            Pick::Within => class == Some(Class::Within),
            Pick::Exceeded => class == Some(Class::Exceeded),
            Pick::Met => matches!(class, Some(Class::Within | Class::Exceeded)),
            Pick::Pending => class.is_none(),
        }
    }
}

/// What to drill into: the report's filters, the figure's selectors, the class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct DrillOptions {
    /// The report's filters (instant, period, stages, channels).
    pub filters: Filters,
    /// One expectation (default: every expectation in scope).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expectation: Option<ExpectationId>,
    /// One stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<StageId>,
    /// One channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// One employee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee: Option<EmployeeId>,
    /// One team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// One customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
    /// One segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Which observations to list (default: all).
    pub class: Pick,
    /// List at most this many records (the counts cover all; default 1000).
    pub limit: usize,
    /// Language of each record's `text` (default English; not written
    /// when English).
    #[serde(skip_serializing_if = "Lang::is_default")]
    pub lang: Lang,
}

crate::util::setters!(DrillOptions {
    /// Sets the filters.
    with_filters(filters: Filters) filters: set;
    /// Drills into this expectation.
    with_expectation(id: impl Into<ExpectationId>) expectation: some;
    /// Drills into this stage.
    with_stage(id: impl Into<StageId>) stage: some;
    /// Drills into this channel.
    with_channel(channel: Channel) channel: some;
    /// Drills into this employee.
    with_employee(id: impl Into<EmployeeId>) employee: some;
    /// Drills into this team.
    with_team(team: impl Into<String>) team: some;
    /// Drills into this customer.
    with_customer(id: impl Into<CustomerId>) customer: some;
    /// Drills into this segment.
    with_segment(segment: impl Into<String>) segment: some;
    /// Sets which records are listed.
    with_class(class: Pick) class: set;
    /// Sets how many records are listed at most.
    with_limit(limit: usize) limit: set;
    /// Sets the language of each record's text.
    with_lang(lang: Lang) lang: set;
});

impl Default for DrillOptions {
    fn default() -> Self {
        DrillOptions {
            filters: Filters::default(),
            expectation: None,
            stage: None,
            channel: None,
            employee: None,
            team: None,
            customer: None,
            segment: None,
            class: Pick::All,
            limit: 1000,
            lang: Lang::En,
        }
    }
}

/// Counts of the selected observations, as the report counts them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Classified observations (exceeded + within + missed).
    pub n: u64,
    /// Pending.
    pub pending: u64,
    /// Exceeded.
    pub exceeded: u64,
    /// Within.
    pub within: u64,
    /// Missed.
    pub missed: u64,
}

impl Counts {
    fn add(&mut self, class: Option<Class>) {
        match class {
            None => self.pending += 1,
            Some(c) => {
                self.n += 1;
                match c {
                    Class::Exceeded => self.exceeded += 1,
                    Class::Within => self.within += 1,
                    Class::Missed => self.missed += 1,
                }
            }
        }
    }
}

/// One observation behind a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillRecord {
    /// The expectation it was scored against.
    pub expectation: String,
    /// An interaction, a feedback record or a manual observation.
    pub kind: RecordKind,
    /// The record's id.
    pub id: String,
    /// When it was observed (the clock's start, the feedback's instant…).
    pub at: Timestamp,
    /// Stage.
    pub stage: String,
    /// Channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Employee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee: Option<String>,
    /// Team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Where it falls in the zone, or pending (a clock still running short
    /// of the adequate level).
    pub class: Outcome,
    /// The value in the report's unit (seconds, points, 1/0 for flags); for a
    /// running clock, its reading at `as_of`.
    pub value: f64,
    /// Unit of `value`.
    pub unit: ValueUnit,
    /// The clock is still running at `as_of`.
    pub running: bool,
    /// Position in the zone of tolerance, when the zone has a width.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<f64>,
    /// The value in words.
    pub text: String,
    /// A clock's timeline (an interaction's first-response, next-response,
    /// update or resolution clock): started, paused, resumed, breached,
    /// stopped, in time order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<super::due::ClockEvent>,
}

/// A drill-down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drill {
    /// [`DRILL_SCHEMA`], the diary and the instant.
    #[serde(flatten)]
    pub header: Header,
    /// The options used.
    pub options: DrillOptions,
    /// Counts over every selected observation, whatever the class.
    pub counts: Counts,
    /// Number of records of the chosen class (may exceed `records.len()`).
    pub matched: u64,
    /// The records of the chosen class, in expectation then time order.
    pub records: Vec<DrillRecord>,
}

/// Whom the people ranking is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeopleBy {
    /// Employees (the default).
    #[default]
    Employee,
    /// Teams.
    Team,
}

/// People ranking options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct PeopleOptions {
    /// The report's filters.
    pub filters: Filters,
    /// Only these expectations (default: all in scope).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<ExpectationId>,
    /// Employees or teams.
    pub by: PeopleBy,
    /// Confidence level of the Wilson intervals (default 0.95).
    pub confidence: f64,
}

crate::util::setters!(PeopleOptions {
    /// Sets the filters.
    with_filters(filters: Filters) filters: set;
    /// Adds an expectation to rank by (all when none is added).
    with_expectation(id: impl Into<ExpectationId>) expectations: push;
    /// Ranks employees or teams.
    with_by(by: PeopleBy) by: set;
    /// Sets the confidence level of the intervals.
    with_confidence(confidence: f64) confidence: set;
});

impl Default for PeopleOptions {
    fn default() -> Self {
        PeopleOptions {
            filters: Filters::default(),
            expectations: Vec::new(),
            by: PeopleBy::Employee,
            confidence: 0.95,
        }
    }
}

/// One expectation's part of a person's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonExpectation {
    /// Expectation id.
    pub id: String,
    /// Classified observations.
    pub n: u64,
    /// Met (within or exceeded).
    pub met: u64,
}

/// One person (or team) in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// 1 for the best.
    pub rank: u64,
    /// Employee id or team name.
    pub key: String,
    /// Share met (within or exceeded) of the classified observations, with
    /// its Wilson interval; ranked by `met.lower`.
    pub met: ShareInterval,
    /// Missed.
    pub missed: u64,
    /// Pending.
    pub pending: u64,
    /// Per expectation.
    pub expectations: Vec<PersonExpectation>,
}

/// The people ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct People {
    /// [`PEOPLE_SCHEMA`], the diary and the instant.
    #[serde(flatten)]
    pub header: Header,
    /// The options used.
    pub options: PeopleOptions,
    /// Ranked by the lower bound of the share met, so a few lucky
    /// observations do not top the list; ties by more observations.
    pub people: Vec<Person>,
    /// Classified observations with no employee (or team), left out.
    pub unassigned: u64,
}

/// Who a recurring problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemScope {
    /// One customer.
    Customer,
    /// One stage.
    Stage,
    /// One employee.
    Employee,
}

/// Problems options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ProblemOptions {
    /// The report's filters.
    pub filters: Filters,
    /// Look for recurrences per customer, stage and/or employee (default:
    /// customer).
    pub by: Vec<ProblemScope>,
    /// At least this many records… (default 3, at least 2).
    pub min_count: usize,
    /// …within this span (default 30 days).
    pub within: Span,
    /// Confidence level of the Wilson intervals (default 0.95).
    pub confidence: f64,
}

crate::util::setters!(ProblemOptions {
    /// Sets the filters.
    with_filters(filters: Filters) filters: set;
    /// Sets the scopes a problem recurs within (default: the customer):
    /// the whole list, since the default is not empty.
    with_by(scopes: impl IntoIterator<Item = ProblemScope>) by: list;
    /// Sets how many times a problem must occur to count.
    with_min_count(count: usize) min_count: set;
    /// Sets the window the occurrences fall within.
    with_within(within: Span) within: set;
    /// Sets the confidence level of the intervals.
    with_confidence(confidence: f64) confidence: set;
});

impl Default for ProblemOptions {
    fn default() -> Self {
        ProblemOptions {
            filters: Filters::default(),
            by: vec![ProblemScope::Customer],
            min_count: 3,
            within: Span::from_days(30),
            confidence: 0.95,
        }
    }
}

/// A record behind a recurring problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemRecord {
    /// An interaction or a feedback record.
    pub kind: RecordKind,
    /// Its id.
    pub id: String,
    /// When.
    pub at: Timestamp,
}

/// What recurs in a [`Recurring`] problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// An interaction category.
    Category,
    /// A feedback complaint reason.
    Reason,
}

crate::util::names!(ProblemKind {
    Category => "category",
    Reason => "reason",
});

/// The same reason or category, again and again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recurring {
    /// Customer, stage or employee.
    pub scope: ProblemScope,
    /// Which one.
    pub key: String,
    /// A complaint reason (feedback) or a category (interactions).
    pub kind: ProblemKind,
    /// The reason or category.
    pub label: String,
    /// Records in the episode.
    pub count: u64,
    /// First record.
    pub from: Timestamp,
    /// Last record.
    pub to: Timestamp,
    /// The records, in time order.
    pub records: Vec<ProblemRecord>,
}

/// A reason and the gap of the interactions it was given about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonGap {
    /// Stage.
    pub stage: String,
    /// Reason code.
    pub reason: String,
    /// Feedback records with it (answered, in scope).
    pub feedback: u64,
    /// Of them, linked to an interaction.
    pub linked: u64,
    /// Missed share of those interactions' observations, Wilson interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missed: Option<ShareInterval>,
    /// Missed share of every observation at the stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_missed: Option<f64>,
}

/// Recurring problems and reasons × gap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problems {
    /// [`PROBLEMS_SCHEMA`], the diary and the instant.
    #[serde(flatten)]
    pub header: Header,
    /// The options used.
    pub options: ProblemOptions,
    /// Episodes of at least `min_count` records within `within`; overlapping
    /// windows merge into one episode. Most records first.
    pub recurring: Vec<Recurring>,
    /// Per stage, reasons by the lower bound of the missed share of the
    /// interactions they were given about, worst first.
    pub reasons: Vec<ReasonGap>,
}

fn class_of(e: &Exp<'_>, s: &Seen<'_>) -> Option<Class> {
    match s.obs {
        Obs::Value(v) => e.zones.get(s.version).map(|z| z.classify(v)),
        Obs::Missed(_) => Some(Class::Missed),
        Obs::Pending(_) => None,
    }
}

/// The episodes of a group's events at `times` (sorted): windows of `k`
/// consecutive events within `w` ms, merged when they overlap, as ranges of
/// indices (first, last). They depend on the instants alone.
pub(crate) fn episodes(times: &[i64], k: usize, w: i64) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    if k == 0 || times.len() < k {
        return out;
    }
    for i in 0..=times.len() - k {
        let (Some(a), Some(b)) = (times.get(i), times.get(i + k - 1)) else {
            continue;
        };
        if b - a > w {
            continue;
        }
        match out.last_mut() {
            Some(last) if i <= last.1 => last.1 = i + k - 1,
            _ => out.push((i, i + k - 1)),
        }
    }
    out
}

/// A recurring problem of the events of one episode (in time, then id
/// order), its instants in `zone`; none past the instants mindgap reads.
pub(crate) fn recurring_of(
    zone: crate::time::TimeZone,
    scope: ProblemScope,
    key: String,
    kind: ProblemKind,
    label: &str,
    part: &[(i64, RecordKind, &str)],
) -> Option<Recurring> {
    let instant = |t: i64| chrono::DateTime::from_timestamp_millis(t).map(|d| zone.at(&d));
    let records: Vec<ProblemRecord> = part
        .iter()
        .filter_map(|&(t, kind, id)| {
            Some(ProblemRecord {
                kind,
                id: id.to_owned(),
                at: instant(t)?,
            })
        })
        .collect();
    let (Some(from), Some(to)) = (
        part.first().and_then(|e| instant(e.0)),
        part.last().and_then(|e| instant(e.0)),
    ) else {
        return None;
    };
    Some(Recurring {
        scope,
        key,
        kind,
        label: label.to_owned(),
        count: records.len() as u64,
        from,
        to,
        records,
    })
}

/// Recurring problems by count (most first), then start, scope, key, label.
pub(crate) fn sort_recurring(recurring: &mut [Recurring]) {
    crate::util::sort::sort_by(recurring, |a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.scope.cmp(&b.scope))
            .then_with(|| a.key.cmp(&b.key))
            .then_with(|| a.label.cmp(&b.label))
    });
}

impl PeopleBy {
    /// The interner slot of the key ranked.
    fn slot(self) -> usize {
        match self {
            PeopleBy::Employee => 2,
            PeopleBy::Team => 3,
        }
    }
}

/// What a drill-down has counted so far (see [`Prepared::drill_part`]).
#[derive(Debug)]
pub(crate) struct DrillTally {
    /// The one expectation drilled into, by index.
    only: Option<usize>,
    counts: Counts,
    matched: u64,
    best: Best,
}

impl DrillTally {
    /// An empty tally; the options are checked against the definitions.
    pub(crate) fn new(p: &Prepared<'_>, options: &DrillOptions) -> Result<DrillTally> {
        let only = options
            .expectation
            .as_ref()
            .map(|id| p.exp_index(id))
            .transpose()?;
        Ok(DrillTally {
            only,
            counts: Counts::default(),
            matched: 0,
            best: Best::new(options.limit),
        })
    }
}

/// The `limit` first records in (expectation, instant, id) order among those
/// offered, in memory bounded by the limit: records are gathered up to
/// twice the limit, then sorted and cut.
#[derive(Debug)]
struct Best {
    limit: usize,
    /// Each with its expectation's index and instant (epoch ms).
    items: Vec<((usize, i64), DrillRecord)>,
    /// The last record kept at the latest cut, when `limit` were kept: no
    /// record after it can be listed.
    last: Option<(usize, i64, String)>,
}

impl Best {
    fn new(limit: usize) -> Best {
        Best {
            limit,
            items: Vec::new(),
            last: None,
        }
    }

    /// Whether a record at this place could be among the first `limit`.
    fn admits(&self, (ei, at, id): (usize, i64, &str)) -> bool {
        self.limit > 0
            && self
                .last
                .as_ref()
                .is_none_or(|(e, t, i)| (ei, at, id) < (*e, *t, i.as_str()))
    }

    fn push(&mut self, place: (usize, i64), record: DrillRecord) {
        self.items.push((place, record));
        if self.items.len() >= self.limit.saturating_mul(2).max(64) {
            self.cut();
        }
    }

    fn cut(&mut self) {
        crate::util::sort::sort_by(&mut self.items, |(a, x), (b, y)| {
            a.cmp(b).then_with(|| x.id.cmp(&y.id))
        });
        self.items.truncate(self.limit);
        if self.items.len() == self.limit {
            self.last = self.items.last().map(|((e, t), r)| (*e, *t, r.id.clone()));
        }
    }

    fn into_records(mut self) -> Vec<DrillRecord> {
        self.cut();
        self.items.into_iter().map(|(_, r)| r).collect()
    }
}

/// What a people ranking has counted so far (see [`Prepared::people_part`]).
#[derive(Debug)]
pub(crate) struct PeopleTally {
    /// The expectations ranked on, by index (empty: all).
    only: Vec<usize>,
    by_key: HashMap<u32, PersonTally>,
    unassigned: u64,
}

impl PeopleTally {
    /// An empty tally; the options are checked against the definitions.
    pub(crate) fn new(p: &Prepared<'_>, options: &PeopleOptions) -> Result<PeopleTally> {
        check_confidence(options.confidence)?;
        let only = options
            .expectations
            .iter()
            .map(|id| p.exp_index(id))
            .collect::<Result<Vec<_>>>()?;
        Ok(PeopleTally {
            only,
            by_key: HashMap::default(),
            unassigned: 0,
        })
    }
}

/// A reason's counts at a stage: (feedback, linked, missed, classified).
type ReasonCounts = (u64, u64, u64, u64);

/// What the reason gaps have counted so far (see [`Prepared::reason_part`]).
#[derive(Debug, Default)]
pub(crate) struct ReasonTally {
    /// Per interaction feedback with a reason links to: (missed, classified).
    per: HashMap<Box<str>, (u64, u64)>,
    /// Per stage: (missed, classified).
    stage_tot: HashMap<u32, (u64, u64)>,
    /// Per stage and reason: (feedback, linked, missed, classified).
    table: HashMap<u32, HashMap<Box<str>, ReasonCounts>>,
}

impl ReasonTally {
    /// Counts the observations of interaction `id` (feedback with a
    /// reason links to it).
    pub(crate) fn want(&mut self, id: &str) {
        if !self.per.contains_key(id) {
            self.per.insert(id.into(), (0, 0));
        }
    }
}

/// One employee's (or team's) counts.
#[derive(Debug, Default)]
struct PersonTally {
    met: u64,
    n: u64,
    missed: u64,
    pending: u64,
    /// Per expectation: (classified, met).
    per: Vec<(u64, u64)>,
}

impl<'a> Prepared<'a> {
    pub(crate) fn filters(&self, f: &Filters) -> Result<Scope> {
        self.scope(f.as_of, f.since, f.until, &f.stages, &f.channels)
    }

    /// The expectation with this id, or a clear error.
    fn exp_index(&self, id: &ExpectationId) -> Result<usize> {
        self.exps
            .iter()
            .position(|e| e.latest().is_some_and(|r| r.id == *id))
            .ok_or_else(|| Error::InvalidOption {
                option: "expectation".into(),
                message: Sentence::new(Msg::OptNoExpectation).quoted("id", id.as_str()),
            })
    }

    /// A selector's key, or a clear error naming what is unknown.
    fn selector(&self, slot: Option<usize>, what: &str, value: Option<&str>) -> Result<u32> {
        let Some(v) = value else { return Ok(NONE) };
        let k = match slot {
            None => self.stages.get(Some(v)),
            Some(s) => self.keys.get(s).map_or(NONE - 1, |k| k.get(Some(v))),
        };
        if k >= NONE - 1 {
            return Err(Error::InvalidOption {
                option: what.into(),
                message: Sentence::new(Msg::OptNoRecordNames)
                    .value("what", what)
                    .quoted("value", v),
            });
        }
        Ok(k)
    }

    /// The name of an interned key.
    pub(crate) fn name_of(&self, slot: usize, k: u32) -> Option<String> {
        (k != NONE).then(|| {
            self.keys
                .get(slot)
                .map_or("", |keys| keys.name(k))
                .to_owned()
        })
    }

    /// The records behind a figure: every observation the report counts for
    /// the chosen expectation (or all), narrowed by the selectors, of the
    /// chosen class.
    ///
    /// The records listed are the first [`DrillOptions::limit`] in
    /// expectation (diary) order, then time order, then by id: the same
    /// whatever order the records were read in.
    ///
    /// ```
    /// use mindgap::{DrillOptions, Outcome, Pick, Prepared};
    /// let diary = mindgap::sample::diary(200);
    /// let prepared = Prepared::new(&diary)?;
    /// let options = DrillOptions::default()
    ///     .with_expectation("support-email-reply")
    ///     .with_class(Pick::Missed);
    /// let drill = prepared.drill(&options)?;
    /// // The counts cover every class; the records listed are the missed ones.
    /// assert_eq!((drill.counts.n, drill.counts.missed, drill.counts.pending), (15, 5, 1));
    /// assert_eq!(drill.records.len(), 5);
    /// assert!(drill.records.iter().all(|r| r.class == Outcome::Missed));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn drill(&self, options: &DrillOptions) -> Result<Drill> {
        let scope = self.filters(&options.filters)?;
        let mut tally = DrillTally::new(self, options)?;
        self.drill_part(options, &scope, &mut tally)?;
        self.drill_of(options, scope.as_of, tally)
    }

    /// The selectors' keys in this preparation: `None` when one names a
    /// value no record of it names (nothing is selected); the error of an
    /// unknown value with `strict`.
    fn drill_want(&self, options: &DrillOptions, strict: bool) -> Result<Option<Attrs>> {
        let pick =
            |slot: Option<usize>, what: &str, v: Option<&str>| match self.selector(slot, what, v) {
                Ok(k) => Ok(Some(k)),
                Err(e) if strict => Err(e),
                Err(_) => Ok(None),
            };
        let (Some(stage), Some(channel), Some(employee), Some(team), Some(customer), Some(segment)) = (
            pick(None, "stage", options.stage.as_ref().map(StageId::as_str))?,
            pick(
                Some(1),
                "channel",
                options.channel.as_ref().map(Channel::as_str),
            )?,
            pick(
                Some(2),
                "employee",
                options.employee.as_ref().map(EmployeeId::as_str),
            )?,
            pick(Some(3), "team", options.team.as_deref())?,
            pick(
                Some(4),
                "customer",
                options.customer.as_ref().map(CustomerId::as_str),
            )?,
            pick(Some(5), "segment", options.segment.as_deref())?,
        ) else {
            return Ok(None);
        };
        Ok(Some(Attrs {
            stage,
            touchpoint: NONE,
            channel,
            employee,
            team,
            customer,
            segment,
            when: 0,
        }))
    }

    /// Adds what this preparation observes in `scope` to a drill-down's
    /// tally (a stream adds each part of its records).
    pub(crate) fn drill_part(
        &self,
        options: &DrillOptions,
        scope: &Scope,
        tally: &mut DrillTally,
    ) -> Result<()> {
        let Some(want) = self.drill_want(options, false)? else {
            return Ok(());
        };
        let fits = |a: &Attrs| {
            [
                (want.stage, a.stage),
                (want.channel, a.channel),
                (want.employee, a.employee),
                (want.team, a.team),
                (want.customer, a.customer),
                (want.segment, a.segment),
            ]
            .iter()
            .all(|&(w, k)| w == NONE || w == k)
        };
        let negatives = self.negatives_for(scope);
        for (ei, e) in self.exps.iter().enumerate() {
            if tally.only.is_some_and(|o| o != ei) || !scope.stage(e.stage) {
                continue;
            }
            let id = e.latest().map_or("", |r| r.id.as_str());
            let mut err = None;
            self.observe(e, scope, &negatives, &mut |s| {
                if !fits(&s.attrs) {
                    return;
                }
                let class = class_of(e, &s);
                tally.counts.add(class);
                if !options.class.admits(class) {
                    return;
                }
                tally.matched += 1;
                if !tally.best.admits((ei, s.at, s.rec.id())) {
                    return;
                }
                match self.drill_record(e, id, &s, class, scope.as_of_ms, options.lang) {
                    Some(r) => tally.best.push((ei, s.at), r),
                    None => err = Some(s.at),
                }
            })?;
            if let Some(t) = err {
                return Err(Error::InvalidOption {
                    option: "as_of".into(),
                    message: Sentence::new(Msg::OptOutsideCalendar).value("ms", t),
                });
            }
        }
        Ok(())
    }

    /// The drill-down of a tally, as of `as_of`. An unknown selector is an
    /// error here, once every record has been read.
    pub(crate) fn drill_of(
        &self,
        options: &DrillOptions,
        as_of: Timestamp,
        tally: DrillTally,
    ) -> Result<Drill> {
        self.drill_want(options, true)?;
        Ok(Drill {
            header: Header {
                schema: DRILL_SCHEMA.to_owned(),
                diary: Some(self.diary.name.clone()),
                timezone: None,
                as_of,
            },
            options: options.clone(),
            counts: tally.counts,
            matched: tally.matched,
            records: tally.best.into_records(),
        })
    }

    fn drill_record(
        &self,
        e: &Exp<'a>,
        id: &str,
        s: &Seen<'_>,
        class: Option<Class>,
        as_of: i64,
        lang: Lang,
    ) -> Option<DrillRecord> {
        let zone = e.zones.get(s.version)?;
        let (raw, running) = match s.obs {
            Obs::Value(v) => (v, false),
            Obs::Missed(v) | Obs::Pending(v) => (v, true),
        };
        let value = zone.unit.report(raw as f64);
        let unit = zone.unit.reported();
        let timeline = self.clock_timeline(e, s, zone.adequate, as_of)?;
        Some(DrillRecord {
            expectation: id.to_owned(),
            kind: s.rec.kind(),
            id: s.rec.id().to_owned(),
            at: self.instant(s.at)?,
            stage: self.stages.name(s.attrs.stage).to_owned(),
            channel: self.name_of(1, s.attrs.channel),
            employee: self.name_of(2, s.attrs.employee),
            team: self.name_of(3, s.attrs.team),
            customer: self.name_of(4, s.attrs.customer),
            class: class.into(),
            value,
            unit,
            running,
            position: zone.position(raw),
            // Durations against a calendar are business time, and say so.
            text: super::remark::value(unit, value, e.calendar.is_some(), lang.words()),
            timeline,
        })
    }

    /// The timeline of the clock behind an interaction's observation (none
    /// for other observations); `None` past the instants mindgap reads.
    fn clock_timeline(
        &self,
        e: &Exp<'a>,
        s: &Seen<'_>,
        adequate: i64,
        as_of: i64,
    ) -> Option<Vec<super::due::ClockEvent>> {
        use super::due::{ClockKind, ClockReader, clock_kind, timeline};
        let (Rec::Interaction(i), Some(kind)) =
            (s.rec, e.records.first().and_then(|r| clock_kind(&r.metric)))
        else {
            return Some(Vec::new());
        };
        let i = i.hist()?;
        let ms = |t: &Timestamp| t.timestamp_millis();
        let stop = match kind {
            ClockKind::FirstResponse => {
                crate::engine::clock::first_reply_in(i).or(i.resolved_at.map(ms))
            }
            ClockKind::Resolution => i.resolved_at.map(ms),
            ClockKind::NextResponse => crate::engine::clock::next_responses_checked(i)
                .find(|c| c.started_ms == s.at)
                .and_then(|c| c.stopped_ms),
            ClockKind::Update => crate::engine::clock::updates_in(i)
                .find(|c| c.started_ms == s.at)
                .and_then(|c| c.stopped_ms),
            _ => return Some(Vec::new()),
        };
        let clock = self.clock_of(e, as_of);
        let reader = ClockReader::of(kind, s.rec, clock, s.at);
        let events = timeline(reader, s.rec, s.at, stop, as_of, adequate).ok()?;
        events
            .into_iter()
            .map(|(t, event)| {
                Some(super::due::ClockEvent {
                    at: self.instant(t)?,
                    event,
                })
            })
            .collect()
    }

    /// Employees (or teams) by their share of observations met, ranked by the
    /// Wilson lower bound.
    ///
    /// ```
    /// use mindgap::{PeopleOptions, Prepared};
    /// let diary = mindgap::sample::diary(400);
    /// let ranking = Prepared::new(&diary)?.people(&PeopleOptions::default())?;
    /// let people = &ranking.people;
    /// assert_eq!(people[0].rank, 1);
    /// // Ranked by the lower bound of the share met.
    /// assert!(people.windows(2).all(|w| w[0].met.lower >= w[1].met.lower));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn people(&self, options: &PeopleOptions) -> Result<People> {
        let mut tally = PeopleTally::new(self, options)?;
        let scope = self.filters(&options.filters)?;
        self.people_part(options, &scope, &mut tally)?;
        Ok(self.people_of(options, scope.as_of, tally))
    }

    /// Adds what this preparation observes in `scope` to a people ranking's
    /// tally (a stream adds each part of its records).
    pub(crate) fn people_part(
        &self,
        options: &PeopleOptions,
        scope: &Scope,
        tally: &mut PeopleTally,
    ) -> Result<()> {
        let slot = options.by.slot();
        let negatives = self.negatives_for(scope);
        let n_exps = self.exps.len();
        let PeopleTally {
            only,
            by_key,
            unassigned,
        } = tally;
        for (ei, e) in self.exps.iter().enumerate() {
            if !(only.is_empty() || only.contains(&ei)) || !scope.stage(e.stage) {
                continue;
            }
            self.observe(e, scope, &negatives, &mut |s| {
                let key = if slot == 2 {
                    s.attrs.employee
                } else {
                    s.attrs.team
                };
                let class = class_of(e, &s);
                if key == NONE {
                    *unassigned += u64::from(class.is_some());
                    return;
                }
                let t = by_key.entry(key).or_insert_with(|| PersonTally {
                    per: vec![(0, 0); n_exps],
                    ..PersonTally::default()
                });
                match class {
                    None => t.pending += 1,
                    Some(c) => {
                        let met = u64::from(c != Class::Missed);
                        t.met += met;
                        t.n += 1;
                        t.missed += 1 - met;
                        if let Some(x) = t.per.get_mut(ei) {
                            x.0 += 1;
                            x.1 += met;
                        }
                    }
                }
            })?;
        }
        Ok(())
    }

    /// The ranking of a tally, as of `as_of`.
    pub(crate) fn people_of(
        &self,
        options: &PeopleOptions,
        as_of: Timestamp,
        tally: PeopleTally,
    ) -> People {
        let slot = options.by.slot();
        let mut people = Vec::new();
        for (key, t) in tally.by_key {
            let Ok(share) = stats::wilson(t.met, t.n, options.confidence) else {
                continue;
            };
            people.push(Person {
                rank: 0,
                key: self.name_of(slot, key).unwrap_or_default(),
                met: share,
                missed: t.missed,
                pending: t.pending,
                expectations: t
                    .per
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| x.0 > 0)
                    .map(|(ei, x)| PersonExpectation {
                        id: self
                            .exps
                            .get(ei)
                            .and_then(Exp::latest)
                            .map_or(String::new(), |r| r.id.as_str().to_owned()),
                        n: x.0,
                        met: x.1,
                    })
                    .collect(),
            });
        }
        crate::util::sort::sort_by(&mut people, |a, b| {
            b.met
                .lower
                .total_cmp(&a.met.lower)
                .then_with(|| b.met.n.cmp(&a.met.n))
                .then_with(|| a.key.cmp(&b.key))
        });
        for (i, p) in people.iter_mut().enumerate() {
            p.rank = i as u64 + 1;
        }
        People {
            header: Header {
                schema: PEOPLE_SCHEMA.to_owned(),
                diary: Some(self.diary.name.clone()),
                timezone: None,
                as_of,
            },
            options: options.clone(),
            people,
            unassigned: tally.unassigned,
        }
    }

    /// Recurring problems and reasons × gap.
    ///
    /// ```
    /// use mindgap::{Prepared, ProblemOptions, ProblemScope};
    /// let diary = mindgap::sample::diary(2_000);
    /// let prepared = Prepared::new(&diary)?;
    /// let options = ProblemOptions::default().with_by([ProblemScope::Stage]).with_min_count(5);
    /// let problems = prepared.problems(&options)?;
    /// assert!(!problems.recurring.is_empty());
    /// assert!(problems.recurring.iter().all(|r| r.scope == ProblemScope::Stage && r.count >= 5));
    /// // A "recurrence" of fewer than 2 records is refused.
    /// assert!(prepared.problems(&ProblemOptions::default().with_min_count(1)).is_err());
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn problems<'s>(&'s self, options: &ProblemOptions) -> Result<Problems> {
        check_confidence(options.confidence)?;
        if options.min_count < 2 {
            return Err(Error::InvalidOption {
                option: "min_count".into(),
                message: Sentence::new(Msg::OptMinCount).value("n", options.min_count),
            });
        }
        if options.by.is_empty() {
            return Err(Error::InvalidOption {
                option: "by".into(),
                message: Sentence::new(Msg::OptProblemsBy),
            });
        }
        if options.within.as_millis() <= 0 {
            return Err(Error::InvalidOption {
                option: "within".into(),
                message: Sentence::new(Msg::OptSpan).value("value", options.within),
            });
        }
        let scope = self.filters(&options.filters)?;
        // Events: (scope, key, kind, label) → (instant, record kind, id).
        type Event<'x> = (i64, RecordKind, &'x str);
        let mut events: HashMap<(ProblemScope, u32, ProblemKind, &str), Vec<Event<'_>>> =
            HashMap::default();
        let mut push = |a: &Attrs, kind: ProblemKind, label: &'s str, ev: Event<'s>| {
            for s in &options.by {
                let key = match s {
                    ProblemScope::Customer => a.customer,
                    ProblemScope::Stage => a.stage,
                    ProblemScope::Employee => a.employee,
                };
                if key != NONE {
                    events.entry((*s, key, kind, label)).or_default().push(ev);
                }
            }
        };
        for row in self.rows.iter().flatten() {
            if !scope.admits(&row.attrs, row.opened) {
                continue;
            }
            let texts = self.sheet.texts(row.rec);
            if let Some(c) = texts.category {
                push(
                    &row.attrs,
                    ProblemKind::Category,
                    c,
                    (row.opened, RecordKind::Interaction, texts.id),
                );
            }
        }
        for f in &self.feedback {
            if let (true, false, Some(r)) =
                (scope.admits(&f.attrs, f.at), f.f.dismissed(), f.f.reason())
            {
                push(
                    &f.attrs,
                    ProblemKind::Reason,
                    r,
                    (f.at, RecordKind::Feedback, f.f.id()),
                );
            }
        }
        let k = options.min_count;
        let w = options.within.as_millis();
        let mut recurring = Vec::new();
        for ((s, key, kind, label), mut evs) in events {
            if evs.len() < k {
                continue;
            }
            crate::util::sort::sort_by(&mut evs, |a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(b.2)));
            let times: Vec<i64> = evs.iter().map(|e| e.0).collect();
            for (lo, hi) in episodes(&times, k, w) {
                let Some(part) = evs.get(lo..=hi) else {
                    continue;
                };
                let key = self.problem_key(s, key);
                recurring.extend(recurring_of(self.diary.timezone, s, key, kind, label, part));
            }
        }
        sort_recurring(&mut recurring);
        let reasons = self.reason_gaps(&scope, options.confidence)?;
        Ok(Problems {
            header: Header {
                schema: PROBLEMS_SCHEMA.to_owned(),
                diary: Some(self.diary.name.clone()),
                timezone: None,
                as_of: scope.as_of,
            },
            options: options.clone(),
            recurring,
            reasons,
        })
    }

    /// The name of a recurring problem's key.
    pub(crate) fn problem_key(&self, s: ProblemScope, key: u32) -> String {
        match s {
            ProblemScope::Customer => self.name_of(4, key).unwrap_or_default(),
            ProblemScope::Stage => self.stages.name(key).to_owned(),
            ProblemScope::Employee => self.name_of(2, key).unwrap_or_default(),
        }
    }

    /// Per stage and reason: the missed share of the observations of the
    /// interactions the reason was given about.
    fn reason_gaps(&self, scope: &Scope, confidence: f64) -> Result<Vec<ReasonGap>> {
        let mut tally = ReasonTally::default();
        let mut any = false;
        for f in &self.feedback {
            if let (false, true, Some(_)) =
                (f.f.dismissed(), scope.admits(&f.attrs, f.at), f.f.reason())
            {
                any = true;
                if let Some(i) = f.f.interaction() {
                    tally.want(i);
                }
            }
        }
        if !any {
            return Ok(Vec::new());
        }
        self.reason_part(scope, &mut tally)?;
        Ok(self.reasons_of(tally, confidence))
    }

    /// Adds what this preparation observes in `scope` to a reason tally:
    /// the observations (per stage; per interaction, of those it wants),
    /// then its feedback with a reason (a stream's interactions are all
    /// observed before its feedback).
    pub(crate) fn reason_part(&self, scope: &Scope, tally: &mut ReasonTally) -> Result<()> {
        let negatives = self.negatives_for(scope);
        let ReasonTally {
            per,
            stage_tot,
            table,
        } = tally;
        for e in &self.exps {
            if !scope.stage(e.stage) {
                continue;
            }
            self.observe(e, scope, &negatives, &mut |s| {
                let Some(class) = class_of(e, &s) else { return };
                let missed = u64::from(class == Class::Missed);
                let st = stage_tot.entry(s.attrs.stage).or_default();
                st.0 += missed;
                st.1 += 1;
                if let Rec::Interaction(i) = s.rec {
                    if let Some(p) = per.get_mut(i.id()) {
                        p.0 += missed;
                        p.1 += 1;
                    }
                }
            })?;
        }
        for f in &self.feedback {
            if f.f.dismissed() || !scope.admits(&f.attrs, f.at) {
                continue;
            }
            let Some(r) = f.f.reason() else { continue };
            let reasons = table.entry(f.attrs.stage).or_default();
            if !reasons.contains_key(r) {
                reasons.insert(r.into(), (0, 0, 0, 0));
            }
            let Some(t) = reasons.get_mut(r) else {
                continue;
            };
            t.0 += 1;
            if let Some(i) = f.f.interaction() {
                t.1 += 1;
                if let Some(p) = per.get(i) {
                    t.2 += p.0;
                    t.3 += p.1;
                }
            }
        }
        Ok(())
    }

    /// The reason gaps of a tally, by stage (in the diary's order), then
    /// lower bound of the missed share, count, reason.
    pub(crate) fn reasons_of(&self, tally: ReasonTally, confidence: f64) -> Vec<ReasonGap> {
        let ReasonTally {
            stage_tot, table, ..
        } = tally;
        let mut out: Vec<ReasonGap> = table
            .into_iter()
            .flat_map(|(stage, reasons)| reasons.into_iter().map(move |(r, t)| (stage, r, t)))
            .map(|(stage, reason, (n, linked, missed, obs))| ReasonGap {
                stage: self.stages.name(stage).to_owned(),
                reason: reason.into(),
                feedback: n,
                linked,
                missed: stats::wilson(missed, obs, confidence).ok(),
                stage_missed: stage_tot
                    .get(&stage)
                    .filter(|t| t.1 > 0)
                    .map(|t| t.0 as f64 / t.1 as f64),
            })
            .collect();
        let order: HashMap<&str, usize> = self
            .diary
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        crate::util::sort::sort_by(&mut out, |a, b| {
            let lb = |r: &ReasonGap| r.missed.as_ref().map_or(-1.0, |m| m.lower);
            order
                .get(a.stage.as_str())
                .cmp(&order.get(b.stage.as_str()))
                .then_with(|| lb(b).total_cmp(&lb(a)))
                .then_with(|| b.feedback.cmp(&a.feedback))
                .then_with(|| a.reason.cmp(&b.reason))
        });
        out
    }
}
