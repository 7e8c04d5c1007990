//! Closing the loop: `mindgap followups`, `due`, `drill`, `people` and `problems`.

use std::fmt::Write as _;

use mindgap::Prepared;
use mindgap::{ClockKind, DueChange, DueClock, DueList, DueOptions, DueState};
use mindgap::{
    Drill, DrillOptions, Filters, People, PeopleBy, PeopleOptions, Pick, ProblemOptions,
    ProblemScope, Problems,
};
use mindgap::{FollowUpList, FollowUpOptions, Show, State};

use mindgap::Lang;
use mindgap::text::{Words, fill};

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

/// The language flag of these commands.
#[derive(Debug, clap::Args)]
pub struct LangArg {
    /// Language of every word printed (headers, states, units, numbers,
    /// dates); the JSON stays the same.
    #[arg(long, value_name = "en|ru", default_value = "en", value_parser = crate::named::<Lang>)]
    lang: Lang,
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

/// A CSV header row from the catalogue.
fn header_row(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// A feedback record's words in the history (`reason late_delivery`,
/// `ces 3`): its kind named in the language.
fn said(text: &str, w: &Words) -> String {
    match text.split_once(' ') {
        Some(("reason", rest)) => format!("{} {rest}", w.rule_reason),
        Some(("rating", rest)) => format!("{} {rest}", w.rule_rating),
        Some(("comment", rest)) => format!("{} {rest}", w.fk_comment),
        _ => text.to_owned(),
    }
}

/// What opened a follow-up, in words.
fn trigger(t: &mindgap::Trigger, w: &Words) -> String {
    let rule = match t.rule.as_str() {
        "reason" => w.rule_reason,
        "sentiment" => w.rule_sentiment,
        "rating" => w.rule_rating,
        r => r,
    };
    let detail = match t.detail.as_str() {
        "negative" => w.sent_negative,
        d => d,
    };
    format!("{rule} {detail}")
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
    #[command(flatten)]
    lang: LangArg,
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
        o.lang = args.lang.lang;
        o
    };
    // Interaction CSV files are read twice: streamed, then holding only
    // what the follow-ups listed show.
    let list = match args.diary.stream(|files| files.follow_ups(&options))? {
        Some(list) => list,
        None => Prepared::new(args.diary.load()?)?.follow_ups(&options)?,
    };
    let (w, business) = (args.lang.lang.words(), args.diary.business_ids()?);
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&list),
        Output::Table => follow_up_table(&list, w, &business),
        Output::Csv => follow_up_csv(&list, w)?,
    });
    Ok(())
}

fn state(s: State, w: &Words) -> &'static str {
    match s {
        State::Overdue => w.f_overdue,
        State::Open => w.f_open,
        State::Closed => w.f_closed,
    }
}

fn follow_up_table(
    l: &FollowUpList,
    w: &Words,
    business: &std::collections::HashSet<String>,
) -> String {
    let s = &l.summary;
    let mut out = fill(
        w.f_header,
        &[
            ("diary", l.header.diary.as_deref().unwrap_or_default()),
            ("at", &w.datetime(&l.header.as_of)),
        ],
    );
    out.push('\n');
    out += &fill(
        w.f_summary,
        &[
            ("total", &w.count(s.total)),
            ("overdue", &w.count(s.overdue)),
            ("open", &w.count(s.open)),
            ("closed", &w.count(s.closed)),
            ("late", &w.count(s.closed_late)),
        ],
    );
    if let (Some(m), Some(p)) = (s.median_time_to_close, s.p90_time_to_close) {
        // Mixed clocks (business and calendar) pool as plain seconds.
        out += &fill(
            w.f_close_time,
            &[
                ("p50", &w.duration(m, false)),
                ("p90", &w.duration(p, false)),
            ],
        );
    }
    out.push_str("\n\n");
    let width = [w.f_overdue, w.f_open, w.f_closed]
        .iter()
        .map(|x| x.chars().count() + 1)
        .max()
        .unwrap_or(8);
    let indent = " ".repeat(width + 1);
    for f in &l.follow_ups {
        let on_business = f.expectation.as_ref().is_some_and(|e| business.contains(e));
        let age = w.duration(f.age, on_business);
        let said_by = f
            .triggers
            .iter()
            .map(|t| trigger(t, w))
            .collect::<Vec<_>>()
            .join(", ");
        let st = state(f.state, w);
        let _ = writeln!(
            out,
            "{st}{} {}  {} · {} · {} · {}{}",
            " ".repeat(width.saturating_sub(st.chars().count())),
            f.feedback,
            w.datetime(&f.at),
            f.stage,
            said_by,
            fill(w.f_priority, &[("p", &w.number(f.priority, 2))]),
            if f.repeats > 0 {
                format!(" · {}", fill(w.f_repeat, &[("n", &w.count(f.repeats))]))
            } else {
                String::new()
            }
        );
        let who = [
            f.customer
                .as_deref()
                .map(|c| fill(w.f_customer, &[("c", c)])),
            f.interaction.as_ref().map(|i| {
                fill(
                    w.f_about,
                    &[
                        ("id", &i.id),
                        ("channel", &w.channel(i.channel.as_deref().unwrap_or("-"))),
                    ],
                )
            }),
            f.employee
                .as_deref()
                .map(|e| fill(w.f_employee, &[("e", e)])),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        if !who.is_empty() {
            let _ = writeln!(out, "{indent}{who}");
        }
        let when = match (f.state, &f.due, &f.closed_at) {
            (State::Closed, _, Some(c)) => {
                fill(
                    w.f_closed_by,
                    &[
                        ("at", &w.datetime(c)),
                        (
                            "by",
                            &f.closed_by.as_ref().map_or(String::new(), |b| {
                                format!("{} {}", w.record_kind(b.kind.as_str()), b.id)
                            }),
                        ),
                        ("age", &age),
                    ],
                ) + if f.late { w.f_late } else { "" }
            }
            (_, Some(d), _) => fill(w.f_due, &[("at", &w.datetime(d)), ("age", &age)]),
            (_, None, _) => fill(w.f_no_due, &[("stage", &f.stage), ("age", &age)]),
        };
        let _ = writeln!(out, "{indent}{when}");
        if let Some(c) = &f.comment {
            let _ = writeln!(out, "{indent}{}", fill(w.quote, &[("text", c)]));
        }
        if f.history.len() > 1 {
            let items: Vec<String> = f
                .history
                .iter()
                .filter(|h| h.id != f.feedback)
                .map(|h| {
                    format!(
                        "{} {}{}",
                        h.at.format(w.day_month),
                        h.id,
                        h.said
                            .as_deref()
                            .map(|s| said(s, w))
                            .or(h.category.clone())
                            .map_or(String::new(), |s| format!(" ({s})"))
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "{indent}{}",
                fill(w.f_history, &[("list", &items.join(", "))])
            );
        }
    }
    out.trim_end().to_owned()
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or_default().to_owned()
}

/// English keeps the JSON's machine names in the CSV; other languages
/// name them in words.
fn named(w: &Words, english: &str, translated: &str) -> String {
    if w.tag == "en" {
        english.to_owned()
    } else {
        translated.to_owned()
    }
}

fn follow_up_csv(l: &FollowUpList, w: &Words) -> Result<String, Failure> {
    let mut rows = vec![header_row(w.csv_follow_ups)];
    for f in &l.follow_ups {
        let machine = match f.state {
            State::Overdue => "overdue",
            State::Open => "open",
            State::Closed => "closed",
        };
        rows.push(vec![
            named(w, machine, state(f.state, w)),
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
                .map(|t| {
                    if w.tag == "en" {
                        format!("{} {}", t.rule, t.detail)
                    } else {
                        trigger(t, w)
                    }
                })
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
            f.closed_by.as_ref().map_or(String::new(), |b| {
                format!(
                    "{} {}",
                    named(w, b.kind.as_str(), w.record_kind(b.kind.as_str())),
                    b.id
                )
            }),
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
    #[command(flatten)]
    lang: LangArg,
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
        o.lang = args.lang.lang;
        o
    };
    // Interaction CSV files are streamed: only the records listed are held.
    let d = match args.diary.stream(|files| files.drill(&options))? {
        Some(d) => d,
        None => Prepared::new(args.diary.load()?)?.drill(&options)?,
    };
    let (w, business) = (args.lang.lang.words(), args.diary.business_ids()?);
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&d),
        Output::Table => drill_table(&d, w, &business),
        Output::Csv => drill_csv(&d, w)?,
    });
    Ok(())
}

fn drill_table(d: &Drill, w: &Words, business: &std::collections::HashSet<String>) -> String {
    let c = &d.counts;
    let class = serde_json::to_value(d.options.class)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut out = fill(
        w.d_header,
        &[
            ("diary", d.header.diary.as_deref().unwrap_or_default()),
            ("at", &w.datetime(&d.header.as_of)),
            ("n", &w.count(c.n)),
            ("missed", &w.count(c.missed)),
            ("within", &w.count(c.within)),
            ("exceeded", &w.count(c.exceeded)),
            ("pending", &w.count(c.pending)),
        ],
    );
    out.push('\n');
    out += &fill(
        w.d_matched,
        &[
            ("n", &w.count(d.matched)),
            ("records", w.plural(d.matched, &w.records)),
            ("class", w.class(&class)),
        ],
    );
    if (d.records.len() as u64) < d.matched {
        out += &fill(w.d_first, &[("k", &w.count(d.records.len() as u64))]);
    }
    out.push_str("\n\n");
    let width = ["missed", "within", "exceeded", "pending"]
        .iter()
        .map(|k| w.class(k).chars().count() + 1)
        .max()
        .unwrap_or(9);
    for r in &d.records {
        let text = if r.unit.as_str() == "seconds" {
            w.duration(r.value, business.contains(&r.expectation))
        } else if r.unit.as_str() == "business_days" {
            w.business_days(r.value)
        } else if r.unit.as_str() == "points" {
            w.number(r.value, 2)
        } else {
            r.text.clone()
        };
        let class = w.class(r.class.as_str());
        let channel = w.channel(r.channel.as_deref().unwrap_or("-"));
        let _ = writeln!(
            out,
            "{class}{} {:<12} {}  {:<24} {:<10} {:<6} {}{}",
            " ".repeat(width.saturating_sub(class.chars().count())),
            r.id,
            w.datetime(&r.at),
            r.expectation,
            channel,
            r.employee.as_deref().unwrap_or("-"),
            text,
            if r.running { w.d_running } else { "" }
        );
    }
    out.trim_end().to_owned()
}

fn drill_csv(d: &Drill, w: &Words) -> Result<String, Failure> {
    let mut rows = vec![header_row(w.csv_drill)];
    for r in &d.records {
        let channel = opt(r.channel.as_deref());
        rows.push(vec![
            r.expectation.clone(),
            named(w, r.kind.as_str(), w.record_kind(r.kind.as_str())),
            r.id.clone(),
            mindgap::text::timestamp(&r.at),
            r.stage.clone(),
            named(w, &channel, &w.channel(&channel)),
            opt(r.employee.as_deref()),
            opt(r.team.as_deref()),
            opt(r.customer.as_deref()),
            named(w, r.class.as_str(), w.class(r.class.as_str())),
            r.value.to_string(),
            named(w, r.unit.as_str(), w.unit(r.unit.as_str())),
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
    #[command(flatten)]
    lang: LangArg,
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
    // Interaction CSV files are streamed: only the counts are held.
    let p = match args.diary.stream(|files| files.people(&options))? {
        Some(p) => p,
        None => Prepared::new(args.diary.load()?)?.people(&options)?,
    };
    let w = args.lang.lang.words();
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&p),
        Output::Table => people_table(&p, w),
        Output::Csv => people_csv(&p, w)?,
    });
    Ok(())
}

fn people_table(p: &People, w: &Words) -> String {
    let mut out = fill(
        w.p_header,
        &[
            ("diary", p.header.diary.as_deref().unwrap_or_default()),
            ("at", &w.datetime(&p.header.as_of)),
            ("conf", &w.pct(p.options.confidence)),
        ],
    ) + "\n\n";
    let c = w.p_columns;
    let col = |i: usize| c.get(i).copied().unwrap_or_default();
    // Column widths: the wider of the header and the figures.
    let wd = |i: usize, min: usize| col(i).chars().count().max(min);
    let (w0, w1, w2, w3, w4, w5, w6) = (
        wd(0, 4),
        wd(1, 16),
        wd(2, 6),
        wd(3, 15),
        wd(4, 6),
        wd(5, 7),
        wd(6, 7),
    );
    let right =
        |s: &str, n: usize| format!("{}{s}", " ".repeat(n.saturating_sub(s.chars().count())));
    let left =
        |s: &str, n: usize| format!("{s}{}", " ".repeat(n.saturating_sub(s.chars().count())));
    let _ = writeln!(
        out,
        "{}  {} {}  {}  {} {} {}",
        right(col(0), w0),
        left(col(1), w1),
        right(col(2), w2),
        right(col(3), w3),
        right(col(4), w4),
        right(col(5), w5),
        right(col(6), w6)
    );
    for x in &p.people {
        let range = format!(
            "{}–{}",
            w.pct_dec(x.met.lower, 1),
            w.pct_dec(x.met.upper, 1)
        );
        let _ = writeln!(
            out,
            "{}  {} {}  {}  {} {} {}",
            right(&x.rank.to_string(), w0),
            left(&x.key, w1),
            right(&w.pct_dec(x.met.share, 1), w2),
            right(&range, w3),
            right(&w.count(x.met.n), w4),
            right(&w.count(x.missed), w5),
            right(&w.count(x.pending), w6)
        );
    }
    if p.unassigned > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            fill(
                w.p_unassigned,
                &[
                    ("n", &w.count(p.unassigned)),
                    ("obs", w.plural(p.unassigned, &w.obs)),
                ]
            )
        );
    }
    out.trim_end().to_owned()
}

fn people_csv(p: &People, w: &Words) -> Result<String, Failure> {
    let mut rows = vec![header_row(w.csv_people)];
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
    #[command(flatten)]
    lang: LangArg,
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
    // Interaction CSV files are read twice: streamed (16 bytes a
    // category), then for the records of the episodes found.
    let p = match args.diary.stream(|files| files.problems(&options))? {
        Some(p) => p,
        None => Prepared::new(args.diary.load()?)?.problems(&options)?,
    };
    let w = args.lang.lang.words();
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&p),
        Output::Table => problems_table(&p, w),
        Output::Csv => problems_csv(&p, w)?,
    });
    Ok(())
}

fn scope_name(s: ProblemScope, w: &Words) -> &'static str {
    match s {
        ProblemScope::Customer => w.sc_customer,
        ProblemScope::Stage => w.sc_stage,
        ProblemScope::Employee => w.sc_employee,
    }
}

fn kind_name(k: mindgap::ProblemKind, w: &Words) -> &'static str {
    match k {
        mindgap::ProblemKind::Reason => w.pk_reason,
        _ => w.pk_category,
    }
}

/// A span in days when whole days, else in words.
fn span_words(s: mindgap::Span, w: &Words) -> String {
    let ms = s.as_millis();
    if ms > 0 && ms % 86_400_000 == 0 {
        let d = (ms / 86_400_000) as u64;
        format!("{} {}", w.count(d), w.plural(d, &w.days))
    } else {
        w.duration(ms as f64 / 1000.0, false)
    }
}

fn problems_table(p: &Problems, w: &Words) -> String {
    let o = &p.options;
    let min = o.min_count as u64;
    let mut out = fill(
        w.pr_header,
        &[
            ("diary", p.header.diary.as_deref().unwrap_or_default()),
            ("at", &w.datetime(&p.header.as_of)),
            ("min", &w.count(min)),
            ("times", w.plural(min, &w.times)),
            ("span", &span_words(o.within, w)),
        ],
    ) + "\n\n";
    if p.recurring.is_empty() {
        let _ = writeln!(out, "{}", w.pr_none);
    }
    for r in &p.recurring {
        let ids: Vec<&str> = r.records.iter().map(|x| x.id.as_str()).collect();
        let _ = writeln!(
            out,
            "{}",
            fill(
                w.pr_row,
                &[
                    ("scope", scope_name(r.scope, w)),
                    ("key", &r.key),
                    ("kind", kind_name(r.kind, w)),
                    ("label", &r.label),
                    ("count", &w.count(r.count)),
                    ("from", &w.date(&r.from)),
                    ("to", &w.date(&r.to)),
                    ("ids", &ids.join(", ")),
                ]
            )
        );
    }
    if !p.reasons.is_empty() {
        let _ = writeln!(out, "\n{}", w.pr_reasons);
        for r in &p.reasons {
            let missed = r.missed.as_ref().map_or("-".to_owned(), |m| {
                fill(
                    w.pr_missed,
                    &[
                        ("missed", &w.pct(m.share)),
                        ("range", &format!("{}–{}", w.pct(m.lower), w.pct(m.upper))),
                        ("n", &w.count(m.n)),
                    ],
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
                    .map_or(String::new(), |s| fill(w.pr_stage, &[("s", &w.pct(s))]))
            );
        }
    }
    out.trim_end().to_owned()
}

fn problems_csv(p: &Problems, w: &Words) -> Result<String, Failure> {
    let mut rows = vec![header_row(w.csv_problems)];
    for r in &p.recurring {
        let scope = match r.scope {
            ProblemScope::Customer => "customer",
            ProblemScope::Stage => "stage",
            ProblemScope::Employee => "employee",
        };
        rows.push(vec![
            named(w, scope, scope_name(r.scope, w)),
            r.key.clone(),
            named(w, r.kind.as_str(), kind_name(r.kind, w)),
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
    #[command(flatten)]
    lang: LangArg,
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
    let w = args.lang.lang.words();
    crate::emit(&match args.format {
        Output::Json => mindgap::api::to_json(&list),
        Output::Table => due_table(&list, w),
        Output::Csv => due_csv(&list, w)?,
    });
    Ok(())
}

fn due_state(c: &DueClock, w: &Words) -> &'static str {
    match c.state {
        DueState::Breached => w.due_breached,
        DueState::AtRisk => w.due_at_risk,
        _ if c.paused => w.due_paused,
        _ => w.due_on_track,
    }
}

fn clock_name(k: ClockKind, w: &Words) -> &'static str {
    match k {
        ClockKind::FirstResponse => w.c_first_reply,
        ClockKind::NextResponse => w.c_next_reply,
        ClockKind::Resolution => w.c_resolution,
        ClockKind::Update => w.c_update,
        _ => w.c_follow_up,
    }
}

/// A clock's value in words: business hours and minutes when the clock
/// runs on a calendar (a business day is not 24 hours, so days would
/// mislead), business days for levels written in them.
fn span(l: mindgap::Level, business: bool, w: &Words) -> String {
    match l {
        mindgap::Level::Time(s) => w.duration(s.as_millis() as f64 / 1000.0, business),
        mindgap::Level::BusinessDays(d) => w.business_days(d),
        mindgap::Level::EndOfBusinessDay(n) => w.end_of_business_day(n),
        other => other.to_string(),
    }
}

fn due_table(l: &DueList, w: &Words) -> String {
    let s = &l.summary;
    let mut out = fill(
        w.due_header,
        &[
            ("diary", l.header.diary.as_deref().unwrap_or_default()),
            ("at", &w.datetime(&l.header.as_of)),
        ],
    );
    out.push('\n');
    out += &fill(
        w.due_summary,
        &[
            ("total", &w.count(s.total)),
            ("clocks", w.plural(s.total, &w.clocks)),
            ("breached", &w.count(s.breached)),
            ("at_risk", &w.count(s.at_risk)),
            ("on_track", &w.count(s.on_track)),
            ("paused", &w.count(s.paused)),
        ],
    );
    if let Some(since) = &l.options.changes_since {
        out.push('\n');
        out += &fill(
            w.due_since,
            &[
                ("at", &w.datetime(since)),
                ("breached", &w.count(s.newly_breached)),
                ("at_risk", &w.count(s.newly_at_risk)),
                ("follow_ups", &w.count(l.new_follow_ups.len() as u64)),
            ],
        );
    }
    out.push_str("\n\n");
    let width = [w.due_breached, w.due_at_risk, w.due_paused, w.due_on_track]
        .iter()
        .map(|x| x.chars().count() + 1)
        .max()
        .unwrap_or(9);
    for c in &l.clocks {
        let business = c.calendar.is_some();
        let when = match (c.state, c.breach_at) {
            (DueState::Breached, Some(b)) => fill(w.due_breached_at, &[("at", &w.datetime(&b))]),
            (_, Some(b)) => fill(
                w.due_left,
                &[
                    ("left", &span(c.left, business, w)),
                    ("at", &w.datetime(&b)),
                ],
            ),
            (_, None) => fill(w.due_left_paused, &[("left", &span(c.left, business, w))]),
        };
        let change = match c.change {
            Some(DueChange::NewlyBreached) => w.due_new,
            Some(DueChange::NewlyAtRisk) => w.due_new_at_risk,
            _ => "",
        };
        let st = due_state(c, w);
        let state = format!(
            "{st}{}",
            " ".repeat(width.saturating_sub(st.chars().count()))
        );
        let _ = writeln!(
            out,
            "{}",
            fill(
                w.due_row,
                &[
                    ("state", &state),
                    ("expectation", &c.expectation),
                    ("id", &c.id),
                    ("clock", clock_name(c.clock, w)),
                    ("elapsed", &span(c.elapsed, business, w)),
                    ("adequate", &span(c.adequate, business, w)),
                    ("when", &when),
                    ("change", change),
                ]
            )
        );
    }
    if !l.new_follow_ups.is_empty() {
        let _ = writeln!(out, "\n{}", w.due_new_title);
        for f in &l.new_follow_ups {
            let _ = writeln!(
                out,
                "  {} · {} · {}{}",
                f.feedback,
                w.datetime(&f.at),
                f.customer.as_deref().unwrap_or("-"),
                f.due
                    .map(|d| fill(w.due_new_due, &[("at", &w.datetime(&d))]))
                    .unwrap_or_default()
            );
        }
    }
    out.trim_end().to_owned()
}

fn due_csv(l: &DueList, w: &Words) -> Result<String, Failure> {
    let mut rows = vec![header_row(w.csv_due)];
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
        let channel = opt(c.channel.as_deref());
        rows.push(vec![
            named(w, &c.state.name(), due_state(c, w)),
            c.paused.to_string(),
            c.change.as_ref().map(|x| x.name()).unwrap_or_default(),
            c.expectation.clone(),
            named(w, &c.clock.name(), clock_name(c.clock, w)),
            c.id.clone(),
            mindgap::text::timestamp(&c.started),
            c.stage.clone(),
            named(w, &channel, &w.channel(&channel)),
            opt(c.employee.as_deref()),
            opt(c.customer.as_deref()),
            opt(c.calendar.as_deref()),
            {
                let unit = match c.elapsed {
                    mindgap::Level::Time(_) => "seconds",
                    _ => "business_days",
                };
                named(w, unit, w.unit(unit))
            },
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
