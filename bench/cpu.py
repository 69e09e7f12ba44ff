"""CPU seconds spent by the server under test, read from /proc (Linux): the
gunicorn master with its workers, including workers already recycled (their
time is added to the master's children times when it reaps them), and the
PostgreSQL server's processes. Divided by the requests served, these are the
figures that do not depend on how busy the rest of the machine is."""

import contextlib
import os
import subprocess
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()


def _own_seconds(pid):
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (the children's are 13 and 14)


def gunicorn_master(base):
    """The pid of the gunicorn this process started for `base` (http://127.0.0.1:PORT)."""
    port = base.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if f"127.0.0.1:{port}" in cmdline and _stat(entry.name)[1] == str(os.getpid()):
                return int(entry.name)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    raise RuntimeError(f"no gunicorn master for {base}")


def server_seconds(master):
    """CPU seconds of the master, its live workers and every worker it has reaped."""
    fields = _stat(master)
    total = sum(int(f) for f in fields[11:15]) / TICK  # utime, stime, cutime, cstime
    for child in (Path("/proc") / str(master) / "task" / str(master) / "children").read_text().split():
        # One reaped since the list was read is in the master's children times next time.
        with contextlib.suppress(FileNotFoundError):
            total += _own_seconds(child)
    return total


def postgres_seconds():
    """CPU seconds of the processes of the user `postgres` (0 where there are none),
    with their reaped children's: a backend whose connection closed (its worker
    was recycled) is counted in the postmaster's children times."""
    found = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split()
    total = 0.0
    for pid in found:
        with contextlib.suppress(FileNotFoundError):
            total += sum(int(f) for f in _stat(pid)[11:15]) / TICK
    return total


def own_seconds():
    times = os.times()
    return times.user + times.system


class CpuMeter:
    """CPU per request of the server, the database and this load generator over a window."""

    def __init__(self, base):
        self.master = gunicorn_master(base)

    def start(self):
        self._before = (server_seconds(self.master), postgres_seconds(), own_seconds())

    def stop(self, requests):
        after = (server_seconds(self.master), postgres_seconds(), own_seconds())
        per = [round((a - b) * 1000 / max(requests, 1), 2) for a, b in zip(after, self._before, strict=True)]
        return {"gunicorn_cpu_ms_per_request": per[0], "postgres_cpu_ms_per_request": per[1],
                "load_generator_cpu_ms_per_request": per[2]}
