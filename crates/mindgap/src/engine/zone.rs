//! The zone of tolerance and the accumulator of observations against it.
//!
//! Values are integers in the metric's unit: milliseconds for durations,
//! micro-points (1e-6) for ratings, 0/1 for flags. Integer sums make every
//! figure exact and independent of the order observations arrive in, so
//! accumulators merged from any partition give the report of the whole, bit
//! for bit.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::stats::{self, ShareInterval};

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Durations: less is better.
    LowerIsBetter,
    /// Ratings and flags: more is better.
    HigherIsBetter,
}

/// The unit of a zone's integer values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Durations in milliseconds (reported in seconds).
    Milliseconds,
    /// Ratings in millionths of a point (reported in points).
    MicroPoints,
    /// Flags: 1 present, 0 absent.
    Flag,
    /// Business days in millionths (reported in business days).
    MicroDays,
}

impl Unit {
    /// Integer value → reported value (seconds, points, or 0/1).
    pub fn report(self, v: f64) -> f64 {
        match self {
            Unit::Milliseconds => v / 1e3,
            Unit::MicroPoints => v / 1e6,
            Unit::Flag => v,
            Unit::MicroDays => v / 1e6,
        }
    }
    /// The unit values are reported in.
    pub fn reported(self) -> ValueUnit {
        match self {
            Unit::Milliseconds => ValueUnit::Seconds,
            Unit::MicroPoints => ValueUnit::Points,
            Unit::Flag => ValueUnit::Flag,
            Unit::MicroDays => ValueUnit::BusinessDays,
        }
    }
}

/// The unit a reported value is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueUnit {
    /// Seconds (durations).
    Seconds,
    /// Points (ratings).
    Points,
    /// A flag: 1 present, 0 absent.
    Flag,
    /// Business days (levels written as business days).
    BusinessDays,
}

crate::util::names!(ValueUnit {
    Seconds => "seconds",
    Points => "points",
    Flag => "flag",
    BusinessDays => "business_days",
});

/// Where an observation stands at the report instant: in a class of the
/// zone, or pending (its clock still runs, short of the adequate level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// At or better than desired.
    Exceeded,
    /// Between desired and adequate.
    Within,
    /// Worse than adequate.
    Missed,
    /// Not classified yet.
    Pending,
}

crate::util::names!(Outcome {
    Exceeded => "exceeded",
    Within => "within",
    Missed => "missed",
    Pending => "pending",
});

impl From<Option<Class>> for Outcome {
    fn from(class: Option<Class>) -> Outcome {
        match class {
            Some(Class::Exceeded) => Outcome::Exceeded,
            Some(Class::Within) => Outcome::Within,
            Some(Class::Missed) => Outcome::Missed,
            None => Outcome::Pending,
        }
    }
}

/// A rating in points → micro-points (ratings are kept to 1e-6 of a point).
pub fn micro_points(points: f64) -> i64 {
    (points * 1e6).round() as i64
}

/// A zone of tolerance in integer units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// Which way is better.
    pub direction: Direction,
    /// The unit of `desired`, `adequate` and every value.
    pub unit: Unit,
    /// Desired level D.
    pub desired: i64,
    /// Adequate level A.
    pub adequate: i64,
}

/// Where an observation falls in the zone of tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// At or better than desired.
    Exceeded,
    /// Between desired and adequate, adequate included.
    Within,
    /// Worse than adequate.
    Missed,
}

impl Class {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Exceeded => "exceeded",
            Class::Within => "within",
            Class::Missed => "missed",
        }
    }
}

impl Zone {
    /// Checks the zone points the right way.
    ///
    /// ```
    /// use mindgap::{Direction, Unit, Zone};
    /// let hour = 3_600_000;
    /// // "Reply within 1–4 hours": lower is better, so desired ≤ adequate.
    /// let zone = Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, hour, 4 * hour)?;
    /// assert_eq!(zone.width(), 3 * 3_600_000);
    /// let inverted = Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, 4 * hour, hour);
    /// assert_eq!(inverted.unwrap_err().kind(), "invalid_option");
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn new(direction: Direction, unit: Unit, desired: i64, adequate: i64) -> Result<Zone> {
        let ok = match direction {
            Direction::LowerIsBetter => desired <= adequate,
            Direction::HigherIsBetter => desired >= adequate,
        };
        if !ok {
            return Err(Error::InvalidOption {
                option: "zone".into(),
                message: format!(
                    "desired {desired} is worse than adequate {adequate} ({} is better)",
                    match direction {
                        Direction::LowerIsBetter => "lower",
                        Direction::HigherIsBetter => "higher",
                    }
                )
                .into(),
            });
        }
        Ok(Zone {
            direction,
            unit,
            desired,
            adequate,
        })
    }

    /// Exceeded when at or better than desired, within when at or better than
    /// adequate, missed otherwise. Lower is better: `t ≤ D` exceeded,
    /// `D < t ≤ A` within, `t > A` missed; higher is better mirrors it.
    ///
    /// ```
    /// use mindgap::{Class, Direction, Unit, Zone};
    /// // CSAT: desired 5, adequate 4, in micro-points.
    /// let zone = Zone::new(Direction::HigherIsBetter, Unit::MicroPoints, 5_000_000, 4_000_000)?;
    /// assert_eq!(zone.classify(5_000_000), Class::Exceeded);
    /// assert_eq!(zone.classify(4_000_000), Class::Within); // the adequate edge is within
    /// assert_eq!(zone.classify(3_999_999), Class::Missed);
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    #[inline]
    pub fn classify(&self, v: i64) -> Class {
        let (better_or_eq_desired, better_or_eq_adequate) = match self.direction {
            Direction::LowerIsBetter => (v <= self.desired, v <= self.adequate),
            Direction::HigherIsBetter => (v >= self.desired, v >= self.adequate),
        };
        if better_or_eq_desired {
            Class::Exceeded
        } else if better_or_eq_adequate {
            Class::Within
        } else {
            Class::Missed
        }
    }

    /// Measure of service adequacy for one value, in integer units:
    /// `A − t` (lower is better) or `P − A` (higher is better); positive is good.
    pub fn msa(&self, v: i64) -> i64 {
        match self.direction {
            Direction::LowerIsBetter => self.adequate.saturating_sub(v),
            Direction::HigherIsBetter => v.saturating_sub(self.adequate),
        }
    }

    /// Measure of service superiority: `D − t` or `P − D`; positive is good.
    pub fn mss(&self, v: i64) -> i64 {
        match self.direction {
            Direction::LowerIsBetter => self.desired.saturating_sub(v),
            Direction::HigherIsBetter => v.saturating_sub(self.desired),
        }
    }

    /// Width `|A − D|`; the zone position is undefined when it is 0.
    pub fn width(&self) -> u64 {
        self.adequate.abs_diff(self.desired)
    }

    /// Position in the zone, `(A − t)/(A − D)` (durations) or `(P − A)/(D − A)`
    /// (ratings): 0 at the adequate edge, 1 at the desired edge, below 0 when
    /// missed, above 1 when better than desired. `None` when `D = A`.
    ///
    /// ```
    /// use mindgap::{Direction, Unit, Zone};
    /// let hour = 3_600_000;
    /// let zone = Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, hour, 4 * hour)?;
    /// assert_eq!(zone.position(4 * hour), Some(0.0)); // the adequate edge
    /// assert_eq!(zone.position(hour), Some(1.0)); // the desired edge
    /// assert_eq!(zone.position(7 * hour), Some(-1.0)); // missed by a zone's width
    /// let no_width = Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, hour, hour)?;
    /// assert_eq!(no_width.position(hour), None);
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn position(&self, v: i64) -> Option<f64> {
        let w = self.width();
        (w != 0).then(|| self.msa(v) as f64 / w as f64)
    }
}

/// Observations of one zone: class counts and every value, so percentiles
/// are exact and partial accumulators merge losslessly. Values are kept in 4
/// bytes while they fit (durations up to 24 days in milliseconds, ratings up
/// to 2,147 points in micro-points), in 8 from the first that does not.
///
/// ```
/// use mindgap::{Direction, Unit, Zone, ZoneAccumulator};
/// // "Answer an email in 1–3 days".
/// let day = 86_400_000;
/// let zone = Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, day, 3 * day).unwrap();
/// let (mut a, mut b) = (ZoneAccumulator::new(zone), ZoneAccumulator::new(zone));
/// a.add(day / 2); // exceeded
/// b.add(4 * day); // missed
/// a.merge(&b).unwrap(); // partial accumulators merge exactly, in any order
/// let f = mindgap::figures(&[&a], 0.95);
/// assert_eq!(f.n, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneAccumulator {
    /// The zone every observation is scored against.
    pub zone: Zone,
    pub(crate) exceeded: u64,
    pub(crate) within: u64,
    pub(crate) missed: u64,
    pub(crate) pending: u64,
    pub(crate) values: Values,
    /// Whether values are kept (for percentiles and means) or only counted
    /// (the crate's own trend series); not part of the serialised form.
    #[serde(skip, default = "keeps_values")]
    pub(crate) keep: bool,
}

fn keeps_values() -> bool {
    true
}

/// Integer values in arrival order, 4 bytes each while every one fits: in
/// thousands while every value is a whole number of them (durations to the
/// second in milliseconds, ratings in micro-points: a resolution time past
/// 24.8 days no longer takes 8 bytes), else as they are; 8 bytes each once
/// neither fits. Serialised as a list of integers.
#[derive(Debug, Clone)]
pub(crate) enum Values {
    /// `v * unit` for each `v`; `unit` is [`THOUSANDS`] or 1.
    Narrow {
        unit: i64,
        v: Vec<i32>,
    },
    Wide(Vec<i64>),
}

/// The unit of narrow values that are all whole thousands.
const THOUSANDS: i64 = 1000;

impl Default for Values {
    fn default() -> Self {
        Values::Narrow {
            unit: THOUSANDS,
            v: Vec::new(),
        }
    }
}

impl PartialEq for Values {
    fn eq(&self, other: &Values) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Values {
    #[inline]
    pub(crate) fn push(&mut self, x: i64) {
        match self {
            Values::Narrow { unit, v } => {
                // Divided by a constant (a multiplication), not by `unit`
                // (a division instruction: a fifth of adding a value).
                let n = if *unit == THOUSANDS {
                    (x % THOUSANDS == 0).then_some(x / THOUSANDS)
                } else {
                    Some(x)
                };
                if let Some(Ok(n)) = n.map(i32::try_from) {
                    v.push(n);
                    return;
                }
                self.push_slow(x);
            }
            Values::Wide(w) => w.push(x),
        }
    }

    /// A value the narrow form in its unit cannot hold: the values so far
    /// as they are (if they and `x` fit 4 bytes), else widened.
    #[cold]
    pub(crate) fn push_slow(&mut self, x: i64) {
        let Values::Narrow { unit, v } = self else {
            if let Values::Wide(w) = self {
                w.push(x);
            }
            return;
        };
        if *unit != 1 {
            let ones: Option<Vec<i32>> = v
                .iter()
                .map(|&n| i32::try_from(i64::from(n) * *unit).ok())
                .collect();
            if let (Some(mut ones), Ok(x)) = (ones, i32::try_from(x)) {
                ones.push(x);
                *self = Values::Narrow { unit: 1, v: ones };
                return;
            }
        }
        // From here on 8 bytes each.
        let mut wide = widened(v, *unit);
        wide.push(x);
        *self = Values::Wide(wide);
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Values::Narrow { v, .. } => v.len(),
            Values::Wide(w) => w.len(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn iter(&self) -> ValuesIter<'_> {
        ValuesIter(match self {
            Values::Narrow { unit, v } => Slice::Narrow(v.iter(), *unit),
            Values::Wide(w) => Slice::Wide(w.iter()),
        })
    }

    pub(crate) fn extend(&mut self, other: &Values) {
        match (&mut *self, other) {
            (Values::Narrow { unit: a, v }, Values::Narrow { unit: b, v: w }) if a == b => {
                v.extend_from_slice(w);
            }
            (Values::Wide(a), _) => a.extend(other.iter()),
            _ => {
                if let Values::Narrow { v, .. } = self {
                    v.reserve(other.len());
                }
                other.iter().for_each(|x| self.push(x));
            }
        }
    }
}

/// Narrow values (in `unit`) in 8 bytes each, with room for as many again.
fn widened(narrow: &[i32], unit: i64) -> Vec<i64> {
    let mut wide = Vec::with_capacity(narrow.len().saturating_mul(2).max(4));
    wide.extend(narrow.iter().map(|&v| i64::from(v) * unit));
    wide
}

/// The values of a [`ZoneAccumulator`], in arrival order
/// ([`ZoneAccumulator::values`]).
#[derive(Debug, Clone)]
pub struct ValuesIter<'a>(Slice<'a>);

#[derive(Debug, Clone)]
enum Slice<'a> {
    Narrow(std::slice::Iter<'a, i32>, i64),
    Wide(std::slice::Iter<'a, i64>),
}

impl Iterator for ValuesIter<'_> {
    type Item = i64;
    #[inline]
    fn next(&mut self) -> Option<i64> {
        match &mut self.0 {
            Slice::Narrow(n, unit) => n.next().map(|&v| i64::from(v) * *unit),
            Slice::Wide(w) => w.next().copied(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            Slice::Narrow(n, _) => n.size_hint(),
            Slice::Wide(w) => w.size_hint(),
        }
    }
}

impl ExactSizeIterator for ValuesIter<'_> {}

impl Serialize for Values {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Values, D::Error> {
        let all = Vec::<i64>::deserialize(d)?;
        let mut values = Values::default();
        all.into_iter().for_each(|v| values.push(v));
        Ok(values)
    }
}

impl ZoneAccumulator {
    /// An empty accumulator.
    ///
    /// ```
    /// use mindgap::{Direction, Unit, Zone, ZoneAccumulator};
    /// let zone = Zone::new(Direction::HigherIsBetter, Unit::Flag, 1, 1)?;
    /// let acc = ZoneAccumulator::new(zone);
    /// assert_eq!(acc.zone, zone);
    /// assert_eq!((acc.classified(), acc.values().len()), (0, 0));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn new(zone: Zone) -> ZoneAccumulator {
        ZoneAccumulator {
            zone,
            exceeded: 0,
            within: 0,
            missed: 0,
            pending: 0,
            values: Values::default(),
            keep: true,
        }
    }

    /// An accumulator that counts classes but keeps no values (its
    /// percentiles, means and zone position are absent).
    pub(crate) fn counting(zone: Zone) -> ZoneAccumulator {
        ZoneAccumulator {
            keep: false,
            ..ZoneAccumulator::new(zone)
        }
    }

    /// Adds an observed value; returns its class.
    ///
    /// ```
    /// use mindgap::{Class, Direction, Unit, Zone, ZoneAccumulator};
    /// let day = 86_400_000;
    /// let zone = Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, day, 3 * day)?;
    /// let mut acc = ZoneAccumulator::new(zone);
    /// assert_eq!(acc.add(2 * day), Class::Within);
    /// assert_eq!(acc.add(5 * day), Class::Missed);
    /// acc.add_pending();
    /// assert_eq!(acc.counts(), (0, 1, 1, 1)); // exceeded, within, missed, pending
    /// assert_eq!(acc.values().collect::<Vec<_>>(), [2 * day, 5 * day]);
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    #[inline]
    pub fn add(&mut self, v: i64) -> Class {
        let class = self.zone.classify(v);
        self.count(class);
        if self.keep {
            self.values.push(v);
        }
        class
    }

    #[inline]
    pub(crate) fn count(&mut self, class: Class) {
        match class {
            Class::Exceeded => self.exceeded += 1,
            Class::Within => self.within += 1,
            Class::Missed => self.missed += 1,
        }
    }

    /// Adds a missed observation with no value (no reply, and the adequate
    /// time has passed as of the report).
    pub fn add_missed_without_value(&mut self) {
        self.missed += 1;
    }

    /// Adds a pending observation (no reply yet, adequate time not yet passed):
    /// counted apart, in no share.
    pub fn add_pending(&mut self) {
        self.pending += 1;
    }

    /// Merges another accumulator of the same zone. Associative and
    /// commutative: any partition merged in any order gives the same figures.
    ///
    /// ```
    /// use mindgap::{Direction, Unit, Zone, ZoneAccumulator};
    /// let zone = Zone::new(Direction::HigherIsBetter, Unit::MicroPoints, 5_000_000, 4_000_000)?;
    /// let values = [5_000_000, 3_000_000, 4_000_000, 4_500_000, 2_000_000, 5_000_000];
    /// let [mut whole, mut a, mut b] = [(); 3].map(|()| ZoneAccumulator::new(zone));
    /// values.iter().for_each(|&v| _ = whole.add(v));
    /// values[..3].iter().for_each(|&v| _ = a.add(v));
    /// values[3..].iter().for_each(|&v| _ = b.add(v));
    /// a.merge(&b)?; // two halves merged: the whole
    /// assert_eq!(a, whole);
    /// assert_eq!(mindgap::figures(&[&a], 0.95), mindgap::figures(&[&whole], 0.95));
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn merge(&mut self, other: &ZoneAccumulator) -> Result<()> {
        if self.zone != other.zone {
            return Err(Error::InvalidOption {
                option: "zone".into(),
                message: format!(
                    "cannot merge accumulators of different zones ({:?} and {:?})",
                    self.zone, other.zone
                )
                .into(),
            });
        }
        self.exceeded += other.exceeded;
        self.within += other.within;
        self.missed += other.missed;
        self.pending += other.pending;
        self.values.extend(&other.values);
        Ok(())
    }

    /// Classified observations: exceeded + within + missed.
    pub fn classified(&self) -> u64 {
        self.exceeded + self.within + self.missed
    }
    /// Counts `(exceeded, within, missed, pending)`.
    pub fn counts(&self) -> (u64, u64, u64, u64) {
        (self.exceeded, self.within, self.missed, self.pending)
    }
    /// The observed values, in arrival order.
    pub fn values(&self) -> ValuesIter<'_> {
        self.values.iter()
    }
}

/// A figure, or why there is none (never NaN).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Figure<T> {
    /// The value.
    Value(T),
    /// Why it is absent.
    Absent {
        /// The reason, in plain words.
        absent: String,
    },
}

impl<T> Figure<T> {
    /// The value, if present.
    pub fn value(&self) -> Option<&T> {
        match self {
            Figure::Value(v) => Some(v),
            Figure::Absent { .. } => None,
        }
    }
    pub(crate) fn absent(reason: impl Into<String>) -> Self {
        Figure::Absent {
            absent: reason.into(),
        }
    }
}

/// Mean and median of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeanMedian {
    /// Mean.
    pub mean: f64,
    /// Median (linear interpolation, NumPy's default).
    pub median: f64,
}

/// Percentiles of the observed values, in the reported unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    /// 50th percentile.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// The gap figures of a set of observations.
///
/// Shares are over exceeded + within + missed (`n`); pending observations are
/// counted apart. Value figures (percentiles, MSA, MSS, zone position) are over
/// the observations that have a value (`valued`). Durations are reported in
/// seconds, ratings in points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapFigures {
    /// Unit of the value figures (`seconds`, `points`, `flag`).
    pub unit: ValueUnit,
    /// Classified observations.
    pub n: u64,
    /// Observations not yet due.
    pub pending: u64,
    /// Share at or better than desired, with its Wilson interval.
    pub exceeded: Figure<ShareInterval>,
    /// Share within the zone.
    pub within: Figure<ShareInterval>,
    /// Share worse than adequate.
    pub missed: Figure<ShareInterval>,
    /// Observations with a value.
    pub valued: u64,
    /// Percentiles of the observed values.
    pub percentiles: Figure<Percentiles>,
    /// Mean of the observed values.
    pub mean: Figure<f64>,
    /// Measure of service adequacy (positive = better than adequate).
    pub msa: Figure<MeanMedian>,
    /// Measure of service superiority (positive = better than desired).
    pub mss: Figure<MeanMedian>,
    /// Mean position in the zone (0 adequate edge, 1 desired edge).
    pub zone_position: Figure<f64>,
}

fn share(k: u64, n: u64, confidence: f64) -> Figure<ShareInterval> {
    match stats::wilson(k, n, confidence) {
        Ok(s) => Figure::Value(s),
        Err(_) if n == 0 => Figure::absent("no classified observations"),
        Err(e) => Figure::absent(e.to_string()),
    }
}

/// The (lower, upper, γ) ranks of a linear-interpolation quantile.
fn ranks(n: usize, q: f64) -> (usize, usize, f64) {
    let h = (n - 1) as f64 * q;
    let lo = (h.floor() as usize).min(n - 1);
    (lo, (lo + 1).min(n - 1), h - lo as f64)
}

/// Quantiles of integer values by NumPy's linear method, selecting in place:
/// the largest quantile first, then each smaller one within the part left of
/// the last one placed (O(n) in all, no sort).
fn quantiles(values: &mut [i64], qs: &[f64]) -> Vec<f64> {
    let n = values.len();
    let mut out = vec![0.0; qs.len()];
    if n == 0 {
        return out;
    }
    let mut order: Vec<usize> = (0..qs.len()).collect();
    crate::util::sort::sort_by(&mut order, |&a, &b| qs[b].total_cmp(&qs[a]));
    // The last element placed: its rank and value. Everything left of it is
    // ≤ it, everything right of it ≥ it.
    let mut last: Option<(usize, i64)> = None;
    for k in order {
        let (lo, hi, gamma) = ranks(n, qs[k]);
        let a = match last {
            Some((l, v)) if l == lo => v,
            Some((l, _)) => match values.get_mut(..l) {
                Some(part) if lo < l => *part.select_nth_unstable(lo).1,
                _ => continue,
            },
            None => *values.select_nth_unstable(lo).1,
        };
        let b = if hi > lo {
            // The smallest element right of `lo`.
            let upto = match last {
                Some((l, _)) if l > lo => l,
                _ => n,
            };
            let tail = values
                .get(lo + 1..upto)
                .and_then(|t| t.iter().copied().min());
            match (tail, last) {
                (Some(x), Some((l, v))) if l > lo => x.min(v),
                (Some(x), _) => x,
                (None, Some((l, v))) if l > lo => v,
                (None, _) => a,
            }
        } else {
            a
        };
        let (af, bf) = (a as f64, b as f64);
        // NumPy's _lerp.
        if let Some(slot) = out.get_mut(k) {
            *slot = if gamma >= 0.5 {
                bf - (bf - af) * (1.0 - gamma)
            } else {
                af + (bf - af) * gamma
            };
        }
        last = Some((lo, a));
    }
    out
}

/// Class counts and exact sums of a batch of values against one zone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Batch {
    /// Values at or better than desired.
    pub exceeded: u64,
    /// Values within the zone.
    pub within: u64,
    /// Values worse than adequate.
    pub missed: u64,
    /// Σ MSA in integer units: Σ(A − t), or Σ(P − A).
    pub msa_sum: i128,
    /// Σ MSS: Σ(D − t), or Σ(P − D).
    pub mss_sum: i128,
}

impl Batch {
    /// Number of values.
    pub fn n(&self) -> u64 {
        self.exceeded + self.within + self.missed
    }
    /// Mean MSA, `None` for no values.
    pub fn msa_mean(&self) -> Option<f64> {
        (self.n() > 0).then(|| self.msa_sum as f64 / self.n() as f64)
    }
    /// Mean MSS, `None` for no values.
    pub fn mss_mean(&self) -> Option<f64> {
        (self.n() > 0).then(|| self.mss_sum as f64 / self.n() as f64)
    }
}

/// Scores a column of values in one pass, for callers that keep their data in
/// columns: class counts and exact MSA/MSS sums (the same rules as
/// [`figures`]); each value's zone position goes to `positions` when given
/// (NaN where the zone has no width). Mean zone position = `msa_sum / width / n`.
pub fn batch(zone: &Zone, values: &[i64], mut positions: Option<&mut [f64]>) -> Batch {
    let mut out = Batch::default();
    let mut sum = 0i128;
    for (k, &v) in values.iter().enumerate() {
        match zone.classify(v) {
            Class::Exceeded => out.exceeded += 1,
            Class::Within => out.within += 1,
            Class::Missed => out.missed += 1,
        }
        sum += i128::from(v);
        if let Some(p) = positions.as_deref_mut().and_then(|p| p.get_mut(k)) {
            *p = zone.position(v).unwrap_or(f64::NAN);
        }
    }
    let n = values.len() as i128;
    let (a, d) = (i128::from(zone.adequate), i128::from(zone.desired));
    (out.msa_sum, out.mss_sum) = match zone.direction {
        Direction::LowerIsBetter => (n * a - sum, n * d - sum),
        Direction::HigherIsBetter => (sum - n * a, sum - n * d),
    };
    out
}

/// Sum of zone positions and their count over accumulators (zones with no
/// width left out), summed exactly per zone and then in the given order.
pub fn zone_totals(parts: &[&ZoneAccumulator]) -> (f64, u64) {
    let (mut sum, mut n) = (0.0, 0u64);
    for p in parts {
        let w = p.zone.width();
        if w == 0 || p.values.is_empty() {
            continue;
        }
        let nv = p.values.len() as i128;
        let s: i128 = p.values.iter().map(i128::from).sum();
        let msa = match p.zone.direction {
            Direction::LowerIsBetter => nv * i128::from(p.zone.adequate) - s,
            Direction::HigherIsBetter => s - nv * i128::from(p.zone.adequate),
        };
        sum += msa as f64 / w as f64;
        n += nv as u64;
    }
    (sum, n)
}

/// Combines the accumulators of one expectation's zones (one per measurement
/// of the expectation over time) into its figures.
///
/// Exact rules: means are integer sums divided once (`Σ(A_v − t)/n`, and for
/// the zone position `Σ_v (n_v·A_v − Σt)/(A_v − D_v) / n` summed in version
/// order), so they do not depend on the order of observations. Medians of MSA
/// and MSS use every observation's own zone.
pub fn figures(parts: &[&ZoneAccumulator], confidence: f64) -> GapFigures {
    let unit = parts.first().map_or(Unit::Milliseconds, |p| p.zone.unit);
    let (mut ex, mut wi, mut mi, mut pe) = (0u64, 0u64, 0u64, 0u64);
    let mut values: Vec<i64> = Vec::new();
    let (mut msa_sum, mut mss_sum, mut sum) = (0i128, 0i128, 0i128);
    let mut zone_sum = 0.0f64;
    let mut zone_n = 0u64;
    let mut zone_undefined = 0u64;
    for p in parts {
        ex += p.exceeded;
        wi += p.within;
        mi += p.missed;
        pe += p.pending;
        let nv = p.values.len() as i128;
        let s: i128 = p.values.iter().map(i128::from).sum();
        sum += s;
        let z = p.zone;
        let (msa_part, mss_part) = match z.direction {
            Direction::LowerIsBetter => (
                nv * i128::from(z.adequate) - s,
                nv * i128::from(z.desired) - s,
            ),
            Direction::HigherIsBetter => (
                s - nv * i128::from(z.adequate),
                s - nv * i128::from(z.desired),
            ),
        };
        msa_sum += msa_part;
        mss_sum += mss_part;
        if z.width() == 0 {
            zone_undefined += nv as u64;
        } else if nv > 0 {
            zone_sum += msa_part as f64 / z.width() as f64;
            zone_n += nv as u64;
        }
        values.extend(p.values.iter());
    }
    let n = ex + wi + mi;
    let valued = values.len() as u64;
    let single_zone = parts.windows(2).all(|w| w[0].zone == w[1].zone);
    const NO_VALUES: &str = "no observation has a value";
    let flag = unit == Unit::Flag;
    let (percentiles, mean, msa, mss) = if valued == 0 {
        (
            Figure::absent(NO_VALUES),
            Figure::absent(NO_VALUES),
            Figure::absent(NO_VALUES),
            Figure::absent(NO_VALUES),
        )
    } else if flag {
        let why = "a flag has no levels between absent and present";
        (
            Figure::absent(why),
            Figure::Value(sum as f64 / valued as f64),
            Figure::absent(why),
            Figure::absent(why),
        )
    } else {
        let vf = valued as f64;
        let mean = unit.report(sum as f64 / vf);
        let msa_mean = unit.report(msa_sum as f64 / vf);
        let mss_mean = unit.report(mss_sum as f64 / vf);
        let (msa_median, mss_median, pct) = if single_zone {
            let z = parts.first().map(|p| p.zone);
            let q = quantiles(&mut values, &[0.5, 0.9, 0.95]);
            let (p50, p90, p95) = (q[0], q[1], q[2]);
            let (a, d) = z.map_or((0.0, 0.0), |z| (z.adequate as f64, z.desired as f64));
            let (msa_med, mss_med) = match z.map(|z| z.direction) {
                Some(Direction::HigherIsBetter) => (p50 - a, p50 - d),
                _ => (a - p50, d - p50),
            };
            (msa_med, mss_med, [p50, p90, p95])
        } else {
            let mut msa_v: Vec<i64> = parts
                .iter()
                .flat_map(|p| p.values.iter().map(|v| p.zone.msa(v)))
                .collect();
            let mut mss_v: Vec<i64> = parts
                .iter()
                .flat_map(|p| p.values.iter().map(|v| p.zone.mss(v)))
                .collect();
            let q = quantiles(&mut values, &[0.5, 0.9, 0.95]);
            (
                quantiles(&mut msa_v, &[0.5])[0],
                quantiles(&mut mss_v, &[0.5])[0],
                [q[0], q[1], q[2]],
            )
        };
        (
            Figure::Value(Percentiles {
                p50: unit.report(pct[0]),
                p90: unit.report(pct[1]),
                p95: unit.report(pct[2]),
            }),
            Figure::Value(mean),
            Figure::Value(MeanMedian {
                mean: msa_mean,
                median: unit.report(msa_median),
            }),
            Figure::Value(MeanMedian {
                mean: mss_mean,
                median: unit.report(mss_median),
            }),
        )
    };
    let zone_position = if flag {
        Figure::absent("a flag has no zone between desired and adequate")
    } else if zone_n > 0 {
        Figure::Value(zone_sum / zone_n as f64)
    } else if zone_undefined > 0 {
        Figure::absent("desired equals adequate: the zone has no width")
    } else {
        Figure::absent(NO_VALUES)
    };
    GapFigures {
        unit: unit.reported(),
        n,
        pending: pe,
        exceeded: share(ex, n, confidence),
        within: share(wi, n, confidence),
        missed: share(mi, n, confidence),
        valued,
        percentiles,
        mean,
        msa,
        mss,
        zone_position,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    fn reply_zone() -> Zone {
        // "reply in 1-3 hours"
        Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, H, 3 * H).unwrap()
    }

    proptest::proptest! {
        /// Values read back in arrival order, whether kept in 4 bytes or
        /// widened (at a push or a merge), serialised, and merged.
        #[test]
        fn values_keep_their_order_and_width(
            a in proptest::collection::vec(proptest::prop_oneof![
                9 => -1_000_000i64..1_000_000,
                1 => proptest::num::i64::ANY,
                // Whole thousands past 4 bytes (a month in milliseconds).
                4 => proptest::strategy::Strategy::prop_map(
                    -4_000_000_000i64..4_000_000_000,
                    |v| v - v % 1000,
                ),
            ], 0..60),
            b in proptest::collection::vec(-5i64..5, 0..20),
        ) {
            let z = reply_zone();
            let mut x = ZoneAccumulator::new(z);
            a.iter().for_each(|&v| { x.add(v); });
            let mut y = ZoneAccumulator::new(z);
            b.iter().for_each(|&v| { y.add(v); });
            proptest::prop_assert_eq!(x.values().collect::<Vec<_>>(), a.clone());
            let thousands = a.iter().all(|&v| v % 1000 == 0 && i32::try_from(v / 1000).is_ok());
            let ones = a.iter().all(|&v| i32::try_from(v).is_ok());
            proptest::prop_assert_eq!(matches!(x.values, Values::Wide(_)), !thousands && !ones);
            let json = serde_json::to_string(&x).unwrap();
            let back: ZoneAccumulator = serde_json::from_str(&json).unwrap();
            proptest::prop_assert_eq!(&back, &x);
            proptest::prop_assert_eq!(back.values().collect::<Vec<_>>(), a.clone());
            // Merged both ways.
            let mut xy = x.clone();
            xy.merge(&y).unwrap();
            let mut yx = y.clone();
            yx.merge(&x).unwrap();
            let both: Vec<i64> = a.iter().chain(&b).copied().collect();
            proptest::prop_assert_eq!(xy.values().collect::<Vec<_>>(), both);
            let both: Vec<i64> = b.iter().chain(&a).copied().collect();
            proptest::prop_assert_eq!(yx.values().collect::<Vec<_>>(), both);
            proptest::prop_assert_eq!(xy.values().len(), a.len() + b.len());
        }
    }

    #[test]
    fn boundaries_belong_to_the_better_class() {
        let z = reply_zone();
        assert_eq!(z.classify(H - 1), Class::Exceeded);
        assert_eq!(z.classify(H), Class::Exceeded); // exactly desired
        assert_eq!(z.classify(H + 1), Class::Within);
        assert_eq!(z.classify(3 * H), Class::Within); // exactly adequate
        assert_eq!(z.classify(3 * H + 1), Class::Missed);
        let r = Zone::new(
            Direction::HigherIsBetter,
            Unit::MicroPoints,
            micro_points(5.0),
            micro_points(4.0),
        )
        .unwrap();
        assert_eq!(r.classify(micro_points(5.0)), Class::Exceeded);
        assert_eq!(r.classify(micro_points(4.0)), Class::Within);
        assert_eq!(r.classify(micro_points(3.999)), Class::Missed);
    }

    #[test]
    fn msa_mss_and_position_by_hand() {
        let z = reply_zone();
        // t = 2 h: MSA = 3 − 2 = 1 h, MSS = 1 − 2 = −1 h, position (3−2)/(3−1) = 0.5.
        assert_eq!(z.msa(2 * H), H);
        assert_eq!(z.mss(2 * H), -H);
        assert_eq!(z.position(2 * H), Some(0.5));
        assert_eq!(z.position(3 * H), Some(0.0));
        assert_eq!(z.position(H), Some(1.0));
        let flat = Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, H, H).unwrap();
        assert_eq!(flat.position(H), None);
        assert!(Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, 3 * H, H).is_err());
    }

    #[test]
    fn figures_by_hand() {
        let mut acc = ZoneAccumulator::new(reply_zone());
        for t in [H / 2, 2 * H, 2 * H, 4 * H] {
            acc.add(t);
        }
        acc.add_missed_without_value();
        acc.add_pending();
        let f = figures(&[&acc], 0.95);
        assert_eq!((f.n, f.pending, f.valued), (5, 1, 4));
        assert_eq!(f.exceeded.value().unwrap().k, 1);
        assert_eq!(f.within.value().unwrap().k, 2);
        assert_eq!(f.missed.value().unwrap().k, 2);
        assert_eq!(f.missed.value().unwrap().share, 0.4);
        // values in hours: 0.5, 2, 2, 4 → mean 2.125 h; MSA mean 3 − 2.125 = 0.875 h.
        assert_eq!(*f.mean.value().unwrap(), 2.125 * 3600.0);
        let msa = f.msa.value().unwrap();
        assert_eq!(msa.mean, 0.875 * 3600.0);
        assert_eq!(msa.median, 3600.0); // 3 − median(2) = 1 h
        assert_eq!(f.mss.value().unwrap().mean, -1.125 * 3600.0);
        // positions: 1.25, 0.5, 0.5, −0.5 → mean 0.4375.
        assert_eq!(*f.zone_position.value().unwrap(), 0.4375);
        // numpy.percentile([0.5, 2, 2, 4], [50, 90, 95]) = 2, 3.4, 3.7 (hours).
        let p = f.percentiles.value().unwrap();
        assert_eq!(p.p50, 2.0 * 3600.0);
        assert!((p.p90 - 3.4 * 3600.0).abs() < 1e-9);
        assert!((p.p95 - 3.7 * 3600.0).abs() < 1e-9);
    }

    #[test]
    fn empty_and_flat_zones_give_reasons_not_nan() {
        let f = figures(&[&ZoneAccumulator::new(reply_zone())], 0.95);
        assert_eq!(f.n, 0);
        assert!(matches!(f.missed, Figure::Absent { .. }));
        assert!(matches!(f.msa, Figure::Absent { .. }));
        let flat = Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, H, H).unwrap();
        let mut acc = ZoneAccumulator::new(flat);
        acc.add(H);
        let f = figures(&[&acc], 0.95);
        assert_eq!(
            f.zone_position,
            Figure::Absent {
                absent: "desired equals adequate: the zone has no width".into()
            }
        );
        let json = serde_json::to_string(&f).unwrap();
        assert!(!json.contains("NaN") && !json.contains("null"), "{json}");
    }

    proptest::proptest! {
        #[test]
        fn quantiles_match_the_float_implementation(mut v in proptest::collection::vec(-1000i64..1000, 1..60)) {
            let floats: Vec<f64> = v.iter().map(|&x| x as f64).collect();
            let qs = [0.5, 0.9, 0.95, 0.0, 1.0, 0.25];
            let got = quantiles(&mut v, &qs);
            for (q, g) in qs.iter().zip(got) {
                let want = crate::stats::quantile(&floats, *q).unwrap();
                proptest::prop_assert!((g - want).abs() < 1e-9, "q {} got {} want {}", q, g, want);
            }
        }
    }

    #[test]
    fn merging_needs_the_same_zone() {
        let mut a = ZoneAccumulator::new(reply_zone());
        let b = ZoneAccumulator::new(
            Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, H, 2 * H).unwrap(),
        );
        assert!(a.merge(&b).is_err());
    }
}
