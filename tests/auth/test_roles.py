"""Roles: the users command and the 403 on staff pages."""

import pytest


def test_grant_list_revoke(runner):
    result = runner.invoke(args=["users", "grant", "13900000009", "officer"])
    assert result.exit_code == 0, result.output
    assert "+8613900000009: applicant, officer" in result.output
    assert "+8613900000009\tapplicant,officer" in runner.invoke(args=["users", "list"]).output
    result = runner.invoke(args=["users", "revoke", "+86 139 0000 0009", "officer"])
    assert "+8613900000009: applicant" in result.output


def test_grant_refuses_bad_number_and_role(runner):
    assert runner.invoke(args=["users", "grant", "12345", "officer"]).exit_code != 0
    assert runner.invoke(args=["users", "grant", "13900000009", "king"]).exit_code != 0


STAFF_PAGES = ["/review/", "/admin/"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_refuse_applicants_with_403(browser, sign_in, url):
    sign_in(browser)
    response = browser.get(url)
    assert response.status_code == 403
    assert "无权访问" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_send_anonymous_visitors_to_sign_in(browser, url):
    response = browser.get(url)
    assert response.status_code == 302
    assert "/auth/sign-in" in response.headers["Location"]


def test_officer_sees_the_review_area_but_not_admin(browser, sign_in):
    sign_in(browser, phone="+8613900000001", role="officer")
    assert browser.get("/review/").status_code == 200
    assert browser.get("/admin/").status_code == 403


def test_admin_sees_the_admin_area(browser, sign_in):
    sign_in(browser, phone="+8613900000002", role="admin")
    page = browser.get("/admin/").get_data(as_text=True)
    assert "+8613900000002" in page
