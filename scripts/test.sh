#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite (lint included).
# DATABASE_URL / REDIS_URL in the environment select PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
# The browser journeys drive Debian's chromium (Playwright cannot download one here).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }; } >/dev/null 2>&1 \
    || echo "note: could not install chromium; the browser tests will fail" >&2
fi
.venv/bin/ruff check app tests bench scripts migrations
exec .venv/bin/python -m pytest "$@"
