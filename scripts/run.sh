#!/usr/bin/env bash
# One command from a fresh clone to a running site on http://127.0.0.1:5000
# with embedded defaults: SQLite in instance/, console SMS, demo accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=wsgi
.venv/bin/flask db upgrade
.venv/bin/flask specs publish forms_spec/enterprise_investment.yaml
.venv/bin/flask demo
exec .venv/bin/flask run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" "$@"
