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
