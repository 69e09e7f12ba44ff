"""The SMS outbox with the console backend, retries and the development page."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.sms import service as sms
from app.sms.models import SmsMessage, SmsStatus
from app.sms.providers import SmsSendError
from tests.support.clock import make_due
from tests.support.sms import NOTICE, NOTICE_TEXT


def test_console_backend_marks_sent_and_keeps_key_params_and_text(app):
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.SENT
        assert message.body == NOTICE_TEXT
        assert (message.template_key, message.params) == NOTICE
        assert message.provider == "console"
        assert message.attempts == 1
        assert message.sent_at is not None


def test_same_event_is_queued_once(app):
    with app.app_context():
        first = sms.queue("+8613812345678", *NOTICE, dedupe_key="case-1:escalated")
        second = sms.queue("+8613812345678", *NOTICE, dedupe_key="case-1:escalated")
        assert first.id == second.id
        assert db.session.scalar(select(db.func.count()).select_from(SmsMessage)) == 1


class FlakyBackend:
    """A provider that fails a set number of times, then works."""

    name = "flaky"

    def __init__(self, failures, permanent=False):
        self.failures = failures
        self.permanent = permanent
        self.sent = []

    def send(self, message):
        if self.failures:
            self.failures -= 1
            raise SmsSendError("provider down", permanent=self.permanent)
        self.sent.append((message.recipient, message.text))
        return f"fake-{len(self.sent)}"


def test_failed_send_stays_queued_with_backoff_then_sends_once(app):
    backend = FlakyBackend(failures=2)
    app.extensions["onetrip_sms_backend"] = [backend]
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.QUEUED
        assert message.attempts == 1
        assert message.next_attempt_at > utcnow() + timedelta(seconds=50)
        assert "provider down" in message.last_error
        assert sms.send_due() == (0, 0, 0)  # not due yet
    make_due(app)
    with app.app_context():
        assert sms.send_due() == (0, 1, 0)
    make_due(app)
    with app.app_context():
        assert sms.send_due() == (1, 0, 0)
        assert sms.send_due() == (0, 0, 0)
    assert len(backend.sent) == 1


def test_message_fails_for_good_after_the_last_retry(app):
    app.extensions["onetrip_sms_backend"] = [FlakyBackend(failures=99)]
    with app.app_context():
        sms.queue("+8613812345678", *NOTICE)
    for _ in range(len(app.config["SMS_RETRY_DELAYS"])):
        make_due(app)
        with app.app_context():
            sms.send_due()
    with app.app_context():
        message = db.session.scalar(select(SmsMessage))
        assert message.status == SmsStatus.FAILED
        assert message.attempts == len(app.config["SMS_RETRY_DELAYS"]) + 1
        assert sms.failed_messages() == [message]


def test_permanent_error_fails_at_once(app):
    app.extensions["onetrip_sms_backend"] = [FlakyBackend(failures=1, permanent=True)]
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.FAILED


def test_a_message_claimed_by_another_sender_is_not_sent_twice(app):
    backend = FlakyBackend(failures=0)
    app.extensions["onetrip_sms_backend"] = [backend]
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE, send_now=False)
        message.status = SmsStatus.SENDING
        message.claimed_at = utcnow()
        db.session.commit()
        assert sms.send_due() == (0, 0, 0)
        # A sender that died mid-send leaves a stale claim; it is picked up again.
        message.claimed_at = utcnow() - timedelta(minutes=10)
        db.session.commit()
        assert sms.send_due() == (1, 0, 0)
    assert len(backend.sent) == 1


def test_send_due_command(app, runner):
    with app.app_context():
        sms.queue("+8613812345678", *NOTICE, send_now=False)
    result = runner.invoke(args=["sms", "send-due"])
    assert result.exit_code == 0
    assert "sent 1, still queued 0, failed 0" in result.output
    result = runner.invoke(args=["sms", "worker", "--once"])
    assert result.exit_code == 0


def test_dev_sms_page_shows_messages(app, client):
    with app.app_context():
        sms.queue("+8613812345678", *NOTICE)
    page = client.get("/dev/sms").get_data(as_text=True)
    assert NOTICE_TEXT in page


def test_dev_sms_page_does_not_exist_in_production(production):
    assert production().test_client().get("/dev/sms", headers={"Host": "touzi.example.gov.cn"}).status_code == 404


def test_unknown_backend_is_a_clear_error(app):
    from app.sms.providers import make_chain

    with pytest.raises(RuntimeError, match=r"Unknown SMS backend.*pigeon"):
        make_chain({**app.config, "SMS_BACKEND": "pigeon"})
    with pytest.raises(RuntimeError, match=r"Unknown SMS backend.*pigeon"):
        make_chain({**app.config, "SMS_BACKENDS": ["console", "pigeon"]})
