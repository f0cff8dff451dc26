#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup and the readiness probes are called indirectly (trap, wait_for)
# The notification service's benchmark (issue 14), end to end, on this machine.
#
# Usage: bench/notification/run.sh [--customers N] [--max-in-flight N] [--send-batch N]
#                                  [-- extra gridcare-notification-bench flags]
#
#   --customers N      customers of the seed-42 synthetic utility (default 1000000)
#   --max-in-flight N  notification's --max-in-flight, and the raw loop's (default 64, the
#                      service's default)
#   --send-batch N     notification's --send-batch (default 500, the service's default)
#   --send-workers N   notification's --send-workers (default: not passed, the service's default)
#   GRIDCARE_BENCH_TIMEOUT (environment) seconds each phase may take (default 300)
#
# Starts, in a temporary directory, on 127.0.0.1 only: a real redis-server (AOF everysec),
# devbroker, the real profile service, gridcare-provider-sim (a random bearer token) and the real
# notification service (bench/notification/delivery-policy.json: the shipped policy with every
# provider's rate raised to 100,000/s and quiet hours' imminent window to 24 h, so neither pacing
# nor quiet hours hold notices back; the shipped templates and triggers). Loads the utility into
# Redis through the profile's bulk path (gridcare-synth --load-redis, RedisProfileStore::BulkLoad
# as bench/profile), with progress lines. Then gridcare-notification-bench
# (notification_bench.cpp says what each figure means):
#   1. the feeder with the most customers and the notices notification will send for a
#      feeder-level incident_opened on it (predicted with the service's own rules and planner);
#   2. the raw ceiling: the same messages POSTed by a plain libcurl multi loop, same in-flight
#      limit, kept-alive, same bodies (with a callback_url to a sink, so the simulator posts
#      delivery reports as it does for the service), to the same simulator;
#   3. the service: the incident_opened published on gridcare.dispatch.v1, timed to the
#      simulator's accepted count reaching the expected count; messages/s;
#   4. the raw loop again, after the service run (the machine's load may have moved).
# and evaluates the goals: service rate >= 0.5 x the raw loop's, notification's peak RSS
# (VmHWM) < 300 MiB.
# Everything it started is stopped by pid on exit.
#
# Needs build/bin/{profile,devbroker,notification,gridcare-provider-sim,gridcare-synth,
# gridcare-notification-bench} (deploy/build.sh --target gridcare-notification-bench builds them
# all), redis-server, redis-cli, curl, ss and timeout.
# Exit status: 0 all goals met; 1 an error; 3 the run was clean but a goal was missed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin_dir=${GRIDCARE_BIN_DIR:-$repo/build/bin}
config_dir=$repo/services/notification/config
customers=1000000
seed=42
max_in_flight=64
send_batch=500
send_workers=""
extra=()

# shellcheck source=bench/lib/processes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.sh"
usage() { sed -n '3,38s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

parse_options "--customers --max-in-flight --send-batch --send-workers" "$@"
worker_flags=()
if [[ -n $send_workers ]]; then
  [[ $send_workers =~ ^[1-9][0-9]*$ ]] || die "--send-workers must be a positive integer, not '$send_workers'"
  worker_flags=(--send-workers "$send_workers")
fi
for option in customers max_in_flight send_batch; do
  [[ ${!option} =~ ^[1-9][0-9]*$ ]] || die "--${option//_/-} must be a positive integer, not '${!option}'"
done
phase_timeout=${GRIDCARE_BENCH_TIMEOUT:-300}
[[ $phase_timeout =~ ^[1-9][0-9]*$ ]] || die "GRIDCARE_BENCH_TIMEOUT must be a positive integer"

for program in profile devbroker notification gridcare-provider-sim gridcare-synth \
  gridcare-notification-bench; do
  [[ -x $bin_dir/$program ]] ||
    die "$bin_dir/$program is missing: run deploy/build.sh --target gridcare-notification-bench"
done
require_tools redis-server redis-cli curl ss timeout

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/gridcare-notification-bench.XXXXXX")
pids=()
names=()
keep_logs=0
run_on_exit cleanup

log "machine: $(nproc) cores; uptime:$(uptime | sed 's/.*up/ up/')"
run_started=$SECONDS
start_redis_and_devbroker

start_profile

(umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$work_dir/provider-token")
free_port
sim_port=$REPLY
start provider-sim "$bin_dir/gridcare-provider-sim" --listen-address "127.0.0.1:$sim_port" \
  --token-file "$work_dir/provider-token" --log-level warn
sim_pid=$REPLY
wait_for gridcare-provider-sim "$sim_pid" 30 curl -fsS "http://127.0.0.1:$sim_port/healthz"
log "gridcare-provider-sim: 127.0.0.1:$sim_port (pid $sim_pid)"

free_port
console_port=$REPLY
free_port
notification_metrics=$REPLY
start notification "$bin_dir/notification" --redis-address "127.0.0.1:$redis_port" \
  --kafka-bootstrap-servers "$bootstrap" --profile-service-target "127.0.0.1:$profile_grpc" \
  --metrics-listen-address "127.0.0.1:$notification_metrics" \
  --console-listen-address "127.0.0.1:$console_port" \
  --provider-base-url "http://127.0.0.1:$sim_port/providers/" \
  --provider-token-file "$work_dir/provider-token" \
  --templates "$config_dir/templates.json" --triggers "$config_dir/triggers.json" \
  --staff-contacts "$config_dir/staff-contacts.json" \
  --delivery-policy "$repo/bench/notification/delivery-policy.json" \
  --max-in-flight "$max_in_flight" --send-batch "$send_batch" ${worker_flags[@]+"${worker_flags[@]}"} \
  --log-level "${GRIDCARE_BENCH_LOG_LEVEL:-warn}"
notification_pid=$REPLY
wait_for notification "$notification_pid" 60 curl -fsS "http://127.0.0.1:$notification_metrics/readyz"
log "notification: callbacks 127.0.0.1:$console_port, metrics 127.0.0.1:$notification_metrics (pid $notification_pid; --max-in-flight $max_in_flight, --send-batch $send_batch${send_workers:+, --send-workers $send_workers})"

# The utility into Redis through the profile's bulk path; gridcare-synth's progress bar becomes a
# line every 10 %.
load_progress() {
  tr '\r' '\n' | awk '
    /^customers \[/ {
      sub(/^customers \[[#.]*\] */, "")
      percent = $1 + 0
      if (percent >= next_percent) {
        printf "run.sh: loading customers: %s\n", $0
        fflush()
        next_percent = percent - percent % 10 + 10
      }
      next
    }
    NF { print; fflush() }'
}
log "loading $customers customers (seed $seed) into Redis (gridcare-synth --load-redis: RedisProfileStore::BulkLoad)"
load_started=$SECONDS
load_status=0
timeout --kill-after=10 "$phase_timeout" "$bin_dir/gridcare-synth" --seed "$seed" \
  --customers "$customers" --out "$work_dir/synth" --load-redis "127.0.0.1:$redis_port" \
  --progress >"$work_dir/synth.log" 2> >(load_progress >&2) || load_status=$?
((load_status != 124)) || die "loading took longer than $phase_timeout s (GRIDCARE_BENCH_TIMEOUT)"
((load_status == 0)) || die "loading the utility into Redis failed (exit $load_status): $(tail -n 3 "$work_dir/synth.log")"
log "loaded in $((SECONDS - load_started)) s; Redis holds $(redis-cli -h 127.0.0.1 -p "$redis_port" dbsize) keys; load:$(cut -d' ' -f1-3 /proc/loadavg)"

results=$work_dir/results
bench_status=0
timeout --kill-after=10 $((phase_timeout * 4 + 60)) "$bin_dir/gridcare-notification-bench" \
  --simulator "127.0.0.1:$sim_port" --bootstrap "$bootstrap" \
  --token-file "$work_dir/provider-token" --notification-pid "$notification_pid" \
  --notification-metrics "127.0.0.1:$notification_metrics" --config-dir "$config_dir" \
  --profile-target "127.0.0.1:$profile_grpc" \
  --delivery-policy "$repo/bench/notification/delivery-policy.json" \
  --customers "$customers" --seed "$seed" --max-in-flight "$max_in_flight" \
  --send-batch "$send_batch" \
  --timeout "$phase_timeout" --results "$results" \
  --watch "notification=$notification_pid" --watch "provider-sim=$sim_pid" \
  --watch "profile=$profile_pid" --watch "redis=$redis_pid" --watch "devbroker=$broker_pid" \
  ${extra[@]+"${extra[@]}"} || bench_status=$?
((bench_status != 124)) || die "gridcare-notification-bench took too long (GRIDCARE_BENCH_TIMEOUT)"
if ((bench_status != 0)); then
  keep_logs=1
  [[ -s $results ]] || die "gridcare-notification-bench failed (exit $bench_status)"
fi

# ---------------------------------------------------------------------------------------------
# Summary

declare -A r=()
while IFS='=' read -r key value; do
  [[ -n $key ]] && r[$key]=$value
done <"$results"

GOAL_LABEL_WIDTH=44 # goal(), ratio() and fmt() come from bench/lib/processes.sh
raw_rate=${r[raw_before.per_s]:-0}
raw_label="raw loop (before)"
if [[ ${r[raw_after.valid]:-0} == 1 && ${r[raw_before.valid]:-0} == 1 ]]; then
  raw_rate=$(awk -v a="${r[raw_before.per_s]}" -v b="${r[raw_after.per_s]}" 'BEGIN { print (a + b) / 2 }')
  raw_label="raw loop (mean of before and after)"
fi
raw_valid=${r[raw_before.valid]:-0}
service_valid=${r[service.valid]:-0}
rate_ratio=$(ratio "${r[service.per_s]:-0}" "$raw_rate")
rss_valid=0
awk -v m="${r[rss.peak_mib]:--1}" 'BEGIN { exit !(m > 0) }' && rss_valid=1

printf '\nSummary: feeder %s, %s customers -> %s notices; %s cores; run took %d s\n' \
  "${r[feeder.id]:-?}" "${r[feeder.customers]:-?}" "${r[expected]:-?}" "$(nproc)" \
  $((SECONDS - run_started))
printf '  %-44s %-6s  %s\n' "goal" "result" "measured"
goal "service rate >= 0.5 x raw loop rate" "$rate_ratio" ">=" 0.5 \
  "$(fmt "${r[service.per_s]:-0}" '%.0f')/s / $(fmt "$raw_rate" '%.0f')/s = $rate_ratio" \
  $((raw_valid && service_valid))
goal "notification peak RSS (VmHWM) < 300 MiB" "${r[rss.peak_mib]:--1}" "<=" 299.99 \
  "$(fmt "${r[rss.peak_mib]:--1}" '%.1f') MiB (VmRSS at the end $(fmt "${r[rss.now_mib]:--1}" '%.1f') MiB)" \
  "$rss_valid"
printf '  %-44s %-6s  %s\n' "publish -> last notice accepted" "-" \
  "$(fmt "${r[service.seconds]:-0}" '%.3f') s (first accepted $(fmt "${r[service.first_s]:-0}" '%.3f') s, all queued $(fmt "${r[service.queued_s]:--1}" '%.3f') s)"
printf '  %-44s %-6s  %s\n' "$raw_label" "-" \
  "$(fmt "$raw_rate" '%.0f')/s (before $(fmt "${r[raw_before.per_s]:-0}" '%.0f')/s, after $(fmt "${r[raw_after.per_s]:-0}" '%.0f')/s)"
# notification's own account of each fan-out: its time and how long planning waited for the store.
while IFS= read -r line; do
  printf '  %-44s %-6s  %s\n' "fan-out (notification's log)" "-" "$line"
done < <(grep -h '"fan-out stored"' "$work_dir/notification.log" 2>/dev/null |
  sed -E 's/.*"templates":"([^"]*)".*"recipients":([0-9]*).*"seconds":([0-9.]*).*"waited_for_store_seconds":([0-9.]*).*/\1: \2 recipients in \3 s, \4 s of it waiting for the store/')
printf '  %-44s %-6s  %s\n' "Kafka floor: sent events, flushed per batch" "-" \
  "$(fmt "${r[kafka_floor.seconds]:--1}" '%.3f') s for the same count (every $send_batch)"
printf '  %-44s %-6s  %s\n' "profile floor: the feeder streamed alone" "-" \
  "$(fmt "${r[profile_floor.seconds]:--1}" '%.3f') s"
printf '  %-44s %-6s  %s\n' "delivery reports posted / applied" "-" \
  "$(fmt "${r[service.reports_s]:--1}" '%.3f') s / $(fmt "${r[service.delivered_s]:--1}" '%.3f') s after the publish"
for phase in raw_before service; do
  line=""
  for name in bench notification provider-sim profile redis devbroker others; do
    value=${r[$phase.cpu.$name]:-}
    [[ -n $value ]] && line+=" $name $(fmt "$value" '%.2f')"
  done
  printf '  %-44s %-6s %s\n' "cores used, ${phase/_/ }" "-" "$line"
done
log "uptime at the end:$(uptime | sed 's/.*up/ up/')"

((bench_status == 0)) || exit 1
((missed == 0)) || exit 3
exit 0
