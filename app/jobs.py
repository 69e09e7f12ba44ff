"""Background jobs (RQ) when REDIS_URL is set: SMS sending and packet building
run in `flask worker`, so web requests never wait for them. Without Redis the
callers do the work in the request, as before."""

import logging
import os

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.job import Job

log = logging.getLogger(__name__)
QUEUES = ("sms", "packets", "lifecycle")
_app = {}  # the worker process's application, made once per process


def worker_app():
    """The application inside an RQ worker process (jobs run outside any request).

    RQ forks a process per job. A forked child must not use the database
    connections it inherited from its parent (two processes on one socket
    corrupt both), so the first job in a new process drops them."""
    if "app" not in _app:
        from app import create_app  # the factory imports the packages that import this module

        use_app(create_app())
    if _app["pid"] != os.getpid():
        from app.extensions import db

        with _app["app"].app_context():
            db.engine.dispose(close=False)
        _app["pid"] = os.getpid()
    return _app["app"]


def use_app(app):
    """The worker process's application (set by `flask worker` before jobs fork)."""
    _app["app"], _app["pid"] = app, os.getpid()


def background_enabled():
    return bool(current_app.config.get("REDIS_URL")) and current_app.config.get("BACKGROUND_JOBS", True)


def redis_connection(url=None):
    return Redis.from_url(url or current_app.config["REDIS_URL"])


PENDING = {"queued", "started", "scheduled", "deferred"}


def enqueue(queue, job, *args, job_id=None):
    """Hand work to the workers; False when Redis cannot take it (then the caller does it).
    With a job_id, a job already waiting or running under that id is not queued again."""
    try:
        connection = redis_connection()
        if job_id:
            existing = Job.fetch(job_id, connection=connection) if Job.exists(job_id, connection=connection) \
                else None
            status = existing.get_status(refresh=True) if existing is not None else None
            if getattr(status, "value", status) in PENDING:
                return True
        Queue(queue, connection=connection).enqueue(job, *args, job_id=job_id, job_timeout=120)
    except RedisError as exc:
        log.warning("could not queue %s job in Redis (%s); doing it in the request", queue, exc)
        return False
    return True
