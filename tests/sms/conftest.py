"""SMS providers as the tests use them: the real SDKs against local stubs, and
a template file whose templates carry every provider's code (as a district's
would once the providers approved them)."""

import pytest

from tests.support.aliyun_stub import AliyunSmsStub
from tests.support.sms import approved_codes
from tests.support.tencent_stub import TencentSmsStub
from tests.support.twilio_stub import TwilioStub

TWILIO_SID = "AC" + "0" * 32
ALIYUN_KEY_ID = "LTAI5tStubAccessKey"
TENCENT_SECRET_ID = "AKIDStubSecretId"
TENCENT_APP_ID = "1400000001"


@pytest.fixture
def coded_templates(app, tmp_path):
    path = tmp_path / "sms_templates.yaml"
    raw = approved_codes(path)
    saved = app.config["SMS_TEMPLATES_FILE"]
    app.config["SMS_TEMPLATES_FILE"] = str(path)
    yield {key: t["codes"] for key, t in raw["templates"].items()}
    app.config["SMS_TEMPLATES_FILE"] = saved


@pytest.fixture
def providers(app, coded_templates):
    """`providers("aliyun", "twilio")` points the app at fresh stubs, tried in that order."""
    stubs, saved = {}, {}

    def configure(**values):
        for key in values:
            saved.setdefault(key, app.config.get(key))
        app.config.update(values)

    def use(*names):
        for name in names:
            if name == "aliyun":
                stubs[name] = AliyunSmsStub().start()
                configure(ALIYUN_SMS_ACCESS_KEY_ID=ALIYUN_KEY_ID, ALIYUN_SMS_ENDPOINT=stubs[name].url,
                          ALIYUN_SMS_ACCESS_KEY_SECRET=stubs[name].access_key_secret)
            elif name == "tencent":
                stubs[name] = TencentSmsStub().start()
                configure(TENCENT_SMS_SECRET_ID=TENCENT_SECRET_ID, TENCENT_SMS_SECRET_KEY=stubs[name].secret_key,
                          TENCENT_SMS_SDK_APP_ID=TENCENT_APP_ID, TENCENT_SMS_ENDPOINT=stubs[name].url)
            elif name == "twilio":
                stubs[name] = TwilioStub().start()
                configure(TWILIO_ACCOUNT_SID=TWILIO_SID, TWILIO_AUTH_TOKEN="stub-token",
                          TWILIO_FROM="+15005550006", TWILIO_API_BASE_URL=stubs[name].url)
        configure(SMS_BACKEND=names[0], SMS_BACKENDS=list(names))
        app.extensions.pop("onetrip_sms_backend", None)
        return stubs

    yield use
    app.config.update(saved)
    app.extensions.pop("onetrip_sms_backend", None)
    for stub in stubs.values():
        stub.stop()
