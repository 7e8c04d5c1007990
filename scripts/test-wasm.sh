#!/usr/bin/env bash
# The WebAssembly face: builds the npm package `mindgap` into bindings/wasm/pkg
# and tests it, installing on a fresh machine whatever is missing (and only
# that): the wasm32 target, wasm-bindgen-cli at the lockfile's version,
# Chromium + ChromeDriver (apt), and typescript / playwright-core /
# binaryen@132 / esbuild / vite / webpack (the recipes suite) into
# bindings/wasm/node_modules (npm ci, committed lockfile).
#
#   scripts/test-wasm.sh                 every suite
#   scripts/test-wasm.sh build node      some of: lint build rust glue browser node types recipes widget report bench
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
suites=("${@:-all}")
want() { [[ " ${suites[*]} " == *" all "* || " ${suites[*]} " == *" $1 "* ]]; }
step() { printf '\n==> %s\n' "$*"; }

WASM=bindings/wasm
PKG=$WASM/pkg
NODE_BIN=$ROOT/$WASM/node_modules/.bin
# Two builds from one core, chosen by cargo features (bindings/wasm/Cargo.toml):
# the full build (feature `full`: every analysis, CSV import) in pkg/web and
# pkg/node, and the report build for widgets (no `full`: the report and its
# roll-ups) in pkg/report/web and pkg/report/node. Each .wasm is shipped once:
# the Node glue loads the web build's file. Budgets of issue 30: report
# 200 KB gzipped, full 350 KB; the check that fails is the ceiling (the
# budget, or the size reached plus a margin while the budget is not met,
# see bindings/wasm/README.md "Size"); the distance to the budget is printed
# on every run. The brief's first target was 120 KB.
REPORT_BUDGET_KB=200
FULL_BUDGET_KB=350
# Reached on 2026-12-07 (bindings/wasm/README.md "Size"): report 342 KB,
# full 520 KB gzipped; then 361 and 544 KB with the charts the core draws
# for the widget and the HTML report (render.rs, `Diary.charts`, in both
# builds: the widget draws with the report build) and the MindgapError
# class; then 373 and 562 KB with the core's messages as templates in two
# languages (issue 26: the Russian texts ride along, though the npm faces
# speak English); then 353 and 531 KB with records read `type` first
# instead of through serde's Content (input/tagged.rs) and the last stable
# sorts through util/sort.rs; then 358 and 537 KB with business time over
# long spans by cached blocks and 400-year cycles (time/calendar.rs, tz.rs);
# then 348 and 534 KB with dates written and read without chrono's strftime
# (words/date.rs); then 353 and 541 KB with the engine's compact rows
# (engine/sheet.rs: every driver prepares lean rows, issue 29). The
# ceilings are those plus 4-5 KB.
REPORT_CEILING_KB=${MINDGAP_WASM_REPORT_CEILING_KB:-357}
FULL_CEILING_KB=${MINDGAP_WASM_CEILING_KB:-545}

# ---------------------------------------------------------------------------
# What the suites need

step "setup: wasm32 target, wasm-bindgen-cli, node_modules, Chromium"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
# The CLI must be exactly the wasm-bindgen version in Cargo.lock.
WB_VERSION=$(cargo pkgid -p wasm-bindgen | sed 's/.*[#@]//')
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]]; then
  step "installing wasm-bindgen-cli $WB_VERSION (about 2.5 minutes)"
  # Not --locked: the CLI's own lockfile pins a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi
echo "wasm-bindgen $WB_VERSION"
if [[ ! -f $WASM/node_modules/.package-lock.json || $WASM/package-lock.json -nt $WASM/node_modules/.package-lock.json ]]; then
  (cd $WASM && npm ci --no-audit --no-fund)
fi
if want browser || want widget || want report || want recipes; then
  if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
    apt-get update && apt-get install -y chromium chromium-driver
  fi
fi

# ---------------------------------------------------------------------------

if want lint; then
  step "rustfmt and clippy (host all targets, wasm32)"
  cargo fmt -p mindgap-wasm -- --check
  cargo clippy -p mindgap-wasm --all-targets --locked -- -D warnings
  cargo clippy -p mindgap-wasm --target wasm32-unknown-unknown --locked -- -D warnings
  # The report build (no `full`).
  cargo clippy -p mindgap-wasm --no-default-features --all-targets --locked -- -D warnings
  cargo clippy -p mindgap-wasm --no-default-features --target wasm32-unknown-unknown --locked -- -D warnings
fi

# One build: cargo (the given profile and features) -> wasm-bindgen for the
# web and Node -> wasm-opt; the Node glue is pointed at the web build's .wasm
# (they are byte-identical, checked), so the package holds it once.
build_one() {
  local out=$1 profile=$2
  shift 2
  cargo build -p mindgap-wasm --lib --target wasm32-unknown-unknown --profile "$profile" --locked "$@"
  local wasm=$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile/mindgap_wasm.wasm
  for target in web nodejs; do
    wasm-bindgen --target "$target" --out-dir "$out/${target/nodejs/node}" --out-name mindgap \
      --remove-name-section --remove-producers-section "$wasm"
  done
  if ! cmp -s "$out/web/mindgap_bg.wasm" "$out/node/mindgap_bg.wasm"; then
    echo "the web and Node builds of $out differ: cannot ship the .wasm once"
    exit 1
  fi
  rm "$out/node/mindgap_bg.wasm" "$out/node/mindgap_bg.wasm.d.ts"
  # The Node glue reads the web build's .wasm, with a clear error where it
  # is not (a Node bundle); the bare browser entry initialises on import.
  node $WASM/js/node-glue.mjs "$out/node/mindgap.js"
  cp $WASM/js/index.js $WASM/js/index.d.ts "$out/web/"
  # wasm-opt -Oz --converge only on request (MINDGAP_WASM_OPT=1): on
  # 2026-12-07 it made the .wasm smaller raw but larger gzipped, by 37 KB
  # for the full build (520 -> 558 KB) and 31 KB for the report build
  # (342 -> 373 KB); see bindings/wasm/README.md "Size".
  if [[ ${MINDGAP_WASM_OPT:-0} == 1 ]]; then
    "$NODE_BIN/wasm-opt" -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$out/web/mindgap_bg.wasm" -o "$out/web/mindgap_bg.wasm"
  fi
}

# Raw, gzip -9 and brotli (quality 11) sizes of a .wasm against its budget
# and ceiling (KB); fails over the ceiling.
size_check() {
  local name=$1 file=$2 budget=$3 ceiling=$4
  local raw gz br
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  br=$(node -e 'const z = require("zlib"); const b = require("fs").readFileSync(process.argv[1]);
    console.log(z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length)' "$file")
  echo "$name build: $raw bytes raw, $gz gzipped ($((gz / 1024)) KB), $br brotli ($((br / 1024)) KB)"
  if ((gz <= budget * 1024)); then
    echo "$name budget of $budget KB gzipped: met"
  else
    echo "$name budget of $budget KB gzipped: NOT MET, $(((gz - budget * 1024) / 1024)) KB over"
  fi
  if ((gz > ceiling * 1024)); then
    echo "$name build over its ceiling of $ceiling KB gzipped"
    return 1
  fi
}

if want build || [[ ! -f $PKG/web/mindgap_bg.wasm || ! -f $PKG/report/web/mindgap_bg.wasm ]]; then
  step "build: size-tuned wasm (profiles wasm, wasm-report) -> wasm-bindgen, full and report"
  rm -rf "$PKG"
  # The full build: profile wasm (the core at opt-level s, for speed); the
  # report build: profile wasm-report (all at opt-level z, see Cargo.toml).
  build_one "$PKG" wasm
  build_one "$PKG/report" wasm-report --no-default-features
  # The package manifest, without the development dependencies.
  node -e '
    const fs = require("fs");
    const m = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    delete m.devDependencies;
    fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 2) + "\n");
  ' $WASM/package.json $PKG/package.json
  cp $WASM/README.md $PKG/README.md
  step "size: report build budget $REPORT_BUDGET_KB KB gzipped (ceiling $REPORT_CEILING_KB), full $FULL_BUDGET_KB KB (ceiling $FULL_CEILING_KB)"
  failed=0
  size_check report "$PKG/report/web/mindgap_bg.wasm" $REPORT_BUDGET_KB "$REPORT_CEILING_KB" || failed=$((failed + 1))
  size_check full "$PKG/web/mindgap_bg.wasm" $FULL_BUDGET_KB "$FULL_CEILING_KB" || failed=$((failed + 1))
  # Every .wasm once: the package's files as npm would pack them.
  wasms=$(cd "$PKG" && find . -name '*.wasm' | sort | tr '\n' ' ')
  if [[ $wasms == "./report/web/mindgap_bg.wasm ./web/mindgap_bg.wasm " ]]; then
    echo "one .wasm per build: $wasms"
  else
    echo "expected one .wasm per build, found: $wasms"
    failed=$((failed + 1))
  fi
  echo "$((3 - failed)) passed, $failed failed"
  ((failed == 0)) || exit 1
fi

if want rust; then
  step "cargo test (host): the golden report fixture"
  cargo test -p mindgap-wasm --locked
fi

if want glue; then
  step "wasm-bindgen-test in Node"
  (cd $WASM && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p mindgap-wasm --target wasm32-unknown-unknown --tests --locked)
fi

if want browser; then
  step "wasm-bindgen-test in headless Chromium (ChromeDriver; options in bindings/wasm/webdriver.json)"
  (cd $WASM && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test -p mindgap-wasm --target wasm32-unknown-unknown --tests --locked)
fi

if want node; then
  step "node --test: the package API and the golden fixtures"
  node --test $WASM/tests/js/
fi

if want types; then
  step "tsc --noEmit: a typed usage file, and Rust's own JSON against the .d.ts"
  check=$CARGO_TARGET_DIR/ts-check
  rm -rf "$check" && mkdir -p "$check"
  node -e '
    const [pkg, fixtures, out] = process.argv.slice(1);
    const fs = require("fs");
    const mg = require(pkg + "/node/mindgap.js");
    const golden = fs.readFileSync(fixtures + "/golden/sample-300-report.json", "utf8");
    const weekly = JSON.stringify(mg.gapReport(mg.sampleDiary(300), { by: ["week", "channel", "employee"] }), null, 1);
    const validation = JSON.stringify(mg.validate(fs.readFileSync(fixtures + "/diary-small.json"),
      [{ name: "i.csv", content: "id,opened_at,channel,stage\ni1,bad,chat,service\n" }]), null, 1);
    const fatal = JSON.stringify(mg.validate("{", [], { mode: "strict" }), null, 1);
    const diary = JSON.stringify(mg.sampleDiary(300), null, 1);
    const big = mg.sampleDiary(1200);
    const j = (v) => JSON.stringify(v, null, 1);
    const withTrend = j(mg.gapReport(big, { trend: true }));
    const trendByStage = j(mg.trend(big, { by: "stage", metric: "csat" }));
    const followUps = j(mg.followUps(big));
    const drill = j(mg.drillDown(big, { expectation: "complaint-callback", limit: 50 }));
    const people = j(mg.people(big));
    const problems = j(mg.problems(big, { by: ["customer", "stage"], min_count: 2 }));
    fs.writeFileSync(out + "/shapes.ts",
      "// Generated by scripts/test-wasm.sh: JSON made by the Rust core, checked against the .d.ts.\n" +
      "import type { Report, ValidationReport, DiaryData, TrendReport, FollowUpList, Drill, People, Problems } from \"mindgap\";\n" +
      "export const golden: Report = " + golden + ";\n" +
      "export const weekly: Report = " + weekly + ";\n" +
      "export const validation: ValidationReport = " + validation + ";\n" +
      "export const fatal: ValidationReport = " + fatal + ";\n" +
      "export const diary: DiaryData = " + diary + ";\n" +
      "export const withTrend: Report = " + withTrend + ";\n" +
      "export const trendByStage: TrendReport = " + trendByStage + ";\n" +
      "export const followUps: FollowUpList = " + followUps + ";\n" +
      "export const drill: Drill = " + drill + ";\n" +
      "export const people: People = " + people + ";\n" +
      "export const problems: Problems = " + problems + ";\n");
  ' "$ROOT/$PKG" "$ROOT/fixtures" "$check"
  # The types at the targets widget projects use: es2020 and es2022 with
  # their own libs (no esnext.disposable: Symbol.dispose is declared by the
  # package), and esnext, where `using` is checked too (tests/ts/using.ts).
  ok=0 bad=0
  for target in es2020 es2022 esnext; do
    extra=""
    [[ $target == esnext ]] && extra=", \"$ROOT/$WASM/tests/ts/using.ts\""
    cat >"$check/tsconfig.$target.json" <<EOF
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "target": "$target", "lib": ["$target", "dom"], "module": "nodenext",
    "moduleResolution": "nodenext", "types": [], "skipLibCheck": false,
    "paths": { "mindgap": ["$ROOT/$PKG/node/mindgap.d.ts"], "mindgap/web": ["$ROOT/$PKG/web/mindgap.d.ts"],
               "mindgap/report": ["$ROOT/$PKG/report/node/mindgap.d.ts"] }
  },
  "files": ["$ROOT/$WASM/tests/ts/usage.ts", "$check/shapes.ts", "$ROOT/$PKG/web/mindgap.d.ts",
            "$ROOT/$PKG/report/web/mindgap.d.ts", "$ROOT/$PKG/web/index.d.ts",
            "$ROOT/$PKG/report/web/index.d.ts"$extra]
}
EOF
    echo "tsc --target $target"
    if "$NODE_BIN/tsc" -p "$check/tsconfig.$target.json"; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
  done
  # usage.ts, shapes.ts, web/ and report/web/{mindgap,index}.d.ts at each target; using.ts at esnext
  echo "$ok passed, $bad failed"
  ((bad == 0)) || exit 1
fi

if want recipes; then
  step "recipes: Node ESM/CJS, an import-map page, esbuild, Vite, webpack (Chromium), the README's snippets"
  node --test $WASM/tests/recipes/
fi

if want widget; then
  step "the web widget in headless Chromium (playwright-core)"
  node --test examples/web-widget/test/
  echo "screenshot: $CARGO_TARGET_DIR/widget.png"
fi

if want report; then
  step "the CLI's HTML report in headless Chromium, en and ru (screenshots, A4 print)"
  cargo build -p mindgap-cli --locked
  MINDGAP="$CARGO_TARGET_DIR/debug/mindgap" node --test crates/mindgap-cli/tests/html/
  echo "screenshots: $CARGO_TARGET_DIR/report-en.png $CARGO_TARGET_DIR/report-ru.png"
fi

if want bench; then
  step "bench: report over 100k interactions, wasm in Node vs native"
  node benches/wasm/report.mjs
fi

echo
echo "wasm suites passed"
