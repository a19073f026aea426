#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer build (clang-14) of oasim and its tests in build-checked/
# (scripts/configure-checked.sh, shared with the fuzz targets), then the
# test suite's fast subset on it: every C++ test case except the long golden/end-to-end ones, with the
# Python fixtures of build/ (run scripts/test.sh or `ctest -R fixture_` in build/ first).
# Usage: scripts/sanitize.sh [extra ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$PWD")}"
bash scripts/configure-checked.sh
# (the test discovery runs oasim_tests while building: no leak report there)
ASAN_OPTIONS=detect_leaks=0 cmake --build build-checked -j "$(nproc)" --target oasim oasim_tests
echo "sanitize: built in $((SECONDS - t0)) s"

[[ -f build/fixtures/golden.done ]] || { echo "sanitize: build/fixtures is incomplete: run scripts/test.sh first" >&2; exit 1; }
export OASIM_FIXTURES="$PWD/build/fixtures" OASIM_BIN="$PWD/build-checked/bin"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The fast subset: tests/sanitize_skip.txt lists the long end-to-end and golden tests left to the normal
# run; the fixtures come from build/ (-FS: CTest does not regenerate them here).
skip=$(grep -v '^#' tests/sanitize_skip.txt | grep -v '^$' | paste -sd '|')
cd build-checked
ctest --output-on-failure -j "$(nproc)" -FS python_fixtures -E "^(fixture_|py_)|$skip" "$@"
cd ..
echo "sanitize: done in $((SECONDS - t0)) s"
