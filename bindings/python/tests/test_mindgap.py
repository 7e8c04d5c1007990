"""Tests of the Python package `mindgap` (unittest; pytest runs them too).

    MINDGAP_FIXTURES=fixtures python3 -m unittest discover -s bindings/python/tests

The package is imported as installed (from a wheel in scripts/test-c.sh), or
from bindings/python/src with MINDGAP_LIB pointing at a built libmindgap.so.
"""
import datetime as dt
import json
import os
import tempfile
import threading
import unittest
from typing import List, Tuple

import mindgap
from mindgap import Accumulator, Diary, Direction, MindgapError, Unit

FIXTURES = os.environ.get("MINDGAP_FIXTURES") or os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "fixtures")
HOUR = 3_600_000
MSK = dt.timezone(dt.timedelta(hours=3))


def fixture(rel: str) -> str:
    with open(os.path.join(FIXTURES, rel), encoding="utf-8") as f:
        return f.read()


class Versions(unittest.TestCase):
    def test_the_package_and_the_library_agree(self) -> None:
        self.assertEqual(mindgap.version(), mindgap.__version__)
        major, minor, patch = map(int, mindgap.version().split("."))
        self.assertEqual(mindgap.version_number(), major * 10000 + minor * 100 + patch)


class Analyses(unittest.TestCase):
    def test_the_sample_report_is_the_golden_one(self) -> None:
        with Diary.sample(300) as d:
            self.assertEqual(d.report(), json.loads(fixture("golden/sample-300-report.json")))
            self.assertEqual(d.run_json("report") + "\n",
                             fixture("golden/sample-300-report.json"))

    def test_every_analysis_returns_parsed_json(self) -> None:
        with Diary.sample(200) as d:
            self.assertTrue(d.validate()["ok"])
            self.assertIn("series", json.dumps(d.trend()))
            for result in (d.follow_ups(), d.drill(), d.people(), d.problems(), d.due(),
                           d.to_json()):
                self.assertIsInstance(result, (dict, list))
            self.assertEqual(d.to_json()["schema"], "mindgap/1")
            by_week = d.report(by=["week"])
            self.assertNotEqual(by_week, d.report())

    def test_records_by_struct_equal_records_by_json(self) -> None:
        with Diary.sample(0) as a, Diary.sample(0) as b:
            opened = dt.datetime(2026, 1, 5, 10, 0, tzinfo=MSK)
            a.add_interaction("s1", "attraction", "email", opened,
                              first_response_at=opened + dt.timedelta(hours=2), customer="c1")
            b.add({"type": "interaction", "id": "s1", "stage": "attraction", "channel": "email",
                   "opened_at": "2026-01-05T10:00:00+03:00",
                   "first_response_at": "2026-01-05T12:00:00+03:00", "customer": "c1"})
            a.add_feedback("g1", "nps", opened + dt.timedelta(hours=5), score=9,
                           interaction="s1")
            b.add({"type": "feedback", "id": "g1", "kind": "nps", "score": 9,
                   "at": "2026-01-05T15:00:00+03:00", "interaction": "s1"})
            self.assertEqual(a.report(), b.report())
            self.assertEqual(a.to_json(), b.to_json())

    def test_csv_and_jsonl(self) -> None:
        with Diary.sample(0) as d:
            kind = d.read_csv("id,opened_at,first_response_at,resolved_at,channel,stage\n"
                              "c1,2026-10-05T10:00:00+03:00,2026-10-05T10:20:00+03:00,,chat,"
                              "attraction\n", "i.csv")
            self.assertEqual(kind, "interactions")
            d.read_jsonl('{"type": "interaction", "id": "j1", "opened_at": '
                         '"2026-10-05T11:00:00+03:00", "channel": "chat", "stage": "service"}\n')
            d.link()
            self.assertEqual(d.validate()["counts"]["interactions"], 2)


class Errors(unittest.TestCase):
    def test_an_error_carries_code_kind_message_and_location(self) -> None:
        with Diary.sample(10) as d:
            with self.assertRaises(MindgapError) as e:
                d.add({"type": "feedback", "id": "x", "at": "2026-10-30T11:00:00+03:00",
                       "kind": "nps", "score": 6.5, "stage": "service"})
            self.assertEqual((e.exception.code, e.exception.kind), (15, "invalid_value"))
            self.assertEqual(e.exception.location["field"], "score")
            with self.assertRaises(MindgapError) as e:
                d.run("reprot")
            self.assertEqual(e.exception.code, 23)
            self.assertIn("reprot", str(e.exception))
            with self.assertRaises(MindgapError) as e:
                d.read_csv("id,opened_at\nx,2026-01-01T00:00:00Z\n", "bad.csv")
            self.assertEqual(e.exception.kind, "missing_columns")
            self.assertEqual(e.exception.location.get("file"), "bad.csv")

    def test_a_strict_read_that_fails_adds_nothing(self) -> None:
        header = "id,opened_at,first_response_at,resolved_at,channel,stage\n"
        rows = ("p1,2026-10-05T10:00:00+03:00,,,chat,attraction\n"
                "p2,2026-10-05T11:00:00+03:00,,,chat,service\n")
        with Diary.sample(0) as d:
            before = d.to_json()
            with self.assertRaises(MindgapError) as e:
                d.read_csv(header + rows + "p3,yesterday,,,chat,service\n", "more.csv")
            self.assertEqual((e.exception.location.get("line"), e.exception.location.get("record")),
                             (4, "p3"))
            self.assertEqual(d.to_json(), before)
            # The corrected file reads: p1 and p2 were not kept.
            d.read_csv(header + rows + "p3,2026-10-05T12:00:00+03:00,,,chat,service\n", "more.csv")
            self.assertEqual(d.validate()["counts"]["interactions"], 3)

    def test_a_bad_diary_and_bad_arguments(self) -> None:
        with self.assertRaises(MindgapError) as e:
            Diary.from_json("{oops", "mine.json")
        self.assertEqual(e.exception.code, 11)
        with self.assertRaises(ValueError):
            Diary.sample(-1)
        with self.assertRaises(MindgapError) as e:
            Diary.sample(10_000_000)
        self.assertEqual(e.exception.kind, "invalid_argument")

    def test_a_closed_diary_is_refused(self) -> None:
        d = Diary.sample(5)
        d.close()
        d.close()
        with self.assertRaises(ValueError):
            d.report()


class Files(unittest.TestCase):
    def test_report_files_equals_the_diary_loaded_whole(self) -> None:
        with tempfile.TemporaryDirectory() as tmp, Diary.sample(0) as defs:
            diary_path = os.path.join(tmp, "diary.json")
            with open(diary_path, "w") as f:
                f.write(defs.run_json("diary"))
            csv_path = os.path.join(tmp, "interactions.csv")
            with open(csv_path, "w") as f:
                f.write("id,opened_at,first_response_at,resolved_at,channel,stage\n"
                        "c1,2026-10-05T10:00:00+03:00,2026-10-05T10:20:00+03:00,,chat,attraction\n"
                        "c2,2026-10-05T11:00:00+03:00,,,chat,attraction\n")
            streamed, skipped = mindgap.report_files(diary_path, [csv_path])
            with Diary.open(diary_path) as whole:
                whole.read_file(csv_path)
                self.assertEqual(streamed, whole.report())
            self.assertEqual(skipped, [])
            trend, _ = mindgap.report_files(diary_path, [csv_path], what="trend")
            self.assertIn("series", json.dumps(trend))
            # Every other streamed analysis, as the diary loaded whole gives it.
            for what in ("people", "drill", "follow_ups", "problems"):
                got, _ = mindgap.report_files(diary_path, [csv_path], what=what)
                with Diary.open(diary_path) as whole:
                    whole.read_file(csv_path)
                    self.assertEqual(got, whole.run(what), what)
            with self.assertRaises(MindgapError) as e:
                mindgap.report_files(diary_path, [csv_path], what="due")
            self.assertIn("not streamed", str(e.exception))
            with self.assertRaises(MindgapError) as e:
                mindgap.report_files(diary_path, [os.path.join(tmp, "missing.csv")])
            self.assertEqual(e.exception.kind, "io")


class Scoring(unittest.TestCase):
    def test_score_batch(self) -> None:
        r = mindgap.score_batch(Direction.LOWER_IS_BETTER, HOUR, 3 * HOUR,
                                [HOUR // 2, 2 * HOUR, 4 * HOUR], positions=True)
        self.assertEqual((r["exceeded"], r["within"], r["missed"]), (1, 1, 1))
        self.assertEqual(len(r["positions"]), 3)
        self.assertAlmostEqual(r["positions"][1], 0.5)
        with self.assertRaises(MindgapError) as e:
            mindgap.score_batch(Direction.LOWER_IS_BETTER, 3 * HOUR, HOUR, [1])
        self.assertEqual(e.exception.kind, "invalid_option")

    def test_accumulators_merge_and_round_trip(self) -> None:
        values = [HOUR // 2, 2 * HOUR, 2 * HOUR, 4 * HOUR]
        zone = (Direction.LOWER_IS_BETTER, Unit.MILLISECONDS, HOUR, 3 * HOUR)
        with Accumulator(*zone) as whole, Accumulator(*zone) as a, Accumulator(*zone) as b:
            whole.add_many(values)
            self.assertEqual(a.add(values[0]), mindgap.Class.EXCEEDED)
            a.add_many(values[1:2])
            b.add_many(values[2:])
            a.merge(b)
            self.assertEqual(a.figures(), whole.figures())
            whole.add_pending()
            whole.add_missed()
            self.assertEqual(whole.counts(), {"exceeded": 1, "within": 2, "missed": 2,
                                              "pending": 1, "valued": 4})
            data = whole.serialize()
            self.assertTrue(data.startswith(b'{"format"'))
            with Accumulator.deserialize(data) as back:
                self.assertEqual(back.figures(), whole.figures())
                self.assertEqual(back.counts(), whole.counts())
            with self.assertRaises(MindgapError) as e:
                Accumulator.deserialize(b"{nope")
            self.assertEqual(e.exception.code, 11)


class Threads(unittest.TestCase):
    def test_eight_threads_sharing_a_diary_give_the_single_thread_results(self) -> None:
        with Diary.sample(400) as shared, Diary.sample(400) as alone:
            expected = {w: alone.run_json(w) for w in ("report", "trend", "validate")}
            results: List[Tuple[str, str]] = []
            errors: List[Exception] = []

            def work() -> None:
                try:
                    for w in ("report", "trend", "validate", "report"):
                        results.append((w, shared.run_json(w)))
                except Exception as e:  # pragma: no cover - reported below
                    errors.append(e)

            threads = [threading.Thread(target=work) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertEqual(len(results), 32)
            for w, text in results:
                self.assertEqual(text, expected[w], w)

    def test_writers_and_readers_at_once(self) -> None:
        with Diary.sample(50) as shared:
            opened = dt.datetime(2026, 1, 5, 10, 0, tzinfo=MSK)
            errors: List[Exception] = []

            def writer(t: int) -> None:
                try:
                    for k in range(50):
                        shared.add_interaction(f"t{t}-{k}", "service", "chat",
                                               opened + dt.timedelta(minutes=t * 100 + k))
                except Exception as e:  # pragma: no cover
                    errors.append(e)

            def reader() -> None:
                try:
                    for _ in range(10):
                        shared.report()
                except Exception as e:  # pragma: no cover
                    errors.append(e)

            threads = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
            threads += [threading.Thread(target=reader) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertEqual(shared.validate()["counts"]["interactions"], 250)


if __name__ == "__main__":
    unittest.main()
