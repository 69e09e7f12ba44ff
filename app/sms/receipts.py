"""Delivery receipts: the providers tell us whether a message reached the phone.

Each endpoint trusts a request only as far as it can prove where it came from:
Twilio's by its X-Twilio-Signature (the SDK's RequestValidator, over the public
address Twilio was given, never the Host header); Alibaba Cloud's and Tencent
Cloud's pushes carry no signature, so they are taken only on a secret path and
from the configured addresses. Anything else is refused with 403 and changes
nothing. No CSRF token: a provider's server posts here, not a browser.
"""

import hmac
import ipaddress
import logging

from flask import Blueprint, abort, current_app, jsonify, request

from app.extensions import csrf
from app.sms import service

log = logging.getLogger(__name__)

bp = Blueprint("sms_receipts", __name__, url_prefix="/sms/receipts")
csrf.exempt(bp)

TWILIO_DELIVERED = {"delivered", "read"}
TWILIO_UNDELIVERED = {"undelivered", "failed"}


@bp.post("/twilio")
def twilio():
    from twilio.request_validator import RequestValidator

    token = current_app.config["TWILIO_AUTH_TOKEN"]
    url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/sms/receipts/twilio"
    signature = request.headers.get("X-Twilio-Signature", "")
    if not (token and signature and RequestValidator(token).validate(url, request.form.to_dict(), signature)):
        log.warning("SMS receipt refused: bad Twilio signature from %s", request.remote_addr)
        abort(403)
    status = request.form.get("MessageStatus", "")
    if status in TWILIO_DELIVERED | TWILIO_UNDELIVERED:
        detail = request.form.get("ErrorCode") and f"Twilio error {request.form['ErrorCode']}"
        service.record_receipt("twilio", request.form.get("MessageSid"), status in TWILIO_DELIVERED, detail)
    return "", 204


def _pushed_reports(secret):
    """The JSON list a Chinese provider pushed, once its path and address check out."""
    expected = current_app.config["SMS_RECEIPT_SECRET"]
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        log.warning("SMS receipt refused: wrong path from %s", request.remote_addr)
        abort(403)
    if not _address_allowed(request.remote_addr):
        log.warning("SMS receipt refused: %s is not in SMS_RECEIPT_ALLOWED_IPS", request.remote_addr)
        abort(403)
    reports = request.get_json(silent=True)
    if isinstance(reports, dict):
        reports = [reports]
    if not isinstance(reports, list) or not all(isinstance(r, dict) for r in reports):
        abort(400)
    return reports


def _address_allowed(address):
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for network in current_app.config["SMS_RECEIPT_ALLOWED_IPS"] or ():
        try:
            if client in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            log.error("SMS_RECEIPT_ALLOWED_IPS: %r is not an address or network", network)
    return False


@bp.post("/aliyun/<secret>")
def aliyun(secret):
    # Alibaba Cloud's SmsReport push: [{"biz_id", "success", "err_code", "err_msg", …}]
    for report in _pushed_reports(secret):
        detail = None if report.get("success") else f"{report.get('err_code')}: {report.get('err_msg')}"
        service.record_receipt("aliyun", report.get("biz_id"), report.get("success") is True, detail)
    return jsonify(code=0, msg="成功")


@bp.post("/tencent/<secret>")
def tencent(secret):
    # Tencent Cloud's status callback: [{"sid", "report_status": "SUCCESS"|"FAIL", "errmsg", "description", …}]
    for report in _pushed_reports(secret):
        delivered = report.get("report_status") == "SUCCESS"
        detail = None if delivered else f"{report.get('errmsg')}: {report.get('description')}"
        service.record_receipt("tencent", report.get("sid"), delivered, detail)
    return jsonify(result=0, errmsg="OK")
