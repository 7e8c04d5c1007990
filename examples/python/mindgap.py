"""A thin ctypes wrapper of libmindgap (the C face of mindgap).

    from mindgap import Diary
    with Diary.sample(300) as diary:
        report = diary.run("report")          # a dict, the canonical JSON parsed

Errors raise MindgapError with the library's status code and message. Every
string the library returns is freed with mg_string_free (restype c_void_p,
so the pointer is kept to be handed back); every handle is freed by close()
or by the context manager.

The library is found through $MINDGAP_LIB, else as libmindgap.so.0.
"""
import ctypes
import json
import os
from ctypes import POINTER, byref, c_char_p, c_double, c_int32, c_int64, c_size_t, c_uint32, c_void_p

_lib = ctypes.CDLL(os.environ.get("MINDGAP_LIB", "libmindgap.so.0"))

_lib.mg_version.restype = c_char_p
_lib.mg_status_name.argtypes = [c_int32]
_lib.mg_status_name.restype = c_char_p
_lib.mg_string_free.argtypes = [c_void_p]
_lib.mg_string_free.restype = None
_lib.mg_bytes_free.argtypes = [c_void_p, c_size_t]
_lib.mg_bytes_free.restype = None
_lib.mg_last_error_json.argtypes = [POINTER(c_void_p), POINTER(c_size_t)]
_lib.mg_diary_new_json.argtypes = [c_char_p, c_size_t, c_char_p, c_size_t, c_char_p, c_size_t, POINTER(c_void_p)]
_lib.mg_diary_new_sample.argtypes = [c_size_t, c_char_p, c_size_t, POINTER(c_void_p)]
_lib.mg_diary_free.argtypes = [c_void_p]
_lib.mg_diary_free.restype = None
_lib.mg_diary_read_csv.argtypes = [c_void_p, c_char_p, c_size_t, c_char_p, c_size_t, c_void_p]
_lib.mg_diary_read_jsonl.argtypes = [c_void_p, c_char_p, c_size_t, c_char_p, c_size_t]
_lib.mg_diary_add_json.argtypes = [c_void_p, c_char_p, c_size_t]
_lib.mg_diary_link.argtypes = [c_void_p]
_lib.mg_diary_run.argtypes = [c_void_p, c_char_p, c_size_t, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t)]

class _Str(ctypes.Structure):
    _fields_ = [("ptr", c_char_p), ("len", c_size_t)]


class _Files(ctypes.Structure):
    _fields_ = [("diary", _Str),
                ("interactions", POINTER(_Str)), ("interactions_len", c_size_t),
                ("feedback", POINTER(_Str)), ("feedback_len", c_size_t),
                ("records", POINTER(_Str)), ("records_len", c_size_t)]


_lib.mg_report_files.argtypes = [POINTER(_Files), c_char_p, c_size_t, c_char_p, c_size_t, c_char_p, c_size_t,
                                 POINTER(c_void_p), POINTER(c_size_t), POINTER(c_void_p)]
_lib.mg_accumulator_new.argtypes = [c_uint32, c_uint32, c_int64, c_int64, POINTER(c_void_p)]
_lib.mg_accumulator_free.argtypes = [c_void_p]
_lib.mg_accumulator_free.restype = None
_lib.mg_accumulator_add_many.argtypes = [c_void_p, POINTER(c_int64), c_size_t]
_lib.mg_accumulator_merge.argtypes = [c_void_p, c_void_p]
_lib.mg_accumulator_figures.argtypes = [c_void_p, c_double, POINTER(c_void_p), POINTER(c_size_t)]

LOWER_IS_BETTER, HIGHER_IS_BETTER = 1, 2
MILLISECONDS, MICRO_POINTS, FLAG = 1, 2, 3


class MindgapError(Exception):
    """A failed call: `code` is the status (the core's Error::code for 10+),
    `kind` its name, `location` where in the input (file, line, record…)."""

    def __init__(self, code, kind, message, location):
        super().__init__(message)
        self.code, self.kind, self.location = code, kind, location


def version():
    return _lib.mg_version().decode()


def _take_string(ptr, length):
    """Copies a library string and frees it."""
    try:
        return ctypes.string_at(ptr, length).decode("utf-8")
    finally:
        _lib.mg_string_free(ptr)


def _check(status):
    if status != 0:
        ptr, length = c_void_p(), c_size_t()
        if _lib.mg_last_error_json(byref(ptr), byref(length)) != 0:
            raise MindgapError(status, "unknown", "mindgap failed", {})
        report = json.loads(_take_string(ptr, length.value))
        raise MindgapError(status, report["kind"], report["message"], report["location"])


def _utf8(text):
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return data, len(data)


class _Handle:
    _free = None

    def __init__(self, ptr):
        self._ptr = ptr

    def close(self):
        if self._ptr:
            type(self)._free(self._ptr)
            self._ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    @property
    def _live(self):
        if not self._ptr:
            raise ValueError("closed")
        return self._ptr


class Diary(_Handle):
    """A diary being kept: read files, add records, run any analysis by name."""

    _free = _lib.mg_diary_free

    @classmethod
    def from_json(cls, data, name="diary.json", options=None):
        out = c_void_p()
        _check(_lib.mg_diary_new_json(*_utf8(name), *_utf8(data), *_utf8(json.dumps(options) if options else ""), byref(out)))
        return cls(out)

    @classmethod
    def sample(cls, rows=300, options=None):
        out = c_void_p()
        _check(_lib.mg_diary_new_sample(rows, *_utf8(json.dumps(options) if options else ""), byref(out)))
        return cls(out)

    def read_csv(self, data, name="records.csv"):
        _check(_lib.mg_diary_read_csv(self._live, *_utf8(name), *_utf8(data), None))

    def read_jsonl(self, data, name="records.jsonl"):
        _check(_lib.mg_diary_read_jsonl(self._live, *_utf8(name), *_utf8(data)))

    def add(self, record):
        _check(_lib.mg_diary_add_json(self._live, *_utf8(json.dumps(record))))

    def link(self):
        _check(_lib.mg_diary_link(self._live))

    def run_json(self, what, options=None):
        """The analysis as canonical JSON text (what the CLI prints)."""
        out, length = c_void_p(), c_size_t()
        opts = json.dumps(options) if options else ""
        _check(_lib.mg_diary_run(self._live, *_utf8(what), *_utf8(opts), byref(out), byref(length)))
        return _take_string(out, length.value)

    def run(self, what, options=None):
        return json.loads(self.run_json(what, options))


def report_files(diary, interactions, feedback=(), records=(), what="report", options=None, read=None):
    """The report (or trend) of files on disk, streamed: the interaction CSV
    files are never held. Returns (result dict, skipped records list)."""
    def strs(paths):
        data = [os.fsencode(p) for p in paths]
        return (_Str * max(len(data), 1))(*[_Str(d, len(d)) for d in data]), len(data)
    d = os.fsencode(diary)
    inter, feed, rec = strs(interactions), strs(feedback), strs(records)
    files = _Files(_Str(d, len(d)), inter[0], inter[1], feed[0], feed[1], rec[0], rec[1])
    out, length, skipped = c_void_p(), c_size_t(), c_void_p()
    _check(_lib.mg_report_files(byref(files), *_utf8(what), *_utf8(json.dumps(read) if read else ""),
                                *_utf8(json.dumps(options) if options else ""),
                                byref(out), byref(length), byref(skipped)))
    result = json.loads(_take_string(out, length.value))
    skipped_text = ctypes.string_at(skipped).decode("utf-8")
    _lib.mg_string_free(skipped)
    return result, json.loads(skipped_text)


class Accumulator(_Handle):
    """Exact, mergeable observations of one zone of tolerance."""

    _free = _lib.mg_accumulator_free

    def __init__(self, direction, unit, desired, adequate):
        out = c_void_p()
        _check(_lib.mg_accumulator_new(direction, unit, desired, adequate, byref(out)))
        super().__init__(out)

    def add(self, values):
        arr = (c_int64 * len(values))(*values)
        _check(_lib.mg_accumulator_add_many(self._live, arr, len(values)))

    def merge(self, other):
        _check(_lib.mg_accumulator_merge(self._live, other._live))

    def figures(self, confidence=0.95):
        out, length = c_void_p(), c_size_t()
        _check(_lib.mg_accumulator_figures(self._live, confidence, byref(out), byref(length)))
        return json.loads(_take_string(out, length.value))
