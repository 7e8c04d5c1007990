#!/usr/bin/env bash
# Fuzzes mindgap's parsers and C entry points (fuzz/, cargo-fuzz + libFuzzer
# on the nightly toolchain) for a bounded time each, seeded from fixtures/:
#
#   scripts/fuzz.sh [SECONDS]          each target SECONDS (default 8), seed 1
#   TARGETS="csv jsonl" scripts/fuzz.sh 600
#
# Installs cargo-fuzz when missing. Crashes are written to
# $CARGO_TARGET_DIR/fuzz/artifacts/<target>/; committed crash inputs in
# fuzz/regressions/<target>/ are run first, as regression tests. Prints the
# executions per target and `N passed, N failed` (one per target).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-8}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
targets=(${TARGETS:-diary_json csv jsonl c_api})
work="$CARGO_TARGET_DIR/fuzz"
mkdir -p "$work"

if [[ $'\n'"$(rustup toolchain list)" != *$'\n'nightly-* ]]; then
  rustup toolchain install nightly --profile minimal
fi
cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

# Seeds: every diary, CSV and JSON Lines input the fixtures hold. The CSV
# target's first byte picks the import profile: each file is seeded under
# every profile (and in lenient mode with the top bit).
python3 - "$root/fixtures" "$work/seeds" <<'PY'
import json, os, pathlib, shutil, sys
fixtures, seeds = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
shutil.rmtree(seeds, ignore_errors=True)
dirs = {t: seeds / t for t in ("diary_json", "csv", "jsonl", "c_api")}
for d in dirs.values():
    d.mkdir(parents=True)
n = 0
def put(target, data):
    global n
    n += 1
    (dirs[target] / f"seed-{n:04d}").write_bytes(data)
for p in sorted(fixtures.rglob("*")):
    if p.suffix == ".json" and p.name not in ("expected.json", "cases.json", "due.json"):
        put("diary_json", p.read_bytes())
    elif p.suffix in (".csv", ".tsv"):
        for k in range(16):
            put("csv", bytes([k | (0x80 if k % 2 else 0)]) + p.read_bytes())
    elif p.suffix == ".jsonl":
        put("jsonl", p.read_bytes())
for case in json.loads((fixtures / "invalid" / "cases.json").read_text()):
    if "diary" in case:
        d = case["diary"]
        put("diary_json", (d if isinstance(d, str) else json.dumps(d)).encode())
    for key in ("interactions_csv", "feedback_csv"):
        if key in case:
            put("csv", b"\0" + case[key].encode())
    if "records_jsonl" in case:
        put("jsonl", case["records_jsonl"].encode())
print(f"{n} seeds from fixtures/")
PY

cargo fmt --manifest-path fuzz/Cargo.toml -- --check
passed=0 failed=0
for t in "${targets[@]}"; do
  cargo +nightly fuzz build --fuzz-dir fuzz -O "$t" >/dev/null 2>"$work/build-$t.log" ||
    { cat "$work/build-$t.log"; exit 1; }
done
for t in "${targets[@]}"; do
  bin=$(ls -d "$CARGO_TARGET_DIR"/x86_64-unknown-linux-gnu/release/"$t")
  corpus="$work/corpus/$t"
  mkdir -p "$corpus" "$work/artifacts/$t"
  if [[ -d fuzz/regressions/$t ]] && compgen -G "fuzz/regressions/$t/*" >/dev/null; then
    "$bin" -runs=0 fuzz/regressions/"$t"/* >"$work/regressions-$t.log" 2>&1 ||
      { tail -30 "$work/regressions-$t.log"; echo "$t: a regression input fails again"; failed=$((failed + 1)); continue; }
  fi
  if "$bin" "$corpus" "$work/seeds/$t" -seed=1 -max_total_time="$seconds" -timeout=10 \
      -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/$t/" >"$work/run-$t.log" 2>&1; then
    passed=$((passed + 1))
  else
    tail -40 "$work/run-$t.log"
    failed=$((failed + 1))
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/run-$t.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$work/run-$t.log" | tail -1)
  echo "fuzz $t: ${execs:-?} executions in $seconds s, $cov, corpus $(ls "$corpus" | wc -l)"
done
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
