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

/// Writes new bytes (freed by mg_bytes_free with their length).
///
/// # Safety
/// `out` and `len_out` are non-NULL and writable.
pub unsafe fn bytes_out(
    bytes: Vec<u8>,
    out: *mut *mut u8,
    len_out: *mut usize,
) -> Result<(), Failure> {
    let boxed = bytes.into_boxed_slice();
    let len = boxed.len();
    // SAFETY: forwarded from the caller.
    unsafe {
        out.write(Box::into_raw(boxed).cast::<u8>());
        len_out.write(len);
    }
    Ok(())
}
