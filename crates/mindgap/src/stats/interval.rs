//! Confidence intervals for shares (Wilson score) and for the Net Promoter
//! Score (adjusted Wald, Rocks 2016).

use serde::{Deserialize, Serialize};

use super::dist::ppf;
use super::{Insufficient, check_confidence};

/// The two-sided critical value z = Φ⁻¹(1 − α/2) for a confidence level
/// 1 − α, computed as −Φ⁻¹(α/2) with α = 1 − confidence (as
/// `scipy.stats.norm.isf(alpha / 2)`). 0.95 gives 1.959963984540054.
///
/// # Errors
/// [`Insufficient::InvalidParameter`] unless 0 < confidence < 1.
pub fn z_for_confidence(confidence: f64) -> Result<f64, Insufficient> {
    check_confidence(confidence)?;
    let alpha = 1.0 - confidence;
    Ok(-ppf(alpha / 2.0))
}

/// A share k/n with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareInterval {
    /// Successes.
    pub k: u64,
    /// Trials.
    pub n: u64,
    /// Observed share p̂ = k/n.
    pub share: f64,
    /// Lower bound, in [0, p̂].
    pub lower: f64,
    /// Upper bound, in [p̂, 1].
    pub upper: f64,
    /// Confidence level the interval was computed at, e.g. 0.95.
    pub confidence: f64,
}

/// Wilson score interval for k successes in n trials.
///
/// With p̂ = k/n and z = [`z_for_confidence`]`(confidence)`:
/// centre = (p̂ + z²/2n)/(1 + z²/n),
/// half-width = z·√(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n),
/// interval = centre ± half-width (E. B. Wilson, JASA 22, 1927, 209–212).
/// The bounds are clamped to [0, p̂] and [p̂, 1], which only removes rounding
/// noise of order 1e-17 at k = 0 and k = n. Matches
/// `statsmodels.stats.proportion.proportion_confint(k, n, alpha, method="wilson")`.
///
/// # Errors
/// [`Insufficient::NotEnoughData`] for n = 0; [`Insufficient::CountExceedsTotal`]
/// for k > n; [`Insufficient::InvalidParameter`] unless 0 < confidence < 1.
///
/// ```
/// let ci = mindgap::stats::wilson(8, 10, 0.95).unwrap();
/// assert!((ci.lower - 0.4901624).abs() < 1e-6 && (ci.upper - 0.9433178).abs() < 1e-6);
/// ```
pub fn wilson(k: u64, n: u64, confidence: f64) -> Result<ShareInterval, Insufficient> {
    if n == 0 {
        return Err(Insufficient::NotEnoughData { n: 0, needed: 1 });
    }
    if k > n {
        return Err(Insufficient::CountExceedsTotal { k, n });
    }
    let z = z_for_confidence(confidence)?;
    let nf = n as f64;
    let p = k as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let center = (p + z2 / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    Ok(ShareInterval {
        k,
        n,
        share: p,
        lower: (center - half).clamp(0.0, p),
        upper: (center + half).clamp(p, 1.0),
        confidence,
    })
}

/// A Net Promoter Score with its adjusted-Wald interval, on the −100…100 scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NpsEstimate {
    /// Answers of 9–10.
    pub promoters: u64,
    /// Answers of 7–8.
    pub passives: u64,
    /// Answers of 0–6.
    pub detractors: u64,
    /// All answers n = promoters + passives + detractors.
    pub n: u64,
    /// NPS = 100·(P − D)/n.
    pub nps: f64,
    /// Lower bound, clamped to −100.
    pub lower: f64,
    /// Upper bound, clamped to 100.
    pub upper: f64,
    /// Confidence level, e.g. 0.95.
    pub confidence: f64,
}

/// Net Promoter Score with the adjusted-Wald interval of Rocks (2016).
///
/// NPS = 100·(P − D)/n. Interval (S. Rocks, "Interval estimation for the
/// 'net promoter score'", The American Statistician 70(4), 2016, 365–372):
/// n' = n + 3, p' = (P + ¾)/n', d' = (D + ¾)/n',
/// 100·[(p' − d') ± z·√((p' + d' − (p' − d')²)/n')], with z from
/// [`z_for_confidence`]. The adjusted centre p' − d' differs from the point
/// estimate, and the bounds are clamped to [−100, 100]; the point estimate is
/// always inside the interval (the bounds are widened to it in the rare
/// case rounding would put it outside).
///
/// # Errors
/// [`Insufficient::NotEnoughData`] when there are no answers;
/// [`Insufficient::Overflow`] when the counts overflow u64;
/// [`Insufficient::InvalidParameter`] unless 0 < confidence < 1.
///
/// ```
/// let e = mindgap::stats::nps(50, 30, 20, 0.95).unwrap();
/// assert_eq!(e.nps, 30.0);
/// assert!(e.lower < 30.0 && e.upper > 30.0);
/// ```
pub fn nps(
    promoters: u64,
    passives: u64,
    detractors: u64,
    confidence: f64,
) -> Result<NpsEstimate, Insufficient> {
    let n = promoters
        .checked_add(passives)
        .and_then(|s| s.checked_add(detractors))
        .ok_or(Insufficient::Overflow)?;
    if n == 0 {
        return Err(Insufficient::NotEnoughData { n: 0, needed: 1 });
    }
    let z = z_for_confidence(confidence)?;
    let nf = n as f64;
    let (pf, df) = (promoters as f64, detractors as f64);
    let score = 100.0 * (pf - df) / nf;
    let n_adj = nf + 3.0;
    let p_adj = (pf + 0.75) / n_adj;
    let d_adj = (df + 0.75) / n_adj;
    let diff = p_adj - d_adj;
    let var = ((p_adj + d_adj - diff * diff) / n_adj).max(0.0);
    let half = z * var.sqrt();
    Ok(NpsEstimate {
        promoters,
        passives,
        detractors,
        n,
        nps: score,
        lower: (100.0 * (diff - half)).clamp(-100.0, score),
        upper: (100.0 * (diff + half)).clamp(score, 100.0),
        confidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn wilson_contains_share(n in 1u64..100_000, frac in 0.0f64..=1.0, c in 0.5f64..0.9999) {
            let k = ((n as f64) * frac).floor() as u64;
            let ci = wilson(k, n, c).unwrap();
            prop_assert!(0.0 <= ci.lower && ci.lower <= ci.share);
            prop_assert!(ci.share <= ci.upper && ci.upper <= 1.0);
            prop_assert!(ci.upper - ci.lower > 0.0);
        }

        #[test]
        fn nps_contains_score(p in 0u64..500, q in 0u64..500, d in 0u64..500) {
            prop_assume!(p + q + d > 0);
            let e = nps(p, q, d, 0.95).unwrap();
            prop_assert!(-100.0 <= e.lower && e.lower <= e.nps && e.nps <= e.upper && e.upper <= 100.0);
        }
    }

    #[test]
    fn wilson_edges() {
        assert_eq!(
            wilson(0, 0, 0.95),
            Err(Insufficient::NotEnoughData { n: 0, needed: 1 })
        );
        assert_eq!(
            wilson(3, 2, 0.95),
            Err(Insufficient::CountExceedsTotal { k: 3, n: 2 })
        );
        assert!(wilson(1, 2, f64::NAN).is_err());
        assert!(wilson(1, 2, 1.0).is_err());
        assert!(wilson(1, 2, 0.0).is_err());
        let zero = wilson(0, 10, 0.95).unwrap();
        assert_eq!(zero.lower, 0.0);
        assert!(zero.upper > 0.0 && zero.upper < 1.0);
        let all = wilson(10, 10, 0.95).unwrap();
        assert_eq!(all.upper, 1.0);
        let one = wilson(1, 1, 0.95).unwrap();
        assert!(one.lower > 0.0 && one.upper == 1.0);
        let big = wilson(u64::MAX / 2, u64::MAX, 0.95).unwrap();
        assert!(big.lower.is_finite() && big.upper.is_finite());
    }

    #[test]
    fn nps_edges() {
        assert!(nps(0, 0, 0, 0.95).is_err());
        assert_eq!(nps(u64::MAX, 1, 0, 0.95), Err(Insufficient::Overflow));
        let all_promoters = nps(5, 0, 0, 0.95).unwrap();
        assert_eq!(all_promoters.nps, 100.0);
        assert_eq!(all_promoters.upper, 100.0);
        assert!(all_promoters.lower < 100.0);
        let all_detractors = nps(0, 0, 1, 0.95).unwrap();
        assert_eq!(all_detractors.nps, -100.0);
        assert_eq!(all_detractors.lower, -100.0);
        let passives = nps(0, 4, 0, 0.95).unwrap();
        assert_eq!(passives.nps, 0.0);
        assert!(passives.lower < 0.0 && passives.upper > 0.0);
    }
}
