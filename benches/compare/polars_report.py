#!/usr/bin/env python3
"""The figures of `mindgap report` / `mindgap trend --by expectation`, computed
with Polars from the same diary JSON and CSV files.

Written the way an analyst who knows Polars would write it: read the two CSV
files once (only the columns needed), parse the timestamps, build one long
frame of observations (one row per interaction × matching expectation, or per
next-response clock, or per rating answer) with the lazy API and aggregate it
with group_by. The handful of weekly points per expectation (Theil–Sen,
Mann–Kendall) are done in plain Python: they are ~30 numbers each.

Definitions follow crates/mindgap/src/engine/mod.rs (module docs),
engine/clock.rs, engine/zone.rs, engine/feedback.rs, stats/trend.rs and
time/period.rs:

* as_of = the latest timestamp in the data (interactions' opened / first reply /
  resolution / last status change, feedback, the diary's manual observations);
  records after it are left out.
* An expectation is the list of its records sorted by recorded_at; matching
  (stage, touchpoint, channel, segment), metric kind and calendar come from the
  earliest record, pause statuses from the latest; each observation is scored
  against the record in force at its time (latest recorded_at <= t, else the
  earliest).
* first_response: opened -> first reply, or the resolution when there is no
  reply. resolution: opened -> resolved minus time in pause statuses (status
  history). next_response: a clock starts when the status goes back to
  new/open from another status (not before the first reply) and stops at the
  next change to any other status, else at resolved_at. A clock still running
  at as_of is missed once past adequate, pending before.
* Classes: t <= D exceeded, D < t <= A within, t > A missed (ratings mirrored).
  Percentiles (NumPy linear), mean and zone position are over the
  observations that have a value (a running clock has none).
* Weekly series: ISO weeks (Monday) of the observation time (opened, or the
  start of a next-response clock, or the feedback time) in the diary's time
  zone; x = week index from the first week with any record.
* Feedback per stage (own stage, else the linked interaction's): NPS from
  `nps` answers only (9-10 / 7-8 / 0-6), CSAT = share of 4-5 among `csat`
  answers, dismissed surveys in no denominator.

Not implemented (the expectation is listed under "excluded" and check.py
leaves it out of the comparison): business calendars, flag expectations, and
expectations that take manual observations from the diary.

Usage: polars_report.py --diary D.json --interactions I.csv --feedback F.csv [--out OUT.json]
"""

import argparse
import json
import math
import re
import sys
from datetime import datetime, timedelta, timezone
from statistics import NormalDist

import polars as pl

TS_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%:z"
TIMING = ("first_response", "next_response", "resolution")
OPEN_STATUSES = ("new", "open")
DEFAULT_PAUSES = ("waiting_customer",)
CONFIDENCE = 0.95


# ---------------------------------------------------------------- the diary

_DUR = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def duration_ms(text):
    m = _DUR.match(text)
    if not m:
        raise ValueError(f"unsupported ISO 8601 duration {text!r}")
    w, d, h, mi, s = m.groups()
    total = (int(w or 0) * 7 + int(d or 0)) * 86_400_000
    total += int(h or 0) * 3_600_000 + int(mi or 0) * 60_000
    total += round(float(s or 0) * 1000)
    return total


_EPOCH = datetime(1970, 1, 1).astimezone(timezone.utc)


def rfc3339_ms(text):
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (t - _EPOCH) // timedelta(milliseconds=1)


def micro(points):
    # mindgap's micro_points: (points * 1e6).round(), half away from zero.
    x = points * 1e6
    return int(math.floor(abs(x) + 0.5)) * (1 if x >= 0 else -1)


class Exp:
    """An expectation with all its records (survey waves), oldest first."""

    def __init__(self, eid, records):
        records = sorted(
            records,
            key=lambda r: rfc3339_ms(r["recorded_at"]) if r.get("recorded_at") else -(2**63),
        )
        first, last = records[0], records[-1]
        self.id = eid
        self.stage = first["stage"]
        self.touchpoint = first.get("touchpoint") or None
        self.channel = first.get("channel") or None
        self.segment = first.get("segment") or None
        self.calendar = first.get("calendar") or None
        self.kind = first["metric"]["kind"]
        self.pauses = tuple(last.get("pause_statuses") or DEFAULT_PAUSES)
        self.recorded = [rfc3339_ms(r["recorded_at"]) if r.get("recorded_at") else None for r in records]
        self.zones = []  # (desired, adequate) in integer units
        for r in records:
            m = r["metric"]
            if self.kind in TIMING:
                self.zones.append((duration_ms(m["desired"]), duration_ms(m["adequate"])))
            elif self.kind == "rating":
                self.zones.append((micro(m["desired"]), micro(m["adequate"])))
        if self.kind == "rating":
            m = first["metric"]
            self.scale = m.get("scale", 5)
            self.sources = tuple(m.get("from") or ())
        self.lower_is_better = self.kind in TIMING

    def version(self, t):
        """Index of the record in force at `t` (an expression of epoch ms)."""
        v = pl.lit(0, dtype=pl.Int32)
        for r in self.recorded[1:]:
            if r is not None:
                v = v + (t >= r).cast(pl.Int32)
        return v

    def level(self, version, which):
        vals = [z[which] for z in self.zones]
        expr = pl.lit(vals[0], dtype=pl.Int64)
        for k in range(1, len(vals)):
            expr = pl.when(version == k).then(pl.lit(vals[k], dtype=pl.Int64)).otherwise(expr)
        return expr


def read_diary(path):
    with open(path, encoding="utf-8") as f:
        diary = json.load(f)
    grouped = {}
    for e in diary.get("expectations", []):
        grouped.setdefault(e["id"], []).append(e)
    exps, excluded = [], {}
    observed = {o["expectation"] for o in diary.get("observations") or []}
    for eid, recs in grouped.items():
        e = Exp(eid, recs)
        if e.calendar:
            excluded[eid] = f"business calendar {e.calendar!r} not implemented in the Polars script"
        elif e.kind == "flag":
            excluded[eid] = "flag expectations are measured by the diary's manual observations only"
        elif eid in observed:
            excluded[eid] = "takes manual observations from the diary (not implemented)"
        else:
            exps.append(e)
    return diary, exps, excluded


# ---------------------------------------------------------------- reading

def ts_ms(col):
    return pl.col(col).str.to_datetime(TS_FORMAT, time_unit="ns").dt.epoch("ms")


def read_interactions(path, segments):
    lf = pl.scan_csv(path, infer_schema=False)
    cols = lf.collect_schema().names()
    opt = lambda c: pl.col(c) if c in cols else pl.lit(None, dtype=pl.String).alias(c)  # noqa: E731
    seg = opt("segment")
    if segments:
        seg = pl.coalesce(seg, opt("customer").replace_strict(segments, default=None))
    return (
        lf.select(
            pl.col("id"),
            ts_ms("opened_at").alias("opened"),
            (ts_ms("first_response_at") if "first_response_at" in cols else pl.lit(None, pl.Int64)).alias("first"),
            (ts_ms("resolved_at") if "resolved_at" in cols else pl.lit(None, pl.Int64)).alias("resolved"),
            pl.col("channel"),
            pl.col("stage"),
            opt("touchpoint"),
            seg.alias("segment"),
            opt("statuses"),
        )
        .with_row_index("row")
        .collect()
    )


def read_statuses(inter):
    """One row per status change: row, k (order), status, t (epoch ms)."""
    return (
        inter.lazy()
        .filter(pl.col("statuses").is_not_null())
        .select("row", pl.col("statuses").str.split(";").alias("change"))
        .explode("change")
        .with_columns(pl.int_range(pl.len()).over("row").alias("k"))
        .with_columns(pl.col("change").str.split_exact("@", 1).alias("p"))
        .select(
            "row",
            "k",
            pl.col("p").struct.field("field_0").str.strip_chars().alias("status"),
            pl.col("p").struct.field("field_1").str.strip_chars().str.to_datetime(TS_FORMAT, time_unit="ns")
            .dt.epoch("ms").alias("t"),
        )
        .collect()
    )


def read_feedback(path, inter, segments):
    lf = pl.scan_csv(path, infer_schema=False)
    cols = lf.collect_schema().names()
    opt = lambda c: pl.col(c) if c in cols else pl.lit(None, dtype=pl.String).alias(c)  # noqa: E731
    linked = inter.lazy().select(
        pl.col("id").alias("interaction"),
        pl.col("stage").alias("i_stage"),
        pl.col("touchpoint").alias("i_touchpoint"),
        pl.col("channel").alias("i_channel"),
        pl.col("segment").alias("i_segment"),
        pl.lit(True).alias("linked"),
    )
    cust_seg = (
        opt("customer").replace_strict(segments, default=None) if segments else pl.lit(None, dtype=pl.String)
    )
    return (
        lf.select(
            ts_ms("at").alias("at"),
            opt("interaction"),
            opt("stage"),
            opt("touchpoint"),
            opt("customer"),
            pl.col("kind").str.strip_chars().str.to_lowercase(),
            opt("score").str.strip_chars().cast(pl.Float64).alias("score"),
            opt("scale").str.strip_chars().cast(pl.Int64).alias("scale"),
            opt("dismissed").str.strip_chars().str.to_lowercase().is_in(["true", "1", "yes"]).fill_null(False)
            .alias("dismissed"),
        )
        .join(linked, on="interaction", how="left")
        .with_columns(
            pl.coalesce("stage", "i_stage").alias("stage"),
            pl.coalesce("touchpoint", "i_touchpoint").alias("touchpoint"),
            pl.col("i_channel").alias("channel"),
            pl.when(pl.col("linked")).then(pl.col("i_segment")).otherwise(cust_seg).alias("segment"),
        )
        .select("at", "stage", "touchpoint", "channel", "segment", "kind", "score", "scale", "dismissed")
        .collect()
    )


# ---------------------------------------------------------------- observations

def matching(e, frame):
    cond = pl.col("stage") == e.stage
    for attr in ("touchpoint", "channel", "segment"):
        want = getattr(e, attr)
        if want is not None:
            cond = cond & (pl.col(attr) == want)
    return frame.filter(cond)


def classify(e, version, value, running, as_of):
    """Columns common to every observation: exp, version, D, A, value, cls.
    cls: 0 exceeded, 1 within, 2 missed, 3 pending."""
    d, a = e.level(version, 0), e.level(version, 1)
    if e.lower_is_better:
        by_value = pl.when(value <= d).then(0).when(value <= a).then(1).otherwise(2)
    else:
        by_value = pl.when(value >= d).then(0).when(value >= a).then(1).otherwise(2)
    if running is not None:
        cls = (
            pl.when(value.is_not_null()).then(by_value)
            .when(running > a).then(2)
            .otherwise(3)
        )
    else:
        cls = by_value
    return [
        pl.lit(e.id).alias("exp"),
        pl.lit(e.lower_is_better).alias("lower"),
        d.alias("D"),
        a.alias("A"),
        value.alias("value"),
        cls.cast(pl.Int8).alias("cls"),
    ]


def timing_observations(e, inter, statuses, as_of):
    rows = matching(e, inter.lazy()).filter(pl.col("opened") <= as_of)
    opened = pl.col("opened")
    version = e.version(opened)
    if e.kind == "first_response":
        end = pl.coalesce("first", "resolved")
        stopped = end.is_not_null() & (end <= as_of)
        value = pl.when(stopped).then(end - opened)
        running = pl.when(~stopped).then(pl.max_horizontal(pl.lit(as_of) - opened, pl.lit(0)))
        return rows.select(*classify(e, version, value, running, as_of), opened.alias("t"))
    if e.kind == "resolution":
        done = pl.col("resolved").is_not_null() & (pl.col("resolved") <= as_of)
        end = pl.when(done).then(pl.col("resolved")).otherwise(pl.lit(as_of))
        rows = rows.with_columns(end.alias("end"))
        paused = paused_ms(e, rows, statuses)
        rows = rows.join(paused, on="row", how="left").with_columns(pl.col("paused").fill_null(0))
        if "new" in e.pauses:
            # With a status history the interaction starts in `new` at opened_at:
            # paused until the first change. Without one nothing is paused.
            first_change = statuses.lazy().filter(pl.col("k") == 0).select("row", pl.col("t").alias("t0"))
            rows = rows.join(first_change, on="row", how="left").with_columns(
                pl.col("paused")
                + pl.when(pl.col("t0").is_null())
                .then(0)
                .otherwise((pl.min_horizontal(pl.col("t0"), pl.col("end")) - pl.col("opened")).clip(0))
            )
        span = pl.max_horizontal(pl.col("end") - opened, pl.lit(0)) - pl.col("paused")
        value = pl.when(done).then(span)
        running = pl.when(~done).then(span)
        return rows.select(*classify(e, version, value, running, as_of), opened.alias("t"))
    # next_response: one observation per clock.
    clocks = next_response_clocks(rows, statuses)
    clocks = clocks.filter(pl.col("start") <= as_of)
    stopped = pl.col("stop").is_not_null() & (pl.col("stop") <= as_of)
    value = pl.when(stopped).then(pl.col("stop") - pl.col("start"))
    running = pl.when(~stopped).then(pl.max_horizontal(pl.lit(as_of) - pl.col("start"), pl.lit(0)))
    # Each clock against the expectation record in force when it started.
    return clocks.select(*classify(e, e.version(pl.col("start")), value, running, as_of), pl.col("start").alias("t"))


def paused_ms(e, rows, statuses):
    """Time in a pause status within [opened, end) per row, from the history."""
    seg = (
        statuses.lazy()
        .join(rows.select("row", "opened", "end"), on="row", how="inner")
        .with_columns(pl.col("t").shift(-1).over("row").alias("next"))
        .filter(pl.col("status").is_in(list(e.pauses)))
        .with_columns(
            (
                pl.min_horizontal(pl.coalesce("next", "end"), pl.col("end"))
                - pl.max_horizontal("t", "opened")
            ).clip(0).alias("part")
        )
    )
    return seg.group_by("row").agg(pl.col("part").sum().alias("paused"))


def next_response_clocks(rows, statuses):
    """clock.rs NextResponses, vectorised: start where the status goes back to
    new/open from another status (the interaction starts in `new`), not before
    the first reply; stop at the next change to a status other than new/open,
    else at resolved_at (if not before the start)."""
    s = (
        statuses.lazy()
        .join(rows.select("row", "opened", "first", "resolved", "channel", "stage"), on="row", how="inner")
        .sort("row", "k")
        .with_columns(pl.col("status").is_in(list(OPEN_STATUSES)).alias("is_open"))
        .with_columns(
            pl.col("is_open").shift(1, fill_value=True).over("row").alias("prev_open"),
            pl.when(~pl.col("is_open")).then(pl.col("t")).shift(-1).over("row").alias("nxt"),
        )
        .with_columns(pl.col("nxt").backward_fill().over("row"))
    )
    start = pl.col("is_open") & ~pl.col("prev_open") & (pl.col("first").is_null() | (pl.col("t") >= pl.col("first")))
    return s.filter(start).select(
        "row",
        "opened",
        pl.col("t").alias("start"),
        pl.coalesce(
            "nxt",
            pl.when(pl.col("resolved") >= pl.col("t")).then(pl.col("resolved")),
        ).alias("stop"),
    )


def rating_observations(e, fb, as_of):
    rows = matching(e, fb.lazy()).filter(~pl.col("dismissed") & (pl.col("at") <= as_of) & pl.col("score").is_not_null())
    kinds = list(e.sources) if e.sources else ["csat", "rating"]
    scale = (
        pl.when(pl.col("kind") == "nps").then(10)
        .when(pl.col("kind") == "csat").then(5)
        .when(pl.col("kind") == "ces").then(7)
        .otherwise(pl.col("scale").fill_null(5))
    )
    rows = rows.filter(pl.col("kind").is_in(kinds) & (scale == e.scale))
    at = pl.col("at")
    value = (pl.col("score") * 1e6).round().cast(pl.Int64)
    return rows.select(*classify(e, e.version(at), value, None, as_of), at.alias("t"))


# ---------------------------------------------------------------- statistics

Z = NormalDist().inv_cdf(1 - (1 - CONFIDENCE) / 2)


def wilson(k, n):
    if n == 0:
        return None
    p = k / n
    z2 = Z * Z
    denom = 1.0 + z2 / n
    center = (p + z2 / (2.0 * n)) / denom
    half = Z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom
    return {"k": k, "n": n, "share": p, "lower": min(max(center - half, 0.0), p), "upper": min(max(center + half, p), 1.0)}


def nps(prom, pas, det):
    n = prom + pas + det
    if n == 0:
        return None
    score = 100.0 * (prom - det) / n
    na = n + 3.0
    pa, da = (prom + 0.75) / na, (det + 0.75) / na
    diff = pa - da
    half = Z * math.sqrt(max((pa + da - diff * diff) / na, 0.0))
    return {
        "promoters": prom, "passives": pas, "detractors": det, "n": n, "nps": score,
        "lower": min(max(100.0 * (diff - half), -100.0), score),
        "upper": min(max(100.0 * (diff + half), score), 100.0),
    }


def _median_sorted(v):
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2.0


def _tie_term(values):
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return sum(t * (t - 1) * (2 * t + 5) for t in counts.values() if t > 1)


def theil_sen(x, y):
    n = len(x)
    if n < 3:
        return None
    slopes = sorted((y[j] - y[i]) / (x[j] - x[i]) for i in range(n) for j in range(i + 1, n) if x[j] != x[i])
    slope = _median_sorted(slopes)
    sigsq = (n * (n - 1) * (2 * n + 5) - _tie_term(x) - _tie_term(y)) / 18.0
    out = {"slope": slope, "intercept": _median_sorted(sorted(y)) - slope * _median_sorted(sorted(x))}
    if sigsq >= 0:
        sigma = math.sqrt(sigsq)
        nt, last = len(slopes), len(slopes) - 1
        ru = min(max(round((nt + Z * sigma) / 2.0), 0), last)
        rl = min(max(max(round((nt - Z * sigma) / 2.0), 0) - 1, 0), last)
        out["low"], out["high"] = slopes[rl], slopes[ru]
    return out


def mann_kendall(y):
    n = len(y)
    if n < 3:
        return None
    s = 0
    for i in range(n):
        for j in range(i + 1, n):
            s += (y[j] > y[i]) - (y[j] < y[i])
    var_s = (n * (n - 1) * (2 * n + 5) - _tie_term(y)) / 18.0
    if s == 0 or var_s <= 0:
        z = 0.0
    else:
        z = (s - 1 if s > 0 else s + 1) / math.sqrt(var_s)
    return {"s": s, "var_s": var_s, "z": z, "p_value": min(math.erfc(abs(z) / math.sqrt(2.0)), 1.0)}


def week_of(t_ms_expr, tz):
    local = pl.from_epoch(t_ms_expr, time_unit="ms").dt.replace_time_zone("UTC").dt.convert_time_zone(tz).dt.date()
    return local - pl.duration(days=local.dt.weekday().cast(pl.Int64) - 1)


# ---------------------------------------------------------------- the report

def report(diary_path, interactions_path, feedback_path):
    diary, exps, excluded = read_diary(diary_path)
    tz = diary["timezone"]
    segments = {c["id"]: c["segment"] for c in diary.get("customers") or [] if c.get("segment")}
    inter = read_interactions(interactions_path, segments)
    statuses = read_statuses(inter)
    fb = read_feedback(feedback_path, inter, segments)

    # as_of: the latest timestamp anywhere in the data.
    latest = [
        inter.select(pl.max_horizontal(pl.col("opened").max(), pl.col("first").max(), pl.col("resolved").max())).item(),
        statuses.group_by("row").agg(pl.col("t").last()).select(pl.col("t").max()).item() if statuses.height else None,
        fb.select(pl.col("at").max()).item(),
    ] + [rfc3339_ms(o["at"]) for o in diary.get("observations") or []]
    as_of = max(t for t in latest if t is not None)

    parts = []
    for e in exps:
        if e.kind in TIMING:
            parts.append(timing_observations(e, inter, statuses, as_of))
        elif e.kind == "rating":
            parts.append(rating_observations(e, fb, as_of))
    obs = pl.concat(parts, how="vertical_relaxed") if parts else None

    unit = lambda e: 1e3 if e.kind in TIMING else 1e6  # noqa: E731
    expectations = {}
    weekly = {}
    if obs is not None:
        width = (pl.col("A") - pl.col("D")).abs()
        msa = pl.when(pl.col("lower")).then(pl.col("A") - pl.col("value")).otherwise(pl.col("value") - pl.col("A"))
        overall_q = (
            obs.group_by("exp")
            .agg(
                (pl.col("cls") == 0).sum().alias("exceeded"),
                (pl.col("cls") == 1).sum().alias("within"),
                (pl.col("cls") == 2).sum().alias("missed"),
                (pl.col("cls") == 3).sum().alias("pending"),
                pl.col("value").count().alias("valued"),
                pl.col("value").quantile(0.5, interpolation="linear").alias("p50"),
                pl.col("value").quantile(0.9, interpolation="linear").alias("p90"),
                pl.col("value").quantile(0.95, interpolation="linear").alias("p95"),
                pl.col("value").mean().alias("mean"),
                msa.mean().alias("msa"),
                (msa / width).filter(width > 0).mean().alias("zone_position"),
            )
        )
        weekly_q = (
            obs.filter(pl.col("cls") < 3)
            .group_by("exp", week_of(pl.col("t"), tz).alias("week"))
            .agg((pl.col("cls") == 2).sum().alias("k"), pl.len().alias("n"))
        )
        # The x axis of the trends: every week from the first to the last with any record.
        span_q = pl.concat(
            [
                inter.lazy().filter(pl.col("opened") <= as_of).select(pl.col("opened").alias("t")),
                fb.lazy().filter(pl.col("at") <= as_of).select(pl.col("at").alias("t")),
                obs.select("t"),
            ]
        ).select(week_of(pl.col("t").min(), tz).alias("first"))
        overall, weeks, span = pl.collect_all([overall_q, weekly_q, span_q])
        first_week = span.item()
        by_id = {e.id: e for e in exps}
        for r in overall.iter_rows(named=True):
            e = by_id[r["exp"]]
            u = unit(e)
            n = r["exceeded"] + r["within"] + r["missed"]
            valued = r["valued"]
            expectations[e.id] = {
                "metric": e.kind,
                "n": n,
                "pending": r["pending"],
                "exceeded": wilson(r["exceeded"], n),
                "within": wilson(r["within"], n),
                "missed": wilson(r["missed"], n),
                "valued": valued,
                "p50": r["p50"] / u if valued else None,
                "p90": r["p90"] / u if valued else None,
                "p95": r["p95"] / u if valued else None,
                "mean": r["mean"] / u if valued else None,
                "msa_mean": r["msa"] / u if valued else None,
                "zone_position": r["zone_position"],
            }
        for r in weeks.sort("exp", "week").iter_rows(named=True):
            weekly.setdefault(r["exp"], []).append((r["week"], r["k"], r["n"]))
        for eid, pts in weekly.items():
            x = [float((w - first_week).days // 7) for w, _, _ in pts]
            y = [k / n for _, k, n in pts]
            expectations[eid]["weekly"] = {w.isoformat(): [k, n] for w, k, n in pts}
            expectations[eid]["theil_sen"] = theil_sen(x, y)
            expectations[eid]["mann_kendall"] = mann_kendall(y)
    for e in exps:
        expectations.setdefault(e.id, {"metric": e.kind, "n": 0, "pending": 0})

    # Feedback per stage.
    answered = fb.lazy().filter((pl.col("at") <= as_of) & ~pl.col("dismissed") & pl.col("score").is_not_null())
    per_stage = (
        answered.group_by("stage")
        .agg(
            ((pl.col("kind") == "nps") & (pl.col("score") >= 9)).sum().alias("promoters"),
            ((pl.col("kind") == "nps") & (pl.col("score") >= 7) & (pl.col("score") < 9)).sum().alias("passives"),
            ((pl.col("kind") == "nps") & (pl.col("score") < 7)).sum().alias("detractors"),
            (pl.col("kind") == "csat").sum().alias("csat_n"),
            ((pl.col("kind") == "csat") & (pl.col("score") >= 4)).sum().alias("csat_k"),
        )
        .collect()
    )
    stages = {s["id"]: {"nps": None, "csat": None} for s in diary["stages"]}
    for r in per_stage.iter_rows(named=True):
        if r["stage"] in stages:
            stages[r["stage"]] = {
                "nps": nps(r["promoters"], r["passives"], r["detractors"]),
                "csat": wilson(r["csat_k"], r["csat_n"]),
            }
    return {
        "schema": "mindgap-compare/1",
        "tool": f"polars {pl.__version__}",
        "as_of_ms": as_of,
        "excluded": excluded,
        "expectations": expectations,
        "stages": stages,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--diary", required=True)
    ap.add_argument("--interactions", required=True)
    ap.add_argument("--feedback", required=True)
    ap.add_argument("--out", help="write the JSON here (default: stdout)")
    args = ap.parse_args()
    out = report(args.diary, args.interactions, args.feedback)
    text = json.dumps(out, indent=1, sort_keys=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
