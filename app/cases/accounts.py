"""Removing an account without losing a record. Submitted cases, their
submissions, files, issued documents and events are government records: an
account that filed anything is deactivated (it cannot sign in; its cases stay
in the queue with their packets), never deleted. Drafts are the owner's own
and go with the account."""

from sqlalchemy import exists, select

from app.auth import service as auth
from app.cases.lifecycle import delete_draft
from app.cases.models import Application
from app.cases.states import Status
from app.extensions import db


def has_filed(user):
    return db.session.scalar(select(exists().where(Application.user_id == user.id,
                                                   Application.status != Status.DRAFT)))


def remove_account(user):
    """Delete the account and its drafts, or deactivate it once it has filed
    anything (or anything else official names it). Returns "deleted" or "deactivated"."""
    if has_filed(user):
        auth.deactivate(user)
        return "deactivated"
    for draft in db.session.scalars(select(Application).filter_by(user_id=user.id, status=Status.DRAFT)).all():
        delete_draft(draft)
    return auth.remove_user(user)
