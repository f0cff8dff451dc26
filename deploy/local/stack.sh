#!/usr/bin/env bash
# GridCare's local stack: redis-server, devbroker (Kafka), every service in
# deploy/local/services.list and Prometheus, each an ordinary background process on 127.0.0.1.
#
# Usage: deploy/local/stack.sh start | stop | status | logs [NAME] | --help
#
#   start    start everything and wait until each part is ready; says so if already running
#   stop     stop exactly the processes start started (SIGTERM, then SIGKILL after 10 s); data stays
#   status   table of component / pid / alive / endpoints (exit 0 only when everything runs)
#   logs     with NAME: the last 100 lines of <run>/logs/NAME.log, following it on a terminal;
#            without: the last lines of every log
#
# Environment:
#   GRIDCARE_RUN_DIR         run directory (default <repo>/.run)
#   GRIDCARE_BIN_DIR         where devbroker and the services are (default <repo>/build/bin)
#   GRIDCARE_SERVICES_LIST   service list (default deploy/local/services.list)
#   GRIDCARE_START_TIMEOUT   seconds to wait for each component to be ready (default 60)
#   GRIDCARE_LOG_LEVEL       passed to the services (default info)
#   GRIDCARE_DEVBROKER_*     passed to devbroker (e.g. GRIDCARE_DEVBROKER_BROKERS=1)
#   GRIDCARE_DISPATCH_INSTANCES
#                            dispatch instances (default 1): 2 or more add dispatch-2 … dispatch-N
#                            right after the `dispatch` line, sharing its consumer groups, so the
#                            territories are split between them (docs/services/dispatch.md)
#   GRIDCARE_ROSTER_SEED, GRIDCARE_ROSTER_CUSTOMERS
#                            the synthetic utility whose crew roster repair-crew serves (default
#                            42 / 2000, the fixture deploy/run.sh loads)
#
# Run directory: logs/<name>.log (previous run: .log.1), pids/<name>.pid, pids/components.tsv,
# endpoints.env, bootstrap, redis/ (AOF), prometheus.yml, prometheus/ (TSDB).
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

run_dir=$(stack_run_dir)
bin_dir=${GRIDCARE_BIN_DIR:-$GRIDCARE_REPO/build/bin}
[[ $bin_dir == /* ]] || bin_dir=$PWD/$bin_dir
services_list=${GRIDCARE_SERVICES_LIST:-$GRIDCARE_REPO/deploy/local/services.list}
start_timeout=${GRIDCARE_START_TIMEOUT:-60}
log_level=${GRIDCARE_LOG_LEVEL:-info}
stop_timeout=10
dispatch_instances=${GRIDCARE_DISPATCH_INSTANCES:-1}
[[ $dispatch_instances =~ ^[1-9][0-9]?$ ]] || {
  echo "stack.sh: GRIDCARE_DISPATCH_INSTANCES must be a number from 1 to 99, got '$dispatch_instances'" >&2
  exit 2
}

pid_dir=$run_dir/pids
log_dir=$run_dir/logs
components_file=$pid_dir/components.tsv # name <TAB> program <TAB> endpoints, in start order
endpoints_file=$run_dir/endpoints.env
bootstrap_file=$run_dir/bootstrap

usage() { sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

# ---------------------------------------------------------------------------------------------
# Processes

# Succeeds when PID is alive and still runs PROGRAM (pids get reused): argv[0] is PROGRAM
# (redis-server rewrites its title to "PROGRAM addr", so a prefix followed by a space counts too),
# argv[1] or argv[2] is PROGRAM (a script started through its #! interpreter), or /proc/PID/exe
# is PROGRAM's file (" (deleted)" when it was rebuilt while running).
proc_matches() {
  local pid=$1 program=$2 exe argv=()
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  mapfile -d "" -t -n 3 argv 2>/dev/null <"/proc/$pid/cmdline" || return 1
  ((${#argv[@]} > 0)) || return 1 # gone, or a zombie
  if [[ ${argv[0]} == "$program" || ${argv[0]} == "$program "* || ${argv[1]:-} == "$program" || ${argv[2]:-} == "$program" ]]; then
    return 0
  fi
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  exe=${exe% (deleted)}
  [[ $exe == "$(readlink -f "$program")" ]]
}

pid_of() { # NAME -> the recorded pid, or nothing
  local file=$pid_dir/$1.pid pid=""
  [[ -r $file ]] && read -r pid <"$file"
  printf '%s' "$pid"
}

process_running() { # PID: exists and is not a zombie
  local state
  state=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

component_alive() { # NAME PROGRAM
  local pid
  pid=$(pid_of "$1")
  [[ -n $pid ]] && proc_matches "$pid" "$2"
}

# Stops one component by its pid file: SIGTERM, up to stop_timeout s, then SIGKILL.
stop_component() { # NAME PROGRAM
  local name=$1 program=$2 pid deadline
  pid=$(pid_of "$name")
  if [[ -z $pid ]]; then
    return 0
  fi
  if ! proc_matches "$pid" "$program"; then
    log "$name: not running (pid $pid no longer runs $program)"
    rm -f "$pid_dir/$name.pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + stop_timeout))
  while proc_matches "$pid" "$program" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if proc_matches "$pid" "$program"; then
    warn "$name (pid $pid) did not stop within ${stop_timeout} s of SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 5))
    while proc_matches "$pid" "$program" && ((SECONDS < deadline)); do
      sleep 0.1
    done
    if proc_matches "$pid" "$program"; then
      warn "$name (pid $pid) survived SIGKILL"
    fi
  fi
  log "$name: stopped (pid $pid)"
  rm -f "$pid_dir/$name.pid"
}

# Reads components.tsv into the arrays c_name, c_program, c_endpoints.
read_components() {
  c_name=() c_program=() c_endpoints=()
  [[ -r $components_file ]] || return 0
  local name program endpoints
  while IFS=$'\t' read -r name program endpoints; do
    [[ -n $name ]] || continue
    c_name+=("$name") c_program+=("$program") c_endpoints+=("$endpoints")
  done <"$components_file"
}

stop_all() { # stops in reverse start order, then forgets the stack
  local i
  read_components
  for ((i = ${#c_name[@]} - 1; i >= 0; i--)); do
    stop_component "${c_name[i]}" "${c_program[i]}"
  done
  rm -f "$components_file" "$endpoints_file"
}

# Serialises start and stop. fd 9 is closed in every child so the lock dies with this script.
take_lock() {
  mkdir -p "$run_dir"
  exec 9>"$run_dir/.lock"
  flock -w 30 9 || die "another stack.sh start/stop holds $run_dir/.lock; try again when it is done"
}

# ---------------------------------------------------------------------------------------------
# Ports

# shellcheck source=deploy/lib/ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/ports.sh"

port_listening() { [[ -n $(ss -ltnH "sport = :$1") ]]; }

# ---------------------------------------------------------------------------------------------
# start

# Launches PROGRAM ARGS... as component NAME in the background, in its own session, with the
# environment changes in launch_env (env(1) arguments), stdin from /dev/null and output to its log.
launch_env=()
launch() { # NAME PROGRAM ENDPOINTS ARGS...
  local name=$1 program=$2 endpoints=$3 log_file=$log_dir/$1.log
  shift 3
  if [[ -e $log_file ]]; then
    mv -f "$log_file" "$log_file.1"
  fi
  setsid env "${launch_env[@]}" "$program" "$@" </dev/null >"$log_file" 2>&1 9>&- &
  printf '%s\n' "$!" >"$pid_dir/$name.pid"
  printf '%s\t%s\t%s\n' "$name" "$program" "$endpoints" >>"$components_file"
  log "$name: started (pid $!), log $log_file"
  # Until setsid and env have exec'd PROGRAM, the pid shows another program: wait for the exec
  # (or for the process to end) so that the liveness checks that follow mean what they say.
  local pid=$! waited=0 argv0
  while ! proc_matches "$pid" "$program" && ((waited < 100)); do
    argv0=""
    IFS= read -r -d '' argv0 2>/dev/null <"/proc/$pid/cmdline" || true
    # An empty command line means ended (or a zombie) -- or an exec in progress, which reads the
    # same for a moment: only a process that is really gone ends the wait.
    if [[ -z $argv0 ]] && ! process_running "$pid"; then
      break # wait_ready reports it with the log
    fi
    sleep 0.05
    waited=$((waited + 1))
  done
}

fail_start() { # NAME MESSAGE
  printf '%s: error: %s: %s\n' "$GRIDCARE_SCRIPT" "$1" "$2" >&2
  if [[ -s $log_dir/$1.log ]]; then
    printf '%s: last lines of %s:\n' "$GRIDCARE_SCRIPT" "$log_dir/$1.log" >&2
    tail -n 20 "$log_dir/$1.log" | sed 's/^/    /' >&2
  fi
  exit 1
}

# Polls CHECK... every 0.2 s until it succeeds; fails when NAME dies or start_timeout passes.
wait_ready() { # NAME PROGRAM WHAT CHECK...
  local name=$1 program=$2 what=$3 deadline=$((SECONDS + start_timeout))
  shift 3
  until "$@"; do
    if ! component_alive "$name" "$program"; then
      sleep 0.2 # a process between two execs reads as gone for an instant: look again
      component_alive "$name" "$program" || fail_start "$name" "exited before it was ready"
    fi
    ((SECONDS < deadline)) || fail_start "$name" "not ready after ${start_timeout} s (waited for $what)"
    sleep 0.2
  done
}

redis_ready() { [[ $(timeout 3 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]; }
http_ok() { curl -fsS -o /dev/null --noproxy '*' --max-time 2 "$1" 2>/dev/null; }
service_ready() { # METRICS_ADDRESS [GRPC_PORT]
  http_ok "http://$1/readyz" && { [[ -z ${2:-} ]] || port_listening "$2"; }
}

upper_name() { local n=${1^^}; printf '%s' "${n//-/_}"; }

# KEY=VALUE, quoted only when VALUE needs it, so simple parsers can read the file too.
env_line() {
  if [[ $2 =~ ^[A-Za-z0-9_.:/,@+=-]*$ ]]; then
    printf '%s=%s\n' "$1" "$2"
  else
    printf '%s=%q\n' "$1" "$2"
  fi
}

# Reads services.list into s_name, s_program, s_kinds, checking every line.
read_services() {
  s_name=() s_program=() s_kinds=()
  [[ -r $services_list ]] || die "service list $services_list is missing"
  local line_no=0 name binary kinds extra program kind profile_seen="" crew_seen="" kind_list=()
  declare -A seen=()
  while read -r name binary kinds extra || [[ -n ${name:-} ]]; do
    line_no=$((line_no + 1))
    [[ -z ${name:-} || $name == \#* ]] && continue
    local where="$services_list:$line_no"
    [[ -n ${kinds:-} && -z ${extra:-} ]] || die "$where: expected 'name binary kinds'"
    [[ $name =~ ^[a-z][a-z0-9-]*$ ]] || die "$where: service name '$name' must match [a-z][a-z0-9-]*"
    case $name in redis | devbroker | prometheus) die "$where: '$name' is reserved for the stack itself" ;; esac
    [[ -z ${seen[$name]:-} ]] || die "$where: service '$name' is listed twice"
    seen[$name]=1
    IFS=, read -r -a kind_list <<<"$kinds"
    for kind in "${kind_list[@]}"; do
      case $kind in
        grpc | kafka | redis | console | tool | providers | -) ;;
        profile)
          [[ -n $profile_seen ]] || die "$where: '$name' uses the profile service, so a 'profile' line with grpc must come before it"
          ;;
        crew)
          [[ -n $crew_seen ]] || die "$where: '$name' uses the repair-crew service, so a 'repair-crew' line with grpc must come before it"
          ;;
        *) die "$where: unknown kind '$kind' (known: grpc, kafka, redis, profile, crew, console, tool, providers)" ;;
      esac
    done
    if [[ $name == profile && ,$kinds, == *,grpc,* ]]; then
      profile_seen=1
    fi
    if [[ $name == repair-crew && ,$kinds, == *,grpc,* ]]; then
      crew_seen=1
    fi
    if [[ $binary == /* ]]; then program=$binary; else program=$bin_dir/$binary; fi
    [[ -x $program ]] || die "$where: $program for service '$name' is missing (run deploy/build.sh first)"
    s_name+=("$name") s_program+=("$program") s_kinds+=("$kinds")
    if [[ $name == dispatch ]]; then
      local instance
      for ((instance = 2; instance <= dispatch_instances; instance++)); do
        [[ -z ${seen[dispatch-$instance]:-} ]] || die "$where: dispatch-$instance is listed as well as GRIDCARE_DISPATCH_INSTANCES=$dispatch_instances"
        seen[dispatch-$instance]=1
        s_name+=("dispatch-$instance") s_program+=("$program") s_kinds+=("$kinds")
      done
    fi
  done <"$services_list"
}

cmd_start() {
  local started=$SECONDS i
  local devbroker=$bin_dir/devbroker
  [[ -x $devbroker ]] || die "$devbroker is missing: run deploy/build.sh first"
  local tool
  for tool in redis-server redis-cli prometheus curl ss setsid flock timeout; do
    require_command "$tool"
  done
  local redis_program prometheus_program
  redis_program=$(command -v redis-server) # not resolved: redis picks its mode from argv[0]
  prometheus_program=$(command -v prometheus)
  read_services

  take_lock
  read_components
  if ((${#c_name[@]} > 0)); then
    local alive=() dead=()
    for i in "${!c_name[@]}"; do
      if component_alive "${c_name[i]}" "${c_program[i]}"; then
        alive+=("${c_name[i]}")
      else
        dead+=("${c_name[i]}")
      fi
    done
    if ((${#dead[@]} == 0)); then
      log "the stack is already running (run directory $run_dir)"
      for i in "${!s_name[@]}"; do
        [[ " ${c_name[*]} " == *" ${s_name[i]} "* ]] ||
          warn "service '${s_name[i]}' was added to the service list after start; stop and start to run it"
      done
      print_status
      return 0
    fi
    if ((${#alive[@]} > 0)); then
      die "the stack is partly running (running: ${alive[*]}; stopped: ${dead[*]}). See 'stack.sh logs NAME', then run 'stack.sh stop' and 'stack.sh start'"
    fi
    log "cleaning up after a stack that is no longer running"
    stop_all >/dev/null
  fi

  mkdir -p "$pid_dir" "$log_dir" "$run_dir/redis" "$run_dir/prometheus"
  rm -f "$pid_dir"/*.pid "$components_file" "$endpoints_file" "$bootstrap_file"
  cd "$run_dir"
  # From here on, a failure (or Ctrl-C) stops whatever this start has started.
  trap 'rc=$?; if ((rc != 0)); then warn "start failed; stopping what it started"; stop_all >&2; fi' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # Services never inherit stale stack settings from the caller's shell.
  local clear_env=(-u GRIDCARE_KAFKA_BOOTSTRAP_SERVERS -u GRIDCARE_REDIS_ADDRESS -u GRIDCARE_METRICS_LISTEN_ADDRESS
    -u GRIDCARE_GRPC_LISTEN_ADDRESS -u GRIDCARE_PROFILE_SERVICE_TARGET -u GRIDCARE_LOG_LEVEL
    -u GRIDCARE_CREW_SERVICE_TARGET -u GRIDCARE_CONSOLE_LISTEN_ADDRESS)

  # Redis
  free_port
  local redis_port=$REPLY redis_address=127.0.0.1:$REPLY
  launch_env=()
  launch redis "$redis_program" "$redis_address" --bind 127.0.0.1 --port "$redis_port" \
    --dir "$run_dir/redis" --appendonly yes --save '' --daemonize no
  wait_ready redis "$redis_program" "PING on $redis_address" redis_ready "$redis_port"
  log "redis: ready on $redis_address"

  # devbroker
  launch_env=()
  launch devbroker "$devbroker" "bootstrap file $bootstrap_file" --bootstrap-file "$bootstrap_file"
  wait_ready devbroker "$devbroker" "$bootstrap_file" test -s "$bootstrap_file"
  local kafka_bootstrap
  read -r kafka_bootstrap <"$bootstrap_file"
  log "devbroker: ready, bootstrap servers $kafka_bootstrap"

  # The provider simulator (SMS, WeChat, push, voice, messenger, e-mail), when a service sends
  # through providers: the same HTTP API real gateways are reached by (tools/provider-sim).
  local provider_base_url="" provider_sim_url="" provider_token_file=$run_dir/provider-token
  if [[ " ${s_kinds[*]} " == *providers* ]]; then
    local provider_sim=$bin_dir/gridcare-provider-sim
    [[ -x $provider_sim ]] || die "$provider_sim is missing (run deploy/build.sh first)"
    (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$provider_token_file")
    free_port
    provider_sim_url=http://127.0.0.1:$REPLY/
    provider_base_url=${provider_sim_url}providers/
    launch_env=()
    launch provider-sim "$provider_sim" "$provider_sim_url" --listen-address "127.0.0.1:$REPLY" \
      --token-file "$provider_token_file" --log-level "$log_level"
    wait_ready provider-sim "$provider_sim" "${provider_sim_url}healthz" http_ok "${provider_sim_url}healthz"
    log "provider-sim: ready on $provider_sim_url"
  fi

  # Services, in list order
  local profile_address="" crew_address="" endpoint_lines=() scrape_targets=()
  for i in "${!s_name[@]}"; do
    local name=${s_name[i]} program=${s_program[i]} kinds=${s_kinds[i]} upper
    upper=$(upper_name "$name")
    free_port
    local metrics_address=127.0.0.1:$REPLY grpc_port="" grpc_address=""
    launch_env=("${clear_env[@]}"
      "GRIDCARE_KAFKA_BOOTSTRAP_SERVERS=$kafka_bootstrap"
      "GRIDCARE_REDIS_ADDRESS=$redis_address"
      "GRIDCARE_METRICS_LISTEN_ADDRESS=$metrics_address"
      "GRIDCARE_LOG_LEVEL=$log_level")
    if [[ ,$kinds, == *,grpc,* ]]; then
      free_port
      grpc_port=$REPLY grpc_address=127.0.0.1:$REPLY
      launch_env+=("GRIDCARE_GRPC_LISTEN_ADDRESS=$grpc_address")
      endpoint_lines+=("$(env_line "GRIDCARE_${upper}_GRPC" "$grpc_address")")
    fi
    if [[ -n $profile_address ]]; then
      launch_env+=("GRIDCARE_PROFILE_SERVICE_TARGET=$profile_address")
    fi
    if [[ -n $crew_address ]]; then
      launch_env+=("GRIDCARE_CREW_SERVICE_TARGET=$crew_address")
    fi
    if [[ ,$kinds, == *,providers,* ]]; then
      launch_env+=("GRIDCARE_PROVIDER_BASE_URL=$provider_base_url"
        "GRIDCARE_PROVIDER_TOKEN_FILE=$provider_token_file")
    fi
    local console_url=""
    if [[ ,$kinds, == *,console,* ]]; then
      free_port
      launch_env+=("GRIDCARE_CONSOLE_LISTEN_ADDRESS=127.0.0.1:$REPLY")
      console_url=http://127.0.0.1:$REPLY/
      endpoint_lines+=("$(env_line "GRIDCARE_${upper}_CONSOLE" "$console_url")")
    fi
    if [[ ,$kinds, == *,tool,* ]]; then
      # A helper program (e.g. the crew simulator), not a service: no metrics endpoint to wait
      # for; it counts as started when it is still running a moment after launch.
      launch "$name" "$program" "-"
      sleep 1
      component_alive "$name" "$program" || fail_start "$name" "exited right after it started"
      log "$name: running"
      continue
    fi
    endpoint_lines+=("$(env_line "GRIDCARE_${upper}_METRICS" "$metrics_address")")
    scrape_targets+=("$name $metrics_address")
    launch "$name" "$program" "${grpc_address:+grpc=$grpc_address }${console_url:+console=$console_url }metrics=http://$metrics_address/metrics"
    wait_ready "$name" "$program" "http://$metrics_address/readyz${grpc_port:+ and gRPC port $grpc_port}" \
      service_ready "$metrics_address" "$grpc_port"
    log "$name: ready (metrics $metrics_address${grpc_address:+, gRPC $grpc_address})"
    if [[ $name == profile && -n $grpc_address ]]; then
      profile_address=$grpc_address
    fi
    if [[ $name == repair-crew && -n $grpc_address ]]; then
      crew_address=$grpc_address
    fi
  done

  # Prometheus
  free_port
  local prometheus_address=127.0.0.1:$REPLY
  write_prometheus_config "$prometheus_address" "${scrape_targets[@]}"
  if command -v promtool >/dev/null 2>&1; then
    local check_output
    check_output=$(promtool check config "$run_dir/prometheus.yml" 2>&1) ||
      die "promtool rejects $run_dir/prometheus.yml: $check_output"
  fi
  launch_env=()
  launch prometheus "$prometheus_program" "http://$prometheus_address" \
    --config.file="$run_dir/prometheus.yml" --storage.tsdb.path="$run_dir/prometheus" \
    --web.listen-address="$prometheus_address"
  wait_ready prometheus "$prometheus_program" "http://$prometheus_address/-/ready" \
    http_ok "http://$prometheus_address/-/ready"
  log "prometheus: ready on http://$prometheus_address"

  local service_names
  service_names=$(
    IFS=,
    printf '%s' "${s_name[*]}"
  )
  {
    printf '# GridCare local stack endpoints, written by deploy/local/stack.sh start at %s.\n' "$(date -Is)"
    printf '# Removed by stop. In a shell: set -a; . %q; set +a\n' "$endpoints_file"
    env_line GRIDCARE_RUN_DIR "$run_dir"
    env_line GRIDCARE_REDIS_ADDRESS "$redis_address"
    env_line GRIDCARE_KAFKA_BOOTSTRAP "$kafka_bootstrap"
    env_line GRIDCARE_KAFKA_BOOTSTRAP_SERVERS "$kafka_bootstrap"
    env_line GRIDCARE_PROMETHEUS_URL "http://$prometheus_address"
    env_line GRIDCARE_SERVICES "$service_names"
    [[ -z $provider_sim_url ]] || env_line GRIDCARE_PROVIDER_SIM_URL "$provider_sim_url"
    ((${#endpoint_lines[@]} == 0)) || printf '%s\n' "${endpoint_lines[@]}"
  } >"$endpoints_file.tmp"
  mv -f "$endpoints_file.tmp" "$endpoints_file"

  trap - EXIT INT TERM
  log "the stack is up in $((SECONDS - started)) s; endpoints in $endpoints_file"
  print_status
}

write_prometheus_config() { # PROMETHEUS_ADDRESS ["NAME METRICS_ADDRESS"...]
  local self=$1 target name address
  shift
  {
    printf '# Generated by deploy/local/stack.sh start; rewritten on every start.\n'
    printf 'global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\n'
    # The alert and recording rules the Helm chart ships (deploy/prometheus/rules/).
    printf 'rule_files:\n  - "%s/deploy/prometheus/rules/*.rules.yml"\n' "$GRIDCARE_REPO"
    printf 'scrape_configs:\n'
    printf '  - job_name: prometheus\n    static_configs:\n      - targets: ["%s"]\n' "$self"
    for target in "$@"; do
      name=${target%% *} address=${target#* }
      printf '  - job_name: %s\n    static_configs:\n      - targets: ["%s"]\n' "$name" "$address"
      printf '        labels:\n          service: %s\n' "$name"
    done
  } >"$run_dir/prometheus.yml"
}

# ---------------------------------------------------------------------------------------------
# stop, status, logs

cmd_stop() {
  take_lock
  read_components
  if ((${#c_name[@]} == 0)); then
    log "the stack is not running (nothing recorded in $pid_dir)"
    return 0
  fi
  stop_all
  log "stopped; data and logs stay in $run_dir"
}

print_status() { # exit status 0 when every recorded component is alive
  local i pid alive endpoints all=0
  read_components
  if ((${#c_name[@]} == 0)); then
    log "the stack is not running (run directory $run_dir)"
    return 1
  fi
  printf '%-12s %-8s %-6s %s\n' COMPONENT PID ALIVE ENDPOINTS
  for i in "${!c_name[@]}"; do
    pid=$(pid_of "${c_name[i]}")
    if [[ -n $pid ]] && proc_matches "$pid" "${c_program[i]}"; then alive=yes; else alive=no all=1; fi
    endpoints=${c_endpoints[i]}
    if [[ ${c_name[i]} == devbroker && -s $bootstrap_file ]]; then
      endpoints="kafka=$(<"$bootstrap_file")"
    fi
    printf '%-12s %-8s %-6s %s\n' "${c_name[i]}" "${pid:--}" "$alive" "$endpoints"
  done
  printf 'run directory %s; logs in %s\n' "$run_dir" "$log_dir"
  return "$all"
}

cmd_logs() {
  local name=${1:-}
  if [[ -z $name ]]; then
    compgen -G "$log_dir/*.log" >/dev/null || die "no logs in $log_dir yet"
    tail -n 20 "$log_dir"/*.log
    return 0
  fi
  local file=$log_dir/$name.log
  if [[ ! -f $file ]]; then
    local names=""
    if compgen -G "$log_dir/*.log" >/dev/null; then
      names=$(cd "$log_dir" && ls -- *.log | sed 's/\.log$//' | tr '\n' ' ')
    fi
    die "no log for '$name' in $log_dir${names:+ (there are: $names)}"
  fi
  if [[ -t 1 ]]; then
    exec tail -n 100 -F "$file"
  fi
  tail -n 100 "$file"
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) print_status ;;
  logs) cmd_logs "${2:-}" ;;
  -h | --help | help) usage ;;
  "") usage >&2; exit 2 ;;
  *) die "unknown command '$1' (try --help)" ;;
esac
