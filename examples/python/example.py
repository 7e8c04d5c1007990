"""mindgap from Python through the C library: the sample's report, a record
added, an error with its code, and accumulators merged.

    MINDGAP_LIB=target/release/libmindgap.so python3 examples/python/example.py
"""
import mindgap
from mindgap import Accumulator, Diary, MindgapError

HOUR = 3_600_000

print("libmindgap", mindgap.version())

with Diary.sample(300) as diary:
    report = diary.run("report")
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

# Two halves merged give the figures of the whole.
values = [HOUR // 2, 2 * HOUR, 2 * HOUR, 4 * HOUR]
with Accumulator(mindgap.LOWER_IS_BETTER, mindgap.MILLISECONDS, HOUR, 3 * HOUR) as whole, \
     Accumulator(mindgap.LOWER_IS_BETTER, mindgap.MILLISECONDS, HOUR, 3 * HOUR) as a, \
     Accumulator(mindgap.LOWER_IS_BETTER, mindgap.MILLISECONDS, HOUR, 3 * HOUR) as b:
    whole.add(values)
    a.add(values[:2])
    b.add(values[2:])
    a.merge(b)
    assert a.figures() == whole.figures()
    print("zone position of the merged halves:", a.figures()["zone_position"])

print("python example: ok")
