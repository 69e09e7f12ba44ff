"""The app served over real HTTP in a thread, for tests where requests must
really run at the same time (races that the test client would serialise)."""

import re
import threading
from contextlib import contextmanager

import requests
from werkzeug.serving import make_server

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@contextmanager
def served(app):
    """Yields the base URL of `app` served by a threaded server."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class Visitor:
    """One browser: its own cookies, and the CSRF token of the last page it opened."""

    def __init__(self, base, cookies=None):
        self.base, self.session = base, requests.Session()
        if cookies:
            self.session.cookies.update(cookies)
        self.token = None

    def open(self, path):
        html = self.session.get(self.base + path, timeout=30).text
        self.token = CSRF_RE.search(html).group(1)
        return html

    def post(self, path, data):
        return self.session.post(self.base + path, data={**data, "csrf_token": self.token},
                                 allow_redirects=False, timeout=30)


def at_once(calls):
    """Run each of `calls` in a thread of its own, all released together; returns their results in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i):
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
