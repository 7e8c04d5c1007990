//! Native timing for `benches/wasm/report.mjs`: reads a JSON diary (the
//! sample with N interactions), makes the gap report, adds one interaction
//! (a copy of the last one under a new id) and makes the report again (the
//! journal's accumulators: only what is new is read), then what the web
//! widget asks after an add (the weekly report, the trend, the open
//! follow-ups) once, and again after one more interaction, and prints the
//! times in ms as JSON. `cargo run --release -p mindgap-wasm --example
//! bench_report -- <diary.json> [repeats]`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: bench_report <diary.json> [repeats]");
    let repeats: usize = args.next().map_or(5, |r| r.parse().expect("repeats"));
    let bytes = std::fs::read(&path).expect("read the diary");
    let mut load = Vec::new();
    let mut report = Vec::new();
    let mut again = Vec::new();
    let mut page = Vec::new();
    let diary: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let mut added = diary["interactions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    added["id"] = "bench-added".into();
    added["type"] = "interaction".into();
    let mut second = added.clone();
    second["id"] = "bench-added-2".into();
    let added = added.to_string();
    let second = second.to_string();
    // What the web widget asks after each add.
    let widget = |journal: &mindgap::Journal| {
        let a = journal.run("report", r#"{"by": ["week"]}"#).unwrap();
        let b = journal.run("trend", "{}").unwrap();
        let c = journal.run("follow_ups", r#"{"show": "open"}"#).unwrap();
        assert!(a.len() + b.len() + c.len() > 300);
    };
    for _ in 0..repeats {
        let t = Instant::now();
        let mut journal =
            mindgap::Journal::from_json(&bytes, "diary.json", Default::default()).unwrap();
        load.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let json = journal.run("report", "").unwrap();
        report.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(json.len() > 100);
        journal.push_json(&added).unwrap();
        let t = Instant::now();
        let json = journal.run("report", "").unwrap();
        again.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(json.len() > 100);
        widget(&journal);
        journal.push_json(&second).unwrap();
        let t = Instant::now();
        widget(&journal);
        page.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "{{\"load_ms\": {:.3}, \"report_ms\": {:.3}, \"again_ms\": {:.3}, \"page_ms\": {:.3}, \"interactions\": {}}}",
        best(&load),
        best(&report),
        best(&again),
        best(&page),
        mindgap::Journal::from_json(&bytes, "diary.json", Default::default())
            .unwrap()
            .diary()
            .interactions
            .len()
    );
}
