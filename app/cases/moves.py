"""The one way a case changes state: `move` checks the transition table
(states.py) and makes the change with one UPDATE guarded by the states it may
start from, so two moves racing on one case cannot both happen."""

from sqlalchemy import update

from app.cases.models import Application
from app.cases.states import TRANSITIONS
from app.extensions import db


def move(application, action, **values):
    """Make `action`'s move in the current transaction; False when the case is no
    longer in a state it may start from (another request moved it first)."""
    transition = TRANSITIONS[action]
    return db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status.in_(transition.sources))
        .values(status=transition.target, **values)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
