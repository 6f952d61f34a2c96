#!/usr/bin/env bash
# Creates (or reuses) the project-local virtualenv .venv-cfn-lint with the pinned cfn-lint of
# .ci/requirements-cfn-lint.txt. Idempotent like local/setup-moto.sh (same helper).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=local/python-venv.sh
source "$root/local/python-venv.sh"
venv="${CFN_LINT_VENV:-$root/.venv-cfn-lint}"
req="$root/.ci/requirements-cfn-lint.txt"

venv_is_current "$venv" cfn-lint "$req" && exit 0
venv_sync setup-cfn-lint "$venv" "$req" cfn-lint
venv_mark_current "$venv" "$req"
echo "setup-cfn-lint: ready ($("$venv/bin/cfn-lint" --version))" >&2
