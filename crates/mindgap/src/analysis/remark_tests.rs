//! Remarks never contradict the figures beside them: each claim is checked
//! against the figures it was made from, on the sample and on random data,
//! in every language.

use proptest::prelude::*;

use super::remark::{self, Claim, MATERIAL, NOTABLE, claim, holds};
use super::report::{Driver, ExpectationReport, Levels, Quadrant, StageReport};
use crate::engine::feedback::FeedbackAccumulator;
use crate::engine::zone::{
    Direction, Figure, GapFigures, Unit, ValueUnit, Zone, ZoneAccumulator, figures,
};
use crate::engine::{Dimension, Lang, ReportOptions};
use crate::words::fill;

fn share(f: &Figure<crate::stats::ShareInterval>) -> f64 {
    f.value().map_or(0.0, |s| s.share)
}

/// The claim's words are in the remark, with the shares it names, and no
/// words of another claim.
fn check_expectation(r: &ExpectationReport, lang: Lang) -> Result<(), String> {
    let w = lang.words();
    let g = &r.gap;
    let c = claim(g);
    if !holds(c, g) {
        return Err(format!("{c:?} does not hold on {g:?}"));
    }
    let text = remark::expectation(r, lang);
    let (ex, wi, mi) = (share(&g.exceeded), share(&g.within), share(&g.missed));
    let head = |template: &str| template.split('{').next().unwrap_or_default().to_owned();
    let expected = match c {
        Claim::Pending => w.r_all_pending.to_owned(),
        Claim::NeverMeasured => w.r_never_measured.to_owned(),
        Claim::FlagMissing => head(w.r_flag_missing),
        Claim::FlagInPlace => w.r_flag_ok.to_owned(),
        Claim::Gap => fill(w.r_gap, &[("missed", &w.pct(mi))]),
        Claim::MostlyExceeded => fill(w.r_mostly_exceeded, &[("exceeded", &w.pct(ex))]),
        Claim::MostlyWithin => fill(w.r_mostly_within, &[("within", &w.pct(wi))]),
        Claim::Spread => fill(
            w.r_spread,
            &[("exceeded", &w.pct(ex)), ("within", &w.pct(wi))],
        ),
    };
    if !text.starts_with(&expected) {
        return Err(format!("{c:?}: {text:?} does not open with {expected:?}"));
    }
    // Words of the other claims never appear.
    let others = [
        (head(w.r_gap), c == Claim::Gap),
        (head(w.r_mostly_within), c == Claim::MostlyWithin),
        (head(w.r_mostly_exceeded), c == Claim::MostlyExceeded),
        (w.r_flag_ok.to_owned(), c == Claim::FlagInPlace),
    ];
    for (words, mine) in others {
        if !mine && text.contains(&words) {
            return Err(format!("{c:?}: {text:?} also says {words:?}"));
        }
    }
    // Misses are named whenever there are any (flags say them as checks).
    let k = g.missed.value().map_or(0, |s| s.k);
    if k > 0 && g.unit.as_str() != "flag" && !text.contains(&w.pct(mi)) {
        return Err(format!("{text:?} hides the {} missed", w.pct(mi)));
    }
    // Unanswered interactions among the misses are named with their count.
    let unanswered = g.n.saturating_sub(g.valued);
    if unanswered > 0 && k > 0 && remark::is_time(g.unit) {
        let u = w.count(unanswered);
        let named = text
            .split_whitespace()
            .any(|t| t.trim_matches(|c: char| !c.is_alphanumeric()) == u);
        if !named {
            return Err(format!(
                "{text:?} does not name the {unanswered} unanswered"
            ));
        }
        if unanswered * 2 >= k && !text.contains(&head(w.r_open_most)) {
            return Err(format!("{text:?}: the unanswered drive the misses"));
        }
    }
    // Business time says so, calendar time never does.
    let business = [w.b_hour, w.b_min, w.b_sec, w.b_days];
    let says_business = business.iter().any(|b| text.contains(b))
        || business.iter().any(|b| remark::actual(r, lang).contains(b));
    let has_duration = remark::is_time(g.unit) && g.percentiles.value().is_some();
    if has_duration && r.calendar.is_some() != says_business {
        return Err(format!(
            "calendar {:?} but {text:?} / {:?}",
            r.calendar,
            remark::actual(r, lang)
        ));
    }
    Ok(())
}

/// A stage never says its expectations are met while one misses a notable
/// share, and names a gap only when there is one.
fn check_stage(rows: &[&ExpectationReport], lang: Lang) -> Result<(), String> {
    let w = lang.words();
    let s = StageReport {
        id: "s".into(),
        name: "s".into(),
        expectations: rows.iter().map(|r| r.id.clone()).collect(),
        gap: super::report::pooled(&[], 0.95),
        index: super::report::StageIndex {
            zone: Figure::absent("-"),
            missed: Figure::absent("-"),
        },
        feedback: FeedbackAccumulator::default().finish(0.95),
        remark: String::new(),
    };
    let text = remark::stage(&s, rows, lang);
    let largest = rows
        .iter()
        .filter_map(|r| r.gap.missed.value().map(|m| m.share))
        .fold(None, |a: Option<f64>, m| Some(a.map_or(m, |a| a.max(m))));
    let head = |t: &str| t.split('{').next().unwrap_or_default().to_owned();
    let says_met = text.starts_with(w.s_met);
    let says_gap = text.starts_with(&head(w.s_largest));
    let says_some = text.starts_with(&head(w.s_some));
    match largest {
        Some(m) if m >= MATERIAL && !says_gap => Err(format!("{m}: {text:?}")),
        Some(m) if (NOTABLE..MATERIAL).contains(&m) && !says_some => Err(format!("{m}: {text:?}")),
        Some(m) if m < NOTABLE && !says_met => Err(format!("{m}: {text:?}")),
        None if says_met || says_gap || says_some => Err(format!("none: {text:?}")),
        _ => Ok(()),
    }
}

#[test]
fn the_sample_remarks_hold_on_their_figures() {
    let diary = crate::sample::diary(crate::sample::DEFAULT_ROWS);
    for lang in Lang::ALL {
        for as_of in ["2026-06-15T00:00:00+03:00", "2026-10-31T23:59:00+03:00"] {
            let at = chrono::DateTime::parse_from_rfc3339(as_of).unwrap();
            let options = ReportOptions::default()
                .with_lang(lang)
                .with_as_of(at)
                .with_by(Dimension::Channel);
            let r = crate::report(&diary, &options).unwrap();
            for e in &r.expectations {
                assert_eq!(e.remark, remark::expectation(e, lang));
                check_expectation(e, lang).unwrap();
            }
            for s in &r.stages {
                let rows: Vec<&ExpectationReport> =
                    r.expectations.iter().filter(|e| e.stage == s.id).collect();
                check_stage(&rows, lang).unwrap();
            }
        }
    }
}

/// An expectation row from random observations.
fn row(
    observations: &[(i64, u8)],
    flag: bool,
    metric: usize,
    calendar: bool,
    driver: Option<(u64, u64)>,
    concentrate: bool,
) -> ExpectationReport {
    let zone = if flag {
        Zone::new(Direction::HigherIsBetter, Unit::Flag, 1, 1).unwrap()
    } else {
        Zone::new(
            Direction::LowerIsBetter,
            Unit::Milliseconds,
            3_600_000,
            36_000_000,
        )
        .unwrap()
    };
    let mut acc = ZoneAccumulator::new(zone);
    for &(v, kind) in observations {
        match kind {
            0 => acc.add_pending(),
            1 if !flag => acc.add_missed_without_value(),
            _ if flag => {
                acc.add(v.rem_euclid(2));
            }
            _ => {
                acc.add(v);
            }
        }
    }
    let gap: GapFigures = figures(&[&acc], 0.95);
    ExpectationReport {
        id: "e".into(),
        stage: "s".into(),
        touchpoint: None,
        channel: None,
        segment: None,
        description: "e".into(),
        metric: ["first_response", "resolution", "follow_up", "next_response"][metric % 4]
            .to_owned(),
        importance: 1.0,
        calendar: calendar.then(|| "hours".to_owned()),
        levels: vec![Levels {
            desired: zone.unit.report(zone.desired as f64),
            adequate: zone.unit.report(zone.adequate as f64),
            promised: None,
            unit: zone.unit.reported(),
            direction: zone.direction,
            recorded_at: None,
        }],
        actual: String::new(),
        drivers: driver
            .and_then(|(k, n)| crate::stats::wilson(k.min(n), n.max(1), 0.95).ok())
            .map(|m| Driver {
                dimension: Dimension::Employee,
                key: "e-01".into(),
                missed: m,
            })
            .into_iter()
            .collect(),
        quadrant: if concentrate {
            Figure::Value(Quadrant::ConcentrateHere)
        } else {
            Figure::absent("-")
        },
        gap,
        remark: String::new(),
    }
}

fn observations() -> impl Strategy<Value = Vec<(i64, u8)>> {
    // Values across the zone (1 h desired, 10 h adequate) and beyond, with
    // some pending and some unanswered past adequate.
    prop::collection::vec((0i64..200_000_000, 0u8..12), 0..120)
}

proptest! {
    #[test]
    fn random_remarks_hold_on_their_figures(
        obs in observations(),
        flag in prop::bool::weighted(0.15),
        metric in 0usize..4,
        calendar in any::<bool>(),
        driver in prop::option::of((0u64..50, 1u64..50)),
        concentrate in any::<bool>(),
    ) {
        let r = row(&obs, flag, metric, calendar, driver, concentrate);
        prop_assert_eq!(r.gap.unit == ValueUnit::Flag, flag);
        for lang in Lang::ALL {
            if let Err(e) = check_expectation(&r, lang) {
                return Err(TestCaseError::fail(e));
            }
        }
    }

    #[test]
    fn random_stage_remarks_hold_on_their_rows(
        rows in prop::collection::vec((observations(), prop::bool::weighted(0.1)), 0..5),
    ) {
        let rows: Vec<ExpectationReport> = rows
            .iter()
            .map(|(obs, flag)| row(obs, *flag, 0, false, None, false))
            .collect();
        let refs: Vec<&ExpectationReport> = rows.iter().collect();
        for lang in Lang::ALL {
            if let Err(e) = check_stage(&refs, lang) {
                return Err(TestCaseError::fail(e));
            }
        }
    }
}
