#!/usr/bin/env bash
# The WebAssembly face: builds the npm package `mindgap` into bindings/wasm/pkg
# and tests it, installing on a fresh machine whatever is missing (and only
# that): the wasm32 target, wasm-bindgen-cli at the lockfile's version,
# Chromium + ChromeDriver (apt), and typescript / playwright-core /
# binaryen@132 / esbuild / vite / webpack (the recipes suite) into
# bindings/wasm/node_modules (npm ci, committed lockfile).
#
#   scripts/test-wasm.sh                 every suite
#   scripts/test-wasm.sh build node      some of: lint build rust glue browser node types recipes widget bench
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
# The size target of the brief is 120 KB gzipped. The core does not fit it
# today (serde monomorphisations, the analyses, chrono;
# see bindings/wasm/README.md "Size"), so the check that fails is a
# regression ceiling at the measured size plus a margin, and the distance to
# the target is printed on every run. Raised from 460 to 520 KB when the
# import profiles (~10 KB gzipped of mapping JSON) and the CSV mapping code
# (constants, durations, value maps, row feedback, encodings told: ~30 KB)
# came in; to 550 KB with the SLA work (conditional expectations and the
# breach queue: 515 -> 539 KB, twiggy: `due` 9 KB raw, the `when`
# conditions' serde ~8 KB raw, and their monomorphisations); to 575 KB with
# business-day levels, follow-the-sun calendars, libm's ln/exp (the same
# bits as native) and the en/ru word catalogue (547 -> 556 KB). The small
# report build of the npm issue is where size comes down.
TARGET_GZ=$((120 * 1024))
CEILING_GZ=$((${MINDGAP_WASM_CEILING_KB:-575} * 1024))
WASM_OUT=$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm/mindgap_wasm.wasm

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
if want browser || want widget || want recipes; then
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
fi

if want build || [[ ! -f $PKG/web/mindgap_bg.wasm || ! -f $PKG/node/mindgap_bg.wasm ]]; then
  step "build: size-tuned wasm (profile wasm) -> wasm-bindgen -> wasm-opt -Oz --converge"
  cargo build -p mindgap-wasm --lib --target wasm32-unknown-unknown --profile wasm --locked
  rm -rf "$PKG"
  for target in nodejs web; do
    out=$PKG/${target/nodejs/node}
    wasm-bindgen --target "$target" --out-dir "$out" --out-name mindgap \
      --remove-name-section --remove-producers-section "$WASM_OUT"
    # --converge: repeat -Oz until it stops shrinking (-4 KB gzipped measured;
    # -Os, -O3, --strip-debug/--strip-producers measured no better, see
    # bindings/wasm/README.md "Size"; the core crate is built at opt-level
    # "s" for speed, see Cargo.toml).
    "$NODE_BIN/wasm-opt" -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$out/mindgap_bg.wasm" -o "$out/mindgap_bg.wasm"
  done
  # The package manifest, without the development dependencies.
  node -e '
    const fs = require("fs");
    const m = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    delete m.devDependencies;
    fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 2) + "\n");
  ' $WASM/package.json $PKG/package.json
  cp $WASM/README.md $PKG/README.md
  step "size: target $((TARGET_GZ / 1024)) KB gzipped, ceiling $((CEILING_GZ / 1024)) KB"
  raw=$(stat -c %s "$PKG/web/mindgap_bg.wasm")
  gz=$(gzip -9 -c "$PKG/web/mindgap_bg.wasm" | wc -c)
  before=$(stat -c %s "$WASM_OUT")
  echo "cargo (profile wasm): $before bytes; after wasm-bindgen + wasm-opt -Oz --converge: $raw bytes raw, $gz bytes gzipped ($((gz / 1024)) KB)"
  if ((gz <= TARGET_GZ)); then
    echo "size target of $((TARGET_GZ / 1024)) KB gzipped: met"
  else
    echo "size target of $((TARGET_GZ / 1024)) KB gzipped: NOT MET, $(((gz - TARGET_GZ) / 1024)) KB over"
  fi
  if ((gz <= CEILING_GZ)); then echo "1 passed, 0 failed"; else
    echo "over the regression ceiling of $((CEILING_GZ / 1024)) KB gzipped"
    echo "0 passed, 1 failed"
    exit 1
  fi
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
    "paths": { "mindgap": ["$ROOT/$PKG/node/mindgap.d.ts"], "mindgap/web": ["$ROOT/$PKG/web/mindgap.d.ts"] }
  },
  "files": ["$ROOT/$WASM/tests/ts/usage.ts", "$check/shapes.ts", "$ROOT/$PKG/web/mindgap.d.ts"$extra]
}
EOF
    echo "tsc --target $target"
    if "$NODE_BIN/tsc" -p "$check/tsconfig.$target.json"; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
  done
  # usage.ts, shapes.ts and web/mindgap.d.ts at each target; using.ts at esnext
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

if want bench; then
  step "bench: report over 100k interactions, wasm in Node vs native"
  node benches/wasm/report.mjs
fi

echo
echo "wasm suites passed"
