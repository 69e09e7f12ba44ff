"""Sending SMS in background workers (RQ) when REDIS_URL is set, so a web
request never waits for the provider. Without Redis, messages are sent in
the request as before. Either way the outbox row is written first, so a
worker killed mid-send loses nothing: `send_due` picks the message up again."""

import logging

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

log = logging.getLogger(__name__)
QUEUE = "sms"
_app = {}  # the worker process's application, made once per process


def worker_app():
    """The application inside an RQ worker process (jobs run outside any request)."""
    if "app" not in _app:
        from app import create_app  # the factory imports this package: only load it in workers

        _app["app"] = create_app()
    return _app["app"]


def background_enabled():
    return bool(current_app.config.get("REDIS_URL")) and current_app.config.get("SMS_ASYNC", True)


def redis_connection(url=None):
    return Redis.from_url(url or current_app.config["REDIS_URL"])


def enqueue(job, message_id):
    """Hand a message to the workers; False when Redis cannot take it (then the caller sends)."""
    try:
        Queue(QUEUE, connection=redis_connection()).enqueue(job, message_id, job_timeout=60)
    except RedisError as exc:
        log.warning("could not queue SMS %s in Redis (%s); sending in the request", message_id, exc)
        return False
    return True
