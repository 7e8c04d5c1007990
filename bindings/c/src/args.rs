//! Arguments from C, checked: NULL, length and UTF-8; and outputs to C.

use std::ffi::{CString, c_char};

use crate::boundary::{Failure, api};
use crate::status::mg_status::*;

/// A slice from C: `(NULL, 0)` is empty; NULL with a length is an error.
///
/// # Safety
/// Unless NULL, `ptr` points to `len` readable elements that outlive `'a`.
pub unsafe fn slice<'a, T>(ptr: *const T, len: usize, what: &str) -> Result<&'a [T], Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            api(
                MG_NULL_ARGUMENT,
                format!("{what} is NULL with length {len}"),
            )
        };
    }
    let too_long = len
        .checked_mul(size_of::<T>().max(1))
        .is_none_or(|bytes| bytes > isize::MAX as usize);
    if too_long {
        return api(
            MG_LENGTH_OVERFLOW,
            format!("{what}: length {len} is over PTRDIFF_MAX bytes"),
        );
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable elements;
    // the byte length was checked to fit isize.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// A required string: not NULL (even when empty), valid UTF-8.
///
/// # Safety
/// As [`slice`].
pub unsafe fn str_arg<'a>(ptr: *const c_char, len: usize, what: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return api(MG_NULL_ARGUMENT, format!("{what} is NULL"));
    }
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { slice(ptr.cast::<u8>(), len, what) }?;
    utf8(bytes, what)
}

/// An optional string: NULL (with length 0) is `""`.
///
/// # Safety
/// As [`slice`].
pub unsafe fn opt_str_arg<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, Failure> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { slice(ptr.cast::<u8>(), len, what) }?;
    utf8(bytes, what)
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Failure> {
    std::str::from_utf8(bytes).or_else(|e| {
        api(
            MG_INVALID_UTF8_ARGUMENT,
            format!(
                "{what} is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// A handle to read.
///
/// # Safety
/// Unless NULL, `ptr` is a live handle of this type, not mutated during `'a`.
pub unsafe fn handle<'a, T>(ptr: *const T, what: &str) -> Result<&'a T, Failure> {
    // SAFETY: forwarded from the caller.
    match unsafe { ptr.as_ref() } {
        Some(r) => Ok(r),
        None => api(MG_NULL_ARGUMENT, format!("{what} is NULL")),
    }
}

/// A handle to change.
///
/// # Safety
/// Unless NULL, `ptr` is a live handle of this type, used by nobody else
/// during `'a`.
pub unsafe fn handle_mut<'a, T>(ptr: *mut T, what: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: forwarded from the caller.
    match unsafe { ptr.as_mut() } {
        Some(r) => Ok(r),
        None => api(MG_NULL_ARGUMENT, format!("{what} is NULL")),
    }
}

/// Checks a struct version given to an init function.
pub fn known_version(version: u32, current: u32, what: &str) -> Result<(), Failure> {
    if (1..=current).contains(&version) {
        Ok(())
    } else {
        api(
            MG_INVALID_ARGUMENT,
            format!(
                "{what} version {version}: this library ({}) knows versions 1 to {current}",
                env!("CARGO_PKG_VERSION")
            ),
        )
    }
}

/// A versioned struct (its first field a `uint32_t version`) to read: not
/// NULL, and of a version this library knows. The version is read first, on
/// its own, so that a struct of another layout is never read as this one.
/// Versions below `current` would be read by their own (shorter) layout;
/// today every struct has one version.
///
/// # Safety
/// Unless NULL, `ptr` points to a live struct that starts with a `u32`
/// version and is, for a known version, of that version's layout.
pub unsafe fn versioned<'a, T>(ptr: *const T, current: u32, what: &str) -> Result<&'a T, Failure> {
    if ptr.is_null() {
        return api(MG_NULL_ARGUMENT, format!("{what} is NULL"));
    }
    // SAFETY: non-NULL; every versioned struct starts with its u32 version.
    let version = unsafe { ptr.cast::<u32>().read() };
    let name = format!("mg_{what}");
    match version {
        0 => api(
            MG_INVALID_ARGUMENT,
            format!(
                "{what}.version is 0: start the struct from {} (or {name}_init)",
                format!("{name}_INIT").to_uppercase()
            ),
        ),
        v if v > current => api(
            MG_INVALID_ARGUMENT,
            format!(
                "{what}.version {v} is newer than this library ({}) reads (up to {current}): \
                 the program was built with a newer mindgap.h; link it with that library",
                env!("CARGO_PKG_VERSION")
            ),
        ),
        // SAFETY: a known version, so the caller's struct has this layout.
        _ => Ok(unsafe { &*ptr }),
    }
}

/// An out-parameter: must not be NULL. Written later, only on success.
pub fn out<T>(ptr: *mut T, what: &str) -> Result<*mut T, Failure> {
    if ptr.is_null() {
        api(MG_NULL_ARGUMENT, format!("out-parameter {what} is NULL"))
    } else {
        Ok(ptr)
    }
}

/// Writes a new handle.
///
/// # Safety
/// `out` is non-NULL and writable.
pub unsafe fn handle_out<T>(value: T, out: *mut *mut T) -> Result<(), Failure> {
    // SAFETY: forwarded from the caller.
    unsafe { out.write(Box::into_raw(Box::new(value))) };
    Ok(())
}

/// Writes a new string (NUL-terminated, freed by mg_string_free) and,
/// when `len_out` is not NULL, its length without the NUL.
///
/// # Safety
/// `out` is non-NULL and writable; `len_out` is NULL or writable.
pub unsafe fn string_out(
    s: String,
    out: *mut *mut c_char,
    len_out: *mut usize,
) -> Result<(), Failure> {
    let len = s.len();
    let Ok(c) = CString::new(s) else {
        return api(MG_INVALID_ARGUMENT, "the result contains a NUL byte");
    };
    // SAFETY: forwarded from the caller.
    unsafe {
        out.write(c.into_raw());
        if !len_out.is_null() {
            len_out.write(len);
        }
    }
    Ok(())
}

/// Bytes out carry a header before the first byte: their length and a check
/// value, so that mg_bytes_free needs the pointer alone.
const BYTES_HEADER: usize = 16;
/// The header's check value ("mg bytes" in ASCII).
const BYTES_MAGIC: u64 = u64::from_le_bytes(*b"mg bytes");

/// Writes new bytes (freed by mg_bytes_free, the pointer alone).
///
/// # Safety
/// `out` and `len_out` are non-NULL and writable.
pub unsafe fn bytes_out(
    bytes: Vec<u8>,
    out: *mut *mut u8,
    len_out: *mut usize,
) -> Result<(), Failure> {
    let len = bytes.len();
    let mut all = Vec::with_capacity(BYTES_HEADER + len);
    all.extend_from_slice(&(len as u64).to_le_bytes());
    all.extend_from_slice(&BYTES_MAGIC.to_le_bytes());
    all.extend_from_slice(&bytes);
    drop(bytes);
    let boxed = all.into_boxed_slice();
    let start = Box::into_raw(boxed).cast::<u8>();
    // SAFETY: `start` points to BYTES_HEADER + len bytes; the caller's
    // pointers are non-NULL and writable.
    unsafe {
        out.write(start.add(BYTES_HEADER));
        len_out.write(len);
    }
    Ok(())
}

/// Frees bytes written by [`bytes_out`]; NULL does nothing.
///
/// # Safety
/// `bytes` is NULL or a pointer written by [`bytes_out`], not yet freed.
pub unsafe fn bytes_free(bytes: *mut u8) -> Result<(), Failure> {
    if bytes.is_null() {
        return Ok(());
    }
    // SAFETY: bytes_out's pointers have BYTES_HEADER bytes before them.
    let start = unsafe { bytes.sub(BYTES_HEADER) };
    let mut header = [0u8; BYTES_HEADER];
    // SAFETY: as above; read as bytes (no alignment needed).
    unsafe { std::ptr::copy_nonoverlapping(start, header.as_mut_ptr(), BYTES_HEADER) };
    let [
        l0,
        l1,
        l2,
        l3,
        l4,
        l5,
        l6,
        l7,
        m0,
        m1,
        m2,
        m3,
        m4,
        m5,
        m6,
        m7,
    ] = header;
    let len = u64::from_le_bytes([l0, l1, l2, l3, l4, l5, l6, l7]);
    let magic = u64::from_le_bytes([m0, m1, m2, m3, m4, m5, m6, m7]);
    let Some(total) = usize::try_from(len)
        .ok()
        .and_then(|l| l.checked_add(BYTES_HEADER))
        .filter(|_| magic == BYTES_MAGIC)
    else {
        return api(
            MG_INVALID_ARGUMENT,
            "mg_bytes_free: not bytes returned by this library (left alone, not freed)",
        );
    };
    // The check value is cleared so that a second free of the same pointer
    // is more likely to be caught than to free twice.
    // SAFETY: `start` is the start of a live allocation of `total` bytes
    // from Box<[u8]>::into_raw (bytes_out).
    unsafe {
        start.add(8).write_bytes(0, 8);
        drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
            start, total,
        )));
    }
    Ok(())
}
