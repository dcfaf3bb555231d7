#!/usr/bin/env bash
# Runs a GoogleTest program in SHARDS parallel shards (default 2) and fails
# if any shard fails; each shard's output goes to PROGRAM.shard-N.log and is
# printed when the shard fails. Extra arguments go to the program.
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
    echo "   $(basename "$program") shard $i/$shards FAILED; its output:"
    tail -n 80 "$program.shard-$i.log"
  fi
done
exit $failed
