//! # mindgap-datafusion — the gap report as DataFusion aggregate functions
//!
//! mindgap scores every interaction against the zone of tolerance of each
//! expectation it falls under. This crate makes that scoring two
//! [DataFusion](https://datafusion.apache.org) aggregate functions, so that
//! SQL over CSV or Parquet, on any number of partitions, gives the figures
//! of mindgap's own report:
//!
//! ```sql
//! SELECT stage, mindgap_gap(id, opened_at, first_response_at, resolved_at, channel,
//!                           stage, touchpoint, customer, status, statuses, priority, messages)
//! FROM interactions GROUP BY stage
//! ```
//!
//! - `mindgap_gap(…)` returns a struct: `rows`, `n`, `pending`, the shares
//!   `exceeded`, `within`, `missed` and `zone_position` pooled over the
//!   expectations (null when there is no figure), and `figures`: the JSON of
//!   a [`mindgap::GapSummary`] — per expectation the report's
//!   [`mindgap::GapFigures`] (percentiles, means, MSA/MSS, intervals).
//! - `mindgap_latest(…)` returns the latest instant of the rows as the
//!   report counts it for its default instant (a timestamp in UTC, ms).
//!
//! # Arguments: columns named as the interactions CSV names them
//!
//! The arguments are columns, taken **by name**: each argument's column name
//! is the CSV header the core reads ([`mindgap::INTERACTION_COLUMNS`], or
//! the columns of the [`mindgap::ReadOptions`]' CSV mapping, e.g. a helpdesk
//! profile), in any order. Each batch of rows is read by the core's own CSV
//! reader (so timestamps, local times, status histories and messages read
//! exactly as `mindgap report` reads them, and a bad value is refused naming
//! its row and column) and observed as the report observes interactions.
//! Strings are taken as they are; other types are cast to text by Arrow
//! (a `Timestamp` with a zone as RFC 3339; without one as a local time in
//! the diary's zone). A column that is not a plain column reference gets
//! DataFusion's display name, which the reader does not know: rename it in
//! a subquery.
//!
//! # The report instant, and what the figures cover
//!
//! The functions are made for one diary (its expectations, calendars,
//! customers) and one report instant: [`GapFunctions::new`] needs
//! [`mindgap::ReportOptions::as_of`]. A clock still running reads at that
//! instant, so every partial state is final and small rows are never kept
//! for later. For the report's default instant (the latest in the data) run
//! `mindgap_latest` first and score at its result ([`latest_as_of`]).
//!
//! The figures cover the expectations measured on interactions: first
//! response, next response, periodic update and resolution. Ratings come
//! from feedback, follow-ups from negative feedback and contacts, flags from
//! manual observations: those stay with `mindgap report`.
//!
//! # Exact figures, exact merges
//!
//! The partial state of a group is the core's own [`mindgap::GapPartial`]:
//! per expectation one [`mindgap::ZoneAccumulator`] per record (integer
//! counts and every observed value), serialised with
//! [`mindgap::GapPartial::to_bytes`] into one `Binary` column. Merging sums
//! integers and concatenates values, so any partitioning merged in any order
//! gives the same figures, bit for bit: counts and shares, intervals, means,
//! MSA/MSS and zone positions, and the **percentiles, which are exact** (the
//! state carries every value; about 2–4 bytes a value on the wire, no
//! sketch). The crate's tests compare them with the report on the sample and
//! on generated rows, over 1 and 8 partitions, from CSV and Parquet, and
//! merge partial states serialised through Arrow IPC in shuffled order.
//!
//! ```no_run
//! # async fn run() -> datafusion::error::Result<()> {
//! use datafusion::prelude::*;
//! let defs = mindgap::sample::definitions();
//! let options = mindgap::ReportOptions::default().with_as_of(mindgap::sample::as_of());
//! let ctx = SessionContext::new();
//! mindgap_datafusion::GapFunctions::new(&defs, &options, &Default::default())?.register(&ctx);
//! mindgap_datafusion::register_csv(&ctx, "interactions", "data/interactions.csv").await?;
//! let sql = mindgap_datafusion::gap_query(&ctx, "interactions", &["stage"]).await?;
//! ctx.sql(&sql).await?.show().await?;
//! # Ok(()) }
//! ```

/// The DataFusion this crate is built with (its types in the API).
pub use datafusion;

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, BinaryArray, Float64Array, StringArray, StructArray, UInt64Array,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields, Schema, TimeUnit};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;
use mindgap::{Diary, GapPartial, GapScorer, Interaction, ReadOptions, ReportOptions};

/// The name of the gap function.
pub const GAP: &str = "mindgap_gap";
/// The name of the latest-instant function.
pub const LATEST: &str = "mindgap_latest";

/// A mindgap error as a DataFusion error (its message names the record,
/// line and field).
fn external(e: mindgap::Error) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

/// The two aggregate functions of one diary and report options.
///
/// Register them on a [`SessionContext`] with [`GapFunctions::register`],
/// or take them as [`AggregateUDF`]s ([`GapFunctions::udafs`]) for any
/// function registry — a Ballista executor's included (see the README).
#[derive(Debug, Clone)]
pub struct GapFunctions {
    shared: Arc<Shared>,
}

/// What every accumulator of the functions reads.
#[derive(Debug)]
struct Shared {
    scorer: GapScorer,
    read: ReadOptions,
}

impl GapFunctions {
    /// The functions for `diary`'s expectations (its records are not read)
    /// at `options` (`as_of` required: see the crate docs), reading rows
    /// with `read` (strict or lenient, a CSV column mapping).
    pub fn new(diary: &Diary, options: &ReportOptions, read: &ReadOptions) -> Result<GapFunctions> {
        let scorer = GapScorer::new(diary, options).map_err(external)?;
        Ok(GapFunctions {
            shared: Arc::new(Shared {
                scorer,
                read: read.clone(),
            }),
        })
    }

    /// `mindgap_gap` and `mindgap_latest`.
    pub fn udafs(&self) -> Vec<AggregateUDF> {
        [Output::Gap, Output::Latest]
            .map(|output| {
                AggregateUDF::from(GapUdf {
                    shared: self.shared.clone(),
                    output,
                    signature: Signature::variadic_any(Volatility::Immutable),
                })
            })
            .into()
    }

    /// Registers both functions on `ctx`.
    pub fn register(&self, ctx: &SessionContext) {
        for f in self.udafs() {
            ctx.register_udaf(f);
        }
    }

    /// The scorer the functions observe rows with.
    pub fn scorer(&self) -> &GapScorer {
        &self.shared.scorer
    }
}

/// Which function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Output {
    Gap,
    Latest,
}

/// One of the functions (see [`GapFunctions`]).
#[derive(Debug)]
struct GapUdf {
    shared: Arc<Shared>,
    output: Output,
    signature: Signature,
}

impl PartialEq for GapUdf {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared) && self.output == other.output
    }
}

impl Eq for GapUdf {}

impl Hash for GapUdf {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.output.hash(state);
        Arc::as_ptr(&self.shared).hash(state);
    }
}

/// The fields of `mindgap_gap`'s struct.
pub fn gap_fields() -> Fields {
    let u = |name: &str| Field::new(name, DataType::UInt64, false);
    let f = |name: &str| Field::new(name, DataType::Float64, true);
    Fields::from(vec![
        u("rows"),
        u("n"),
        u("pending"),
        f("exceeded"),
        f("within"),
        f("missed"),
        f("zone_position"),
        Field::new("figures", DataType::Utf8, false),
    ])
}

impl AggregateUDFImpl for GapUdf {
    fn name(&self) -> &str {
        match self.output {
            Output::Gap => GAP,
            Output::Latest => LATEST,
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self.output {
            Output::Gap => DataType::Struct(gap_fields()),
            Output::Latest => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        })
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let columns: Vec<String> = args.expr_fields.iter().map(|f| f.name().clone()).collect();
        if columns.is_empty() {
            return Err(DataFusionError::Plan(format!(
                "{}: give the interaction columns as arguments (id, opened_at, stage, …)",
                self.name()
            )));
        }
        Ok(Box::new(GapAccumulator {
            shared: self.shared.clone(),
            output: self.output,
            columns,
            partial: GapPartial::default(),
            values: 0,
            batches: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format_state_name(args.name, "partial"),
            DataType::Binary,
            true,
        ))])
    }
}

/// A group's partial: the core's [`GapPartial`] of the rows seen.
#[derive(Debug)]
struct GapAccumulator {
    shared: Arc<Shared>,
    output: Output,
    /// The argument columns' names: the CSV header of each batch.
    columns: Vec<String>,
    partial: GapPartial,
    /// Values held (for [`Accumulator::size`]).
    values: usize,
    /// Batches read (they name the rows in errors).
    batches: u64,
}

impl GapAccumulator {
    /// The rows of `values` as interactions, read by the core's CSV reader.
    fn interactions(&mut self, values: &[ArrayRef]) -> Result<Vec<Interaction>> {
        self.batches += 1;
        let text = csv_text(&self.columns, values)?;
        let defs = self.shared.scorer.definitions().clone();
        let mut loader = mindgap::Loader::new(defs, self.shared.read.clone()).map_err(external)?;
        let file = format!("{} rows (batch {})", self.output_name(), self.batches);
        let kind = loader.read_csv(text.as_slice(), &file).map_err(external)?;
        if kind != mindgap::CsvKind::Interactions {
            return Err(DataFusionError::Plan(format!(
                "{}: the columns {:?} are not those of interactions",
                self.output_name(),
                self.columns
            )));
        }
        Ok(loader.finish().map_err(external)?.diary.interactions)
    }

    fn output_name(&self) -> &'static str {
        match self.output {
            Output::Gap => GAP,
            Output::Latest => LATEST,
        }
    }
}

/// The rows of `values` as CSV text, headed by `columns`; nulls are empty.
fn csv_text(columns: &[String], values: &[ArrayRef]) -> Result<Vec<u8>> {
    let texts = values
        .iter()
        .zip(columns)
        .map(|(a, name)| {
            let t = cast(a, &DataType::Utf8).map_err(|e| {
                DataFusionError::Plan(format!(
                    "column {name:?} ({}) cannot be read as text: {e}",
                    a.data_type()
                ))
            })?;
            match t.as_any().downcast_ref::<StringArray>() {
                Some(s) => Ok(s.clone()),
                None => Err(DataFusionError::Internal(format!(
                    "column {name:?} cast to text is not a string array"
                ))),
            }
        })
        .collect::<Result<Vec<StringArray>>>()?;
    let rows = texts.first().map_or(0, Array::len);
    let mut w = csv::WriterBuilder::new().from_writer(Vec::with_capacity(rows * 128));
    let csv_error = |e: csv::Error| DataFusionError::Internal(format!("writing rows as CSV: {e}"));
    w.write_record(columns).map_err(csv_error)?;
    for r in 0..rows {
        w.write_record(
            texts
                .iter()
                .map(|t| if t.is_null(r) { "" } else { t.value(r) }),
        )
        .map_err(csv_error)?;
    }
    w.into_inner()
        .map_err(|e| DataFusionError::Internal(format!("writing rows as CSV: {e}")))
}

impl Accumulator for GapAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if values.first().is_none_or(|a| a.is_empty()) {
            return Ok(());
        }
        let rows = self.interactions(values)?;
        match self.output {
            Output::Gap => {
                let scorer = &self.shared.scorer;
                let before = count_values(&self.partial);
                scorer.observe(&mut self.partial, &rows).map_err(external)?;
                self.values += count_values(&self.partial) - before;
            }
            Output::Latest => {
                let latest = GapScorer::latest_of(self.shared.scorer.definitions(), &rows)
                    .map_err(external)?;
                self.partial.rows += rows.len() as u64;
                self.partial.latest = self.partial.latest.max(latest);
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(Some(self.partial.to_bytes()))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(states) = states.first() else {
            return Ok(());
        };
        let Some(bytes) = states.as_any().downcast_ref::<BinaryArray>() else {
            return Err(DataFusionError::Internal(format!(
                "{}: a partial state of type {}, not Binary",
                self.output_name(),
                states.data_type()
            )));
        };
        for b in bytes.iter().flatten() {
            let other = GapPartial::from_bytes(b).map_err(external)?;
            self.values += count_values(&other);
            self.partial.merge(&other).map_err(external)?;
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        match self.output {
            Output::Latest => Ok(ScalarValue::TimestampMillisecond(
                self.partial.latest,
                Some("UTC".into()),
            )),
            Output::Gap => {
                let summary = self.shared.scorer.summary(&self.partial);
                let json = serde_json::to_string(&summary)
                    .map_err(|e| DataFusionError::Internal(format!("figures as JSON: {e}")))?;
                let g = &summary.gap;
                let share =
                    |f: &mindgap::Figure<mindgap::stats::ShareInterval>| f.value().map(|s| s.share);
                let columns: Vec<ArrayRef> = vec![
                    Arc::new(UInt64Array::from(vec![summary.rows])),
                    Arc::new(UInt64Array::from(vec![g.n])),
                    Arc::new(UInt64Array::from(vec![g.pending])),
                    Arc::new(Float64Array::from(vec![share(&g.exceeded)])),
                    Arc::new(Float64Array::from(vec![share(&g.within)])),
                    Arc::new(Float64Array::from(vec![share(&g.missed)])),
                    Arc::new(Float64Array::from(vec![g.zone_position.value().copied()])),
                    Arc::new(StringArray::from(vec![json])),
                ];
                let array = StructArray::try_new(gap_fields(), columns, None)?;
                Ok(ScalarValue::Struct(Arc::new(array)))
            }
        }
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + self.values * std::mem::size_of::<i64>()
            + self.partial.expectations.len() * 256
    }
}

/// Values held by a partial.
fn count_values(p: &GapPartial) -> usize {
    p.expectations
        .values()
        .flatten()
        .map(|a| a.values().len())
        .sum()
}

/// Registers CSV interaction files (a file, a directory or a glob such as
/// `data/*.csv`) as `table`, every column read as text: the core reads the
/// values itself, so nothing is lost to DataFusion's type inference.
pub async fn register_csv(ctx: &SessionContext, table: &str, path: &str) -> Result<()> {
    use datafusion::prelude::CsvReadOptions;
    let header = first_header(path)?;
    let schema = Schema::new(
        header
            .iter()
            .map(|h| Field::new(h, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    );
    let options = CsvReadOptions::new()
        .schema(&schema)
        .has_header(true)
        .newlines_in_values(true);
    ctx.register_csv(table, path, options).await
}

/// The header of the first CSV file at `path` (a file or a directory).
fn first_header(path: &str) -> Result<Vec<String>> {
    let mut p = std::path::Path::new(path);
    // A glob ('data/*.csv'): the first CSV file of its directory.
    if path.contains(['*', '?', '[']) {
        p = p.parent().unwrap_or(std::path::Path::new("."));
    }
    let file = if p.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(p)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.extension().is_some_and(|x| x == "csv"))
            .collect();
        files.sort();
        files.into_iter().next().ok_or_else(|| {
            DataFusionError::Plan(format!("{path}: no .csv file in the directory"))
        })?
    } else {
        p.to_path_buf()
    };
    let mut reader = csv::Reader::from_path(&file)
        .map_err(|e| DataFusionError::Plan(format!("{}: {e}", file.display())))?;
    let header = reader
        .headers()
        .map_err(|e| DataFusionError::Plan(format!("{}: header: {e}", file.display())))?;
    Ok(header.iter().map(str::to_owned).collect())
}

/// Interaction columns no figure reads (free texts: what was asked, done
/// and the result), left out of [`gap_arguments`]: they would only be
/// moved and parsed.
pub const FREE_TEXTS: [&str; 3] = ["request", "resolution", "outcome"];

/// The column list of a call over `table`: every column of the table named
/// as the core's default interaction columns
/// ([`mindgap::INTERACTION_COLUMNS`], and custom `field:<name>` columns)
/// but the [`FREE_TEXTS`], quoted. With a CSV mapping of one's own, list
/// its columns instead.
pub async fn gap_arguments(ctx: &SessionContext, table: &str) -> Result<String> {
    let schema = ctx.table(table).await?.schema().as_arrow().clone();
    let known = mindgap::INTERACTION_COLUMNS;
    let columns: Vec<String> = schema
        .fields()
        .iter()
        .map(|f| f.name())
        .filter(|n| known.iter().any(|(k, _)| k == n) || n.starts_with("field:"))
        .filter(|n| !FREE_TEXTS.contains(&n.as_str()))
        .map(|n| format!("\"{}\"", n.replace('"', "\"\"")))
        .collect();
    if columns.is_empty() {
        return Err(DataFusionError::Plan(format!(
            "table {table} has none of the interaction columns ({})",
            known.map(|(k, _)| k).join(", ")
        )));
    }
    Ok(columns.join(", "))
}

/// `SELECT <by…>, mindgap_gap(<every interaction column>) AS gap FROM
/// table GROUP BY <by…> ORDER BY <by…>` (no grouping when `by` is empty).
pub async fn gap_query(ctx: &SessionContext, table: &str, by: &[&str]) -> Result<String> {
    let args = gap_arguments(ctx, table).await?;
    let quoted: Vec<String> = by.iter().map(|b| format!("\"{b}\"")).collect();
    Ok(if by.is_empty() {
        format!("SELECT {GAP}({args}) AS gap FROM \"{table}\"")
    } else {
        let keys = quoted.join(", ");
        format!(
            "SELECT {keys}, {GAP}({args}) AS gap FROM \"{table}\" GROUP BY {keys} ORDER BY {keys}"
        )
    })
}

/// The report's default instant over `table` and the records `diary` holds
/// itself (feedback, observations: pass the definitions alone to count only
/// the table): the latest instant, in the diary's zone, by `mindgap_latest`.
/// `None` when there is none.
pub async fn latest_as_of(
    ctx: &SessionContext,
    table: &str,
    diary: &Diary,
) -> Result<Option<mindgap::Timestamp>> {
    let args = gap_arguments(ctx, table).await?;
    let batches = ctx
        .sql(&format!("SELECT {LATEST}({args}) FROM \"{table}\""))
        .await?
        .collect()
        .await?;
    let mut latest: Option<i64> = None;
    for b in &batches {
        let col = b.column(0);
        let ts = cast(col, &DataType::Int64)?;
        if let Some(a) = ts
            .as_any()
            .downcast_ref::<datafusion::arrow::array::Int64Array>()
        {
            latest = latest.max(a.iter().flatten().max());
        }
    }
    // What a report counts of the diary's own records: feedback and
    // observations at their instants.
    let feedback = diary.feedback.iter().map(|f| f.at.timestamp_millis());
    let observations = diary.observations.iter().map(|o| o.at.timestamp_millis());
    let own = feedback.chain(observations).max();
    Ok(latest
        .max(own)
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| diary.timezone.at(&t)))
}

/// Plans that carry mindgap's functions with them (the `proto` feature):
/// a [`PhysicalExtensionCodec`](datafusion_proto::physical_plan::PhysicalExtensionCodec)
/// for `datafusion-proto`, the plan serialisation Ballista ships to its
/// executors.
///
/// Encoded, a `mindgap_gap` or `mindgap_latest` call carries what it was
/// made from — the diary's definitions, the report options (its instant
/// included) and the read options, as JSON — so an executor decodes the
/// same functions without a diary of its own: install [`codec::GapCodec`]
/// as the scheduler's and the executors' physical extension codec. Other
/// functions are left to the executor's registry. The partial states
/// themselves travel between stages as Arrow data (one `Binary` column) and
/// need no codec.
#[cfg(feature = "proto")]
pub mod codec {
    use std::sync::Arc;

    use datafusion::common::{DataFusionError, Result, not_impl_err};
    use datafusion::execution::TaskContext;
    use datafusion::logical_expr::AggregateUDF;
    use datafusion::physical_plan::ExecutionPlan;
    use datafusion_proto::physical_plan::{
        PhysicalExtensionCodec, PhysicalProtoConverterExtension,
    };
    use serde_json::{Value, json};

    use super::{GAP, GapFunctions, GapUdf, LATEST, external};

    /// The codec (see the [module](self)).
    #[derive(Debug, Default, Clone, Copy)]
    pub struct GapCodec;

    fn bad(what: String) -> DataFusionError {
        DataFusionError::Plan(format!("a mindgap function in the plan: {what}"))
    }

    impl PhysicalExtensionCodec for GapCodec {
        fn try_decode(
            &self,
            _buf: &[u8],
            _inputs: &[Arc<dyn ExecutionPlan>],
            _ctx: &TaskContext,
            _proto_converter: &dyn PhysicalProtoConverterExtension,
        ) -> Result<Arc<dyn ExecutionPlan>> {
            not_impl_err!("GapCodec decodes mindgap's functions, not plan nodes")
        }

        fn try_encode(
            &self,
            _node: Arc<dyn ExecutionPlan>,
            _buf: &mut Vec<u8>,
            _proto_converter: &dyn PhysicalProtoConverterExtension,
        ) -> Result<()> {
            not_impl_err!("GapCodec encodes mindgap's functions, not plan nodes")
        }

        /// `{"function", "diary", "options", "read"}` for mindgap's
        /// functions; nothing for others.
        fn try_encode_udaf(&self, node: &AggregateUDF, buf: &mut Vec<u8>) -> Result<()> {
            let inner: &dyn std::any::Any = node.inner().as_ref();
            let Some(f) = inner.downcast_ref::<GapUdf>() else {
                return Ok(());
            };
            let scorer = &f.shared.scorer;
            let text = json!({
                "function": node.name(),
                "diary": scorer.definitions(),
                "options": scorer.options(),
                "read": f.shared.read,
            });
            serde_json::to_writer(buf, &text).map_err(|e| bad(e.to_string()))
        }

        fn try_decode_udaf(&self, name: &str, buf: &[u8]) -> Result<Arc<AggregateUDF>> {
            if name != GAP && name != LATEST {
                return not_impl_err!("GapCodec does not know the function {name}");
            }
            if buf.is_empty() {
                return Err(bad(format!(
                    "{name} carries no definition (encode the plan with GapCodec)"
                )));
            }
            let mut text: Value =
                serde_json::from_slice(buf).map_err(|e| bad(format!("{name}: {e}")))?;
            let diary = serde_json::to_vec(&text["diary"].take())
                .map_err(|e| bad(format!("{name}: {e}")))?;
            let options = serde_json::from_value(text["options"].take())
                .map_err(|e| bad(format!("{name}: options: {e}")))?;
            let read: mindgap::ReadOptions = serde_json::from_value(text["read"].take())
                .map_err(|e| bad(format!("{name}: read: {e}")))?;
            let diary = mindgap::Loader::from_json(&diary, name, read.clone())
                .and_then(mindgap::Loader::finish)
                .map_err(external)?
                .diary;
            let functions = GapFunctions::new(&diary, &options, &read)?;
            functions
                .udafs()
                .into_iter()
                .find(|f| f.name() == name)
                .map(Arc::new)
                .ok_or_else(|| bad(format!("{name} not made")))
        }
    }
}
