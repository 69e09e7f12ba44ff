"""Alibaba Cloud SMS through the official SDK, against a local stub of Dysmsapi."""

import json

from sqlalchemy import select

from app.extensions import db
from app.sms import service as sms
from app.sms.models import SmsMessage, SmsStatus
from tests.sms.conftest import ALIYUN_KEY_ID
from tests.support.sms import NOTICE


def test_sign_in_code_goes_out_as_an_approved_template(providers, coded_templates, browser, app):
    aliyun = providers("aliyun")["aliyun"]
    browser.submit("/auth/sign-in", {"phone": "138 1234 5678"})
    assert len(aliyun.requests) == 1
    request = aliyun.requests[0]
    assert request["action"] == "SendSms" and request["version"] == "2017-05-25"
    assert request["signature_valid"] and request["access_key_id"] == ALIYUN_KEY_ID
    assert request["authorization"].startswith(f"ACS3-HMAC-SHA256 Credential={ALIYUN_KEY_ID},")
    params = request["params"]
    assert params["PhoneNumbers"] == "13812345678"  # a mainland number without +86
    assert params["SignName"] == "最多跑一次"  # the signature without its brackets
    assert params["TemplateCode"] == coded_templates["sign_in_code"]["aliyun"]
    # The parameters by name, as JSON; the words are the provider's approved template, not ours.
    assert set(request["template_param"]) == {"code", "minutes"}
    assert request["template_param"]["code"].isdigit() and len(request["template_param"]["code"]) == 6
    assert "Body" not in params and "验证码" not in json.dumps(params, ensure_ascii=False)
    with app.app_context():
        message = db.session.scalar(select(SmsMessage))
        assert (message.status, message.provider, message.template_key) == (SmsStatus.SENT, "aliyun", "sign_in_code")
        assert message.provider_message_id == aliyun.delivered[0]["biz_id"]
        assert message.params == request["template_param"]
        assert "您的登录验证码是" + request["template_param"]["code"] in message.body  # the text shown in the outbox


def test_a_long_project_name_is_shortened_to_the_providers_limit(providers, app):
    aliyun = providers("aliyun")["aliyun"]
    name = "杭州市萧山区" + "年产十万套新能源汽车动力电池精密结构件智能制造" * 5  # 121 characters
    with app.app_context():
        sms.queue("+8613812345678", "case_accepted", {"project": name, "reference": "XS-2026-000001"})
    sent = aliyun.requests[0]["template_param"]["project"]
    assert len(sent) <= 35 and sent.endswith("…") and sent.startswith("杭州市萧山区年产十万套")


def test_a_refused_number_fails_with_the_providers_reason(providers, app):
    aliyun = providers("aliyun")["aliyun"]
    aliyun.error_code = "isv.MOBILE_NUMBER_ILLEGAL"
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.FAILED
        assert "isv.MOBILE_NUMBER_ILLEGAL" in message.last_error
    assert len(aliyun.requests) == 1  # a permanent refusal is not retried
