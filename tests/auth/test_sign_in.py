"""Phone sign-in: the journey, wrong and stale codes, limits and privacy."""

import pytest
from sqlalchemy import select

from app.auth.models import SignInCode, User
from app.extensions import db
from tests.support.clock import time_passes

PHONE = "+8613812345678"


def test_new_number_signs_in_and_is_asked_for_a_profile(browser, outbox, app):
    response = browser.submit("/auth/sign-in", {"phone": "138 1234 5678"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/verify")
    page = browser.get("/auth/verify").get_data(as_text=True)
    assert "+86****5678" in page or "****5678" in page

    code = outbox.last_code(PHONE)
    response = browser.submit("/auth/verify", {"code": code})
    assert response.status_code == 302
    assert "/auth/profile" in response.headers["Location"]

    response = browser.submit("/auth/profile", {"display_name": "张三", "enterprise_name": "杭州示例科技有限公司"})
    assert response.status_code == 302
    home = browser.get("/").get_data(as_text=True)
    assert "张三" in home
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(phone=PHONE))
        assert user.enterprise_name == "杭州示例科技有限公司"
        assert user.role_names == {"applicant"}


@pytest.mark.parametrize("typed", ["13812345678", "+86 138 1234 5678", "0086 138 1234 5678", "+86-138-1234-5678"])
def test_accepted_spellings_are_stored_as_e164(browser, outbox, typed):
    browser.submit("/auth/sign-in", {"phone": typed})
    assert len(outbox.to(PHONE)) == 1


def test_foreign_mobile_is_accepted(browser, outbox):
    browser.submit("/auth/sign-in", {"phone": "+852 5123 4567"})
    assert len(outbox.to("+85251234567")) == 1


@pytest.mark.parametrize("typed", ["12345", "010-12345678", "", "1" * 200, "abcdefghijk", "+86 10 6552 9988"])
def test_invalid_numbers_get_a_chinese_message_and_no_sms(browser, outbox, typed):
    response = browser.submit("/auth/sign-in", {"phone": typed})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "请输入有效的手机号码" in page or "请输入手机号码" in page
    assert outbox.all() == []


def test_the_code_is_stored_only_as_a_hash(browser, outbox, app):
    browser.submit("/auth/sign-in", {"phone": PHONE})
    code = outbox.last_code(PHONE)
    with app.app_context():
        record = db.session.scalar(select(SignInCode))
        assert code not in record.code_hash
        assert len(record.code_hash) == 64


def test_wrong_code_is_refused(browser, outbox):
    browser.submit("/auth/sign-in", {"phone": PHONE})
    code = outbox.last_code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = browser.submit("/auth/verify", {"code": wrong})
    assert response.status_code == 200
    assert "验证码不正确或已失效" in response.get_data(as_text=True)
    assert browser.get("/auth/profile").status_code == 302  # still signed out


def test_expired_code_is_refused(browser, outbox, app):
    browser.submit("/auth/sign-in", {"phone": PHONE})
    code = outbox.last_code(PHONE)
    time_passes(app, seconds=301)
    response = browser.submit("/auth/verify", {"code": code})
    assert "验证码不正确或已失效" in response.get_data(as_text=True)


def test_code_is_void_after_five_wrong_tries(browser, outbox):
    browser.submit("/auth/sign-in", {"phone": PHONE})
    code = outbox.last_code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        browser.submit("/auth/verify", {"code": wrong})
    response = browser.submit("/auth/verify", {"code": code})
    assert "验证码不正确或已失效" in response.get_data(as_text=True)
    assert browser.get("/auth/profile").status_code == 302


def test_a_code_works_once(client, outbox, app):
    from tests.support.browser import Browser

    first, second = Browser(client), Browser(app.test_client())
    first.submit("/auth/sign-in", {"phone": PHONE})
    code = outbox.last_code(PHONE)
    assert first.submit("/auth/verify", {"code": code}).status_code == 302
    second.client.get("/")
    with second.client.session_transaction() as sess:
        sess["signin_phone"] = PHONE
    response = second.submit("/auth/verify", {"code": code})
    assert "验证码不正确或已失效" in response.get_data(as_text=True)


def test_resend_cooldown_answers_429(browser, outbox, app):
    browser.submit("/auth/sign-in", {"phone": PHONE})
    response = browser.submit("/auth/sign-in", {"phone": PHONE})
    assert response.status_code == 429
    assert "获取验证码太频繁" in response.get_data(as_text=True)
    assert len(outbox.to(PHONE)) == 1
    time_passes(app, seconds=61)  # a minute later a new code may be sent
    assert browser.submit("/auth/sign-in", {"phone": PHONE}).status_code == 302
    assert len(outbox.to(PHONE)) == 2


def test_only_the_newest_code_counts(browser, outbox, app):
    browser.submit("/auth/sign-in", {"phone": PHONE})
    old = outbox.last_code(PHONE)
    time_passes(app, seconds=61)
    browser.submit("/auth/sign-in", {"phone": PHONE})
    new = outbox.last_code(PHONE)
    if old != new:
        assert "验证码不正确" in browser.submit("/auth/verify", {"code": old}).get_data(as_text=True)
    assert browser.submit("/auth/verify", {"code": new}).status_code == 302


def test_per_number_daily_cap_answers_429(browser, outbox, app):
    for i in range(10):
        browser.ip = f"10.1.0.{i}"  # keep the per-address limit out of this test
        assert browser.submit("/auth/sign-in", {"phone": PHONE}).status_code == 302
        time_passes(app, seconds=61)
    response = browser.submit("/auth/sign-in", {"phone": PHONE})
    assert response.status_code == 429
    assert len(outbox.to(PHONE)) == 10


def test_per_address_limit_answers_429_in_chinese(browser, outbox):
    # The default is 5 code requests a minute from one address, whatever the numbers.
    for i in range(5):
        assert browser.submit("/auth/sign-in", {"phone": f"1381234000{i}"}).status_code == 302
    response = browser.submit("/auth/sign-in", {"phone": "13812340009"})
    assert response.status_code == 429
    assert "操作过于频繁" in response.get_data(as_text=True)
    assert len(outbox.all()) == 5


def test_other_addresses_are_not_limited_by_one_busy_address(client, outbox):
    from tests.support.browser import Browser

    busy = Browser(client, ip="10.0.0.1")
    for i in range(6):
        busy.submit("/auth/sign-in", {"phone": f"1381234000{i}"})
    other = Browser(client, ip="10.0.0.2")
    assert other.submit("/auth/sign-in", {"phone": "13912345678"}).status_code == 302


def test_known_and_unknown_numbers_get_the_same_answer(client, app, sign_in):
    from tests.support.browser import Browser

    sign_in(Browser(client), phone="+8613700000001")
    time_passes(app, seconds=61)
    known = Browser(app.test_client(), ip="10.0.0.3")
    unknown = Browser(app.test_client(), ip="10.0.0.4")
    r1 = known.submit("/auth/sign-in", {"phone": "13700000001"})
    r2 = unknown.submit("/auth/sign-in", {"phone": "13700000002"})
    assert (r1.status_code, r1.headers["Location"]) == (r2.status_code, r2.headers["Location"])
    p1 = known.get("/auth/verify").get_data(as_text=True).replace("0001", "XXXX")
    p2 = unknown.get("/auth/verify").get_data(as_text=True).replace("0002", "XXXX")
    strip = lambda html: html.split('name="csrf_token"')[0] + html.split('name="csrf_token"')[-1][120:]  # noqa: E731
    assert strip(p1) == strip(p2)


def test_post_without_csrf_token_is_refused(browser, outbox):
    response = browser.post("/auth/sign-in", {"phone": PHONE})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert outbox.all() == []


def test_sign_out_needs_post_and_ends_the_session(browser, sign_in):
    sign_in(browser)
    assert browser.get("/auth/sign-out").status_code == 405
    assert browser.get("/auth/profile").status_code == 200
    browser.submit("/auth/sign-out", page="/")
    assert browser.get("/auth/profile").status_code == 302


def test_old_session_cookie_stops_working_after_sign_out(app, client, sign_in):
    from tests.support.browser import Browser

    browser = sign_in(Browser(client))
    with client.session_transaction() as sess:
        stolen = dict(sess)
    browser.submit("/auth/sign-out", page="/")
    thief = app.test_client()
    with thief.session_transaction() as sess:
        sess.update(stolen)
    assert thief.get("/auth/profile").status_code == 302


def test_next_parameter_cannot_redirect_off_site(browser, outbox):
    browser.submit("/auth/sign-in?next=https://evil.example/", {"phone": PHONE})
    response = browser.submit("/auth/verify?next=https://evil.example/", {"code": outbox.last_code(PHONE)},
                              page="/auth/verify")
    assert "evil.example" not in response.headers["Location"]


def test_session_cookie_flags(browser, sign_in):
    sign_in(browser)
    cookie = browser.client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


@pytest.mark.parametrize("typed", ["+1 415 555 2671", "+44 7400 123456", "+7 912 345 6789"])
def test_mobiles_outside_china_hk_macao_taiwan_get_no_code(browser, outbox, typed):
    response = browser.submit("/auth/sign-in", {"phone": typed})
    assert response.status_code == 200
    assert "暂只支持中国大陆、香港、澳门和台湾的手机号码" in response.get_data(as_text=True)
    assert outbox.all() == []


@pytest.mark.parametrize(("typed", "e164"), [("+853 6612 3456", "+85366123456"), ("+886 912 345 678", "+886912345678")])
def test_macao_and_taiwan_mobiles_are_accepted(browser, outbox, typed, e164):
    assert browser.submit("/auth/sign-in", {"phone": typed}).status_code == 302
    assert len(outbox.to(e164)) == 1


def test_the_country_codes_are_a_setting(app, browser, outbox):
    app.config["SIGNIN_COUNTRY_CODES"] = (86,)
    try:
        browser.submit("/auth/sign-in", {"phone": "+852 5123 4567"})
        assert outbox.all() == []
    finally:
        app.config["SIGNIN_COUNTRY_CODES"] = (86, 852, 853, 886)


def _exhaust_the_daily_cap_as_a_stranger(app, client, phone):
    from tests.support.browser import Browser

    statuses = []
    for i in range(11):
        stranger = Browser(app.test_client(), ip=f"198.51.100.{i}")
        statuses.append(stranger.submit("/auth/sign-in", {"phone": phone}).status_code)
        time_passes(app, seconds=61)
    assert statuses[-1] == 429 and statuses.count(302) <= 10


def test_a_stranger_cannot_lock_the_owner_out_of_a_known_browser(app, client, outbox, sign_in):
    from tests.support.browser import Browser

    owner = sign_in(Browser(client, ip="10.9.0.1"), phone=PHONE)
    owner.submit("/auth/sign-out", page="/")
    time_passes(app, seconds=61)
    _exhaust_the_daily_cap_as_a_stranger(app, client, PHONE)
    owner.ip = "10.9.0.2"  # a new address (mobile data), the same browser
    assert owner.submit("/auth/sign-in", {"phone": PHONE}).status_code == 302
    assert owner.submit("/auth/verify", {"code": outbox.last_code(PHONE)}).status_code == 302


def test_a_stranger_cannot_lock_the_owner_out_of_a_known_address(app, client, outbox, sign_in):
    from tests.support.browser import Browser

    sign_in(Browser(client, ip="10.9.0.1"), phone=PHONE)
    time_passes(app, seconds=61)
    _exhaust_the_daily_cap_as_a_stranger(app, client, PHONE)
    new_browser_same_office = Browser(app.test_client(), ip="10.9.0.1")
    assert new_browser_same_office.submit("/auth/sign-in", {"phone": PHONE}).status_code == 302


def test_the_known_browser_mark_cannot_be_forged(app, client, outbox):
    from tests.support.browser import Browser

    _exhaust_the_daily_cap_as_a_stranger(app, client, PHONE)
    forger = Browser(app.test_client(), ip="198.51.100.200")
    forger.client.set_cookie("known_browser", "WyJhYmMiXQ.forged", path="/auth/")
    assert forger.submit("/auth/sign-in", {"phone": PHONE}).status_code == 429
