//! The gap of interactions scored in parts that merge exactly: what an
//! engine that splits the rows (DataFusion's partitions, Ballista's
//! executors, threads of one's own) needs to compute the report's figures.
//!
//! A [`GapScorer`] holds a diary's definitions and the report options; it
//! observes any slice of interactions into a [`GapPartial`] exactly as the
//! report observes them (the same preparation, calendars, pauses, `when`
//! selectors, segments, expectation records in force), partials
//! [merge](GapPartial::merge) by integer sums in any order, and
//! [`GapScorer::summary`] turns a partial into the report's figures.
//!
//! # What a partial covers
//!
//! The expectations measured on interactions alone: first response, next
//! response, periodic update and resolution. Ratings (read from feedback),
//! follow-ups (negative feedback and later contacts) and flags (manual
//! observations) need records of other kinds and are not in a partial.
//!
//! # The report instant
//!
//! A clock still running is *pending* or *missed* depending on the report
//! instant, which by default is the latest instant in the data: known only
//! once every part is read. A partial reads every clock at once, so the
//! scorer needs an explicit instant ([`ReportOptions::as_of`]); for the
//! report's default, find the latest instant first (the latest of
//! [`GapPartial::latest`] over the parts, and of the feedback and
//! observations if the report reads them) and score with it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::report::{GroupExpectation, Pooled, pooled};
use crate::engine::zone::{ZoneAccumulator, figures};
use crate::engine::{Interner, Prepared, ReportOptions, Tally};
use crate::error::{Error, Result};
use crate::model::{Diary, Interaction, Metric};

/// Scores interactions into [`GapPartial`]s against a diary's
/// expectations, at a fixed report instant.
///
/// ```
/// use mindgap::{GapPartial, GapScorer, ReportOptions};
/// let diary = mindgap::sample::diary(400);
/// let options = ReportOptions::default().with_as_of(mindgap::sample::as_of());
/// let scorer = GapScorer::new(&diary, &options)?;
/// // Two parts scored apart, merged in either order: the figures of the whole.
/// let (a, b) = diary.interactions.split_at(150);
/// let (mut left, mut right) = (GapPartial::default(), GapPartial::default());
/// scorer.observe(&mut left, a)?;
/// scorer.observe(&mut right, b)?;
/// let mut whole = GapPartial::default();
/// scorer.observe(&mut whole, &diary.interactions)?;
/// right.merge(&left)?;
/// // A partial travels as bytes (to another executor) and back.
/// let right = GapPartial::from_bytes(&right.to_bytes())?;
/// let summary = scorer.summary(&right);
/// assert_eq!(summary, scorer.summary(&whole));
/// // Each expectation's figures are the report's.
/// let report = mindgap::report(&diary, &options)?;
/// let first = &summary.expectations[0];
/// let same = report.expectations.iter().find(|e| e.id == first.id).unwrap();
/// assert_eq!(first.gap, same.gap);
/// # Ok::<(), mindgap::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct GapScorer {
    /// The definitions (no records).
    defs: Diary,
    options: ReportOptions,
    /// Ids of the expectations a partial covers, in diary order.
    covered: Vec<String>,
}

/// Accumulated observations of interactions: per expectation, one
/// [`ZoneAccumulator`] per record of the expectation (its zone over time),
/// merged by integer sums. Serialised with serde, or compactly with
/// [`GapPartial::to_bytes`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GapPartial {
    /// Interactions observed.
    pub rows: u64,
    /// The latest instant the observed interactions hold (epoch ms), as a
    /// report counts it for its default instant.
    pub latest: Option<i64>,
    /// Per expectation id: the accumulators of its records, oldest first.
    /// An expectation is here once an interaction of its stage was seen.
    pub expectations: BTreeMap<String, Vec<ZoneAccumulator>>,
}

/// The figures of a [`GapPartial`], as the report gives them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GapSummary {
    /// Interactions observed.
    pub rows: u64,
    /// The classes pooled over the expectations below (the report's stage
    /// `gap` when the rows are one stage's and all of its expectations are
    /// measured on interactions; a breakdown group's `gap` likewise).
    pub gap: Pooled,
    /// Each expectation seen, in diary order, with the report's
    /// [`GapFigures`](crate::GapFigures).
    pub expectations: Vec<GroupExpectation>,
}

/// Whether a partial covers the metric (measured on interactions alone).
fn covers(metric: &Metric) -> bool {
    matches!(
        metric,
        Metric::FirstResponse(_)
            | Metric::NextResponse(_)
            | Metric::Update(_)
            | Metric::Resolution(_)
    )
}

impl GapScorer {
    /// A scorer of `diary`'s expectations (its records are not read) with
    /// `options`: the report instant `as_of` is required; `since`,
    /// `until`, `stages`, `channels` and `confidence` apply as in the
    /// report; roll-ups (`by`, `per`) and `trend` are refused (group the
    /// rows instead).
    pub fn new(diary: &Diary, options: &ReportOptions) -> Result<GapScorer> {
        options.check()?;
        let refuse = |option: &str, message: &str| {
            Err(Error::InvalidOption {
                option: option.into(),
                message: message.into(),
            })
        };
        if options.as_of.is_none() {
            return refuse(
                "as_of",
                "scoring in parts needs an explicit report instant (clocks still running read at it)",
            );
        }
        if !options.by.is_empty() || options.per.is_some() {
            return refuse(
                "by",
                "scoring in parts takes no roll-ups: group the rows instead",
            );
        }
        if options.trend {
            return refuse("trend", "scoring in parts gives no trend");
        }
        let defs = crate::run::stream::definitions(diary);
        let mut covered: Vec<String> = Vec::new();
        for e in &defs.expectations {
            if covers(&e.metric) && !covered.iter().any(|c| c == e.id.as_str()) {
                covered.push(e.id.as_str().to_owned());
            }
        }
        // Checks the definitions and the stages, channels and period asked for.
        let p = Prepared::with(
            &defs,
            &mut std::iter::empty(),
            Interner::default(),
            None,
            None,
        )?;
        p.scope_of(options, options.as_of)?;
        drop(p);
        Ok(GapScorer {
            defs,
            options: options.clone(),
            covered,
        })
    }

    /// The definitions interactions are checked and scored against (the
    /// diary without its records): what a [`Loader`](crate::Loader) reading
    /// the rows starts from.
    pub fn definitions(&self) -> &Diary {
        &self.defs
    }

    /// The options scored with.
    pub fn options(&self) -> &ReportOptions {
        &self.options
    }

    /// Ids of the expectations a partial covers (those measured on
    /// interactions), in diary order.
    pub fn covered(&self) -> &[String] {
        &self.covered
    }

    /// Observes `interactions` (checked records, as a
    /// [`Loader`](crate::Loader) gives them) into `partial`, as the report
    /// observes them at its instant. Fails if a record names a stage the
    /// diary does not have, or its times are out of order (naming it).
    pub fn observe(&self, partial: &mut GapPartial, interactions: &[Interaction]) -> Result<()> {
        if interactions.is_empty() {
            return Ok(());
        }
        let p = Prepared::with(
            &self.defs,
            &mut interactions.iter(),
            Interner::default(),
            None,
            None,
        )?;
        let scope = p.scope_of(&self.options, self.options.as_of)?;
        let mut tally = Tally::new(self.defs.stages.len(), &self.options);
        let ctx = p.ctx(&self.options, true);
        p.score_expectations(&scope, &mut tally, &ctx)?;
        for (e, acc) in p.exps.iter().zip(tally.accs) {
            let (Some(acc), Some(latest)) = (acc, e.latest()) else {
                continue;
            };
            let seen = p.rows.get(e.stage as usize).is_some_and(|r| !r.is_empty());
            if !seen || !covers(&latest.metric) {
                continue;
            }
            merge_into(&mut partial.expectations, latest.id.as_str(), &acc.overall)?;
        }
        partial.rows += interactions.len() as u64;
        partial.latest = partial.latest.max(p.latest);
        Ok(())
    }

    /// The latest instant among `interactions` and the records `diary`
    /// holds itself, as a report counts it for its default instant
    /// (epoch ms; `None` when there is none): the latest over the parts is
    /// the instant to score them at for the report's default.
    ///
    /// ```
    /// let diary = mindgap::sample::diary(50);
    /// let defs = mindgap::Diary { interactions: Vec::new(), ..diary.clone() };
    /// let latest = mindgap::GapScorer::latest_of(&defs, &diary.interactions)?;
    /// let prepared = mindgap::Prepared::new(&diary)?;
    /// assert_eq!(latest, prepared.latest().map(|t| t.timestamp_millis()));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn latest_of(diary: &Diary, interactions: &[Interaction]) -> Result<Option<i64>> {
        let p = Prepared::with(
            diary,
            &mut interactions.iter(),
            Interner::default(),
            None,
            None,
        )?;
        Ok(p.latest)
    }

    /// The figures of `partial`: each expectation's as the report computes
    /// them from the same observations (exact: integer sums divided once,
    /// percentiles over every value), and their classes pooled.
    pub fn summary(&self, partial: &GapPartial) -> GapSummary {
        let conf = self.options.confidence;
        let mut expectations = Vec::new();
        let mut parts: Vec<(&[ZoneAccumulator], ())> = Vec::new();
        for id in &self.covered {
            let Some(accs) = partial.expectations.get(id) else {
                continue;
            };
            let refs: Vec<&ZoneAccumulator> = accs.iter().collect();
            expectations.push(GroupExpectation {
                id: id.clone(),
                gap: figures(&refs, conf),
            });
            parts.push((accs.as_slice(), ()));
        }
        GapSummary {
            rows: partial.rows,
            gap: pooled(&parts, conf),
            expectations,
        }
    }
}

fn merge_into(
    into: &mut BTreeMap<String, Vec<ZoneAccumulator>>,
    id: &str,
    accs: &[ZoneAccumulator],
) -> Result<()> {
    match into.get_mut(id) {
        Some(mine) => {
            if mine.len() != accs.len() {
                return Err(mismatch(id, mine.len(), accs.len()));
            }
            for (m, a) in mine.iter_mut().zip(accs) {
                m.merge(a)?;
            }
        }
        None => {
            into.insert(id.to_owned(), accs.to_vec());
        }
    }
    Ok(())
}

fn mismatch(id: &str, a: usize, b: usize) -> Error {
    Error::InvalidOption {
        option: "partial".into(),
        message: format!(
            "expectation {id:?} has {a} records in one partial and {b} in the other \
             (partials of different diaries)"
        )
        .into(),
    }
}

/// The first bytes of [`GapPartial::to_bytes`]: a name and a format version.
const MAGIC: &[u8; 8] = b"mgpart01";

impl GapPartial {
    /// Adds `other` to this partial: counts and values summed per
    /// expectation and record. Associative and commutative: any split of
    /// the rows merged in any order gives the same [`GapScorer::summary`].
    /// Fails if the partials come from different diaries (an expectation
    /// with another number of records, or another zone).
    pub fn merge(&mut self, other: &GapPartial) -> Result<()> {
        for (id, accs) in &other.expectations {
            merge_into(&mut self.expectations, id, accs)?;
        }
        self.rows += other.rows;
        self.latest = self.latest.max(other.latest);
        Ok(())
    }

    /// The partial as compact bytes (for a shuffle between executors):
    /// `mgpart01`, then the serde form with every value as a zigzag LEB128
    /// varint of its difference from the previous one (about 2–4 bytes a
    /// value instead of JSON's 8–12). [`GapPartial::from_bytes`] reads it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(MAGIC);
        put(&mut out, self.rows);
        match self.latest {
            Some(t) => {
                out.push(1);
                put(&mut out, zigzag(t));
            }
            None => out.push(0),
        }
        put(&mut out, self.expectations.len() as u64);
        for (id, accs) in &self.expectations {
            put(&mut out, id.len() as u64);
            out.extend_from_slice(id.as_bytes());
            put(&mut out, accs.len() as u64);
            for acc in accs {
                // The zone and the counts as JSON (small), then the values.
                let head = Head {
                    zone: acc.zone,
                    counts: acc.counts(),
                };
                let head = serde_json::to_vec(&head).unwrap_or_default();
                put(&mut out, head.len() as u64);
                out.extend_from_slice(&head);
                put(&mut out, acc.values().len() as u64);
                let mut prev = 0i64;
                for v in acc.values() {
                    put(&mut out, zigzag(v.wrapping_sub(prev)));
                    prev = v;
                }
            }
        }
        out
    }

    /// Reads [`GapPartial::to_bytes`]; fails, saying where, on anything
    /// else (another format, truncated or inconsistent bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<GapPartial> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(r.bad("not a mindgap partial (mgpart01)"));
        }
        let rows = r.varint()?;
        let latest = match r.take(1)? {
            [0] => None,
            [1] => Some(unzigzag(r.varint()?)),
            _ => return Err(r.bad("a latest instant flag other than 0 or 1")),
        };
        let n = r.varint()?;
        let mut expectations = BTreeMap::new();
        for _ in 0..n {
            let len = r.len()?;
            let id = std::str::from_utf8(r.take(len)?)
                .map_err(|_| r.bad("an expectation id that is not UTF-8"))?
                .to_owned();
            let versions = r.len()?;
            let mut accs = Vec::new();
            for _ in 0..versions {
                let len = r.len()?;
                let head: Head = serde_json::from_slice(r.take(len)?)
                    .map_err(|e| r.bad(&format!("expectation {id:?}: {e}")))?;
                let mut acc = ZoneAccumulator::new(head.zone);
                let values = r.len()?;
                let mut prev = 0i64;
                for _ in 0..values {
                    let v = prev.wrapping_add(unzigzag(r.varint()?));
                    acc.add(v);
                    prev = v;
                }
                let (ex, wi, mi, pe) = head.counts;
                let (vex, vwi, vmi, _) = acc.counts();
                if (vex, vwi) != (ex, wi) || vmi > mi {
                    return Err(r.bad(&format!(
                        "expectation {id:?}: the counts do not match the values"
                    )));
                }
                for _ in vmi..mi {
                    acc.add_missed_without_value();
                }
                for _ in 0..pe {
                    acc.add_pending();
                }
                accs.push(acc);
            }
            expectations.insert(id, accs);
        }
        if r.at != bytes.len() {
            return Err(r.bad("bytes after the end"));
        }
        Ok(GapPartial {
            rows,
            latest,
            expectations,
        })
    }
}

/// An accumulator's zone and counts `(exceeded, within, missed, pending)`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Head {
    zone: crate::engine::zone::Zone,
    counts: (u64, u64, u64, u64),
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn bad(&self, what: &str) -> Error {
        Error::InvalidOption {
            option: "partial".into(),
            message: format!("byte {}: {what}", self.at).into(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'b [u8]> {
        match self.bytes.get(self.at..self.at.saturating_add(n)) {
            Some(s) => {
                self.at += n;
                Ok(s)
            }
            None => Err(self.bad("truncated")),
        }
    }

    fn varint(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let [b] = self.take(1)? else {
                return Err(self.bad("truncated"));
            };
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.bad("a varint longer than 10 bytes"))
    }

    /// A length: at most the bytes left (no huge allocation from bad input).
    fn len(&mut self) -> Result<usize> {
        let v = self.varint()?;
        match usize::try_from(v) {
            Ok(n) if n <= self.bytes.len() - self.at => Ok(n),
            _ => Err(self.bad(&format!("a length of {v} past the end"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ReportOptions;

    fn options() -> ReportOptions {
        ReportOptions::default().with_as_of(crate::sample::as_of())
    }

    #[test]
    fn parts_merged_in_any_order_give_the_report_figures() -> Result<()> {
        let diary = crate::sample::diary(3000);
        let scorer = GapScorer::new(&diary, &options())?;
        let report = crate::report(&diary, &options())?;
        let mut parts: Vec<GapPartial> = Vec::new();
        for chunk in diary.interactions.chunks(257) {
            let mut p = GapPartial::default();
            scorer.observe(&mut p, chunk)?;
            parts.push(GapPartial::from_bytes(&p.to_bytes())?);
        }
        let mut whole = GapPartial::default();
        for p in parts.iter().rev() {
            whole.merge(p)?;
        }
        let summary = scorer.summary(&whole);
        assert_eq!(summary.rows, 3000);
        assert!(!summary.expectations.is_empty());
        for e in &summary.expectations {
            let r = report.expectations.iter().find(|r| r.id == e.id);
            assert_eq!(Some(&e.gap), r.map(|r| &r.gap), "{}", e.id);
        }
        // Every covered expectation of the report is there.
        let covered = report
            .expectations
            .iter()
            .filter(|e| scorer.covered().contains(&e.id))
            .count();
        assert_eq!(summary.expectations.len(), covered);
        Ok(())
    }

    #[test]
    fn the_report_instant_is_required_and_roll_ups_refused() {
        let diary = crate::sample::diary(10);
        let e = GapScorer::new(&diary, &ReportOptions::default());
        assert!(e.is_err_and(|e| e.to_string().contains("report instant")));
        let by = options().with_by(crate::Dimension::Channel);
        assert!(GapScorer::new(&diary, &by).is_err());
    }

    #[test]
    fn bad_bytes_are_refused_with_the_place() -> Result<()> {
        let diary = crate::sample::diary(300);
        let scorer = GapScorer::new(&diary, &options())?;
        let mut p = GapPartial::default();
        scorer.observe(&mut p, &diary.interactions)?;
        let bytes = p.to_bytes();
        assert_eq!(GapPartial::from_bytes(&bytes)?, {
            // Values come back in order: the same accumulators.
            p.clone()
        });
        for cut in [0, 5, 9, bytes.len() / 2, bytes.len() - 1] {
            let e = GapPartial::from_bytes(&bytes[..cut]);
            assert!(
                e.is_err_and(|e| e.to_string().contains("byte")),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(GapPartial::from_bytes(&longer).is_err());
        Ok(())
    }
}
