//! A streamed report that reads its feedback files twice
//! ([`Loader::read_feedback_twice`]) gives the in-memory report, skips and
//! refuses what the in-memory reading skips and refuses, and notices a file
//! that changed in between.

use super::stream::StreamReport;
use super::stream::tests::{report_cases, same};
use crate::analysis::report::Report;
use crate::engine::{Prepared, ReportOptions};
use crate::input::read::{FeedbackFile, Loader, ReadOptions};
use crate::model::*;
use crate::validate::Mode;

/// A feedback file read from `first`, then from `then` (the same bytes
/// unless the test changes the file between the readings).
fn file(name: &str, first: Vec<u8>, then: Vec<u8>) -> FeedbackFile {
    let mut opened = 0;
    FeedbackFile {
        name: name.to_owned(),
        size: Some(first.len() as u64),
        open: Box::new(move || {
            opened += 1;
            let bytes = if opened == 1 { &first } else { &then };
            Ok(Box::new(std::io::Cursor::new(bytes.clone())) as Box<dyn std::io::Read + Send>)
        }),
    }
}

/// The sample's definitions (with its follow-up records), its feedback as
/// two CSV files, and its interactions as CSV.
fn parts(
    rows: usize,
    change: impl FnOnce(&mut Vec<Feedback>, &Diary),
) -> (Diary, [Vec<u8>; 2], Vec<u8>) {
    let mut defs = crate::sample::diary(rows);
    let interactions =
        crate::input::csv::write_interactions(Vec::new(), &defs.interactions).unwrap();
    let mut feedback = std::mem::take(&mut defs.feedback);
    change(&mut feedback, &defs);
    defs.interactions.clear();
    let half = feedback.len() / 2;
    let a = crate::input::csv::write_feedback(Vec::new(), &feedback[..half]).unwrap();
    let b = crate::input::csv::write_feedback(Vec::new(), &feedback[half..]).unwrap();
    (defs, [a, b], interactions)
}

/// The in-memory reading of the same files, in the same order: the
/// report (or the error) and the skipped records.
fn in_memory(
    defs: &Diary,
    feedback: &[Vec<u8>; 2],
    interactions: &[u8],
    options: &ReportOptions,
    mode: Mode,
) -> crate::Result<(Report, Vec<String>)> {
    let mut loader = Loader::new(defs.clone(), ReadOptions::default().with_mode(mode))?;
    loader.read_csv(&feedback[0][..], "a.csv")?;
    loader.read_csv(&feedback[1][..], "b.csv")?;
    loader.read_csv(interactions, "interactions.csv")?;
    let loaded = loader.finish()?;
    let report = Prepared::new(&loaded.diary)?.report(options)?;
    Ok((
        report,
        loaded.skipped.iter().map(ToString::to_string).collect(),
    ))
}

fn streamed(
    defs: &Diary,
    feedback: [FeedbackFile; 2],
    interactions: &[u8],
    options: &ReportOptions,
    mode: Mode,
) -> crate::Result<(Report, Vec<String>)> {
    let mut loader = Loader::new(defs.clone(), ReadOptions::default().with_mode(mode))?;
    for f in feedback {
        loader.read_feedback_twice(f)?;
    }
    let mut stream = StreamReport::new(loader, options)?;
    stream.read_csv(interactions, "interactions.csv")?;
    let done = stream.finish()?;
    let skipped = done.skipped.iter().map(ToString::to_string).collect();
    Ok((done.result, skipped))
}

fn twice(feedback: &[Vec<u8>; 2]) -> [FeedbackFile; 2] {
    [
        file("a.csv", feedback[0].clone(), feedback[0].clone()),
        file("b.csv", feedback[1].clone(), feedback[1].clone()),
    ]
}

fn assert_same(got: &Report, want: &Report) {
    let (got, want) = (
        serde_json::to_value(got).unwrap(),
        serde_json::to_value(want).unwrap(),
    );
    if let Err(e) = same(&got, &want, "report") {
        panic!("{e}");
    }
}

#[test]
#[cfg_attr(
    not(feature = "trend"),
    ignore = "asks for trends (core feature `trend`)"
)]
fn reports_read_twice_equal_in_memory_ones() {
    let (defs, feedback, interactions) = parts(2500, |_, _| {});
    assert!(!defs.follow_ups.is_empty(), "the sample checks follow-ups");
    for options in report_cases() {
        let (want, _) = in_memory(&defs, &feedback, &interactions, &options, Mode::Strict).unwrap();
        let (got, skipped) = streamed(
            &defs,
            twice(&feedback),
            &interactions,
            &options,
            Mode::Strict,
        )
        .unwrap();
        assert!(skipped.is_empty());
        assert_same(&got, &want);
    }
}

#[test]
fn interactions_read_into_the_loader_after_it_are_not_taken_for_its_rows() {
    // Some interactions read by the loader (then scored first), the rest
    // streamed: the feedback's second reading is unchanged by them.
    let (defs, feedback, interactions) = parts(1200, |_, _| {});
    let options = ReportOptions::default();
    let (want, _) = in_memory(&defs, &feedback, &interactions, &options, Mode::Lenient).unwrap();
    let text = String::from_utf8(interactions).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let first = lines[..400].join("\n") + "\n";
    let rest = format!("{}\n{}\n", lines[0], lines[400..].join("\n"));
    let lenient = ReadOptions::default().with_mode(Mode::Lenient);
    let mut loader = Loader::new(defs.clone(), lenient).unwrap();
    for f in twice(&feedback) {
        loader.read_feedback_twice(f).unwrap();
    }
    loader.read_csv(first.as_bytes(), "first.csv").unwrap();
    let mut stream = StreamReport::new(loader, &options).unwrap();
    stream.read_csv(rest.as_bytes(), "rest.csv").unwrap();
    let got = stream.finish().unwrap();
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    assert_same(&got.result, &want);
}

#[test]
#[cfg_attr(
    not(feature = "trend"),
    ignore = "asks for trends (core feature `trend`)"
)]
fn broken_links_and_bad_rows_are_skipped_and_refused_as_in_memory() {
    // Two records name interactions no file has (one of them the latest
    // feedback, which must not set the report instant; a follow-up record
    // names it too), one names an interaction at another stage, one has a
    // score out of range.
    let (defs, feedback, interactions) = parts(2500, |f, d| {
        f[3].interaction = Some(InteractionId::from("nowhere"));
        let last = f.len() - 1;
        f[last].interaction = Some(InteractionId::from("nowhere-either"));
        f[last].at += chrono::Duration::days(400);
        let linked = f[..last]
            .iter()
            .rposition(|x| x.interaction.is_some() && x.stage.is_none());
        let k = linked.unwrap();
        let named = f[k].interaction.clone().unwrap();
        let i = d.interactions.iter().find(|i| i.id == named).unwrap();
        let other = d.stages.iter().find(|s| s.id != i.stage).unwrap();
        f[k].stage = Some(other.id.clone());
        f[k].touchpoint = None;
        let scored = f
            .iter()
            .rposition(|x| x.kind == FeedbackKind::Nps && x.score.is_some());
        f[scored.unwrap()].score = Some(11.0);
    });
    let options = ReportOptions {
        trend: true,
        ..ReportOptions::default()
    };
    let (want, expected) =
        in_memory(&defs, &feedback, &interactions, &options, Mode::Lenient).unwrap();
    let (got, skipped) = streamed(
        &defs,
        twice(&feedback),
        &interactions,
        &options,
        Mode::Lenient,
    )
    .unwrap();
    assert_eq!(skipped, expected);
    assert_eq!(skipped.len(), 5, "{skipped:?}");
    assert!(
        skipped
            .iter()
            .any(|e| e.contains("the stage of interaction")),
        "{skipped:?}"
    );
    assert_same(&got, &want);

    // Strict: the first error, named by its file and line (the row out of
    // range, met first in both: at the first reading).
    let got = strict_error(&defs, &feedback, &interactions, &options);
    assert!(got.contains(".csv") && got.contains("line"), "{got}");
}

/// The strict error of the streamed report reading `feedback` twice, once
/// checked equal to the in-memory reading's.
fn strict_error(
    defs: &Diary,
    feedback: &[Vec<u8>; 2],
    interactions: &[u8],
    options: &ReportOptions,
) -> String {
    let want = in_memory(defs, feedback, interactions, options, Mode::Strict).unwrap_err();
    let got = streamed(defs, twice(feedback), interactions, options, Mode::Strict).unwrap_err();
    assert_eq!(got.to_string(), want.to_string());
    got.to_string()
}

#[test]
fn a_strict_broken_link_names_its_file_line_and_interaction() {
    let (defs, feedback, interactions) = parts(800, |f, _| {
        let last = f.len() - 1;
        f[last].interaction = Some(InteractionId::from("nowhere"));
    });
    let got = strict_error(&defs, &feedback, &interactions, &ReportOptions::default());
    assert!(got.contains("b.csv") && got.contains("nowhere"), "{got}");
}

#[test]
fn a_file_that_changed_between_the_readings_is_an_error() {
    let (defs, feedback, interactions) = parts(800, |_, _| {});
    let options = ReportOptions::default();
    // A record dropped, a score changed, a record added.
    let text = String::from_utf8(feedback[1].clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let dropped = lines[..lines.len() - 1].join("\n") + "\n";
    let changed = text.replacen(",nps,9,", ",nps,8,", 1);
    assert_ne!(changed, text, "the sample has a 9");
    let added = format!(
        "{text}{}\n",
        lines[lines.len() - 1].replacen("f-", "f-x", 1)
    );
    for then in [dropped, changed, added] {
        let files = [
            file("a.csv", feedback[0].clone(), feedback[0].clone()),
            file("b.csv", feedback[1].clone(), then.into_bytes()),
        ];
        let e = streamed(&defs, files, &interactions, &options, Mode::Strict).unwrap_err();
        assert!(e.to_string().contains("changed"), "{e}");
    }
}

#[test]
fn misuse_is_refused_with_a_clear_error() {
    let (defs, feedback, interactions) = parts(300, |_, _| {});
    // A file of interactions given as feedback.
    let mut loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
    let e = loader
        .read_feedback_twice(file("i.csv", interactions.clone(), interactions.clone()))
        .unwrap_err();
    assert!(e.to_string().contains("i.csv holds interactions"), "{e}");
    // An in-memory finish of feedback meant to be read twice.
    let mut loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
    let [a, _] = twice(&feedback);
    loader.read_feedback_twice(a).unwrap();
    let e = loader.finish().unwrap_err();
    assert!(e.to_string().contains("a.csv"), "{e}");
    // Follow-up records after it (they are checked as it is read).
    let mut loader = Loader::new(defs.clone(), ReadOptions::default()).unwrap();
    let [a, _] = twice(&feedback);
    loader.read_feedback_twice(a).unwrap();
    let record = crate::model::Record::FollowUp(defs.follow_ups[0].clone());
    let e = loader
        .push(record, crate::Location::file("more.jsonl"))
        .unwrap_err();
    assert!(
        e.to_string().contains("follow-up records are read before"),
        "{e}"
    );
    // A file that cannot be opened the second time (no follow-up records
    // name the other file's feedback).
    let defs = Diary {
        follow_ups: Vec::new(),
        ..defs
    };
    let mut loader = Loader::new(defs, ReadOptions::default()).unwrap();
    let mut opened = 0;
    let bytes = feedback[0].clone();
    loader
        .read_feedback_twice(FeedbackFile {
            name: "gone.csv".into(),
            size: None,
            open: Box::new(move || {
                opened += 1;
                if opened > 1 {
                    return Err(crate::error::Error::Io {
                        at: crate::error::Location::file("gone.csv"),
                        source: std::io::Error::new(std::io::ErrorKind::NotFound, "gone"),
                    });
                }
                Ok(Box::new(std::io::Cursor::new(bytes.clone())) as Box<dyn std::io::Read + Send>)
            }),
        })
        .unwrap();
    let mut stream = StreamReport::new(loader, &ReportOptions::default()).unwrap();
    stream
        .read_csv(&interactions[..], "interactions.csv")
        .unwrap();
    let e = stream.finish().unwrap_err();
    assert!(e.to_string().contains("gone.csv"), "{e}");
}
