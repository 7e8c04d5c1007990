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
    /// Language of the messages on stderr.
    #[arg(long, value_name = "en|ru", default_value = "en", value_parser = crate::named::<mindgap::Lang>)]
    pub(crate) lang: mindgap::Lang,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<(), Failure> {
    let read = input::read_options(args.lenient, &args.csv)?;
    let mut files = vec![args.diary.clone()];
    files.extend(args.files.iter().cloned());
    let (loaded, _) = input::load(&files, read)?;
    let w = args.lang.words();
    let say = |template: &str, message: &str| {
        eprintln!("{}", mindgap::text::fill(template, &[("message", message)]));
    };
    for e in &loaded.skipped {
        say(w.import_skip, &e.message_in(args.lang));
    }
    for n in &loaded.notes {
        say(w.val_note, &n.text(args.lang));
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
    let rows = |k: usize| w.counted(k as u64, &w.n_rows);
    let mut said = mindgap::text::fill(
        w.import_wrote,
        &[
            ("dir", &args.out.display().to_string()),
            ("i", &rows(diary.interactions.len())),
            ("f", &rows(diary.feedback.len())),
        ],
    );
    if !loaded.skipped.is_empty() {
        let n = loaded.skipped.len() as u64;
        said.push_str("; ");
        said.push_str(&mindgap::text::fill(
            w.val_rejected,
            &[("n", &w.count(n)), ("records", w.plural(n, &w.records))],
        ));
    }
    eprintln!("{said}");
    Ok(())
}
