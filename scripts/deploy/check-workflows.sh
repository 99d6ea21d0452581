#!/usr/bin/env bash
# Checks .github/workflows/*.yml with actionlint (built from its Go module on first use, see
# tools.sh): syntax, expressions, job and step references, the inputs of known actions, and
# — when shellcheck is on PATH — the shell in every `run:` step. Also shellchecks
# scripts/deploy/*.sh. On CI (CI=true, as root, with apt-get) shellcheck is installed from
# Debian's packages when missing; elsewhere its checks are skipped with a note.
#
#   scripts/deploy/check-workflows.sh
set -euo pipefail
# shellcheck source=scripts/deploy/tools.sh
. "$(dirname "${BASH_SOURCE[0]}")/tools.sh"

started=$(date +%s)
if ! command -v shellcheck > /dev/null && [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  note "installing shellcheck (Debian package)…"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck; } > /dev/null 2>&1 \
    || note "could not install shellcheck; run: steps are checked without it"
fi
ACTIONLINT=$(go_tool ACTIONLINT)

shopt -s nullglob
workflows=("$REPO_ROOT"/.github/workflows/*.yml "$REPO_ROOT"/.github/workflows/*.yaml)
[ ${#workflows[@]} -gt 0 ] || die "no workflow in $REPO_ROOT/.github/workflows"

if command -v shellcheck > /dev/null; then
  with="with $(shellcheck --version | sed -n 's/^version: /shellcheck /p') on run: steps"
  "$ACTIONLINT" -no-color "${workflows[@]}" || die "actionlint found problems in the workflows (above)"
  shellcheck -x "$DEPLOY_DIR"/*.sh || die "shellcheck found problems in scripts/deploy (above)"
else
  with="without shellcheck (not installed: run: steps unchecked)"
  "$ACTIONLINT" -no-color -shellcheck= "${workflows[@]}" || die "actionlint found problems in the workflows (above)"
fi
echo "workflows OK: ${#workflows[@]} file(s) pass actionlint $ACTIONLINT_VERSION $with ($(( $(date +%s) - started ))s)"
