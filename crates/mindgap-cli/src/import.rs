//! `mindgap import`: reads a product's export with its import profile and
//! writes mindgap's own files, for users who want to keep them.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use mindgap::{CsvKind, CsvWriter};

use crate::Failure;
use crate::input::{self, CsvArgs};

/// Arguments of `mindgap import`.
#[derive(Debug, clap::Args)]
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

fn create(path: &Path) -> Result<BufWriter<File>, Failure> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
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
        create(&args.out.join("interactions.csv"))?,
        CsvKind::Interactions,
        &mindgap::custom_field_names(&diary.interactions),
    )?;
    for i in &diary.interactions {
        interactions.interaction(i)?;
    }
    interactions.finish()?;
    let mut feedback = CsvWriter::new(create(&args.out.join("feedback.csv"))?, CsvKind::Feedback)?;
    for f in &diary.feedback {
        feedback.feedback(f)?;
    }
    feedback.finish()?;
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
