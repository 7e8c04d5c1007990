//! Hand-computed tests of the scoring rules, and the merge property.

use chrono::{DateTime, FixedOffset};
use proptest::prelude::*;

use super::zone::{Class, Direction, Figure, GapFigures, Unit, Zone, ZoneAccumulator, figures};
use super::*;
use crate::analysis::report::*;
use crate::input::read::{Loader, ReadOptions};
use crate::stats::ShareInterval;

fn ts(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn diary(expectations: &str, interactions: &str, feedback: &str) -> Diary {
    let json = format!(
        r#"{{"schema": "mindgap/1", "name": "T", "timezone": "Europe/Berlin",
            "stages": [{{"id": "s", "name": "S", "touchpoints": [{{"id": "web", "name": "Web"}}]}}, {{"id": "t", "name": "T"}}],
            "calendars": [{{"id": "office", "hours": {{"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
                "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}, "holidays": ["2026-12-25"]}}],
            "expectations": [{expectations}], "interactions": [{interactions}], "feedback": [{feedback}]}}"#
    );
    Loader::from_json(json.as_bytes(), "t.json", ReadOptions::default())
        .unwrap()
        .finish()
        .unwrap()
        .diary
}

const REPLY: &str = r#"{"id": "reply", "stage": "s", "metric": {"kind": "first_response", "desired": "PT1H", "adequate": "PT3H"}}"#;

fn interaction(id: &str, opened: &str, reply: Option<&str>) -> String {
    match reply {
        Some(r) => format!(
            r#"{{"id": "{id}", "opened_at": "{opened}", "first_response_at": "{r}", "channel": "email", "stage": "s"}}"#
        ),
        None => format!(
            r#"{{"id": "{id}", "opened_at": "{opened}", "channel": "email", "stage": "s"}}"#
        ),
    }
}

fn gap<'r>(r: &'r Report, id: &str) -> &'r GapFigures {
    &r.expectations.iter().find(|e| e.id == id).unwrap().gap
}

#[test]
fn boundaries_and_unanswered_before_and_after_adequate() {
    let rows = [
        interaction(
            "exactly-desired",
            "2026-06-01T10:00:00+02:00",
            Some("2026-06-01T11:00:00+02:00"),
        ),
        interaction(
            "exactly-adequate",
            "2026-06-01T10:00:00+02:00",
            Some("2026-06-01T13:00:00+02:00"),
        ),
        interaction(
            "just-missed",
            "2026-06-01T10:00:00+02:00",
            Some("2026-06-01T13:00:01+02:00"),
        ),
        // As of 12:00 on June 2: opened 2 h before, no reply → pending.
        interaction("pending", "2026-06-02T10:00:00+02:00", None),
        // Opened 4 h before as-of, no reply → missed, with no value.
        interaction("unanswered", "2026-06-02T08:00:00+02:00", None),
        // Exactly 3 h before as-of with no reply: not yet past adequate → pending.
        interaction("at-adequate", "2026-06-02T09:00:00+02:00", None),
        // Replied after as-of: not known yet → pending (opened 1 h before).
        interaction(
            "future-reply",
            "2026-06-02T11:00:00+02:00",
            Some("2026-06-02T13:00:00+02:00"),
        ),
        // Opened after as-of: not in the report.
        interaction("future", "2026-06-02T12:30:00+02:00", None),
    ];
    let d = diary(REPLY, &rows.join(","), "");
    let r = report(
        &d,
        &ReportOptions::default().with_as_of(ts("2026-06-02T12:00:00+02:00")),
    )
    .unwrap();
    let g = gap(&r, "reply");
    assert_eq!((g.n, g.pending, g.valued), (4, 3, 3));
    let k = |f: &Figure<ShareInterval>| f.value().unwrap().k;
    assert_eq!((k(&g.exceeded), k(&g.within), k(&g.missed)), (1, 1, 2));
    // MSA over the valued: A − t = 2 h, 0, −1 s → mean (7200 + 0 − 1)/3 s.
    assert_eq!(g.msa.value().unwrap().mean, 7199.0 / 3.0);
    assert_eq!(g.msa.value().unwrap().median, 0.0);
    // MSS: D − t = 0, −2 h, −2 h − 1 s.
    assert_eq!(g.mss.value().unwrap().mean, -14401.0 / 3.0);
    // Zone positions: 1, 0, −1/7200 → mean.
    assert_eq!(
        *g.zone_position.value().unwrap(),
        (1.0 - 1.0 / 7200.0) / 3.0
    );
    assert_eq!(r.header.as_of, ts("2026-06-02T12:00:00+02:00"));
}

#[test]
fn as_of_defaults_to_the_latest_timestamp_in_the_data() {
    let rows = [
        interaction(
            "a",
            "2026-06-01T10:00:00+02:00",
            Some("2026-06-01T11:30:00+02:00"),
        ),
        interaction("b", "2026-06-01T12:00:00+02:00", None),
    ];
    let d = diary(REPLY, &rows.join(","), "");
    let r = report(&d, &ReportOptions::default()).unwrap();
    assert_eq!(
        r.header.as_of.timestamp(),
        ts("2026-06-01T12:00:00+02:00").timestamp()
    );
    assert_eq!(gap(&r, "reply").pending, 1);
    // Same input, same report.
    assert_eq!(r, report(&d, &ReportOptions::default()).unwrap());
}

#[test]
fn desired_equal_to_adequate_has_no_zone_position() {
    let e = r#"{"id": "flat", "stage": "s", "metric": {"kind": "first_response", "desired": "PT2H", "adequate": "PT2H"}}"#;
    let rows = [
        interaction(
            "a",
            "2026-06-01T10:00:00+02:00",
            Some("2026-06-01T11:00:00+02:00"),
        ),
        interaction(
            "b",
            "2026-06-01T10:00:00+02:00",
            Some("2026-06-01T12:00:00+02:00"),
        ),
        interaction(
            "c",
            "2026-06-01T10:00:00+02:00",
            Some("2026-06-01T13:00:00+02:00"),
        ),
    ];
    let r = report(&diary(e, &rows.join(","), ""), &ReportOptions::default()).unwrap();
    let g = gap(&r, "flat");
    let k = |f: &Figure<ShareInterval>| f.value().unwrap().k;
    assert_eq!((k(&g.exceeded), k(&g.within), k(&g.missed)), (2, 0, 1));
    assert!(matches!(&g.zone_position, Figure::Absent { absent } if absent.contains("no width")));
    assert!(matches!(r.expectations[0].quadrant, Figure::Absent { .. }));
}

#[test]
fn each_observation_uses_the_expectation_record_in_force_at_its_time() {
    let e = r#"{"id": "reply", "stage": "s", "recorded_at": "2026-05-01T00:00:00+02:00", "metric": {"kind": "first_response", "desired": "PT1H", "adequate": "PT3H"}},
               {"id": "reply", "stage": "s", "recorded_at": "2026-07-01T00:00:00+02:00", "metric": {"kind": "first_response", "desired": "PT30M", "adequate": "PT1H"}}"#;
    let rows = [
        // Before any record: the first applies. 2 h → within.
        interaction(
            "early",
            "2026-04-01T10:00:00+02:00",
            Some("2026-04-01T12:00:00+02:00"),
        ),
        // June: the first record. 2 h → within.
        interaction(
            "june",
            "2026-06-01T10:00:00+02:00",
            Some("2026-06-01T12:00:00+02:00"),
        ),
        // July: the tighter record. 2 h → missed.
        interaction(
            "july",
            "2026-07-02T10:00:00+02:00",
            Some("2026-07-02T12:00:00+02:00"),
        ),
    ];
    let r = report(&diary(e, &rows.join(","), ""), &ReportOptions::default()).unwrap();
    let row = &r.expectations[0];
    assert_eq!(row.levels.len(), 2);
    assert_eq!(row.levels[1].adequate, 3600.0);
    let k = |f: &Figure<ShareInterval>| f.value().unwrap().k;
    assert_eq!((k(&row.gap.within), k(&row.gap.missed)), (2, 1));
    // MSA uses each observation's own zone: 1 h, 1 h, −1 h → mean 1/3 h; median 1 h.
    assert_eq!(row.gap.msa.value().unwrap().mean, 1200.0);
    assert_eq!(row.gap.msa.value().unwrap().median, 3600.0);
}

#[test]
fn business_calendar_friday_afternoon_to_monday_morning() {
    let e = r#"{"id": "biz", "stage": "s", "calendar": "office", "metric": {"kind": "first_response", "desired": "PT1H", "adequate": "PT2H"}}"#;
    // Friday 16:30 → Monday 09:30 is one business hour: exactly desired.
    let rows = [interaction(
        "fri",
        "2026-11-20T16:30:00+01:00",
        Some("2026-11-23T09:30:00+01:00"),
    )];
    let r = report(&diary(e, &rows.join(","), ""), &ReportOptions::default()).unwrap();
    let g = gap(&r, "biz");
    assert_eq!(g.exceeded.value().unwrap().k, 1);
    assert_eq!(g.percentiles.value().unwrap().p50, 3600.0);
    assert_eq!(r.expectations[0].calendar.as_deref(), Some("office"));
    // Unanswered over a weekend: as of Monday 09:00, no business time has passed.
    let rows = [interaction("fri", "2026-11-20T16:30:00+01:00", None)];
    let r = report(
        &diary(e, &rows.join(","), ""),
        &ReportOptions::default().with_as_of(ts("2026-11-23T09:00:00+01:00")),
    )
    .unwrap();
    assert_eq!(gap(&r, "biz").pending, 1);
}

#[test]
fn resolution_clock_pauses_while_waiting_on_the_customer() {
    let e = r#"{"id": "fix", "stage": "s", "metric": {"kind": "resolution", "desired": "PT2H", "adequate": "PT4H"}}"#;
    let i = r#"{"id": "i", "opened_at": "2026-06-01T10:00:00+02:00", "first_response_at": "2026-06-01T10:30:00+02:00",
               "resolved_at": "2026-06-01T16:00:00+02:00", "channel": "chat", "stage": "s",
               "statuses": [{"at": "2026-06-01T10:30:00+02:00", "status": "waiting_customer"},
                            {"at": "2026-06-01T13:30:00+02:00", "status": "open"},
                            {"at": "2026-06-01T16:00:00+02:00", "status": "resolved"}]}"#;
    let r = report(&diary(e, i, ""), &ReportOptions::default()).unwrap();
    // 6 h elapsed − 3 h waiting on the customer = 3 h: within.
    let g = gap(&r, "fix");
    assert_eq!(g.within.value().unwrap().k, 1);
    assert_eq!(g.percentiles.value().unwrap().p50, 3.0 * 3600.0);
}

#[test]
fn ratings_come_from_csat_and_rating_answers_never_from_nps_or_dismissed() {
    let e = r#"{"id": "sat", "stage": "s", "metric": {"kind": "rating", "scale": 5, "desired": 5, "adequate": 4}}"#;
    let f = r#"{"id": "f1", "at": "2026-06-01T10:00:00+02:00", "kind": "csat", "score": 5, "stage": "s"},
               {"id": "f2", "at": "2026-06-01T10:00:00+02:00", "kind": "csat", "score": 4, "stage": "s"},
               {"id": "f3", "at": "2026-06-01T10:00:00+02:00", "kind": "rating", "score": 3.5, "stage": "s"},
               {"id": "f4", "at": "2026-06-01T10:00:00+02:00", "kind": "rating", "scale": 10, "score": 2, "stage": "s"},
               {"id": "f5", "at": "2026-06-01T10:00:00+02:00", "kind": "nps", "score": 2, "stage": "s"},
               {"id": "f6", "at": "2026-06-01T10:00:00+02:00", "kind": "csat", "dismissed": true, "stage": "s"},
               {"id": "f7", "at": "2026-06-01T10:00:00+02:00", "kind": "csat", "score": 1, "stage": "t"}"#;
    let r = report(&diary(e, "", f), &ReportOptions::default()).unwrap();
    let g = gap(&r, "sat");
    let k = |f: &Figure<ShareInterval>| f.value().unwrap().k;
    assert_eq!(
        (g.n, k(&g.exceeded), k(&g.within), k(&g.missed)),
        (3, 1, 1, 1)
    );
    // P − A: 1, 0, −0.5 → mean 1/6.
    assert!((g.msa.value().unwrap().mean - 0.5 / 3.0).abs() < 1e-12);
    // The stage's NPS sees the one NPS answer only; CSAT excludes the dismissed.
    let s = &r.stages[0].feedback;
    assert_eq!(s.nps.value().unwrap().n, 1);
    assert_eq!(s.csat.value().unwrap().n, 2);
    assert_eq!(s.dismissed, 1);
}

#[test]
fn filters_and_breakdowns() {
    let e = format!(
        "{REPLY}, {}",
        r#"{"id": "t-reply", "stage": "t", "metric": {"kind": "first_response", "desired": "PT1H", "adequate": "PT3H"}}"#
    );
    let rows = [
        interaction("a", "2026-06-01T10:00:00+02:00", Some("2026-06-01T10:30:00+02:00")),
        interaction("b", "2026-06-08T10:00:00+02:00", Some("2026-06-08T15:00:00+02:00")),
        r#"{"id": "c", "opened_at": "2026-06-08T10:00:00+02:00", "first_response_at": "2026-06-08T10:10:00+02:00", "channel": "chat", "stage": "t"}"#.to_owned(),
    ];
    let d = diary(&e, &rows.join(","), "");
    let all = report(
        &d,
        &ReportOptions::default()
            .with_by(Dimension::Week)
            .with_by(Dimension::Channel),
    )
    .unwrap();
    let weeks: Vec<&str> = all.breakdowns[0]
        .groups
        .iter()
        .map(|g| g.key.as_str())
        .collect();
    assert_eq!(weeks, ["2026-06-01", "2026-06-08"]);
    let channels: Vec<(&str, u64)> = all.breakdowns[1]
        .groups
        .iter()
        .map(|g| (g.key.as_str(), g.gap.n))
        .collect();
    assert_eq!(channels, [("chat", 1), ("email", 2)]);
    let only_s = ReportOptions {
        stages: vec!["s".into()],
        since: Some(ts("2026-06-05T00:00:00+02:00")),
        ..ReportOptions::default()
    };
    let r = report(&d, &only_s).unwrap();
    assert_eq!(r.stages.len(), 1);
    assert_eq!(r.expectations.len(), 1);
    assert_eq!(gap(&r, "reply").n, 1);
    let bad = ReportOptions {
        stages: vec!["nowhere".into()],
        ..ReportOptions::default()
    };
    assert_eq!(report(&d, &bad).unwrap_err().code(), 23);
    let bad = ReportOptions {
        confidence: 1.0,
        ..ReportOptions::default()
    };
    assert!(
        report(&d, &bad)
            .unwrap_err()
            .to_string()
            .contains("confidence")
    );
}

#[test]
fn an_expectation_without_observations_says_so() {
    let r = report(&diary(REPLY, "", ""), &ReportOptions::default()).unwrap();
    let row = &r.expectations[0];
    assert_eq!(row.gap.n, 0);
    assert_eq!(row.remark, "No observations: collected but never measured.");
    let json = crate::api::to_json(&r);
    assert!(!json.contains("NaN") && !json.contains("null"), "{json}");
}

#[test]
fn the_sample_report_finds_its_patterns() {
    let r = report(
        &crate::sample::diary(crate::sample::DEFAULT_ROWS),
        &ReportOptions::default(),
    )
    .unwrap();
    let row = |id: &str| r.expectations.iter().find(|e| e.id == id).unwrap();
    // The slow employee drives the support e-mail gap.
    assert!(
        row("support-email-reply")
            .drivers
            .iter()
            .any(|d| d.key == "e-08")
    );
    assert_eq!(
        row("one-click-payment").gap.missed.value().unwrap().share,
        1.0
    );
    let service = r.stages.iter().find(|s| s.id == "service").unwrap();
    assert!(
        service.remark.contains("Reply to a support email"),
        "{}",
        service.remark
    );
    let ru = report(
        &crate::sample::diary(300),
        &ReportOptions::default().with_lang(Lang::Ru),
    )
    .unwrap();
    assert_eq!(ru.stages[0].name, "Привлечение");
}

fn zone() -> impl Strategy<Value = Zone> {
    (0i64..100, 0i64..100, any::<bool>()).prop_map(|(a, b, lower)| {
        let (lo, hi) = (a.min(b), a.max(b));
        if lower {
            Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, lo, hi).unwrap()
        } else {
            Zone::new(Direction::HigherIsBetter, Unit::MicroPoints, hi, lo).unwrap()
        }
    })
}

proptest! {
    #[test]
    fn merged_partitions_give_the_figures_of_the_whole(
        z in zone(),
        obs in prop::collection::vec((-50i64..150, 0u8..10), 0..200),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..5),
    ) {
        let add = |acc: &mut ZoneAccumulator, &(v, kind): &(i64, u8)| match kind {
            0 => acc.add_pending(),
            1 => acc.add_missed_without_value(),
            _ => { acc.add(v); }
        };
        let mut whole = ZoneAccumulator::new(z);
        obs.iter().for_each(|o| add(&mut whole, o));
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c.index(obs.len() + 1)).collect();
        bounds.push(0);
        bounds.push(obs.len());
        bounds.sort_unstable();
        let mut parts: Vec<ZoneAccumulator> = bounds
            .windows(2)
            .map(|w| {
                let mut a = ZoneAccumulator::new(z);
                obs[w[0]..w[1]].iter().for_each(|o| add(&mut a, o));
                a
            })
            .collect();
        // Merge in reverse order: order must not matter.
        parts.reverse();
        let mut merged = ZoneAccumulator::new(z);
        for p in &parts {
            merged.merge(p).unwrap();
        }
        prop_assert_eq!(figures(&[&merged], 0.95), figures(&[&whole], 0.95));
        // Serde round trip keeps the accumulator.
        let back: ZoneAccumulator = serde_json::from_str(&serde_json::to_string(&merged).unwrap()).unwrap();
        prop_assert_eq!(figures(&[&back], 0.95), figures(&[&whole], 0.95));
    }

    #[test]
    fn classes_partition_the_observations(z in zone(), values in prop::collection::vec(-50i64..150, 0..100)) {
        let mut acc = ZoneAccumulator::new(z);
        for &v in &values {
            let class = acc.add(v);
            let expect = match z.direction {
                Direction::LowerIsBetter if v <= z.desired => Class::Exceeded,
                Direction::LowerIsBetter if v <= z.adequate => Class::Within,
                Direction::HigherIsBetter if v >= z.desired => Class::Exceeded,
                Direction::HigherIsBetter if v >= z.adequate => Class::Within,
                _ => Class::Missed,
            };
            prop_assert_eq!(class, expect);
        }
        let (e, w, m, p) = acc.counts();
        prop_assert_eq!(e + w + m, values.len() as u64);
        prop_assert_eq!(p, 0);
        let f = figures(&[&acc], 0.95);
        if let (Some(a), Some(b), Some(c)) = (f.exceeded.value(), f.within.value(), f.missed.value()) {
            prop_assert!((a.share + b.share + c.share - 1.0).abs() < 1e-12);
        }
    }
}

#[test]
fn report_round_trips_through_json() {
    let r = report(
        &crate::sample::diary(300),
        &ReportOptions::default().with_by(Dimension::Employee),
    )
    .unwrap();
    let json = crate::api::to_json(&r);
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(crate::api::to_json(&back), json);
    let _: FixedOffset = *back.header.as_of.offset();
}

#[test]
fn a_next_response_clock_is_scored_against_the_record_in_force_when_it_started() {
    // Wave 1 (30 min adequate) until July; wave 2 (10 min) from July 1st. The
    // interaction opens in June, the customer writes again in July: its clock
    // of 20 minutes is missed against wave 2, not within against wave 1.
    let exps = r#"{"id": "next", "stage": "s", "recorded_at": "2026-01-01T00:00:00Z",
            "metric": {"kind": "next_response", "desired": "PT5M", "adequate": "PT30M"}},
        {"id": "next", "stage": "s", "recorded_at": "2026-07-01T00:00:00Z",
            "metric": {"kind": "next_response", "desired": "PT5M", "adequate": "PT10M"}}"#;
    let row = r#"{"id": "i", "opened_at": "2026-06-30T10:00:00Z", "first_response_at": "2026-06-30T10:05:00Z",
        "channel": "email", "stage": "s", "statuses": [
            {"at": "2026-06-30T10:05:00Z", "status": "waiting_customer"},
            {"at": "2026-07-02T10:00:00Z", "status": "open"},
            {"at": "2026-07-02T10:20:00Z", "status": "waiting_customer"}]}"#;
    let d = diary(exps, row, "");
    let r = report(&d, &ReportOptions::default()).unwrap();
    let g = gap(&r, "next");
    assert_eq!(g.missed.value().map(|m| (m.k, m.n)), Some((1, 1)));
}

#[test]
fn a_prepared_feedback_row_keeps_its_size() {
    // The kind and the dismissed flag sit in what was padding; the score
    // (read by rating expectations for every row they take) costs 8 bytes. A
    // stream prepares its feedback 128k rows at a time; an in-memory diary
    // prepares all of its feedback. The `when` bits of the attributes
    // (conditional expectations) took it from 88 to 96.
    assert!(std::mem::size_of::<super::FRow<'_>>() <= 96);
}

/// A diary built in code skips the Loader: business-day levels without a
/// calendar, or levels of two kinds, are refused by the engine, naming the
/// field, instead of reading milliseconds as millionths of a day.
#[test]
fn business_day_levels_built_in_code_are_checked_too() {
    fn zone(e: &mut Expectation) -> Option<&mut DurationZone> {
        match &mut e.metric {
            Metric::FirstResponse(z) | Metric::Resolution(z) | Metric::NextResponse(z) => Some(z),
            _ => None,
        }
    }
    let mut d = crate::sample::definitions();
    let id = (d.expectations.iter())
        .find(|e| e.calendar.is_none() && e.metric.duration_zone().is_some())
        .map(|e| e.id.clone())
        .unwrap();
    // Every record (survey wave) of the expectation in business days.
    for e in d.expectations.iter_mut().filter(|e| e.id == id) {
        let z = zone(e).unwrap();
        z.desired = Level::BusinessDays(1.0);
        z.adequate = Level::BusinessDays(2.0);
        z.promised = None;
    }
    let err = Prepared::new(&d).err().unwrap().to_string();
    assert!(
        err.contains("calendar") && err.contains(id.as_str()),
        "{err}"
    );
    for e in d.expectations.iter_mut().filter(|e| e.id == id) {
        e.calendar = Some("support".into());
    }
    assert!(Prepared::new(&d).is_ok());
    let last = d.expectations.iter_mut().rfind(|e| e.id == id).unwrap();
    zone(last).unwrap().adequate = Level::Time(crate::time::span::Span::from_hours(3));
    let err = Prepared::new(&d).err().unwrap().to_string();
    assert!(err.contains("levels of one kind"), "{err}");
    let last = d.expectations.iter_mut().rfind(|e| e.id == id).unwrap();
    zone(last).unwrap().adequate = Level::BusinessDays(f64::NAN);
    let err = Prepared::new(&d).err().unwrap().to_string();
    assert!(err.contains("NaN business days"), "{err}");
}
