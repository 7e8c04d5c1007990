"""Tidy tables of the analyses, as pandas or Polars data frames.

An analysis result is nested JSON; a table is one of its lists flattened: one
row per item, nested objects spread into columns named by their path
(`gap.missed.share`), the identifying fields of the items it sits in carried
along (a trend point carries its series' `group`). Lists of records nested
deeper are tables of their own (`TABLES`); lists of plain values stay lists.

Columns are typed: whole numbers as integers, numbers as floats, yes/no as
booleans, instants (RFC 3339) as timestamps with a time zone (the diary's),
durations (ISO 8601, `P1DT2H`) as durations, dates (`2026-04-27`) as dates;
a figure the library could not compute is `{"absent": reason}` in the JSON,
so its number columns are missing there and `….absent` holds the reason.

pandas and Polars are optional: `pip install mindgap[pandas]` or
`mindgap[polars]`. `rows()` gives the same table as dicts with neither.
"""
import datetime as dt
import re
from typing import (TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence,
                    Tuple, Union)

if TYPE_CHECKING:  # pragma: no cover - for the type checker only
    import pandas
    import polars

__all__ = ["TABLES", "DEFAULT_TABLE", "rows", "to_frame", "column_kinds", "parse_span"]

Row = Dict[str, Any]
#: A step down into a result: the list's key, then the fields of each of its
#: items carried into the rows below, as (field, column).
Step = Tuple[str, Tuple[Tuple[str, str], ...]]

_STAGE = (("id", "stage"),)
#: Every table of every analysis: the path of lists from the result to the
#: table's rows. The report's default table, "rows", is its stages,
#: expectations and breakdown groups in one frame (see rows()).
TABLES: Dict[str, Dict[str, Tuple[Step, ...]]] = {
    "report": {
        "stages": (("stages", ()),),
        "expectations": (("expectations", ()),),
        "groups": (("breakdowns", (("dimension", "dimension"),)), ("groups", ())),
        "group_expectations": (("breakdowns", (("dimension", "dimension"),)),
                               ("groups", (("key", "group"),)), ("expectations", ())),
        "levels": (("expectations", (("id", "expectation"),)), ("levels", ())),
        "reasons": (("reasons", ()),),
    },
    "trend": {
        "points": (("series", (("group", "group"), ("name", "name"))), ("points", ())),
        "series": (("series", ()),),
        "staleness": (("staleness", ()),),
        "drift": (("drift", ()),),
        "waves": (("drift", (("expectation", "expectation"),)), ("waves", ())),
        "never_observed": (("never_observed", ()),),
    },
    "follow_ups": {
        "follow_ups": (("follow_ups", ()),),
        "history": (("follow_ups", (("feedback", "follow_up"),)), ("history", ())),
        "triggers": (("follow_ups", (("feedback", "follow_up"),)), ("triggers", ())),
    },
    "drill": {
        "records": (("records", ()),),
        "timeline": (("records", (("id", "record"), ("expectation", "expectation"))),
                     ("timeline", ())),
    },
    "people": {
        "people": (("people", ()),),
        "expectations": (("people", (("key", "person"),)), ("expectations", ())),
    },
    "problems": {
        "recurring": (("recurring", ()),),
        "reasons": (("reasons", ()),),
        "records": (("recurring", (("scope", "scope"), ("key", "key"), ("kind", "recurring"),
                                   ("label", "label"))), ("records", ())),
    },
    "due": {
        "clocks": (("clocks", ()),),
    },
}
#: The table a frame holds when none is named.
DEFAULT_TABLE: Dict[str, str] = {
    "report": "rows", "trend": "points", "follow_ups": "follow_ups", "drill": "records",
    "people": "people", "problems": "recurring", "due": "clocks",
}

_INSTANT = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_SPAN = re.compile(
    r"^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def parse_span(text: str) -> Optional[dt.timedelta]:
    """A duration as the library prints it (`P1DT2H30M`, `-PT0.5S`, `PT0S`),
    or None when `text` is not one."""
    m = _SPAN.match(text)
    if not m or text.endswith(("P", "T")):
        return None
    sign, d, h, mi, s = m.groups()
    span = dt.timedelta(days=int(d or 0), hours=int(h or 0), minutes=int(mi or 0),
                        milliseconds=round(float(s or 0) * 1000))
    return -span if sign else span


def parse_instant(text: str) -> dt.datetime:
    """An RFC 3339 instant as the library prints it, timezone-aware."""
    return dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)


def _flatten(value: Mapping[str, Any], prefix: str, out: Row) -> None:
    for key, v in value.items():
        name = prefix + key
        if isinstance(v, dict):
            _flatten(v, name + ".", out)
        else:
            out[name] = v


def _walk(items: Any, steps: Sequence[Step], carried: Row) -> Iterator[Row]:
    if not isinstance(items, list):
        return
    (_, carry), rest = steps[0], steps[1:]
    for item in items:
        if not isinstance(item, dict):
            continue
        if rest:
            below = dict(carried)
            for field, column in carry:
                if field in item:
                    below[column] = item[field]
            yield from _walk(item.get(rest[0][0]), rest, below)
        else:
            row = dict(carried)
            _flatten(item, "", row)
            yield row


def tables(what: str) -> List[str]:
    """The tables of an analysis, its default first."""
    if what not in TABLES:
        raise ValueError(f"{what!r} has no tables; frames are made of "
                         f"{', '.join(sorted(TABLES))}")
    default = DEFAULT_TABLE[what]
    return [default] + [t for t in TABLES[what] if t != default]


def rows(what: str, result: Mapping[str, Any], table: Optional[str] = None) -> List[Row]:
    """The rows of one table of an analysis' result (its default when
    `table` is None), as flat dicts: the frame's content before typing."""
    names = tables(what)
    table = table or names[0]
    if table not in names:
        raise ValueError(f"{what} has no table {table!r}: it has {', '.join(names)}")
    if what == "report" and table == "rows":
        out: List[Row] = []
        for r in rows("report", result, "stages"):
            out.append({"level": "stage", "stage": r.pop("id"), **r})
        for r in rows("report", result, "expectations"):
            out.append({"level": "expectation", "expectation": r.pop("id"), **r})
        for r in rows("report", result, "groups"):
            out.append({"level": "group", "dimension": r.pop("dimension"),
                        "group": r.pop("key"), **r})
        return out
    steps = TABLES[what][table]
    return _plain(list(_walk(result.get(steps[0][0]), steps, {})))


def _plain(data: List[Row]) -> List[Row]:
    """Without the columns that hold lists of records in some row (tables
    of their own); lists of plain values stay."""
    nested = {k for r in data for k, v in r.items()
              if isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v)}
    if nested:
        for r in data:
            for k in nested:
                r.pop(k, None)
    return data


def _columns(data: Sequence[Row]) -> Dict[str, List[Any]]:
    names: Dict[str, None] = {}
    for r in data:
        for k in r:
            names.setdefault(k, None)
    return {n: [r.get(n) for r in data] for n in names}


def column_kinds(data: Sequence[Row]) -> Dict[str, str]:
    """What each column holds: "int", "float", "bool", "instant", "span",
    "date", "str", "list" or "null" (no value at all)."""
    kinds: Dict[str, str] = {}
    for name, values in _columns(data).items():
        present = [v for v in values if v is not None]
        if not present:
            kind = "null"
        elif all(isinstance(v, bool) for v in present):
            kind = "bool"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            kind = "int"
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
            kind = "float"
        elif all(isinstance(v, list) for v in present):
            kind = "list"
        elif all(isinstance(v, str) for v in present):
            if all(_INSTANT.match(v) for v in present):
                kind = "instant"
            elif all(_DATE.match(v) for v in present):
                kind = "date"
            elif all(parse_span(v) is not None for v in present):
                kind = "span"
            else:
                kind = "str"
        else:
            kind = "mixed"
        kinds[name] = kind
    return kinds


def _zone(result: Mapping[str, Any], tz: Optional[Union[str, dt.tzinfo]]) -> Union[str, dt.tzinfo]:
    if tz is not None:
        return tz
    zone = result.get("timezone")
    return zone if isinstance(zone, str) else "UTC"


def _require(library: str) -> Any:
    try:
        if library == "pandas":
            import pandas
            return pandas
        if library == "polars":
            import polars
            return polars
    except ImportError as e:
        raise ImportError(
            f"frame={library!r} needs {library}, which is not installed: "
            f"pip install 'mindgap[{library}]' (or pip install {library})") from e
    raise ValueError(f"frame={library!r}: choose \"pandas\" or \"polars\"")


def to_frame(what: str, result: Mapping[str, Any], library: str = "pandas",
             table: Optional[str] = None, tz: Optional[Union[str, dt.tzinfo]] = None
             ) -> Union["pandas.DataFrame", "polars.DataFrame"]:
    """One table of an analysis' result as a pandas or Polars data frame,
    typed (see the module doc). Instants are shown in `tz`, by default the
    diary's zone when the result names it, else UTC."""
    module = _require(library)
    data = rows(what, result, table)
    zone = _zone(result, tz)
    kinds = column_kinds(data)
    columns = _columns(data)
    frame: Any = (_pandas if library == "pandas" else _polars)(module, columns, kinds, zone)
    return frame  # type: ignore[no-any-return]


def _pandas(pd: Any, columns: Dict[str, List[Any]], kinds: Dict[str, str],
            zone: Union[str, dt.tzinfo]) -> Any:
    out: Dict[str, Any] = {}
    for name, values in columns.items():
        kind = kinds[name]
        if kind == "int":
            out[name] = pd.array(values, dtype="Int64" if None in values else "int64")
        elif kind == "float":
            out[name] = pd.array([float("nan") if v is None else float(v) for v in values],
                                 dtype="float64")
        elif kind == "bool":
            out[name] = pd.array(values, dtype="boolean" if None in values else "bool")
        elif kind == "instant":
            out[name] = pd.to_datetime(
                [None if v is None else parse_instant(v) for v in values], utc=True
            ).tz_convert(zone)
        elif kind == "date":
            out[name] = pd.to_datetime(values, format="%Y-%m-%d")
        elif kind == "span":
            out[name] = pd.to_timedelta(
                [None if v is None else parse_span(v) for v in values])
        elif kind in ("str", "null"):
            out[name] = pd.array(values, dtype="string")
        elif kind == "list":
            out[name] = pd.Series(values, dtype="object").to_numpy()
        else:
            out[name] = pd.Series(values, dtype="object")
    return pd.DataFrame(out, index=pd.RangeIndex(len(next(iter(columns.values()), []))))


def _polars(pl: Any, columns: Dict[str, List[Any]], kinds: Dict[str, str],
            zone: Union[str, dt.tzinfo]) -> Any:
    series = []
    zone_name = zone if isinstance(zone, str) else str(zone)
    for name, values in columns.items():
        kind = kinds[name]
        if kind == "int":
            s = pl.Series(name, values, dtype=pl.Int64)
        elif kind == "float":
            s = pl.Series(name, [None if v is None else float(v) for v in values],
                          dtype=pl.Float64)
        elif kind == "bool":
            s = pl.Series(name, values, dtype=pl.Boolean)
        elif kind == "instant":
            utc = [None if v is None else parse_instant(v).astimezone(dt.timezone.utc)
                   for v in values]
            s = pl.Series(name, utc, dtype=pl.Datetime("us", "UTC")).dt.convert_time_zone(
                zone_name)
        elif kind == "date":
            s = pl.Series(name, [None if v is None else dt.date.fromisoformat(v)
                                 for v in values], dtype=pl.Date)
        elif kind == "span":
            s = pl.Series(name, [None if v is None else parse_span(v) for v in values],
                          dtype=pl.Duration("ms"))
        elif kind in ("str", "null"):
            s = pl.Series(name, values, dtype=pl.Utf8)
        elif kind == "list":
            s = pl.Series(name, values, strict=False)
        else:
            s = pl.Series(name, [None if v is None else str(v) for v in values],
                          dtype=pl.Utf8)
        series.append(s)
    return pl.DataFrame(series)
