#!/usr/bin/env bash
# Installs the Debian packages, configures and builds GridCare (preset "default", build/), then
# runs the whole test suite with CTest (2 jobs, output of failing tests shown, 300 s per test).
# Prints the total time; exits non-zero when any step or test fails. Works without a terminal
# (CI=true, no stdin) and on a fresh clone. Usage: deploy/test.sh [--help]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,5s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
[[ $# -eq 0 ]] || die "unexpected argument '$1' (try --help)"

started=$SECONDS
trap 'rc=$?; if ((rc == 0)); then log "passed in $((SECONDS - started)) s"; else log "FAILED (exit $rc) after $((SECONDS - started)) s"; fi' EXIT

bash "$GRIDCARE_REPO/deploy/install-deps.sh" </dev/null
bash "$GRIDCARE_REPO/deploy/build.sh" </dev/null
# The e2e console test drives Debian's chromium through playwright-core (npm).
bash "$GRIDCARE_REPO/deploy/install-browser-tools.sh" </dev/null
cd "$GRIDCARE_REPO"
log "testing (ctest --preset default -j2 --output-on-failure)"
ctest --preset default -j2 --output-on-failure </dev/null
