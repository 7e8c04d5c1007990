//! Business-time arithmetic over short and long spans: the cost must not grow
//! with the span in minutes (a year is ~365 cheap day steps, not 525 600).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mindgap::Calendar;

const CALENDAR: &str = r#"{"id": "support", "timezone": "Europe/Berlin",
  "hours": {"mon": ["09:00-12:00", "13:00-18:00"], "tue": ["09:00-18:00"],
            "wed": ["09:00-18:00"], "thu": ["09:00-18:00"], "fri": ["09:00-16:00"],
            "sat": ["22:00-02:00"]},
  "holidays": ["2026-01-01", "2026-04-03/2026-04-06", "2026-05-01", "2026-12-24/2026-12-26"],
  "working_days": [{"date": "2026-11-28", "hours": ["10:00-14:00"]}]}"#;

fn ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .timestamp_millis()
}

fn bench(c: &mut Criterion) {
    let cal: Calendar = serde_json::from_str(CALENDAR).unwrap();
    let bc = cal.compile(mindgap::TimeZone::UTC).unwrap();
    let start = ms("2026-02-27T14:17:00Z");
    for (name, days) in [("3d", 3), ("365d", 365)] {
        let end = start + days * 86_400_000;
        let business = bc.duration_ms(start, end);
        c.bench_function(&format!("duration_{name}"), |b| {
            b.iter(|| bc.duration_ms(black_box(start), black_box(end)))
        });
        c.bench_function(&format!("deadline_{name}"), |b| {
            b.iter(|| bc.deadline_ms(black_box(start), black_box(business)))
        });
    }
    c.bench_function("compile", |b| {
        b.iter(|| black_box(&cal).compile(mindgap::TimeZone::UTC).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
