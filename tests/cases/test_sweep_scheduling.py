"""The daily sweep as it runs in production: `flask lifecycle sweep` from cron,
and RQ's own cron scheduler queueing it for the worker when Redis is configured."""

import datetime as dt
import os

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app import clock, jobs
from app.cases import service as cases
from app.cases.commands import cron_scheduler
from app.cases.models import Application
from app.extensions import db
from app.sms.models import SmsMessage
from app.workdays import add_months, china_date

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def eighteen_months_on(app, case, monkeypatch):
    application_id = case("completed")
    with app.app_context():
        filed = china_date(db.session.get(Application, application_id).completed_at)
    at = dt.datetime.combine(add_months(filed, 18), dt.time(2, 0))
    monkeypatch.setattr(clock, "utcnow", lambda: at)
    return application_id


def _reminders(app):
    with app.app_context():
        return db.session.scalars(select(SmsMessage).where(SmsMessage.template_key == "start_reminder")).all()


def test_the_command_sweeps_once_however_often_cron_runs_it(app, runner, eighteen_months_on):
    first = runner.invoke(args=["lifecycle", "sweep"])
    assert first.exit_code == 0 and "start_reminder 1" in first.output, first.output
    second = runner.invoke(args=["lifecycle", "sweep"])
    assert second.exit_code == 0 and "queued nothing" in second.output
    assert len(_reminders(app)) == 1


def test_rq_cron_queues_the_sweep_and_the_worker_runs_it(app, monkeypatch, eighteen_months_on):
    connection = Redis.from_url(REDIS)
    connection.flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS)
    monkeypatch.setattr(jobs, "_app", {})
    jobs.use_app(app)
    try:
        with app.app_context():
            scheduler = cron_scheduler(jobs.redis_connection())
        (job,) = scheduler._cron_jobs
        assert job.queue_name == "lifecycle" and job.cron == app.config["LIFECYCLE_SWEEP_CRON"]
        job.next_enqueue_time = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)  # its time has come
        assert scheduler.enqueue_jobs()
        queue = Queue("lifecycle", connection=connection)
        assert queue.count == 1
        SimpleWorker([queue], connection=connection).work(burst=True)
        assert len(_reminders(app)) == 1
        queue.enqueue(cases.sweep.__module__ + ".sweep_job")  # a second run the same day sends nothing
        SimpleWorker([queue], connection=connection).work(burst=True)
        assert len(_reminders(app)) == 1
    finally:
        connection.flushdb()


def test_the_scheduler_needs_redis(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = runner.invoke(args=["lifecycle", "scheduler"])
    assert result.exit_code != 0 and "lifecycle sweep" in result.output
