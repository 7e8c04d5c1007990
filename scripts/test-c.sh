#!/usr/bin/env bash
# The C face of mindgap: builds libmindgap, checks the header, installs it
# into a prefix (scripts/install-c.sh), runs the C test suite three ways
# (plain against the installed static library, AddressSanitizer + UBSan,
# valgrind), links it beside a second Rust static library, checks the SONAME
# and pkg-config, builds and tests the Python package (a wheel installed into
# a fresh virtual environment), fuzzes the parsers and C entry points for a
# few seconds, and runs the C-vs-Rust timing harness.
#
#   scripts/test-c.sh            everything
#   BENCH=0 scripts/test-c.sh    skip the timing harness
#   VALGRIND=0 ...               skip valgrind
#   PYTHON=0 ...                 skip the Python package
#   TSAN=1 ...                   also the thread tests under ThreadSanitizer (nightly, build-std)
#   FUZZ=0 ...                   skip fuzzing (FUZZ_SECONDS=N per target, default 8)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
out="$CARGO_TARGET_DIR/c"
mkdir -p "$out"
step() { printf '\n==> %s\n' "$*"; }
# The golden files are made from the tz data compiled in; the library would
# read the system's database by default (the suite tests that choice itself).
export MINDGAP_TZDATA=compiled
CFLAGS=(-std=c11 -Wall -Wextra -Werror -g -I"$root/bindings/c/include")

step "mindgap-ffi: rustfmt, clippy, Rust tests (header drift, boundary scan, golden report)"
cargo fmt -p mindgap-ffi -- --check
cargo clippy -p mindgap-ffi --all-targets --locked -- -D warnings
cargo test -p mindgap-ffi --locked

step "build libmindgap (release: static and shared) and the Rust bench"
cargo build -p mindgap-ffi --release --locked --lib --example bench
lib="$CARGO_TARGET_DIR/release"
native=$(cargo rustc -p mindgap-ffi --release --locked --lib --crate-type staticlib -- \
  --print native-static-libs 2>&1 | sed -n 's/.*native-static-libs: //p' | tail -1)
echo "native-static-libs: $native"
for l in $native; do
  case "$l" in -lpthread|-ldl|-lm|-lc|-lgcc_s|-lutil|-lrt) ;; *) echo "unexpected native lib $l"; exit 1;; esac
done
STATIC_LIBS=(-lpthread -ldl -lm)

step "install into a prefix (scripts/install-c.sh): header, .so + SONAME links, localised .a, .pc"
prefix="$out/prefix"
rm -rf "$prefix"
scripts/install-c.sh --no-build --prefix "$prefix"
static="$prefix/lib/libmindgap.a"

step "golden invalid inputs → $out/invalid-cases.txt"
python3 bindings/c/tests/fixtures_to_c.py fixtures "$out/invalid-cases.txt"
run_suite() { "$@" "$root/fixtures" "$out/invalid-cases.txt"; }

step "C tests: plain, the installed static library"
gcc "${CFLAGS[@]}" -O1 bindings/c/tests/test_mindgap.c -x none "$static" \
  "${STATIC_LIBS[@]}" -o "$out/test_plain"
run_suite "$out/test_plain"

step "C tests: AddressSanitizer + UBSan"
gcc "${CFLAGS[@]}" -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
  -fno-sanitize-recover=all bindings/c/tests/test_mindgap.c -x none "$static" \
  "${STATIC_LIBS[@]}" -o "$out/test_asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
  run_suite "$out/test_asan"

if [[ "${VALGRIND:-1}" != 0 ]]; then
  step "C tests: valgrind (leak check)"
  MG_TEST_SMALL=1 run_suite valgrind -q --suppressions=bindings/c/valgrind.supp --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$out/test_plain"

  # What the suppression file hides, measured without it: one 48-byte block
  # for the main thread however many reads (not a leak: see
  # tests/thread_handle.c), nothing for threads that exit.
  step "valgrind without suppressions: the main thread's 48 bytes, and nothing from threads"
  gcc "${CFLAGS[@]}" bindings/c/tests/thread_handle.c -x none "$static" "${STATIC_LIBS[@]}" \
    -o "$out/thread_handle"
  for reads in 1 10; do
    lost=$(valgrind --leak-check=full "$out/thread_handle" main "$reads" 2>&1 | sed -n 's/.*possibly lost: //p')
    echo "main thread, $reads reads: possibly lost $lost"
    [[ $lost == "48 bytes in 1 blocks" ]]
  done
  valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
    --error-exitcode=1 "$out/thread_handle" threads 5
  echo "4 threads, 5 reads each: no block left"
fi

# ThreadSanitizer needs the library and the standard library instrumented
# (nightly, -Zbuild-std: a few minutes more), so it is asked for: TSAN=1.
if [[ "${TSAN:-0}" != 0 ]]; then
  step "C thread tests: ThreadSanitizer (library and std built with -Zsanitizer=thread)"
  rustup component add rust-src --toolchain nightly
  RUSTFLAGS="-Zsanitizer=thread" cargo +nightly build -Zbuild-std --target x86_64-unknown-linux-gnu \
    --target-dir "$CARGO_TARGET_DIR/tsan" -p mindgap-ffi --lib
  rt="$(rustc +nightly --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/lib/librustc-nightly_rt.tsan.a"
  # Instrumented by gcc, linked with Rust's TSan runtime (gcc 12's lacks
  # __tsan_memcpy, which LLVM's instrumentation of the library calls).
  gcc "${CFLAGS[@]}" -O1 -fsanitize=thread -c bindings/c/tests/test_mindgap.c -o "$out/test_tsan.o"
  gcc "$out/test_tsan.o" -Wl,--whole-archive "$rt" -Wl,--no-whole-archive -x none \
    "$CARGO_TARGET_DIR/tsan/x86_64-unknown-linux-gnu/debug/libmindgap.a" "${STATIC_LIBS[@]}" \
    -lstdc++ -lrt -o "$out/test_tsan"
  # The small hammer (12 rounds a thread): TSan on a debug build is ~50x slower.
  TSAN_OPTIONS=halt_on_error=1:exitcode=66 MG_TEST_ONLY=threads MG_TEST_SMALL=1 run_suite "$out/test_tsan"
fi

step "two Rust static libraries in one program (libmindgap.a + tests/other_rust/lib.rs)"
rustc --edition 2024 --crate-type staticlib -C opt-level=1 bindings/c/tests/other_rust/lib.rs \
  -o "$out/libother_rust.a"
gcc "${CFLAGS[@]}" bindings/c/tests/two_rust_libs.c -x none "$static" "$out/libother_rust.a" \
  "${STATIC_LIBS[@]}" -o "$out/two_rust_libs"
"$out/two_rust_libs"
gcc "${CFLAGS[@]}" bindings/c/tests/two_rust_libs.c -x none "$out/libother_rust.a" "$static" \
  "${STATIC_LIBS[@]}" -o "$out/two_rust_libs"
"$out/two_rust_libs"
# …which cargo's own archive cannot do: it exports the standard library too.
if gcc "${CFLAGS[@]}" bindings/c/tests/two_rust_libs.c -x none "$lib/libmindgap.a" \
  "$out/libother_rust.a" "${STATIC_LIBS[@]}" -o "$out/two_raw" 2>"$out/two_raw.log"; then
  echo "note: cargo's libmindgap.a linked beside another Rust library this time"
else
  echo "cargo's own libmindgap.a: $(grep -c 'multiple definition' "$out/two_raw.log") multiple definitions (expected)"
fi

step "shared library: SONAME, links, pkg-config (shared and --static)"
version=$(awk -F'"' '/^\[/ { ws = ($0 == "[workspace.package]") }
                     ws && /^version *=/ { print $2; exit }' Cargo.toml)
IFS=. read -r major minor _ <<<"$version"
expected="libmindgap.so.$major"
[[ $major == 0 ]] && expected="libmindgap.so.0.$minor"
soname=$(readelf -d "$lib/libmindgap.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
echo "SONAME: $soname (expected $expected)"
[[ "$soname" == "$expected" ]]
[[ $(readlink "$prefix/lib/libmindgap.so") == "$soname" && -f "$prefix/lib/$soname" ]]
[[ $(readelf -d "$prefix/lib/libmindgap.so.$version" | sed -n 's/.*soname: \[\(.*\)\]/\1/p') == "$soname" ]]
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[[ $(pkg-config --modversion mindgap) == "$version" ]]
echo "pkg-config: mindgap $version, $(pkg-config --cflags --libs mindgap)"

step "example: examples/c/report.c against the installed prefix (pkg-config)"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror examples/c/report.c $(pkg-config --cflags --libs mindgap) \
  -o "$out/report"
[[ $(readelf -d "$out/report" | sed -n 's/.*Shared library: \[\(libmindgap[^]]*\)\]/\1/p') == "$soname" ]]
LD_LIBRARY_PATH="$prefix/lib" "$out/report"
LD_LIBRARY_PATH="$prefix/lib" "$out/report" --json | cmp - fixtures/golden/sample-300-report.json
echo "report --json = fixtures/golden/sample-300-report.json"
LD_LIBRARY_PATH="$prefix/lib" "$out/report" fixtures/diary-small.json | head -3
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror -static-libgcc examples/c/report.c -o "$out/report_static" \
  $(pkg-config --cflags mindgap) -x none "$prefix/lib/libmindgap.a" $(pkg-config --libs-only-l --static mindgap | sed 's/-lmindgap//')
"$out/report_static" --json | cmp - fixtures/golden/sample-300-report.json
if readelf -d "$out/report_static" | grep -q libmindgap; then echo "report_static needs libmindgap.so"; exit 1; fi
echo "static (pkg-config --static) = golden, no libmindgap.so needed"

if [[ "${PYTHON:-1}" != 0 ]]; then
  step "Python package: wheel (bindings/python), fresh venv, unit tests, examples"
  scripts/test-python.sh "$lib/libmindgap.so"
fi

if [[ "${FUZZ:-1}" != 0 ]]; then
  step "fuzzing: each target for ${FUZZ_SECONDS:-8} s (fuzz/, cargo-fuzz on nightly)"
  scripts/fuzz.sh "${FUZZ_SECONDS:-8}"
fi

if [[ "${BENCH:-1}" != 0 ]]; then
  step "timing: C against Rust (ns per value, best of 15 rounds of 1M values)"
  gcc -std=c11 -Wall -Wextra -Werror -O2 -I bindings/c/include benches/c/bench.c -x none \
    "$static" "${STATIC_LIBS[@]}" -o "$out/bench_c"
  "$out/bench_c" > "$out/bench_c.txt"
  "$lib/examples/bench" > "$out/bench_rust.txt"
  join <(sort "$out/bench_c.txt") <(sort "$out/bench_rust.txt") |
    awk '{ r = $2 / $3; printf "%-22s C %7.3f  Rust %7.3f  C/Rust %.3f%s\n", $1, $2, $3, r, (r > 1.10 ? "  (over 10%)" : "") }'
fi

echo
echo "C suites passed"
