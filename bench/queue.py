"""The officers' queue at a province's scale: seeds N submitted cases, then
times over HTTP (gunicorn) the queue's first page, filtered pages, searches by
2-, 3- and 6-character fragments, by credit code and by reference, sorts,
deep pages (a counted page and a keyset page half-way down), the statistics
page, the watch list (电子监察, whole and one kind), and a streamed CSV export
of 100,000 rows while watching the gunicorn workers' memory.

    .venv/bin/python bench/queue.py --cases 1000000 [--requests 40]
    .venv/bin/python bench/queue.py --cases 20000 --database-url sqlite:///…   # the embedded default

PostgreSQL by default, in a database of its own (`onetrip_bench`, made if
missing; never the test database). Rows go in with COPY in the shape the case
factory gives (one real case made through cases.service), spread over ten
years, towns, sections, types and states, with a submission each and start
reports for most completed filings. The trigram indexes are dropped while
copying and built after (their build time is printed). Last line: one JSON
object with every p95, the export's memory, and the seeding time.
Targets on this machine: every p95 ≤ 150 ms, statistics ≤ 300 ms, memory flat.
"""

import argparse
import csv
import datetime as dt
import io
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

# This file is named like the standard library's `queue`: put the project root,
# not bench/, first on the path, so that `import queue` elsewhere gets the real one.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.common import Client, bench_env, ensure_database, flask, gunicorn, percentiles, prepare_database

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/onetrip_bench"
TOWNS = ["beigan_jiedao", "chengxiang_jiedao", "guali_zhen", "yiqiao_zhen", "ningwei_jiedao", "xintang_jiedao",
         "wenyan_jiedao", "xinjie_jiedao", "shushan_jiedao", "dangwan_zhen"]
SECTIONS = ["C", "C", "C", "I", "M", "F", "D", "E", "G", "K"]
WORDS = ["智能电机", "新能源汽车零部件", "现代物流园", "数据中心", "精密机械", "生物医药", "高性能新材料",
         "绿色食品加工", "光伏发电", "纺织印染技改", "集成电路封装", "环保装备", "冷链仓储", "文化创意园",
         "高端装备制造", "污水处理"]
PLACES = ["萧山", "瓜沥", "义桥", "宁围", "新塘", "闻堰", "党湾", "衙前", "临浦", "河上"]
STATES = (["completed"] * 880 + ["changed"] * 20 + ["cancelled"] * 10 + ["lapsed"] * 10 + ["forwarded"] * 40
          + ["not_accepted"] * 10 + ["withdrawn"] * 10 + ["recorded"] * 5 + ["submitted"] * 8 + ["accepted"] * 5
          + ["returned"] * 2)
TRGM = ("reference", "project_name", "enterprise_name", "credit_code")
OFFICER = "+8613900000001"


def _template(env):
    """One real case through the case factory: the shape every seeded row copies."""
    from app import create_app
    from app.cases.models import Application
    from tests.support.factories import make_case

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"],
                      "APP_ENV": "testing", "UPLOAD_DIR": tempfile.mkdtemp(prefix="onetrip-queue-")})
    with app.app_context():
        case = make_case("submitted")
        return {c.name: getattr(case, c.key) for c in Application.__table__.columns}


def _rows(count, shape, rng):
    """Applications, as dicts of column → value, oldest first over ten years."""
    start, span = dt.datetime(2016, 12, 1), 60 * 24 * 3650
    minutes = sorted(rng.randrange(0, span) for _ in range(count))
    numbers = {}  # year → the last reference number (XS-2026-000123: six digits a year)
    for i, minute in enumerate(minutes):
        submitted = start + dt.timedelta(minutes=minute)
        numbers[submitted.year] = numbers.get(submitted.year, 100) + 1
        status = rng.choice(STATES)
        escalated = status == "forwarded" or rng.random() < 0.05
        word, place = rng.choice(WORDS), rng.choice(PLACES)
        decided = status not in ("submitted", "withdrawn", "not_accepted", "recorded")
        accepted = submitted + dt.timedelta(days=rng.randrange(0, 3)) if decided else None
        done = status in ("completed", "changed", "cancelled", "lapsed")
        completed = accepted + dt.timedelta(days=rng.randrange(0, 4)) if done else None
        reference = f"XS-{submitted.year}-{numbers[submitted.year]:06d}"
        yield {**shape, "id": i + 2, "status": status, "reference": reference,
               "project_name": f"{place}{word}项目（{i % 5000}期）", "answers": "{}",
               "enterprise_name": f"杭州{place}{word}有限公司{i % 9973}",
               "credit_code": f"91330109MA{i:08d}"[:18], "filing_type": "approval" if escalated else "filing",
               "level": "province" if escalated else "district", "escalated": escalated,
               "industry_section": rng.choice(SECTIONS), "town": rng.choice(TOWNS), "submitted_at": submitted,
               "created_at": submitted, "updated_at": completed or accepted or submitted, "accepted_at": accepted,
               "completed_at": completed, "project_code": "2311-330109-04-01-789813" if done else None,
               "accept_working_days": rng.randrange(0, 3) if accepted else None,
               "complete_working_days": rng.randrange(1, 6) if completed else None,
               "amends_id": None, "last_step": None, "forwarded_to": "province" if status == "forwarded" else None}


def _copy(conn, table, columns, rows):
    """COPY rows (dicts) into `table` through psycopg, as CSV."""
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
        buffer, writer = io.StringIO(), None
        writer = csv.writer(buffer)
        for n, row in enumerate(rows, 1):
            writer.writerow(["\\N" if row[c] is None else row[c] for c in columns])
            if n % 20000 == 0:
                copy.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        copy.write(buffer.getvalue())


def seed(env, count):
    """Seed `count` cases; returns {phase: seconds}."""
    timings, rng = {}, random.Random(7)
    started = time.perf_counter()
    shape = _template(env)
    engine = create_engine(env["DATABASE_URL"])
    columns = [c for c in shape if c != "id"] + ["id"]
    with engine.begin() as conn:
        for column in TRGM:
            conn.execute(text(f"DROP INDEX IF EXISTS ix_applications_{column}_trgm"))
        shape["status"] = shape["status"].value
        _copy(conn, "applications", columns, _rows(count, shape, rng))
        timings["copy_applications_s"] = round(time.perf_counter() - started, 1)
        conn.execute(text(
            "INSERT INTO submissions (application_id, number, answers, outcome, materials, submitted_at) "
            "SELECT id, 1, jsonb_build_object('total_investment_wan', (1000 + id % 9000)::text || '.00'), "
            "'{}'::jsonb, '[]'::jsonb, submitted_at FROM applications WHERE id > 1"))
        conn.execute(text(
            "INSERT INTO project_reports (application_id, kind, happened_on, description, reported_at) "
            "SELECT id, 'start', (completed_at + interval '30 days')::date, '主体工程开工', completed_at "
            "FROM applications WHERE status = 'completed' AND id % 200 <> 0"))
        conn.execute(text("UPDATE applications SET started_on = (completed_at + interval '30 days')::date "
                          "WHERE status = 'completed' AND id % 200 <> 0"))
        conn.execute(text("SELECT setval(pg_get_serial_sequence('applications', 'id'), "
                          "(SELECT max(id) FROM applications))"))
        timings["copy_all_s"] = round(time.perf_counter() - started, 1)
    index_started = time.perf_counter()
    with engine.begin() as conn:
        for column in TRGM:
            conn.execute(text(f"CREATE INDEX ix_applications_{column}_trgm ON applications "
                              f"USING gin ({column} gin_trgm_ops)"))
    timings["trigram_indexes_s"] = round(time.perf_counter() - index_started, 1)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    timings["seed_total_s"] = round(time.perf_counter() - started, 1)
    engine.dispose()
    return timings


def _pids_of_workers(port):
    found = subprocess.run(["pgrep", "-f", f"gunicorn.*127.0.0.1:{port}"], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def _rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def measure_export(base, officer, path, expected_rows):
    """Stream a CSV export; (seconds, rows, peak growth of the workers' RSS in MB)."""
    port = int(base.rsplit(":", 1)[1])
    pids = _pids_of_workers(port)
    before = {pid: _rss_kb(pid) for pid in pids}
    peak = dict(before)
    done = threading.Event()

    def watch():
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], _rss_kb(pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.perf_counter()
    cookies = "; ".join(f"{k}={v}" for k, v in officer.cookies.items())
    with requests.get(base + path, headers={"Cookie": cookies}, stream=True, timeout=600) as response:
        lines = sum(chunk.count(b"\n") for chunk in response.iter_content(65536))
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()
    growth = max(peak[pid] - before[pid] for pid in pids) / 1024
    return round(elapsed, 1), lines - 1, round(growth, 1), expected_rows


def query_plans(env, cases_filter_args, after=None):
    """EXPLAIN (ANALYZE, BUFFERS) of the statements the queue runs for one page (count and rows)."""
    from sqlalchemy import event

    from app import create_app
    from app.cases import service as cases
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"],
                      "APP_ENV": "testing"})
    plans = []
    with app.app_context():
        statements = []

        def capture(conn, cursor, statement, parameters, context, executemany):
            if "FROM applications" in statement:
                statements.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", capture)
        cases.queue(cases.QueueFilter(**cases_filter_args), 1, 25, after)
        event.remove(db.engine, "before_cursor_execute", capture)
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in statements:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            raw.close()
    return plans


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page kind")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true", help="keep the cases seeded by an earlier run")
    args = parser.parse_args()

    ensure_database(args.database_url)
    env, _ = bench_env(args.database_url, QUEUE_COUNTS_SECONDS="60")
    seeded = {}
    if not args.reuse:
        prepare_database(env)
        seeded = seed(env, args.cases)
        print(f"seeded {args.cases} cases: {seeded}", flush=True)
    flask(env, "users", "grant", OFFICER, "officer")
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        middle = conn.execute(text("SELECT submitted_at, id FROM applications WHERE id > 1 "
                                   "ORDER BY submitted_at, id OFFSET :n LIMIT 1"), {"n": args.cases // 2}).one()
        sample = conn.execute(text("SELECT reference, credit_code FROM applications WHERE id = :i"),
                              {"i": args.cases // 3}).one()
        export_since = conn.execute(text(
            "SELECT submitted_at FROM applications WHERE status = 'completed' ORDER BY submitted_at DESC "
            "OFFSET 100000 LIMIT 1")).scalar()
    engine.dispose()
    since_day = (export_since + dt.timedelta(hours=8)).date().isoformat()
    cursor = f"{middle.submitted_at.isoformat()}_{middle.id}"
    kinds = {
        "first_page": "/review/",
        "filter_state_type_town": "/review/?state=completed&type=filing&town=guali_zhen",
        "filter_escalated_section": "/review/?escalated=yes&section=C&sort=-submitted",
        "filter_dates": "/review/?since=2021-03-01&until=2021-03-31",
        "search_2_chars": "/review/?" + urlencode({"q": "物流"}),
        "search_3_chars": "/review/?" + urlencode({"q": "数据中"}),
        "search_6_chars": "/review/?" + urlencode({"q": "瓜沥生物医药"}),
        "search_rare_3_chars": "/review/?" + urlencode({"q": "4321期"}),
        "search_credit_code": "/review/?" + urlencode({"q": sample.credit_code}),
        "search_reference": "/review/?" + urlencode({"q": sample.reference}),
        "sort_project": "/review/?sort=project",
        "sort_newest": "/review/?sort=-submitted",
        "deep_page_400": "/review/?page=400",
        "deep_keyset_half_way": "/review/?" + urlencode({"after": cursor}),
        "statistics": "/review/stats",
        "watch_list": "/review/watch",
        "watch_list_lapses": "/review/watch?kind=lapse",
    }
    timings = {}
    with gunicorn(env, workers=args.workers) as base:
        officer = Client(base, timings)
        officer.sign_in(OFFICER)
        for kind, path in kinds.items():
            for _ in range(2):
                officer.get(path, f"warm {kind}")
        for _ in range(args.requests):
            for kind, path in kinds.items():
                response = officer.get(path, kind)
                if response.status_code != 200:
                    raise RuntimeError(f"{kind}: {response.status_code}")
        export = measure_export(base, officer, "/review/?" + urlencode(
            {"state": "completed", "since": since_day, "format": "csv"}), 100_000)
    figures = {kind: percentiles(timings[kind]) for kind in kinds}
    if make_url(args.database_url).get_backend_name() == "postgresql":
        for title, filter_args, after in (("search, 3 characters", {"q": "数据中"}, None),
                                          ("search, 2 characters", {"q": "物流"}, None),
                                          ("deep page, keyset half-way", {}, cursor)):
            for plan in query_plans(env, filter_args, after):
                print(f"--- plan: {title}\n{plan}", flush=True)
    for kind, s in figures.items():
        print(f"{kind:<26} n={s['n']} p50={s['p50']} ms p95={s['p95']} ms p99={s['p99']} ms", flush=True)
    print(f"export: {export[1]} rows in {export[0]} s, worker RSS grew by at most {export[2]} MB")
    queue_kinds = ("first", "filter", "search", "sort", "deep")
    worst = max(s["p95"] for kind, s in figures.items() if kind.startswith(queue_kinds))
    print(json.dumps({"cases": args.cases, "database": make_url(args.database_url).get_backend_name(),
                      **{f"{kind}_p95_ms": s["p95"] for kind, s in figures.items()},
                      "worst_queue_p95_ms": worst, "export_rows": export[1], "export_seconds": export[0],
                      "export_rss_growth_mb": export[2], **seeded}))


if __name__ == "__main__":
    main()
