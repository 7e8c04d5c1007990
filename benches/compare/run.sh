#!/usr/bin/env bash
# Side-by-side comparison of mindgap, a Polars script and mindgap's DataFusion
# aggregates computing the same figures from the same files. See
# benches/compare/README.md.
#
#   benches/compare/run.sh [--rows 1000000[,10000000]] [--runs 3] [--no-datafusion]
#
# 1. builds mindgap (release) if needed, and mindgap with DataFusion (release
# without LTO, in $TARGET/compare-datafusion) unless --no-datafusion; 2. sets
# up benches/compare/.venv with requirements.txt (skipped when present);
# 3. writes the sample input for each row count into $TARGET/compare/N
# (skipped when present); 4. runs each once and checks the figures agree
# (check.py); 5. times the whole processes with /usr/bin/time -v, --runs
# times, alternating; 6. prints the table and writes benches/compare/results.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
MINDGAP=$TARGET/release/mindgap
VENV=$HERE/.venv
PY=$VENV/bin/python
ROWS=1000000
RUNS=3
DATAFUSION=1
# DataFusion's release build: fat LTO over DataFusion takes longer than the
# whole comparison, so this binary is built without it, in a target dir of
# its own (the mindgap binary above keeps the workspace's release profile).
DF_TARGET=$TARGET/compare-datafusion
MINDGAP_DF=$DF_TARGET/release/mindgap

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=${2:?--rows needs a value}; shift 2 ;;
    --rows=*) ROWS=${1#*=}; shift ;;
    --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
    --runs=*) RUNS=${1#*=}; shift ;;
    --no-datafusion) DATAFUSION=; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument $1" >&2; usage ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs must be a positive integer" >&2; exit 2; }
IFS=, read -r -a ROW_COUNTS <<< "$ROWS"
for n in "${ROW_COUNTS[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: bad row count '$n'" >&2; exit 2; }
done

# ---------------------------------------------------------------- the mindgap side
# Every mindgap command the comparison runs, in ONE place. MINDGAP_STEPS lists
# them; mindgap_args STEP DATADIR sets ARGS to the command's arguments; the
# output of step S goes to mindgap-S.json. `report --trend` carries the weekly
# missed share with Theil–Sen and Mann–Kendall (its `trend` key, see check.py),
# so one process computes everything; the `trend` step is kept for reference.
MINDGAP_STEPS="report"
mindgap_args() {
  local d=$2
  local files=(--diary "$d/diary.json" --interactions "$d/interactions.csv" --feedback "$d/feedback.csv")
  case $1 in
    report) ARGS=(report "${files[@]}" --trend --format json) ;;
    trend) ARGS=(trend "${files[@]}" --by expectation --format json) ;;
    *) echo "run.sh: unknown mindgap step $1" >&2; exit 2 ;;
  esac
}
# The DataFusion side: `report --engine datafusion` (the gap of the
# expectations measured on interactions, by stage: no feedback, no trend), at
# the report instant of the mindgap side (AS_OF), so that the figures compare;
# given the instant, it reads the files once.
datafusion_args() {
  local d=$1
  ARGS=(report --engine datafusion --diary "$d/diary.json" --interactions "$d/interactions.csv"
        --as-of "$AS_OF" --format json)
}
# The Polars side.
polars_args() {
  local d=$1
  ARGS=("$PY" "$HERE/polars_report.py" --diary "$d/diary.json" --interactions "$d/interactions.csv"
        --feedback "$d/feedback.csv")
}

say() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- prerequisites
need_apt=()
[ -x /usr/bin/time ] || need_apt+=(time)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ! -x "$PY" ] && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then need_apt+=(python3-venv); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} (apt-get)"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need_apt[@]}"
fi
command -v cargo >/dev/null || { echo "run.sh: cargo not found: install Rust (rustup) first" >&2; exit 1; }

say "building mindgap (release)"
(cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --release -q -p mindgap-cli)
if [ -n "$DATAFUSION" ]; then
  say "building mindgap with DataFusion (release without LTO, $DF_TARGET)"
  (cd "$ROOT" && CARGO_TARGET_DIR=$DF_TARGET CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo build --release -q -p mindgap-cli --features datafusion)
fi

if [ ! -x "$PY" ]; then
  say "creating $VENV and installing requirements.txt"
  python3 -m venv "$VENV"
  "$PY" -m pip install -q --disable-pip-version-check -r "$HERE/requirements.txt"
fi
"$PY" -c 'import polars' || { echo "run.sh: polars is missing from $VENV; remove it and run again" >&2; exit 1; }

# ---------------------------------------------------------------- helpers
# time_run TSVFILE N TOOL STEP OUT CMD...: runs CMD under /usr/bin/time -v with
# stdout to OUT and appends "N TOOL STEP wall_s maxrss_kb user_s sys_s".
time_run() {
  local tsv=$1 n=$2 tool=$3 step=$4 out=$5; shift 5
  local tf
  tf=$(mktemp)
  if ! /usr/bin/time -v -o "$tf" "$@" > "$out" 2> "$out.stderr"; then
    echo "run.sh: $tool $step failed (N=$n):" >&2
    cat "$out.stderr" "$tf" >&2
    exit 1
  fi
  awk -v n="$n" -v tool="$tool" -v step="$step" -F': ' '
    /Elapsed \(wall clock\)/ { k = split($2, a, ":"); w = 0; for (i = 1; i <= k; i++) w = w * 60 + a[i] }
    /Maximum resident set size/ { rss = $2 }
    /User time/ { u = $2 } /System time/ { s = $2 }
    END { printf "%s\t%s\t%s\t%.2f\t%d\t%.2f\t%.2f\n", n, tool, step, w, rss, u, s }' "$tf" >> "$tsv"
  rm -f "$tf"
}

TSV_ALL=$(mktemp)
trap 'rm -f "$TSV_ALL"' EXIT

# sample N: the sample input of N rows in $TARGET/compare/N (kept).
sample() {
  local n=$1 d=$TARGET/compare/$1
  mkdir -p "$d/out"
  if [ ! -s "$d/feedback.csv" ] || [ ! -s "$d/interactions.csv" ] || [ ! -s "$d/diary.json" ]; then
    say "generating $n rows into $d"
    rm -rf "$d.tmp"
    "$MINDGAP" sample --out "$d.tmp" --rows "$n"
    mv "$d.tmp"/* "$d"/ && rmdir "$d.tmp"
  fi
}

# Coverage check (untimed, small): the sample diary plus expectations that use
# the rules the sample's own do not (next response, segment, `new` as a pause,
# CES rating, three survey waves; one in business time, excluded).
COVER_N=20000
sample $COVER_N
say "coverage check on $COVER_N rows with extra expectations (extra_diary.py)"
CD=$TARGET/compare/$COVER_N
python3 "$HERE/extra_diary.py" "$CD/diary.json" "$CD/out/diary-extra.json"
cover_args=(--diary "$CD/out/diary-extra.json" --interactions "$CD/interactions.csv" --feedback "$CD/feedback.csv")
"$MINDGAP" report "${cover_args[@]}" --format json > "$CD/out/extra-mindgap-report.json"
"$MINDGAP" trend "${cover_args[@]}" --by expectation --format json > "$CD/out/extra-mindgap-trend.json"
"$PY" "$HERE/polars_report.py" "${cover_args[@]}" --out "$CD/out/extra-polars.json"
python3 "$HERE/check.py" --polars "$CD/out/extra-polars.json" \
  --mindgap-report "$CD/out/extra-mindgap-report.json" --mindgap-trend "$CD/out/extra-mindgap-trend.json"

for N in "${ROW_COUNTS[@]}"; do
  DATA=$TARGET/compare/$N
  OUT=$DATA/out
  sample "$N"
  du -sh "$DATA"/*.csv >&2

  say "N=$N: checking that the figures agree"
  CHECK=$OUT/check.tsv
  : > "$CHECK"
  for step in $MINDGAP_STEPS; do
    mindgap_args "$step" "$DATA"
    time_run "$CHECK" "$N" mindgap "$step" "$OUT/mindgap-$step.json" "$MINDGAP" "${ARGS[@]}"
  done
  polars_args "$DATA"
  time_run "$CHECK" "$N" polars all "$OUT/polars.json" "${ARGS[@]}"
  check_args=(--polars "$OUT/polars.json" --mindgap-report "$OUT/mindgap-report.json")
  [ -s "$OUT/mindgap-trend.json" ] && [[ " $MINDGAP_STEPS " == *" trend "* ]] &&
    check_args+=(--mindgap-trend "$OUT/mindgap-trend.json")
  python3 "$HERE/check.py" "${check_args[@]}" | tee "$OUT/check.txt"
  if [ -n "$DATAFUSION" ]; then
    AS_OF=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["as_of"])' "$OUT/mindgap-report.json")
    datafusion_args "$DATA"
    time_run "$CHECK" "$N" datafusion report "$OUT/datafusion.json" "$MINDGAP_DF" "${ARGS[@]}"
    python3 "$HERE/check.py" --datafusion "$OUT/datafusion.json" --mindgap-report "$OUT/mindgap-report.json" |
      tee -a "$OUT/check.txt"
  fi

  say "N=$N: timing, $RUNS run(s) each, alternating"
  TIMES=$OUT/times.tsv
  : > "$TIMES"
  for run in $(seq 1 "$RUNS"); do
    for step in $MINDGAP_STEPS; do
      mindgap_args "$step" "$DATA"
      time_run "$TIMES" "$N" mindgap "$step" "$OUT/mindgap-$step.json" "$MINDGAP" "${ARGS[@]}"
    done
    polars_args "$DATA"
    time_run "$TIMES" "$N" polars all "$OUT/polars.json" "${ARGS[@]}"
    if [ -n "$DATAFUSION" ]; then
      datafusion_args "$DATA"
      time_run "$TIMES" "$N" datafusion report "$OUT/datafusion.json" "$MINDGAP_DF" "${ARGS[@]}"
    fi
    echo "run $run/$RUNS done" >&2
  done
  cat "$TIMES" >> "$TSV_ALL"
done

# The exact commands, for the record.
COMMANDS=$(mktemp)
for step in $MINDGAP_STEPS; do
  mindgap_args "$step" '$DATA'
  printf 'mindgap %s\n' "${ARGS[*]}" >> "$COMMANDS"
done
polars_args '$DATA'
printf '%s\n' "${ARGS[*]}" | sed "s|$HERE|benches/compare|g; s|$VENV/bin/python|python|" >> "$COMMANDS"
if [ -n "$DATAFUSION" ]; then
  AS_OF='$AS_OF' datafusion_args '$DATA'
  printf 'mindgap %s   # built with --features datafusion, no LTO; $AS_OF = the report'"'"'s as_of\n' "${ARGS[*]}" >> "$COMMANDS"
fi

python3 "$HERE/summarise.py" --times "$TSV_ALL" --commands "$COMMANDS" --results "$HERE/results.md" \
  --mindgap-commit "$(git -C "$ROOT" log -1 --format=%h -- crates Cargo.lock 2>/dev/null || echo unknown)" \
  --polars-version "$("$PY" -c 'import polars; print(polars.__version__)')" \
  ${DATAFUSION:+--datafusion-version "$(sed -n '/^name = "datafusion"$/{n;s/^version = "\(.*\)"/\1/p;}' "$ROOT/Cargo.lock")"} \
  --invocation "benches/compare/run.sh --rows $ROWS --runs $RUNS" --target "$TARGET"
rm -f "$COMMANDS"
