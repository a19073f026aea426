#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang-14 with AddressSanitizer + UndefinedBehaviorSanitizer)
# in build-fuzz/, and runs each for a bounded time starting from its seed corpus tests/fuzz/corpus/NAME.
# A crash, a sanitizer report, a leak or a time-out fails the script (the input is saved in build-fuzz/findings).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET (default 60)] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(hw_config sweep model clip trace)

launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$PWD")}"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
t0=$SECONDS
# -O1 with line tables only: sanitizer reports keep file:line, and the build is about twice as fast as -O2 -g.
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DOASIM_FUZZ=ON -DOASIM_NATIVE=OFF "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
echo "fuzz: built in $((SECONDS - t0)) s"

mkdir -p build-fuzz/findings
# Leaks inside libhdf5's error paths are not ours to fix and are not memory growth: report only ours.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
for t in "${targets[@]}"; do
  work=$(mktemp -d)  # new inputs go here, so tests/fuzz/corpus stays the small committed seed set
  echo "fuzz: $t for $secs s"
  if ! build-fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=131072 \
      -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$t-" "$work" "tests/fuzz/corpus/$t" \
      2> >(grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_runs|stat::new_units_added|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)" >&2); then
    failed+=("$t")
  fi
  rm -rf "$work"
done
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in build-fuzz/findings/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} target(s) x $secs s clean (total $((SECONDS - t0)) s)"
