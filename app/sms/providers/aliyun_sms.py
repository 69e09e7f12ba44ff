"""Alibaba Cloud SMS (Dysmsapi SendSms) through the official SDK: an approved
template code, the registered signature and the parameters by name."""

import json
from urllib.parse import urlsplit

from app.sms.providers import SmsSendError, national_or_international, sign_name

# Codes that say this message can never be sent as it is (the number, the
# template, the signature or the parameters): failed, with the reason. Any other
# failure (throttling, balance, credentials, 5xx, network) is the provider's
# state, so the next provider, or a later retry, may send it.
PERMANENT = {
    "isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT", "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL", "isv.TEMPLATE_MISSING_PARAMETERS", "isv.INVALID_PARAMETERS",
    "isv.INVALID_JSON_PARAM", "isv.PARAM_LENGTH_LIMIT", "isv.PARAM_NOT_SUPPORT_URL", "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.SMS_CONTENT_ILLEGAL", "isv.SMS_SIGN_ILLEGAL", "isv.TEMPLATE_PARAMS_ILLEGAL",
}


class AliyunBackend:
    name = "aliyun"

    def __init__(self, config):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        key, secret = config["ALIYUN_SMS_ACCESS_KEY_ID"], config["ALIYUN_SMS_ACCESS_KEY_SECRET"]
        if not (key and secret):
            raise RuntimeError("SMS backend aliyun needs ALIYUN_SMS_ACCESS_KEY_ID and ALIYUN_SMS_ACCESS_KEY_SECRET")
        endpoint = urlsplit(config["ALIYUN_SMS_ENDPOINT"] or "https://dysmsapi.aliyuncs.com")
        self.client = Client(Config(access_key_id=key, access_key_secret=secret, endpoint=endpoint.netloc,
                                    protocol=endpoint.scheme.upper()))
        self.sign_name = config["ALIYUN_SMS_SIGN_NAME"] or sign_name(config)
        self.timeout_ms = int(config["SMS_SEND_TIMEOUT"] * 1000)

    def send(self, message):
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest
        from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
        from darabonba.runtime import RuntimeOptions

        request = SendSmsRequest(phone_numbers=national_or_international(message.recipient),
                                 sign_name=self.sign_name, template_code=message.code_for(self.name),
                                 template_param=json.dumps(message.params, ensure_ascii=False))
        runtime = RuntimeOptions(autoretry=False, connect_timeout=self.timeout_ms, read_timeout=self.timeout_ms)
        try:
            body = self.client.send_sms_with_options(request, runtime).body
        except ServerException as exc:
            raise SmsSendError(f"Aliyun HTTP {exc.status_code} {exc.code}: {exc.message}") from exc
        except ClientException as exc:
            raise SmsSendError(f"Aliyun HTTP {exc.status_code} {exc.code}: {exc.message}",
                               permanent=exc.code in PERMANENT) from exc
        except Exception as exc:  # the SDK wraps network errors in several types
            raise SmsSendError(f"Aliyun unreachable: {exc.__class__.__name__}: {exc}") from exc
        if body.code != "OK":
            raise SmsSendError(f"Aliyun {body.code}: {body.message}", permanent=body.code in PERMANENT)
        return body.biz_id
