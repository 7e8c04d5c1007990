//! The gap report: what [`Prepared::tally`] counted, assembled into
//! figures per expectation, per stage and per roll-up group, with the
//! feedback figures and a remark in plain words.

use super::Header;
use serde::{Deserialize, Serialize};

use super::remark;
use crate::engine::feedback::{FeedbackAccumulator, FeedbackFigures};
use crate::engine::zone::{
    self as zone, Direction, Figure, GapFigures, ValueUnit, ZoneAccumulator, figures,
};
use crate::engine::{
    Crosshair, Dimension, Exp, ExpAcc, GroupKey, KEYED, Lang, NO_ID, NONE, Prepared, REPORT_SCHEMA,
    ReportOptions, Scope, Tally,
};
use crate::error::Result;
use crate::model::*;
use crate::stats::{self, ShareInterval};

/// The zone of an expectation in reported units (seconds or points).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Levels {
    /// Desired level.
    pub desired: f64,
    /// Adequate level.
    pub adequate: f64,
    /// Promised level, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promised: Option<f64>,
    /// The unit of the levels.
    pub unit: ValueUnit,
    /// `lower_is_better` or `higher_is_better`.
    pub direction: Direction,
    /// When this record was made.
    #[serde(
        with = "crate::model::rfc3339_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub recorded_at: Option<Timestamp>,
}

/// Importance–Performance quadrant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Important and below the cross-hair: act here first.
    ConcentrateHere,
    /// Important and above: keep it up.
    KeepUpTheGoodWork,
    /// Less important and below.
    LowPriority,
    /// Less important and above: possibly more than needed.
    PossibleOverkill,
}

/// A group that drives a gap: the channel or employee with the largest missed
/// share (ranked by its Wilson lower bound).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    /// [`Dimension::Channel`] or [`Dimension::Employee`].
    pub dimension: Dimension,
    /// The channel or employee.
    pub key: String,
    /// Its missed share with the interval.
    pub missed: ShareInterval,
}

/// One expectation's row of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpectationReport {
    /// Id.
    pub id: String,
    /// Stage id.
    pub stage: String,
    /// Touchpoint, if narrowed to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<String>,
    /// Channel, if narrowed to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Segment, if narrowed to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Plain words.
    pub description: String,
    /// Metric kind.
    pub metric: String,
    /// Importance of the latest record.
    pub importance: f64,
    /// Calendar durations are measured in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Every record of the expectation, oldest first (the last is current).
    pub levels: Vec<Levels>,
    /// The gap.
    pub gap: GapFigures,
    /// What actually happened, in plain units ("p90 3 d 4 h").
    pub actual: String,
    /// Groups that drive the gap.
    pub drivers: Vec<Driver>,
    /// Importance–Performance quadrant.
    pub quadrant: Figure<Quadrant>,
    /// The remark in plain words.
    pub remark: String,
}

/// Pooled class shares of several expectations (units differ, so only the
/// classes and the unitless zone position pool).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pooled {
    /// Classified observations.
    pub n: u64,
    /// Pending observations.
    pub pending: u64,
    /// Share exceeded.
    pub exceeded: Figure<ShareInterval>,
    /// Share within.
    pub within: Figure<ShareInterval>,
    /// Share missed (the "% of targets missed").
    pub missed: Figure<ShareInterval>,
    /// Mean zone position over the observations that have one.
    pub zone_position: Figure<f64>,
}

/// Importance-weighted indices of a stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageIndex {
    /// Σ importanceₑ·zone positionₑ / Σ importanceₑ over its expectations with
    /// a zone position (1 = at desired, 0 = at adequate).
    pub zone: Figure<f64>,
    /// Σ importanceₑ·missed shareₑ / Σ importanceₑ over its expectations with
    /// observations (flags included).
    pub missed: Figure<f64>,
}

/// One stage's row of the report: the diary table's line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageReport {
    /// Id.
    pub id: String,
    /// Name (in the report's language when the diary has it).
    pub name: String,
    /// Its expectations, in diary order.
    pub expectations: Vec<String>,
    /// Pooled classes of its expectations.
    pub gap: Pooled,
    /// Importance-weighted indices.
    pub index: StageIndex,
    /// Feedback at this stage.
    pub feedback: FeedbackFigures,
    /// The remark in plain words.
    pub remark: String,
}

/// One expectation within a group of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupExpectation {
    /// Expectation id.
    pub id: String,
    /// Its gap within the group.
    pub gap: GapFigures,
}

/// One group of a breakdown (an employee, a channel, a week…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The key.
    pub key: String,
    /// The period, when the breakdown is split by [`ReportOptions::per`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Interactions in the group (opened in the report's window).
    pub interactions: u64,
    /// Pooled over the expectations.
    pub gap: Pooled,
    /// Per expectation.
    pub expectations: Vec<GroupExpectation>,
    /// Feedback in this group.
    pub feedback: FeedbackFigures,
}

/// A roll-up by one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// The dimension.
    pub dimension: Dimension,
    /// Groups, by key.
    pub groups: Vec<Group>,
}

/// Importance–Performance analysis summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ipa {
    /// Where the cross-hair is.
    pub crosshair: Crosshair,
    /// Cross-hair importance.
    pub importance: Figure<f64>,
    /// Cross-hair performance (zone position).
    pub performance: Figure<f64>,
}

/// Reasons given at each stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonRow {
    /// Reason code.
    pub reason: String,
    /// Count per stage, in stage order.
    pub by_stage: Vec<u64>,
    /// Total.
    pub total: u64,
}

/// The diary report (schema `mindgap/report/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`REPORT_SCHEMA`], the diary, its time zone and the report instant.
    #[serde(flatten)]
    pub header: Header,
    /// The tz data the diary's zone was read from and its release
    /// (`{"source": "compiled", "release": "2025b"}`; see
    /// [`crate::set_tzdata`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tzdata: Option<crate::time::TzData>,
    /// The options used.
    pub options: ReportOptions,
    /// The diary table: one row per stage, in journey order.
    pub stages: Vec<StageReport>,
    /// One row per expectation, in diary order.
    pub expectations: Vec<ExpectationReport>,
    /// Feedback over everything in the report.
    pub feedback: FeedbackFigures,
    /// Reasons × stage.
    pub reasons: Vec<ReasonRow>,
    /// Importance–Performance cross-hair.
    pub ipa: Ipa,
    /// Requested roll-ups.
    pub breakdowns: Vec<Breakdown>,
    /// The weekly trend by expectation, with [`ReportOptions::trend`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<crate::analysis::trend::TrendReport>,
}

/// The trend options [`ReportOptions::trend`] stands for: by expectation,
/// with the report's filters and no roll-ups.
pub(crate) fn report_trend_options(
    options: &ReportOptions,
) -> crate::analysis::trend::TrendOptions {
    let mut inner = options.clone();
    inner.trend = false;
    inner.by.clear();
    inner.per = None;
    crate::analysis::trend::TrendOptions {
        by: crate::analysis::trend::TrendBy::Expectation,
        report: inner,
        ..crate::analysis::trend::TrendOptions::default()
    }
}

pub(crate) fn pooled(parts: &[(&[ZoneAccumulator], ())], confidence: f64) -> Pooled {
    let (mut ex, mut wi, mut mi, mut pe) = (0, 0, 0, 0);
    let (mut zsum, mut zn) = (0.0, 0u64);
    for (accs, ()) in parts {
        let refs: Vec<&ZoneAccumulator> = accs.iter().collect();
        let (s, n) = zone::zone_totals(&refs);
        zsum += s;
        zn += n;
        for a in *accs {
            let (e, w, m, p) = a.counts();
            ex += e;
            wi += w;
            mi += m;
            pe += p;
        }
    }
    let n = ex + wi + mi;
    let share = |k| match stats::wilson(k, n, confidence) {
        Ok(s) => Figure::Value(s),
        Err(_) => Figure::Absent {
            absent: "no classified observations".into(),
        },
    };
    Pooled {
        n,
        pending: pe,
        exceeded: share(ex),
        within: share(wi),
        missed: share(mi),
        zone_position: if zn > 0 {
            Figure::Value(zsum / zn as f64)
        } else {
            Figure::Absent {
                absent: "no observation with a zone position".into(),
            }
        },
    }
}

fn mean_or_median(mut v: Vec<f64>, how: Crosshair) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    match how {
        Crosshair::Mean => Some(v.iter().sum::<f64>() / v.len() as f64),
        Crosshair::Median => stats::quantile_in_place(&mut v, 0.5).ok(),
    }
}

impl Prepared<'_> {
    /// Scores the diary.
    ///
    /// ```
    /// use mindgap::{Prepared, ReportOptions};
    /// let diary = mindgap::sample::diary(200);
    /// let prepared = Prepared::new(&diary)?;
    /// let options = ReportOptions::default().with_as_of(mindgap::sample::as_of());
    /// let report = prepared.report(&options)?;
    /// let stages: Vec<&str> = report.stages.iter().map(|s| s.id.as_str()).collect();
    /// assert_eq!(stages, ["attraction", "purchase", "service", "repeat"]);
    /// // One preparation, many reports: the same options give the same report.
    /// assert_eq!(prepared.report(&options)?, report);
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn report(&self, options: &ReportOptions) -> Result<Report> {
        options.check()?;
        let scope = self.scope_of(options, options.as_of)?;
        let mut tally = Tally::new(self.diary.stages.len(), options);
        self.tally(options, &scope, &mut tally)?;
        let report = self.assemble(options, &scope, tally)?;
        self.with_trend(report, options)
    }

    /// The roll-up report a trend reads its series from (see
    /// [`Tally::series`]: its expectation rows carry counts only).
    pub(crate) fn series_report(&self, options: &ReportOptions) -> Result<Report> {
        options.check()?;
        let scope = self.scope_of(options, options.as_of)?;
        let mut tally = Tally::series(self.diary.stages.len(), options);
        self.tally(options, &scope, &mut tally)?;
        self.assemble(options, &scope, tally)
    }

    /// The report from a finished tally.
    pub(crate) fn assemble(
        &self,
        options: &ReportOptions,
        scope: &Scope,
        tally: Tally,
    ) -> Result<Report> {
        let conf = options.confidence;
        let as_of = scope.as_of;
        let stage_ok = &scope.stage_ok;
        let Tally {
            accs,
            fb_stage,
            fb_all,
            fb_by,
            volumes,
            ..
        } = tally;

        // Expectation rows.
        let mut expectations = Vec::new();
        let mut scored: Vec<(usize, &ExpAcc)> = Vec::new();
        for (ei, (e, acc)) in self.exps.iter().zip(&accs).enumerate() {
            let (Some(acc), Some(latest)) = (acc, e.latest()) else {
                continue;
            };
            let refs: Vec<&ZoneAccumulator> = acc.overall.iter().collect();
            let gap = figures(&refs, conf);
            let drivers = self.drivers(acc, &gap, conf);
            let levels = e
                .records
                .iter()
                .zip(&e.zones)
                .map(|(r, z)| Levels {
                    desired: z.unit.report(z.desired as f64),
                    adequate: z.unit.report(z.adequate as f64),
                    promised: match &r.metric {
                        Metric::FirstResponse(d)
                        | Metric::NextResponse(d)
                        | Metric::Update(d)
                        | Metric::Resolution(d)
                        | Metric::FollowUp(d) => {
                            d.promised.map(|p| z.unit.report(p.value() as f64))
                        }
                        Metric::Rating(r) => r.promised,
                        Metric::Flag(_) => None,
                    },
                    unit: z.unit.reported(),
                    direction: z.direction,
                    recorded_at: r.recorded_at,
                })
                .collect();
            let mut row = ExpectationReport {
                id: latest.id.as_str().to_owned(),
                stage: latest.stage.as_str().to_owned(),
                touchpoint: latest.touchpoint.as_ref().map(|t| t.as_str().to_owned()),
                channel: latest.channel.as_ref().map(|c| c.as_str().to_owned()),
                segment: latest.segment.clone(),
                description: latest.description.clone(),
                metric: latest.metric.kind().to_owned(),
                importance: latest.importance,
                calendar: latest.calendar.as_ref().map(|c| c.as_str().to_owned()),
                levels,
                actual: String::new(),
                gap,
                drivers,
                quadrant: Figure::Absent {
                    absent: String::new(),
                },
                remark: String::new(),
            };
            row.actual = remark::actual(&row, options.lang);
            expectations.push(row);
            scored.push((ei, acc));
        }

        // Importance–Performance.
        let points: Vec<(f64, f64)> = expectations
            .iter()
            .filter_map(|r| r.gap.zone_position.value().map(|&p| (r.importance, p)))
            .collect();
        let ci = mean_or_median(points.iter().map(|p| p.0).collect(), options.crosshair);
        let cp = mean_or_median(points.iter().map(|p| p.1).collect(), options.crosshair);
        for r in &mut expectations {
            r.quadrant = match (r.gap.zone_position.value(), ci, cp) {
                (Some(&p), Some(ci), Some(cp)) => {
                    Figure::Value(match (r.importance >= ci, p >= cp) {
                        (true, false) => Quadrant::ConcentrateHere,
                        (true, true) => Quadrant::KeepUpTheGoodWork,
                        (false, false) => Quadrant::LowPriority,
                        (false, true) => Quadrant::PossibleOverkill,
                    })
                }
                (None, _, _) => Figure::Absent {
                    absent: "no zone position".into(),
                },
                _ => Figure::Absent {
                    absent: "no expectation has a zone position".into(),
                },
            };
            r.remark = remark::expectation(r, options.lang);
        }

        // Stage rows.
        let lang = match options.lang {
            Lang::En => "en",
            Lang::Ru => "ru",
        };
        let mut stages = Vec::new();
        for (si, s) in self.diary.stages.iter().enumerate() {
            if !stage_ok.get(si).copied().unwrap_or(false) {
                continue;
            }
            let mine: Vec<(usize, &ExpAcc)> = scored
                .iter()
                .filter(|(ei, _)| self.exps.get(*ei).is_some_and(|e| e.stage as usize == si))
                .copied()
                .collect();
            let parts: Vec<(&[ZoneAccumulator], ())> = mine
                .iter()
                .map(|(_, a)| (a.overall.as_slice(), ()))
                .collect();
            let rows: Vec<&ExpectationReport> = expectations
                .iter()
                .filter(|r| r.stage == s.id.as_str())
                .collect();
            let weighted = |f: &dyn Fn(&ExpectationReport) -> Option<f64>, none: &str| {
                let (mut num, mut den) = (0.0, 0.0);
                for r in &rows {
                    if let Some(x) = f(r) {
                        num += r.importance * x;
                        den += r.importance;
                    }
                }
                if den > 0.0 {
                    Figure::Value(num / den)
                } else {
                    Figure::Absent {
                        absent: none.to_owned(),
                    }
                }
            };
            let index = StageIndex {
                zone: weighted(
                    &|r| r.gap.zone_position.value().copied(),
                    "no expectation with a zone position",
                ),
                missed: weighted(
                    &|r| r.gap.missed.value().map(|m| m.share),
                    "no expectation with observations",
                ),
            };
            let feedback = fb_stage
                .get(si)
                .map(|a| a.finish(conf))
                .unwrap_or_else(|| FeedbackAccumulator::default().finish(conf));
            let mut stage = StageReport {
                id: s.id.as_str().to_owned(),
                name: s.name_in(lang).to_owned(),
                expectations: rows.iter().map(|r| r.id.clone()).collect(),
                gap: pooled(&parts, conf),
                index,
                feedback,
                remark: String::new(),
            };
            stage.remark = remark::stage(&stage, &rows, options.lang);
            stages.push(stage);
        }

        // Reasons × stage.
        let mut reasons: Vec<ReasonRow> = Vec::new();
        let all = fb_all.finish(conf);
        for rc in &all.reasons {
            let by_stage: Vec<u64> = self
                .diary
                .stages
                .iter()
                .enumerate()
                .filter(|(si, _)| stage_ok.get(*si).copied().unwrap_or(false))
                .map(|(si, _)| fb_stage.get(si).map_or(0, |a| a.reason_count(&rc.reason)))
                .collect();
            reasons.push(ReasonRow {
                reason: rc.reason.clone(),
                total: by_stage.iter().sum(),
                by_stage,
            });
        }

        // Breakdowns.
        let mut breakdowns = Vec::new();
        for (k, d) in options.by.iter().enumerate() {
            let mut keys: Vec<GroupKey> = scored
                .iter()
                .flat_map(|(_, a)| a.by.get(k).into_iter().flat_map(|m| m.keys().cloned()))
                .chain(fb_by.get(k).into_iter().flat_map(|m| m.keys().cloned()))
                .chain(volumes.get(k).into_iter().flat_map(|m| m.keys().cloned()))
                .collect();
            crate::util::sort::sort_by(&mut keys, Ord::cmp);
            keys.dedup();
            let mut groups = Vec::with_capacity(keys.len());
            for key in keys {
                let mut exps = Vec::new();
                let mut parts: Vec<(&[ZoneAccumulator], ())> = Vec::new();
                for (ei, a) in &scored {
                    if let Some(accs) = a.by.get(k).and_then(|m| m.get(&key)) {
                        let refs: Vec<&ZoneAccumulator> = accs.iter().collect();
                        let id = self
                            .exps
                            .get(*ei)
                            .and_then(Exp::latest)
                            .map_or(String::new(), |e| e.id.as_str().to_owned());
                        exps.push(GroupExpectation {
                            id,
                            gap: figures(&refs, conf),
                        });
                        parts.push((accs.as_slice(), ()));
                    }
                }
                let feedback = fb_by.get(k).and_then(|m| m.get(&key)).map_or_else(
                    || FeedbackAccumulator::default().finish(conf),
                    |a| a.finish(conf),
                );
                groups.push(Group {
                    key: self.key_label(*d, &key),
                    period: match (d.bucket(), options.per, key.period) {
                        (None, Some(b), Some(p)) => Some(b.label(p)),
                        _ => None,
                    },
                    interactions: volumes
                        .get(k)
                        .and_then(|m| m.get(&key))
                        .copied()
                        .unwrap_or(0),
                    gap: pooled(&parts, conf),
                    expectations: exps,
                    feedback,
                });
            }
            if d.bucket().is_none() {
                crate::util::sort::sort_by(&mut groups, |a, b| {
                    a.key.cmp(&b.key).then_with(|| a.period.cmp(&b.period))
                });
            }
            breakdowns.push(Breakdown {
                dimension: *d,
                groups,
            });
        }

        Ok(Report {
            header: Header {
                schema: REPORT_SCHEMA.to_owned(),
                diary: Some(self.diary.name.clone()),
                timezone: Some(self.diary.timezone.name().to_owned()),
                as_of,
            },
            tzdata: Some(self.diary.timezone.tzdata()),
            options: options.clone(),
            stages,
            expectations,
            feedback: all,
            reasons,
            ipa: Ipa {
                crosshair: options.crosshair,
                importance: ci.map_or_else(
                    || Figure::Absent {
                        absent: "no expectation has a zone position".into(),
                    },
                    Figure::Value,
                ),
                performance: cp.map_or_else(
                    || Figure::Absent {
                        absent: "no expectation has a zone position".into(),
                    },
                    Figure::Value,
                ),
            },
            breakdowns,
            trend: None,
        })
    }

    /// Adds the trend [`ReportOptions::trend`] asks for.
    fn with_trend(&self, mut report: Report, options: &ReportOptions) -> Result<Report> {
        if options.trend {
            let t = report_trend_options(options);
            report.trend = Some(crate::analysis::trend::trend_with(self, &t, Some(&report))?);
        }
        Ok(report)
    }

    fn key_label(&self, d: Dimension, key: &GroupKey) -> String {
        match (key.id, key.period) {
            (NO_ID, Some(date)) => d
                .bucket()
                .map_or_else(|| date.to_string(), |b| b.label(date)),
            (NONE, _) => "(none)".to_owned(),
            (k, _) => {
                let slot = KEYED.iter().position(|x| *x == d).unwrap_or(0);
                if slot == 0 {
                    self.stages.name(k).to_owned()
                } else {
                    self.keys
                        .get(slot - 1)
                        .map_or("", |keys| keys.name(k))
                        .to_owned()
                }
            }
        }
    }

    /// The channel and the employee with the highest missed share, ranked by
    /// the Wilson lower bound (so three unlucky interactions do not top the
    /// list), named only when that lower bound is above the expectation's own
    /// missed share: a driver is a group that is worse beyond doubt.
    fn drivers(&self, acc: &ExpAcc, gap: &GapFigures, conf: f64) -> Vec<Driver> {
        let overall = gap.missed.value().map_or(1.0, |m| m.share);
        let mut out = Vec::new();
        for (dimension, map, keys) in [
            (Dimension::Channel, &acc.channel, &self.keys[1]),
            (Dimension::Employee, &acc.employee, &self.keys[2]),
        ] {
            if map.iter().filter(|c| c.1 > 0).count() < 2 {
                continue;
            }
            let best = map
                .iter()
                .enumerate()
                .filter_map(|(k, &(m, n))| stats::wilson(m, n, conf).ok().map(|w| (k as u32, w)))
                .filter(|(_, w)| w.lower > overall)
                .max_by(|a, b| a.1.lower.total_cmp(&b.1.lower).then_with(|| b.0.cmp(&a.0)));
            if let Some((k, w)) = best {
                out.push(Driver {
                    dimension,
                    key: keys.name(k).to_owned(),
                    missed: w,
                });
            }
        }
        out
    }
}

/// A reported value (`seconds` or `points`) in plain words (`3 d 4 h`).
pub fn remark_plain(unit: ValueUnit, value: f64, lang: Lang) -> String {
    remark::plain(unit, value, lang)
}

/// Scores a diary in one call (see [`Prepared`] to score one diary many times).
///
/// ```
/// let diary = mindgap::sample::diary(300);
/// let report = mindgap::report(&diary, &Default::default()).unwrap();
/// assert_eq!(report.stages.len(), 4);
/// assert!(report.expectations.iter().all(|e| !e.remark.is_empty()));
/// ```
pub fn report(diary: &Diary, options: &ReportOptions) -> Result<Report> {
    Prepared::new(diary)?.report(options)
}
