//! [`error_path`] against `serde_path_to_error`, the dependency it replaced
//! (kept as a dev-dependency for this test only): broken diaries, JSON Lines
//! records and options, each read as the real types with the shapes the
//! reader passes, must give the same path, so that every error message stays
//! byte for byte what it was.
//!
//! The inputs are the sample diary, its records as JSON Lines and the default
//! options, changed by proptest: values replaced by values of other types or
//! by bad timestamps, durations, zones and names; members deleted, added
//! (unknown, with escapes in the key), duplicated, renamed or moved last;
//! array items deleted or added; then laid out compact, spaced or pretty,
//! and sometimes cut short or given a stray, missing or doubled byte.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::Deserialize;

use super::*;
#[cfg(feature = "analyses")]
use crate::analysis::drill::{DrillOptions, PeopleOptions, ProblemOptions};
#[cfg(feature = "analyses")]
use crate::analysis::followup::FollowUpOptions;
#[cfg(feature = "analyses")]
use crate::analysis::trend::TrendOptions;
use crate::engine::ReportOptions;
use crate::input::read::{EXPECTATION, OBSERVATION, RawDiary, SCHEMA_ONLY, SchemaOnly};
use crate::model::Record;
use crate::model::{Expectation, Feedback, FollowUpRecord, Interaction, Observation};

/// The path `serde_path_to_error` gives for `text` read as `T`, and ours;
/// `None` when `T` reads it.
fn both<'a, T: Deserialize<'a>>(text: &'a str, shape: &Shape) -> Option<Compared> {
    let mut de = serde_json::Deserializer::from_str(text);
    let tracked = serde_path_to_error::deserialize::<_, T>(&mut de);
    let mut de = serde_json::Deserializer::from_str(text);
    let plain = T::deserialize(&mut de);
    match (tracked, plain) {
        // Read, but text follows: `from_json_text` reports that at no path.
        (Ok(_), Ok(_)) => de.end().err().map(|e| Compared {
            expected: String::new(),
            got: String::new(),
            error: e.to_string(),
            at: 0,
        }),
        (Err(e), Err(p)) => {
            // Tracking does not change the error, only adds its path.
            assert_eq!(e.inner().to_string(), p.to_string(), "{text}");
            Some(Compared {
                expected: e.path().to_string(),
                got: error_path(text, &p, shape),
                error: p.to_string(),
                at: offset(text.as_bytes(), p.line(), p.column()),
            })
        }
        _ => panic!("tracking changed the outcome of {text}"),
    }
}

/// One error, with the path each way.
struct Compared {
    expected: String,
    got: String,
    error: String,
    at: usize,
}

#[derive(Default)]
struct Tally {
    cases: usize,
    errors: usize,
    /// Errors compared, by what was read and the kind of error.
    by: std::collections::BTreeMap<String, usize>,
    mismatches: Vec<String>,
}

impl Tally {
    fn add(&mut self, text: &str, what: &str, result: Option<Compared>) -> bool {
        let Some(c) = result else {
            return false;
        };
        self.errors += 1;
        let message = c.error.split(" at line ").next().unwrap_or("");
        let kind = message.split(['`', '"', ':']).next().unwrap_or("").trim();
        *self.by.entry(format!("{what}: {kind}")).or_default() += 1;
        if c.expected != c.got && self.mismatches.len() < 20 {
            // The text around the error, marked where serde_json saw it.
            let from = text.floor_char_boundary(c.at.saturating_sub(150));
            let to = text.ceil_char_boundary((c.at + 40).min(text.len()));
            let at = text.floor_char_boundary(c.at);
            self.mismatches.push(format!(
                "{what}: expected {:?}, got {:?} for {}:\n…{}⟦HERE⟧{}…",
                c.expected,
                c.got,
                c.error,
                &text[from..at],
                &text[at..to]
            ));
        }
        true
    }
}

/// Reads a diary the way [`crate::input::read::Loader::from_json`] does.
fn diary(text: &str, tally: &mut Tally) {
    if tally.add(text, "head", both::<SchemaOnly>(text, &SCHEMA_ONLY))
        || tally.add(text, "diary", both::<RawDiary<'_>>(text, &Shape::PLAIN))
    {
        return;
    }
    let raw: RawDiary<'_> = serde_json::from_str(text).unwrap();
    for item in &raw.expectations {
        let t = item.get();
        tally.add(t, "expectation", both::<Expectation>(t, &EXPECTATION));
    }
    for item in &raw.interactions {
        let t = item.get();
        tally.add(t, "interaction", both::<Interaction>(t, &Shape::PLAIN));
    }
    for item in &raw.feedback {
        let t = item.get();
        tally.add(t, "feedback", both::<Feedback>(t, &Shape::PLAIN));
    }
    for item in &raw.observations {
        let t = item.get();
        tally.add(t, "observation", both::<Observation>(t, &OBSERVATION));
    }
    for item in &raw.follow_ups {
        let t = item.get();
        tally.add(t, "follow-up", both::<FollowUpRecord>(t, &Shape::PLAIN));
    }
}

fn options_error<T: serde::de::DeserializeOwned>(text: &str) -> Option<Compared> {
    both::<T>(text, &Shape::owned::<T>())
}

/// Reads options the way [`crate::api::options`] does.
#[cfg(feature = "analyses")]
fn options(which: usize, text: &str, tally: &mut Tally) {
    let result = match which {
        0 => options_error::<ReportOptions>(text),
        1 => options_error::<TrendOptions>(text),
        2 => options_error::<FollowUpOptions>(text),
        3 => options_error::<DrillOptions>(text),
        4 => options_error::<PeopleOptions>(text),
        _ => options_error::<ProblemOptions>(text),
    };
    tally.add(text, "options", result);
}

/// JSON with the order of object members kept (serde_json's `Value` sorts
/// them), so that members can be moved and the last one matters.
#[derive(Debug, Clone, PartialEq)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = J;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<J, E> {
                Ok(J::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<J, E> {
                Ok(J::Bool(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<J, E> {
                Ok(J::Num(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<J, E> {
                Ok(J::Num(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<J, E> {
                Ok(J::Num(serde_json::to_string(&v).unwrap()))
            }
            fn visit_str<E>(self, v: &str) -> Result<J, E> {
                Ok(J::Str(v.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(J::Arr(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = a.next_entry()? {
                    members.push(member);
                }
                Ok(J::Obj(members))
            }
        }
        d.deserialize_any(V)
    }
}

impl J {
    fn parse(text: &str) -> J {
        serde_json::from_str(text).unwrap()
    }

    /// Writes compact (0), spaced like the fixtures (1) or pretty (2).
    fn write(&self, out: &mut String, layout: u8, depth: usize) {
        let (comma, colon) = match layout {
            0 => (",", ":"),
            _ => (", ", ": "),
        };
        let newline = |out: &mut String, depth: usize| {
            if layout == 2 {
                out.push('\n');
                out.push_str(&"  ".repeat(depth));
            }
        };
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => out.push_str(&serde_json::to_string(s).unwrap()),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(if layout == 2 { "," } else { comma });
                    }
                    newline(out, depth + 1);
                    item.write(out, layout, depth + 1);
                }
                if !items.is_empty() {
                    newline(out, depth);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(if layout == 2 { "," } else { comma });
                    }
                    newline(out, depth + 1);
                    out.push_str(&serde_json::to_string(k).unwrap());
                    out.push_str(colon);
                    v.write(out, layout, depth + 1);
                }
                if !members.is_empty() {
                    newline(out, depth);
                }
                out.push('}');
            }
        }
    }

    /// Every node, in pre-order, as the child indices that lead to it.
    fn nodes(&self, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        out.push(at.clone());
        let children: Vec<&J> = match self {
            J::Arr(items) => items.iter().collect(),
            J::Obj(members) => members.iter().map(|(_, v)| v).collect(),
            _ => Vec::new(),
        };
        for (i, child) in children.into_iter().enumerate() {
            at.push(i);
            child.nodes(at, out);
            at.pop();
        }
    }

    fn at(&mut self, path: &[usize]) -> &mut J {
        match path.split_first() {
            None => self,
            Some((&i, rest)) => match self {
                J::Arr(items) => items[i].at(rest),
                J::Obj(members) => members[i].1.at(rest),
                _ => unreachable!(),
            },
        }
    }
}

/// Values of every type, and strings that the model's own parsers reject.
const VALUES: &[&str] = &[
    "null",
    "true",
    "0",
    "-3",
    "2.5",
    "1e400",
    "18446744073709551616",
    r#""""#,
    r#""x""#,
    r#""a\"]}[{,:\\""#,
    r#""yesterday""#,
    r#""2026-13-01T10:00:00+03:00""#,
    r#""2026-01-05T10:00:00""#,
    r#""P1M""#,
    r#""1 day""#,
    r#""Mars/Olympus_Mons""#,
    r#""nps""#,
    r#""complaint""#,
    r#""09:00-08:00""#,
    "[]",
    "[1]",
    r#"["x", 2]"#,
    "{}",
    r#"{"a": 1}"#,
    r#"{"kind": "rating"}"#,
    r#"{"kind": "flag", "desired": 3}"#,
    r#"{"kind": "first_response", "desired": "P1D"}"#,
    r#"{"nps": null}"#,
];

/// Keys to add or rename to: unknown ones, with escapes, and known ones.
const KEYS: &[&str] = &[
    "x",
    "importnace",
    "a\"b",
    "a.b[0]",
    "\u{e9}t\u{e9}",
    "tab\there",
    "\u{1f600}",
    "id",
    "kind",
    "type",
    "metric",
    "at",
    "schema",
];

/// One change to the tree: what, at which node, with which value or key.
type Edit = (u8, u32, u32);
/// One change to the text: what, where, which byte.
type Break = (u8, u32, u8);

fn edit(tree: &mut J, (what, node, pick): Edit) {
    let mut nodes = Vec::new();
    tree.nodes(&mut Vec::new(), &mut nodes);
    let path = &nodes[node as usize % nodes.len()];
    let target = tree.at(path);
    let value = || {
        let text = VALUES[pick as usize % VALUES.len()];
        // Numbers out of range are kept as written.
        serde_json::from_str(text).unwrap_or_else(|_| J::Num(text.to_owned()))
    };
    let key = || KEYS[pick as usize % KEYS.len()].to_owned();
    match (what % 8, target) {
        (1, J::Obj(m)) if !m.is_empty() => {
            m.remove(pick as usize % m.len());
        }
        (2, J::Obj(m)) => {
            let i = pick as usize % (m.len() + 1);
            m.insert(i, (key(), value()));
        }
        (3, J::Obj(m)) if !m.is_empty() => {
            let i = pick as usize % m.len();
            let copy = m[i].clone();
            m.push(copy);
        }
        (4, J::Obj(m)) if !m.is_empty() => {
            let i = pick as usize % m.len();
            let member = m.remove(i);
            m.push(member);
        }
        (5, J::Obj(m)) if !m.is_empty() => {
            let i = pick as usize % m.len();
            m[i].0 = key();
        }
        (6, J::Arr(items)) if !items.is_empty() => {
            items.remove(pick as usize % items.len());
        }
        (7, J::Arr(items)) => items.push(value()),
        (_, target) => *target = value(),
    }
}

const BYTES: &[u8] = b"{}[],:\"\\ x-.0eEu\t\n";

fn break_text(text: &str, (what, at, byte): Break) -> String {
    let mut bytes = text.as_bytes().to_vec();
    if bytes.is_empty() {
        return text.to_owned();
    }
    let i = at as usize % bytes.len();
    let b = BYTES[byte as usize % BYTES.len()];
    match what % 4 {
        0 => bytes.truncate(i),
        1 => {
            bytes.remove(i);
        }
        2 => bytes.insert(i, b),
        _ => {
            let copy = bytes[i];
            bytes.insert(i, copy);
        }
    }
    // Only ASCII is inserted, but a cut may split a character.
    String::from_utf8_lossy(&bytes).into_owned()
}

fn mutate(source: &str, edits: &[Edit], layout: u8, broken: Option<Break>) -> String {
    let mut tree = J::parse(source);
    for &e in edits {
        edit(&mut tree, e);
    }
    let mut text = String::new();
    tree.write(&mut text, layout % 3, 0);
    match broken {
        Some(b) => break_text(&text, b),
        None => text,
    }
}

fn input() -> impl Strategy<Value = (usize, Vec<Edit>, u8, Option<Break>)> {
    (
        any::<usize>(),
        prop::collection::vec((any::<u8>(), any::<u32>(), any::<u32>()), 0..3),
        any::<u8>(),
        prop::option::weighted(0.3, (any::<u8>(), any::<u32>(), any::<u8>())),
    )
}

/// Runs `cases` inputs made from `sources` through `read`; fails on the first
/// disagreements, listing them.
fn run(name: &str, sources: &[String], cases: u32, read: impl Fn(usize, &str, &mut Tally)) {
    let tally = std::cell::RefCell::new(Tally::default());
    // MINDGAP_JSONPATH_CASES=100000 for a longer hunt.
    let cases = std::env::var("MINDGAP_JSONPATH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&input(), |(source, edits, layout, broken)| {
            let which = source % sources.len();
            let text = mutate(&sources[which], &edits, layout, broken);
            let mut tally = tally.borrow_mut();
            tally.cases += 1;
            read(which, &text, &mut tally);
            Ok(())
        })
        .unwrap();
    let tally = tally.into_inner();
    eprintln!(
        "{name}: {} inputs, {} errors compared, {} disagreements",
        tally.cases,
        tally.errors,
        tally.mismatches.len()
    );
    for (kind, n) in &tally.by {
        eprintln!("  {n:5} {kind}");
    }
    assert!(
        tally.mismatches.is_empty(),
        "{}",
        tally.mismatches.join("\n\n")
    );
    assert!(tally.errors * 2 > tally.cases, "too few errors");
}

fn sample_diary() -> String {
    let mut d = crate::sample::diary(3);
    d.interactions.truncate(2);
    d.feedback.truncate(2);
    d.follow_ups.truncate(1);
    d.observations.truncate(2);
    serde_json::to_string(&d).unwrap()
}

#[test]
fn diary_paths_match_serde_path_to_error() {
    let small = include_str!("../../../../fixtures/diary-small.json").to_owned();
    run("diary", &[small, sample_diary()], 3000, |_, text, tally| {
        diary(text, tally)
    });
}

#[test]
fn record_paths_match_serde_path_to_error() {
    let mut out = Vec::new();
    crate::input::read::write_jsonl(&crate::sample::diary(60), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    // One line of each type.
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let kind = &line[..line.find(',').unwrap()];
        if !lines.iter().any(|l| l.starts_with(kind)) {
            lines.push(line.to_owned());
        }
    }
    assert_eq!(lines.len(), 5, "{lines:?}");
    run("records", &lines, 3000, |_, text, tally| {
        tally.add(text, "record", both::<Record>(text, &Shape::PLAIN));
    });
}

#[test]
#[cfg(feature = "analyses")]
fn option_paths_match_serde_path_to_error() {
    let sources = [
        crate::api::to_json(&ReportOptions::default()),
        crate::api::to_json(&TrendOptions::default()),
        crate::api::to_json(&FollowUpOptions::default()),
        crate::api::to_json(&DrillOptions::default()),
        crate::api::to_json(&PeopleOptions::default()),
        crate::api::to_json(&ProblemOptions::default()),
    ];
    run("options", &sources, 1500, options);
}

/// The cases the rules were written for, by hand.
#[test]
fn hand_picked_cases() {
    let mut tally = Tally::default();
    let exp = |t: &str| both::<Expectation>(t, &EXPECTATION);
    let head = r#""id": "e", "stage": "s""#;
    let cases = [
        // Missing in the expectation, and in its metric when it is last.
        r#"{"stage": "s", "metric": {"kind": "flag"}}"#.to_owned(),
        format!(r#"{{{head}, "metric": {{"kind": "rating", "desired": 4}}}}"#),
        format!(r#"{{{head}, "metric": {{"kind": "rating", "desired": 4}} , "importance": 1}}"#),
        // A custom parser's error, at the end of its object and not.
        format!(r#"{{{head}, "metric": {{"kind": "flag"}}, "recorded_at": "x"}}"#),
        format!(r#"{{{head}, "recorded_at": "x" , "metric": {{"kind": "flag"}}}}"#),
        format!(
            r#"{{{head}, "metric": {{"kind": "resolution", "desired": "P1M", "adequate": "P1D"}}}}"#
        ),
        // Unknown and duplicate fields, keys with escapes.
        format!(r#"{{{head}, "a\"b\u00e9\ud83d\ude00": 1}}"#),
        format!(r#"{{{head}, "id": "again"}}"#),
        // Syntax: in a key, after a key, in a string with an escape.
        format!(r#"{{{head}, "metr\q": 1}}"#),
        format!(r#"{{{head} "metric": 1}}"#),
        format!(r#"{{{head}, "description": "a\"]}}\u12"}}"#),
        format!(r#"{{{head}, "pause_statuses": ["open",]}}"#),
        format!(r#"{{{head}, "pause_statuses": ["open" "closed"]}}"#),
        format!(r#"{{{head}, "importance": 01}}"#),
        format!(r#"{{{head}, "importance": -}}"#),
    ];
    for t in &cases {
        tally.add(t, "expectation", exp(t));
    }
    let feedback = r#""id": "f", "at": "2026-01-05T10:00:00+03:00""#;
    for t in [
        // Enums written as objects.
        format!(r#"{{{feedback}, "kind": {{}}}}"#),
        format!(r#"{{{feedback}, "kind": {{"bad": null}}}}"#),
        format!(r#"{{{feedback}, "kind": {{"nps": 1}}}}"#),
        format!(r#"{{{feedback}, "kind": {{"nps": null, "x": 1}}}}"#),
        format!(r#"{{{feedback}, "kind": ["nps"]}}"#),
    ] {
        tally.add(&t, "feedback", both::<Feedback>(&t, &Shape::PLAIN));
    }
    for t in [
        r#"{"schema": "mindgap/1", "stages": [{"id": "a" "name": "b"}]}"#,
        r#"{"schema": {"a": [1, }]}}"#,
        r#"{"schema": "mindgap/1", "name": "x",}"#,
        r#"{"schema": "mindgap/1", "stages": [{"id"#,
    ] {
        tally.add(t, "head", both::<SchemaOnly>(t, &SCHEMA_ONLY));
    }
    // An object where an option's enum name belongs, broken inside: at the
    // enum (serde_json reads that object itself), not in a map.
    for t in [
        r#"{"lang": {"#,
        r#"{"lang": {"n"#,
        r#"{"lang": {0: 1}}"#,
        r#"{"lang": {"en": null"#,
        r#"{"lang": {"en": nul}}"#,
        r#"{"by": ["stage", {"#,
    ] {
        tally.add(t, "options", options_error::<ReportOptions>(t));
    }
    let mut report = String::new();
    for m in &tally.mismatches {
        writeln!(report, "{m}\n").unwrap();
    }
    assert!(tally.mismatches.is_empty(), "{report}");
    assert_eq!(tally.errors, cases.len() + 5 + 4 + 6);
}
