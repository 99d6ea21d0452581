# shellcheck shell=bash
# Redis from Debian's redis-server package, run by hand (no systemd), with
# AOF persistence in .services/redis so data survives a restart. Sourced by lib.sh.

REDIS_HOME_DIR="$SERVICES_HOME/redis"

redis_ports() { echo "$REDIS_PORT"; }
redis_pidfile() { echo "$REDIS_HOME_DIR/redis.pid"; }
# Redis rewrites its process title to "redis-server 127.0.0.1:PORT".
redis_marker() { echo "redis-server $SERVICES_HOST:$REDIS_PORT"; }
redis_logs() { echo "$REDIS_HOME_DIR/redis.log"; }

redis_version() {
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p'
  else
    echo "not installed"
  fi
}

redis_installed() { command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; }

redis_install() {
  apt_install redis-server redis-tools
  redis_installed || die "redis: redis-server not found after install"
}

redis_start() {
  mkdir -p "$REDIS_HOME_DIR"
  rm -f "$(redis_pidfile)"
  # --daemonize writes the pid file itself. Persistence: AOF only (no RDB snapshots).
  redis-server --port "$REDIS_PORT" --bind "$SERVICES_HOST" --protected-mode yes \
    --dir "$REDIS_HOME_DIR" --daemonize yes \
    --pidfile "$(redis_pidfile)" --logfile "$(redis_logs)" \
    --save '' --appendonly yes </dev/null >"$REDIS_HOME_DIR/start.log" 2>&1 ||
    die "redis: redis-server failed to start (see $REDIS_HOME_DIR/start.log and $(redis_logs))"
  local i
  for ((i = 0; i < 40; i++)); do
    [[ -s $(redis_pidfile) ]] && return 0
    sleep 0.25
  done
  die "redis: no pid file after start (see $(redis_logs))"
}

redis_ready() {
  [[ $(redis-cli -h "$SERVICES_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}
