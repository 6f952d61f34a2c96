#!/usr/bin/env bash
# Lints every template of cdk.out (run `npm run synth` first) with the pinned cfn-lint.
# Fails on errors only: warnings and informational findings are printed, not fatal.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/.ci/setup-cfn-lint.sh"
shopt -s nullglob
templates=("$root"/cdk.out/*.template.json)
if [ ${#templates[@]} -eq 0 ]; then
  echo "cfn-lint: no templates in cdk.out; run npm run synth first" >&2
  exit 1
fi
"${CFN_LINT_VENV:-$root/.venv-cfn-lint}/bin/cfn-lint" --non-zero-exit-code error -- "${templates[@]}"
echo "cfn-lint: no errors in ${#templates[@]} template(s)"
