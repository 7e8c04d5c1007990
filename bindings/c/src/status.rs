//! Status codes: 0 is success, 1–9 misuses of the C API, 10 and up the core's
//! own error codes (`mindgap::Error::code`), the same numbers the CLI and the
//! JavaScript package report. Codes are never reused.

use mindgap_core::Error;

/// The result of every fallible function. Values are stable and never reused;
/// 10 and up are the core's error codes (`mindgap::Error::code()`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mg_status {
    /// Success.
    MG_OK = 0,
    /// A pointer argument that must not be NULL was NULL.
    MG_NULL_ARGUMENT = 1,
    /// A string argument is not valid UTF-8.
    MG_INVALID_UTF8_ARGUMENT = 2,
    /// A panic inside the library was caught (a bug: please report it).
    MG_PANIC = 3,
    /// An argument is out of its range (unknown enum value, confidence not in
    /// (0, 1), unknown flag bits, too many sample rows…).
    MG_INVALID_ARGUMENT = 4,
    /// A length is too large (over PTRDIFF_MAX) or a count would overflow.
    MG_LENGTH_OVERFLOW = 5,
    /// An error of the core with a code this header does not know (a newer
    /// core); the last error's JSON carries its code.
    MG_UNKNOWN_ERROR = 9,
    /// Reading failed (core code 10).
    MG_IO = 10,
    /// Malformed JSON, CSV or JSON Lines (11).
    MG_SYNTAX = 11,
    /// Unknown diary schema version (12).
    MG_UNKNOWN_SCHEMA = 12,
    /// Required CSV columns are missing (13).
    MG_MISSING_COLUMNS = 13,
    /// Input data (a diary, a CSV file…) is not valid UTF-8 (14).
    MG_INVALID_UTF8 = 14,
    /// A value could not be parsed or is out of its range (15).
    MG_INVALID_VALUE = 15,
    /// A required field is absent or empty (16).
    MG_MISSING_FIELD = 16,
    /// A field the format does not know (17).
    MG_UNKNOWN_FIELD = 17,
    /// A reference to a stage, touchpoint, interaction… that does not exist (18).
    MG_UNKNOWN_REFERENCE = 18,
    /// Two records of one kind share an id (19).
    MG_DUPLICATE = 19,
    /// Desired level worse than adequate (20).
    MG_INVERTED_ZONE = 20,
    /// Timestamps out of order (21).
    MG_OUT_OF_ORDER = 21,
    /// A business calendar that cannot work (22).
    MG_CALENDAR = 22,
    /// Invalid options, unknown analysis name, mismatched zones (23).
    MG_INVALID_OPTION = 23,
    /// Several errors (24).
    MG_MANY = 24,
    /// A value does not fit the schema (wrong type, unknown name…) (25).
    MG_MISMATCH = 25,
    /// A fault of the library itself, not of the input (a bug: please
    /// report it) (26).
    MG_INTERNAL = 26,
}

use mg_status::*;

/// Every status, for names and tests.
pub const ALL: &[(mg_status, &str, &str)] = &[
    (MG_OK, "MG_OK\0", "ok"),
    (MG_NULL_ARGUMENT, "MG_NULL_ARGUMENT\0", "null_argument"),
    (
        MG_INVALID_UTF8_ARGUMENT,
        "MG_INVALID_UTF8_ARGUMENT\0",
        "invalid_utf8_argument",
    ),
    (MG_PANIC, "MG_PANIC\0", "panic"),
    (
        MG_INVALID_ARGUMENT,
        "MG_INVALID_ARGUMENT\0",
        "invalid_argument",
    ),
    (
        MG_LENGTH_OVERFLOW,
        "MG_LENGTH_OVERFLOW\0",
        "length_overflow",
    ),
    (MG_UNKNOWN_ERROR, "MG_UNKNOWN_ERROR\0", "unknown_error"),
    (MG_IO, "MG_IO\0", "io"),
    (MG_SYNTAX, "MG_SYNTAX\0", "syntax"),
    (MG_UNKNOWN_SCHEMA, "MG_UNKNOWN_SCHEMA\0", "unknown_schema"),
    (
        MG_MISSING_COLUMNS,
        "MG_MISSING_COLUMNS\0",
        "missing_columns",
    ),
    (MG_INVALID_UTF8, "MG_INVALID_UTF8\0", "invalid_utf8"),
    (MG_INVALID_VALUE, "MG_INVALID_VALUE\0", "invalid_value"),
    (MG_MISSING_FIELD, "MG_MISSING_FIELD\0", "missing_field"),
    (MG_UNKNOWN_FIELD, "MG_UNKNOWN_FIELD\0", "unknown_field"),
    (
        MG_UNKNOWN_REFERENCE,
        "MG_UNKNOWN_REFERENCE\0",
        "unknown_reference",
    ),
    (MG_DUPLICATE, "MG_DUPLICATE\0", "duplicate"),
    (MG_INVERTED_ZONE, "MG_INVERTED_ZONE\0", "inverted_zone"),
    (MG_OUT_OF_ORDER, "MG_OUT_OF_ORDER\0", "out_of_order"),
    (MG_CALENDAR, "MG_CALENDAR\0", "calendar"),
    (MG_INVALID_OPTION, "MG_INVALID_OPTION\0", "invalid_option"),
    (MG_MANY, "MG_MANY\0", "many"),
    (MG_MISMATCH, "MG_MISMATCH\0", "mismatch"),
    (MG_INTERNAL, "MG_INTERNAL\0", "internal"),
];

/// The status of a core error: its code.
pub fn of_core(e: &Error) -> mg_status {
    from_code(e.code())
}

/// The status with this core code, or `MG_UNKNOWN_ERROR`.
pub fn from_code(code: u32) -> mg_status {
    ALL.iter()
        .find(|(s, _, _)| *s as u32 == code && code >= 10)
        .map_or(MG_UNKNOWN_ERROR, |(s, _, _)| *s)
}

/// The NUL-terminated name of a status value.
pub fn name(status: i32) -> &'static str {
    ALL.iter()
        .find(|(s, _, _)| *s as i32 == status)
        .map_or("MG_UNKNOWN_STATUS\0", |(_, n, _)| n)
}

/// The snake_case kind of a status, as in the core's error reports.
pub fn kind(status: mg_status) -> &'static str {
    ALL.iter()
        .find(|(s, _, _)| *s == status)
        .map_or("unknown_error", |(_, _, k)| k)
}
