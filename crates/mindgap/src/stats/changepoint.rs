//! Detection of a single shift in the level of a series (at most one change
//! in mean, normal errors), by the maximal CUSUM / likelihood-ratio split.

use serde::{Deserialize, Serialize};

use super::{Insufficient, Param, check_finite};

/// Options of [`change_point`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChangePointOptions {
    /// Penalty the statistic must exceed. Default (`None`): 3·ln n, the
    /// modified BIC of Zhang & Siegmund (2007) for one change in mean, which
    /// keeps false alarms on pure noise rare.
    pub penalty: Option<f64>,
    /// Fewest values on each side of the split. Default 2 (each side must
    /// have a variance).
    pub min_segment: usize,
}

impl Default for ChangePointOptions {
    fn default() -> Self {
        ChangePointOptions {
            penalty: None,
            min_segment: 2,
        }
    }
}

impl ChangePointOptions {
    /// Sets the penalty.
    #[must_use]
    pub fn with_penalty(mut self, penalty: f64) -> Self {
        self.penalty = Some(penalty);
        self
    }
    /// Sets the minimum segment length.
    #[must_use]
    pub fn with_min_segment(mut self, min_segment: usize) -> Self {
        self.min_segment = min_segment;
        self
    }
}

/// Relative tolerance under which two splits' reductions of the residual sum
/// of squares are tied in [`change_point`] (as a fraction of SSE₀; the same
/// as the reference in `scripts/stats_vectors.py`).
const TIE: f64 = 1e-12;

/// Result of [`change_point`]: the best split and whether it is a change.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePoint {
    /// Number of values.
    pub n: usize,
    /// Index of the first value of the new level (values `..index` are before).
    pub index: usize,
    /// Mean of the values before `index`.
    pub mean_before: f64,
    /// Mean of the values from `index` on.
    pub mean_after: f64,
    /// D = n·ln(SSE₀/SSE₁), the likelihood-ratio statistic of the split.
    pub statistic: f64,
    /// The penalty D was compared with.
    pub penalty: f64,
    /// Whether D > penalty, i.e. the level moved at `index`.
    pub detected: bool,
}

/// The most likely single shift in level, and whether it is significant.
///
/// For each split τ (with at least `min_segment` values on each side) the
/// CUSUM Sτ = Σ_{i<τ}(yᵢ − ȳ) gives the reduction in the residual sum of
/// squares B(τ) = n·Sτ²/(τ(n − τ)) (= τ(n−τ)/n·(ȳ_before − ȳ_after)²). The
/// split with the largest B (the first, on ties) is the maximum-likelihood
/// change point for a normal mean shift (D. V. Hinkley, Biometrika 57, 1970).
/// Two reductions within 10⁻¹²·SSE₀ of each other are a tie: exact ties
/// (a mirror-image series) come out of the running sums a few ulps apart,
/// and the later split must not win on rounding.
/// With SSE₀ = Σ(yᵢ − ȳ)² and SSE₁ = SSE₀ − B, the statistic is
/// D = n·ln(SSE₀/SSE₁) (−2 log likelihood ratio, unknown common variance);
/// a change is reported when D > penalty. SSE₁ is floored at SSE₀·2⁻⁵² so
/// that an exact step gives a large finite D. Deterministic; O(n), no
/// allocation.
///
/// # Errors
/// [`Insufficient::NotEnoughData`] for n < 2·min_segment;
/// [`Insufficient::NonFinite`]; [`Insufficient::Constant`] when all values
/// are equal (no split is better than another); [`Insufficient::InvalidParameter`]
/// for a negative or non-finite penalty or a zero min_segment;
/// [`Insufficient::Overflow`] for values so large the sums overflow.
///
/// ```
/// use mindgap::stats::{ChangePointOptions, change_point};
/// let y = [5.0, 5.2, 4.9, 5.1, 5.0, 8.1, 7.9, 8.0, 8.2, 7.8];
/// let cp = change_point(&y, &ChangePointOptions::default()).unwrap();
/// assert!(cp.detected && cp.index == 5);
/// ```
pub fn change_point(
    values: &[f64],
    options: &ChangePointOptions,
) -> Result<ChangePoint, Insufficient> {
    let min_segment = options.min_segment;
    if min_segment == 0 {
        return Err(Insufficient::InvalidParameter {
            param: Param::MinSegment,
        });
    }
    if let Some(p) = options.penalty {
        if !(p.is_finite() && p >= 0.0) {
            return Err(Insufficient::InvalidParameter {
                param: Param::Penalty,
            });
        }
    }
    check_finite(values)?;
    let n = values.len();
    let needed = min_segment.saturating_mul(2);
    if n < needed {
        return Err(Insufficient::NotEnoughData { n, needed });
    }
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let sse0: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    if !sse0.is_finite() {
        return Err(Insufficient::Overflow);
    }
    if sse0 == 0.0 {
        return Err(Insufficient::Constant);
    }
    let tie = TIE * sse0;
    let mut cusum = 0.0;
    let mut best = (0usize, -1.0f64);
    for (i, v) in values.iter().enumerate().take(n - min_segment) {
        cusum += v - mean;
        let tau = i + 1;
        if tau < min_segment {
            continue;
        }
        let t = tau as f64;
        let b = nf * cusum * cusum / (t * (nf - t));
        if b > best.1 + tie {
            best = (tau, b);
        }
    }
    let (index, reduction) = best;
    let sse1 = (sse0 - reduction).max(sse0 * f64::EPSILON);
    let statistic = nf * libm::log(sse0 / sse1);
    let penalty = options.penalty.unwrap_or(3.0 * libm::log(nf));
    let (before, after) = values.split_at(index);
    Ok(ChangePoint {
        n,
        index,
        mean_before: before.iter().sum::<f64>() / before.len() as f64,
        mean_after: after.iter().sum::<f64>() / after.len() as f64,
        statistic,
        penalty,
        detected: statistic > penalty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-noise in [−0.5, 0.5) (a 64-bit LCG).
    fn noise(seed: u64, n: usize) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
            })
            .collect()
    }

    #[test]
    fn finds_steps() {
        for (n, at, step) in [(20, 7, 2.0), (50, 30, -1.5), (200, 120, 0.8), (12, 2, 3.0)] {
            let y: Vec<f64> = noise(n as u64, n)
                .iter()
                .enumerate()
                .map(|(i, e)| if i < at { 10.0 + e } else { 10.0 + step + e })
                .collect();
            let cp = change_point(&y, &ChangePointOptions::default()).unwrap();
            assert!(cp.detected, "n={n}: {cp:?}");
            assert!(cp.index.abs_diff(at) <= 1, "n={n}: {cp:?}");
            assert!(
                (cp.mean_after - cp.mean_before - step).abs() < 0.5,
                "{cp:?}"
            );
        }
    }

    #[test]
    fn quiet_on_noise() {
        let mut alarms = 0;
        for seed in 0..200u64 {
            let y = noise(seed + 1000, 60);
            let cp = change_point(&y, &ChangePointOptions::default()).unwrap();
            alarms += usize::from(cp.detected);
        }
        assert!(alarms <= 10, "{alarms} false alarms in 200 noise series");
    }

    #[test]
    fn an_exact_tie_goes_to_the_first_split() {
        // A mirror image: B(2) = B(4) = 1/12 exactly (S₂ = −1/3, S₄ = 1/3), but
        // the running sums round them 1 ulp apart, the later one higher.
        let y = [0.0, 1.0, 1.0, 1.0, 1.0, 0.0];
        let cp = change_point(&y, &ChangePointOptions::default()).unwrap();
        assert_eq!(cp.index, 2, "{cp:?}");
        assert_eq!((cp.mean_before, cp.mean_after), (0.5, 0.75));
        // Rounded the other way round, the first already won.
        let y = [1.0, 2.0, 2.0, 2.0, 2.0, 1.0];
        assert_eq!(
            change_point(&y, &ChangePointOptions::default())
                .unwrap()
                .index,
            2
        );
    }

    #[test]
    fn exact_step_and_edges() {
        let y = [1.0, 1.0, 1.0, 4.0, 4.0];
        let cp = change_point(&y, &ChangePointOptions::default()).unwrap();
        assert!(cp.detected && cp.index == 3 && cp.statistic.is_finite());
        assert_eq!((cp.mean_before, cp.mean_after), (1.0, 4.0));
        let opts = ChangePointOptions::default();
        assert_eq!(change_point(&[2.0; 6], &opts), Err(Insufficient::Constant));
        assert_eq!(
            change_point(&[1.0, 2.0, 3.0], &opts),
            Err(Insufficient::NotEnoughData { n: 3, needed: 4 })
        );
        assert_eq!(
            change_point(&[], &opts),
            Err(Insufficient::NotEnoughData { n: 0, needed: 4 })
        );
        assert!(change_point(&[1.0, f64::NAN, 2.0, 3.0], &opts).is_err());
        assert!(change_point(&[1.0, 2.0, 3.0, 4.0], &opts.with_penalty(-1.0)).is_err());
        assert!(change_point(&[1.0, 2.0, 3.0, 4.0], &opts.with_min_segment(0)).is_err());
        let one = change_point(&[1.0, 5.0], &opts.with_min_segment(1)).unwrap();
        assert_eq!(one.index, 1);
    }
}
