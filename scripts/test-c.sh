#!/usr/bin/env bash
# The C face of mindgap: builds libmindgap, checks the header, runs the C test
# suite three ways (plain against the static library, AddressSanitizer +
# UBSan, valgrind), the C and Python examples against the shared library
# (SONAME, pkg-config), and the C-vs-Rust timing harness.
#
#   scripts/test-c.sh            everything
#   BENCH=0 scripts/test-c.sh    skip the timing harness
#   VALGRIND=0 ...               skip valgrind
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

step "golden invalid inputs → $out/invalid-cases.txt"
python3 bindings/c/tests/fixtures_to_c.py fixtures "$out/invalid-cases.txt"
run_suite() { "$@" "$root/fixtures" "$out/invalid-cases.txt"; }

step "C tests: plain, static library"
gcc "${CFLAGS[@]}" -O1 bindings/c/tests/test_mindgap.c -x none "$lib/libmindgap.a" \
  "${STATIC_LIBS[@]}" -o "$out/test_plain"
run_suite "$out/test_plain"

step "C tests: AddressSanitizer + UBSan"
gcc "${CFLAGS[@]}" -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
  -fno-sanitize-recover=all bindings/c/tests/test_mindgap.c -x none "$lib/libmindgap.a" \
  "${STATIC_LIBS[@]}" -o "$out/test_asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
  run_suite "$out/test_asan"

if [[ "${VALGRIND:-1}" != 0 ]]; then
  step "C tests: valgrind (leak check)"
  MG_TEST_SMALL=1 run_suite valgrind -q --suppressions=bindings/c/valgrind.supp --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$out/test_plain"
fi

step "shared library: SONAME and pkg-config"
soname=$(readelf -d "$lib/libmindgap.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
echo "SONAME: $soname"
[[ "$soname" == "libmindgap.so.0" ]]
prefix="$out/prefix"
rm -rf "$prefix" && mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
cp bindings/c/include/mindgap.h "$prefix/include/"
cp "$lib/libmindgap.so" "$prefix/lib/libmindgap.so.0"
ln -sf libmindgap.so.0 "$prefix/lib/libmindgap.so"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" bindings/c/mindgap.pc.in \
  > "$prefix/lib/pkgconfig/mindgap.pc"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --modversion mindgap

step "example: examples/c/report.c (shared library via pkg-config)"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror examples/c/report.c $(pkg-config --cflags --libs mindgap) \
  -o "$out/report"
LD_LIBRARY_PATH="$prefix/lib" "$out/report"
LD_LIBRARY_PATH="$prefix/lib" "$out/report" --json | cmp - fixtures/golden/sample-300-report.json
echo "report --json = fixtures/golden/sample-300-report.json"
LD_LIBRARY_PATH="$prefix/lib" "$out/report" fixtures/diary-small.json | head -3

step "example: examples/python (ctypes)"
MINDGAP_LIB="$prefix/lib/libmindgap.so.0" python3 examples/python/example.py

if [[ "${BENCH:-1}" != 0 ]]; then
  step "timing: C against Rust (ns per value, best of 15 rounds of 1M values)"
  gcc -std=c11 -Wall -Wextra -Werror -O2 -I bindings/c/include benches/c/bench.c -x none \
    "$lib/libmindgap.a" "${STATIC_LIBS[@]}" -o "$out/bench_c"
  "$out/bench_c" > "$out/bench_c.txt"
  "$lib/examples/bench" > "$out/bench_rust.txt"
  join <(sort "$out/bench_c.txt") <(sort "$out/bench_rust.txt") |
    awk '{ r = $2 / $3; printf "%-22s C %7.3f  Rust %7.3f  C/Rust %.3f%s\n", $1, $2, $3, r, (r > 1.10 ? "  (over 10%)" : "") }'
fi

echo
echo "C suites passed"
