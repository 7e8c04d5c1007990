//! The Rust side of benches/c/bench.c: the same work, done in Rust without
//! the C boundary (the batch function the C call wraps; the core's
//! accumulator). Output: "<name> <ns per value>" lines.
//!
//! `cargo run --release -p mindgap-ffi --example bench -- [values] [rounds]`

use std::hint::black_box;
use std::time::Instant;

use mindgap_core::{Direction, Unit, Zone, ZoneAccumulator, batch};

const H: i64 = 3_600_000;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let mut x: u64 = 88_172_645_463_325_252; // xorshift64, as in bench.c
    let values: Vec<i64> = (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % (5 * H) as u64) as i64
        })
        .collect();
    let mut positions = vec![0.0f64; n];
    let Ok(zone) = Zone::new(Direction::LowerIsBetter, Unit::Milliseconds, H, 3 * H) else {
        return;
    };
    let mut best = [f64::INFINITY; 4];
    let mut sink = 0u64;
    for _ in 0..rounds {
        let t0 = Instant::now();
        sink += black_box(batch(&zone, black_box(&values), None)).missed;
        let t1 = Instant::now();
        sink += black_box(batch(&zone, black_box(&values), Some(&mut positions))).within;
        let t2 = Instant::now();
        let mut a = ZoneAccumulator::new(zone);
        for &v in black_box(&values) {
            a.add(v);
        }
        let t3 = Instant::now();
        let mut b = ZoneAccumulator::new(zone);
        for &v in black_box(&values) {
            black_box(b.add(v));
        }
        let t4 = Instant::now();
        sink += black_box(&a).counts().0 + black_box(&b).counts().0;
        for (slot, d) in best.iter_mut().zip([t1 - t0, t2 - t1, t3 - t2, t4 - t3]) {
            *slot = slot.min(d.as_nanos() as f64);
        }
    }
    let names = [
        "batch",
        "batch_positions",
        "accumulator_add_many",
        "accumulator_add_each",
    ];
    for (name, ns) in names.iter().zip(best) {
        println!("{name} {:.3}", ns / n as f64);
    }
    eprintln!("(sink {sink})");
}
