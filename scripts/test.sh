#!/usr/bin/env bash
# Runs every test suite of mindgap on a fresh machine, installing what it needs.
#   scripts/test.sh            all suites
#   scripts/test.sh rust       one suite (rust, c, wasm)
set -euo pipefail
cd "$(dirname "$0")/.."
suites=("${@:-all}")
want() { [[ " ${suites[*]} " == *" all "* || " ${suites[*]} " == *" $1 "* ]]; }
step() { printf '\n==> %s\n' "$*"; }

if want rust; then
  step "rustfmt"
  cargo fmt --all -- --check
  step "clippy (host, all targets, -D warnings)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  step "cargo test (workspace: unit, integration, property and doc tests)"
  cargo test --workspace --locked
fi

if want c; then
  step "C face: libmindgap, C tests plain/ASan/valgrind, examples, timing (scripts/test-c.sh)"
  scripts/test-c.sh
fi

if want wasm; then
  step "WebAssembly face: npm package, Node and Chromium tests, widget, size, bench (scripts/test-wasm.sh)"
  scripts/test-wasm.sh
fi

echo
echo "all requested suites passed"
