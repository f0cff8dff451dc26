#!/usr/bin/env bash
# Brings GridCare up on this machine: installs the Debian packages, builds, starts the local stack
# (Redis, devbroker, the services, Prometheus), checks the broker with kcat, loads a generated
# utility (GRIDCARE_CUSTOMERS customers, default 2,000, seed 42) into the profile service, runs the
# scenario program (a storm that crews restore live, with the dispatch console's address; then a
# disputed bill through the complaint service's closed loop, with the department desk's address),
# shows `gridcare health` and `gridcare incidents`, and prints where everything is. The stack keeps
# running afterwards; stop it with deploy/local/stack.sh stop.
# Usage: deploy/run.sh [--help]   (GRIDCARE_RUN_DIR moves the run directory, default .run/)
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
[[ $# -eq 0 ]] || die "unexpected argument '$1' (try --help)"

deploy=$GRIDCARE_REPO/deploy
stack=$deploy/local/stack.sh
run_dir=$(stack_run_dir)
endpoints_file=$run_dir/endpoints.env
scenario=$GRIDCARE_REPO/build/bin/gridcare-scenario
synth=$GRIDCARE_REPO/build/bin/gridcare-synth
customers=${GRIDCARE_CUSTOMERS:-2000}
seed=${GRIDCARE_SEED:-42}
started=$SECONDS

log "1/6 Debian packages"
bash "$deploy/install-deps.sh"

log "2/6 build"
bash "$deploy/build.sh"

log "3/6 local stack"
# The demo starts from scratch every time: the scenario counts on a utility nobody has called
# about yet (an earlier run's open tickets would turn its new calls into urgings).
if compgen -G "$run_dir/pids/*.pid" >/dev/null; then
  log "stopping the stack that is already running, for a fresh demo"
  bash "$stack" stop
fi
if [[ -d $run_dir/redis ]]; then
  log "removing the previous demo's Redis data ($run_dir/redis)"
  rm -rf "$run_dir/redis"
fi
# repair-crew serves the roster of the same synthetic utility that step 5 loads.
# The complaint service's case clocks run 2880x (a 24-hour contact limit in 30 s) so the scenario
# shows a reminder, a breach and its supervision step; every other clock is real time. Analytics
# checks for surges every 5 s (default: every minute) so the scenario's surge is warned of at once.
# The crew simulator does booked visits (new connections) as soon as a crew is free: the demo
# cannot wait for tomorrow morning's slot.
GRIDCARE_ROSTER_SEED=$seed GRIDCARE_ROSTER_CUSTOMERS=$customers \
  GRIDCARE_CLOCK_SPEED=${GRIDCARE_CLOCK_SPEED:-2880} GRIDCARE_CREW_SIM_VISITS_EARLY=1 \
  GRIDCARE_DETECT_INTERVAL=${GRIDCARE_DETECT_INTERVAL:-5s} bash "$stack" start
[[ -r $endpoints_file ]] || die "the stack started but $endpoints_file is missing"
# Our own file, written by stack.sh start: KEY=VALUE lines.
# shellcheck source=/dev/null
source "$endpoints_file"

log "4/6 broker check: kcat -b $GRIDCARE_KAFKA_BOOTSTRAP -L"
require_command kcat
metadata=$(kcat -b "$GRIDCARE_KAFKA_BOOTSTRAP" -L -m 15 2>&1) ||
  die "kcat could not read the broker's metadata: $metadata"
mapfile -t topics < <(sed -n 's/^ *topic "\([^"]*\)" with .*/\1/p' <<<"$metadata" | sort)
expected=$(sed -n 's/.*"msg":"ready".*"topics":\([0-9]*\).*/\1/p' "$run_dir/logs/devbroker.log" | tail -n 1)
((${#topics[@]} > 0)) || die "the broker lists no topics (kcat -L said: $metadata)"
if [[ -n $expected && $expected != "${#topics[@]}" ]]; then
  die "devbroker created $expected topics but kcat lists ${#topics[@]}: ${topics[*]}"
fi
log "the broker lists ${#topics[@]} topics:"
printf '    %s\n' "${topics[@]}"

log "5/6 synthetic utility: $customers customers (seed $seed) into the profile service's Redis"
"$synth" --seed "$seed" --customers "$customers" --out "$run_dir/utility" \
  --load-redis "$GRIDCARE_REDIS_ADDRESS" --no-progress

log "6/6 scenario"
if [[ -x $scenario ]]; then
  log "running $scenario --endpoints $endpoints_file --seed $seed --customers $customers"
  if ! "$scenario" --endpoints "$endpoints_file" --seed "$seed" --customers "$customers"; then
    die "the scenario failed; the stack is still running: see 'deploy/local/stack.sh status' and 'deploy/local/stack.sh logs NAME', stop it with 'deploy/local/stack.sh stop'"
  fi
else
  log "no scenario program exists yet ($scenario); skipping"
fi
# What an operator sees the day after (tools/operator/README.md): every service's health, and the
# incidents the storm left open.
gridcare=$GRIDCARE_REPO/build/bin/gridcare
if [[ -x $gridcare ]]; then
  log "the operator's command: gridcare health"
  "$gridcare" health --endpoints-file "$endpoints_file" || warn "gridcare health: not every service is ready"
  log "gridcare incidents"
  "$gridcare" incidents --endpoints-file "$endpoints_file" || warn "gridcare incidents failed"
fi

short_run_dir=${run_dir#"$GRIDCARE_REPO"/}
echo
echo "GridCare is running locally (up in $((SECONDS - started)) s). Where things are:"
printf '  %-12s %s\n' \
  "run dir" "$short_run_dir/" \
  "endpoints" "$short_run_dir/endpoints.env   (in a shell: set -a; . $short_run_dir/endpoints.env; set +a)" \
  "logs" "$short_run_dir/logs/<name>.log   (deploy/local/stack.sh logs <name>)" \
  "Kafka" "$GRIDCARE_KAFKA_BOOTSTRAP   (devbroker: in memory, not Kafka; kcat -b ... -L)" \
  "Redis" "$GRIDCARE_REDIS_ADDRESS   (AOF in $short_run_dir/redis/)" \
  "Prometheus" "$GRIDCARE_PROMETHEUS_URL   (targets: $GRIDCARE_PROMETHEUS_URL/targets)"
if [[ -z ${GRIDCARE_SERVICES:-} ]]; then
  printf '  %-12s %s\n' "services" "none yet (deploy/local/services.list lists none)"
else
  IFS=, read -r -a services <<<"$GRIDCARE_SERVICES"
  for service in "${services[@]}"; do
    key=${service^^}
    key=${key//-/_}
    metrics_var=GRIDCARE_${key}_METRICS grpc_var=GRIDCARE_${key}_GRPC console_var=GRIDCARE_${key}_CONSOLE
    if [[ -z ${!metrics_var:-} ]]; then
      line="running (no endpoints; watch it: deploy/local/stack.sh logs $service)"
    else
      line="metrics http://${!metrics_var}/metrics"
    fi
    [[ -z ${!grpc_var:-} ]] || line+=", gRPC ${!grpc_var}"
    [[ -z ${!console_var:-} ]] || line+=", web console ${!console_var}"
    printf '  %-12s %s\n' "$service" "$line"
  done
fi
printf '  %-12s %s\n' "operator" "build/bin/gridcare --help   (health, incidents, overdue, ticket, dead-letters)"
printf '  %-12s %s\n' "status" "deploy/local/stack.sh status" "stop" "deploy/local/stack.sh stop"
