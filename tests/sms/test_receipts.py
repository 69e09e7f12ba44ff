"""Delivery receipts: each provider's report marks a message delivered or not, and
a report nobody can vouch for is refused and changes nothing."""

import pytest
from twilio.request_validator import RequestValidator

from app.extensions import db
from app.sms import service as sms
from app.sms.models import Delivery, SmsMessage
from tests.support.sms import NOTICE

CALLBACK = "http://localhost/sms/receipts/twilio"  # PUBLIC_BASE_URL in the tests
SECRET = "receipts-3f9c2a"
PROVIDER_ADDRESS = "100.104.7.20"


def _sent_through(providers, app, name):
    providers(name)
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        return message.id, message.provider_message_id


def _delivery(app, message_id):
    with app.app_context():
        message = db.session.get(SmsMessage, message_id)
        return message.delivery, message.delivery_detail


TOKEN = "stub-token"  # the fixture's TWILIO_AUTH_TOKEN


def _twilio_post(app, form, token=TOKEN):
    signature = RequestValidator(token).compute_signature(CALLBACK, form)
    return app.test_client().post("/sms/receipts/twilio", data=form, headers={"X-Twilio-Signature": signature})


def test_a_signed_twilio_callback_marks_the_message_delivered(providers, app):
    message_id, sid = _sent_through(providers, app, "twilio")
    response = _twilio_post(app, {"MessageSid": sid, "MessageStatus": "delivered", "To": "+8613812345678"})
    assert response.status_code == 204
    assert _delivery(app, message_id) == (Delivery.DELIVERED, None)


def test_an_undelivered_twilio_report_keeps_the_error_code(providers, app):
    message_id, sid = _sent_through(providers, app, "twilio")
    _twilio_post(app, {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30003"})
    assert _delivery(app, message_id) == (Delivery.UNDELIVERED, "Twilio error 30003")


@pytest.mark.parametrize("forgery", ["wrong token", "no signature", "changed after signing"])
def test_a_forged_twilio_callback_is_refused_and_changes_nothing(providers, app, forgery):
    message_id, sid = _sent_through(providers, app, "twilio")
    form = {"MessageSid": sid, "MessageStatus": "delivered"}
    client = app.test_client()
    if forgery == "wrong token":
        response = _twilio_post(app, form, token="guessed")
    elif forgery == "no signature":
        response = client.post("/sms/receipts/twilio", data=form)
    else:
        signature = RequestValidator(TOKEN).compute_signature(CALLBACK, {**form, "MessageStatus": "failed"})
        response = client.post("/sms/receipts/twilio", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert _delivery(app, message_id) == (None, None)


@pytest.fixture
def pushes(app):
    saved = app.config["SMS_RECEIPT_SECRET"], app.config["SMS_RECEIPT_ALLOWED_IPS"]
    app.config.update(SMS_RECEIPT_SECRET=SECRET, SMS_RECEIPT_ALLOWED_IPS=("100.104.0.0/16",))

    def push(provider, reports, secret=SECRET, address=PROVIDER_ADDRESS):
        return app.test_client().post(f"/sms/receipts/{provider}/{secret}", json=reports,
                                      environ_base={"REMOTE_ADDR": address})

    yield push
    app.config.update(SMS_RECEIPT_SECRET=saved[0], SMS_RECEIPT_ALLOWED_IPS=saved[1])


def test_alibaba_clouds_report_push(providers, app, pushes):
    message_id, biz_id = _sent_through(providers, app, "aliyun")
    response = pushes("aliyun", [{"phone_number": "13812345678", "success": True, "biz_id": biz_id,
                                  "err_code": "DELIVERED", "err_msg": "用户接收成功",
                                  "send_time": "2026-12-03 10:00:00", "report_time": "2026-12-03 10:00:05"}])
    assert response.status_code == 200 and response.get_json() == {"code": 0, "msg": "成功"}
    assert _delivery(app, message_id) == (Delivery.DELIVERED, None)


def test_tencent_clouds_status_callback(providers, app, pushes):
    message_id, serial_no = _sent_through(providers, app, "tencent")
    response = pushes("tencent", [{"sid": serial_no, "mobile": "13812345678", "nationcode": "86",
                                   "report_status": "FAIL", "errmsg": "MK:0001", "description": "用户关机"}])
    assert response.status_code == 200 and response.get_json() == {"result": 0, "errmsg": "OK"}
    assert _delivery(app, message_id) == (Delivery.UNDELIVERED, "MK:0001: 用户关机")


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
@pytest.mark.parametrize("where", [{"secret": "guessed"}, {"address": "203.0.113.9"}])
def test_a_push_on_a_wrong_path_or_from_elsewhere_is_refused(providers, app, pushes, provider, where):
    message_id, provider_id = _sent_through(providers, app, provider)
    report = {"biz_id": provider_id, "success": True} if provider == "aliyun" else \
        {"sid": provider_id, "report_status": "SUCCESS"}
    assert pushes(provider, [report], **where).status_code == 403
    assert _delivery(app, message_id) == (None, None)


def test_pushes_are_refused_until_a_secret_is_configured(providers, app):
    _sent_through(providers, app, "aliyun")
    response = app.test_client().post("/sms/receipts/aliyun/None", json=[], environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 403


def test_the_applicant_and_the_officer_see_that_the_sms_arrived(app, case, providers, pushes, officer, login_as):
    providers("aliyun")
    app_id = case("accepted")
    with app.app_context():
        accepted = next(m for m in sms.messages_with_key_prefix(f"application:{app_id}:")
                        if m.template_key.startswith("case_accepted"))
    pushes("aliyun", [{"biz_id": accepted.provider_message_id, "success": True}])
    applicant = login_as()  # the case's owner
    status = " ".join(applicant.get(f"/applications/{app_id}").get_data(as_text=True).split())
    assert "短信通知" in status and "短信已送达" in status
    timeline = officer.get(f"/review/cases/{app_id}").get_data(as_text=True)
    assert 'data-state="delivered"' in timeline and "短信已送达" in timeline
