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
# Compiled message catalogues are build output, not source.
.venv/bin/pybabel -q compile -d app/translations
