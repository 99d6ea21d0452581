#!/usr/bin/env bash
# Fuzzes the API against its own OpenAPI document with schemathesis (PyPI), every check on:
# the embedded `clv demo --serve` (in-memory event log and stores, a few hundred synthetic
# customers, a key with every scope) on a free 127.0.0.1 port, then
#   schemathesis run http://127.0.0.1:PORT/docs/json --checks all --max-examples N
# A failing check exits non-zero. schemathesis is installed once into a venv under .tools/
# (gitignored), pinned; scripts/api/schemathesis.toml holds its one documented exception. Settings: SCHEMATHESIS_MAX_EXAMPLES (30 per operation),
# SCHEMATHESIS_SEED (fixed, so CI is reproducible; set another to explore), SCHEMATHESIS_CUSTOMERS (300).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
version=4.32.5
venv="$root/.tools/schemathesis/venv"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  echo "installing schemathesis $version into $venv"
  rm -rf "$venv"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    # Debian's python3 lacks ensurepip without python3-venv.
    rm -rf "$venv"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv > /dev/null
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
[ -f dist/cli/clv.js ] || npm run -s build

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d)
# No limit on this run's own requests; logs at warn (schemathesis provokes many refusals).
CLV_API_HOST=127.0.0.1 CLV_API_PORT=$port CLV_API_RATE_LIMIT_PER_MINUTE=10000000 CLV_LOG_LEVEL=warn \
  node dist/cli/clv.js demo --serve --customers "${SCHEMATHESIS_CUSTOMERS:-300}" > "$work/demo.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for _ in $(seq 1 300); do
  grep -q 'export CLV_KEY=' "$work/demo.log" && break
  if ! kill -0 "$pid" 2>/dev/null; then echo "clv demo --serve stopped:"; tail -20 "$work/demo.log"; exit 1; fi
  sleep 1
done
key=$(sed -n 's/.*export CLV_KEY=\([^ ]*\).*/\1/p' "$work/demo.log" | head -1)
[ -n "$key" ] || { echo "clv demo --serve printed no key in 300 s:"; tail -20 "$work/demo.log"; exit 1; }
echo "API of clv demo --serve on 127.0.0.1:$port"

# Security parameters are not generated: the key goes in Authorization, and a second, random
# credential in X-API-Key would be refused (401) by design (docs/deployment.md).
cd "$work"
"$venv/bin/schemathesis" --config-file "$root/scripts/api/schemathesis.toml" run "http://127.0.0.1:$port/docs/json" \
  --checks all \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-30}" \
  --seed "${SCHEMATHESIS_SEED:-20261206}" \
  --workers 1 \
  --request-timeout 30 \
  --header "Authorization: Bearer $key" \
  --generation-with-security-parameters false \
  --generation-database none \
  --no-color
