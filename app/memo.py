"""Figures a page shows that need not be exact to the second (counts over a
province's cases): computed at most once per `seconds` per process, kept in
the app's extensions. The page says how fresh they are."""

import time

from flask import current_app


def every(name, seconds, compute):
    """compute() at most once per `seconds` in this process; the kept value otherwise."""
    kept = current_app.extensions.setdefault("onetrip_memo", {})
    found = kept.get(name)
    if found is None or time.monotonic() - found[0] >= seconds:
        found = kept[name] = (time.monotonic(), compute())
    return found[1]
