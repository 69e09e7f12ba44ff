"""延期开工 of an approval decided here: asked once, at least 30 working days
before the two years end, for at most a year; an officer grants it (the two
years end later) or refuses it with a reason. A district site approves
nothing of the shipped catalogue, so these cases are approved by a city site
(SITE_LEVEL=city, a wind farm, which the catalogue gives to the city)."""

import datetime as dt

import pytest
from sqlalchemy import select

from app import clock
from app.cases import service as cases
from app.cases.models import Application, CaseEvent
from app.extensions import db
from app.sms.models import SmsMessage
from app.workdays import add_months, add_working_days, china_date
from tests.support import factories
from tests.support.answers import domestic_steps
from tests.support.browser import csrf_from

OTHER_PHONE = "+8613900003333"


@pytest.fixture
def approval(app, published, monkeypatch):
    """A wind farm approved (核准) by a city site; returns (id, filing date)."""
    monkeypatch.setitem(app.config, "SITE_LEVEL", "city")
    steps = domestic_steps()
    steps["policy"]["catalogue_item"] = "wind_power"
    with app.app_context():
        application = factories.make_case("completed", steps=steps)
        assert application.filing_type == "approval" and not application.escalated
        return application.id, china_date(application.completed_at)


def _on(monkeypatch, day):
    at = dt.datetime.combine(day, dt.time(2, 0))
    monkeypatch.setattr(clock, "utcnow", lambda: at)


def _ask(applicant, application_id, months="6", reason="设备供货延迟"):
    return applicant.submit(f"/applications/{application_id}/extension", {"months": months, "reason": reason},
                            page=f"/applications/{application_id}/after-filing")


def test_asked_once_and_granted_the_two_years_end_later(app, approval, applicant, officer, monkeypatch):
    application_id, filed = approval
    _on(monkeypatch, add_months(filed, 20))
    assert 'id="extension-title"' in applicant.get(f"/applications/{application_id}/after-filing") \
        .get_data(as_text=True)
    assert _ask(applicant, application_id, months="13").status_code == 422  # at most a year
    assert _ask(applicant, application_id, reason=" ").status_code == 422
    assert _ask(applicant, application_id).status_code == 302
    again = _ask(applicant, application_id)
    assert again.status_code == 422 and "延期开工只能申请一次" in again.get_data(as_text=True)
    page = officer.get(f"/review/cases/{application_id}").get_data(as_text=True)
    assert 'id="decide-extension"' in page and "设备供货延迟" in page
    officer.submit(f"/review/cases/{application_id}/extension", {"decision": "grant"},
                   page=f"/review/cases/{application_id}")
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.start_extended_months == 6
        assert cases.after_filing_of(application).lapse.lapses_on == add_months(filed, 30)
        assert db.session.scalar(select(SmsMessage).where(SmsMessage.template_key == "extension_granted"))
    # Decided once: a second decision is refused.
    officer.submit(f"/review/cases/{application_id}/extension", {"decision": "refuse", "reason": "x"},
                   page=f"/review/cases/{application_id}")
    with app.app_context():
        assert db.session.get(Application, application_id).start_extended_months == 6
    # 24 months on, the approval has not lapsed: it has six months more.
    _on(monkeypatch, add_months(filed, 25))
    with app.app_context(), pytest.raises(cases.DecisionRefused):
        cases.mark_lapsed(db.session.get(Application, application_id), factories.officer())


def test_refused_with_a_reason_the_two_years_stand(app, approval, applicant, officer, monkeypatch):
    application_id, filed = approval
    _on(monkeypatch, add_months(filed, 20))
    _ask(applicant, application_id)
    officer.submit(f"/review/cases/{application_id}/extension", {"decision": "refuse"},
                   page=f"/review/cases/{application_id}")
    with app.app_context():
        assert db.session.get(Application, application_id).start_extended_months is None  # a reason is needed
    officer.submit(f"/review/cases/{application_id}/extension", {"decision": "refuse", "reason": "理由不充分"},
                   page=f"/review/cases/{application_id}")
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.start_extended_months == 0
        assert cases.after_filing_of(application).lapse.lapses_on == add_months(filed, 24)
        assert db.session.scalar(select(CaseEvent).filter_by(application_id=application_id,
                                                             kind="extension_refused")).reason == "理由不充分"
    assert "理由不充分" in applicant.get(f"/applications/{application_id}/after-filing").get_data(as_text=True)


def test_asked_too_late(app, approval, applicant, monkeypatch):
    application_id, filed = approval
    _on(monkeypatch, add_working_days(add_months(filed, 24), -29))
    refused = _ask(applicant, application_id)
    assert refused.status_code == 422 and "30个工作日前申请" in refused.get_data(as_text=True)
    _on(monkeypatch, add_working_days(add_months(filed, 24), -30))  # the last day to ask
    assert _ask(applicant, application_id).status_code == 302


def test_a_filing_has_no_extension_and_strangers_reach_nothing(app, case, approval, applicant, login_as):
    filing_id = case("completed")
    assert 'id="extension-title"' not in applicant.get(f"/applications/{filing_id}/after-filing") \
        .get_data(as_text=True)
    assert _ask(applicant, filing_id).status_code == 422
    application_id, _filed = approval
    stranger = login_as(phone=OTHER_PHONE)
    assert _ask(stranger, application_id).status_code == 404
    token_page = stranger.get("/applications/").get_data(as_text=True)
    assert stranger.post(f"/review/cases/{application_id}/extension",
                         data={"decision": "grant", "csrf_token": csrf_from(token_page)}).status_code in (403, 404)
    assert applicant.post(f"/applications/{application_id}/extension", data={"months": "6", "reason": "x"}) \
        .status_code == 400  # no CSRF token
    with app.app_context():
        assert not db.session.scalars(select(CaseEvent).filter_by(kind="extension_requested")).all()
