#!/usr/bin/env python3
"""Checks that mindgap and the Polars script report the same figures.

    check.py --polars P.json --mindgap-report R.json [--mindgap-trend T.json]
    check.py --datafusion D.json --mindgap-report R.json

R.json is `mindgap report --format json`, T.json is `mindgap trend --by
expectation --format json` (the weekly missed share and its statistics); when
no trend file is given the weekly series are looked for in the report itself
(`trend` key), so the check keeps working once the report carries them.
D.json is `mindgap report --engine datafusion --format json`: each
expectation's `gap` object, as DataFusion's aggregate computed it, is compared
whole with the report's (every field, at any depth); the expectations it does
not measure (ratings, flags: not measured on interactions) are listed.

Both sides are brought to one shape (see `normalise_mindgap`; the Polars
script writes it directly) and compared field by field: integers exactly,
floats to 1e-9 (relative or absolute, `math.isclose(rel_tol=1e-9,
abs_tol=1e-9)`), absent figures must be absent on both sides. Expectations the
Polars script does not implement (it lists them under `excluded`, with the
reason) are left out of both sides and printed. Any difference is printed with
the expectation (or stage) id and the field, and the exit code is 1.
"""

import argparse
import json
import math
import sys
from datetime import datetime, timedelta, timezone

REL = ABS = 1e-9
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def rfc3339_ms(text):
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (t - _EPOCH) // timedelta(milliseconds=1)


def value(fig):
    """A mindgap Figure: the value, or None when it is {"absent": why}."""
    if isinstance(fig, dict) and set(fig) == {"absent"}:
        return None
    return fig


def share(fig):
    v = value(fig)
    return None if v is None else {k: v[k] for k in ("k", "n", "share", "lower", "upper")}


def normalise_mindgap(report, trend):
    out = {"as_of_ms": rfc3339_ms(report["as_of"]), "expectations": {}, "stages": {}}
    for e in report["expectations"]:
        g = e["gap"]
        pct = value(g["percentiles"])
        msa = value(g["msa"])
        valued = g["valued"]
        row = {
            "metric": e["metric"],
            "n": g["n"],
            "pending": g["pending"],
            "exceeded": share(g["exceeded"]),
            "within": share(g["within"]),
            "missed": share(g["missed"]),
            "valued": valued,
            "p50": pct and pct["p50"],
            "p90": pct and pct["p90"],
            "p95": pct and pct["p95"],
            "mean": value(g["mean"]),
            "msa_mean": msa and msa["mean"],
            "zone_position": value(g["zone_position"]),
        }
        out["expectations"][e["id"]] = row
    series = (trend or report.get("trend") or {}).get("series")
    if series is None:
        sys.exit("check.py: no weekly series: give --mindgap-trend (mindgap trend --by expectation --format json)")
    for s in series:
        row = out["expectations"].get(s["group"])
        if row is None or row["n"] == 0:
            continue
        row["weekly"] = {p["period"]: [p["k"], p["n"]] for p in s["points"] if value(p["value"]) is not None}
        ts = value(s["stats"]["theil_sen"])
        if ts is not None:
            iv = ts.get("interval") or {}
            iv = {} if not isinstance(iv, dict) or "absent" in iv else iv
            ts = {"slope": ts["slope"], "intercept": ts["intercept"], **{k: iv[k] for k in ("low", "high") if k in iv}}
        row["theil_sen"] = ts
        mk = value(s["stats"]["mann_kendall"])
        row["mann_kendall"] = mk and {k: mk[k] for k in ("s", "var_s", "z", "p_value")}
    for st in report["stages"]:
        fb = st["feedback"]
        nps = value(fb["nps"])
        out["stages"][st["id"]] = {
            "nps": nps and {k: nps[k] for k in ("promoters", "passives", "detractors", "n", "nps", "lower", "upper")},
            "csat": share(fb["csat"]),
        }
    return out


def compare(a, b, where, field, problems, counter):
    """a: mindgap, b: Polars."""
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)):
            problems.append((where, field, a, b))
            return
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                problems.append((where, f"{field}.{k}".lstrip("."), a.get(k, "<missing>"), b.get(k, "<missing>")))
                continue
            compare(a[k], b[k], where, f"{field}.{k}".lstrip("."), problems, counter)
        return
    if isinstance(a, list) or isinstance(b, list):
        if not (isinstance(a, list) and isinstance(b, list)) or len(a) != len(b):
            problems.append((where, field, a, b))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, where, f"{field}[{i}]", problems, counter)
        return
    counter[0] += 1
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        ok = a == b
    elif isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
        ok = a == b
    else:
        ok = math.isclose(float(a), float(b), rel_tol=REL, abs_tol=ABS)
    if not ok:
        problems.append((where, field, a, b))


def report_problems(problems, counter, other):
    if problems:
        for where, field, a, b in problems:
            print(f"MISMATCH {where} field {field}: mindgap={a!r} {other}={b!r}", file=sys.stderr)
        print(f"check: FAILED: {len(problems)} mismatch(es) out of {counter[0]} values", file=sys.stderr)
        sys.exit(1)


def check_datafusion(rep, df):
    """The DataFusion engine's per-expectation gap against the report's."""
    problems, counter = [], [0]
    compare(rfc3339_ms(rep["as_of"]), rfc3339_ms(df["as_of"]), "report", "as_of_ms", problems, counter)
    ours = {e["id"]: e["gap"] for e in rep["expectations"]}
    theirs = {}
    for st in df["stages"]:
        for e in st["expectations"]:
            if e["id"] in theirs:
                problems.append((f"expectation {e['id']}", "(whole row)", "once", f"again in stage {st['id']}"))
            theirs[e["id"]] = e["gap"]
    for i in sorted(set(theirs) - set(ours)):
        problems.append((f"expectation {i}", "(whole row)", "<missing>", "present"))
    not_measured = sorted(set(ours) - set(theirs))
    for i in sorted(theirs):
        if i in ours:
            compare(ours[i], theirs[i], f"expectation {i}", "gap", problems, counter)
    for i in not_measured:
        print(f"check: expectation {i} is not measured by the DataFusion aggregate (not measured on interactions)")
    report_problems(problems, counter, "datafusion")
    print(
        f"check: OK: {counter[0]} values agree (integers exactly, floats to {REL:g}) over "
        f"{len(theirs)} expectations (DataFusion's gap objects against the report's)"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--polars")
    ap.add_argument("--datafusion")
    ap.add_argument("--mindgap-report", required=True)
    ap.add_argument("--mindgap-trend")
    args = ap.parse_args()
    if (args.polars is None) == (args.datafusion is None):
        ap.error("give one of --polars and --datafusion")
    if args.datafusion:
        with open(args.mindgap_report, encoding="utf-8") as f:
            rep = json.load(f)
        with open(args.datafusion, encoding="utf-8") as f:
            df = json.load(f)
        check_datafusion(rep, df)
        return
    with open(args.polars, encoding="utf-8") as f:
        pol = json.load(f)
    with open(args.mindgap_report, encoding="utf-8") as f:
        rep = json.load(f)
    trend = None
    if args.mindgap_trend:
        with open(args.mindgap_trend, encoding="utf-8") as f:
            trend = json.load(f)
        if trend["as_of"] != rep["as_of"]:
            sys.exit(f"check.py: report as_of {rep['as_of']} != trend as_of {trend['as_of']}")
    mg = normalise_mindgap(rep, trend)

    excluded = pol.get("excluded", {})
    problems, counter = [], [0]
    compare(mg["as_of_ms"], pol["as_of_ms"], "report", "as_of_ms", problems, counter)
    ids = [i for i in mg["expectations"] if i not in excluded]
    for i in sorted(set(pol["expectations"]) - set(mg["expectations"])):
        problems.append((f"expectation {i}", "(whole row)", "<missing>", "present"))
    for i in ids:
        if i not in pol["expectations"]:
            problems.append((f"expectation {i}", "(whole row)", "present", "<missing>"))
            continue
        compare(mg["expectations"][i], pol["expectations"][i], f"expectation {i}", "", problems, counter)
    for s in sorted(set(mg["stages"]) | set(pol["stages"])):
        compare(mg["stages"].get(s), pol["stages"].get(s), f"stage {s}", "", problems, counter)

    for eid, why in sorted(excluded.items()):
        print(f"check: excluded expectation {eid}: {why}")
    report_problems(problems, counter, "polars")
    print(
        f"check: OK: {counter[0]} values agree (integers exactly, floats to {REL:g}) over "
        f"{len(ids)} expectations and {len(mg['stages'])} stages"
    )


if __name__ == "__main__":
    main()
