#!/usr/bin/env bash
# The whole test suite: install dependencies, build, run every test (C++ Catch2 + Python) through CTest,
# then the checked builds (ASan+UBSan tests, fuzzing: scripts/checked-builds.sh; OASIM_CHECKED_BUILDS=0
# leaves them out, e.g. for a quick local run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
cd ..
if [[ "${OASIM_CHECKED_BUILDS:-1}" != 0 ]]; then
  bash scripts/checked-builds.sh
fi
