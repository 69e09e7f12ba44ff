"""SMS providers. A backend sends one message or raises SmsSendError."""

import logging

log = logging.getLogger(__name__)


class SmsSendError(Exception):
    """Sending failed. `permanent` means retrying cannot help (e.g. bad number)."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent


class ConsoleBackend:
    """Development backend: writes the message to the log and calls it sent."""

    name = "console"

    def __init__(self, config):
        pass

    def send(self, recipient, body):
        log.warning("SMS to %s: %s", recipient, body)
        return None


class TwilioBackend:
    """Sends through the twilio SDK's Messages resource."""

    name = "twilio"

    def __init__(self, config):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        sid, token = config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"]
        if not (sid and token and (config["TWILIO_FROM"] or config["TWILIO_MESSAGING_SERVICE_SID"])):
            raise RuntimeError(
                "SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                "TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID"
            )
        self.client = Client(sid, token, http_client=TwilioHttpClient(timeout=config["SMS_SEND_TIMEOUT"]))
        if config.get("TWILIO_API_BASE_URL"):
            self.client.api.base_url = config["TWILIO_API_BASE_URL"].rstrip("/")
        self.sender = {"from_": config["TWILIO_FROM"]} if config["TWILIO_FROM"] else {
            "messaging_service_sid": config["TWILIO_MESSAGING_SERVICE_SID"]
        }

    def send(self, recipient, body):
        from requests import RequestException
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            message = self.client.messages.create(to=recipient, body=body, **self.sender)
        except TwilioRestException as exc:
            # 4xx other than 429 means the request itself is wrong: retrying repeats it.
            permanent = 400 <= exc.status < 500 and exc.status != 429
            raise SmsSendError(f"Twilio HTTP {exc.status}: {exc.msg}", permanent=permanent) from exc
        except (TwilioException, RequestException, OSError) as exc:
            raise SmsSendError(f"Twilio unreachable: {exc}") from exc
        return message.sid


BACKENDS = {backend.name: backend for backend in (ConsoleBackend, TwilioBackend)}


def make_backend(config):
    name = config["SMS_BACKEND"]
    if name not in BACKENDS:
        raise RuntimeError(f"Unknown SMS_BACKEND {name!r}; choose one of {sorted(BACKENDS)}")
    return BACKENDS[name](config)
