//! Quantiles by NumPy's default ("linear", Hyndman & Fan type 7) method.

use super::{Insufficient, Param, check_finite};

fn check_q(q: f64) -> Result<(), Insufficient> {
    if (0.0..=1.0).contains(&q) {
        Ok(())
    } else {
        Err(Insufficient::InvalidParameter {
            param: Param::Quantile,
        })
    }
}

/// The virtual index h = (n − 1)·q split into the lower rank and the weight
/// γ = h − ⌊h⌋; at or past the last rank both neighbours are the maximum.
fn rank_and_gamma(n: usize, q: f64) -> (usize, usize, f64) {
    let h = (n - 1) as f64 * q;
    if h >= (n - 1) as f64 {
        return (n - 1, n - 1, 0.0);
    }
    let lo = h.floor();
    // 0 ≤ lo < n − 1, so the conversion is exact and lo + 1 is in range.
    let lo_idx = lo as usize;
    (lo_idx, lo_idx + 1, h - lo)
}

/// NumPy's `_lerp`: a + (b − a)·γ for γ < ½, b − (b − a)·(1 − γ) otherwise.
/// When b − a overflows (|a|, |b| near f64::MAX) it falls back to
/// a·(1 − γ) + b·γ, which cannot overflow.
fn lerp(a: f64, b: f64, gamma: f64) -> f64 {
    let diff = b - a;
    if !diff.is_finite() {
        return a * (1.0 - gamma) + b * gamma;
    }
    if gamma >= 0.5 {
        b - diff * (1.0 - gamma)
    } else {
        a + diff * gamma
    }
}

/// The q-quantile (0 ≤ q ≤ 1) of an already sorted slice.
///
/// NumPy's default `method="linear"` (Hyndman & Fan 1996, type 7): with
/// h = (n − 1)·q, the result is x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) on the
/// 0-based order statistics, interpolated exactly as NumPy's `_lerp` does.
/// `numpy.percentile(a, p)` equals `quantile_sorted(sorted, p / 100)`.
///
/// # Errors
/// [`Insufficient::NotEnoughData`] when empty; [`Insufficient::NonFinite`]
/// for NaN or ±∞; [`Insufficient::NotSorted`] when not ascending;
/// [`Insufficient::InvalidParameter`] unless 0 ≤ q ≤ 1.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Result<f64, Insufficient> {
    check_q(q)?;
    if sorted.is_empty() {
        return Err(Insufficient::NotEnoughData { n: 0, needed: 1 });
    }
    check_finite(sorted)?;
    if !sorted.is_sorted_by(|a, b| a <= b) {
        return Err(Insufficient::NotSorted);
    }
    let (lo, hi, gamma) = rank_and_gamma(sorted.len(), q);
    Ok(lerp(sorted[lo], sorted[hi], gamma))
}

/// The q-quantile of an unsorted slice, reordering it in place
/// (`select_nth_unstable_by` with `f64::total_cmp`, O(n), no allocation).
/// Same method and errors as [`quantile_sorted`] except that order does not
/// matter.
///
/// # Errors
/// As [`quantile_sorted`], without [`Insufficient::NotSorted`].
pub fn quantile_in_place(values: &mut [f64], q: f64) -> Result<f64, Insufficient> {
    check_q(q)?;
    if values.is_empty() {
        return Err(Insufficient::NotEnoughData { n: 0, needed: 1 });
    }
    check_finite(values)?;
    let (lo, hi, gamma) = rank_and_gamma(values.len(), q);
    let (_, &mut a, right) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let b = if hi == lo {
        a
    } else {
        // The (lo+1)-th order statistic is the minimum of the right part,
        // which is non-empty because hi = lo + 1 < n.
        right.iter().copied().fold(f64::INFINITY, f64::min)
    };
    Ok(lerp(a, b, gamma))
}

/// The q-quantile of an unsorted slice, leaving it untouched (works on a
/// copy). See [`quantile_sorted`] for the method.
///
/// # Errors
/// As [`quantile_in_place`].
///
/// ```
/// let q = mindgap::stats::quantile(&[3.0, 1.0, 4.0, 1.0, 5.0], 0.9).unwrap();
/// assert!((q - 4.6).abs() < 1e-12);
/// ```
pub fn quantile(values: &[f64], q: f64) -> Result<f64, Insufficient> {
    check_q(q)?;
    check_finite(values)?;
    let mut copy = values.to_vec();
    quantile_in_place(&mut copy, q)
}

/// The median, i.e. [`quantile`] at q = ½.
///
/// # Errors
/// As [`quantile`].
///
/// ```
/// use mindgap::stats::{Insufficient, median};
/// assert_eq!(median(&[3.0, 1.0, 2.0])?, 2.0);
/// assert_eq!(median(&[4.0, 1.0, 3.0, 2.0])?, 2.5); // even count: the middle two's mean
/// assert_eq!(median(&[]), Err(Insufficient::NotEnoughData { n: 0, needed: 1 }));
/// # Ok::<(), Insufficient>(())
/// ```
pub fn median(values: &[f64]) -> Result<f64, Insufficient> {
    quantile(values, 0.5)
}

/// Several quantiles of an unsorted slice at once (sorts one copy).
/// See [`quantile_sorted`] for the method.
///
/// # Errors
/// As [`quantile`], for the first offending q.
///
/// ```
/// use mindgap::stats::quantiles;
/// let minutes = [12.0, 45.0, 3.0, 30.0, 8.0]; // sorted: 3, 8, 12, 30, 45
/// assert_eq!(quantiles(&minutes, &[0.0, 0.5, 0.75, 1.0])?, [3.0, 12.0, 30.0, 45.0]);
/// assert_eq!(quantiles(&minutes, &[0.1])?, [5.0]); // between 3 and 8, NumPy's linear method
/// assert!(quantiles(&minutes, &[1.5]).is_err());
/// # Ok::<(), mindgap::stats::Insufficient>(())
/// ```
pub fn quantiles(values: &[f64], qs: &[f64]) -> Result<Vec<f64>, Insufficient> {
    for &q in qs {
        check_q(q)?;
    }
    if values.is_empty() {
        return Err(Insufficient::NotEnoughData { n: 0, needed: 1 });
    }
    check_finite(values)?;
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    qs.iter().map(|&q| quantile_sorted(&sorted, q)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn edges() {
        assert_eq!(
            quantile(&[], 0.5),
            Err(Insufficient::NotEnoughData { n: 0, needed: 1 })
        );
        assert_eq!(quantile(&[7.0], 0.0), Ok(7.0));
        assert_eq!(quantile(&[7.0], 1.0), Ok(7.0));
        assert_eq!(quantile(&[1.0, 2.0], 0.5), Ok(1.5));
        assert_eq!(
            quantile(&[1.0, f64::NAN], 0.5),
            Err(Insufficient::NonFinite { index: 1 })
        );
        assert!(quantile(&[1.0, f64::INFINITY], 0.5).is_err());
        assert!(quantile(&[1.0], -0.1).is_err());
        assert!(quantile(&[1.0], 1.1).is_err());
        assert!(quantile(&[1.0], f64::NAN).is_err());
        assert_eq!(quantile(&[2.0; 5], 0.37), Ok(2.0));
        assert_eq!(quantile(&[1e308, -1e308], 0.0), Ok(-1e308));
        assert_eq!(quantile(&[1e308, -1e308], 0.5), Ok(0.0));
        assert_eq!(
            quantile_sorted(&[2.0, 1.0], 0.5),
            Err(Insufficient::NotSorted)
        );
        assert_eq!(median(&[5.0, 1.0, 3.0, 2.0]), Ok(2.5));
        assert_eq!(
            quantiles(&[1.0, 2.0, 3.0], &[0.0, 0.5, 1.0]),
            Ok(vec![1.0, 2.0, 3.0])
        );
    }

    proptest! {
        #[test]
        fn monotone_in_q(values in prop::collection::vec(-1e6f64..1e6, 1..60),
                         a in 0.0f64..=1.0, b in 0.0f64..=1.0) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let qa = quantile(&values, lo).unwrap();
            let qb = quantile(&values, hi).unwrap();
            prop_assert!(qa <= qb, "q({lo})={qa} > q({hi})={qb}");
            let mut sorted = values.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            prop_assert_eq!(quantile_sorted(&sorted, lo).unwrap(), qa);
            prop_assert!(qa >= sorted[0] && qb <= sorted[sorted.len() - 1]);
        }
    }
}
