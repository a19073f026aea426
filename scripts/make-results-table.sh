#!/usr/bin/env bash
# Regenerates docs/results.md: the recipe x noise x ADC-bits sweep, the long-stream sweep, then the table.
# Resumable (rerun after an interruption); about 75 minutes on an idle 2-core machine (72 grid points of 24
# clips, then 12 streams of 1,000 frames).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
OUT=${OUT:-oasim-out/results}
build/bin/oasim sweep configs/sweeps/recipes.yaml --out "$OUT/recipes"
build/bin/oasim sweep configs/sweeps/recipes-stream.yaml --out "$OUT/recipes-stream"
/usr/bin/python3 workloads/python/results_table.py "$OUT/recipes" "$OUT/recipes-stream" > docs/results.md
echo "wrote docs/results.md"
