"""Twilio: free text through the twilio SDK's Messages resource, with a status
callback for delivery receipts when the site's public address is known."""

from app.sms.providers import SmsSendError


class TwilioBackend:
    name = "twilio"

    def __init__(self, config):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        sid, token = config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"]
        if not (sid and token and (config["TWILIO_FROM"] or config["TWILIO_MESSAGING_SERVICE_SID"])):
            raise RuntimeError(
                "SMS backend twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                "TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID"
            )
        self.client = Client(sid, token, http_client=TwilioHttpClient(timeout=config["SMS_SEND_TIMEOUT"]))
        if config.get("TWILIO_API_BASE_URL"):
            self.client.api.base_url = config["TWILIO_API_BASE_URL"].rstrip("/")
        self.options = {"from_": config["TWILIO_FROM"]} if config["TWILIO_FROM"] else {
            "messaging_service_sid": config["TWILIO_MESSAGING_SERVICE_SID"]
        }
        if config.get("PUBLIC_BASE_URL"):
            self.options["status_callback"] = config["PUBLIC_BASE_URL"].rstrip("/") + "/sms/receipts/twilio"

    def send(self, message):
        from requests import RequestException
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            sent = self.client.messages.create(to=message.recipient, body=message.text, **self.options)
        except TwilioRestException as exc:
            # 4xx other than 429 means the request itself is wrong: retrying repeats it.
            permanent = 400 <= exc.status < 500 and exc.status != 429
            raise SmsSendError(f"Twilio HTTP {exc.status}: {exc.msg}", permanent=permanent) from exc
        except (TwilioException, RequestException, OSError) as exc:
            raise SmsSendError(f"Twilio unreachable: {exc}") from exc
        return sent.sid
