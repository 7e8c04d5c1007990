//! Closing the loop: `mindgap followups`, `due`, `drill`, `people` and `problems`.

use std::fmt::Write as _;

use mindgap::Prepared;
use mindgap::{ClockKind, DueChange, DueClock, DueList, DueOptions, DueState};
use mindgap::{
    Drill, DrillOptions, Filters, People, PeopleBy, PeopleOptions, Pick, ProblemOptions,
    ProblemScope, Problems,
};
use mindgap::{FollowUpList, FollowUpOptions, Show, State};

use crate::Failure;
use crate::input::DiaryArgs;
use crate::report::instant;

/// The report's filters, as flags.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    /// The instant, RFC 3339 (default: the latest timestamp in the data).
    #[arg(long, value_name = "TIME")]
    as_of: Option<String>,
    /// Only records at or after this instant (RFC 3339).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only records before this instant (RFC 3339).
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Only this stage (repeatable; as in `report`).
    #[arg(long = "stage", visible_alias = "in-stage", value_name = "ID")]
    stages: Vec<String>,
    /// Only this channel (repeatable).
    #[arg(long = "channel", visible_alias = "in-channel", value_name = "NAME")]
    channels: Vec<String>,
}

impl FilterArgs {
    fn filters(&self, diary: &DiaryArgs) -> Result<Filters, Failure> {
        Ok({
            let mut o = Filters::default();
            o.as_of = instant("as-of", self.as_of.as_deref(), diary)?;
            o.since = instant("since", self.since.as_deref(), diary)?;
            o.until = instant("until", self.until.as_deref(), diary)?;
            o.stages = self.stages.iter().map(|s| s.as_str().into()).collect();
            o.channels = self
                .channels
                .iter()
                .map(|c| mindgap::Channel::parse(c))
                .collect();
            o
        })
    }
}

/// Output formats of these commands.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Output {
    /// Plain text for the terminal.
    Table,
    /// The documented JSON.
    Json,
    /// One row per item, for spreadsheets.
    Csv,
}

fn duration(seconds: f64) -> String {
    mindgap::text::remark_plain(mindgap::ValueUnit::Seconds, seconds, mindgap::Lang::En)
}

fn time(t: &mindgap::Timestamp) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn csv_text(rows: Vec<Vec<String>>) -> Result<String, Failure> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r)
            .map_err(|e| Failure::usage(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| Failure::usage(e.to_string()))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.trim_end().to_owned())
}

/// Arguments of `mindgap followups`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap followups --sample
  mindgap followups --diary diary.json --interactions interactions.csv --feedback feedback.csv --overdue
  mindgap followups --sample --as-of 2026-10-01 --stage service --format csv > followups.csv")]
pub struct FollowUpArgs {
    #[command(flatten)]
    diary: DiaryArgs,
    #[command(flatten)]
    filters: FilterArgs,
    /// Only overdue follow-ups.
    #[arg(long, conflicts_with = "open")]
    overdue: bool,
    /// Only open follow-ups (overdue included).
    #[arg(long)]
    open: bool,
    /// The customer's history around each feedback (ISO 8601 span).
    #[arg(long, default_value = "P30D")]
    history: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    format: Output,
}

/// Runs `mindgap followups`.
pub fn follow_ups(args: &FollowUpArgs) -> Result<(), Failure> {
    let f = args.filters.filters(&args.diary)?;
    let options = {
        let mut o = FollowUpOptions::default();
        o.filters = f;
        o.show = if args.overdue {
            Show::Overdue
        } else if args.open {
            Show::Open
        } else {
            Show::All
        };
        o.history = args
            .history
            .parse()
            .map_err(|e| Failure::usage(format!("--history {:?}: {e}", args.history)))?;
        o
    };
    let diary = args.diary.load()?;
    let list = Prepared::new(diary)?.follow_ups(&options)?;
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&list),
        Output::Table => follow_up_table(&list),
        Output::Csv => follow_up_csv(&list)?,
    });
    Ok(())
}

fn state(s: State) -> &'static str {
    match s {
        State::Overdue => "OVERDUE",
        State::Open => "open",
        State::Closed => "closed",
    }
}

fn follow_up_table(l: &FollowUpList) -> String {
    let s = &l.summary;
    let mut out = format!(
        "{} · follow-ups as of {}\n{} opened: {} overdue, {} open, {} closed ({} late)",
        l.header.diary.as_deref().unwrap_or_default(),
        time(&l.header.as_of),
        s.total,
        s.overdue,
        s.open,
        s.closed,
        s.closed_late
    );
    if let (Some(m), Some(p)) = (s.median_time_to_close, s.p90_time_to_close) {
        let _ = write!(
            out,
            "; time to close p50 {} · p90 {}",
            duration(m),
            duration(p)
        );
    }
    out.push_str("\n\n");
    for f in &l.follow_ups {
        let said = f
            .triggers
            .iter()
            .map(|t| format!("{} {}", t.rule, t.detail))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "{:<8} {}  {} · {} · {} · priority {:.2}{}",
            state(f.state),
            f.feedback,
            time(&f.at),
            f.stage,
            said,
            f.priority,
            if f.repeats > 0 {
                format!(" · repeat ×{}", f.repeats)
            } else {
                String::new()
            }
        );
        let who = [
            f.customer.as_deref().map(|c| format!("customer {c}")),
            f.interaction
                .as_ref()
                .map(|i| format!("about {} ({})", i.id, i.channel.as_deref().unwrap_or("-"))),
            f.employee.as_deref().map(|e| format!("employee {e}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        if !who.is_empty() {
            let _ = writeln!(out, "         {who}");
        }
        let when = match (f.state, &f.due, &f.closed_at) {
            (State::Closed, _, Some(c)) => format!(
                "closed {} by {} after {}{}",
                time(c),
                f.closed_by
                    .as_ref()
                    .map_or(String::new(), |b| format!("{} {}", b.kind, b.id)),
                f.age_text,
                if f.late { " — late" } else { "" }
            ),
            (_, Some(d), _) => format!("due {} · open for {}", time(d), f.age_text),
            (_, None, _) => format!(
                "no due time (no follow_up expectation for stage {}) · open for {}",
                f.stage, f.age_text
            ),
        };
        let _ = writeln!(out, "         {when}");
        if let Some(c) = &f.comment {
            let _ = writeln!(out, "         “{c}”");
        }
        if f.history.len() > 1 {
            let items: Vec<String> = f
                .history
                .iter()
                .filter(|h| h.id != f.feedback)
                .map(|h| {
                    format!(
                        "{} {}{}",
                        h.at.format("%m-%d"),
                        h.id,
                        h.said
                            .as_deref()
                            .or(h.category.as_deref())
                            .map_or(String::new(), |s| format!(" ({s})"))
                    )
                })
                .collect();
            let _ = writeln!(out, "         history: {}", items.join(", "));
        }
    }
    out.trim_end().to_owned()
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or_default().to_owned()
}

fn follow_up_csv(l: &FollowUpList) -> Result<String, Failure> {
    let mut rows = vec![
        [
            "state",
            "feedback",
            "at",
            "stage",
            "customer",
            "interaction",
            "employee",
            "triggers",
            "severity",
            "repeats",
            "priority",
            "expectation",
            "due",
            "closed_at",
            "closed_by",
            "age_seconds",
            "late",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for f in &l.follow_ups {
        rows.push(vec![
            state(f.state).to_ascii_lowercase(),
            f.feedback.clone(),
            mindgap::text::timestamp(&f.at),
            f.stage.clone(),
            opt(f.customer.as_deref()),
            f.interaction
                .as_ref()
                .map_or(String::new(), |i| i.id.clone()),
            opt(f.employee.as_deref()),
            f.triggers
                .iter()
                .map(|t| format!("{} {}", t.rule, t.detail))
                .collect::<Vec<_>>()
                .join("; "),
            f.severity.to_string(),
            f.repeats.to_string(),
            f.priority.to_string(),
            opt(f.expectation.as_deref()),
            f.due
                .map_or(String::new(), |t| mindgap::text::timestamp(&t)),
            f.closed_at
                .map_or(String::new(), |t| mindgap::text::timestamp(&t)),
            f.closed_by
                .as_ref()
                .map_or(String::new(), |b| format!("{} {}", b.kind, b.id)),
            f.age.to_string(),
            f.late.to_string(),
        ]);
    }
    csv_text(rows)
}

/// Arguments of `mindgap drill`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap drill --sample --expectation support-email-reply --class missed
  mindgap drill --sample --stage service --channel email --employee e-08 --format json
  mindgap drill --diary diary.json --interactions tickets.csv --from zendesk --class pending")]
pub struct DrillArgs {
    #[command(flatten)]
    diary: DiaryArgs,
    #[command(flatten)]
    filters: FilterArgs,
    /// The expectation whose figure to open (default: every expectation).
    #[arg(long, value_name = "ID")]
    expectation: Option<String>,
    /// Only this employee's observations.
    #[arg(long, value_name = "ID")]
    employee: Option<String>,
    /// Only this team's observations.
    #[arg(long, value_name = "NAME")]
    team: Option<String>,
    /// Only this customer's observations.
    #[arg(long, value_name = "ID")]
    customer: Option<String>,
    /// Which observations to list: all, missed, within, exceeded, met or pending.
    #[arg(long, value_name = "CLASS", default_value = "all", value_parser = crate::named::<Pick>)]
    class: Pick,
    /// List at most this many records (the counts cover all).
    #[arg(long, default_value_t = 1000)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    format: Output,
}

/// Runs `mindgap drill`.
pub fn drill(args: &DrillArgs) -> Result<(), Failure> {
    let options = {
        let mut o = DrillOptions::default();
        o.filters = args.filters.filters(&args.diary)?;
        o.expectation = args.expectation.as_deref().map(Into::into);
        o.employee = args.employee.as_deref().map(Into::into);
        o.team = args.team.clone();
        o.customer = args.customer.as_deref().map(Into::into);
        o.segment = None;
        o.class = args.class;
        o.limit = args.limit;
        o
    };
    let diary = args.diary.load()?;
    let d = Prepared::new(diary)?.drill(&options)?;
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&d),
        Output::Table => drill_table(&d),
        Output::Csv => drill_csv(&d)?,
    });
    Ok(())
}

fn drill_table(d: &Drill) -> String {
    let c = &d.counts;
    let mut out = format!(
        "{} · as of {} · {} classified: {} missed, {} within, {} exceeded; {} pending\n\
         {} {} record(s){}\n\n",
        d.header.diary.as_deref().unwrap_or_default(),
        time(&d.header.as_of),
        c.n,
        c.missed,
        c.within,
        c.exceeded,
        c.pending,
        d.matched,
        serde_json::to_value(d.options.class)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        if (d.records.len() as u64) < d.matched {
            format!(", the first {} listed", d.records.len())
        } else {
            String::new()
        }
    );
    for r in &d.records {
        let _ = writeln!(
            out,
            "{:<9} {:<12} {}  {:<24} {:<10} {:<6} {}{}",
            r.class,
            r.id,
            time(&r.at),
            r.expectation,
            r.channel.as_deref().unwrap_or("-"),
            r.employee.as_deref().unwrap_or("-"),
            r.text,
            if r.running { " (running)" } else { "" }
        );
    }
    out.trim_end().to_owned()
}

fn drill_csv(d: &Drill) -> Result<String, Failure> {
    let mut rows = vec![
        [
            "expectation",
            "kind",
            "id",
            "at",
            "stage",
            "channel",
            "employee",
            "team",
            "customer",
            "class",
            "value",
            "unit",
            "running",
            "position",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for r in &d.records {
        rows.push(vec![
            r.expectation.clone(),
            r.kind.as_str().to_owned(),
            r.id.clone(),
            mindgap::text::timestamp(&r.at),
            r.stage.clone(),
            opt(r.channel.as_deref()),
            opt(r.employee.as_deref()),
            opt(r.team.as_deref()),
            opt(r.customer.as_deref()),
            r.class.as_str().to_owned(),
            r.value.to_string(),
            r.unit.as_str().to_owned(),
            r.running.to_string(),
            r.position.map_or(String::new(), |p| p.to_string()),
        ]);
    }
    csv_text(rows)
}

/// Arguments of `mindgap people`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap people --sample
  mindgap people --sample --teams --expectation support-email-reply
  mindgap people --diary diary.json --interactions interactions.csv --since 2026-09-01 --format csv")]
pub struct PeopleArgs {
    #[command(flatten)]
    diary: DiaryArgs,
    #[command(flatten)]
    filters: FilterArgs,
    /// Rank teams instead of employees.
    #[arg(long)]
    teams: bool,
    /// Only this expectation (repeatable).
    #[arg(long, value_name = "ID")]
    expectation: Vec<String>,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    format: Output,
}

/// Runs `mindgap people`.
pub fn people(args: &PeopleArgs) -> Result<(), Failure> {
    let options = {
        let mut o = PeopleOptions::default();
        o.filters = args.filters.filters(&args.diary)?;
        o.expectations = args.expectation.iter().map(|e| e.as_str().into()).collect();
        o.by = if args.teams {
            PeopleBy::Team
        } else {
            PeopleBy::Employee
        };
        o.confidence = args.confidence;
        o
    };
    let diary = args.diary.load()?;
    let p = Prepared::new(diary)?.people(&options)?;
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&p),
        Output::Table => people_table(&p),
        Output::Csv => people_csv(&p)?,
    });
    Ok(())
}

fn people_table(p: &People) -> String {
    let mut out = format!(
        "{} · share of observations met (within or exceeded) as of {}, ranked by the lower bound of its {:.0}% interval\n\n",
        p.header.diary.as_deref().unwrap_or_default(),
        time(&p.header.as_of),
        p.options.confidence * 100.0
    );
    let _ = writeln!(
        out,
        "{:>4}  {:<16} {:>6}  {:>15}  {:>6} {:>7} {:>7}",
        "rank", "who", "met", "interval", "n", "missed", "pending"
    );
    for x in &p.people {
        let _ = writeln!(
            out,
            "{:>4}  {:<16} {:>5.1}%  {:>6.1}%–{:>5.1}%  {:>6} {:>7} {:>7}",
            x.rank,
            x.key,
            x.met.share * 100.0,
            x.met.lower * 100.0,
            x.met.upper * 100.0,
            x.met.n,
            x.missed,
            x.pending
        );
    }
    if p.unassigned > 0 {
        let _ = writeln!(out, "\n{} observation(s) name no one.", p.unassigned);
    }
    out.trim_end().to_owned()
}

fn people_csv(p: &People) -> Result<String, Failure> {
    let mut rows = vec![
        [
            "rank", "who", "n", "met", "share", "lower", "upper", "missed", "pending",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for x in &p.people {
        rows.push(vec![
            x.rank.to_string(),
            x.key.clone(),
            x.met.n.to_string(),
            x.met.k.to_string(),
            x.met.share.to_string(),
            x.met.lower.to_string(),
            x.met.upper.to_string(),
            x.missed.to_string(),
            x.pending.to_string(),
        ]);
    }
    csv_text(rows)
}

/// Arguments of `mindgap problems`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap problems --sample
  mindgap problems --sample --by customer --min 2 --within P14D
  mindgap problems --diary diary.json --interactions interactions.csv --feedback feedback.csv --format json")]
pub struct ProblemArgs {
    #[command(flatten)]
    diary: DiaryArgs,
    #[command(flatten)]
    filters: FilterArgs,
    /// Look for recurrences per customer, stage or employee (repeatable;
    /// default customer).
    #[arg(long, value_name = "SCOPE", value_parser = crate::named::<ProblemScope>)]
    by: Vec<ProblemScope>,
    /// At least this many records with the same reason or category…
    #[arg(long, default_value_t = 3)]
    min: usize,
    /// …within this span (ISO 8601).
    #[arg(long, default_value = "P30D")]
    within: String,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    format: Output,
}

/// Runs `mindgap problems`.
pub fn problems(args: &ProblemArgs) -> Result<(), Failure> {
    let options = {
        let mut o = ProblemOptions::default();
        o.filters = args.filters.filters(&args.diary)?;
        o.by = if args.by.is_empty() {
            vec![ProblemScope::Customer]
        } else {
            args.by.clone()
        };
        o.min_count = args.min;
        o.within = args
            .within
            .parse()
            .map_err(|e| Failure::usage(format!("--within {:?}: {e}", args.within)))?;
        o.confidence = args.confidence;
        o
    };
    let diary = args.diary.load()?;
    let p = Prepared::new(diary)?.problems(&options)?;
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&p),
        Output::Table => problems_table(&p),
        Output::Csv => problems_csv(&p)?,
    });
    Ok(())
}

fn scope_name(s: ProblemScope) -> &'static str {
    match s {
        ProblemScope::Customer => "customer",
        ProblemScope::Stage => "stage",
        ProblemScope::Employee => "employee",
    }
}

fn problems_table(p: &Problems) -> String {
    let o = &p.options;
    let mut out = format!(
        "{} · as of {} · the same reason or category at least {} times within {}\n\n",
        p.header.diary.as_deref().unwrap_or_default(),
        time(&p.header.as_of),
        o.min_count,
        o.within.human()
    );
    if p.recurring.is_empty() {
        out.push_str("No recurring problems.\n");
    }
    for r in &p.recurring {
        let ids: Vec<&str> = r.records.iter().map(|x| x.id.as_str()).collect();
        let _ = writeln!(
            out,
            "{} {} · {} {} ×{} from {} to {}: {}",
            scope_name(r.scope),
            r.key,
            r.kind,
            r.label,
            r.count,
            r.from.format("%Y-%m-%d"),
            r.to.format("%Y-%m-%d"),
            ids.join(", ")
        );
    }
    if !p.reasons.is_empty() {
        out.push_str("\nReasons and the gap of the interactions they were given about:\n");
        for r in &p.reasons {
            let missed = r.missed.as_ref().map_or("-".to_owned(), |m| {
                format!(
                    "{:.0}% missed ({:.0}–{:.0}%, n = {})",
                    m.share * 100.0,
                    m.lower * 100.0,
                    m.upper * 100.0,
                    m.n
                )
            });
            let _ = writeln!(
                out,
                "  {:<12} {:<16} ×{:<4} {}{}",
                r.stage,
                r.reason,
                r.feedback,
                missed,
                r.stage_missed
                    .map_or(String::new(), |s| format!(" · stage {:.0}%", s * 100.0))
            );
        }
    }
    out.trim_end().to_owned()
}

fn problems_csv(p: &Problems) -> Result<String, Failure> {
    let mut rows = vec![
        [
            "scope", "key", "kind", "label", "count", "from", "to", "records",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for r in &p.recurring {
        rows.push(vec![
            scope_name(r.scope).to_owned(),
            r.key.clone(),
            r.kind.as_str().to_owned(),
            r.label.clone(),
            r.count.to_string(),
            mindgap::text::timestamp(&r.from),
            mindgap::text::timestamp(&r.to),
            r.records
                .iter()
                .map(|x| x.id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        ]);
    }
    csv_text(rows)
}

/// Arguments of `mindgap due`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap due --diary diary.json --interactions tickets.csv --as-of now
  mindgap due --diary diary.json --interactions tickets.csv --within PT2H
  mindgap due --diary diary.json --interactions tickets.csv --breached --format csv
  mindgap due --diary diary.json --interactions tickets.csv --as-of now \\
      --changes-since 2026-11-09T10:00:00+03:00 --format json")]
pub struct DueArgs {
    #[command(flatten)]
    diary: DiaryArgs,
    #[command(flatten)]
    filters: FilterArgs,
    /// Only clocks breached or breaching within this real time of the
    /// instant (ISO 8601 span, like PT2H).
    #[arg(long, value_name = "SPAN")]
    within: Option<String>,
    /// Only breached clocks.
    #[arg(long)]
    breached: bool,
    /// Only this expectation's clocks.
    #[arg(long, value_name = "ID")]
    expectation: Option<String>,
    /// The instant of the last call: mark what became at risk or breached
    /// since, and list the follow-ups opened since.
    #[arg(long, value_name = "TIME")]
    changes_since: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    format: Output,
}

/// Runs `mindgap due`.
pub fn due(args: &DueArgs) -> Result<(), Failure> {
    let mut options = DueOptions::default().with_filters(args.filters.filters(&args.diary)?);
    options.breached = args.breached;
    if let Some(w) = &args.within {
        options.within = Some(
            w.parse()
                .map_err(|e| Failure::usage(format!("--within {w:?}: {e}")))?,
        );
    }
    options.expectation = args.expectation.as_deref().map(Into::into);
    options.changes_since = instant("changes-since", args.changes_since.as_deref(), &args.diary)?;
    let diary = args.diary.load()?;
    let list = Prepared::new(diary)?.due(&options)?;
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&list),
        Output::Table => due_table(&list),
        Output::Csv => due_csv(&list)?,
    });
    Ok(())
}

fn due_state(c: &DueClock) -> &'static str {
    match c.state {
        DueState::Breached => "BREACHED",
        DueState::AtRisk => "AT RISK",
        _ if c.paused => "paused",
        _ => "on track",
    }
}

fn clock_name(k: ClockKind) -> &'static str {
    match k {
        ClockKind::FirstResponse => "first reply",
        ClockKind::NextResponse => "next reply",
        ClockKind::Resolution => "resolution",
        ClockKind::Update => "update",
        _ => "follow-up",
    }
}

fn span(s: mindgap::Span) -> String {
    duration(s.as_millis() as f64 / 1000.0)
}

/// A clock value: a duration, or business days.
fn level(l: mindgap::Level) -> String {
    match l {
        mindgap::Level::Time(s) => span(s),
        other => business_level(other),
    }
}

/// A clock value of business time: hours and minutes, or business days.
fn business_level(l: mindgap::Level) -> String {
    match l {
        mindgap::Level::Time(s) => business_span(s),
        mindgap::Level::BusinessDays(d) => format!("{d:.2} business days"),
        other => other.to_string(),
    }
}

/// Business time in hours and minutes: a business day is not 24 hours, so
/// days would mislead.
fn business_span(s: mindgap::Span) -> String {
    let minutes = s.as_millis().unsigned_abs() / 60_000;
    let sign = if s.as_millis() < 0 { "-" } else { "" };
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{sign}{m} min"),
        (h, 0) => format!("{sign}{h} h"),
        (h, m) => format!("{sign}{h} h {m} min"),
    }
}

fn due_table(l: &DueList) -> String {
    let s = &l.summary;
    let mut out = format!(
        "{} · breach queue as of {}\n{} running clocks: {} breached, {} at risk, {} on track ({} paused)",
        l.header.diary.as_deref().unwrap_or_default(),
        time(&l.header.as_of),
        s.total,
        s.breached,
        s.at_risk,
        s.on_track,
        s.paused
    );
    if let Some(since) = &l.options.changes_since {
        let _ = write!(
            out,
            "\nsince {}: {} newly breached, {} newly at risk, {} new follow-ups",
            time(since),
            s.newly_breached,
            s.newly_at_risk,
            l.new_follow_ups.len()
        );
    }
    out.push_str("\n\n");
    for c in &l.clocks {
        let (business, span) = match (&c.calendar, c.adequate) {
            // "… business days" says it already.
            (Some(_), mindgap::Level::Time(_)) => (
                " business time",
                business_level as fn(mindgap::Level) -> String,
            ),
            (Some(_), _) => ("", business_level as fn(mindgap::Level) -> String),
            (None, _) => ("", level as fn(mindgap::Level) -> String),
        };
        let when = match (c.state, c.breach_at) {
            (DueState::Breached, Some(b)) => format!("breached {}", time(&b)),
            (_, Some(b)) => format!("{} left, breaches {}", span(c.left), time(&b)),
            (_, None) => format!("{} left, clock paused", span(c.left)),
        };
        let change = match c.change {
            Some(DueChange::NewlyBreached) => " · NEW",
            Some(DueChange::NewlyAtRisk) => " · new",
            _ => "",
        };
        let _ = writeln!(
            out,
            "{:<9} {} · {} {} · {} of {}{business} · {when}{change}",
            due_state(c),
            c.expectation,
            c.id,
            clock_name(c.clock),
            span(c.elapsed),
            span(c.adequate),
        );
    }
    if !l.new_follow_ups.is_empty() {
        out.push_str("\nnew follow-ups:\n");
        for f in &l.new_follow_ups {
            let _ = writeln!(
                out,
                "  {} · {} · {}{}",
                f.feedback,
                time(&f.at),
                f.customer.as_deref().unwrap_or("-"),
                f.due
                    .map(|d| format!(" · due {}", time(&d)))
                    .unwrap_or_default()
            );
        }
    }
    out.trim_end().to_owned()
}

fn due_csv(l: &DueList) -> Result<String, Failure> {
    let mut rows = vec![
        [
            "state",
            "paused",
            "change",
            "expectation",
            "clock",
            "id",
            "started",
            "stage",
            "channel",
            "employee",
            "customer",
            "calendar",
            "unit",
            "elapsed",
            "desired",
            "adequate",
            "left",
            "warn_at",
            "breach_at",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    use erased::Name as _;
    // Seconds, or business days for levels written in business days.
    let secs = |l: mindgap::Level| match l {
        mindgap::Level::Time(s) => (s.as_millis() as f64 / 1000.0).to_string(),
        mindgap::Level::BusinessDays(d) => d.to_string(),
        other => other.to_string(),
    };
    let at =
        |t: Option<mindgap::Timestamp>| t.map(|t| mindgap::text::timestamp(&t)).unwrap_or_default();
    for c in &l.clocks {
        rows.push(vec![
            c.state.name(),
            c.paused.to_string(),
            c.change.as_ref().map(|x| x.name()).unwrap_or_default(),
            c.expectation.clone(),
            c.clock.name(),
            c.id.clone(),
            mindgap::text::timestamp(&c.started),
            c.stage.clone(),
            opt(c.channel.as_deref()),
            opt(c.employee.as_deref()),
            opt(c.customer.as_deref()),
            opt(c.calendar.as_deref()),
            match c.elapsed {
                mindgap::Level::Time(_) => "seconds",
                _ => "business_days",
            }
            .to_owned(),
            secs(c.elapsed),
            secs(c.desired),
            secs(c.adequate),
            secs(c.left),
            at(c.warn_at),
            at(c.breach_at),
        ]);
    }
    csv_text(rows)
}

/// The serde name of a unit enum value.
mod erased {
    pub trait Name {
        fn name(&self) -> String;
    }
    impl<T: serde::Serialize> Name for T {
        fn name(&self) -> String {
            match serde_json::to_value(self) {
                Ok(serde_json::Value::String(s)) => s,
                _ => String::new(),
            }
        }
    }
}
