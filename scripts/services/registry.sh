# shellcheck shell=bash
# Apicurio Registry (schema registry with a Confluent-compatible API under
# /apis/ccompat/v7), run from the io.apicurio:apicurio-registry-app "all"
# distribution on Maven Central. Sourced by lib.sh.
#
# Version 3.0.x because it runs on Java 17 (the machine's default java);
# 3.2+ needs Java 21.

REGISTRY_HOME_DIR="$SERVICES_HOME/registry"
REGISTRY_DIST="$REGISTRY_HOME_DIR/apicurio-registry-$REGISTRY_VERSION"
# Storage: "file" = H2 database in .services/registry/data, kept across
# restarts like Kafka's topics (so schema ids in old records stay valid);
# "mem" = H2 in memory, empty after every start.
REGISTRY_STORAGE="${REGISTRY_STORAGE:-file}"

registry_ports() { echo "$REGISTRY_PORT"; }
registry_pidfile() { echo "$REGISTRY_HOME_DIR/registry.pid"; }
registry_marker() { echo "$REGISTRY_DIST/"; }
registry_logs() { echo "$REGISTRY_HOME_DIR/logs/registry.log"; }

registry_version() {
  local d v=""
  for d in "$REGISTRY_HOME_DIR"/apicurio-registry-*/; do
    [[ -f $d/.installed ]] && v+="${v:+,}$(basename "$d" | sed 's/^apicurio-registry-//')"
  done
  echo "${v:-not installed}"
}

registry_installed() { [[ -f $REGISTRY_DIST/.installed ]]; }

registry_install() {
  require_java "$REGISTRY_JAVA" 17 registry
  require_maven
  local artifact="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all"
  local archive="$REGISTRY_HOME_DIR/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz"
  log "registry: fetching $artifact with Maven"
  mkdir -p "$REGISTRY_HOME_DIR"
  # dependency:get 2.8 with transitive=false fetches the file alone: the app's
  # parent POM (io.apicurio:apicurio-registry) is not on Maven Central, which
  # newer plugin versions (and copy/unpack) insist on reading.
  mvn_run "registry $REGISTRY_VERSION download" "$REGISTRY_HOME_DIR/install.log" \
    org.apache.maven.plugins:maven-dependency-plugin:2.8:get \
    "-Dartifact=$artifact" -Dtransitive=false "-Ddest=$archive"
  rm -rf "$REGISTRY_DIST"
  mkdir -p "$REGISTRY_DIST"
  tar -xzf "$archive" -C "$REGISTRY_DIST" || die "registry: could not unpack $archive"
  rm -f "$archive" # the copy in ~/.m2 stays
  registry_runner >/dev/null || die "registry: no runnable jar found in $REGISTRY_DIST"
  touch "$REGISTRY_DIST/.installed"
}

# The jar to run: legacy-jar layout (3.0.x: *-runner.jar) or fast-jar (quarkus-run.jar).
registry_runner() {
  local f
  for f in "$REGISTRY_DIST"/*-runner.jar "$REGISTRY_DIST"/quarkus-run.jar "$REGISTRY_DIST"/*/quarkus-run.jar; do
    [[ -f $f ]] && {
      echo "$f"
      return 0
    }
  done
  return 1
}

registry_start() {
  require_java "$REGISTRY_JAVA" 17 registry
  local runner datasource
  runner=$(registry_runner) || die "registry: not installed in $REGISTRY_DIST"
  mkdir -p "$REGISTRY_HOME_DIR/logs" "$REGISTRY_HOME_DIR/tmp" "$REGISTRY_HOME_DIR/data"
  case "$REGISTRY_STORAGE" in
    file) datasource="jdbc:h2:file:$REGISTRY_HOME_DIR/data/registry" ;;
    mem) datasource="jdbc:h2:mem:registry" ;;
    *) die "registry: REGISTRY_STORAGE must be 'file' or 'mem', not '$REGISTRY_STORAGE'" ;;
  esac
  (
    cd "$REGISTRY_DIST" || exit 1
    exec setsid "$REGISTRY_JAVA" "-Xmx$REGISTRY_HEAP" -XX:+ExitOnOutOfMemoryError \
      "-Djava.io.tmpdir=$REGISTRY_HOME_DIR/tmp" \
      "-Dquarkus.http.host=$SERVICES_HOST" \
      "-Dquarkus.http.port=$REGISTRY_PORT" \
      "-Dquarkus.management.host=$SERVICES_HOST" \
      "-Dquarkus.management.port=$REGISTRY_MANAGEMENT_PORT" \
      "-Dapicurio.storage.kind=sql" \
      "-Dapicurio.storage.sql.kind=h2" \
      "-Dapicurio.datasource.url=$datasource" \
      "-Dapicurio.import.work-dir=$REGISTRY_HOME_DIR/tmp" \
      "-Dapicurio.storage.snapshot.location=$REGISTRY_HOME_DIR/tmp" \
      -jar "$runner"
  ) </dev/null >"$(registry_logs)" 2>&1 &
  echo $! >"$(registry_pidfile)"
  # The pid is the subshell's until it execs java: wait for that, or wait_ready (which checks
  # the command line for registry_marker) would take the registry for dead and stop it.
  local i
  for ((i = 0; i < 100; i++)); do
    pid_alive "$(registry_pidfile)" "$(registry_marker)" >/dev/null && return 0
    sleep 0.05
  done
}

# Ready when the Confluent-compatible API answers (a JSON array of subjects).
registry_ready() {
  local body
  body=$(curl -sf --max-time 5 "http://$SERVICES_HOST:$REGISTRY_PORT/apis/ccompat/v7/subjects") &&
    [[ $body == \[* ]]
}
