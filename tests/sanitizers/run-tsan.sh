#!/usr/bin/env bash
# The core tests that run worker threads (harmonia_tsan_tests: TBB parallel
# loops, the DICOM scanner's and loader's threads, cancellation from another
# thread; the list is in tests/core/CMakeLists.txt) under ThreadSanitizer, in
# the tsan preset's build.
# Usage: tests/sanitizers/run-tsan.sh [BUILD_DIR]   (default build/tsan)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/tsan}
source "$here/symbolizer.sh"
export TSAN_OPTIONS=${TSAN_OPTIONS:-suppressions=$here/tsan.supp:halt_on_error=1:second_deadlock_stack=1}
"$here/run-gtest.sh" "$build/tests/core/harmonia_tsan_tests"
