#!/usr/bin/env bash
# Copies the files the Helm chart ships from where the project keeps them into helm/gridcare/files/
# (Helm's .Files reads only inside the chart directory; symlinks out of it are not followed):
#   deploy/prometheus/rules/*.rules.yml   -> files/prometheus-rules/   (the PrometheusRule)
#   deploy/grafana/dashboards/*.json      -> files/dashboards/         (Grafana dashboard ConfigMaps)
#   every gridcare_config_files(AREA DIR) in a CMakeLists.txt
#                                         -> files/config/AREA/        (configuration ConfigMaps)
# With --check it copies nothing and fails, listing the differences, when a copy is missing,
# stale or has no source any more (deploy/check-helm.sh runs it so). Usage:
# deploy/sync-helm-files.sh [--check] [--help]
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

case ${1:-} in
  -h | --help) sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  --check) mode=check ;;
  "") mode=sync ;;
  *) die "unexpected argument '$1' (try --help)" ;;
esac

cd "$GRIDCARE_REPO"
files_dir=helm/gridcare/files

# Builds the list of "source<TAB>copy" pairs.
pairs=()
add_dir() { # SOURCE_DIR GLOB COPY_DIR
  local src
  for src in "$1"/$2; do
    [[ -f $src ]] || continue
    pairs+=("$src"$'\t'"$3/$(basename "$src")")
  done
}
add_dir deploy/prometheus/rules '*.rules.yml' "$files_dir/prometheus-rules"
add_dir deploy/grafana/dashboards '*.json' "$files_dir/dashboards"
# gridcare_config_files(<area> ${CMAKE_CURRENT_SOURCE_DIR}/<dir>): the same files cmake installs
# under share/gridcare/<area>/, found where CMake is told about them.
while IFS= read -r match; do
  cmake_file=${match%%:*}
  call=${match#*:}
  if [[ $call =~ gridcare_config_files\(([a-z0-9-]+)[[:space:]]+\$\{CMAKE_CURRENT_SOURCE_DIR\}/([A-Za-z0-9_./-]+)\) ]]; then
    add_dir "$(dirname "$cmake_file")/${BASH_REMATCH[2]}" '*.json' "$files_dir/config/${BASH_REMATCH[1]}"
  else
    die "$cmake_file: cannot read '$call' (expected gridcare_config_files(<area> \${CMAKE_CURRENT_SOURCE_DIR}/<dir>))"
  fi
done < <(grep -rE --include=CMakeLists.txt '^[[:space:]]*gridcare_config_files\(' libs services tools 2>/dev/null | sort)

problems=()
declare -A wanted=()
for pair in "${pairs[@]}"; do
  src=${pair%%$'\t'*} copy=${pair#*$'\t'}
  wanted[$copy]=1
  if [[ $mode == sync ]]; then
    mkdir -p "$(dirname "$copy")"
    cmp -s "$src" "$copy" || { cp "$src" "$copy"; log "copied $src -> $copy"; }
  elif [[ ! -f $copy ]]; then
    problems+=("missing: $copy (from $src)")
  elif ! cmp -s "$src" "$copy"; then
    problems+=("differs: $copy from $src")
  fi
done
# Copies whose source is gone.
while IFS= read -r copy; do
  [[ -n ${wanted[$copy]:-} ]] && continue
  if [[ $mode == sync ]]; then
    rm -f "$copy"
    log "removed $copy (its source is gone)"
  else
    problems+=("no source: $copy")
  fi
done < <(find "$files_dir/prometheus-rules" "$files_dir/dashboards" "$files_dir/config" -type f 2>/dev/null | sort)

if [[ $mode == check ]]; then
  if ((${#problems[@]} > 0)); then
    printf '%s: %s\n' "$GRIDCARE_SCRIPT" "${problems[@]}" >&2
    die "the chart's copies are out of date: run deploy/sync-helm-files.sh and commit helm/gridcare/files/"
  fi
  log "helm/gridcare/files/ matches its ${#pairs[@]} sources"
else
  log "helm/gridcare/files/ is in step with its ${#pairs[@]} sources"
fi
