//! The zone of tolerance on its own: classify durations against "answer in
//! 1–3 days", merge partial accumulators (from threads, shards or
//! machines) exactly, and read the figures with their intervals.
//!
//! `cargo run -p mindgap --example zone`

use mindgap::{Direction, Unit, Zone, ZoneAccumulator, figures};

fn main() -> mindgap::Result<()> {
    const DAY_MS: i64 = 86_400_000;
    let zone = Zone::new(
        Direction::LowerIsBetter,
        Unit::Milliseconds,
        DAY_MS,
        3 * DAY_MS,
    )?;
    let hours = [5, 20, 30, 50, 70, 80, 100];
    let (first, second) = hours.split_at(3);
    let mut a = ZoneAccumulator::new(zone);
    let mut b = ZoneAccumulator::new(zone);
    for h in first {
        a.add(h * 3_600_000);
    }
    for h in second {
        b.add(h * 3_600_000);
    }
    a.merge(&b)?;
    let f = figures(&[&a], 0.95);
    println!("n = {}, unit = {}", f.n, f.unit);
    if let Some(missed) = f.missed.value() {
        println!(
            "missed {:.0} % (95 % interval {:.0}–{:.0} %)",
            100.0 * missed.share,
            100.0 * missed.lower,
            100.0 * missed.upper
        );
    }
    Ok(())
}
