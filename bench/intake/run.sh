#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup and the readiness probes are called indirectly (trap, wait_for)
# intake's benchmark, end to end, on this machine.
#
# Usage: bench/intake/run.sh [--requests N] [-- extra gridcare-intake-bench flags]
#
#   --requests N   records of each throughput phase (default 20000); the latency phases send
#                  min(N, rate x 20 s) records, at least 500
#   GRIDCARE_INTAKE_FLAGS  (environment) extra flags for the intake service, word-split, e.g.
#                  GRIDCARE_INTAKE_FLAGS="--consumers 8 --redis-pool-size 12"
#
# Starts, in a temporary directory, a real redis-server on a free 127.0.0.1 port (AOF on,
# appendfsync everysec, as in the local stack), devbroker (one broker), loads the 2,000-customer
# fixture (gridcare-synth --seed 42 --customers 2000 --load-redis), starts the real profile and
# intake services against them, then, on the same devbroker, runs in this order:
#   1. gridcare-intake-bench relay: a raw librdkafka consume->produce relay (in the bench process)
#      from gridcare.bench.relay-in.v1 to gridcare.bench.relay-out.v1, with the services' client
#      settings (GridCare's librdkafka defaults; fetch.wait.max.ms left at 500 ms, as the
#      services'). The devbroker has no Admin API: these scratch topics are auto-created on first
#      use (4 partitions each); nothing in the stack reads them. Records are intake's request
#      records (same keys, values, CloudEvents headers) plus two bench headers. The goals'
#      baseline.
#   2. The same relay with fetch.wait.max.ms=10: the devbroker's transport floor, for reference.
#      The devbroker answers a fetch that finds no data only after fetch.wait.max.ms, even when
#      records arrive meanwhile (librdkafka's mock broker), so each consumer hop of a lightly
#      loaded stream costs up to 500 ms with the services' settings; real Kafka answers at once.
#   0. gridcare-intake-decision-bench, before anything else starts: IntakeCore alone in process,
#      one thread (no Redis, gRPC or Kafka; the same request mix): the CPU intake's decisions
#      take per request, which no I/O can remove.
#   3. gridcare-intake-bench intake: ServiceRequests on gridcare.requests.v1 (60% fault repair by
#      customer id or phone, 20% consultations, 10% complaints, 5% applications, 5% urgings), each
#      matched to its outcome event on gridcare.intake.v1 by request id, with a per-request
#      breakdown (Redis commands and round trips, profile gRPC calls, time in intake's handler).
# Each measures a throughput phase (N records at once) and a latency phase paced at half the
# throughput it measured. The bench's own consumer uses fetch.wait.max.ms=10. Then the issue's
# goals are evaluated against run 1 (ratios against run 2 are printed too):
#   intake throughput >= 0.25 x relay throughput;  intake p99 <= 5 x relay p99 (each at half load).
# Everything it started is stopped by pid on exit.
#
# Needs build/bin/{intake,profile,devbroker,gridcare-synth,gridcare-intake-bench,
# gridcare-intake-decision-bench} (deploy/build.sh),
# redis-server, redis-cli, curl and ss.
# Exit status: 0 all goals met; 1 an error (missing outcomes included); 3 the run was clean but a
# goal was missed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin_dir=${GRIDCARE_BIN_DIR:-$repo/build/bin}
requests=20000
customers=2000
seed=42
extra=()

# shellcheck source=bench/lib/processes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.sh"
usage() { sed -n '3,44s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

parse_options "--requests" "$@"
[[ $requests =~ ^[1-9][0-9]*$ ]] || die "--requests must be a positive integer, not '$requests'"

for program in intake profile devbroker gridcare-synth gridcare-intake-bench \
  gridcare-intake-decision-bench; do
  [[ -x $bin_dir/$program ]] || die "$bin_dir/$program is missing: run deploy/build.sh first"
done
require_tools redis-server redis-cli curl ss

# ---------------------------------------------------------------------------------------------
# Processes: every one we start is recorded and stopped by pid on exit.

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/gridcare-intake-bench.XXXXXX")
pids=()
names=()
keep_logs=0

STOP_GRACE_SECONDS=15
run_on_exit cleanup

# ---------------------------------------------------------------------------------------------

log "machine: $(nproc) cores; uptime:$(uptime | sed 's/.*up/ up/')"
run_started=$SECONDS

printf '\n=== intake decisions alone, in process (a yardstick; nothing else running) ===\n'
"$bin_dir/gridcare-intake-decision-bench" --requests "$requests" --customers "$customers" \
  --seed "$seed" --threads 1 --results "$work_dir/decision.results" ||
  die "gridcare-intake-decision-bench failed"

start_redis_and_devbroker

"$bin_dir/gridcare-synth" --seed "$seed" --customers "$customers" --out "$work_dir/synth" \
  --load-redis "127.0.0.1:$redis_port" --no-progress >"$work_dir/synth.log" 2>&1 ||
  die "loading the fixture failed: $(tail -n 5 "$work_dir/synth.log")"
log "fixture: $customers customers (seed $seed) loaded, $(redis-cli -h 127.0.0.1 -p "$redis_port" dbsize) keys"

start_profile

free_port
intake_grpc=$REPLY
free_port
intake_metrics=$REPLY
start intake "$bin_dir/intake" --kafka-bootstrap-servers "$bootstrap" \
  --redis-address "127.0.0.1:$redis_port" --grpc-listen-address "127.0.0.1:$intake_grpc" \
  --metrics-listen-address "127.0.0.1:$intake_metrics" \
  --profile-service-target "127.0.0.1:$profile_grpc" --log-level warn ${GRIDCARE_INTAKE_FLAGS:-}
intake_pid=$REPLY
wait_for intake "$intake_pid" 60 curl -fsS "http://127.0.0.1:$intake_metrics/readyz"
log "intake: gRPC 127.0.0.1:$intake_grpc, metrics 127.0.0.1:$intake_metrics (pid $intake_pid)"

bench_status=0
common=(--bootstrap "$bootstrap" --requests "$requests" --customers "$customers" --seed "$seed"
  --watch "devbroker=$broker_pid" --watch "redis=$redis_pid" --watch "profile=$profile_pid"
  --watch "intake=$intake_pid")

printf '\n=== relay, the services\x27 consumer settings (the goals\x27 baseline) ===\n'
"$bin_dir/gridcare-intake-bench" relay "${common[@]}" --results "$work_dir/relay.results" \
  ${extra[@]+"${extra[@]}"} || bench_status=$?
((bench_status == 0)) || {
  keep_logs=1
  die "gridcare-intake-bench relay failed (exit $bench_status)"
}

printf '\n=== relay, fetch.wait.max.ms=10 (the devbroker\x27s transport floor; for reference) ===\n'
"$bin_dir/gridcare-intake-bench" relay "${common[@]}" --relay-fetch-wait-ms 10 \
  --results "$work_dir/floor.results" ${extra[@]+"${extra[@]}"} || bench_status=$?
((bench_status == 0)) || {
  keep_logs=1
  die "gridcare-intake-bench relay --relay-fetch-wait-ms 10 failed (exit $bench_status)"
}

printf '\n=== intake ===\n'
"$bin_dir/gridcare-intake-bench" intake "${common[@]}" --results "$work_dir/intake.results" \
  --redis "127.0.0.1:$redis_port" --intake-metrics "127.0.0.1:$intake_metrics" \
  --profile-metrics "127.0.0.1:$profile_metrics" ${extra[@]+"${extra[@]}"} || bench_status=$?
if ((bench_status != 0)); then
  keep_logs=1
  [[ -s $work_dir/intake.results ]] || die "gridcare-intake-bench intake failed (exit $bench_status)"
fi
alive "$profile_pid" || die "the profile service exited during the run"
alive "$intake_pid" || die "the intake service exited during the run"

# ---------------------------------------------------------------------------------------------
# Summary

# f[<run>.<phase>.<figure>], e.g. f[floor.latency.p99_ms]; the files' keys start with the mode.
declare -A f=()
for run in relay floor intake; do
  while IFS='=' read -r key value; do
    [[ $key == *.* ]] && f[$run.${key#*.}]=$value
  done <"$work_dir/$run.results"
done

# goal(), ratio() and fmt() come from bench/lib/processes.sh

intake_valid=0
((${f[intake.throughput.complete]:-0} == 1 && ${f[intake.latency.complete]:-0} == 1)) && intake_valid=1
throughput_ratio=$(ratio "${f[intake.throughput.throughput_per_s]:-0}" "${f[relay.throughput.throughput_per_s]}")
p99_ratio=$(ratio "${f[intake.latency.p99_ms]:-0}" "${f[relay.latency.p99_ms]}")

printf '\nSummary: %s requests per throughput phase, %s customers, %s cores, run took %d s\n' \
  "$requests" "$customers" "$(nproc)" $((SECONDS - run_started))
printf '  %-40s %14s %14s %14s\n' "" "relay" "relay (floor)" "intake"
row() { # LABEL KEY FORMAT
  printf '  %-40s %14s %14s %14s\n' "$1" "$(fmt "${f[relay.$2]:-0}" "$3")" \
    "$(fmt "${f[floor.$2]:-0}" "$3")" "$(fmt "${f[intake.$2]:-0}" "$3")"
}
row "throughput (records/s)" throughput.throughput_per_s '%.0f'
row "  steady rate, 10th-90th pct outcome (/s)" throughput.steady_rate_per_s '%.0f'
row "latency phase rate (records/s)" latency.rate_target '%.0f'
row "latency p50 (ms)" latency.p50_ms '%.2f'
row "latency p90 (ms)" latency.p90_ms '%.2f'
row "latency p99 (ms)" latency.p99_ms '%.2f'
row "latency max (ms)" latency.max_ms '%.2f'
printf '\n  %-44s %-6s  %s\n' "goal" "result" "measured"
goal "intake throughput >= 0.25 x relay throughput" "$throughput_ratio" ">=" 0.25 \
  "$(fmt "${f[intake.throughput.throughput_per_s]:-0}" '%.0f')/s / $(fmt "${f[relay.throughput.throughput_per_s]}" '%.0f')/s = ${throughput_ratio}" \
  "$intake_valid"
goal "intake p99 <= 5 x relay p99 (half load)" "$p99_ratio" "<=" 5 \
  "$(fmt "${f[intake.latency.p99_ms]:-0}" '%.2f') ms / $(fmt "${f[relay.latency.p99_ms]}" '%.2f') ms = ${p99_ratio}" \
  "$intake_valid"
printf '  %-44s %-6s  %s\n' "against the floor (fetch.wait.max.ms=10)" "-" \
  "throughput x$(ratio "${f[intake.throughput.throughput_per_s]:-0}" "${f[floor.throughput.throughput_per_s]}"), p99 x$(ratio "${f[intake.latency.p99_ms]:-0}" "${f[floor.latency.p99_ms]}")"
# The CPU floor per request: intake's decisions plus Redis's own execution of its commands, with
# every I/O cost (sockets, gRPC, Kafka, the profile service, the broker) taken as zero.
decision_us=$(sed -n 's/^decision\.cpu_us_per_request=//p' "$work_dir/decision.results")
redis_us=${f[intake.throughput.redis_command_us_per_request]:-0}
floor_us=$(awk -v a="$decision_us" -v b="$redis_us" 'BEGIN { printf "%.1f", a + b }')
floor_rate=$(awk -v u="$floor_us" -v n="$(nproc)" 'BEGIN { if (u > 0) printf "%.0f", n * 1e6 / u; else print 0 }')
printf '  %-44s %-6s  %s\n' "yardstick: CPU floor per request" "-" \
  "decisions $(fmt "$decision_us" '%.1f') us (1 thread, no I/O) + Redis execution $(fmt "$redis_us" '%.1f') us = $floor_us us"
printf '  %-44s %-6s  %s\n' "  -> at most, on $(nproc) cores, with free I/O" "-" \
  "$floor_rate/s = $(ratio "$floor_rate" "${f[relay.throughput.throughput_per_s]}") x relay"
printf '  %-44s %-6s  %s\n' "CPU taken by other processes (of $(nproc) cores)" "-" \
  "relay $(fmt "${f[relay.throughput.other_cores]:--1}" '%.2f'), floor $(fmt "${f[floor.throughput.other_cores]:--1}" '%.2f'), intake $(fmt "${f[intake.throughput.other_cores]:--1}" '%.2f') (throughput phases)"
log "uptime at the end:$(uptime | sed 's/.*up/ up/')"

((bench_status == 0)) || exit 1
((missed == 0)) || exit 3
exit 0
