"""Falling back between providers: a transient failure moves a message on to the
next provider, a permanent refusal ends it, and nothing is ever sent twice."""

from app.sms import service as sms
from app.sms.models import SmsStatus
from tests.support.clock import make_due
from tests.support.sms import NOTICE, NOTICE_TEXT


def test_a_provider_outage_falls_back_to_the_next_exactly_once(providers, app):
    stubs = providers("aliyun", "twilio")
    stubs["aliyun"].fail_with = 500
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert (message.status, message.provider) == (SmsStatus.SENT, "twilio")
        assert "aliyun" in message.last_error and "500" in message.last_error  # the trail, for admins
    assert len(stubs["aliyun"].requests) == 1 and stubs["aliyun"].delivered == []
    assert [r["form"]["Body"] for r in stubs["twilio"].delivered] == [NOTICE_TEXT]  # free text, rendered once


def test_throttling_moves_on_to_the_next_chinese_provider(providers, app):
    stubs = providers("aliyun", "tencent", "twilio")
    stubs["aliyun"].error_code = "isv.BUSINESS_LIMIT_CONTROL"
    with app.app_context():
        assert sms.queue("+8613812345678", *NOTICE).provider == "tencent"
    assert len(stubs["tencent"].delivered) == 1 and stubs["twilio"].requests == []


def test_tencent_rate_limit_falls_back_to_twilio(providers, app):
    stubs = providers("tencent", "twilio")
    stubs["tencent"].error_code = "LimitExceeded.PhoneNumberDailyLimit"
    with app.app_context():
        assert sms.queue("+8613812345678", *NOTICE).provider == "twilio"


def test_wrong_credentials_at_one_provider_do_not_stop_the_message(providers, app):
    stubs = providers("aliyun", "tencent")
    app.config["ALIYUN_SMS_ACCESS_KEY_SECRET"] = "not-the-secret"
    app.extensions.pop("onetrip_sms_backend", None)
    with app.app_context():
        assert sms.queue("+8613812345678", *NOTICE).provider == "tencent"
    assert stubs["aliyun"].requests[0]["signature_valid"] is False


def test_a_permanent_refusal_fails_without_trying_the_others(providers, app, login_as):
    stubs = providers("aliyun", "twilio")
    stubs["aliyun"].error_code = "isv.MOBILE_NUMBER_ILLEGAL"
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.FAILED
        assert "isv.MOBILE_NUMBER_ILLEGAL" in message.last_error
    assert stubs["twilio"].requests == []
    admin = login_as("+8613900000009", role="admin")
    page = admin.get("/admin/").get_data(as_text=True)
    assert "isv.MOBILE_NUMBER_ILLEGAL" in page  # the reason, where admins look


def test_when_every_provider_is_down_it_waits_then_sends_once(providers, app, runner):
    stubs = providers("aliyun", "twilio")
    stubs["aliyun"].fail_with = 503
    stubs["twilio"].fail_with = 500
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.QUEUED and message.attempts == 1
    assert "sent 0" in runner.invoke(args=["sms", "send-due"]).output  # not due yet: back-off
    stubs["aliyun"].fail_with = stubs["twilio"].fail_with = None
    make_due(app)
    assert "sent 1" in runner.invoke(args=["sms", "send-due"]).output
    make_due(app)
    assert "sent 0" in runner.invoke(args=["sms", "send-due"]).output
    assert len(stubs["aliyun"].delivered) == 1 and stubs["twilio"].delivered == []
    with app.app_context():
        assert [m.provider for m in sms.recent_messages()] == ["aliyun"]


def test_a_provider_without_the_templates_code_is_skipped(providers, app):
    stubs = providers("aliyun", "twilio")
    app.config["SMS_TEMPLATES_FILE"] = None  # no codes: Alibaba Cloud cannot send, Twilio can
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert (message.status, message.provider) == (SmsStatus.SENT, "twilio")
    assert stubs["aliyun"].requests == []
