//! Remarks in plain words (English and Russian): where the gap is and what
//! drives it. Built only from the figures of the report, so the words never
//! say more than the numbers do.

use super::report::{ExpectationReport, Quadrant, StageReport};
use crate::engine::Lang;
use crate::engine::zone::{Figure, GapFigures, ValueUnit};
use crate::time::span::Span;

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A reported value (seconds, points) in plain units.
pub(crate) fn plain(unit: ValueUnit, v: f64, lang: Lang) -> String {
    match unit.as_str() {
        "seconds" => {
            let s = Span::from_millis((v * 1000.0).round() as i64).human();
            match lang {
                Lang::En => s,
                Lang::Ru => s
                    .replace(" d", " д")
                    .replace(" h", " ч")
                    .replace(" min", " мин")
                    .replace(" ms", " мс")
                    .replace(" s", " с"),
            }
        }
        "business_days" => match lang {
            Lang::En => format!("{v:.1} business days"),
            Lang::Ru => format!("{v:.1} раб. дн."),
        },
        _ => format!("{v:.2}"),
    }
}

fn t(lang: Lang, en: &str, ru: &str) -> String {
    match lang {
        Lang::En => en.to_owned(),
        Lang::Ru => ru.to_owned(),
    }
}

/// What actually happened, in plain units.
pub(crate) fn actual(r: &ExpectationReport, lang: Lang) -> String {
    let g = &r.gap;
    if g.n == 0 && g.pending == 0 {
        return t(lang, "no observations", "нет наблюдений");
    }
    let body = match (g.unit, g.percentiles.value(), g.mean.value()) {
        (unit @ (ValueUnit::Seconds | ValueUnit::BusinessDays), Some(p), _) => match lang {
            Lang::En => format!(
                "p50 {} · p90 {}",
                plain(unit, p.p50, lang),
                plain(unit, p.p90, lang)
            ),
            Lang::Ru => format!(
                "медиана {} · p90 {}",
                plain(unit, p.p50, lang),
                plain(unit, p.p90, lang)
            ),
        },
        (ValueUnit::Points, _, Some(m)) => match lang {
            Lang::En => format!("mean {m:.2}"),
            Lang::Ru => format!("среднее {m:.2}"),
        },
        (ValueUnit::Flag, _, Some(m)) => {
            let met = (m * g.valued as f64).round() as u64;
            match lang {
                Lang::En => format!("as expected in {met} of {} checks", g.valued),
                Lang::Ru => format!("как ожидалось в {met} из {} проверок", g.valued),
            }
        }
        _ => t(lang, "no values yet", "значений пока нет"),
    };
    let unanswered = g.n.saturating_sub(g.valued);
    let mut out = format!("{body} (n = {})", g.n);
    if unanswered > 0 && matches!(g.unit, ValueUnit::Seconds | ValueUnit::BusinessDays) {
        out += &match (lang, r.metric.as_str()) {
            (Lang::En, "resolution") => format!(", {unanswered} unresolved past adequate"),
            (Lang::En, "follow_up") => format!(", {unanswered} not followed up past adequate"),
            (Lang::En, _) => format!(", {unanswered} unanswered past adequate"),
            (Lang::Ru, "resolution") => format!(", {unanswered} не решено сверх допустимого"),
            (Lang::Ru, "follow_up") => {
                format!(", {unanswered} без обратной связи сверх допустимого")
            }
            (Lang::Ru, _) => format!(", {unanswered} без ответа сверх допустимого"),
        };
    }
    if g.pending > 0 {
        out += &match lang {
            Lang::En => format!(", {} pending", g.pending),
            Lang::Ru => format!(", {} в ожидании", g.pending),
        };
    }
    out
}

fn missed(g: &GapFigures) -> Option<f64> {
    g.missed.value().map(|m| m.share)
}

/// The remark of an expectation.
pub(crate) fn expectation(r: &ExpectationReport, lang: Lang) -> String {
    let g = &r.gap;
    if g.n == 0 {
        return if g.pending > 0 {
            t(
                lang,
                "All observations still pending.",
                "Все наблюдения ещё в ожидании.",
            )
        } else {
            t(
                lang,
                "No observations: collected but never measured.",
                "Нет наблюдений: ожидание собрано, но не измеряется.",
            )
        };
    }
    let m = missed(g).unwrap_or(0.0);
    let ex = g.exceeded.value().map_or(0.0, |s| s.share);
    let adequate = r.levels.last().map(|l| plain(l.unit, l.adequate, lang));
    let mut out = if g.unit.as_str() == "flag" {
        let met = g.exceeded.value().map_or(0, |s| s.k);
        if m > 0.0 {
            match lang {
                Lang::En => format!(
                    "Not in place: found as expected in {met} of {} checks.",
                    g.n
                ),
                Lang::Ru => format!("Не выполнено: как ожидалось в {met} из {} проверок.", g.n),
            }
        } else {
            t(
                lang,
                "In place at every check.",
                "Выполнено при каждой проверке.",
            )
        }
    } else if m >= 0.2 {
        let mut s = match lang {
            Lang::En => format!("Gap: {} missed the adequate level", pct(m)),
            Lang::Ru => format!("Разрыв: {} хуже допустимого уровня", pct(m)),
        };
        if let (Some(p), Some(a), unit @ (ValueUnit::Seconds | ValueUnit::BusinessDays)) =
            (g.percentiles.value(), &adequate, g.unit)
        {
            s += &match lang {
                Lang::En => format!(" (p90 {} against {a})", plain(unit, p.p90, lang)),
                Lang::Ru => format!(" (p90 {} при допустимом {a})", plain(unit, p.p90, lang)),
            };
        }
        s + "."
    } else if m > 0.05 {
        match lang {
            Lang::En => format!("Mostly within the zone; {} missed.", pct(m)),
            Lang::Ru => format!(
                "В основном в зоне толерантности; {} хуже допустимого.",
                pct(m)
            ),
        }
    } else if ex >= 0.5 {
        match lang {
            Lang::En => format!(
                "Beyond expectations: {} at or better than desired.",
                pct(ex)
            ),
            Lang::Ru => format!("Сверх ожиданий: {} на желаемом уровне или лучше.", pct(ex)),
        }
    } else {
        t(
            lang,
            "Within the zone of tolerance.",
            "В зоне толерантности.",
        )
    };
    for d in &r.drivers {
        let what = match (d.dimension.as_str(), lang) {
            ("channel", Lang::En) => "worst channel",
            ("channel", Lang::Ru) => "худший канал",
            (_, Lang::En) => "worst employee",
            (_, Lang::Ru) => "худший сотрудник",
        };
        out += &match lang {
            Lang::En => format!(
                " {}: {} ({} missed of {}).",
                capital(what),
                d.key,
                pct(d.missed.share),
                d.missed.n
            ),
            Lang::Ru => format!(
                " {}: {} ({} из {}).",
                capital(what),
                d.key,
                pct(d.missed.share),
                d.missed.n
            ),
        };
    }
    if let Figure::Value(Quadrant::ConcentrateHere) = r.quadrant {
        out += &t(
            lang,
            " Important and below par: act here first.",
            " Важно и ниже среднего: начинать отсюда.",
        );
    }
    out
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// The remark of a stage: its largest gap, the top complaint reason, NPS.
pub(crate) fn stage(s: &StageReport, rows: &[&ExpectationReport], lang: Lang) -> String {
    let worst = rows
        .iter()
        .filter_map(|r| missed(&r.gap).map(|m| (m * r.importance, m, *r)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let mut parts = Vec::new();
    match worst {
        Some((_, m, r)) if m >= 0.1 => {
            let name = if r.description.is_empty() {
                &r.id
            } else {
                &r.description
            };
            parts.push(match lang {
                Lang::En => format!("Largest gap: \"{name}\" ({} missed)", pct(m)),
                Lang::Ru => format!("Главный разрыв: «{name}» ({} хуже допустимого)", pct(m)),
            });
        }
        Some(_) => parts.push(t(lang, "Expectations met", "Ожидания выполняются")),
        None if rows.is_empty() => {
            parts.push(t(lang, "No expectations recorded", "Ожидания не записаны"))
        }
        None => parts.push(t(lang, "No observations yet", "Наблюдений пока нет")),
    }
    if let Some(top) = s.feedback.reasons.first() {
        parts.push(match lang {
            Lang::En => format!("top complaint: {} ({})", top.reason, top.count),
            Lang::Ru => format!("частая жалоба: {} ({})", top.reason, top.count),
        });
    }
    if let Some(nps) = s.feedback.nps.value() {
        if nps.upper < 0.0 {
            parts.push(match lang {
                Lang::En => format!("NPS {:.0}, below zero", nps.nps),
                Lang::Ru => format!("NPS {:.0}, ниже нуля", nps.nps),
            });
        }
    }
    parts.join("; ") + "."
}
