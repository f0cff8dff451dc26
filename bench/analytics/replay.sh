#!/usr/bin/env bash
# The analytics replay benchmark (issue 15): 1,000,000 events replayed into the KPIs beside a raw
# consume of the same events, on this machine.
#
# Usage: bench/analytics/replay.sh [--events N] [--round N]
#
#   --events N   events in all (default 1000000)
#   --round N    events per round (default 100000: the devbroker keeps only ~5 MiB per partition,
#                so the events go through it a round at a time)
#   GRIDCARE_BENCH_TIMEOUT (environment) seconds the bench may take (default 900)
#
# Starts, in a temporary directory, a real redis-server on a free 127.0.0.1 port (AOF on,
# appendfsync everysec, as in the local stack) and devbroker (one broker, every GridCare topic),
# then runs gridcare-analytics-replay-bench (bench/analytics/replay_bench.cpp says what each
# figure means): per round, the events are published, read raw, then replayed through analytics'
# --rebuild path (decode, KpiLedger, one Redis script per 2,000 records), first with the
# RecordReader --rebuild uses, then with one consumer assigned every partition (the real ceiling),
# beside a read that only decodes (the floor of any replay). Prints the rates and ratios (goal
# >= 0.5), where the replay's CPU went, and checks every ticket was counted exactly once.
# Everything it started is stopped by pid on exit.
#
# Needs build/bin/{devbroker,gridcare-analytics-replay-bench} (deploy/build.sh --target
# gridcare-analytics-replay-bench), redis-server, redis-cli, ss and timeout.
# Exit status: 0 a complete run with every ticket counted once; 1 otherwise.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin_dir=${GRIDCARE_BIN_DIR:-$repo/build/bin}
events=1000000
round=100000
extra=()

# shellcheck source=bench/lib/processes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.sh"
usage() { sed -n '3,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

parse_options "--events --round" "$@"
for option in events round; do
  [[ ${!option} =~ ^[1-9][0-9]*$ ]] || die "--$option must be a positive integer, not '${!option}'"
done
bench_timeout=${GRIDCARE_BENCH_TIMEOUT:-900}
[[ $bench_timeout =~ ^[1-9][0-9]*$ ]] || die "GRIDCARE_BENCH_TIMEOUT must be a positive integer"
for program in devbroker gridcare-analytics-replay-bench; do
  [[ -x $bin_dir/$program ]] || die "$bin_dir/$program is missing: run deploy/build.sh --target gridcare-analytics-replay-bench"
done
require_tools redis-server redis-cli ss timeout

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/gridcare-analytics-bench.XXXXXX")
pids=()
names=()
keep_logs=0
run_on_exit cleanup

log "machine: $(nproc) cores; uptime:$(uptime | sed 's/.*up/ up/')"
start_redis_and_devbroker
status=0
timeout --kill-after=10 "$bench_timeout" "$bin_dir/gridcare-analytics-replay-bench" \
  --bootstrap "$bootstrap" --redis "127.0.0.1:$redis_port" --events "$events" --round "$round" ||
  status=$?
((status != 124)) || die "gridcare-analytics-replay-bench took longer than $bench_timeout s (GRIDCARE_BENCH_TIMEOUT)"
((status == 0)) || die "gridcare-analytics-replay-bench failed (exit $status)"
log "uptime at the end:$(uptime | sed 's/.*up/ up/')"
