"""mindgap from Python (the package in bindings/python, over the C library):
the sample's report, a record added, an error with its code, a report
streamed from files, accumulators merged, and a Polars frame.

    pip install mindgap-*.whl          # built by scripts/test-python.sh
    python3 examples/python/example.py
"""
import os
import tempfile

import mindgap
from mindgap import Accumulator, Diary, Direction, MindgapError, Unit

HOUR = 3_600_000

print("libmindgap", mindgap.version())

with Diary.sample(300) as diary:
    report = diary.report()
    print(report["diary"])
    for stage in report["stages"]:
        missed = stage["gap"]["missed"]
        share = missed["share"] if "share" in missed else float("nan")
        print(f"  {stage['name']:<14} missed {share:6.1%}  {stage['remark']}")

    diary.add({"type": "interaction", "id": "py-1", "opened_at": "2026-10-30T10:00:00+03:00",
               "first_response_at": "2026-10-30T10:20:00+03:00", "channel": "chat", "stage": "service"})
    assert diary.run("validate")["counts"]["interactions"] == 301

    try:
        diary.add({"type": "feedback", "id": "py-2", "at": "2026-10-30T11:00:00+03:00",
                   "kind": "nps", "score": 6.5, "stage": "service"})
    except MindgapError as e:
        print(f"rejected as expected: [{e.code} {e.kind}] {e}")
        assert e.code == 15 and e.location["field"] == "score"

    try:
        diary.run("reprot")
    except MindgapError as e:
        assert e.code == 23, e

# A report streamed from files (the interaction CSV is never held): the same
# figures as the diary loaded whole.
with tempfile.TemporaryDirectory() as tmp, Diary.sample(0) as defs:
    diary_path = os.path.join(tmp, "diary.json")
    with open(diary_path, "w") as f:
        f.write(defs.run_json("diary"))
    csv_path = os.path.join(tmp, "interactions.csv")
    with open(csv_path, "w") as f:
        f.write("id,opened_at,first_response_at,resolved_at,channel,stage\n"
                "c1,2026-10-05T10:00:00+03:00,2026-10-05T10:20:00+03:00,,chat,attraction\n"
                "c2,2026-10-05T11:00:00+03:00,,,chat,attraction\n"
                "c3,2026-10-06T09:00:00+03:00,2026-10-06T09:05:00+03:00,,email,service\n")
    streamed, skipped = mindgap.report_files(diary_path, [csv_path])
    with Diary.open(diary_path) as whole:
        whole.read_file(csv_path)
        assert streamed == whole.run("report") and skipped == []
    print("streamed from files:", [(e["id"], e["gap"]["n"]) for e in streamed["expectations"]][:2])
    try:
        mindgap.report_files(diary_path, [os.path.join(tmp, "missing.csv")])
    except MindgapError as e:
        assert e.kind == "io" and "missing.csv" in str(e), e

# Two halves merged give the figures of the whole.
values = [HOUR // 2, 2 * HOUR, 2 * HOUR, 4 * HOUR]
zone = (Direction.LOWER_IS_BETTER, Unit.MILLISECONDS, HOUR, 3 * HOUR)
with Accumulator(*zone) as whole, Accumulator(*zone) as a, Accumulator(*zone) as b:
    whole.add_many(values)
    a.add_many(values[:2])
    b.add_many(values[2:])
    a.merge(b)
    assert a.figures() == whole.figures()
    print("zone position of the merged halves:", a.figures()["zone_position"])

# The analyses as data frames (pip install 'mindgap[polars]' or [pandas]):
# SLA clocks with their deadlines as timestamps in the diary's zone and the
# time left as durations.
try:
    import polars as pl
except ImportError:
    print("polars not installed: no frames")
else:
    with Diary.sample(300) as diary:
        clocks = diary.due(frame="polars")
        late = clocks.filter(pl.col("state") == "breached").sort("breach_at")
        print("breached clocks:", late.height, "first due", late["breach_at"][0])
        assert clocks.schema["left"] == pl.Duration("ms")

print("python example: ok")
