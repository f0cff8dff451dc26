#!/usr/bin/env bash
# Turns a minimal Debian 12 into GridCare's runtime file system. Runs as root INSIDE that system:
# in a chroot (deploy/build-image.sh, on a debootstrap --variant=minbase tree) and in the
# Containerfile's runtime stage (on debian:12-slim), so both images get exactly the same steps:
#   1. dpkg leaves out documentation, manual pages and translations from now on (dpkg-slim.cfg),
#      and what the base system already holds of them is deleted (copyright files stay);
#   2. apt upgrades the base and installs runtime-packages.txt (--no-install-recommends);
#   3. the user and group GRIDCARE_IMAGE_USER with id GRIDCARE_IMAGE_UID (image.env) are added;
#   4. apt's lists and caches, logs and backup files are removed.
# Needs network access to the Debian mirror in /etc/apt/sources.list*. Reads its files from its
# own directory (a copy of deploy/image/). Usage: setup-runtime.sh [--help]
set -euo pipefail

# shellcheck source=deploy/image/in-image.sh
source "$(dirname "${BASH_SOURCE[0]}")/in-image.sh"

case ${1:-} in
  -h | --help) sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  "") ;;
  *) die "unexpected argument '$1' (try --help)" ;;
esac
require_root_in_debian

# Deletes what the path-exclude rules of dpkg-slim.cfg match, except what a path-include keeps
# (dpkg matches with fnmatch(3) without flags, so '*' spans '/': bash's [[ == ]] does the same).
purge_excluded() {
  local cfg=$1 kind pattern path file keep include removed=0
  local -a excludes=() includes=()
  while read -r kind pattern; do
    case $kind in
      path-exclude) excludes+=("$pattern") ;;
      path-include) includes+=("$pattern") ;;
    esac
  done <"$cfg"
  shopt -s nullglob
  for pattern in "${excludes[@]}"; do
    for path in $pattern; do
      while IFS= read -r -d '' file; do
        keep=false
        for include in "${includes[@]}"; do
          # shellcheck disable=SC2053 # the include is a pattern
          [[ $file == $include ]] && keep=true
        done
        $keep || { rm -f "$file" && removed=$((removed + 1)); }
      done < <(find "$path" \( -type f -o -type l \) -print0)
      [[ ! -d $path ]] || find "$path" -depth -type d -empty -delete
    done
  done
  shopt -u nullglob
  log "removed $removed documentation, manual and translation files"
}

export DEBIAN_FRONTEND=noninteractive
mkdir -p /etc/dpkg/dpkg.cfg.d
cp "$here/dpkg-slim.cfg" /etc/dpkg/dpkg.cfg.d/gridcare-slim
purge_excluded /etc/dpkg/dpkg.cfg.d/gridcare-slim

mapfile -t packages < <(sed -e 's/#.*//' "$here/runtime-packages.txt" | tr -s '[:space:]' '\n' | sed '/^$/d')
[[ ${#packages[@]} -gt 0 ]] || die "no packages listed in runtime-packages.txt"
log "apt-get update and upgrade"
apt-get update -q </dev/null
apt-get upgrade -y -q </dev/null
log "installing ${#packages[@]} runtime packages: ${packages[*]}"
apt-get install -y -q --no-install-recommends "${packages[@]}" </dev/null

if ! getent group "$GRIDCARE_IMAGE_USER" >/dev/null; then
  groupadd --gid "$GRIDCARE_IMAGE_UID" "$GRIDCARE_IMAGE_USER"
fi
if ! getent passwd "$GRIDCARE_IMAGE_USER" >/dev/null; then
  useradd --uid "$GRIDCARE_IMAGE_UID" --gid "$GRIDCARE_IMAGE_UID" --no-create-home \
    --home-dir /nonexistent --shell /usr/sbin/nologin "$GRIDCARE_IMAGE_USER"
fi
log "user $(id "$GRIDCARE_IMAGE_USER")"

apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old \
  /var/log/apt/* /var/log/*.log /etc/*- /root/.cache
purge_excluded /etc/dpkg/dpkg.cfg.d/gridcare-slim
log "done: $(dpkg-query -W -f='.' | wc -c) packages installed"
