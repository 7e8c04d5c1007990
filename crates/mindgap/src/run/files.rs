//! Reports from files: what the CLI's `report` and `trend` do with
//! interaction CSV files, and the C library's `mg_report_files`.
//!
//! The diary JSON, the record files and the feedback are read first; the
//! interaction CSV files are then streamed (the private `StreamReport`): a
//! 10M-row report is never held. Feedback CSV files too large to hold
//! ([`HOLD_FEEDBACK_BYTES`] in all) are read twice instead (once for what the
//! stream needs, once at the end for the figures); which one is done does
//! not show in the result.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[cfg(feature = "analyses")]
use crate::analysis::drill::{
    Drill, DrillOptions, People, PeopleOptions, ProblemOptions, Problems,
};
#[cfg(feature = "analyses")]
use crate::analysis::fold::{Fold, Folded};
#[cfg(feature = "analyses")]
use crate::analysis::followup::{FollowUpList, FollowUpOptions};
use crate::analysis::report::Report;
use crate::analysis::trend::{TrendOptions, TrendReport};
use crate::error::{Error, Location, Result};
use crate::input::read::{FeedbackFile, Loader, ReadOptions};
use crate::input::sources::{Format, Source};
#[cfg(feature = "analyses")]
use crate::model::Interaction;

use super::stream::{StreamReport, Streamed};
use crate::engine::ReportOptions;

/// Feedback CSV files up to this many bytes in all are held; larger ones
/// are read twice (holding takes about the file's size again; reading
/// again, a second parse of the feedback).
const HOLD_FEEDBACK_BYTES: u64 = 64 << 20;

/// A file opened for reading: what a [`Files`] opener gives.
pub struct Opened {
    /// The bytes, from the start.
    pub reader: Box<dyn Read + Send>,
    /// The length in bytes, when known (room is made for the rows at once).
    pub size: Option<u64>,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl Opened {
    /// Opens a file of the file system with a 1 MB buffer (the default
    /// opener); an error names the file.
    pub fn file(path: &Path) -> Result<Opened> {
        let at = || Location::file(path.display().to_string());
        let file = File::open(path).map_err(|source| Error::Io { at: at(), source })?;
        let size = file.metadata().ok().map(|m| m.len()).filter(|&n| n > 0);
        Ok(Opened {
            reader: Box::new(BufReader::with_capacity(1 << 20, file)),
            size,
        })
    }
}

/// How a [`Files`] opens a path.
type Opener = Arc<dyn Fn(&Path) -> Result<Opened> + Send + Sync>;

/// A diary and its record files, analysed in bounded memory: the
/// interaction CSV files are streamed, never held, so a report over ten
/// million interactions takes a few hundred megabytes. The result is the
/// one the same files loaded whole give, byte for byte as JSON.
///
/// ```no_run
/// use mindgap::{Files, ReportOptions};
/// let files = Files::new("diary.json", vec!["interactions.csv".into()]);
/// let done = files.report(&ReportOptions::default())?;
/// println!("{} interactions read, {} skipped", done.interactions, done.skipped.len());
/// # Ok::<(), mindgap::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct Files {
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
    open: Opener,
    /// Feedback CSV files up to this many bytes in all are held.
    pub(crate) hold_feedback_bytes: u64,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files")
            .field("diary", &self.diary)
            .field("interactions", &self.interactions)
            .field("feedback", &self.feedback)
            .field("records", &self.records)
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}

impl Files {
    /// The files, read strictly from the file system ([`Opened::file`]).
    pub fn new(diary: impl Into<PathBuf>, interactions: Vec<PathBuf>) -> Files {
        Files {
            diary: diary.into(),
            interactions,
            feedback: Vec::new(),
            records: Vec::new(),
            read: ReadOptions::default(),
            open: Arc::new(Opened::file),
            hold_feedback_bytes: HOLD_FEEDBACK_BYTES,
        }
    }

    /// Adds feedback files.
    pub fn with_feedback(mut self, files: impl IntoIterator<Item = PathBuf>) -> Files {
        self.feedback.extend(files);
        self
    }

    /// Adds other record files.
    pub fn with_records(mut self, files: impl IntoIterator<Item = PathBuf>) -> Files {
        self.records.extend(files);
        self
    }

    /// Sets how records are read (strict or lenient, the CSV mapping).
    pub fn with_read(mut self, read: ReadOptions) -> Files {
        self.read = read;
        self
    }

    /// Opens every path with `open` instead of the file system: a host's
    /// own storage, or a reader that shows progress. A feedback file may be
    /// opened twice; it must give the same bytes each time.
    pub fn with_opener(
        mut self,
        open: impl Fn(&Path) -> Result<Opened> + Send + Sync + 'static,
    ) -> Files {
        self.open = Arc::new(open);
        self
    }

    /// Whether the interactions can be streamed: there are some, every
    /// file is CSV (JSON Lines interactions need the whole diary loaded,
    /// [`crate::api::load`]), and their rows carry no feedback
    /// ([`CsvOptions::row_feedback`](crate::CsvOptions::row_feedback): feedback
    /// must be read before the interactions stream past).
    pub fn streams(&self) -> bool {
        let row_feedback = self
            .read
            .csv
            .resolved()
            .is_ok_and(|c| !c.row_feedback.is_empty());
        !self.interactions.is_empty()
            && self.interactions.iter().all(|p| is_csv(p))
            && !row_feedback
    }

    /// The gap report ([`ReportOptions`]), as [`Prepared::report`](crate::Prepared::report)
    /// gives it for the files loaded whole.
    pub fn report(&self, options: &ReportOptions) -> Result<Streamed<Report>> {
        self.read(|loader| StreamReport::new(loader, options))?
            .finish()
    }

    /// The trend ([`TrendOptions`]), as [`crate::trend`] gives it for the
    /// files loaded whole.
    pub fn trend(&self, options: &TrendOptions) -> Result<Streamed<TrendReport>> {
        self.read(|loader| StreamReport::trend(loader, options))?
            .finish()?
            .map(|r| {
                r.trend
                    .ok_or_else(|| Error::internal("the stream computed no trend"))
            })
    }

    /// The people ranking ([`PeopleOptions`]), as
    /// [`Prepared::people`](crate::Prepared::people) gives it for the files
    /// loaded whole.
    #[cfg(feature = "analyses")]
    pub fn people(&self, options: &PeopleOptions) -> Result<Streamed<People>> {
        let stream =
            self.read(|loader| StreamReport::fold(loader, |p| Fold::people(p, options)))?;
        stream.finish_fold()?.map(|f| match f {
            Folded::People(p) => Ok(p),
            _ => Err(Error::internal("the stream ranked no people")),
        })
    }

    /// The drill-down ([`DrillOptions`]), as
    /// [`Prepared::drill`](crate::Prepared::drill) gives it for the files
    /// loaded whole: the counts cover every record, and only the records
    /// listed (at most [`DrillOptions::limit`]) are held.
    #[cfg(feature = "analyses")]
    pub fn drill(&self, options: &DrillOptions) -> Result<Streamed<Drill>> {
        let stream = self.read(|loader| StreamReport::fold(loader, |p| Fold::drill(p, options)))?;
        stream.finish_fold()?.map(|f| match f {
            Folded::Drill(d) => Ok(d),
            _ => Err(Error::internal("the stream drilled into nothing")),
        })
    }

    /// The follow-up list ([`FollowUpOptions`]), as
    /// [`Prepared::follow_ups`](crate::Prepared::follow_ups) gives it for the
    /// files loaded whole. The interaction files are read twice: once
    /// streamed (keeping the instants of the contacts with customers who
    /// gave negative feedback), then again holding only the interactions
    /// the follow-ups listed show (the one each is about, the contact that
    /// closed it, the customer's history). Of feedback files too large to
    /// hold, only what the list reads is held: negative feedback and the
    /// records of customers who gave some.
    #[cfg(feature = "analyses")]
    pub fn follow_ups(&self, options: &FollowUpOptions) -> Result<Streamed<FollowUpList>> {
        let stream =
            self.read(|loader| StreamReport::fold(loader, |p| Fold::follow_ups(p, options)))?;
        let half = stream.finish_follow_ups()?;
        let mut again = Loader::new(
            super::stream::definitions(half.result.diary()),
            self.read.clone(),
        )?;
        again.keep_texts();
        again.read_again(&half.skipped);
        let mut rows = Vec::new();
        for path in &self.interactions {
            let opened = (self.open)(path)?;
            let name = path.display().to_string();
            again.read_streamed_csv(opened.reader, &name, opened.size, &mut |i| {
                if half.result.wants(&i) {
                    rows.push(i);
                }
                Ok(())
            })?;
        }
        drop(again);
        half.map(|h| h.finish(&rows))
    }

    /// Recurring problems and reason gaps ([`ProblemOptions`]), as
    /// [`Prepared::problems`](crate::Prepared::problems) gives them for the
    /// files loaded whole. The interaction files are read three times:
    /// streamed (the reason gaps, the instant), again keeping each category
    /// as 16 bytes (its group and instant) to find the episodes, and again
    /// for the ids of the interactions in them.
    #[cfg(feature = "analyses")]
    pub fn problems(&self, options: &ProblemOptions) -> Result<Streamed<Problems>> {
        let stream =
            self.read(|loader| StreamReport::fold(loader, |p| Fold::problems(p, options)))?;
        let defs = stream.definitions().clone();
        let done = stream.finish_fold()?;
        let mut again = Loader::new(defs, self.read.clone())?;
        again.keep_texts();
        again.read_again(&done.skipped);
        let each = |again: &mut Loader, f: &mut dyn FnMut(&Interaction) -> Result<()>| {
            for path in &self.interactions {
                let opened = (self.open)(path)?;
                let name = path.display().to_string();
                again.read_streamed_csv(opened.reader, &name, opened.size, &mut |i| f(&i))?;
            }
            Ok::<(), Error>(())
        };
        done.map(|f| {
            let Folded::Problems(mut half) = f else {
                return Err(Error::internal("the stream found no problems"));
            };
            each(&mut again, &mut |i| half.gather(i))?;
            half.find();
            each(&mut again, &mut |i| {
                half.take(i);
                Ok(())
            })?;
            Ok(half.finish())
        })
    }

    /// Negative feedback that names only its interaction closes by that
    /// interaction's customer's next contact: the customer must be known
    /// before the interactions stream past (it is told apart, its contacts
    /// kept). When there is such feedback, the interaction files are read
    /// once ahead for those customers (the first row with each id, as the
    /// stream takes it).
    fn find_negative_customers(&self, loader: &mut Loader) -> Result<()> {
        let wanted = loader.negative_links();
        if wanted.len() == 0 {
            return Ok(());
        }
        let mut ahead = Loader::new(
            super::stream::definitions(loader.diary()),
            self.read.clone(),
        )?;
        ahead.read_ahead();
        let mut found = crate::util::ids::Ids::default();
        let mut customers = Vec::new();
        for path in &self.interactions {
            let opened = (self.open)(path)?;
            let name = path.display().to_string();
            let read = ahead.read_streamed_csv(opened.reader, &name, opened.size, &mut |i| {
                if let (true, Some(c)) = (wanted.get(i.id.as_str()).is_some(), &i.customer) {
                    if found.insert(i.id.as_str()).is_ok() {
                        customers.push(c.as_str().to_owned());
                    }
                }
                Ok(())
            });
            // Errors are the stream's to report, where they belong.
            if read.is_err() {
                break;
            }
        }
        loader.negative_customers = customers;
        Ok(())
    }

    /// Reads the definitions and the feedback, and streams the interaction
    /// files into the stream `start` makes of the loader.
    fn read(&self, start: impl FnOnce(Loader) -> Result<StreamReport>) -> Result<StreamReport> {
        self.read_holding(false, start)
    }

    /// [`Files::read`], holding all the feedback with `hold`.
    fn read_holding(
        &self,
        hold: bool,
        start: impl FnOnce(Loader) -> Result<StreamReport>,
    ) -> Result<StreamReport> {
        let open = &*self.open;
        if let Some(p) = self.interactions.iter().find(|p| !is_csv(p)) {
            return Err(Error::InvalidOption {
                option: "interactions".into(),
                message: crate::words::Sentence::new(crate::words::Msg::FilesNotCsv)
                    .value("file", p.display()),
            });
        }
        // The feedback's size as the opener tells it (a host's own files
        // too, not only the file system's).
        let mut sizes = Vec::new();
        for p in self.feedback.iter().filter(|p| is_csv(p)) {
            sizes.push((p, open(p)?.size.unwrap_or(0)));
        }
        let feedback_csv: u64 = sizes.iter().map(|(_, n)| n).sum();
        let size = |p: &PathBuf| sizes.iter().find(|(q, _)| *q == p).map_or(0, |(_, n)| *n);
        let read_twice = !hold && feedback_csv > self.hold_feedback_bytes;
        let (twice, held): (Vec<&PathBuf>, Vec<&PathBuf>) =
            (self.feedback.iter()).partition(|p| read_twice && is_csv(p));

        let mut diary = open(&self.diary)?.reader;
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
                message: crate::words::Sentence::new(crate::words::Msg::FilesFormat)
                    .value("file", &name),
            })?;
            names.push((name, format));
            readers.push(open(p)?);
        }
        let mut sources: Vec<Source<'_>> = (names.iter().zip(readers.iter_mut()))
            .map(|((name, format), opened)| Source {
                name,
                format: *format,
                reader: &mut *opened.reader,
                size: opened.size,
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
            let (file, open) = (path.clone(), Arc::clone(&self.open));
            loader.read_feedback_twice(FeedbackFile {
                name: path.display().to_string(),
                size: Some(size(path)),
                open: Box::new(move || open(&file).map(|o| o.reader)),
            })?;
        }
        self.find_negative_customers(&mut loader)?;
        let mut stream = start(loader)?;
        for path in &self.interactions {
            let opened = open(path)?;
            stream.read_csv_sized(opened.reader, &path.display().to_string(), opened.size)?;
        }
        Ok(stream)
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
    fn sample_files(dir: &Dir) -> (crate::model::Diary, Files) {
        let whole = crate::sample::diary(400);
        let mut defs = whole.clone();
        let interactions =
            crate::input::csv::write_interactions(Vec::new(), &defs.interactions).unwrap();
        let feedback = crate::input::csv::write_feedback(Vec::new(), &defs.feedback).unwrap();
        defs.interactions.clear();
        defs.feedback.clear();
        let files = Files::new(
            dir.write("diary.json", crate::api::to_json(&defs).as_bytes()),
            vec![dir.write("interactions.csv", &interactions)],
        )
        .with_feedback([dir.write("feedback.csv", &feedback)]);
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
            let done = files.report(&options).unwrap();
            assert_eq!(crate::api::to_json(&done.result), expected, "hold {hold}");
            assert!(done.skipped.is_empty());
            let (json, skipped) = crate::api::run_files(&files, "report", "").unwrap();
            assert_eq!(json, expected);
            assert!(skipped.is_empty());
        }
    }

    #[test]
    fn held_or_read_twice_bad_feedback_is_skipped_or_stops_alike() {
        let dir = Dir::new("files-bad");
        let (_, files) = sample_files(&dir);
        let feedback = std::fs::read_to_string(&files.feedback[0]).unwrap();
        let mut lines: Vec<String> = feedback.lines().map(str::to_owned).collect();
        lines[3] = lines[3].replacen(",i-", ",i-nowhere-", 1);
        let last = lines.iter().rposition(|l| l.contains(",nps,")).unwrap();
        lines[last] = lines[last].replacen(",nps,", ",nps,11", 1);
        let bad = dir.write("bad-feedback.csv", (lines.join("\n") + "\n").as_bytes());
        let mut files = files;
        files.feedback = vec![bad];
        let options = ReportOptions::default();
        for mode in [
            crate::validate::Mode::Strict,
            crate::validate::Mode::Lenient,
        ] {
            files.read = ReadOptions::default().with_mode(mode);
            let runs: Vec<_> = [HOLD_FEEDBACK_BYTES, 0]
                .into_iter()
                .map(|hold| {
                    let mut f = files.clone();
                    f.hold_feedback_bytes = hold;
                    match f.report(&options) {
                        Ok(done) => Ok((
                            crate::api::to_json(&done.result),
                            done.skipped
                                .iter()
                                .map(|e| e.to_string())
                                .collect::<Vec<_>>(),
                        )),
                        Err(e) => Err(e.to_string()),
                    }
                })
                .collect();
            assert_eq!(runs[0], runs[1], "{mode:?}");
            match (&runs[0], mode) {
                (Ok((_, skipped)), crate::validate::Mode::Lenient) => {
                    assert_eq!(skipped.len(), 2, "{skipped:?}");
                    assert!(
                        skipped.iter().any(|e| e.contains("i-nowhere-")),
                        "{skipped:?}"
                    );
                }
                (Err(e), crate::validate::Mode::Strict) => assert!(e.contains("score"), "{e}"),
                (other, _) => panic!("{mode:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_host_opener_serves_every_file_both_readings_included() {
        let dir = Dir::new("files-opener");
        let (whole, files) = sample_files(&dir);
        let expected = crate::api::to_json(
            &Prepared::new(&whole)
                .unwrap()
                .report(&ReportOptions::default())
                .unwrap(),
        );
        let seen = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let log = Arc::clone(&seen);
        let mut files = files.with_opener(move |p: &Path| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            log.lock().unwrap().push(name);
            let bytes = std::fs::read(p).unwrap();
            let size = Some(bytes.len() as u64);
            Ok(Opened {
                reader: Box::new(std::io::Cursor::new(bytes)),
                size,
            })
        });
        files.hold_feedback_bytes = 0;
        let done = files.report(&ReportOptions::default()).unwrap();
        assert_eq!(crate::api::to_json(&done.result), expected);
        let seen = seen.lock().unwrap().clone();
        let feedback = seen.iter().filter(|n| *n == "feedback.csv").count();
        // Sized, read, read again.
        assert_eq!(feedback, 3, "{seen:?}");
        assert!(
            seen.contains(&"diary.json".to_owned())
                && seen.contains(&"interactions.csv".to_owned())
        );
    }

    #[test]
    fn what_cannot_be_streamed_is_a_clear_error() {
        let dir = Dir::new("files-errors");
        let (_, files) = sample_files(&dir);
        let options = ReportOptions::default();
        let mut jsonl = files.clone();
        jsonl.interactions = vec![dir.write("more.jsonl", b"{}\n")];
        assert!(!jsonl.streams());
        let e = jsonl.report(&options).unwrap_err();
        assert!(e.to_string().contains("more.jsonl"), "{e}");
        let mut missing = files.clone();
        missing.interactions = vec![dir.0.join("gone.csv")];
        let e = missing.report(&options).unwrap_err();
        assert_eq!(e.kind(), "io");
        assert!(e.to_string().contains("gone.csv"), "{e}");
        let mut unknown = files.clone();
        unknown.records = vec![dir.write("notes.xml", b"<x/>")];
        let e = unknown.report(&options).unwrap_err();
        assert!(
            e.to_string().contains("notes.xml: cannot tell the format"),
            "{e}"
        );
        let e = crate::api::run_files(&files, "due", "").unwrap_err();
        // The analyses this build streams follow (trends and the closed
        // loop with the full build).
        assert!(
            e.to_string()
                .contains("\"due\" is not streamed from files; one of: report"),
            "{e}"
        );
    }
}
