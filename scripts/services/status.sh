#!/usr/bin/env bash
# One line per service: running/stopped, address and port(s), version, pid.
# Exits 0 when every listed service is running and ready, 1 otherwise.
#
#   scripts/services/status.sh            # all
#   scripts/services/status.sh redis      # only some
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
  local list services=() s state pid rc=0
  list=$(select_services "$@") || exit 1
  mapfile -t services <<<"$list"
  for s in "${services[@]}"; do
    pid=""
    if pid=$(svc_pid "$s"); then
      if svc_ports_listening "$s" && svc "$s" ready; then
        state=running
      else
        state=starting
        rc=1
      fi
    else
      state=stopped
      rc=1
    fi
    printf '%-10s %-8s %-22s version %-24s %s\n' "$s" "$state" \
      "$SERVICES_HOST:$(svc "$s" ports | tr ' ' ',')" "$(svc "$s" version)" "${pid:+pid $pid}"
  done
  if (($# == 0)); then
    for s in "${SERVICES_TOOLS[@]}"; do
      printf '%-10s %-8s %-22s version %s\n' "$s" tool "-" "$(svc "$s" version)"
    done
  fi
  return $rc
}

main "$@"
