#!/usr/bin/env bash
# The Python package (bindings/python): builds its wheel around a built
# libmindgap.so (no compiler, no network: the in-tree backend uses the
# standard library alone), installs it into a fresh virtual environment, and
# runs there the package's unit tests, the README's Python example and
# examples/python/example.py — against the installed wheel, never the source
# tree — then `mypy --strict` over the package, its tests and both examples.
#
# The data frame extras (pandas, Polars) and mypy come from PyPI, pinned
# below, through a wheelhouse kept in $CARGO_TARGET_DIR/python-wheels: pip
# downloads them once (from its cache when it has them), later runs install
# offline from there. FRAMES=0 skips them (and mypy): no network needed then.
#
#   scripts/test-python.sh [path/to/libmindgap.so]   (default: $CARGO_TARGET_DIR/release)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
lib=${1:-$CARGO_TARGET_DIR/release/libmindgap.so}
out="$CARGO_TARGET_DIR/python"
python=${PYTHON3:-python3}
frames=${FRAMES:-1}
# What the test venv gets besides the wheel: its extras and the type checker.
dev=(pandas==3.1.1 polars==2.1.0 mypy==2.4.1 pandas-stubs==3.1.0.261029)
wheels="$CARGO_TARGET_DIR/python-wheels"
rm -rf "$out" && mkdir -p "$out/dist" "$out/run"

echo "wheel:"
MINDGAP_LIB="$lib" "$python" -m pip wheel -q --no-index --no-deps -w "$out/dist" bindings/python
wheel=$(ls "$out"/dist/mindgap-*.whl)
"$python" -m zipfile -l "$wheel" | awk 'NR > 1 { print "  " $1 }'

"$python" -m venv "$out/venv"
"$out/venv/bin/python" -m pip install -q --no-index "$wheel"
"$out/venv/bin/python" -m zipfile -e "$wheel" "$out/unpacked" >/dev/null
grep -q '^Requires-Dist: pandas.*extra == "pandas"' "$out"/unpacked/mindgap-*.dist-info/METADATA ||
  { echo "the wheel's METADATA lacks the pandas extra"; exit 1; }
if [[ $frames != 0 ]]; then
  echo "extras and mypy: ${dev[*]}"
  stamp="$wheels/.requirements"
  if [[ "$(cat "$stamp" 2>/dev/null)" != "${dev[*]}" ]]; then
    rm -rf "$wheels" && mkdir -p "$wheels"
    "$python" -m pip download -q -d "$wheels" "${dev[@]}"
    echo "${dev[*]}" > "$stamp"
  fi
  "$out/venv/bin/python" -m pip install -q --no-index --find-links "$wheels" \
    "$wheel[pandas,polars]" "${dev[@]}"
  export MINDGAP_REQUIRE_FRAMES=1
fi
# The package and the library as installed, not as in the tree.
unset MINDGAP_LIB
cd "$out/run"
"$out/venv/bin/python" -c 'import mindgap, sys; print("installed:", mindgap.__file__, "libmindgap", mindgap.version())'
"$out/venv/bin/python" -c 'import mindgap, sys; sys.exit("imported from the source tree" if "bindings" in mindgap.__file__ else 0)'

echo "unit tests:"
set +e
MINDGAP_FIXTURES="$root/fixtures" "$out/venv/bin/python" -m unittest discover \
  -s "$root/bindings/python/tests" -t "$root/bindings/python/tests" 2>&1 | tee "$out/unittest.log"
status=${PIPESTATUS[0]}
set -e
ran=$(sed -n 's/^Ran \([0-9]*\) test.*/\1/p' "$out/unittest.log")
bad=$(sed -n 's/.*(\(.*\)).*/\1/p' "$out/unittest.log" | tail -1 | tr ',' '\n' |
      awk -F= '/failures|errors/ { n += $2 } END { print n + 0 }')
[[ $status == 0 ]] && bad=0
echo "${ran:-0} passed, $bad failed" | awk '{ $1 = $1 - $4; print }'
[[ $status == 0 ]]

# Its frame needs pandas: without the extras (FRAMES=0) it is not run.
echo "README's Python example:"
awk '/^```python$/ { on = 1; next } /^```$/ { if (on) exit } on' "$root/README.md" > readme_example.py
[[ -s readme_example.py ]] || { echo "no python block in README.md"; exit 1; }
if [[ $frames != 0 ]]; then "$out/venv/bin/python" readme_example.py; else echo "skipped (FRAMES=0)"; fi

echo "examples/python/example.py:"
"$out/venv/bin/python" "$root/examples/python/example.py"

if [[ $frames != 0 ]]; then
  echo "mypy --strict (the installed package, its tests, both examples):"
  cp "$root/examples/python/example.py" example.py
  "$out/venv/bin/python" -m mypy --strict -p mindgap
  "$out/venv/bin/python" -m mypy --strict "$root/bindings/python/tests" readme_example.py example.py
fi
echo "Python package passed"
