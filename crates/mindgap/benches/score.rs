//! Scoring speed: the in-memory scoring loop over a prepared diary, and the
//! exact accumulator on its own.
//!
//! `cargo bench -p mindgap --bench score`

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mindgap::{Direction, Unit, Zone, ZoneAccumulator, figures};
use mindgap::{Prepared, ReportOptions};

fn scoring(c: &mut Criterion) {
    let rows = 1_000_000;
    let diary = mindgap::sample::diary(rows);
    let prepared = Prepared::new(&diary).unwrap();
    let options = ReportOptions::default();
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows as u64));
    g.bench_function("score 1M prepared interactions", |b| {
        b.iter(|| prepared.report(&options).unwrap())
    });
    g.finish();
    // The loop alone, by the observations it scores (pending ones included).
    let observations = prepared.score_only(&options).unwrap();
    let mut g = c.benchmark_group("scoring loop");
    g.sample_size(10);
    g.throughput(Throughput::Elements(observations));
    // A diary prepared afresh each time: a prepared diary keeps what its
    // first reading finds of the follow-ups for the next ones. Dropped
    // outside the timing (freeing it is not scoring).
    g.bench_function("observations of 1M prepared interactions", |b| {
        b.iter_batched_ref(
            || Prepared::new(&diary).unwrap(),
            |prepared| prepared.score_only(&options).unwrap(),
            BatchSize::PerIteration,
        )
    });
    // The same diary scored again (what a widget or a C handle does after
    // the first report: the follow-ups' index is found).
    g.bench_function(
        "observations of 1M prepared interactions, scored before",
        |b| b.iter(|| prepared.score_only(&options).unwrap()),
    );
    g.finish();
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.bench_function("prepare 1M interactions", |b| {
        b.iter(|| Prepared::new(&diary).unwrap().latest())
    });
    g.finish();

    let zone = Zone::new(
        Direction::LowerIsBetter,
        Unit::Milliseconds,
        3_600_000,
        10_800_000,
    )
    .unwrap();
    let values: Vec<i64> = (0..1_000_000i64).map(|i| (i * 7919) % 20_000_000).collect();
    let mut g = c.benchmark_group("accumulator");
    g.throughput(Throughput::Elements(values.len() as u64));
    g.bench_function("add 1M observations", |b| {
        b.iter_batched(
            || ZoneAccumulator::new(zone),
            |mut acc| {
                for &v in &values {
                    acc.add(v);
                }
                acc
            },
            BatchSize::LargeInput,
        )
    });
    let mut acc = ZoneAccumulator::new(zone);
    values.iter().for_each(|&v| {
        acc.add(v);
    });
    g.bench_function("figures of 1M observations", |b| {
        b.iter(|| figures(&[&acc], 0.95))
    });
    g.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
