#!/usr/bin/env bash
# Self-test of the dispatch console, the complaint desk and their browser checks, without the C++
# services: runs the pages' helpers' unit tests, then console_check.mjs against mock_api.mjs and
# desk_check.mjs against desk_mock_api.mjs, which must PASS with a good mock and FAIL (exit 1) with
# broken ones. Needs what deploy/install-browser-tools.sh installs. Prints "N passed, N failed".
# Usage: tools/browser-check/self_test.sh [--screenshot-dir DIR] [--only console|desk] [--help]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=$(basename "$0")

shots=""
only=""
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) sed -n '2,6s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    --screenshot-dir) shots=${2:?--screenshot-dir needs a directory}; shift 2 ;;
    --only)
      only=${2:?--only needs console or desk}
      [[ $only == console || $only == desk ]] || { echo "$name: error: --only takes console or desk" >&2; exit 2; }
      shift 2 ;;
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

# start_mock <mock flags...>: starts $mock (mock_api.mjs or desk_mock_api.mjs) on a free port;
# sets $url.
mock=mock_api.mjs
start_mock() {
  rm -f "$work/url"
  node "$here/$mock" --url-file "$work/url" "$@" >"$work/mock.log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 100); do
    [[ -s $work/url ]] && break
    kill -0 "$mock_pid" 2>/dev/null || { cat "$work/mock.log" >&2; return 1; }
    sleep 0.1
  done
  [[ -s $work/url ]] || { echo "$name: the mock did not start in 10 s" >&2; return 1; }
  url=$(<"$work/url")
}

# check <description> <expected exit> <check flags...>: runs $checker (console_check.mjs or
# desk_check.mjs) against $url.
checker=console_check.mjs
check() {
  local description=$1 want=$2 rc=0
  shift 2
  local shot_args=()
  [[ -n $shots ]] && shot_args=(--screenshot-dir "$shots/$(echo "$description" | tr -c 'A-Za-z0-9\n' '-')")
  node "$here/$checker" --url "$url" "${shot_args[@]}" "$@" >"$work/check.log" 2>&1 || rc=$?
  sed 's/^/    /' "$work/check.log"
  if [[ $rc -eq $want ]]; then record "$description (exit $rc)" 0; else record "$description (exit $rc, want $want)" 1; fi
}

# unit <description> <test file>: node's test runner on one file.
unit() {
  local rc=0
  node --test "$here/test/$2" >"$work/unit.log" 2>&1 || rc=$?
  grep -E '^# (pass|fail)' "$work/unit.log" | sed 's/^/    /'
  [[ $rc -eq 0 ]] || cat "$work/unit.log"
  record "$1 (node --test)" "$rc"
}

if [[ $only != desk ]]; then
  echo "$name: the dispatch console"
  unit "unit tests of the console's helpers" model.test.mjs
  mock=mock_api.mjs
  checker=console_check.mjs

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

  # Appointment work: the filter, a move, and a move refused with its message in the dialog.
  # 03:00 Beijing tomorrow is off every mock crew's shift (08:00-18:00).
  night=$(node -e 'const d = new Date(Date.now() + 32 * 3600e3); console.log(d.toISOString().slice(0, 10) + "T03:00")')
  start_mock
  check "appointment work shows and filters; a booked visit moves" 0 --expect-appointment --move \
    --timeout-ms 60000
  check "a move off the crew's shift shows dispatch's message in the dialog" 0 --move \
    --move-start "$night" --expect-move-error 'HTTP 400 INVALID_ARGUMENT.*not on shift' --timeout-ms 60000
  check "a move off the crew's shift fails --move" 1 --move --move-start "$night" --timeout-ms 30000
  stop_mock

  start_mock --refuse-move
  check "a refused move shows the 412 and its message" 0 --move \
    --expect-move-error 'HTTP 412 FAILED_PRECONDITION.*under way' --timeout-ms 60000
  check "every move refused fails --move" 1 --move --timeout-ms 30000
  stop_mock

  start_mock --no-appointments
  check "no appointment work fails --expect-appointment" 1 --expect-appointment --timeout-ms 8000
  stop_mock
fi

if [[ $only != console ]]; then
  echo "$name: the complaint desk"
  unit "unit tests of the desk's helpers" desk_model.test.mjs
  mock=desk_mock_api.mjs
  checker=desk_check.mjs
  routed=CC-GC-20261124-000101    # marketing, awaiting contact, contact clock amber
  senior=CC-GC-20261124-000103    # a sensitive customer's opinion, awaiting contact
  replied=CC-GC-20261124-000104   # replied, return visit due

  start_mock
  check "a good mock passes take, contact attempt, contact, reply" 0 --case-id $routed \
    --act-as mkt-wl-01 --take --contact-attempt --contact --reply --timeout-ms 90000
  check "a dissatisfied return visit reopens; escalate" 0 --case-id $replied \
    --act-as mkt-head --return-visit dissatisfied --escalate --timeout-ms 60000
  check "pause, resume, coordination asked and answered" 0 --case-id $senior \
    --act-as mkt-wl-01 --take --pause --resume --coordinate metering --timeout-ms 60000
  check "a contributing department answers its part" 0 --case-id CC-GC-20261124-000102 \
    --act-as met-01 --answer-part metering --timeout-ms 40000
  stop_mock

  linked=CC-GC-20261124-000102    # linked to an incident: crews on site, declined, completed
  start_mock
  check "the linked incident's crews show in both languages" 0 --case-id $linked \
    --crew CREW-WL-03 --stage on_site --timeout-ms 30000
  check "a case without an incident shows no network panel" 0 --case-id $routed --no-network \
    --timeout-ms 30000
  check "a crew at another stage than expected fails" 1 --case-id $linked \
    --crew CREW-WL-03 --stage en_route --timeout-ms 10000
  stop_mock

  start_mock --no-incident-context
  check "an incident the service does not know reads 'no information yet'" 0 --case-id $linked \
    --network-unknown --timeout-ms 30000
  check "no context where crews are expected fails" 1 --case-id $linked \
    --crew CREW-WL-03 --stage on_site --timeout-ms 15000
  stop_mock

  start_mock --fail-endpoint /api/incidents/INC-F-GC-20261124-000007
  check "a failing incident call shows in the error area and fails" 1 --case-id $linked \
    --crew CREW-WL-03 --stage on_site --timeout-ms 15000
  stop_mock

  start_mock --list-limit 1
  check "a case off the list's first page opens through the search box" 0 --case-id $senior \
    --timeout-ms 30000
  stop_mock

  start_mock --flaky-action contact
  check "an applied action whose answer was lost shows once" 0 --case-id $routed \
    --act-as mkt-wl-01 --contact --timeout-ms 60000
  stop_mock

  start_mock --drop-first contact
  check "a dropped action is sent again with the same request id" 0 --case-id $routed \
    --act-as mkt-wl-01 --contact --timeout-ms 60000
  stop_mock

  start_mock --no-case $routed
  check "a missing case fails" 1 --case-id $routed --act-as mkt-wl-01 --take --timeout-ms 15000
  stop_mock

  start_mock --refuse reply
  check "a refused reply fails" 1 --case-id $routed --act-as mkt-wl-01 --contact --reply --timeout-ms 40000
  stop_mock

  start_mock --no-timeline
  check "an action without its timeline step fails" 1 --case-id $routed --act-as mkt-wl-01 --take \
    --timeout-ms 15000
  stop_mock

  start_mock --leak-phone
  check "an unmasked mobile number on the case page fails" 1 --case-id $routed --timeout-ms 30000
  stop_mock

  start_mock
  check "a handler of another department is refused" 1 --case-id $routed --act-as ops-wl-01 --take \
    --timeout-ms 30000
  stop_mock
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
