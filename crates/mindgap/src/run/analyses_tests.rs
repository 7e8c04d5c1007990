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
    let files = files(&bytes);
    for filters in filters() {
        let options = PeopleOptions::default()
            .with_filters(filters.clone())
            .with_by(PeopleBy::Team);
        assert_same(
            &files.people(&options).unwrap().result,
            &p.people(&options).unwrap(),
            "people",
        );
        let options = DrillOptions::default()
            .with_filters(filters)
            .with_class(Pick::Missed)
            .with_limit(25);
        assert_same(
            &files.drill(&options).unwrap().result,
            &p.drill(&options).unwrap(),
            "drill",
        );
    }
}

#[test]
fn lenient_files_skip_the_same_records_once() {
    let (mut bytes, _) = sample(2_000);
    // A broken row in the second file: skipped (and listed) once, though
    // the file is read twice.
    let b = bytes.get_mut("b.csv").unwrap();
    let header_end = b.iter().position(|&c| c == b'\n').unwrap() + 1;
    let mut broken = b[..header_end].to_vec();
    broken.extend_from_slice(b"x-1,not a time,email,service\n");
    broken.extend_from_slice(&b[header_end..]);
    *b = broken;
    let lenient = files(&bytes).with_read(ReadOptions::default().with_mode(Mode::Lenient));
    let got = lenient.follow_ups(&FollowUpOptions::default()).unwrap();
    assert_eq!(got.skipped.len(), 1, "{:?}", got.skipped);
    assert!(
        got.skipped[0].to_string().contains("b.csv"),
        "{}",
        got.skipped[0]
    );
    // Strict reading stops at it, naming it.
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
        }
    }
    assert!(found.0 > 50 && found.1 > 5, "{found:?}");
}
