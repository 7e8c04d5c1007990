//! `mindgap validate`: checks files and prints every error.

use std::path::PathBuf;

use mindgap::api::ValidationReport;
use mindgap::text::fill;

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
    /// Language of the output: the text, and the messages of the JSON (its
    /// codes, kinds and other names stay the same).
    #[arg(long, value_name = "en|ru", default_value = "en", value_parser = crate::named::<mindgap::Lang>)]
    pub(crate) lang: mindgap::Lang,
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
    let report = ValidationReport::new_in(&loaded, args.lang);
    // The records live until the process exits: freeing millions of strings
    // one by one only to exit costs a second per million rows.
    std::mem::forget(loaded);
    match args.format {
        Output::Json => crate::emit(&mindgap::api::to_json(&report)),
        Output::Text => {
            let w = args.lang.words();
            let line = |t: &str, m: &str| fill(t, &[("message", m)]);
            if let Some(fatal) = &report.fatal {
                crate::emit(&line(w.val_error, &fatal.message));
            }
            for e in &report.errors {
                crate::emit(&line(w.val_error, &e.message));
            }
            for n in &report.notes {
                crate::emit(&line(w.val_note, n));
            }
            if let Some(c) = report.counts {
                let names: Vec<String> = report
                    .files
                    .iter()
                    .map(|f| format!("{} ({})", f.file, w.file_kind(&f.kind.to_string())))
                    .collect();
                let n = |k: usize| k as u64;
                crate::emit(&fill(
                    w.val_counts,
                    &[
                        ("status", if report.ok { w.val_ok } else { w.val_errors }),
                        ("stages", &w.counted(n(c.stages), &w.n_stages)),
                        (
                            "expectations",
                            &w.counted(n(c.expectations), &w.n_expectations),
                        ),
                        (
                            "interactions",
                            &w.counted(n(c.interactions), &w.n_interactions),
                        ),
                        ("feedback", &w.counted(n(c.feedback), &w.n_feedback)),
                        ("observations", &w.counted(n(c.observations), &w.obs)),
                        ("follow_ups", &w.counted(n(c.follow_ups), &w.n_follow_ups)),
                        ("files", &names.join(", ")),
                    ],
                ));
            }
            if !report.errors.is_empty() {
                let k = report.errors.len() as u64;
                crate::emit(&fill(
                    w.val_rejected,
                    &[("n", &w.count(k)), ("records", w.plural(k, &w.records))],
                ));
            }
        }
    }
    if report.ok {
        Ok(())
    } else {
        Err(Failure::input(""))
    }
}
