#!/usr/bin/env bash
# Installs every Debian package GridCare needs (the list is deploy/debian-packages.txt).
# Idempotent: when everything is already installed it does no apt work at all.
# Runs apt through sudo when not root. Usage: deploy/install-deps.sh [--help]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

package_list="$GRIDCARE_REPO/deploy/debian-packages.txt"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,4s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
[[ $# -eq 0 ]] || die "unexpected argument '$1' (try --help)"
[[ -r $package_list ]] || die "package list $package_list is missing"
require_command dpkg-query "this script is for Debian 12"

mapfile -t packages < <(sed -e 's/#.*//' "$package_list" | tr -s '[:space:]' '\n' | sed '/^$/d')
[[ ${#packages[@]} -gt 0 ]] || die "no packages listed in $package_list"

# dpkg-query prints one line per package it knows; unknown packages only produce a message on
# stderr (and a non-zero exit), so anything not reported as "installed" counts as missing.
declare -A installed=()
while read -r name status; do
  [[ $status == installed ]] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)

missing=()
for package in "${packages[@]}"; do
  [[ -n ${installed[$package]:-} ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  log "all ${#packages[@]} Debian packages are installed"
  exit 0
fi

log "installing ${#missing[@]} missing package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# `env` carries DEBIAN_FRONTEND through sudo, which may reset the environment.
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null

still_missing=()
for package in "${missing[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ $status == installed ]] || still_missing+=("$package")
done
[[ ${#still_missing[@]} -eq 0 ]] || die "apt-get did not install: ${still_missing[*]}"
log "installed: ${missing[*]}"
