#!/usr/bin/env bash
# Install (first run only) the services' binaries without starting anything: for suites that
# start their own instances on other ports (tests/faults/), from the same install.
#
#   scripts/services/install.sh                # all: kafka registry clickhouse redis
#   scripts/services/install.sh kafka redis    # only some
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
  local list services=() s ti
  list=$(select_services "$@") || exit 1
  mapfile -t services <<<"$list"
  ensure_services_home
  require_tools
  for s in "${services[@]}"; do
    if svc "$s" installed; then
      log "$s: installed ($(svc "$s" version))"
      continue
    fi
    ti=$(now_ms)
    svc "$s" install
    log "$s: installed $(svc "$s" version) in $(elapsed_since "$ti")"
  done
}

main "$@"
