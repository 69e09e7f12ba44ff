"""Links the site hands out: where a redirect may go, and the public address
printed in documents, QR codes and SMS.

Both are security boundaries. A redirect target from a form or query string
must stay on this site (an open redirect helps phishing), and a stored link
must not come from the request's Host header (anyone can send one).
"""

import unicodedata
from urllib.parse import urlsplit

from flask import current_app


def safe_next(target):
    """`target` if it is a path on this site, else None.

    Browsers drop tabs and line breaks from URLs and read a backslash as a
    slash, so `/\\t/evil.example/` and `/\\\\evil.example` would leave the site:
    any control character, white space or backslash refuses the target.
    """
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if any(ch == "\\" or ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def public_url(endpoint, **values):
    """The absolute URL of `endpoint` under PUBLIC_BASE_URL, with or without a
    request (background jobs build documents too)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
