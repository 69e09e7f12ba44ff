"""A local stand-in for Tencent Cloud SMS (SendSms, API version 2021-01-11), for tests.

It answers the real tencentcloud-sdk-python-sms SDK as the service would: it checks the
TC3-HMAC-SHA256 signature of every request, records it, and can be told to fail.
"""

import datetime as dt
import hashlib
import hmac
import itertools
import json
import uuid

from tests.support.stub_server import JsonStub

STUB_SECRET = "stub-secret"  # the SecretKey the stub checks signatures with unless told another
_ALGORITHM = "TC3-HMAC-SHA256"
_SERVICE = "sms"
_MESSAGES = {
    "AuthFailure.SignatureFailure": "The provided credentials could not be validated. "
                                    "Please check your signature is correct.",
    "LimitExceeded.PhoneNumberDailyLimit": "单个手机号日下发短信条数超过设定的上限",
    "LimitExceeded.PhoneNumberThirtySecondLimit": "单个手机号30秒内下发短信条数超过设定的上限",
    "FailedOperation.InsufficientBalanceInSmsPackage": "套餐包余量不足",
    "InvalidParameterValue.IncorrectPhoneNumber": "手机号格式错误",
    "InvalidParameterValue.TemplateParameterFormatError": "验证码模板参数格式错误",
    "InternalError": "An internal error has occurred. Retry your request.",
}


def _hmac(key, message):
    return hmac.new(key, message.encode(), hashlib.sha256)


def _signature_valid(method, path, headers, body, secret):
    algorithm, _, rest = headers.get("Authorization", "").partition(" ")
    fields = dict(part.strip().partition("=")[::2] for part in rest.split(",") if "=" in part)
    scope = fields.get("Credential", "").split("/")  # <SecretId>/<date>/<service>/tc3_request
    if algorithm != _ALGORITHM or len(scope) != 4 or scope[2:] != [_SERVICE, "tc3_request"]:
        return False
    date = scope[1]
    try:
        timestamp = int(headers.get("X-TC-Timestamp", ""))
    except ValueError:
        return False
    # The scope's date must be the UTC date of the signed timestamp, as the service requires
    if dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d") != date:
        return False
    signed = fields.get("SignedHeaders", "")
    # Values as the SDK signs them: trimmed, not lowercased
    canonical_headers = "".join(f"{name}:{(headers.get(name) or '').strip()}\n" for name in signed.split(";"))
    # POST has no canonical query; the payload hash is over the body actually received
    canonical = "\n".join([method, path.partition("?")[0] or "/", path.partition("?")[2], canonical_headers, signed,
                           hashlib.sha256(body).hexdigest()])
    scope_string = f"{date}/{_SERVICE}/tc3_request"
    to_sign = f"{_ALGORITHM}\n{timestamp}\n{scope_string}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = _hmac(_hmac(_hmac(("TC3" + secret).encode(), date).digest(), _SERVICE).digest(), "tc3_request").digest()
    return hmac.compare_digest(_hmac(key, to_sign).hexdigest(), fields.get("Signature", ""))


def _e164(number):
    return number if number.startswith("+") else f"+86{number}"


class TencentSmsStub(JsonStub):
    def __init__(self, host="127.0.0.1", port=0, secret_key=STUB_SECRET):
        super().__init__(host, port)
        self.secret_key = secret_key
        self.fail_with = None  # an HTTP status to answer with, or None
        self.error_code = None  # an API Error Code (e.g. "LimitExceeded.PhoneNumberDailyLimit"), HTTP 200
        # A per-number Code for every SendStatusSet entry (e.g. "InvalidParameterValue.IncorrectPhoneNumber"), HTTP 200
        self.status_code = None
        self._ids = itertools.count(1)

    def answer(self, request, body):
        valid = _signature_valid(request.command, request.path, request.headers, body, self.secret_key)
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            params = None
        credential = request.headers.get("Authorization", "").partition("Credential=")[2]
        request_id = str(uuid.uuid4())
        numbers = [_e164(str(n)) for n in (params or {}).get("PhoneNumberSet") or []]
        with self._lock:
            # The service authenticates before anything else, so a bad signature wins over set failures
            if not valid:
                kind, failed = "error", "AuthFailure.SignatureFailure"
            elif self.fail_with:
                kind, failed = "http", self.fail_with
            elif self.error_code:
                kind, failed = "error", self.error_code
            elif self.status_code:
                kind, failed = "status", self.status_code
            else:
                kind, failed = "ok", None
            serials = [f"2640:{next(self._ids):030d}" for _ in numbers]
            self.requests.append({
                "path": request.path,
                "action": request.headers.get("X-TC-Action"),
                "version": request.headers.get("X-TC-Version"),
                "region": request.headers.get("X-TC-Region"),
                "secret_id": credential.partition("/")[0] or None,
                "authorization": request.headers.get("Authorization"),
                "signature_valid": valid,
                "params": params,
                "failed": failed,
                "serial_nos": serials if kind == "ok" else [],
            })
        status = 200
        if kind == "http":
            status = failed
            answer = {"Error": {"Code": "InternalError", "Message": _MESSAGES["InternalError"]}}
        elif kind == "error":
            answer = {"Error": {"Code": failed, "Message": _MESSAGES.get(failed, "stub failure")}}
        else:
            ok = kind == "ok"
            # A per-number failure carries no serial and costs nothing, as the service answers it
            answer = {"SendStatusSet": [
                {"SerialNo": serial if ok else "", "PhoneNumber": number, "Fee": 1 if ok else 0,
                 "SessionContext": (params or {}).get("SessionContext") or "",
                 "Code": "Ok" if ok else failed,
                 "Message": "send success" if ok else _MESSAGES.get(failed, "stub failure"),
                 "IsoCode": "CN" if number.startswith("+86") else ""}
                for serial, number in zip(serials, numbers, strict=True)
            ]}
        answer["RequestId"] = request_id
        return status, {"Response": answer}


if __name__ == "__main__":
    TencentSmsStub(port=8767).serve_by_hand(f"Tencent SMS (secret {STUB_SECRET!r})")
