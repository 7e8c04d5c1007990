//! `mindgap report`: the diary table — stage, expectation, what actually
//! happened, the gap, and a remark — as a terminal table, Markdown, CSV, HTML
//! or the complete JSON.

use std::fmt::Write as _;
use std::io::IsTerminal;

use mindgap::Bucket;
use mindgap::stats::ShareInterval;
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
    /// Language of the remarks.
    #[arg(long, value_name = "en|ru", default_value = "en", value_parser = crate::named::<Lang>)]
    lang: Lang,
    /// Add each expectation's weekly missed-share trend to the JSON (`trend`
    /// key; the table always shows its verdict).
    #[arg(long)]
    trend: bool,
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
            o.trend = self.trend || matches!(self.format, Output::Table);
            o
        })
    }
}

/// Runs the command.
pub fn run(args: &Args) -> Result<(), Failure> {
    let options = args.options()?;
    let report = match args.diary.report_streamed(&options)? {
        Some(report) => report,
        None => mindgap::report(args.diary.load()?, &options)?,
    };
    let out = match args.format {
        Output::Json => mindgap::api::to_json(&report),
        Output::Table => {
            let extra = Extra::new(&report);
            table(&report, std::io::stdout().is_terminal(), &extra)
        }
        Output::Markdown => markdown(&report),
        Output::Csv => csv(&report)?,
        Output::Html => html(&report),
    };
    crate::emit(&out);
    Ok(())
}

fn pct(s: &ShareInterval) -> String {
    format!("{:.0}%", s.share * 100.0)
}

fn share(f: &Figure<ShareInterval>) -> String {
    f.value().map_or_else(|| "–".to_owned(), pct)
}

/// The words of the table chrome in the report's language.
struct Words {
    missed: &'static str,
    within: &'static str,
    exceeded: &'static str,
    of: &'static str,
    actual: &'static str,
    gap: &'static str,
    none: &'static str,
    by: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            missed: "missed",
            within: "within",
            exceeded: "exceeded",
            of: "of",
            actual: "actual",
            gap: "gap",
            none: "no observations",
            by: "BY",
        },
        Lang::Ru => Words {
            missed: "хуже допустимого",
            within: "в зоне",
            exceeded: "сверх ожиданий",
            of: "из",
            actual: "факт",
            gap: "разрыв",
            none: "нет наблюдений",
            by: "ПО",
        },
    }
}

fn gap_cell(g: &GapFigures, lang: Lang) -> String {
    if g.n == 0 {
        return "–".into();
    }
    let w = words(lang);
    let mut s = format!(
        "{} {} · {} {} · {} {}",
        share(&g.missed),
        w.missed,
        share(&g.within),
        w.within,
        share(&g.exceeded),
        w.exceeded
    );
    if let (Some(msa), "seconds") = (g.msa.value(), g.unit.as_str()) {
        let _ = write!(s, " · MSA {}", signed_duration(msa.median));
    } else if let (Some(msa), "points") = (g.msa.value(), g.unit.as_str()) {
        let _ = write!(s, " · MSA {:+.2}", msa.mean);
    }
    s
}

fn signed_duration(seconds: f64) -> String {
    let span = mindgap::Span::from_millis((seconds.abs() * 1000.0).round() as i64).human();
    if seconds < 0.0 {
        format!("−{span}")
    } else {
        format!("+{span}")
    }
}

fn pooled_cell(p: &Pooled, lang: Lang) -> String {
    let w = words(lang);
    if p.n == 0 {
        return w.none.into();
    }
    format!("{} {} {} {}", share(&p.missed), w.missed, w.of, p.n)
}

fn zone_text(e: &mindgap::ExpectationReport, lang: Lang) -> String {
    let Some(l) = e.levels.last() else {
        return String::new();
    };
    match l.unit.as_str() {
        "seconds" => format!(
            "{}–{}",
            mindgap::text::remark_plain(mindgap::ValueUnit::Seconds, l.desired, lang),
            mindgap::text::remark_plain(mindgap::ValueUnit::Seconds, l.adequate, lang)
        ),
        "points" => format!("{}–{}", l.adequate, l.desired),
        _ => String::new(),
    }
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

fn header(r: &Report) -> String {
    let mut line = format!(
        "{} · as of {} ({}) · {:.0}% intervals",
        r.header.diary.as_deref().unwrap_or_default(),
        r.header.as_of.format("%Y-%m-%d %H:%M"),
        r.header.timezone.as_deref().unwrap_or_default(),
        r.options.confidence * 100.0
    );
    if let Some(tz) = &r.tzdata {
        let _ = write!(line, " · tzdata {} ({}", tz.release, tz.source);
        if let Some(path) = &tz.path {
            let _ = write!(line, " {path}");
        }
        line.push(')');
    }
    line
}

/// The terminal table: a line per stage, a line per expectation, remarks
/// indented beneath.
/// The trend of each expectation (weekly missed share) and what went quiet,
/// for the table's trend column and staleness section.
#[derive(Debug, Default)]
pub struct Extra {
    trend: std::collections::HashMap<String, &'static str>,
    stale: Vec<String>,
    never: Vec<String>,
}

impl Extra {
    fn new(report: &Report) -> Extra {
        use mindgap::Verdict;
        // The trend column is a help, not the report: without a trend the
        // column stays empty.
        let Some(t) = &report.trend else {
            return Extra::default();
        };
        let trend = t
            .series
            .iter()
            .map(|s| {
                let v = match s.stats.verdict {
                    Verdict::Improving => "↗ improving",
                    Verdict::Worsening => "↘ worsening",
                    Verdict::NoSignificantChange => "→ stable",
                    Verdict::Rising | Verdict::Falling | Verdict::NotEnoughData => {
                        "· not enough data"
                    }
                };
                (s.group.clone(), v)
            })
            .collect();
        let stale = mindgap::text::stale_list(&t.staleness);
        Extra {
            trend,
            stale,
            never: t.never_observed.clone(),
        }
    }
}

pub fn table(r: &Report, colour: bool, extra: &Extra) -> String {
    let lang = r.options.lang;
    let mut out = header(r) + "\n\n";
    for s in &r.stages {
        let missed = s.gap.missed.value().map(|m| m.share);
        let line = format!("{} — {}", s.name.to_uppercase(), pooled_cell(&s.gap, lang));
        let _ = writeln!(out, "{}", paint(&line, missed, colour));
        let w = words(lang);
        let _ = writeln!(out, "  {}", s.remark);
        for id in &s.expectations {
            let Some(e) = r.expectations.iter().find(|e| &e.id == id) else {
                continue;
            };
            let name = if e.description.is_empty() {
                e.id.clone()
            } else {
                e.description.clone()
            };
            let zone = zone_text(e, lang);
            let title = if zone.is_empty() {
                name
            } else {
                format!("{name} ({zone})")
            };
            let m = e.gap.missed.value().map(|m| m.share);
            let _ = writeln!(out, "  • {title}");
            let _ = writeln!(out, "      {}: {}", w.actual, e.actual);
            let trend = extra
                .trend
                .get(&e.id)
                .map(|t| format!(" · trend {t}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "      {}: {}{trend}",
                w.gap,
                paint(&gap_cell(&e.gap, lang), m, colour)
            );
            let _ = writeln!(out, "      {}", e.remark);
        }
        out.push('\n');
    }
    if !extra.stale.is_empty() {
        let _ = writeln!(
            out,
            "Stale (no records for 30 days): {}",
            extra.stale.join(", ")
        );
    }
    if !extra.never.is_empty() {
        let _ = writeln!(out, "Collected, never measured: {}", extra.never.join(", "));
    }
    if let Some(nps) = r.feedback.nps.value() {
        let _ = writeln!(
            out,
            "NPS {:.0} [{:.0}, {:.0}] from {} answers ({} dismissed, not counted)",
            nps.nps, nps.lower, nps.upper, nps.n, r.feedback.dismissed
        );
    }
    if let Some(c) = r.feedback.csat.value() {
        let _ = writeln!(
            out,
            "CSAT {} [{:.0}%, {:.0}%] of {}",
            pct(c),
            c.lower * 100.0,
            c.upper * 100.0,
            c.n
        );
    }
    for b in &r.breakdowns {
        let _ = writeln!(
            out,
            "\n{} {}",
            words(lang).by,
            b.dimension.as_str().to_uppercase()
        );
        for g in &b.groups {
            let _ = writeln!(out, "  {} {}", pad(&g.key, 24), pooled_cell(&g.gap, lang));
        }
    }
    out.trim_end().to_owned()
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The diary table as Markdown.
pub fn markdown(r: &Report) -> String {
    let mut out = format!("## {}\n\n", md_escape(&header(r)));
    out += "| Stage | Expectation | Actual | Gap | Remark |\n|---|---|---|---|---|\n";
    for s in &r.stages {
        let _ = writeln!(
            out,
            "| **{}** | | | {} | {} |",
            md_escape(&s.name),
            md_escape(&pooled_cell(&s.gap, r.options.lang)),
            md_escape(&s.remark)
        );
        for e in r.expectations.iter().filter(|e| e.stage == s.id) {
            let name = if e.description.is_empty() {
                &e.id
            } else {
                &e.description
            };
            let _ = writeln!(
                out,
                "| | {} | {} | {} | {} |",
                md_escape(name),
                md_escape(&e.actual),
                md_escape(&gap_cell(&e.gap, r.options.lang)),
                md_escape(&e.remark)
            );
        }
    }
    out.trim_end().to_owned()
}

/// One CSV row per expectation with its main figures.
pub fn csv(r: &Report) -> Result<String, Failure> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "stage",
        "stage_name",
        "expectation",
        "description",
        "metric",
        "unit",
        "desired",
        "adequate",
        "n",
        "pending",
        "exceeded",
        "within",
        "missed",
        "missed_lower",
        "missed_upper",
        "p50",
        "p90",
        "p95",
        "msa_mean",
        "msa_median",
        "mss_mean",
        "zone_position",
        "quadrant",
        "remark",
    ];
    let fail = |e: ::csv::Error| Failure::usage(e.to_string());
    w.write_record(header).map_err(fail)?;
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for e in &r.expectations {
        let g = &e.gap;
        let l = e.levels.last();
        let quadrant = e
            .quadrant
            .value()
            .and_then(|q| serde_json::to_value(q).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let stage_name = r
            .stages
            .iter()
            .find(|s| s.id == e.stage)
            .map_or(String::new(), |s| s.name.clone());
        let row = [
            e.stage.clone(),
            stage_name,
            e.id.clone(),
            e.description.clone(),
            e.metric.clone(),
            g.unit.as_str().to_owned(),
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
            e.remark.clone(),
        ];
        w.write_record(&row).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| Failure::usage(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).trim_end().to_owned())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A standalone HTML page with the diary table.
pub fn html(r: &Report) -> String {
    let mut rows = String::new();
    for s in &r.stages {
        let _ = writeln!(
            rows,
            "<tr class=\"stage\"><th colspan=\"2\">{}</th><td></td><td>{}</td><td>{}</td></tr>",
            esc(&s.name),
            esc(&pooled_cell(&s.gap, r.options.lang)),
            esc(&s.remark)
        );
        for e in r.expectations.iter().filter(|e| e.stage == s.id) {
            let name = if e.description.is_empty() {
                &e.id
            } else {
                &e.description
            };
            let m = e.gap.missed.value().map_or(0.0, |m| m.share);
            let class = if m >= 0.2 {
                "bad"
            } else if m >= 0.05 {
                "warn"
            } else {
                "ok"
            };
            let _ = writeln!(
                rows,
                "<tr><td></td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td></tr>",
                esc(name),
                esc(&e.actual),
                esc(&gap_cell(&e.gap, r.options.lang)),
                esc(&e.remark)
            );
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<style>\
body{{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2430}}table{{border-collapse:collapse;width:100%}}\
th,td{{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid #e3e7ee}}\
tr.stage th,tr.stage td{{background:#f4f6fa;font-weight:600}}.bad{{color:#b42318}}.warn{{color:#b54708}}.ok{{color:#067647}}\
</style></head><body><h1>{title}</h1><p>{sub}</p>\n<table><thead><tr><th>Stage</th><th>Expectation</th><th>Actual</th><th>Gap</th><th>Remark</th></tr></thead><tbody>\n{rows}</tbody></table></body></html>",
        lang = match r.options.lang {
            Lang::En => "en",
            Lang::Ru => "ru",
        },
        title = esc(r.header.diary.as_deref().unwrap_or_default()),
        sub = esc(&header(r)),
    )
}
