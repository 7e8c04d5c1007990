//! Reading the files a command is given: one JSON diary, then CSV and JSON
//! Lines files with its records, in any order. Record files stream; a
//! progress line goes to stderr for large files when stderr is a terminal.

use std::fs::File;
use std::io::{BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use mindgap::CsvOptions;
use mindgap::api::{FileSummary, Format, Source};
use mindgap::{Files, Opened, Streamed};
use mindgap::{Loaded, ReadOptions};

use crate::Failure;
use mindgap::text::{Msg, Sentence, fill};

/// How CSV files are read: a mapping, an import profile, formats.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CsvArgs {
    /// Read a product's export with its import profile: generic, zendesk,
    /// freshdesk, jira-sm, intercom, hubspot, bitrix24, amocrm, usedesk,
    /// omnidesk.
    #[arg(long, value_name = "PROFILE")]
    pub from: Option<String>,
    /// CSV column mapping and formats, as JSON (docs/formats.md); on top of
    /// --from when both are given.
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,
    /// strftime format of CSV timestamps (local to the diary's zone without
    /// %z); may be repeated, tried in order.
    #[arg(long, value_name = "FORMAT")]
    pub timestamp_format: Vec<String>,
    /// The CSV field delimiter: one character, or `tab`, `\t`, `comma`,
    /// `semicolon`, `pipe` (told from the header otherwise).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// The CSV text encoding: utf-8, utf-16, utf-16be, windows-1251, koi8-r,
    /// windows-1252 (told from the first bytes otherwise).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
}

/// How a command reads its files: strict or lenient, and the CSV flags.
pub fn read_options(lenient: bool, csv: &CsvArgs) -> Result<ReadOptions, Failure> {
    let mode = if lenient {
        mindgap::Mode::Lenient
    } else {
        mindgap::Mode::Strict
    };
    Ok(ReadOptions::default()
        .with_mode(mode)
        .with_csv(csv_options(csv)?))
}

/// The CSV options of the command line: the mapping file (the JSON form of
/// [`CsvOptions`]), then the flags on top.
pub fn csv_options(args: &CsvArgs) -> Result<CsvOptions, Failure> {
    let mut options = match &args.columns {
        None => CsvOptions::default(),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?;
            mindgap::api::options(&text, "csv")
                .map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?
        }
    };
    if let Some(from) = &args.from {
        if options.from.is_some() && options.from.as_deref() != Some(from) {
            return Err(Failure::usage(format!(
                "--from {from} and the mapping's \"from\": {:?} disagree",
                options.from.as_deref().unwrap_or_default()
            )));
        }
        options.from = Some(from.clone());
    }
    if !args.timestamp_format.is_empty() {
        options.timestamp_format = args.timestamp_format.clone();
    }
    if let Some(d) = &args.delimiter {
        let named = match d.to_ascii_lowercase().as_str() {
            "tab" | "\\t" => Some('\t'),
            "comma" => Some(','),
            "semicolon" => Some(';'),
            "pipe" => Some('|'),
            _ => None,
        };
        let mut chars = d.chars();
        options.delimiter = Some(match (named, chars.next(), chars.next()) {
            (Some(c), ..) => c,
            (None, Some(c), None) => c,
            _ => {
                return Err(Failure::usage(format!(
                    "--delimiter {d:?}: one character, or tab, comma, semicolon, pipe"
                )));
            }
        });
    }
    if let Some(name) = &args.encoding {
        let known: Vec<&str> = mindgap::Encoding::ALL.iter().map(|e| e.as_str()).collect();
        options.encoding = Some(mindgap::Encoding::parse(name).ok_or_else(|| {
            Failure::usage(format!(
                "--encoding {name}: not an encoding mindgap reads; one of: {}",
                known.join(", ")
            ))
        })?);
    }
    options.check().map_err(|e| Failure::usage(e.to_string()))?;
    Ok(options)
}

/// Counts bytes read and shows a progress line for files over 64 MB.
struct Progress<R> {
    inner: R,
    name: String,
    total: u64,
    read: u64,
    shown: u64,
    enabled: bool,
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.enabled && (self.read - self.shown >= 16 << 20 || n == 0) {
            self.shown = self.read;
            let pct = (self.read * 100).checked_div(self.total).unwrap_or(100);
            let mut err = std::io::stderr().lock();
            // Progress is best effort: a closed stderr must not stop the work.
            let _ = write!(err, "\r{}: {pct:>3}% of {} MB", self.name, self.total >> 20);
            if n == 0 {
                let _ = writeln!(err);
            }
        }
        Ok(n)
    }
}

fn open(path: &Path) -> mindgap::Result<Progress<BufReader<File>>> {
    let file = File::open(path).map_err(|source| mindgap::Error::Io {
        at: mindgap::Location::file(path.display().to_string()),
        source,
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    Ok(Progress {
        inner: BufReader::with_capacity(1 << 20, file),
        name: path.display().to_string(),
        total,
        read: 0,
        shown: 0,
        enabled: total > 64 << 20 && std::io::stderr().is_terminal(),
    })
}

/// Reads one JSON diary and any number of CSV / JSON Lines files.
pub fn load(
    files: &[PathBuf],
    options: ReadOptions,
) -> mindgap::Result<(Loaded, Vec<FileSummary>), Failure> {
    let mut diaries = Vec::new();
    let mut others = Vec::new();
    for f in files {
        let name = f.display().to_string();
        if name.to_ascii_lowercase().ends_with(".json") {
            diaries.push(f);
        } else {
            let format = Format::from_name(&name).ok_or_else(|| {
                Failure::usage(format!(
                    "{name}: cannot tell the format; name it .json (diary), .csv or .jsonl"
                ))
            })?;
            others.push((f, name, format));
        }
    }
    let diary_path = match diaries.as_slice() {
        [one] => *one,
        [] => {
            return Err(Failure::usage(
                "no diary given: records are checked against the stages and expectations of a diary.json",
            ));
        }
        _ => return Err(Failure::usage("more than one diary .json given; give one")),
    };
    let bytes = std::fs::read(diary_path)
        .map_err(|e| Failure::usage(format!("{}: {e}", diary_path.display())))?;
    let mut readers = others
        .iter()
        .map(|(path, _, _)| open(path))
        .collect::<mindgap::Result<Vec<_>>>()?;
    let mut sources: Vec<Source<'_>> = others
        .iter()
        .zip(readers.iter_mut())
        .map(|((_, name, format), reader)| Source {
            name,
            format: *format,
            size: (reader.total > 0).then_some(reader.total),
            reader,
        })
        .collect();
    let name = diary_path.display().to_string();
    let (loader, summary) = mindgap::api::open(&bytes, &name, &mut sources, options)?;
    Ok((loader.finish()?, summary))
}

/// Where a command's diary comes from: the built-in sample or files.
#[derive(Debug, Clone, clap::Args)]
pub struct DiaryArgs {
    /// Use the built-in sample diary.
    #[arg(long, conflicts_with_all = ["diary", "interactions", "feedback", "records"])]
    pub sample: bool,
    /// Rows of the built-in sample.
    #[arg(long, default_value_t = mindgap::sample::DEFAULT_ROWS, requires = "sample")]
    pub rows: usize,
    /// The diary JSON.
    #[arg(long, value_name = "FILE", required_unless_present = "sample")]
    pub diary: Option<PathBuf>,
    /// Interactions CSV (or JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub interactions: Vec<PathBuf>,
    /// Feedback CSV (or JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub feedback: Vec<PathBuf>,
    /// More record files (JSON Lines or CSV).
    #[arg(long, value_name = "FILE")]
    pub records: Vec<PathBuf>,
    /// Skip bad records (listed on stderr) instead of stopping at the first.
    #[arg(long)]
    pub lenient: bool,
    /// How CSV files are read.
    #[command(flatten)]
    pub csv: CsvArgs,
}

impl DiaryArgs {
    pub(crate) fn read_options(&self) -> Result<ReadOptions, Failure> {
        read_options(self.lenient, &self.csv)
    }

    /// The report computed while the interaction files are read, without
    /// holding them ([`mindgap::Files`]): the diary, the record files
    /// and the feedback are read first, then the interaction CSV files are
    /// streamed. `None` for the sample, or when an interaction file is not
    /// CSV (then the whole diary is loaded).
    pub fn report_streamed(
        &self,
        options: &mindgap::ReportOptions,
    ) -> Result<Option<mindgap::Report>, Failure> {
        self.stream(options.lang, |files| files.report(options))
    }

    /// The trend computed the same way ([`Self::report_streamed`]).
    pub fn trend_streamed(
        &self,
        options: &mindgap::TrendOptions,
    ) -> Result<Option<mindgap::TrendReport>, Failure> {
        self.stream(options.report.lang, |files| files.trend(options))
    }

    /// Any analysis computed the same way ([`Self::report_streamed`]):
    /// `None` when the files cannot be streamed.
    pub fn stream<T>(
        &self,
        lang: mindgap::Lang,
        run: impl FnOnce(&Files) -> mindgap::Result<Streamed<T>>,
    ) -> Result<Option<T>, Failure> {
        let (Some(diary), false) = (&self.diary, self.sample) else {
            return Ok(None);
        };
        // Record files show their progress on a terminal.
        let files = Files::new(diary.clone(), self.interactions.clone())
            .with_feedback(self.feedback.iter().cloned())
            .with_records(self.records.iter().cloned())
            .with_read(self.read_options()?)
            .with_opener(|p: &Path| {
                let reader = open(p)?;
                let size = (reader.total > 0).then_some(reader.total);
                Ok(Opened {
                    reader: Box::new(reader),
                    size,
                })
            });
        if !files.streams() {
            return Ok(None);
        }
        let done = run(&files)?;
        list_skipped(&done.skipped, lang);
        list_notes(&done.notes, lang);
        Ok(Some(done.result))
    }

    /// The expectations measured in business time (with a calendar), read
    /// from the diary JSON alone (or the sample's definitions).
    pub fn business_ids(&self) -> Result<std::collections::HashSet<String>, Failure> {
        let defs = match self.diary.as_ref().filter(|_| !self.sample) {
            None => mindgap::sample::definitions(),
            Some(path) => {
                let bytes = std::fs::read(path)
                    .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
                mindgap::diary_from_json(&bytes)?
            }
        };
        Ok(defs
            .expectations
            .iter()
            .filter(|e| e.calendar.is_some())
            .map(|e| e.id.as_str().to_owned())
            .collect())
    }

    /// The diary's time zone (read from its JSON alone), for dates given
    /// on the command line.
    pub fn zone(&self) -> Result<mindgap::TimeZone, Failure> {
        #[derive(serde::Deserialize)]
        struct Zone {
            timezone: mindgap::TimeZone,
        }
        let Some(path) = self.diary.as_ref().filter(|_| !self.sample) else {
            return Ok(mindgap::sample::definitions().timezone);
        };
        let bytes =
            std::fs::read(path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        serde_json::from_slice::<Zone>(&bytes)
            .map(|z| z.timezone)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
    }

    /// The ids of the expectations measured in business time (those with a
    /// calendar), read from the diary's JSON alone.
    pub fn business_expectations(&self) -> Result<std::collections::HashSet<String>, Failure> {
        #[derive(serde::Deserialize)]
        struct Exp {
            id: String,
            #[serde(default)]
            calendar: Option<serde_json::Value>,
        }
        #[derive(serde::Deserialize)]
        struct Diary {
            #[serde(default)]
            expectations: Vec<Exp>,
        }
        let Some(path) = self.diary.as_ref().filter(|_| !self.sample) else {
            return Ok(mindgap::sample::definitions()
                .expectations
                .iter()
                .filter(|e| e.calendar.is_some())
                .map(|e| e.id.as_str().to_owned())
                .collect());
        };
        let bytes =
            std::fs::read(path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        serde_json::from_slice::<Diary>(&bytes)
            .map(|d| {
                d.expectations
                    .into_iter()
                    .filter(|e| e.calendar.as_ref().is_some_and(|c| !c.is_null()))
                    .map(|e| e.id)
                    .collect()
            })
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
    }

    /// Loads the diary; skipped records (lenient mode) and notes are listed
    /// on stderr, in `lang`.
    /// The diary lives until the process exits (a command runs once): freeing
    /// millions of strings one by one only to exit costs a second per million
    /// rows.
    pub fn load(&self, lang: mindgap::Lang) -> Result<&'static mindgap::Diary, Failure> {
        self.read(lang).map(|d| &*Box::leak(Box::new(d)))
    }

    fn read(&self, lang: mindgap::Lang) -> Result<mindgap::Diary, Failure> {
        if self.sample {
            return Ok(mindgap::sample::diary(self.rows));
        }
        let mut files: Vec<PathBuf> = self.diary.iter().cloned().collect();
        files.extend(self.interactions.iter().cloned());
        files.extend(self.feedback.iter().cloned());
        files.extend(self.records.iter().cloned());
        let (loaded, _) = load(&files, self.read_options()?)?;
        list_skipped(&loaded.skipped, lang);
        list_notes(&loaded.notes, lang);
        Ok(loaded.diary)
    }
}

/// Notes of the reading (columns no field reads, an encoding assumed) on
/// stderr, in `lang`: nothing read is passed over silently.
fn list_notes(notes: &[mindgap::text::Sentence], lang: mindgap::Lang) {
    let w = lang.words();
    for n in notes {
        eprintln!("{}", fill(w.val_note, &[("message", &n.text(lang))]));
    }
}

/// Lists skipped records (lenient mode) on stderr, in `lang`.
fn list_skipped(skipped: &[mindgap::Error], lang: mindgap::Lang) {
    let w = lang.words();
    for e in skipped {
        eprintln!(
            "{}",
            fill(w.import_skip, &[("message", &e.message_in(lang))])
        );
    }
    if !skipped.is_empty() {
        let said = Sentence::new(Msg::SkippedCount).count("n", skipped.len() as u64);
        eprintln!("{}", said.text(lang));
    }
}
