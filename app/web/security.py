"""Response headers every page gets, and one JSON log line per request.

The Content-Security-Policy allows scripts and styles from this site only
(no inline scripts: every script is a file in static/), no framing, and no
other origins; HSTS is added when the request came over HTTPS.
"""

import ipaddress
import json
import logging
import secrets
import time

from flask import current_app, g, request

# Styles may be inline (style attributes in SVG charts and CodeMirror); scripts may not.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'")

access_log = logging.getLogger("onetrip.access")


_proxy_warning = {"given": False}  # once per process; it changes nothing but the log


def _warn_about_an_unconfigured_proxy():
    """Behind a reverse proxy with PROXY_FIX_HOPS=0 every client has the proxy's
    address, so one busy client exhausts the per-address limits for everyone."""
    if _proxy_warning["given"] or "X-Forwarded-For" not in request.headers:
        return
    try:
        peer = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return
    if peer.is_loopback or peer.is_private:
        _proxy_warning["given"] = True
        current_app.logger.warning(
            "Requests arrive through a proxy at %s with X-Forwarded-For, but PROXY_FIX_HOPS is 0: every client "
            "shares the proxy's address for rate limits and logs. Set PROXY_FIX_HOPS to the number of proxies.",
            peer)


def _start():
    if current_app.config["APP_ENV"] == "production" and not current_app.config["PROXY_FIX_HOPS"]:
        _warn_about_an_unconfigured_proxy()
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
