# shellcheck shell=bash
# Prometheus and promtool from Debian's prometheus package, and node_exporter from
# prometheus-node-exporter (its textfile collector carries `clv reconcile`'s metrics file):
# tools, not services. Nothing here starts them: the monitoring integration test
# (tests/integration/prometheus-scrape.test.ts) runs its own Prometheus and node_exporter on
# free ports with temp dirs, and monitoring/check-rules.sh runs promtool. The packages' own
# services are never started (policy-rc.d; no systemd here).
# Sourced by lib.sh.

prometheus_installed() { command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && command -v prometheus-node-exporter >/dev/null 2>&1; }

prometheus_install() {
  apt_install prometheus prometheus-node-exporter
  prometheus_installed || die "prometheus: prometheus/promtool/prometheus-node-exporter not found after install"
}

prometheus_version() {
  if prometheus_installed; then
    prometheus --version 2>&1 | sed -n 's/^prometheus, version \([^ ]*\).*/\1/p'
  else
    echo "not installed"
  fi
}
