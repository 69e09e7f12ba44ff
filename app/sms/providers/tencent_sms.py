"""Tencent Cloud SMS (SendSms 2021-01-11) through the official SDK: an approved
template id, the registered signature and the parameters by position."""

from urllib.parse import urlsplit

from app.sms.providers import SmsSendError, sign_name

# This message can never be sent as it is: failed, with the reason. Anything
# else (LimitExceeded.*, InternalError.*, AuthFailure.*, balance, network) is
# the provider's state, and the next provider or a later retry may send it.
PERMANENT_PREFIXES = ("InvalidParameterValue.", "UnsupportedOperation.")
PERMANENT = {
    "FailedOperation.TemplateIncorrectOrUnapproved", "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.PhoneNumberInBlacklist", "FailedOperation.ContainSensitiveWord",
    "FailedOperation.TemplateParamSetNotMatchApprovedTemplate", "FailedOperation.PhoneNumberParseFail",
    "MissingParameter.EmptyPhoneNumberSet",
}


def _permanent(code):
    return code in PERMANENT or code.startswith(PERMANENT_PREFIXES)


class TencentBackend:
    name = "tencent"

    def __init__(self, config):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111.sms_client import SmsClient

        secret_id, secret_key = config["TENCENT_SMS_SECRET_ID"], config["TENCENT_SMS_SECRET_KEY"]
        self.app_id = config["TENCENT_SMS_SDK_APP_ID"]
        if not (secret_id and secret_key and self.app_id):
            raise RuntimeError("SMS backend tencent needs TENCENT_SMS_SECRET_ID, TENCENT_SMS_SECRET_KEY "
                               "and TENCENT_SMS_SDK_APP_ID")
        endpoint = urlsplit(config["TENCENT_SMS_ENDPOINT"] or "https://sms.tencentcloudapi.com")
        profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint.netloc, protocol=endpoint.scheme,
                                                        reqTimeout=config["SMS_SEND_TIMEOUT"]))
        self.client = SmsClient(credential.Credential(secret_id, secret_key), config["TENCENT_SMS_REGION"], profile)
        self.sign_name = config["TENCENT_SMS_SIGN_NAME"] or sign_name(config)

    def send(self, message):
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111.models import SendSmsRequest

        request = SendSmsRequest()
        request.PhoneNumberSet = [message.recipient]
        request.SmsSdkAppId = self.app_id
        request.SignName = self.sign_name
        request.TemplateId = message.code_for(self.name)
        request.TemplateParamSet = [message.params[name] for name in message.template.param_names]
        try:
            status = self.client.SendSms(request).SendStatusSet[0]
        except TencentCloudSDKException as exc:
            code = exc.get_code() or ""
            raise SmsSendError(f"Tencent {code}: {exc.get_message()}", permanent=_permanent(code)) from exc
        except Exception as exc:  # requests errors the SDK lets through
            raise SmsSendError(f"Tencent unreachable: {exc.__class__.__name__}: {exc}") from exc
        if status.Code != "Ok":
            raise SmsSendError(f"Tencent {status.Code}: {status.Message}", permanent=_permanent(status.Code))
        return status.SerialNo
