#!/usr/bin/env bash
# Checks that every C++ file git tracks is formatted as .clang-format says (clang-format 14, the
# Debian 12 package). Exits non-zero and names the files that drift; --fix rewrites them instead.
# Usage: deploy/check-format.sh [--fix] [--help]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

fix=false
case ${1:-} in
  -h | --help) sed -n '2,4s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  --fix) fix=true ;;
  "") ;;
  *) die "unexpected argument '$1' (try --help)" ;;
esac
require_command clang-format
cd "$GRIDCARE_REPO"
mapfile -t files < <(git ls-files -- '*.cpp' '*.h')
[[ ${#files[@]} -gt 0 ]] || die "no C++ files found (is this a git checkout?)"
if $fix; then
  clang-format -i "${files[@]}"
  log "formatted ${#files[@]} files"
  exit 0
fi
mapfile -t drifting < <(clang-format --dry-run "${files[@]}" 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: warning:.*/\1/p' | sort -u)
if [[ ${#drifting[@]} -gt 0 ]]; then
  printf '%s\n' "${drifting[@]}" >&2
  die "${#drifting[@]} file(s) are not clang-formatted; run deploy/check-format.sh --fix"
fi
log "all ${#files[@]} C++ files are clang-formatted"
