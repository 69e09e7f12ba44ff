"""Life after filing in a real browser: the applicant reports the start of
construction on a phone; the officer sees it on the case and works the watch
list. axe clean, screenshots in test-artifacts/ (copied to docs/images/)."""

import datetime as dt

import pytest

from app import clock
from app.workdays import add_months, china_date
from tests.browser.conftest import axe_check, shot, sign_in
from tests.browser.test_journeys import staff_page
from tests.support import factories

pytestmark = pytest.mark.browser
PHONE = "13812340031"


def test_a_start_report_on_a_phone_and_the_officers_view(new_page, published, app, monkeypatch):
    with app.app_context():
        user = factories.applicant(f"+86{PHONE}")
        application = factories.make_case("completed", user=user)
        app_id, filed = application.id, china_date(application.completed_at)
        idle_id = factories.make_case("completed", user=user).id  # never starts
    page = new_page(375, 812)
    sign_in(page, PHONE)
    page.goto(f"/applications/{app_id}")
    page.click("#after-filing-link")
    axe_check(page, "after-filing page")
    page.fill("#happened_on", "2099-01-01")  # in the future: refused, what was typed kept
    page.fill("#description", "主体厂房开始施工，已完成桩基工程")
    page.click("#report button[type=submit]")
    assert "日期不能晚于今天" in page.inner_text("#error-summary")
    assert page.input_value("#description") == "主体厂房开始施工，已完成桩基工程"
    page.fill("#happened_on", filed.isoformat())
    page.click("#report button[type=submit]")
    assert "已报送开工" in page.inner_text("body")
    assert page.locator("#report-title").inner_text() == "报送竣工"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "after-filing-phone")

    officer = staff_page(new_page, app, "officer")
    officer.goto(f"/review/cases/{app_id}")
    assert "主体厂房开始施工" in officer.inner_text("#after-filing")
    # Two years on (the live server reads the same one clock): the idle filing is red.
    later = dt.datetime.combine(add_months(filed, 24), dt.time(2, 0))
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    officer.goto("/review/watch")
    assert officer.locator(f'tr[data-application="{idle_id}"][data-kind="lapse"][data-mark="red"]').count() == 1
    assert officer.locator(f'tr[data-application="{app_id}"]').count() == 0  # it reported its start
    axe_check(officer, "watch list")
    shot(officer, "watch-list")
