import re

import pytest

from tests.support.answers import domestic_steps


@pytest.fixture
def submit_case(applicant, new_application, complete):
    """Submit a case as the applicant; returns its id."""

    def _submit(steps=None):
        app_id = new_application()
        assert complete(applicant, app_id, steps or domestic_steps()).status_code == 302
        return app_id

    return _submit


@pytest.fixture
def decide(officer):
    def _decide(app_id, action, **fields):
        return officer.submit(f"/review/cases/{app_id}", {"action": action, **fields})

    return _decide


def flashes(browser, response):
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    return " ".join(re.findall(r'class="alert alert-[a-z]+" role="status">([^<]*)<', page))
