//! Every format is lossless: JSON ↔ model, CSV ↔ model, JSON Lines ↔ model,
//! on random valid diaries (quotes, commas, newlines and Cyrillic in text,
//! offsets and milliseconds in timestamps, fractional ratings).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, FixedOffset, TimeZone};
use mindgap::*;
use proptest::prelude::*;

/// Equality that also sees UTC offsets (chrono's `==` compares instants only).
fn same<T: serde::Serialize>(a: &T, b: &T) -> bool {
    serde_json::to_string(a).unwrap() == serde_json::to_string(b).unwrap()
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (
        1_700_000_000i64..1_900_000_000,
        prop_oneof![Just(0), 0i64..1000],
        -12 * 60i32..=14 * 60,
    )
        .prop_map(|(secs, millis, offset_min)| {
            let offset = FixedOffset::east_opt(offset_min * 60).unwrap();
            let utc = DateTime::from_timestamp(secs, (millis * 1_000_000) as u32).unwrap();
            offset.from_utc_datetime(&utc.naive_utc())
        })
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Zа-яА-Яё0-9,\"'.][a-zA-Zа-яА-Яё0-9 ,\"'.\n]{0,12}"
}

fn id() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9_-]{0,7}"
}

fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![
        Just(Channel::Phone),
        Just(Channel::Email),
        Just(Channel::Chat),
        Just(Channel::Messenger),
        Just(Channel::Social),
        Just(Channel::InPerson),
        Just(Channel::Web),
        Just(Channel::Other("Viber".into())),
        Just(Channel::Other("почта России".into())),
    ]
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::New),
        Just(Status::Open),
        Just(Status::WaitingCustomer),
        Just(Status::OnHold),
        Just(Status::Resolved),
        Just(Status::Closed),
        Just(Status::Other("escalated".into())),
    ]
}

/// A stage id and a touchpoint of it (or none) from the default template.
fn place() -> impl Strategy<Value = (String, Option<String>)> {
    let stages = default_stages();
    (0..stages.len(), any::<prop::sample::Index>(), any::<bool>()).prop_map(move |(s, tp, has)| {
        let stage = &stages[s];
        let touchpoint = (has && !stage.touchpoints.is_empty()).then(|| {
            stage.touchpoints[tp.index(stage.touchpoints.len())]
                .id
                .to_string()
        });
        (stage.id.to_string(), touchpoint)
    })
}

fn interaction() -> impl Strategy<Value = Interaction> {
    (
        (
            id(),
            timestamp(),
            0i64..1_000_000_000,
            0i64..1_000_000_000,
            any::<(bool, bool)>(),
        ),
        (
            channel(),
            place(),
            prop::option::of(id()),
            prop::option::of(id()),
            prop::option::of(id()),
        ),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(status()),
            prop::option::of(text()),
        ),
        (
            prop::collection::vec("[a-z][a-z ]{0,5}[a-z]", 0..3),
            prop::collection::vec((0i64..1_000_000, status()), 0..4),
            prop::collection::btree_map(
                "[A-Za-zЁА-я][A-Za-zА-я 0-9]{0,6}[a-z]",
                "[a-zА-я,\"][a-zА-я ,\"\n]{0,8}[a-z]",
                0..3,
            ),
        ),
    )
        .prop_map(
            |(
                (id, opened, d1, d2, (has1, has2)),
                (channel, (stage, touchpoint), customer, employee, team),
                (request, resolution, outcome, segment, status, category),
                (tags, changes, fields),
            )| {
                let mut at = opened;
                let statuses: Vec<StatusChange> = changes
                    .into_iter()
                    .map(|(step, status)| {
                        at += chrono::Duration::milliseconds(step);
                        StatusChange { at, status }
                    })
                    .collect();
                // A message at each status change, of each kind in turn.
                let kinds = [MessageKind::Customer, MessageKind::Reply, MessageKind::Note];
                let messages = statuses
                    .iter()
                    .zip(kinds.iter().cycle())
                    .map(|(s, &kind)| Message { at: s.at, kind })
                    .collect();
                Interaction {
                    id: id.into(),
                    opened_at: opened,
                    first_response_at: has1.then(|| opened + chrono::Duration::milliseconds(d1)),
                    resolved_at: has2.then(|| opened + chrono::Duration::milliseconds(d2)),
                    statuses,
                    messages,
                    channel,
                    stage: stage.into(),
                    touchpoint: touchpoint.map(Into::into),
                    customer: customer.map(Into::into),
                    segment,
                    employee: employee.map(Into::into),
                    team,
                    request,
                    resolution,
                    outcome,
                    status,
                    priority: category.as_ref().map(|c| c.to_uppercase()),
                    category,
                    tags,
                    fields,
                }
            },
        )
}

fn feedback() -> impl Strategy<Value = Feedback> {
    let kind = prop_oneof![
        Just(FeedbackKind::Nps),
        Just(FeedbackKind::Csat),
        Just(FeedbackKind::Ces),
        Just(FeedbackKind::Rating),
        Just(FeedbackKind::Comment),
        Just(FeedbackKind::Reason),
    ];
    (
        (
            id(),
            timestamp(),
            kind,
            0.0f64..1.0,
            2u32..11,
            any::<bool>(),
            any::<bool>(),
        ),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            place(),
            prop::option::of(id()),
        ),
        prop::option::of(prop_oneof![
            Just(Sentiment::Negative),
            Just(Sentiment::Neutral),
            Just(Sentiment::Positive)
        ]),
    )
        .prop_map(
            |(
                (id, at, kind, u, scale, dismissed, with_scale),
                (reason, comment, (stage, tp), customer),
                sentiment,
            )| {
                let mut f = Feedback {
                    id: id.into(),
                    at,
                    kind,
                    score: None,
                    scale: None,
                    reason,
                    comment,
                    sentiment,
                    dismissed,
                    interaction: None,
                    stage: Some(stage.into()),
                    touchpoint: tp.map(Into::into),
                    customer: customer.map(Into::into),
                };
                if kind == FeedbackKind::Rating && with_scale {
                    f.scale = Some(scale);
                }
                if let Some((lo, hi, whole)) = f.score_range() {
                    let x = lo + u * (hi - lo);
                    f.score = (!dismissed).then_some(if whole { x.round() } else { x });
                }
                if kind == FeedbackKind::Reason && f.reason.is_none() {
                    f.reason = Some("late".into());
                }
                if kind == FeedbackKind::Comment && f.comment.is_none() {
                    f.comment = Some("fine".into());
                }
                f
            },
        )
}

/// A valid diary: unique ids, feedback linked to existing interactions.
fn diary() -> impl Strategy<Value = Diary> {
    (
        prop::collection::vec(interaction(), 0..12),
        prop::collection::vec(
            (feedback(), any::<prop::sample::Index>(), any::<bool>()),
            0..12,
        ),
    )
        .prop_map(|(interactions, feedback)| {
            let mut d = sample::definitions();
            d.observations = sample::observations();
            for (i, mut r) in interactions.into_iter().enumerate() {
                r.id = format!("{}-{i}", r.id).into();
                d.interactions.push(r);
            }
            for (i, (mut f, link, linked)) in feedback.into_iter().enumerate() {
                f.id = format!("{}-{i}", f.id).into();
                if linked && !d.interactions.is_empty() {
                    let target = &d.interactions[link.index(d.interactions.len())];
                    f.interaction = Some(target.id.clone());
                    f.stage = None;
                    f.touchpoint = None;
                }
                d.feedback.push(f);
            }
            d
        })
}

fn read_back(d: &Diary, extra: impl FnOnce(&mut Loader)) -> Diary {
    let mut defs = d.clone();
    defs.interactions.clear();
    defs.feedback.clear();
    defs.observations.clear();
    defs.expectations.clear();
    let json = serde_json::to_vec(&defs).unwrap();
    let mut loader = Loader::from_json(&json, "diary.json", ReadOptions::default()).unwrap();
    extra(&mut loader);
    loader.finish().unwrap().diary
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn json_round_trip_is_lossless(d in diary()) {
        let json = serde_json::to_vec_pretty(&d).unwrap();
        let back = Loader::from_json(&json, "diary.json", ReadOptions::default()).unwrap().finish().unwrap().diary;
        prop_assert!(same(&back, &d), "{}", String::from_utf8_lossy(&json));
    }

    #[test]
    fn csv_round_trip_is_lossless(d in diary()) {
        let interactions = write_interactions(Vec::new(), &d.interactions).unwrap();
        let feedback = write_feedback(Vec::new(), &d.feedback).unwrap();
        let back = read_back(&d, |l| {
            l.read_csv(interactions.as_slice(), "interactions.csv").unwrap();
            l.read_csv(feedback.as_slice(), "feedback.csv").unwrap();
        });
        prop_assert!(same(&back.interactions, &d.interactions), "{}", String::from_utf8_lossy(&interactions));
        prop_assert!(same(&back.feedback, &d.feedback), "{}", String::from_utf8_lossy(&feedback));
    }

    #[test]
    fn jsonl_round_trip_is_lossless(d in diary()) {
        let mut lines = Vec::new();
        write_jsonl(&d, &mut lines).unwrap();
        let back = read_back(&d, |l| l.read_jsonl(lines.as_slice(), "records.jsonl").unwrap());
        prop_assert!(same(&back, &d));
    }
}

#[test]
fn csv_with_bom_crlf_quotes_and_cyrillic_reads() {
    let diary = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/diary-small.json"
    ))
    .unwrap();
    let csv = "\u{feff}id,opened_at,channel,stage,request\r\n\
               i1,2026-01-05T10:00:00+03:00,email,attraction,\"Где мой заказ, \"\"срочно\"\"?\nВторая строка\"\r\n";
    let mut loader = Loader::from_json(&diary, "diary.json", ReadOptions::default()).unwrap();
    loader.read_csv(csv.as_bytes(), "i.csv").unwrap();
    let d = loader.finish().unwrap().diary;
    assert_eq!(
        d.interactions[0].request.as_deref(),
        Some("Где мой заказ, \"срочно\"?\nВторая строка")
    );
}

#[test]
fn column_mapping_and_local_timestamp_format_read_other_exports() {
    let diary = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/diary-small.json"
    ))
    .unwrap();
    let options: ReadOptions = serde_json::from_str(
        r#"{"csv": {"interaction_columns": {"id": "Ticket", "opened_at": "Created", "channel": "Via", "stage": "Stage"},
                    "timestamp_format": "%d.%m.%Y %H:%M", "delimiter": ";"}}"#,
    )
    .unwrap();
    let csv = "Ticket;Created;Via;Stage;Extra\nT-1;05.01.2026 10:00;Email;attraction;x\n";
    let mut loader = Loader::from_json(&diary, "diary.json", options).unwrap();
    loader.read_csv(csv.as_bytes(), "export.csv").unwrap();
    let loaded = loader.finish().unwrap();
    let i = &loaded.diary.interactions[0];
    assert_eq!(i.opened_at.to_rfc3339(), "2026-01-05T10:00:00+03:00"); // Europe/Moscow
    assert_eq!(i.channel, Channel::Email);
    assert_eq!(
        loaded
            .notes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["export.csv: ignored column(s): Extra"]
    );
}
