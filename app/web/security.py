"""Response headers every page gets, and one JSON log line per request.

The Content-Security-Policy allows scripts and styles from this site only
(no inline scripts: every script is a file in static/), no framing, and no
other origins; HSTS is added when the request came over HTTPS.
"""

import json
import logging
import secrets
import time

from flask import g, request

# Styles may be inline (style attributes in SVG charts and CodeMirror); scripts may not.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'")

access_log = logging.getLogger("onetrip.access")


def _start():
    g.request_started = time.perf_counter()
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isalnum() else secrets.token_hex(8)


def _finish(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    headers["X-Request-Id"] = g.get("request_id", "")
    started = g.get("request_started")
    access_log.info(json.dumps({
        "request_id": g.get("request_id"), "method": request.method, "path": request.path,
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "ip": request.remote_addr, "user_agent": request.user_agent.string[:200],
    }, ensure_ascii=False))
    return response


def register(app):
    app.before_request(_start)
    app.after_request(_finish)
