"""Tencent Cloud SMS through the official SDK, against a local stub of SendSms 2021-01-11."""

from sqlalchemy import select

from app.extensions import db
from app.sms import service as sms
from app.sms.models import SmsMessage, SmsStatus
from tests.sms.conftest import TENCENT_APP_ID, TENCENT_SECRET_ID
from tests.support.sms import NOTICE


def test_a_notice_goes_out_with_its_parameters_in_order(providers, coded_templates, app):
    tencent = providers("tencent")["tencent"]
    with app.app_context():
        message = sms.queue("+8613812345678", "courier_dispatched",
                            {"tracking": "EA123", "carrier": "中国邮政EMS", "project": "年产5万台电机项目",
                             "reference": "XS-2026-000001"})
        assert (message.status, message.provider) == (SmsStatus.SENT, "tencent")
        serial_no = message.provider_message_id
    request = tencent.requests[0]
    assert request["action"] == "SendSms" and request["version"] == "2021-01-11"
    assert request["region"] == "ap-guangzhou"
    assert request["authorization"].startswith(f"TC3-HMAC-SHA256 Credential={TENCENT_SECRET_ID}/")
    assert "/sms/tc3_request, SignedHeaders=content-type;host, Signature=" in request["authorization"]
    assert request["signature_valid"]
    body = request["params"]
    assert body["PhoneNumberSet"] == ["+8613812345678"]
    assert body["SmsSdkAppId"] == TENCENT_APP_ID
    assert body["SignName"] == "最多跑一次"
    assert body["TemplateId"] == coded_templates["courier_dispatched"]["tencent"]
    # By position, in the order the placeholders stand in the text ({1} project, {2} reference, …),
    # whatever order the caller passed them in.
    assert body["TemplateParamSet"] == ["年产5万台电机项目", "XS-2026-000001", "中国邮政EMS", "EA123"]
    assert serial_no == tencent.requests[0]["serial_nos"][0]


def test_the_sign_in_code(providers, coded_templates, browser, app):
    tencent = providers("tencent")["tencent"]
    browser.submit("/auth/sign-in", {"phone": "138 1234 5678"})
    body = tencent.requests[0]["params"]
    assert body["TemplateId"] == coded_templates["sign_in_code"]["tencent"]
    code, minutes = body["TemplateParamSet"]
    assert code.isdigit() and len(code) == 6 and minutes.isdigit()
    with app.app_context():
        assert db.session.scalar(select(SmsMessage)).provider == "tencent"


def test_a_number_the_provider_refuses_fails_with_its_reason(providers, app):
    tencent = providers("tencent")["tencent"]
    tencent.status_code = "InvalidParameterValue.IncorrectPhoneNumber"
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.FAILED
        assert "InvalidParameterValue.IncorrectPhoneNumber" in message.last_error


def test_a_template_without_a_tencent_code_is_a_clear_failure(providers, app, tmp_path):
    providers("tencent")
    app.config["SMS_TEMPLATES_FILE"] = None  # the shipped file: no provider codes yet
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.FAILED
        assert "no tencent template code for case_accepted" in message.last_error
