#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each with its seed
# corpus, two at a time (FUZZ_JOBS), and fails if any target crashes.
# Usage: tests/fuzz/run.sh SECONDS [fuzz_TARGET...]
# Builds the asan preset's fuzz targets first when needed (clang). Logs,
# grown corpora and crash inputs stay in build/asan/fuzz/; a crash input
# becomes a regression test in tests/core/io/TestFuzzRegressions.cpp (see README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: tests/fuzz/run.sh SECONDS [fuzz_TARGET...]" >&2
  exit 2
fi
seconds=$1
shift
jobs=${FUZZ_JOBS:-2}
build=$root/build/asan
work=$build/fuzz

[[ -f $build/build.ninja ]] || cmake --preset asan >/dev/null
cmake --build "$build" -j "${HARMONIA_JOBS:-2}" --target harmonia_fuzzers harmonia_fuzz_seeds

targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
[[ -d $work/corpus ]] || tests/fuzz/make_corpus.sh "$build/tests/fuzz/harmonia_fuzz_seeds" "$work/corpus"
mkdir -p "$work/logs" "$work/crashes"

source "$root/tests/sanitizers/symbolizer.sh"
# Leaks: third-party ones are suppressed in tests/sanitizers/lsan.supp, each with its reason.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local t=$1 start=$SECONDS rc=0
  local corpus=$work/corpus/$t
  mkdir -p "$corpus" "$work/crashes/$t"
  # -timeout: one input taking longer is a hang (reported as a crash).
  # -malloc_limit_mb: our 2-D reader lets OpenCV allocate up to 2 GiB for an
  # image whose header it has checked (kMax2DDecodedBytes), above the default
  # limit (the RSS limit, 2 GB); a larger single allocation is still a finding.
  timeout $((seconds + 300)) "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=30 \
    -rss_limit_mb=2048 -malloc_limit_mb=2304 -print_final_stats=1 \
    -artifact_prefix="$work/crashes/$t/" "$corpus" >"$work/logs/$t.log" 2>&1 || rc=$?
  local runs cov
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/logs/$t.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$work/logs/$t.log" | tail -1 | cut -d' ' -f2)
  if ((rc == 0)); then
    printf '%-20s ok     %8s runs  cov %6s  corpus %5s files  %4d s\n' "$t" "${runs:-?}" "${cov:-?}" \
      "$(find "$corpus" -type f | wc -l)" $((SECONDS - start))
  else
    printf '%-20s FAILED (exit %d) after %d s: %s, inputs in %s\n' "$t" "$rc" $((SECONDS - start)) \
      "$work/logs/$t.log" "$work/crashes/$t/"
    # The first report with its stack (CI keeps only this output), up to its SUMMARY.
    awk '/ERROR: |runtime error/ { on = 1 } on && n < 24 { print "    " $0; n++ } on && /SUMMARY/ { exit }' \
      "$work/logs/$t.log" || true
    return 1
  fi
}

for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  run_one "$t" >"$work/logs/$t.result" 2>&1 &
done
wait || true
failed=0
for t in "${targets[@]}"; do
  cat "$work/logs/$t.result"
  grep -q '^fuzz_[a-z0-9_]* *ok ' "$work/logs/$t.result" || failed=1
done
exit $failed
