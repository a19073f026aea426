#!/usr/bin/env bash
# The main job on the embedded default: install dependencies, build, run `oasim run` with its defaults
# (configs/hw/default.yaml + models/videomamba-stream-mfm.h5 + generated Moving Fashion-MNIST test clips).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/bin/oasim run "$@"
