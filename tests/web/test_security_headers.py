"""Headers on every response, request ids, health."""

import json
import logging


def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_one_json_log_line_per_request_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="onetrip.access"):
        response = client.get("/livez", headers={"X-Request-Id": "abcdef123456"})
    assert response.headers["X-Request-Id"] == "abcdef123456"
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "onetrip.access"]
    assert lines[-1]["request_id"] == "abcdef123456" and lines[-1]["status"] == 200 and lines[-1]["path"] == "/livez"


def test_healthz_reports_redis_when_configured(app, client):
    saved = app.config.get("REDIS_URL")
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        app.config["REDIS_URL"] = saved
    assert response.status_code == 503
    assert response.json["redis"].startswith("error")
