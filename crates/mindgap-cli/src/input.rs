//! Reading the files a command is given: one JSON diary, then CSV and JSON
//! Lines files with its records, in any order.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use mindgap::csv::{CsvKind, CsvOptions};
use mindgap::read::{Loaded, Loader, ReadOptions};

use crate::Failure;

/// What was read from one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSummary {
    /// The path as given.
    pub file: String,
    /// `diary`, `interactions`, `feedback` or `records`.
    pub kind: &'static str,
}

/// The format of a file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Jsonl,
    Csv,
}

fn format_of(path: &Path) -> Result<Format, Failure> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "json" => Ok(Format::Json),
        "jsonl" | "ndjson" => Ok(Format::Jsonl),
        "csv" | "tsv" | "txt" => Ok(Format::Csv),
        _ => Err(Failure::usage(format!(
            "{}: cannot tell the format; name it .json (diary), .csv or .jsonl",
            path.display()
        ))),
    }
}

fn open(path: &Path) -> Result<BufReader<File>, Failure> {
    File::open(path)
        .map(|f| BufReader::with_capacity(1 << 20, f))
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

/// Reads a CSV column mapping (the JSON form of [`CsvOptions`]).
pub fn csv_options(
    path: Option<&Path>,
    timestamp_format: Option<&str>,
) -> Result<CsvOptions, Failure> {
    let mut options = match path {
        None => CsvOptions::default(),
        Some(p) => {
            let text =
                std::fs::read(p).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?;
            serde_json::from_slice(&text)
                .map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?
        }
    };
    if let Some(f) = timestamp_format {
        options.timestamp_format = Some(f.to_owned());
    }
    Ok(options)
}

/// Reads one JSON diary and any number of CSV / JSON Lines files.
pub fn load(
    files: &[PathBuf],
    options: ReadOptions,
) -> Result<(Loaded, Vec<FileSummary>), Failure> {
    let mut diaries = Vec::new();
    let mut others = Vec::new();
    for f in files {
        match format_of(f)? {
            Format::Json => diaries.push(f),
            other => others.push((f, other)),
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
    let name = diary_path.display().to_string();
    let mut loader = Loader::from_json(&bytes, &name, options)?;
    drop(bytes);
    let mut summaries = vec![FileSummary {
        file: name,
        kind: "diary",
    }];
    for (path, format) in others {
        let name = path.display().to_string();
        let kind = match format {
            Format::Csv => match loader.read_csv(open(path)?, &name)? {
                CsvKind::Interactions => "interactions",
                CsvKind::Feedback => "feedback",
            },
            _ => {
                loader.read_jsonl(open(path)?, &name)?;
                "records"
            }
        };
        summaries.push(FileSummary { file: name, kind });
    }
    Ok((loader.finish()?, summaries))
}
