#!/usr/bin/env bash
# Configures build-checked/: clang-14 with AddressSanitizer + UndefinedBehaviorSanitizer on every target and
# libFuzzer coverage (OASIM_FUZZ). One instrumented build serves both the sanitizer run of the tests
# (scripts/sanitize.sh) and the fuzz targets (scripts/fuzz.sh), so CI compiles the library once for both.
# -O1 with line tables only: reports keep file:line, and it builds about twice as fast as -O2 -g.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$PWD")}"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build-checked -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DOASIM_FUZZ=ON -DOASIM_NATIVE=OFF \
  "${launcher[@]}" >/dev/null
