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
# PDFs set body text in AR PL UMing (a Song face, Debian's fonts-arphic-uming) and
# headings in the shipped WenQuanYi font; rare CJK Extension B characters (e.g. 𠀀)
# need HanaMin B from fonts-hanazono. Installed when we may (root, apt).
install_font() {  # package, file it provides, what is lost without it
  if [ ! -f "$2" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"; }; } >/dev/null 2>&1 \
      || echo "note: $1 not installed; $3" >&2
  fi
}
install_font fonts-arphic-uming /usr/share/fonts/truetype/arphic/uming.ttc "PDF body text falls back to the sans face"
install_font fonts-hanazono /usr/share/fonts/truetype/hanazono/HanaMinB.ttf "rare CJK characters show as boxes in PDFs"
# The browser tests drive Debian's chromium (Playwright cannot download one here).
if [ "${1:-}" = "dev" ] && [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }; } >/dev/null 2>&1 \
    || echo "note: could not install chromium; the browser tests will fail" >&2
fi
# The malware tests run Debian's ClamAV daemon (clamd) with a local signature
# file (tests/support/clamd.py); official signatures cannot be downloaded here.
if [ "${1:-}" = "dev" ] && ! command -v clamd >/dev/null && [ ! -x /usr/sbin/clamd ] && [ "$(id -u)" = 0 ] \
    && command -v apt-get >/dev/null; then
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clamav-daemon \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
         clamav-daemon; }; } >/dev/null 2>&1 \
    || echo "note: could not install clamav-daemon; the malware tests will fail" >&2
fi

# Compiled message catalogues are build output, not source.
# (only when a catalogue changed: the two CI passes start this script at the same time)
for po in app/translations/*/LC_MESSAGES/messages.po; do
  if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
    .venv/bin/pybabel -q compile -d app/translations
    break
  fi
done
