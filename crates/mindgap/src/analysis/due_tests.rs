//! The breach queue against the report: a clock is breached in the queue
//! exactly when the report (its drill-down) counts it missed at the same
//! instant, and its `breach_at` is the last instant the report still counts
//! it pending.

use std::collections::BTreeMap;

use super::*;
use crate::analysis::drill::{DrillOptions, Pick};
use crate::engine::zone::Outcome;

/// The sample with business hours and pauses: every duration expectation
/// on a calendar (nights, weekends and a holiday off), resolution clocks
/// paused while the customer is waited for.
fn business_diary(n: usize) -> Diary {
    let mut diary = crate::sample::with_conversations(crate::sample::diary(n));
    let cal: crate::model::Calendar = serde_json::from_str(
        r#"{"id": "office", "hours": {
        "mon": ["09:00-18:00"], "tue": ["09:00-18:00"], "wed": ["09:00-18:00"],
        "thu": ["09:00-13:00", "14:00-18:00"], "fri": ["09:00-17:00"], "sat": ["10:00-14:00"]},
        "holidays": ["2026-05-01/2026-05-03"]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    diary.calendars.push(cal);
    for (k, e) in diary.expectations.iter_mut().enumerate() {
        if matches!(
            e.metric,
            Metric::FirstResponse(_) | Metric::Resolution(_) | Metric::NextResponse(_)
        ) && k % 2 == 0
            && e.calendar.is_none()
        {
            e.calendar = Some("office".into());
        }
    }
    diary
}

type Key = (String, String, Timestamp);

fn drilled(p: &Prepared<'_>, as_of: Timestamp) -> BTreeMap<Key, Outcome> {
    let drill = p
        .drill(
            &DrillOptions::default()
                .with_filters(Filters::default().with_as_of(as_of))
                .with_class(Pick::All)
                .with_limit(usize::MAX),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    drill
        .records
        .into_iter()
        .filter(|r| r.running)
        .map(|r| ((r.expectation, r.id, r.at), r.class))
        .collect()
}

fn at(t: i64) -> Timestamp {
    chrono::DateTime::from_timestamp_millis(t)
        .unwrap_or_default()
        .fixed_offset()
}

#[test]
fn the_queue_is_the_reports_running_clocks_and_breached_is_missed() {
    for diary in [crate::sample::diary(1_500), business_diary(1_500)] {
        let p = Prepared::new(&diary).unwrap_or_else(|e| panic!("{e}"));
        let latest = p.latest().unwrap_or_else(|| panic!("no data"));
        for back_hours in [0, 5, 30, 200] {
            let as_of = latest - chrono::Duration::hours(back_hours);
            let queue = p
                .due(&DueOptions::default().with_filters(Filters::default().with_as_of(as_of)))
                .unwrap_or_else(|e| panic!("{e}"));
            let report = drilled(&p, as_of);
            let listed: BTreeMap<Key, Outcome> = queue
                .clocks
                .iter()
                .map(|c| {
                    let class = if c.state == DueState::Breached {
                        Outcome::Missed
                    } else {
                        Outcome::Pending
                    };
                    ((c.expectation.clone(), c.id.clone(), c.started), class)
                })
                .collect();
            assert!(
                listed == report,
                "as of {as_of}: {} vs {}",
                listed.len(),
                report.len()
            );
            assert!(queue.clocks.iter().any(|c| c.clock == ClockKind::FollowUp));
            assert!(queue.summary.breached > 0 && queue.summary.on_track > 0);
            assert_eq!(
                queue.summary.total,
                queue.summary.breached + queue.summary.at_risk + queue.summary.on_track
            );
        }
    }
}

#[test]
fn breach_at_is_the_last_instant_the_report_counts_it_pending() {
    let diary = business_diary(1_500);
    let p = Prepared::new(&diary).unwrap_or_else(|e| panic!("{e}"));
    let latest = p.latest().unwrap_or_else(|| panic!("no data"));
    // At the latest instant nothing happens later: future crossings are
    // exact too.
    let as_of = latest - chrono::Duration::hours(20);
    for as_of in [as_of, latest] {
        let queue = p
            .due(&DueOptions::default().with_filters(Filters::default().with_as_of(as_of)))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut checked = 0;
        let mut kinds = std::collections::BTreeSet::new();
        let future_ok = as_of == latest;
        for c in queue.clocks.iter().step_by(2).take(150) {
            let Some(b) = c.breach_at else {
                assert!(c.paused, "{c:?}");
                continue;
            };
            if b > as_of && !future_ok {
                continue;
            }
            let key = (c.expectation.clone(), c.id.clone(), c.started);
            let b = b.timestamp_millis();
            let before = drilled(&p, at(b));
            let after = drilled(&p, at(b + 1));
            assert_eq!(before.get(&key), Some(&Outcome::Pending), "{c:?}");
            assert_eq!(after.get(&key), Some(&Outcome::Missed), "{c:?}");
            assert_eq!(c.state == DueState::Breached, b < as_of.timestamp_millis());
            if let Some(w) = c.warn_at {
                assert!(w <= at(b), "{c:?}");
            }
            kinds.insert((c.clock, c.calendar.is_some(), c.paused));
            checked += 1;
        }
        assert!(checked > 20, "{checked}");
        assert!(kinds.len() >= 4, "{kinds:?}");
        assert!(kinds.iter().any(|k| k.0 == ClockKind::Update), "{kinds:?}");
    }
}

#[test]
fn within_breached_and_changes_narrow_the_queue() {
    let diary = business_diary(1_500);
    let p = Prepared::new(&diary).unwrap_or_else(|e| panic!("{e}"));
    let latest = p.latest().unwrap_or_else(|| panic!("no data"));
    let filters = Filters::default().with_as_of(latest);
    let all = p
        .due(&DueOptions::default().with_filters(filters.clone()))
        .unwrap_or_else(|e| panic!("{e}"));
    let breached = p
        .due(
            &DueOptions::default()
                .with_filters(filters.clone())
                .with_breached(true),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(breached.summary.total, all.summary.breached);
    let two_days = p
        .due(
            &DueOptions::default()
                .with_filters(filters.clone())
                .with_within(Span::from_hours(48)),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let horizon = latest + chrono::Duration::hours(48);
    let want = all
        .clocks
        .iter()
        .filter(|c| c.state == DueState::Breached || c.breach_at.is_some_and(|b| b <= horizon))
        .count();
    assert_eq!(two_days.clocks.len(), want);
    assert!(two_days.summary.total > breached.summary.total);
    // Since two weeks before: what crossed since (the sample's last
    // feedback is ten days before its last record).
    let since = latest - chrono::Duration::days(14);
    let changes = p
        .due(
            &DueOptions::default()
                .with_filters(filters)
                .with_changes_since(since),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(changes.summary.newly_breached > 0);
    for c in &changes.clocks {
        let crossed = |t: Option<Timestamp>| t.is_some_and(|t| t >= since && t < latest);
        let want = match c.state {
            DueState::Breached if crossed(c.breach_at) => Some(DueChange::NewlyBreached),
            DueState::AtRisk if crossed(c.warn_at) => Some(DueChange::NewlyAtRisk),
            _ => None,
        };
        assert_eq!(c.change, want);
    }
    assert!(!changes.new_follow_ups.is_empty());
    assert!(changes.new_follow_ups.iter().all(|f| f.at >= since));
    // Bad options are named.
    let bad = p
        .due(&DueOptions::default().with_within(Span::from_millis(-1)))
        .unwrap_err();
    assert!(bad.to_string().contains("within"), "{bad}");
    let bad = p
        .due(&DueOptions::default().with_expectation("nope"))
        .unwrap_err();
    assert!(bad.to_string().contains("nope"), "{bad}");
    let bad = p
        .due(
            &DueOptions::default()
                .with_filters(Filters::default().with_as_of(since))
                .with_changes_since(latest),
        )
        .unwrap_err();
    assert!(bad.to_string().contains("changes_since"), "{bad}");
}
