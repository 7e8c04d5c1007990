//! `mindgap validate`: checks files and prints every error.

use std::path::PathBuf;

use mindgap::api::ValidationReport;

use crate::Failure;
use crate::input;

/// Arguments of `mindgap validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap validate diary.json interactions.csv feedback.csv
  mindgap validate --strict diary.json records.jsonl
  mindgap validate --from hubspot diary.json tickets.csv --format json")]
pub struct Args {
    /// A diary.json and any CSV (interactions, feedback) or JSON Lines files
    /// with its records.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Stop at the first error instead of listing every bad record.
    #[arg(long)]
    strict: bool,
    /// How CSV files are read.
    #[command(flatten)]
    csv: input::CsvArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    format: Output,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Output {
    Text,
    Json,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<(), Failure> {
    let options = input::read_options(!args.strict, &args.csv)?;
    let result = input::load(&args.files, options);
    let loaded = match result {
        Ok(x) => Ok(x),
        // Usage errors (unreadable files) are not a validation result.
        Err(f) if f.is_usage() => return Err(f),
        Err(f) => Err(f.into_error()),
    };
    let report = ValidationReport::new(&loaded);
    // The records live until the process exits: freeing millions of strings
    // one by one only to exit costs a second per million rows.
    std::mem::forget(loaded);
    match args.format {
        Output::Json => crate::emit(&mindgap::api::to_json(&report)),
        Output::Text => {
            if let Some(fatal) = &report.fatal {
                crate::emit(&format!("error: {}", fatal.message));
            }
            for e in &report.errors {
                crate::emit(&format!("error: {}", e.message));
            }
            for n in &report.notes {
                crate::emit(&format!("note: {n}"));
            }
            if let Some(c) = report.counts {
                let names: Vec<String> = report
                    .files
                    .iter()
                    .map(|f| format!("{} ({})", f.file, f.kind))
                    .collect();
                crate::emit(&format!(
                    "{}: {} stage(s), {} expectation record(s), {} interaction(s), {} feedback, {} observation(s), {} follow-up(s) in {}",
                    if report.ok { "ok" } else { "errors" },
                    c.stages,
                    c.expectations,
                    c.interactions,
                    c.feedback,
                    c.observations,
                    c.follow_ups,
                    names.join(", ")
                ));
            }
            if !report.errors.is_empty() {
                crate::emit(&format!("{} record(s) rejected", report.errors.len()));
            }
        }
    }
    if report.ok {
        Ok(())
    } else {
        Err(Failure::input(""))
    }
}
