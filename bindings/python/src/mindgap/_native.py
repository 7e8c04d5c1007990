"""ctypes declarations of libmindgap (bindings/c/include/mindgap.h).

Every function the header declares is declared here with its argument and
result types; returned strings are typed c_void_p so the pointer can be handed
back to mg_string_free (a c_char_p result would be copied and leaked).
"""
import ctypes
import os
from ctypes import (POINTER, Structure, c_char_p, c_double, c_int32, c_int64, c_size_t,
                    c_uint32, c_uint64, c_void_p)

#: The struct layouts this module was written for (the header's MG_*_VERSION).
INTERACTION_VERSION = 1
FEEDBACK_VERSION = 1
FILES_VERSION = 1
#: MG_NO_TIME: an absent time in the record structs.
NO_TIME = -(2 ** 63)
FEEDBACK_HAS_SCORE = 1
FEEDBACK_DISMISSED = 2


def _load() -> ctypes.CDLL:
    path = os.environ.get("MINDGAP_LIB")
    if not path:
        bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libmindgap.so")
        path = bundled if os.path.exists(bundled) else "libmindgap.so"
    return ctypes.CDLL(path)


lib = _load()


class Str(Structure):
    """mg_str: UTF-8 bytes by pointer and length."""
    _fields_ = [("ptr", c_char_p), ("len", c_size_t)]


class Interaction(Structure):
    """mg_interaction, version 1."""
    _fields_ = [("version", c_uint32),
                ("id", Str), ("stage", Str), ("channel", Str), ("touchpoint", Str),
                ("customer", Str), ("employee", Str), ("team", Str), ("status", Str),
                ("category", Str), ("priority", Str),
                ("opened_at_ms", c_int64), ("first_response_at_ms", c_int64),
                ("resolved_at_ms", c_int64), ("utc_offset_minutes", c_int32)]


class Feedback(Structure):
    """mg_feedback, version 1."""
    _fields_ = [("version", c_uint32),
                ("id", Str), ("kind", Str), ("score", c_double), ("scale", c_uint32),
                ("flags", c_uint32), ("reason", Str), ("comment", Str), ("sentiment", Str),
                ("interaction", Str), ("stage", Str), ("touchpoint", Str), ("customer", Str),
                ("at_ms", c_int64), ("utc_offset_minutes", c_int32)]


class Files(Structure):
    """mg_files, version 1."""
    _fields_ = [("version", c_uint32), ("diary", Str),
                ("interactions", POINTER(Str)), ("interactions_len", c_size_t),
                ("feedback", POINTER(Str)), ("feedback_len", c_size_t),
                ("records", POINTER(Str)), ("records_len", c_size_t)]


class BatchResult(Structure):
    """mg_batch_result."""
    _fields_ = [("exceeded", c_uint64), ("within", c_uint64), ("missed", c_uint64),
                ("msa_sum", c_double), ("mss_sum", c_double), ("msa_mean", c_double),
                ("mss_mean", c_double), ("zone_position_mean", c_double)]


class Counts(Structure):
    """mg_counts."""
    _fields_ = [("exceeded", c_uint64), ("within", c_uint64), ("missed", c_uint64),
                ("pending", c_uint64), ("valued", c_uint64)]


_P = c_void_p
_OUT_STR = [POINTER(c_void_p), POINTER(c_size_t)]
_SIGNATURES = {
    "mg_version": ([], c_char_p),
    "mg_version_number": ([], c_uint32),
    "mg_status_name": ([c_int32], c_char_p),
    "mg_string_free": ([_P], None),
    "mg_bytes_free": ([_P], None),
    "mg_last_error_message": (_OUT_STR, c_int32),
    "mg_last_error_json": (_OUT_STR, c_int32),
    "mg_interaction_init": ([POINTER(Interaction), c_uint32], c_int32),
    "mg_feedback_init": ([POINTER(Feedback), c_uint32], c_int32),
    "mg_files_init": ([POINTER(Files), c_uint32], c_int32),
    "mg_diary_new_json": ([c_char_p, c_size_t, c_char_p, c_size_t, c_char_p, c_size_t,
                           POINTER(_P)], c_int32),
    "mg_diary_new_sample": ([c_size_t, c_char_p, c_size_t, POINTER(_P)], c_int32),
    "mg_diary_free": ([_P], None),
    "mg_diary_read_csv": ([_P, c_char_p, c_size_t, c_char_p, c_size_t, POINTER(c_int32)],
                          c_int32),
    "mg_diary_read_jsonl": ([_P, c_char_p, c_size_t, c_char_p, c_size_t], c_int32),
    "mg_diary_add_json": ([_P, c_char_p, c_size_t], c_int32),
    "mg_diary_add_interaction": ([_P, POINTER(Interaction)], c_int32),
    "mg_diary_add_feedback": ([_P, POINTER(Feedback)], c_int32),
    "mg_diary_link": ([_P], c_int32),
    "mg_diary_run": ([_P, c_char_p, c_size_t, c_char_p, c_size_t] + _OUT_STR, c_int32),
    "mg_report_files": ([POINTER(Files), c_char_p, c_size_t, c_char_p, c_size_t, c_char_p,
                         c_size_t] + _OUT_STR + [POINTER(c_void_p)], c_int32),
    "mg_score_batch": ([c_uint32, c_int64, c_int64, POINTER(c_int64), c_size_t,
                        POINTER(c_double), POINTER(BatchResult)], c_int32),
    "mg_accumulator_new": ([c_uint32, c_uint32, c_int64, c_int64, POINTER(_P)], c_int32),
    "mg_accumulator_free": ([_P], None),
    "mg_accumulator_add": ([_P, c_int64, POINTER(c_int32)], c_int32),
    "mg_accumulator_add_many": ([_P, POINTER(c_int64), c_size_t], c_int32),
    "mg_accumulator_add_pending": ([_P], c_int32),
    "mg_accumulator_add_missed": ([_P], c_int32),
    "mg_accumulator_merge": ([_P, _P], c_int32),
    "mg_accumulator_counts": ([_P, POINTER(Counts)], c_int32),
    "mg_accumulator_figures": ([_P, c_double] + _OUT_STR, c_int32),
    "mg_accumulator_serialize": ([_P, POINTER(c_void_p), POINTER(c_size_t)], c_int32),
    "mg_accumulator_deserialize": ([c_char_p, c_size_t, POINTER(_P)], c_int32),
}

for _name, (_args, _res) in _SIGNATURES.items():
    _f = getattr(lib, _name)
    _f.argtypes = _args
    _f.restype = _res
