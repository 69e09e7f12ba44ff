"""gunicorn.conf.py as production runs it: the app preloaded and warmed in the
master, the heap frozen before each fork, workers that answer."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "gunicorn.conf.py"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings():
    namespace = {}
    exec(compile(CONFIG.read_text(), str(CONFIG), "exec"), namespace)  # noqa: S102 - the project's own file
    return namespace


def test_workers_are_recycled_rarely():
    """A recycled worker costs a few hundred ms of CPU: at 2,000 requests that
    was about a fifth of the CPU under load (docs/performance.md)."""
    settings = _settings()
    assert settings["max_requests"] >= 10_000
    assert settings["max_requests_jitter"] > 0
    assert settings["preload_app"] is True


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": "gunicorn-test-secret-0123456789abcdef",
           "DATABASE_URL": f"sqlite:///{tmp_path}/gunicorn.sqlite3", "BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": "2", "LOG_LEVEL": "info"}
    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", str(CONFIG), "wsgi:app"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}", log
        finally:
            process.terminate()
            process.wait(timeout=20)


def test_the_configured_server_starts_its_workers_and_answers(served):
    base, log = served
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/livez", timeout=1).ok:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        pytest.fail(f"gunicorn did not answer:\n{log.read_text()}")
    assert requests.get(base + "/", timeout=5).status_code == 200
    # pre_fork runs before each fork; the second worker may start after the first answers.
    while log.read_text().count("Booting worker") < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    text = log.read_text()
    assert text.count("Booting worker") == 2, text
    assert "Traceback" not in text
