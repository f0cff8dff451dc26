#!/usr/bin/env bash
# Installs the Debian packages, checks formatting, configures and builds GridCare (preset
# "default", build/), runs the whole test suite with CTest (2 jobs, output of failing tests shown,
# 300 s per test), then the unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer
# (preset "asan", build-asan/), then clang-tidy on libs/ and services/. Prints the time of each
# step and the total; exits non-zero when any step or test fails. Works without a terminal (CI=true,
# no stdin) and on a fresh clone. Usage: deploy/test.sh [--help]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
[[ $# -eq 0 ]] || die "unexpected argument '$1' (try --help)"

started=$SECONDS
trap 'rc=$?; if ((rc == 0)); then log "passed in $((SECONDS - started)) s"; else log "FAILED (exit $rc) after $((SECONDS - started)) s"; fi' EXIT
step() {
  local name=$1 step_started=$SECONDS
  shift
  log "$name"
  "$@" </dev/null
  log "$name: done in $((SECONDS - step_started)) s"
}

step "installing Debian packages" bash "$GRIDCARE_REPO/deploy/install-deps.sh"
step "checking clang-format" bash "$GRIDCARE_REPO/deploy/check-format.sh"
step "building (preset default)" bash "$GRIDCARE_REPO/deploy/build.sh"
# The e2e console test drives Debian's chromium through playwright-core (npm).
step "installing browser test tools" bash "$GRIDCARE_REPO/deploy/install-browser-tools.sh"
cd "$GRIDCARE_REPO"
ccache_for_clones
step "testing (ctest --preset default -j2)" ctest --preset default -j2 --output-on-failure
step "configuring the sanitizer build (preset asan)" cmake --preset asan
step "building the unit tests under ASan/UBSan" cmake --build --preset asan
step "unit tests under ASan/UBSan (ctest --preset asan)" ctest --preset asan
step "clang-tidy (bugprone-*, function size)" bash "$GRIDCARE_REPO/deploy/check-tidy.sh"
