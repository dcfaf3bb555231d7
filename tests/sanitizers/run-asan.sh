#!/usr/bin/env bash
# The core and CLI tests under AddressSanitizer + UndefinedBehaviorSanitizer
# (leak detection on), in the asan preset's build.
# Usage: tests/sanitizers/run-asan.sh [BUILD_DIR]   (default build/asan)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/asan}
source "$here/symbolizer.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
"$here/run-gtest.sh" "$build/tests/core/harmonia_core_tests" || failed=1
"$here/run-gtest.sh" "$build/tests/app/cli/harmonia_cli_tests" || failed=1
exit $failed
