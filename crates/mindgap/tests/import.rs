//! Each import profile reads its product's fixture export (`fixtures/import/<profile>/`,
//! written the way that product writes it) into the same report as the same records written
//! in mindgap's own columns.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use mindgap::{CsvOptions, Loader, ReadOptions, ReportOptions};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/import")
}

/// The report of a diary and its CSV files (export first, then feedback) read with `csv`.
fn report(dir: &Path, files: &[PathBuf], csv: CsvOptions) -> (String, Vec<String>) {
    let json = std::fs::read(dir.join("diary.json")).unwrap();
    let mut loader =
        Loader::from_json(&json, "diary.json", ReadOptions::default().with_csv(csv)).unwrap();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let file = std::fs::File::open(f).unwrap();
        loader
            .read_csv(file, &name)
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    let loaded = loader.finish().unwrap();
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
    let report = mindgap::report(&loaded.diary, &ReportOptions::default()).unwrap();
    (mindgap::api::to_json(&report), loaded.notes)
}

#[test]
fn every_profile_reads_its_export_as_the_canonical_files() {
    let mut seen = 0;
    for name in mindgap::profile_names().filter(|n| *n != "generic") {
        let dir = fixtures().join(name);
        let mut exports: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        // Interactions before feedback.
        exports.sort_by_key(|p| p.file_name().is_some_and(|n| n == "feedback.csv"));
        let canonical: Vec<PathBuf> = ["interactions.csv", "feedback.csv"]
            .iter()
            .map(|f| dir.join("canonical").join(f))
            .filter(|p| p.exists())
            .collect();
        let (got, notes) = report(&dir, &exports, CsvOptions::default().with_from(name));
        let (want, _) = report(&dir, &canonical, CsvOptions::default());
        assert_eq!(got, want, "{name}");
        let value: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert!(
            value["expectations"][0]["gap"]["n"].as_u64().unwrap() > 0,
            "{name}: {got}"
        );
        // What was assumed is said: no note of an encoding the profile names.
        assert!(
            !notes.iter().any(|n| n.contains("read as")),
            "{name}: {notes:?}"
        );
        seen += 1;
    }
    assert_eq!(seen, 9);
}

#[test]
fn a_cp1251_semicolon_export_reads_with_the_profile_alone_and_is_told_without_it() {
    let dir = fixtures().join("bitrix24");
    let export = dir.join("tickets.csv");
    let bytes = std::fs::read(&export).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is Windows-1251"
    );
    // With the generic profile and no encoding said: told, read, noted.
    let mut generic = CsvOptions::default()
        .with_from("generic")
        .with_interaction_column(("id", "ID"))
        .with_interaction_column(("channel", "Источник"))
        .with_interaction_column(("status", "Стадия сделки"));
    generic
        .interaction_columns
        .insert("stage".into(), mindgap::Column::constant("service"));
    let (_, notes) = report(&dir, std::slice::from_ref(&export), generic);
    assert!(
        notes.iter().any(|n| n.contains("read as windows-1251")),
        "{notes:?}"
    );
    // Said to be UTF-8: the error names what it looks like.
    let json = std::fs::read(dir.join("diary.json")).unwrap();
    let mut loader = Loader::from_json(
        &json,
        "diary.json",
        ReadOptions::default().with_csv(
            CsvOptions::default()
                .with_from("bitrix24")
                .with_encoding(mindgap::Encoding::Utf8),
        ),
    )
    .unwrap();
    let e = loader
        .read_csv(std::fs::File::open(&export).unwrap(), "tickets.csv")
        .unwrap_err();
    assert!(e.to_string().contains("looks like windows-1251"), "{e}");
    // Without any mapping: the missing columns name the profile it looks like.
    let mut loader = Loader::from_json(&json, "diary.json", ReadOptions::default()).unwrap();
    let e = loader
        .read_csv(std::fs::File::open(&export).unwrap(), "tickets.csv")
        .unwrap_err();
    assert!(e.to_string().contains("--from bitrix24"), "{e}");
}

#[test]
fn an_unknown_profile_lists_the_known_ones() {
    let e = mindgap::profile("excel").unwrap_err().to_string();
    assert!(e.contains("zendesk") && e.contains("bitrix24"), "{e}");
    let bad = CsvOptions::default().with_from("excel");
    assert!(bad.check().is_err());
}
