//! The analyses from files ([`Files`]) equal those of the files loaded
//! whole: people, drill-downs and follow-up lists over the sample, its
//! interactions in two CSV files, its feedback in a CSV file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::{Files, Opened};
use super::stream::tests::same;
use crate::analysis::drill::{DrillOptions, Filters, PeopleBy, PeopleOptions, Pick};
use crate::analysis::followup::{FollowUpOptions, Show};
use crate::engine::Prepared;
use crate::input::read::{Loader, ReadOptions};
use crate::model::*;
use crate::time::span::Span;
use crate::validate::Mode;

/// The sample as files (by name), and the diary they load to.
fn sample(rows: usize) -> (HashMap<&'static str, Vec<u8>>, Diary) {
    let mut whole = crate::sample::diary(rows);
    let csv = crate::input::csv::write_interactions(Vec::new(), &whole.interactions).unwrap();
    let feedback = crate::input::csv::write_feedback(Vec::new(), &whole.feedback).unwrap();
    whole.interactions.clear();
    whole.feedback.clear();
    let diary = serde_json::to_vec(&whole).unwrap();
    let cut = csv.len() / 3;
    let cut = cut + csv[cut..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let header_end = csv.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut second = csv[..header_end].to_vec();
    second.extend_from_slice(&csv[cut..]);
    let files = HashMap::from([
        ("diary.json", diary),
        ("a.csv", csv[..cut].to_vec()),
        ("b.csv", second),
        ("feedback.csv", feedback),
    ]);
    let mut loader =
        Loader::from_json(&files["diary.json"], "diary.json", ReadOptions::default()).unwrap();
    for name in ["feedback.csv", "a.csv", "b.csv"] {
        loader.read_csv(&files[name][..], name).unwrap();
    }
    (files, loader.finish().unwrap().diary)
}

fn files(bytes: &HashMap<&'static str, Vec<u8>>) -> Files {
    let bytes: Arc<HashMap<String, Vec<u8>>> = Arc::new(
        bytes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    );
    Files::new(
        "diary.json",
        vec![PathBuf::from("a.csv"), PathBuf::from("b.csv")],
    )
    .with_feedback([PathBuf::from("feedback.csv")])
    .with_opener(move |p: &Path| {
        let b = bytes[p.to_str().unwrap()].clone();
        Ok(Opened {
            size: Some(b.len() as u64),
            reader: Box::new(std::io::Cursor::new(b)),
        })
    })
}

fn assert_same<T: serde::Serialize>(got: &T, want: &T, what: &str) {
    let (got, want) = (
        serde_json::to_value(got).unwrap(),
        serde_json::to_value(want).unwrap(),
    );
    if let Err(e) = same(&got, &want, what) {
        panic!("{e}");
    }
}

fn filters() -> Vec<Filters> {
    let mid = crate::sample::as_of() - chrono::Duration::days(40);
    vec![
        Filters::default(),
        Filters::default().with_as_of(mid),
        Filters::default()
            .with_since(mid - chrono::Duration::days(60))
            .with_until(mid)
            .with_channel(Channel::Email),
        Filters::default().with_stage("service"),
    ]
}

#[test]
fn follow_up_lists_from_files_equal_in_memory_ones() {
    let (bytes, whole) = sample(6_000);
    let p = Prepared::new(&whole).unwrap();
    let files = files(&bytes);
    let mut twice = files.clone();
    twice.hold_feedback_bytes = 0;
    let mut listed = 0;
    for filters in filters() {
        for show in [Show::All, Show::Open, Show::Overdue, Show::Closed] {
            for history in [Span::from_days(30), Span::from_days(2)] {
                let options = FollowUpOptions::default()
                    .with_filters(filters.clone())
                    .with_show(show)
                    .with_history(history);
                let want = p.follow_ups(&options).unwrap();
                let got = files.follow_ups(&options).unwrap();
                assert_eq!(got.interactions, 6_000);
                listed += want.follow_ups.len();
                assert_same(&got.result, &want, &format!("{options:?}"));
                // The feedback read twice (as a large file is), only what
                // the list reads held.
                let got = twice.follow_ups(&options).unwrap();
                assert_same(&got.result, &want, &format!("read twice, {options:?}"));
            }
        }
    }
    // The cases list follow-ups with their interactions, closers and
    // histories (not only empty lists).
    let all = p.follow_ups(&FollowUpOptions::default()).unwrap();
    assert!(listed > 100, "{listed}");
    assert!(all.follow_ups.iter().any(|f| f.interaction.is_some()));
    assert!(all.follow_ups.iter().any(|f| f.closed_by.is_some()));
    assert!(all.follow_ups.iter().any(|f| f.history.len() > 1));
}

#[test]
fn people_and_drill_downs_from_files_equal_in_memory_ones() {
    let (bytes, whole) = sample(4_000);
    let p = Prepared::new(&whole).unwrap();
    let held = files(&bytes);
    let mut twice = held.clone();
    twice.hold_feedback_bytes = 0;
    for files in [held, twice] {
        for filters in filters() {
            let options = PeopleOptions::default()
                .with_filters(filters.clone())
                .with_by(PeopleBy::Team);
            assert_same(
                &files.people(&options).unwrap().result,
                &p.people(&options).unwrap(),
                "people",
            );
            for options in [
                DrillOptions::default().with_filters(filters.clone()),
                DrillOptions::default()
                    .with_filters(filters.clone())
                    .with_class(Pick::Missed)
                    .with_limit(25),
                DrillOptions::default()
                    .with_filters(filters)
                    .with_expectation("support-email-reply")
                    .with_class(Pick::Pending),
            ] {
                let want = p.drill(&options).unwrap();
                assert!(want.counts.n + want.counts.pending > 0, "{options:?}");
                let got = files.drill(&options).unwrap();
                // Rows with a clock running are kept to the end unless the
                // instant is given.
                assert_eq!(got.kept == 0, options.filters.as_of.is_some());
                assert_same(&got.result, &want, &format!("{options:?}"));
            }
        }
        let employee = whole.interactions[7].employee.clone().unwrap();
        let customer = whole.interactions[11].customer.clone().unwrap();
        for options in [
            DrillOptions::default().with_employee(employee.as_str()),
            DrillOptions::default().with_customer(customer.as_str()),
            DrillOptions::default().with_team("support").with_limit(0),
        ] {
            let want = p.drill(&options).unwrap();
            assert_same(&files.drill(&options).unwrap().result, &want, "drill");
        }
        // An unknown selector: the in-memory error, once every record is read.
        let options = DrillOptions::default().with_employee("nobody");
        let want = p.drill(&options).unwrap_err().to_string();
        assert_eq!(files.drill(&options).unwrap_err().to_string(), want);
        assert!(want.contains("\"nobody\""), "{want}");
        // An unknown expectation: refused before the stream.
        let options = DrillOptions::default().with_expectation("nope");
        assert!(files.drill(&options).is_err());
    }
}

#[test]
fn lenient_files_skip_the_same_records_once() {
    let (mut bytes, whole) = sample(3_000);
    // A broken row and a duplicate of an interaction a follow-up shows, in
    // the second file: skipped (and listed) once, though the files are read
    // twice; the list is that of the same files loaded whole.
    let list = Prepared::new(&whole)
        .unwrap()
        .follow_ups(&FollowUpOptions::default())
        .unwrap();
    let shown = list
        .follow_ups
        .iter()
        .flat_map(|f| &f.history)
        .find(|h| h.kind == RecordKind::Interaction)
        .map(|h| h.id.clone())
        .unwrap();
    let a = &bytes["a.csv"];
    let text = String::from_utf8(a.clone()).unwrap();
    let copy = text
        .lines()
        .find(|l| l.starts_with(&format!("{shown},")))
        .map(|l| format!("{l}\n"))
        .unwrap_or_else(|| {
            let b = String::from_utf8(bytes["b.csv"].clone()).unwrap();
            b.lines()
                .find(|l| l.starts_with(&format!("{shown},")))
                .map(|l| format!("{l}\n"))
                .unwrap()
        });
    let b = bytes.get_mut("b.csv").unwrap();
    b.extend_from_slice(b"x-1,not a time,email,service\n");
    b.extend_from_slice(copy.as_bytes());
    let lenient = ReadOptions::default().with_mode(Mode::Lenient);
    let mut loader =
        Loader::from_json(&bytes["diary.json"], "diary.json", lenient.clone()).unwrap();
    for name in ["feedback.csv", "a.csv", "b.csv"] {
        loader.read_csv(&bytes[name][..], name).unwrap();
    }
    let loaded = loader.finish().unwrap();
    assert_eq!(loaded.skipped.len(), 2, "{:?}", loaded.skipped);
    let want = Prepared::new(&loaded.diary)
        .unwrap()
        .follow_ups(&FollowUpOptions::default())
        .unwrap();
    let got = files(&bytes)
        .with_read(lenient)
        .follow_ups(&FollowUpOptions::default())
        .unwrap();
    let skipped: Vec<String> = got.skipped.iter().map(ToString::to_string).collect();
    let expected: Vec<String> = loaded.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(skipped, expected);
    assert_same(&got.result, &want, "follow-ups");
    // Strict reading stops at the broken row, naming it.
    let err = files(&bytes)
        .follow_ups(&FollowUpOptions::default())
        .unwrap_err();
    assert!(err.to_string().contains("b.csv"), "{err}");
}

#[test]
fn problems_from_files_equal_in_memory_ones() {
    use crate::analysis::drill::{ProblemOptions, ProblemScope};
    let (bytes, whole) = sample(6_000);
    let p = Prepared::new(&whole).unwrap();
    let files = files(&bytes);
    let mut twice = files.clone();
    twice.hold_feedback_bytes = 0;
    let mut found = (0, 0);
    for filters in filters() {
        for (by, k, days) in [
            (&[ProblemScope::Customer][..], 2, 30),
            (&[ProblemScope::Customer][..], 3, 60),
            (&[ProblemScope::Stage, ProblemScope::Employee][..], 5, 1),
            (&[ProblemScope::Employee, ProblemScope::Customer][..], 40, 7),
        ] {
            let options = ProblemOptions::default()
                .with_filters(filters.clone())
                .with_by(by.iter().copied())
                .with_min_count(k)
                .with_within(Span::from_days(days));
            let want = p.problems(&options).unwrap();
            let got = files.problems(&options).unwrap();
            found.0 += want.recurring.len();
            found.1 += want.reasons.len();
            assert_same(&got.result, &want, &format!("{options:?}"));
            let got = twice.problems(&options).unwrap();
            assert_same(&got.result, &want, &format!("read twice, {options:?}"));
        }
    }
    assert!(found.0 > 50 && found.1 > 5, "{found:?}");
}

#[test]
#[cfg_attr(
    not(feature = "trend"),
    ignore = "the report's quadrants read the trend's inputs only with `trend`"
)]
fn feedback_that_names_only_its_interaction_closes_as_in_memory() {
    use crate::engine::ReportOptions;
    // Feedback naming only its interaction (as many CRM exports do): the
    // customer whose next contact closes a follow-up is the interaction's,
    // found by reading the interaction files ahead.
    let (mut bytes, _) = sample(3_000);
    let mut whole = crate::sample::diary(3_000);
    for f in &mut whole.feedback {
        f.customer = None;
    }
    bytes.insert(
        "feedback.csv",
        crate::input::csv::write_feedback(Vec::new(), &whole.feedback).unwrap(),
    );
    let mut loader =
        Loader::from_json(&bytes["diary.json"], "diary.json", ReadOptions::default()).unwrap();
    for name in ["feedback.csv", "a.csv", "b.csv"] {
        loader.read_csv(&bytes[name][..], name).unwrap();
    }
    let loaded = loader.finish().unwrap().diary;
    let p = Prepared::new(&loaded).unwrap();
    let held = files(&bytes);
    let mut twice = held.clone();
    twice.hold_feedback_bytes = 0;
    for files in [held, twice] {
        let want = p.report(&ReportOptions::default()).unwrap();
        let got = files.report(&ReportOptions::default()).unwrap();
        assert_same(&got.result, &want, "report");
        let want = p.follow_ups(&FollowUpOptions::default()).unwrap();
        assert!(want.follow_ups.iter().any(|f| f.closed_by.is_some()));
        let got = files.follow_ups(&FollowUpOptions::default()).unwrap();
        assert_same(&got.result, &want, "follow-ups");
        let options = PeopleOptions::default();
        assert_same(
            &files.people(&options).unwrap().result,
            &p.people(&options).unwrap(),
            "people",
        );
    }
}
