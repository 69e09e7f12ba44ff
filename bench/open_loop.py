"""Open-loop load for bench/wizard.py --rate: wizard requests arrive as a Poisson
process at R per second offered, whatever the server's speed, each taken by
one of many signed-in applicants who is not waiting for a page (so each person
pauses between steps: with P applicants, one page every P / R seconds each).

A request's latency is measured from its *scheduled* arrival, not from when a
free client thread sent it, so a server (or a load generator) that falls
behind shows up in the figures instead of slowing the offered load down (no
coordinated omission). The achieved rate is reported beside the offered one.
"""

import queue as queue_module
import random
import re
import threading
import time

from bench.common import Client
from tests.support.answers import domestic_steps
from tests.support.files import PDF

APP_RE = re.compile(r"/applications/(\d+)/steps/")
MATERIAL_RE = re.compile(r'action="/applications/\d+/materials/([a-z_]+)"')


class Applicant:
    """One signed-in person walking the wizard, one request per arrival:
    new application → (step GET, step POST)… → materials page, uploads → check → submit → again."""

    def __init__(self, client):
        self.client, self.steps = client, domestic_steps()
        self.plan = []  # what the next arrivals do: (label, function)
        self.busy = False

    def next_request(self):
        if not self.plan:
            self.plan = [("new application", self._new)]
        return self.plan.pop(0)

    def _new(self, label):
        response = self.client.post("/applications/new", label=label)
        self.app_id = APP_RE.search(response.headers["Location"])[1]
        self._step_at(response.headers["Location"])

    def _step_at(self, url):
        if "/steps/" in url:
            self.plan = [("step GET", lambda label: self.client.get(url, label)),
                         ("step POST", lambda label: self._post_step(url, label))]
        else:
            self.plan = [("materials page", self._materials)]

    def _post_step(self, url, label):
        step_id = url.split("/steps/")[1].split("?")[0]
        response = self.client.post(url, {**self.steps[step_id], "action": "next"}, label=label)
        if response.status_code != 302:
            raise RuntimeError(f"step {step_id} refused: {response.status_code}")
        self._step_at(response.headers["Location"])

    def _materials(self, label):
        page = self.client.get(f"/applications/{self.app_id}/materials", label)
        self.plan = [("material upload", lambda lb, m=m: self.client.post(
            f"/applications/{self.app_id}/materials/{m}", label=lb,
            files={"file": (f"{m}.pdf", PDF, "application/pdf")})) for m in sorted(set(MATERIAL_RE.findall(
                page.text)))]
        self.plan += [("check page", lambda lb: self.client.get(f"/applications/{self.app_id}/check", lb)),
                      ("submit", self._submit)]

    def _submit(self, label):
        response = self.client.post(f"/applications/{self.app_id}/submit", label=label)
        if response.status_code != 302:
            raise RuntimeError(f"submit refused: {response.status_code}")
        self.plan = []


def sign_in_all(base, count, offset=0, threads=8, seed=2):
    """`count` signed-in applicants, each already somewhere in a filing (a new
    one, then 0–7 steps done, half with the next step open): the measured
    window starts with people spread over the wizard, as on a working day, not
    all at its first page. Sign-in and this walk are outside the measured window."""
    people, lock, index = [], threading.Lock(), iter(range(count))
    rng = random.Random(seed)

    def work():
        while True:
            with lock:
                # Half of them have the step open (their next request is its POST).
                i, steps_done, opened = next(index, None), rng.randrange(0, 8), rng.randrange(0, 2)
            if i is None:
                return
            client = Client(base, {})
            client.sign_in(f"+86137{offset + i:08d}")
            person = Applicant(client)
            for _ in range(1 + 2 * steps_done + opened):
                label, act = person.next_request()
                act(label)
            with lock:
                people.append(person)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return people


def run_at_rate(people, rate, seconds, threads=64, seed=1):
    """Offer `rate` requests/second for `seconds`; returns (latencies by label in ms,
    requests completed, elapsed seconds, errors, arrivals no applicant was free for)."""
    rng = random.Random(seed)
    timings, errors, lock = {}, [], threading.Lock()
    idle = queue_module.SimpleQueue()
    for person in people:
        idle.put(person)
    work = queue_module.SimpleQueue()
    done = {"n": 0, "starved": 0}

    def worker():
        while True:
            item = work.get()
            if item is None:
                return
            scheduled, person = item
            label, act = person.next_request()
            own = {}
            person.client.timings = own
            try:
                act(label)
            except Exception as exc:  # a failed request is reported, not hidden
                with lock:
                    errors.append(repr(exc))
                person.plan = []
            finished = time.perf_counter()
            with lock:
                # From the scheduled arrival: time waiting for a free thread counts.
                timings.setdefault(label, []).append((finished - scheduled) * 1000)
                done["n"] += 1
            idle.put(person)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    start = time.perf_counter()
    at = start
    end = start + seconds
    while True:
        at += rng.expovariate(rate)
        if at >= end:
            break
        delay = at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            person = idle.get_nowait()
        except queue_module.Empty:
            done["starved"] += 1  # every applicant is waiting for a page: more people are needed
            continue
        work.put((at, person))
    for _ in pool:
        work.put(None)
    for thread in pool:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - start
    return timings, done["n"], elapsed, errors, done["starved"]
