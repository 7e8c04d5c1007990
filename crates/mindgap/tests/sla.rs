//! A helpdesk's per-priority SLA policy (`fixtures/sla/`), the way Zendesk's
//! and Jira Service Management's documentation set one up: first-reply,
//! next-reply and resolution targets per priority on business hours (Mon–Fri
//! 09–18 Moscow time, 08–17 from Tuesday 10 November on; 4 November and the
//! New Year week holidays every year), the wait for the customer not
//! counted, a 24/7 target for VIP tickets, a periodic update, and low
//! priority "solved the same business day, by the end of the next at the
//! latest". Every figure below is worked out by hand in its comment.

// Reads the breach queue and drill-down: only with the core feature `analyses` (a glob `--test '*'`
// with required-features would fail without it).
#![cfg(feature = "analyses")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mindgap::{
    DrillOptions, DueChange, DueOptions, DueState, Files, Filters, Loader, Outcome, Prepared,
    ReadOptions, ReportOptions, Timestamp,
};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sla")
}

fn diary() -> mindgap::Diary {
    let json = std::fs::read(dir().join("diary.json")).unwrap();
    let mut loader = Loader::from_json(&json, "diary.json", ReadOptions::default()).unwrap();
    let csv = std::fs::File::open(dir().join("tickets.csv")).unwrap();
    loader.read_csv(csv, "tickets.csv").unwrap();
    loader.finish().unwrap().diary
}

fn t(s: &str) -> Timestamp {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

/// Monday 9 November 2026, 11:00 Moscow time.
const AS_OF: &str = "2026-11-09T11:00:00+03:00";

type Observations = BTreeMap<(String, String), Vec<(Outcome, f64)>>;

/// Every observation: (expectation, ticket) → (class, minutes or business
/// days) in time order.
fn observations(p: &Prepared<'_>) -> Observations {
    let drill = p
        .drill(&DrillOptions::default().with_filters(Filters::default().with_as_of(t(AS_OF))))
        .unwrap();
    let mut out = Observations::new();
    for r in drill.records {
        let v = match r.unit {
            mindgap::ValueUnit::Seconds => r.value / 60.0,
            _ => r.value,
        };
        out.entry((r.expectation, r.id))
            .or_default()
            .push((r.class, v));
    }
    out
}

#[test]
fn each_ticket_is_scored_against_its_prioritys_targets() {
    use Outcome::*;
    let diary = diary();
    let p = Prepared::new(&diary).unwrap();
    let got = observations(&p);
    let want: Observations = [
        // Urgent, answered in 20 min (30 desired): exceeded.
        ("first-reply-urgent", "T1", Exceeded, 20.0),
        // Urgent opened Mon 17:30, answered Tue 09:40: 30 + 40 business min > 60.
        ("first-reply-urgent", "T2", Missed, 70.0),
        // Urgent opened 10:15, no reply at 11:00: 45 min, short of 60.
        ("first-reply-urgent", "T5", Pending, 45.0),
        // `highest` is urgent too: 10 min.
        ("first-reply-urgent", "T7", Exceeded, 10.0),
        // High opened Tue 16:00, answered Thu 10:00: 2 h Tue, the holiday
        // Wednesday, 1 h Thu = 3 h, between 2 and 4.
        ("first-reply-high", "T3", Within, 180.0),
        // Normal opened Fri 17:00, no reply: 1 h Fri + 2 h Mon = 3 h so far.
        ("first-reply-normal", "T4", Pending, 180.0),
        // No priority counts as normal: 30 min.
        ("first-reply-normal", "T6", Exceeded, 30.0),
        // Low counts as normal for the first reply: 16:00 → 16:30.
        ("first-reply-normal", "T8", Exceeded, 30.0),
        // Opened Fri 19:00 after hours: the clock starts Mon 09:00, 2 h by 11:00.
        ("first-reply-normal", "T9", Pending, 120.0),
        // The customer wrote again at 10:40 after the 10:20 reply; the next
        // reply came at 12:00: 1 h 20, within 1–3 h.
        ("next-reply", "T1", Within, 80.0),
        // Without messages, read from the statuses: open again at 10:30
        // after waiting for the customer, resolved at 11:00: 30 min.
        ("next-reply", "T2", Exceeded, 30.0),
        // Low, by the end of the business day: opened Mon 16:00, 7 of the
        // day's 9 hours gone (0.777777 of a day, rounded down to a
        // millionth); solved Tue 12:00, 3 of 9 hours into Tuesday (0.333333):
        // 1.333333 days from Monday's start, past the same day (1), within
        // the next (2).
        ("resolution-low", "T8", Within, 1.333_333),
        // Opened Fri 19:00 after the close: the business day is Monday;
        // 2 of its 9 hours by 11:00 (0.222222).
        ("resolution-low", "T9", Pending, 0.222_222),
        // 10:00 → 13:00: 3 h, between 2 and 4.
        ("resolution-urgent", "T1", Within, 180.0),
        // Mon 17:30 → Tue 11:00 is 2 h 30 of business time, 50 min of it
        // waiting for the customer: 1 h 40.
        ("resolution-urgent", "T2", Exceeded, 100.0),
        ("resolution-urgent", "T5", Pending, 45.0),
        // Paused since 09:10: 10 min.
        ("resolution-urgent", "T7", Pending, 10.0),
        // Tue 16:00 → Fri 12:00: 2 + 0 + 9 + 3 = 14 h, within 16.
        ("resolution-other", "T3", Exceeded, 840.0),
        ("resolution-other", "T4", Pending, 180.0),
        ("resolution-other", "T6", Pending, 90.0),
        // VIP, day and night: 45 min without a reply, past 30.
        ("first-reply-vip", "T5", Missed, 45.0),
        // Periodic updates, read from the conversation: the first reply at
        // 10:20, the next at 12:00 (1 h 40, within 1–2 h; the note between
        // is no update), then the resolution at 13:00 (1 h).
        ("update-urgent", "T1", Within, 100.0),
        ("update-urgent", "T1", Exceeded, 60.0),
        // Replied at 09:10 and waiting for the customer since: paused at 0.
        ("update-urgent", "T7", Pending, 0.0),
    ]
    .into_iter()
    .fold(Observations::new(), |mut m, (e, id, class, min)| {
        m.entry((e.to_owned(), id.to_owned()))
            .or_default()
            .push((class, min));
        m
    });
    assert_eq!(got, want);
}

#[test]
fn streamed_and_in_memory_reports_agree() {
    let options = ReportOptions::default().with_as_of(t(AS_OF));
    let diary = diary();
    let held = mindgap::api::to_json(&mindgap::report(&diary, &options).unwrap());
    let files = Files::new(dir().join("diary.json"), vec![dir().join("tickets.csv")]);
    let streamed = mindgap::api::to_json(&files.report(&options).unwrap().result);
    assert_eq!(held, streamed);
    let report: serde_json::Value = serde_json::from_str(&held).unwrap();
    let urgent = report["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "first-reply-urgent")
        .unwrap();
    assert_eq!(urgent["gap"]["n"], 3, "{urgent}");
}

#[test]
fn the_breach_queue_at_monday_eleven() {
    let diary = diary();
    let p = Prepared::new(&diary).unwrap();
    let queue = p
        .due(
            &DueOptions::default()
                .with_filters(Filters::default().with_as_of(t(AS_OF)))
                .with_changes_since(t("2026-11-09T10:00:00+03:00")),
        )
        .unwrap();
    type Row<'a> = (
        &'a str,
        &'a str,
        DueState,
        Option<String>,
        Option<String>,
        i64,
    );
    let rows: Vec<Row<'_>> = queue
        .clocks
        .iter()
        .map(|c| {
            let local = |x: Option<Timestamp>| x.map(|x| x.to_rfc3339());
            (
                c.expectation.as_str(),
                c.id.as_str(),
                c.state,
                local(c.warn_at),
                local(c.breach_at),
                match c.left {
                    mindgap::Level::Time(l) => l.as_millis() / 60_000,
                    // Business days, in millionths.
                    mindgap::Level::BusinessDays(d) => (d * 1e6).round() as i64,
                    other => panic!("{other}"),
                },
            )
        })
        .collect();
    let s = |x: &str| Some(x.to_owned());
    use DueState::*;
    assert_eq!(
        rows,
        vec![
            // VIP, day and night: 15 min desired at 10:30, 30 at 10:45.
            (
                "first-reply-vip",
                "T5",
                Breached,
                s("2026-11-09T10:30:00+03:00"),
                s("2026-11-09T10:45:00+03:00"),
                -15
            ),
            // Urgent from 10:15: 30 min at 10:45, 1 h at 11:15.
            (
                "first-reply-urgent",
                "T5",
                AtRisk,
                s("2026-11-09T10:45:00+03:00"),
                s("2026-11-09T11:15:00+03:00"),
                15
            ),
            (
                "resolution-urgent",
                "T5",
                OnTrack,
                s("2026-11-09T12:15:00+03:00"),
                s("2026-11-09T14:15:00+03:00"),
                195
            ),
            // Normal from Fri 17:00: 1 h Fri, then 4 h at Mon 12:00, 8 h at 16:00.
            (
                "first-reply-normal",
                "T4",
                OnTrack,
                s("2026-11-09T12:00:00+03:00"),
                s("2026-11-09T16:00:00+03:00"),
                300
            ),
            // Low, from Fri 19:00 (after hours): from Mon 09:00, 4 h at 13:00, 8 h at 17:00.
            (
                "first-reply-normal",
                "T9",
                OnTrack,
                s("2026-11-09T13:00:00+03:00"),
                s("2026-11-09T17:00:00+03:00"),
                360
            ),
            // Low, by the end of the business day (Monday): still within
            // until Tuesday's first business millisecond, at 08:00 under the
            // new hours; by the end of the next (Tuesday) until Wednesday
            // 08:00. Left: 2 days less 0.222222.
            (
                "resolution-low",
                "T9",
                OnTrack,
                s("2026-11-10T08:00:00+03:00"),
                s("2026-11-11T08:00:00+03:00"),
                1_777_778
            ),
            // 16 h: 1 + 9 (Mon) + 6 → Tue 14:00 (08:00-17:00 from Tuesday on);
            // 40 h: 1 + 9 × 4 + 3 → Fri 13th 11:00.
            (
                "resolution-other",
                "T4",
                OnTrack,
                s("2026-11-10T14:00:00+03:00"),
                s("2026-11-13T11:00:00+03:00"),
                37 * 60
            ),
            // From Mon 09:30: 8.5 h Mon, 7.5 more → Tue 15:30; 40 h → Fri 12:30.
            (
                "resolution-other",
                "T6",
                OnTrack,
                s("2026-11-10T15:30:00+03:00"),
                s("2026-11-13T12:30:00+03:00"),
                38 * 60 + 30
            ),
            // Waiting for the customer since 09:10: paused, no deadline.
            ("resolution-urgent", "T7", OnTrack, None, None, 230),
            ("update-urgent", "T7", OnTrack, None, None, 120),
        ]
    );
    assert!(queue.clocks.iter().rev().take(2).all(|c| c.paused));
    let changes: Vec<_> = queue.clocks.iter().map(|c| c.change).collect();
    assert_eq!(
        &changes[..2],
        [Some(DueChange::NewlyBreached), Some(DueChange::NewlyAtRisk)]
    );
    assert!(changes[2..].iter().all(Option::is_none));
    assert_eq!(queue.summary.paused, 2);
    // The same through the JSON layer every face uses.
    let journal = mindgap::Journal::new(diary.clone(), ReadOptions::default()).unwrap();
    let json = mindgap::api::run(
        &journal,
        "due",
        &format!(r#"{{"filters": {{"as_of": "{AS_OF}"}}, "breached": true}}"#),
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "mindgap/due/1");
    assert_eq!(v["clocks"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(v["clocks"][0]["breach_at"], "2026-11-09T10:45:00+03:00");
}

/// The options of the golden queue `fixtures/sla/due.json`, which the C and
/// JavaScript suites read back byte for byte.
const GOLDEN_OPTIONS: &str = r#"{"filters": {"as_of": "2026-11-09T11:00:00+03:00"}, "changes_since": "2026-11-09T10:00:00+03:00"}"#;

#[test]
fn the_golden_queue_is_what_every_face_prints() {
    let journal = mindgap::Journal::new(diary(), ReadOptions::default()).unwrap();
    let json = mindgap::api::run(&journal, "due", GOLDEN_OPTIONS).unwrap() + "\n";
    let path = dir().join("due.json");
    if std::env::var_os("MINDGAP_BLESS").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        golden == json,
        "fixtures/sla/due.json differs; MINDGAP_BLESS=1 rewrites it:\n{json}"
    );
    let options = std::fs::read_to_string(dir().join("due-options.json")).unwrap();
    assert_eq!(options.trim(), GOLDEN_OPTIONS);
}

#[test]
fn the_drill_down_shows_each_clocks_timeline() {
    let diary = diary();
    let p = Prepared::new(&diary).unwrap();
    let drill = p
        .drill(&DrillOptions::default().with_filters(Filters::default().with_as_of(t(AS_OF))))
        .unwrap();
    let timeline = |e: &str, id: &str| -> Vec<(String, String)> {
        let r = drill
            .records
            .iter()
            .find(|r| r.expectation == e && r.id == id)
            .unwrap();
        r.timeline
            .iter()
            .map(|x| {
                let event = serde_json::to_value(x.event).unwrap();
                (
                    x.at.format("%a %H:%M").to_string(),
                    event.as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let tl = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    // Opened Mon 17:30, 30 business minutes that evening, 30 more on
    // Tuesday morning: the hour is up at 09:30, the reply comes at 09:40.
    assert_eq!(
        timeline("first-reply-urgent", "T2"),
        tl(&[
            ("Mon 17:30", "started"),
            ("Tue 09:30", "breached"),
            ("Tue 09:40", "stopped")
        ])
    );
    // The wait for the customer pauses the resolution clock.
    assert_eq!(
        timeline("resolution-urgent", "T2"),
        tl(&[
            ("Mon 17:30", "started"),
            ("Tue 09:40", "paused"),
            ("Tue 10:30", "resumed"),
            ("Tue 11:00", "stopped")
        ])
    );
    // Still running and paused at the instant: started and paused only.
    assert_eq!(
        timeline("resolution-urgent", "T7"),
        tl(&[("Mon 09:00", "started"), ("Mon 09:10", "paused")])
    );
    // The VIP clock runs day and night: 30 minutes after 10:15.
    assert_eq!(
        timeline("first-reply-vip", "T5"),
        tl(&[("Mon 10:15", "started"), ("Mon 10:45", "breached")])
    );
    // An update clock from the first reply to the next.
    assert_eq!(
        timeline("update-urgent", "T1")[..2],
        tl(&[("Mon 10:20", "started"), ("Mon 12:00", "stopped")])[..]
    );
}
