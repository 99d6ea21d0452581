# shellcheck shell=bash
# Settings shared by scripts/services/*.sh (sourced, not run).
# Every value below can be overridden from the environment, e.g.
#   KAFKA_PORT=19092 REDIS_PORT=16379 scripts/services/up.sh

SERVICES_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVICES_REPO_ROOT="$(cd "$SERVICES_SCRIPT_DIR/../.." && pwd)"

# Everything the services write (binaries, data, logs, pid files). Git-ignored
# through the .gitignore that up.sh drops inside it.
export SERVICES_HOME="${SERVICES_HOME:-$SERVICES_REPO_ROOT/.services}"

# All services listen on this address only. Not meant to be changed.
export SERVICES_HOST="127.0.0.1"

# Seconds to wait for each service to become ready.
export SERVICES_READY_TIMEOUT="${SERVICES_READY_TIMEOUT:-120}"

# Java used by Kafka and Apicurio (both need 17+; Kafka 3.9 and Apicurio 3.0 are
# tested here on 17). `java` from PATH, not $JAVA_HOME, unless told otherwise.
export SERVICES_JAVA="${SERVICES_JAVA:-java}"

# --- Kafka (single node, KRaft: broker + controller in one JVM) --------------
export KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
export KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
export KAFKA_HEAP="${KAFKA_HEAP:-512m}"
export KAFKA_JAVA="${KAFKA_JAVA:-$SERVICES_JAVA}"

# --- Apicurio Registry (Confluent-compatible API under /apis/ccompat/v7) -----
export REGISTRY_VERSION="${REGISTRY_VERSION:-3.0.9}"
export REGISTRY_PORT="${REGISTRY_PORT:-8081}"
# Quarkus management interface (off in 3.0.x builds); kept away from 9000.
export REGISTRY_MANAGEMENT_PORT="${REGISTRY_MANAGEMENT_PORT:-9001}"
export REGISTRY_HEAP="${REGISTRY_HEAP:-512m}"
export REGISTRY_JAVA="${REGISTRY_JAVA:-$SERVICES_JAVA}"

# --- ClickHouse (Debian package clickhouse-server) ---------------------------
export CLICKHOUSE_HTTP_PORT="${CLICKHOUSE_HTTP_PORT:-8123}"
export CLICKHOUSE_TCP_PORT="${CLICKHOUSE_TCP_PORT:-9000}"

# --- Redis (Debian package redis-server) ------------------------------------
export REDIS_PORT="${REDIS_PORT:-6379}"

# Start order; down.sh stops in reverse.
# shellcheck disable=SC2034 # used by lib.sh and the scripts
SERVICES_ALL=(kafka registry clickhouse redis)

# Tools installed (not started) by up.sh without arguments: NAME_installed, NAME_install,
# NAME_version in NAME.sh. Prometheus: the monitoring test runs its own, on a free port.
# shellcheck disable=SC2034 # used by lib.sh and the scripts
SERVICES_TOOLS=(prometheus)
