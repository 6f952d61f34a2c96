#!/usr/bin/env bash
# Makes sure a headless Chromium is there for the console's browser tests (Debian's chromium,
# driven by playwright-core; no browser download). Idempotent: does nothing when one is found.
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium_path" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup:browser: installing Debian's chromium for the console's browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  exit 0
fi
echo "setup:browser: no Chromium at $chromium_path: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH" >&2
exit 1
