# shellcheck shell=bash
# Sourced by scripts/deploy/*.sh: installs the deployment checks' tools on first use and
# caches them under $CLV_TOOLS_DIR (default .tools/ at the repo root, git-ignored). Idempotent:
# a tool already there at the pinned version is used as it is.
#
#   go_tool NAME   → prints the path of the binary (HELM, KUBECONFORM, ACTIONLINT)
#   k8s_schemas    → prints the directory holding v<version>-local-strict/ schema folders
#
# Go builds reuse Go's own module and build caches ($(go env GOMODCACHE), $(go env GOCACHE)),
# which outlive the repo's clone: a cold machine takes about 5 minutes, mostly helm.

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$DEPLOY_DIR/../.." && pwd)"
# shellcheck source=scripts/deploy/tools.env
. "$DEPLOY_DIR/tools.env"
TOOLS_DIR="${CLV_TOOLS_DIR:-$REPO_ROOT/.tools}"

die() { echo "error: $*" >&2; exit 1; }
note() { echo "  $*" >&2; }

# go_tool HELM|KUBECONFORM|ACTIONLINT
go_tool() {
  local key=$1 module version name bin started
  local module_var="${key}_MODULE" version_var="${key}_VERSION"
  module=${!module_var:?"tools.env has no $module_var"}
  version=${!version_var:?"tools.env has no $version_var"}
  name=$(basename "$module")
  bin="$TOOLS_DIR/bin/$name-$version"
  if [ ! -x "$bin" ]; then
    command -v go > /dev/null || die "go is needed to build $name $version (go install $module@$version); install Go 1.26 or newer"
    mkdir -p "$TOOLS_DIR/bin" "$TOOLS_DIR/build"
    note "building $name $version from its Go module (first time only)…"
    started=$(date +%s)
    local gobin
    gobin=$(mktemp -d "$TOOLS_DIR/build/$name.XXXXXX")
    local log="$TOOLS_DIR/build/$name-$version.log"
    if ! GOBIN="$gobin" GOFLAGS=-buildvcs=false go install "$module@$version" > "$log" 2>&1; then
      rm -rf "$gobin"
      tail -20 "$log" >&2
      die "go install $module@$version failed (log: $log; is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
    fi
    mv "$gobin/$name" "$bin"
    rm -rf "$gobin"
    note "built $name $version in $(( $(date +%s) - started ))s → $bin"
  fi
  echo "$bin"
}

# The Kubernetes JSON schemas shipped in the kubernetes-validate wheel, unpacked for each of
# $KUBE_VERSIONS. Each carries an "$id" under https://kubernetes.io/api/ and refers to
# "/api/_definitions.json", which the package's own validator maps to its file; kubeconform
# resolves references against the schema's file, so the "$id" is dropped and the references
# point at the sibling file "_definitions.json". Nothing else in them changes.
k8s_schemas() {
  local dir="$TOOLS_DIR/k8s-schemas/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
  local missing=0 v versions
  read -ra versions <<< "$KUBE_VERSIONS"
  for v in "${versions[@]}"; do [ -f "$dir/v$v-local-strict/.complete" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    command -v python3 > /dev/null || die "python3 is needed to fetch the Kubernetes schemas (pip download kubernetes-validate)"
    mkdir -p "$dir"
    local wheel
    wheel=$(find "$dir" -maxdepth 1 -name "kubernetes_validate-$KUBERNETES_VALIDATE_VERSION-*.whl" | head -1)
    if [ -z "$wheel" ]; then
      note "fetching the Kubernetes schemas (PyPI kubernetes-validate $KUBERNETES_VALIDATE_VERSION)…"
      python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$dir" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" >&2 \
        || die "pip download kubernetes-validate==$KUBERNETES_VALIDATE_VERSION failed (is PyPI reachable?)"
      wheel=$(find "$dir" -maxdepth 1 -name "kubernetes_validate-$KUBERNETES_VALIDATE_VERSION-*.whl" | head -1)
    fi
    python3 - "$wheel" "$dir" "${versions[@]}" <<'PY' >&2 || die "could not unpack the schemas from $wheel"
import json, os, sys, zipfile
wheel, out, versions = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    for v in versions:
        prefix = f"kubernetes_validate/kubernetes-json-schema/v{v}-local-strict/"
        members = [n for n in names if n.startswith(prefix) and n.endswith(".json")]
        if not members:
            sys.exit(f"no schemas for Kubernetes {v} in {os.path.basename(wheel)}")
        target = os.path.join(out, f"v{v}-local-strict")
        os.makedirs(target, exist_ok=True)
        for n in members:
            schema = json.loads(z.read(n).decode("utf-8").replace('"/api/_definitions.json#', '"_definitions.json#'))
            schema.pop("$id", None)
            with open(os.path.join(target, os.path.basename(n)), "w", encoding="utf-8") as f:
                json.dump(schema, f)
        open(os.path.join(target, ".complete"), "w").close()
        print(f"  {len(members)} schemas for Kubernetes {v} → {target}")
PY
  fi
  echo "$dir"
}
