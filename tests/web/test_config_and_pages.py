"""Configuration, error pages and the language switch."""

import pytest

from app import create_app
from app.config import InsecureSecretKey


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, production):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(InsecureSecretKey):
        production()
    monkeypatch.setenv("SECRET_KEY", "change-me")
    with pytest.raises(InsecureSecretKey):
        production()


def test_production_sets_secure_cookies(production):
    prod = production()
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    assert prod.config["DEV_SMS_PAGE"] is False


def test_development_generates_and_keeps_a_secret_key(monkeypatch, tmp_path):
    from flask import Flask

    from app.config import CONFIGS, load_secret_key

    def key_for():
        flask_app = Flask("t", instance_path=str(tmp_path))
        flask_app.config.from_object(CONFIGS["development"])
        load_secret_key(flask_app)
        return flask_app.config["SECRET_KEY"]

    first, second = key_for(), key_for()
    assert len(first) == 64 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_forms(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/db")
    app = create_app({"APP_ENV": "testing"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:5432/db"


def test_404_page_is_friendly_and_chinese(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "页面不存在" in page and "Traceback" not in page


def test_unexpected_error_shows_no_stack_trace(tmp_path):
    app = create_app({"APP_ENV": "development", "SECRET_KEY": "x" * 32,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/e.db"})

    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/_boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "系统出错了" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_request_too_large_answers_413_in_chinese(app, client):
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/auth/sign-in", data=b"x" * size, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "文件过大" in response.get_data(as_text=True)


def test_language_switch_to_english_and_back(browser):
    assert "用手机号登录" in browser.get("/auth/sign-in").get_data(as_text=True)
    browser.submit("/language", {"lang": "en", "next": "/auth/sign-in"}, page="/")
    page = browser.get("/auth/sign-in").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Sign in with your mobile number" in page
    browser.submit("/language", {"lang": "zh_CN", "next": "/"}, page="/")
    assert 'lang="zh-CN"' in browser.get("/").get_data(as_text=True)


def test_language_switch_needs_csrf(browser):
    assert browser.post("/language", {"lang": "en"}).status_code == 400


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"


def test_pages_have_a_mobile_viewport_and_skip_link(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="viewport"' in page
    assert 'href="#main"' in page
