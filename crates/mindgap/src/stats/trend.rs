//! Trend statistics for a series of (x, y) points: OLS, Theil–Sen with Sen's
//! interval, the Mann–Kendall test, and where a fitted line crosses a level.
//!
//! x is a bucket index or a time; it need not be contiguous (gaps are fine).
//! All trend functions need at least 3 points.

use serde::{Deserialize, Serialize};

use super::dist::{phi_sf, ppf, t_two_sided};
use super::{Insufficient, check_confidence, check_finite, check_xy, finite, tie_term};

/// Minimum number of points for every trend statistic here.
const MIN_POINTS: usize = 3;

fn check_len(n: usize) -> Result<(), Insufficient> {
    if n < MIN_POINTS {
        Err(Insufficient::NotEnoughData {
            n,
            needed: MIN_POINTS,
        })
    } else {
        Ok(())
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Result of [`ols`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OlsFit {
    /// Number of points.
    pub n: usize,
    /// Slope b = Sxy/Sxx.
    pub slope: f64,
    /// Intercept a = ȳ − b·x̄.
    pub intercept: f64,
    /// Standard error of the slope, √((1 − r²)·Syy/Sxx/(n − 2)).
    pub slope_stderr: f64,
    /// Standard error of the intercept, SE(b)·√(Sxx/n + x̄²).
    pub intercept_stderr: f64,
    /// Pearson correlation r = Sxy/√(Sxx·Syy), clipped to [−1, 1].
    pub r: f64,
    /// Two-sided p-value of H₀: slope = 0 (Student t, n − 2 df).
    pub p_value: f64,
}

/// Ordinary least squares fit of y on x, as `scipy.stats.linregress`.
///
/// With centred sums Sxx = Σ(x−x̄)², Sxy = Σ(x−x̄)(y−ȳ), Syy = Σ(y−ȳ)²:
/// slope b = Sxy/Sxx, intercept a = ȳ − b·x̄, r = Sxy/√(Sxx·Syy),
/// t = r·√(ν/((1 − r + 10⁻²⁰)(1 + r + 10⁻²⁰))) with ν = n − 2 (SciPy's guard
/// against r = ±1), p = P(|T_ν| > |t|) via [`student_t_sf`](super::student_t_sf),
/// SE(b) = √((1 − r²)·Syy/Sxx/ν), SE(a) = SE(b)·√(Sxx/n + x̄²).
///
/// # Errors
/// [`Insufficient::NotEnoughData`] for n < 3; [`Insufficient::LengthMismatch`];
/// [`Insufficient::NonFinite`]; [`Insufficient::IdenticalX`] when all x are
/// equal (SciPy raises); [`Insufficient::Constant`] when all y are equal
/// (SciPy returns NaN for r and p; the slope would be 0 — treat it as "flat,
/// no test possible"); [`Insufficient::Overflow`] for values so large the
/// sums overflow.
///
/// ```
/// let fit = mindgap::stats::ols(&[0.0, 1.0, 2.0, 4.0], &[1.0, 3.1, 4.9, 9.0]).unwrap();
/// assert!((fit.slope - 1.988_571_428_571_428).abs() < 1e-12);
/// assert!((fit.p_value - 2.723_817_356_673e-4).abs() < 1e-12); // scipy.stats.linregress
/// ```
pub fn ols(x: &[f64], y: &[f64]) -> Result<OlsFit, Insufficient> {
    check_xy(x, y)?;
    let n = x.len();
    check_len(n)?;
    let nf = n as f64;
    let (xm, ym) = (mean(x), mean(y));
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for (&xi, &yi) in x.iter().zip(y) {
        let (dx, dy) = (xi - xm, yi - ym);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    // SciPy works with the population (co)variances, i.e. the sums over n.
    let (ssxm, ssxym, ssym) = (sxx / nf, sxy / nf, syy / nf);
    if !(ssxm.is_finite() && ssxym.is_finite() && ssym.is_finite()) {
        return Err(Insufficient::Overflow);
    }
    if ssxm == 0.0 {
        return Err(Insufficient::IdenticalX);
    }
    if ssym == 0.0 {
        return Err(Insufficient::Constant);
    }
    let r = (ssxym / (ssxm * ssym).sqrt()).clamp(-1.0, 1.0);
    let slope = ssxym / ssxm;
    let intercept = ym - slope * xm;
    let df = nf - 2.0;
    const TINY: f64 = 1.0e-20;
    let t = r * (df / ((1.0 - r + TINY) * (1.0 + r + TINY))).sqrt();
    let p_value = t_two_sided(t, df).clamp(0.0, 1.0);
    let slope_stderr = ((1.0 - r * r) * ssym / ssxm / df).sqrt();
    let intercept_stderr = slope_stderr * (ssxm + xm * xm).sqrt();
    Ok(OlsFit {
        n,
        slope: finite(slope)?,
        intercept: finite(intercept)?,
        slope_stderr: finite(slope_stderr)?,
        intercept_stderr: finite(intercept_stderr)?,
        r,
        p_value: finite(p_value)?,
    })
}

/// A confidence interval for a slope.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlopeInterval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// Serde for Sen's interval as a figure: the value, or why it is absent.
mod interval_figure {
    use super::{Insufficient, SlopeInterval};
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Value(SlopeInterval),
        Absent { absent: String, why: Insufficient },
    }

    #[allow(clippy::ref_option)]
    pub(super) fn serialize<S: serde::Serializer>(
        v: &Result<SlopeInterval, Insufficient>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Ok(i) => Repr::Value(*i),
            Err(e) => Repr::Absent {
                absent: e.to_string(),
                why: *e,
            },
        }
        .serialize(s)
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Result<SlopeInterval, Insufficient>, D::Error> {
        Ok(match Repr::deserialize(d)? {
            Repr::Value(i) => Ok(i),
            Repr::Absent { why, .. } => Err(why),
        })
    }
}

/// Result of [`theil_sen`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TheilSen {
    /// Number of points.
    pub n: usize,
    /// Median of the pairwise slopes.
    pub slope: f64,
    /// median(y) − slope·median(x) (SciPy's default `method="separate"`).
    pub intercept: f64,
    /// Sen's confidence interval for the slope, or why it is unavailable
    /// ([`Insufficient::Constant`] when ties leave Sen's variance negative).
    /// In JSON: the interval, or `{"absent": "why in words", "why": {…}}`
    /// like every other figure that can be missing.
    #[serde(with = "interval_figure")]
    pub interval: Result<SlopeInterval, Insufficient>,
    /// Confidence level of the interval.
    pub confidence: f64,
}

/// Theil–Sen slope with Sen's confidence interval, as
/// `scipy.stats.theilslopes(y, x, alpha=confidence)` (default
/// `method="separate"`, SciPy 1.17).
///
/// Slopes (yᵢ − yⱼ)/(xᵢ − xⱼ) over all pairs with xᵢ > xⱼ (pairs with equal x
/// are skipped), sorted; slope = their median (H. Theil 1950; P. K. Sen,
/// JASA 63, 1968, 1379–1389); intercept = median(y) − slope·median(x).
/// Interval, Sen (1968) eq. 2.6: σ² = (n(n−1)(2n+5) − Σₓ t(t−1)(2t+5) −
/// Σ_y u(u−1)(2u+5))/18 over tied groups of x and of y, z = [`z_for_confidence`](super::z_for_confidence),
/// N = number of slopes, R_u = min(round((N + zσ)/2), N − 1),
/// R_l = max(round((N − zσ)/2) − 1, 0) with round-half-to-even as NumPy,
/// interval = (slopes₍R_l₎, slopes₍R_u₎) on the 0-based sorted slopes. Allocates the N ≤ n(n−1)/2
/// slopes.
///
/// # Errors
/// [`Insufficient::NotEnoughData`] for n < 3; [`Insufficient::LengthMismatch`];
/// [`Insufficient::NonFinite`]; [`Insufficient::IdenticalX`];
/// [`Insufficient::InvalidParameter`] unless 0 < confidence < 1;
/// [`Insufficient::Overflow`].
///
/// ```
/// use mindgap::stats::{ols, theil_sen};
/// let (x, y) = ([0.0, 1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 5.0, 7.0, 30.0]);
/// let ts = theil_sen(&x, &y, 0.95)?;
/// assert_eq!((ts.slope, ts.intercept), (2.0, 1.0)); // the outlier does not move it
/// assert!((ols(&x, &y)?.slope - 6.2).abs() < 1e-12); // least squares follows the outlier
/// # Ok::<(), mindgap::stats::Insufficient>(())
/// ```
pub fn theil_sen(x: &[f64], y: &[f64], confidence: f64) -> Result<TheilSen, Insufficient> {
    check_xy(x, y)?;
    let n = x.len();
    check_len(n)?;
    check_confidence(confidence)?;
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in (i + 1)..n {
            if x[i] > x[j] {
                slopes.push((y[i] - y[j]) / (x[i] - x[j]));
            } else if x[j] > x[i] {
                slopes.push((y[j] - y[i]) / (x[j] - x[i]));
            }
        }
    }
    if slopes.is_empty() {
        return Err(Insufficient::IdenticalX);
    }
    check_finite(&slopes).map_err(|_| Insufficient::Overflow)?;
    slopes.sort_unstable_by(f64::total_cmp);
    let slope = sorted_median(&slopes);

    let mut xs = x.to_vec();
    let x_ties = tie_term(&mut xs); // sorts xs
    let mut ys = y.to_vec();
    let y_ties = tie_term(&mut ys); // sorts ys
    let intercept = finite(sorted_median(&ys) - slope * sorted_median(&xs))?;

    let nn = n as u128;
    let total = nn * (nn - 1) * (2 * nn + 5);
    let sigsq = (1.0 / 18.0) * (total as f64 - x_ties as f64 - y_ties as f64);
    let interval = if sigsq < 0.0 {
        Err(Insufficient::Constant)
    } else {
        let z = -ppf((1.0 - confidence) / 2.0);
        let sigma = sigsq.sqrt();
        let nt = slopes.len() as f64;
        let last = slopes.len() - 1;
        // Both rounded values are ≥ 0 and ≤ N, so the casts are exact.
        let ru = (((nt + z * sigma) / 2.0).round_ties_even().max(0.0) as usize).min(last);
        let rl = (((nt - z * sigma) / 2.0).round_ties_even().max(0.0) as usize)
            .saturating_sub(1)
            .min(last);
        Ok(SlopeInterval {
            low: slopes[rl],
            high: slopes[ru],
        })
    };
    Ok(TheilSen {
        n,
        slope,
        intercept,
        interval,
        confidence,
    })
}

/// Median of a sorted, non-empty slice (mean of the two middle values when
/// the length is even, as NumPy).
fn sorted_median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Result of [`mann_kendall`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MannKendall {
    /// Number of values.
    pub n: usize,
    /// S = Σ_{i<j} sign(yⱼ − yᵢ).
    pub s: i64,
    /// Tie-corrected variance of S.
    pub var_s: f64,
    /// Standardised statistic with continuity correction.
    pub z: f64,
    /// Two-sided p-value 2·(1 − Φ(|Z|)).
    pub p_value: f64,
    /// Kendall's τ = S/(n(n−1)/2) (τ-a, as pymannkendall).
    pub tau: f64,
}

/// Mann–Kendall trend test with tie correction, as
/// `pymannkendall.original_test` (1.4.3) on a series in time order.
///
/// S = Σ_{i<j} sign(yⱼ − yᵢ); var(S) = (n(n−1)(2n+5) − Σ t(t−1)(2t+5))/18
/// over groups of t tied values (Kendall 1975); Z = (S − 1)/√var(S) for S > 0,
/// 0 for S = 0, (S + 1)/√var(S) for S < 0; p = 2·(1 − Φ(|Z|)), computed as
/// 2·Φ(−|Z|) so that small p keep their precision (pymannkendall computes
/// 1 − Φ and loses them below about 1e-16); τ = S/(n(n−1)/2). Only the order
/// of the values matters, so gaps in time do not change the result. A
/// constant series gives S = 0, var(S) = 0, Z = 0, p = 1, as pymannkendall.
/// O(n²) time, one sorted copy of y.
///
/// # Errors
/// [`Insufficient::NotEnoughData`] for n < 3; [`Insufficient::NonFinite`]
/// (pymannkendall would drop NaN; here the caller removes missing values).
///
/// ```
/// use mindgap::stats::mann_kendall;
/// let mk = mann_kendall(&[1.0, 2.0, 3.0, 4.0, 5.0])?;
/// assert_eq!((mk.s, mk.tau), (10, 1.0));
/// assert!((mk.p_value - 0.027_486_336).abs() < 1e-9); // pymannkendall.original_test
/// let flat = mann_kendall(&[2.0, 2.0, 2.0])?;
/// assert_eq!((flat.s, flat.z, flat.p_value), (0, 0.0, 1.0));
/// # Ok::<(), mindgap::stats::Insufficient>(())
/// ```
pub fn mann_kendall(y: &[f64]) -> Result<MannKendall, Insufficient> {
    check_finite(y)?;
    let n = y.len();
    check_len(n)?;
    let mut s: i64 = 0;
    for i in 0..n {
        for j in (i + 1)..n {
            if y[j] > y[i] {
                s += 1;
            } else if y[j] < y[i] {
                s -= 1;
            }
        }
    }
    let mut sorted = y.to_vec();
    let ties = tie_term(&mut sorted);
    let nn = n as u128;
    let var_s = (nn * (nn - 1) * (2 * nn + 5) - ties) as f64 / 18.0;
    let z = if s == 0 || var_s <= 0.0 {
        0.0
    } else if s > 0 {
        (s - 1) as f64 / var_s.sqrt()
    } else {
        (s + 1) as f64 / var_s.sqrt()
    };
    let p_value = (2.0 * phi_sf(z.abs())).min(1.0);
    let tau = s as f64 / (0.5 * n as f64 * (n as f64 - 1.0));
    Ok(MannKendall {
        n,
        s,
        var_s,
        z,
        p_value,
        tau,
    })
}

/// The x at which the line intercept + slope·x reaches `threshold`, looking
/// forward from `from_x`.
///
/// x* = (threshold − intercept)/slope. Returns `None` when the slope is 0,
/// when any input is not finite, or when x* < from_x (the line is moving away
/// from the threshold, or crossed it before `from_x`). If the line is at the
/// threshold at `from_x`, returns `from_x`.
///
/// ```
/// use mindgap::stats::crossing_x;
/// assert_eq!(crossing_x(-2.0, 10.0, 4.0, 0.0), Some(3.0));
/// assert_eq!(crossing_x(2.0, 10.0, 4.0, 0.0), None); // moving away
/// assert_eq!(crossing_x(0.0, 10.0, 4.0, 0.0), None);
/// ```
#[must_use]
pub fn crossing_x(slope: f64, intercept: f64, threshold: f64, from_x: f64) -> Option<f64> {
    if !(slope.is_finite() && intercept.is_finite() && threshold.is_finite() && from_x.is_finite())
        || slope == 0.0
    {
        return None;
    }
    let x = (threshold - intercept) / slope;
    if !x.is_finite() || x < from_x {
        return None;
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_bad_series() {
        let short = Err(Insufficient::NotEnoughData { n: 2, needed: 3 });
        assert_eq!(ols(&[1.0, 2.0], &[1.0, 2.0]), short);
        let short = Insufficient::NotEnoughData { n: 2, needed: 3 };
        assert_eq!(
            theil_sen(&[1.0, 2.0], &[1.0, 2.0], 0.95).unwrap_err(),
            short
        );
        assert_eq!(mann_kendall(&[1.0, 2.0]).unwrap_err(), short);
        assert_eq!(
            mann_kendall(&[]).unwrap_err(),
            Insufficient::NotEnoughData { n: 0, needed: 3 }
        );
        assert_eq!(
            mann_kendall(&[1.0]).unwrap_err(),
            Insufficient::NotEnoughData { n: 1, needed: 3 }
        );
        assert_eq!(
            ols(&[1.0, 2.0], &[1.0]),
            Err(Insufficient::LengthMismatch { x: 2, y: 1 })
        );
        assert_eq!(
            ols(&[1.0, 2.0, 3.0], &[1.0, f64::NAN, 2.0]),
            Err(Insufficient::NonFinite { index: 1 })
        );
        assert_eq!(
            ols(&[1.0; 4], &[1.0, 2.0, 3.0, 4.0]),
            Err(Insufficient::IdenticalX)
        );
        assert_eq!(
            ols(&[1.0, 2.0, 3.0, 4.0], &[5.0; 4]),
            Err(Insufficient::Constant)
        );
        assert_eq!(
            theil_sen(&[1.0; 4], &[1.0, 2.0, 3.0, 4.0], 0.95).unwrap_err(),
            Insufficient::IdenticalX
        );
        assert!(theil_sen(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], 1.0).is_err());
        assert!(mann_kendall(&[1.0, f64::INFINITY, 2.0]).is_err());
        assert_eq!(
            ols(&[0.0, 1.0, 2.0], &[0.0, 1e308, -1e308]),
            Err(Insufficient::Overflow)
        );
    }

    #[test]
    fn constant_series() {
        let mk = mann_kendall(&[3.0; 6]).unwrap();
        assert_eq!(
            (mk.s, mk.var_s, mk.z, mk.p_value, mk.tau),
            (0, 0.0, 0.0, 1.0, 0.0)
        );
        let ts = theil_sen(&[0.0, 1.0, 2.0, 3.0], &[3.0; 4], 0.95).unwrap();
        assert_eq!(ts.slope, 0.0);
        assert_eq!(
            ts.interval,
            Ok(SlopeInterval {
                low: 0.0,
                high: 0.0
            })
        );
        // x and y both fully tied except one x: Sen's variance is negative.
        let ts = theil_sen(&[0.0, 0.0, 1.0], &[2.0, 2.0, 2.0], 0.95).unwrap();
        assert_eq!(ts.interval, Err(Insufficient::Constant));
    }

    #[test]
    fn perfect_line() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.0, 3.0, 5.0, 7.0, 9.0];
        let fit = ols(&x, &y).unwrap();
        assert_eq!((fit.slope, fit.intercept, fit.r), (2.0, 1.0, 1.0));
        assert!(fit.p_value < 1e-20);
        let ts = theil_sen(&x, &y, 0.95).unwrap();
        assert_eq!((ts.slope, ts.intercept), (2.0, 1.0));
        let mk = mann_kendall(&y).unwrap();
        assert_eq!((mk.s, mk.tau), (10, 1.0));
    }

    #[test]
    fn crossing() {
        assert_eq!(crossing_x(1.0, 0.0, 5.0, 5.0), Some(5.0));
        assert_eq!(crossing_x(1.0, 0.0, 5.0, 6.0), None);
        assert_eq!(crossing_x(f64::NAN, 0.0, 5.0, 0.0), None);
        assert_eq!(crossing_x(1e-300, 0.0, 1e300, 0.0), None);
    }
}
