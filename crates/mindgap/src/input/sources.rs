//! Where records come from: a JSON diary and record files (CSV or JSON
//! Lines) read in order into a [`Loader`], with what each file held.

use serde::{Deserialize, Serialize};

use super::read::{Loaded, Loader, ReadOptions};
use crate::error::Result;
use crate::model::CsvKind;

crate::util::names!(FileKind {
    Diary => "diary",
    Interactions => "interactions",
    Feedback => "feedback",
    Records => "records",
});

impl From<CsvKind> for FileKind {
    fn from(kind: CsvKind) -> FileKind {
        match kind {
            CsvKind::Interactions => FileKind::Interactions,
            CsvKind::Feedback => FileKind::Feedback,
        }
    }
}

/// What a file held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileKind {
    /// The JSON diary.
    Diary,
    /// Interactions (CSV).
    Interactions,
    /// Feedback (CSV).
    Feedback,
    /// Records of any kind (JSON Lines).
    Records,
}

/// The format of a source of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// CSV (interactions or feedback, told apart by the header).
    Csv,
    /// JSON Lines.
    Jsonl,
}

impl Format {
    /// The format for a file name, from its extension (`.csv`, `.tsv`, `.txt`,
    /// `.jsonl`, `.ndjson`).
    ///
    /// ```
    /// use mindgap::api::Format;
    /// assert_eq!(Format::from_name("exports/Tickets.CSV"), Some(Format::Csv));
    /// assert_eq!(Format::from_name("records.ndjson"), Some(Format::Jsonl));
    /// assert_eq!(Format::from_name("diary.json"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// A file of records beside the diary, read as a stream.
pub struct Source<'a> {
    /// Its name, used in error messages.
    pub name: &'a str,
    /// Its format.
    pub format: Format,
    /// Its content (`&[u8]` works; so does a file).
    pub reader: &'a mut (dyn std::io::Read + Send),
    /// Its length in bytes, when known (a file's): the reader then makes
    /// room for all its records at once instead of growing as it goes.
    pub size: Option<u64>,
}

impl std::fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("name", &self.name)
            .field("format", &self.format)
            .field("size", &self.size)
            .finish()
    }
}

/// Reads a JSON diary and its record files (streamed: a record file is never
/// held whole in memory).
///
/// ```no_run
/// use mindgap::api::{Format, Source, load};
/// let diary = std::fs::read("diary.json")?;
/// let mut file = std::fs::File::open("interactions.csv")?;
/// let size = Some(file.metadata()?.len());
/// let csv = Source { name: "interactions.csv", format: Format::Csv, reader: &mut file, size };
/// let (loaded, files) = load(&diary, "diary.json", &mut [csv], Default::default())?;
/// assert_eq!(files[1].file, "interactions.csv");
/// println!("{} interactions", loaded.diary.interactions.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load(
    diary_json: &[u8],
    diary_name: &str,
    sources: &mut [Source<'_>],
    options: ReadOptions,
) -> Result<(Loaded, Vec<FileSummary>)> {
    let (loader, files) = open(diary_json, diary_name, sources, options)?;
    Ok((loader.finish()?, files))
}

/// [`load`] without finishing: the loader stays open for more records (a
/// streamed report streams the interaction files after these).
pub fn open(
    diary_json: &[u8],
    diary_name: &str,
    sources: &mut [Source<'_>],
    options: ReadOptions,
) -> Result<(Loader, Vec<FileSummary>)> {
    open_with(diary_json, diary_name, sources, options, false)
}

/// [`open`] for a streamed report (a streamed report):
/// the feedback is held compactly as it is read ([`Loader::hold_feedback`]),
/// so that a third of a million feedback rows never stand as records.
pub(crate) fn open_for_stream(
    diary_json: &[u8],
    diary_name: &str,
    sources: &mut [Source<'_>],
    options: ReadOptions,
) -> Result<(Loader, Vec<FileSummary>)> {
    open_with(diary_json, diary_name, sources, options, true)
}

fn open_with(
    diary_json: &[u8],
    diary_name: &str,
    sources: &mut [Source<'_>],
    options: ReadOptions,
    hold_feedback: bool,
) -> Result<(Loader, Vec<FileSummary>)> {
    let mut loader = Loader::from_json(diary_json, diary_name, options)?;
    if hold_feedback {
        loader.hold_feedback();
    }
    let mut files = vec![FileSummary {
        file: diary_name.to_owned(),
        kind: FileKind::Diary,
    }];
    files.extend(read_sources(&mut loader, sources)?);
    Ok((loader, files))
}

/// Reads record files into a loader, in order, and says what each held.
fn read_sources(loader: &mut Loader, sources: &mut [Source<'_>]) -> Result<Vec<FileSummary>> {
    let mut files = Vec::with_capacity(sources.len());
    for s in sources.iter_mut() {
        let kind = match s.format {
            Format::Csv => loader
                .read_csv_sized(&mut *s.reader, s.name, s.size)?
                .into(),
            Format::Jsonl => {
                loader.read_jsonl(&mut *s.reader, s.name)?;
                FileKind::Records
            }
        };
        files.push(FileSummary {
            file: s.name.to_owned(),
            kind,
        });
    }
    Ok(files)
}

/// What was read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    /// The name as given.
    pub file: String,
    /// What it held.
    pub kind: FileKind,
}
