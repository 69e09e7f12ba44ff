"""Load and faults: many applicants at once while the SMS provider is down.

    .venv/bin/python bench/load.py [--users 100] [--seconds 60] [--outage 20]

gunicorn (4 workers) + PostgreSQL (a scratch database `onetrip_load` on the
local server, or LOAD_DATABASE_URL) + Redis (database 13) + `flask worker`, all
on 127.0.0.1. Simulated applicants sign in (reading their code from the
Twilio stub's log, as the stub sees every request even while failing), walk the
wizard, upload their materials, submit and download their packet, until the
time is up. The Twilio stub answers 500 to everything for the first --outage
seconds. Afterwards the outbox must drain with every SMS delivered exactly once.
Last line: one JSON object.
"""

import argparse
import collections
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

from redis import Redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.seals import devseal
from bench.common import (
    VENV_BIN,
    Client,
    bench_env,
    gunicorn,
    percentiles,
    prepare_database,
    run_threads,
)
from tests.support.answers import domestic_steps
from tests.support.files import PDF
from tests.support.twilio_stub import TwilioStub

SID = "AC" + "1" * 32
APP_RE = re.compile(r"/applications/(\d+)/steps/")
MATERIAL_RE = re.compile(r'action="/applications/\d+/materials/([a-z_]+)"')
CODE_RE = re.compile(r"验证码是(\d{6})")


def scratch_database(base_url):
    url = make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "onetrip_load"'))
        conn.execute(text('CREATE DATABASE "onetrip_load"'))
    admin.dispose()
    return url.set(database="onetrip_load").render_as_string(hide_password=False)


class Applicant:
    def __init__(self, base, stub, phone, timings):
        self.client = Client(base, timings)
        self.stub, self.phone = stub, phone

    def sign_in(self, deadline):
        self.client.get("/auth/sign-in", "sign-in page")
        self.client.post("/auth/sign-in", {"phone": self.phone}, "sign-in post")
        code = None
        while code is None and time.time() < deadline + 60:
            for request in reversed(list(self.stub.requests)):  # the stub saw it even if it answered 500
                if request["form"].get("To") == self.phone and "验证码" in request["form"].get("Body", ""):
                    code = CODE_RE.search(request["form"]["Body"])[1]
                    break
            else:
                time.sleep(0.2)
        self.client.get("/auth/verify", "verify page")
        response = self.client.post("/auth/verify", {"code": code}, "verify post")
        if "/auth/profile" in response.headers.get("Location", ""):
            self.client.get("/auth/profile", "profile page")
            self.client.post("/auth/profile", {"display_name": "压测", "enterprise_name": "压测企业"}, "profile post")

    def journey(self):
        client, steps = self.client, domestic_steps()
        steps["resources"]["eia_category"] = "none"  # fewer materials: licence and ID to upload, two deferred
        client.get("/applications/", "my applications")
        response = client.post("/applications/new", label="new application")
        url = response.headers["Location"]
        app_id = APP_RE.search(url)[1]
        while "/steps/" in url:
            step_id = url.split("/steps/")[1].split("?")[0].split("#")[0]
            client.get(url, "step GET")
            response = client.post(url, {**steps[step_id], "action": "next"}, label="step POST")
            if response.status_code != 302:
                raise RuntimeError(f"step {step_id}: {response.status_code}")
            url = response.headers["Location"]
        page = client.get(f"/applications/{app_id}/materials", "materials page")
        for material in sorted(set(MATERIAL_RE.findall(page.text))):
            if material in ("policy_declaration", "energy_commitment"):
                client.post(f"/applications/{app_id}/materials/{material}/defer", {"deferred": "1"}, "defer")
            else:
                client.post(f"/applications/{app_id}/materials/{material}", label="upload",
                            files={"file": (f"{material}.pdf", PDF, "application/pdf")})
        client.get(f"/applications/{app_id}/check", "check page")
        response = client.post(f"/applications/{app_id}/submit", label="submit")
        if response.status_code != 302:
            raise RuntimeError(f"submit: {response.status_code}")
        for _ in range(600):  # a worker builds the packet; the page says 202 until it is ready
            packet = client._time("packet", "GET", f"/applications/{app_id}/packet.zip")
            if packet.status_code != 202:
                break
            time.sleep(0.5)
        if packet.status_code != 200 or not packet.text.startswith(b"PK"):
            raise RuntimeError(f"packet: {packet.status_code}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--outage", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--job-workers", type=int, default=2, help="`flask worker` processes")
    args = parser.parse_args()

    import os

    database = scratch_database(os.environ.get("LOAD_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    redis_url = "redis://127.0.0.1:6379/13"
    Redis.from_url(redis_url).flushdb()
    stub = TwilioStub().start()
    env, workdir = bench_env(
        database, APP_ENV="production", SESSION_COOKIE_SECURE="0", REDIS_URL=redis_url, SMS_BACKEND="twilio",
        TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN="stub-token", TWILIO_FROM="+15005550006",
        TWILIO_API_BASE_URL=stub.url, SMS_RETRY_DELAYS="3,6,12,24,48", PROXY_FIX_HOPS="0",
        PUBLIC_BASE_URL="http://127.0.0.1", TRUSTED_HOSTS="127.0.0.1,localhost",
    )
    env["UPLOAD_DIR"] = str(workdir / "uploads")
    seal = devseal.make_files(workdir / "seal", "萧山区发展和改革局")  # production needs a seal: one for the run
    env.update(SEAL_KEY_PATH=str(seal["key"]), SEAL_CERT_PATH=str(seal["cert"]), SEAL_CHAIN_PATHS=str(seal["root"]))
    prepare_database(env, reset=False)
    worker_log = open(workdir / "worker.log", "wb")  # noqa: SIM115 - closed with the workers
    workers = [subprocess.Popen([str(VENV_BIN / "flask"), "worker", "--sweep-interval", "2"], env=env,
                                stdout=worker_log, stderr=subprocess.STDOUT, cwd=Path(__file__).parents[1])
               for _ in range(args.job_workers)]
    print(f"worker log: {worker_log.name}")
    timings, errors, done = {}, [], collections.Counter()
    lock = threading.Lock()
    try:
        stub.fail_with = 500
        threading.Timer(args.outage, lambda: setattr(stub, "fail_with", None)).start()
        with gunicorn(env, workers=args.workers) as base:
            deadline = time.time() + args.seconds

            def run(i):
                applicant = Applicant(base, stub, f"+86137{i:08d}", timings)
                try:
                    applicant.sign_in(deadline)
                    while time.time() < deadline:
                        applicant.journey()
                        with lock:
                            done["journeys"] += 1
                except Exception as exc:  # reported, not hidden
                    with lock:
                        errors.append(f"{applicant.phone}: {exc!r}")

            elapsed = run_threads(run, args.users)
            engine = create_engine(env["DATABASE_URL"])
            drain_deadline = time.time() + 120
            with engine.connect() as conn:
                while time.time() < drain_deadline:
                    left = conn.execute(text("SELECT count(*) FROM sms_messages WHERE status IN "
                                             "('queued', 'sending')")).scalar()
                    if not left:
                        break
                    time.sleep(1)
                cases = conn.execute(text("SELECT count(*) FROM applications WHERE reference IS NOT NULL")).scalar()
                duplicates = conn.execute(text(
                    "SELECT count(*) FROM (SELECT reference FROM applications WHERE reference IS NOT NULL "
                    "GROUP BY reference HAVING count(*) > 1) d")).scalar()
                sent = conn.execute(text("SELECT count(*) FROM sms_messages WHERE status = 'sent'")).scalar()
                failed = conn.execute(text("SELECT count(*) FROM sms_messages WHERE status = 'failed'")).scalar()
                messages = [tuple(row) for row in conn.execute(text("SELECT recipient, body FROM sms_messages"))]
            engine.dispose()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=15)
        worker_log.close()
        stub.stop()
    delivered = collections.Counter((r["form"].get("To"), r["form"].get("Body")) for r in stub.requests
                                    if not r["failed"])
    exactly_once = all(delivered[message] == 1 for message in messages) and sum(delivered.values()) == len(messages)
    failed_requests = sum(1 for r in stub.requests if r["failed"])
    all_samples = [ms for samples in timings.values() for ms in samples]
    for label, samples in sorted(timings.items()):
        s = percentiles(samples)
        print(f"{label:<18}{s['n']:>7}  p50 {s['p50']:>7} ms  p95 {s['p95']:>7} ms")
    if errors:
        print("errors (first 5):", errors[:5], file=sys.stderr)
    print(json.dumps({
        "users": args.users, "seconds": round(elapsed, 1), "journeys": done["journeys"], "errors": len(errors),
        "requests": len(all_samples), "p95_ms": percentiles(all_samples).get("p95"),
        "cases_in_db": cases, "duplicate_references": duplicates, "sms_total": len(messages), "sms_sent": sent,
        "sms_failed": failed, "sms_queued_after_recovery": len(messages) - sent - failed,
        "provider_refusals_during_outage": failed_requests, "every_sms_delivered_exactly_once": exactly_once,
    }))


if __name__ == "__main__":
    main()
