#!/usr/bin/env bash
# Configures and builds GridCare with the CMake preset "default" (build/, Ninja, ccache if present)
# and prints how long it took. Extra arguments go to `cmake --build`, e.g. `--target devbroker`.
# Usage: deploy/build.sh [cmake --build arguments...]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,4s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
require_command cmake
require_command ninja

cd "$GRIDCARE_REPO"
ccache_for_clones
started=$SECONDS
log "configuring (cmake --preset default)"
cmake --preset default
log "building (cmake --build --preset default${*:+ $*})"
cmake --build --preset default "$@"
log "build finished in $((SECONDS - started)) s; programs are in $GRIDCARE_REPO/build/bin"
