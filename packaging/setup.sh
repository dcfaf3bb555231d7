#!/usr/bin/env bash
# One-step set-up on a fresh Debian 12 machine (run as root, or as a user
# with sudo):
#   bash packaging/setup.sh demo   install what is missing, build, start the demo
#   bash packaging/setup.sh test   install what is missing, build (warnings are
#                                  errors), run the whole test suite under Xvfb,
#                                  then the sanitizer and fuzzing stages
# The test stages, each timed (HARMONIA_STAGES picks some, e.g. "release fuzz"):
#   release  build/ci: Release build, every test (ctest) under Xvfb
#   style    clang-format on every C++ file, clang-tidy on the .cpp files the
#            last commit changed (tools/check-style.sh; uses build/ci)
#   asan     build/asan (clang): core and CLI tests under AddressSanitizer +
#            UndefinedBehaviorSanitizer; the same build holds the fuzz targets
#   tsan     build/tsan (clang): the tests whose code runs worker threads
#            (core's, the job runner's and the UI models') under
#            ThreadSanitizer (tests/sanitizers/run-tsan.sh)
#   fuzz     every fuzz target for 60 s (tests/fuzz/run.sh 60)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
if [[ $mode != demo && $mode != test ]]; then
  echo "usage: bash packaging/setup.sh demo|test" >&2
  exit 2
fi

# Debian 12 packages (see ../shared/docs/platform-notes.md for why each).
packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev libgl-dev
  libvtk9-dev libopencv-dev libeigen3-dev libgdcm-dev libgdcm-tools libtbb-dev
  libgtest-dev zlib1g-dev nlohmann-json3-dev
  xvfb xauth
  # The GUI's font, named so that every machine has the same one: fontconfig
  # otherwise takes any font it finds, and text widths (which the window-size
  # tests measure) change with it.
  fonts-dejavu-core
  # Sanitizer builds and libFuzzer (clang's runtimes are in libclang-rt-dev);
  # the style check (tools/check-style.sh). llvm-14 brings llvm-symbolizer:
  # without it sanitizer stacks are bare addresses and the function-named
  # suppressions in tests/sanitizers/*.supp cannot match (clang only
  # recommends it, and we install without recommends).
  clang libclang-rt-dev llvm-14 clang-format clang-tidy
  # Tests only: derived DICOM series must be readable by other tools too.
  dcmtk python3-pydicom python3-numpy
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  sudo_cmd=()
  ((EUID == 0)) || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Two cores and 24 GiB: two compile jobs keep memory comfortable.
jobs=${HARMONIA_JOBS:-2}
if [[ $mode == demo ]]; then
  cmake --preset release
  cmake --build --preset release -j "$jobs"
  if [[ -z ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]]; then
    echo "No display: starting the demo under Xvfb and saving a screenshot to harmonia-demo.png instead."
    exec xvfb-run -a -s "-screen 0 1600x1000x24" build/release/app/harmonia --screenshot harmonia-demo.png
  fi
  exec build/release/app/harmonia
fi

stages=${HARMONIA_STAGES:-release style asan tsan fuzz}
times=()
# run_stage NAME COMMAND...: runs and times one stage (a failure ends the run).
run_stage() {
  local name=$1 start=$SECONDS
  shift
  if [[ " $stages " != *" $name "* ]]; then return 0; fi
  echo "== stage $name"
  "$@"
  times+=("$(printf '%-8s %5d s' "$name" $((SECONDS - start)))")
  echo "== stage $name: $((SECONDS - start)) s"
}

release_stage() {
  cmake --preset ci
  cmake --build --preset ci -j "$jobs"
  # GL views need an X server: every test runs inside one Xvfb.
  (cd build/ci && xvfb-run -a -s "-screen 0 1600x1000x24" ctest --output-on-failure --timeout 600 -j "$jobs")
}

style_stage() {
  JOBS=$jobs bash tools/check-style.sh
}

asan_stage() {
  cmake --preset asan
  cmake --build build/asan -j "$jobs" --target harmonia_core_tests harmonia_cli_tests harmonia-cli \
    harmonia_fuzzers harmonia_fuzz_seeds
  bash tests/sanitizers/run-asan.sh build/asan
}

tsan_stage() {
  cmake --preset tsan
  cmake --build build/tsan -j "$jobs" --target harmonia_tsan_tests harmonia_tsan_ui_tests
  bash tests/sanitizers/run-tsan.sh build/tsan
}

fuzz_stage() {
  FUZZ_JOBS=$jobs tests/fuzz/run.sh 60
}

total=$SECONDS
run_stage release release_stage
run_stage style style_stage
run_stage asan asan_stage
run_stage tsan tsan_stage
run_stage fuzz fuzz_stage
echo "== stage times"
printf '   %s\n' "${times[@]}"
echo "   total    $((SECONDS - total)) s"
