#!/usr/bin/env bash
# Runs every test suite of mindgap on a fresh machine, installing what it needs.
#   scripts/test.sh            all suites
#   scripts/test.sh rust       one suite (rust, c, wasm)
set -euo pipefail
cd "$(dirname "$0")/.."
suites=("${@:-all}")
want() { [[ " ${suites[*]} " == *" all "* || " ${suites[*]} " == *" $1 "* ]]; }
step() { printf '\n==> %s\n' "$*"; }

# Disk. A whole run builds DataFusion, every face and several feature sets of
# the core in debug: with incremental caches and full debug info that took
# 20 GB of target/, and a CI machine ran out of disk mid-link ("ld terminated
# with signal 7"). One-shot runs gain nothing from incremental caches, and
# line tables keep backtraces readable. Set either variable to override.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-line-tables-only}"
target_dir=$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p' || true)
mkdir -p "${target_dir:=target}"
free_gb=$(df -Pk "$target_dir" 2>/dev/null | awk 'NR==2 { print int($4 / 1048576) }' || true)
if [[ $free_gb =~ ^[0-9]+$ ]] && (( free_gb < 12 )); then
  echo "warning: ${free_gb} GB free under $target_dir; a whole run from scratch writes about 9 GB there" >&2
fi

if want rust; then
  step "rustfmt"
  cargo fmt --all -- --check
  # The DataFusion face (crates/mindgap-datafusion) is left out of the
  # workspace runs (its rust-version is 1.94, and DataFusion is a long
  # build): it is built once, in debug, by its own test step below.
  step "clippy (host, all targets, -D warnings)"
  cargo clippy --workspace --exclude mindgap-datafusion --all-targets --locked -- -D warnings
  step "cargo test (workspace: unit, integration, property and doc tests)"
  cargo test --workspace --exclude mindgap-datafusion --locked
  step "DataFusion face: SQL aggregates against the report (cargo test -p mindgap-datafusion --features proto)"
  cargo test -p mindgap-datafusion --features proto --locked
  step "the core's embedding examples (crates/mindgap/examples)"
  for example in report requests zone; do
    cargo run -q -p mindgap --example "$example" --locked >/dev/null
  done
  echo "3 passed, 0 failed"

  # Feature combinations of the core. The workspace runs above build it with
  # the features its faces unify (tzdb + parallel, from the CLI and the C
  # library); the steps below build it on its own.
  #
  # UTC only (no tz backend): linted, not run. Its unit tests compare with
  # chrono-tz (time/calendar_tests.rs, time/period.rs, engine/clock_tests.rs)
  # and do not build without `tzdb`, and tests/invalid_inputs.rs and
  # tests/roundtrip.rs read diaries in Europe/Moscow. Hence the library,
  # integration tests and examples rather than --all-targets (no benches:
  # --benches takes in the unit tests, and a `--bench '*'` glob fails on a
  # bench with required-features).
  step "clippy (core, UTC only: --no-default-features; lib, integration tests, examples; -D warnings)"
  cargo clippy -p mindgap --no-default-features --lib --test '*' --examples --locked -- -D warnings
  # The core's default features (tzdb) alone, so the single-threaded paths
  # (`not(feature = "parallel")`) are tested too; the workspace run above had
  # `parallel` on. Skipped: the proptest of the CSV row splitter (~40 s in
  # debug), which has no `parallel` code and ran above.
  step "core unit tests without \`parallel\` (cargo test -p mindgap --lib)"
  cargo test -p mindgap --lib --locked -- --skip input::csv::records::tests::reads_as_the_csv_crate
  # The core as the npm package's report build has it: without `analyses`,
  # `trend` and `profiles` (the analyses left out refused by name; the tests
  # that ask for trends ignored, those of the closed loop not compiled).
  step "core tests as in the npm report build (--no-default-features --features tzdb)"
  cargo test -p mindgap --no-default-features --features tzdb --lib --tests --locked -- \
    --skip input::csv::records::tests::reads_as_the_csv_crate
  # Its doc examples: those of what the build leaves out are not run there.
  cargo test -p mindgap --no-default-features --features tzdb --doc --locked
  step "check (core, tz-filter: CHRONO_TZ_TIMEZONE_FILTER='(Europe/.*|UTC)')"
  CHRONO_TZ_TIMEZONE_FILTER='(Europe/.*|UTC)' cargo check -p mindgap --features tz-filter --locked

  # The declared minimum Rust: `rust-version` of [workspace.package], read
  # here so that the check follows it. Libraries and binaries of every crate,
  # natively and the npm face for wasm32; not tests and benches, since
  # criterion 0.8 (a dev-dependency) needs Rust 1.86.
  msrv=$(awk -F'"' '/^\[/ { ws = ($0 == "[workspace.package]") }
                    ws && /^rust-version *=/ { print $2; exit }' Cargo.toml)
  [[ -n $msrv ]] || { echo "no rust-version in [workspace.package] of Cargo.toml"; exit 1; }
  step "MSRV: cargo +$msrv check (workspace; mindgap-wasm also for wasm32)"
  if [[ $'\n'"$(rustup toolchain list)" != *$'\n'"$msrv-"* ]]; then
    rustup toolchain install "$msrv" --profile minimal
  fi
  if [[ $'\n'"$(rustup target list --toolchain "$msrv" --installed)"$'\n' != *$'\n'wasm32-unknown-unknown$'\n'* ]]; then
    rustup target add wasm32-unknown-unknown --toolchain "$msrv"
  fi
  cargo "+$msrv" check --workspace --exclude mindgap-datafusion --locked
  cargo "+$msrv" check -p mindgap-wasm --target wasm32-unknown-unknown --locked

  # Licenses, bans and sources by deny.toml. Advisories are not checked: the
  # RustSec database comes from GitHub, which CI cannot reach. cargo-deny
  # reads the whole graph (every target) without network, so the crates only
  # other platforms use are fetched first. Pinned: deny.toml was written for
  # 0.20, and a newer release may need a newer Rust.
  step "cargo-deny: licenses, bans, sources (offline; deny.toml)"
  cargo deny --version >/dev/null 2>&1 || cargo install cargo-deny --locked --version 0.20.2
  cargo fetch --locked
  cargo deny --offline --locked check --hide-inclusion-graph licenses bans sources

  # Last: broken intra-doc links (and links from public docs to private items)
  # fail here.
  step "rustdoc (workspace, --no-deps, RUSTDOCFLAGS=-D warnings)"
  # The CLI's binary first, on its own: it is named like the library and
  # `doc = false` keeps it out of the workspace run (their pages collide);
  # the library's pages, written next, take the place back.
  RUSTDOCFLAGS="-D warnings" cargo rustdoc -p mindgap-cli --bin mindgap --locked
  RUSTDOCFLAGS="-D warnings" cargo doc --workspace --exclude mindgap-datafusion --no-deps --locked
fi

if want c; then
  step "C face: libmindgap, C tests plain/ASan/valgrind, install, Python package, fuzzing, timing (scripts/test-c.sh)"
  scripts/test-c.sh
fi

if want wasm; then
  step "WebAssembly face: npm package, Node and Chromium tests, widget, size, bench (scripts/test-wasm.sh)"
  scripts/test-wasm.sh
fi

echo
echo "all requested suites passed"
