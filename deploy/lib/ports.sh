#!/usr/bin/env bash
# Free TCP ports on 127.0.0.1 for the local stack and the benchmarks (sourced, not run). The
# sourcing script defines die.

declare -A claimed_ports=()
# Sets REPLY to a TCP port nothing listens on, below the kernel's ephemeral range (where
# devbroker's brokers and outgoing connections take theirs) and not handed out before by this run.
free_port() {
  local listening low _high port attempt
  listening=" $(ss -ltnH | awk '{ n = split($4, a, ":"); printf "%s ", a[n] }')"
  read -r low _high </proc/sys/net/ipv4/ip_local_port_range || low=32768
  ((low > 21000)) || low=32768
  for ((attempt = 0; attempt < 500; attempt++)); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % (low - 20000)))
    [[ -z ${claimed_ports[$port]:-} && $listening != *" $port "* ]] || continue
    claimed_ports[$port]=1
    REPLY=$port
    return 0
  done
  die "could not find a free TCP port on 127.0.0.1 (checked with ss -ltn)"
}
