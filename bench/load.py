"""Load and faults: many applicants at once while the SMS providers are down.

    .venv/bin/python bench/load.py [--users 100] [--seconds 60] [--outage 20] [--provider aliyun|tencent]

gunicorn (4 workers) + PostgreSQL (a scratch database `onetrip_load` on the
local server, or LOAD_DATABASE_URL) + Redis (database 13) + `flask worker`, all
on 127.0.0.1. SMS go to a Chinese provider's stub first (Alibaba Cloud or
Tencent Cloud, through its SDK, as approved templates) and fall back to the
Twilio stub. Simulated applicants sign in (reading their code from the stubs'
logs, which see every request even while failing), walk the wizard (every
third applicant's projects lie beyond the district, and submitting one sends an
SMS), upload their materials, submit and download their packet, until the time
is up. The Chinese stub answers 500 for the first --outage seconds, Twilio for
the first half of it: first nothing can be sent (queued, retried), then only
the fallback can. Afterwards the outbox must drain with every SMS delivered exactly once,
by one provider. Last line: one JSON object.
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
from app.sms import catalog
from bench.common import (
    VENV_BIN,
    Client,
    bench_env,
    gunicorn,
    percentiles,
    prepare_database,
    run_threads,
)
from tests.support.aliyun_stub import AliyunSmsStub
from tests.support.answers import domestic_steps
from tests.support.files import PDF
from tests.support.sms import approved_codes
from tests.support.tencent_stub import TencentSmsStub
from tests.support.twilio_stub import TwilioStub

SID = "AC" + "1" * 32
APP_RE = re.compile(r"/applications/(\d+)/steps/")
MATERIAL_RE = re.compile(r'action="/applications/\d+/materials/([a-z_]+)"')
CODE_RE = re.compile(r"验证码是(\d{6})")
SIGNATURE = "【最多跑一次】"


class Providers:
    """The stubs the site sends through, and what reached each phone: every
    request rendered back into the text the phone shows, whichever provider
    took it, so the exactly-once count compares like with like."""

    def __init__(self, first):
        self.first = first
        self.chinese = {"aliyun": AliyunSmsStub, "tencent": TencentSmsStub}[first]().start()
        self.twilio = TwilioStub().start()
        self.templates = None

    def env(self, templates_file):
        approved_codes(templates_file)
        self.templates = catalog.load(templates_file, SIGNATURE)
        self.key_of_code = {t.code_for(self.first): t for t in self.templates.templates.values()}
        twilio = {"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": "stub-token", "TWILIO_FROM": "+15005550006",
                  "TWILIO_API_BASE_URL": self.twilio.url}
        if self.first == "aliyun":
            chinese = {"ALIYUN_SMS_ACCESS_KEY_ID": "LTAI5tLoad", "ALIYUN_SMS_ENDPOINT": self.chinese.url,
                       "ALIYUN_SMS_ACCESS_KEY_SECRET": self.chinese.access_key_secret}
        else:
            chinese = {"TENCENT_SMS_SECRET_ID": "AKIDLoad", "TENCENT_SMS_SECRET_KEY": self.chinese.secret_key,
                       "TENCENT_SMS_SDK_APP_ID": "1400000001", "TENCENT_SMS_ENDPOINT": self.chinese.url}
        return {"SMS_BACKENDS": f"{self.first},twilio", "SMS_TEMPLATES_FILE": str(templates_file),
                **twilio, **chinese}

    def outage(self, seconds):
        self.chinese.fail_with = self.twilio.fail_with = 500
        threading.Timer(seconds / 2, lambda: setattr(self.twilio, "fail_with", None)).start()
        threading.Timer(seconds, lambda: setattr(self.chinese, "fail_with", None)).start()

    def seen(self):
        """(provider, recipient, text, failed) for every request the stubs saw."""
        for r in list(self.twilio.requests):
            yield "twilio", r["form"].get("To"), r["form"].get("Body"), r["failed"]
        for r in list(self.chinese.requests):
            params = r["params"]
            if self.first == "aliyun":
                recipient, code, values = "+86" + params["PhoneNumbers"], params["TemplateCode"], r["template_param"]
            else:
                template = self.key_of_code[params["TemplateId"]]
                recipient, code = params["PhoneNumberSet"][0], params["TemplateId"]
                values = dict(zip(template.param_names, params["TemplateParamSet"], strict=True))
            yield self.first, recipient, SIGNATURE + self.key_of_code[code].render(values), r["failed"]

    def stop(self):
        self.chinese.stop()
        self.twilio.stop()


def scratch_database(base_url):
    url = make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "onetrip_load"'))
        conn.execute(text('CREATE DATABASE "onetrip_load"'))
    admin.dispose()
    return url.set(database="onetrip_load").render_as_string(hide_password=False)


class Applicant:
    def __init__(self, base, providers, phone, timings):
        self.client = Client(base, timings)
        self.providers, self.phone = providers, phone

    def sign_in(self, deadline):
        self.client.get("/auth/sign-in", "sign-in page")
        self.client.post("/auth/sign-in", {"phone": self.phone}, "sign-in post")
        code = None
        while code is None and time.time() < deadline + 60:
            for _, recipient, body, _ in self.providers.seen():  # the stubs saw it even if they answered 500
                if recipient == self.phone and CODE_RE.search(body):
                    code = CODE_RE.search(body)[1]
                    break
            else:
                time.sleep(0.2)
        self.client.get("/auth/verify", "verify page")
        response = self.client.post("/auth/verify", {"code": code}, "verify post")
        if "/auth/profile" in response.headers.get("Location", ""):
            self.client.get("/auth/profile", "profile page")
            self.client.post("/auth/profile", {"display_name": "压测", "enterprise_name": "压测企业"}, "profile post")

    def journey(self, escalated=False):
        client, steps = self.client, domestic_steps()
        steps["resources"]["eia_category"] = "none"  # fewer materials: licence and ID to upload, two deferred
        if escalated:  # beyond the district: submitted, and the applicant is told by SMS where to go
            steps["project"]["location_scope"] = "cross_city"
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
    parser.add_argument("--provider", choices=("aliyun", "tencent"), default="aliyun",
                        help="the Chinese provider tried first; Twilio is the fallback")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--job-workers", type=int, default=2, help="`flask worker` processes")
    args = parser.parse_args()

    import os

    database = scratch_database(os.environ.get("LOAD_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    redis_url = "redis://127.0.0.1:6379/13"
    Redis.from_url(redis_url).flushdb()
    providers = Providers(args.provider)
    env, workdir = bench_env(
        database, APP_ENV="production", SESSION_COOKIE_SECURE="0", REDIS_URL=redis_url,
        SMS_RETRY_DELAYS="3,6,12,24,48", PROXY_FIX_HOPS="0",
        PUBLIC_BASE_URL="http://127.0.0.1", TRUSTED_HOSTS="127.0.0.1,localhost",
    )
    env.update(providers.env(workdir / "sms_templates.yaml"))
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
        providers.outage(args.outage)
        with gunicorn(env, workers=args.workers) as base:
            deadline = time.time() + args.seconds

            def run(i):
                applicant = Applicant(base, providers, f"+86137{i:08d}", timings)
                try:
                    applicant.sign_in(deadline)
                    while time.time() < deadline:
                        applicant.journey(escalated=i % 3 == 0)  # a third of the applicants get an SMS
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
                by_provider = dict(conn.execute(text("SELECT provider, count(*) FROM sms_messages "
                                                     "WHERE status = 'sent' GROUP BY provider")).all())
            engine.dispose()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=15)
        worker_log.close()
        providers.stop()
    seen = list(providers.seen())
    delivered = collections.Counter((recipient, body) for _, recipient, body, failed in seen if not failed)
    exactly_once = all(delivered[message] == 1 for message in messages) and sum(delivered.values()) == len(messages)
    failed_requests = collections.Counter(provider for provider, *_, failed in seen if failed)
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
        "sms_sent_by_provider": by_provider, "provider_refusals_during_outage": dict(failed_requests),
        "every_sms_delivered_exactly_once": exactly_once,
    }))


if __name__ == "__main__":
    main()
