#!/usr/bin/env bash
# The tests whose code runs worker threads, under ThreadSanitizer, in the tsan
# preset's build:
#   harmonia_tsan_tests     core: the tests of every source with a TBB parallel
#                           loop, the DICOM scanner's and loader's threads,
#                           cancellation from another thread (the list is in
#                           tests/core/CMakeLists.txt), and TestTsanSetUp.cpp,
#                           which checks this set-up itself
#   harmonia_tsan_ui_tests  the job runner and every UI model that runs jobs on
#                           it (tests/ui/model), with their sources
# Usage: tests/sanitizers/run-tsan.sh [BUILD_DIR]   (default build/tsan)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/tsan}
source "$here/symbolizer.sh"
# report_atomic_races=0: oneTBB's headers report a finished task to the
# waiting thread (call_itt_notify releasing, in wait_context::add_reference and
# fold_tree) just before the atomic decrement that actually releases it, and
# the waiting thread reads that counter inside libtbb, where TSan does not
# look; TSan then takes the decrement to race with the waiter's next use of
# that stack or heap memory. A race between a plain and an atomic access to
# the same location is therefore not reported (plain against plain still is).
export TSAN_OPTIONS=${TSAN_OPTIONS:-suppressions=$here/tsan.supp:halt_on_error=1:second_deadlock_stack=1:report_atomic_races=0}
# libtbb loads this ITT collector, which shows TSan its task hand-offs
# (tests/sanitizers/tsan_tbb_bridge.cpp).
export INTEL_LIBITTNOTIFY64=$(cd "$build" && pwd)/tests/libharmonia_tsan_tbb_bridge.so
export INTEL_ITTNOTIFY_GROUPS=sync,stitch
"$here/run-gtest.sh" "$build/tests/core/harmonia_tsan_tests"
# Offscreen: under xcb, Qt starts threads of its own (D-Bus) whose hand-offs
# happen inside Qt, which Debian does not build with TSan; these tests need no
# display.
QT_QPA_PLATFORM=offscreen "$here/run-gtest.sh" "$build/tests/ui/harmonia_tsan_ui_tests"
