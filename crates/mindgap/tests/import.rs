//! Each import profile reads its product's fixture export (`fixtures/import/<profile>/`,
//! written the way that product writes it) into the same report as the same records written
//! in mindgap's own columns.

// Reads the import profiles: only with the core feature `profiles` (a glob `--test '*'`
// with required-features would fail without it).
#![cfg(feature = "profiles")]
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
    (
        mindgap::api::to_json(&report),
        loaded.notes.iter().map(ToString::to_string).collect(),
    )
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

#[test]
fn stages_named_in_any_language_of_the_diary_are_read_as_their_ids() {
    let dir = fixtures().join("bitrix24");
    let canonical = std::fs::read_to_string(dir.join("canonical/interactions.csv")).unwrap();
    assert!(canonical.contains(",service,"));
    let renamed =
        std::env::temp_dir().join(format!("mindgap-stage-names-{}.csv", std::process::id()));
    std::fs::write(&renamed, canonical.replace(",service,", ",ОБСЛУЖИВАНИЕ ,")).unwrap();
    let (got, _) = report(&dir, std::slice::from_ref(&renamed), CsvOptions::default());
    std::fs::remove_file(&renamed).unwrap();
    let (want, _) = report(
        &dir,
        &[dir.join("canonical/interactions.csv")],
        CsvOptions::default(),
    );
    assert_eq!(got, want);
}

mod durations {
    use super::*;
    use proptest::prelude::*;

    /// The report of interactions written as CSV text.
    fn report_of(csv: &str, options: CsvOptions) -> String {
        let json = std::fs::read(fixtures().join("../diary-small.json")).unwrap();
        let mut loader = Loader::from_json(
            &json,
            "diary.json",
            ReadOptions::default().with_csv(options),
        )
        .unwrap();
        loader.read_csv(csv.as_bytes(), "i.csv").unwrap();
        let diary = loader.finish().unwrap().diary;
        let options = ReportOptions::default().with_as_of(
            mindgap::parse_timestamp("2027-01-01T00:00:00Z", None, diary.timezone).unwrap(),
        );
        mindgap::api::to_json(&mindgap::report(&diary, &options).unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A reply time in minutes (or hh:mm:ss) scores as the timestamp it
        /// comes to: the same classes, the same figures.
        #[test]
        fn minutes_score_as_the_timestamps_they_come_to(
            rows in prop::collection::vec((0i64..400 * 24 * 60, prop::option::of(0i64..8 * 24 * 60)), 1..30),
            clock in any::<bool>(),
        ) {
            let tz = mindgap::TimeZone::from_name("Europe/Moscow").unwrap();
            let start = mindgap::parse_timestamp("2026-01-01T00:00:00+03:00", None, tz).unwrap();
            let (mut canonical, mut export) = (
                String::from("id,opened_at,first_response_at,channel,stage\n"),
                String::from("Ticket;Created;Reply time;Via\n"),
            );
            for (k, (opened, reply)) in rows.iter().enumerate() {
                let opened_at = start + chrono::Duration::minutes(*opened);
                let reply_at = reply.map(|m| (opened_at + chrono::Duration::minutes(m)).to_rfc3339());
                canonical.push_str(&format!(
                    "i{k},{},{},email,attraction\n",
                    opened_at.to_rfc3339(),
                    reply_at.unwrap_or_default()
                ));
                let reply = match (reply, clock) {
                    (None, _) => String::new(),
                    (Some(m), false) => m.to_string(),
                    (Some(m), true) => format!("{}:{:02}:00", m / 60, m % 60),
                };
                // Local times in the diary's zone, day first.
                let local = opened_at.with_timezone(&chrono::FixedOffset::east_opt(3 * 3600).unwrap());
                export.push_str(&format!("i{k};{};{reply};E-mail\n", local.format("%d.%m.%Y %H:%M")));
            }
            let mut mapping = CsvOptions::default()
                .with_interaction_column(("id", "Ticket"))
                .with_interaction_column(("opened_at", "Created"))
                .with_interaction_column(("channel", "Via"))
                .with_timestamp_format("%d.%m.%Y %H:%M");
            mapping.interaction_columns.insert("stage".into(), mindgap::Column::constant("attraction"));
            let mut reply = mindgap::Column::header("Reply time");
            reply.unit = Some(if clock { mindgap::DurationUnit::Clock } else { mindgap::DurationUnit::Minutes });
            mapping.interaction_columns.insert("first_response_at".into(), reply);
            mapping.values.insert("channel".into(), [("e-mail".to_owned(), "email".to_owned())].into());
            prop_assert_eq!(report_of(&export, mapping), report_of(&canonical, CsvOptions::default()));
        }
    }
}

#[test]
fn custom_columns_are_kept_and_written_back() {
    let dir = fixtures().join("zendesk");
    let json = std::fs::read(dir.join("diary.json")).unwrap();
    let read = |csv: CsvOptions, file: &Path| {
        let mut loader =
            Loader::from_json(&json, "diary.json", ReadOptions::default().with_csv(csv)).unwrap();
        loader
            .read_csv(std::fs::File::open(file).unwrap(), "tickets.csv")
            .unwrap();
        loader.finish().unwrap().diary
    };
    // The profile reads Priority as the interactions' priority (what `when`
    // selects by); a custom column is kept by name.
    let mut kept = CsvOptions::default().with_from("zendesk");
    kept.custom_columns = vec!["Requester id".into()];
    let diary = read(kept, &dir.join("tickets.csv"));
    let priorities: Vec<&str> = diary
        .interactions
        .iter()
        .filter_map(|i| i.priority.as_deref())
        .collect();
    assert_eq!(priorities.len(), diary.interactions.len());
    assert!(
        priorities.iter().any(|p| p.eq_ignore_ascii_case("high")),
        "{priorities:?}"
    );
    assert!(
        diary
            .interactions
            .iter()
            .all(|i| i.fields.contains_key("Requester id"))
    );
    // Written as `priority` and `field:Requester id` (after `messages`), read back as is.
    let bytes = mindgap::write_interactions(Vec::new(), &diary.interactions).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with(",priority,messages,field:Requester id")
    );
    let mut defs = diary.clone();
    defs.interactions.clear();
    defs.feedback.clear();
    let mut loader = Loader::new(defs, ReadOptions::default()).unwrap();
    loader.read_csv(text.as_bytes(), "back.csv").unwrap();
    assert_eq!(
        loader.finish().unwrap().diary.interactions,
        diary.interactions
    );
    // "*" keeps every column no field reads.
    let mut all = CsvOptions::default().with_from("zendesk");
    all.custom_columns = vec!["*".into()];
    let every = read(all, &dir.join("tickets.csv"));
    assert!(
        every.interactions[0].fields.len() > 10,
        "{:?}",
        every.interactions[0].fields
    );
    assert!(every.interactions[0].fields.contains_key("Requester id"));
}

#[test]
fn a_constant_stage_is_checked_once_against_the_diary() {
    let dir = fixtures().join("zendesk");
    let json = std::fs::read(dir.join("diary.json")).unwrap();
    let with_stage = |stage: &str| {
        let mut csv = CsvOptions::default().with_from("zendesk");
        csv.interaction_columns
            .insert("stage".into(), mindgap::Column::constant(stage));
        let mut loader =
            Loader::from_json(&json, "diary.json", ReadOptions::default().with_csv(csv)).unwrap();
        loader.read_csv(
            std::fs::File::open(dir.join("tickets.csv")).unwrap(),
            "tickets.csv",
        )
    };
    let e = with_stage("support").unwrap_err().to_string();
    assert!(
        e.contains("csv.interaction_columns.stage") && e.contains("its stages: service"),
        "{e}"
    );
    // By its name, in any case: fine.
    with_stage("SERVICE").unwrap();
}

#[test]
fn errors_name_the_exports_own_column() {
    let dir = fixtures().join("zendesk");
    let json = std::fs::read(dir.join("diary.json")).unwrap();
    let csv = "Id,Created at,Via,Status\n7,yesterday,Mail,Open\n";
    let mut loader = Loader::from_json(
        &json,
        "diary.json",
        ReadOptions::default().with_csv(CsvOptions::default().with_from("zendesk")),
    )
    .unwrap();
    let e = loader.read_csv(csv.as_bytes(), "tickets.csv").unwrap_err();
    assert!(
        e.to_string().starts_with(
            "tickets.csv line 2, record \"7\", field \"opened_at\" (column \"Created at\"): invalid value \"yesterday\""
        ),
        "{e}"
    );
    let report = mindgap::api::to_json(&e.to_report());
    assert!(report.contains("\"column\": \"Created at\""), "{report}");
    // mindgap's own columns: no column named apart.
    let mut plain = Loader::from_json(&json, "diary.json", ReadOptions::default()).unwrap();
    let e = plain
        .read_csv(
            "id,opened_at,channel,stage\n7,yesterday,email,service\n".as_bytes(),
            "i.csv",
        )
        .unwrap_err();
    assert!(e.location().is_some_and(|l| l.column.is_none()), "{e}");
}
