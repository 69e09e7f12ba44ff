"""Nothing lost: deleting an account never deletes its cases (the database
refuses it); an account that filed anything is deactivated instead, its cases
stay in the queue with their packets, and it cannot sign in; an account with
only drafts is deleted with them. Officers' accounts named on events stay too."""

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth import service as auth
from app.auth.models import User
from app.cases import service as cases
from app.cases.models import Application, Submission
from app.extensions import db
from app.sms import service as sms
from tests.support import factories
from tests.support.browser import Browser, csrf_from

PHONE = "+8613812345678"  # factories.APPLICANT_PHONE


def _user(phone=PHONE):
    return auth.find_user(phone)


def test_the_database_refuses_to_delete_an_account_with_cases(app, case):
    case("submitted")
    with app.app_context():
        db.session.delete(_user())
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Application)) == 1


def test_a_deactivated_account_keeps_its_cases_in_the_queue_with_their_packets(app, case, applicant, officer,
                                                                             sign_in):
    application_id = case("submitted")
    with app.app_context():
        draft = factories.make_case("draft", user=_user()).id
        reference = db.session.get(Application, application_id).reference
    profile = applicant.get("/auth/profile").get_data(as_text=True)
    assert 'id="remove-account"' in profile
    assert applicant.post("/account/remove", data={"confirm": "yes"}).status_code == 400  # no CSRF token
    unconfirmed = applicant.post("/account/remove", data={"csrf_token": csrf_from(profile)})
    assert unconfirmed.status_code == 302
    with app.app_context():
        assert _user().is_active
    response = applicant.post("/account/remove", data={"csrf_token": csrf_from(profile), "confirm": "yes"})
    assert response.status_code == 302
    with app.app_context():
        user = _user()
        assert user is not None and not user.is_active
        assert db.session.get(Application, application_id).status == cases.Status.SUBMITTED
        assert db.session.get(Application, draft) is not None  # nothing of a deactivated account goes
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
    assert applicant.get("/applications/").status_code == 302  # the session ended
    assert reference in officer.get("/review/").get_data(as_text=True)
    packet = officer.get(f"/review/cases/{application_id}/packet.zip")
    assert packet.status_code in (200, 202)
    packet.close()
    # Signing in again: the right code, and still refused.
    again = Browser(app.test_client())
    again.submit("/auth/sign-in", {"phone": PHONE})
    refused = again.submit("/auth/verify", {"code": _last_code(app)})
    assert refused.status_code == 200 and "该账号已停用" in refused.get_data(as_text=True)


def _last_code(app):
    with app.app_context():
        return re.search(r"验证码是(\d{6})", sms.messages_to(PHONE)[-1].body).group(1)


def test_an_account_with_only_drafts_is_deleted_with_them(app, published, runner):
    with app.app_context():
        draft = factories.make_case("draft", user=factories.applicant()).id
    result = runner.invoke(args=["accounts", "remove", "13812345678"])
    assert result.exit_code == 0 and "deleted" in result.output
    with app.app_context():
        assert _user() is None and db.session.get(Application, draft) is None


def test_an_officer_named_on_events_is_deactivated_not_deleted(app, case, runner):
    case("accepted")
    result = runner.invoke(args=["accounts", "remove", factories.OFFICER_PHONE])
    assert result.exit_code == 0 and "deactivated" in result.output
    with app.app_context():
        officer = db.session.scalar(select(User).filter_by(phone=factories.OFFICER_PHONE))
        assert officer is not None and not officer.is_active
    assert runner.invoke(args=["accounts", "remove", "+8613900009999"]).exit_code != 0  # no such account
