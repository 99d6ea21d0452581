#!/usr/bin/env bash
# The demo's report on its default shop (20,000 synthetic customers, seed 1), kept in
# docs/demo-report.txt: the README quotes it (tests/readme-figures.test.ts checks every quoted
# line is in it). `--check` runs the demo again and compares the lines that do not depend on
# the machine (timings and rates are left out): the report must follow the code.
#   bash scripts/docs/demo-report.sh           # regenerate docs/demo-report.txt
#   bash scripts/docs/demo-report.sh --check   # CI: fail if the committed report is stale
set -euo pipefail
cd "$(dirname "$0")/../.."
report=docs/demo-report.txt
# Lines with a duration or a rate: they differ from run to run and machine to machine.
machine_free() { grep -vE '[0-9] ms\b|[0-9]/s\b|events/s|in [0-9.,]+ s\b' "$1"; }

fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
npm run -s demo > "$fresh"
if [ "${1:-}" = "--check" ]; then
  if ! diff <(machine_free "$report") <(machine_free "$fresh"); then
    echo "docs/demo-report.txt is stale: regenerate it with bash scripts/docs/demo-report.sh (lines above: < committed, > now)" >&2
    exit 1
  fi
  echo "docs/demo-report.txt matches the demo ($(machine_free "$report" | wc -l) machine-independent lines)"
else
  cp "$fresh" "$report"
  echo "wrote $report"
fi
