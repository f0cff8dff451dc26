#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup and the readiness probes are called indirectly (trap, wait_for)
# The profile service's benchmarks, end to end, on this machine.
#
# Usage: bench/profile/run.sh [--customers N] [--duration S] [-- extra gridcare-profile-bench flags]
#
#   --customers N   customers in the synthetic utility (default 1000000)
#   --duration S    seconds of the GetCustomer lookup run (default 20)
#
# Starts, in a temporary directory, a real redis-server on a free 127.0.0.1 port (AOF on,
# appendfsync everysec, as in the local stack), devbroker (one broker) and the real profile
# service against them; measures that Redis with redis-benchmark (SET -P 16, GET -c 32) on an
# empty database, FLUSHALLs it, runs gridcare-profile-bench (bulk load, then gRPC lookups) and
# evaluates the issue's goals against the redis-benchmark figures:
#   lookup QPS >= 0.5 x redis-benchmark GET -c 32 rps, lookup p99 <= 5 ms,
#   bulk load profiles/s >= 0.3 x redis-benchmark SET -P 16 rps; memory per profile is printed.
# It also prints two yardsticks of what this machine allows:
#   - a bare SET of a profile-sized value to new keys (redis-benchmark -r 1000000 -d 270): the
#     record write alone, without the profile's four indexes;
#   - the gRPC ceiling: the same client against an in-process GetCustomer that answers without
#     Redis, the most any lookup can reach with these cores shared by client and server.
# Everything it started is stopped by pid on exit.
#
# Needs build/bin/{profile,devbroker,gridcare-profile-bench} (deploy/build.sh), redis-server,
# redis-cli, redis-benchmark, curl and ss.
# Exit status: 0 all goals met; 1 an error (a failed call included); 3 the run was clean but a
# goal was missed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin_dir=${GRIDCARE_BIN_DIR:-$repo/build/bin}
customers=1000000
duration=20
extra=()

# shellcheck source=bench/lib/processes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.sh"
usage() { sed -n '3,28s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

parse_options "--customers --duration" "$@"
[[ $customers =~ ^[1-9][0-9]*$ ]] || die "--customers must be a positive integer, not '$customers'"
[[ $duration =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--duration must be a number of seconds, not '$duration'"

for program in profile devbroker gridcare-profile-bench; do
  [[ -x $bin_dir/$program ]] || die "$bin_dir/$program is missing: run deploy/build.sh first"
done
require_tools redis-server redis-cli redis-benchmark curl ss

# ---------------------------------------------------------------------------------------------
# Processes: every one we start is recorded and stopped by pid on exit.

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/gridcare-profile-bench.XXXXXX")
pids=()
names=()
keep_logs=0
run_on_exit cleanup

# ---------------------------------------------------------------------------------------------

log "machine: $(nproc) cores; uptime:$(uptime | sed 's/.*up/ up/')"
run_started=$SECONDS

start_redis_and_devbroker

start_profile

# The same Redis, empty, with redis-benchmark: the yardstick the goals are relative to.
rps_of() { # the last "N requests per second" in redis-benchmark -q output
  tr '\r' '\n' | sed -n 's/^\([A-Z]*\): \([0-9.]*\) requests per second.*/\2/p' | tail -n 1
}
log "redis-benchmark on the empty database (load: $(cut -d' ' -f1-3 /proc/loadavg))"
set_line=$(redis-benchmark -h 127.0.0.1 -p "$redis_port" -t set -P 16 -n 1000000 -q 2>&1 |
  tr '\r' '\n' | grep 'requests per second' | tail -n 1)
get_line=$(redis-benchmark -h 127.0.0.1 -p "$redis_port" -t get -c 32 -n 300000 -q 2>&1 |
  tr '\r' '\n' | grep 'requests per second' | tail -n 1)
# The goal's yardstick overwrites one key with 3-byte values. For scale, the same pipelined SET of
# a profile-sized value (the synthetic profile's protobuf averages 267 B) to 1,000,000 new keys:
# the record write alone, before any of the four indexes a profile also needs.
[[ $(redis-cli -h 127.0.0.1 -p "$redis_port" flushall) == OK ]] || die "FLUSHALL failed"
record_line=$(redis-benchmark -h 127.0.0.1 -p "$redis_port" -t set -P 16 -n 1000000 -r 1000000 \
  -d 270 -q 2>&1 | tr '\r' '\n' | grep 'requests per second' | tail -n 1)
set_rps=$(rps_of <<<"$set_line")
get_rps=$(rps_of <<<"$get_line")
record_rps=$(rps_of <<<"$record_line")
[[ -n $set_rps && -n $get_rps && -n $record_rps ]] ||
  die "could not read redis-benchmark's figures ('$set_line', '$get_line', '$record_line')"
printf '  redis-benchmark -t set -P 16 -n 1000000:  %s\n' "$set_line"
printf '  redis-benchmark -t get -c 32 -n 300000:   %s\n' "$get_line"
printf '  redis-benchmark -t set -P 16 -n 1000000 -r 1000000 -d 270:  %s\n' "$record_line"
[[ $(redis-cli -h 127.0.0.1 -p "$redis_port" flushall) == OK ]] || die "FLUSHALL failed"

# The profile benchmark itself, watching the CPU of the processes involved.
results=$work_dir/results
bench_status=0
"$bin_dir/gridcare-profile-bench" --redis "127.0.0.1:$redis_port" \
  --profile-target "127.0.0.1:$profile_grpc" --customers "$customers" --duration "$duration" \
  --watch "redis=$redis_pid" --watch "profile=$profile_pid" --results "$results" \
  ${extra[@]+"${extra[@]}"} || bench_status=$?
if ((bench_status != 0)); then
  keep_logs=1
  [[ -s $results ]] || die "gridcare-profile-bench failed (exit $bench_status)"
fi

# ---------------------------------------------------------------------------------------------
# Summary

declare -A r=()
while IFS='=' read -r key value; do
  [[ -n $key ]] && r[$key]=$value
done <"$results"

GOAL_LABEL_WIDTH=46  # goal(), ratio() and fmt() come from bench/lib/processes.sh

# Lookup figures count only when every call succeeded and some completed in the window.
lookups_valid=0
((${r[failed]:-1} == 0 && ${r[lookup.completed]:-0} > 0)) && lookups_valid=1
lookup_ratio=$(ratio "${r[lookup.qps]}" "$get_rps")
load_ratio=$(ratio "${r[load.profiles_per_s]}" "$set_rps")
printf '\nSummary: %s customers, lookups %s s, %s cores, run took %d s\n' "$customers" "$duration" \
  "$(nproc)" $((SECONDS - run_started))
printf '  %-46s %-6s  %s\n' "goal" "result" "measured"
goal "lookup QPS >= 0.5 x redis GET -c 32 rps" "$lookup_ratio" ">=" 0.5 \
  "$(fmt "${r[lookup.qps]}" '%.0f') QPS / $(fmt "$get_rps" '%.0f') rps = ${lookup_ratio}" \
  "$lookups_valid"
goal "lookup p99 <= 5 ms" "${r[lookup.p99_ms]}" "<=" 5 \
  "p99 $(fmt "${r[lookup.p99_ms]}" '%.3f') ms (p50 $(fmt "${r[lookup.p50_ms]}" '%.3f'), max $(fmt "${r[lookup.max_ms]}" '%.3f'))" \
  "$lookups_valid"
goal "bulk load >= 0.3 x redis SET -P 16 rps" "$load_ratio" ">=" 0.3 \
  "$(fmt "${r[load.profiles_per_s]}" '%.0f') profiles/s / $(fmt "$set_rps" '%.0f') rps = ${load_ratio}"
printf '  %-46s %-6s  %s\n' "bare profile-sized SET to new keys (no index)" "-" \
  "$(fmt "$record_rps" '%.0f') rps = $(ratio "$record_rps" "$set_rps") x SET -P 16; the bulk load reaches $(ratio "${r[load.profiles_per_s]}" "$record_rps") of it"
printf '  %-46s %-6s  %s\n' "memory per profile" "-" \
  "$(fmt "${r[load.memory_per_profile_bytes]}" '%.0f') B (Redis used_memory $(fmt "${r[load.used_memory_after_bytes]}" '%.0f') B for all)"
if [[ -n ${r[ceiling.qps]:-} ]]; then
  printf '  %-46s %-6s  %s\n' "gRPC ceiling (no store, same client)" "-" \
    "$(fmt "${r[ceiling.qps]}" '%.0f') QPS = $(ratio "${r[ceiling.qps]}" "$get_rps") x redis GET; lookups reach $(ratio "${r[lookup.qps]}" "${r[ceiling.qps]}") of it"
fi
if [[ -n ${r[mixed.qps]:-} ]]; then
  printf '  %-46s %-6s  %s\n' "mixed run (with LookupByPhone)" "-" \
    "$(fmt "${r[mixed.qps]}" '%.0f') QPS, p99 $(fmt "${r[mixed.p99_ms]}" '%.3f') ms"
fi
printf '  %-46s %-6s  %s\n' "failed calls (NOT_FOUND must be 0)" \
  "$( ((${r[failed]:-1} == 0)) && echo ok || echo FAILED)" \
  "${r[failed]:-?} failed, NOT_FOUND ${r[lookup.not_found]:-?} + ${r[mixed.not_found]:-0}"
printf '  %-46s %-6s  %s\n' "CPU taken by other processes (of $(nproc) cores)" "-" \
  "load $(fmt "${r[load.other_cores]:--1}" '%.2f'), lookups $(fmt "${r[lookup.other_cores]:--1}" '%.2f')"
log "uptime at the end:$(uptime | sed 's/.*up/ up/')"

((bench_status == 0)) || exit 1
((missed == 0)) || exit 3
exit 0
