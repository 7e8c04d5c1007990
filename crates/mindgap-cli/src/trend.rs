//! `mindgap trend`: series per group with their statistics, a sparkline
//! each, the drift of the expectations and what went quiet.

use std::fmt::Write as _;

use mindgap::Bucket;
use mindgap::Figure;
use mindgap::Lang;
use mindgap::ValueUnit;
use mindgap::text::{Words, fill};
use mindgap::{Compare, TrendBy, TrendMetric, TrendOptions, TrendReport, Verdict, trend};

use crate::Failure;
use crate::input::DiaryArgs;
use crate::report::instant;

/// Arguments of `mindgap trend`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  mindgap trend --sample
  mindgap trend --sample --metric p90 --by expectation
  mindgap trend --sample --by channel --bucket month --year-before
  mindgap trend --diary diary.json --interactions interactions.csv --format svg > trend.svg")]
pub struct Args {
    #[command(flatten)]
    diary: DiaryArgs,
    /// The figure to follow.
    /// missed, msa, zone, p90, nps, csat, ces or volume
    /// (msa and p90 with --by expectation: their units differ between expectations).
    #[arg(long, value_name = "METRIC", default_value = "missed", value_parser = crate::named::<TrendMetric>)]
    metric: TrendMetric,
    /// The grouping.
    /// stage, expectation, channel or employee
    /// (expectation for msa and p90; not for nps, csat, ces).
    #[arg(long, value_name = "GROUPING", default_value = "stage", value_parser = crate::named::<TrendBy>)]
    by: TrendBy,
    /// The period.
    /// day, week or month.
    #[arg(long, value_name = "PERIOD", default_value = "week", value_parser = crate::named::<Bucket>)]
    bucket: Bucket,
    /// Significance level of verdicts and tests; Sen's intervals are at 1 − alpha.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// Compare the last period with the same period a year before (the same ISO
    /// week of the previous ISO year, date or month; none for week 53 or 29 February).
    #[arg(long)]
    year_before: bool,
    /// A stage, touchpoint or channel is stale after this long without records (ISO 8601).
    #[arg(long, default_value = "P30D")]
    stale_after: String,
    /// Report instant, RFC 3339 (default: the latest timestamp in the data).
    #[arg(long, value_name = "TIME")]
    as_of: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    format: Output,
    /// Language of every word printed (names, verdicts, units, numbers).
    #[arg(long, value_name = "en|ru", default_value = "en", value_parser = crate::named::<Lang>)]
    pub(crate) lang: Lang,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Output {
    Table,
    Json,
    Csv,
    Svg,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<(), Failure> {
    let options = options(args)?;
    let report = match args.diary.trend_streamed(&options)? {
        Some(report) => report,
        None => trend(args.diary.load(options.report.lang)?, &options)?,
    };
    let out = match args.format {
        Output::Json => mindgap::api::to_json(&report),
        Output::Table if args.by == TrendBy::Expectation => {
            table(&report, &args.diary.business_expectations()?)
        }
        Output::Table => table(&report, &Default::default()),
        Output::Csv => csv(&report)?,
        Output::Svg => svg(&report),
    };
    crate::emit(&out);
    Ok(())
}

/// The trend options the arguments ask for.
fn options(args: &Args) -> Result<TrendOptions, Failure> {
    let mut options = {
        let mut o = TrendOptions::default();
        o.metric = args.metric;
        o.by = args.by;
        o.bucket = args.bucket;
        o.alpha = args.alpha;
        o.compare = if args.year_before {
            Compare::YearBefore
        } else {
            Compare::Previous
        };
        o.stale_after = args
            .stale_after
            .parse()
            .map_err(|e| Failure::usage(format!("--stale-after {:?}: {e}", args.stale_after)))?;
        o
    };
    options.report.as_of = instant("as-of", args.as_of.as_deref(), &args.diary)?;
    options.report.lang = args.lang;
    Ok(options)
}

fn verdict(v: Verdict, w: &Words) -> &'static str {
    crate::report::verdict(v, w)
}

/// A value of a series as the table prints it: a duration in human units
/// (`1 min 24 s`, to the second from one second up), any other number with
/// three decimals.
/// In business time when `business` (and saying so).
fn value(unit: Option<ValueUnit>, v: f64, business: bool, w: &Words) -> String {
    match unit {
        Some(ValueUnit::Seconds) => {
            let v = if v.abs() >= 1.0 { v.round() } else { v };
            w.duration(v, business)
        }
        _ => w.number(v, 3),
    }
}

/// A change per bucket (a slope) with its sign: `+4 h 16 min`, `-1 min 24 s`;
/// a number with four decimals (`+0.0123`).
/// In business time when `business`.
fn signed(unit: Option<ValueUnit>, v: f64, business: bool, w: &Words) -> String {
    match unit {
        Some(ValueUnit::Seconds) if v > 0.0 => {
            format!("+{}", value(unit, v, business, w))
        }
        Some(ValueUnit::Seconds) => value(unit, v, business, w),
        _ if v < 0.0 && w.number(v, 4) != w.number(0.0, 4) => w.number(v, 4),
        _ => format!("+{}", w.number(v.abs(), 4)),
    }
}

fn metric_name(m: TrendMetric, w: &Words) -> &'static str {
    match m {
        TrendMetric::Missed => w.tm_missed,
        TrendMetric::Msa => w.tm_msa,
        TrendMetric::Zone => w.tm_zone,
        TrendMetric::P90 => w.tm_p90,
        TrendMetric::Nps => w.tm_nps,
        TrendMetric::Csat => w.tm_csat,
        TrendMetric::Ces => w.tm_ces,
        _ => w.tm_volume,
    }
}

fn by_name(b: TrendBy, w: &Words) -> &'static str {
    match b {
        TrendBy::Stage => w.tb_stage,
        TrendBy::Expectation => w.tb_expectation,
        TrendBy::Channel => w.tb_channel,
        _ => w.tb_employee,
    }
}

fn bucket_name(b: Bucket, w: &Words) -> &'static str {
    match b {
        Bucket::Day => w.bucket_day,
        Bucket::Week => w.bucket_week,
        _ => w.bucket_month,
    }
}

/// A series' name (a channel named in the language).
fn series_name(r: &TrendReport, s: &mindgap::Series, w: &Words) -> String {
    if r.options.by == TrendBy::Channel {
        w.channel(&s.name).into_owned()
    } else {
        s.name.clone()
    }
}

/// The table; `business` names the expectations whose durations are
/// business time (a series by expectation prints them as such).
fn table(r: &TrendReport, business: &std::collections::HashSet<String>) -> String {
    let o = &r.options;
    let w = o.report.lang.words();
    let mut out = fill(
        w.t_header,
        &[
            ("metric", metric_name(o.metric, w)),
            ("by", by_name(o.by, w)),
            ("bucket", bucket_name(o.bucket, w)),
            ("at", &w.datetime(&r.header.as_of)),
            ("alpha", &w.number(o.alpha, 2)),
        ],
    ) + "\n\n";
    let names: Vec<String> = r.series.iter().map(|s| series_name(r, s, w)).collect();
    let width = names
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(10)
        .min(48);
    for (s, name) in r.series.iter().zip(&names) {
        let b = o.by == TrendBy::Expectation && business.contains(&s.group);
        let name: String = name.chars().take(width).collect();
        let pad = " ".repeat(width.saturating_sub(name.chars().count()));
        let mut line = format!(
            "{name}{pad}  {}  {}",
            mindgap::text::sparkline(&s.points),
            verdict(s.stats.verdict, w)
        );
        if let Some(mk) = s.stats.mann_kendall.value() {
            line += &fill(w.t_mk, &[("p", &w.number(mk.p_value, 3))]);
            if let Some(ts) = s.stats.theil_sen.value() {
                line += &fill(
                    w.t_sen,
                    &[
                        ("slope", &signed(s.unit, ts.slope, b, w)),
                        (
                            "bucket",
                            match o.bucket {
                                Bucket::Day => w.per_day,
                                Bucket::Week => w.per_week,
                                _ => w.per_month,
                            },
                        ),
                    ],
                );
            }
            line.push(')');
        }
        if let Some(shift) = s.stats.shift.value() {
            if shift.change.detected {
                line += &fill(
                    w.t_shift,
                    &[
                        ("period", &shift.period),
                        ("before", &value(s.unit, shift.change.mean_before, b, w)),
                        ("after", &value(s.unit, shift.change.mean_after, b, w)),
                    ],
                );
            }
        }
        if let Some(p) = s.stats.projection.value() {
            if p.period == "already" {
                line.push_str(w.t_already);
            } else {
                line += &fill(w.t_cross, &[("period", &p.period)]);
            }
        }
        if let Some(pc) = s.stats.p_chart.value() {
            let above: Vec<&str> = pc
                .points
                .iter()
                .zip(s.points.iter().filter(|p| p.value.value().is_some()))
                .filter(|(c, _)| c.signal == mindgap::stats::Signal::Above)
                .map(|(_, p)| p.period.as_str())
                .collect();
            if !above.is_empty() {
                line += &fill(w.t_above, &[("list", &above.join(", "))]);
            }
        }
        let _ = writeln!(out, "{line}");
    }
    if !r.drift.is_empty() {
        let _ = writeln!(out, "\n{}", w.t_drift_title);
        for d in &r.drift {
            let _ = writeln!(out, "  {}: {}", d.expectation, d.remark);
        }
    }
    let stale = crate::report::stale_list(&r.staleness, w);
    if !stale.is_empty() {
        let span = o.stale_after.as_millis() as f64 / 86_400_000.0;
        let days = span.round().max(0.0) as u64;
        let _ = writeln!(
            out,
            "\n{}",
            fill(
                w.stale_line,
                &[
                    (
                        "span",
                        &format!("{} {}", w.count(days), w.plural(days, &w.days))
                    ),
                    ("list", &stale.join(", ")),
                ]
            )
        );
    }
    if !r.never_observed.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            fill(w.never_line, &[("list", &r.never_observed.join(", "))])
        );
    }
    out.trim_end().to_owned()
}

fn csv(r: &TrendReport) -> Result<String, Failure> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| Failure::usage(e.to_string());
    let lang = r.options.report.lang;
    w.write_record(lang.words().csv_trend).map_err(fail)?;
    for s in &r.series {
        for p in &s.points {
            let value = match &p.value {
                Figure::Value(v) => v.to_string(),
                Figure::Absent { .. } => String::new(),
            };
            // English keeps the machine keys; other languages name channels.
            let group = if lang == Lang::En || r.options.by != TrendBy::Channel {
                s.group.clone()
            } else {
                lang.words().channel(&s.group).into_owned()
            };
            w.write_record([
                group,
                p.period.clone(),
                p.x.to_string(),
                p.n.to_string(),
                p.k.map(|k| k.to_string()).unwrap_or_default(),
                value,
            ])
            .map_err(fail)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| Failure::usage(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).trim_end().to_owned())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Small multiples, one panel per series: the values, the EWMA (dashed),
/// the p-chart limits for shares (grey band), the change point (red line).
fn svg(r: &TrendReport) -> String {
    const W: f64 = 640.0;
    const H: f64 = 150.0;
    const PAD: f64 = 36.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{}\" font-family=\"system-ui,sans-serif\" font-size=\"11\">\n",
        (H + 20.0) * r.series.len().max(1) as f64
    );
    for (i, s) in r.series.iter().enumerate() {
        let top = i as f64 * (H + 20.0);
        let vals: Vec<(f64, f64)> = s
            .points
            .iter()
            .filter_map(|p| p.value.value().map(|&v| (p.x, v)))
            .collect();
        let limits: Vec<(f64, Option<f64>, Option<f64>)> = match s.stats.p_chart.value() {
            Some(pc) => pc
                .points
                .iter()
                .zip(s.points.iter().filter(|p| p.value.value().is_some()))
                .map(|(c, p)| (p.x, c.lower, c.upper))
                .collect(),
            None => Vec::new(),
        };
        let all = vals
            .iter()
            .map(|v| v.1)
            .chain(limits.iter().flat_map(|l| [l.1, l.2]).flatten());
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        let (lo, hi) = if lo.is_finite() && hi > lo {
            (lo, hi)
        } else {
            (lo.min(0.0), lo.max(0.0) + 1.0)
        };
        let n = s.points.len().max(2) as f64 - 1.0;
        let px = |x: f64| PAD + x / n * (W - 2.0 * PAD);
        let py = |y: f64| top + 20.0 + (1.0 - (y - lo) / (hi - lo)) * (H - 30.0);
        let _ = writeln!(
            out,
            "<text x=\"{PAD}\" y=\"{:.1}\" font-weight=\"600\">{} — {}</text>",
            top + 12.0,
            esc(&series_name(r, s, r.options.report.lang.words())),
            verdict(s.stats.verdict, r.options.report.lang.words())
        );
        if !limits.is_empty() {
            let up: Vec<String> = limits
                .iter()
                .filter_map(|l| l.2.map(|u| format!("{:.1},{:.1}", px(l.0), py(u))))
                .collect();
            let down: Vec<String> = limits
                .iter()
                .rev()
                .filter_map(|l| l.1.map(|d| format!("{:.1},{:.1}", px(l.0), py(d))))
                .collect();
            let _ = writeln!(
                out,
                "<polygon points=\"{} {}\" fill=\"#e8ecf2\"/>",
                up.join(" "),
                down.join(" ")
            );
        }
        let line: Vec<String> = vals
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y)))
            .collect();
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#2f5fd0\" stroke-width=\"1.6\"/>",
            line.join(" ")
        );
        if let Some(e) = s.stats.ewma.value() {
            let pts: Vec<String> = vals
                .iter()
                .zip(e)
                .map(|((x, _), y)| format!("{:.1},{:.1}", px(*x), py(*y)))
                .collect();
            let _ = writeln!(
                out,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"#8a94a6\" stroke-dasharray=\"4 3\"/>",
                pts.join(" ")
            );
        }
        if let Some(shift) = s.stats.shift.value().filter(|c| c.change.detected) {
            if let Some(p) = s.points.iter().find(|p| p.period == shift.period) {
                let x = px(p.x);
                let _ = writeln!(
                    out,
                    "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#c0392b\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#c0392b\">{}</text>",
                    top + 18.0,
                    top + H - 8.0,
                    x + 3.0,
                    top + 28.0,
                    esc(&shift.period)
                );
            }
        }
        let _ = writeln!(
            out,
            "<text x=\"{PAD}\" y=\"{:.1}\" fill=\"#667\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#667\" text-anchor=\"end\">{}</text>",
            top + H + 4.0,
            esc(s.points.first().map_or("", |p| p.period.as_str())),
            W - PAD,
            top + H + 4.0,
            esc(s.points.last().map_or("", |p| p.period.as_str()))
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(metric: TrendMetric, by: TrendBy) -> TrendReport {
        let options = TrendOptions::default().with_metric(metric).with_by(by);
        trend(
            &mindgap::sample::diary(mindgap::sample::DEFAULT_ROWS),
            &options,
        )
        .unwrap()
    }

    fn line<'a>(table: &'a str, name: &str) -> &'a str {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_default()
    }

    #[test]
    fn durations_read_in_human_units() {
        let business = ["complaint-callback".to_owned()].into_iter().collect();
        let t = table(&sample(TrendMetric::P90, TrendBy::Expectation), &business);
        // Sen slope −83.52 s a week; the level moved from 2721.1 s to 1399.6 s.
        let chat = line(&t, "Fast reply in the site chat");
        assert!(chat.contains("Sen slope -1 min 24 s/week"), "{chat}");
        assert!(chat.contains("(45 min 21 s → 23 min 20 s)"), "{chat}");
        // Shares stay numbers.
        // Business time says so.
        let callback = line(&t, "Call back after a complaint");
        assert!(callback.contains("business"), "{callback}");
        assert!(!chat.contains("business"), "{chat}");
        let t = table(
            &sample(TrendMetric::Missed, TrendBy::Stage),
            &Default::default(),
        );
        assert!(
            line(&t, "After-sales service").contains("Sen slope +0.0"),
            "{t}"
        );
    }

    #[test]
    fn the_readme_trend_lines_run() {
        #[derive(clap::Parser)]
        struct Line {
            #[command(flatten)]
            args: Args,
        }
        let readme = include_str!("../../../README.md");
        let lines: Vec<&str> = readme
            .lines()
            .filter_map(|l| l.strip_prefix("mindgap trend "))
            .map(|l| l.split(" #").next().unwrap_or_default().trim())
            .collect();
        assert!(
            lines.iter().any(|l| l.contains("--metric p90")),
            "{lines:?}"
        );
        for l in lines {
            let words = std::iter::once("trend").chain(l.split_whitespace());
            let args = <Line as clap::Parser>::try_parse_from(words)
                .unwrap_or_else(|e| panic!("{l}: {e}"))
                .args;
            let options = options(&args).unwrap_or_else(|e| panic!("{l}: {}", e.message));
            let diary = args
                .diary
                .load(args.lang)
                .unwrap_or_else(|e| panic!("{l}: {}", e.message));
            if let Err(e) = trend(diary, &options) {
                panic!("{l}: {e}");
            }
        }
    }

    #[test]
    fn values_and_slopes_in_words() {
        let s = Some(ValueUnit::Seconds);
        let w = Lang::En.words();
        assert_eq!(signed(s, -83.5227, false, w), "-1 min 24 s");
        assert_eq!(signed(s, 15_362.226_7, false, w), "+4 h 16 min");
        assert_eq!(signed(s, 0.25, false, w), "+250 ms");
        assert_eq!(signed(s, 0.0, false, w), "0 s");
        assert_eq!(value(s, 1399.575, false, w), "23 min 20 s");
        assert_eq!(signed(Some(ValueUnit::Points), -0.5, false, w), "-0.5000");
        assert_eq!(signed(None, 0.0123, false, w), "+0.0123");
        assert_eq!(signed(None, -0.00001, false, w), "+0.0000");
        assert_eq!(value(None, 0.25, false, w), "0.250");
        let ru = Lang::Ru.words();
        assert_eq!(signed(s, -83.5227, false, ru), "−1 мин 24 с");
        assert_eq!(signed(None, -0.5, false, ru), "−0,5000");
    }
}
