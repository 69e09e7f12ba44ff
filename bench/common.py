"""Shared pieces of the benchmarks: a prepared database, a gunicorn server on
127.0.0.1, a signed-in HTTP client, and percentile summaries.

Everything runs on this machine only and stops by itself."""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CODE_RE = re.compile(r"(\+\d+)</td>\s*<td[^>]*>[^<]*验证码是(\d{6})")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(database_url=None, **extra):
    """Environment for the app under test: its own database and relaxed per-address
    sign-in limits (every simulated applicant comes from 127.0.0.1)."""
    workdir = Path(tempfile.mkdtemp(prefix="onetrip-bench-"))
    env = {
        **os.environ,
        "APP_ENV": "development",
        "SECRET_KEY": "bench-secret-key-0123456789abcdef",
        "DATABASE_URL": database_url or os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3",
        "SIGNIN_IP_LIMIT": "100000 per minute",
        "SIGNIN_VERIFY_IP_LIMIT": "100000 per minute",
        "FLASK_APP": "wsgi",
        **extra,
    }
    return env, workdir


def flask(env, *args):
    subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ensure_database(url):
    """A PostgreSQL bench database is made if this machine has none yet (SQLite makes its own file)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).scalar():
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def prepare_database(env, reset=True):
    ensure_database(env["DATABASE_URL"])
    if reset and env["DATABASE_URL"].startswith("postgresql"):
        flask(env, "db", "downgrade", "base")
    flask(env, "db", "upgrade")
    flask(env, "specs", "publish", "forms_spec/enterprise_investment.yaml")


@contextmanager
def gunicorn(env, workers=4, threads=1):
    port = free_port()
    cmd = [str(VENV_BIN / "gunicorn"), "-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{port}",
           "--log-level", "warning", "wsgi:app"]
    # Logs go to a file: an undrained pipe fills up and then blocks every worker.
    log = open(Path(tempfile.gettempdir()) / f"onetrip-gunicorn-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(base + "/livez", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start; see {log.name}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class Response:
    def __init__(self, status_code, headers, text):
        self.status_code, self.headers, self.text = status_code, headers, text


class Client:
    """One simulated person: a small HTTP/1.1 client (http.client, its own cookie)
    that posts forms with their CSRF token. Lighter than requests, so that on a
    2-core machine the load generator leaves the CPU to the server under test."""

    def __init__(self, base, timings=None):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.base = base
        self.cookies = {}
        self.timings = timings if timings is not None else {}
        self.token = None

    def request(self, method, path, body=None, content_type=None):
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            data = raw.read()
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return Response(raw.status, {k.title(): v for k, v in raw.getheaders()}, data)
        finally:
            conn.close()

    def _time(self, label, method, path, body=None, content_type=None):
        start = time.perf_counter()
        response = self.request(method, path, body, content_type)
        self.timings.setdefault(label, []).append((time.perf_counter() - start) * 1000)
        if response.status_code >= 400 and response.status_code != 422:
            raise RuntimeError(f"{method} {path} → {response.status_code}")
        return response

    def get(self, path, label=None):
        response = self._time(label or f"GET {path}", "GET", path)
        response.text = response.text.decode("utf-8", "replace")
        match = CSRF_RE.search(response.text)
        if match:
            self.token = match.group(1)
        return response

    def post(self, path, data=None, label=None, files=None):
        fields = {**(data or {}), "csrf_token": self.token}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), None
        return self._time(label or f"POST {path}", "POST", path, body, content_type)

    def sign_in(self, phone):
        self.get("/auth/sign-in", "sign-in page")
        self.post("/auth/sign-in", {"phone": phone}, "sign-in post")
        code = None
        for _ in range(100):
            page = self.request("GET", "/dev/sms").text.decode()
            codes = [c for p, c in CODE_RE.findall(page) if p == phone]
            if codes:
                code = codes[0]
                break
            time.sleep(0.1)
        self.get("/auth/verify", "verify page")
        response = self.post("/auth/verify", {"code": code}, "verify post")
        if "/auth/profile" in response.headers.get("Location", ""):
            self.get("/auth/profile", "profile page")
            profile = {"display_name": "压测用户", "enterprise_name": "压测企业有限公司"}
            self.post("/auth/profile", profile, "profile post")


def multipart(fields, files):
    """Encode form fields and {name: (filename, bytes, content type)} as multipart/form-data."""
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, ctype) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f"Content-Type: {ctype}\r\n\r\n".encode() + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def run_threads(target, count):
    """Run target(i) for i in range(count) in threads; return the seconds it took."""
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started


def percentiles(samples):
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)

    def pct(p):
        return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 1)

    return {"n": len(ordered), "p50": pct(50), "p95": pct(95), "p99": pct(99),
            "mean": round(statistics.fmean(ordered), 1)}
