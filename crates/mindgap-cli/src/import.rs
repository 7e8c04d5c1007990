//! `mindgap import`: reads a product's export with its import profile and
//! writes mindgap's own files, for users who want to keep them.

use std::path::PathBuf;

use mindgap::{CsvKind, CsvWriter};

use crate::Failure;
use crate::input::{self, CsvArgs};
use crate::out::Atomic;

/// Arguments of `mindgap import`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap import --from zendesk --diary diary.json --out mindgap-files tickets.csv
  mindgap import --from bitrix24 --diary diary.json --out out deals.csv --lenient
  mindgap import --columns mapping.json --diary diary.json --out out export.csv")]
pub struct Args {
    /// The export files (CSV: tickets, conversations, survey answers) and
    /// any JSON Lines record files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The diary JSON the records belong to (its time zone reads local
    /// times; its stages and expectations check the records).
    #[arg(long, value_name = "FILE")]
    diary: PathBuf,
    /// Directory to write interactions.csv and feedback.csv into (created
    /// if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Skip bad records (listed on stderr) instead of stopping at the first.
    #[arg(long)]
    lenient: bool,
    /// How the export is read (--from PROFILE, --columns FILE, …).
    #[command(flatten)]
    csv: CsvArgs,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<(), Failure> {
    let read = input::read_options(args.lenient, &args.csv)?;
    let mut files = vec![args.diary.clone()];
    files.extend(args.files.iter().cloned());
    let (loaded, _) = input::load(&files, read)?;
    for e in &loaded.skipped {
        eprintln!("skipped: {e}");
    }
    for n in &loaded.notes {
        eprintln!("note: {n}");
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.out.display())))?;
    let diary = &loaded.diary;
    // Custom fields (a profile's `custom_columns`) as `field:<name>` columns.
    let mut interactions = CsvWriter::with_fields(
        Atomic::create(&args.out.join("interactions.csv"))?,
        CsvKind::Interactions,
        &mindgap::custom_field_names(&diary.interactions),
    )?;
    for i in &diary.interactions {
        interactions.interaction(i)?;
    }
    let mut feedback = CsvWriter::new(
        Atomic::create(&args.out.join("feedback.csv"))?,
        CsvKind::Feedback,
    )?;
    for f in &diary.feedback {
        feedback.feedback(f)?;
    }
    interactions.finish()?.commit()?;
    feedback.finish()?.commit()?;
    eprintln!(
        "wrote {}: interactions.csv ({} rows), feedback.csv ({} rows){}",
        args.out.display(),
        diary.interactions.len(),
        diary.feedback.len(),
        match loaded.skipped.len() {
            0 => String::new(),
            n => format!("; {n} record(s) skipped"),
        }
    );
    Ok(())
}
