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
targets=(${TARGETS:-diary_json csv jsonl c_api duration calendar})
work="$CARGO_TARGET_DIR/fuzz"
mkdir -p "$work"

if [[ $'\n'"$(rustup toolchain list)" != *$'\n'nightly-* ]]; then
  rustup toolchain install nightly --profile minimal
fi
cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

# Seeds: every diary, CSV and JSON Lines input the fixtures hold. The CSV
# target's first byte picks the import profile: each file is seeded under
# every profile (and in lenient mode with the top bit). The duration target
# gets every zone level of the fixtures (as ISO text and as JSON) and CSV
# duration cells under each unit; the calendar target every fixture's
# calendars and holiday lists, behind a few headers of instants.
python3 - "$root/fixtures" "$work/seeds" <<'PY'
import json, os, pathlib, shutil, sys
fixtures, seeds = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
shutil.rmtree(seeds, ignore_errors=True)
dirs = {t: seeds / t for t in ("diary_json", "csv", "jsonl", "c_api", "duration", "calendar")}
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
# duration: byte 0 picks the form (0 ISO text, 1 level JSON, 2 + 3k CSV
# column in unit k of seconds, minutes, hours, days, hh:mm:ss).
levels, calendars = set(), []
def walk(v):
    if isinstance(v, dict):
        for key in ("desired", "adequate", "promised"):
            if key in v and not isinstance(v[key], (int, float, bool)):
                levels.add(json.dumps(v[key]))
        for x in v.values():
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
for p in sorted(fixtures.rglob("*.json")):
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        continue
    walk(doc)
    if isinstance(doc, dict) and doc.get("calendars"):
        calendars.append({"calendars": doc["calendars"],
                          "holiday_lists": doc.get("holiday_lists", [])})
for case in json.loads((fixtures / "invalid" / "cases.json").read_text()):
    d = case.get("diary")
    try:
        walk(json.loads(d) if isinstance(d, str) else d)
    except ValueError:
        pass
levels |= {'{"business_days": 1.5}', '{"end_of_business_day": 0}', '"-PT0.5S"', '"P1W"'}
# Calendars with what the fixtures lack: shifts across midnight, yearly and
# dated holidays, working days, hour changes, shared lists, follow the sun.
week = {d: ["09:00-13:00", "14:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
calendars += [
    {"calendars": [{"id": "night", "timezone": "Europe/Berlin",
                    "hours": {"sat": ["22:00-06:00"], "sun": ["00:00-00:00"]},
                    "holidays": ["2026-12-24/2026-12-26", "12-31/01-08"],
                    "working_days": [{"date": "2026-02-28", "hours": ["10:00-14:00"]}]}]},
    {"calendars": [{"id": "ru", "timezone": "Europe/Moscow", "hours": week,
                    "holiday_lists": ["ru"],
                    "changes": [{"from": "2026-06-01", "hours": {"mon": ["08:00-20:00"]}}]}],
     "holiday_lists": [{"id": "ru", "holidays": ["01-01/01-08", "02-23", "2026-03-09"]}]},
    {"calendars": [{"id": "emea", "timezone": "Europe/London", "hours": week},
                   {"id": "amer", "timezone": "America/New_York", "hours": week},
                   {"id": "apac", "timezone": "Australia/Lord_Howe", "hours": week},
                   {"id": "global", "follow_the_sun": ["emea", "amer", "apac"]}]},
    {"calendars": [{"id": "few", "hours": {}, "working_days": [
        {"date": "2030-01-02", "hours": ["09:00-10:00"]}]}]},
]
for level in sorted(levels):
    put("duration", b"\1" + level.encode())
    if level.startswith('"'):
        put("duration", b"\0" + json.loads(level).encode())
for k, cells in enumerate([["15", "0,5", "90.25"], ["3", "1,5", "0"], ["48", "0.25"],
                           ["1", "2,5"], ["02:30:00", "102:24", "00:00:59"]]):
    for cell in cells:
        put("duration", bytes([2 + 3 * k]) + cell.encode())
# calendar: flags (bit 0-2 wide instants and duration, bits 5-7 the default
# zone), instants a and b, business ms, then the JSON.
import struct
heads = [struct.pack("<Bqqq", 0, 0, 86_400_000 * 9, 3_600_000),
         struct.pack("<Bqqq", 0x20, 1_234_567_890, 86_400_000 * 400, 40 * 3_600_000),
         struct.pack("<Bqqq", 0x47, -2**62, 2**62, 2**40)]
seen = set()
for c in calendars:
    text = json.dumps(c, ensure_ascii=False)
    if text in seen:
        continue
    seen.add(text)
    for h in heads:
        put("calendar", h + text.encode())
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

# glibc's thread-local destructor list is not a leak (fuzz/lsan.supp).
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$root/fuzz/lsan.supp"

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
  # Business time across years 1..9999 (calendar) takes milliseconds now
  # that long spans go by cached blocks and 400-year cycles: every target
  # gets the same 10 s.
  limit=10
  if "$bin" "$corpus" "$work/seeds/$t" -seed=1 -max_total_time="$seconds" -timeout="$limit" \
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
