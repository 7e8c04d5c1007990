//! `mindgap report --engine datafusion`: the gap figures of interaction
//! files too big for one streamed pass (CSV or Parquet, files, directories
//! or globs) computed by DataFusion on every core, with mindgap's scoring
//! as its aggregate functions (crates/mindgap-datafusion). Built with the
//! CLI's `datafusion` feature.

use mindgap::ReportOptions;

use crate::Failure;
use crate::input::DiaryArgs;

/// Which engine computes the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// mindgap's own streaming reader (every figure, every format).
    #[default]
    Stream,
    /// DataFusion (the `datafusion` feature): the gap of the expectations
    /// measured on interactions, as JSON; CSV or Parquet interactions.
    Datafusion,
}

/// The report's figures by DataFusion, as JSON (schema `mindgap/gap/1`).
#[cfg(feature = "datafusion")]
pub fn report(
    diary: &DiaryArgs,
    options: &ReportOptions,
    partitions: Option<usize>,
) -> Result<String, Failure> {
    let (Some(path), false) = (&diary.diary, diary.sample) else {
        return Err(Failure::usage(
            "--engine datafusion reads files: give --diary and --interactions",
        ));
    };
    let [interactions] = diary.interactions.as_slice() else {
        return Err(Failure::usage(
            "--engine datafusion takes one --interactions: a file, a directory or a glob \
             ('data/*.parquet')",
        ));
    };
    if !diary.feedback.is_empty() || !diary.records.is_empty() {
        return Err(Failure::usage(
            "--engine datafusion scores interactions only: --feedback and --records are not read",
        ));
    }
    if !options.by.is_empty() || options.per.is_some() {
        return Err(Failure::usage(
            "--engine datafusion gives the figures by stage: no --by or --per",
        ));
    }
    let read = diary.read_options()?;
    let bytes =
        std::fs::read(path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    let name = path.display().to_string();
    let defs = mindgap::Loader::from_json(&bytes, &name, read.clone())?
        .finish()?
        .diary;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::input(format!("starting DataFusion: {e}")))?;
    let table = interactions.display().to_string();
    runtime
        .block_on(run(&defs, options, &read, &table, partitions))
        .map_err(|e| Failure::input(format!("--engine datafusion: {e}")))
}

#[cfg(feature = "datafusion")]
async fn run(
    defs: &mindgap::Diary,
    options: &ReportOptions,
    read: &mindgap::ReadOptions,
    path: &str,
    partitions: Option<usize>,
) -> datafusion_error::Result<String> {
    use mindgap_datafusion::datafusion::prelude::{
        ParquetReadOptions, SessionConfig, SessionContext,
    };
    use mindgap_datafusion::{GapFunctions, gap_query, latest_as_of, register_csv};
    use serde_json::{Value, json};

    let mut config = SessionConfig::new();
    if let Some(p) = partitions {
        config = config.with_target_partitions(p.max(1));
    }
    let partitions = config.target_partitions();
    let ctx = SessionContext::new_with_config(config);
    let parquet = path.ends_with(".parquet")
        || std::fs::read_dir(path).is_ok_and(|mut d| {
            d.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "parquet")))
        });
    if parquet {
        let options = ParquetReadOptions::default();
        ctx.register_parquet("interactions", path, options).await?;
    } else {
        register_csv(&ctx, "interactions", path).await?;
    }
    // The report instant: given, or the latest in the data (a first pass;
    // `mindgap_latest` does not read the instant it is made with).
    let as_of = match options.as_of {
        Some(t) => t,
        None => {
            let probe = ReportOptions::default().with_as_of(mindgap::sample::as_of());
            GapFunctions::new(defs, &probe, read)?.register(&ctx);
            latest_as_of(&ctx, "interactions", defs)
                .await?
                .unwrap_or_else(|| chrono::DateTime::UNIX_EPOCH.fixed_offset())
        }
    };
    let mut scored = options.clone();
    scored.as_of = Some(as_of);
    scored.trend = false;
    let functions = GapFunctions::new(defs, &scored, read)?;
    functions.register(&ctx);
    let sql = gap_query(&ctx, "interactions", &["stage"]).await?;
    let batches = ctx.sql(&sql).await?.collect().await?;
    let mut by_stage: Vec<(String, Value)> = Vec::new();
    for b in &batches {
        use mindgap_datafusion::datafusion::arrow::array::{Array, AsArray};
        let text = mindgap_datafusion::datafusion::arrow::datatypes::DataType::Utf8;
        let keys = mindgap_datafusion::datafusion::arrow::compute::cast(b.column(0), &text)?;
        let keys = keys.as_string::<i32>();
        let gap = b.column(1).as_struct();
        let Some(figures) = gap.column_by_name("figures") else {
            continue;
        };
        let figures = figures.as_string::<i32>();
        for r in 0..b.num_rows() {
            let figures: Value = serde_json::from_str(figures.value(r))
                .map_err(|e| datafusion_error::DataFusionError::External(Box::new(e)))?;
            let key = if keys.is_null(r) { "" } else { keys.value(r) };
            by_stage.push((key.to_owned(), figures));
        }
    }
    // Stages in journey order, each with its figures.
    let stages: Vec<Value> = defs
        .stages
        .iter()
        .filter_map(|s| {
            let (_, f) = by_stage.iter().find(|(k, _)| k == s.id.as_str())?;
            Some(json!({
                "id": s.id.as_str(),
                "rows": f["rows"],
                "gap": f["gap"],
                "expectations": f["expectations"],
            }))
        })
        .collect();
    let out = json!({
        "schema": "mindgap/gap/1",
        "engine": "datafusion",
        "diary": defs.name,
        "as_of": mindgap::text::timestamp(&as_of),
        "partitions": partitions,
        "stages": stages,
    });
    Ok(serde_json::to_string_pretty(&out).unwrap_or_default())
}

#[cfg(feature = "datafusion")]
use mindgap_datafusion::datafusion::error as datafusion_error;

/// Without the `datafusion` feature: the engine is refused, saying how to
/// get it.
#[cfg(not(feature = "datafusion"))]
pub fn report(
    _diary: &DiaryArgs,
    _options: &ReportOptions,
    _partitions: Option<usize>,
) -> Result<String, Failure> {
    Err(Failure::usage(
        "--engine datafusion: this mindgap was built without it \
         (cargo build --release -p mindgap-cli --features datafusion)",
    ))
}
