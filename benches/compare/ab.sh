#!/usr/bin/env bash
# A/B of two mindgap binaries on the compare sample: the streamed
# `report --trend` of N rows, RUNS times each, alternating; prints the medians
# of wall time, user time and peak RSS, and whether the last outputs of the
# two are byte-identical.
#
#   benches/compare/ab.sh BEFORE AFTER [ROWS] [RUNS]     # ROWS 1000000, RUNS 5
#
# The sample is the one benches/compare/run.sh writes ($TARGET/compare/ROWS);
# run that first for the row count. Each run's line goes to
# $TARGET/compare/ab-ROWS.tsv (side, wall s, RSS KB, user s).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BEFORE=${1:?usage: ab.sh BEFORE AFTER [ROWS] [RUNS]}
AFTER=${2:?usage: ab.sh BEFORE AFTER [ROWS] [RUNS]}
ROWS=${3:-1000000}
RUNS=${4:-5}
D=$TARGET/compare/$ROWS
[[ -f $D/interactions.csv ]] || { echo "ab.sh: no sample in $D (run benches/compare/run.sh --rows $ROWS first)" >&2; exit 2; }
OUT=$TARGET/compare/ab-$ROWS.tsv
: > "$OUT"
for _ in $(seq 1 "$RUNS"); do
  for side in before after; do
    bin=$BEFORE
    [[ $side == after ]] && bin=$AFTER
    tf=$(mktemp)
    /usr/bin/time -v -o "$tf" "$bin" report --diary "$D/diary.json" --interactions "$D/interactions.csv" \
      --feedback "$D/feedback.csv" --trend --format json > "$TARGET/compare/ab-$side-$ROWS.json" 2> /dev/null
    awk -v s="$side" -F': ' '
      /Elapsed \(wall clock\)/ { k = split($2, a, ":"); w = 0; for (i = 1; i <= k; i++) w = w * 60 + a[i] }
      /Maximum resident set size/ { rss = $2 }
      /User time/ { u = $2 }
      END { printf "%s\t%.2f\t%d\t%.2f\n", s, w, rss, u }' "$tf" >> "$OUT"
    rm -f "$tf"
  done
done
if cmp -s "$TARGET/compare/ab-before-$ROWS.json" "$TARGET/compare/ab-after-$ROWS.json"; then
  echo "outputs identical"
else
  echo "OUTPUTS DIFFER"
fi
python3 - "$OUT" <<'PY'
import statistics as st, sys
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n') if l]
for side in ('before', 'after'):
    r = [x for x in rows if x[0] == side]
    print(f"{side}: n={len(r)} wall {st.median(float(x[1]) for x in r):.2f} s, "
          f"user {st.median(float(x[3]) for x in r):.2f} s, "
          f"RSS {st.median(int(x[2]) for x in r) / 1024:.0f} MB")
PY
