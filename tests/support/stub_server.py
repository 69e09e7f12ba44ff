"""What the SMS providers' local stand-ins share: an HTTP server on a free port,
in a daemon thread, that hands each POST to the stub's `answer` and writes the
JSON it returns; the requests it saw; and which of them were answered with
success."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonStub:
    content_type = "application/json"

    def __init__(self, host="127.0.0.1", port=0):
        self.requests = []  # one dict each, with at least "failed": None when it was answered with success
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = stub.answer(self, body)
                payload = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", stub.content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.endpoint = f"{host}:{self.server.server_address[1]}"  # host:port, as the SDKs' endpoint settings take it
        self.url = f"http://{self.endpoint}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, request, body):
        """(HTTP status, JSON-able answer) for one POST; `request` is the handler (headers, path, command)."""
        raise NotImplementedError

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def delivered(self):
        return [r for r in self.requests if not r["failed"]]

    def serve_by_hand(self, what):
        """For `python tests/support/<stub>.py`: try a backend against the stub by hand."""
        self.start()
        print(f"{what} stub on {self.url}; Ctrl-C to stop")
        threading.Event().wait()
