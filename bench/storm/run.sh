#!/usr/bin/env bash
# shellcheck disable=SC2317 # stop_stack and print_logs are called indirectly (trap)
# Issue 6's storm benchmark, end to end, on this machine.
#
# Usage: bench/storm/run.sh [--calls N] [--areas N] [--customers N] [--seed S]
#                           [-- extra gridcare-storm-bench flags]
#
#   --calls N       fault calls, one per distinct customer (default 100000)
#   --areas N       transformer areas the storm hits (default 2000)
#   --customers N   customers of the synthetic utility (default 1000000)
#   --seed S        seed of the utility, its crew roster and the storm (default 42)
#
# Starts the local stack (deploy/local/stack.sh) in a temporary run directory with the services of
# deploy/local/services.list minus any crew simulator (so crews take jobs but never finish them:
# the storm's backlog is all dispatch has to do), GRIDCARE_LOG_LEVEL=warn and the repair-crew
# roster of the same utility; loads the utility's customers into the stack's Redis
# (gridcare-synth --load-redis) and says how long that took; then runs gridcare-storm-bench, which
# publishes the storm's calls on gridcare.requests.v1 as the hotline IVR would (the 10 simulated
# minutes compressed: as fast as the producer allows), follows every request through intake
# (ticket) and dispatch (placed in an incident), and prints: publish time and rate, time until
# intake had opened every ticket, time until dispatch had placed every ticket (the time to drain
# the backlog), counts in and out of each stage, incidents by level, work orders, each service's
# stage counters, and peak memory of every process of the stack and Redis used_memory.
# The stack is stopped and the temporary directory removed on exit; on a failure the last lines
# of every log are printed first.
#
# Needs <bin>/{devbroker,profile,intake,repair-crew,dispatch,gridcare-synth,gridcare-storm-bench}
# (bin = $GRIDCARE_BIN_DIR, default build/bin; deploy/build.sh builds them), redis-server,
# redis-cli, prometheus, curl, ss, setsid, flock and timeout. The full run wants ~2.5 GB of memory
# (Redis ~1.4 GB) and, on 2 busy cores, ~20 minutes: pass -- --drain-timeout 3000 to let dispatch
# finish (the default, 900 s, is gridcare-storm-bench's).
# Exit status: 0 nothing lost; 1 an error, or requests lost or not drained in time.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin_dir=${GRIDCARE_BIN_DIR:-$repo/build/bin}
[[ $bin_dir == /* ]] || bin_dir=$PWD/$bin_dir
calls=100000
areas=2000
customers=1000000
seed=42
extra=()

# shellcheck source=bench/lib/processes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.sh"
usage() { sed -n '3,32s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

parse_options "--calls --areas --customers --seed" "$@"
for option in calls areas customers seed; do
  [[ ${!option} =~ ^[0-9]+$ ]] || die "--$option must be a non-negative integer, not '${!option}'"
done
((calls >= 1)) || die "--calls must be at least 1"
((areas >= 1)) || die "--areas must be at least 1"
((customers >= 1)) || die "--customers must be at least 1"
((calls <= customers)) || die "--calls ($calls) cannot exceed --customers ($customers): every call is a distinct customer"

for program in devbroker profile intake repair-crew dispatch gridcare-synth gridcare-storm-bench; do
  [[ -x $bin_dir/$program ]] || die "$bin_dir/$program is missing: build first (deploy/build.sh, or cmake --build <dir> and GRIDCARE_BIN_DIR=<dir>/bin)"
done
require_tools redis-server redis-cli prometheus curl ss setsid flock timeout
services_source=$repo/deploy/local/services.list
[[ -r $services_source ]] || die "$services_source is missing"

# ---------------------------------------------------------------------------------------------
# The stack, in a temporary run directory; stopped and removed on exit.

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/gridcare-storm-bench.XXXXXX")
run_dir=$work_dir/run
stack_env=(GRIDCARE_RUN_DIR="$run_dir" GRIDCARE_BIN_DIR="$bin_dir"
  GRIDCARE_SERVICES_LIST="$work_dir/services.list" GRIDCARE_LOG_LEVEL=warn
  GRIDCARE_ROSTER_SEED="$seed" GRIDCARE_ROSTER_CUSTOMERS="$customers"
  GRIDCARE_START_TIMEOUT="${GRIDCARE_START_TIMEOUT:-120}")
stack_started=0
SETTLE_SECONDS=15

print_logs() {
  local file
  for file in "$work_dir"/stack-*.log "$run_dir"/logs/*.log "$work_dir"/synth.log; do
    [[ -s $file ]] || continue
    printf '\n--- last lines of %s ---\n' "${file#"$work_dir"/}" >&2
    tail -n 25 "$file" >&2
  done
}

stop_stack() {
  local status=$?
  trap - EXIT INT TERM
  if ((status != 0)); then
    print_logs
  fi
  if ((stack_started)); then
    env "${stack_env[@]}" "$repo/deploy/local/stack.sh" stop >"$work_dir/stack-stop.log" 2>&1 ||
      printf 'run.sh: stack.sh stop failed:\n%s\n' "$(cat "$work_dir/stack-stop.log")" >&2
  fi
  rm -rf "$work_dir"
  exit "$status"
}
run_on_exit stop_stack

# The local list minus any crew simulator: no crew ever finishes a job during the benchmark.
awk '!/^[[:space:]]*(#|$)/ && $1 != "crew-sim" && $2 !~ /crew-sim/' "$services_source" \
  >"$work_dir/services.list"
for service in profile intake repair-crew dispatch; do
  awk -v s="$service" '$1 == s { found = 1 } END { exit !found }' "$work_dir/services.list" ||
    die "$services_source has no '$service' line; the storm needs profile, intake, repair-crew and dispatch"
done

log "machine: $(nproc) cores, $(awk '/MemAvailable/ { printf "%.1f GiB available", $2 / 1048576 }' /proc/meminfo); uptime:$(uptime | sed 's/.*up/ up/')"
log "services: $(awk '{ printf "%s%s", sep, $1; sep = ", " }' "$work_dir/services.list") (no crew simulator); roster of the seed-$seed, $customers-customer utility"
run_started=$SECONDS
stack_started=1
env "${stack_env[@]}" "$repo/deploy/local/stack.sh" start >"$work_dir/stack-start.log" 2>&1 ||
  die "deploy/local/stack.sh start failed"
[[ -s $run_dir/endpoints.env ]] || die "the stack wrote no $run_dir/endpoints.env"
log "stack up in $((SECONDS - run_started)) s (run directory $run_dir)"
stack_ready=$SECONDS

redis_address=$(sed -n 's/^GRIDCARE_REDIS_ADDRESS=//p' "$run_dir/endpoints.env")
[[ -n $redis_address ]] || die "no GRIDCARE_REDIS_ADDRESS in $run_dir/endpoints.env"

load_started=$(date +%s.%N)
"$bin_dir/gridcare-synth" --seed "$seed" --customers "$customers" --out "$work_dir/synth" \
  --load-redis "$redis_address" --no-progress >"$work_dir/synth.log" 2>&1 ||
  die "loading the utility into Redis failed"
load_seconds=$(awk -v a="$load_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
log "utility loaded: $customers customers (seed $seed) into Redis $redis_address in $load_seconds s; $(redis-cli -h "${redis_address%:*}" -p "${redis_address##*:}" dbsize) keys"

# "Ready" comes before the consumer groups settle: intake's consumers join its group one by one
# and the devbroker completes that rebalance ~12 s after start, holding requests meanwhile. The
# large load takes longer than that; after a small one, wait, so the storm measures the services.
settle=$((stack_ready + SETTLE_SECONDS - SECONDS))
if ((settle > 0)); then
  log "waiting ${settle} s more for the consumer groups to settle"
  sleep "$settle"
fi

bench_status=0
"$bin_dir/gridcare-storm-bench" --endpoints "$run_dir/endpoints.env" --run-dir "$run_dir" \
  --calls "$calls" --areas "$areas" --customers "$customers" --seed "$seed" \
  ${extra[@]+"${extra[@]}"} || bench_status=$?

# Anything the stack said at warn level or above during the run is worth a look (the services log
# JSON lines; redis-server and devbroker plain text; Prometheus is left out).
for file in "$run_dir"/logs/*.log; do
  [[ -s $file ]] || continue
  name=$(basename "$file" .log)
  case $name in
    prometheus) continue ;;
    redis | devbroker) pattern='warn|error|fatal|assert' ;;
    *) pattern='"level":"(warn|error)"' ;;
  esac
  lines=$(grep -c -i -E "$pattern" "$file" || true)
  if ((lines > 0)); then
    printf '\nrun.sh: %s logged %s warning/error lines; the last ones:\n' "$name" "$lines"
    grep -i -E "$pattern" "$file" | tail -n 5 | cut -c1-400
  fi
done
log "run took $((SECONDS - run_started)) s; uptime at the end:$(uptime | sed 's/.*up/ up/')"
((bench_status == 0)) || exit 1
exit 0
