#!/usr/bin/env bash
# Re-extract translatable strings and merge them into the English catalogue.
# Source strings are Chinese (the site is Chinese first); en is the translation.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel -q extract -F babel.cfg -k _l -k N_ -k FieldValueError -k UploadRefused -k DecisionRefused -k TooManyCodes -o app/translations/messages.pot --no-location --sort-output .
.venv/bin/pybabel -q update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching
.venv/bin/pybabel -q compile -d app/translations
.venv/bin/python - <<'PY'
from babel.messages.pofile import read_po
with open("app/translations/en/LC_MESSAGES/messages.po", "rb") as f:
    missing = [m.id for m in read_po(f) if m.id and not m.string]
print(f"untranslated: {len(missing)}")
for msgid in missing:
    print("  ", msgid)
PY
