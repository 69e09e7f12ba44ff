"""Who may open what: applicants never reach officer pages or others' cases;
officers never reach admin pages."""

import pytest

OFFICER_URLS = ["/review/", "/review/stats", "/review/cases/{id}", "/review/cases/{id}/packet.zip",
                "/review/cases/{id}/documents/receipt.pdf", "/review/?format=csv"]


@pytest.mark.parametrize("url", OFFICER_URLS)
def test_applicants_are_refused_on_every_officer_url(submit_case, applicant, url):
    app_id = submit_case()
    assert applicant.get(url.format(id=app_id)).status_code == 403


def test_applicants_cannot_post_decisions(submit_case, applicant, app):
    app_id = submit_case()
    response = applicant.submit(f"/review/cases/{app_id}", {"action": "accept"}, page="/applications/")
    assert response.status_code == 403


def test_another_applicant_cannot_open_a_case_page(submit_case, app, login_as):
    app_id = submit_case()
    other = login_as("+8613966667777", ip="10.6.6.6")
    assert other.get(f"/applications/{app_id}").status_code == 404


def test_officers_are_refused_on_admin_urls(officer):
    assert officer.get("/admin/").status_code == 403


def test_unknown_case_is_404_for_officers(officer, published):
    assert officer.get("/review/cases/999999").status_code == 404
