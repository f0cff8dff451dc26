#!/usr/bin/env bash
# Self-test of the dispatch console and its browser check, without the C++ service: runs the
# helpers' unit tests, then console_check.mjs against mock_api.mjs, which must PASS with a good
# mock and FAIL (exit 1) with a broken one (no incidents; every assign refused). Needs what
# deploy/install-browser-tools.sh installs. Prints "N passed, N failed"; exits 1 on any failure.
# Usage: tools/browser-check/self_test.sh [--screenshot-dir DIR] [--help]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=$(basename "$0")

shots=""
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) sed -n '2,6s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    --screenshot-dir) shots=${2:?--screenshot-dir needs a directory}; shift 2 ;;
    *) echo "$name: error: unexpected argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ -d $here/node_modules/playwright-core ]] ||
  { echo "$name: error: playwright-core is not installed: run deploy/install-browser-tools.sh" >&2; exit 1; }

work=$(mktemp -d)
mock_pid=""
stop_mock() {
  if [[ -n $mock_pid ]]; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
    mock_pid=""
  fi
}
trap 'stop_mock; rm -rf "$work"' EXIT

passed=0
failed=0
record() {  # record <description> <ok: 0|1>
  if [[ $2 -eq 0 ]]; then
    passed=$((passed + 1)); echo "$name: ok   - $1"
  else
    failed=$((failed + 1)); echo "$name: FAIL - $1"
  fi
}

# start_mock <mock flags...>: starts mock_api.mjs on a free port; sets $url.
start_mock() {
  rm -f "$work/url"
  node "$here/mock_api.mjs" --url-file "$work/url" "$@" >"$work/mock.log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 100); do
    [[ -s $work/url ]] && break
    kill -0 "$mock_pid" 2>/dev/null || { cat "$work/mock.log" >&2; return 1; }
    sleep 0.1
  done
  [[ -s $work/url ]] || { echo "$name: the mock did not start in 10 s" >&2; return 1; }
  url=$(<"$work/url")
}

# check <description> <expected exit> <check flags...>: runs console_check.mjs against $url.
check() {
  local description=$1 want=$2 rc=0
  shift 2
  local shot_args=()
  [[ -n $shots ]] && shot_args=(--screenshot-dir "$shots/$(echo "$description" | tr -c 'A-Za-z0-9\n' '-')")
  node "$here/console_check.mjs" --url "$url" "${shot_args[@]}" "$@" >"$work/check.log" 2>&1 || rc=$?
  sed 's/^/    /' "$work/check.log"
  if [[ $rc -eq $want ]]; then record "$description (exit $rc)" 0; else record "$description (exit $rc, want $want)" 1; fi
}

echo "$name: unit tests of the console's helpers"
rc=0
node --test "$here/test/model.test.mjs" >"$work/unit.log" 2>&1 || rc=$?
grep -E '^# (pass|fail)' "$work/unit.log" | sed 's/^/    /'
[[ $rc -eq 0 ]] || cat "$work/unit.log"
record "unit tests (node --test)" "$rc"

start_mock
check "a good mock passes --expect-incident --assign" 0 --expect-incident --assign --timeout-ms 60000
check "a second run against the changed mock passes too" 0 --assign --timeout-ms 60000
stop_mock

start_mock --no-incidents
check "no incidents fails --expect-incident" 1 --expect-incident --timeout-ms 8000
stop_mock

start_mock --fail-assign
check "every assign refused fails --assign" 1 --assign --timeout-ms 30000
stop_mock

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
