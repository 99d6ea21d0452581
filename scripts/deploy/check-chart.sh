#!/usr/bin/env bash
# Renders helm/clv-stream and validates what comes out, without a cluster:
#   1. helm lint --strict, with the default values and each helm/clv-stream/ci/*-values.yaml;
#   2. helm template with each of those, for every Kubernetes version in tools.env;
#   3. kubeconform -strict against that version's JSON schemas (offline, from PyPI's
#      kubernetes-validate), then scripts/deploy/check-manifests.py on the same output;
#   4. values the chart must refuse are refused, with the message a user would need;
#   5. the validator itself rejects a broken manifest (so a pass means something).
# Tools are built on first use and cached under $CLV_TOOLS_DIR (default .tools/, see
# tools.sh). Rendered manifests are left in $CHART_OUT (default out/chart/) to read.
#
#   scripts/deploy/check-chart.sh
set -euo pipefail
# shellcheck source=scripts/deploy/tools.sh
. "$(dirname "${BASH_SOURCE[0]}")/tools.sh"

CHART="$REPO_ROOT/helm/clv-stream"
OUT="${CHART_OUT:-$REPO_ROOT/out/chart}"
started=$(date +%s)

command -v python3 > /dev/null || die "python3 is needed (scripts/deploy/check-manifests.py)"
if ! python3 -c 'import yaml' 2> /dev/null; then
  # PyYAML ships with the machine's Python here; elsewhere it goes into the tools cache.
  export PYTHONPATH="$TOOLS_DIR/python${PYTHONPATH:+:$PYTHONPATH}"
  python3 -c 'import yaml' 2> /dev/null || python3 -m pip install --quiet --target "$TOOLS_DIR/python" PyYAML==6.0.3 >&2 \
    || die "PyYAML is missing and pip could not install it"
fi
HELM=$(go_tool HELM)
KUBECONFORM=$(go_tool KUBECONFORM)
SCHEMAS=$(k8s_schemas)
echo "tools ready in $(( $(date +%s) - started ))s: helm $HELM_VERSION, kubeconform $KUBECONFORM_VERSION, schemas kubernetes-validate $KUBERNETES_VALIDATE_VERSION"

rm -rf "$OUT"
mkdir -p "$OUT"

# The cases: name → extra helm arguments. The production case declares the ServiceMonitor
# API, as a cluster with the Prometheus Operator would.
declare -A CASES=([default]="")
for f in "$CHART"/ci/*-values.yaml; do
  CASES[$(basename "$f" -values.yaml)]="-f $f"
done

kubeconform_for() { # version file…
  local version=$1; shift
  # ServiceMonitor is a CustomResourceDefinition: no schema ships for it; check-manifests.py
  # checks that it selects the Services and ports it names.
  "$KUBECONFORM" -strict -summary -kubernetes-version "$version" -skip ServiceMonitor \
    -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-local-strict/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@"
}

echo
echo "-- helm lint --strict"
for name in $(printf '%s\n' "${!CASES[@]}" | sort); do
  # shellcheck disable=SC2086 # the case's arguments are words
  "$HELM" lint --strict "$CHART" ${CASES[$name]} > "$OUT/lint-$name.txt" 2>&1 \
    || { cat "$OUT/lint-$name.txt"; die "helm lint failed with the $name values"; }
  echo "$name: $(tail -1 "$OUT/lint-$name.txt")"
done

for version in $KUBE_VERSIONS; do
  echo
  echo "-- render and validate for Kubernetes $version"
  files=()
  for name in $(printf '%s\n' "${!CASES[@]}" | sort); do
    file="$OUT/$name-k8s$version.yaml"
    # shellcheck disable=SC2086
    "$HELM" template clv "$CHART" ${CASES[$name]} --kube-version "$version" \
      --api-versions monitoring.coreos.com/v1/ServiceMonitor > "$file" \
      || die "helm template failed with the $name values for Kubernetes $version"
    files+=("$file")
  done
  kubeconform_for "$version" "${files[@]}" || die "the rendered chart does not validate against Kubernetes $version (above)"
  python3 "$DEPLOY_DIR/check-manifests.py" "$REPO_ROOT" "${files[@]}" || die "the rendered chart fails the deployment checks (above)"
done

echo
echo "-- values the chart refuses"
refused=0
expect_refused() { # message-fragment helm-args…
  local expected=$1; shift
  local output
  if output=$("$HELM" template clv "$CHART" "$@" 2>&1); then
    die "helm template $* rendered; it should have failed with: $expected"
  fi
  grep -qF -- "$expected" <<< "$output" || { echo "$output" >&2; die "helm template $* failed, but without: $expected"; }
  refused=$((refused + 1))
  echo "refused: $* → …$expected…"
}
expect_refused "processors.purchases.replicas=9 is more than env.CLV_PARTITIONS=8" --set processors.purchases.replicas=9
expect_refused "processors.scoring.replicas=5 is more than env.CLV_PARTITIONS=4" --set-string env.CLV_PARTITIONS=4 --set processors.scoring.replicas=5
expect_refused "partitions are one setting for every role" --set-string processors.sink.env.CLV_PARTITIONS=4
expect_refused "additional properties 'replicas' not allowed" --set training.replicas=2
expect_refused "additional properties 'webhooks' not allowed" --set processors.webhooks.replicas=1
expect_refused "the API binds loopback" --set api.env.CLV_API_HOST=127.0.0.1
expect_refused "authentication may only be off on a loopback host" --set api.env.CLV_API_AUTH=off
expect_refused "env.CLV_METRICS_PORT must be a fixed port" --set-string env.CLV_METRICS_PORT=0
expect_refused "must be reachable from Prometheus" --set env.CLV_METRICS_HOST=127.0.0.1
expect_refused "terminationGracePeriodSeconds=10: expected at least 30 s" --set processors.features.terminationGracePeriodSeconds=10
expect_refused "not both: the API refuses both" --set secrets.existingSecret=creds --set "secrets.keys={CLV_API_KEYS}" --set api.keysFile.existingSecret=keys
expect_refused "set existingSecret (a Secret of your own) or values" --set secrets.existingSecret=creds --set secrets.values.CLV_JWT_SECRET=x
expect_refused "secrets.keys names variables to read from secrets.existingSecret" --set "secrets.keys={CLV_REDIS_URL}"
expect_refused "does not match pattern" --set env.REDIS_URL=redis://x

echo
echo "-- the validators reject broken manifests"
base="$OUT/default-k8s${KUBE_VERSIONS%% *}.yaml"
version=${KUBE_VERSIONS%% *}
sed 's/minReadySeconds:/minReadySecs:/' "$base" > "$OUT/broken-field.yaml"
if kubeconform_for "$version" "$OUT/broken-field.yaml" > /dev/null; then die "kubeconform accepted a misspelled field: the schemas are not being applied"; fi
echo "kubeconform rejects a misspelled field (minReadySecs)"
printf 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: { name: gone }\nspec: { maxUnavailable: 1 }\n' > "$OUT/broken-api.yaml"
if kubeconform_for "$version" "$OUT/broken-api.yaml" > /dev/null; then die "kubeconform accepted policy/v1beta1, which Kubernetes $version no longer serves"; fi
echo "kubeconform rejects an API version Kubernetes $version does not serve (policy/v1beta1)"
sed 's/name: CLV_TIME_ZONE/name: CLV_TIMEZONE/' "$base" > "$OUT/broken-env.yaml"
if python3 "$DEPLOY_DIR/check-manifests.py" "$REPO_ROOT" "$OUT/broken-env.yaml" > /dev/null; then die "check-manifests.py accepted CLV_TIMEZONE, which the code does not read"; fi
echo "check-manifests.py rejects a variable the code does not read (CLV_TIMEZONE)"
rm -f "$OUT"/broken-*.yaml

echo
echo "chart OK: ${#CASES[@]} value sets × Kubernetes $KUBE_VERSIONS rendered and valid, $refused bad value sets refused ($(( $(date +%s) - started ))s)"
