"""The SMS outbox: queue a message, send what is due, retry with back-off,
fall back between providers, record delivery receipts.

Every message is a row first and a network call second, so nothing is lost
when a provider is down: it stays queued and `flask sms send-due` (or the
worker) sends it later, exactly once. A message is a template key plus
parameters (catalog.py); its text is rendered once, here, when it is queued.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import jobs
from app.clock import utcnow
from app.extensions import db
from app.sms import catalog
from app.sms.models import Delivery, SmsMessage, SmsStatus
from app.sms.providers import NotConfigured, Outgoing, SmsSendError, configured_names, make_chain

log = logging.getLogger(__name__)

# A claim older than this belongs to a sender that died mid-send.
STALE_CLAIM = timedelta(minutes=5)

declare = catalog.declare
TemplateFileError = catalog.TemplateFileError


def templates():
    """The template catalog of this app, read once (again when SMS_TEMPLATES_FILE changes)."""
    path = str(current_app.config.get("SMS_TEMPLATES_FILE") or catalog.DEFAULT_FILE)
    cached = current_app.extensions.get("onetrip_sms_catalog")
    if cached is None or cached.path != path:
        cached = current_app.extensions["onetrip_sms_catalog"] = catalog.load(
            path, current_app.config["SMS_SIGNATURE"])
    return cached


def _chain():
    # One set of provider clients per app: they keep their HTTP sessions.
    ext = current_app.extensions
    if "onetrip_sms_backend" not in ext:
        ext["onetrip_sms_backend"] = make_chain(current_app.config)
    return ext["onetrip_sms_backend"]


def queue(recipient, key, params, dedupe_key=None, send_now=True):
    """Add the message `key` with `params` to the outbox (committing it) and try
    to send it once. With a dedupe_key, queueing the same event again returns
    the first message instead of making a second one."""
    if dedupe_key:
        existing = db.session.scalar(select(SmsMessage).filter_by(dedupe_key=dedupe_key))
        if existing:
            existing.newly_queued = False
            return existing
    template = templates().get(key)
    values = template.fill(params)
    body = current_app.config["SMS_SIGNATURE"] + template.render(values)
    message = SmsMessage(recipient=recipient, body=body, purpose=key, template_key=key, params=values,
                         dedupe_key=dedupe_key)
    db.session.add(message)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent request queued the same event
        existing = db.session.scalar(select(SmsMessage).filter_by(dedupe_key=dedupe_key))
        existing.newly_queued = False
        return existing
    message.newly_queued = True  # not stored: tells a caller (e.g. the daily sweep) this call queued it
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


def _outgoing(message):
    template = templates().templates.get(message.template_key) if message.template_key else None
    return Outgoing(message.recipient, message.body, template, message.params or {})


def send_one(message_id):
    """Send one message if it is due and nobody else is sending it: each provider
    in turn until one takes it; a transient failure moves on to the next, a
    permanent one ends it as failed."""
    chain = _chain()  # a configuration error surfaces here, before anything is claimed
    if not _claim(message_id):
        return None
    message = db.session.get(SmsMessage, message_id)
    db.session.refresh(message)
    message.attempts += 1
    outgoing = _outgoing(message)
    errors, could_retry, permanent = [], False, False
    for backend in chain:
        try:
            provider_id = backend.send(outgoing)
        except NotConfigured as exc:
            errors.append(f"{backend.name}: {exc}")
            continue
        except SmsSendError as exc:
            errors.append(f"{backend.name}: {exc}")
            if exc.permanent:
                permanent = True
                break
            could_retry = True
            log.warning("SMS %s: %s failed (%s); trying the next provider", message.id, backend.name, exc)
            continue
        except Exception as exc:
            log.exception("SMS %s: unexpected error while sending through %s", message.id, backend.name)
            errors.append(f"{backend.name}: {exc.__class__.__name__}: {exc}")
            could_retry = True
            continue
        message.status = SmsStatus.SENT
        message.sent_at = utcnow()
        message.provider, message.provider_message_id = backend.name, provider_id
        message.last_error = "; ".join(errors)[:1000] or None  # which providers it fell back from
        break
    else:
        permanent = permanent or not could_retry  # no provider can send this template at all
    if message.status != SmsStatus.SENT:
        _schedule_retry(message, "; ".join(errors), permanent)
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


def record_receipt(provider, provider_message_id, delivered, detail=None):
    """A provider's delivery report; returns how many messages it matched (0 or 1)."""
    if not provider_message_id:
        return 0
    result = db.session.execute(
        update(SmsMessage)
        .where(SmsMessage.provider == provider, SmsMessage.provider_message_id == str(provider_message_id))
        .values(delivery=Delivery.DELIVERED if delivered else Delivery.UNDELIVERED,
                delivery_detail=(detail or None) and str(detail)[:200], delivery_reported_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def check_configuration(app):
    """Production refuses to start with a provider it could not send through:
    missing credentials, or a template without that provider's code."""
    names = configured_names(app.config)
    with app.app_context():
        make_chain(app.config)
        missing = templates().missing_codes(names)
    if missing:
        listed = ", ".join(f"{provider}:{key}" for provider, key in missing)
        raise RuntimeError(f"SMS templates without a provider template code ({listed}); fill `codes` in "
                           f"{app.config.get('SMS_TEMPLATES_FILE') or catalog.DEFAULT_FILE} (see docs/sms.md)")


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
