#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite (lint included).
# DATABASE_URL / REDIS_URL in the environment select PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
.venv/bin/ruff check app tests bench scripts migrations
exec .venv/bin/python -m pytest "$@"
