#!/usr/bin/env bash
# Creates (or reuses) the project-local virtualenv .venv-moto with the pinned moto[server], plus
# local/moto_speedups.py (loaded at interpreter start through a .pth file; see that file).
# Idempotent: when the venv already holds the pinned requirements it returns in well under a second.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${MOTO_VENV:-$root/.venv-moto}"
req="$root/local/requirements-moto.txt"
speedups="$root/local/moto_speedups.py"
stamp="$venv/.requirements.sha256"

if ! command -v python3 >/dev/null 2>&1; then
  echo "setup-moto: python3 is not on PATH. Install Python 3.9+ (with the venv module) to run the local stack and the integration tests." >&2
  exit 1
fi

want="$(cat "$req" "$speedups" | sha256sum | cut -d' ' -f1)"
if [ -x "$venv/bin/moto_server" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

if [ ! -x "$venv/bin/moto_server" ] || ! "$venv/bin/pip" freeze 2>/dev/null | grep -qiF "$(grep -v '^#' "$req" | sed 's/\[.*\]//' | head -n 1)"; then
  echo "setup-moto: creating $venv with $(grep -v '^#' "$req" | tr '\n' ' ')" >&2
  if ! python3 -m venv "$venv" 2>/dev/null; then
    echo "setup-moto: 'python3 -m venv' failed. On Debian/Ubuntu install the python3-venv package." >&2
    exit 1
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" 2>&1 | grep -v "^WARNING: Location" >&2 || true
  [ -x "$venv/bin/moto_server" ] || { echo "setup-moto: pip could not install $(grep -v "^#" "$req")" >&2; exit 1; }
fi

site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
cp "$speedups" "$site/cognito_hasura_sync_moto_speedups.py"
echo "import cognito_hasura_sync_moto_speedups" > "$site/cognito_hasura_sync_moto_speedups.pth"
echo "$want" > "$stamp"
echo "setup-moto: ready ($("$venv/bin/python" -c 'import moto; print("moto", moto.__version__)'), speed-ups installed)" >&2
