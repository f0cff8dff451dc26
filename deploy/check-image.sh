#!/usr/bin/env bash
# Checks a GridCare image without a container engine (podman run cannot work on this machine: its
# runtime's setrlimit is refused). It mounts the image (`buildah from` + `buildah mount`, vfs) and
# recreates what a pod gives a container: the image's root file system read-only, /proc, a /dev
# with the usual devices, a tmpfs /tmp, the image's user and environment only. Inside that, with
# `chroot --userspec=UID:UID`:
#   - the image's configuration: user, working directory, no GRIDCARE_CONFIG_DIR, the OCI labels;
#   - every program in <prefix>/bin: the dynamic loader finds every library (what ldd does:
#     ld.so --list; the image has no shell for ldd itself) and `--help` exits 0;
#   - intake --help shows its configuration under <prefix>/share/gridcare (found by itself);
#   - a service's health check: redis-server on 127.0.0.1 outside, the image's devbroker and
#     profile inside; /healthz and /readyz answered, /metrics served, SIGTERM exits 0.
# Stops what it started by pid and unmounts, also on failure. Runs as root.
# Usage: deploy/check-image.sh [IMAGE] [--help]   (default gridcare/gridcare:<project version>)
set -euo pipefail
# shellcheck source=bench/lib/processes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../bench/lib/processes.sh" # alive, start, stop_pid, wait_for, free_port
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" # after processes.sh: its log and die win
# shellcheck source=deploy/image/image.env
source "$GRIDCARE_REPO/deploy/image/image.env"

case ${1:-} in
  -h | --help) sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  "") image=$GRIDCARE_IMAGE_REPOSITORY:$(sed -n 's/^project(gridcare VERSION \([^ ]*\).*/\1/p' "$GRIDCARE_REPO/CMakeLists.txt") ;;
  -*) die "unexpected argument '$1' (try --help)" ;;
  *) image=$1 ;;
esac
(($# <= 1)) || die "unexpected argument '$2' (try --help)"
[[ $(id -u) -eq 0 ]] || die "run as root (buildah mount, mount and chroot need it)"
require_command buildah "apt-get install buildah (listed in deploy/debian-packages.txt)"
require_command redis-server
require_command curl

bh() { buildah --storage-driver vfs "$@"; }
prefix=$GRIDCARE_IMAGE_PREFIX
uid=$GRIDCARE_IMAGE_UID
started=$SECONDS
work_dir=$(mktemp -d "${TMPDIR:-/tmp}/gridcare-check-image.XXXXXX")
root=$work_dir/root
pids=()
names=()
container=""
mounts=() # mounted directories, unmounted last first

finish() {
  local status=$? i
  trap - EXIT INT TERM
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${names[i]}" "${pids[i]}"; done
  if ((status != 0)); then
    for i in "${names[@]}"; do
      [[ -s $work_dir/$i.log ]] && { printf '\n--- last lines of %s.log ---\n' "$i" >&2; tail -n 20 "$work_dir/$i.log" >&2; }
    done
  fi
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" || umount -l "${mounts[i]}" || true; done
  if [[ -n $container ]]; then
    bh umount "$container" >/dev/null 2>&1 || true
    bh rm "$container" >/dev/null 2>&1 || true
  fi
  rm -rf "$work_dir"
  if ((status == 0)); then log "passed in $((SECONDS - started)) s"; else log "FAILED (exit $status)"; fi
  exit "$status"
}
run_on_exit finish

mount_on() { # DIRECTORY MOUNT-ARGS...
  local directory=$1
  shift
  mount "$@" "$directory"
  mounts+=("$directory")
}

# The image's own configuration. Sets image_env (its Env, one entry a line).
check_config() {
  local user workdir label value
  user=$(bh inspect --type image --format '{{.OCIv1.Config.User}}' "$image")
  workdir=$(bh inspect --type image --format '{{.OCIv1.Config.WorkingDir}}' "$image")
  [[ $user == "$uid:$uid" ]] || die "the image runs as '$user', not $uid:$uid"
  [[ $workdir == "$prefix" ]] || die "the image's working directory is '$workdir', not $prefix"
  image_env=$(bh inspect --type image --format '{{range .OCIv1.Config.Env}}{{println .}}{{end}}' "$image" | sed '/^$/d')
  ! grep -q '^GRIDCARE_CONFIG_DIR=' <<<"$image_env" || die "the image sets GRIDCARE_CONFIG_DIR"
  for label in title description version revision created licenses; do
    value=$(bh inspect --type image --format "{{index .OCIv1.Config.Labels \"org.opencontainers.image.$label\"}}" "$image")
    [[ -n $value ]] || die "the image lacks the label org.opencontainers.image.$label"
  done
  log "configuration: user $user, working directory $workdir, env $(paste -sd' ' <<<"$image_env")"
}

# The image's root read-only, with what a container runtime adds: /proc, /dev, /tmp.
mount_image() {
  local mount node
  container=$(bh from --pull=never --name "gridcare-check-$$" "$image")
  mount=$(bh mount "$container")
  mkdir -p "$root"
  mount_on "$root" --bind "$mount"
  mount -o remount,bind,ro "$root"
  mount_on "$root/proc" -t proc proc
  mount_on "$root/dev" -t tmpfs -o mode=755,size=64k tmpfs
  for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<<"$node"
    mknod -m 666 "$root/dev/$name" c "$major" "$minor"
  done
  ln -s /proc/self/fd "$root/dev/fd"
  mount_on "$root/tmp" -t tmpfs -o mode=1777,size=64m tmpfs
  [[ -s $root/etc/ssl/certs/ca-certificates.crt ]] || die "the image has no CA bundle (/etc/ssl/certs/ca-certificates.crt)"
  grep -q "^$GRIDCARE_IMAGE_USER:x:$uid:$uid:" "$root/etc/passwd" || die "/etc/passwd lacks the user $GRIDCARE_IMAGE_USER ($uid)"
  log "mounted read-only at $root: user $GRIDCARE_IMAGE_USER in /etc/passwd, CA bundle present$([[ -e $root/bin/sh ]] || echo ', no shell')"
}

# A program of the image runs as "${in_image[@]}" PROGRAM ARGS...: as the image's user, with only
# the image's environment (set by set_runner, after check_config).
set_runner() {
  local -a environment
  mapfile -t environment <<<"$image_env"
  in_image=(env -i "${environment[@]}" HOME=/nonexistent "$(command -v chroot)" --userspec="$uid:$uid" "$root")
}

check_programs() {
  local program name listing count=0
  for program in "$root$prefix"/bin/*; do
    name=$(basename "$program")
    listing=$("${in_image[@]}" /lib64/ld-linux-x86-64.so.2 --list "$prefix/bin/$name" 2>&1) ||
      { printf '%s\n' "$listing" >&2; die "$name: the dynamic loader cannot load it"; }
    ! grep -q 'not found' <<<"$listing" || { grep 'not found' <<<"$listing" >&2; die "$name: libraries missing"; }
    timeout 30 "${in_image[@]}" "$prefix/bin/$name" --help >"$work_dir/help-$name.txt" 2>&1 </dev/null ||
      { tail -n 20 "$work_dir/help-$name.txt" >&2; die "$name --help failed"; }
    count=$((count + 1))
    log "  $name: $(grep -c '=>' <<<"$listing") libraries found, --help exit 0 ($(wc -l <"$work_dir/help-$name.txt") lines)"
  done
  ((count > 0)) || die "no programs in $prefix/bin"
  grep -qF "$prefix/share/gridcare/" "$work_dir/help-intake.txt" ||
    die "intake --help names no file under $prefix/share/gridcare (configuration not found by itself)"
  log "$count programs ran --help as $uid:$uid; intake's defaults are under $prefix/share/gridcare"
}

# profile over a Redis outside and the image's devbroker inside: ready, healthy, metrics, and a
# clean exit on SIGTERM.
check_health() {
  local redis_port grpc_port metrics_port bootstrap pid status url running_as waited
  require_command ss "apt-get install iproute2 (listed in deploy/debian-packages.txt)"
  free_port
  redis_port=$REPLY
  mkdir -p "$work_dir/redis"
  start redis redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work_dir/redis" --save '' --appendonly no
  redis_ping() { [[ $(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null) == PONG ]]; }
  wait_for redis-server "$REPLY" 20 redis_ping
  start devbroker "${in_image[@]}" "$prefix/bin/devbroker" --brokers 1 --bootstrap-file /tmp/bootstrap
  wait_for devbroker "$REPLY" 30 test -s "$root/tmp/bootstrap"
  bootstrap=$(<"$root/tmp/bootstrap")
  log "redis-server 127.0.0.1:$redis_port outside; devbroker $bootstrap inside (uid $uid)"
  free_port
  grpc_port=$REPLY
  free_port
  metrics_port=$REPLY
  start profile "${in_image[@]}" "$prefix/bin/profile" --kafka-bootstrap-servers "$bootstrap" \
    --redis-address "127.0.0.1:$redis_port" --grpc-listen-address "127.0.0.1:$grpc_port" \
    --metrics-listen-address "127.0.0.1:$metrics_port"
  pid=$REPLY
  wait_for profile "$pid" 60 curl -fsS --noproxy '*' "http://127.0.0.1:$metrics_port/readyz"
  for url in healthz readyz; do
    log "  GET /$url: $(curl -fsS --noproxy '*' --max-time 5 "http://127.0.0.1:$metrics_port/$url" | head -c 200)"
  done
  curl -fsS --noproxy '*' --max-time 5 "http://127.0.0.1:$metrics_port/metrics" >"$work_dir/metrics.txt"
  grep -q '^gridcare_' "$work_dir/metrics.txt" || die "profile's /metrics has no gridcare_ series"
  log "  GET /metrics: $(grep -c '^gridcare_' "$work_dir/metrics.txt") gridcare_ samples"
  running_as=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
  [[ $running_as == "$uid" ]] || die "profile runs as uid $running_as, not $uid"
  kill -TERM "$pid"
  for ((waited = 0; waited < 300; waited++)); do
    alive "$pid" || break
    sleep 0.1
  done
  ! alive "$pid" || die "profile did not stop within 30 s of SIGTERM"
  status=0
  wait "$pid" || status=$?
  ((status == 0)) || die "profile exited $status after SIGTERM (expected 0)"
  log "profile (pid $pid, uid $running_as) stopped on SIGTERM with exit 0 after $((waited / 10)).$((waited % 10)) s"
}

log "checking $image"
check_config
set_runner
mount_image
check_programs
check_health
