"""SMS providers. Each sends one message or raises SmsSendError; the outbox
tries them in the configured order (SMS_BACKENDS), moving on after a transient
failure. `make_chain` builds them once per app."""

from dataclasses import dataclass

from app.sms.catalog import Template


class SmsSendError(Exception):
    """Sending failed. `permanent` means no provider can help (a bad number, a
    template the provider refused); otherwise the next provider, or a later
    retry, may succeed."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent


class NotConfigured(Exception):
    """This provider cannot send this message (no template code for it): skip it."""


@dataclass(frozen=True)
class Outgoing:
    """One message as the providers need it: the rendered text for free-text
    providers, the template and its parameter values for template-only ones."""

    recipient: str  # E.164, e.g. +8613812345678
    text: str  # with the signature, as it reaches the phone
    template: Template | None  # None only for messages queued before templates existed
    params: dict

    def code_for(self, provider):
        code = self.template.code_for(provider) if self.template else None
        if not code:
            what = self.template.key if self.template else "a free-text message"
            raise NotConfigured(f"no {provider} template code for {what}")
        return code


def backend_classes():
    from app.sms.providers.aliyun_sms import AliyunBackend
    from app.sms.providers.console import ConsoleBackend
    from app.sms.providers.tencent_sms import TencentBackend
    from app.sms.providers.twilio_sms import TwilioBackend

    return {b.name: b for b in (ConsoleBackend, TwilioBackend, AliyunBackend, TencentBackend)}


def configured_names(config):
    """The providers to try, in order: SMS_BACKENDS if set, else SMS_BACKEND."""
    names = config.get("SMS_BACKENDS") or [config["SMS_BACKEND"]]
    return [n.strip().lower() for n in names if n.strip()]


def make_chain(config):
    classes = backend_classes()
    names = configured_names(config)
    unknown = [n for n in names if n not in classes]
    if unknown or not names:
        raise RuntimeError(f"Unknown SMS backend {unknown or names!r}; choose from {sorted(classes)}")
    return [classes[name](config) for name in names]


def sign_name(config):
    """The registered signature without its brackets: 【最多跑一次】 → 最多跑一次."""
    return config["SMS_SIGNATURE"].strip().strip("【】")


def national_or_international(e164):
    """Alibaba Cloud's number format: mainland numbers without +86, others with
    their country code and no plus."""
    return e164[3:] if e164.startswith("+86") else e164.lstrip("+")
