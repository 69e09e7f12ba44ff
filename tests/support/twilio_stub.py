"""A local stand-in for Twilio's REST API, for tests and the load benchmark.

It speaks just enough of `POST /2010-04-01/Accounts/{sid}/Messages.json` for
the real twilio SDK, records every request, and can be told to fail.
"""

import base64
import itertools
from urllib.parse import parse_qs

from tests.support.stub_server import JsonStub


class TwilioStub(JsonStub):
    def __init__(self, host="127.0.0.1", port=0):
        super().__init__(host, port)
        self.fail_with = None  # an HTTP status to answer with, or None for success
        self._ids = itertools.count(1)

    def answer(self, request, body):
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        auth = request.headers.get("Authorization", "")
        user = base64.b64decode(auth[6:]).decode().split(":", 1) if auth.startswith("Basic ") else None
        with self._lock:
            self.requests.append({"path": request.path, "auth": user, "form": form, "failed": self.fail_with})
            status = self.fail_with
            sid = f"SM{next(self._ids):032d}"
        if status:
            return status, {"code": 20500, "message": "stub failure", "status": status}
        return 201, {"sid": sid, "status": "queued", "to": form.get("To"), "body": form.get("Body")}


if __name__ == "__main__":
    TwilioStub(port=8765).serve_by_hand("Twilio")
