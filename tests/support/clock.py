"""Moving the clock on, as far as sign-in codes are concerned."""

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import SignInAllowance, SignInCode
from app.extensions import db


def time_passes(app, seconds):
    """Age every stored code and allowance, as if `seconds` had gone by."""
    with app.app_context():
        for record in db.session.scalars(select(SignInCode)):
            record.created_at -= timedelta(seconds=seconds)
            record.expires_at -= timedelta(seconds=seconds)
        for allowance in db.session.scalars(select(SignInAllowance)):
            allowance.last_sent_at -= timedelta(seconds=seconds)
            allowance.window_started_at -= timedelta(seconds=seconds)
        db.session.commit()
