#!/usr/bin/env bash
# tests/consumer/run.sh — is snowcache usable the way a bot author will use it?
#
#   1. configures a throwaway build of this source tree with --prefix=TMP/prefix, builds only what
#      `meson install` installs, installs it, and checks the layout (every public header, every generated
#      header, libsnowcache.so and .a, snowcache.pc, cachectl);
#   2. builds tests/consumer/ as a meson project against it (dependency('snowcache') via PKG_CONFIG_PATH)
#      and runs it: open a cache, ingest a GUILD_CREATE through snowcache::Gateway, read it back;
#   3. links the same program against libsnowcache.a with `pkg-config --static` and runs it;
#   4. builds tests/consumer/ with this tree as subprojects/snowcache (a symlink), no install, and runs it;
#   5. builds tests/consumer/ as a CMake project (pkg_check_modules(... IMPORTED_TARGET snowcache)) and
#      runs it.
# Exit status: 0 when all of it passed; 77 (meson's "skipped") when cmake is not installed and steps 1-4
# passed — it says so; 1 on any failure, with the failing command's output.
#
# Usage: tests/consumer/run.sh [--keep]     (--keep: leave the temporary directory and print its name)
# Needs: meson, ninja, pkg-config, a C++20 compiler, the Debian -dev packages of tools/setup; cmake for
# step 5. Takes two compilations of the library (steps 1 and 4), at -O0.
set -euo pipefail
exec </dev/null

keep=0
for arg in "$@"; do
  case $arg in
    --keep) keep=1 ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "run.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/snowcache-consumer.XXXXXX")
if [ $keep = 1 ]; then
  trap 'echo "consumer: kept $tmp"' EXIT
else
  trap 'rm -rf "$tmp"' EXIT
fi
prefix=$tmp/prefix

say() { echo "consumer: $*"; }
fail() { echo "consumer: FAILED: $*" >&2; exit 1; }
# run LOG CMD…: run CMD with its output in TMP/LOG; on failure show the end of it and fail.
run() {
  local log=$tmp/$1.log
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    fail "$* (full log: $log)"
  fi
}

# Only the caller's compiler settings leak in, not its pkg-config search path.
unset PKG_CONFIG_PATH PKG_CONFIG_LIBDIR

# --- 1. install into a temporary prefix --------------------------------------------------------------
say "configuring a throwaway build of $src with --prefix=$prefix"
run setup meson setup "$tmp/build" "$src" --prefix="$prefix" --libdir=lib --buildtype=plain \
  --wrap-mode=nofallback
# What `meson install` installs, and nothing else (not the test suites): the outputs of installed targets.
mapfile -t outputs < <(meson introspect "$tmp/build" --targets | python3 -c '
import json, os, sys
root = sys.argv[1]
for t in json.load(sys.stdin):
    if t["installed"]:
        for f in t["filename"]:
            print(os.path.relpath(f, root))
' "$tmp/build")
[ ${#outputs[@]} -gt 0 ] || fail "no installed target in the build"
say "building ${#outputs[@]} installed outputs"
run build ninja -C "$tmp/build" "${outputs[@]}"
run install meson install -C "$tmp/build" --no-rebuild

missing=()
for h in "$src"/lib/include/snowcache/*.h; do
  [ -f "$prefix/include/snowcache/$(basename "$h")" ] || missing+=("include/snowcache/$(basename "$h")")
done
for s in "$src"/schemas/*.fbs; do
  g=$(basename "$s" .fbs)_generated.h
  [ -f "$prefix/include/snowcache/fb/$g" ] || missing+=("include/snowcache/fb/$g")
done
for f in lib/libsnowcache.so lib/libsnowcache.a lib/pkgconfig/snowcache.pc; do
  [ -e "$prefix/$f" ] || missing+=("$f")
done
if [ -f "$src/tools/cachectl/meson.build" ]; then
  [ -x "$prefix/bin/cachectl" ] || missing+=("bin/cachectl")
fi
[ ${#missing[@]} = 0 ] || fail "not installed: ${missing[*]}"
say "installed: $(cd "$prefix" && find . -type f | wc -l) files (headers, generated headers, library, .pc$([ -x "$prefix/bin/cachectl" ] && echo ", cachectl"))"
if [ -x "$prefix/bin/cachectl" ]; then
  run cachectl env LD_LIBRARY_PATH="$prefix/lib" "$prefix/bin/cachectl" --help
fi

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
pkg-config --exists --print-errors snowcache || fail "pkg-config cannot use snowcache.pc"
say "pkg-config --cflags --libs snowcache: $(pkg-config --cflags --libs snowcache)"
# Installed programs find libsnowcache.so through the loader's paths; a temporary prefix is not one.
export LD_LIBRARY_PATH=$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

# check NAME EXE: run a built consumer on a fresh cache directory.
check() {
  local name=$1 exe=$2
  run "run-$name" "$exe" "$tmp/db-$name"
  say "$name: $(tail -n 1 "$tmp/run-$name.log")"
}

# --- 2. a meson project, dependency('snowcache') ------------------------------------------------------
run meson-consumer-setup meson setup "$tmp/meson" "$here"
run meson-consumer-build ninja -C "$tmp/meson"
check "meson dependency('snowcache')" "$tmp/meson/consumer"

# --- 3. the static library ----------------------------------------------------------------------------
# libsnowcache.a by path, its dependencies from `pkg-config --static` (Requires.private, Libs.private),
# RocksDB & co. shared as Debian ships them (its librocksdb.a would need libraries rocksdb.pc omits).
static_libs=()
for w in $(pkg-config --libs --static snowcache); do
  [ "$w" = -lsnowcache ] || static_libs+=("$w")
done
# shellcheck disable=SC2046 # word splitting of pkg-config output is intended
run static-build "${CXX:-c++}" -std=c++20 -Wall -Wextra -Wpedantic -Werror "$here/consumer.cc" \
  -o "$tmp/consumer-static" $(pkg-config --cflags snowcache) "$(pkg-config --variable=libdir snowcache)/libsnowcache.a" \
  "${static_libs[@]}"
if LD_LIBRARY_PATH='' ldd "$tmp/consumer-static" | grep -q libsnowcache; then
  fail "consumer-static links libsnowcache.so"
fi
check "static libsnowcache.a" "$tmp/consumer-static"

# --- 4. a meson subproject: subprojects/snowcache -> this tree ----------------------------------------
mkdir -p "$tmp/sub/subprojects"
cp "$here/meson.build" "$here/consumer.cc" "$tmp/sub/"
ln -s "$src" "$tmp/sub/subprojects/snowcache"
say "building the meson consumer with subprojects/snowcache -> $src (no install)"
(
  unset PKG_CONFIG_PATH LD_LIBRARY_PATH
  run sub-setup meson setup "$tmp/sub-build" "$tmp/sub" --buildtype=plain --wrap-mode=nofallback \
    --force-fallback-for=snowcache
  grep -q "Dependency snowcache found: YES .*(overridden)" "$tmp/sub-setup.log" ||
    fail "dependency('snowcache') did not come from meson.override_dependency in the subproject"
  run sub-build ninja -C "$tmp/sub-build" consumer
  check "meson subproject" "$tmp/sub-build/consumer"
)

# --- 5. a CMake project, pkg_check_modules ------------------------------------------------------------
if ! command -v cmake >/dev/null; then
  say "SKIP: cmake is not installed, so the CMake consumer was not built (install, meson consumer, static"
  say "      library and subproject passed). Install cmake (Debian: apt-get install cmake) to run it."
  exit 77
fi
# Ninja, not make: tools/setup installs ninja-build, and a fresh Debian has no make.
run cmake-setup cmake -G Ninja -S "$here" -B "$tmp/cmake"
run cmake-build cmake --build "$tmp/cmake"
check "CMake pkg_check_modules" "$tmp/cmake/consumer"

say "all passed"
