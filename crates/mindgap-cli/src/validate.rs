//! `mindgap validate`: checks files and prints every error.

use std::path::PathBuf;

use mindgap::Mode;
use mindgap::read::ReadOptions;

use crate::Failure;
use crate::input;

/// Arguments of `mindgap validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A diary.json and any CSV (interactions, feedback) or JSON Lines files
    /// with its records.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Stop at the first error instead of listing every bad record.
    #[arg(long)]
    strict: bool,
    /// CSV column mapping and formats, as JSON (see the README).
    #[arg(long, value_name = "FILE")]
    columns: Option<PathBuf>,
    /// strftime format of CSV timestamps (local to the diary's zone without %z).
    #[arg(long, value_name = "FORMAT")]
    timestamp_format: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    format: Output,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Output {
    Text,
    Json,
}

#[derive(serde::Serialize)]
struct Report<'a> {
    ok: bool,
    files: &'a [input::FileSummary],
    counts: Counts,
    errors: Vec<mindgap::ErrorReport>,
    notes: &'a [String],
}

#[derive(serde::Serialize)]
struct Counts {
    stages: usize,
    expectations: usize,
    interactions: usize,
    feedback: usize,
    observations: usize,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<(), Failure> {
    let options = ReadOptions {
        mode: if args.strict {
            Mode::Strict
        } else {
            Mode::Lenient
        },
        csv: input::csv_options(args.columns.as_deref(), args.timestamp_format.as_deref())?,
    };
    let loaded = input::load(&args.files, options);
    let (loaded, files) = match (loaded, args.format) {
        (Ok(x), _) => x,
        (Err(f), Output::Text) => return Err(f),
        (Err(f), Output::Json) => {
            // A fatal error: still answer in JSON on stdout.
            println!(
                "{}",
                serde_json::json!({"ok": false, "fatal": f.message_text(), "errors": []})
            );
            return Err(f.silent());
        }
    };
    let d = &loaded.diary;
    let counts = Counts {
        stages: d.stages.len(),
        expectations: d.expectations.len(),
        interactions: d.interactions.len(),
        feedback: d.feedback.len(),
        observations: d.observations.len(),
    };
    let ok = loaded.skipped.is_empty();
    match args.format {
        Output::Json => {
            let report = Report {
                ok,
                files: &files,
                counts,
                errors: loaded
                    .skipped
                    .iter()
                    .map(mindgap::Error::to_report)
                    .collect(),
                notes: &loaded.notes,
            };
            let text =
                serde_json::to_string_pretty(&report).map_err(|e| Failure::usage(e.to_string()))?;
            println!("{text}");
        }
        Output::Text => {
            for e in &loaded.skipped {
                println!("error: {e}");
            }
            for n in &loaded.notes {
                println!("note: {n}");
            }
            let names: Vec<String> = files
                .iter()
                .map(|f| format!("{} ({})", f.file, f.kind))
                .collect();
            println!(
                "{}: {} stage(s), {} expectation record(s), {} interaction(s), {} feedback, {} observation(s) in {}",
                if ok { "ok" } else { "errors" },
                counts.stages,
                counts.expectations,
                counts.interactions,
                counts.feedback,
                counts.observations,
                names.join(", ")
            );
            if !ok {
                println!("{} record(s) rejected", loaded.skipped.len());
            }
        }
    }
    if ok {
        Ok(())
    } else {
        Err(Failure::input("").silent())
    }
}
