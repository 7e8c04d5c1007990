//! Feedback figures: NPS with the adjusted-Wald interval, CSAT and CES shares
//! with Wilson intervals, rating means, reasons.
//!
//! Rules: NPS is computed only from `nps` answers (never from other 0–10
//! scales); promoters 9–10, passives 7–8, detractors 0–6, so every accepted
//! answer (validation admits only whole numbers 0–10) lands in exactly one
//! bucket. Dismissed surveys are counted as `dismissed` and are in no
//! denominator. CSAT = share of 4–5 on 1–5; CES = mean on 1–7 and share
//! agreeing (5–7).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::zone::Figure;
use crate::model::FeedbackKind;
use crate::stats::{self, NpsEstimate, ShareInterval};

/// Running counts of feedback; merges by addition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedbackAccumulator {
    pub(crate) promoters: u64,
    pub(crate) passives: u64,
    pub(crate) detractors: u64,
    pub(crate) csat_n: u64,
    pub(crate) csat_satisfied: u64,
    pub(crate) ces_n: u64,
    pub(crate) ces_sum: u64,
    pub(crate) ces_agree: u64,
    /// Rating answers by scale: (n, sum in micro-points).
    pub(crate) ratings: BTreeMap<u32, (u64, i128)>,
    pub(crate) dismissed: u64,
    pub(crate) comments: u64,
    pub(crate) negative: u64,
    pub(crate) reasons: BTreeMap<String, u64>,
}

/// What one feedback record contributes.
#[derive(Debug, Clone, Copy)]
pub struct FeedbackItem<'a> {
    /// Kind.
    pub kind: FeedbackKind,
    /// Score, if any.
    pub score: Option<f64>,
    /// Scale of a rating.
    pub scale: u32,
    /// Shown but not answered.
    pub dismissed: bool,
    /// Reason code.
    pub reason: Option<&'a str>,
    /// Has a comment.
    pub comment: bool,
    /// Marked negative.
    pub negative: bool,
}

impl FeedbackAccumulator {
    /// Adds one record.
    ///
    /// ```
    /// use mindgap::{FeedbackAccumulator, FeedbackItem, FeedbackKind};
    /// let nps = |score| FeedbackItem { kind: FeedbackKind::Nps, score: Some(score), scale: 10,
    ///     dismissed: false, reason: None, comment: false, negative: false };
    /// let mut acc = FeedbackAccumulator::default();
    /// [10.0, 9.0, 8.0, 3.0].into_iter().for_each(|s| acc.add(&nps(s)));
    /// acc.add(&FeedbackItem { dismissed: true, score: None, ..nps(0.0) }); // shown, not answered
    /// let f = acc.finish(0.95);
    /// assert_eq!((f.answered, f.dismissed), (4, 1));
    /// assert_eq!(f.nps.value().map(|e| e.nps), Some(25.0)); // (2 promoters − 1 detractor) / 4
    /// ```
    pub fn add(&mut self, f: &FeedbackItem<'_>) {
        if f.dismissed {
            self.dismissed += 1;
            return;
        }
        if let Some(reason) = f.reason {
            match self.reasons.get_mut(reason) {
                Some(n) => *n += 1,
                None => {
                    self.reasons.insert(reason.to_owned(), 1);
                }
            }
        }
        if f.comment {
            self.comments += 1;
        }
        if f.negative {
            self.negative += 1;
        }
        let Some(score) = f.score else { return };
        match f.kind {
            FeedbackKind::Nps => {
                if score >= 9.0 {
                    self.promoters += 1;
                } else if score >= 7.0 {
                    self.passives += 1;
                } else {
                    self.detractors += 1;
                }
            }
            FeedbackKind::Csat => {
                self.csat_n += 1;
                if score >= 4.0 {
                    self.csat_satisfied += 1;
                }
            }
            FeedbackKind::Ces => {
                self.ces_n += 1;
                self.ces_sum += score.max(0.0) as u64;
                if score >= 5.0 {
                    self.ces_agree += 1;
                }
            }
            FeedbackKind::Rating => {
                let e = self.ratings.entry(f.scale).or_insert((0, 0));
                e.0 += 1;
                e.1 += i128::from(super::zone::micro_points(score));
            }
            FeedbackKind::Comment | FeedbackKind::Reason => {}
        }
    }

    /// Merges another accumulator (by addition).
    pub fn merge(&mut self, o: &FeedbackAccumulator) {
        self.promoters += o.promoters;
        self.passives += o.passives;
        self.detractors += o.detractors;
        self.csat_n += o.csat_n;
        self.csat_satisfied += o.csat_satisfied;
        self.ces_n += o.ces_n;
        self.ces_sum += o.ces_sum;
        self.ces_agree += o.ces_agree;
        for (scale, (n, s)) in &o.ratings {
            let e = self.ratings.entry(*scale).or_insert((0, 0));
            e.0 += n;
            e.1 += s;
        }
        self.dismissed += o.dismissed;
        self.comments += o.comments;
        self.negative += o.negative;
        for (r, n) in &o.reasons {
            *self.reasons.entry(r.clone()).or_insert(0) += n;
        }
    }

    /// Number of reason answers for `reason`.
    pub fn reason_count(&self, reason: &str) -> u64 {
        self.reasons.get(reason).copied().unwrap_or(0)
    }

    /// The figures.
    ///
    /// ```
    /// use mindgap::{FeedbackAccumulator, FeedbackItem, FeedbackKind};
    /// let csat = |score| FeedbackItem { kind: FeedbackKind::Csat, score: Some(score), scale: 5,
    ///     dismissed: false, reason: Some("late_delivery"), comment: false, negative: false };
    /// let mut acc = FeedbackAccumulator::default();
    /// [5.0, 4.0, 2.0, 5.0].into_iter().for_each(|s| acc.add(&csat(s)));
    /// let f = acc.finish(0.95);
    /// assert_eq!(f.csat.value().map(|s| (s.k, s.n)), Some((3, 4))); // 4–5 of 1–5
    /// assert_eq!((f.reasons[0].reason.as_str(), f.reasons[0].count), ("late_delivery", 4));
    /// assert!(f.nps.value().is_none()); // no NPS answers: absent, never NaN
    /// ```
    pub fn finish(&self, confidence: f64) -> FeedbackFigures {
        let nps = match stats::nps(self.promoters, self.passives, self.detractors, confidence) {
            Ok(e) => Figure::Value(e),
            Err(_) if self.promoters + self.passives + self.detractors == 0 => {
                absent("no NPS answers")
            }
            Err(e) => absent(e.to_string()),
        };
        let csat = share(
            self.csat_satisfied,
            self.csat_n,
            confidence,
            "no CSAT answers",
        );
        let ces = if self.ces_n == 0 {
            absent("no CES answers")
        } else {
            match stats::wilson(self.ces_agree, self.ces_n, confidence) {
                Ok(agreeing) => Figure::Value(Ces {
                    n: self.ces_n,
                    mean: self.ces_sum as f64 / self.ces_n as f64,
                    agreeing,
                }),
                Err(e) => absent(e.to_string()),
            }
        };
        let ratings = self
            .ratings
            .iter()
            .map(|(&scale, &(n, sum))| RatingMean {
                scale,
                n,
                mean: sum as f64 / 1e6 / n.max(1) as f64,
            })
            .collect();
        let mut reasons: Vec<ReasonCount> = self
            .reasons
            .iter()
            .map(|(r, &count)| ReasonCount {
                reason: r.clone(),
                count,
            })
            .collect();
        crate::util::sort::sort_by(&mut reasons, |a, b| {
            b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason))
        });
        FeedbackFigures {
            answered: self.promoters
                + self.passives
                + self.detractors
                + self.csat_n
                + self.ces_n
                + self.ratings.values().map(|r| r.0).sum::<u64>(),
            dismissed: self.dismissed,
            comments: self.comments,
            negative: self.negative,
            nps,
            csat,
            ces,
            ratings,
            reasons,
        }
    }
}

fn absent<T>(why: impl Into<String>) -> Figure<T> {
    Figure::Absent { absent: why.into() }
}

fn share(k: u64, n: u64, confidence: f64, none: &str) -> Figure<ShareInterval> {
    if n == 0 {
        return absent(none);
    }
    match stats::wilson(k, n, confidence) {
        Ok(s) => Figure::Value(s),
        Err(e) => absent(e.to_string()),
    }
}

/// Customer effort: mean on 1–7 and the share agreeing (5–7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ces {
    /// Answers.
    pub n: u64,
    /// Mean score.
    pub mean: f64,
    /// Share of 5–7, with its Wilson interval.
    pub agreeing: ShareInterval,
}

/// Mean of rating answers on one scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RatingMean {
    /// Top of the scale.
    pub scale: u32,
    /// Answers.
    pub n: u64,
    /// Mean.
    pub mean: f64,
}

/// How often a reason was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    /// Reason code.
    pub reason: String,
    /// Times given.
    pub count: u64,
}

/// Feedback figures of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackFigures {
    /// Scored answers (NPS, CSAT, CES, ratings), dismissed excluded.
    pub answered: u64,
    /// Surveys shown and not answered (in no denominator).
    pub dismissed: u64,
    /// Records with a comment.
    pub comments: u64,
    /// Records marked negative.
    pub negative: u64,
    /// NPS from `nps` answers only.
    pub nps: Figure<NpsEstimate>,
    /// CSAT: share of 4–5.
    pub csat: Figure<ShareInterval>,
    /// CES: mean and share agreeing.
    pub ces: Figure<Ces>,
    /// Rating means per scale.
    pub ratings: Vec<RatingMean>,
    /// Reasons, most frequent first.
    pub reasons: Vec<ReasonCount>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: FeedbackKind, score: Option<f64>, dismissed: bool) -> FeedbackItem<'static> {
        FeedbackItem {
            kind,
            score,
            scale: 5,
            dismissed,
            reason: None,
            comment: false,
            negative: false,
        }
    }

    #[test]
    fn dismissed_surveys_are_in_no_denominator() {
        let mut acc = FeedbackAccumulator::default();
        for s in [10.0, 9.0, 8.0, 6.0] {
            acc.add(&item(FeedbackKind::Nps, Some(s), false));
        }
        for _ in 0..10 {
            acc.add(&item(FeedbackKind::Nps, None, true));
        }
        let f = acc.finish(0.95);
        let nps = f.nps.value().unwrap();
        assert_eq!(
            (nps.promoters, nps.passives, nps.detractors, nps.n),
            (2, 1, 1, 4)
        );
        assert_eq!(nps.nps, 25.0); // 100·(2 − 1)/4, not 100·1/14
        assert_eq!(f.dismissed, 10);
        assert_eq!(f.answered, 4);
    }

    #[test]
    fn nps_buckets_partition_every_accepted_answer_and_only_nps_counts() {
        let mut acc = FeedbackAccumulator::default();
        for s in 0..=10 {
            acc.add(&item(FeedbackKind::Nps, Some(f64::from(s)), false));
        }
        // A 0-10 rating that is not an NPS question never reaches NPS.
        let mut rating = item(FeedbackKind::Rating, Some(10.0), false);
        rating.scale = 10;
        acc.add(&rating);
        let nps = *acc.finish(0.95).nps.value().unwrap();
        assert_eq!((nps.detractors, nps.passives, nps.promoters), (7, 2, 2));
        assert_eq!(nps.n, 11);
    }

    #[test]
    fn csat_and_ces_shares() {
        let mut acc = FeedbackAccumulator::default();
        for s in [5.0, 4.0, 3.0, 1.0] {
            acc.add(&item(FeedbackKind::Csat, Some(s), false));
        }
        for s in [7.0, 5.0, 4.0] {
            acc.add(&item(FeedbackKind::Ces, Some(s), false));
        }
        let f = acc.finish(0.95);
        assert_eq!(f.csat.value().unwrap().share, 0.5);
        let ces = f.ces.value().unwrap();
        assert!((ces.mean - 16.0 / 3.0).abs() < 1e-12);
        assert_eq!(ces.agreeing.k, 2);
        let empty = FeedbackAccumulator::default().finish(0.95);
        assert!(matches!(empty.nps, Figure::Absent { .. }));
    }
}
