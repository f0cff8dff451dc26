# shellcheck shell=bash
# Helpers shared by the deploy/ scripts. Source it; it defines GRIDCARE_REPO and a few functions.
# Nothing here changes the machine.

GRIDCARE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The script's own name, for messages ("stack.sh: ...").
GRIDCARE_SCRIPT=${GRIDCARE_SCRIPT:-$(basename "$0")}

log() { printf '%s: %s\n' "$GRIDCARE_SCRIPT" "$*"; }
warn() { printf '%s: warning: %s\n' "$GRIDCARE_SCRIPT" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "$GRIDCARE_SCRIPT" "$*" >&2
  exit 1
}

# The script's total time, for its EXIT trap: `trap 'log_total $?' EXIT` logs "passed in N s" or
# "FAILED (exit S) after N s" (counted from when this file was sourced).
GRIDCARE_STARTED=$SECONDS
log_total() {
  if (($1 == 0)); then
    log "passed in $((SECONDS - GRIDCARE_STARTED)) s"
  else
    log "FAILED (exit $1) after $((SECONDS - GRIDCARE_STARTED)) s"
  fi
}

# Runs one named step of a script (stdin closed) and logs its time: step NAME COMMAND...
step() {
  local name=$1 step_started=$SECONDS
  shift
  log "$name"
  "$@" </dev/null
  log "$name: done in $((SECONDS - step_started)) s"
}

# Fails with a message naming the package to install when a command is missing.
require_command() {
  local cmd=$1 hint=${2:-run deploy/install-deps.sh first}
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is not installed ($hint)"
}

# Runs a command as root: directly when already root, otherwise through sudo.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "this step needs root: run it as root or install sudo (command: $*)"
  fi
}

# ccache: a fresh clone in another directory (CI) should still hit the cache. base_dir makes the
# compiler arguments relative to the repo; hashdir=false stops the build directory's absolute path
# from entering the hash (the only cost: debug info may name another clone's build directory).
# Both can be overridden from the environment.
ccache_for_clones() {
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$GRIDCARE_REPO}
  if [[ -z ${CCACHE_HASHDIR:-} ]]; then
    export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
  fi
}

# The local stack's run directory, as deploy/local/stack.sh uses it (absolute).
stack_run_dir() {
  local dir=${GRIDCARE_RUN_DIR:-$GRIDCARE_REPO/.run}
  [[ $dir == /* ]] || dir=$PWD/$dir
  printf '%s' "$dir"
}
