#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup and the readiness probes are called indirectly (trap, wait_for)
# The complaint service's benchmark (issue 13), end to end, on this machine.
#
# Usage: bench/complaint/run.sh [--tickets N] [--cases N] [--due K] [-- extra gridcare-complaint-bench flags]
#
#   --tickets N  ticket_opened events of the throughput phase (default 20000)
#   --cases N    open cases in Redis for the clock tick (default 100000)
#   --due K      cases due at once in each measured tick round (default 1000; 5 rounds)
#   GRIDCARE_BENCH_TIMEOUT (environment) seconds each phase may take before it is stopped
#                (default 300)
#
# Starts, in a temporary directory, a real redis-server on a free 127.0.0.1 port (AOF on,
# appendfsync everysec, as in the local stack) and devbroker (one broker, every GridCare topic),
# then runs gridcare-complaint-bench (bench/complaint/complaint_bench.cpp says what each figure
# means):
#   1. throughput: N intake ticket_opened events for the case types (80% complaints; customers of
#      the seed-42 synthetic utility, words that route to every department) are published on
#      gridcare.intake.v1; (a) a raw librdkafka consumer with the services' settings reads them
#      (the ceiling); (b) the bench starts the real complaint binary (ports 0 on 127.0.0.1) on
#      the same backlog and reads gridcare.complaint.v1 until every case_routed event is in.
#      Cases per second for both, their ratio, Redis commands per case, CPU per process, and the
#      complaint process's resident memory (VmRSS, peak VmHWM).
#   2. tick (Redis flushed first): --cases open cases written through RedisCaseStore::Commit, then
#      CaseDesk::TickDue in the bench process (fake clock, real producer on the devbroker):
#      an idle tick (nothing due) beside the same ZRANGEBYSCORE sent raw, and K cases due at once,
#      per case, beside the raw Redis floors on the same keys (pipelined GETs; one GET per round
#      trip; plus a MULTI/EXEC writing each case back) and a Kafka floor (as many records of the
#      same size published and flushed as often), with where the tick's time goes.
# Everything it started is stopped by pid on exit (the complaint process by the bench, and by the
# kernel if the bench dies: PR_SET_PDEATHSIG).
#
# Needs build/bin/{complaint,devbroker,gridcare-complaint-bench} (deploy/build.sh --target
# gridcare-complaint-bench builds all three), redis-server, redis-cli, ss and timeout.
# Exit status: 0 a complete run; 1 an error (a case not routed, a record not read, a failure).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin_dir=${GRIDCARE_BIN_DIR:-$repo/build/bin}
tickets=20000
cases=100000
due=1000
extra=()

# shellcheck source=bench/lib/processes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.sh"
usage() { sed -n '3,35s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

parse_options "--tickets --cases --due" "$@"
for option in tickets cases due; do
  [[ ${!option} =~ ^[1-9][0-9]*$ ]] || die "--$option must be a positive integer, not '${!option}'"
done
((due * 5 + 50 <= cases)) || die "--due x 5 rounds + 50 ($((due * 5 + 50))) cannot exceed --cases ($cases)"
phase_timeout=${GRIDCARE_BENCH_TIMEOUT:-300}
[[ $phase_timeout =~ ^[1-9][0-9]*$ ]] || die "GRIDCARE_BENCH_TIMEOUT must be a positive integer"

for program in complaint devbroker gridcare-complaint-bench; do
  [[ -x $bin_dir/$program ]] || die "$bin_dir/$program is missing: run deploy/build.sh --target gridcare-complaint-bench"
done
require_tools redis-server redis-cli ss timeout

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/gridcare-complaint-bench.XXXXXX")
pids=()
names=()
keep_logs=0
run_on_exit cleanup

log "machine: $(nproc) cores; uptime:$(uptime | sed 's/.*up/ up/')"
run_started=$SECONDS
start_redis_and_devbroker

common=(--bootstrap "$bootstrap" --redis "127.0.0.1:$redis_port"
  --watch "devbroker=$broker_pid" --watch "redis=$redis_pid")
bench() { # MODE ARGS...: the bench, stopped (SIGTERM, then SIGKILL) after phase_timeout seconds
  local mode=$1 status=0
  shift
  timeout --kill-after=10 "$phase_timeout" "$bin_dir/gridcare-complaint-bench" "$mode" \
    "${common[@]}" --results "$work_dir/$mode.results" "$@" ${extra[@]+"${extra[@]}"} || status=$?
  ((status != 124)) || die "gridcare-complaint-bench $mode took longer than $phase_timeout s (GRIDCARE_BENCH_TIMEOUT)"
  ((status == 0)) || die "gridcare-complaint-bench $mode failed (exit $status)"
}

printf '\n=== 1. throughput: intake topic -> case routed, beside a raw consume ===\n'
mkdir -p "$work_dir/complaint-logs"
bench throughput --tickets "$tickets" --complaint-binary "$bin_dir/complaint" \
  --log-dir "$work_dir/complaint-logs"

printf '\n=== 2. clock tick with %s open cases ===\n' "$cases"
redis-cli -h 127.0.0.1 -p "$redis_port" flushall >/dev/null
bench tick --cases "$cases" --due "$due"

# ---------------------------------------------------------------------------------------------
# Summary

declare -A f=()
for mode in throughput tick; do
  while IFS='=' read -r key value; do
    [[ $key == *.* ]] && f[$key]=$value
  done <"$work_dir/$mode.results"
done

printf '\nSummary: %s tickets, %s open cases, %s cores, run took %d s\n' \
  "$tickets" "$cases" "$(nproc)" $((SECONDS - run_started))
printf '  %-50s %s\n' "cases routed per second (complaint)" \
  "$(fmt "${f[throughput.complaint_per_s]}" '%.0f')/s"
printf '  %-50s %s\n' "  ceiling: raw consume of the same records" \
  "$(fmt "${f[throughput.raw_per_s]}" '%.0f')/s (complaint = $(fmt "${f[throughput.ratio]}" '%.4f') x raw)"
printf '  %-50s %s\n' "  from the start (complaint: ready; raw: assign)" \
  "$(fmt "${f[throughput.complaint_from_ready_per_s]}" '%.0f')/s; raw $(fmt "${f[throughput.raw_from_start_per_s]}" '%.0f')/s"
printf '  %-50s %s\n' "  Redis per case" \
  "$(fmt "${f[throughput.redis_round_trips_per_case]}" '%.1f') round trips, $(fmt "${f[throughput.redis_us_per_case]}" '%.1f') us of Redis execution"
printf '  %-50s %s\n' "  complaint CPU per case" \
  "$(fmt "${f[throughput.complaint_cpu_us_per_case]}" '%.0f') us"
printf '  %-50s %s\n' "complaint resident memory after the run (peak)" \
  "$(fmt "${f[throughput.rss_mib]}" '%.1f') MiB ($(fmt "${f[throughput.peak_rss_mib]}" '%.1f') MiB)"
printf '  %-50s %s\n' "idle clock tick, $cases open cases, p50 (mean)" \
  "$(fmt "${f[tick.idle_p50_us]}" '%.1f') us ($(fmt "${f[tick.idle_mean_us]}" '%.1f') us)"
printf '  %-50s %s\n' "  ceiling: the same ZRANGEBYSCORE, raw" \
  "$(fmt "${f[tick.idle_raw_p50_us]}" '%.1f') us ($(fmt "${f[tick.idle_raw_mean_us]}" '%.1f') us)"
printf '  %-50s %s\n' "clock tick, ${f[tick.due]} cases due, per case" \
  "$(fmt "${f[tick.due_us_per_case]}" '%.1f') us ($(fmt "${f[tick.due_ms_total]}" '%.0f') ms in all)"
printf '  %-50s %s\n' "  bench CPU; Redis execution; in Publish; in Flush" \
  "$(fmt "${f[tick.cpu_us_per_case]}" '%.0f'); $(fmt "${f[tick.redis_us_per_case]}" '%.1f'); $(fmt "${f[tick.publish_us_per_case]}" '%.1f'); $(fmt "${f[tick.flush_us_per_case]}" '%.1f') us per case"
printf '  %-50s %s\n' "  floor: ZRANGEBYSCORE + pipelined GETs" \
  "$(fmt "${f[tick.floor_pipelined_us_per_case]}" '%.2f') us per case"
printf '  %-50s %s\n' "  one GET per round trip; + a MULTI/EXEC write" \
  "$(fmt "${f[tick.floor_sequential_us_per_case]}" '%.1f') us; $(fmt "${f[tick.floor_read_write_us_per_case]}" '%.1f') us per case"
printf '  %-50s %s\n' "  Kafka floor: the same records published, flushed" \
  "$(fmt "${f[tick.kafka_floor_us_per_case]}" '%.1f') us per case"
log "uptime at the end:$(uptime | sed 's/.*up/ up/')"
