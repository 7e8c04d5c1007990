#!/usr/bin/env bash
# Peak memory and time of every analysis that streams interaction CSV files,
# on the built-in sample written to files. See benches/README.md.
#
#   benches/streamed/run.sh [--rows 10000000]
#
# Builds mindgap (release) if needed, writes the sample of N rows into
# $TARGET/streamed/N (kept), runs each command once under /usr/bin/time and
# prints: command, wall seconds, peak RSS (MB), output bytes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
MINDGAP=$TARGET/release/mindgap
ROWS=10000000
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=${2:?--rows needs a value}; shift 2 ;;
    --rows=*) ROWS=${1#*=}; shift ;;
    *) echo "run.sh: unknown argument $1 (--rows N)" >&2; exit 2 ;;
  esac
done
[[ $ROWS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: bad row count '$ROWS'" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }

(cd "$ROOT" && cargo build --release -q -p mindgap-cli)
D=$TARGET/streamed/$ROWS
if [ ! -f "$D/interactions.csv" ]; then
  rm -rf "$D.tmp"
  "$MINDGAP" sample --out "$D.tmp" --rows "$ROWS" >&2
  mv "$D.tmp" "$D"
fi
files=(--diary "$D/diary.json" --interactions "$D/interactions.csv"
       --feedback "$D/feedback.csv" --records "$D/follow_ups.jsonl")
out=$(mktemp); stats=$(mktemp)
trap 'rm -f "$out" "$stats"' EXIT
printf '%-22s %8s %10s %12s\n' command "wall s" "peak MB" "output B"
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$stats" "$MINDGAP" "$@" "${files[@]}" --format json >"$out" 2>/dev/null
  read -r wall kb <"$stats"
  printf '%-22s %8s %10s %12s\n' "$name" "$wall" $((kb / 1024)) "$(stat -c %s "$out")"
}
run report report
run "followups --overdue" followups --overdue
run drill drill
run people people
run problems problems
