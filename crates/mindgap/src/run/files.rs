//! A streamed report from files on disk: what the CLI's `report` and `trend`
//! do with interaction CSV files, and the C library's `mg_report_files`.
//!
//! The diary JSON, the record files and the feedback are read first; the
//! interaction CSV files are then streamed ([`StreamReport`]): a 10M-row
//! report is never held. Feedback CSV files over
//! [`StreamFiles::hold_feedback_bytes`] in all are read twice (once for what
//! the stream needs, once at the end for the figures) instead of held.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::analysis::trend::TrendOptions;
use crate::error::{Error, Location, Result};
use crate::input::read::{FeedbackFile, Loader, ReadOptions};
use crate::input::sources::{Format, Source};

use super::stream::{StreamReport, Streamed};
use crate::engine::ReportOptions;

/// Feedback CSV files up to this many bytes in all are held by default;
/// larger ones are read twice (holding takes about the file's size again;
/// reading again, a second parse: +15 % of a 1M-row report's time).
pub const HOLD_FEEDBACK_BYTES: u64 = 64 << 20;

/// A file opened for reading: its reader and its length when known.
pub type Opened = (Box<dyn Read + Send>, Option<u64>);

/// Opens a file with a 1 MB buffer; an error names the file.
pub fn open_file(path: &Path) -> Result<Opened> {
    let at = || Location::file(path.display().to_string());
    let file = File::open(path).map_err(|source| Error::Io { at: at(), source })?;
    let size = file.metadata().ok().map(|m| m.len()).filter(|&n| n > 0);
    Ok((Box::new(BufReader::with_capacity(1 << 20, file)), size))
}

/// The files of a streamed report: a diary and its interaction files,
/// read in bounded memory (see [`StreamReport`](crate::StreamReport)).
///
/// ```no_run
/// use mindgap::{ReportOptions, StreamFiles};
/// let files = StreamFiles::new("diary.json", vec!["interactions.csv".into()]);
/// let done = files.report(&ReportOptions::default(), &mut mindgap::open_file)?;
/// println!("{} interactions read", done.interactions);
/// # Ok::<(), mindgap::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct StreamFiles {
    /// The diary JSON (stages, expectations, and any records in it).
    pub diary: PathBuf,
    /// Interaction CSV files, streamed in this order.
    pub interactions: Vec<PathBuf>,
    /// Feedback files (CSV or JSON Lines).
    pub feedback: Vec<PathBuf>,
    /// Other record files (CSV or JSON Lines: follow-ups, observations…).
    pub records: Vec<PathBuf>,
    /// Strict or lenient, and the CSV column mapping.
    pub read: ReadOptions,
    /// Feedback CSV files up to this many bytes in all are held; larger ones
    /// are read twice (0: always read twice).
    pub hold_feedback_bytes: u64,
}

impl StreamFiles {
    /// The files, read strictly, feedback held up to [`HOLD_FEEDBACK_BYTES`].
    pub fn new(diary: impl Into<PathBuf>, interactions: Vec<PathBuf>) -> StreamFiles {
        StreamFiles {
            diary: diary.into(),
            interactions,
            feedback: Vec::new(),
            records: Vec::new(),
            read: ReadOptions::default(),
            hold_feedback_bytes: HOLD_FEEDBACK_BYTES,
        }
    }

    /// Whether the interactions can be streamed: there are some, and every
    /// file is CSV (JSON Lines interactions need the whole diary loaded).
    pub fn streams(&self) -> bool {
        !self.interactions.is_empty() && self.interactions.iter().all(|p| is_csv(p))
    }

    /// The gap report ([`StreamReport::new`]); files are opened with `open`
    /// (e.g. [`open_file`]).
    pub fn report(
        &self,
        options: &ReportOptions,
        open: &mut dyn FnMut(&Path) -> Result<Opened>,
    ) -> Result<Streamed> {
        self.run(open, |loader| StreamReport::new(loader, options))
    }

    /// The trend ([`StreamReport::trend`]; in [`Streamed::report`]`.trend`).
    pub fn trend(
        &self,
        options: &TrendOptions,
        open: &mut dyn FnMut(&Path) -> Result<Opened>,
    ) -> Result<Streamed> {
        self.run(open, |loader| StreamReport::trend(loader, options))
    }

    fn run(
        &self,
        open: &mut dyn FnMut(&Path) -> Result<Opened>,
        start: impl FnOnce(Loader) -> Result<StreamReport>,
    ) -> Result<Streamed> {
        if let Some(p) = self.interactions.iter().find(|p| !is_csv(p)) {
            return Err(Error::InvalidOption {
                option: "interactions".into(),
                message: format!(
                    "{}: a streamed report reads interactions from CSV files (.csv, .tsv, .txt)",
                    p.display()
                ),
            });
        }
        // The feedback's size as the opener tells it (a host's own files
        // too, not only the file system's).
        let mut sizes = Vec::new();
        for p in self.feedback.iter().filter(|p| is_csv(p)) {
            let (_, size) = open(p)?;
            sizes.push((p, size.unwrap_or(0)));
        }
        let feedback_csv: u64 = sizes.iter().map(|(_, n)| n).sum();
        let size = |p: &PathBuf| sizes.iter().find(|(q, _)| *q == p).map_or(0, |(_, n)| *n);
        let read_twice = feedback_csv > self.hold_feedback_bytes;
        let (twice, held): (Vec<&PathBuf>, Vec<&PathBuf>) =
            (self.feedback.iter()).partition(|p| read_twice && is_csv(p));

        let (mut diary, _) = open(&self.diary)?;
        let mut bytes = Vec::new();
        diary.read_to_end(&mut bytes).map_err(|source| Error::Io {
            at: Location::file(self.diary.display().to_string()),
            source,
        })?;
        drop(diary);
        let firsts = (self.records.iter().map(|p| ("records", p)))
            .chain(held.into_iter().map(|p| ("feedback", p)));
        let mut names = Vec::new();
        let mut readers = Vec::new();
        for (option, p) in firsts {
            let name = p.display().to_string();
            let format = Format::from_name(&name).ok_or_else(|| Error::InvalidOption {
                option: option.into(),
                message: format!("{name}: cannot tell the format; name it .csv or .jsonl"),
            })?;
            names.push((name, format));
            readers.push(open(p)?);
        }
        let mut sources: Vec<Source<'_>> = (names.iter().zip(readers.iter_mut()))
            .map(|((name, format), (reader, size))| Source {
                name,
                format: *format,
                reader: &mut **reader,
                size: *size,
            })
            .collect();
        let diary_name = self.diary.display().to_string();
        let (mut loader, _) = crate::input::sources::open_for_stream(
            &bytes,
            &diary_name,
            &mut sources,
            self.read.clone(),
        )?;
        drop(sources);
        drop(readers);
        drop(bytes);
        for path in twice {
            let file = path.clone();
            loader.read_feedback_twice(FeedbackFile {
                name: path.display().to_string(),
                size: Some(size(path)),
                open: Box::new(move || {
                    let reader = BufReader::with_capacity(1 << 20, File::open(&file)?);
                    Ok(Box::new(reader) as Box<dyn Read + Send>)
                }),
            })?;
        }
        let mut stream = start(loader)?;
        for path in &self.interactions {
            let (reader, size) = open(path)?;
            stream.read_csv_sized(reader, &path.display().to_string(), size)?;
        }
        stream.finish()
    }
}

fn is_csv(p: &Path) -> bool {
    Format::from_name(&p.to_string_lossy()) == Some(Format::Csv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Prepared;

    /// A directory of its own under the system's temporary one, removed
    /// when dropped.
    struct Dir(PathBuf);

    impl Dir {
        fn new(name: &str) -> Dir {
            let dir = std::env::temp_dir().join(format!("mindgap-{name}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Dir(dir)
        }
        fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// The sample as files: the diary's definitions, interactions and
    /// feedback as CSV.
    fn sample_files(dir: &Dir) -> (crate::model::Diary, StreamFiles) {
        let whole = crate::sample::diary(400);
        let mut defs = whole.clone();
        let interactions =
            crate::input::csv::write_interactions(Vec::new(), &defs.interactions).unwrap();
        let feedback = crate::input::csv::write_feedback(Vec::new(), &defs.feedback).unwrap();
        defs.interactions.clear();
        defs.feedback.clear();
        let mut files = StreamFiles::new(
            dir.write("diary.json", crate::api::to_json(&defs).as_bytes()),
            vec![dir.write("interactions.csv", &interactions)],
        );
        files.feedback = vec![dir.write("feedback.csv", &feedback)];
        (whole, files)
    }

    #[test]
    fn files_streamed_give_the_report_of_the_diary_held() {
        let dir = Dir::new("files");
        let (whole, mut files) = sample_files(&dir);
        let options = ReportOptions::default();
        let expected =
            crate::api::to_json(&Prepared::new(&whole).unwrap().report(&options).unwrap());
        for hold in [HOLD_FEEDBACK_BYTES, 0] {
            files.hold_feedback_bytes = hold;
            let done = files.report(&options, &mut open_file).unwrap();
            assert_eq!(crate::api::to_json(&done.report), expected, "hold {hold}");
            assert!(done.skipped.is_empty());
            let (json, skipped) = crate::api::run_files(&files, "report", "").unwrap();
            assert_eq!(json, expected);
            assert!(skipped.is_empty());
        }
    }

    #[test]
    fn what_cannot_be_streamed_is_a_clear_error() {
        let dir = Dir::new("files-errors");
        let (_, files) = sample_files(&dir);
        let options = ReportOptions::default();
        let mut jsonl = files.clone();
        jsonl.interactions = vec![dir.write("more.jsonl", b"{}\n")];
        assert!(!jsonl.streams());
        let e = jsonl.report(&options, &mut open_file).unwrap_err();
        assert!(e.to_string().contains("more.jsonl"), "{e}");
        let mut missing = files.clone();
        missing.interactions = vec![dir.0.join("gone.csv")];
        let e = missing.report(&options, &mut open_file).unwrap_err();
        assert_eq!(e.kind(), "io");
        assert!(e.to_string().contains("gone.csv"), "{e}");
        let mut unknown = files.clone();
        unknown.records = vec![dir.write("notes.xml", b"<x/>")];
        let e = unknown.report(&options, &mut open_file).unwrap_err();
        assert!(
            e.to_string().contains("notes.xml: cannot tell the format"),
            "{e}"
        );
        let e = crate::api::run_files(&files, "drill", "").unwrap_err();
        assert!(e.to_string().contains("one of: report, trend"), "{e}");
    }
}
