"""The SMS outbox: queue a message, send what is due, retry with back-off.

Every message is a row first and a network call second, so nothing is lost
when the provider is down: it stays queued and `flask sms send-due` (or the
worker) sends it later, exactly once.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import jobs
from app.clock import utcnow
from app.extensions import db
from app.sms.backends import SmsSendError, make_backend
from app.sms.models import SmsMessage, SmsStatus

log = logging.getLogger(__name__)

# A claim older than this belongs to a sender that died mid-send.
STALE_CLAIM = timedelta(minutes=5)


def _backend():
    # One backend object per app: the Twilio client keeps its HTTP session.
    ext = current_app.extensions
    if "onetrip_sms_backend" not in ext:
        ext["onetrip_sms_backend"] = make_backend(current_app.config)
    return ext["onetrip_sms_backend"]


def queue(recipient, text, purpose, dedupe_key=None, send_now=True):
    """Add a message to the outbox (committing it) and try to send it once.

    With a dedupe_key, queueing the same event again returns the first
    message instead of making a second one.
    """
    if dedupe_key:
        existing = db.session.scalar(select(SmsMessage).filter_by(dedupe_key=dedupe_key))
        if existing:
            return existing
    body = current_app.config["SMS_SIGNATURE"] + text
    message = SmsMessage(recipient=recipient, body=body, purpose=purpose, dedupe_key=dedupe_key)
    db.session.add(message)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent request queued the same event
        return db.session.scalar(select(SmsMessage).filter_by(dedupe_key=dedupe_key))
    if send_now and not (jobs.background_enabled() and jobs.enqueue("sms", send_message_job, message.id)):
        send_one(message.id)
    return message


def send_message_job(message_id):
    """The RQ job: send one message. It is claimed first, so a duplicate job is harmless."""
    with jobs.worker_app().app_context():
        send_one(message_id)


def _claim(message_id):
    """Mark a due message as being sent; True only for the one caller that wins."""
    now = utcnow()
    result = db.session.execute(
        update(SmsMessage)
        .where(
            SmsMessage.id == message_id,
            or_(
                (SmsMessage.status == SmsStatus.QUEUED) & (SmsMessage.next_attempt_at <= now),
                (SmsMessage.status == SmsStatus.SENDING) & (SmsMessage.claimed_at < now - STALE_CLAIM),
            ),
        )
        .values(status=SmsStatus.SENDING, claimed_at=now)
    )
    db.session.commit()
    return result.rowcount == 1


def send_one(message_id):
    """Send one message if it is due and nobody else is sending it."""
    backend = _backend()  # a configuration error surfaces here, before anything is claimed
    if not _claim(message_id):
        return None
    message = db.session.get(SmsMessage, message_id)
    db.session.refresh(message)
    message.attempts += 1
    try:
        message.provider_message_id = backend.send(message.recipient, message.body)
    except SmsSendError as exc:
        _schedule_retry(message, str(exc), exc.permanent)
    except Exception as exc:
        log.exception("SMS %s: unexpected error while sending", message.id)
        _schedule_retry(message, f"{exc.__class__.__name__}: {exc}", permanent=False)
    else:
        message.status = SmsStatus.SENT
        message.sent_at = utcnow()
        message.last_error = None
    message.claimed_at = None
    db.session.commit()
    return message


def _schedule_retry(message, error, permanent):
    delays = current_app.config["SMS_RETRY_DELAYS"]
    message.last_error = error[:1000]
    if permanent or message.attempts > len(delays):
        message.status = SmsStatus.FAILED
        log.error("SMS %s to %s failed for good: %s", message.id, message.recipient, error)
    else:
        message.status = SmsStatus.QUEUED
        message.next_attempt_at = utcnow() + timedelta(seconds=delays[message.attempts - 1])
        log.warning("SMS %s to %s not sent (attempt %s), retrying: %s",
                    message.id, message.recipient, message.attempts, error)


def due_message_ids(limit=100):
    now = utcnow()
    return list(
        db.session.scalars(
            select(SmsMessage.id)
            .where(
                or_(
                    (SmsMessage.status == SmsStatus.QUEUED) & (SmsMessage.next_attempt_at <= now),
                    (SmsMessage.status == SmsStatus.SENDING) & (SmsMessage.claimed_at < now - STALE_CLAIM),
                )
            )
            .order_by(SmsMessage.next_attempt_at, SmsMessage.id)
            .limit(limit)
        )
    )


def send_due(limit=100):
    """Send every message that is due now. Returns (sent, still_queued, failed)."""
    counts = {SmsStatus.SENT: 0, SmsStatus.QUEUED: 0, SmsStatus.FAILED: 0}
    for message_id in due_message_ids(limit):
        message = send_one(message_id)
        if message is not None:
            counts[message.status] += 1
    return counts[SmsStatus.SENT], counts[SmsStatus.QUEUED], counts[SmsStatus.FAILED]


def recent_messages(limit=50):
    return db.session.scalars(select(SmsMessage).order_by(SmsMessage.id.desc()).limit(limit)).all()


def messages_to(recipient):
    return db.session.scalars(
        select(SmsMessage).filter_by(recipient=recipient).order_by(SmsMessage.id)
    ).all()


def counts_by_status():
    rows = db.session.execute(select(SmsMessage.status, func.count()).group_by(SmsMessage.status)).all()
    return {status.value: count for status, count in rows}


def failed_messages(limit=20):
    return db.session.scalars(
        select(SmsMessage).filter_by(status=SmsStatus.FAILED).order_by(SmsMessage.id.desc()).limit(limit)
    ).all()


def messages_with_key_prefix(prefix):
    """Messages queued for events of one subject (e.g. `application:12:`), oldest first."""
    return db.session.scalars(
        select(SmsMessage).where(SmsMessage.dedupe_key.startswith(prefix)).order_by(SmsMessage.id)
    ).all()
