"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`. Every value can be
overridden by the environment (GUNICORN_CMD_ARGS or the variables below)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # a packet with large uploads takes a few seconds
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a guard against slow leaks), but not often: a
# young worker spends CPU copying the memory it inherited as it touches it. At
# 2,000 requests (about a minute per worker at 150 requests/s) recycling cost
# about a fifth of the CPU under load (docs/performance.md).
max_requests = 20000
max_requests_jitter = 2000
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the app logs one JSON line per request itself (app/web/security.py)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")

# The app is loaded once in the master and the workers are forked from it, so
# the compiled spec and templates (app/warmup.py) are shared, and a recycled
# worker starts warm instead of spending a second of CPU on its first request.
preload_app = True


def when_ready(server):
    """In the master, after loading the app and before forking workers."""
    from app.extensions import db
    from app.warmup import warm_up

    app = server.app.wsgi()
    warm_up(app)
    with app.app_context():
        db.engine.dispose()  # workers open their own connections; none may be inherited


def post_worker_init(worker):
    """Where preloading is turned off (preload_app = False), each worker warms itself."""
    if worker.cfg.preload_app:
        return  # the master did it before forking (when_ready)
    from app.warmup import warm_up

    warm_up(worker.wsgi)


def pre_fork(server, worker):
    """In the master, before each worker is forked: the objects loaded so far
    (the app, the compiled spec, the templates) are moved out of the garbage
    collector's sight. A worker's collections then neither scan them nor touch
    their memory pages, which stay shared with the master instead of being
    copied into every worker (Python's gc.freeze documentation)."""
    import gc

    gc.freeze()
