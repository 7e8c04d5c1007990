//! Remarks in plain words (every language of the catalogue): where the gap
//! is and what drives it. A remark is chosen from the figures beside it
//! ([`claim`]: the classes and their Wilson intervals) and only then put
//! into words, so the words never say more than the numbers do: the
//! property tests check each claim against the figures it was made from.

use super::report::{ExpectationReport, Quadrant, StageReport};
use crate::engine::Lang;
use crate::engine::zone::{Figure, GapFigures, ValueUnit};
use crate::words::{Words, fill};

/// A missed share from which an expectation's misses are named in a stage's
/// remark, and below which a stage may say its expectations are met.
pub(crate) const NOTABLE: f64 = 0.05;
/// A missed share from which an expectation has a gap.
pub(crate) const MATERIAL: f64 = 0.2;

/// A reported value (seconds, points) in plain units; durations in
/// business time say so.
pub(crate) fn value(unit: ValueUnit, v: f64, business: bool, w: &Words) -> String {
    match unit {
        ValueUnit::Seconds => w.duration(v, business),
        ValueUnit::BusinessDays => w.business_days(v),
        _ => w.number(v, 2),
    }
}

/// A unit of time: seconds, or business days.
pub(crate) fn is_time(unit: ValueUnit) -> bool {
    matches!(unit, ValueUnit::Seconds | ValueUnit::BusinessDays)
}

/// A reported value (seconds, points) in plain units (calendar time).
pub(crate) fn plain(unit: ValueUnit, v: f64, lang: Lang) -> String {
    value(unit, v, false, lang.words())
}

/// What a remark says about an expectation's observations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Claim {
    /// Nothing classified, some observations pending.
    Pending,
    /// Nothing observed at all.
    NeverMeasured,
    /// A yes/no feature missing at some checks.
    FlagMissing,
    /// A yes/no feature in place at every check.
    FlagInPlace,
    /// At least [`MATERIAL`] missed the adequate level.
    Gap,
    /// More than half better than desired (and less than [`MATERIAL`] missed).
    MostlyExceeded,
    /// More than half within the zone (and less than [`MATERIAL`] missed).
    MostlyWithin,
    /// No class has more than half (and less than [`MATERIAL`] missed).
    Spread,
}

fn share(f: &Figure<crate::stats::ShareInterval>) -> f64 {
    f.value().map_or(0.0, |s| s.share)
}

/// The claim the figures support.
pub(crate) fn claim(g: &GapFigures) -> Claim {
    if g.n == 0 {
        return if g.pending > 0 {
            Claim::Pending
        } else {
            Claim::NeverMeasured
        };
    }
    let (ex, wi, mi) = (share(&g.exceeded), share(&g.within), share(&g.missed));
    if g.unit.as_str() == "flag" {
        if mi > 0.0 {
            Claim::FlagMissing
        } else {
            Claim::FlagInPlace
        }
    } else if mi >= MATERIAL {
        Claim::Gap
    } else if ex > 0.5 {
        Claim::MostlyExceeded
    } else if wi > 0.5 {
        Claim::MostlyWithin
    } else {
        Claim::Spread
    }
}

/// Whether a claim holds on the figures (the property the tests check).
#[cfg(test)]
pub(crate) fn holds(c: Claim, g: &GapFigures) -> bool {
    let (ex, wi, mi) = (share(&g.exceeded), share(&g.within), share(&g.missed));
    match c {
        Claim::Pending => g.n == 0 && g.pending > 0,
        Claim::NeverMeasured => g.n == 0 && g.pending == 0,
        Claim::FlagMissing => g.n > 0 && mi > 0.0,
        Claim::FlagInPlace => g.n > 0 && mi == 0.0,
        Claim::Gap => g.n > 0 && mi >= MATERIAL,
        Claim::MostlyExceeded => ex > 0.5 && mi < MATERIAL,
        Claim::MostlyWithin => wi > 0.5 && mi < MATERIAL,
        Claim::Spread => ex <= 0.5 && wi <= 0.5 && mi < MATERIAL,
    }
}

/// Whether an expectation's durations are business time.
fn business(r: &ExpectationReport) -> bool {
    r.calendar.is_some()
}

/// The word for interactions whose clock ran past the adequate level with
/// no reply (resolution, follow-up) yet.
fn open_state<'a>(r: &ExpectationReport, w: &'a Words) -> &'a str {
    match r.metric.as_str() {
        "resolution" => w.st_unresolved,
        "follow_up" => w.st_not_followed,
        _ => w.st_unanswered,
    }
}

/// What actually happened, in plain units.
pub(crate) fn actual(r: &ExpectationReport, lang: Lang) -> String {
    let w = lang.words();
    let g = &r.gap;
    if g.n == 0 && g.pending == 0 {
        return w.no_obs.to_owned();
    }
    let b = business(r);
    let body = match (g.unit.as_str(), g.percentiles.value(), g.mean.value()) {
        (_, Some(p), _) if is_time(g.unit) => fill(
            w.a_durations,
            &[
                ("p50", &value(g.unit, p.p50, b, w)),
                ("p90", &value(g.unit, p.p90, b, w)),
            ],
        ),
        ("points", _, Some(m)) => fill(w.a_mean, &[("m", &w.number(*m, 2))]),
        ("flag", _, Some(m)) => {
            let met = (m * g.valued as f64).round() as u64;
            fill(
                w.a_flag,
                &[
                    ("k", &w.count(met)),
                    ("n", &w.count(g.valued)),
                    ("checks", w.plural(g.valued, &w.checks_of)),
                ],
            )
        }
        _ => w.a_no_values.to_owned(),
    };
    let mut out = body + &fill(w.a_n, &[("n", &w.count(g.n))]);
    let unanswered = g.n.saturating_sub(g.valued);
    if unanswered > 0 && is_time(g.unit) {
        out += &fill(
            w.a_open,
            &[("u", &w.count(unanswered)), ("state", open_state(r, w))],
        );
    }
    if g.pending > 0 {
        out += &fill(w.a_pending, &[("u", &w.count(g.pending))]);
    }
    out
}

/// The remark of an expectation: its [`claim`] in words, what drives the
/// misses (unanswered interactions, a channel, an employee), and the
/// Importance–Performance advice.
pub(crate) fn expectation(r: &ExpectationReport, lang: Lang) -> String {
    let w = lang.words();
    let g = &r.gap;
    let c = claim(g);
    let (ex, wi, mi) = (share(&g.exceeded), share(&g.within), share(&g.missed));
    let missed_k = g.missed.value().map_or(0, |s| s.k);
    let n = w.count(g.n);
    // "Not certain" when the interval of the class a claim rests on still
    // reaches across the line the claim draws.
    let uncertain = |f: &Figure<crate::stats::ShareInterval>, line: f64, above: bool| {
        f.value().is_some_and(|s| {
            if above {
                s.lower < line
            } else {
                s.upper > line
            }
        })
    };
    let hedge = |yes: bool| {
        if yes {
            fill(w.r_uncertain, &[("n", &n)])
        } else {
            String::new()
        }
    };
    let and_missed = || {
        if missed_k > 0 {
            fill(w.r_and_missed, &[("missed", &w.pct(mi))])
        } else {
            String::new()
        }
    };
    let mut out = match c {
        Claim::Pending => return w.r_all_pending.to_owned(),
        Claim::NeverMeasured => return w.r_never_measured.to_owned(),
        Claim::FlagMissing => fill(
            w.r_flag_missing,
            &[
                ("k", &w.count(g.exceeded.value().map_or(0, |s| s.k))),
                ("n", &n),
                ("checks", w.plural(g.n, &w.checks_of)),
            ],
        ),
        Claim::FlagInPlace => w.r_flag_ok.to_owned(),
        Claim::Gap => {
            let mut s = fill(w.r_gap, &[("missed", &w.pct(mi))]);
            let adequate = r
                .levels
                .last()
                .map(|l| value(l.unit, l.adequate, business(r), w));
            if let (Some(p), Some(a), true) = (g.percentiles.value(), &adequate, is_time(g.unit)) {
                s += &fill(
                    w.r_gap_p90,
                    &[
                        ("p90", &value(g.unit, p.p90, business(r), w)),
                        ("adequate", a),
                    ],
                );
            }
            s + &hedge(uncertain(&g.missed, NOTABLE, true)) + "."
        }
        Claim::MostlyExceeded => {
            fill(w.r_mostly_exceeded, &[("exceeded", &w.pct(ex))])
                + &hedge(uncertain(&g.exceeded, 0.5, true))
                + &and_missed()
                + "."
        }
        Claim::MostlyWithin => {
            fill(w.r_mostly_within, &[("within", &w.pct(wi))])
                + &hedge(uncertain(&g.within, 0.5, true))
                + &and_missed()
                + "."
        }
        Claim::Spread => {
            fill(
                w.r_spread,
                &[("exceeded", &w.pct(ex)), ("within", &w.pct(wi))],
            ) + &and_missed()
                + "."
        }
    };
    // Interactions still without a reply past the adequate level are misses
    // the percentiles do not show: named, and said to drive the misses when
    // they are half of them or more.
    let unanswered = g.n.saturating_sub(g.valued);
    if unanswered > 0 && missed_k > 0 && is_time(g.unit) {
        let state = open_state(r, w);
        let (u, k) = (w.count(unanswered), w.count(missed_k));
        out += &if unanswered * 2 >= missed_k {
            fill(w.r_open_most, &[("state", state), ("u", &u), ("k", &k)])
        } else {
            fill(
                w.r_open_some,
                &[
                    ("state", state),
                    ("u", &u),
                    ("k", &k),
                    ("misses", w.plural(missed_k, &w.misses_of)),
                ],
            )
        };
    }
    for d in &r.drivers {
        let template = match d.dimension.as_str() {
            "channel" => w.r_worst_channel,
            _ => w.r_worst_employee,
        };
        out += &fill(
            template,
            &[
                ("key", &w.channel(&d.key)),
                ("missed", &w.pct(d.missed.share)),
                ("n", &w.count(d.missed.n)),
                ("obs", w.plural(d.missed.n, &w.obs_of)),
            ],
        );
    }
    if let Figure::Value(Quadrant::ConcentrateHere) = r.quadrant {
        out += w.r_act_here;
    }
    out
}

/// The expectation a stage's remark names: the largest missed share of the
/// stage decides the class of the remark (a gap from [`MATERIAL`], misses
/// from [`NOTABLE`]); among the expectations of that class, the one with
/// the largest importance × missed share is named (so the remark points to
/// where acting helps most). Returns the largest share and the named row.
pub(crate) fn worst<'a>(rows: &[&'a ExpectationReport]) -> Option<(f64, &'a ExpectationReport)> {
    let shares = || {
        rows.iter()
            .filter_map(|r| r.gap.missed.value().map(|m| (m.share, *r)))
    };
    let largest = shares().map(|(m, _)| m).max_by(f64::total_cmp)?;
    let floor = if largest >= MATERIAL {
        MATERIAL
    } else if largest >= NOTABLE {
        NOTABLE
    } else {
        0.0
    };
    shares()
        .filter(|(m, _)| *m >= floor)
        .max_by(|a, b| {
            (a.0 * a.1.importance)
                .total_cmp(&(b.0 * b.1.importance))
                .then_with(|| a.0.total_cmp(&b.0))
        })
        .map(|(_, r)| (largest, r))
}

/// The remark of a stage: its largest gap (never "met" while one of its
/// expectations misses [`NOTABLE`] or more), the top complaint reason, NPS
/// below zero.
pub(crate) fn stage(s: &StageReport, rows: &[&ExpectationReport], lang: Lang) -> String {
    let w = lang.words();
    let mut parts = Vec::new();
    match worst(rows) {
        Some((m, r)) => {
            let name = if r.description.is_empty() {
                &r.id
            } else {
                &r.description
            };
            let own = r.gap.missed.value().map_or(0.0, |s| s.share);
            let vars = [("name", name.as_str()), ("missed", &w.pct(own))];
            parts.push(if m >= MATERIAL {
                fill(w.s_largest, &vars)
            } else if m >= NOTABLE {
                fill(w.s_some, &vars)
            } else {
                w.s_met.to_owned()
            });
        }
        None if rows.is_empty() => parts.push(w.s_none_recorded.to_owned()),
        None => parts.push(w.s_none_observed.to_owned()),
    }
    if let Some(top) = s.feedback.reasons.first() {
        parts.push(fill(
            w.s_top_reason,
            &[("reason", &top.reason), ("count", &w.count(top.count))],
        ));
    }
    if let Some(nps) = s.feedback.nps.value() {
        if nps.upper < 0.0 {
            parts.push(fill(w.s_nps_negative, &[("nps", &w.number(nps.nps, 0))]));
        }
    }
    parts.join("; ") + "."
}
