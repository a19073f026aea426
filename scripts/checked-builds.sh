#!/usr/bin/env bash
# The checked builds CI runs after the normal test suite (scripts/test.sh): the ASan+UBSan build of the
# tests' fast subset, then every libFuzzer target for a bounded time. OASIM_FUZZ_SECONDS (default 60) per
# target.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
bash scripts/sanitize.sh
bash scripts/fuzz.sh "${OASIM_FUZZ_SECONDS:-60}"
echo "checked builds: $((SECONDS - t0)) s"
