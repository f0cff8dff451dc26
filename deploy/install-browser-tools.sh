#!/usr/bin/env bash
# Prepares the headless-browser checks of the dispatch console (tools/browser-check): checks
# Debian's chromium is there, makes sure node >= 18 and npm exist (Debian's nodejs and npm when
# node is missing; a node from elsewhere is kept), then runs `npm ci` in tools/browser-check
# when node_modules is missing or older than package-lock.json. Idempotent; needs the npm
# registry only when it installs. Usage: deploy/install-browser-tools.sh [--help]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

check_dir="$GRIDCARE_REPO/tools/browser-check"
min_node_major=18

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,6s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
[[ $# -eq 0 ]] || die "unexpected argument '$1' (try --help)"
[[ -r $check_dir/package-lock.json ]] || die "$check_dir/package-lock.json is missing"

# 1. Chromium: a Debian package from deploy/debian-packages.txt, so install-deps.sh owns it.
chromium_bin=${CHROMIUM:-$(command -v chromium || true)}
if [[ -z $chromium_bin || ! -x $chromium_bin ]]; then
  die "chromium is not installed: run deploy/install-deps.sh (it installs Debian's chromium, listed in deploy/debian-packages.txt), or set CHROMIUM to a Chromium binary"
fi
# Debian's launcher script prints harmless shell noise on some machines: keep only the version.
chromium_version=$("$chromium_bin" --version 2>/dev/null | head -n 1 || true)
log "chromium: $chromium_bin (${chromium_version:-version unknown})"

# 2. node and npm. A node that is already there (e.g. a newer one from another repository) is
#    used as it is; Debian's packages come in only when node is missing altogether.
apt_install() {
  log "installing Debian package(s): $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" </dev/null
}

if ! command -v node >/dev/null 2>&1; then
  apt_install nodejs npm
elif ! command -v npm >/dev/null 2>&1; then
  # Debian's npm goes with Debian's nodejs only; a node from elsewhere brings its own npm.
  node_package_version=$(dpkg-query -W -f='${Version}' nodejs 2>/dev/null || true)
  if [[ -n $node_package_version && $node_package_version != *nodesource* ]]; then
    apt_install npm
  else
    die "npm is missing beside $(command -v node) ($(node --version)): install the npm that belongs to that node, or remove it and re-run this script to get Debian's nodejs and npm"
  fi
fi
require_command node "apt-get install nodejs"
require_command npm "apt-get install npm"
node_version=$(node --version)
node_major=${node_version#v}
node_major=${node_major%%.*}
if ! [[ $node_major =~ ^[0-9]+$ ]] || ((node_major < min_node_major)); then
  die "node $node_version at $(command -v node) is too old: tools/browser-check needs node >= $min_node_major"
fi
log "node $node_version, npm $(npm --version 2>/dev/null)"

# 3. playwright-core, exactly as package-lock.json pins it. npm writes node_modules/.package-lock.json
#    on every install, so its age tells whether the install predates the lock file.
installed_lock=$check_dir/node_modules/.package-lock.json
if [[ ! -f $installed_lock || ! -d $check_dir/node_modules/playwright-core ||
      $check_dir/package-lock.json -nt $installed_lock ]]; then
  log "npm ci in tools/browser-check"
  (cd "$check_dir" && npm ci --no-audit --no-fund </dev/null)
else
  log "tools/browser-check/node_modules is up to date with package-lock.json"
fi
playwright_version=$(cd "$check_dir" && node -e 'console.log(require("playwright-core/package.json").version)')
log "playwright-core $playwright_version; run the check with: node tools/browser-check/console_check.mjs --url http://127.0.0.1:PORT"
