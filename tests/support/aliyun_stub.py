"""A local stand-in for Alibaba Cloud SMS (Dysmsapi SendSms, API version 2017-05-25), for tests.

It answers the real alibabacloud_dysmsapi20170525 SDK as the service would: it checks the
ACS3-HMAC-SHA256 signature of every request, records it, and can be told to fail.
"""

import hashlib
import hmac
import itertools
import json
import uuid
from urllib.parse import parse_qsl, quote, urlsplit

from tests.support.stub_server import JsonStub

STUB_SECRET = "stub-secret"  # the AccessKey secret the stub checks signatures with unless told another
_ALGORITHM = "ACS3-HMAC-SHA256"
# The error Code answered with a `fail_with` status; other statuses get the 5xx one
_HTTP_ERRORS = {400: "InvalidParameter", 403: "Forbidden.RAM", 404: "InvalidAction.NotFound", 429: "Throttling.User"}
_MESSAGES = {
    "isv.BUSINESS_LIMIT_CONTROL": "触发小时级流控Permits:5",
    "isv.MOBILE_NUMBER_ILLEGAL": "非法手机号",
    "isv.AMOUNT_NOT_ENOUGH": "账户余额不足",
    "isv.SMS_TEMPLATE_ILLEGAL": "模板不合法(不存在或被拉黑)",
    "isv.SMS_SIGNATURE_ILLEGAL": "签名不合法(不存在或被拉黑)",
}


def _authorization_fields(header):
    """`ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..` as (algorithm, {field: value})."""
    algorithm, _, rest = header.partition(" ")
    fields = dict(part.strip().partition("=")[::2] for part in rest.split(",") if "=" in part)
    return algorithm, fields


def _signature_valid(method, target, headers, body, secret):
    algorithm, fields = _authorization_fields(headers.get("Authorization", ""))
    if algorithm != _ALGORITHM or not {"Credential", "SignedHeaders", "Signature"} <= fields.keys():
        return False
    url = urlsplit(target)
    # The SDK signs the decoded values re-encoded RFC 3986 style (space as %20), sorted by name
    query = sorted(parse_qsl(url.query, keep_blank_values=True))
    canonical_query = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in query)
    signed = fields["SignedHeaders"].split(";")
    canonical_headers = "".join(
        f"{name}:{','.join(sorted(v.strip() for v in headers.get_all(name, [])))}\n" for name in signed
    )
    # Hash the body actually received, so a tampered body or a false x-acs-content-sha256 fails
    payload = hashlib.sha256(body).hexdigest()
    canonical = "\n".join([method, url.path or "/", canonical_query, canonical_headers, fields["SignedHeaders"],
                           payload])
    to_sign = f"{_ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    expected = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["Signature"])


class AliyunSmsStub(JsonStub):
    content_type = "application/json;charset=utf-8"

    def __init__(self, host="127.0.0.1", port=0, access_key_secret=STUB_SECRET):
        super().__init__(host, port)
        self.access_key_secret = access_key_secret
        self.fail_with = None  # an HTTP status to answer with the service's error JSON, or None
        self.error_code = None  # a business error Code (e.g. "isv.BUSINESS_LIMIT_CONTROL") answered with HTTP 200
        self._ids = itertools.count(1)

    def answer(self, request, body):
        valid = _signature_valid(request.command, request.path, request.headers, body, self.access_key_secret)
        params = dict(parse_qsl(urlsplit(request.path).query, keep_blank_values=True))
        try:
            template_param = json.loads(params["TemplateParam"]) if "TemplateParam" in params else None
        except ValueError:
            template_param = None
        _, fields = _authorization_fields(request.headers.get("Authorization", ""))
        request_id = str(uuid.uuid4()).upper()
        with self._lock:
            # The service authenticates before anything else, so a bad signature wins over set failures
            if not valid:
                kind, failed = "signature", "SignatureDoesNotMatch"
            elif self.fail_with:
                kind, failed = "http", self.fail_with
            elif self.error_code:
                kind, failed = "business", self.error_code
            else:
                kind, failed = "ok", None
            biz_id = f"{900000000000000000 + next(self._ids)}^0"
            self.requests.append({
                "path": urlsplit(request.path).path,
                "action": request.headers.get("x-acs-action"),
                "version": request.headers.get("x-acs-version"),
                "access_key_id": fields.get("Credential"),
                "authorization": request.headers.get("Authorization"),
                "signature_valid": valid,
                "params": params,
                "template_param": template_param,
                "failed": failed,
                "biz_id": biz_id if kind == "ok" else None,
            })
        status = 200
        if kind == "signature":
            status = 400
            answer = {"Code": "SignatureDoesNotMatch",
                      "Message": "Specified signature is not matched with our calculation."}
        elif kind == "http":
            status = failed
            answer = {"Code": _HTTP_ERRORS.get(failed, "ServiceUnavailable"), "Message": "stub failure"}
        elif kind == "business":
            # The service answers business errors with HTTP 200; only the Code tells
            answer = {"Code": failed, "Message": _MESSAGES.get(failed, "stub failure")}
        else:
            answer = {"Code": "OK", "Message": "OK", "BizId": biz_id}
        answer["RequestId"] = request_id
        return status, answer


if __name__ == "__main__":
    AliyunSmsStub(port=8766).serve_by_hand(f"Aliyun SMS (secret {STUB_SECRET!r})")
