"""What an outside probe tried: redirects off the site, crafted query values,
forged Host headers, production settings that defeat a limit, lost headers."""

import logging

import pytest

from app.config import UnsafeProductionConfig
from app.links import public_url, safe_next


def test_production_refuses_rate_limits_kept_in_worker_memory(production):
    with pytest.raises(UnsafeProductionConfig, match="REDIS_URL"):
        production(RATELIMIT_STORAGE_URI="memory://")


@pytest.mark.parametrize("base", [None, "", "touzi.example.gov.cn", "ftp://touzi.example.gov.cn"])
def test_production_needs_a_public_base_url(production, base):
    with pytest.raises(UnsafeProductionConfig, match="PUBLIC_BASE_URL"):
        production(PUBLIC_BASE_URL=base)


def test_production_answers_a_forged_host_with_400(production):
    client = production().test_client()
    assert client.get("/livez", headers={"Host": "touzi.example.gov.cn"}).status_code == 200
    assert client.get("/livez", headers={"Host": "evil.example"}).status_code == 400


def test_stored_links_ignore_the_host_header(app):
    with app.test_request_context("/", base_url="http://evil.example"):
        assert public_url("wizard.view", application_id=7) == "http://localhost/applications/7"
    app.config["PUBLIC_BASE_URL"] = "https://touzi.example.gov.cn/onetrip"
    try:
        with app.app_context():  # a background job has no request at all
            assert public_url("wizard.view", application_id=7) == "https://touzi.example.gov.cn/onetrip/applications/7"
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://localhost"


@pytest.mark.parametrize("target", ["/\t/evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
                                    "https://evil.example/", "/\n/evil.example", " /x", "javascript:alert(1)",
                                    "/%0d%0aSet-Cookie:x"[:3] + "\r\n", ""])
def test_unsafe_redirect_targets_are_refused(target):
    assert safe_next(target) is None


def test_safe_targets_pass():
    assert safe_next("/applications/3?x=1#y") == "/applications/3?x=1#y"


def test_language_switch_from_a_crafted_404_stays_on_the_site(browser):
    page = browser.get("/%09/evil.example/").get_data(as_text=True)
    assert page.count('name="next"') == 1
    response = browser.submit("/language", {"lang": "en", "next": "/\t/evil.example/"}, page="/%09/evil.example/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(("url", "message"), [
    ("/review/?page=99999999999999999999", "页码应为"),
    ("/review/?page=-3", "页码应为"),
    ("/review/?until=9999-12-31", "日期应在"),
    ("/review/?since=0001-01-01", "日期应在"),
    ("/review/?since=2026-02-30", "日期“2026-02-30”无效"),
])
def test_crafted_query_values_answer_400_with_a_message(officer, url, message):
    response = officer.get(url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/applications/99999999999999999999", "/review/cases/99999999999999999999",
                                 "/applications/4294967296/steps/enterprise"])
def test_ids_too_large_for_the_database_are_404(officer, url):
    assert officer.get(url).status_code == 404


def test_compare_with_a_huge_version_id_is_404(app, login_as, browser, published):
    admin = login_as("+8613900000002", role="admin")
    assert admin.get("/admin/specs/compare?a=1&b=999999999999999999999").status_code == 404


def test_405_keeps_its_allow_header(client):
    response = client.get("/auth/sign-out")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "请求方式不允许" in response.get_data(as_text=True)


def test_429_keeps_retry_after(browser):
    for i in range(6):
        response = browser.submit("/auth/sign-in", {"phone": f"1381234000{i}"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


def test_a_proxy_without_proxy_fix_is_reported_once(production, caplog):
    client = production().test_client()
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            client.get("/livez", headers={"Host": "touzi.example.gov.cn", "X-Forwarded-For": "203.0.113.9"})
    assert sum("PROXY_FIX_HOPS is 0" in r.getMessage() for r in caplog.records) == 1
