#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang-14 with AddressSanitizer + UndefinedBehaviorSanitizer)
# in build-checked/, and runs each for a bounded time starting from its seed corpus tests/fuzz/corpus/NAME.
# A crash, a sanitizer report, a leak or a time-out fails the script (the input is saved in build-checked/findings).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET (default 60)] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(hw_config sweep model clip trace)

t0=$SECONDS
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$PWD")}"
bash scripts/configure-checked.sh
cmake --build build-checked -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
echo "fuzz: built in $((SECONDS - t0)) s"

mkdir -p build-checked/findings
# Leaks inside libhdf5's error paths are not ours to fix and are not memory growth: report only ours.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
upstream=()
for t in "${targets[@]}"; do
  work=$(mktemp -d)  # new inputs go here, so tests/fuzz/corpus stays the small committed seed set
  log=build-checked/findings/$t.log
  if build-checked/tests/fuzz/fuzz_"$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=131072 \
      -print_final_stats=1 -artifact_prefix="build-checked/findings/$t-" "$work" "tests/fuzz/corpus/$t" 2>"$log"; then
    echo "fuzz: $t: $secs s, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') inputs," \
         "$(grep -o 'stat::new_units_added: *[0-9]*' "$log" | grep -o '[0-9]*$') new coverage units, clean"
  elif [[ "$(awk '/^    #[0-9]+ / && /libhdf5|\.cpp:[0-9]/ {print; exit}' "$log")" == *libhdf5* ]]; then
    # (awk reads the log itself: a `grep | grep -m1` pipeline dies of SIGPIPE under pipefail on a long log,
    # which classified libhdf5's own crashes as oasim findings)
    # A crash or hang inside libhdf5 itself (the innermost frame that is not libFuzzer's, the sanitizer's or
    # libc's; Debian 12's 1.10.8 is not hardened against crafted files): not
    # fixable in oasim, reported but not failing CI; the input is kept for an upstream report.
    upstream+=("$t")
    echo "fuzz: $t: crash inside libhdf5 (upstream): $(grep -m1 SUMMARY "$log")" >&2
  else
    failed+=("$t")
    echo "fuzz: $t: FINDING" >&2
    grep -v '^#[0-9]' "$log" | tail -40 >&2
  fi
  rm -rf "$work"
done
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in build-checked/findings/)" >&2
  exit 1
fi
((${#upstream[@]} == 0)) || echo "fuzz: libhdf5 crashed on crafted input in: ${upstream[*]} (build-checked/findings/)"
echo "fuzz: ${#targets[@]} target(s) x $secs s, no finding in oasim (total $((SECONDS - t0)) s)"
