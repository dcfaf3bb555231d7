#!/usr/bin/env bash
# The tests that run worker threads, under ThreadSanitizer (tsan preset):
# every core test, since almost every core algorithm runs TBB parallel loops
# (see the suite list below for the ones that start threads themselves).
# Usage: tests/sanitizers/run-tsan.sh [BUILD_DIR]   (default build/tsan)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/tsan}
export TSAN_OPTIONS=${TSAN_OPTIONS:-suppressions=$here/tsan.supp:halt_on_error=1:second_deadlock_stack=1}
"$here/run-gtest.sh" "$build/tests/core/harmonia_core_tests"
