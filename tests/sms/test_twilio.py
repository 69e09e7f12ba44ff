"""The Twilio backend, through the real twilio SDK, against a local HTTP stub."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.sms import service as sms
from app.sms.models import SmsMessage, SmsStatus
from tests.sms.conftest import TWILIO_SID
from tests.support.clock import make_due
from tests.support.sms import NOTICE, NOTICE_TEXT

SID = TWILIO_SID


@pytest.fixture
def twilio(providers):
    return providers("twilio")["twilio"]


def test_sign_in_code_goes_through_twilio(twilio, browser, app):
    browser.submit("/auth/sign-in", {"phone": "138 1234 5678"})
    assert len(twilio.requests) == 1
    request = twilio.requests[0]
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == [SID, "stub-token"]
    assert request["form"]["To"] == "+8613812345678"
    assert request["form"]["From"] == "+15005550006"
    assert "您的登录验证码是" in request["form"]["Body"]
    assert request["form"]["StatusCallback"] == "http://localhost/sms/receipts/twilio"
    with app.app_context():
        message = db.session.scalar(select(SmsMessage))
        assert message.status == SmsStatus.SENT
        assert message.provider_message_id.startswith("SM")


def test_provider_500_leaves_the_message_queued_then_sends_once(twilio, app, runner):
    twilio.fail_with = 500
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.QUEUED
        assert "500" in message.last_error
    twilio.fail_with = None
    make_due(app)
    assert "sent 1" in runner.invoke(args=["sms", "send-due"]).output
    assert "sent 0" in runner.invoke(args=["sms", "send-due"]).output
    assert len(twilio.delivered) == 1
    assert twilio.delivered[0]["form"]["Body"] == NOTICE_TEXT


def test_network_error_leaves_the_message_queued(twilio, app):
    twilio.stop()  # nothing listens any more
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.QUEUED
        assert "unreachable" in message.last_error


def test_messaging_service_sid_instead_of_from(twilio, app):
    app.config.update(TWILIO_FROM=None, TWILIO_MESSAGING_SERVICE_SID="MG" + "1" * 32)
    with app.app_context():
        sms.queue("+8613812345678", *NOTICE)
    assert twilio.requests[0]["form"]["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in twilio.requests[0]["form"]


def test_missing_credentials_are_a_clear_error(twilio, app):
    app.config.update(TWILIO_AUTH_TOKEN=None)
    with app.app_context(), pytest.raises(RuntimeError, match="TWILIO_AUTH_TOKEN"):
        sms.queue("+8613812345678", *NOTICE)
