//! Control charts (EWMA, p-chart) and the pooled two-proportion z-test for
//! period-over-period change of a share.

use serde::{Deserialize, Serialize};

use super::dist::phi_sf;
use super::{Insufficient, Param, check_finite, finite};

/// k successes out of n trials (one bucket of a share).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Successes.
    pub k: u64,
    /// Trials.
    pub n: u64,
}

impl Counts {
    /// k of n.
    #[must_use]
    pub fn new(k: u64, n: u64) -> Self {
        Counts { k, n }
    }

    fn check(self) -> Result<Self, Insufficient> {
        if self.k > self.n {
            Err(Insufficient::CountExceedsTotal {
                k: self.k,
                n: self.n,
            })
        } else {
            Ok(self)
        }
    }
}

/// Where a charted point lies relative to its control limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Strictly above the upper limit.
    Above,
    /// Strictly below the lower limit.
    Below,
    /// Within the limits (inclusive).
    Within,
    /// No observations in the bucket (n = 0): nothing to chart.
    NoData,
}

fn classify(v: f64, lower: f64, upper: f64) -> Signal {
    if v > upper {
        Signal::Above
    } else if v < lower {
        Signal::Below
    } else {
        Signal::Within
    }
}

fn check_lambda(lambda: f64) -> Result<(), Insufficient> {
    if lambda > 0.0 && lambda <= 1.0 {
        Ok(())
    } else {
        Err(Insufficient::InvalidParameter {
            param: Param::Lambda,
        })
    }
}

/// Exponentially weighted moving average, started at the first value:
/// s₁ = x₁, sₜ = λ·xₜ + (1 − λ)·sₜ₋₁ (0 < λ ≤ 1; λ = 1 returns the input).
/// Equals pandas `Series.ewm(alpha=λ, adjust=False).mean()`.
///
/// # Errors
/// [`Insufficient::NotEnoughData`] when empty; [`Insufficient::NonFinite`];
/// [`Insufficient::InvalidParameter`] for λ outside (0, 1].
///
/// ```
/// use mindgap::stats::ewma;
/// assert_eq!(ewma(&[10.0, 20.0, 20.0], 0.5)?, [10.0, 15.0, 17.5]);
/// assert_eq!(ewma(&[1.0, 2.0], 1.0)?, [1.0, 2.0]); // λ = 1: the input
/// assert!(ewma(&[1.0, 2.0], 0.0).is_err());
/// # Ok::<(), mindgap::stats::Insufficient>(())
/// ```
pub fn ewma(values: &[f64], lambda: f64) -> Result<Vec<f64>, Insufficient> {
    check_lambda(lambda)?;
    check_finite(values)?;
    let Some(&first) = values.first() else {
        return Err(Insufficient::NotEnoughData { n: 0, needed: 1 });
    };
    let mut s = first;
    Ok(values
        .iter()
        .map(|&x| {
            s = lambda * x + (1.0 - lambda) * s;
            s
        })
        .collect())
}

/// Options of [`ewma_chart`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EwmaOptions {
    /// Weight λ of the newest value, in (0, 1]. Default 0.2 (Montgomery's
    /// usual choice, with L = 3).
    pub lambda: f64,
    /// Width L of the limits in standard deviations of the EWMA. Default 3.
    pub width: f64,
    /// Centre line μ₀ (the in-control level). Default: the mean of the series.
    pub target: Option<f64>,
    /// Process standard deviation σ. Default: the average moving range divided
    /// by d₂ = 2/√π ≈ 1.128 (the individuals-chart estimate, robust to a shift).
    pub sigma: Option<f64>,
}

impl Default for EwmaOptions {
    fn default() -> Self {
        EwmaOptions {
            lambda: 0.2,
            width: 3.0,
            target: None,
            sigma: None,
        }
    }
}

impl EwmaOptions {
    /// Sets λ.
    #[must_use]
    pub fn with_lambda(mut self, lambda: f64) -> Self {
        self.lambda = lambda;
        self
    }
    /// Sets L.
    #[must_use]
    pub fn with_width(mut self, width: f64) -> Self {
        self.width = width;
        self
    }
    /// Sets the centre line μ₀.
    #[must_use]
    pub fn with_target(mut self, target: f64) -> Self {
        self.target = Some(target);
        self
    }
    /// Sets σ.
    #[must_use]
    pub fn with_sigma(mut self, sigma: f64) -> Self {
        self.sigma = Some(sigma);
        self
    }
}

/// One point of an [`EwmaChart`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EwmaPoint {
    /// The observed value xₜ.
    pub value: f64,
    /// The EWMA zₜ.
    pub ewma: f64,
    /// Lower control limit at t.
    pub lower: f64,
    /// Upper control limit at t.
    pub upper: f64,
    /// zₜ against the limits.
    pub signal: Signal,
}

/// An EWMA control chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EwmaChart {
    /// Centre line μ₀.
    pub center: f64,
    /// σ used for the limits.
    pub sigma: f64,
    /// λ used.
    pub lambda: f64,
    /// L used.
    pub width: f64,
    /// One point per value.
    pub points: Vec<EwmaPoint>,
}

/// EWMA control chart (Roberts 1959; D. C. Montgomery, *Introduction to
/// Statistical Quality Control*, §9.2).
///
/// z₀ = μ₀, zₜ = λ·xₜ + (1 − λ)·zₜ₋₁, limits at t = 1, 2, …:
/// μ₀ ± L·σ·√(λ/(2 − λ)·(1 − (1 − λ)^(2t))) (the exact, time-varying limits).
/// μ₀ and σ default to the series mean and to MR̄/d₂ with MR̄ the mean of
/// |xₜ − xₜ₋₁| and d₂ = 2/√π.
///
/// # Errors
/// [`Insufficient::NotEnoughData`] for fewer than 2 values when σ must be
/// estimated (1 otherwise); [`Insufficient::NonFinite`];
/// [`Insufficient::InvalidParameter`] for λ ∉ (0, 1], L ≤ 0, σ ≤ 0 or a
/// non-finite target; [`Insufficient::Constant`] when the estimated σ is 0.
pub fn ewma_chart(values: &[f64], options: &EwmaOptions) -> Result<EwmaChart, Insufficient> {
    let EwmaOptions {
        lambda,
        width,
        target,
        sigma,
    } = *options;
    check_lambda(lambda)?;
    if !(width.is_finite() && width > 0.0) {
        return Err(Insufficient::InvalidParameter {
            param: Param::Width,
        });
    }
    check_finite(values)?;
    let n = values.len();
    let needed = if sigma.is_some() { 1 } else { 2 };
    if n < needed {
        return Err(Insufficient::NotEnoughData { n, needed });
    }
    let center = match target {
        Some(t) if t.is_finite() => t,
        Some(_) => {
            return Err(Insufficient::InvalidParameter {
                param: Param::Target,
            });
        }
        None => finite(values.iter().sum::<f64>() / n as f64)?,
    };
    let sigma = match sigma {
        Some(s) if s.is_finite() && s > 0.0 => s,
        Some(_) => {
            return Err(Insufficient::InvalidParameter {
                param: Param::Sigma,
            });
        }
        None => {
            let mr: f64 =
                values.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (n - 1) as f64;
            let s = finite(mr)? * std::f64::consts::PI.sqrt() / 2.0;
            if s == 0.0 {
                return Err(Insufficient::Constant);
            }
            s
        }
    };
    let base = lambda / (2.0 - lambda);
    let decay = (1.0 - lambda) * (1.0 - lambda);
    let mut decay_t = 1.0;
    let mut z = center;
    let mut points = Vec::with_capacity(n);
    for &x in values {
        z = lambda * x + (1.0 - lambda) * z;
        decay_t *= decay;
        let half = width * sigma * (base * (1.0 - decay_t)).sqrt();
        let (lower, upper) = (finite(center - half)?, finite(center + half)?);
        let ewma = finite(z)?;
        points.push(EwmaPoint {
            value: x,
            ewma,
            lower,
            upper,
            signal: classify(ewma, lower, upper),
        });
    }
    Ok(EwmaChart {
        center,
        sigma,
        lambda,
        width,
        points,
    })
}

/// One bucket of a [`PChart`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PChartPoint {
    /// The bucket's counts.
    pub counts: Counts,
    /// kᵢ/nᵢ, absent when nᵢ = 0.
    pub share: Option<f64>,
    /// Lower limit, absent when nᵢ = 0.
    pub lower: Option<f64>,
    /// Upper limit, absent when nᵢ = 0.
    pub upper: Option<f64>,
    /// The share against the limits ([`Signal::NoData`] when nᵢ = 0).
    pub signal: Signal,
}

/// A p-chart with limits that follow each bucket's n.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PChart {
    /// Centre line p̄ = Σk/Σn.
    pub center: f64,
    /// One point per bucket.
    pub points: Vec<PChartPoint>,
}

/// p-chart (Shewhart; Montgomery §7.2) with variable sample sizes.
///
/// p̄ = Σkᵢ/Σnᵢ; for each bucket with nᵢ > 0: limits
/// p̄ ± 3·√(p̄(1 − p̄)/nᵢ), clipped to [0, 1]; the share kᵢ/nᵢ is flagged
/// [`Signal::Above`] or [`Signal::Below`] when strictly outside. Buckets with
/// nᵢ = 0 (gaps) are kept, with no share or limits.
///
/// # Errors
/// [`Insufficient::NotEnoughData`] when Σn = 0; [`Insufficient::CountExceedsTotal`]
/// when some kᵢ > nᵢ; [`Insufficient::Overflow`] when the totals overflow u64.
///
/// ```
/// use mindgap::stats::{Counts, Signal, p_chart};
/// let weeks = [Counts::new(10, 100), Counts::new(12, 100), Counts::new(0, 0), Counts::new(30, 100)];
/// let chart = p_chart(&weeks)?;
/// assert!((chart.center - 52.0 / 300.0).abs() < 1e-12);
/// let signals: Vec<Signal> = chart.points.iter().map(|p| p.signal).collect();
/// assert_eq!(signals, [Signal::Within, Signal::Within, Signal::NoData, Signal::Above]);
/// # Ok::<(), mindgap::stats::Insufficient>(())
/// ```
pub fn p_chart(buckets: &[Counts]) -> Result<PChart, Insufficient> {
    let (mut sum_k, mut sum_n) = (0u64, 0u64);
    for b in buckets {
        b.check()?;
        sum_k = sum_k.checked_add(b.k).ok_or(Insufficient::Overflow)?;
        sum_n = sum_n.checked_add(b.n).ok_or(Insufficient::Overflow)?;
    }
    if sum_n == 0 {
        return Err(Insufficient::NotEnoughData { n: 0, needed: 1 });
    }
    let center = sum_k as f64 / sum_n as f64;
    let spread = center * (1.0 - center);
    let points = buckets
        .iter()
        .map(|&counts| {
            if counts.n == 0 {
                return PChartPoint {
                    counts,
                    share: None,
                    lower: None,
                    upper: None,
                    signal: Signal::NoData,
                };
            }
            let nf = counts.n as f64;
            let share = counts.k as f64 / nf;
            let half = 3.0 * (spread / nf).sqrt();
            let lower = (center - half).max(0.0);
            let upper = (center + half).min(1.0);
            PChartPoint {
                counts,
                share: Some(share),
                lower: Some(lower),
                upper: Some(upper),
                signal: classify(share, lower, upper),
            }
        })
        .collect();
    Ok(PChart { center, points })
}

/// Result of [`proportion_change`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProportionChange {
    /// Counts of the earlier period.
    pub previous: Counts,
    /// Counts of the later period.
    pub current: Counts,
    /// k/n of the earlier period.
    pub previous_share: f64,
    /// k/n of the later period.
    pub current_share: f64,
    /// current_share − previous_share.
    pub difference: f64,
    /// z statistic; positive when the share went up.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Pooled two-proportion z-test for a change of a share between two periods.
///
/// p₁ = k₁/n₁ (current), p₂ = k₂/n₂ (previous), pooled p̂ = (k₁ + k₂)/(n₁ + n₂),
/// z = (p₁ − p₂)/√(p̂(1 − p̂)(1/n₁ + 1/n₂)), p = 2·(1 − Φ(|z|)) (computed in
/// the upper tail). Matches `statsmodels.stats.proportion.proportions_ztest([k₁, k₂], [n₁, n₂])`.
///
/// # Errors
/// [`Insufficient::NotEnoughData`] when either n is 0;
/// [`Insufficient::CountExceedsTotal`]; [`Insufficient::Constant`] when the
/// pooled share is 0 or 1 (no variance; statsmodels returns NaN);
/// [`Insufficient::Overflow`] when the totals overflow u64.
///
/// ```
/// use mindgap::stats::{Counts, proportion_change};
/// let c = proportion_change(Counts::new(40, 100), Counts::new(60, 100)).unwrap();
/// assert!(c.z > 2.8 && c.p_value < 0.01);
/// ```
pub fn proportion_change(
    previous: Counts,
    current: Counts,
) -> Result<ProportionChange, Insufficient> {
    previous.check()?;
    current.check()?;
    if previous.n == 0 || current.n == 0 {
        return Err(Insufficient::NotEnoughData {
            n: previous.n.min(current.n) as usize,
            needed: 1,
        });
    }
    let k = current
        .k
        .checked_add(previous.k)
        .ok_or(Insufficient::Overflow)?;
    let n = current
        .n
        .checked_add(previous.n)
        .ok_or(Insufficient::Overflow)?;
    let (n1, n2) = (current.n as f64, previous.n as f64);
    let p1 = current.k as f64 / n1;
    let p2 = previous.k as f64 / n2;
    let pooled = k as f64 / n as f64;
    let var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2);
    if var <= 0.0 {
        return Err(Insufficient::Constant);
    }
    let diff = p1 - p2;
    let z = finite(diff / var.sqrt())?;
    Ok(ProportionChange {
        previous,
        current,
        previous_share: p2,
        current_share: p1,
        difference: diff,
        z,
        p_value: (2.0 * phi_sf(z.abs())).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ewma_basics() {
        assert_eq!(
            ewma(&[], 0.2),
            Err(Insufficient::NotEnoughData { n: 0, needed: 1 })
        );
        assert_eq!(ewma(&[1.0, 2.0], 1.0), Ok(vec![1.0, 2.0]));
        assert!(ewma(&[1.0], 0.0).is_err());
        assert!(ewma(&[1.0], f64::NAN).is_err());
        assert_eq!(ewma(&[1.0, 3.0], 0.5), Ok(vec![1.0, 2.0]));
    }

    #[test]
    fn ewma_chart_flags_a_shift() {
        let mut v = vec![10.0, 10.5, 9.5, 10.2, 9.8, 10.1, 9.9, 10.3, 9.7, 10.0];
        v.extend([13.0; 6]);
        let chart = ewma_chart(&v, &EwmaOptions::default().with_target(10.0)).unwrap();
        assert!(
            chart.points[..10]
                .iter()
                .all(|p| p.signal == Signal::Within)
        );
        assert_eq!(chart.points.last().map(|p| p.signal), Some(Signal::Above));
        // limits widen towards the asymptote
        assert!(chart.points[0].upper < chart.points[9].upper);
        let asym = 10.0 + 3.0 * chart.sigma * (0.2f64 / 1.8).sqrt();
        assert!(chart.points[15].upper < asym);
        assert_eq!(
            ewma_chart(&[4.0; 5], &EwmaOptions::default()),
            Err(Insufficient::Constant)
        );
        assert_eq!(
            ewma_chart(&[4.0], &EwmaOptions::default()),
            Err(Insufficient::NotEnoughData { n: 1, needed: 2 })
        );
        assert!(ewma_chart(&[4.0], &EwmaOptions::default().with_sigma(1.0)).is_ok());
        assert!(ewma_chart(&[4.0], &EwmaOptions::default().with_sigma(-1.0)).is_err());
        assert!(ewma_chart(&[4.0, 5.0], &EwmaOptions::default().with_width(0.0)).is_err());
        assert!(ewma_chart(&[4.0, 5.0], &EwmaOptions::default().with_target(f64::NAN)).is_err());
    }

    #[test]
    fn p_chart_limits_follow_n() {
        let b = [
            Counts::new(10, 100),
            Counts::new(0, 0),
            Counts::new(40, 100),
            Counts::new(1, 10),
        ];
        let c = p_chart(&b).unwrap();
        assert!((c.center - 51.0 / 210.0).abs() < 1e-15);
        assert_eq!(c.points[1].signal, Signal::NoData);
        assert_eq!(c.points[1].share, None);
        assert_eq!(c.points[2].signal, Signal::Above);
        assert_eq!(c.points[3].lower, Some(0.0));
        assert!(c.points[3].upper > c.points[0].upper);
        assert_eq!(
            p_chart(&[]),
            Err(Insufficient::NotEnoughData { n: 0, needed: 1 })
        );
        assert_eq!(
            p_chart(&[Counts::new(2, 1)]),
            Err(Insufficient::CountExceedsTotal { k: 2, n: 1 })
        );
        let zero = p_chart(&[Counts::new(0, 5), Counts::new(0, 7)]).unwrap();
        assert!(zero.points.iter().all(|p| p.signal == Signal::Within));
    }

    #[test]
    fn proportion_change_edges() {
        assert!(proportion_change(Counts::new(0, 0), Counts::new(1, 2)).is_err());
        assert_eq!(
            proportion_change(Counts::new(0, 5), Counts::new(0, 9)),
            Err(Insufficient::Constant)
        );
        assert_eq!(
            proportion_change(Counts::new(5, 5), Counts::new(9, 9)),
            Err(Insufficient::Constant)
        );
        assert!(proportion_change(Counts::new(6, 5), Counts::new(1, 9)).is_err());
        let same = proportion_change(Counts::new(5, 10), Counts::new(50, 100)).unwrap();
        assert_eq!((same.z, same.p_value), (0.0, 1.0));
    }
}
