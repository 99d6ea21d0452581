# shellcheck shell=bash
# Prometheus and promtool from Debian's prometheus package: a tool, not a service. Nothing
# here starts it: the monitoring integration test (tests/integration/prometheus-scrape.test.ts)
# runs its own Prometheus on a free port with a temp data dir, and monitoring/check-rules.sh
# runs promtool. The package's own service is never started (policy-rc.d; no systemd here).
# Sourced by lib.sh.

prometheus_installed() { command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; }

prometheus_install() {
  apt_install prometheus
  prometheus_installed || die "prometheus: prometheus/promtool not found after install"
}

prometheus_version() {
  if prometheus_installed; then
    prometheus --version 2>&1 | sed -n 's/^prometheus, version \([^ ]*\).*/\1/p'
  else
    echo "not installed"
  fi
}
