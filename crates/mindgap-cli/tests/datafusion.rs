//! `mindgap report --engine datafusion` end to end, with the `datafusion`
//! feature: the sample as CSV and as Parquet files, each expectation's gap
//! equal to `mindgap report --format json`.
//!
//! `cargo test -p mindgap-cli --features datafusion --test datafusion`

#![cfg(feature = "datafusion")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn mindgap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The interactions CSV written as Parquet files (8 of them) in `dir`.
fn parquet(csv: &Path, dir: &Path) {
    use mindgap_datafusion::datafusion::dataframe::DataFrameWriteOptions;
    use mindgap_datafusion::datafusion::prelude::{SessionConfig, SessionContext};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(8));
        mindgap_datafusion::register_csv(&ctx, "t", csv.to_str().unwrap())
            .await
            .unwrap();
        let df = ctx.table("t").await.unwrap().repartition(
            mindgap_datafusion::datafusion::logical_expr::Partitioning::RoundRobinBatch(8),
        );
        df.unwrap()
            .write_parquet(
                &format!("{}/", dir.display()),
                DataFrameWriteOptions::new(),
                None,
            )
            .await
            .unwrap();
    });
}

fn same(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (p, q) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((p - q).abs() <= 1e-9, "{path}: {p} != {q}");
        }
        (Value::Object(x), Value::Object(y)) => {
            assert!(x.keys().eq(y.keys()), "{path}: keys differ");
            x.iter()
                .for_each(|(k, v)| same(v, &y[k], &format!("{path}.{k}")));
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

#[test]
fn csv_and_parquet_through_datafusion_give_the_report_figures() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = mindgap(&["sample", "--out", d.to_str().unwrap(), "--rows", "3000"]);
    assert!(out.status.success());
    let diary = d.join("diary.json");
    let csv = d.join("interactions.csv");
    let report = json(&mindgap(&[
        "report",
        "--diary",
        diary.to_str().unwrap(),
        "--interactions",
        csv.to_str().unwrap(),
        "--as-of",
        "2026-10-20T12:00:00+03:00",
        "--format",
        "json",
    ]));
    let pq = d.join("pq");
    parquet(&csv, &pq);
    let glob = format!("{}/*.parquet", pq.display());
    for (input, partitions) in [(csv.to_str().unwrap(), "1"), (glob.as_str(), "8")] {
        let gap = json(&mindgap(&[
            "report",
            "--diary",
            diary.to_str().unwrap(),
            "--interactions",
            input,
            "--engine",
            "datafusion",
            "--partitions",
            partitions,
            "--as-of",
            "2026-10-20T12:00:00+03:00",
            "--format",
            "json",
        ]));
        assert_eq!(gap["schema"], "mindgap/gap/1");
        let mut compared = 0;
        for stage in gap["stages"].as_array().unwrap() {
            for e in stage["expectations"].as_array().unwrap() {
                let theirs = report["expectations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["id"] == e["id"])
                    .unwrap();
                same(&e["gap"], &theirs["gap"], e["id"].as_str().unwrap());
                compared += 1;
            }
        }
        assert!(compared >= 4, "{input}: {compared}");
    }
    // Without the engine's format: refused, saying why.
    let out = mindgap(&[
        "report",
        "--diary",
        diary.to_str().unwrap(),
        "--interactions",
        csv.to_str().unwrap(),
        "--engine",
        "datafusion",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format json"));
}
