"""Sealing and checking work from a thread that runs an event loop (an async
server worker; Playwright's sync API keeps one on the tests' main thread):
pyHanko's blocking calls would otherwise refuse with `asyncio.run() cannot be
called from a running event loop`."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from app.seals import service as seals
from tests.support.files import PLAIN_PDF


def test_sealing_and_checking_inside_a_running_event_loop(app):
    async def inside_a_loop():
        with app.app_context():
            sealed = seals.seal(PLAIN_PDF, 0, (50, 50, 150, 150), reason="测试")
            return seals.examine_pdf(sealed).state

    # On a thread of its own: the tests' main thread may hold Playwright's loop already.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result() == "sealed"
