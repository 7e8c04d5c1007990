"""Data frames of the analyses (mindgap.frames) against the dicts they come
from: every table of every analysis, in pandas and in Polars, cell by cell,
with the column types the module promises.

The pandas and Polars tests are skipped when the library is missing, unless
MINDGAP_REQUIRE_FRAMES=1 (scripts/test-python.sh installs both and sets it).
"""
import datetime as dt
import importlib.util
import math
import os
import sys
import unittest
from typing import Any, Callable, Dict, List, Optional, TypeVar
from unittest import mock

from mindgap import Diary, frames

REQUIRED = os.environ.get("MINDGAP_REQUIRE_FRAMES") == "1"
HAVE = {lib: importlib.util.find_spec(lib) is not None for lib in ("pandas", "polars")}
ANALYSES = ["report", "trend", "follow_ups", "drill", "people", "problems", "due"]
#: Options that give every table rows in the sample: breakdowns for the
#: report's groups, two records a problem.
OPTIONS: Dict[str, Dict[str, Any]] = {"report": {"by": ["week", "channel"]},
                                      "problems": {"min_count": 2}}
#: Tables the sample leaves empty (every expectation is observed).
EMPTY = {("trend", "never_observed")}
MOSCOW = dt.timezone(dt.timedelta(hours=3))

_results: Dict[str, Dict[str, Any]] = {}


def result(what: str) -> Dict[str, Any]:
    """The sample's analysis (300 interactions), computed once."""
    if what not in _results:
        with Diary.sample(300) as d:
            _results[what] = d.run(what, OPTIONS.get(what))
    return _results[what]


_F = TypeVar("_F", bound=Callable[..., Any])


def needs(lib: str) -> Callable[[_F], _F]:
    """Skips a test when `lib` is missing, unless frames are required."""
    if HAVE[lib] or REQUIRED:
        return lambda f: f
    return unittest.skip(f"{lib} is not installed")


def same(frame_value: Any, json_value: Any, kind: str) -> bool:
    """Whether a frame's cell holds the JSON value, by the column's kind."""
    missing = frame_value is None or (isinstance(frame_value, float) and math.isnan(frame_value))
    if json_value is None:
        return missing or str(frame_value) in ("NaT", "<NA>", "nan")
    if kind == "instant":
        return bool(frame_value == frames.parse_instant(json_value))
    if kind == "span":
        return bool(frame_value == frames.parse_span(json_value))
    if kind == "date":
        day = dt.date.fromisoformat(json_value)
        return bool(getattr(frame_value, "date", lambda: frame_value)() == day)
    if kind == "list":
        return bool(list(frame_value) == json_value)
    if kind == "float":
        return math.isclose(float(frame_value), float(json_value), rel_tol=0, abs_tol=0)
    return bool(frame_value == json_value)


class Rows(unittest.TestCase):
    """The tables as dicts: no pandas or Polars needed."""

    def test_every_table_has_the_rows_of_its_lists(self) -> None:
        report = result("report")
        table = frames.rows("report", report)
        groups = sum(len(b["groups"]) for b in report["breakdowns"])
        self.assertGreater(groups, 0)
        self.assertEqual(len(table), len(report["stages"]) + len(report["expectations"]) + groups)
        self.assertEqual([r["level"] for r in table[:len(report["stages"])]],
                         ["stage"] * len(report["stages"]))
        first = report["stages"][0]
        self.assertEqual(table[0]["stage"], first["id"])
        self.assertEqual(table[0]["gap.missed.share"], first["gap"]["missed"]["share"])
        trend = result("trend")
        points = frames.rows("trend", trend)
        self.assertEqual(len(points), sum(len(s["points"]) for s in trend["series"]))
        self.assertEqual(points[0]["group"], trend["series"][0]["group"])
        history = frames.rows("follow_ups", result("follow_ups"), "history")
        self.assertEqual(len(history), sum(len(f["history"])
                                           for f in result("follow_ups")["follow_ups"]))
        for what in ANALYSES:
            for name in frames.tables(what):
                data = frames.rows(what, result(what), name)
                if (what, name) not in EMPTY:
                    self.assertGreater(len(data), 0, f"{what} {name}")
                for row in data:
                    for key, value in row.items():
                        self.assertFalse(isinstance(value, dict), f"{what} {name} {key}")
                        self.assertFalse(isinstance(value, list) and value
                                         and isinstance(value[0], dict), f"{what} {name} {key}")

    def test_column_kinds(self) -> None:
        kinds = frames.column_kinds(frames.rows("due", result("due")))
        self.assertEqual(kinds["breach_at"], "instant")
        self.assertEqual(kinds["left"], "span")
        self.assertEqual(kinds["paused"], "bool")
        self.assertEqual(frames.column_kinds(frames.rows("trend", result("trend")))["period"],
                         "date")
        report = frames.column_kinds(frames.rows("report", result("report")))
        self.assertEqual((report["gap.n"], report["gap.missed.share"]), ("int", "float"))

    def test_spans_as_the_library_prints_them(self) -> None:
        self.assertEqual(frames.parse_span("P1DT2H30M"), dt.timedelta(days=1, hours=2,
                                                                      minutes=30))
        self.assertEqual(frames.parse_span("-PT0.5S"), dt.timedelta(milliseconds=-500))
        self.assertEqual(frames.parse_span("PT0S"), dt.timedelta(0))
        for bad in ("P", "PT", "P1DT", "1D", "P1M", "PT1H1H", "chat"):
            self.assertIsNone(frames.parse_span(bad), bad)

    def test_unknown_tables_and_libraries_are_named(self) -> None:
        with self.assertRaises(ValueError) as e:
            frames.rows("trend", result("trend"), "pointz")
        self.assertIn("points", str(e.exception))
        with self.assertRaises(ValueError) as e:
            frames.tables("validate")
        self.assertIn("report", str(e.exception))
        with Diary.sample(5) as d:
            with self.assertRaises(ValueError) as e:
                d.frame("report", "excel")  # type: ignore[call-overload]
            self.assertIn("polars", str(e.exception))
            with self.assertRaises(TypeError):
                d.report(table="stages")  # type: ignore[call-overload]

    def test_a_missing_library_says_what_to_install(self) -> None:
        with Diary.sample(5) as d:
            for lib in ("pandas", "polars"):
                with mock.patch.dict(sys.modules, {lib: None}):
                    with self.assertRaises(ImportError) as e:
                        d.report(frame=lib)
                    self.assertIn(f"pip install 'mindgap[{lib}]'", str(e.exception))


class Frames(unittest.TestCase):
    def check(self, lib: str, what: str, name: str, frame: Any) -> None:
        data = frames.rows(what, result(what), name)
        kinds = frames.column_kinds(data)
        if lib == "pandas":
            records: List[Dict[str, Any]] = frame.to_dict("records")
            columns = list(frame.columns)
        else:
            records = frame.to_dicts()
            columns = frame.columns
        self.assertEqual(len(records), len(data), f"{lib} {what} {name}")
        self.assertEqual(columns, list(kinds), f"{lib} {what} {name}")
        for i, (got, want) in enumerate(zip(records, data)):
            for column, kind in kinds.items():
                self.assertTrue(same(got[column], want.get(column), kind),
                                f"{lib} {what} {name} row {i} {column}: "
                                f"{got[column]!r} != {want.get(column)!r}")

    @needs("pandas")
    def test_pandas_frames_equal_the_dicts(self) -> None:
        import pandas as pd
        with Diary.sample(300) as d:
            for what in ANALYSES:
                for name in frames.tables(what):
                    frame = d.frame(what, "pandas", name, **OPTIONS.get(what, {}))
                    self.assertIsInstance(frame, pd.DataFrame)
                    self.check("pandas", what, name, frame)
            report = d.report(frame="pandas", **OPTIONS["report"])
            due = d.due(frame="pandas")
            points = d.trend(frame="pandas")
        self.assertEqual(str(report["gap.n"].dtype), "int64")
        self.assertEqual(str(report["gap.missed.share"].dtype), "float64")
        self.assertEqual(str(due["breach_at"].dt.tz), "Europe/Moscow")
        self.assertTrue(str(due["left"].dtype).startswith("timedelta64"))
        self.assertEqual(str(due["paused"].dtype), "bool")
        self.assertTrue(str(points["period"].dtype).startswith("datetime64"))
        stage = report[report["level"] == "stage"].iloc[0]
        first = result("report")["stages"][0]
        self.assertEqual(stage["stage"], first["id"])
        self.assertEqual(stage["gap.missed.share"], first["gap"]["missed"]["share"])
        clock = result("due")["clocks"][0]
        self.assertEqual(due["breach_at"][0].isoformat(), clock["breach_at"])

    @needs("polars")
    def test_polars_frames_equal_the_dicts(self) -> None:
        import polars as pl
        with Diary.sample(300) as d:
            for what in ANALYSES:
                for name in frames.tables(what):
                    frame = d.frame(what, "polars", name, **OPTIONS.get(what, {}))
                    self.assertIsInstance(frame, pl.DataFrame)
                    self.check("polars", what, name, frame)
            report = d.report(frame="polars", **OPTIONS["report"])
            due = d.due(frame="polars", tz="UTC")
            follow = d.follow_ups(frame="polars")
        self.assertEqual(report.schema["gap.n"], pl.Int64)
        self.assertEqual(report.schema["gap.missed.share"], pl.Float64)
        self.assertEqual(due.schema["breach_at"], pl.Datetime("us", "UTC"))
        self.assertEqual(due.schema["left"], pl.Duration("ms"))
        self.assertEqual(follow.schema["at"], pl.Datetime("us", "Europe/Moscow"))
        groups = report.filter(pl.col("level") == "group")
        self.assertEqual(groups.height, sum(len(b["groups"])
                                            for b in result("report")["breakdowns"]))
        first = result("follow_ups")["follow_ups"][0]
        self.assertEqual(follow["interaction.id"][0], first["interaction"]["id"])
        at: Optional[dt.datetime] = follow["at"][0]
        assert at is not None
        self.assertEqual(at.astimezone(MOSCOW).isoformat(), first["at"])

    @needs("pandas")
    def test_an_empty_table_is_an_empty_frame(self) -> None:
        with Diary.sample(0) as d:
            frame = d.follow_ups(frame="pandas")
        self.assertEqual(frame.shape[0], 0)


if __name__ == "__main__":
    unittest.main()
