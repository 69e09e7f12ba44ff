import re

import pytest

from app.specs import service as specs


@pytest.fixture
def published(app):
    with app.app_context():
        version, _ = specs.publish_file(specs.SPEC_DIR / "enterprise_investment.yaml")
        return version.id


@pytest.fixture
def applicant(browser, sign_in, published):
    return sign_in(browser)


@pytest.fixture
def new_application(applicant):
    def _new(browser=applicant):
        response = browser.submit("/applications/new", page="/applications/")
        assert response.status_code == 302, response.get_data(as_text=True)
        match = re.search(r"/applications/(\d+)/steps/(\w+)", response.headers["Location"])
        return int(match[1])

    return _new


MATERIAL_FORM_RE = re.compile(r'action="/applications/(\d+)/materials/([a-z_]+)"')


def needed_materials(browser, app_id):
    page = browser.get(f"/applications/{app_id}/materials").get_data(as_text=True)
    return sorted({m for _, m in MATERIAL_FORM_RE.findall(page)})


@pytest.fixture
def supply_materials():
    """Upload a small PDF for every material the application currently needs."""
    from tests.support.files import PDF, upload

    def _supply(browser, app_id):
        supplied = needed_materials(browser, app_id)
        for material_id in supplied:
            response = browser.submit(f"/applications/{app_id}/materials/{material_id}",
                                      {"file": upload(PDF, f"{material_id}.pdf")},
                                      page=f"/applications/{app_id}/materials", content_type="multipart/form-data")
            assert response.status_code == 302, response.get_data(as_text=True)
        return supplied

    return _supply


@pytest.fixture
def complete(supply_materials):
    """Walk every step, supply the materials and submit; returns the submit response."""
    from tests.wizard.test_walkthrough import walk

    def _complete(browser, app_id, steps):
        walk(browser, app_id, steps)
        supply_materials(browser, app_id)
        return browser.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")

    return _complete
