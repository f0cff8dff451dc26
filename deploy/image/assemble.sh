#!/usr/bin/env bash
# The root half of deploy/build-image.sh, which runs it (through sudo when not root) after it has
# built and installed GridCare into a staging directory:
#   1. the runtime builder: a minimal Debian 12 (debootstrap --variant=minbase from the mirror in
#      /etc/apt/sources.list*) with runtime-packages.txt installed by setup-runtime.sh, cached in
#      the cache directory (rebuilt when its inputs change, and after GRIDCARE_IMAGE_MAX_AGE_DAYS,
#      default 7, to take security updates); the debootstrap tarball is cached too;
#   2. export-rootfs.sh copies out of it what the programs need (and the staging tree);
#   3. `buildah from scratch` (vfs storage) gets that file system as one layer, the user, the
#      environment and the OCI labels, and is committed as REPOSITORY:VERSION; the size is printed
#      and must be under GRIDCARE_IMAGE_SIZE_LIMIT_MIB (image.env);
#   4. deploy/check-image.sh checks the image; 5. --output writes an OCI archive.
# Usage: deploy/image/assemble.sh --staging DIR --version V --description TEXT --revision REV
#        [--source URL] [--cache-dir DIR] [--refresh] [--output oci-archive:PATH] [--help]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=deploy/image/image.env
source "$GRIDCARE_REPO/deploy/image/image.env"

staging="" version="" description="" revision="" source_url="" archive="" refresh=false
cache_dir=${XDG_CACHE_HOME:-$HOME/.cache}/gridcare-image
while (($# > 0)); do
  case $1 in
    -h | --help) sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    --staging | --version | --description | --revision | --source | --cache-dir | --output)
      (($# >= 2)) || die "$1 needs a value"
      case $1 in
        --staging) staging=$2 ;;
        --version) version=$2 ;;
        --description) description=$2 ;;
        --revision) revision=$2 ;;
        --source) source_url=$2 ;;
        --cache-dir) cache_dir=$2 ;;
        --output) [[ $2 == oci-archive:/* ]] || die "--output takes oci-archive:/ABSOLUTE/PATH, not '$2'"
          archive=${2#oci-archive:} ;;
      esac
      shift 2 ;;
    --refresh) refresh=true; shift ;;
    *) die "unexpected argument '$1' (try --help)" ;;
  esac
done
[[ -d $staging$GRIDCARE_IMAGE_PREFIX/bin ]] || die "--staging DIR must hold DIR$GRIDCARE_IMAGE_PREFIX/bin (try --help)"
[[ -n $version && -n $description && -n $revision ]] || die "--version, --description and --revision are required"
[[ $(id -u) -eq 0 ]] || die "run as root (debootstrap, chroot, mount and buildah's storage need it)"
require_command debootstrap "apt-get install debootstrap (listed in deploy/debian-packages.txt)"
require_command buildah "apt-get install buildah (listed in deploy/debian-packages.txt)"
max_age_days=${GRIDCARE_IMAGE_MAX_AGE_DAYS:-7}
[[ $max_age_days =~ ^[0-9]+$ ]] || die "GRIDCARE_IMAGE_MAX_AGE_DAYS must be a whole number of days"

bh() { buildah --storage-driver vfs "$@"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/gridcare-image.XXXXXX")
builder=$work/builder
container=""
cleanup() {
  local status=$?
  trap - EXIT
  if mountpoint -q "$builder/proc" 2>/dev/null; then umount "$builder/proc" || umount -l "$builder/proc" || true; fi
  if [[ -n $container ]]; then
    bh umount "$container" >/dev/null 2>&1 || true
    bh rm "$container" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

image_files=$GRIDCARE_REPO/deploy/image

# The image's apt sources, deb822: the sites this machine's apt uses for the suite, its -updates
# and -security (apt-get indextargets), or deb.debian.org when apt knows none yet.
debian_sources() {
  local suite=$GRIDCARE_IMAGE_SUITE site release
  local -A suites=()
  # shellcheck disable=SC2016 # $(SITE) is apt's own field syntax
  while read -r site release; do
    case $release in
      "$suite" | "$suite-updates" | "$suite-security") suites[$site]+=" $release" ;;
    esac
  done < <(apt-get indextargets --format '$(SITE) $(RELEASE)' 'Created-By: Packages' 2>/dev/null | sort -u)
  if ((${#suites[@]} == 0)); then
    suites[http://deb.debian.org/debian]=" $suite $suite-updates"
    suites[http://deb.debian.org/debian-security]=" $suite-security"
  fi
  for site in $(printf '%s\n' "${!suites[@]}" | sort); do
    printf 'Types: deb\nURIs: %s\nSuites:%s\nComponents: main\n' "$site" "${suites[$site]}"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n'
  done
}

# The site of the suite itself in those sources (debootstrap's mirror).
debian_mirror() { # SOURCES
  awk -v suite="$GRIDCARE_IMAGE_SUITE" '
    /^URIs:/ { site = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) { print site; exit } }' <<<"$1"
}

short_hash() { sha256sum | cut -c1-16; }

# Runs setup-runtime.sh or export-rootfs.sh inside the builder (a copy of deploy/image in /tmp),
# with /proc mounted (apt, and bash's <(...) through /dev/fd, need it).
in_builder() { # SCRIPT ARGS...
  local script=$1 status=0
  shift
  rm -rf "$builder/tmp/gridcare-image"
  cp -R "$image_files" "$builder/tmp/gridcare-image"
  mount -t proc proc "$builder/proc"
  chroot "$builder" /bin/bash "/tmp/gridcare-image/$script" "$@" || status=$?
  umount "$builder/proc"
  rm -rf "$builder/tmp/gridcare-image"
  return "$status"
}

# debootstrap --variant=minbase into a tarball in the cache (kept until --refresh).
make_base_tarball() { # MIRROR TARBALL
  local mirror=$1 tarball=$2
  log "debootstrap --variant=minbase $GRIDCARE_IMAGE_SUITE from $mirror (about 2 minutes)"
  debootstrap --variant=minbase "$GRIDCARE_IMAGE_SUITE" "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  rm -f "$work/base"/var/cache/apt/archives/*.deb
  tar -C "$work/base" --numeric-owner -cpf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  rm -rf "$work/base"
  log "cached $tarball ($(du -m "$tarball" | cut -f1) MiB)"
}

# Sets up $builder: from the cached builder tarball when it is current, else from the debootstrap
# tarball plus setup-runtime.sh (then cached). The key covers everything that shapes it.
prepare_builder() {
  local sources mirror base_tar builder_tar key
  sources=$(debian_sources)
  mirror=$(debian_mirror "$sources")
  [[ -n $mirror ]] || die "no Debian mirror for $GRIDCARE_IMAGE_SUITE in /etc/apt/sources.list*"
  mkdir -p "$cache_dir"
  base_tar=$cache_dir/debootstrap-$GRIDCARE_IMAGE_SUITE-minbase-$(printf '%s' "$mirror" | short_hash).tar
  key=$( (printf '%s\n' "$base_tar" "$sources" && cat "$image_files"/{runtime-packages.txt,setup-runtime.sh,in-image.sh,dpkg-slim.cfg,image.env}) | short_hash)
  builder_tar=$cache_dir/builder-$GRIDCARE_IMAGE_SUITE-$key.tar
  mkdir -p "$builder"
  if ! $refresh && [[ -f $builder_tar && -z $(find "$builder_tar" -mtime +"$max_age_days") ]]; then
    tar -C "$builder" --numeric-owner -xpf "$builder_tar"
    log "cached builder $(basename "$builder_tar") from $(date -r "$builder_tar" '+%F %R') (rebuilt after $max_age_days days)"
    return 0
  fi
  if $refresh || [[ ! -f $base_tar ]]; then make_base_tarball "$mirror" "$base_tar"; fi
  tar -C "$builder" --numeric-owner -xpf "$base_tar"
  rm -f "$builder/etc/apt/sources.list"
  printf '%s' "$sources" >"$builder/etc/apt/sources.list.d/debian.sources"
  cp -L /etc/resolv.conf "$builder/etc/resolv.conf" 2>/dev/null || true
  in_builder setup-runtime.sh >"$work/setup-runtime.log" 2>&1 ||
    { tail -n 40 "$work/setup-runtime.log" >&2; die "setup-runtime.sh failed (log above)"; }
  grep '^setup-runtime.sh: ' "$work/setup-runtime.log" | sed 's/^/  /'
  find "$cache_dir" -maxdepth 1 -name "builder-$GRIDCARE_IMAGE_SUITE-*.tar" -delete
  tar -C "$builder" --numeric-owner -cpf "$builder_tar.partial" .
  mv "$builder_tar.partial" "$builder_tar"
  log "cached $builder_tar ($(du -m "$builder_tar" | cut -f1) MiB)"
}

# The staging tree into the builder, then export-rootfs.sh writes the image's file system to
# $builder/export.
export_rootfs() {
  mkdir -p "$builder$GRIDCARE_IMAGE_PREFIX"
  cp -R "$staging$GRIDCARE_IMAGE_PREFIX"/. "$builder$GRIDCARE_IMAGE_PREFIX"/
  in_builder export-rootfs.sh /export
}

# Commits the exported file system as the image; prints its size and enforces the limit.
commit_image() {
  local mount old_id new_id size_bytes size_mib
  container=$(bh from --name "gridcare-image-$$" scratch)
  mount=$(bh mount "$container")
  tar -C "$builder/export" --numeric-owner -cf - . | tar -C "$mount" --numeric-owner -xpf -
  bh umount "$container" >/dev/null
  local labels=(
    --label "org.opencontainers.image.title=$GRIDCARE_IMAGE_TITLE"
    --label "org.opencontainers.image.description=$description"
    --label "org.opencontainers.image.version=$version"
    --label "org.opencontainers.image.revision=$revision"
    --label "org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    --label "org.opencontainers.image.licenses=$GRIDCARE_IMAGE_LICENSES"
  )
  if [[ -n $source_url ]]; then labels+=(--label "org.opencontainers.image.source=$source_url"); fi
  bh config --os linux --arch amd64 --user "$GRIDCARE_IMAGE_UID:$GRIDCARE_IMAGE_UID" \
    --workingdir "$GRIDCARE_IMAGE_PREFIX" --env "PATH=$GRIDCARE_IMAGE_PREFIX/bin:/usr/bin:/bin" \
    --env LANG=C.UTF-8 --stop-signal SIGTERM "${labels[@]}" "$container"
  old_id=$(bh images --noheading --format '{{.ID}}' "$image" 2>/dev/null || true)
  bh commit --quiet --rm "$container" "$image" >/dev/null
  container=""
  new_id=$(bh images --noheading --format '{{.ID}}' "$image")
  if [[ -n $old_id && $old_id != "$new_id" ]]; then bh rmi "$old_id" >/dev/null 2>&1 || true; fi
  # The layers' uncompressed sizes, from the image's manifest (buildah images rounds to "MB").
  size_bytes=$(bh inspect --type image --format '{{.Manifest}}' "$image" | grep -o '"layers":\[.*\]' |
    grep -o '"size":[0-9]*' | awk -F: '{ s += $2 } END { if (NR > 0) print s }')
  [[ -n $size_bytes ]] || die "could not read the layer sizes of $image from its manifest"
  size_mib=$(awk -v b="$size_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
  log "committed localhost/$image (id ${new_id:0:12}): $size_mib MiB uncompressed, limit $GRIDCARE_IMAGE_SIZE_LIMIT_MIB MiB"
  awk -v b="$size_bytes" -v l="$GRIDCARE_IMAGE_SIZE_LIMIT_MIB" 'BEGIN { exit !(b < l * 1048576) }' ||
    die "the image is $size_mib MiB, not under $GRIDCARE_IMAGE_SIZE_LIMIT_MIB MiB"
}

write_archive() {
  mkdir -p "$(dirname "$archive")"
  rm -f "$archive"
  bh push --quiet "$image" "oci-archive:$archive:$image"
  log "wrote $archive ($(du -m "$archive" | cut -f1) MiB, layer gzip-compressed)"
}

image=$GRIDCARE_IMAGE_REPOSITORY:$version
step "preparing the runtime builder (Debian $GRIDCARE_IMAGE_SUITE)" prepare_builder
step "exporting the runtime file system" export_rootfs
step "committing $image" commit_image
step "checking the image (deploy/check-image.sh)" bash "$GRIDCARE_REPO/deploy/check-image.sh" "$image"
if [[ -n $archive ]]; then step "writing oci-archive:$archive" write_archive; fi
