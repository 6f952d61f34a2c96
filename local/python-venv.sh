#!/usr/bin/env bash
# Project-local Python virtualenvs from a fully pinned requirements file (pip freeze of a working
# venv, so every transitive package is pinned, not only the top-level one). Sourced by
# local/setup-moto.sh and .ci/setup-cfn-lint.sh.
#
# A venv is current when its stamp (.requirements.sha256) is the sha256 of the files it was built
# from; any change to them (a new pin, an added package) makes venv_sync run `pip install -r`
# again, which brings the venv to exactly the pinned versions.

# Prints the sha256 of the given files, concatenated.
venv_digest() { cat "$@" | sha256sum | cut -d' ' -f1; }

# venv_is_current VENV EXECUTABLE FILE...: true when VENV/bin/EXECUTABLE exists and the stamp
# matches FILE....
venv_is_current() {
  local venv="$1" executable="$2"
  shift 2
  [ -x "$venv/bin/$executable" ] && [ -f "$venv/.requirements.sha256" ] &&
    [ "$(cat "$venv/.requirements.sha256")" = "$(venv_digest "$@")" ]
}

# venv_sync LABEL VENV REQUIREMENTS EXECUTABLE: creates VENV when missing and installs the pinned
# set; fails with a message when python3, its venv module or the install is missing.
venv_sync() {
  local label="$1" venv="$2" req="$3" executable="$4"
  if ! command -v python3 >/dev/null 2>&1; then
    echo "$label: python3 is not on PATH. Install Python 3.9+ (with the venv module)." >&2
    return 1
  fi
  if [ ! -x "$venv/bin/pip" ]; then
    echo "$label: creating $venv from $(basename "$req")" >&2
    if ! python3 -m venv "$venv" 2>/dev/null; then
      echo "$label: 'python3 -m venv' failed. On Debian/Ubuntu install the python3-venv package." >&2
      return 1
    fi
  else
    echo "$label: $(basename "$req") changed, installing the pinned set into $venv" >&2
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" 2>&1 |
    grep -v "^WARNING: Location" >&2 || true
  [ -x "$venv/bin/$executable" ] || {
    echo "$label: pip could not install $(grep -v '^#' "$req" | tr '\n' ' ')" >&2
    return 1
  }
}

# venv_mark_current VENV FILE...: records the digest of FILE... as the venv's stamp.
venv_mark_current() {
  local venv="$1"
  shift
  venv_digest "$@" >"$venv/.requirements.sha256"
}
