#!/usr/bin/env bash
# shellcheck disable=SC2317 # stop_stack and print_logs are called indirectly (trap)
# Issue 6's storm benchmark, end to end, on this machine.
#
# Usage: bench/storm/run.sh [--calls N] [--areas N] [--customers N] [--seed S]
#                           [--dispatch-instances N] [-- extra gridcare-storm-bench flags]
#
#   --calls N       fault calls, one per distinct customer (default 100000)
#   --areas N       transformer areas the storm hits (default 2000)
#   --customers N   customers of the synthetic utility (default 1000000)
#   --seed S        seed of the utility, its crew roster and the storm (default 42)
#   --dispatch-instances N
#                   dispatch instances (default 1). With 2 or more, the same storm runs twice,
#                   each on a fresh stack: with one instance, then with N
#                   (GRIDCARE_DISPATCH_INSTANCES); the two runs' shapes (incidents by
#                   transformer and feeder with their calls, single-customer incidents, work
#                   orders) are compared and their times printed side by side
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
usage() { awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; }

dispatch_instances=1
parse_options "--calls --areas --customers --seed --dispatch-instances" "$@"
for option in calls areas customers seed dispatch_instances; do
  [[ ${!option} =~ ^[0-9]+$ ]] || die "--$option must be a non-negative integer, not '${!option}'"
done
((calls >= 1)) || die "--calls must be at least 1"
((dispatch_instances >= 1 && dispatch_instances <= 12)) || die "--dispatch-instances must be 1 to 12 (the territory topic's partitions)"
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
stack_env=()
set_stack_env() { # INSTANCES: the environment of stack.sh for a run with that many dispatches
  stack_env=(GRIDCARE_RUN_DIR="$run_dir" GRIDCARE_BIN_DIR="$bin_dir"
    GRIDCARE_SERVICES_LIST="$work_dir/services.list" GRIDCARE_LOG_LEVEL=warn
    GRIDCARE_ROSTER_SEED="$seed" GRIDCARE_ROSTER_CUSTOMERS="$customers"
    GRIDCARE_DISPATCH_INSTANCES="$1"
    GRIDCARE_START_TIMEOUT="${GRIDCARE_START_TIMEOUT:-120}")
}
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
# run_storm INSTANCES LABEL: a fresh stack with INSTANCES dispatch instances, the utility loaded,
# the storm through gridcare-storm-bench (its report on stdout, the storm's shape in
# $work_dir/shape-LABEL.txt, the report in $work_dir/report-LABEL.txt), the stack stopped.
run_storm() {
  local instances=$1 label=$2
  run_dir=$work_dir/run-$label
  set_stack_env "$instances"
  log "=== run '$label': $instances dispatch instance(s) ==="
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

  local run_status=0
  "$bin_dir/gridcare-storm-bench" --endpoints "$run_dir/endpoints.env" --run-dir "$run_dir" \
    --calls "$calls" --areas "$areas" --customers "$customers" --seed "$seed" \
    --shape-out "$work_dir/shape-$label.txt" ${extra[@]+"${extra[@]}"} |
    tee "$work_dir/report-$label.txt" || run_status=$?

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
  log "run '$label' took $((SECONDS - run_started)) s; uptime at the end:$(uptime | sed 's/.*up/ up/')"
  env "${stack_env[@]}" "$repo/deploy/local/stack.sh" stop >"$work_dir/stack-stop.log" 2>&1 ||
    printf 'run.sh: stack.sh stop failed:\n%s\n' "$(cat "$work_dir/stack-stop.log")" >&2
  stack_started=0
  ((run_status == 0)) || bench_status=1
}

# The figures of a report worth comparing between runs.
key_figures() { # REPORT
  grep -E "dispatch's tail after intake|tickets out = tickets placed|nothing lost|backlog drained" "$1" |
    sed 's/^ *//'
}

bench_status=0
if ((dispatch_instances == 1)); then
  run_storm 1 one
  ((bench_status == 0)) || exit 1
  exit 0
fi
run_storm 1 one
run_storm "$dispatch_instances" several
printf '\n=== 1 dispatch instance against %s, same storm ===\n' "$dispatch_instances"
printf -- '--- 1 instance:\n%s\n--- %s instances:\n%s\n' "$(key_figures "$work_dir/report-one.txt")" \
  "$dispatch_instances" "$(key_figures "$work_dir/report-several.txt")"
if diff -u "$work_dir/shape-one.txt" "$work_dir/shape-several.txt" >"$work_dir/shape.diff"; then
  printf 'shape: identical (%s transformer/feeder incidents holding calls; %s)\n' \
    "$(grep -c -E '^(transformer|feeder) ' "$work_dir/shape-one.txt")" \
    "$(tail -n 2 "$work_dir/shape-one.txt" | tr '\n' ' ')"
else
  printf 'shape: DIFFERENT (%s lines differ); the first differences:\n' \
    "$(grep -c -E '^[-+][^-+]' "$work_dir/shape.diff")"
  grep -E '^[-+][^-+]' "$work_dir/shape.diff" | head -n 20
  bench_status=1
fi
((bench_status == 0)) || exit 1
exit 0
