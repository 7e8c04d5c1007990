#!/usr/bin/env python3
"""Turns run.sh's timings into the table it prints and into results.md.

Input: a TSV of `rows tool step wall_s maxrss_kb user_s sys_s`, one line per
process, in the order run (for mindgap, its steps of one run follow each
other). mindgap's figure of one run is the sum of its steps' wall times and
the largest of their peak RSS (the steps run one after the other). Medians
over the runs. results.md keeps one section per row count: a new run replaces
the section of its row count and leaves the others.
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
from collections import defaultdict


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            n, tool, step, wall, rss, user, sys_ = line.rstrip("\n").split("\t")
            rows.append((int(n), tool, step, float(wall), int(rss), float(user), float(sys_)))
    return rows


def per_run(rows):
    """{n: {label: [(wall, rss_kb, user, sys) per run]}} with mindgap's total."""
    out = defaultdict(lambda: defaultdict(list))
    by_n = defaultdict(list)
    for r in rows:
        by_n[r[0]].append(r)
    for n, rs in by_n.items():
        steps = []
        for r in rs:
            if r[1] == "mindgap" and r[2] not in steps:
                steps.append(r[2])
        mg = [r for r in rs if r[1] == "mindgap"]
        for r in rs:
            label = f"{r[1]} {r[2]}" if r[1] == "mindgap" else r[1]
            out[n][label].append(r[3:])
        if len(steps) > 1:
            for i in range(0, len(mg), len(steps)):
                chunk = mg[i : i + len(steps)]
                out[n]["mindgap (" + " + ".join(steps) + ")"].append(
                    (sum(c[3] for c in chunk), max(c[4] for c in chunk), sum(c[5] for c in chunk), sum(c[6] for c in chunk))
                )
    return out


def med(values, k):
    return statistics.median(v[k] for v in values)


def section(n, labels, header, check):
    lines = [f"## {n:,} rows", "", header, "", check, ""]
    lines.append("| rows | tool | runs | median wall s | median peak RSS MB | median user s | median sys s |")
    lines.append("|---:|---|---:|---:|---:|---:|---:|")
    order = sorted(labels, key=lambda l: (not l.startswith("mindgap ("), not l.startswith("mindgap"), l))
    for label in order:
        vals = labels[label]
        lines.append(
            f"| {n:,} | {label} | {len(vals)} | {med(vals, 0):.2f} | {med(vals, 1) / 1024:.0f} | "
            f"{med(vals, 2):.2f} | {med(vals, 3):.2f} |"
        )
    mg_label = next((l for l in labels if l.startswith("mindgap (")), None) or next(
        (l for l in labels if l.startswith("mindgap")), None
    )
    others = [t for t in ("polars", "datafusion") if t in labels]
    if mg_label and others:
        mg = labels[mg_label]
        lines.append("")
        for tool in others:
            t = labels[tool]
            lines.append(
                f"- {tool} / mindgap: wall **{med(t, 0) / med(mg, 0):.2f}×**, peak RSS **{med(t, 1) / med(mg, 1):.2f}×** "
                f"(mindgap = {mg_label})"
            )
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--times", required=True)
    ap.add_argument("--commands", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--mindgap-commit", default="unknown")
    ap.add_argument("--polars-version", default="unknown")
    ap.add_argument("--datafusion-version", default=None)
    ap.add_argument("--invocation", default="")
    ap.add_argument("--target", default=None, help="where run.sh keeps target/compare/N/out/check.txt")
    args = ap.parse_args()

    data = per_run(load(args.times))
    with open(args.commands, encoding="utf-8") as f:
        commands = f.read().strip()
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(os.cpu_count())
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    header = (
        f"Measured {now} — `nproc` = {nproc}, CPU: {cpu_model()}; mindgap at commit {args.mindgap_commit} (last change to crates/), "
        f"Polars {args.polars_version}"
        + (f", DataFusion {args.datafusion_version}" if args.datafusion_version else "")
        + f"; `{args.invocation}`; warm page cache (the check run reads the files first)."
    )

    sections = {}
    if os.path.exists(args.results):
        with open(args.results, encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r"^## ([\d,]+) rows\n.*?(?=^## |\Z)", text, flags=re.S | re.M):
            sections[int(m.group(1).replace(",", ""))] = m.group(0).rstrip("\n") + "\n"
    for n, labels in data.items():
        check = "Figures check: see run output."
        if args.target:
            p = os.path.join(args.target, "compare", str(n), "out", "check.txt")
            if os.path.exists(p):
                with open(p, encoding="utf-8") as f:
                    check = "Figures check — " + "; ".join(l.strip().removeprefix("check: ") for l in f if l.strip())
        sections[n] = section(n, labels, header, check)
        print(sections[n])

    doc = [
        "# mindgap vs Polars (and DataFusion): measured",
        "",
        "Written by `benches/compare/run.sh` (see README.md beside it); one section per row count, the latest run "
        "of each. Whole processes timed with `/usr/bin/time -v`; mindgap's line sums its commands' wall and user/sys "
        "times and takes the largest peak RSS.",
        "",
        "Commands (`$DATA` = `target/compare/N`):",
        "",
        "```",
        commands,
        "```",
        "",
    ]
    for n in sorted(sections):
        doc.append(sections[n])
    with open(args.results, "w", encoding="utf-8") as f:
        f.write("\n".join(doc).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
