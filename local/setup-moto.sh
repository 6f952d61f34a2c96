#!/usr/bin/env bash
# Creates (or reuses) the project-local virtualenv .venv-moto with the pinned moto[server] and its
# pinned dependencies (local/requirements-moto.txt, a full pip freeze), plus local/moto_speedups.py
# (loaded at interpreter start through a .pth file; see that file).
# Idempotent: when the venv was built from the current requirements and speed-ups it returns in
# well under a second; a changed requirements file re-installs (see local/python-venv.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=local/python-venv.sh
source "$root/local/python-venv.sh"
venv="${MOTO_VENV:-$root/.venv-moto}"
req="$root/local/requirements-moto.txt"
speedups="$root/local/moto_speedups.py"

venv_is_current "$venv" moto_server "$req" "$speedups" && exit 0
venv_sync setup-moto "$venv" "$req" moto_server

site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
cp "$speedups" "$site/cognito_hasura_sync_moto_speedups.py"
echo "import cognito_hasura_sync_moto_speedups" > "$site/cognito_hasura_sync_moto_speedups.pth"
venv_mark_current "$venv" "$req" "$speedups"
echo "setup-moto: ready ($("$venv/bin/python" -c 'import moto; print("moto", moto.__version__)'), speed-ups installed)" >&2
