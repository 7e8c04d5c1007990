//! Tests of the SLA clock rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::time::calendar::Calendar;

const MIN: i64 = 60_000;
const H: i64 = 3_600_000;

fn ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .timestamp_millis()
}

/// An interaction opened Monday 2026-06-01 at `opened` (UTC, "HH:MM"), with
/// optional reply/resolution and a history of `(HH:MM, status)`; every time is
/// on that Monday unless written as a full RFC 3339 instant.
fn interaction(
    opened: &str,
    reply: Option<&str>,
    resolved: Option<&str>,
    history: &[(&str, &str)],
) -> Interaction {
    let t = |s: &str| {
        if s.len() == 5 {
            format!("2026-06-01T{s}:00Z")
        } else {
            s.to_owned()
        }
    };
    let mut v = serde_json::json!({
        "id": "i-1", "opened_at": t(opened), "channel": "email", "stage": "service",
        "statuses": history.iter().map(|(at, s)| serde_json::json!({"at": t(at), "status": s}))
            .collect::<Vec<_>>(),
    });
    if let Some(r) = reply {
        v["first_response_at"] = t(r).into();
    }
    if let Some(r) = resolved {
        v["resolved_at"] = t(r).into();
    }
    serde_json::from_value(v).unwrap()
}

fn office() -> BusinessCalendar {
    let c: Calendar = serde_json::from_str(
        r#"{"id": "office", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
            "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}"#,
    )
    .unwrap();
    c.compile(chrono_tz::UTC).unwrap()
}

fn mins(m: i64) -> Span {
    Span::from_millis(m * MIN)
}

#[test]
fn first_response_in_elapsed_and_business_time() {
    let i = interaction("08:00", Some("10:30"), None, &[]);
    assert_eq!(first_response(&i, None).unwrap(), Some(mins(150)));
    assert_eq!(first_response(&i, Some(&office())).unwrap(), Some(mins(90)));
    let unanswered = interaction("08:00", None, None, &[]);
    assert_eq!(first_response(&unanswered, None).unwrap(), None);
}

#[test]
fn an_unanswered_clock_reads_running_as_of_an_instant() {
    let cal = office();
    let i = interaction("16:30", None, None, &[]);
    // As of Tuesday 09:15: 30 min on Monday + 15 min on Tuesday.
    let r = first_response_as_of(&i, Some(&cal), ms("2026-06-02T09:15:00Z")).unwrap();
    assert_eq!(r, Reading::Running(mins(45)));
    assert!(r.is_running());
    assert_eq!(r.span(), mins(45));
    // Before it opened: zero.
    assert_eq!(
        first_response_as_of(&i, None, ms("2026-06-01T10:00:00Z")).unwrap(),
        Reading::Running(Span::ZERO)
    );
    // A reply after the as-of instant is not known yet.
    let i = interaction("10:00", Some("12:00"), None, &[]);
    assert_eq!(
        first_response_as_of(&i, None, ms("2026-06-01T11:00:00Z")).unwrap(),
        Reading::Running(mins(60))
    );
    assert_eq!(
        first_response_as_of(&i, None, ms("2026-06-01T13:00:00Z")).unwrap(),
        Reading::Stopped(mins(120))
    );
}

#[test]
fn waiting_on_the_customer_pauses_the_resolution_clock() {
    let i = interaction(
        "09:00",
        Some("09:30"),
        Some("15:00"),
        &[
            ("09:30", "waiting_customer"),
            ("11:00", "open"),
            ("12:00", "on_hold"),
            ("13:00", "open"),
            ("14:00", "resolved"),
            ("14:30", "open"), // reopened
            ("15:00", "resolved"),
        ],
    );
    // 6 h minus the 1.5 h waiting on the customer.
    assert_eq!(
        resolution(&i, None, DEFAULT_PAUSE_STATUSES).unwrap(),
        Some(mins(270))
    );
    // On hold pauses too when the expectation says so.
    let both = [Status::WaitingCustomer, Status::OnHold];
    assert_eq!(resolution(&i, None, &both).unwrap(), Some(mins(210)));
    // No pauses at all.
    assert_eq!(resolution(&i, None, &[]).unwrap(), Some(mins(360)));
    // Time resolved before the reopening counts only if `resolved` pauses.
    let r = [Status::WaitingCustomer, Status::Resolved];
    assert_eq!(resolution(&i, None, &r).unwrap(), Some(mins(240)));
    // Unresolved.
    let open = interaction("09:00", None, None, &[]);
    assert_eq!(
        resolution(&open, None, DEFAULT_PAUSE_STATUSES).unwrap(),
        None
    );
}

#[test]
fn pauses_in_business_time_and_as_of() {
    let cal = office();
    // Opened Monday 16:00, waiting on the customer Monday 16:30 → Tuesday 10:00.
    let i = interaction(
        "16:00",
        Some("16:30"),
        Some("2026-06-02T11:00:00Z"),
        &[
            ("16:30", "waiting_customer"),
            ("2026-06-02T10:00:00Z", "open"),
            ("2026-06-02T11:00:00Z", "resolved"),
        ],
    );
    // Business time 16:00–17:00 + 09:00–11:00 = 3 h; paused 16:30–17:00 + 09:00–10:00.
    assert_eq!(
        resolution(&i, Some(&cal), DEFAULT_PAUSE_STATUSES).unwrap(),
        Some(mins(90))
    );
    // As of Tuesday 09:30, still waiting on the customer: 30 min ran.
    assert_eq!(
        resolution_as_of(
            &i,
            Some(&cal),
            DEFAULT_PAUSE_STATUSES,
            ms("2026-06-02T09:30:00Z")
        )
        .unwrap(),
        Reading::Running(mins(30))
    );
    // As of Tuesday 10:30: open again for 30 min.
    assert_eq!(
        resolution_as_of(
            &i,
            Some(&cal),
            DEFAULT_PAUSE_STATUSES,
            ms("2026-06-02T10:30:00Z")
        )
        .unwrap(),
        Reading::Running(mins(60))
    );
    assert_eq!(
        resolution_as_of(
            &i,
            Some(&cal),
            DEFAULT_PAUSE_STATUSES,
            ms("2026-06-03T00:00:00Z")
        )
        .unwrap(),
        Reading::Stopped(mins(90))
    );
}

#[test]
fn a_pause_status_listed_as_new_pauses_from_the_opening() {
    let i = interaction("09:00", None, Some("12:00"), &[("10:00", "open")]);
    assert_eq!(
        resolution(&i, None, &[Status::New]).unwrap(),
        Some(mins(120))
    );
}

#[test]
fn without_a_history_nothing_pauses_even_new() {
    // The current status says nothing about since when it holds.
    let i = interaction("09:00", None, Some("12:00"), &[]);
    assert_eq!(
        resolution(&i, None, &[Status::New, Status::WaitingCustomer]).unwrap(),
        Some(mins(180))
    );
}

#[test]
fn each_reply_resets_the_next_response_clock() {
    let i = interaction(
        "09:00",
        Some("09:10"),
        None,
        &[
            ("09:05", "open"), // picked up: not a customer message
            ("09:10", "waiting_customer"),
            ("10:00", "open"),             // customer wrote: clock 1 starts
            ("10:05", "new"),              // new/open shuffles do not restart it
            ("10:20", "waiting_customer"), // reply: clock 1 stops at 20 min
            ("11:00", "open"),             // clock 2
            ("11:45", "on_hold"),          // stops at 45 min
            ("12:00", "open"),             // clock 3, still unanswered
        ],
    );
    let clocks: Vec<_> = next_responses(&i).unwrap().collect();
    assert_eq!(clocks.len(), 3);
    assert_eq!(clocks[0].span(None), Some(mins(20)));
    assert_eq!(clocks[1].span(None), Some(mins(45)));
    assert_eq!(clocks[2].span(None), None);
    assert_eq!(clocks[2].started_ms, ms("2026-06-01T12:00:00Z"));
    assert_eq!(
        clocks[2].reading(None, ms("2026-06-01T12:40:00Z")),
        Reading::Running(mins(40))
    );
    assert_eq!(
        clocks[0].reading(None, ms("2026-06-01T12:40:00Z")),
        Reading::Stopped(mins(20))
    );
    // In business time, across the night.
    let cal = office();
    let i = interaction(
        "09:00",
        Some("09:10"),
        None,
        &[
            ("09:10", "waiting_customer"),
            ("16:50", "open"),
            ("2026-06-02T09:20:00Z", "resolved"),
        ],
    );
    let clocks: Vec<_> = next_responses(&i).unwrap().collect();
    assert_eq!(clocks.len(), 1);
    assert_eq!(clocks[0].span(Some(&cal)), Some(mins(30)));
}

#[test]
fn a_running_next_response_clock_stops_at_resolution() {
    let i = interaction(
        "09:00",
        Some("09:10"),
        Some("11:00"),
        &[("09:10", "waiting_customer"), ("10:00", "open")],
    );
    let clocks: Vec<_> = next_responses(&i).unwrap().collect();
    assert_eq!(clocks.len(), 1);
    assert_eq!(clocks[0].span(None), Some(mins(60)));
}

#[test]
fn reopenings_before_the_first_reply_start_no_clock() {
    let i = interaction(
        "09:00",
        Some("10:00"),
        None,
        &[
            ("09:10", "on_hold"),
            ("09:20", "open"),
            ("10:00", "waiting_customer"),
        ],
    );
    assert_eq!(next_responses(&i).unwrap().count(), 0);
    // Without a recorded first reply, the history alone decides.
    let i = interaction(
        "09:00",
        None,
        None,
        &[
            ("09:10", "on_hold"),
            ("09:20", "open"),
            ("10:00", "waiting_customer"),
        ],
    );
    let clocks: Vec<_> = next_responses(&i).unwrap().collect();
    assert_eq!(clocks.len(), 1);
    assert_eq!(clocks[0].span(None), Some(mins(40)));
    // No history, no clocks.
    assert_eq!(
        next_responses(&interaction("09:00", Some("09:10"), None, &[]))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn out_of_order_history_is_an_error_naming_the_interaction() {
    let i = interaction(
        "09:00",
        None,
        Some("12:00"),
        &[("10:00", "waiting_customer"), ("09:30", "open")],
    );
    for e in [
        next_responses(&i).err().unwrap(),
        resolution(&i, None, DEFAULT_PAUSE_STATUSES).unwrap_err(),
        resolution_as_of(&i, None, &[], 0).unwrap_err(),
        check_order(&i).unwrap_err(),
    ] {
        assert_eq!(e.code(), 21);
        assert_eq!(
            e.to_string(),
            "record \"i-1\", field \"statuses[1]\": statuses[1] (open) at 2026-06-01T09:30:00+00:00 \
             is before statuses[0] (waiting_customer) at 2026-06-01T10:00:00+00:00; the status \
             history must be in time order"
        );
    }
    let e = check_history(&interaction("09:00", None, None, &[("08:00", "open")])).unwrap_err();
    assert!(e.to_string().contains("field \"statuses[0]\""), "{e}");
    let e = first_response(&interaction("09:00", Some("08:59"), None, &[]), None).unwrap_err();
    assert_eq!(e.code(), 21);
    assert!(e.to_string().contains("field \"first_response_at\""), "{e}");
    let e = resolution(&interaction("09:00", None, Some("08:00"), &[]), None, &[]).unwrap_err();
    assert!(e.to_string().contains("field \"resolved_at\""), "{e}");
    // Equal instants are in order.
    let i = interaction(
        "09:00",
        Some("09:00"),
        Some("09:00"),
        &[("09:00", "resolved")],
    );
    check_order(&i).unwrap();
    assert_eq!(first_response(&i, None).unwrap(), Some(Span::ZERO));
}

#[test]
fn pause_statuses_default_when_the_expectation_lists_none() {
    let mut e: crate::model::Expectation = serde_json::from_value(serde_json::json!({
        "id": "e", "stage": "service",
        "metric": {"kind": "resolution", "desired": "PT4H", "adequate": "P1D"}
    }))
    .unwrap();
    assert_eq!(pause_statuses(&e), DEFAULT_PAUSE_STATUSES);
    e.pause_statuses = vec![Status::OnHold];
    assert_eq!(pause_statuses(&e), &[Status::OnHold]);
}

#[test]
fn elapsed_without_a_calendar_is_wall_time_and_never_negative() {
    assert_eq!(elapsed(None, 0, H), Span::from_hours(1));
    assert_eq!(elapsed(None, H, 0), Span::ZERO);
    assert_eq!(
        elapsed(None, i64::MIN, i64::MAX),
        Span::from_millis(i64::MAX)
    );
}

mod runs {
    use super::*;
    use proptest::prelude::*;

    const STATUSES: [&str; 5] = ["new", "open", "waiting_customer", "resolved", "on_hold"];

    proptest! {
        /// The resolution clock read from precomputed pause runs equals the
        /// one read from the record: every pause-status set (default, with
        /// `new`, several), history, resolution and report instant, ties
        /// and sub-millisecond instants included.
        #[test]
        fn pause_runs_read_as_the_record_does(
            opened in 0i64..100_000,
            steps in proptest::collection::vec((0i64..50_000, 0usize..5, 0u32..1_000_000), 0..8),
            resolved in proptest::option::of(-1_000i64..400_000),
            as_of in -1_000i64..500_000,
            pause_set in 0usize..3,
        ) {
            let base = 1_780_000_000_000i64;
            let at = |t: i64, nanos: u32| {
                chrono::DateTime::from_timestamp_millis(base + t)
                    .unwrap()
                    .checked_add_signed(chrono::Duration::nanoseconds(i64::from(nanos % 1_000_000)))
                    .unwrap()
                    .fixed_offset()
            };
            let mut t = opened;
            let mut statuses = Vec::new();
            for (gap, s, nanos) in &steps {
                t += gap;
                statuses.push(StatusChange { at: at(t, *nanos), status: Status::parse(STATUSES[*s]) });
            }
            let mut i = interaction("00:00", None, None, &[]);
            i.opened_at = at(opened, 0);
            i.statuses = statuses;
            i.resolved_at = resolved.map(|r| at(opened + r, 500_000));
            let pauses: Vec<Status> = match pause_set {
                0 => DEFAULT_PAUSE_STATUSES.to_vec(),
                1 => vec![Status::New, Status::WaitingCustomer],
                _ => vec![Status::WaitingCustomer, Status::parse("on_hold"), Status::Resolved],
            };
            let as_of_ms = base + as_of;
            let want = resolution_as_of_checked(Hist::of(&i), None, &pauses, as_of_ms);
            let mut runs = Vec::new();
            pause_runs(Hist::of(&i), &pauses, &mut runs);
            let open = i.opened_at.timestamp_millis();
            let got = resolution_in_runs(Hist::of(&i), open, i.resolved_at.map(|r| r.timestamp_millis()), &runs, as_of_ms);
            prop_assert_eq!(format!("{got:?}"), format!("{want:?}"));
        }
    }
}

/// `interaction` with a conversation of `(HH:MM, kind)`.
fn conversation(
    opened: &str,
    reply: Option<&str>,
    resolved: Option<&str>,
    history: &[(&str, &str)],
    messages: &[(&str, MessageKind)],
) -> Interaction {
    let mut i = interaction(opened, reply, resolved, history);
    i.messages = messages
        .iter()
        .map(|(at, kind)| Message {
            at: chrono::DateTime::parse_from_rfc3339(&format!("2026-06-01T{at}:00Z")).unwrap(),
            kind: *kind,
        })
        .collect();
    i
}

#[test]
fn messages_give_the_first_reply_next_responses_and_updates() {
    use MessageKind::{Customer, Note, Reply};
    let i = conversation(
        "09:00",
        None,
        Some("16:00"),
        &[],
        &[
            ("09:00", Customer),
            ("09:20", Note),
            ("09:40", Reply),
            ("10:00", Customer),
            ("10:30", Customer),
            ("11:00", Reply),
            ("13:00", Customer),
        ],
    );
    // The first reply is the first reply message; notes are read by no clock.
    assert_eq!(first_reply_ms(&i), Some(ms("2026-06-01T09:40:00Z")));
    assert_eq!(first_response(&i, None).unwrap(), None); // the field itself is absent
    assert_eq!(
        first_response_as_of(&i, None, ms("2026-06-01T12:00:00Z")).unwrap(),
        Reading::Stopped(mins(40))
    );
    // Next responses: 10:00 (the second customer message does not restart
    // it) to 11:00; 13:00 to the resolution at 16:00.
    let next: Vec<_> = next_responses(&i).unwrap().map(|c| c.span(None)).collect();
    assert_eq!(next, [Some(mins(60)), Some(mins(180))]);
    // Updates: 09:40 → 11:00 → the resolution.
    let up: Vec<_> = updates(&i).map(|c| c.span(None)).collect();
    assert_eq!(up, [Some(mins(80)), Some(mins(300))]);
    // Unresolved: the last update clock runs.
    let mut open = i.clone();
    open.resolved_at = None;
    let last = updates(&open).last().unwrap();
    assert_eq!(last.stopped_ms, None);
    assert_eq!(
        last.reading(None, ms("2026-06-01T12:00:00Z")),
        Reading::Running(mins(60))
    );
    // A reply after the resolution starts no clock; without messages there
    // are no update clocks.
    let after = conversation(
        "09:00",
        None,
        Some("10:00"),
        &[],
        &[("09:30", Reply), ("11:00", Reply)],
    );
    let up: Vec<_> = updates(&after).map(|c| c.span(None)).collect();
    assert_eq!(up, [Some(mins(30))]);
    assert_eq!(
        updates(&interaction("09:00", Some("09:30"), None, &[])).count(),
        0
    );
}

#[test]
fn a_paused_clock_takes_its_pause_statuses_off() {
    // Waiting for the customer 10:00–12:00 (and again from 15:00).
    let i = interaction(
        "09:00",
        Some("13:00"),
        None,
        &[
            ("10:00", "waiting_customer"),
            ("12:00", "open"),
            ("15:00", "waiting_customer"),
        ],
    );
    let pauses = [Status::WaitingCustomer];
    let (open, reply) = (ms("2026-06-01T09:00:00Z"), ms("2026-06-01T13:00:00Z"));
    assert_eq!(
        read_paused(
            Hist::of(&i),
            None,
            &pauses,
            open,
            Some(reply),
            ms("2026-06-01T18:00:00Z")
        ),
        Reading::Stopped(Span::from_hours(2))
    );
    assert_eq!(
        read_paused(
            Hist::of(&i),
            None,
            &pauses,
            open,
            None,
            ms("2026-06-01T16:00:00Z")
        ),
        // 7 h, 3 of them waiting.
        Reading::Running(Span::from_hours(4))
    );
    assert!(paused_at(Hist::of(&i), &pauses, ms("2026-06-01T11:00:00Z")));
    assert!(!paused_at(
        Hist::of(&i),
        &pauses,
        ms("2026-06-01T12:00:00Z")
    ));
    assert!(!paused_at(Hist::of(&i), &[], ms("2026-06-01T11:00:00Z")));
    // In business time (09–17): 8 h, 4 of them waiting; the evening after
    // 17:00 counts neither way.
    assert_eq!(
        read_paused(
            Hist::of(&i),
            Some(&office()),
            &pauses,
            open,
            None,
            ms("2026-06-01T20:00:00Z")
        ),
        Reading::Running(Span::from_hours(4))
    );
}
