"""pyHanko's blocking calls (signing, validating) wrap its async core in
`asyncio.run`, which refuses to start inside a running event loop. A thread
that has one (an async server worker; Playwright's sync API in the tests)
gets the call run on a short-lived thread of its own instead."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def outside_event_loop(function, *args, **kwargs):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="seal") as pool:
        return pool.submit(function, *args, **kwargs).result()
