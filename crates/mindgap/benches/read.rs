//! Reading speed: RFC 3339 timestamps, and interaction CSV rows parsed and
//! checked (the loader's two-thread pipeline with the `parallel` feature).
//!
//! `cargo bench -p mindgap --bench read`

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mindgap::parse_timestamp;
use mindgap::{Loader, ReadOptions};

fn reading(c: &mut Criterion) {
    let rows = 100_000;
    let diary = mindgap::sample::diary(rows);
    let csv = mindgap::write_interactions(Vec::new(), &diary.interactions).unwrap();
    // Every instant of the sample, as the CSV file writes it.
    let stamps: Vec<String> = (diary.interactions.iter())
        .flat_map(|i| [Some(i.opened_at), i.first_response_at, i.resolved_at])
        .flatten()
        .map(|t| t.to_rfc3339())
        .collect();
    let tz = diary.timezone;
    let mut g = c.benchmark_group("read");
    g.throughput(Throughput::Elements(stamps.len() as u64));
    g.bench_function("RFC 3339 timestamps", |b| {
        b.iter(|| {
            stamps
                .iter()
                .map(|s| parse_timestamp(s, None, tz).unwrap().timestamp())
                .sum::<i64>()
        })
    });
    let definitions = mindgap::sample::definitions();
    g.throughput(Throughput::Elements(rows as u64));
    g.sample_size(20);
    g.bench_function("100k interaction CSV rows, parsed and checked", |b| {
        b.iter(|| {
            let mut loader = Loader::new(definitions.clone(), ReadOptions::default()).unwrap();
            loader.read_csv(&csv[..], "interactions.csv").unwrap();
            loader.finish().unwrap().diary.interactions.len()
        })
    });
    g.finish();
}

criterion_group!(benches, reading);
criterion_main!(benches);
