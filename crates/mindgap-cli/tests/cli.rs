//! The `mindgap` command end to end: real processes, real files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn mindgap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sample(dir: &Path, rows: &str) -> [String; 3] {
    let out = mindgap(&["sample", "--out", dir.to_str().unwrap(), "--rows", rows]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    ["diary.json", "interactions.csv", "feedback.csv"]
        .map(|f| dir.join(f).to_str().unwrap().to_owned())
}

/// Runs `command` on the sample files written by [`sample`], with the
/// follow-up records, and `extra` arguments.
fn on_files(command: &str, files: &[String; 3], dir: &Path, extra: &[&str]) -> Output {
    on_files_with(command, files, dir, extra, &[])
}

/// [`on_files`] with `env` variables set.
fn on_files_with(
    command: &str,
    files: &[String; 3],
    dir: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let records = dir.join("follow_ups.jsonl");
    let mut args = vec![
        command,
        "--diary",
        &files[0],
        "--interactions",
        &files[1],
        "--feedback",
        &files[2],
        "--records",
        records.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args(&args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn sample_then_validate_passes() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample(dir.path(), "500");
    let out = mindgap(&["validate", &files[0], &files[1], &files[2]]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("ok: 4 stages, 15 expectation records, 500 interactions"),
        "{stdout}"
    );
    // What the diary does not measure is said: the purchase stage's chats,
    // calls and web visits have no duration expectation.
    assert!(
        stdout.contains("note: ") && stdout.contains("no duration expectation measures"),
        "{stdout}"
    );
}

#[test]
fn validate_lists_every_bad_row_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample(dir.path(), "50");
    let feedback = dir.path().join("bad-feedback.csv");
    std::fs::write(
        &feedback,
        "id,at,interaction,kind,score\n\
         b1,2026-06-01T10:00:00+03:00,i-0000001,nps,6.5\n\
         b2,2026-06-01T10:00:00+03:00,i-0000001,csat,4\n\
         b3,2026-06-01T10:00:00+03:00,i-9999999,csat,4\n",
    )
    .unwrap();
    let out = mindgap(&["validate", &files[0], &files[1], feedback.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("bad-feedback.csv line 2, record \"b1\", field \"score\": invalid value \"6.5\": expected a whole number from 0 to 10 for nps"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "line 4, record \"b3\", field \"interaction\": unknown interaction \"i-9999999\""
        ),
        "{stdout}"
    );
    assert!(stdout.contains("2 records rejected"), "{stdout}");

    let json = mindgap(&[
        "validate",
        "--format",
        "json",
        &files[0],
        &files[1],
        feedback.to_str().unwrap(),
    ]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"][0]["code"], 15);
    assert_eq!(report["errors"][0]["location"]["line"], 2);
    assert_eq!(report["counts"]["feedback"], 1);

    let strict = mindgap(&[
        "validate",
        "--strict",
        &files[0],
        &files[1],
        feedback.to_str().unwrap(),
    ]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        text(&strict.stdout).contains("bad-feedback.csv line 2, record \"b1\""),
        "{}",
        text(&strict.stdout)
    );
}

#[test]
fn usage_errors_exit_with_2_and_say_why() {
    let out = mindgap(&["validate", "nowhere.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no diary given"),
        "{}",
        text(&out.stderr)
    );
    let out = mindgap(&["validate", "/nonexistent/diary.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("/nonexistent/diary.json"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn report_on_the_sample_prints_the_diary_table_in_every_format() {
    let out = mindgap(&["report", "--sample"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    for stage in [
        "ATTRACTION",
        "PURCHASE",
        "AFTER-SALES SERVICE",
        "REPEAT CONTACT",
    ] {
        assert!(table.contains(stage), "{table}");
    }
    assert!(
        table.contains("Reply to a support email within 1-3 days"),
        "{table}"
    );
    assert!(
        table.contains("e-08"),
        "the slow employee is named: {table}"
    );

    let json = mindgap(&["report", "--sample", "--format", "json", "--by", "channel"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["schema"], "mindgap/report/1");
    assert_eq!(report["stages"].as_array().unwrap().len(), 4);
    assert_eq!(report["breakdowns"][0]["dimension"], "channel");
    let e = &report["expectations"][0];
    for key in ["gap", "levels", "actual", "remark", "quadrant", "drivers"] {
        assert!(e.get(key).is_some(), "missing {key}");
    }
    for key in [
        "n",
        "pending",
        "exceeded",
        "within",
        "missed",
        "percentiles",
        "msa",
        "mss",
        "zone_position",
    ] {
        assert!(e["gap"].get(key).is_some(), "missing gap.{key}");
    }

    for format in ["markdown", "csv", "html"] {
        let out = mindgap(&["report", "--sample", "--format", format, "--lang", "ru"]);
        assert!(out.status.success(), "{format}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("Привлечение"), "{format}");
    }
}

#[test]
fn report_reads_files_and_rejects_bad_options() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample(dir.path(), "300");
    let out = on_files("report", &files, dir.path(), &["--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let from_files: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let from_sample: serde_json::Value = serde_json::from_slice(
        &mindgap(&["report", "--sample", "--rows", "300", "--format", "json"]).stdout,
    )
    .unwrap();
    // The files are streamed, the sample is scored in memory: the same report.
    for key in [
        "as_of",
        "stages",
        "expectations",
        "feedback",
        "reasons",
        "ipa",
    ] {
        assert_eq!(
            from_files[key], from_sample[key],
            "{key}: files and the built-in sample agree"
        );
    }

    // Lenient: a bad interaction row is skipped and listed, the rest reported.
    let csv = std::fs::read_to_string(&files[1]).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    lines[5] = lines[5].replacen(",20", ",not a time 20", 1);
    let bad_csv = dir.path().join("bad.csv");
    std::fs::write(&bad_csv, lines.join("\n") + "\n").unwrap();
    let args = [
        "report",
        "--diary",
        &files[0],
        "--feedback",
        &files[2],
        "--interactions",
        bad_csv.to_str().unwrap(),
        "--format",
        "json",
    ];
    let strict = mindgap(&args);
    assert_eq!(strict.status.code(), Some(1), "{}", text(&strict.stderr));
    assert!(
        text(&strict.stderr).contains("bad.csv"),
        "{}",
        text(&strict.stderr)
    );
    assert!(
        text(&strict.stderr).contains("line 6"),
        "{}",
        text(&strict.stderr)
    );
    let mut lenient_args = args.to_vec();
    lenient_args.push("--lenient");
    let lenient = mindgap(&lenient_args);
    assert!(lenient.status.success(), "{}", text(&lenient.stderr));
    assert!(
        text(&lenient.stderr).contains("1 record(s) skipped"),
        "{}",
        text(&lenient.stderr)
    );

    let bad = mindgap(&["report", "--sample", "--as-of", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("--as-of"),
        "{}",
        text(&bad.stderr)
    );
    let bad = mindgap(&["report", "--sample", "--confidence", "1.5"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("confidence"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn trend_finds_the_sample_patterns() {
    let out = mindgap(&["trend", "--sample"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let line = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(line("After-sales service").contains("worsening"), "{table}");
    assert!(line("Repeat contact").contains("stable"), "{table}");
    assert!(
        line("Purchase").contains("above the p-chart limit: 2026-09"),
        "{table}"
    );
    assert!(
        table.contains("Customers now expect 10 min–30 min, not 15 min–1 h"),
        "{table}"
    );
    let out = mindgap(&[
        "trend",
        "--sample",
        "--metric",
        "p90",
        "--by",
        "expectation",
        "--format",
        "json",
    ]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chat = r["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["group"] == "chat-reply")
        .unwrap();
    assert_eq!(chat["stats"]["verdict"], "improving");
    let bad = mindgap(&["trend", "--sample", "--metric", "p90"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("use by expectation"),
        "{}",
        text(&bad.stderr)
    );
    let svg = text(&mindgap(&["trend", "--sample", "--format", "svg"]).stdout);
    assert!(
        svg.starts_with("<svg")
            && svg.ends_with("</svg>\n")
            && svg.matches("<polyline").count() >= 8,
        "{svg}"
    );
    assert!(svg.contains("After-sales service — ↘ worsening"), "{svg}");
    let csv = mindgap(&["trend", "--sample", "--format", "csv", "--bucket", "month"]);
    assert!(
        text(&csv.stdout).starts_with("group,period,x,n,k,value\nattraction,2026-05,0,"),
        "{}",
        text(&csv.stdout)
    );
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn followups_from_files_equal_the_built_in_sample_and_filter_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample(dir.path(), "400");
    let from_files = json(&on_files(
        "followups",
        &files,
        dir.path(),
        &["--format", "json"],
    ));
    let built_in = json(&mindgap(&[
        "followups",
        "--sample",
        "--rows",
        "400",
        "--format",
        "json",
    ]));
    // Streamed from the files (read twice), the whole list is the one of the
    // sample held in memory; so are the ranking and the drill-down.
    assert_eq!(from_files, built_in);
    for (command, extra) in [
        ("people", &["--teams"][..]),
        ("drill", &["--class", "missed", "--limit", "20"][..]),
        ("followups", &["--overdue", "--history", "P3D"][..]),
        (
            "problems",
            &["--by", "customer", "--by", "stage", "--min", "2"][..],
        ),
    ] {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let from_files = json(&on_files(command, &files, dir.path(), &args));
        let mut built_in = vec![command, "--sample", "--rows", "400"];
        built_in.extend_from_slice(&args);
        assert_eq!(from_files, json(&mindgap(&built_in)), "{command}");
    }
    let s = &built_in["summary"];
    assert!(s["closed"].as_u64().unwrap() > 0, "{s}");
    let overdue = json(&mindgap(&[
        "followups",
        "--sample",
        "--overdue",
        "--format",
        "json",
    ]));
    let list = overdue["follow_ups"].as_array().unwrap();
    assert_eq!(
        list.len() as u64,
        overdue["summary"]["overdue"].as_u64().unwrap()
    );
    assert!(list.iter().all(|f| f["state"] == "overdue"));
    let table = mindgap(&["followups", "--sample", "--overdue"]);
    assert!(
        text(&table.stdout).contains("OVERDUE"),
        "{}",
        text(&table.stdout)
    );
    let csv = mindgap(&["followups", "--sample", "--format", "csv"]);
    assert!(text(&csv.stdout).starts_with("state,feedback,at,stage"));
}

#[test]
fn drill_lists_the_records_behind_the_report_figure() {
    let report = json(&mindgap(&["report", "--sample", "--format", "json"]));
    let exp = report["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "support-email-reply")
        .unwrap();
    let missed = exp["gap"]["missed"]["k"].as_u64().unwrap();
    let drill = json(&mindgap(&[
        "drill",
        "--sample",
        "--expectation",
        "support-email-reply",
        "--class",
        "missed",
        "--format",
        "json",
    ]));
    assert_eq!(drill["matched"].as_u64(), Some(missed));
    assert_eq!(drill["records"].as_array().unwrap().len() as u64, missed);
    let by_employee = mindgap(&[
        "drill",
        "--sample",
        "--employee",
        "e-08",
        "--class",
        "missed",
    ]);
    assert!(text(&by_employee.stdout).contains("e-08"));
    let bad = mindgap(&["drill", "--sample", "--expectation", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("\"nope\""),
        "{}",
        text(&bad.stderr)
    );
    let bad = mindgap(&["drill", "--sample", "--class", "late"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn people_and_problems_rank_and_list() {
    let people = json(&mindgap(&["people", "--sample", "--format", "json"]));
    let ranked = people["people"].as_array().unwrap();
    assert_eq!(
        ranked.last().unwrap()["key"],
        "e-08",
        "the slow employee ranks last"
    );
    let lowers: Vec<f64> = ranked
        .iter()
        .map(|p| p["met"]["lower"].as_f64().unwrap())
        .collect();
    assert!(lowers.windows(2).all(|w| w[0] >= w[1]));
    let csv = mindgap(&["people", "--sample", "--teams", "--format", "csv"]);
    assert!(text(&csv.stdout).starts_with("rank,who,n,met,share,lower,upper"));
    let problems = json(&mindgap(&["problems", "--sample", "--format", "json"]));
    assert!(!problems["recurring"].as_array().unwrap().is_empty());
    assert!(
        problems["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["reason"] == "late_delivery")
    );
    let bad = mindgap(&["problems", "--sample", "--min", "1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("min_count"));
}

#[test]
fn report_with_trend_carries_the_trend_by_expectation() {
    let report = json(&mindgap(&[
        "report", "--sample", "--trend", "--format", "json",
    ]));
    let trend = json(&mindgap(&[
        "trend",
        "--sample",
        "--by",
        "expectation",
        "--format",
        "json",
    ]));
    assert_eq!(report["trend"], trend);
    let plain = json(&mindgap(&["report", "--sample", "--format", "json"]));
    assert!(plain.get("trend").is_none());

    // From files the trend streams; it agrees with the in-memory one.
    let dir = tempfile::tempdir().unwrap();
    let files = sample(dir.path(), "2400");
    for by in ["expectation", "stage", "channel"] {
        let streamed = json(&on_files(
            "trend",
            &files,
            dir.path(),
            &["--by", by, "--format", "json"],
        ));
        let in_memory = json(&mindgap(&[
            "trend", "--sample", "--rows", "2400", "--by", by, "--format", "json",
        ]));
        assert_eq!(streamed["series"], in_memory["series"], "by {by}");
        assert_eq!(streamed["staleness"], in_memory["staleness"], "by {by}");
    }
}

#[test]
fn streamed_files_name_the_feedback_they_skip_or_stop_at() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample(dir.path(), "400");
    // A bad feedback row and a broken link, for the lenient runs.
    let feedback = std::fs::read_to_string(&files[2]).unwrap();
    let mut lines: Vec<String> = feedback.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replacen(",i-", ",i-nowhere-", 1);
    let last = lines.iter().rposition(|l| l.contains(",nps,")).unwrap();
    lines[last] = lines[last].replacen(",nps,", ",nps,11", 1);
    let bad = dir.path().join("bad-feedback.csv");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let bad_files = [
        files[0].clone(),
        files[1].clone(),
        bad.to_str().unwrap().to_owned(),
    ];
    let runs: [(&str, &[String; 3], &[&str]); 5] = [
        ("report", &files, &["--format", "json"]),
        (
            "report",
            &files,
            &["--trend", "--by", "channel", "--format", "json"],
        ),
        ("trend", &files, &["--by", "stage", "--format", "json"]),
        ("report", &bad_files, &["--lenient", "--format", "json"]),
        ("report", &bad_files, &["--format", "json"]),
    ];
    for (command, files, extra) in runs {
        // Held or read twice, the core's tests show the same (run::files).
        let twice = on_files_with(command, files, dir.path(), extra, &[]);
        let what = format!("{command} {extra:?} {}", files[2]);
        let stderr = text(&twice.stderr);
        match extra {
            ["--lenient", ..] => assert!(
                stderr.contains("i-nowhere-") && stderr.contains("2 record(s) skipped"),
                "{what}: {stderr}"
            ),
            ["--format", "json"] if files[2] == bad_files[2] => {
                assert!(stderr.contains("score"), "{what}: {stderr}")
            }
            _ => assert!(twice.status.success(), "{what}: {stderr}"),
        }
    }
}

#[test]
fn a_cp1251_crm_export_reads_with_from_alone_and_imports_to_the_same_report() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/import/bitrix24");
    let f = |name: &str| fixtures.join(name).to_str().unwrap().to_owned();
    let (diary, export) = (f("diary.json"), f("tickets.csv"));
    let canonical = f("canonical/interactions.csv");
    let report = |extra: &[&str]| {
        let mut args = vec!["report", "--diary", &diary, "--format", "json"];
        args.extend_from_slice(extra);
        let out = mindgap(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        (text(&out.stdout), text(&out.stderr))
    };
    let (want, _) = report(&["--interactions", &canonical]);
    let (got, notes) = report(&["--interactions", &export, "--from", "bitrix24"]);
    assert_eq!(got, want);
    // The columns the profile does not read are said, not dropped silently.
    assert!(
        notes.contains("note:") && notes.contains("ignored column(s)"),
        "{notes}"
    );
    // Without the profile: the error names the profile the header looks like.
    let out = mindgap(&["report", "--diary", &diary, "--interactions", &export]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--from bitrix24"),
        "{}",
        text(&out.stderr)
    );
    // Dates alone for --since/--until, in the diary's zone, the whole day.
    let (short, _) = report(&[
        "--interactions",
        &export,
        "--from",
        "bitrix24",
        "--since",
        "2026-01-10",
        "--until",
        "20.01.2026",
    ]);
    let (exact, _) = report(&[
        "--interactions",
        &export,
        "--from",
        "bitrix24",
        "--since",
        "2026-01-10T00:00:00+03:00",
        "--until",
        "2026-01-21T00:00:00+03:00",
    ]);
    assert_eq!(short, exact);
    let out = mindgap(&["report", "--diary", &diary, "--since", "10/01/2026"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("local date"),
        "{}",
        text(&out.stderr)
    );
    // `import` writes mindgap's own files: the same report again.
    let dir = tempfile::tempdir().unwrap();
    let out = mindgap(&[
        "import",
        "--from",
        "bitrix24",
        &export,
        "--diary",
        &diary,
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("interactions.csv ("),
        "{}",
        text(&out.stderr)
    );
    let imported = dir.path().join("interactions.csv");
    let (again, _) = report(&["--interactions", imported.to_str().unwrap()]);
    assert_eq!(again, want);
    // A bad profile name lists the known ones.
    let out = mindgap(&["report", "--diary", &diary, "--from", "excel"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("zendesk"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_delimiter_may_be_named() {
    let dir = tempfile::tempdir().unwrap();
    let diary = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/diary-small.json");
    let tsv = dir.path().join("t.tsv");
    std::fs::write(
        &tsv,
        "id\topened_at\tchannel\tstage\na\t2026-01-05T10:00:00+03:00\temail\tattraction\n",
    )
    .unwrap();
    let (diary, tsv) = (diary.to_str().unwrap(), tsv.to_str().unwrap());
    for name in ["tab", "\\t", "\t"] {
        let out = mindgap(&["validate", diary, tsv, "--delimiter", name]);
        assert!(out.status.success(), "{name:?}: {}", text(&out.stderr));
    }
    let out = mindgap(&["validate", diary, tsv, "--delimiter", "xx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("one character, or tab"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn due_prints_the_golden_breach_queue_and_narrows_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sla");
    let diary = root.join("diary.json").display().to_string();
    let tickets = root.join("tickets.csv").display().to_string();
    let base = ["due", "--diary", &diary, "--interactions", &tickets];
    let golden = std::fs::read_to_string(root.join("due.json")).unwrap();
    let out = mindgap(
        &[
            &base[..],
            &[
                "--as-of",
                "2026-11-09T11:00:00+03:00",
                "--changes-since",
                "2026-11-09T10:00:00+03:00",
                "--format",
                "json",
            ],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), golden);
    // Local times in the diary's zone; the table says business time.
    let out = mindgap(
        &[
            &base[..],
            &["--as-of", "2026-11-09 11:00", "--within", "PT1H"],
        ]
        .concat(),
    );
    let table = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(table.contains("BREACHED  first-reply-vip · T5"), "{table}");
    assert!(
        table.contains(
            "45 business min of 1 business h · 15 business min left, breaches 2026-11-09 11:15"
        ),
        "{table}"
    );
    assert!(!table.contains("T4"), "{table}");
    let out = mindgap(
        &[
            &base[..],
            &[
                "--breached",
                "--format",
                "csv",
                "--as-of",
                "2026-11-09 11:00",
            ],
        ]
        .concat(),
    );
    let csv = text(&out.stdout);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("breached,false,,first-reply-vip,first_response,T5,")
    );
    let out = mindgap(&[&base[..], &["--within", "soon"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--within \"soon\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn every_subcommand_has_examples_and_the_sample_ones_run() {
    let commands = [
        "sample",
        "report",
        "trend",
        "validate",
        "import",
        "followups",
        "due",
        "drill",
        "people",
        "problems",
    ];
    let mut ran = 0;
    for c in commands {
        let help = text(&mindgap(&[c, "--help"]).stdout);
        let examples = help
            .split("Examples:")
            .nth(1)
            .unwrap_or_else(|| panic!("{c} --help has no examples"));
        for line in examples
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("mindgap "))
        {
            assert!(line.starts_with(&format!("mindgap {c} ")), "{c}: {line}");
            if !line.contains("--sample") || line.contains('>') {
                continue;
            }
            let args: Vec<&str> = line.split_whitespace().skip(1).collect();
            let out = mindgap(&args);
            assert!(out.status.success(), "{line}: {}", text(&out.stderr));
            ran += 1;
        }
    }
    assert!(ran >= 12, "{ran}");
}

#[test]
fn filters_are_named_alike_in_every_command() {
    for c in [
        "report",
        "trend",
        "followups",
        "due",
        "drill",
        "people",
        "problems",
    ] {
        let help = text(&mindgap(&[c, "--help"]).stdout);
        if c == "trend" {
            continue;
        }
        assert!(
            help.contains("--stage <ID>") && help.contains("--channel <NAME>"),
            "{c}"
        );
    }
    // The old names still work.
    let out = mindgap(&[
        "followups",
        "--sample",
        "--rows",
        "300",
        "--in-stage",
        "service",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// A New York desk in 2100, 09:00–17:00: a ticket opened at 13:00Z and
/// answered at 14:00Z is 09:00–10:00 in daylight saving time (EDT), one
/// business hour; without daylight saving after the tables' end it would
/// be 08:00–09:00, none.
fn desk_2100(dir: &Path) -> [String; 2] {
    let diary = dir.join("diary.json");
    std::fs::write(
        &diary,
        r#"{
  "schema": "mindgap/1",
  "name": "New York desk, 2100",
  "timezone": "America/New_York",
  "stages": [{"id": "support", "name": "Support"}],
  "calendars": [{"id": "ny", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
    "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}],
  "expectations": [{"id": "first-reply", "stage": "support",
    "description": "First reply within 30 business minutes, 2 hours at most",
    "metric": {"kind": "first_response", "desired": "PT30M", "adequate": "PT2H"},
    "calendar": "ny"}]
}"#,
    )
    .unwrap();
    let tickets = dir.join("tickets.csv");
    std::fs::write(
        &tickets,
        "id,opened_at,first_response_at,channel,stage\n\
         T1,2100-07-05T13:00:00Z,2100-07-05T14:00:00Z,email,support\n",
    )
    .unwrap();
    [diary, tickets].map(|p| p.to_str().unwrap().to_owned())
}

#[test]
fn the_system_tz_database_keeps_daylight_saving_after_2099() {
    let dir = tempfile::tempdir().unwrap();
    let [diary, tickets] = desk_2100(dir.path());
    let zoneinfo = std::env::var_os("TZDIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| "/usr/share/zoneinfo".into(), std::path::PathBuf::from);
    let mut choices = vec!["compiled"];
    if zoneinfo.join("America/New_York").is_file() {
        choices.push("system");
    } else {
        eprintln!("system: skipped, no tz database at {}", zoneinfo.display());
    }
    for tzdata in choices {
        let drill = [
            "drill",
            "--diary",
            &diary,
            "--interactions",
            &tickets,
            "--expectation",
            "first-reply",
            "--format",
            "json",
            "--tzdata",
            tzdata,
        ];
        let out = mindgap(&drill);
        assert!(out.status.success(), "{tzdata}: {}", text(&out.stderr));
        let v = json(&out);
        let record = &v["records"][0];
        assert_eq!(record["value"], 3600.0, "{tzdata}: {record}");
        assert_eq!(record["at"], "2100-07-05T09:00:00-04:00", "{tzdata}");
        // The report names the data in use, in JSON and in its header line.
        let report = [
            "report",
            "--diary",
            &diary,
            "--interactions",
            &tickets,
            "--tzdata",
            tzdata,
        ];
        let out = mindgap(&[&report[..], &["--format", "json"]].concat());
        assert!(out.status.success(), "{}", text(&out.stderr));
        let v = json(&out);
        assert_eq!(v["tzdata"]["source"], tzdata);
        assert!(v["tzdata"]["release"].is_string());
        let out = mindgap(&report);
        let first = text(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(first.contains(" · tzdata "), "{first}");
        assert!(first.contains(&format!("({tzdata}")), "{first}");
    }
    // The environment variable chooses too; the flag wins over it.
    let report = [
        "report",
        "--diary",
        &diary,
        "--interactions",
        &tickets,
        "--format",
        "json",
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args(report)
        .env("MINDGAP_TZDATA", "compiled")
        .output()
        .unwrap();
    assert_eq!(json(&out)["tzdata"]["source"], "compiled");
    let out = Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args(report)
        .args(["--tzdata", "compiled"])
        .env("MINDGAP_TZDATA", "/no/such/tzdir")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn unusable_tz_data_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let [diary, tickets] = desk_2100(dir.path());
    let report = ["report", "--diary", &diary, "--interactions", &tickets];
    let out = mindgap(&[&report[..], &["--tzdata", "/no/such/tzdir"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("/no/such/tzdir"),
        "{}",
        text(&out.stderr)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_mindgap"))
        .args(report)
        .env("MINDGAP_TZDATA", "/no/such/tzdir")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("MINDGAP_TZDATA"),
        "{}",
        text(&out.stderr)
    );
    // A directory with a broken zone file: the error names the file.
    let zones = dir.path().join("zoneinfo/America");
    std::fs::create_dir_all(&zones).unwrap();
    std::fs::write(zones.join("New_York"), b"TZif2 broken").unwrap();
    let tzdir = dir.path().join("zoneinfo");
    let out = mindgap(&[&report[..], &["--tzdata", tzdir.to_str().unwrap()]].concat());
    assert_ne!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.contains("America/New_York") && err.contains("truncated"),
        "{err}"
    );
    assert!(
        err.contains(zones.join("New_York").to_str().unwrap()),
        "{err}"
    );
}

/// The golden trend the npm package compares with, printed by the CLI: the
/// same bytes (p-values included) natively and in wasm.
#[test]
fn trend_prints_the_golden_trend() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/golden");
    let golden = std::fs::read_to_string(root.join("sample-1200-trend.json")).unwrap();
    let args = [
        "trend", "--sample", "--rows", "1200", "--metric", "missed", "--by", "stage", "--bucket",
        "week", "--format", "json",
    ];
    let out = mindgap(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout) == golden,
        "the CLI's trend differs from sample-1200-trend.json"
    );
}

#[test]
fn every_breakdown_appears_in_every_format() {
    let json = mindgap(&[
        "report", "--sample", "--by", "channel", "--by", "week", "--format", "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let groups = |i: usize| -> Vec<String> {
        report["breakdowns"][i]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["key"].as_str().unwrap().to_owned())
            .collect()
    };
    let (channels, weeks) = (groups(0), groups(1));
    assert!(channels.iter().any(|c| c == "email"), "{channels:?}");
    assert!(weeks.len() > 10, "{weeks:?}");
    for format in ["table", "markdown", "csv", "html"] {
        let out = mindgap(&[
            "report", "--sample", "--by", "channel", "--by", "week", "--format", format,
        ]);
        assert!(out.status.success(), "{format}: {}", text(&out.stderr));
        let out = text(&out.stdout);
        if format != "csv" {
            for title in ["By channel", "By week"] {
                let found = out.contains(title) || out.contains(&title.to_uppercase());
                assert!(found, "{format} has no {title}:\n{out}");
            }
        }
        for key in channels.iter().chain(&weeks) {
            assert!(out.contains(key.as_str()), "{format} has no group {key}");
        }
        if format == "csv" {
            let rows: Vec<&str> = out.lines().collect();
            assert!(rows.iter().any(|r| r.contains(",channel,email,")), "{out}");
            assert!(rows.iter().any(|r| r.contains(",week,")), "{out}");
        }
    }
    // Split by a period: each group shows its period, in every format.
    for format in ["table", "markdown", "csv", "html"] {
        let out = mindgap(&[
            "report", "--sample", "--by", "channel", "--per", "month", "--format", format,
        ]);
        let out = text(&out.stdout);
        for month in ["2026-05", "2026-10"] {
            assert!(
                out.contains(month),
                "{format} has no period {month}:\n{out}"
            );
        }
        if format == "table" {
            assert!(out.contains("email · 2026-10"), "{out}");
        }
    }
}
