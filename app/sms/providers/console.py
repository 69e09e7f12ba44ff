"""Development provider: writes the message to the log and calls it sent."""

import logging

log = logging.getLogger(__name__)


class ConsoleBackend:
    name = "console"

    def __init__(self, config):
        pass

    def send(self, message):
        log.warning("SMS to %s: %s", message.recipient, message.text)
        return None
