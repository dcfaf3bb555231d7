#!/usr/bin/env bash
# Runs a GoogleTest program in SHARDS parallel shards (default 2) and fails
# if any shard fails; each shard's output goes to PROGRAM.shard-N.log. When a
# shard fails, the start of the first sanitizer report in its log (which
# names the access, the other thread and the memory) is printed, then the
# log's last lines. Extra arguments go to the program.
# Usage: tests/sanitizers/run-gtest.sh PROGRAM [gtest arguments...]
set -uo pipefail
program=$1
shift
shards=${SHARDS:-2}
pids=()
for ((i = 0; i < shards; ++i)); do
  GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$i "$program" --gtest_brief=1 "$@" \
    >"$program.shard-$i.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    echo "   $(basename "$program") shard $i/$shards: $(grep -E '^\[  PASSED  \]' "$program.shard-$i.log" || echo passed)"
  else
    failed=1
    log=$program.shard-$i.log
    echo "   $(basename "$program") shard $i/$shards FAILED ($log)"
    first=$(grep -n -m1 -E '^(WARNING: ThreadSanitizer|==[0-9]+==ERROR: |.*runtime error: )' "$log" |
      cut -d: -f1)
    if [[ -n $first ]]; then
      echo "   the first sanitizer report:"
      sed -n "${first},$((first + 80))p" "$log"
    fi
    echo "   the log's last lines:"
    tail -n 40 "$log"
  fi
done
exit $failed
