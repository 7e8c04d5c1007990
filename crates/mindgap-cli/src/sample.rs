//! `mindgap sample`: writes the built-in sample diary as files.

use std::io::Write;
use std::path::PathBuf;

use mindgap::{CsvKind, CsvWriter};

use crate::Failure;
use crate::out::Atomic;

/// Arguments of `mindgap sample`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap sample --out sample
  mindgap sample --out big --rows 1000000")]
pub struct Args {
    /// Directory to write diary.json, interactions.csv and feedback.csv into
    /// (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Number of interactions (feedback follows at about a third as many).
    #[arg(long, default_value_t = mindgap::sample::DEFAULT_ROWS)]
    rows: usize,
    /// Language of the message on stderr.
    #[arg(long, value_name = "en|ru", default_value = "en", value_parser = crate::named::<mindgap::Lang>)]
    pub(crate) lang: mindgap::Lang,
}

/// Runs the command; memory stays flat for any `--rows`.
pub fn run(args: &Args) -> Result<(), Failure> {
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.out.display())))?;
    let mut diary = mindgap::sample::definitions();
    diary.observations = mindgap::sample::observations();
    let json = serde_json::to_string_pretty(&diary).map_err(|e| Failure::usage(e.to_string()))?;
    let diary_path = args.out.join("diary.json");
    let mut interactions = CsvWriter::new(
        Atomic::create(&args.out.join("interactions.csv"))?,
        CsvKind::Interactions,
    )?;
    let mut feedback = CsvWriter::new(
        Atomic::create(&args.out.join("feedback.csv"))?,
        CsvKind::Feedback,
    )?;
    let follow_ups_path = args.out.join("follow_ups.jsonl");
    let mut follow_ups = Atomic::create(&follow_ups_path)?;
    let (mut n_i, mut n_f, mut n_u) = (0usize, 0usize, 0usize);
    let write_err =
        |e: std::io::Error| Failure::usage(format!("{}: {e}", follow_ups_path.display()));
    for (interaction, fb) in mindgap::sample::records(args.rows) {
        interactions.interaction(&interaction)?;
        n_i += 1;
        for f in &fb {
            feedback.feedback(f)?;
            n_f += 1;
            if let Some(r) = mindgap::sample::follow_up(&diary.follow_up, f) {
                let line = serde_json::to_string(&mindgap::Record::FollowUp(r))
                    .map_err(|e| Failure::usage(e.to_string()))?;
                writeln!(follow_ups, "{line}").map_err(write_err)?;
                n_u += 1;
            }
        }
    }
    // Every file complete, then each in place (the diary last).
    interactions.finish()?.commit()?;
    feedback.finish()?.commit()?;
    follow_ups.flush().map_err(write_err)?;
    follow_ups.commit()?;
    crate::out::write(&diary_path, (json + "\n").as_bytes())?;
    let w = args.lang.words();
    let n = |k: usize, forms| w.counted(k as u64, forms);
    eprintln!(
        "{}",
        mindgap::text::fill(
            w.sample_wrote,
            &[
                ("dir", &args.out.display().to_string()),
                ("i", &n(n_i, &w.n_rows)),
                ("f", &n(n_f, &w.n_rows)),
                ("u", &n(n_u, &w.n_callbacks)),
            ],
        )
    );
    Ok(())
}
