//! The faces' way in: an analysis named by a [`Request`] (what the C and
//! JavaScript faces send as a name and JSON options), answered with a typed
//! [`Response`] whose JSON is the CLI's; and errors that say where.
//!
//! `cargo run -p mindgap --example requests`

use mindgap::api::{Request, Response, to_json};
use mindgap::{Journal, Mode, ReadOptions};

fn main() -> mindgap::Result<()> {
    let diary = mindgap::sample::diary(500);
    let journal = Journal::new(diary, ReadOptions::default())?;

    // Typed: build the options in Rust.
    let request = Request::Report(mindgap::ReportOptions::default().with_confidence(0.9));
    if let Response::Report(report) = journal.respond(&request)? {
        println!("{} expectations scored", report.expectations.len());
    }

    // By name, with JSON options: what `mg_diary_run` and `diary.run()` do.
    let request = Request::parse("people", r#"{"by": "team"}"#)?;
    let json = to_json(&journal.respond(&request)?);
    println!("people: {} bytes of JSON", json.len());

    // A mistake is an error with a stable code, never a panic.
    if let Err(e) = Request::parse("report", r#"{"confidance": 0.9}"#) {
        println!("error {} ({}): {e}", e.code(), e.kind());
    }

    // Lenient reading keeps going and lists what it skipped, by line.
    let mut lenient = Journal::new(
        mindgap::sample::definitions(),
        ReadOptions::default().with_mode(Mode::Lenient),
    )?;
    let csv = "id,opened_at,channel,stage\ni1,yesterday,email,service\n";
    lenient.read_csv(csv.as_bytes(), "interactions.csv")?;
    for skipped in lenient.skipped() {
        println!("skipped: {skipped}");
    }
    Ok(())
}
