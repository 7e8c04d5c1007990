//! Closing the loop: follow-ups, recurring problems, drill-down, people.

use chrono::DateTime;

use super::drill::*;
use super::followup::*;
use crate::engine::zone::Outcome;
use crate::engine::*;
use crate::input::read::{Loader, ReadOptions};
use crate::model::*;

fn ts(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// A diary in Berlin with an office calendar (Mon–Fri 09:00–17:00).
fn diary(extra: &str) -> Diary {
    let json = format!(
        r#"{{"schema": "mindgap/1", "name": "T", "timezone": "Europe/Berlin",
            "stages": [{{"id": "s", "name": "S"}}, {{"id": "t", "name": "T"}}],
            "calendars": [{{"id": "office", "hours": {{"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
                "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}}}],
            {extra}}}"#
    );
    Loader::from_json(json.as_bytes(), "t.json", ReadOptions::default())
        .unwrap()
        .finish()
        .unwrap()
        .diary
}

/// A detractor on Friday 16:30 about interaction i-1 of customer c-1; the
/// follow-up is due within one business hour (Monday 09:30), hoped for in
/// 30 business minutes (Friday 17:00).
const LOOP: &str = r#"
    "expectations": [
        {"id": "callback", "stage": "s", "calendar": "office", "importance": 2,
         "metric": {"kind": "follow_up", "desired": "PT30M", "adequate": "PT1H"}},
        {"id": "reply", "stage": "s", "metric": {"kind": "first_response", "desired": "PT1H", "adequate": "PT3H"}}],
    "interactions": [
        {"id": "i-1", "opened_at": "2026-05-29T10:00:00+02:00", "first_response_at": "2026-05-29T15:00:00+02:00",
         "channel": "email", "stage": "s", "customer": "c-1", "employee": "e-1", "category": "delivery"},
        {"id": "i-2", "opened_at": "2026-06-01T08:00:00+02:00", "first_response_at": "2026-06-01T09:15:00+02:00",
         "channel": "phone", "stage": "t", "customer": "c-1", "employee": "e-2"}],
    "feedback": [
        {"id": "f-1", "at": "2026-05-29T16:30:00+02:00", "kind": "nps", "score": 3, "interaction": "i-1"},
        {"id": "f-2", "at": "2026-05-29T16:40:00+02:00", "kind": "nps", "score": 9, "interaction": "i-1"}]
"#;

fn list(d: &Diary, as_of: &str) -> FollowUpList {
    Prepared::new(d)
        .unwrap()
        .follow_ups(&FollowUpOptions {
            filters: Filters {
                as_of: Some(ts(as_of)),
                ..Default::default()
            },
            ..Default::default()
        })
        .unwrap()
}

#[test]
fn a_detractor_opens_a_follow_up_due_in_business_time() {
    let d = diary(LOOP);
    let l = list(&d, "2026-05-29T18:00:00+02:00");
    assert_eq!(l.follow_ups.len(), 1, "the promoter opens none");
    let f = &l.follow_ups[0];
    assert_eq!(f.feedback, "f-1");
    assert_eq!(f.expectation.as_deref(), Some("callback"));
    assert_eq!(f.due, Some(ts("2026-06-01T09:30:00+02:00")));
    assert_eq!(f.desired_by, Some(ts("2026-05-29T17:00:00+02:00")));
    assert_eq!(f.state, State::Open);
    assert_eq!(f.employee.as_deref(), Some("e-1"));
    assert_eq!(f.customer.as_deref(), Some("c-1"));
    assert_eq!(f.interaction.as_ref().map(|i| i.id.as_str()), Some("i-1"));
    assert_eq!(f.triggers[0].rule, "nps");
    // NPS 3 against the threshold 6: (6 + 1 − 3)/(6 + 1 − 0) = 4/7.
    assert!((f.severity - 4.0 / 7.0).abs() < 1e-12);
    assert!((f.priority - 2.0 * 4.0 / 7.0).abs() < 1e-12);
    // The customer's history around it: both interactions are within 30 days
    // but only what happened by as_of is shown.
    let ids: Vec<&str> = f.history.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["i-1", "f-1", "f-2"]);
}

#[test]
fn it_becomes_overdue_the_instant_its_business_clock_passes_adequate() {
    // The customer's next reply comes only at noon on Monday.
    let d = diary(&LOOP.replace("2026-06-01T09:15:00+02:00", "2026-06-01T12:00:00+02:00"));
    let at_due = list(&d, "2026-06-01T09:30:00+02:00");
    assert_eq!(at_due.follow_ups[0].state, State::Open);
    assert_eq!(at_due.summary.open, 1);
    // Saturday: the clock is stopped at 30 business minutes.
    let weekend = list(&d, "2026-05-30T12:00:00+02:00");
    assert_eq!(weekend.follow_ups[0].state, State::Open);
    assert_eq!(weekend.follow_ups[0].age, 1800.0);
    let after = list(&d, "2026-06-01T09:30:00.001+02:00");
    assert_eq!(after.follow_ups[0].state, State::Overdue);
    assert_eq!(after.summary.overdue, 1);
    // The report scores the follow-up gap the same way: missed once overdue.
    let closed = list(&d, "2026-06-01T12:30:00+02:00");
    assert!(closed.follow_ups[0].late, "closed after its due time");
    assert_eq!(closed.summary.closed_late, 1);
    let p = Prepared::new(&d).unwrap();
    let r = p
        .report(&ReportOptions::default().with_as_of(ts("2026-06-01T09:30:00.001+02:00")))
        .unwrap();
    let g = &r
        .expectations
        .iter()
        .find(|e| e.id == "callback")
        .unwrap()
        .gap;
    assert_eq!(g.missed.value().map(|m| m.k), Some(1));
    let r = p
        .report(&ReportOptions::default().with_as_of(ts("2026-06-01T09:30:00+02:00")))
        .unwrap();
    let g = &r
        .expectations
        .iter()
        .find(|e| e.id == "callback")
        .unwrap()
        .gap;
    assert_eq!(g.pending, 1);
}

#[test]
fn a_later_contact_closes_it_and_an_explicit_record_can_too() {
    let d = diary(LOOP);
    // The reply in i-2 at Monday 09:15 is the first contact after the feedback.
    let l = list(&d, "2026-06-02T12:00:00+02:00");
    let f = &l.follow_ups[0];
    assert_eq!(f.state, State::Closed);
    assert_eq!(f.closed_at, Some(ts("2026-06-01T09:15:00+02:00")));
    let by = f.closed_by.as_ref().unwrap();
    assert_eq!((by.kind, by.id.as_str()), (RecordKind::Interaction, "i-2"));
    assert_eq!(by.employee.as_deref(), Some("e-2"));
    // 30 min on Friday + 15 min on Monday, in business time; within adequate.
    assert_eq!(f.age, 45.0 * 60.0);
    assert!(!f.late);
    assert_eq!(l.summary.closed, 1);
    assert_eq!(l.summary.median_time_to_close, Some(2700.0));
    // An explicit record earlier than the contact closes it first.
    let with_record = LOOP.to_owned()
        + r#", "follow_ups": [{"id": "fu-1", "feedback": "f-1", "at": "2026-05-29T16:50:00+02:00",
             "employee": "e-9", "note": "called back"}]"#;
    let d = diary(&with_record);
    let l = list(&d, "2026-06-02T12:00:00+02:00");
    let f = &l.follow_ups[0];
    assert_eq!(f.closed_at, Some(ts("2026-05-29T16:50:00+02:00")));
    assert_eq!(f.closed_by.as_ref().unwrap().kind, RecordKind::FollowUp);
    // Show filters the list, not the summary.
    let p = Prepared::new(&d).unwrap();
    let open = p
        .follow_ups(&FollowUpOptions {
            filters: Filters {
                as_of: Some(ts("2026-06-02T12:00:00+02:00")),
                ..Default::default()
            },
            show: Show::Overdue,
            ..Default::default()
        })
        .unwrap();
    assert!(open.follow_ups.is_empty());
    assert_eq!(open.summary.closed, 1);
}

#[test]
fn the_earliest_record_closes_at_every_report_instant_of_one_prepared_diary() {
    // Two records for f-1, the later one listed first; no contact closes it
    // sooner (the customer's next reply comes on Monday at noon).
    let extra = LOOP.replace("2026-06-01T09:15:00+02:00", "2026-06-01T12:00:00+02:00")
        + r#", "follow_ups": [
            {"id": "fu-late", "feedback": "f-1", "at": "2026-05-29T16:55:00+02:00"},
            {"id": "fu-early", "feedback": "f-1", "at": "2026-05-29T16:45:00+02:00"}]"#;
    let d = diary(&extra);
    // One prepared diary read at three instants: what the first reading
    // keeps of the negatives serves the others.
    let p = Prepared::new(&d).unwrap();
    let at = |as_of: &str| {
        let l = p
            .follow_ups(&FollowUpOptions {
                filters: Filters {
                    as_of: Some(ts(as_of)),
                    ..Default::default()
                },
                ..Default::default()
            })
            .unwrap();
        let f = &l.follow_ups[0];
        (f.closed_at, f.closed_by.as_ref().map(|b| b.id.clone()))
    };
    // After both: the earliest closes it.
    let early = Some(ts("2026-05-29T16:45:00+02:00"));
    assert_eq!(
        at("2026-05-29T17:00:00+02:00"),
        (early, Some("fu-early".into()))
    );
    // Before either: open, though a later reading found the records.
    assert_eq!(at("2026-05-29T16:40:00+02:00"), (None, None));
    // Between them: the earliest already closes it.
    assert_eq!(
        at("2026-05-29T16:50:00+02:00"),
        (early, Some("fu-early".into()))
    );
}

#[test]
fn follow_up_records_are_checked() {
    let bad = |extra: &str| {
        let json = format!(
            r#"{{"schema": "mindgap/1", "name": "T", "timezone": "UTC", "stages": [{{"id": "s", "name": "S"}}],
                "feedback": [{{"id": "f-1", "at": "2026-05-29T16:30:00Z", "kind": "nps", "score": 3, "stage": "s"}}],
                {extra}}}"#
        );
        Loader::from_json(json.as_bytes(), "t.json", ReadOptions::default())
            .and_then(Loader::finish)
            .unwrap_err()
            .to_string()
    };
    let e = bad(r#""follow_ups": [{"id": "fu", "feedback": "f-9", "at": "2026-05-30T10:00:00Z"}]"#);
    assert!(e.contains("f-9") && e.contains("follow_ups[0]"), "{e}");
    let e = bad(r#""follow_ups": [{"id": "fu", "feedback": "f-1", "at": "2026-05-28T10:00:00Z"}]"#);
    assert!(e.contains("at or after the feedback f-1"), "{e}");
    let e = bad(r#""follow_up": {"nps_at_most": 11}"#);
    assert!(
        e.contains("nps_at_most") && e.contains("from 0 to 10"),
        "{e}"
    );
}

#[test]
fn rules_choose_what_is_negative() {
    let extra = r#""follow_up": {"reasons": ["late_delivery"], "nps_at_most": 4},
        "feedback": [
          {"id": "a", "at": "2026-06-01T10:00:00Z", "kind": "nps", "score": 5, "stage": "s", "customer": "c"},
          {"id": "b", "at": "2026-06-01T10:00:00Z", "kind": "reason", "reason": "late_delivery", "stage": "s", "customer": "c"},
          {"id": "c", "at": "2026-06-01T11:00:00Z", "kind": "csat", "score": 2, "stage": "s", "customer": "c"},
          {"id": "d", "at": "2026-06-01T12:00:00Z", "kind": "comment", "comment": "awful", "sentiment": "negative", "stage": "s"},
          {"id": "e", "at": "2026-06-01T12:00:00Z", "kind": "csat", "dismissed": true, "stage": "s"},
          {"id": "g", "at": "2026-06-01T12:00:00Z", "kind": "rating", "scale": 10, "score": 3, "stage": "s"}]"#;
    let d = diary(extra);
    let l = list(&d, "2026-06-02T00:00:00Z");
    let mut ids: Vec<&str> = l.follow_ups.iter().map(|f| f.feedback.as_str()).collect();
    ids.sort_unstable();
    // NPS 5 is above 4; 3 of 10 is 1.89 of 5, at most 2.
    assert_eq!(ids, ["b", "c", "d", "g"]);
    // c is the customer's second negative within 30 days: it ranks first.
    assert_eq!(l.follow_ups[0].feedback, "c");
    assert_eq!(l.follow_ups[0].repeats, 1);
    assert!(
        l.follow_ups
            .iter()
            .all(|f| f.due.is_none() && f.state == State::Open)
    );
}

fn people_diary(employees: &[(&str, usize, usize)]) -> Diary {
    let mut rows = Vec::new();
    let mut n = 0;
    for (e, total, met) in employees {
        for k in 0..*total {
            n += 1;
            let reply = if k < *met { "PT30M" } else { "PT5H" };
            let opened = ts("2026-06-01T08:00:00Z") + chrono::Duration::minutes(n);
            let span: crate::time::span::Span = reply.parse().unwrap();
            let replied = opened + chrono::Duration::milliseconds(span.as_millis());
            rows.push(format!(
                r#"{{"id": "i-{n}", "opened_at": "{}", "first_response_at": "{}", "channel": "chat", "stage": "s", "employee": "{e}", "team": "t-{e}"}}"#,
                opened.to_rfc3339(),
                replied.to_rfc3339()
            ));
        }
    }
    diary(&format!(
        r#""expectations": [{{"id": "reply", "stage": "s", "metric": {{"kind": "first_response", "desired": "PT1H", "adequate": "PT3H"}}}}],
           "interactions": [{}]"#,
        rows.join(",")
    ))
}

#[test]
fn ranking_by_the_lower_bound_puts_40_of_50_above_3_of_3() {
    let d = people_diary(&[("lucky", 3, 3), ("steady", 50, 40), ("weak", 50, 20)]);
    let p = Prepared::new(&d).unwrap();
    let people = p.people(&PeopleOptions::default()).unwrap();
    let keys: Vec<&str> = people.people.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(keys, ["steady", "lucky", "weak"]);
    let steady = &people.people[0];
    assert_eq!((steady.met.k, steady.met.n, steady.rank), (40, 50, 1));
    assert!((steady.met.share - 0.8).abs() < 1e-12);
    assert_eq!(people.people[1].met.share, 1.0);
    assert!(people.people[1].met.lower < steady.met.lower);
    assert_eq!(steady.expectations[0].id, "reply");
    let teams = p
        .people(&PeopleOptions {
            by: PeopleBy::Team,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(teams.people[0].key, "t-steady");
}

#[test]
fn drill_down_lists_exactly_the_records_counted() {
    let d = crate::sample::diary(2000);
    let p = Prepared::new(&d).unwrap();
    let report = p
        .report(&ReportOptions::default().with_by(Dimension::Employee))
        .unwrap();
    for e in &report.expectations {
        let drill = p
            .drill(&DrillOptions {
                expectation: Some(e.id.as_str().into()),
                class: Pick::Missed,
                limit: usize::MAX,
                ..Default::default()
            })
            .unwrap();
        let missed = e.gap.missed.value().map_or(0, |m| m.k);
        assert_eq!(drill.matched, missed, "{}", e.id);
        assert_eq!(drill.records.len() as u64, missed, "{}", e.id);
        assert_eq!(drill.counts.missed, missed);
        assert_eq!(drill.counts.pending, e.gap.pending, "{}", e.id);
        assert!(
            drill
                .records
                .iter()
                .all(|r| r.class == Outcome::Missed && r.expectation == e.id)
        );
        let mut ids: Vec<&str> = drill.records.iter().map(|r| r.id.as_str()).collect();
        ids.dedup();
        assert!(!ids.is_empty() || missed == 0);
    }
    // An employee's figure in the breakdown: the same counts.
    let by = &report.breakdowns[0];
    let g = by.groups.iter().find(|g| g.key == "e-08").unwrap();
    let drill = p
        .drill(&DrillOptions {
            employee: Some("e-08".into()),
            class: Pick::Missed,
            limit: 3,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(drill.counts.n, g.gap.n);
    assert_eq!(Some(drill.matched), g.gap.missed.value().map(|m| m.k));
    assert_eq!(
        drill.records.len(),
        3,
        "the limit caps the list, not the counts"
    );
    assert!(
        drill
            .records
            .iter()
            .all(|r| r.employee.as_deref() == Some("e-08"))
    );
    let e = p
        .drill(&DrillOptions {
            employee: Some("nobody".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("nobody"), "{e}");
}

#[test]
fn recurring_problems_are_found_at_the_threshold_and_not_below() {
    let fb = |id: &str, day: u32, reason: &str, customer: &str| {
        format!(
            r#"{{"id": "{id}", "at": "2026-06-{day:02}T10:00:00Z", "kind": "reason", "reason": "{reason}", "stage": "s", "customer": "{customer}"}}"#
        )
    };
    let records = [
        fb("a1", 1, "late", "c-1"),
        fb("a2", 10, "late", "c-1"),
        fb("a3", 25, "late", "c-1"),
        fb("a4", 29, "late", "c-1"),
        fb("b1", 1, "late", "c-2"),
        fb("b2", 20, "late", "c-2"),
        fb("c1", 1, "rude", "c-3"),
        fb("c2", 2, "late", "c-3"),
        fb("c3", 3, "rude", "c-3"),
    ];
    let d = diary(&format!(r#""feedback": [{}]"#, records.join(",")));
    let p = Prepared::new(&d).unwrap();
    let found = p.problems(&ProblemOptions::default()).unwrap();
    assert_eq!(found.recurring.len(), 1, "{:#?}", found.recurring);
    let r = &found.recurring[0];
    assert_eq!(
        (r.key.as_str(), r.label.as_str(), r.count),
        ("c-1", "late", 4)
    );
    let ids: Vec<&str> = r.records.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "a4"]);
    // Two within 30 days is below a threshold of 3; at 2 they appear.
    let two = p
        .problems(&ProblemOptions {
            min_count: 2,
            ..Default::default()
        })
        .unwrap();
    let keys: Vec<(&str, &str)> = two
        .recurring
        .iter()
        .map(|r| (r.key.as_str(), r.label.as_str()))
        .collect();
    assert_eq!(keys, [("c-1", "late"), ("c-2", "late"), ("c-3", "rude")]);
    // A shorter window splits c-1's complaints: only 25th and 29th are close.
    let week = p
        .problems(&ProblemOptions {
            min_count: 2,
            within: crate::time::span::Span::from_days(7),
            ..Default::default()
        })
        .unwrap();
    let found: Vec<(&str, &str, &str)> = week
        .recurring
        .iter()
        .map(|r| (r.key.as_str(), r.label.as_str(), r.records[0].id.as_str()))
        .collect();
    assert_eq!(found, [("c-3", "rude", "c1"), ("c-1", "late", "a3")]);
    let e = p
        .problems(&ProblemOptions {
            min_count: 1,
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("min_count"), "{e}");
    let e = p
        .problems(&ProblemOptions {
            by: Vec::new(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("at least one"), "{e}");
}

#[test]
fn reasons_go_with_the_gap_of_their_interactions() {
    let d = crate::sample::diary(3000);
    let p = Prepared::new(&d).unwrap();
    let pr = p.problems(&ProblemOptions::default()).unwrap();
    assert!(!pr.reasons.is_empty());
    let late = pr
        .reasons
        .iter()
        .find(|r| r.reason == "late_delivery")
        .expect("the sample's complaint reason");
    assert!(late.linked > 0 && late.missed.is_some());
}

#[test]
fn records_of_one_expectation_share_the_calendar() {
    let json = r#"{"schema": "mindgap/1", "name": "T", "timezone": "UTC", "stages": [{"id": "s", "name": "S"}],
        "calendars": [{"id": "office", "hours": {"mon": ["09:00-17:00"]}}],
        "expectations": [
          {"id": "cb", "stage": "s", "recorded_at": "2026-01-01T00:00:00Z", "calendar": "office",
           "metric": {"kind": "follow_up", "desired": "PT1H", "adequate": "PT2H"}},
          {"id": "cb", "stage": "s", "recorded_at": "2026-02-01T00:00:00Z",
           "metric": {"kind": "follow_up", "desired": "PT1H", "adequate": "PT3H"}}]}"#;
    let e = Loader::from_json(json.as_bytes(), "t.json", ReadOptions::default()).unwrap_err();
    assert!(e.to_string().contains("calendar and pause statuses"), "{e}");
}

/// The analyses read keys by name only: a preparation whose keys were
/// numbered in another order (as a journal's shared keys may be) gives the
/// same follow-up list, drill-down, people and problems.
#[test]
fn the_analyses_do_not_depend_on_how_keys_are_numbered() {
    let d = crate::sample::diary(2_000);
    let fresh = Prepared::new(&d).unwrap();
    // Every name interned first, in reverse order of the rows.
    let mut interner = Interner::default();
    for s in d.stages.iter() {
        interner.stages.intern(Some(s.id.as_str()));
    }
    for i in d.interactions.iter().rev() {
        let [tp, ch, em, te, cu, se] = &mut interner.keys;
        tp.intern(i.touchpoint.as_ref().map(TouchpointId::as_str));
        ch.intern(Some(i.channel.as_str()));
        em.intern(i.employee.as_ref().map(EmployeeId::as_str));
        te.intern(i.team.as_deref());
        cu.intern(i.customer.as_ref().map(CustomerId::as_str));
        se.intern(i.segment.as_deref());
    }
    for f in d.feedback.iter().rev() {
        interner.keys[4].intern(f.customer.as_ref().map(CustomerId::as_str));
    }
    let other = Prepared::with(&d, &mut d.interactions.iter(), interner, None, None).unwrap();
    // The premise: the keys differ.
    assert_ne!(fresh.keys[4].name(0), other.keys[4].name(0));
    assert_ne!(fresh.keys[2].name(0), other.keys[2].name(0));
    // Each analysis's JSON from both preparations.
    let same = |what: &str, run: &dyn Fn(&Prepared<'_>) -> serde_json::Value| {
        let (a, b) = (run(&fresh).to_string(), run(&other).to_string());
        assert!(a.len() > 200, "{what}: {a}");
        assert_eq!(a, b, "{what}");
    };
    for show in [r#"{}"#, r#"{"show": "open"}"#] {
        let o: FollowUpOptions = serde_json::from_str(show).unwrap();
        same(show, &|p| {
            serde_json::to_value(p.follow_ups(&o).unwrap()).unwrap()
        });
    }
    let o: DrillOptions = serde_json::from_str("{}").unwrap();
    same("drill", &|p| {
        serde_json::to_value(p.drill(&o).unwrap()).unwrap()
    });
    let o: PeopleOptions = serde_json::from_str("{}").unwrap();
    same("people", &|p| {
        serde_json::to_value(p.people(&o).unwrap()).unwrap()
    });
    let o: ProblemOptions = serde_json::from_str("{}").unwrap();
    same("problems", &|p| {
        serde_json::to_value(p.problems(&o).unwrap()).unwrap()
    });
}

mod closes {
    use super::*;
    use proptest::prelude::*;

    /// Minute `m` after a Monday 08:00 in Berlin.
    fn at(m: u32) -> String {
        let t = ts("2026-06-01T08:00:00+02:00") + chrono::Duration::minutes(i64::from(m));
        t.to_rfc3339()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Each negative feedback is closed by its customer's earliest
        /// contact after it (the first in record order among equals),
        /// whatever the customer's count of negatives and contacts: the
        /// list equals a search of every contact.
        #[test]
        fn a_follow_up_is_closed_by_the_first_contact_after_it(
            // (customer, opened, first response after, resolved after)
            rows in proptest::collection::vec(
                (0u8..3, 0u32..60, proptest::option::of(0u32..8), proptest::option::of(0u32..8)),
                0..60,
            ),
            // (customer, minute)
            negatives in proptest::collection::vec((0u8..3, 0u32..70), 1..40),
            as_of in 0u32..80,
        ) {
            let interactions: Vec<String> = rows
                .iter()
                .enumerate()
                .map(|(k, &(c, o, first, resolved))| {
                    let mut s = format!(
                        r#"{{"id": "i-{k}", "opened_at": "{}", "channel": "email", "stage": "s", "customer": "c-{c}""#,
                        at(o)
                    );
                    if let Some(f) = first {
                        s += &format!(r#", "first_response_at": "{}""#, at(o + f));
                    }
                    if let Some(r) = resolved {
                        s += &format!(r#", "resolved_at": "{}""#, at(o + r + first.unwrap_or(0)));
                    }
                    s + "}"
                })
                .collect();
            let feedback: Vec<String> = negatives
                .iter()
                .enumerate()
                .map(|(k, &(c, m))| {
                    format!(
                        r#"{{"id": "f-{k}", "at": "{}", "kind": "nps", "score": 2, "stage": "s", "customer": "c-{c}"}}"#,
                        at(m)
                    )
                })
                .collect();
            let d = diary(&format!(
                r#""interactions": [{}], "feedback": [{}]"#,
                interactions.join(","),
                feedback.join(",")
            ));
            let as_of = at(as_of);
            let l = list(&d, &as_of);
            let as_of = ts(&as_of);
            // Every contact in record order.
            let contacts: Vec<(u8, Timestamp, String)> = d
                .interactions
                .iter()
                .zip(&rows)
                .flat_map(|(i, r)| {
                    [i.first_response_at, i.resolved_at]
                        .into_iter()
                        .flatten()
                        .map(move |t| (r.0, t, i.id.as_str().to_owned()))
                })
                .collect();
            let mut listed = 0;
            for (k, &(c, m)) in negatives.iter().enumerate() {
                let given = ts(&at(m));
                if given > as_of {
                    continue;
                }
                listed += 1;
                let expected = contacts
                    .iter()
                    .filter(|x| x.0 == c && x.1 > given && x.1 <= as_of)
                    .fold(None::<&(u8, Timestamp, String)>, |best, x| match best {
                        Some(b) if b.1 <= x.1 => Some(b),
                        _ => Some(x),
                    })
                    .map(|x| (x.1, x.2.clone()));
                let f = l.follow_ups.iter().find(|f| f.feedback == format!("f-{k}")).unwrap();
                let got = f.closed_at.zip(f.closed_by.as_ref().map(|b| b.id.clone()));
                prop_assert_eq!(got, expected, "f-{} of c-{}", k, c);
            }
            prop_assert_eq!(l.follow_ups.len(), listed);
        }
    }
}
