#!/usr/bin/env bash
# Copies the GridCare runtime file system out of a Debian 12 system prepared by setup-runtime.sh
# (with the `cmake --install` tree at GRIDCARE_IMAGE_PREFIX) into DEST, the root of the image:
#   - the programs' libraries: `ldd` of every file in <prefix>/bin, each library mapped to its
#     package with `dpkg -S`, and every file of those packages (their data too, e.g. ICU's);
#     fails, naming the program, when `ldd` cannot find a library (runtime-packages.txt lacks it);
#   - every file of the packages runtime-packages.txt lists (ca-certificates, base-files), but not
#     what they depend on at install time (no shell, no apt, no dpkg, no perl in the image);
#   - files the system generated: the CA bundle (/etc/ssl/certs), /etc/passwd and /etc/group (with
#     the gridcare user), nsswitch.conf, ld.so.conf; the /bin, /lib... links of merged /usr; /tmp;
#   - <prefix> itself, owned by root and not writable by the user;
#   - /var/lib/dpkg/status with the copied packages only, so image scanners see what is inside.
# Runs as root INSIDE that system (chroot or the Containerfile's runtime stage). Prints the package
# list. Usage: export-rootfs.sh DEST [--help]
set -euo pipefail

# shellcheck source=deploy/image/in-image.sh
source "$(dirname "${BASH_SOURCE[0]}")/in-image.sh"

case ${1:-} in
  -h | --help) sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  /*) dest=$1 ;;
  "") die "DEST is missing (try --help)" ;;
  *) die "DEST must be an absolute path, not '$1'" ;;
esac
[[ $# -eq 1 ]] || die "unexpected argument '$2' (try --help)"
require_root_in_debian
prefix=$GRIDCARE_IMAGE_PREFIX
[[ -d $prefix/bin ]] || die "$prefix/bin is missing: copy the cmake --install tree there first"

# 1. Every library of every program (ldd), or a failure naming the program and what is missing.
declare -A libraries=()
programs=0
for program in "$prefix"/bin/*; do
  [[ -f $program && -x $program ]] || continue
  programs=$((programs + 1))
  listing=$(ldd "$program") || die "ldd $program failed"
  if grep -q 'not found' <<<"$listing"; then
    grep 'not found' <<<"$listing" >&2
    die "$program needs libraries no installed package provides: add their packages to runtime-packages.txt"
  fi
  while read -r library; do
    libraries[$library]=1
  done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$listing")
done
((programs > 0)) || die "no programs in $prefix/bin"

#    The packages that ship them, with one dpkg-query. A library may be known to dpkg under another
#    spelling than ldd prints (merged /usr: /lib/x/libz.so.1 is /usr/lib/x/libz.so.1), or only its
#    link target may be: every spelling is asked for.
declare -A spellings=() owner=() needed=()
for library in "${!libraries[@]}"; do
  for resolved in "$library" "$(readlink -f "$library")"; do
    for spelling in "$resolved" "${resolved#/usr}" "/usr$resolved"; do spellings[$spelling]=1; done
  done
done
while IFS= read -r line; do
  [[ $line == diversion* ]] && continue
  packages=${line%%: /*}
  owner[${line#*: }]=${packages//, / }
done < <(dpkg-query -S "${!spellings[@]}" 2>/dev/null || true)
for library in "${!libraries[@]}"; do
  found=""
  for resolved in "$library" "$(readlink -f "$library")"; do
    for spelling in "$resolved" "${resolved#/usr}" "/usr$resolved"; do
      found+=" ${owner[$spelling]:-}"
    done
  done
  [[ -n ${found// /} ]] || die "no package owns $library"
  for package in $found; do needed[${package%%:*}]=1; done
done
mapfile -t listed < <(sed -e 's/#.*//' "$here/runtime-packages.txt" | tr -s '[:space:]' '\n' | sed '/^$/d')
unlinked=()
for package in "${listed[@]}"; do
  [[ -n ${needed[$package]:-} ]] || unlinked+=("$package")
  needed[$package]=1
done
# Data packages belong here; a library package here is one no program needs any more.
log "listed in runtime-packages.txt but linked by no program: ${unlinked[*]:-none}"
mapfile -t packages < <(printf '%s\n' "${!needed[@]}" | sort)
log "$programs programs need ${#packages[@]} packages: ${packages[*]}"

# 2. The file list: the packages' files, /lib/... spelled /usr/lib/... (merged /usr: /bin, /sbin,
#    /lib and /lib64 are links, copied as links), then what the system generated.
list=$(mktemp)
trap 'rm -f "$list"' EXIT
{
  for link in /bin /sbin /lib /lib64; do
    [[ -L $link ]] && printf '%s\n' "$link"
  done
  dpkg-query -L "${packages[@]}" | while IFS= read -r path; do
    [[ $path == /. || $path == / ]] && continue
    [[ -e $path || -L $path ]] || continue # left out by dpkg-slim.cfg
    case $path in
      /bin/* | /sbin/* | /lib/* | /lib64/*)
        top=${path#/}
        [[ -L /${top%%/*} ]] && path=/usr$path
        ;;
    esac
    printf '%s\n' "$path"
  done
  for generated in /etc/passwd /etc/group /etc/nsswitch.conf /etc/ld.so.conf /etc/ld.so.conf.d \
    /etc/ld.so.conf.d/* /etc/ssl /etc/ssl/certs /etc/ssl/certs/*; do
    [[ -e $generated || -L $generated ]] && printf '%s\n' "$generated"
  done
} | sed 's|^/||' | sort -u >"$list"

mkdir -p "$dest"
tar -C / --no-recursion -T "$list" --numeric-owner -cf - | tar -C "$dest" --numeric-owner -xpf -
log "copied $(wc -l <"$list") paths of the system"

# 3. The install tree, mount points (/tmp, /proc...), the library cache and the package database.
mkdir -p "$dest$prefix"
cp -R "$prefix"/. "$dest$prefix"/
chown -R 0:0 "$dest$prefix"
chmod -R u+rwX,go+rX,go-w "$dest$prefix"
mkdir -p "$dest/tmp" "$dest/var/lib/dpkg" "$dest/proc" "$dest/sys" "$dest/dev" "$dest/run"
chmod 1777 "$dest/tmp"
chmod 555 "$dest/proc" "$dest/sys"
ldconfig -r "$dest"
dpkg-query -s "${packages[@]}" >"$dest/var/lib/dpkg/status"
log "exported to $dest: $(du -sm "$dest" | cut -f1) MiB"
