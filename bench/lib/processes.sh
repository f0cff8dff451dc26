#!/usr/bin/env bash
# What the benchmark scripts share (sourced, not run, before the command line is parsed): log/die,
# option parsing, and process handling: every process a benchmark starts is recorded and stopped
# by pid on exit (once it calls `run_on_exit cleanup`), and ports are picked free on 127.0.0.1.
# The sourcing script defines usage (for --help); before `run_on_exit cleanup` it defines work_dir,
# pids=(), names=(), keep_logs, and may set STOP_GRACE_SECONDS. Exit status 3 means "ran cleanly,
# a goal was missed" (logs not dumped).

log() { printf 'run.sh: %s\n' "$*"; }
die() {
  printf 'run.sh: error: %s\n' "$*" >&2
  exit 1
}

# parse_options "--NAME..." ARGS...: each --NAME listed takes a value, stored in the variable NAME
# with dashes as underscores (--send-batch: send_batch; checked by the caller afterwards); -h/--help prints usage and exits; what follows -- goes to
# the array extra.
parse_options() {
  local value_options=" $1 "
  shift
  while (($# > 0)); do
    case $1 in
      -h | --help)
        usage
        exit 0
        ;;
      --)
        shift
        # shellcheck disable=SC2034 # the caller's array
        extra=("$@")
        break
        ;;
      *)
        [[ $value_options == *" $1 "* ]] || die "unknown argument '$1' (see --help)"
        (($# >= 2)) || die "$1 needs a value"
        local name=${1#--}
        printf -v "${name//-/_}" '%s' "$2"
        shift 2
        ;;
    esac
  done
}

require_tools() { # TOOL...: each must be on PATH
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (run deploy/install-deps.sh)"
  done
}

# Calls FUNCTION on exit, and makes SIGINT and SIGTERM exits (130, 143) so that it runs then too.
# FUNCTION starts with `trap - EXIT INT TERM` and ends with `exit "$status"`.
run_on_exit() {
  # shellcheck disable=SC2064 # the function's name is meant to be expanded now
  trap "$1" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# True while PID runs (a zombie, our exited but unreaped child, does not count).
alive() {
  local state
  state=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

stop_pid() { # NAME PID: SIGTERM, up to STOP_GRACE_SECONDS (default 10), then SIGKILL
  local name=$1 pid=$2 waited=0 grace=${STOP_GRACE_SECONDS:-10}
  alive "$pid" || {
    wait "$pid" 2>/dev/null || true
    return 0
  }
  kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid" && ((waited < grace * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if alive "$pid"; then
    printf 'run.sh: %s (pid %s) ignored SIGTERM for %s s; sending SIGKILL\n' "$name" "$pid" "$grace" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    stop_pid "${names[i]}" "${pids[i]}"
  done
  if ((status != 0 && status != 3)) || ((keep_logs)); then
    for i in "${names[@]}"; do
      if [[ -s $work_dir/$i.log ]]; then
        printf '\n--- last lines of %s.log ---\n' "$i" >&2
        tail -n 20 "$work_dir/$i.log" >&2
      fi
    done
  fi
  rm -rf "$work_dir"
  exit "$status"
}

start() { # NAME PROGRAM ARGS...: in the background, output to <work>/NAME.log
  local name=$1
  shift
  "$@" >"$work_dir/$name.log" 2>&1 &
  pids+=("$!")
  names+=("$name")
  REPLY=$!
}

wait_for() { # WHAT PID SECONDS COMMAND...: polls COMMAND until it succeeds
  local what=$1 pid=$2 limit=$3 waited=0
  shift 3
  until "$@" >/dev/null 2>&1; do
    alive "$pid" || die "$what exited while starting"
    ((waited < limit * 10)) || die "$what not ready after $limit s"
    sleep 0.1
    waited=$((waited + 1))
  done
}

# shellcheck source=deploy/lib/ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/lib/ports.sh"

# Starts a real redis-server (AOF everysec, data in <work>/redis) and a one-broker devbroker, and
# waits for both. Sets redis_port, redis_pid, broker_pid and bootstrap; needs bin_dir.
start_redis_and_devbroker() {
  free_port
  redis_port=$REPLY
  mkdir -p "$work_dir/redis"
  # argv[0] stays redis-server: it picks its mode from the program name.
  start redis redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work_dir/redis" \
    --appendonly yes --appendfsync everysec --save '' --daemonize no
  redis_pid=$REPLY
  redis_ping() { [[ $(redis-cli -h 127.0.0.1 -p "$redis_port" ping) == PONG ]]; }
  wait_for redis-server "$redis_pid" 20 redis_ping
  log "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'): 127.0.0.1:$redis_port (pid $redis_pid, AOF everysec)"

  start devbroker "$bin_dir/devbroker" --brokers 1 --bootstrap-file "$work_dir/bootstrap"
  broker_pid=$REPLY
  wait_for devbroker "$broker_pid" 30 test -s "$work_dir/bootstrap"
  bootstrap=$(<"$work_dir/bootstrap")
  log "devbroker: $bootstrap (pid $broker_pid)"
}

# Starts the real profile service over that Redis and broker on free ports and waits until it is
# ready. Sets profile_grpc, profile_metrics and profile_pid; needs bin_dir, redis_port, bootstrap.
start_profile() {
  free_port
  profile_grpc=$REPLY
  free_port
  profile_metrics=$REPLY
  start profile "$bin_dir/profile" --kafka-bootstrap-servers "$bootstrap" \
    --redis-address "127.0.0.1:$redis_port" --grpc-listen-address "127.0.0.1:$profile_grpc" \
    --metrics-listen-address "127.0.0.1:$profile_metrics" --log-level warn
  profile_pid=$REPLY
  wait_for profile "$profile_pid" 60 curl -fsS "http://127.0.0.1:$profile_metrics/readyz"
  log "profile: gRPC 127.0.0.1:$profile_grpc, metrics 127.0.0.1:$profile_metrics (pid $profile_pid)"
}

# ---------------------------------------------------------------------------------------------
# Goals. goal prints one verdict row and sets missed=1 when the goal is not met (or the figures are
# not valid); GOAL_LABEL_WIDTH sets the label column (default 44).
missed=0
goal() { # LABEL MEASURED COMPARATOR TARGET DETAIL [VALID]
  local label=$1 measured=$2 comparator=$3 target=$4 detail=$5 valid=${6:-1} verdict
  if ((!valid)); then
    verdict="n/a"
    missed=1
  elif awk -v m="$measured" -v t="$target" -v c="$comparator" \
    'BEGIN { exit !((c == ">=" && m >= t) || (c == "<=" && m <= t)) }'; then
    verdict=met
  else
    verdict=MISSED
    missed=1
  fi
  printf "  %-${GOAL_LABEL_WIDTH:-44}s %-6s  %s\n" "$label" "$verdict" "$detail"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.3f", a / b }'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'; }
