#!/usr/bin/env bash
# Checks that the C++ code follows the style in force (.clang-format, .clang-tidy).
#
#   tools/check-style.sh [--all] [BASE]
#
# 1. clang-format --dry-run -Werror on every C++ file of the repository (core,
#    app, ui, tests, fuzz: tracked files and new untracked ones). It takes a
#    few seconds, so it always covers the whole tree.
# 2. clang-tidy (the checks of .clang-tidy, every warning an error) on the .cpp
#    files of core/, app/ and ui/ changed since BASE, plus the .cpp file next
#    to each changed header. With --all: on every .cpp file of core/, app/ and
#    ui/ (about 10 s of CPU per file). BASE defaults to the merge-base of HEAD
#    with origin/main (or main); when that is HEAD itself (CI on main, a fresh
#    clone) the last commit is checked: BASE = HEAD~1. Uncommitted and new
#    files count as changed.
#
# clang-tidy needs a compilation database: configure first
# (`cmake --preset ci`, which writes build/ci/compile_commands.json), and
# build the targets whose generated headers the files include (Qt's moc/uic
# output for ui/: `cmake --build build/ci --target harmonia_ui_autogen`).
#
# Environment: BUILD_DIR (default build/ci), CLANG_FORMAT (default
# clang-format), CLANG_TIDY (default clang-tidy), JOBS (default: nproc).
# Exit status: 0 clean, 1 style violations, 2 usage or setup error.
set -euo pipefail

cd "$(git rev-parse --show-toplevel)"

all=0
base=""
for arg in "$@"; do
  case "$arg" in
    --all) all=1 ;;
    -h | --help)
      sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "check-style: unknown option '$arg' (see --help)" >&2
      exit 2
      ;;
    *) base="$arg" ;;
  esac
done

BUILD_DIR=${BUILD_DIR:-build/ci}
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
CLANG_TIDY=${CLANG_TIDY:-clang-tidy}
JOBS=${JOBS:-$(nproc)}

for tool in "$CLANG_FORMAT" "$CLANG_TIDY"; do
  if ! command -v "$tool" >/dev/null; then
    echo "check-style: '$tool' not found (Debian: apt-get install clang-format clang-tidy)" >&2
    exit 2
  fi
done

status=0

# ---- 1. clang-format on the whole tree
mapfile -t format_files < <(git ls-files --cached --others --exclude-standard -- \
  '*.cpp' '*.h' '*.cc' '*.hpp' | sort -u | while read -r f; do [[ -f "$f" ]] && echo "$f"; done)
echo "check-style: clang-format on ${#format_files[@]} files"
format_log=$(mktemp)
trap 'rm -f "$format_log"' EXIT
if ! printf '%s\0' "${format_files[@]}" |
  xargs -0 -n 50 -P "$JOBS" "$CLANG_FORMAT" --dry-run -Werror >"$format_log" 2>&1; then
  bad=$(grep -oE '^[^:]+\.(cpp|h|cc|hpp):[0-9]+' "$format_log" | cut -d: -f1 | sort -u)
  echo "check-style: FAILED: clang-format would change these files:" >&2
  printf '  %s\n' $bad >&2
  echo "  fix: $CLANG_FORMAT -i <files> (the first differences follow)" >&2
  head -n 40 "$format_log" >&2
  status=1
fi

# ---- 2. clang-tidy on the changed .cpp files of core/, app/, ui/
db="$BUILD_DIR/compile_commands.json"
if [[ ! -f "$db" ]]; then
  echo "check-style: $db missing: run 'cmake --preset ci' first (CMAKE_EXPORT_COMPILE_COMMANDS is on)" >&2
  exit 2
fi
# The CI presets are unity builds (CMAKE_UNITY_BUILD: one compile per 8
# sources), so their database lists CMake's unity files, not our sources.
# clang-tidy gets a database with one entry per source instead, each with the
# command of the unity file that includes it: the sources of a unity file
# share their target's flags (CMake leaves out of unity files any source with
# flags of its own).
tidy_db=$(mktemp -d)
trap 'rm -rf "$format_log" "$tidy_db"' EXIT
python3 - "$db" "$tidy_db/compile_commands.json" <<'PY'
import json, re, sys
out = []
for entry in json.load(open(sys.argv[1])):
    if not re.search(r"/Unity/unity_\d+_cxx\.cxx$", entry["file"]):
        out.append(entry)
        continue
    with open(entry["file"]) as unity:
        sources = re.findall(r'^#include "([^"]+)"', unity.read(), re.M)
    for source in sources:
        out.append(dict(entry, file=source, command=entry["command"].replace(entry["file"], source)))
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY

if [[ $all -eq 1 ]]; then
  mapfile -t changed < <(git ls-files --cached --others --exclude-standard -- core app ui)
else
  if [[ -z "$base" ]]; then
    upstream=origin/main
    git rev-parse -q --verify "$upstream^{commit}" >/dev/null || upstream=main
    if git rev-parse -q --verify "$upstream^{commit}" >/dev/null; then
      base=$(git merge-base HEAD "$upstream")
    fi
    if [[ -z "$base" || "$base" == "$(git rev-parse HEAD)" ]]; then
      if git rev-parse -q --verify 'HEAD~1^{commit}' >/dev/null; then
        base=HEAD~1
      else
        base=$(git hash-object -t tree /dev/null)  # the empty tree: every file is new
      fi
    fi
  fi
  if ! git rev-parse -q --verify "$base^{object}" >/dev/null; then
    echo "check-style: BASE '$base' is not a commit" >&2
    exit 2
  fi
  mapfile -t changed < <({
    git diff --name-only --diff-filter=d "$base" -- core app ui
    git ls-files --others --exclude-standard -- core app ui
  } | sort -u)
fi

candidates=()
for f in "${changed[@]}"; do
  case "$f" in
    *.cpp) candidates+=("$f") ;;
    *.h) candidates+=("${f%.h}.cpp") ;;  # a header is checked through its .cpp
  esac
done
tidy_files=()
while read -r candidate; do
  [[ -n "$candidate" && -f "$candidate" ]] || continue
  if grep -qF "$PWD/$candidate\"" "$tidy_db/compile_commands.json"; then
    tidy_files+=("$candidate")
  else
    echo "check-style: $candidate is not in $db (reconfigure: cmake --preset ci); skipped" >&2
  fi
done < <(printf '%s\n' "${candidates[@]}" | sort -u)

if [[ ${#tidy_files[@]} -eq 0 ]]; then
  echo "check-style: clang-tidy: no changed .cpp files in core/, app/, ui/${base:+ since $base}"
else
  echo "check-style: clang-tidy on ${#tidy_files[@]} files${base:+ changed since $base} ($JOBS jobs)"
  tidy_log=$(mktemp)
  trap 'rm -rf "$format_log" "$tidy_log" "$tidy_db"' EXIT
  # The database's flags are GCC's; clang does not know all of them (GCC 12's
  # -Wno-restrict, cmake/HarmoniaWarnings.cmake).
  if ! printf '%s\0' "${tidy_files[@]}" |
    xargs -0 -n 1 -P "$JOBS" "$CLANG_TIDY" -p "$tidy_db" --quiet --warnings-as-errors='*' \
      --extra-arg=-Wno-unknown-warning-option \
      >"$tidy_log" 2>&1; then
    echo "check-style: FAILED: clang-tidy found these (.clang-tidy says why each check is on):" >&2
    grep -E '(warning|error):' "$tidy_log" | sort -u >&2 || cat "$tidy_log" >&2
    status=1
  fi
fi

if [[ $status -eq 0 ]]; then
  echo "check-style: OK"
fi
exit $status
