//! Which feedback opens a follow-up: the diary's [`FollowUpRules`] applied
//! to one feedback record (held or read).

use serde::{Deserialize, Serialize};

use super::held::Fb;
use super::*;

/// Why a feedback record opened a follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// The rule: `nps`, `csat`, `ces`, `rating`, `reason` or `sentiment`.
    pub rule: String,
    /// What met it, in words: `"3 ≤ 6"`, `"late_delivery"`, `"negative"`.
    pub detail: String,
}

/// The severity of a feedback record that opens a follow-up under the
/// rules, `None` when it opens none; each rule that fires is added to
/// `triggers` when given (the report only needs the severity: no text made).
pub(crate) fn judge(
    rules: &FollowUpRules,
    f: Fb<'_>,
    mut triggers: Option<&mut Vec<Trigger>>,
) -> Option<f64> {
    if f.dismissed() {
        return None;
    }
    let mut severity: Option<f64> = None;
    let mut fire = |s: f64, rule: &str, detail: &dyn Fn() -> String| {
        severity = Some(severity.map_or(s, |x: f64| x.max(s)));
        if let Some(out) = triggers.as_deref_mut() {
            out.push(Trigger {
                rule: rule.to_owned(),
                detail: detail(),
            });
        }
    };
    let scored = match (f.kind(), f.score()) {
        (FeedbackKind::Nps, Some(s)) => rules.nps_at_most.map(|t| ("nps", s, t, 0.0)),
        (FeedbackKind::Csat, Some(s)) => rules.csat_at_most.map(|t| ("csat", s, t, 1.0)),
        (FeedbackKind::Ces, Some(s)) => rules.ces_at_most.map(|t| ("ces", s, t, 1.0)),
        (FeedbackKind::Rating, Some(s)) => {
            let scale = f64::from(f.scale().unwrap_or(5).max(2));
            let five = 1.0 + (s - 1.0) * 4.0 / (scale - 1.0);
            rules.rating_at_most.map(|t| ("rating", five, t, 1.0))
        }
        _ => None,
    };
    if let Some((rule, s, t, lo)) = scored {
        if s <= t {
            let sev = ((t + 1.0 - s) / (t + 1.0 - lo)).clamp(0.0, 1.0);
            fire(sev, rule, &|| format!("{} ≤ {}", trim(s), trim(t)));
        }
    }
    if let Some(r) = f.reason() {
        if rules.reasons.iter().any(|x| x.trim() == r.trim()) {
            fire(0.5, "reason", &|| r.to_owned());
        }
    }
    if rules.negative_sentiment && f.sentiment() == Some(Sentiment::Negative) {
        fire(0.5, "sentiment", &|| "negative".to_owned());
    }
    severity
}

/// Whether a feedback record opens a follow-up under these rules.
///
/// ```
/// use mindgap::*;
/// let f: Feedback = serde_json::from_str(
///     r#"{"id": "f", "at": "2026-06-01T10:00:00Z", "kind": "nps", "score": 6, "stage": "s"}"#,
/// ).unwrap();
/// assert!(mindgap::opens(&FollowUpRules::default(), &f));
/// ```
pub fn opens(rules: &FollowUpRules, f: &Feedback) -> bool {
    judge(rules, Fb::Record(f), None).is_some()
}

pub(crate) fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
