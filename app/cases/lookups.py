"""Finding cases: an applicant's own, and submitted ones for staff."""

from sqlalchemy import bindparam, select

from app.cases.models import Application, CaseEvent
from app.cases.states import Status
from app.extensions import db

# Built once (see auth.service._USER_BY_ID): every wizard request runs it.
_OWNED_APPLICATION = select(Application).where(Application.id == bindparam("application_id"),
                                               Application.user_id == bindparam("user_id"))


def owned_application(user, application_id):
    """The application if it belongs to `user`; None otherwise (the caller answers 404)."""
    return db.session.execute(_OWNED_APPLICATION, {"application_id": application_id, "user_id": user.id}
                              ).scalar_one_or_none()


def submitted_case(application_id):
    """A submitted application by id, for staff (the caller checks the role)."""
    application = db.session.get(Application, application_id)
    if application is None or not application.submissions:
        return None
    return application


def applications_of(user):
    return db.session.scalars(
        select(Application).filter_by(user_id=user.id).order_by(Application.updated_at.desc())
    ).all()


def events(application):
    return db.session.scalars(
        select(CaseEvent).filter_by(application_id=application.id).order_by(CaseEvent.created_at, CaseEvent.id)
    ).all()


def latest_return(application):
    """The officer's reasons of the return that is waiting to be corrected, or None."""
    if application.status != Status.RETURNED:
        return None
    return db.session.scalar(
        select(CaseEvent).filter_by(application_id=application.id, kind="return").order_by(CaseEvent.id.desc())
    )
