//! Charts of a report as SVG, drawn once here for every face: the HTML
//! report of the command line embeds them, the web widget gets the same
//! strings through WebAssembly. Pure functions, report in, markup out, every
//! word from the report's language.
//!
//! Every chart is a self-contained `<svg>` with `role="img"`, an
//! `aria-label` and `<title>`s on its marks; the page around it gives the
//! same figures as a table for screen readers and print.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::analysis::report::{ExpectationReport, Group, Quadrant, Report};
use crate::engine::Dimension;
use crate::engine::zone::{Direction, Figure, ValueUnit};
use crate::stats::{ShareInterval, wilson};
use crate::words::{Words, fill};

/// Colours of the three classes (missed, within, exceeded) and the ink.
const MISSED: &str = "#d92d20";
const WITHIN: &str = "#f5b83d";
const EXCEEDED: &str = "#12a150";
const INK: &str = "#344054";
const MUTED: &str = "#667085";
const GRID: &str = "#e4e7ec";
const FONT: &str = "font-family=\"system-ui, sans-serif\"";

/// Every chart of a report, each an SVG document (or an HTML fragment where
/// said), empty when the report has nothing to draw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Charts {
    /// The summary line: observations and the three classes, in words.
    pub summary: String,
    /// "Where to act first": an HTML `<ol>` of the important expectations
    /// below the cross-hair, largest missed share first.
    pub focus: String,
    /// The zone of tolerance of every expectation on one scale.
    pub zones: String,
    /// Missed / within / exceeded bars of every stage on one scale.
    pub stages: String,
    /// One small bar per stage (report order), for a table cell.
    pub stage_bars: Vec<String>,
    /// The pooled weekly missed share with its interval band (needs a
    /// `week` breakdown in the report).
    pub weekly: String,
    /// NPS, CSAT and CES with their intervals.
    pub feedback: String,
    /// The importance–performance scatter with its cross-hair.
    pub ipa: String,
    /// Each expectation's weekly missed share with its band (needs the
    /// report's `trend`), one y scale for all; by expectation id.
    pub sparklines: BTreeMap<String, String>,
    /// One chart per breakdown, in report order: a line with its band over
    /// periods, else the groups' missed shares with their intervals.
    pub breakdowns: Vec<String>,
}

/// Draws every chart of a report in the report's language.
pub fn charts(r: &Report) -> Charts {
    let w = r.options.lang.words();
    let weekly = r
        .breakdowns
        .iter()
        .find(|b| b.dimension == Dimension::Week)
        .map(|b| weekly_chart(r, &b.groups, w))
        .unwrap_or_default();
    Charts {
        summary: summary(r, w),
        focus: focus(r, w),
        zones: zone_chart(r, w),
        stages: stage_chart(r, w),
        stage_bars: r
            .stages
            .iter()
            .map(|s| share_bar(&s.gap.missed, &s.gap.within, &s.gap.exceeded, w))
            .collect(),
        weekly,
        feedback: feedback_chart(r, w),
        ipa: ipa_chart(r, w),
        sparklines: sparklines(r, w),
        breakdowns: r
            .breakdowns
            .iter()
            .map(|b| breakdown_chart(r, b.dimension, &b.groups, w))
            .collect(),
    }
}

/// Escapes text for HTML and SVG (text and attributes).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate, to a tenth.
fn c(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}", x)
    } else {
        "0".into()
    }
}

/// A text cut to `max` characters with an ellipsis.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let t: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", t.trim_end())
    }
}

fn open(width: f64, height: f64, label: &str, class: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mg-chart {class}\" viewBox=\"0 0 {} {}\" \
         width=\"100%\" role=\"img\" aria-label=\"{}\" {FONT}><title>{}</title>",
        c(width),
        c(height),
        esc(label),
        esc(label)
    )
}

/// A text of the data itself (a name, an id, a key), not of the catalogue.
fn data_text(x: f64, y: f64, anchor: &str, size: u32, fill_: &str, body: &str) -> String {
    text(x, y, anchor, size, fill_, body).replacen("<text ", "<text class=\"mg-data\" ", 1)
}

fn text(x: f64, y: f64, anchor: &str, size: u32, fill_: &str, body: &str) -> String {
    format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" font-size=\"{size}\" fill=\"{fill_}\">{}</text>",
        c(x),
        c(y),
        esc(body)
    )
}

/// The name of an expectation: its description, else its id.
pub fn name(e: &ExpectationReport) -> &str {
    if e.description.is_empty() {
        &e.id
    } else {
        &e.description
    }
}

/// The zone of an expectation in words: "1 d–3 d", "2 h–9 h, business
/// time", "4–5".
pub fn zone_text(e: &ExpectationReport, w: &Words) -> String {
    let Some(l) = e.levels.last() else {
        return String::new();
    };
    match l.unit {
        ValueUnit::Seconds if e.calendar.is_some() => {
            let range = format!(
                "{}–{}",
                w.duration(l.desired, false).replace(' ', "\u{a0}"),
                w.duration(l.adequate, false).replace(' ', "\u{a0}")
            );
            fill(w.zone_business, &[("range", &range)])
        }
        ValueUnit::Seconds => format!(
            "{}–{}",
            w.duration(l.desired, false),
            w.duration(l.adequate, false)
        ),
        ValueUnit::BusinessDays => format!(
            "{}–{} {}",
            w.number(l.desired, 1),
            w.number(l.adequate, 1),
            w.b_days
        ),
        ValueUnit::Points => format!("{}–{}", w.number(l.adequate, 0), w.number(l.desired, 0)),
        ValueUnit::Flag => String::new(),
    }
}

/// The position of a value in an expectation's latest zone: 0 at the
/// adequate edge, 1 at the desired edge (the report's `zone_position`).
fn position(e: &ExpectationReport, value: f64) -> Option<f64> {
    let l = e.levels.last()?;
    let span = l.desired - l.adequate;
    if span == 0.0 || !span.is_finite() {
        return None;
    }
    let p = match l.direction {
        Direction::LowerIsBetter => (l.adequate - value) / (l.adequate - l.desired),
        Direction::HigherIsBetter => (value - l.adequate) / span,
    };
    p.is_finite().then_some(p)
}

/// A value of an expectation in its unit, in words.
fn value_text(e: &ExpectationReport, v: f64, w: &Words) -> String {
    match e.gap.unit {
        ValueUnit::Seconds => w.duration(v, e.calendar.is_some()),
        ValueUnit::BusinessDays => w.business_days(v),
        _ => w.number(v, 1),
    }
}

fn colour_of(missed: Option<f64>) -> &'static str {
    match missed {
        Some(m) if m >= 0.2 => MISSED,
        Some(m) if m >= 0.05 => "#dc8b0a",
        Some(_) => EXCEEDED,
        None => MUTED,
    }
}

fn share(f: &Figure<ShareInterval>) -> Option<&ShareInterval> {
    f.value()
}

/// The summary line.
pub fn summary(r: &Report, w: &Words) -> String {
    let (mut n, mut k) = (0u64, [0u64; 3]);
    for s in &r.stages {
        n += s.gap.n;
        for (i, f) in [&s.gap.missed, &s.gap.within, &s.gap.exceeded]
            .into_iter()
            .enumerate()
        {
            k[i] += f.value().map_or(0, |x| x.k);
        }
    }
    if n == 0 {
        return w.no_obs.to_owned();
    }
    let pct = |x: u64| w.pct(x as f64 / n as f64);
    fill(
        w.h_summary,
        &[
            ("n", &w.count(n)),
            ("obs", w.plural(n, &w.obs)),
            ("missed", &pct(k[0])),
            ("within", &pct(k[1])),
            ("exceeded", &pct(k[2])),
        ],
    )
}

/// The important expectations below the cross-hair, largest missed share
/// first (at most five), as an HTML list.
pub fn focus(r: &Report, w: &Words) -> String {
    let mut rows: Vec<&ExpectationReport> = r
        .expectations
        .iter()
        .filter(|e| matches!(e.quadrant.value(), Some(Quadrant::ConcentrateHere)))
        .collect();
    let missed = |e: &ExpectationReport| e.gap.missed.value().map_or(0.0, |m| m.share);
    crate::util::sort::sort_by(&mut rows, |a, b| missed(b).total_cmp(&missed(a)));
    rows.truncate(5);
    if rows.is_empty() {
        return format!("<p class=\"mg-focus-none\">{}</p>", esc(w.h_focus_none));
    }
    let mut out = String::from("<ol class=\"mg-focus\">");
    for e in rows {
        let stage = r
            .stages
            .iter()
            .find(|s| s.id == e.stage)
            .map_or(e.stage.as_str(), |s| s.name.as_str());
        let m = e.gap.missed.value().map(|m| m.share);
        let _ = write!(
            out,
            "<li data-expectation=\"{}\"><span class=\"mg-pill\" style=\"background:{}\">{}</span> \
             <strong>{}</strong> <span class=\"mg-muted\">· {}</span><div class=\"mg-remark\">{}</div></li>",
            esc(&e.id),
            colour_of(m),
            esc(&m.map_or_else(|| "–".into(), |m| w.pct(m))),
            esc(name(e)),
            esc(stage),
            esc(&e.remark)
        );
    }
    out.push_str("</ol>");
    out
}

/// The zone of tolerance of every expectation on one scale (0 = adequate,
/// 1 = desired), the median as a dot and a line on to p90; the zone in
/// words and the missed share on the right.
pub fn zone_chart(r: &Report, w: &Words) -> String {
    let rows = &r.expectations;
    if rows.is_empty() {
        return String::new();
    }
    let (width, left, right, row_h, top) = (820.0, 250.0, 250.0, 30.0, 34.0);
    let height = top + rows.len() as f64 * row_h + 40.0;
    let plot = width - left - right;
    let x = |p: f64| left + (p.clamp(-1.0, 2.0) + 1.0) / 3.0 * plot;
    let mut s = open(width, height, w.h_zones, "mg-zones");
    let bottom = top + rows.len() as f64 * row_h;
    for (a, b, colour, label) in [
        (-1.0, 0.0, "#fde8e6", w.missed),
        (0.0, 1.0, "#fdf3dc", w.within),
        (1.0, 2.0, "#e3f6ea", w.exceeded),
    ] {
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
            c(x(a)),
            c(top - 6.0),
            c(x(b) - x(a)),
            c(bottom - top + 12.0)
        );
        s += &text((x(a) + x(b)) / 2.0, top - 12.0, "middle", 11, MUTED, label);
    }
    for (p, colour, label) in [
        (0.0, "#d0a24a", w.h_adequate),
        (1.0, "#3aa66a", w.h_desired),
    ] {
        let _ = write!(
            s,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{colour}\" stroke-dasharray=\"3 3\"/>",
            c(x(p)),
            c(top - 6.0),
            c(bottom + 6.0)
        );
        s += &text(x(p), bottom + 18.0, "middle", 11, INK, label);
    }
    s += &text(
        width - right + 12.0,
        top - 12.0,
        "start",
        11,
        MUTED,
        w.h_zones,
    );
    s += &text(width - 4.0, top - 12.0, "end", 11, MUTED, w.missed);
    for (i, e) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h + row_h / 2.0;
        let _ = write!(
            s,
            "<g class=\"mg-row\" data-expectation=\"{}\"><text class=\"mg-data\" x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"{INK}\"><title>{}</title>{}</text>",
            esc(&e.id),
            c(left - 10.0),
            c(y + 4.0),
            esc(name(e)),
            esc(&cut(name(e), 36))
        );
        let _ = write!(
            s,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{GRID}\"/>",
            c(left),
            c(width - right)
        );
        let m = e.gap.missed.value();
        let colour = colour_of(m.map(|m| m.share));
        let pcts = e.gap.percentiles.value();
        let p50 = pcts.and_then(|p| position(e, p.p50));
        let p90 = pcts.and_then(|p| position(e, p.p90));
        let mark = p50.or_else(|| e.gap.zone_position.value().copied());
        match mark {
            Some(p) => {
                if let Some(q) = p90 {
                    let _ = write!(
                        s,
                        "<line x1=\"{a}\" x2=\"{b}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2.5\" stroke-opacity=\"0.6\"/>\
                         <line class=\"mg-p90\" x1=\"{b}\" x2=\"{b}\" y1=\"{t}\" y2=\"{u}\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                        a = c(x(p)),
                        b = c(x(q)),
                        t = c(y - 6.0),
                        u = c(y + 6.0)
                    );
                }
                let what = match pcts {
                    Some(v) => format!(
                        "{}: p50 {} · p90 {}",
                        name(e),
                        value_text(e, v.p50, w),
                        value_text(e, v.p90, w)
                    ),
                    None => name(e).to_owned(),
                };
                let _ = write!(
                    s,
                    "<circle cx=\"{}\" cy=\"{y}\" r=\"5.5\" fill=\"{colour}\" stroke=\"#fff\" stroke-width=\"1.5\"><title>{}</title></circle>",
                    c(x(p)),
                    esc(&what)
                );
            }
            None => {
                // A flag has no position: its missed share, in the band it
                // mostly falls in.
                let at = match m {
                    Some(m) if m.share >= 0.5 => -0.5,
                    Some(_) => 1.5,
                    None => 0.5,
                };
                let label = m.map_or_else(|| w.no_obs.to_owned(), |m| w.pct(m.share));
                s += &text(x(at), y + 4.0, "middle", 11, colour, &label);
            }
        }
        s += &text(
            width - right + 12.0,
            y + 4.0,
            "start",
            11,
            INK,
            &cut(&zone_text(e, w), 30),
        );
        s += &text(
            width - 4.0,
            y + 4.0,
            "end",
            12,
            colour,
            &m.map_or_else(|| "–".into(), |m| w.pct(m.share)),
        );
        s.push_str("</g>");
    }
    // Legend.
    let ly = height - 8.0;
    let _ = write!(
        s,
        "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{MUTED}\"/>",
        c(left),
        c(ly - 4.0)
    );
    s += &text(left + 10.0, ly, "start", 11, MUTED, w.h_median);
    let _ = write!(
        s,
        "<line x1=\"{a}\" x2=\"{b}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{MUTED}\" stroke-width=\"2.5\"/>",
        a = c(left + 130.0),
        b = c(left + 150.0),
        y = c(ly - 4.0)
    );
    let _ = write!(
        s,
        "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{MUTED}\" stroke-width=\"2\"/>",
        c(left + 150.0),
        c(ly - 10.0),
        c(ly + 2.0)
    );
    s += &text(left + 156.0, ly, "start", 11, MUTED, "p90");
    s + "</svg>"
}

fn segments(
    missed: &Figure<ShareInterval>,
    within: &Figure<ShareInterval>,
    exceeded: &Figure<ShareInterval>,
) -> Option<[f64; 3]> {
    Some([
        share(missed)?.share,
        share(within)?.share,
        share(exceeded)?.share,
    ])
}

/// A small missed / within / exceeded bar (for a table cell).
pub fn share_bar(
    missed: &Figure<ShareInterval>,
    within: &Figure<ShareInterval>,
    exceeded: &Figure<ShareInterval>,
    w: &Words,
) -> String {
    let Some(parts) = segments(missed, within, exceeded) else {
        return String::new();
    };
    let label = format!(
        "{} {} · {} {} · {} {}",
        w.pct(parts[0]),
        w.missed,
        w.pct(parts[1]),
        w.within,
        w.pct(parts[2]),
        w.exceeded
    );
    let mut s = open(200.0, 14.0, &label, "mg-bar");
    let mut at = 0.0;
    for (p, colour) in parts.iter().zip([MISSED, WITHIN, EXCEEDED]) {
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"1\" width=\"{}\" height=\"12\" fill=\"{colour}\"/>",
            c(at * 200.0),
            c(p * 200.0)
        );
        at += p;
    }
    s + "</svg>"
}

fn legend(s: &mut String, x0: f64, y: f64, w: &Words) {
    let mut x = x0;
    for (colour, label) in [
        (MISSED, w.missed),
        (WITHIN, w.within),
        (EXCEEDED, w.exceeded),
    ] {
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" rx=\"2\" fill=\"{colour}\"/>",
            c(x),
            c(y - 9.0)
        );
        *s += &text(x + 14.0, y, "start", 11, MUTED, label);
        x += 24.0 + label.chars().count() as f64 * 6.5;
    }
}

/// The stages as stacked bars on one 0–100 % scale, with the percentages in
/// the segments wide enough to hold them.
pub fn stage_chart(r: &Report, w: &Words) -> String {
    if r.stages.is_empty() {
        return String::new();
    }
    let (width, left, right, row_h, top) = (820.0, 240.0, 90.0, 34.0, 24.0);
    let height = top + r.stages.len() as f64 * row_h + 36.0;
    let plot = width - left - right;
    let mut s = open(width, height, w.h_stages, "mg-stages");
    let bottom = top + r.stages.len() as f64 * row_h;
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = left + t * plot;
        let _ = write!(
            s,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{GRID}\"/>",
            c(x),
            c(top - 4.0),
            c(bottom)
        );
        s += &text(x, top - 8.0, "middle", 10, MUTED, &w.pct(t));
    }
    for (i, st) in r.stages.iter().enumerate() {
        let y = top + i as f64 * row_h + 6.0;
        let _ = write!(s, "<g class=\"mg-row\" data-stage=\"{}\">", esc(&st.id));
        s += &data_text(left - 10.0, y + 15.0, "end", 12, INK, &cut(&st.name, 30));
        match segments(&st.gap.missed, &st.gap.within, &st.gap.exceeded) {
            Some(parts) => {
                let mut at = 0.0;
                for ((p, colour), label) in parts
                    .iter()
                    .zip([MISSED, WITHIN, EXCEEDED])
                    .zip([w.missed, w.within, w.exceeded])
                {
                    let _ = write!(
                        s,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" fill=\"{colour}\"><title>{} {}: {}</title></rect>",
                        c(left + at * plot),
                        c(y),
                        c(p * plot),
                        esc(&st.name),
                        esc(label),
                        esc(&w.pct(*p))
                    );
                    if p * plot >= 34.0 {
                        let ink = if colour == WITHIN { INK } else { "#fff" };
                        s += &text(
                            left + (at + p / 2.0) * plot,
                            y + 14.0,
                            "middle",
                            11,
                            ink,
                            &w.pct(*p),
                        );
                    }
                    at += p;
                }
            }
            None => s += &text(left, y + 15.0, "start", 11, MUTED, w.no_obs),
        }
        s += &text(
            width - right + 10.0,
            y + 15.0,
            "start",
            11,
            MUTED,
            &format!("n = {}", w.count(st.gap.n)),
        );
        s.push_str("</g>");
    }
    legend(&mut s, left, height - 8.0, w);
    s + "</svg>"
}

/// A period's key in the language: a day or a week's Monday as the
/// language writes a date; a month (`2026-10`) as it is.
fn period(key: &str, w: &Words) -> String {
    crate::words::date::parse_ymd(key).map_or_else(
        || key.to_owned(),
        |d| crate::words::date::format(w.date, d, chrono::NaiveTime::MIN),
    )
}

/// A share axis: its top (a round share at or above `top`, at least 5 %)
/// and the step of its 3–6 gridlines.
fn nice(top: f64) -> (f64, f64) {
    let top = top.clamp(0.05, 1.0);
    for step in [0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25] {
        let max = (top / step - 1e-9).ceil() * step;
        if max / step <= 6.0 {
            return (max.min(1.0), step);
        }
    }
    (1.0, 0.25)
}

/// A share with its interval over periods: the line, the band and the
/// points, y from 0 to a little above the highest upper bound.
fn share_line(points: &[(String, ShareInterval)], label: &str, w: &Words, r: &Report) -> String {
    if points.len() < 2 {
        return format!("<p class=\"mg-muted\">{}</p>", esc(w.h_too_few));
    }
    let (width, height, l, rt, t, b) = (820.0, 230.0, 48.0, 14.0, 14.0, 44.0);
    let (max, step) = nice(points.iter().map(|(_, p)| p.upper).fold(0.0_f64, f64::max));
    let n = points.len() as f64;
    let x = |i: usize| l + i as f64 / (n - 1.0) * (width - l - rt);
    let y = |v: f64| t + (1.0 - v / max) * (height - t - b);
    let mut s = open(width, height, label, "mg-line");
    for k in 0..=(max / step).round() as usize {
        let v = step * k as f64;
        let _ = write!(
            s,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{GRID}\"/>",
            c(l),
            c(width - rt),
            c(y(v))
        );
        s += &text(l - 6.0, y(v) + 4.0, "end", 10, MUTED, &w.pct(v));
    }
    let mut band: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, p))| format!("{},{}", c(x(i)), c(y(p.upper))))
        .collect();
    band.extend(
        points
            .iter()
            .enumerate()
            .rev()
            .map(|(i, (_, p))| format!("{},{}", c(x(i)), c(y(p.lower)))),
    );
    let _ = write!(
        s,
        "<polygon points=\"{}\" fill=\"{MISSED}\" fill-opacity=\"0.12\"/>",
        band.join(" ")
    );
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, p))| format!("{},{}", c(x(i)), c(y(p.share))))
        .collect();
    let _ = write!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{MISSED}\" stroke-width=\"2\"/>",
        line.join(" ")
    );
    for (i, (key, p)) in points.iter().enumerate() {
        let _ = write!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{MISSED}\"><title>{key}: {} {} ({}/{})</title></circle>",
            c(x(i)),
            c(y(p.share)),
            esc(&w.pct_dec(p.share, 1)),
            esc(&w.interval(&w.pct(p.lower), &w.pct(p.upper))),
            p.k,
            p.n
        );
    }
    let every = points.len().div_ceil(8);
    for (i, (key, _)) in points.iter().enumerate() {
        if i % every == 0 || i + 1 == points.len() && i % every > every / 2 {
            s += &text(
                x(i),
                height - b + 16.0,
                "middle",
                10,
                MUTED,
                &period(key, w),
            );
        }
    }
    // Legend: the line and the band.
    let ly = height - 8.0;
    let _ = write!(
        s,
        "<line x1=\"{}\" x2=\"{}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{MISSED}\" stroke-width=\"2\"/>",
        c(l),
        c(l + 18.0),
        c(ly - 4.0)
    );
    s += &text(l + 24.0, ly, "start", 11, MUTED, w.h_missed_share);
    let bx = l + 40.0 + w.h_missed_share.chars().count() as f64 * 6.5;
    let _ = write!(
        s,
        "<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"10\" fill=\"{MISSED}\" fill-opacity=\"0.12\"/>",
        c(bx),
        c(ly - 9.0)
    );
    s += &text(
        bx + 24.0,
        ly,
        "start",
        11,
        MUTED,
        &fill(w.h_interval, &[("conf", &w.pct(r.options.confidence))]),
    );
    s + "</svg>"
}

/// The pooled weekly missed share of a `week` breakdown, with its band.
///
/// Split by period (`--per month`), a week that spans two periods is two
/// groups: their misses and observations are added up again, which gives
/// the week's own share, and its Wilson interval at the report's
/// confidence (the figures of the breakdown without periods).
pub fn weekly_chart(r: &Report, groups: &[Group], w: &Words) -> String {
    let points: Vec<(String, ShareInterval)> = if groups.iter().all(|g| g.period.is_none()) {
        groups
            .iter()
            .filter_map(|g| Some((g.key.clone(), *share(&g.gap.missed)?)))
            .collect()
    } else {
        // Week keys are ISO dates: their order is the weeks'.
        let mut weeks: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for g in groups {
            if let Some(m) = share(&g.gap.missed) {
                let e = weeks.entry(g.key.as_str()).or_default();
                e.0 += m.k;
                e.1 += m.n;
            }
        }
        weeks
            .into_iter()
            .filter_map(|(key, (k, n))| {
                Some((key.to_owned(), wilson(k, n, r.options.confidence).ok()?))
            })
            .collect()
    };
    share_line(&points, w.h_weekly, w, r)
}

/// A breakdown: a line over periods, else each group's missed share with
/// its interval, highest first.
pub fn breakdown_chart(r: &Report, d: Dimension, groups: &[Group], w: &Words) -> String {
    let key = |g: &Group| {
        let k = if d == Dimension::Channel {
            w.channel(&g.key).into_owned()
        } else if g.key == "(none)" {
            w.none_key.to_owned()
        } else {
            g.key.clone()
        };
        match &g.period {
            Some(p) => fill(w.period_of, &[("key", &k), ("period", p)]),
            None => k,
        }
    };
    let rows: Vec<(String, ShareInterval)> = groups
        .iter()
        .filter_map(|g| Some((key(g), *share(&g.gap.missed)?)))
        .collect();
    let timed = matches!(d, Dimension::Day | Dimension::Week | Dimension::Month);
    if timed && groups.iter().all(|g| g.period.is_none()) {
        return share_line(&rows, w.by(d.as_str()), w, r);
    }
    // Channel names and "(none)" are words of the catalogue; other keys
    // are the data's own.
    let data = d != Dimension::Channel;
    interval_plot(rows, data, w.by(d.as_str()), w)
}

/// Groups' missed shares with their intervals on one 0–max scale.
fn interval_plot(
    mut rows: Vec<(String, ShareInterval)>,
    data: bool,
    label: &str,
    w: &Words,
) -> String {
    if rows.is_empty() {
        return String::new();
    }
    crate::util::sort::sort_by(&mut rows, |a, b| b.1.share.total_cmp(&a.1.share));
    let (width, left, right, row_h, top) = (820.0, 230.0, 120.0, 20.0, 22.0);
    let height = top + rows.len() as f64 * row_h + 14.0;
    let plot = width - left - right;
    let (max, step) = nice(rows.iter().map(|(_, p)| p.upper).fold(0.0_f64, f64::max));
    let x = |v: f64| left + v / max * plot;
    let bottom = top + rows.len() as f64 * row_h;
    let mut s = open(width, height, label, "mg-intervals");
    for k in 0..=(max / step).round() as usize {
        let v = step * k as f64;
        let _ = write!(
            s,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{GRID}\"/>",
            c(x(v)),
            c(top - 4.0),
            c(bottom)
        );
        s += &text(x(v), top - 8.0, "middle", 10, MUTED, &w.pct(v));
    }
    for (i, (key, p)) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h + row_h / 2.0;
        let key_text = if data && key != w.none_key {
            data_text
        } else {
            text
        };
        s += &key_text(left - 10.0, y + 4.0, "end", 11, INK, &cut(key, 34));
        let colour = colour_of(Some(p.share));
        let _ = write!(
            s,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-opacity=\"0.5\"/>\
             <circle cx=\"{}\" cy=\"{y}\" r=\"4\" fill=\"{colour}\"><title>{}: {} {} ({}/{})</title></circle>",
            c(x(p.lower)),
            c(x(p.upper)),
            c(x(p.share)),
            esc(key),
            esc(&w.pct_dec(p.share, 1)),
            esc(&w.interval(&w.pct(p.lower), &w.pct(p.upper))),
            p.k,
            p.n
        );
        s += &text(
            width - right + 10.0,
            y + 4.0,
            "start",
            11,
            MUTED,
            &format!("{} · n = {}", w.pct(p.share), w.count(p.n)),
        );
    }
    s + "</svg>"
}

/// NPS on its −100…100 scale; CSAT and CES agreement on one 0–100 % scale;
/// each a dot with its interval.
pub fn feedback_chart(r: &Report, w: &Words) -> String {
    let f = &r.feedback;
    let mut rows: Vec<(String, f64, f64, f64, u64, bool)> = Vec::new();
    if let Some(n) = f.nps.value() {
        rows.push(("NPS".into(), n.nps, n.lower, n.upper, n.n, true));
    }
    if let Some(cs) = f.csat.value() {
        rows.push(("CSAT".into(), cs.share, cs.lower, cs.upper, cs.n, false));
    }
    if let Some(ce) = f.ces.value() {
        let a = &ce.agreeing;
        rows.push((w.h_ces.into(), a.share, a.lower, a.upper, a.n, false));
    }
    if rows.is_empty() {
        return String::new();
    }
    let (width, left, right, row_h, top) = (820.0, 170.0, 230.0, 46.0, 10.0);
    let height = top + rows.len() as f64 * row_h + 4.0;
    let plot = width - left - right;
    let mut s = open(width, height, w.h_feedback, "mg-feedback");
    for (i, (label, v, lo, hi, n, nps)) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h + 16.0;
        let (min, max) = if *nps { (-100.0, 100.0) } else { (0.0, 1.0) };
        let x = |v: f64| left + (v - min) / (max - min) * plot;
        s += &text(left - 10.0, y + 4.0, "end", 12, INK, label);
        let _ = write!(
            s,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{GRID}\" stroke-width=\"6\" stroke-linecap=\"round\"/>",
            c(x(min)),
            c(x(max))
        );
        let ticks: [f64; 5] = if *nps {
            [-100.0, -50.0, 0.0, 50.0, 100.0]
        } else {
            [0.0, 0.25, 0.5, 0.75, 1.0]
        };
        for t in ticks {
            let tl = if *nps { w.number(t, 0) } else { w.pct(t) };
            s += &text(x(t), y + 20.0, "middle", 10, MUTED, &tl);
        }
        let fmt = |v: f64| if *nps { w.number(v, 0) } else { w.pct(v) };
        let _ = write!(
            s,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#2952cc\" stroke-width=\"6\" stroke-opacity=\"0.35\" stroke-linecap=\"round\"/>\
             <circle cx=\"{}\" cy=\"{y}\" r=\"6\" fill=\"#2952cc\"><title>{}: {} {}</title></circle>",
            c(x(*lo)),
            c(x(*hi)),
            c(x(*v)),
            esc(label),
            esc(&fmt(*v)),
            esc(&w.interval(&fmt(*lo), &fmt(*hi)))
        );
        s += &text(
            width - right + 12.0,
            y + 4.0,
            "start",
            12,
            INK,
            &format!(
                "{} {} · n = {}",
                fmt(*v),
                w.interval(&fmt(*lo), &fmt(*hi)),
                w.count(*n)
            ),
        );
    }
    s + "</svg>"
}

/// Importance (x) against the position in the zone (y), with the report's
/// cross-hair and the quadrants named.
pub fn ipa_chart(r: &Report, w: &Words) -> String {
    let pts: Vec<(&ExpectationReport, f64)> = r
        .expectations
        .iter()
        .filter_map(|e| Some((e, *e.gap.zone_position.value()?)))
        .collect();
    if pts.is_empty() {
        return String::new();
    }
    let (width, height, l, rt, t, b) = (820.0, 320.0, 56.0, 130.0, 16.0, 40.0);
    let (xmin, xmax) = (
        0.0,
        1.0_f64.max(pts.iter().map(|p| p.0.importance).fold(0.0, f64::max)),
    );
    let (ymin, ymax) = (-1.0, 2.0);
    let x = |v: f64| l + (v - xmin) / (xmax - xmin) * (width - l - rt);
    let y = |v: f64| t + (1.0 - (v.clamp(ymin, ymax) - ymin) / (ymax - ymin)) * (height - t - b);
    let mut s = open(width, height, w.h_ipa, "mg-ipa");
    for v in [-1.0, 0.0, 1.0, 2.0] {
        let _ = write!(
            s,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{GRID}\"/>",
            c(l),
            c(width - rt),
            c(y(v))
        );
        s += &text(l - 6.0, y(v) + 4.0, "end", 10, MUTED, &w.number(v, 0));
    }
    for v in [0.0, 0.25, 0.5, 0.75, 1.0] {
        s += &text(
            x(v),
            height - b + 16.0,
            "middle",
            10,
            MUTED,
            &w.number(v, 2),
        );
    }
    s += &text(
        (l + width - rt) / 2.0,
        height - 6.0,
        "middle",
        11,
        INK,
        w.h_importance,
    );
    let _ = write!(
        s,
        "<text x=\"14\" y=\"{0}\" transform=\"rotate(-90 14 {0})\" text-anchor=\"middle\" font-size=\"11\" fill=\"{INK}\">{1}</text>",
        c((t + height - b) / 2.0),
        esc(w.tm_zone)
    );
    if let (Some(ci), Some(cp)) = (r.ipa.importance.value(), r.ipa.performance.value()) {
        let _ = write!(
            s,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{MUTED}\" stroke-dasharray=\"4 3\"/>\
             <line x1=\"{3}\" x2=\"{4}\" y1=\"{5}\" y2=\"{5}\" stroke=\"{MUTED}\" stroke-dasharray=\"4 3\"/>",
            c(x(*ci)),
            c(t),
            c(height - b),
            c(l),
            c(width - rt),
            c(y(*cp))
        );
        s += &text(
            width - rt - 4.0,
            height - b - 6.0,
            "end",
            11,
            MISSED,
            w.q_concentrate,
        );
        s += &text(width - rt - 4.0, t + 12.0, "end", 11, EXCEEDED, w.q_keep_up);
        s += &text(l + 6.0, height - b - 6.0, "start", 11, MUTED, w.q_low);
        s += &text(l + 6.0, t + 12.0, "start", 11, MUTED, w.q_overkill);
    }
    for (e, p) in &pts {
        let m = e.gap.missed.value().map(|m| m.share);
        let _ = write!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" fill-opacity=\"0.85\"><title>{}: {} {} · {} {}</title></circle>",
            c(x(e.importance)),
            c(y(*p)),
            colour_of(m),
            esc(name(e)),
            esc(w.h_importance),
            esc(&w.number(e.importance, 2)),
            esc(w.tm_zone),
            esc(&w.number(*p, 2))
        );
        s += &data_text(
            x(e.importance) + 8.0,
            y(*p) + 4.0,
            "start",
            10,
            MUTED,
            &cut(&e.id, 18),
        );
    }
    s + "</svg>"
}

/// Each expectation's weekly missed share (from the report's trend) as a
/// sparkline with its interval band, all on one y scale.
pub fn sparklines(r: &Report, w: &Words) -> BTreeMap<String, String> {
    let Some(t) = &r.trend else {
        return BTreeMap::new();
    };
    let series: Vec<(&str, Vec<(String, ShareInterval)>)> = t
        .series
        .iter()
        .map(|s| {
            let pts = s
                .points
                .iter()
                .filter_map(|p| {
                    let iv = wilson(p.k?, p.n, r.options.confidence).ok()?;
                    Some((p.period.clone(), iv))
                })
                .collect();
            (s.group.as_str(), pts)
        })
        .collect();
    let max = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, i)| i.upper))
        .fold(0.05_f64, f64::max)
        .min(1.0);
    let (width, height) = (160.0, 36.0);
    let mut out = BTreeMap::new();
    for (id, pts) in series {
        if pts.len() < 2 {
            continue;
        }
        let n = pts.len() as f64;
        let x = |i: usize| 2.0 + i as f64 / (n - 1.0) * (width - 4.0);
        let y = |v: f64| 2.0 + (1.0 - v / max) * (height - 4.0);
        let last = &pts[pts.len() - 1];
        let label = format!(
            "{}: {} {} ({})",
            w.h_weekly,
            w.pct(last.1.share),
            w.interval(&w.pct(last.1.lower), &w.pct(last.1.upper)),
            last.0
        );
        let mut s = open(width, height, &label, "mg-spark");
        let mut band: Vec<String> = pts
            .iter()
            .enumerate()
            .map(|(i, (_, p))| format!("{},{}", c(x(i)), c(y(p.upper))))
            .collect();
        band.extend(
            pts.iter()
                .enumerate()
                .rev()
                .map(|(i, (_, p))| format!("{},{}", c(x(i)), c(y(p.lower)))),
        );
        let line: Vec<String> = pts
            .iter()
            .enumerate()
            .map(|(i, (_, p))| format!("{},{}", c(x(i)), c(y(p.share))))
            .collect();
        let _ = write!(
            s,
            "<line x1=\"0\" x2=\"{0}\" y1=\"{1}\" y2=\"{1}\" stroke=\"{GRID}\"/>\
             <polygon points=\"{2}\" fill=\"{MISSED}\" fill-opacity=\"0.12\"/>\
             <polyline points=\"{3}\" fill=\"none\" stroke=\"{MISSED}\" stroke-width=\"1.5\"/></svg>",
            c(width),
            c(y(0.0)),
            band.join(" "),
            line.join(" ")
        );
        out.insert(id.to_owned(), s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::engine::{Lang, ReportOptions};

    fn sample_report(lang: Lang) -> Report {
        let diary = crate::sample::diary(300);
        let o = ReportOptions {
            by: vec![Dimension::Week, Dimension::Channel],
            // The sparklines (not in a build without trends).
            trend: cfg!(feature = "trend"),
            lang,
            ..ReportOptions::default()
        };
        crate::analysis::report::report(&diary, &o).expect("the sample reports")
    }

    /// Split by month, the weekly chart pools each week's groups again: the
    /// same points as without `per`.
    #[test]
    fn the_weekly_chart_is_the_same_split_by_period() {
        let diary = crate::sample::diary(600);
        let prepared = crate::Prepared::new(&diary).unwrap();
        let plain = crate::ReportOptions {
            by: vec![Dimension::Week],
            ..Default::default()
        };
        let per = crate::ReportOptions {
            per: Some(crate::Bucket::Month),
            ..plain.clone()
        };
        let a = charts(&prepared.report(&plain).unwrap()).weekly;
        let b = charts(&prepared.report(&per).unwrap()).weekly;
        assert!(a.contains("<polyline"), "{a}");
        assert_eq!(a, b);
    }

    #[test]
    fn every_chart_of_the_sample_is_drawn() {
        let r = sample_report(Lang::En);
        let ch = charts(&r);
        assert_eq!(
            ch.zones.matches("<circle").count(),
            r.expectations
                .iter()
                .filter(|e| e.gap.zone_position.value().is_some()
                    || e.gap.percentiles.value().is_some())
                .count()
                + 1,
            "one dot per expectation with a position, one in the legend"
        );
        assert_eq!(ch.stage_bars.len(), r.stages.len());
        assert_eq!(ch.weekly.matches("<polyline").count(), 1);
        assert_eq!(ch.breakdowns.len(), 2);
        assert!(ch.breakdowns[1].contains("mg-intervals"));
        assert!(ch.feedback.contains(">NPS<"));
        assert_eq!(!ch.sparklines.is_empty(), cfg!(feature = "trend"));
        assert!(ch.summary.contains("missed the adequate level"));
        for svg in [&ch.zones, &ch.stages, &ch.weekly, &ch.feedback, &ch.ipa] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
            assert!(svg.contains("role=\"img\" aria-label=\""));
            assert!(!svg.contains("NaN") && !svg.contains("inf"));
        }
    }

    #[test]
    fn the_json_face_draws_the_same_from_the_report_json() {
        let r = sample_report(Lang::Ru);
        let json = crate::api::charts(&crate::api::to_json(&r)).expect("a report's JSON");
        let back: Charts = serde_json::from_str(&json).expect("charts JSON");
        assert_eq!(back, charts(&r));
        let e = crate::api::charts("{\"schema\": 1}").unwrap_err();
        assert!(e.to_string().contains("not a mindgap report"), "{e}");
    }

    #[test]
    fn russian_charts_use_russian_words() {
        let ch = charts(&sample_report(Lang::Ru));
        assert!(ch.zones.contains("допустимый") && ch.zones.contains("желаемый"));
        assert!(ch.stages.contains("хуже допустимого"));
        assert!(ch.weekly.contains("доля промахов"));
        assert!(!ch.zones.contains(">missed<") && !ch.zones.contains("desired"));
    }

    #[test]
    fn positions_follow_the_direction() {
        let mut r = sample_report(Lang::En);
        let e = r.expectations.remove(0);
        let l = e.levels.last().expect("levels").clone();
        assert_eq!(position(&e, l.adequate), Some(0.0));
        assert_eq!(position(&e, l.desired), Some(1.0));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(nice(0.46), (0.5, 0.1));
        assert_eq!(nice(0.0), (0.05, 0.01));
        assert_eq!(nice(0.99), (1.0, 0.2));
    }
}
