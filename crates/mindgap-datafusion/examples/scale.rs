//! Times `SELECT stage, mindgap_gap(…) … GROUP BY stage` over generated
//! interactions (the built-in sample, CSV in 8 files) on 1, 2, 4 and 8
//! partitions, after checking each run gives the same figures.
//!
//! `cargo run --release -p mindgap-datafusion --example scale -- [rows] [runs]`

use std::time::Instant;

use datafusion::arrow::array::AsArray;
use datafusion::prelude::{SessionConfig, SessionContext};
use mindgap::{ReadOptions, ReportOptions};
use mindgap_datafusion::{GapFunctions, gap_query, register_csv};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let dir = tempfile::tempdir()?;
    let diary = mindgap::sample::diary(rows);
    for (k, chunk) in diary
        .interactions
        .chunks(rows.div_ceil(8).max(1))
        .enumerate()
    {
        let file = std::fs::File::create(dir.path().join(format!("part-{k:02}.csv")))?;
        mindgap::write_interactions(std::io::BufWriter::new(file), chunk)?;
    }
    drop(diary);
    let options = ReportOptions::default().with_as_of(mindgap::sample::as_of());
    let functions = GapFunctions::new(
        &mindgap::sample::definitions(),
        &options,
        &ReadOptions::default(),
    )?;
    let mut first: Option<Vec<String>> = None;
    println!("| partitions | median of {runs} runs (s) | runs (s) |");
    println!("|---:|---:|---|");
    for partitions in [1usize, 2, 4, 8] {
        let ctx = SessionContext::new_with_config(
            SessionConfig::new().with_target_partitions(partitions),
        );
        functions.register(&ctx);
        register_csv(&ctx, "interactions", &format!("{}/", dir.path().display())).await?;
        let sql = gap_query(&ctx, "interactions", &["stage"]).await?;
        let mut times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let batches = ctx.sql(&sql).await?.collect().await?;
            times.push(start.elapsed().as_secs_f64());
            let mut figures: Vec<String> = Vec::new();
            for b in &batches {
                let gap = b.column(1).as_struct();
                if let Some(f) = gap.column_by_name("figures") {
                    figures.extend(f.as_string::<i32>().iter().flatten().map(str::to_owned));
                }
            }
            match &first {
                Some(f) if *f != figures => return Err("figures differ between runs".into()),
                Some(_) => {}
                None => first = Some(figures),
            }
        }
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0.0);
        let list: Vec<String> = times.iter().map(|t| format!("{t:.2}")).collect();
        println!("| {partitions} | {median:.2} | {} |", list.join(", "));
    }
    Ok(())
}
