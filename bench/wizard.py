"""Wizard throughput: simulated applicants walk the whole wizard over HTTP
against the app served by gunicorn; a trivial route of the same app is the floor.

    .venv/bin/python bench/wizard.py [--users 20] [--seconds 20] [--workers 4]
    .venv/bin/python bench/wizard.py --rate 200 --step 25 [--start-rate 100] [--applicants 400] [--seconds 20]

With --rate (open loop, bench/open_loop.py): wizard requests arrive as a Poisson
process at R per second offered, each from a signed-in applicant who is not
waiting for a page; with --step S the rate climbs S, 2S, … R and stops at the
first rate that misses. It prints each rate's step GET/POST p50/p95/p99 (from
the scheduled arrival) and the achieved rate, the /livez floor measured in the
same run, and `capacity_rps`: the highest offered rate at which step POST
p95 ≤ 50 ms, the achieved rate is ≥ 95 % of it and nothing failed. Each rate
also reports the CPU milliseconds per request of gunicorn (master and workers,
recycled ones included), of PostgreSQL and of the load generator (bench/cpu.py):
figures that drift less with the machine's other load than latencies do.

Every applicant signs in first; the measured window (the figures below) starts
when the last one has. Prints per-step p50/p95/p99 and requests/second, then one JSON line:
{"step_post_p95_ms": …, "rps": …, "floor_rps": …, …}.
Targets (2 cores, 20 users): step POST p95 ≤ 50 ms, rps ≥ 40% of floor_rps.
"""

import argparse
import json
import random
import re
import sys
import threading
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the root, not bench/ (bench/queue.py shadows `queue`)

from bench import open_loop
from bench.common import Client, bench_env, gunicorn, percentiles, prepare_database, run_threads
from bench.cpu import CpuMeter
from tests.support.answers import domestic_steps
from tests.support.files import PDF

APP_RE = re.compile(r"/applications/(\d+)/steps/")
MATERIAL_RE = re.compile(r'action="/applications/\d+/materials/([a-z_]+)"')


def pause(think_ms):
    """A person reading and typing: think_ms on average, ±50%."""
    if think_ms:
        time.sleep(think_ms / 1000 * random.uniform(0.5, 1.5))


def applicant_loop(base, index, window, timings, counters, lock, think_ms=0):
    client = Client(base, {})
    client.sign_in(f"+86139{index:08d}")
    # Everyone signs in first; the measured window starts when the last one has
    # (sign-in is one request of many in a real session, and polls /dev/sms here).
    window.ready.wait()
    client.timings = timings
    deadline = window.deadline
    if think_ms:  # independent people do not start in step with each other
        time.sleep(random.uniform(0, 2 * think_ms / 1000))
    steps = domestic_steps()
    while time.time() < deadline:
        client.get("/applications/", "my applications")
        response = client.post("/applications/new", label="new application")
        app_id = APP_RE.search(response.headers["Location"])[1]
        url = response.headers["Location"]
        while "/steps/" in url and time.time() < deadline:
            step_id = url.split("/steps/")[1].split("?")[0]
            client.get(url, "step GET")
            pause(think_ms)
            response = client.post(url, {**steps[step_id], "action": "next"}, label="step POST")
            if response.status_code != 302:
                raise RuntimeError(f"step {step_id} refused: {response.status_code}")
            url = response.headers["Location"]
        if "/steps/" in url:
            break
        page = client.get(f"/applications/{app_id}/materials", "materials page")
        for material in sorted(set(MATERIAL_RE.findall(page.text))):
            client.post(f"/applications/{app_id}/materials/{material}", label="material upload",
                        files={"file": (f"{material}.pdf", PDF, "application/pdf")})
        client.get(f"/applications/{app_id}/check", "check page")
        response = client.post(f"/applications/{app_id}/submit", label="submit")
        if response.status_code != 302:
            raise RuntimeError(f"submit refused: {response.status_code}")
        with lock:
            counters["journeys"] += 1
        pause(think_ms)


class Window:
    """The measured period: it starts once every simulated applicant has signed in."""

    def __init__(self, users, seconds):
        self.started = self.deadline = None
        self.ready = threading.Barrier(users, action=lambda: self._start(seconds))

    def _start(self, seconds):
        self.started = time.time()
        self.deadline = self.started + seconds


def run_floor(base, users, seconds, timings):
    """Requests/second of a trivial route (/livez) with the same clients; latencies go to `timings`."""
    samples = []
    lock = threading.Lock()
    deadline = time.time() + seconds

    def loop(_index):
        client, own = Client(base), {}
        client.timings = own
        while time.time() < deadline:
            client._time("floor", "GET", "/livez")
        with lock:
            samples.extend(own["floor"])

    elapsed = run_threads(loop, users)
    timings.setdefault("floor (/livez)", []).extend(samples)
    return len(samples) / elapsed


STEP_POST_P95_MS = 50  # the target at the offered rate
ACHIEVED_SHARE = 0.95


def _rate_figures(rate, timings, completed, elapsed, errors, starved):
    post, get = percentiles(timings.get("step POST", [])), percentiles(timings.get("step GET", []))
    achieved = completed / elapsed
    return {
        "offered_rps": rate, "achieved_rps": round(achieved, 1), "requests": completed, "errors": len(errors),
        "starved": starved,
        "step_post_p50_ms": post.get("p50"), "step_post_p95_ms": post.get("p95"), "step_post_p99_ms": post.get("p99"),
        "step_get_p50_ms": get.get("p50"), "step_get_p95_ms": get.get("p95"), "step_get_p99_ms": get.get("p99"),
        "meets": bool(post.get("n")) and post["p95"] <= STEP_POST_P95_MS and achieved >= ACHIEVED_SHARE * rate
        and not errors and not starved,
    }


def open_loop_main(args, env):
    """--rate: step the offered rate up to R; report each rate, the floor and capacity_rps."""
    first = args.start_rate or args.step
    rates = list(range(first, args.rate + 1, args.step)) if args.step else [args.rate]
    results = []
    with gunicorn(env, workers=args.workers) as base:
        floor_timings = {}
        floor_before = run_floor(base, 20, 5, floor_timings)
        people = open_loop.sign_in_all(base, args.applicants)
        meter = CpuMeter(base)
        for rate in rates:
            meter.start()
            run = open_loop.run_at_rate(people, rate, args.seconds)
            figures = {**_rate_figures(rate, *run), **meter.stop(run[1])}
            results.append(figures)
            print(f"offered {rate:>4} rps: achieved {figures['achieved_rps']:>6}  step POST p50/p95/p99 "
                  f"{figures['step_post_p50_ms']}/{figures['step_post_p95_ms']}/{figures['step_post_p99_ms']} ms  "
                  f"step GET p95 {figures['step_get_p95_ms']} ms  errors {figures['errors']}  "
                  f"starved {figures['starved']}  CPU ms/request gunicorn {figures['gunicorn_cpu_ms_per_request']} "
                  f"postgres {figures['postgres_cpu_ms_per_request']} "
                  f"load {figures['load_generator_cpu_ms_per_request']}  {'ok' if figures['meets'] else 'MISSES'}",
                  flush=True)
            if not figures["meets"]:
                break
        floor_after = run_floor(base, 20, 5, floor_timings)
    passing = [r["offered_rps"] for r in results if r["meets"]]
    print(json.dumps({
        "mode": "open_loop", "workers": args.workers, "applicants": args.applicants, "seconds_per_rate": args.seconds,
        "database": env["DATABASE_URL"].split(":")[0], "capacity_rps": max(passing) if passing else 0,
        "floor_rps": round((floor_before + floor_after) / 2, 1),
        "floor_rps_before_after": [round(floor_before, 1), round(floor_after, 1)],
        "floor_p95_ms": percentiles(floor_timings["floor (/livez)"]).get("p95"), "rates": results,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think-ms", type=float, default=0,
                        help="mean pause of a simulated person before each step (0 = as fast as possible)")
    parser.add_argument("--rate", type=int, default=0, help="open loop: wizard requests/second offered (up to)")
    parser.add_argument("--step", type=int, default=0, help="open loop: climb the rate by this much up to --rate")
    parser.add_argument("--start-rate", type=int, default=0,
                        help="open loop: the first rate of the climb (default: --step)")
    parser.add_argument("--applicants", type=int, default=300, help="open loop: signed-in applicants sharing the load")
    args = parser.parse_args()

    env, _ = bench_env()
    if args.rate:
        prepare_database(env)
        return open_loop_main(args, env)
    prepare_database(env)
    timings, counters, lock, errors = {}, {"journeys": 0}, threading.Lock(), []
    window = Window(args.users, args.seconds)
    with gunicorn(env, workers=args.workers) as base:
        # The floor is measured before and after the walk and averaged: on a
        # shared machine the speed drifts by tens of percent within a minute.
        floor_timings = {}
        floor_before = run_floor(base, args.users, min(args.seconds, 10) / 2, floor_timings)

        def guarded(i):
            try:
                applicant_loop(base, i, window, timings, counters, lock, args.think_ms)
            except Exception as exc:  # a failed journey is reported, not hidden
                errors.append(repr(exc))
                window.ready.abort()

        run_threads(guarded, args.users)
        elapsed = time.time() - window.started
        floor_after = run_floor(base, args.users, min(args.seconds, 10) / 2, floor_timings)
        floor_rps = (floor_before + floor_after) / 2

    total_requests = sum(len(v) for k, v in timings.items())
    wizard_requests = sum(len(v) for k, v in timings.items() if not k.startswith(("sign-in", "verify", "profile")))
    print(f"{'request':<20}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for label, samples in [*sorted(timings.items()), *floor_timings.items()]:
        s = percentiles(samples)
        print(f"{label:<20}{s['n']:>7}{s['p50']:>9}{s['p95']:>9}{s['p99']:>9}")
    rps = wizard_requests / elapsed
    step_post = percentiles(timings.get("step POST", []))
    result = {
        "users": args.users, "workers": args.workers, "think_ms": args.think_ms, "seconds": round(elapsed, 1),
        "journeys": counters["journeys"], "requests": total_requests, "errors": len(errors),
        "step_post_p50_ms": step_post.get("p50"), "step_post_p95_ms": step_post.get("p95"),
        "step_post_p99_ms": step_post.get("p99"),
        "step_get_p95_ms": percentiles(timings.get("step GET", [])).get("p95"),
        "rps": round(rps, 1), "floor_rps": round(floor_rps, 1),
        "floor_rps_before_after": [round(floor_before, 1), round(floor_after, 1)],
        "floor_p95_ms": percentiles(floor_timings["floor (/livez)"]).get("p95"),
        "rps_share_of_floor": round(rps / floor_rps, 2),
        "database": env["DATABASE_URL"].split(":")[0],
    }
    if errors:
        print("errors:", errors[:5], file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
