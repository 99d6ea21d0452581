#!/usr/bin/env bash
# Stop the services that up.sh started (found through their pid files).
#
#   scripts/services/down.sh              # all
#   scripts/services/down.sh kafka        # only some
#
# Data stays in .services/ (Kafka topics, registry schemas, ClickHouse tables,
# Redis AOF); remove that folder for a clean slate.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
  local list services=() s i t0 pid
  t0=$(now_ms)
  list=$(select_services "$@") || exit 1
  mapfile -t services <<<"$list"
  # Reverse start order.
  for ((i = ${#SERVICES_ALL[@]} - 1; i >= 0; i--)); do
    s=${SERVICES_ALL[i]}
    [[ " ${services[*]} " == *" $s "* ]] || continue
    if pid=$(svc_pid "$s"); then
      log "$s: stopping (pid $pid)"
      # In parallel: each waits for its own process (SIGKILL after 60 s).
      { stop_service_process "$s" 60 || true; log "$s: stopped"; } &
    else
      rm -f "$(svc "$s" pidfile)" 2>/dev/null || true
      log "$s: not running"
    fi
  done
  wait
  log "down: ${services[*]} (took $(elapsed_since "$t0"))"
}

main "$@"
