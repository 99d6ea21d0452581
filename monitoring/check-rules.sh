#!/usr/bin/env bash
# Checks the monitoring as code with promtool (Debian's prometheus package, installed through
# scripts/services when missing — a fresh CI machine has nothing):
#   - promtool check config: monitoring/prometheus.yml (docker-compose) and the rule files it loads;
#   - promtool check rules: every rule file;
#   - promtool test rules: the unit tests of every alert in monitoring/tests/.
# The dashboards' structure is checked by `npm test` (tests/monitoring-dashboards.test.ts); that
# every rule and panel query returns data from the real processes, by
# tests/integration/prometheus-scrape.test.ts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/services/lib.sh
source "$root/scripts/services/lib.sh"
ensure_services_home
prometheus_installed || prometheus_install

cd "$root/monitoring"
echo "promtool $(prometheus_version)"
promtool check config prometheus.yml
promtool check rules rules/*.yml
promtool test rules tests/*.test.yml
