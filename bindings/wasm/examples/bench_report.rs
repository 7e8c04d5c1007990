//! Native timing for `benches/wasm/report.mjs`: reads a JSON diary (the
//! sample with N interactions), then makes the gap report, and prints the
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
    for _ in 0..repeats {
        let t = Instant::now();
        let journal =
            mindgap::Journal::from_json(&bytes, "diary.json", Default::default()).unwrap();
        load.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let json = journal.run("report", "").unwrap();
        report.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(json.len() > 100);
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "{{\"load_ms\": {:.3}, \"report_ms\": {:.3}, \"interactions\": {}}}",
        best(&load),
        best(&report),
        mindgap::Journal::from_json(&bytes, "diary.json", Default::default())
            .unwrap()
            .diary()
            .interactions
            .len()
    );
}
