"""Where a wizard request spends its CPU: the whole journey in-process (no HTTP,
no other load), timed per request kind, optionally under cProfile.

    .venv/bin/python bench/profile_wizard.py [--journeys 20] [--calls] [--profile step_get|step_post|all] [--dump F]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/onetrip_bench]

Prints the mean and median CPU milliseconds per request kind; with --calls the
Python function calls per request kind (steady where times drift with the
machine); with --profile KIND the top functions for that kind and its own time
per library. This is the tool to find the next thing to speed up;
bench/wizard.py is the one that measures the target (docs/performance.md).
"""

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the root, not bench/ (bench/queue.py shadows `queue`)

from flask_migrate import downgrade, upgrade

from app import create_app
from app.publishing import service as publishing
from app.specs import service as specs
from bench.common import ensure_database
from tests.support.answers import domestic_steps
from tests.support.files import PDF

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CODE_RE = re.compile(r"验证码是(\d{6})")
MATERIAL_RE = re.compile(r'action="/applications/\d+/materials/([a-z_]+)"')


class Journey:
    def __init__(self, client, profile_kind=None):
        self.client, self.token = client, None
        self.times, self.profile_kind = {}, profile_kind
        self.profiler = cProfile.Profile()
        self.counters = {}  # kind → a profiler that only counts function calls (--calls)

    def call(self, kind, method, path, data=None):
        if data is not None and method == "POST":
            data = {**data, "csrf_token": self.token}
        profiling = kind == self.profile_kind or (self.profile_kind == "all" and not kind.startswith("floor"))
        profiler = self.profiler if profiling else self.counters.get(kind)
        start = time.process_time()
        if profiler:
            profiler.enable()
        response = self.client.open(path, method=method, data=data)
        if profiler:
            profiler.disable()
        self.times.setdefault(kind, []).append((time.process_time() - start) * 1000)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} → {response.status_code}")
        match = CSRF_RE.search(response.get_data(as_text=True))
        if match:
            self.token = match[1]
        return response

    def sign_in(self, phone):
        self.call("sign-in", "GET", "/auth/sign-in")
        self.call("sign-in", "POST", "/auth/sign-in", {"phone": phone})
        code = CODE_RE.findall(self.client.get("/dev/sms").get_data(as_text=True))[0]
        self.call("sign-in", "GET", "/auth/verify")
        response = self.call("sign-in", "POST", "/auth/verify", {"code": code})
        if "/auth/profile" in response.headers.get("Location", ""):
            self.call("sign-in", "GET", "/auth/profile")
            self.call("sign-in", "POST", "/auth/profile", {"display_name": "压测用户", "enterprise_name": "压测企业"})

    def walk(self):
        steps = domestic_steps()
        self.call("my applications", "GET", "/applications/")
        url = self.call("new application", "POST", "/applications/new", {}).headers["Location"]
        app_id = url.split("/applications/")[1].split("/")[0]
        while "/steps/" in url:
            step_id = url.split("/steps/")[1].split("?")[0]
            self.call("step_get", "GET", url)
            response = self.call("step_post", "POST", url, {**steps[step_id], "action": "next"})
            url = response.headers["Location"]
        page = self.call("materials page", "GET", f"/applications/{app_id}/materials")
        for material in sorted(set(MATERIAL_RE.findall(page.get_data(as_text=True)))):
            self.call("material upload", "POST", f"/applications/{app_id}/materials/{material}",
                      {"file": (io.BytesIO(PDF), f"{material}.pdf", "application/pdf")})
        self.call("check page", "GET", f"/applications/{app_id}/check")
        self.call("submit", "POST", f"/applications/{app_id}/submit", {})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journeys", type=int, default=20)
    parser.add_argument("--profile", help="request kind to profile, e.g. step_get, step_post, or all")
    parser.add_argument("--dump", metavar="FILE", help="with --profile: also write the profile to FILE (pstats)")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--database-url", help="profile against this database (emptied first), e.g. "
                        "postgresql+psycopg://postgres@127.0.0.1:5432/onetrip_bench; default: a new SQLite file")
    parser.add_argument("--calls", action="store_true",
                        help="count Python function calls per request kind: a steadier measure than time "
                             "on a machine whose speed varies (the times are then inflated)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="onetrip-profile-"))
    database_url = args.database_url or f"sqlite:///{workdir}/profile.sqlite3"
    ensure_database(database_url)
    app = create_app({"APP_ENV": "development", "SECRET_KEY": "profile-secret-key-0123456789abcdef",
                      "SQLALCHEMY_DATABASE_URI": database_url,
                      "UPLOAD_DIR": str(workdir / "uploads"),
                      "SIGNIN_IP_LIMIT": "100000 per minute", "SIGNIN_VERIFY_IP_LIMIT": "100000 per minute"})
    app.logger.disabled = True
    with app.app_context():
        if args.database_url:
            downgrade(revision="base")
        upgrade()
        publishing.publish_file(specs.SPEC_DIR / "enterprise_investment.yaml", app.config["SITE_LEVEL"])
    journey = Journey(app.test_client(), args.profile)
    journey.sign_in("+8613900001234")
    journey.walk()  # warm caches; not counted
    kinds = [*journey.times, "floor (/livez)"]
    journey.times.clear()
    journey.profiler = cProfile.Profile()
    if args.calls:
        journey.counters = {kind: cProfile.Profile() for kind in kinds}
    for _ in range(args.journeys):
        journey.walk()
        for _ in range(20):
            journey.call("floor (/livez)", "GET", "/livez")

    floor = statistics.fmean(journey.times["floor (/livez)"])
    print(f"{'request':<18}{'n':>6}{'mean ms':>9}{'p50 ms':>9}{'× floor':>9}")
    for kind, samples in sorted(journey.times.items()):
        mean = statistics.fmean(samples)
        print(f"{kind:<18}{len(samples):>6}{mean:>9.2f}{statistics.median(samples):>9.2f}{mean / floor:>9.1f}")
    if args.calls:
        print(f"{'request':<18}{'calls/request':>14}")
        for kind, profiler in sorted(journey.counters.items()):
            if kind not in journey.times:
                continue
            calls = sum(nc for _cc, nc, _tt, _ct, _callers in pstats.Stats(profiler).stats.values())
            print(f"{kind:<18}{calls / len(journey.times[kind]):>14.0f}")
    wizard = [t for kind, samples in journey.times.items() if kind != "floor (/livez)" for t in samples]
    print(f"wizard request mean {statistics.fmean(wizard):.2f} ms = {statistics.fmean(wizard) / floor:.1f} × floor")
    if args.profile:
        if args.dump:
            journey.profiler.dump_stats(args.dump)
        stats = pstats.Stats(journey.profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        print_by_package(stats)


def print_by_package(stats):
    """Own time per library: which layer to look at first."""
    totals = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        if "site-packages/" in filename:
            package = filename.split("site-packages/")[1].split("/")[0]
        elif filename.startswith(str(ROOT / "app")):
            package = "app/" + Path(filename).relative_to(ROOT / "app").parts[0]
        else:
            package = "stdlib/builtins"
        totals[package] = totals.get(package, 0) + tottime
    whole = sum(totals.values())
    for package, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:20]:
        print(f"{package:<40}{seconds * 1000:>9.1f} ms {seconds / whole:>6.0%}")


if __name__ == "__main__":
    main()
