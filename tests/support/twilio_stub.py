"""A local stand-in for Twilio's REST API, for tests and the load benchmark.

It speaks just enough of `POST /2010-04-01/Accounts/{sid}/Messages.json` for
the real twilio SDK, records every request, and can be told to fail.
"""

import base64
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class TwilioStub:
    def __init__(self, host="127.0.0.1", port=0):
        self.requests = []
        self.fail_with = None  # an HTTP status to answer with, or None for success
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                auth = self.headers.get("Authorization", "")
                user = None
                if auth.startswith("Basic "):
                    user = base64.b64decode(auth[6:]).decode().split(":", 1)
                with stub._lock:
                    stub.requests.append({"path": self.path, "auth": user, "form": form, "failed": stub.fail_with})
                    status = stub.fail_with
                    sid = f"SM{next(stub._ids):032d}"
                if status:
                    body = {"code": 20500, "message": "stub failure", "status": status}
                else:
                    status = 201
                    body = {"sid": sid, "status": "queued", "to": form.get("To"), "body": form.get("Body")}
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def delivered(self):
        return [r for r in self.requests if not r["failed"]]


if __name__ == "__main__":  # `python tests/support/twilio_stub.py` for trying the backend by hand
    stub = TwilioStub(port=8765).start()
    print(f"Twilio stub on {stub.url}; Ctrl-C to stop")
    threading.Event().wait()
