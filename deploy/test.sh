#!/usr/bin/env bash
# Installs the Debian packages, checks clang-format (deploy/check-format.sh), configures and builds
# GridCare with warnings as errors (preset "default", build/), runs clang-tidy on libs/ and
# services/ (deploy/check-tidy.sh), the Helm chart's offline checks (deploy/check-helm.sh), the
# container image built and checked in a chroot (deploy/build-image.sh, as root), the whole test
# suite with CTest (2 jobs, output of failing tests shown, 300 s per test; e2e tests get one retry)
# and the unit tests under ASan/UBSan (preset "asan", build-asan/).
# GRIDCARE_SKIP_CHECKS=tidy,helm,image,asan skips those (a quick local run; CI runs everything).
# Prints the time of each step and the total; exits non-zero when any step or test fails. Works
# without a terminal (CI=true, no stdin) and on a fresh clone. Usage: deploy/test.sh [--help]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
[[ $# -eq 0 ]] || die "unexpected argument '$1' (try --help)"

trap 'log_total $?' EXIT

skipped=",${GRIDCARE_SKIP_CHECKS:-},"
wants() { [[ $skipped != *",$1,"* ]]; }

step "installing Debian packages" bash "$GRIDCARE_REPO/deploy/install-deps.sh"
step "checking clang-format" bash "$GRIDCARE_REPO/deploy/check-format.sh"
step "building (preset default)" bash "$GRIDCARE_REPO/deploy/build.sh"
if wants tidy; then step "clang-tidy (bugprone-*, function size)" bash "$GRIDCARE_REPO/deploy/check-tidy.sh"; fi
# The e2e console test drives Debian's chromium through playwright-core (npm).
step "installing browser test tools" bash "$GRIDCARE_REPO/deploy/install-browser-tools.sh"
# Needs node and npm, which the browser tools step makes sure of.
if wants helm; then step "Helm chart checks (lint, template, schemas)" bash "$GRIDCARE_REPO/deploy/check-helm.sh"; fi
# About 30 s with the cached Debian file systems (~/.cache/gridcare-image), 4-5 min without.
if wants image; then step "container image (build, chroot checks)" bash "$GRIDCARE_REPO/deploy/build-image.sh"; fi
cd "$GRIDCARE_REPO"
ccache_for_clones
step "testing (ctest --preset default -j2, all but e2e)" ctest --preset default -j2 --output-on-failure -LE e2e
# The e2e tests run whole stacks of processes linked with Debian's librdkafka 2.0.2, which can abort
# on an upstream race (rd_kafka_broker_destroy_final assertion, confluentinc/librdkafka#3608, seen
# once in ~30 CI runs): a failing e2e test runs once more. A real regression fails both times; the
# ctest output shows any retry. See docs/reliability.md, "Known third-party faults".
step "testing the e2e stacks (ctest -L e2e, one retry)" ctest --preset default -j2 --output-on-failure -L e2e --repeat until-pass:2
if wants asan; then
  step "configuring the sanitizer build (preset asan)" cmake --preset asan
  step "building the unit tests under ASan/UBSan" cmake --build --preset asan
  step "unit tests under ASan/UBSan (ctest --preset asan)" ctest --preset asan
fi
