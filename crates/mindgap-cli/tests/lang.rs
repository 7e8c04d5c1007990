//! `--lang ru` prints no English word of the catalogue, in any command and
//! any format but JSON (which keeps its machine names): every word a person
//! reads comes from the Russian catalogue. Words of the data itself (ids,
//! descriptions, reasons, comments) are taken out first; a data value that
//! is also a catalogue word (a channel, a status) is kept, so it must be
//! printed in Russian.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use mindgap::Lang;

fn mindgap(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Lower-case ASCII words of three letters or more.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The English catalogue's words, but the names used in both languages.
fn english() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, texts) in Lang::En.words().entries() {
        for t in texts {
            // Placeholders are not words.
            let mut plain = String::new();
            let mut depth = 0;
            for c in t.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ if depth == 0 => plain.push(c),
                    _ => {}
                }
            }
            out.extend(words(&plain));
        }
    }
    // Names, the same in every language.
    for shared in [
        "nps", "csat", "ces", "mindgap", "utf", "true", "false", "rfc", "iso", "iana", "csv",
        "json", "ascii",
    ] {
        out.remove(shared);
    }
    out
}

/// Every string value of a JSON document.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Every string value of the key `key` in a JSON document.
fn fields(v: &serde_json::Value, key: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| fields(x, key, out)),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                match x {
                    serde_json::Value::String(s) if k == key => out.push(s.clone()),
                    _ => fields(x, key, out),
                }
            }
        }
        _ => {}
    }
}

/// The data's own strings: every value of the diary and of the CSV files,
/// but those that are catalogue words.
fn data(dir: &Path, catalogue: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                let diary: serde_json::Value = serde_json::from_str(&text).unwrap();
                strings(&diary, &mut out);
                // Touchpoints are named `stage/touchpoint`.
                for s in diary["stages"].as_array().into_iter().flatten() {
                    for t in s["touchpoints"].as_array().into_iter().flatten() {
                        out.push(format!(
                            "{}/{}",
                            s["id"].as_str().unwrap_or_default(),
                            t["id"].as_str().unwrap_or_default()
                        ));
                    }
                }
            }
            Some("csv") => {
                let mut r = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(text.as_bytes());
                for row in r.records() {
                    out.extend(row.unwrap().iter().map(str::to_owned));
                }
            }
            _ => {}
        }
    }
    // The trend table cuts names at 48 characters.
    let cut: Vec<String> = out
        .iter()
        .filter(|s| s.chars().count() > 48)
        .map(|s| s.chars().take(48).collect())
        .collect();
    out.extend(cut);
    out.retain(|s| {
        s.chars().any(|c| c.is_alphabetic()) && !catalogue.contains(&s.to_ascii_lowercase())
    });
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// The text a person reads of an HTML or SVG document: no tags, no style,
/// no chart label of the data's own (`<text class="mg-data">`: a name, an id
/// or a key, cut to fit the chart, so not found whole among the data).
fn readable(markup: &str) -> String {
    let mut text = markup.to_owned();
    while let Some(a) = text.find("<text class=\"mg-data\"") {
        let Some(b) = text[a..].find("</text>") else {
            break;
        };
        text.replace_range(a..a + b + "</text>".len(), " ");
    }
    while let (Some(a), Some(b)) = (text.find("<style>"), text.find("</style>")) {
        if b < a {
            break;
        }
        text.replace_range(a..b + "</style>".len(), " ");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A message with its quoted values (`"opened_at"`, `"web"`: ids, fields,
/// columns and values as the data spells them) taken out.
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
            out.push(' ');
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

fn check(output: &str, data: &[String], catalogue: &BTreeSet<String>, what: &str) {
    let mut text = if output.trim_start().starts_with('<') {
        readable(output)
    } else {
        output.to_owned()
    };
    // The tz data a report's header names (`tzdata 2025b (system
    // /usr/share/zoneinfo)`): a release, a source and a path, names in every
    // language, not words.
    while let Some(i) = text.find("tzdata ") {
        let Some(j) = text[i..].find(')') else { break };
        text.replace_range(i..i + j + 1, " ");
    }
    for d in data {
        text = text.replace(d.as_str(), " ");
    }
    let english: Vec<String> = words(&text)
        .into_iter()
        .filter(|w| catalogue.contains(w))
        .collect();
    assert!(
        english.is_empty(),
        "{what}: English words {english:?} in --lang ru output:\n{text}"
    );
}

#[test]
fn russian_output_has_no_english_words_of_the_catalogue() {
    let catalogue = english();
    // Sanity: the check would see the English words.
    assert!(catalogue.contains("missed") && catalogue.contains("business"));

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    mindgap(&["sample", "--out", d, "--rows", "600"]);
    let sample_data = data(dir.path(), &catalogue);
    let files = |rest: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "--diary",
            &format!("{d}/diary.json"),
            "--interactions",
            &format!("{d}/interactions.csv"),
            "--feedback",
            &format!("{d}/feedback.csv"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend(rest.iter().map(|s| s.to_string()));
        v
    };
    let mut runs: Vec<Vec<String>> = Vec::new();
    for format in ["table", "markdown", "csv", "html"] {
        for extra in [
            &["--by", "channel", "--by", "employee", "--by", "week"][..],
            &["--by", "stage", "--per", "month"][..],
        ] {
            let mut a = vec!["report".to_owned()];
            a.extend(files(&["--format", format]));
            a.extend(extra.iter().map(|s| s.to_string()));
            runs.push(a);
        }
    }
    for format in ["table", "csv", "svg"] {
        for extra in [
            &[][..],
            &["--by", "channel"][..],
            &["--by", "expectation", "--metric", "p90"][..],
            &["--metric", "nps", "--bucket", "month"][..],
        ] {
            let mut a = vec!["trend".to_owned()];
            a.extend(files(&["--format", format]));
            a.extend(extra.iter().map(|s| s.to_string()));
            runs.push(a);
        }
    }
    for format in ["table", "csv"] {
        for (cmd, extra) in [
            ("followups", &[][..]),
            ("drill", &["--limit", "300"][..]),
            ("drill", &["--class", "missed", "--limit", "300"][..]),
            ("people", &[][..]),
            ("people", &["--teams"][..]),
            (
                "problems",
                &["--by", "customer", "--by", "stage", "--min", "2"][..],
            ),
            ("due", &["--as-of", "2026-10-20"][..]),
        ] {
            let mut a = vec![cmd.to_owned()];
            a.extend(files(&["--format", format]));
            a.extend(extra.iter().map(|s| s.to_string()));
            runs.push(a);
        }
    }
    for mut a in runs {
        a.extend(["--lang".to_owned(), "ru".to_owned()]);
        let args: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = mindgap(&args);
        assert!(!out.trim().is_empty(), "{args:?}");
        check(&out, &sample_data, &catalogue, &a.join(" "));
    }

    // The words inside the JSON: each drill record's `text`, each
    // follow-up's `age_text` (business time said in Russian).
    for (cmd, field, extra) in [
        ("drill", "text", &["--limit", "300"][..]),
        ("followups", "age_text", &[][..]),
    ] {
        let mut a = vec![cmd.to_owned()];
        a.extend(files(&["--format", "json", "--lang", "ru"]));
        a.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = a.iter().map(String::as_str).collect();
        let json: serde_json::Value = serde_json::from_str(&mindgap(&args)).unwrap();
        let mut texts = Vec::new();
        fields(&json, field, &mut texts);
        assert!(texts.len() > 10, "{cmd}: {} {field}", texts.len());
        if cmd == "followups" {
            assert!(texts.iter().any(|t| t.contains("раб.")), "{texts:?}");
        }
        check(
            &texts.join("\n"),
            &sample_data,
            &catalogue,
            &format!("{cmd} {field}"),
        );
    }

    // validate's text and sample's message (the paths and file names given
    // are the data's).
    let names = |text: &str| {
        let mut t = text.replace(d, " ");
        for f in [
            "diary.json",
            "interactions.csv",
            "feedback.csv",
            "follow_ups.jsonl",
        ] {
            t = t.replace(f, " ");
        }
        t.replace("--records", " ")
    };
    let mut a = files(&["--lang", "ru"]);
    a.retain(|x| !x.starts_with("--") || x == "--lang");
    a.insert(0, "validate".to_owned());
    let args: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = mindgap(&args);
    assert!(out.contains("ошибок нет"), "{out}");
    // The core's own messages after "примечание:" (loader notes) are the
    // catalogue's too; what they quote is the data's.
    assert!(out.contains("примечание: "), "{out}");
    check(
        &names(&unquoted(&out)),
        &sample_data,
        &catalogue,
        "validate",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args(["sample", "--out", d, "--rows", "600", "--lang", "ru"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("600 строк"), "{said}");
    check(&names(&said), &sample_data, &catalogue, "sample");

    // import's messages: a CRM export with a record it skips (--lenient).
    let bitrix = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/import/bitrix24");
    let export = dir.path().join("deals.csv");
    // (In Windows-1251 as Bitrix24 writes it: bytes, not text.) A row with
    // an id and nothing else is skipped.
    let mut bytes = std::fs::read(bitrix.join("tickets.csv")).unwrap();
    let columns = bytes.split(|&b| b == b'\n').next().unwrap();
    let width = columns.iter().filter(|&&b| b == b';').count();
    if !bytes.ends_with(b"\n") {
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"\"9999\"");
    bytes.extend_from_slice(&b";\"\"".repeat(width));
    bytes.extend_from_slice(b"\r\n");
    std::fs::write(&export, bytes).unwrap();
    let out_dir = dir.path().join("imported");
    let out = Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args([
            "import",
            "--from",
            "bitrix24",
            "--lenient",
            "--lang",
            "ru",
            "--diary",
        ])
        .arg(bitrix.join("diary.json"))
        .arg("--out")
        .arg(&out_dir)
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.contains("записано в") && said.contains("отклонено: 1"),
        "{said}"
    );
    // The skipped record's message and the notes are the core's, in
    // Russian as well; the file's own column names are its data.
    assert!(
        said.contains("пропущено: ") && said.contains("примечание: "),
        "{said}"
    );
    let own = unquoted(&said)
        .replace(&out_dir.display().to_string(), " ")
        .replace(&export.display().to_string(), " ")
        .replace("interactions.csv", " ")
        .replace("feedback.csv", " ");
    check(&own, &sample_data, &catalogue, "import");

    // Bad records: every error validate lists, the JSON's messages, a
    // lenient report's skipped records and a strict report's failure are
    // in Russian; what they quote is the data's.
    let bad = dir.path().join("bad.csv");
    let mut rows = std::fs::read_to_string(format!("{d}/interactions.csv")).unwrap();
    for row in [
        "x-1,yesterday,,,email,service,,c-1,,,,,,,,,,,,",
        "x-2,2026-05-01T10:00:00+03:00,,,email,nowhere,,c-1,,,,,,,,,,,,",
        "x-3,2026-05-01T10:00:00+03:00,,,,service,,c-1,,,,,,,,,,,,",
        "x-4,2026-05-01T10:00:00+03:00,2026-05-01T09:00:00+03:00,,email,service,,c-1,,,,,,,,,,,,",
        "x-6,2026-05-01T10:00:00+03:00,,,email,service,,c-1,,,,,,,,,,,,",
        "x-6,2026-05-01T10:00:00+03:00,,,email,service,,c-1,,,,,,,,,,,,",
        "x-5,2026-05-01T10:00:00+03:00,,,email,service,,c-1,,,,,,,,,,open@nonsense,,",
    ] {
        rows.push_str(row);
        rows.push('\n');
    }
    rows.push_str("x-7,2026-05-01T10:00:00+03:00\n");
    std::fs::write(&bad, rows).unwrap();
    let bad = bad.to_str().unwrap();
    let diary = format!("{d}/diary.json");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_mindgap"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["validate", &diary, bad, "--lang", "ru"]);
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(said.matches("ошибка: ").count(), 7, "{said}");
    assert!(said.contains("отклонено: 7 записей"), "{said}");
    check(
        &names(&unquoted(&said)).replace(bad, " "),
        &sample_data,
        &catalogue,
        "validate errors",
    );
    let out = run(&["validate", &diary, bad, "--lang", "ru", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut messages = Vec::new();
    fields(&json["errors"], "message", &mut messages);
    assert_eq!(messages.len(), 7, "{json}");
    assert_eq!(json["errors"][0]["kind"], "invalid_value");
    check(
        &unquoted(&messages.join("\n").replace(bad, " ")),
        &sample_data,
        &catalogue,
        "validate json",
    );
    let out = run(&[
        "report",
        "--diary",
        &diary,
        "--interactions",
        bad,
        "--lenient",
        "--lang",
        "ru",
    ]);
    assert!(out.status.success());
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("пропущено 7 записей"), "{said}");
    check(
        &unquoted(&said).replace(bad, " "),
        &sample_data,
        &catalogue,
        "report --lenient",
    );
    let out = run(&[
        "report",
        "--diary",
        &diary,
        "--interactions",
        bad,
        "--lang",
        "ru",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.starts_with("mindgap: ") && said.contains("строка"),
        "{said}"
    );
    check(
        &unquoted(&said).replace(bad, " "),
        &sample_data,
        &catalogue,
        "report error",
    );

    // The breach queue of the SLA fixture: business hours and pauses.
    let sla = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sla");
    let sla_data = data(&sla, &catalogue);
    for format in ["table", "csv"] {
        let diary = sla.join("diary.json");
        let tickets = sla.join("tickets.csv");
        let out = mindgap(&[
            "due",
            "--diary",
            diary.to_str().unwrap(),
            "--interactions",
            tickets.to_str().unwrap(),
            "--as-of",
            "2026-11-09T11:00:00+03:00",
            "--changes-since",
            "2026-11-09T10:00:00+03:00",
            "--format",
            format,
            "--lang",
            "ru",
        ]);
        check(&out, &sla_data, &catalogue, &format!("due {format}"));
    }
}
