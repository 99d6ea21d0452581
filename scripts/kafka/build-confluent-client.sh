#!/usr/bin/env bash
# Builds Confluent's Kafka client for Node (@confluentinc/kafka-javascript: librdkafka with a
# KafkaJS-style API) from source into $CLV_TOOLS_DIR/confluent-kafka-javascript (default
# .tools/ at the repo root, git-ignored), for CLV_KAFKA_CLIENT=confluent
# (adapters/kafka/confluent-event-log.ts). Optional: kafkajs stays the default client.
#
# Why from source: the package's install fetches a prebuilt binary from GitHub, and librdkafka's
# own configure downloads zlib, OpenSSL, zstd and curl sources; neither is reachable offline.
# CKJS_LINKING=dynamic builds the bundled librdkafka against the system's zlib and OpenSSL
# instead (Debian: zlib1g-dev, libssl-dev), and --nodedir points node-gyp at the headers that
# come with Node (else it downloads them). Idempotent: a built client is left as it is.
# Measured on 2 vCPU: ~90 s.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${CLV_TOOLS_DIR:-$REPO_ROOT/.tools}"
VERSION="1.10.1"
DEST="$TOOLS_DIR/confluent-kafka-javascript"
MODULE="$DEST/node_modules/@confluentinc/kafka-javascript"

if [ -f "$DEST/version" ] && [ "$(cat "$DEST/version")" = "$VERSION" ] && [ -f "$MODULE/build/Release/confluent-kafka-javascript.node" ]; then
  echo "[confluent] @confluentinc/kafka-javascript $VERSION already built in $DEST"
  exit 0
fi

node_root="$(dirname "$(dirname "$(command -v node)")")"
if [ ! -f "$node_root/include/node/node.h" ]; then
  echo "[confluent] ERROR: Node's headers are not in $node_root/include/node (needed to build the native module offline)" >&2
  exit 1
fi
for header in /usr/include/zlib.h /usr/include/openssl/ssl.h; do
  if [ ! -f "$header" ]; then
    echo "[confluent] $header missing: installing zlib1g-dev and libssl-dev" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zlib1g-dev libssl-dev > /dev/null
    break
  fi
done

started=$(date +%s)
rm -rf "$DEST"
mkdir -p "$DEST"
cd "$DEST"
printf '{ "name": "clv-confluent-kafka-client", "private": true }\n' > package.json
echo "[confluent] building @confluentinc/kafka-javascript $VERSION (librdkafka from source) in $DEST"
if ! CKJS_LINKING=dynamic npm install --no-audit --no-fund --nodedir="$node_root" "@confluentinc/kafka-javascript@$VERSION" > build.log 2>&1; then
  tail -40 build.log >&2
  echo "[confluent] ERROR: the build failed; full log in $DEST/build.log" >&2
  exit 1
fi
node -e 'const k = require(process.argv[1]); if (!k.features.includes("gzip")) throw new Error("librdkafka built without gzip"); console.log(`[confluent] librdkafka ${k.librdkafkaVersion}, features: ${k.features.join(", ")}`)' "$MODULE"
echo "$VERSION" > version
echo "[confluent] built in $(( $(date +%s) - started )) s"
