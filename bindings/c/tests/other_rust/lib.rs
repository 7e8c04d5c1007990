//! A second Rust static library, as another vendor's SDK would be: it brings
//! its own copy of the Rust standard library (allocator shims, panic
//! machinery, formatting). scripts/test-c.sh links it with libmindgap.a into
//! one C program (tests/two_rust_libs.c): only mindgap's localised archive
//! links without duplicate symbols.
use std::panic;

/// Sums the squares below `n` on another thread, formatting on the way, and
/// catches a panic: enough of std to pull in what libmindgap also has.
#[unsafe(no_mangle)]
pub extern "C" fn other_sum_squares(n: u64) -> u64 {
    let text = std::thread::spawn(move || format!("{}", (0..n).map(|x| x * x).sum::<u64>()))
        .join()
        .unwrap_or_default();
    let caught = panic::catch_unwind(|| text.parse::<u64>().unwrap_or(0));
    caught.unwrap_or(0)
}
