//! Embedding mindgap: a diary's definitions as JSON, interactions and
//! feedback as CSV (here from memory; a `File` works the same), the gap
//! report, and what to follow up.
//!
//! `cargo run -p mindgap --example report`

use mindgap::{Dimension, Journal, ReadOptions, ReportOptions};
#[cfg(feature = "analyses")]
use mindgap::{FollowUpOptions, Show};

const DIARY: &str = r#"{
  "schema": "mindgap/1",
  "name": "Support desk",
  "timezone": "Europe/Berlin",
  "stages": [{"id": "service", "name": "Service"}],
  "expectations": [
    {"id": "email-reply", "stage": "service", "channel": "email",
     "description": "Answer an email in 1-3 days", "importance": 5,
     "metric": {"kind": "first_response", "desired": "P1D", "adequate": "P3D"}},
    {"id": "csat", "stage": "service", "description": "Satisfied with the help",
     "importance": 4, "metric": {"kind": "rating", "scale": 5, "desired": 4.5, "adequate": 4}}
  ]
}"#;

const INTERACTIONS: &str = "\
id,opened_at,first_response_at,channel,stage,customer,employee,status
i1,2026-03-02T09:00:00+01:00,2026-03-02T15:00:00+01:00,email,service,c1,e1,resolved
i2,2026-03-03T10:00:00+01:00,2026-03-05T11:00:00+01:00,email,service,c2,e2,resolved
i3,2026-03-04T11:00:00+01:00,2026-03-09T08:00:00+01:00,email,service,c3,e2,resolved
i4,2026-03-05T12:00:00+01:00,,email,service,c4,e1,open
";

const FEEDBACK: &str = "\
id,at,kind,score,stage,interaction,customer,reason
f1,2026-03-03T09:00:00+01:00,csat,5,service,i1,c1,
f2,2026-03-09T09:00:00+01:00,csat,2,service,i3,c3,slow_reply
";

fn main() -> mindgap::Result<()> {
    let mut journal = Journal::from_json(DIARY.as_bytes(), "diary.json", ReadOptions::default())?;
    journal.read_csv(INTERACTIONS.as_bytes(), "interactions.csv")?;
    journal.read_csv(FEEDBACK.as_bytes(), "feedback.csv")?;

    let as_of = mindgap::Timestamp::parse_from_rfc3339("2026-03-12T12:00:00+01:00")
        .map_err(|e| mindgap::Error::invalid(Default::default(), "as of", e.to_string()))?;
    let options = ReportOptions::default()
        .with_as_of(as_of)
        .with_by(Dimension::Employee);
    let report = journal.report(&options)?;
    for e in &report.expectations {
        println!("{:<12} n={:<2} {}", e.id, e.gap.n, e.remark);
    }
    for b in &report.breakdowns {
        for g in &b.groups {
            println!(
                "by {} {}: {} interaction(s)",
                b.dimension.as_str(),
                g.key,
                g.interactions
            );
        }
    }

    // The follow-up list is in the core's `analyses` feature (a default).
    #[cfg(feature = "analyses")]
    {
        let follow_ups = mindgap::Prepared::new(journal.diary())?
            .follow_ups(&FollowUpOptions::default().with_show(Show::Open))?;
        for f in &follow_ups.follow_ups {
            let due = f.due.map_or("no deadline".to_owned(), |d| d.to_rfc3339());
            let customer = f.customer.as_deref().unwrap_or("?");
            println!("follow up {} ({customer}), due {due}", f.feedback);
        }
    }
    Ok(())
}
