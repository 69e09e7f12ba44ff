
import pytest


@pytest.fixture
def submit_case(case):
    """A submitted case of the applicant (built through cases.service); returns its id."""

    def _submit(steps=None):
        return case("submitted", steps=steps)

    return _submit


@pytest.fixture
def decide(officer):
    def _decide(app_id, action, **fields):
        return officer.submit(f"/review/cases/{app_id}", {"action": action, **fields})

    return _decide
