#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy: bugprone-*, readability-function-size at 120 lines) on
# every .cpp under libs/ and services/, with the compile commands of build/ (run deploy/build.sh
# first). Exits non-zero on any finding. Usage: deploy/check-tidy.sh [file.cpp ...] [--help]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,4s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
require_command clang-tidy
require_command run-clang-tidy
cd "$GRIDCARE_REPO"
[[ -f build/compile_commands.json ]] || die "build/compile_commands.json is missing; run deploy/build.sh first"
if [[ $# -gt 0 ]]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files -- 'libs/*.cpp' 'services/*.cpp')
fi
started=$SECONDS
log "clang-tidy on ${#files[@]} files (2 jobs)"
# run-clang-tidy takes regular expressions: anchor each path.
patterns=()
for file in "${files[@]}"; do patterns+=("$(realpath "$file")\$"); done
if ! run-clang-tidy -p build -j 2 -quiet "${patterns[@]}" >build/clang-tidy.log 2>&1; then
  grep -E 'warning:|error:' build/clang-tidy.log | grep -v '^Suppressed' | sort -u | head -100 >&2 || true
  die "clang-tidy found problems (full log: build/clang-tidy.log)"
fi
log "clang-tidy clean in $((SECONDS - started)) s"
