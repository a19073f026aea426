#!/usr/bin/env bash
# The whole test suite: install dependencies, build, run every test (C++ Catch2 + Python) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
