//! The DataFusion aggregates against mindgap's own report: the sample, the
//! SLA fixture (business calendars, pauses, priorities, messages) and
//! generated rows, from CSV and Parquet, on 1 and 8 partitions, and partial
//! states serialised, shuffled and merged as a cluster would.
//!
//! Generated rows: `MINDGAP_DF_ROWS` (default 20 000; the 1M-row check runs
//! with `MINDGAP_DF_ROWS=1000000 cargo test --release -p mindgap-datafusion`).

#![allow(clippy::panic)]

use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::physical_plan::aggregates::{AggregateExec, AggregateMode};
use datafusion::physical_plan::{ExecutionPlan, collect};
use datafusion::prelude::*;
use mindgap::{Diary, ReadOptions, Report, ReportOptions};
use mindgap_datafusion::{GapFunctions, gap_query, latest_as_of, register_csv};
use serde_json::Value;

type Rows = Vec<(String, String)>;
/// Errors of DataFusion and of mindgap alike.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn fail(message: String) -> Box<dyn std::error::Error> {
    message.into()
}

/// A session with `partitions` target partitions and the functions.
fn session(functions: &GapFunctions, partitions: usize) -> SessionContext {
    let config = SessionConfig::new().with_target_partitions(partitions);
    let ctx = SessionContext::new_with_config(config);
    functions.register(&ctx);
    ctx
}

/// Splits the CSV `text` into `parts` files in `dir` (records kept whole).
fn split_csv(text: &[u8], dir: &Path, parts: usize) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut reader = csv::Reader::from_reader(text);
    let header = reader.headers().map_err(|e| fail(e.to_string()))?.clone();
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| fail(e.to_string()))?;
    let per = records.len().div_ceil(parts).max(1);
    for (k, chunk) in records.chunks(per).enumerate() {
        let mut w = csv::Writer::from_path(dir.join(format!("part-{k:02}.csv")))
            .map_err(|e| fail(e.to_string()))?;
        w.write_record(&header).map_err(|e| fail(e.to_string()))?;
        for r in chunk {
            w.write_record(r).map_err(|e| fail(e.to_string()))?;
        }
        w.flush()?;
    }
    Ok(())
}

/// The rows of `SELECT <by>, mindgap_gap(…)` as (key, figures JSON).
async fn gap_rows(ctx: &SessionContext, table: &str, by: &[&str]) -> Result<Rows> {
    let sql = gap_query(ctx, table, by).await?;
    let batches = ctx.sql(&sql).await?.collect().await?;
    Ok(rows_of(&batches, by.len()))
}

fn rows_of(batches: &[RecordBatch], keys: usize) -> Rows {
    let mut out = Vec::new();
    for b in batches {
        let gap = b.column(keys).as_struct();
        let Some(figures) = gap.column_by_name("figures") else {
            continue;
        };
        let figures = figures.as_string::<i32>();
        for r in 0..b.num_rows() {
            let key: Vec<String> = (0..keys)
                .map(|k| {
                    let text = cast(b.column(k), &DataType::Utf8).ok();
                    let c = text.as_ref().map(|t| t.as_string::<i32>());
                    match c {
                        Some(c) if !c.is_null(r) => c.value(r).to_owned(),
                        _ => String::new(),
                    }
                })
                .collect();
            out.push((key.join("/"), figures.value(r).to_owned()));
        }
    }
    out.sort();
    out
}

/// Numbers equal (integers exactly, floats to 1e-9), everything else equal.
fn same(a: &Value, b: &Value, path: &str) -> std::result::Result<(), String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let exact = x.is_f64() || y.is_f64();
            match (x.as_f64(), y.as_f64()) {
                (Some(p), Some(q)) if exact && (p - q).abs() <= 1e-9 => Ok(()),
                _ if x == y => Ok(()),
                _ => Err(format!("{path}: {x} != {y}")),
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.keys().ne(y.keys()) {
                return Err(format!("{path}: keys {:?} != {:?}", x.keys(), y.keys()));
            }
            x.iter()
                .try_for_each(|(k, v)| same(v, &y[k], &format!("{path}.{k}")))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (p, q))| same(p, q, &format!("{path}[{i}]"))),
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {a} != {b}")),
    }
}

/// Checks the rows grouped by stage against `report`: every expectation's
/// figures, and the stage's pooled gap where all its expectations are
/// measured on interactions. Returns the expectations and the stages
/// compared.
fn check_stages(rows: &Rows, report: &Report, covered: &[String]) -> (usize, usize) {
    let report = serde_json::to_value(report).unwrap_or_default();
    let (mut compared, mut stages) = (0, 0);
    for (stage, figures) in rows {
        let figures: Value = serde_json::from_str(figures).unwrap_or_default();
        let Some(list) = figures["expectations"].as_array() else {
            panic!("{stage}: no expectations in {figures}");
        };
        for e in list {
            let id = e["id"].as_str().unwrap_or_default();
            let mine = report["expectations"]
                .as_array()
                .and_then(|l| l.iter().find(|r| r["id"] == e["id"]));
            let Some(theirs) = mine else {
                panic!("{stage}: expectation {id} is not in the report");
            };
            assert_eq!(theirs["stage"], stage.as_str(), "{id}");
            if let Err(why) = same(&e["gap"], &theirs["gap"], id) {
                panic!("{why}");
            }
            compared += 1;
        }
        let Some(s) = report["stages"]
            .as_array()
            .and_then(|l| l.iter().find(|s| s["id"] == stage.as_str()))
        else {
            panic!("stage {stage} is not in the report");
        };
        let all_covered = s["expectations"]
            .as_array()
            .is_some_and(|l| l.iter().all(|e| covered.iter().any(|c| e == c.as_str())));
        if all_covered && !list.is_empty() {
            if let Err(why) = same(&figures["gap"], &s["gap"], stage) {
                panic!("stage gap: {why}");
            }
            stages += 1;
        }
    }
    (compared, stages)
}

/// Runs `by stage` over CSV and Parquet on 1 and 8 partitions; every run
/// equals the report, and all runs are the same bytes.
async fn check_everywhere(
    dir: &Path,
    csv_text: &[u8],
    defs: &Diary,
    options: &ReportOptions,
    report: &Report,
) -> Result<(usize, usize)> {
    let functions = GapFunctions::new(defs, options, &ReadOptions::default())?;
    let covered = functions.scorer().covered().to_vec();
    let mut first: Option<Rows> = None;
    let mut compared = (0, 0);
    for partitions in [1usize, 8] {
        let csv_dir = dir.join(format!("csv-{partitions}"));
        split_csv(csv_text, &csv_dir, partitions)?;
        let ctx = session(&functions, partitions);
        register_csv(&ctx, "interactions", &format!("{}/", csv_dir.display())).await?;
        let pq_dir = dir.join(format!("parquet-{partitions}"));
        ctx.table("interactions")
            .await?
            .write_parquet(
                &format!("{}/", pq_dir.display()),
                DataFrameWriteOptions::new(),
                None,
            )
            .await?;
        ctx.register_parquet(
            "interactions_pq",
            &format!("{}/", pq_dir.display()),
            ParquetReadOptions::default(),
        )
        .await?;
        for table in ["interactions", "interactions_pq"] {
            let rows = gap_rows(&ctx, table, &["stage"]).await?;
            compared = check_stages(&rows, report, &covered);
            match &first {
                Some(f) => assert_eq!(&rows, f, "{table}, {partitions} partitions"),
                None => first = Some(rows),
            }
        }
    }
    Ok(compared)
}

fn sample_options() -> ReportOptions {
    ReportOptions::default().with_as_of(mindgap::sample::as_of())
}

#[tokio::test]
async fn the_sample_by_stage_equals_the_report() -> Result<()> {
    let diary = mindgap::sample::diary(mindgap::sample::DEFAULT_ROWS);
    let text = mindgap::write_interactions(Vec::new(), &diary.interactions)?;
    let options = sample_options();
    let report = mindgap::report(&diary, &options)?;
    let dir = tempfile::tempdir()?;
    let (n, _) = check_everywhere(
        dir.path(),
        &text,
        &mindgap::sample::definitions(),
        &options,
        &report,
    )
    .await?;
    assert!(n >= 4, "{n} expectations compared");
    Ok(())
}

#[tokio::test]
async fn the_default_report_instant_is_the_latest_in_the_data() -> Result<()> {
    // `mindgap report` without --as-of: the latest instant of all records.
    let diary = mindgap::sample::diary(2000);
    let text = mindgap::write_interactions(Vec::new(), &diary.interactions)?;
    let report = mindgap::report(&diary, &ReportOptions::default())?;
    let dir = tempfile::tempdir()?;
    split_csv(&text, dir.path(), 3)?;
    // The instant from the interactions table and the diary's own records
    // (feedback, observations).
    let rest = Diary {
        interactions: Vec::new(),
        ..diary.clone()
    };
    let probe = GapFunctions::new(&rest, &sample_options(), &ReadOptions::default())?;
    let ctx = session(&probe, 4);
    register_csv(&ctx, "interactions", &format!("{}/", dir.path().display())).await?;
    let as_of = latest_as_of(&ctx, "interactions", &rest).await?;
    assert_eq!(as_of, Some(report.header.as_of));
    let Some(as_of) = as_of else { return Ok(()) };
    let functions = GapFunctions::new(
        &rest,
        &ReportOptions::default().with_as_of(as_of),
        &ReadOptions::default(),
    )?;
    let ctx = session(&functions, 4);
    register_csv(&ctx, "interactions", &format!("{}/", dir.path().display())).await?;
    let rows = gap_rows(&ctx, "interactions", &["stage"]).await?;
    let (n, _) = check_stages(&rows, &report, functions.scorer().covered());
    assert!(n >= 4);
    Ok(())
}

#[tokio::test]
async fn sla_rows_with_calendars_pauses_and_messages_equal_the_report() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sla");
    let diary_json = std::fs::read(root.join("diary.json"))?;
    let tickets = std::fs::read(root.join("tickets.csv"))?;
    let mut loader = mindgap::Loader::from_json(&diary_json, "diary.json", ReadOptions::default())?;
    loader.read_csv(tickets.as_slice(), "tickets.csv")?;
    let diary = loader.finish()?.diary;
    let as_of = mindgap::parse_timestamp("2026-11-09T11:00:00+03:00", None, diary.timezone)
        .map_err(fail)?;
    for options in [
        ReportOptions::default().with_as_of(as_of),
        // A report instant with clocks still running.
        ReportOptions::default().with_as_of(as_of - chrono::Duration::days(5)),
    ] {
        let report = mindgap::report(&diary, &options)?;
        let dir = tempfile::tempdir()?;
        let (n, stages) = check_everywhere(dir.path(), &tickets, &diary, &options, &report).await?;
        assert!(n >= 2 && stages >= 1, "{n} expectations, {stages} stages");
    }
    Ok(())
}

#[tokio::test]
async fn generated_rows_equal_the_report_by_stage_and_by_channel() -> Result<()> {
    let rows: usize = std::env::var("MINDGAP_DF_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let diary = mindgap::sample::diary(rows);
    let text = mindgap::write_interactions(Vec::new(), &diary.interactions)?;
    let options = sample_options();
    let report = mindgap::report(&diary, &options)?;
    let dir = tempfile::tempdir()?;
    let defs = mindgap::sample::definitions();
    let (n, _) = check_everywhere(dir.path(), &text, &defs, &options, &report).await?;
    assert!(n >= 4);
    // GROUP BY channel: the report's breakdown by channel, group by group.
    let by = sample_options().with_by(mindgap::Dimension::Channel);
    let breakdown = mindgap::report(&diary, &by)?;
    let functions = GapFunctions::new(&defs, &options, &ReadOptions::default())?;
    let ctx = session(&functions, 8);
    register_csv(
        &ctx,
        "interactions",
        &format!("{}/csv-8/", dir.path().display()),
    )
    .await?;
    let rows = gap_rows(&ctx, "interactions", &["channel"]).await?;
    let groups = serde_json::to_value(&breakdown.breakdowns[0].groups).unwrap_or_default();
    for (channel, figures) in &rows {
        let figures: Value = serde_json::from_str(figures).unwrap_or_default();
        let Some(g) = groups
            .as_array()
            .and_then(|l| l.iter().find(|g| g["key"] == channel.as_str()))
        else {
            panic!("channel {channel} is not in the breakdown");
        };
        for e in figures["expectations"].as_array().into_iter().flatten() {
            let theirs = g["expectations"]
                .as_array()
                .and_then(|l| l.iter().find(|r| r["id"] == e["id"]));
            let n = e["gap"]["n"].as_u64().unwrap_or(0) + e["gap"]["pending"].as_u64().unwrap_or(0);
            match theirs {
                Some(t) => {
                    if let Err(why) = same(&e["gap"], &t["gap"], channel) {
                        panic!("{why}");
                    }
                }
                // The breakdown lists an expectation once it has observations.
                None => assert_eq!(n, 0, "{channel}: {}", e["id"]),
            }
        }
    }
    Ok(())
}

/// Every `AggregateExec` in Partial mode under `plan`.
fn partial_aggregate(plan: &Arc<dyn ExecutionPlan>) -> Option<Arc<dyn ExecutionPlan>> {
    if let Some(a) = plan.downcast_ref::<AggregateExec>()
        && *a.mode() == AggregateMode::Partial
    {
        return Some(plan.clone());
    }
    plan.children().into_iter().find_map(partial_aggregate)
}

#[tokio::test]
async fn partial_states_shipped_as_arrow_ipc_and_merged_shuffled_give_one_partition() -> Result<()>
{
    let diary = mindgap::sample::diary(6000);
    let text = mindgap::write_interactions(Vec::new(), &diary.interactions)?;
    let dir = tempfile::tempdir()?;
    split_csv(&text, dir.path(), 8)?;
    let functions = GapFunctions::new(
        &mindgap::sample::definitions(),
        &sample_options(),
        &ReadOptions::default(),
    )?;
    let path = format!("{}/", dir.path().display());
    // The one-machine result: one partition.
    let one = session(&functions, 1);
    register_csv(&one, "interactions", &path).await?;
    let expected = gap_rows(&one, "interactions", &["stage"]).await?;

    // Eight partitions: the partial aggregate of each run on its own (an
    // executor each), its states written as Arrow IPC (what a shuffle
    // ships) and read back.
    // As Ballista runs it: each partition reads its own files only.
    let config = SessionConfig::new().with_target_partitions(8).set_bool(
        "datafusion.execution.enable_file_stream_work_stealing",
        false,
    );
    let ctx = SessionContext::new_with_config(config);
    functions.register(&ctx);
    register_csv(&ctx, "interactions", &path).await?;
    let sql = gap_query(&ctx, "interactions", &["stage"]).await?;
    let plan = ctx.sql(&sql).await?.create_physical_plan().await?;
    let Some(partial) = partial_aggregate(&plan) else {
        panic!("no partial aggregate in the plan");
    };
    let Some(agg) = partial.downcast_ref::<AggregateExec>() else {
        panic!("not an aggregate");
    };
    let partitions = partial.properties().output_partitioning().partition_count();
    assert!(partitions > 1, "{partitions} partitions");
    let mut shipped: Vec<Vec<u8>> = Vec::new();
    for p in 0..partitions {
        let stream = partial.execute(p, ctx.task_ctx())?;
        let batches = datafusion::physical_plan::common::collect(stream).await?;
        for b in batches.into_iter().filter(|b| b.num_rows() > 0) {
            let mut bytes = Vec::new();
            let mut w = StreamWriter::try_new(&mut bytes, &b.schema())?;
            w.write(&b)?;
            w.finish()?;
            drop(w);
            shipped.push(bytes);
        }
    }
    assert!(shipped.len() >= partitions, "{} batches", shipped.len());
    // Shuffled: every state row on its own, in a scrambled order.
    let mut states: Vec<RecordBatch> = Vec::new();
    for bytes in &shipped {
        for b in StreamReader::try_new(bytes.as_slice(), None)? {
            let b = b?;
            for r in 0..b.num_rows() {
                states.push(b.slice(r, 1));
            }
        }
    }
    let len = states.len();
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by_key(|&i| (i * 7919 + 13) % len.max(1));
    order.reverse();
    let shuffled: Vec<RecordBatch> = order.into_iter().map(|i| states[i].clone()).collect();
    let input = MemorySourceConfig::try_new_exec(&[shuffled], partial.schema(), None)?;
    let merged = AggregateExec::try_new(
        AggregateMode::Final,
        agg.group_expr().as_final(),
        agg.aggr_expr().to_vec(),
        agg.filter_expr().to_vec(),
        input,
        agg.input_schema(),
    )?;
    let batches = collect(Arc::new(merged), ctx.task_ctx()).await?;
    let got = rows_of(&batches, 1);
    assert_eq!(got, expected);
    Ok(())
}

#[tokio::test]
async fn a_bad_row_fails_the_query_naming_its_line_and_field() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("interactions.csv");
    std::fs::write(
        &file,
        "id,opened_at,channel,stage\n\
         i1,2026-01-05T10:00:00+03:00,email,service\n\
         i2,yesterday,email,service\n",
    )?;
    let functions = GapFunctions::new(
        &mindgap::sample::definitions(),
        &sample_options(),
        &ReadOptions::default(),
    )?;
    let ctx = session(&functions, 1);
    register_csv(&ctx, "interactions", &file.display().to_string()).await?;
    let sql = gap_query(&ctx, "interactions", &["stage"]).await?;
    let e = ctx.sql(&sql).await?.collect().await;
    let Err(e) = e else {
        panic!("a bad timestamp was accepted");
    };
    let text = e.to_string();
    assert!(
        text.contains("opened_at") && text.contains("yesterday"),
        "{text}"
    );
    assert!(text.contains("line 3"), "{text}");
    // And without an instant, no functions.
    let none = GapFunctions::new(
        &mindgap::sample::definitions(),
        &ReportOptions::default(),
        &ReadOptions::default(),
    );
    assert!(none.is_err_and(|e| e.to_string().contains("report instant")));
    Ok(())
}

#[cfg(feature = "proto")]
#[tokio::test]
async fn a_plan_encoded_with_the_codec_runs_where_no_diary_is_registered() -> Result<()> {
    use datafusion_proto::bytes::{
        physical_plan_from_bytes_with_extension_codec, physical_plan_to_bytes_with_extension_codec,
    };
    use mindgap_datafusion::codec::GapCodec;
    let diary = mindgap::sample::diary(3000);
    let text = mindgap::write_interactions(Vec::new(), &diary.interactions)?;
    let dir = tempfile::tempdir()?;
    split_csv(&text, dir.path(), 8)?;
    let path = format!("{}/", dir.path().display());
    let functions = GapFunctions::new(
        &mindgap::sample::definitions(),
        &sample_options(),
        &ReadOptions::default(),
    )?;
    let one = session(&functions, 1);
    register_csv(&one, "interactions", &path).await?;
    let expected = gap_rows(&one, "interactions", &["stage"]).await?;
    // The client plans on 8 partitions and ships the plan as bytes.
    let client = session(&functions, 8);
    register_csv(&client, "interactions", &path).await?;
    let sql = gap_query(&client, "interactions", &["stage"]).await?;
    let plan = client.sql(&sql).await?.create_physical_plan().await?;
    let bytes = physical_plan_to_bytes_with_extension_codec(plan, &GapCodec)?;
    // An executor with nothing of mindgap registered decodes and runs it.
    let config = SessionConfig::new().with_target_partitions(8).set_bool(
        "datafusion.execution.enable_file_stream_work_stealing",
        false,
    );
    let executor = SessionContext::new_with_config(config);
    let plan =
        physical_plan_from_bytes_with_extension_codec(&bytes, &executor.task_ctx(), &GapCodec)?;
    let batches = collect(plan, executor.task_ctx()).await?;
    assert_eq!(rows_of(&batches, 1), expected);
    // Without the codec the executor knows no such function.
    let bare = datafusion_proto::bytes::physical_plan_from_bytes(&bytes, &executor.task_ctx());
    assert!(bare.is_err());
    Ok(())
}

#[tokio::test]
async fn parquet_with_typed_timestamps_gives_the_figures_of_the_csv() -> Result<()> {
    let diary = mindgap::sample::diary(3000);
    let text = mindgap::write_interactions(Vec::new(), &diary.interactions)?;
    let dir = tempfile::tempdir()?;
    let csv_dir = dir.path().join("csv");
    split_csv(&text, &csv_dir, 4)?;
    let functions = GapFunctions::new(
        &mindgap::sample::definitions(),
        &sample_options(),
        &ReadOptions::default(),
    )?;
    let ctx = session(&functions, 4);
    register_csv(&ctx, "interactions", &format!("{}/", csv_dir.display())).await?;
    let expected = gap_rows(&ctx, "interactions", &["stage"]).await?;
    // A warehouse's Parquet: the instants as timestamps in UTC (ms), the
    // rest as text.
    let ts = |c: &str| {
        format!("arrow_cast(NULLIF({c}, ''), 'Timestamp(Millisecond, Some(\"UTC\"))') AS {c}")
    };
    let sql = format!(
        "SELECT id, {}, {}, {}, channel, stage, touchpoint, customer, employee, status, \
         category, team, segment, tags, statuses, priority, messages FROM interactions",
        ts("opened_at"),
        ts("first_response_at"),
        ts("resolved_at")
    );
    let pq_dir = dir.path().join("parquet");
    ctx.sql(&sql)
        .await?
        .write_parquet(
            &format!("{}/", pq_dir.display()),
            DataFrameWriteOptions::new(),
            None,
        )
        .await?;
    ctx.register_parquet(
        "typed",
        &format!("{}/", pq_dir.display()),
        ParquetReadOptions::default(),
    )
    .await?;
    let schema = ctx.table("typed").await?.schema().as_arrow().clone();
    let opened = schema.field_with_name("opened_at")?.data_type().clone();
    assert!(
        matches!(opened, DataType::Timestamp(_, Some(_))),
        "{opened}"
    );
    assert_eq!(gap_rows(&ctx, "typed", &["stage"]).await?, expected);
    Ok(())
}
