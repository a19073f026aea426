#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer build (gcc) of oasim and its tests in build-asan/, then the
# test suite's fast subset on it: every C++ test case except the long golden/end-to-end ones, with the
# Python fixtures of build/ (run scripts/test.sh or `ctest -R fixture_` in build/ first).
# Usage: scripts/sanitize.sh [extra ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$PWD")}"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
t0=$SECONDS
# -O1 -g1 (line tables): reports keep file:line, and the build is much faster than -O2 -g.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" -DOASIM_SANITIZE=ON \
  "${launcher[@]}" >/dev/null
cmake --build build-asan -j "$(nproc)" --target oasim oasim_tests
echo "sanitize: built in $((SECONDS - t0)) s"

[[ -f build/fixtures/golden.done ]] || { echo "sanitize: build/fixtures is incomplete: run scripts/test.sh first" >&2; exit 1; }
export OASIM_FIXTURES="$PWD/build/fixtures" OASIM_BIN="$PWD/build-asan/bin"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The fast subset: tests/sanitize_skip.txt lists the long end-to-end and golden tests left to the normal
# run; the fixtures come from build/ (-FS: CTest does not regenerate them here).
skip=$(grep -v '^#' tests/sanitize_skip.txt | grep -v '^$' | paste -sd '|')
cd build-asan
ctest --output-on-failure -j "$(nproc)" -FS python_fixtures -E "^(fixture_|py_)|$skip" "$@"
cd ..
echo "sanitize: done in $((SECONDS - t0)) s"
