//! Trends: how gaps — and expectations themselves — move over time.
//!
//! A series is one report figure per period (day, ISO week or month in the
//! diary's time zone) for one group (a stage, an expectation, a channel, an
//! employee). Every bucket between the first and the last is present; a bucket
//! with no data keeps `n = 0` and no value (a gap), and the statistics use the
//! buckets that have a value, at their own positions `x` (bucket index).
//!
//! Per series: OLS slope with its standard error; Theil–Sen slope with Sen's
//! interval; Mann–Kendall S, Z and two-sided p with the tie correction; a
//! verdict in words (improving / worsening / no significant change / not
//! enough data, knowing which way is better for the figure); EWMA; p-chart
//! limits that follow each bucket's n (shares); the last period against the
//! previous one or the same period a year before with a two-proportion test
//! (shares); the most likely change point; and, when a significant trend is
//! worsening, the bucket where it will cross the adequate level.
//!
//! Also: the drift of the expectations themselves (the same expectation
//! recorded again in a later survey wave), stages, touchpoints and channels
//! with no new records for a while, and expectations with no observations.
//!
//! The types are always here (a report carries an optional trend); the
//! computation only with the core's `trend` feature (on by default): without
//! it, [`check_options`] refuses every trend by name, and the series and
//! their statistics are not compiled in (the npm package's report build).

// Without `trend`, what only the computation reads is left unused.
#![cfg_attr(not(feature = "trend"), allow(dead_code, unused_imports))]

use super::Header;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::report::{Group, Report};
use crate::engine::zone::{Figure, ValueUnit};
use crate::engine::{Dimension, LatestSeen, Prepared, ReportOptions};
use crate::error::{Error, Result};
use crate::model::{Diary, Metric, Timestamp};
use crate::stats::{
    self, ChangePoint, Counts, MannKendall, OlsFit, PChart, ProportionChange, TheilSen,
};
use crate::time::period::Bucket;
use crate::time::span::Span;
use crate::words::{Msg, Sentence};

/// Schema of the trend JSON.
pub const TREND_SCHEMA: &str = "mindgap/trend/1";

/// The figure a series follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TrendMetric {
    /// Share of observations worse than adequate (lower is better).
    Missed,
    /// Mean MSA (higher is better; expectations only: units differ).
    Msa,
    /// Mean zone position (higher is better).
    Zone,
    /// 90th percentile of the observed values (lower is better for durations;
    /// expectations only).
    P90,
    /// NPS (higher is better).
    Nps,
    /// CSAT share of 4–5 (higher is better).
    Csat,
    /// CES mean (higher is better).
    Ces,
    /// Number of interactions (neither way is better).
    Volume,
}

impl TrendMetric {
    /// +1 when higher is better, −1 when lower is better, 0 for neither.
    fn better(self, higher_is_better_values: bool) -> i8 {
        match self {
            TrendMetric::Missed => -1,
            TrendMetric::P90 => {
                if higher_is_better_values {
                    1
                } else {
                    -1
                }
            }
            TrendMetric::Volume => 0,
            _ => 1,
        }
    }
    fn is_share(self) -> bool {
        matches!(self, TrendMetric::Missed | TrendMetric::Csat)
    }
}

/// What a series is grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TrendBy {
    /// Journey stage.
    Stage,
    /// Expectation.
    Expectation,
    /// Channel.
    Channel,
    /// Employee.
    Employee,
}

/// The period compared with the last one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// The period before (the default).
    #[default]
    Previous,
    /// The same period a year before: the same ISO week number of the
    /// previous ISO year, the same date, the same month. None for ISO week 53
    /// after a 52-week year nor for 29 February (no other period stands in).
    YearBefore,
}

/// Trend options; every field has a documented default.
///
#[cfg_attr(feature = "trend", doc = "```")]
// Without the `trend` feature every trend is refused by name.
#[cfg_attr(not(feature = "trend"), doc = "```ignore")]
/// use mindgap::{Bucket, ReportOptions, Span, TrendBy, TrendMetric, TrendOptions};
/// let options = TrendOptions::default()
///     .with_by(TrendBy::Expectation)
///     .with_metric(TrendMetric::P90)
///     .with_bucket(Bucket::Month)
///     .with_alpha(0.01)
///     .with_stale_after(Span::from_days(14))
///     .with_report(ReportOptions::default().with_as_of(mindgap::sample::as_of()));
/// let trend = mindgap::trend(&mindgap::sample::diary(400), &options)?;
/// assert_eq!(trend.options, options);
/// assert!(trend.series.iter().any(|s| s.group == "chat-reply"));
/// # Ok::<(), mindgap::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct TrendOptions {
    /// The figure (default: missed share).
    pub metric: TrendMetric,
    /// The grouping (default: stage).
    pub by: TrendBy,
    /// The period (default: ISO week).
    pub bucket: Bucket,
    /// Significance level of the verdicts and tests (default 0.05); Sen's
    /// intervals are at confidence 1 − alpha.
    pub alpha: f64,
    /// EWMA weight λ (default 0.3).
    pub ewma_lambda: f64,
    /// What the last period is compared with (default: the previous one).
    pub compare: Compare,
    /// A stage, touchpoint or channel is stale after this long without a new
    /// record (default `P30D`).
    pub stale_after: Span,
    /// Report instant, filters, confidence: as for the report.
    pub report: ReportOptions,
}

crate::util::setters!(TrendOptions {
    /// Sets the metric of the series.
    with_metric(metric: TrendMetric) metric: set;
    /// Sets what a series is of.
    with_by(by: TrendBy) by: set;
    /// Sets the period of a bucket.
    with_bucket(bucket: Bucket) bucket: set;
    /// Sets the significance level of the tests.
    with_alpha(alpha: f64) alpha: set;
    /// Sets the EWMA smoothing weight.
    with_ewma_lambda(lambda: f64) ewma_lambda: set;
    /// Sets what the last period is compared with.
    with_compare(compare: Compare) compare: set;
    /// Sets when a stage counts as stale.
    with_stale_after(after: Span) stale_after: set;
    /// Sets the report options the series are read with (filters, as of).
    with_report(report: ReportOptions) report: set;
});

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            metric: TrendMetric::Missed,
            by: TrendBy::Stage,
            bucket: Bucket::Week,
            alpha: 0.05,
            ewma_lambda: 0.3,
            compare: Compare::Previous,
            stale_after: Span::from_days(30),
            report: ReportOptions::default(),
        }
    }
}

/// One bucket of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Period label (`2026-05-04`, `2026-05`).
    pub period: String,
    /// Position on the x axis (bucket index from the first bucket).
    pub x: f64,
    /// Observations (answers, interactions) behind the value.
    pub n: u64,
    /// The value; absent for a bucket with no data.
    pub value: Figure<f64>,
    /// Successes behind a share (missed, satisfied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub k: Option<u64>,
}

/// The direction of a series in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A significant trend the better way.
    Improving,
    /// A significant trend the worse way.
    Worsening,
    /// A significant rise of a figure that is neither better nor worse.
    Rising,
    /// A significant fall of such a figure.
    Falling,
    /// No significant trend.
    NoSignificantChange,
    /// Fewer than three buckets with a value.
    NotEnoughData,
}

/// Where a worsening trend will cross the adequate level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// The level (the adequate level, or 0 for MSA and zone position).
    pub level: f64,
    /// The x where the Theil–Sen line crosses it; for `already`, the x of
    /// the last bucket with a value.
    pub x: f64,
    /// The period it falls in, or `already` when the series is past the
    /// level: its last value, or the Theil–Sen line at its last bucket.
    pub period: String,
}

/// The change point, with the period where the level moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    /// The statistics.
    #[serde(flatten)]
    pub change: ChangePoint,
    /// The first period of the new level.
    pub period: String,
}

/// The statistics of one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesStats {
    /// Buckets with a value.
    pub n: usize,
    /// The verdict in words.
    pub verdict: Verdict,
    /// Ordinary least squares.
    pub ols: Figure<OlsFit>,
    /// Theil–Sen slope with Sen's interval.
    pub theil_sen: Figure<TheilSen>,
    /// Mann–Kendall test.
    pub mann_kendall: Figure<MannKendall>,
    /// EWMA of the values present, in order.
    pub ewma: Figure<Vec<f64>>,
    /// p-chart over the buckets with data (shares only).
    pub p_chart: Figure<PChart>,
    /// The last period against the previous (or a year before).
    pub change: Figure<ProportionChange>,
    /// The most likely change point.
    pub shift: Figure<Shift>,
    /// When a worsening trend crosses the adequate level.
    pub projection: Figure<Projection>,
}

/// One series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The group (stage id, expectation id, channel, employee).
    pub group: String,
    /// A readable name.
    pub name: String,
    /// The unit of the values when they are in the expectation's own (p90
    /// and MSA by expectation: `seconds` for durations, `points` for
    /// ratings); absent for shares, counts, scores and zone positions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<ValueUnit>,
    /// The points, every bucket from the first to the last.
    pub points: Vec<Point>,
    /// The statistics.
    pub stats: SeriesStats,
}

/// How an expectation's levels moved between its first and last records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DriftDirection {
    /// Customers expect more: the levels got stricter.
    Tightening,
    /// Customers expect less: the levels got laxer.
    Loosening,
    /// The levels did not move.
    Unchanged,
    /// One level got stricter, the other laxer.
    Mixed,
}

crate::util::names!(DriftDirection {
    Tightening => "tightening",
    Loosening => "loosening",
    Unchanged => "unchanged",
    Mixed => "mixed",
});

/// How an expectation's levels moved between survey waves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// Expectation id.
    pub expectation: String,
    /// Unit of the levels.
    pub unit: ValueUnit,
    /// Records with a `recorded_at`, oldest first: (time, desired, adequate).
    pub waves: Vec<Wave>,
    /// How the levels moved from the first record to the last.
    pub direction: DriftDirection,
    /// Theil–Sen of the adequate level per day (three waves or more), its
    /// interval at confidence 1 − alpha.
    pub adequate_trend: Figure<TheilSen>,
    /// In plain words.
    pub remark: String,
}

/// One measurement of an expectation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wave {
    /// When.
    #[serde(with = "crate::model::rfc3339")]
    pub recorded_at: Timestamp,
    /// Desired level.
    pub desired: f64,
    /// Adequate level.
    pub adequate: f64,
}

/// A stage, touchpoint or channel and its latest record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Freshness {
    /// `stage`, `touchpoint` or `channel`.
    pub kind: String,
    /// Its id (`stage/touchpoint` for touchpoints).
    pub key: String,
    /// The latest interaction or feedback, if any.
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub latest: Option<Timestamp>,
    /// Days from the latest record to as-of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_silent: Option<f64>,
    /// No records within `stale_after`.
    pub stale: bool,
}

impl Freshness {
    /// In plain words: `stage service (42 days)`, `touchpoint purchase/cart (never)`.
    pub fn describe(&self) -> String {
        match self.days_silent {
            Some(d) => format!("{} {} ({d:.0} days)", self.kind, self.key),
            None => format!("{} {} (never)", self.kind, self.key),
        }
    }
}

/// The stale entries of a staleness list, in plain words.
pub fn stale_list(list: &[Freshness]) -> Vec<String> {
    list.iter()
        .filter(|f| f.stale)
        .map(Freshness::describe)
        .collect()
}

/// The trend report (schema `mindgap/trend/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendReport {
    /// [`TREND_SCHEMA`] and the report instant.
    #[serde(flatten)]
    pub header: Header,
    /// The options used.
    pub options: TrendOptions,
    /// One series per group.
    pub series: Vec<Series>,
    /// Expectations recorded more than once.
    pub drift: Vec<Drift>,
    /// Stages, touchpoints and channels, and whether they went quiet.
    pub staleness: Vec<Freshness>,
    /// Expectations with no observations at all: collected, never measured.
    pub never_observed: Vec<String>,
}

fn absent<T>(why: impl Into<String>) -> Figure<T> {
    Figure::Absent { absent: why.into() }
}

fn fig<T>(r: std::result::Result<T, stats::Insufficient>) -> Figure<T> {
    match r {
        Ok(v) => Figure::Value(v),
        Err(e) => absent(e.to_string()),
    }
}

/// One bucket's raw figure: (value, n, k).
type Raw = (Option<f64>, u64, Option<u64>);

fn group_raw(metric: TrendMetric, g: &Group) -> Raw {
    match metric {
        TrendMetric::Missed => {
            let k = g.gap.missed.value().map(|s| s.k);
            (g.gap.missed.value().map(|s| s.share), g.gap.n, k)
        }
        TrendMetric::Zone => (g.gap.zone_position.value().copied(), g.gap.n, None),
        TrendMetric::Nps => match g.feedback.nps.value() {
            Some(e) => (Some(e.nps), e.n, None),
            None => (None, 0, None),
        },
        TrendMetric::Csat => match g.feedback.csat.value() {
            Some(s) => (Some(s.share), s.n, Some(s.k)),
            None => (None, 0, None),
        },
        TrendMetric::Ces => match g.feedback.ces.value() {
            Some(c) => (Some(c.mean), c.n, None),
            None => (None, 0, None),
        },
        TrendMetric::Volume => (Some(g.interactions as f64), g.interactions, None),
        TrendMetric::Msa | TrendMetric::P90 => (None, 0, None),
    }
}

fn expectation_raw(metric: TrendMetric, gap: &crate::engine::zone::GapFigures) -> Raw {
    match metric {
        TrendMetric::Missed => (
            gap.missed.value().map(|s| s.share),
            gap.n,
            gap.missed.value().map(|s| s.k),
        ),
        TrendMetric::Zone => (gap.zone_position.value().copied(), gap.valued, None),
        TrendMetric::Msa => (gap.msa.value().map(|m| m.mean), gap.valued, None),
        TrendMetric::P90 => (gap.percentiles.value().map(|p| p.p90), gap.valued, None),
        TrendMetric::Volume => (
            Some((gap.n + gap.pending) as f64),
            gap.n + gap.pending,
            None,
        ),
        TrendMetric::Nps | TrendMetric::Csat | TrendMetric::Ces => (None, 0, None),
    }
}

/// Computes the trends of a diary.
///
#[cfg_attr(feature = "trend", doc = "```")]
#[cfg_attr(not(feature = "trend"), doc = "```ignore")]
/// use mindgap::{Bucket, TrendBy, TrendMetric, TrendOptions};
/// let diary = mindgap::sample::diary(2_000);
/// let options = TrendOptions::default()
///     .with_by(TrendBy::Stage)
///     .with_metric(TrendMetric::Missed)
///     .with_bucket(Bucket::Month);
/// let trend = mindgap::trend(&diary, &options).unwrap();
/// assert_eq!(trend.series.len(), diary.stages.len());
/// ```
pub fn trend(diary: &Diary, options: &TrendOptions) -> Result<TrendReport> {
    trend_prepared(&Prepared::new(diary)?, options)
}

/// Computes the trends of a prepared diary (so a report and its trend share
/// one preparation).
///
#[cfg_attr(feature = "trend", doc = "```")]
#[cfg_attr(not(feature = "trend"), doc = "```ignore")]
/// use mindgap::{Prepared, ReportOptions, TrendOptions, trend_prepared};
/// let diary = mindgap::sample::diary(400);
/// let prepared = Prepared::new(&diary)?;
/// let report = prepared.report(&ReportOptions::default())?;
/// let trend = trend_prepared(&prepared, &TrendOptions::default())?;
/// // The same result as from the diary, at the same default instant as the report.
/// assert_eq!(trend, mindgap::trend(&diary, &TrendOptions::default())?);
/// assert_eq!(trend.header.as_of, report.header.as_of);
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn trend_prepared(prepared: &Prepared<'_>, options: &TrendOptions) -> Result<TrendReport> {
    trend_with(prepared, options, None)
}

/// [`trend_prepared`], reusing `whole`: the report of the same data with
/// `options.report` (any roll-ups in it are not read).
pub(crate) fn trend_with(
    prepared: &Prepared<'_>,
    options: &TrendOptions,
    whole: Option<&Report>,
) -> Result<TrendReport> {
    check_options(options)?;
    let report = prepared.series_report(&series_options(options))?;
    let computed;
    let whole = match whole {
        Some(w) => w,
        None => {
            computed = prepared.report(&whole_options(options, report.header.as_of))?;
            &computed
        }
    };
    let seen = prepared.latest_seen(report.header.as_of.timestamp_millis());
    trend_from(prepared.diary(), options, &report, whole, seen)
}

/// The options of the report a trend's levels and names come from: the
/// trend's report options without roll-ups, at `as_of`.
pub(crate) fn whole_options(
    options: &TrendOptions,
    as_of: Timestamp,
) -> crate::engine::ReportOptions {
    let mut overall = options.report.clone();
    overall.by.clear();
    overall.per = None;
    overall.trend = false;
    overall.as_of = Some(as_of);
    overall
}

/// Refuses options no trend can be computed with, and every trend in a build
/// without the `trend` feature.
pub(crate) fn check_options(options: &TrendOptions) -> Result<()> {
    if cfg!(not(feature = "trend")) {
        return Err(Error::InvalidOption {
            option: "trend".into(),
            message: Sentence::new(Msg::OptNoTrend),
        });
    }
    if !(options.alpha > 0.0 && options.alpha < 1.0) {
        return Err(Error::InvalidOption {
            option: "alpha".into(),
            message: Sentence::new(Msg::OptAlpha).value("value", options.alpha),
        });
    }
    if !(options.ewma_lambda > 0.0 && options.ewma_lambda <= 1.0) {
        return Err(Error::InvalidOption {
            option: "ewma_lambda".into(),
            message: Sentence::new(Msg::OptLambda).value("value", options.ewma_lambda),
        });
    }
    let m = options.metric;
    match (options.by, m) {
        (TrendBy::Expectation, TrendMetric::Nps | TrendMetric::Csat | TrendMetric::Ces) => {
            return Err(Error::InvalidOption {
                option: "metric".into(),
                message: Sentence::new(Msg::OptFeedbackByExpectation),
            });
        }
        (
            TrendBy::Stage | TrendBy::Channel | TrendBy::Employee,
            TrendMetric::Msa | TrendMetric::P90,
        ) => {
            return Err(Error::InvalidOption {
                option: "metric".into(),
                message: Sentence::new(Msg::OptUnitsDiffer),
            });
        }
        _ => {}
    }
    Ok(())
}

/// The report options whose roll-up holds the series: the trend's group
/// dimension split by its bucket.
pub(crate) fn series_options(options: &TrendOptions) -> crate::engine::ReportOptions {
    let dim = match options.by {
        TrendBy::Stage | TrendBy::Expectation => Dimension::Stage,
        TrendBy::Channel => Dimension::Channel,
        TrendBy::Employee => Dimension::Employee,
    };
    let mut ro = options.report.clone();
    ro.by = vec![dim];
    ro.per = Some(options.bucket);
    ro.trend = false;
    ro
}

/// Without the `trend` feature: never reached ([`check_options`] refuses
/// every trend before a report is tallied for one).
#[cfg(not(feature = "trend"))]
pub(crate) fn trend_from(
    _: &Diary,
    options: &TrendOptions,
    _: &Report,
    _: &Report,
    _: LatestSeen,
) -> Result<TrendReport> {
    check_options(options)?;
    Err(Error::internal("a trend without the `trend` feature"))
}

/// The trend from `report` (made with [`series_options`]), `whole` (the same
/// data without roll-ups) and what was last seen where.
#[cfg(feature = "trend")]
pub(crate) fn trend_from(
    diary: &Diary,
    options: &TrendOptions,
    report: &Report,
    whole: &Report,
    seen: LatestSeen,
) -> Result<TrendReport> {
    let m = options.metric;

    // group → period label → raw figure.
    let mut raw: BTreeMap<String, BTreeMap<String, Raw>> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut periods: Vec<NaiveDate> = Vec::new();
    for g in report.breakdowns.iter().flat_map(|b| &b.groups) {
        let Some(period) = g.period.clone() else {
            continue;
        };
        if let Some(d) = parse_period(&period, options.bucket) {
            periods.push(d);
        }
        if options.by == TrendBy::Expectation {
            for e in &g.expectations {
                raw.entry(e.id.clone())
                    .or_default()
                    .insert(period.clone(), expectation_raw(m, &e.gap));
            }
        } else {
            raw.entry(g.key.clone())
                .or_default()
                .insert(period.clone(), group_raw(m, g));
        }
    }
    match options.by {
        TrendBy::Expectation => {
            for e in &whole.expectations {
                order.push(e.id.clone());
                names.insert(
                    e.id.clone(),
                    if e.description.is_empty() {
                        e.id.clone()
                    } else {
                        e.description.clone()
                    },
                );
            }
        }
        TrendBy::Stage => {
            for s in &whole.stages {
                order.push(s.id.clone());
                names.insert(s.id.clone(), s.name.clone());
            }
        }
        _ => {
            order = raw.keys().cloned().collect();
            for k in &order {
                names.insert(k.clone(), k.clone());
            }
        }
    }
    periods.sort_unstable();
    periods.dedup();
    let all_periods: Vec<NaiveDate> = match (periods.first(), periods.last()) {
        (Some(&first), Some(&last)) => {
            let mut v = Vec::new();
            let mut d = first;
            while d <= last && v.len() < 100_000 {
                v.push(d);
                d = options.bucket.next(d);
            }
            v
        }
        _ => Vec::new(),
    };
    let mut series = Vec::new();
    for group in order {
        let empty = BTreeMap::new();
        let values = raw.get(&group).unwrap_or(&empty);
        let points: Vec<Point> = all_periods
            .iter()
            .enumerate()
            .map(|(x, d)| {
                let label = options.bucket.label(*d);
                let (value, n, k) = values.get(&label).copied().unwrap_or((None, 0, None));
                Point {
                    period: label,
                    x: x as f64,
                    n,
                    value: match value {
                        Some(v) if n > 0 => Figure::Value(v),
                        _ => absent("no data in this period"),
                    },
                    k,
                }
            })
            .collect();
        let level = level_of(diary, options, &group, whole);
        let stats = series_stats(&points, options, level, &all_periods);
        let name = names.get(&group).cloned().unwrap_or_else(|| group.clone());
        let unit = match m {
            TrendMetric::P90 | TrendMetric::Msa => whole
                .expectations
                .iter()
                .find(|e| e.id == group)
                .map(|e| e.gap.unit),
            _ => None,
        };
        series.push(Series {
            group,
            name,
            unit,
            points,
            stats,
        });
    }
    Ok(TrendReport {
        header: Header {
            schema: TREND_SCHEMA.to_owned(),
            diary: None,
            timezone: None,
            as_of: report.header.as_of,
        },
        options: options.clone(),
        series,
        drift: drift(diary, 1.0 - options.alpha, options.report.lang),
        staleness: staleness(diary, seen, report.header.as_of, options.stale_after),
        never_observed: never_observed(whole),
    })
}

fn parse_period(label: &str, bucket: Bucket) -> Option<NaiveDate> {
    match bucket {
        Bucket::Month => crate::words::date::parse_ymd(&format!("{label}-01")),
        _ => crate::words::date::parse_ymd(label),
    }
}

/// The level a worsening series is projected to cross, and whether the values
/// are "higher is better".
fn level_of(
    diary: &Diary,
    options: &TrendOptions,
    group: &str,
    whole: &Report,
) -> (Option<f64>, bool) {
    match options.metric {
        TrendMetric::Zone | TrendMetric::Msa => (Some(0.0), true),
        TrendMetric::P90 => {
            let row = whole.expectations.iter().find(|e| e.id == group);
            let higher = diary
                .expectations
                .iter()
                .find(|e| e.id.as_str() == group)
                .is_some_and(|e| matches!(e.metric, Metric::Rating(_) | Metric::Flag(_)));
            (
                row.and_then(|r| r.levels.last()).map(|l| l.adequate),
                higher,
            )
        }
        _ => (None, true),
    }
}

/// The first date of the same period a year before the one starting at
/// `start`: the same ISO week number of the previous ISO year (52 weeks back,
/// or 53 after a 53-week year), the same calendar date, the same month. `Err`
/// says why there is none: week 53 when the year before has 52 weeks, 29
/// February — no other period stands in for it.
fn year_before(bucket: Bucket, start: NaiveDate) -> std::result::Result<NaiveDate, String> {
    use chrono::Datelike;
    match bucket {
        Bucket::Week => {
            let w = start.iso_week();
            NaiveDate::from_isoywd_opt(w.year() - 1, w.week(), chrono::Weekday::Mon).ok_or_else(
                || {
                    format!(
                        "ISO week {} of {} has no counterpart in {}, a year of 52 weeks",
                        w.week(),
                        w.year(),
                        w.year() - 1
                    )
                },
            )
        }
        Bucket::Day => start.with_year(start.year() - 1).ok_or_else(|| {
            format!(
                "{} has no counterpart in {}",
                crate::words::date::format("%-d %B %Y", start, chrono::NaiveTime::MIN),
                start.year() - 1
            )
        }),
        Bucket::Month => start
            .checked_sub_months(chrono::Months::new(12))
            .ok_or_else(|| format!("{} has no month a year before it", bucket.label(start))),
    }
}

fn series_stats(
    points: &[Point],
    options: &TrendOptions,
    level: (Option<f64>, bool),
    periods: &[NaiveDate],
) -> SeriesStats {
    let m = options.metric;
    // Sen's interval at the trend's own level: z = z₁₋α/₂ (Gilbert 1987).
    let conf = 1.0 - options.alpha;
    let present: Vec<&Point> = points
        .iter()
        .filter(|p| p.value.value().is_some())
        .collect();
    let x: Vec<f64> = present.iter().map(|p| p.x).collect();
    let y: Vec<f64> = present
        .iter()
        .filter_map(|p| p.value.value().copied())
        .collect();
    let ols = fig(stats::ols(&x, &y));
    let theil_sen = fig(stats::theil_sen(&x, &y, conf));
    let mann_kendall = fig(stats::mann_kendall(&y));
    let better = m.better(level.1);
    let verdict = match (y.len(), mann_kendall.value()) {
        (n, _) if n < 3 => Verdict::NotEnoughData,
        (_, Some(mk)) if mk.p_value < options.alpha && mk.s != 0 => {
            let rising = mk.s > 0;
            match (better, rising) {
                (0, true) => Verdict::Rising,
                (0, false) => Verdict::Falling,
                (b, r) if (b > 0) == r => Verdict::Improving,
                _ => Verdict::Worsening,
            }
        }
        (_, Some(_)) => Verdict::NoSignificantChange,
        (_, None) => Verdict::NotEnoughData,
    };
    let ewma = fig(stats::ewma(&y, options.ewma_lambda));
    let share_counts: Vec<Counts> = present
        .iter()
        .map(|p| Counts::new(p.k.unwrap_or(0), p.n))
        .collect();
    let p_chart = if m.is_share() {
        fig(stats::p_chart(&share_counts))
    } else {
        absent("p-charts are for shares (missed, csat)")
    };
    let change = if !m.is_share() {
        absent("the period test is for shares (missed, csat)")
    } else {
        let last = present.last();
        let prev = match options.compare {
            Compare::Previous => Ok(present.len().checked_sub(2).and_then(|i| present.get(i))),
            Compare::YearBefore => match last.and_then(|l| periods.get(l.x as usize)) {
                Some(&date) => year_before(options.bucket, date).map(|d| {
                    let label = options.bucket.label(d);
                    present.iter().find(|p| p.period == label)
                }),
                None => Ok(None),
            },
        };
        match (prev, last) {
            (Err(why), _) => absent(why),
            (Ok(Some(a)), Some(b)) => fig(stats::proportion_change(
                Counts::new(a.k.unwrap_or(0), a.n),
                Counts::new(b.k.unwrap_or(0), b.n),
            )),
            _ => absent("no period to compare with"),
        }
    };
    let shift = match stats::change_point(&y, &stats::ChangePointOptions::default()) {
        Ok(c) => match present.get(c.index) {
            Some(p) => Figure::Value(Shift {
                period: p.period.clone(),
                change: c,
            }),
            None => absent("no change point"),
        },
        Err(e) => absent(e.to_string()),
    };
    let projection = match (verdict, level.0, theil_sen.value()) {
        (Verdict::Worsening, Some(lvl), Some(ts)) => {
            let last_x = x.last().copied().unwrap_or(0.0);
            let last_y = y.last().copied().unwrap_or(0.0);
            let beyond = |v: f64| if better > 0 { v < lvl } else { v > lvl };
            // Past already: the last value, or the fitted line at the last
            // bucket (then it crossed before it, and looking forward from
            // last_x finds no crossing).
            if beyond(last_y) || beyond(ts.intercept + ts.slope * last_x) {
                Figure::Value(Projection {
                    level: lvl,
                    x: last_x,
                    period: "already".into(),
                })
            } else {
                match stats::crossing_x(ts.slope, ts.intercept, lvl, last_x) {
                    Some(cx) => {
                        // Counted from the series' own last bucket with a
                        // value: buckets after it (empty here, filled in
                        // other series) are part of the wait, not before it.
                        let mut d = periods.get(last_x as usize).copied();
                        let steps = (cx - last_x).ceil().max(0.0) as usize;
                        for _ in 0..steps.min(10_000) {
                            d = d.map(|d| options.bucket.next(d));
                        }
                        Figure::Value(Projection {
                            level: lvl,
                            x: cx,
                            period: d.map_or_else(String::new, |d| options.bucket.label(d)),
                        })
                    }
                    None => absent("the trend line does not reach the adequate level"),
                }
            }
        }
        (Verdict::Worsening, None, _) => absent("this figure has no adequate level"),
        (Verdict::Worsening, _, None) => absent("no Theil–Sen line"),
        _ => absent("no significant worsening trend"),
    };
    SeriesStats {
        n: y.len(),
        verdict,
        ols,
        theil_sen,
        mann_kendall,
        ewma,
        p_chart,
        change,
        shift,
        projection,
    }
}

fn drift(diary: &Diary, confidence: f64, lang: crate::engine::Lang) -> Vec<Drift> {
    let w = lang.words();
    let mut ids: Vec<&str> = Vec::new();
    for e in &diary.expectations {
        if !ids.contains(&e.id.as_str()) {
            ids.push(e.id.as_str());
        }
    }
    let mut out = Vec::new();
    for id in ids {
        let mut waves: Vec<(Timestamp, f64, f64, ValueUnit)> = diary
            .expectations
            .iter()
            .filter(|e| e.id.as_str() == id)
            .filter_map(|e| {
                let t = e.recorded_at?;
                if matches!(e.metric, Metric::Flag(_)) {
                    return None;
                }
                let z = crate::engine::zone_of(&e.metric);
                Some((
                    t,
                    z.unit.report(z.desired as f64),
                    z.unit.report(z.adequate as f64),
                    z.unit.reported(),
                ))
            })
            .collect();
        if waves.len() < 2 {
            continue;
        }
        crate::util::sort::sort_by_key(&mut waves, |w| w.0);
        let (Some(first), Some(last)) = (waves.first().copied(), waves.last().copied()) else {
            continue;
        };
        let unit = first.3;
        let lower_better = matches!(unit, ValueUnit::Seconds | ValueUnit::BusinessDays);
        let tighter = if lower_better {
            last.2 < first.2 || last.1 < first.1
        } else {
            last.2 > first.2 || last.1 > first.1
        };
        let looser = if lower_better {
            last.2 > first.2 || last.1 > first.1
        } else {
            last.2 < first.2 || last.1 < first.1
        };
        let direction = match (tighter, looser) {
            (true, false) => DriftDirection::Tightening,
            (false, true) => DriftDirection::Loosening,
            (false, false) => DriftDirection::Unchanged,
            (true, true) => DriftDirection::Mixed,
        };
        let t0 = first.0.timestamp() as f64;
        let x: Vec<f64> = waves
            .iter()
            .map(|w| (w.0.timestamp() as f64 - t0) / 86_400.0)
            .collect();
        let y: Vec<f64> = waves.iter().map(|w| w.2).collect();
        // Durations measured against a calendar are business time.
        let business = diary
            .expectations
            .iter()
            .any(|e| e.id.as_str() == id && e.calendar.is_some());
        let fmt = |v: f64| super::remark::value(unit, v, business, w);
        let range = |a: f64, b: f64| format!("{}–{}", fmt(a), fmt(b));
        let remark = crate::words::fill(
            w.drift,
            &[
                ("now", &range(last.1, last.2)),
                ("before", &range(first.1, first.2)),
                ("from", &w.date(&first.0)),
                ("to", &w.date(&last.0)),
                (
                    "direction",
                    match direction {
                        DriftDirection::Tightening => w.dir_tightening,
                        DriftDirection::Loosening => w.dir_loosening,
                        DriftDirection::Unchanged => w.dir_unchanged,
                        DriftDirection::Mixed => w.dir_mixed,
                    },
                ),
            ],
        );
        out.push(Drift {
            expectation: id.to_owned(),
            unit,
            waves: waves
                .iter()
                .map(|w| Wave {
                    recorded_at: w.0,
                    desired: w.1,
                    adequate: w.2,
                })
                .collect(),
            direction,
            adequate_trend: fig(stats::theil_sen(&x, &y, confidence)),
            remark,
        });
    }
    out
}

fn staleness(
    diary: &Diary,
    seen: LatestSeen,
    as_of: Timestamp,
    stale_after: Span,
) -> Vec<Freshness> {
    let mut latest: BTreeMap<(u8, String), Option<Timestamp>> = BTreeMap::new();
    for s in &diary.stages {
        latest.insert((0, s.id.as_str().to_owned()), None);
        for t in &s.touchpoints {
            latest.insert((1, format!("{}/{}", s.id, t.id)), None);
        }
    }
    for (kind, list) in [
        (0u8, seen.stages),
        (1, seen.touchpoints),
        (2, seen.channels),
    ] {
        for (key, t) in list {
            latest.insert((kind, key), Some(t));
        }
    }
    latest
        .into_iter()
        .map(|((kind, key), t)| {
            let days = t.map(|t| (as_of - t).num_seconds() as f64 / 86_400.0);
            Freshness {
                kind: ["stage", "touchpoint", "channel"]
                    .get(kind as usize)
                    .copied()
                    .unwrap_or("stage")
                    .to_owned(),
                key,
                latest: t,
                days_silent: days,
                stale: days.is_none_or(|d| d * 86_400_000.0 > stale_after.as_millis() as f64),
            }
        })
        .collect()
}

fn never_observed(whole: &Report) -> Vec<String> {
    whole
        .expectations
        .iter()
        .filter(|e| e.gap.n == 0 && e.gap.pending == 0)
        .map(|e| e.id.clone())
        .collect()
}

/// A sparkline of the values (`▁▂▃▄▅▆▇█`, a space for a gap).
pub fn sparkline(points: &[Point]) -> String {
    let vals: Vec<Option<f64>> = points.iter().map(|p| p.value.value().copied()).collect();
    let (lo, hi) = vals
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    vals.iter()
        .map(|v| match v {
            None => ' ',
            Some(v) if hi > lo => {
                let i = ((v - lo) / (hi - lo) * 7.0).round() as usize;
                BARS.get(i.min(7)).copied().unwrap_or('▄')
            }
            Some(_) => '▄',
        })
        .collect()
}

#[cfg(test)]
#[cfg(feature = "trend")]
mod tests {
    use super::*;

    fn sample_trend(metric: TrendMetric, by: TrendBy) -> TrendReport {
        let options = TrendOptions {
            metric,
            by,
            ..TrendOptions::default()
        };
        trend(&crate::sample::diary(crate::sample::DEFAULT_ROWS), &options).unwrap()
    }

    fn series<'a>(r: &'a TrendReport, group: &str) -> &'a Series {
        r.series.iter().find(|s| s.group == group).unwrap()
    }

    #[test]
    fn the_sample_patterns_are_found() {
        let r = sample_trend(TrendMetric::Missed, TrendBy::Stage);
        assert_eq!(
            series(&r, "service").stats.verdict,
            Verdict::Worsening,
            "the after-sales stage gets slower"
        );
        assert_eq!(
            series(&r, "repeat").stats.verdict,
            Verdict::NoSignificantChange,
            "the repeat stage is stable"
        );
        let e = sample_trend(TrendMetric::P90, TrendBy::Expectation);
        assert_eq!(
            series(&e, "support-email-reply").stats.verdict,
            Verdict::Worsening
        );
        assert!(
            series(&e, "support-email-reply")
                .stats
                .projection
                .value()
                .is_some()
        );
        assert_eq!(
            series(&e, "chat-reply").stats.verdict,
            Verdict::Improving,
            "chat replies get faster"
        );
        // The complaint burst: the purchase stage's missed share jumps in September.
        let p = series(&r, "purchase");
        let flagged: Vec<&str> = p
            .stats
            .p_chart
            .value()
            .unwrap()
            .points
            .iter()
            .zip(p.points.iter().filter(|x| x.value.value().is_some()))
            .filter(|(c, _)| c.signal == stats::Signal::Above)
            .map(|(_, pt)| pt.period.as_str())
            .collect();
        assert!(
            flagged.iter().any(|w| w.starts_with("2026-09")),
            "{flagged:?}"
        );
        // The tightening chat expectation.
        assert_eq!(r.drift.len(), 1);
        assert_eq!(r.drift[0].direction, DriftDirection::Tightening);
        assert!(
            r.drift[0]
                .remark
                .starts_with("Customers now expect 10 min–30 min, not 15 min–1 h"),
            "{}",
            r.drift[0].remark
        );
    }

    #[test]
    fn values_in_an_expectations_unit_say_so() {
        let e = sample_trend(TrendMetric::P90, TrendBy::Expectation);
        assert_eq!(series(&e, "chat-reply").unit, Some(ValueUnit::Seconds));
        let json = serde_json::to_value(series(&e, "chat-reply")).unwrap();
        assert_eq!(json["unit"], "seconds");
        let r = sample_trend(TrendMetric::Missed, TrendBy::Stage);
        assert!(r.series.iter().all(|s| s.unit.is_none()));
        let json = serde_json::to_value(&r.series[0]).unwrap();
        assert!(json.get("unit").is_none(), "{json}");
    }

    #[test]
    fn weeks_are_contiguous_with_gaps_kept() {
        let r = sample_trend(TrendMetric::Volume, TrendBy::Channel);
        let s = &r.series[0];
        assert_eq!(s.points.first().unwrap().period, "2026-04-27");
        for w in s.points.windows(2) {
            assert_eq!(w[1].x, w[0].x + 1.0);
        }
    }

    #[test]
    fn mismatched_metric_and_grouping_are_errors() {
        let d = crate::sample::diary(100);
        let o = TrendOptions {
            metric: TrendMetric::P90,
            ..TrendOptions::default()
        };
        assert_eq!(trend(&d, &o).unwrap_err().code(), 23);
        let o = TrendOptions {
            metric: TrendMetric::Nps,
            by: TrendBy::Expectation,
            ..TrendOptions::default()
        };
        assert!(trend(&d, &o).unwrap_err().to_string().contains("by stage"));
    }

    #[test]
    fn staleness_and_never_observed() {
        let mut d = crate::sample::definitions();
        d.interactions = crate::sample::records(200).map(|r| r.0).collect();
        let r = trend(&d, &TrendOptions::default()).unwrap();
        let service = r
            .staleness
            .iter()
            .find(|f| f.kind == "stage" && f.key == "service")
            .unwrap();
        assert!(!service.stale);
        assert!(r.never_observed.contains(&"one-click-payment".to_owned()));
        assert!(r.never_observed.contains(&"checkout-csat".to_owned()));
        // Records only in May, looked at at the end of October: everything went quiet.
        let may: Vec<_> = d
            .interactions
            .iter()
            .filter(|i| i.opened_at.format("%m").to_string() == "05")
            .cloned()
            .collect();
        d.interactions = may;
        let mut o = TrendOptions::default();
        o.report.as_of = Some(crate::sample::as_of());
        let r = trend(&d, &o).unwrap();
        let service = r
            .staleness
            .iter()
            .find(|f| f.kind == "stage" && f.key == "service")
            .unwrap();
        assert!(service.stale);
        assert!(service.days_silent.unwrap() > 150.0);
    }

    /// Every `bucket` from the one starting at `first`, `buckets` of them;
    /// bucket x has the raw figure `raw(x)`.
    fn bucketed(
        bucket: Bucket,
        first: NaiveDate,
        buckets: usize,
        raw: impl Fn(usize) -> Raw,
    ) -> (Vec<Point>, Vec<NaiveDate>) {
        let mut periods = vec![first];
        while periods.len() < buckets {
            let next = bucket.next(*periods.last().unwrap());
            periods.push(next);
        }
        let points = periods
            .iter()
            .enumerate()
            .map(|(x, d)| {
                let (v, n, k) = raw(x);
                Point {
                    period: bucket.label(*d),
                    x: x as f64,
                    n,
                    value: v.map_or_else(|| absent("no data in this period"), Figure::Value),
                    k,
                }
            })
            .collect();
        (points, periods)
    }

    /// Weekly buckets from Monday 2026-01-05, `buckets` of them; `values[x]`
    /// is the value of bucket x (`None`, or past the end: no data).
    fn weekly(values: &[Option<f64>], buckets: usize) -> (Vec<Point>, Vec<NaiveDate>) {
        let first = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        bucketed(Bucket::Week, first, buckets, |x| {
            let v = values.get(x).copied().flatten();
            (v, u64::from(v.is_some()), None)
        })
    }

    /// The period the last of the buckets `first..=last` is compared with
    /// under `--year-before`, or why there is none.
    fn compared_with(
        bucket: Bucket,
        first: &str,
        last: &str,
    ) -> std::result::Result<String, String> {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (first, last) = (day(first), day(last));
        let mut buckets = 1;
        let mut d = first;
        while d < last {
            d = bucket.next(d);
            buckets += 1;
        }
        assert_eq!(d, last, "{last} starts a {bucket:?}");
        // Bucket x: x + 1 missed of 1000, so the counts tell which was used.
        let (points, periods) = bucketed(bucket, first, buckets, |x| {
            let k = x as u64 + 1;
            (Some(k as f64 / 1000.0), 1000, Some(k))
        });
        let options = TrendOptions::default()
            .with_bucket(bucket)
            .with_compare(Compare::YearBefore);
        match series_stats(&points, &options, (None, true), &periods).change {
            Figure::Value(c) => {
                assert_eq!(c.current.k, buckets as u64);
                Ok(points[c.previous.k as usize - 1].period.clone())
            }
            Figure::Absent { absent } => Err(absent),
        }
    }

    #[test]
    fn year_before_is_the_same_iso_week_date_or_month() {
        // 2026-W19 against 2025-W19 (2025-04-28 is 2025-W18, 53 weeks back).
        assert_eq!(
            compared_with(Bucket::Week, "2025-04-21", "2026-05-04"),
            Ok("2025-05-05".into())
        );
        // 2027-W01 against 2026-W01, which starts in December 2025.
        assert_eq!(
            compared_with(Bucket::Week, "2025-12-01", "2027-01-04"),
            Ok("2025-12-29".into())
        );
        // 2026 has 53 ISO weeks, 2025 has 52: W53 has no counterpart.
        let none = compared_with(Bucket::Week, "2025-12-01", "2026-12-28").unwrap_err();
        assert!(none.contains("week 53"), "{none}");
        // 2021-W52 against 2020-W52, not 2020-W53.
        assert_eq!(
            compared_with(Bucket::Week, "2020-12-14", "2021-12-27"),
            Ok("2020-12-21".into())
        );
        assert_eq!(
            compared_with(Bucket::Day, "2027-02-20", "2027-03-01"),
            Err("no period to compare with".into()),
            "2026-03-01 is not in the series"
        );
        assert_eq!(
            compared_with(Bucket::Day, "2026-02-20", "2027-03-01"),
            Ok("2026-03-01".into())
        );
        let none = compared_with(Bucket::Day, "2027-02-20", "2028-02-29").unwrap_err();
        assert!(none.contains("29 February"), "{none}");
        assert_eq!(
            compared_with(Bucket::Month, "2025-01-01", "2026-05-01"),
            Ok("2025-05".into())
        );
    }

    fn vector(section: &str, name: &str) -> serde_json::Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/stats/vectors.json"
        );
        let all: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        all[section]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap()
            .clone()
    }

    #[test]
    fn sen_interval_is_at_the_trend_alpha() {
        // scipy.stats.theilslopes(y, x, alpha=0.99), scripts/stats_vectors.py.
        let v = vector("theil_sen", "negative_n50_99");
        let floats = |k: &str| -> Vec<f64> {
            v[k].as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_f64().unwrap())
                .collect()
        };
        let (x, y) = (floats("x"), floats("y"));
        assert_eq!(x, (0..50).map(f64::from).collect::<Vec<_>>());
        let (points, periods) = weekly(&y.iter().copied().map(Some).collect::<Vec<_>>(), 50);
        // The report's confidence stays at its default 0.95: alpha alone decides.
        let options = TrendOptions::default()
            .with_metric(TrendMetric::Zone)
            .with_alpha(0.01);
        let stats = series_stats(&points, &options, (Some(0.0), true), &periods);
        let ts = stats.theil_sen.value().unwrap();
        assert!((ts.confidence - 0.99).abs() < 1e-15, "{}", ts.confidence);
        let ci = ts.interval.unwrap();
        for (got, want) in [(ci.low, "low_slope"), (ci.high, "high_slope")] {
            let want = v[want].as_f64().unwrap();
            assert!((got - want).abs() <= 1e-12 * want.abs(), "{got} vs {want}");
        }
    }

    /// 10, 20, …, 100 in buckets 0–9 (a p90 in seconds getting worse by 10
    /// a week: Sen slope 10, intercept 10), then `empty` buckets with no data.
    fn worsening_p90(empty: usize) -> (Vec<Point>, Vec<NaiveDate>) {
        let values: Vec<Option<f64>> = (1..=10).map(|i| Some(f64::from(i) * 10.0)).collect();
        weekly(&values, 10 + empty)
    }

    fn projection(points: &[Point], periods: &[NaiveDate], level: f64) -> Figure<Projection> {
        let options = TrendOptions::default()
            .with_by(TrendBy::Expectation)
            .with_metric(TrendMetric::P90);
        let stats = series_stats(points, &options, (Some(level), false), periods);
        assert_eq!(stats.verdict, Verdict::Worsening);
        stats.projection
    }

    #[test]
    fn projection_counts_from_the_series_own_last_bucket() {
        // The line 10 + 10x reaches 155 at x = 14.5: first past it in bucket 15,
        // 2026-01-05 + 15 weeks, however many empty buckets end the series.
        for empty in [0, 3] {
            let (points, periods) = worsening_p90(empty);
            let p = projection(&points, &periods, 155.0);
            let p = p.value().unwrap();
            assert_eq!((p.x, p.period.as_str()), (14.5, "2026-04-20"), "{empty}");
        }
    }

    #[test]
    fn a_line_already_past_the_level_is_already_past() {
        // 10, 20, …, 110, then a dip to 60: the last value is within the
        // level 100, but the Sen line 5 + 10x is at 115 there, past it since
        // x = 9.5 — already crossed, not "does not reach".
        let mut values: Vec<Option<f64>> = (1..=11).map(|i| Some(f64::from(i) * 10.0)).collect();
        values.push(Some(60.0));
        let (points, periods) = weekly(&values, 12);
        let p = projection(&points, &periods, 100.0);
        let p = p.value().unwrap_or_else(|| panic!("{p:?}"));
        assert_eq!((p.period.as_str(), p.x, p.level), ("already", 11.0, 100.0));
        // The last value past the level says so too (as before).
        let (points, periods) = worsening_p90(0);
        let p = projection(&points, &periods, 95.0);
        assert_eq!(p.value().unwrap().period, "already");
    }

    #[test]
    fn sparkline_marks_gaps() {
        let p = |v: Option<f64>| Point {
            period: String::new(),
            x: 0.0,
            n: 1,
            value: v.map_or_else(|| absent("gap"), Figure::Value),
            k: None,
        };
        assert_eq!(sparkline(&[p(Some(0.0)), p(None), p(Some(1.0))]), "▁ █");
    }
}
