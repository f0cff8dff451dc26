#!/usr/bin/env bash
# Builds the GridCare container image gridcare/gridcare:<version> with buildah (vfs storage, no
# container engine), offline but for the Debian mirror apt uses, and checks it:
#   1. installs the Debian packages (deploy/install-deps.sh; debootstrap and buildah are listed);
#   2. builds the installed programs (deploy/build.sh --target gridcare_programs) and installs
#      them, stripped, into a staging /opt/gridcare;
#   3. as root (deploy/image/assemble.sh, through sudo when not root; debootstrap, chroot and mount
#      need it): a minimal Debian 12 (debootstrap --variant=minbase from the mirror apt uses) with
#      deploy/image/runtime-packages.txt installed, cached (rebuilt when its inputs change or after
#      GRIDCARE_IMAGE_MAX_AGE_DAYS, default 7, for security updates);
#   4. copies out of it only what the programs need (deploy/image/export-rootfs.sh: the libraries
#      `ldd` finds, their packages' files, CA certificates, the gridcare user; no shell, no apt);
#   5. commits it `buildah from scratch` as one layer, user 10001, with OCI labels; prints the size
#      and fails at 150 MiB or more (deploy/image/image.env holds these facts);
#   6. runs deploy/check-image.sh on it (every program's --help and libraries, profile's health).
# Prints each step with its time. The image is in root's buildah storage (vfs).
# Usage: deploy/build-image.sh [--output oci-archive:PATH] [--cache-dir DIR] [--refresh] [--help]
#   --output oci-archive:PATH  also write the image to an OCI archive (`podman load -i PATH`)
#   --cache-dir DIR            the cache (default: root's ~/.cache/gridcare-image)
#   --refresh                  rebuild the cached Debian file systems (e.g. after a mirror change)
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=deploy/image/image.env
source "$GRIDCARE_REPO/deploy/image/image.env"

assemble_args=()
while (($# > 0)); do
  case $1 in
    -h | --help) sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    --output)
      [[ ${2:-} == oci-archive:?* ]] || die "--output takes oci-archive:PATH (try --help)"
      archive=${2#oci-archive:}
      [[ $archive == /* ]] || archive=$PWD/$archive
      assemble_args+=(--output "oci-archive:$archive")
      shift 2 ;;
    --cache-dir) assemble_args+=(--cache-dir "$(realpath -m "${2:?--cache-dir needs a directory}")"); shift 2 ;;
    --refresh) assemble_args+=(--refresh); shift ;;
    *) die "unexpected argument '$1' (try --help)" ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/gridcare-image-staging.XXXXXX")
finish() {
  local status=$?
  rm -rf "$work"
  log_total "$status"
}
trap finish EXIT

# The repository's facts agree: the Containerfile and the Helm chart say what image.env says.
check_facts() {
  local containerfile=$GRIDCARE_REPO/deploy/image/Containerfile values=$GRIDCARE_REPO/helm/gridcare/values.yaml
  local uid=$GRIDCARE_IMAGE_UID expected project_version
  project_version=$(sed -n 's/^project(gridcare VERSION \([^ ]*\).*/\1/p' "$GRIDCARE_REPO/CMakeLists.txt")
  for expected in "USER $uid:$uid" "WORKDIR $GRIDCARE_IMAGE_PREFIX" "ARG VERSION=$project_version" \
    "org.opencontainers.image.licenses=\"$GRIDCARE_IMAGE_LICENSES\"" \
    "org.opencontainers.image.title=\"$GRIDCARE_IMAGE_TITLE\""; do
    grep -qF -- "$expected" "$containerfile" || die "deploy/image/Containerfile lacks '$expected' (deploy/image/image.env)"
  done
  for expected in "runAsUser: $uid" "runAsGroup: $uid" "fsGroup: $uid" "binDir: $GRIDCARE_IMAGE_PREFIX/bin" \
    "repository: $GRIDCARE_IMAGE_REPOSITORY" "readOnlyRootFilesystem: true"; do
    grep -qF -- "$expected" "$values" || die "helm/gridcare/values.yaml lacks '$expected' (deploy/image/image.env)"
  done
  log "deploy/image/Containerfile and helm/gridcare/values.yaml agree with deploy/image/image.env"
}

# Builds the installed programs and installs them, stripped, into $work/staging<prefix>. Sets the
# version, description (CMake's project()), revision and source (git) of the image.
build_and_install() {
  local cache=$GRIDCARE_REPO/build/CMakeCache.txt
  bash "$GRIDCARE_REPO/deploy/build.sh" --target gridcare_programs
  version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$cache")
  description=$(sed -n 's/^CMAKE_PROJECT_DESCRIPTION:STATIC=//p' "$cache")
  [[ -n $version ]] || die "no CMAKE_PROJECT_VERSION in $cache"
  cmake --install "$GRIDCARE_REPO/build" --prefix "$work/staging$GRIDCARE_IMAGE_PREFIX" --strip >"$work/install.log" ||
    { cat "$work/install.log" >&2; die "cmake --install failed"; }
  log "installed $(find "$work/staging$GRIDCARE_IMAGE_PREFIX/bin" -type f | wc -l) programs and" \
    "$(find "$work/staging$GRIDCARE_IMAGE_PREFIX/share" -type f | wc -l) files ($(du -sm "$work/staging" | cut -f1) MiB, stripped)"
  revision=$(git -C "$GRIDCARE_REPO" rev-parse HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git -C "$GRIDCARE_REPO" status --porcelain 2>/dev/null) ]]; then revision+="-dirty"; fi
  source_url=$(git -C "$GRIDCARE_REPO" remote get-url origin 2>/dev/null || true)
  [[ -n $source_url ]] || warn "no git remote 'origin': the image gets no org.opencontainers.image.source label"
}

step "installing Debian packages" bash "$GRIDCARE_REPO/deploy/install-deps.sh"
step "checking the image facts" check_facts
step "building and installing GridCare" build_and_install
[[ -z $source_url ]] || assemble_args+=(--source "$source_url")
[[ $(id -u) -eq 0 ]] || log "the rest runs as root (debootstrap, chroot, mount): sudo"
as_root env "GRIDCARE_IMAGE_MAX_AGE_DAYS=${GRIDCARE_IMAGE_MAX_AGE_DAYS:-7}" bash "$GRIDCARE_REPO/deploy/image/assemble.sh" --staging "$work/staging" --version "$version" \
  --description "$description" --revision "$revision" "${assemble_args[@]}"
