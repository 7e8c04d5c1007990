#!/usr/bin/env bash
# Installs the C face of mindgap under a prefix:
#
#   PREFIX/include/mindgap.h
#   PREFIX/lib/libmindgap.so.X.Y.Z   with the links libmindgap.so.<SONAME> and libmindgap.so
#   PREFIX/lib/libmindgap.a          only mg_* global (see below)
#   PREFIX/lib/pkgconfig/mindgap.pc
#
#   scripts/install-c.sh --prefix /usr/local [--libdir lib64] [--destdir DIR] [--no-build]
#
# --destdir stages the files under DIR/PREFIX (for packagers; the .pc still
# says PREFIX). --no-build installs what `cargo build -p mindgap-ffi --release`
# left in $CARGO_TARGET_DIR/release.
#
# The static library: Rust's staticlib holds the whole Rust standard library
# with global symbols, so a program that also links another Rust static
# library gets each of them twice ("multiple definition of
# rust_eh_personality"…). The shipped .a is one relocatable object
# (`ld -r` of every member) in which every global symbol but the mg_*
# functions is made local (`objcopy --keep-global-symbol`): the library's own
# copy of std stays private to it. scripts/test-c.sh links it together with a
# second Rust static library to prove it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

prefix="" libdir=lib destdir="" build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --libdir) libdir=$2; shift 2 ;;
    --libdir=*) libdir=${1#*=}; shift ;;
    --destdir) destdir=$2; shift 2 ;;
    --destdir=*) destdir=${1#*=}; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "install-c.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ -n $prefix ]] || { echo "install-c.sh: --prefix DIR is required" >&2; exit 2; }
[[ $prefix == /* ]] || prefix="$PWD/$prefix"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
if [[ $build == 1 ]]; then
  cargo build -p mindgap-ffi --release --locked --lib
fi
rel="$CARGO_TARGET_DIR/release"
[[ -f $rel/libmindgap.so && -f $rel/libmindgap.a ]] ||
  { echo "install-c.sh: no libmindgap in $rel (build it, or drop --no-build)" >&2; exit 1; }

version=$(awk -F'"' '/^\[/ { ws = ($0 == "[workspace.package]") }
                     ws && /^version *=/ { print $2; exit }' Cargo.toml)
soname=$(readelf -d "$rel/libmindgap.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[[ $soname == libmindgap.so.* ]] || { echo "install-c.sh: no SONAME in libmindgap.so" >&2; exit 1; }

# The static library with only mg_* global, built once per library build.
dist="$CARGO_TARGET_DIR/c/dist"
mkdir -p "$dist"
if [[ ! -f $dist/libmindgap.a || $rel/libmindgap.a -nt $dist/libmindgap.a ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  ld -r --whole-archive "$rel/libmindgap.a" --no-whole-archive -o "$work/mindgap.o"
  # The COMDAT groups go too (their sections stay, as plain sections):
  # `ld -r` already kept one copy of each, and a group left in would be
  # merged with the other library's group of the same name (the
  # DW.ref.rust_eh_personality of every Rust object), whose references would
  # then land on our symbol, local by now. Also dropped: the bitcode some members embed (.llvmbc: binutils' LLVM
  # plugin, if installed, chokes on it: "LLVM ERROR: Invalid encoding") and
  # the address-significance table, stale once the members are joined.
  objcopy --wildcard --keep-global-symbol='mg_*' --remove-section=.llvmbc \
    --remove-section=.llvmcmd --remove-section=.llvm_addrsig --remove-section=.group "$work/mindgap.o"
  rm -f "$work/libmindgap.a"
  ar rcs "$work/libmindgap.a" "$work/mindgap.o"
  mv "$work/libmindgap.a" "$dist/libmindgap.a"
fi
# Nothing but mg_* may stay defined and global.
leaked=$(nm -g --defined-only "$dist/libmindgap.a" | awk 'NF == 3 && $3 !~ /^mg_/ { print $3 }')
[[ -z $leaked ]] || { echo "install-c.sh: global symbols besides mg_*: $leaked" >&2; exit 1; }

lib="$destdir$prefix/$libdir"
inc="$destdir$prefix/include"
mkdir -p "$lib/pkgconfig" "$inc"
install -m 644 bindings/c/include/mindgap.h "$inc/mindgap.h"
install -m 755 "$rel/libmindgap.so" "$lib/libmindgap.so.$version"
if [[ $soname != "libmindgap.so.$version" ]]; then
  ln -sfn "libmindgap.so.$version" "$lib/$soname"
fi
ln -sfn "$soname" "$lib/libmindgap.so"
install -m 644 "$dist/libmindgap.a" "$lib/libmindgap.a"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" -e "s|@LIBDIR@|$libdir|" \
  bindings/c/mindgap.pc.in > "$lib/pkgconfig/mindgap.pc"
echo "installed mindgap $version ($soname) under $destdir$prefix"
