"""Work done once per request: one resolution of the answers per page, one
layout per single document, the publish gate's work once per content
(bench/counts.py prints the same counts; docs/performance.md has them)."""

import uuid
from contextlib import contextmanager
from unittest import mock

import pytest

from app.documents import service as documents_service
from app.rules import evaluation as rules_evaluation
from app.rules import service as rules_service
from app.specs import service as specs_service


@contextmanager
def counting(module, name):
    original = getattr(module, name)
    with mock.patch.object(module, name, side_effect=original) as counter:
        yield counter


@pytest.fixture
def resolutions():
    with counting(rules_evaluation, "resolve") as counter:
        yield counter


def test_the_check_page_resolves_the_answers_once(case, login_as, resolutions):
    app_id = case("draft")
    browser = login_as()
    resolutions.reset_mock()
    page = browser.get(f"/applications/{app_id}/check")
    assert page.status_code == 200
    assert resolutions.call_count == 1


@pytest.mark.parametrize("state", ["submitted", "returned"])
def test_the_status_page_resolves_the_submission_once(case, login_as, resolutions, state):
    app_id = case(state)
    browser = login_as()
    resolutions.reset_mock()
    page = browser.get(f"/applications/{app_id}")
    assert page.status_code == 200
    # a returned case also lists the documents of the answers as they stand: a second answer set
    assert resolutions.call_count == (1 if state == "submitted" else 2)


def test_the_officer_case_page_resolves_once(case, officer, resolutions):
    app_id = case("accepted")
    resolutions.reset_mock()
    assert officer.get(f"/review/cases/{app_id}").status_code == 200
    assert resolutions.call_count == 1


@pytest.mark.parametrize("who", ["applicant", "officer"])
def test_one_pdf_download_lays_out_one_document(case, login_as, officer, who):
    app_id = case("submitted")
    if who == "applicant":
        browser, url = login_as(), f"/applications/{app_id}"
    else:
        browser, url = officer, f"/review/cases/{app_id}"
    with counting(documents_service, "build_document") as layouts:
        response = browser.get(f"{url}/documents/receipt.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert layouts.call_count == 1


def test_the_publish_gate_works_once_per_content(app, published, login_as):
    import re

    admin = login_as("+8613900000002", role="admin")
    draft = re.search(r"/admin/specs/(\d+)", admin.submit("/admin/specs/drafts", page="/admin/specs")
                      .headers["Location"])[1]
    with app.app_context():
        # A label no other test writes: the gate's verdicts are kept per content for the whole process.
        label = f"label: 项目名称（{uuid.uuid4().hex[:8]}）,"
        text = specs_service.get_version(int(draft)).source.replace("label: 项目名称,", label, 1)
    with counting(specs_service, "compile_spec") as compilations, counting(rules_service, "run_example") as runs:
        assert admin.submit(f"/admin/specs/{draft}", {"text": text}).status_code == 302
        assert (compilations.call_count, runs.call_count) == (1, 11)
        admin.get(f"/admin/specs/{draft}")
        admin.get(f"/admin/specs/{draft}")
        assert (compilations.call_count, runs.call_count) == (1, 11)  # the verdict is kept per content hash
