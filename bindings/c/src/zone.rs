//! Scoring without JSON: a batch of values against a zone of tolerance, and
//! the core's exact, mergeable accumulator (`mindgap::zone`).
//!
//! Values are integers in the zone's unit: milliseconds for durations,
//! micro-points (1e-6 of a point) for ratings, 0/1 for flags.

use std::ffi::c_char;

use mindgap_core::{Class, Direction, Unit, Zone, ZoneAccumulator};
use mindgap_core::{Error, Location};
use serde::{Deserialize, Serialize};

use crate::args;
use crate::boundary::{Failure, api};
use crate::status::mg_status::{self, *};

/// Which way is better (the `direction` arguments).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mg_direction {
    /// Durations: less is better.
    MG_LOWER_IS_BETTER = 1,
    /// Ratings and flags: more is better.
    MG_HIGHER_IS_BETTER = 2,
}

/// The unit of a zone's integer values (the `unit` arguments).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mg_unit {
    /// Milliseconds (figures in seconds).
    MG_UNIT_MILLISECONDS = 1,
    /// Millionths of a point (figures in points).
    MG_UNIT_MICRO_POINTS = 2,
    /// 1 present, 0 absent.
    MG_UNIT_FLAG = 3,
}

/// Where a value falls in the zone of tolerance.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum mg_class {
    /// At or better than desired.
    MG_EXCEEDED = 1,
    /// Between desired and adequate, adequate included.
    MG_WITHIN = 2,
    /// Worse than adequate.
    MG_MISSED = 3,
}

fn direction(d: u32) -> Result<Direction, Failure> {
    match d {
        1 => Ok(Direction::LowerIsBetter),
        2 => Ok(Direction::HigherIsBetter),
        _ => api(
            MG_INVALID_ARGUMENT,
            format!("direction {d}: expected MG_LOWER_IS_BETTER (1) or MG_HIGHER_IS_BETTER (2)"),
        ),
    }
}

fn unit(u: u32) -> Result<Unit, Failure> {
    match u {
        1 => Ok(Unit::Milliseconds),
        2 => Ok(Unit::MicroPoints),
        3 => Ok(Unit::Flag),
        _ => api(
            MG_INVALID_ARGUMENT,
            format!(
                "unit {u}: expected MG_UNIT_MILLISECONDS (1), MG_UNIT_MICRO_POINTS (2) or MG_UNIT_FLAG (3)"
            ),
        ),
    }
}

/// A zone the core can score: pointing the right way (else the core's
/// `MG_INVALID_OPTION`), and no wider than `i64` can measure (`|A − D|`).
fn checked_zone(
    direction: Direction,
    unit: Unit,
    desired: i64,
    adequate: i64,
) -> Result<Zone, Failure> {
    let zone = Zone::new(direction, unit, desired, adequate)?;
    if adequate
        .checked_sub(desired)
        .and_then(i64::checked_abs)
        .is_none()
    {
        return api(
            MG_INVALID_ARGUMENT,
            format!("zone from {desired} to {adequate} is wider than a 64-bit integer can measure"),
        );
    }
    Ok(zone)
}

fn class(c: Class) -> mg_class {
    match c {
        Class::Exceeded => mg_class::MG_EXCEEDED,
        Class::Within => mg_class::MG_WITHIN,
        Class::Missed => mg_class::MG_MISSED,
    }
}

// ---- batch -------------------------------------------------------------------

/// The result of mg_score_batch. Sums are exact (128-bit) and rounded once
/// to double; means are over the `n` values.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct mg_batch_result {
    /// Values at or better than desired.
    pub exceeded: u64,
    /// Values within the zone.
    pub within: u64,
    /// Values worse than adequate.
    pub missed: u64,
    /// Σ MSA: Σ(A − t) (lower is better) or Σ(P − A), in the values' unit.
    pub msa_sum: f64,
    /// Σ MSS: Σ(D − t) or Σ(P − D).
    pub mss_sum: f64,
    /// Mean MSA (NaN when n = 0).
    pub msa_mean: f64,
    /// Mean MSS (NaN when n = 0).
    pub mss_mean: f64,
    /// Mean zone position, 0 at the adequate edge and 1 at the desired edge
    /// (NaN when n = 0 or desired = adequate).
    pub zone_position_mean: f64,
}

/// The core's batch figures as the C struct (NaN for undefined means).
pub fn score_batch(zone: &Zone, values: &[i64], positions: Option<&mut [f64]>) -> mg_batch_result {
    let b = mindgap_core::batch(zone, values, positions);
    let n = b.n() as f64;
    let zone_position_mean = if b.n() == 0 || zone.width() == 0 {
        f64::NAN
    } else {
        b.msa_sum as f64 / zone.width() as f64 / n
    };
    mg_batch_result {
        exceeded: b.exceeded,
        within: b.within,
        missed: b.missed,
        msa_sum: b.msa_sum as f64,
        mss_sum: b.mss_sum as f64,
        msa_mean: b.msa_mean().unwrap_or(f64::NAN),
        mss_mean: b.mss_mean().unwrap_or(f64::NAN),
        zone_position_mean,
    }
}

/// Scores `n` values against the zone (desired, adequate) in one call: class
/// counts, MSA/MSS sums and means, mean zone position. `values` may be NULL
/// when `n` is 0. `positions` is NULL or a buffer of `n` doubles that
/// receives each value's zone position (NaN when desired = adequate); it is
/// written only on success. A desired level worse than adequate is
/// MG_INVALID_OPTION. Thread safety: pure; call it from any thread.
///
/// # Safety
/// `values` (and `positions`, unless NULL) hold `n` elements; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_score_batch(
    direction: u32,
    desired: i64,
    adequate: i64,
    values: *const i64,
    n: usize,
    positions: *mut f64,
    out: *mut mg_batch_result,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        let zone = checked_zone(
            self::direction(direction)?,
            Unit::Milliseconds,
            desired,
            adequate,
        )?;
        // SAFETY: the caller guarantees `n` readable values.
        let values = unsafe { args::slice(values, n, "values") }?;
        let positions = if positions.is_null() {
            None
        } else {
            // Checked like the values (length), then borrowed mutably.
            // SAFETY: the caller guarantees `n` writable doubles.
            unsafe { args::slice(positions.cast_const(), n, "positions") }?;
            Some(unsafe { std::slice::from_raw_parts_mut(positions, n) })
        };
        let result = score_batch(&zone, values, positions);
        // SAFETY: `out` checked non-NULL.
        unsafe { out.write(result) };
        Ok(())
    })
}

// ---- accumulator -------------------------------------------------------------

/// Observations of one zone (opaque): class counts and every value, exact and
/// mergeable — accumulators merged from any partition, in any order, give
/// the figures of the whole, bit for bit. Freed by mg_accumulator_free.
///
/// Thread safety: any thread, one call at a time for calls that change it
/// (`add*`, `merge` into it); `counts`, `figures`, `serialize` and being the
/// source of a merge only read it, and may run concurrently with each other.
#[derive(Debug, Clone)]
pub struct mg_accumulator {
    acc: ZoneAccumulator,
}

/// Counts of an accumulator.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct mg_counts {
    /// At or better than desired.
    pub exceeded: u64,
    /// Within the zone.
    pub within: u64,
    /// Worse than adequate (with or without a value).
    pub missed: u64,
    /// Not yet due (in no share).
    pub pending: u64,
    /// Observations with a value.
    pub valued: u64,
}

/// A new, empty accumulator for the zone (direction, unit, desired,
/// adequate); desired worse than adequate is MG_INVALID_OPTION.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_new(
    direction: u32,
    unit: u32,
    desired: i64,
    adequate: i64,
    out: *mut *mut mg_accumulator,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        let zone = checked_zone(
            self::direction(direction)?,
            self::unit(unit)?,
            desired,
            adequate,
        )?;
        let acc = mg_accumulator {
            acc: ZoneAccumulator::new(zone),
        };
        // SAFETY: `out` checked non-NULL.
        unsafe { args::handle_out(acc, out) }
    })
}

/// Frees an accumulator. NULL does nothing.
///
/// # Safety
/// `acc` is NULL or a live accumulator, not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_free(acc: *mut mg_accumulator) {
    boundary!(or () => {
        if !acc.is_null() {
            // SAFETY: a live accumulator from Box::into_raw (args::handle_out).
            drop(unsafe { Box::from_raw(acc) });
        }
    })
}

/// Most values an accumulator holds (2^27, 1 GiB of values): adding or
/// merging past it is MG_LENGTH_OVERFLOW and leaves the accumulator as it
/// was, instead of growing until the process runs out of memory (a merge of
/// an accumulator into itself doubles it). Observations without a value
/// (pending, missed without a value) are only counted and have no limit
/// but the counts' (INT64_MAX in all).
pub const MG_ACCUMULATOR_MAX_VALUES: usize = 1 << 27;

/// Checks that adding `more` observations, `more_values` of them with a
/// value, keeps the values within [`MG_ACCUMULATOR_MAX_VALUES`] and the
/// total at most `i64::MAX`. Deserialized and merged accumulators keep both
/// bounds, so the single adds of observations without a value need no check:
/// reaching `u64::MAX` from there would take 2^63 calls.
fn room(acc: &ZoneAccumulator, more: u64, more_values: usize) -> Result<(), Failure> {
    room_for(acc.values().len(), acc.counts(), more, more_values)
}

/// [`room`] on the numbers alone: `values` held, the class `counts`.
pub(crate) fn room_for(
    values: usize,
    counts: (u64, u64, u64, u64),
    more: u64,
    more_values: usize,
) -> Result<(), Failure> {
    if values.saturating_add(more_values) > MG_ACCUMULATOR_MAX_VALUES {
        return api(
            MG_LENGTH_OVERFLOW,
            format!(
                "the accumulator would hold {} values, over its limit of {MG_ACCUMULATOR_MAX_VALUES} \
                 (MG_ACCUMULATOR_MAX_VALUES, 1 GiB); it is left as it was",
                values as u128 + more_values as u128
            ),
        );
    }
    let (e, w, m, p) = counts;
    let total = [e, w, m, p, values as u64]
        .iter()
        .try_fold(more, |t, &c| t.checked_add(c));
    match total {
        Some(t) if t <= i64::MAX as u64 => Ok(()),
        _ => api(
            MG_LENGTH_OVERFLOW,
            "the accumulator's counts would overflow",
        ),
    }
}

/// Adds an observed value; `class_out` (may be NULL) receives its class.
/// The accumulator's MG_ACCUMULATOR_MAX_VALUES-th value is its last:
/// another is MG_LENGTH_OVERFLOW.
///
/// # Safety
/// `acc` is a live accumulator used by no other thread; `class_out` is NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_add(
    acc: *mut mg_accumulator,
    value: i64,
    class_out: *mut mg_class,
) -> mg_status {
    boundary!({
        // SAFETY: the caller's pointer is a live accumulator.
        let a = unsafe { args::handle_mut(acc, "acc") }?;
        room(&a.acc, 1, 1)?;
        let c = a.acc.add(value);
        if !class_out.is_null() {
            // SAFETY: non-NULL and writable per the contract.
            unsafe { class_out.write(class(c)) };
        }
        Ok(())
    })
}

/// Adds `n` observed values (`values` may be NULL when `n` is 0): the same as
/// `n` calls of mg_accumulator_add, in one call. Past
/// MG_ACCUMULATOR_MAX_VALUES values in all: MG_LENGTH_OVERFLOW, and none is
/// added.
///
/// # Safety
/// `acc` is a live accumulator used by no other thread; `values` holds `n`
/// elements.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_add_many(
    acc: *mut mg_accumulator,
    values: *const i64,
    n: usize,
) -> mg_status {
    boundary!({
        // SAFETY (both): the caller's pointers are live and valid.
        let a = unsafe { args::handle_mut(acc, "acc") }?;
        let values = unsafe { args::slice(values, n, "values") }?;
        room(&a.acc, values.len() as u64, values.len())?;
        for &v in values {
            a.acc.add(v);
        }
        Ok(())
    })
}

/// Adds a pending observation (no reply yet, the adequate time not passed):
/// counted apart, in no share.
///
/// # Safety
/// `acc` is a live accumulator used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_add_pending(acc: *mut mg_accumulator) -> mg_status {
    boundary!({
        // SAFETY: the caller's pointer is a live accumulator.
        let a = unsafe { args::handle_mut(acc, "acc") }?;
        a.acc.add_pending();
        Ok(())
    })
}

/// Adds a missed observation with no value (no reply, and the adequate time
/// has passed).
///
/// # Safety
/// `acc` is a live accumulator used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_add_missed(acc: *mut mg_accumulator) -> mg_status {
    boundary!({
        // SAFETY: the caller's pointer is a live accumulator.
        let a = unsafe { args::handle_mut(acc, "acc") }?;
        a.acc.add_missed_without_value();
        Ok(())
    })
}

/// Merges `src` into `dst` (src is only read, and stays yours to free).
/// Different zones are MG_INVALID_OPTION and leave `dst` unchanged. `dst`
/// and `src` may be the same accumulator (its observations are doubled).
/// A merge that would hold more than MG_ACCUMULATOR_MAX_VALUES values is
/// MG_LENGTH_OVERFLOW and leaves `dst` unchanged.
///
/// # Safety
/// Both are live accumulators; nobody else uses `dst` during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_merge(
    dst: *mut mg_accumulator,
    src: *const mg_accumulator,
) -> mg_status {
    boundary!({
        if src.is_null() {
            return api(MG_NULL_ARGUMENT, "src is NULL");
        }
        if std::ptr::eq(dst.cast_const(), src) {
            // SAFETY: a live accumulator; cloned before it is changed.
            let a = unsafe { args::handle_mut(dst, "dst") }?;
            let copy = a.acc.clone();
            room(
                &a.acc,
                copy.values().len() as u64 + total(&copy),
                copy.values().len(),
            )?;
            a.acc.merge(&copy)?;
            return Ok(());
        }
        // SAFETY (both): distinct live accumulators.
        let d = unsafe { args::handle_mut(dst, "dst") }?;
        let s = unsafe { args::handle(src, "src") }?;
        room(
            &d.acc,
            s.acc.values().len() as u64 + total(&s.acc),
            s.acc.values().len(),
        )?;
        d.acc.merge(&s.acc)?;
        Ok(())
    })
}

fn total(a: &ZoneAccumulator) -> u64 {
    let (e, w, m, p) = a.counts();
    e.saturating_add(w).saturating_add(m).saturating_add(p)
}

/// The accumulator's counts.
///
/// # Safety
/// `acc` is a live accumulator; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_counts(
    acc: *const mg_accumulator,
    out: *mut mg_counts,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        // SAFETY: the caller's pointer is a live accumulator.
        let a = unsafe { args::handle(acc, "acc") }?;
        let (exceeded, within, missed, pending) = a.acc.counts();
        let counts = mg_counts {
            exceeded,
            within,
            missed,
            pending,
            valued: a.acc.values().len() as u64,
        };
        // SAFETY: `out` checked non-NULL.
        unsafe { out.write(counts) };
        Ok(())
    })
}

/// The gap figures as JSON (the core's `GapFigures`: shares with Wilson
/// intervals at `confidence`, percentiles, mean, MSA, MSS, zone position; in
/// seconds or points), the same numbers the report prints for one zone.
/// `confidence` is in (0, 1), e.g. 0.95. Free `*out` with mg_string_free.
///
/// # Safety
/// `acc` is a live accumulator; `out` is writable; `len_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_figures(
    acc: *const mg_accumulator,
    confidence: f64,
    out: *mut *mut c_char,
    len_out: *mut usize,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        // SAFETY: the caller's pointer is a live accumulator.
        let a = unsafe { args::handle(acc, "acc") }?;
        if !(confidence > 0.0 && confidence < 1.0) {
            return api(
                MG_INVALID_ARGUMENT,
                format!("confidence {confidence}: expected a number between 0 and 1, like 0.95"),
            );
        }
        let figures = mindgap_core::figures(&[&a.acc], confidence);
        let json = mindgap_core::api::to_json(&figures);
        // SAFETY: `out` checked non-NULL; `len_out` NULL or writable.
        unsafe { args::string_out(json, out, len_out) }
    })
}

/// The serialized form: a versioned JSON envelope.
const FORMAT: &str = "mindgap.accumulator/1";

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'a str,
    accumulator: &'a ZoneAccumulator,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvelopeIn {
    format: String,
    accumulator: ZoneAccumulator,
}

/// The accumulator as bytes, to store or send to another process and read
/// back with mg_accumulator_deserialize (today UTF-8 JSON,
/// `{"format": "mindgap.accumulator/1", …}`; treat it as opaque). Free
/// `*out` with mg_bytes_free(*out).
///
/// # Safety
/// `acc` is a live accumulator; `out` and `len_out` are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_serialize(
    acc: *const mg_accumulator,
    out: *mut *mut u8,
    len_out: *mut usize,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        let len_out = args::out(len_out, "len_out")?;
        // SAFETY: the caller's pointer is a live accumulator.
        let a = unsafe { args::handle(acc, "acc") }?;
        let bytes = serde_json::to_vec(&EnvelopeOut {
            format: FORMAT,
            accumulator: &a.acc,
        })
        .or_else(|e| api(MG_INVALID_ARGUMENT, format!("cannot serialize: {e}")))?;
        // SAFETY: both checked non-NULL.
        unsafe { args::bytes_out(bytes, out, len_out) }
    })
}

fn bad_bytes(message: String) -> Failure {
    Failure::Core(Error::Mismatch {
        at: Location::default().with_path("accumulator"),
        message: message.into(),
    })
}

/// Checks what serde cannot: the zone points the right way, and every value
/// is counted in its class.
fn check(acc: &ZoneAccumulator) -> Result<(), Failure> {
    let z = acc.zone;
    checked_zone(z.direction, z.unit, z.desired, z.adequate)?;
    let (e, w, m, p) = acc.counts();
    let (mut ve, mut vw, mut vm) = (0u64, 0u64, 0u64);
    for v in acc.values() {
        match z.classify(v) {
            Class::Exceeded => ve += 1,
            Class::Within => vw += 1,
            Class::Missed => vm += 1,
        }
    }
    if ve != e || vw != w || vm > m {
        return Err(bad_bytes(format!(
            "counts (exceeded {e}, within {w}, missed {m}) do not match the values \
             (exceeded {ve}, within {vw}, missed {vm}); only missed may have no value"
        )));
    }
    if acc.values().len() > MG_ACCUMULATOR_MAX_VALUES {
        return Err(bad_bytes(format!(
            "{} values, over the limit of {MG_ACCUMULATOR_MAX_VALUES} (MG_ACCUMULATOR_MAX_VALUES)",
            acc.values().len()
        )));
    }
    if [e, w, m, p]
        .iter()
        .try_fold(0u64, |t, &c| t.checked_add(c))
        .is_none_or(|t| t > i64::MAX as u64)
    {
        return Err(bad_bytes("counts are too large".into()));
    }
    Ok(())
}

/// Reads an accumulator from mg_accumulator_serialize's bytes. Malformed
/// bytes are MG_SYNTAX (with the column), a wrong shape or inconsistent counts
/// MG_MISMATCH, an inverted zone MG_INVALID_OPTION. On success `*out` is a
/// new accumulator to free with mg_accumulator_free.
///
/// # Safety
/// `bytes` holds `len` bytes; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mg_accumulator_deserialize(
    bytes: *const u8,
    len: usize,
    out: *mut *mut mg_accumulator,
) -> mg_status {
    boundary!({
        let out = args::out(out, "out")?;
        if bytes.is_null() {
            return api(MG_NULL_ARGUMENT, "bytes is NULL");
        }
        // SAFETY: the caller guarantees `len` readable bytes.
        let bytes = unsafe { args::slice(bytes, len, "bytes") }?;
        let envelope: EnvelopeIn = serde_json::from_slice(bytes).map_err(|e| {
            let message = e.to_string();
            if e.is_syntax() || e.is_eof() {
                Failure::Core(Error::Syntax {
                    at: Location::default().with_path("accumulator"),
                    message: message.into(),
                })
            } else {
                bad_bytes(message)
            }
        })?;
        if envelope.format != FORMAT {
            return Err(bad_bytes(format!(
                "format {:?}: this version of mindgap reads {FORMAT:?}",
                envelope.format
            )));
        }
        check(&envelope.accumulator)?;
        let acc = mg_accumulator {
            acc: envelope.accumulator,
        };
        // SAFETY: `out` checked non-NULL.
        unsafe { args::handle_out(acc, out) }
    })
}
