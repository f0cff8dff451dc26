# shellcheck shell=bash
# Sourced first by setup-runtime.sh and export-rootfs.sh, which run as root inside the image's
# Debian (a chroot, or a Containerfile stage) where deploy/lib/ is not: their directory (a copy of
# deploy/image/), log and die, the root check and the image facts (image.env).
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
script_name=$(basename "${BASH_SOURCE[1]}")
log() { printf '%s: %s\n' "$script_name" "$*"; }
die() {
  printf '%s: error: %s\n' "$script_name" "$*" >&2
  exit 1
}
# Call after --help is handled.
require_root_in_debian() {
  [[ $(id -u) -eq 0 ]] || die "run as root inside the image's Debian file system"
  [[ -r /etc/debian_version ]] || die "this is not a Debian system"
}
# shellcheck source=deploy/image/image.env
source "$here/image.env"
