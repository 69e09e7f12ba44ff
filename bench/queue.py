"""The officers' queue with many cases: seeds N submitted cases, then times the
queue's first page, a filtered page and a search over HTTP (gunicorn).

    .venv/bin/python bench/queue.py [--cases 20000] [--requests 60]

Uses a fresh SQLite file, or DATABASE_URL (e.g. the local PostgreSQL). Last
line: one JSON object with queue_p95_ms, filter_p95_ms, search_p95_ms, cases.
Target: p95 ≤ 150 ms for each with 20,000 cases.
"""

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

# This file is named like the standard library's `queue`: put the project root,
# not bench/, first on the path, so that `import queue` elsewhere gets the real one.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from sqlalchemy import insert

from bench.common import Client, bench_env, flask, gunicorn, percentiles, prepare_database

TOWNS = ["beigan_jiedao", "chengxiang_jiedao", "guali_zhen", "yiqiao_zhen", "ningwei_jiedao", "xintang_jiedao"]
SECTIONS = ["C", "C", "C", "I", "M", "F", "D", "E"]
WORDS = ["智能电机", "新能源", "物流园", "数据中心", "精密机械", "生物医药", "新材料", "食品加工"]


def _url(env):
    url = env["DATABASE_URL"]
    for old in ("postgres://", "postgresql://"):
        if url.startswith(old):
            url = "postgresql+psycopg://" + url[len(old):]
    return url


def seed(env, count):
    """One real case built by the test factory (through cases.service, as the
    wizard builds it), then `count` copies of its row in bulk, varied over years,
    towns, sections, states and names: the queue reads these columns only."""
    from app import create_app
    from app.cases.models import Application
    from app.extensions import db
    from tests.support.factories import make_case

    app = create_app({"SQLALCHEMY_DATABASE_URI": _url(env), "SECRET_KEY": env["SECRET_KEY"], "APP_ENV": "testing",
                      "UPLOAD_DIR": str(Path(env["DATABASE_URL"].split("///")[-1]).parent / "uploads")
                      if env["DATABASE_URL"].startswith("sqlite") else tempfile.mkdtemp(prefix="onetrip-queue-")})
    rng = random.Random(7)
    with app.app_context():
        template = make_case("submitted")
        shape = {column.name: getattr(template, column.key) for column in Application.__table__.columns
                 if column.name not in ("id", "reference")}
        start = dt.datetime(2025, 1, 1)
        states = ["submitted"] * 5 + ["accepted"] * 3 + ["completed"] * 6 + ["returned", "forwarded", "not_accepted"]
        rows = []
        for i in range(count):
            escalated = rng.random() < 0.15
            submitted = start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 690))
            rows.append({
                **shape, "status": rng.choice(states), "reference": f"XS-{submitted.year}-{i + 100001:06d}",
                "project_name": f"{rng.choice(WORDS)}项目{i}",
                "enterprise_name": f"杭州{rng.choice(WORDS)}有限公司{i % 997}",
                "credit_code": f"91330109MA{i:07d}X"[:18], "filing_type": "approval" if escalated else "filing",
                "level": "province" if escalated else "district", "escalated": escalated,
                "industry_section": rng.choice(SECTIONS), "town": rng.choice(TOWNS), "submitted_at": submitted,
                "created_at": submitted, "updated_at": submitted,
            })
            if len(rows) == 2000:
                db.session.execute(insert(Application), rows)
                rows = []
        if rows:
            db.session.execute(insert(Application), rows)
        db.session.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page kind")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env, _ = bench_env()
    prepare_database(env)
    started = time.perf_counter()
    seed(env, args.cases)
    print(f"seeded {args.cases} cases in {time.perf_counter() - started:.1f} s ({env['DATABASE_URL'].split(':')[0]})")
    flask(env, "users", "grant", "+8613900000001", "officer")
    kinds = {
        "queue": "/review/",
        "filter": "/review/?state=submitted&type=filing&section=C&town=beigan_jiedao&sort=-submitted",
        "search": "/review/?" + urlencode({"q": "物流园项目12"}),
    }
    timings = {}
    with gunicorn(env, workers=args.workers) as base:
        officer = Client(base, timings)
        officer.sign_in("+8613900000001")
        for kind, path in kinds.items():
            officer.get(path, f"warm {kind}")
        for _ in range(args.requests):
            for kind, path in kinds.items():
                response = officer.get(path, kind)
                if response.status_code != 200 or "共" not in response.text:
                    raise RuntimeError(f"{kind}: {response.status_code}")
    for kind in kinds:
        s = percentiles(timings[kind])
        print(f"{kind:<8} n={s['n']} p50={s['p50']} ms p95={s['p95']} ms p99={s['p99']} ms")
    print(json.dumps({"cases": args.cases, "queue_p95_ms": percentiles(timings["queue"])["p95"],
                      "filter_p95_ms": percentiles(timings["filter"])["p95"],
                      "search_p95_ms": percentiles(timings["search"])["p95"],
                      "database": env["DATABASE_URL"].split(":")[0]}))


if __name__ == "__main__":
    main()
