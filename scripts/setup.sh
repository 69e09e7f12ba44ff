#!/usr/bin/env bash
# Creates .venv and installs the pinned requirements; does nothing when they
# have not changed since the last run. Usage: scripts/setup.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
reqs=requirements.txt
[ "${1:-}" = "dev" ] && reqs=requirements-dev.txt

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$reqs" .txt)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$reqs"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# PDFs embed the shipped WenQuanYi font; rare CJK Extension B characters (e.g. 𠀀)
# need HanaMin B from Debian's fonts-hanazono. Installed when we may (root, apt).
if [ ! -f /usr/share/fonts/truetype/hanazono/HanaMinB.ttf ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-hanazono \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-hanazono; }; } >/dev/null 2>&1 \
    || echo "note: fonts-hanazono not installed; rare CJK characters show as boxes in PDFs" >&2
fi

# Compiled message catalogues are build output, not source.
.venv/bin/pybabel -q compile -d app/translations
