"""Background jobs (RQ) when REDIS_URL is set: SMS sending and packet building
run in `flask worker`, so web requests never wait for them. Without Redis the
callers do the work in the request, as before."""

import logging

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

log = logging.getLogger(__name__)
QUEUES = ("sms", "packets")
_app = {}  # the worker process's application, made once per process


def worker_app():
    """The application inside an RQ worker process (jobs run outside any request)."""
    if "app" not in _app:
        from app import create_app  # the factory imports the packages that import this module

        _app["app"] = create_app()
    return _app["app"]


def background_enabled():
    return bool(current_app.config.get("REDIS_URL")) and current_app.config.get("BACKGROUND_JOBS", True)


def redis_connection(url=None):
    return Redis.from_url(url or current_app.config["REDIS_URL"])


def enqueue(queue, job, *args, job_id=None):
    """Hand work to the workers; False when Redis cannot take it (then the caller does it)."""
    try:
        Queue(queue, connection=redis_connection()).enqueue(job, *args, job_id=job_id, job_timeout=120)
    except RedisError as exc:
        log.warning("could not queue %s job in Redis (%s); doing it in the request", queue, exc)
        return False
    return True
