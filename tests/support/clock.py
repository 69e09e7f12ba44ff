"""Moving the clock on: for sign-in codes, and for queued SMS."""

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import SignInAllowance, SignInCode
from app.clock import utcnow
from app.extensions import db
from app.sms.models import SmsMessage


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


def make_due(app):
    """Every queued SMS is due now, as if its retry delay had passed."""
    with app.app_context():
        for message in db.session.scalars(select(SmsMessage)):
            message.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
