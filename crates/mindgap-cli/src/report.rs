//! `mindgap report`: the diary table — stage, expectation, what actually
//! happened, the gap, and a remark — as a terminal table, Markdown, CSV, HTML
//! or the complete JSON.

use std::fmt::Write as _;
use std::io::IsTerminal;

use mindgap::Bucket;
use mindgap::stats::ShareInterval;
use mindgap::text::{Words, fill};
use mindgap::{Crosshair, Dimension, Lang, Pooled, Report, ReportOptions};
use mindgap::{Figure, GapFigures};

use crate::Failure;
use crate::input::DiaryArgs;

/// Arguments of `mindgap report`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap report --sample
  mindgap report --diary diary.json --interactions interactions.csv --feedback feedback.csv
  mindgap report --sample --by channel --by week --format json
  mindgap report --sample --lang ru --format html > report.html
  mindgap report --diary diary.json --interactions tickets.csv --from zendesk --as-of 2026-10-31")]
pub struct Args {
    #[command(flatten)]
    diary: DiaryArgs,
    /// Report instant, RFC 3339 (default: the latest timestamp in the data).
    #[arg(long, value_name = "TIME")]
    as_of: Option<String>,
    /// Add a roll-up by this dimension (repeatable): stage, touchpoint,
    /// channel, employee, team, customer, segment, day, week, month.
    #[arg(long, value_name = "DIMENSION", value_parser = crate::named::<Dimension>)]
    by: Vec<Dimension>,
    /// Split every roll-up group by this period too.
    #[arg(long, value_name = "day|week|month", value_parser = crate::named::<Bucket>)]
    per: Option<Bucket>,
    /// Only observations at or after this instant (RFC 3339).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only observations before this instant (RFC 3339).
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Only this stage (repeatable).
    #[arg(long, value_name = "ID")]
    stage: Vec<String>,
    /// Only this channel (repeatable).
    #[arg(long, value_name = "NAME")]
    channel: Vec<String>,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// Importance–Performance cross-hair.
    #[arg(long, value_name = "mean|median", default_value = "mean", value_parser = crate::named::<Crosshair>)]
    crosshair: Crosshair,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    format: Output,
    /// Language of every word printed (remarks, headers, units, numbers).
    #[arg(long, value_name = "en|ru", default_value = "en", value_parser = crate::named::<Lang>)]
    pub(crate) lang: Lang,
    /// Add each expectation's weekly missed-share trend to the JSON (`trend`
    /// key; the table always shows its verdict).
    #[arg(long)]
    trend: bool,
    /// Which engine computes the report: `stream` (mindgap's own reader)
    /// or `datafusion` (built with the `datafusion` feature: CSV or
    /// Parquet interactions — a file, a directory or a glob like
    /// 'data/*.parquet' — on every core; the figures of the expectations
    /// measured on interactions, by stage, as JSON).
    #[arg(long, value_enum, default_value_t = crate::engine::Engine::Stream)]
    engine: crate::engine::Engine,
    /// Partitions DataFusion splits the rows into (default: the cores).
    #[arg(long, value_name = "N", requires = "engine")]
    partitions: Option<usize>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Output {
    Table,
    Markdown,
    Json,
    Csv,
    Html,
}

/// Parses an RFC 3339 option value.
pub fn instant(
    flag: &str,
    text: Option<&str>,
    diary: &crate::input::DiaryArgs,
) -> Result<Option<mindgap::Timestamp>, Failure> {
    let Some(t) = text else {
        return Ok(None);
    };
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(Some(at));
    }
    if t.trim().eq_ignore_ascii_case("now") {
        // The command line may read the clock; the library never does.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let now = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default();
        return Ok(Some(diary.zone()?.at(&now)));
    }
    let bad = |why: String| {
        Failure::usage(format!(
            "--{flag} {t:?}: expected an RFC 3339 timestamp with an offset, like \
             2026-10-31T23:59:00+03:00, a local date or time in the diary's zone, like \
             2026-10-31, 31.10.2026 or 2026-10-31 23:59, or now{why}"
        ))
    };
    let zone = diary.zone()?;
    let at = mindgap::parse_timestamp(t, None, zone).map_err(|_| bad(String::new()))?;
    // A date alone: its whole day counts (up to the next midnight) for
    // --until and --as-of.
    let date_only = chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").is_ok()
        || chrono::NaiveDate::parse_from_str(t.trim(), "%d.%m.%Y").is_ok();
    if date_only && flag != "since" {
        let next = at
            .date_naive()
            .succ_opt()
            .map(|d| d.and_time(chrono::NaiveTime::MIN));
        return match next.map(|n| zone.from_local(&n)) {
            Some(chrono::LocalResult::Single(t)) | Some(chrono::LocalResult::Ambiguous(t, _)) => {
                Ok(Some(t))
            }
            _ => Err(bad(format!(
                " (the next midnight does not exist in {zone})"
            ))),
        };
    }
    Ok(Some(at))
}

impl Args {
    fn options(&self) -> Result<ReportOptions, Failure> {
        Ok({
            let mut o = ReportOptions::default();
            o.as_of = instant("as-of", self.as_of.as_deref(), &self.diary)?;
            o.confidence = self.confidence;
            o.since = instant("since", self.since.as_deref(), &self.diary)?;
            o.until = instant("until", self.until.as_deref(), &self.diary)?;
            o.stages = self.stage.iter().map(|s| s.as_str().into()).collect();
            o.channels = self
                .channel
                .iter()
                .map(|c| mindgap::Channel::parse(c))
                .collect();
            o.by = self.by.clone();
            o.per = self.per;
            o.crosshair = self.crosshair;
            o.lang = self.lang;
            o.trend = self.trend || matches!(self.format, Output::Table | Output::Html);
            if matches!(self.format, Output::Html) && !o.by.contains(&Dimension::Week) {
                // The weekly chart's figures; not shown as a breakdown.
                o.by.push(Dimension::Week);
            }
            o
        })
    }
}

/// Runs the command.
pub fn run(args: &Args) -> Result<(), Failure> {
    let options = args.options()?;
    if args.engine == crate::engine::Engine::Datafusion {
        if !matches!(args.format, Output::Json) || args.trend {
            return Err(Failure::usage(
                "--engine datafusion gives the gap figures as JSON: add --format json \
                 (no --trend)",
            ));
        }
        crate::emit(&crate::engine::report(
            &args.diary,
            &options,
            args.partitions,
        )?);
        return Ok(());
    }
    let report = match args.diary.report_streamed(&options)? {
        Some(report) => report,
        None => mindgap::report(args.diary.load(options.lang)?, &options)?,
    };
    let out = match args.format {
        Output::Json => mindgap::api::to_json(&report),
        Output::Table => {
            let extra = Extra::new(&report);
            table(&report, std::io::stdout().is_terminal(), &extra)
        }
        Output::Markdown => markdown(&report),
        Output::Csv => csv(&report)?,
        Output::Html => html(&report, &args.by),
    };
    crate::emit(&out);
    Ok(())
}

fn share(f: &Figure<ShareInterval>, w: &Words) -> String {
    f.value().map_or_else(|| "–".to_owned(), |s| w.pct(s.share))
}

/// The gap of an expectation in words: the three classes and the MSA.
fn gap_cell(g: &GapFigures, business: bool, w: &Words) -> String {
    if g.n == 0 {
        return "–".into();
    }
    let mut s = format!(
        "{} {} · {} {} · {} {}",
        share(&g.missed, w),
        w.missed,
        share(&g.within, w),
        w.within,
        share(&g.exceeded, w),
        w.exceeded
    );
    let msa = match (g.msa.value(), g.unit.as_str()) {
        (Some(msa), "seconds") => Some(w.signed_duration(msa.median, business)),
        (Some(msa), "business_days") => Some(format!(
            "{}{}",
            if msa.median > 0.0 { "+" } else { "" },
            w.business_days(msa.median)
        )),
        (Some(msa), "points") => Some(format!(
            "{}{}",
            if msa.mean > 0.0 { "+" } else { "" },
            w.number(msa.mean, 2)
        )),
        _ => None,
    };
    if let Some(v) = msa {
        let _ = write!(s, " · {}", fill(w.msa, &[("v", &v)]));
    }
    s
}

/// Pooled classes: "8% missed of 650 observations".
fn pooled_cell(p: &Pooled, w: &Words) -> String {
    if p.n == 0 {
        return w.no_obs.into();
    }
    fill(
        w.pooled,
        &[
            ("missed", &share(&p.missed, w)),
            ("n", &w.count(p.n)),
            ("obs", w.plural(p.n, &w.obs_of)),
        ],
    )
}

/// The zone of an expectation in words (the core's, shared with the charts).
fn zone_text(e: &mindgap::ExpectationReport, w: &Words) -> String {
    mindgap::text::zone_text(e, w)
}

fn paint(text: &str, missed: Option<f64>, colour: bool) -> String {
    if !colour {
        return text.to_owned();
    }
    let code = match missed {
        Some(m) if m >= 0.2 => "31",
        Some(m) if m >= 0.05 => "33",
        Some(_) => "32",
        None => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// Pads to a display width (counting chars, which suits the texts here).
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.to_owned()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

fn header_values(r: &Report, w: &Words) -> [(&'static str, String); 4] {
    [
        ("diary", r.header.diary.clone().unwrap_or_default()),
        ("at", w.datetime(&r.header.as_of)),
        ("zone", r.header.timezone.clone().unwrap_or_default()),
        ("conf", w.pct(r.options.confidence)),
    ]
}

/// The header line, with the tz data the diary's zone was read from
/// (` · tzdata 2025b (system /usr/share/zoneinfo)`; the same words in every
/// language: they are names).
fn header(r: &Report, template: &str, w: &Words) -> String {
    let v = header_values(r, w);
    let refs: Vec<(&str, &str)> = v.iter().map(|(k, x)| (*k, x.as_str())).collect();
    let mut line = fill(template, &refs);
    if let Some(tz) = &r.tzdata {
        let _ = write!(line, " · tzdata {} ({}", tz.release, tz.source);
        if let Some(path) = &tz.path {
            let _ = write!(line, " {path}");
        }
        line.push(')');
    }
    line
}

/// A group's key in words: a channel named in the language, "(none)" too.
fn key_word(d: Dimension, key: &str, w: &Words) -> String {
    if d == Dimension::Channel {
        w.channel(key).into_owned()
    } else if key == "(none)" {
        w.none_key.to_owned()
    } else {
        key.to_owned()
    }
}

/// A group's key in words, with its period when split by one.
fn group_key(d: Dimension, g: &mindgap::Group, w: &Words) -> String {
    let key = key_word(d, &g.key, w);
    match &g.period {
        Some(p) => fill(w.period_of, &[("key", &key), ("period", p)]),
        None => key,
    }
}

/// The name of an expectation: its description, else its id.
fn name(e: &mindgap::ExpectationReport) -> &str {
    mindgap::text::name(e)
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// The trend of each expectation (weekly missed share) and what went quiet,
/// for the table's trend column and staleness section.
#[derive(Debug, Default)]
pub struct Extra {
    trend: std::collections::HashMap<String, mindgap::Verdict>,
    stale: Vec<mindgap::Freshness>,
    never: Vec<String>,
}

impl Extra {
    fn new(report: &Report) -> Extra {
        // The trend column is a help, not the report: without a trend the
        // column stays empty.
        let Some(t) = &report.trend else {
            return Extra::default();
        };
        Extra {
            trend: t
                .series
                .iter()
                .map(|s| (s.group.clone(), s.stats.verdict))
                .collect(),
            stale: t.staleness.iter().filter(|f| f.stale).cloned().collect(),
            never: t.never_observed.clone(),
        }
    }
}

/// A trend verdict in words.
pub fn verdict(v: mindgap::Verdict, w: &Words) -> &'static str {
    use mindgap::Verdict;
    match v {
        Verdict::Improving => w.v_improving,
        Verdict::Worsening => w.v_worsening,
        Verdict::Rising => w.v_rising,
        Verdict::Falling => w.v_falling,
        Verdict::NoSignificantChange => w.v_stable,
        _ => w.v_not_enough,
    }
}

/// The stale entries in words.
pub fn stale_list(list: &[mindgap::Freshness], w: &Words) -> Vec<String> {
    list.iter()
        .filter(|f| f.stale)
        .map(|f| w.freshness(&f.kind, &f.key, f.days_silent))
        .collect()
}

/// The lines under the stages: staleness, NPS, CSAT.
fn footer(r: &Report, extra: &Extra, w: &Words) -> Vec<String> {
    let mut out = Vec::new();
    if !extra.stale.is_empty() {
        out.push(fill(
            w.stale_line,
            &[
                ("span", &format!("30 {}", w.plural(30, &w.days))),
                ("list", &stale_list(&extra.stale, w).join(", ")),
            ],
        ));
    }
    if !extra.never.is_empty() {
        out.push(fill(w.never_line, &[("list", &extra.never.join(", "))]));
    }
    if let Some(nps) = r.feedback.nps.value() {
        out.push(fill(
            w.nps_line,
            &[
                ("nps", &w.number(nps.nps, 0)),
                (
                    "interval",
                    &w.interval(&w.number(nps.lower, 0), &w.number(nps.upper, 0)),
                ),
                ("n", &w.count(nps.n)),
                ("answers", w.plural(nps.n, &w.answers_from)),
                ("dismissed", &w.count(r.feedback.dismissed)),
            ],
        ));
    }
    if let Some(c) = r.feedback.csat.value() {
        out.push(fill(
            w.csat_line,
            &[
                ("pct", &w.pct(c.share)),
                ("interval", &w.interval(&w.pct(c.lower), &w.pct(c.upper))),
                ("n", &w.count(c.n)),
                ("answers", w.plural(c.n, &w.answers_of)),
            ],
        ));
    }
    out
}

/// The terminal table: a line per stage, a line per expectation, remarks
/// indented beneath; then every breakdown.
pub fn table(r: &Report, colour: bool, extra: &Extra) -> String {
    let w = r.options.lang.words();
    let mut out = header(r, w.header, w) + "\n\n";
    for s in &r.stages {
        let missed = s.gap.missed.value().map(|m| m.share);
        let line = format!("{} — {}", s.name.to_uppercase(), pooled_cell(&s.gap, w));
        let _ = writeln!(out, "{}", paint(&line, missed, colour));
        let _ = writeln!(out, "  {}", s.remark);
        for id in &s.expectations {
            let Some(e) = r.expectations.iter().find(|e| &e.id == id) else {
                continue;
            };
            let zone = zone_text(e, w);
            let title = if zone.is_empty() {
                name(e).to_owned()
            } else {
                format!("{} ({zone})", name(e))
            };
            let m = e.gap.missed.value().map(|m| m.share);
            let _ = writeln!(out, "  • {title}");
            let _ = writeln!(out, "      {}: {}", w.actual, e.actual);
            let trend = extra
                .trend
                .get(&e.id)
                .map(|v| format!(" · {} {}", w.trend, verdict(*v, w)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "      {}: {}{trend}",
                w.gap,
                paint(&gap_cell(&e.gap, e.calendar.is_some(), w), m, colour)
            );
            let _ = writeln!(out, "      {}", e.remark);
        }
        out.push('\n');
    }
    for line in footer(r, extra, w) {
        let _ = writeln!(out, "{line}");
    }
    for b in &r.breakdowns {
        let _ = writeln!(out, "\n{}", w.by(b.dimension.as_str()).to_uppercase());
        let width = b
            .groups
            .iter()
            .map(|g| group_key(b.dimension, g, w).chars().count())
            .max()
            .unwrap_or(0)
            .max(24);
        for g in &b.groups {
            let _ = writeln!(
                out,
                "  {} {}",
                pad(&group_key(b.dimension, g, w), width),
                pooled_cell(&g.gap, w)
            );
        }
    }
    out.trim_end().to_owned()
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The columns of a breakdown table (the period only when split by one).
fn breakdown_columns(r: &Report, w: &Words) -> Vec<String> {
    let mut cols = vec![w.col_group.to_owned()];
    if r.options.per.is_some() {
        cols.push(w.col_period.to_owned());
    }
    cols.extend([
        w.col_interactions.to_owned(),
        w.col_n.to_owned(),
        capital(w.missed),
        capital(w.within),
        capital(w.exceeded),
    ]);
    cols
}

/// The cells of a breakdown's group, in [`breakdown_columns`] order.
fn breakdown_cells(r: &Report, d: Dimension, g: &mindgap::Group, w: &Words) -> Vec<String> {
    let mut cells = vec![key_word(d, &g.key, w)];
    if r.options.per.is_some() {
        cells.push(g.period.clone().unwrap_or_default());
    }
    cells.extend([
        w.count(g.interactions),
        w.count(g.gap.n),
        share(&g.gap.missed, w),
        share(&g.gap.within, w),
        share(&g.gap.exceeded, w),
    ]);
    cells
}

/// The diary table as Markdown, with a table per breakdown.
pub fn markdown(r: &Report) -> String {
    let w = r.options.lang.words();
    let mut out = format!(
        "## {}\n\n{}\n\n",
        md_escape(r.header.diary.as_deref().unwrap_or_default()),
        md_escape(&header(r, w.header_sub, w))
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        w.col_stage, w.col_expectation, w.col_actual, w.col_gap, w.col_remark
    );
    for s in &r.stages {
        let _ = writeln!(
            out,
            "| **{}** | | | {} | {} |",
            md_escape(&s.name),
            md_escape(&pooled_cell(&s.gap, w)),
            md_escape(&s.remark)
        );
        for e in r.expectations.iter().filter(|e| e.stage == s.id) {
            let _ = writeln!(
                out,
                "| | {} | {} | {} | {} |",
                md_escape(name(e)),
                md_escape(&e.actual),
                md_escape(&gap_cell(&e.gap, e.calendar.is_some(), w)),
                md_escape(&e.remark)
            );
        }
    }
    let foot = footer(r, &Extra::new(r), w);
    if !foot.is_empty() {
        out.push('\n');
        for line in foot {
            let _ = writeln!(out, "{}  ", md_escape(&line));
        }
    }
    for b in &r.breakdowns {
        let cols = breakdown_columns(r, w);
        let _ = writeln!(
            out,
            "\n### {}\n\n| {} |\n|{}",
            w.by(b.dimension.as_str()),
            cols.join(" | "),
            "---|".repeat(cols.len())
        );
        for g in &b.groups {
            let cells: Vec<String> = breakdown_cells(r, b.dimension, g, w)
                .iter()
                .map(|c| md_escape(c))
                .collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }
    out.trim_end().to_owned()
}

/// One CSV row per expectation with its main figures, then one row per
/// breakdown group and expectation (its `by`, `group`, `period` and
/// `interactions` columns filled). In Russian the headers and the named
/// values (metric, unit, quadrant) are Russian; numbers stay plain.
pub fn csv(r: &Report) -> Result<String, Failure> {
    let lang = r.options.lang;
    let w = lang.words();
    let mut out = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| Failure::usage(e.to_string());
    out.write_record(w.csv_report).map_err(fail)?;
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    // English keeps the machine names of the JSON (as before); other
    // languages name them in words.
    let named = |english: String, translated: &str| {
        if lang == Lang::En {
            english
        } else {
            translated.to_owned()
        }
    };
    let stage_name = |id: &str| {
        r.stages
            .iter()
            .find(|s| s.id == id)
            .map_or(String::new(), |s| s.name.clone())
    };
    let row = |e: &mindgap::ExpectationReport, g: &GapFigures, rest: [String; 6]| {
        let l = e.levels.last();
        let [quadrant, remark, by, group, period, interactions] = rest;
        vec![
            e.stage.clone(),
            stage_name(&e.stage),
            e.id.clone(),
            e.description.clone(),
            named(e.metric.clone(), w.metric(&e.metric)),
            named(g.unit.as_str().to_owned(), w.unit(g.unit.as_str())),
            num(l.map(|l| l.desired)),
            num(l.map(|l| l.adequate)),
            g.n.to_string(),
            g.pending.to_string(),
            num(g.exceeded.value().map(|s| s.share)),
            num(g.within.value().map(|s| s.share)),
            num(g.missed.value().map(|s| s.share)),
            num(g.missed.value().map(|s| s.lower)),
            num(g.missed.value().map(|s| s.upper)),
            num(g.percentiles.value().map(|p| p.p50)),
            num(g.percentiles.value().map(|p| p.p90)),
            num(g.percentiles.value().map(|p| p.p95)),
            num(g.msa.value().map(|m| m.mean)),
            num(g.msa.value().map(|m| m.median)),
            num(g.mss.value().map(|m| m.mean)),
            num(g.zone_position.value().copied()),
            quadrant,
            remark,
            by,
            group,
            period,
            interactions,
        ]
    };
    for e in &r.expectations {
        let quadrant = e
            .quadrant
            .value()
            .and_then(|q| serde_json::to_value(q).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let quadrant = named(quadrant.clone(), w.quadrant(&quadrant));
        let rest = [
            quadrant,
            e.remark.clone(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        out.write_record(row(e, &e.gap, rest)).map_err(fail)?;
    }
    for b in &r.breakdowns {
        let dim = b.dimension.as_str();
        for g in &b.groups {
            let key = named(g.key.clone(), &key_word(b.dimension, &g.key, w));
            for ge in &g.expectations {
                let Some(e) = r.expectations.iter().find(|e| e.id == ge.id) else {
                    continue;
                };
                let rest = [
                    String::new(),
                    String::new(),
                    named(dim.to_owned(), w.by(dim)),
                    key.clone(),
                    g.period.clone().unwrap_or_default(),
                    g.interactions.to_string(),
                ];
                out.write_record(row(e, &ge.gap, rest)).map_err(fail)?;
            }
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| Failure::usage(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).trim_end().to_owned())
}

use mindgap::text::esc;

/// The page's style: screen and print (A4), no web fonts, no network.
const STYLE: &str = include_str!("report.css");

/// A table of figures (the fallback of a chart, and what is printed).
fn table_html(cols: &[String], rows: &[Vec<String>]) -> String {
    let mut t = String::from("<table><thead><tr>");
    for c in cols {
        let _ = write!(t, "<th scope=\"col\">{}</th>", esc(c));
    }
    t.push_str("</tr></thead><tbody>");
    for r in rows {
        t.push_str("<tr>");
        for c in r {
            let _ = write!(t, "<td>{}</td>", esc(c));
        }
        t.push_str("</tr>");
    }
    t.push_str("</tbody></table>");
    t
}

/// A section with its heading, its note and its body.
fn section(id: &str, title: &str, note: &str, body: &str) -> String {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("<p class=\"note\">{}</p>", esc(note))
    };
    format!(
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\"><h2 id=\"{id}-h\">{}</h2>{note}{body}</section>\n",
        esc(title)
    )
}

/// The one-file HTML report a service manager reads and forwards: the
/// summary, where to act first, the zone of tolerance of every expectation,
/// the stages, the weekly missed share with its band, the feedback figures,
/// the diary table (zone column, gap bar, weekly sparkline, remark), the
/// importance–performance chart and every breakdown asked for (`shown`),
/// each chart with its figures as a table. Self-contained: inline CSS and
/// SVG drawn here (the same as the web widget's, from the core), no script,
/// no network; printable on A4.
pub fn html(r: &Report, shown: &[Dimension]) -> String {
    let w = r.options.lang.words();
    let charts = mindgap::charts(r);
    let conf = w.pct(r.options.confidence);
    let extra = Extra::new(r);
    let mut body = String::new();

    // The summary and the feedback lines.
    let mut lines = String::new();
    for line in footer(r, &extra, w) {
        let _ = write!(lines, "<li>{}</li>", esc(&line));
    }
    let _ = writeln!(
        body,
        "<header><h1>{}</h1><p class=\"sub\">{}</p><p class=\"summary\">{}</p><ul class=\"lines\">{lines}</ul></header>",
        esc(r.header.diary.as_deref().unwrap_or_default()),
        esc(&header(r, w.header_sub, w)),
        esc(&charts.summary)
    );
    body += &section("focus", w.h_focus, w.h_focus_note, &charts.focus);
    body += &section("zones", w.h_zones, w.h_zones_note, &charts.zones);
    body += &section("stages", w.h_stages, w.h_stages_note, &charts.stages);

    // The weekly missed share, with its figures.
    if let Some(b) = r.breakdowns.iter().find(|b| b.dimension == Dimension::Week) {
        let rows: Vec<Vec<String>> = b
            .groups
            .iter()
            .filter_map(|g| {
                let m = g.gap.missed.value()?;
                Some(vec![
                    group_key(Dimension::Week, g, w),
                    w.count(m.n),
                    w.pct_dec(m.share, 1),
                    w.interval(&w.pct(m.lower), &w.pct(m.upper)),
                ])
            })
            .collect();
        let cols = [
            w.col_period.to_owned(),
            w.col_n.to_owned(),
            capital(w.h_missed_share),
            capital(&fill(w.h_interval, &[("conf", &conf)])),
        ];
        let figures = format!(
            "<details><summary>{}</summary>{}</details>",
            esc(w.h_as_table),
            table_html(&cols, &rows)
        );
        body += &section(
            "weekly",
            w.h_weekly,
            &fill(w.h_weekly_note, &[("conf", &conf)]),
            &(charts.weekly.clone() + &figures),
        );
    }

    if !charts.feedback.is_empty() {
        body += &section("feedback", w.h_feedback, "", &charts.feedback);
    }

    // The diary table.
    let mut rows = String::new();
    for (i, s) in r.stages.iter().enumerate() {
        let bar = charts.stage_bars.get(i).cloned().unwrap_or_default();
        let _ = writeln!(
            rows,
            "<tr class=\"stage\" data-stage=\"{}\"><th scope=\"rowgroup\" colspan=\"4\">{}</th><td>{bar}<div>{}</div></td><td></td><td>{}</td></tr>",
            esc(&s.id),
            esc(&s.name),
            esc(&pooled_cell(&s.gap, w)),
            esc(&s.remark)
        );
        for e in r.expectations.iter().filter(|e| e.stage == s.id) {
            let m = e.gap.missed.value().map_or(0.0, |m| m.share);
            let class = if m >= 0.2 {
                "bad"
            } else if m >= 0.05 {
                "warn"
            } else {
                "ok"
            };
            let bar = mindgap::text::share_bar(&e.gap.missed, &e.gap.within, &e.gap.exceeded, w);
            let trend = extra
                .trend
                .get(&e.id)
                .map(|v| format!("<div class=\"verdict\">{}</div>", esc(verdict(*v, w))))
                .unwrap_or_default();
            let spark = charts.sparklines.get(&e.id).cloned().unwrap_or_default();
            let _ = writeln!(
                rows,
                "<tr data-expectation=\"{}\"><td></td><td>{}</td><td class=\"zone\">{}</td><td>{}</td><td class=\"{class}\">{bar}<div>{}</div></td><td class=\"spark\">{spark}{trend}</td><td>{}</td></tr>",
                esc(&e.id),
                esc(name(e)),
                esc(&zone_text(e, w)),
                esc(&e.actual),
                esc(&gap_cell(&e.gap, e.calendar.is_some(), w)),
                esc(&e.remark)
            );
        }
    }
    let diary = format!(
        "<table class=\"diary\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>\n{rows}</tbody></table>",
        esc(w.col_stage),
        esc(w.col_expectation),
        esc(w.h_zones),
        esc(w.col_actual),
        esc(w.col_gap),
        esc(w.h_weekly),
        esc(w.col_remark),
    );
    body += &section("diary", w.h_diary, "", &diary);

    if !charts.ipa.is_empty() {
        body += &section("ipa", w.h_ipa, w.h_ipa_note, &charts.ipa);
    }

    // Every breakdown asked for, each a chart and its table.
    let mut parts = String::new();
    for (b, chart) in r.breakdowns.iter().zip(&charts.breakdowns) {
        if !shown.contains(&b.dimension) {
            continue;
        }
        let rows: Vec<Vec<String>> = b
            .groups
            .iter()
            .map(|g| breakdown_cells(r, b.dimension, g, w))
            .collect();
        let _ = writeln!(
            parts,
            "<div class=\"breakdown\" data-by=\"{}\"><h3>{}</h3>{chart}{}</div>",
            b.dimension.as_str(),
            esc(w.by(b.dimension.as_str())),
            table_html(&breakdown_columns(r, w), &rows)
        );
    }
    if !parts.is_empty() {
        body += &section(
            "breakdowns",
            w.h_breakdowns,
            &fill(w.h_ranking_note, &[("conf", &conf)]),
            &parts,
        );
    }
    let _ = write!(
        body,
        "<footer>{}</footer>",
        esc(&fill(
            w.h_made_by,
            &[("name", "mindgap"), ("version", env!("CARGO_PKG_VERSION"))]
        ))
    );
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\n\
<style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>",
        lang = w.tag,
        title = esc(r.header.diary.as_deref().unwrap_or_default()),
    )
}
