#!/usr/bin/env bash
# Install (first run) and start the integration-test services, as plain
# processes on 127.0.0.1, with data and logs under .services/.
#
#   scripts/services/up.sh                # all: kafka registry clickhouse redis, and installs prometheus
#   scripts/services/up.sh kafka redis    # only some (no tools installed)
#
# Idempotent: services that are already up are left alone.
# Exits non-zero when a service cannot be installed or started.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
  local t0 list services=() to_start=() to_wait=() failed=() s
  t0=$(now_ms)
  list=$(select_services "$@") || exit 1
  mapfile -t services <<<"$list"
  ensure_services_home
  require_tools
  (($# == 0)) && install_tools

  # 1. What is already up; refuse ports held by something else.
  for s in "${services[@]}"; do
    if svc_running "$s"; then
      if svc_ports_listening "$s"; then
        log "$s: already running (pid $(svc_pid "$s"))"
      else
        log "$s: process running, still starting up"
        to_wait+=("$s")
      fi
      continue
    fi
    rm -f "$(svc "$s" pidfile)"
    check_ports_free "$s" || die "$s: cannot start, port in use"
    to_start+=("$s")
  done

  # 2. Install what is missing (downloads happen here, first run only).
  for s in "${to_start[@]}"; do
    if ! svc "$s" installed; then
      local ti
      ti=$(now_ms)
      svc "$s" install
      log "$s: installed $(svc "$s" version) in $(elapsed_since "$ti")"
    fi
  done

  # 3. Launch, then wait for all of them (they start in parallel).
  for s in "${to_start[@]}"; do
    log "$s: starting on $SERVICES_HOST port(s) $(svc "$s" ports)"
    svc "$s" start
    to_wait+=("$s")
  done
  for s in "${to_wait[@]}"; do
    if wait_ready "$s" "$SERVICES_READY_TIMEOUT"; then
      log "$s: ready ($(elapsed_since "$t0") since up.sh started)"
    else
      failed+=("$s")
      err "$s: last lines of $(svc "$s" logs | cut -d' ' -f1):"
      tail -n 25 "$(svc "$s" logs | cut -d' ' -f1)" >&2 2>/dev/null || true
      stop_service_process "$s" 30 || true
    fi
  done

  echo
  for s in "${services[@]}"; do
    printf '  %-10s %s:%-12s logs: %s\n' "$s" "$SERVICES_HOST" "$(svc "$s" ports | tr ' ' ',')" "$(svc "$s" logs)"
  done
  echo
  if ((${#failed[@]})); then
    die "failed to start: ${failed[*]} (after $(elapsed_since "$t0"))"
  fi
  log "all up: ${services[*]} (took $(elapsed_since "$t0"))"
}

main "$@"
