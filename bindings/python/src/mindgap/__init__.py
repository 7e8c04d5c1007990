"""mindgap: the gap between what customers expect and what they get.

The Python face of mindgap, over the C library it bundles (libmindgap): the
same analyses, the same canonical JSON (parsed into dicts and lists) and the
same error codes as the `mindgap` command and the C and JavaScript faces.

    import mindgap
    with mindgap.Diary.sample(300) as diary:
        report = diary.report()                       # a dict
        print([s["remark"] for s in report["stages"]])

Errors raise MindgapError, carrying the library's `code` (the core's
Error::code for 10 and up), `kind` and `location`. A Diary may be shared by
threads: the library locks it (changes wait for running analyses; analyses
run together), and the GIL is released while the library works.

With pandas or Polars installed, the analyses also give tidy data frames:
`diary.report(frame="pandas")`, `diary.frame("trend", "polars")` (see
mindgap.frames).
"""
import ctypes
import json
import os
import threading
from ctypes import byref, c_double, c_int32, c_int64, c_size_t, c_void_p
from enum import IntEnum
import datetime as _dt
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence,
                    Literal, Tuple, TypedDict, TypeVar, Union, overload)

from . import _native, frames
from ._native import lib as _lib


if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars

__all__ = [
    "Accumulator", "Class", "Diary", "Direction", "MindgapError", "Unit", "report_files",
    "score_batch", "version", "version_number", "frames", "NO_TIME", "__version__",
    "BatchResult", "Counts", "ErrorLocation", "Frame", "FrameLibrary", "Json", "Validation",
]

__version__ = "0.1.0"
NO_TIME = _native.NO_TIME

#: A parsed analysis result: the core's canonical JSON as dicts and lists.
Json = Dict[str, Any]
Text = Union[str, bytes]
PathLike = Union[str, "os.PathLike[str]"]
#: Which data frame library a frame is made with.
FrameLibrary = Literal["pandas", "polars"]
#: A pandas or Polars data frame.
Frame = Union["pandas.DataFrame", "polars.DataFrame"]
_H = TypeVar("_H", bound="_Handle")


class ErrorLocation(TypedDict, total=False):
    """Where in the input an error is (MindgapError.location)."""
    file: str
    line: int
    column: int
    path: str
    record: str
    field: str
    value: str


class Counts(TypedDict):
    """Observations of an Accumulator by class (Accumulator.counts)."""
    exceeded: int
    within: int
    missed: int
    pending: int
    valued: int


class _BatchBase(TypedDict):
    exceeded: int
    within: int
    missed: int
    msa_sum: float
    mss_sum: float
    msa_mean: float
    mss_mean: float
    zone_position_mean: float


class BatchResult(_BatchBase, total=False):
    """What score_batch returns; `positions` with positions=True."""
    positions: List[float]


class ValidationCounts(TypedDict, total=False):
    stages: int
    expectations: int
    interactions: int
    feedback: int
    observations: int
    follow_ups: int


class Validation(TypedDict):
    """Diary.validate(): whether the diary is sound, what it holds, the
    errors (lenient reads) and notes."""
    ok: bool
    files: List[Json]
    counts: ValidationCounts
    errors: List[Json]
    notes: List[Json]


class Direction(IntEnum):
    """Which way is better (mg_direction)."""
    LOWER_IS_BETTER = 1
    HIGHER_IS_BETTER = 2


class Unit(IntEnum):
    """The unit of a zone's integer values (mg_unit)."""
    MILLISECONDS = 1
    MICRO_POINTS = 2
    FLAG = 3


class Class(IntEnum):
    """Where a value falls in the zone of tolerance (mg_class)."""
    EXCEEDED = 1
    WITHIN = 2
    MISSED = 3


class MindgapError(Exception):
    """A failed call. `code` is the status (1-9 misuse of the API, 10 and up
    the core's Error::code, the same numbers the CLI and JavaScript report),
    `kind` its snake_case name (`invalid_value`…), `message` the library's
    message and `location` where in the input (file, line, record, field…)."""

    def __init__(self, code: int, kind: str, message: str, location: ErrorLocation):
        super().__init__(message)
        self.code = code
        self.kind = kind
        self.message = message
        self.location = location

    def __repr__(self) -> str:
        return f"MindgapError(code={self.code}, kind={self.kind!r}, message={self.message!r})"


def version() -> str:
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return str(_lib.mg_version().decode())


def version_number() -> int:
    """The library's version as MAJOR * 10000 + MINOR * 100 + PATCH."""
    return int(_lib.mg_version_number())


def _take_string(ptr: Any, length: Optional[int] = None) -> str:
    """Copies a string the library returned, then frees it."""
    try:
        if length is None:
            return ctypes.string_at(ptr).decode("utf-8")
        return ctypes.string_at(ptr, length).decode("utf-8")
    finally:
        _lib.mg_string_free(ptr)


def _check(status: int) -> None:
    if status != 0:
        ptr, length = c_void_p(), c_size_t()
        if _lib.mg_last_error_json(byref(ptr), byref(length)) != 0:
            raise MindgapError(status, "unknown", "mindgap failed (no message)", {})
        report = json.loads(_take_string(ptr, length.value))
        raise MindgapError(status, str(report.get("kind", "unknown")),
                           str(report.get("message", "")), report.get("location", {}))


def _bytes(text: Optional[Text]) -> Tuple[Optional[bytes], int]:
    if text is None:
        return None, 0
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return data, len(data)


def _options(options: Optional[Dict[str, Any]]) -> Tuple[Optional[bytes], int]:
    return _bytes(json.dumps(options) if options else None)


class _Handle:
    """An owned library handle: freed by close(), the context manager or the
    garbage collector. Calls hold a use count, so close() from one thread
    waits for the calls running on others."""

    _free: Callable[[Any], None]

    def __init__(self, ptr: Any):
        self._ptr = ptr
        self._uses = 0
        self._cond = threading.Condition()

    def close(self) -> None:
        with self._cond:
            while self._uses:
                self._cond.wait()
            ptr, self._ptr = self._ptr, None
        if ptr:
            type(self)._free(ptr)

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_ptr", None):
            type(self)._free(self._ptr)
            self._ptr = None

    def _call(self, fn: Callable[..., int], *args: Any) -> None:
        """fn(handle, *args), the handle kept alive while it runs."""
        with self._cond:
            if not self._ptr:
                raise ValueError(f"{type(self).__name__} is closed")
            ptr = self._ptr
            self._uses += 1
        try:
            _check(fn(ptr, *args))
        finally:
            with self._cond:
                self._uses -= 1
                self._cond.notify_all()


def _str(value: Optional[str], keep: List[bytes]) -> _native.Str:
    if not value:
        return _native.Str(None, 0)
    data = value.encode("utf-8")
    keep.append(data)
    return _native.Str(data, len(data))


def _ms(value: Any) -> int:
    """A time for the record structs: milliseconds since the epoch (int), a
    timezone-aware datetime, or None (absent)."""
    if value is None:
        return NO_TIME
    if isinstance(value, int):
        return value
    if getattr(value, "tzinfo", None) is None:
        raise ValueError(f"{value!r}: give a timezone-aware datetime or epoch milliseconds")
    return int(value.timestamp() * 1000)


def _offset(*values: Any) -> int:
    for v in values:
        if v is not None and hasattr(v, "utcoffset") and v.utcoffset() is not None:
            return int(v.utcoffset().total_seconds() // 60)
    return 0


class Diary(_Handle):
    """A diary being kept: read files, add records, run any analysis by name.

    Analyses return the core's canonical JSON parsed (dicts and lists), the
    same as `mindgap <analysis> --format json`."""

    _free = _lib.mg_diary_free

    @classmethod
    def from_json(cls, data: Text, name: str = "diary.json",
                  options: Optional[Dict[str, Any]] = None) -> "Diary":
        """A diary from its JSON (schema mindgap/1). `options`: read options,
        {"mode": "strict" | "lenient", "csv": {...}}."""
        out = c_void_p()
        _check(_lib.mg_diary_new_json(*_bytes(name), *_bytes(data), *_options(options),
                                      byref(out)))
        return cls(out)

    @classmethod
    def open(cls, path: PathLike, options: Optional[Dict[str, Any]] = None) -> "Diary":
        """A diary from a JSON file."""
        with open(path, "rb") as f:
            return cls.from_json(f.read(), os.fspath(path), options)

    @classmethod
    def sample(cls, rows: int = 300, options: Optional[Dict[str, Any]] = None) -> "Diary":
        """The built-in sample diary with `rows` generated interactions (0: the
        definitions alone)."""
        if not isinstance(rows, int) or rows < 0:
            raise ValueError(f"rows {rows!r}: a whole number from 0")
        out = c_void_p()
        _check(_lib.mg_diary_new_sample(rows, *_options(options), byref(out)))
        return cls(out)

    def read_csv(self, data: Text, name: str = "records.csv") -> str:
        """Reads CSV records; returns what they were, "interactions" or "feedback"."""
        kind = c_int32()
        self._call(_lib.mg_diary_read_csv, *_bytes(name), *_bytes(data), byref(kind))
        return {1: "interactions", 2: "feedback"}.get(kind.value, "unknown")

    def read_jsonl(self, data: Text, name: str = "records.jsonl") -> None:
        """Reads JSON Lines records ({"type": ...} a line)."""
        self._call(_lib.mg_diary_read_jsonl, *_bytes(name), *_bytes(data))

    def read_file(self, path: PathLike) -> Optional[str]:
        """Reads a record file by its extension: .jsonl/.ndjson as JSON Lines,
        anything else as CSV (then returns its kind)."""
        with open(path, "rb") as f:
            data = f.read()
        name = os.fspath(path)
        if name.endswith((".jsonl", ".ndjson")):
            self.read_jsonl(data, name)
            return None
        return self.read_csv(data, name)

    def add(self, record: Dict[str, Any]) -> None:
        """Adds one record given as a dict ({"type": "interaction", ...})."""
        self._call(_lib.mg_diary_add_json, *_bytes(json.dumps(record)))

    def add_interaction(self, id: str, stage: str, channel: str, opened_at: Any,
                        first_response_at: Any = None, resolved_at: Any = None,
                        utc_offset_minutes: Optional[int] = None, **fields: Optional[str]
                        ) -> None:
        """Adds an interaction through the C struct (no JSON). Times are
        timezone-aware datetimes or epoch milliseconds; the offset defaults to
        opened_at's. Other fields: touchpoint, customer, employee, team,
        status, category, priority."""
        keep: List[bytes] = []
        i = _native.Interaction()
        _check(_lib.mg_interaction_init(byref(i), _native.INTERACTION_VERSION))
        i.id, i.stage, i.channel = _str(id, keep), _str(stage, keep), _str(channel, keep)
        for name, value in fields.items():
            if name not in ("touchpoint", "customer", "employee", "team", "status",
                            "category", "priority"):
                raise TypeError(f"add_interaction: unknown field {name!r}")
            setattr(i, name, _str(value, keep))
        i.opened_at_ms = _ms(opened_at)
        i.first_response_at_ms = _ms(first_response_at)
        i.resolved_at_ms = _ms(resolved_at)
        i.utc_offset_minutes = (utc_offset_minutes if utc_offset_minutes is not None
                                else _offset(opened_at))
        self._call(_lib.mg_diary_add_interaction, byref(i))

    def add_feedback(self, id: str, kind: str, at: Any, score: Optional[float] = None,
                     scale: int = 0, dismissed: bool = False,
                     utc_offset_minutes: Optional[int] = None, **fields: Optional[str]) -> None:
        """Adds a feedback record through the C struct. Other fields: reason,
        comment, sentiment, interaction, stage, touchpoint, customer."""
        keep: List[bytes] = []
        f = _native.Feedback()
        _check(_lib.mg_feedback_init(byref(f), _native.FEEDBACK_VERSION))
        f.id, f.kind = _str(id, keep), _str(kind, keep)
        for name, value in fields.items():
            if name not in ("reason", "comment", "sentiment", "interaction", "stage",
                            "touchpoint", "customer"):
                raise TypeError(f"add_feedback: unknown field {name!r}")
            setattr(f, name, _str(value, keep))
        if score is not None:
            f.score, f.flags = float(score), _native.FEEDBACK_HAS_SCORE
        if dismissed:
            f.flags |= _native.FEEDBACK_DISMISSED
        f.scale = scale
        f.at_ms = _ms(at)
        f.utc_offset_minutes = (utc_offset_minutes if utc_offset_minutes is not None
                                else _offset(at))
        self._call(_lib.mg_diary_add_feedback, byref(f))

    def link(self) -> None:
        """Checks the links of feedback to interactions now (call it once
        everything is read)."""
        self._call(_lib.mg_diary_link)

    def run_json(self, what: str, options: Optional[Dict[str, Any]] = None) -> str:
        """The analysis as canonical JSON text (what the CLI prints)."""
        out, length = c_void_p(), c_size_t()
        self._call(_lib.mg_diary_run, *_bytes(what), *_options(options), byref(out),
                   byref(length))
        return _take_string(out, length.value)

    def run(self, what: str, options: Optional[Dict[str, Any]] = None) -> Json:
        """Any analysis by name, parsed: validate, report, trend, follow_ups,
        drill, people, problems, due, diary, and those the core adds later."""
        result: Json = json.loads(self.run_json(what, options))
        return result

    def validate(self, **options: Any) -> Validation:
        """Whether the diary is sound: {"ok", "files", "counts", "errors", "notes"}."""
        result: Any = self.run("validate", options)
        return result  # type: ignore[no-any-return]

    @overload
    def frame(self, what: str, library: Literal["pandas"] = "pandas",
              table: Optional[str] = None, tz: Optional[Union[str, _dt.tzinfo]] = None,
              **options: Any) -> "pandas.DataFrame": ...

    @overload
    def frame(self, what: str, library: Literal["polars"], table: Optional[str] = None,
              tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any
              ) -> "polars.DataFrame": ...

    def frame(self, what: str, library: FrameLibrary = "pandas", table: Optional[str] = None,
              tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> Frame:
        """An analysis as a tidy pandas or Polars data frame: one row per
        stage, expectation and breakdown group of the report, per period of
        each trend series, per follow-up, drilled record, person, recurring
        problem or clock (`table` names another table of the analysis:
        mindgap.frames.TABLES). Typed columns; instants in `tz`, by default
        the diary's zone. Raises ImportError naming the package to install
        when the library is missing."""
        frames.tables(what)
        frames._require(library)
        result = self.run(what, options)
        return frames.to_frame(what, result, library, table,
                               tz if tz is not None else self._zone())

    def _zone(self) -> str:
        """The diary's time zone (asked once, from a report)."""
        zone = getattr(self, "_timezone", None)
        if zone is None:
            zone = str(self.run("report").get("timezone", "UTC"))
            self._timezone = zone
        return zone

    def _analysis(self, what: str, frame: Optional[FrameLibrary], table: Optional[str],
                  tz: Optional[Union[str, _dt.tzinfo]], options: Dict[str, Any]) -> Any:
        if frame is None:
            if table is not None or tz is not None:
                raise TypeError(f"{what}: table= and tz= go with frame=\"pandas\" or \"polars\"")
            return self.run(what, options)
        return self.frame(what, frame, table, tz, **options)

    @overload
    def report(self, frame: None = None, *, table: None = None, tz: None = None,
            **options: Any) -> Json: ...

    @overload
    def report(self, frame: Literal["pandas"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "pandas.DataFrame": ...

    @overload
    def report(self, frame: Literal["polars"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "polars.DataFrame": ...

    def report(self, frame: Optional[FrameLibrary] = None, table: Optional[str] = None,
               tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> Any:
        """The gap report (options as the CLI's: by=["week"], trend=True…),
        a dict; with frame="pandas" or "polars" a data frame of its stages,
        expectations and breakdown groups (see frame())."""
        return self._analysis("report", frame, table, tz, options)

    @overload
    def trend(self, frame: None = None, *, table: None = None, tz: None = None,
            **options: Any) -> Json: ...

    @overload
    def trend(self, frame: Literal["pandas"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "pandas.DataFrame": ...

    @overload
    def trend(self, frame: Literal["polars"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "polars.DataFrame": ...

    def trend(self, frame: Optional[FrameLibrary] = None, table: Optional[str] = None,
              tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> Any:
        """Trends of the gap and of the expectations (bucket="week"…); a
        frame of the series' points with frame=."""
        return self._analysis("trend", frame, table, tz, options)

    @overload
    def follow_ups(self, frame: None = None, *, table: None = None, tz: None = None,
            **options: Any) -> Json: ...

    @overload
    def follow_ups(self, frame: Literal["pandas"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "pandas.DataFrame": ...

    @overload
    def follow_ups(self, frame: Literal["polars"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "polars.DataFrame": ...

    def follow_ups(self, frame: Optional[FrameLibrary] = None, table: Optional[str] = None,
                   tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> Any:
        """The follow-ups negative feedback opened; a frame of them with frame=."""
        return self._analysis("follow_ups", frame, table, tz, options)

    @overload
    def drill(self, frame: None = None, *, table: None = None, tz: None = None,
            **options: Any) -> Json: ...

    @overload
    def drill(self, frame: Literal["pandas"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "pandas.DataFrame": ...

    @overload
    def drill(self, frame: Literal["polars"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "polars.DataFrame": ...

    def drill(self, frame: Optional[FrameLibrary] = None, table: Optional[str] = None,
              tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> Any:
        """The records behind a figure; a frame of them with frame=."""
        return self._analysis("drill", frame, table, tz, options)

    @overload
    def people(self, frame: None = None, *, table: None = None, tz: None = None,
            **options: Any) -> Json: ...

    @overload
    def people(self, frame: Literal["pandas"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "pandas.DataFrame": ...

    @overload
    def people(self, frame: Literal["polars"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "polars.DataFrame": ...

    def people(self, frame: Optional[FrameLibrary] = None, table: Optional[str] = None,
               tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> Any:
        """Targets met per employee or team; a frame of them with frame=."""
        return self._analysis("people", frame, table, tz, options)

    @overload
    def problems(self, frame: None = None, *, table: None = None, tz: None = None,
            **options: Any) -> Json: ...

    @overload
    def problems(self, frame: Literal["pandas"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "pandas.DataFrame": ...

    @overload
    def problems(self, frame: Literal["polars"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "polars.DataFrame": ...

    def problems(self, frame: Optional[FrameLibrary] = None, table: Optional[str] = None,
                 tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> Any:
        """Recurring problems and reasons; a frame of the recurring ones with frame=."""
        return self._analysis("problems", frame, table, tz, options)

    @overload
    def due(self, frame: None = None, *, table: None = None, tz: None = None,
            **options: Any) -> Json: ...

    @overload
    def due(self, frame: Literal["pandas"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "pandas.DataFrame": ...

    @overload
    def due(self, frame: Literal["polars"], table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> "polars.DataFrame": ...

    def due(self, frame: Optional[FrameLibrary] = None, table: Optional[str] = None,
            tz: Optional[Union[str, _dt.tzinfo]] = None, **options: Any) -> Any:
        """The SLA clocks running and breached; a frame of them with frame=."""
        return self._analysis("due", frame, table, tz, options)

    def to_json(self) -> Json:
        """The diary itself (schema mindgap/1), records included."""
        return self.run("diary")


def _strs(paths: Sequence[PathLike], keep: List[Any]) -> Tuple[Any, int]:
    data = [os.fsencode(p) for p in paths]
    keep.extend(data)
    arr = (_native.Str * max(len(data), 1))(*[_native.Str(d, len(d)) for d in data])
    keep.append(arr)
    return arr, len(data)


def report_files(diary: PathLike,
                 interactions: Sequence[PathLike],
                 feedback: Sequence[PathLike] = (),
                 records: Sequence[PathLike] = (),
                 what: str = "report", options: Optional[Dict[str, Any]] = None,
                 read: Optional[Dict[str, Any]] = None) -> Tuple[Json, List[Json]]:
    """An analysis of files on disk, streamed: the interaction CSV files are
    never held. `what`: report, trend, follow_ups, drill, people or problems.
    Returns (result, records skipped in lenient mode)."""
    if isinstance(interactions, (str, bytes, os.PathLike)):
        raise TypeError("interactions: a list of paths")
    keep: List[Any] = []
    files = _native.Files()
    _check(_lib.mg_files_init(byref(files), _native.FILES_VERSION))
    d = os.fsencode(diary)
    files.diary = _native.Str(d, len(d))
    files.interactions, files.interactions_len = _strs(interactions, keep)
    files.feedback, files.feedback_len = _strs(feedback, keep)
    files.records, files.records_len = _strs(records, keep)
    out, length, skipped = c_void_p(), c_size_t(), c_void_p()
    _check(_lib.mg_report_files(byref(files), *_bytes(what), *_options(read),
                                *_options(options), byref(out), byref(length), byref(skipped)))
    result = json.loads(_take_string(out, length.value))
    return result, json.loads(_take_string(skipped))


def score_batch(direction: Direction, desired: int, adequate: int, values: Sequence[int],
                positions: bool = False) -> BatchResult:
    """Scores integer values (milliseconds, micro-points, 0/1) against the
    zone (desired, adequate): class counts, exact MSA/MSS sums and means, mean
    zone position; with positions=True also each value's position."""
    n = len(values)
    arr = (c_int64 * max(n, 1))(*values)
    pos = (c_double * max(n, 1))() if positions else None
    out = _native.BatchResult()
    _check(_lib.mg_score_batch(int(direction), desired, adequate, arr, n, pos, byref(out)))
    result: Any = {name: getattr(out, name) for name, *_ in _native.BatchResult._fields_}
    if pos is not None:
        result["positions"] = list(pos)[:n]
    return result  # type: ignore[no-any-return]


class Accumulator(_Handle):
    """Exact, mergeable observations of one zone of tolerance: accumulators
    merged from any partition give the whole's figures bit for bit."""

    _free = _lib.mg_accumulator_free

    def __init__(self, direction: Direction, unit: Unit, desired: int, adequate: int):
        out = c_void_p()
        _check(_lib.mg_accumulator_new(int(direction), int(unit), desired, adequate, byref(out)))
        super().__init__(out)

    @classmethod
    def deserialize(cls, data: bytes) -> "Accumulator":
        """An accumulator from serialize()'s bytes."""
        out = c_void_p()
        _check(_lib.mg_accumulator_deserialize(bytes(data), len(data), byref(out)))
        acc = cls.__new__(cls)
        _Handle.__init__(acc, out)
        return acc

    def add(self, value: int) -> Class:
        """Adds an observed value; returns its class."""
        c = c_int32()
        self._call(_lib.mg_accumulator_add, value, byref(c))
        return Class(c.value)

    def add_many(self, values: Iterable[int]) -> None:
        values = list(values)
        arr = (c_int64 * max(len(values), 1))(*values)
        self._call(_lib.mg_accumulator_add_many, arr, len(values))

    def add_pending(self) -> None:
        """An observation not yet due (in no share)."""
        self._call(_lib.mg_accumulator_add_pending)

    def add_missed(self) -> None:
        """A missed observation with no value."""
        self._call(_lib.mg_accumulator_add_missed)

    def merge(self, other: "Accumulator") -> None:
        """Merges `other` into this one (`other` is only read)."""
        with other._cond:
            if not other._ptr:
                raise ValueError("Accumulator is closed")
            other._uses += 1
        try:
            self._call(_lib.mg_accumulator_merge, other._ptr)
        finally:
            with other._cond:
                other._uses -= 1
                other._cond.notify_all()

    def counts(self) -> Counts:
        """Observations by class, pending and valued."""
        out = _native.Counts()
        self._call(_lib.mg_accumulator_counts, byref(out))
        result: Any = {name: getattr(out, name) for name, *_ in _native.Counts._fields_}
        return result  # type: ignore[no-any-return]

    def figures(self, confidence: float = 0.95) -> Json:
        """The gap figures (shares with Wilson intervals, percentiles, MSA,
        MSS, zone position), as the report prints them for one zone."""
        out, length = c_void_p(), c_size_t()
        self._call(_lib.mg_accumulator_figures, c_double(confidence), byref(out), byref(length))
        figures: Json = json.loads(_take_string(out, length.value))
        return figures

    def serialize(self) -> bytes:
        """Bytes to store or send, read back by Accumulator.deserialize."""
        out, length = c_void_p(), c_size_t()
        self._call(_lib.mg_accumulator_serialize, byref(out), byref(length))
        try:
            return ctypes.string_at(out, length.value)
        finally:
            _lib.mg_bytes_free(out)
