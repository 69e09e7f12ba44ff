"""SMS through RQ workers when Redis is configured: the request does not send,
the worker does, exactly once; a dead worker's message is picked up again."""

import os
from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app import jobs
from app.clock import utcnow
from app.extensions import db
from app.sms import service as sms
from app.sms.models import SmsMessage, SmsStatus
from tests.support.sms import NOTICE

# A database of its own, emptied by the fixture (.ci/run gives each of its two concurrent passes one).
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def background(app, monkeypatch):
    Redis.from_url(REDIS).flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS)
    monkeypatch.setitem(app.config, "BACKGROUND_JOBS", True)
    monkeypatch.setattr(jobs, "_app", {})
    jobs.use_app(app)  # jobs run against the test app and database
    yield Redis.from_url(REDIS)
    Redis.from_url(REDIS).flushdb()


def _status(app):
    with app.app_context():
        return db.session.scalar(select(SmsMessage)).status


def test_the_request_queues_and_the_worker_sends(app, background):
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE)
        assert message.status == SmsStatus.QUEUED and message.attempts == 0
    queue = Queue("sms", connection=background)
    assert queue.count == 1
    SimpleWorker([queue], connection=background).work(burst=True)
    assert _status(app) == SmsStatus.SENT
    SimpleWorker([queue], connection=background).work(burst=True)  # nothing left, nothing sent twice
    with app.app_context():
        assert db.session.scalar(select(SmsMessage)).attempts == 1


def test_a_message_left_by_a_killed_worker_is_sent_by_the_sweep(app, background, runner):
    with app.app_context():
        message = sms.queue("+8613812345678", *NOTICE, send_now=False)
        message.status, message.claimed_at = SmsStatus.SENDING, utcnow() - timedelta(minutes=10)
        db.session.commit()
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert _status(app) == SmsStatus.SENT


def test_without_redis_the_request_sends(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
    monkeypatch.setitem(app.config, "BACKGROUND_JOBS", True)
    with app.app_context():
        assert sms.queue("+8613812345678", *NOTICE).status == SmsStatus.SENT


def test_worker_needs_redis(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


def test_packets_are_built_by_the_worker_and_kept(app, background, applicant, new_application, complete,
                                                  tmp_path, monkeypatch):
    from tests.support.answers import domestic_steps

    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    app_id = new_application()
    complete(applicant, app_id, domestic_steps())
    queue = Queue("packets", connection=background)
    assert queue.count == 1  # the submission asked a worker for the packet
    pending = applicant.get(f"/applications/{app_id}/packet.zip")
    assert pending.status_code == 202 and "正在生成" in pending.get_data(as_text=True)
    applicant.get(f"/applications/{app_id}/packet.zip")
    assert queue.count == 1  # asking again does not queue the same packet twice
    SimpleWorker([queue], connection=background).work(burst=True)
    ready = applicant.get(f"/applications/{app_id}/packet.zip")
    assert ready.status_code == 200 and ready.data.startswith(b"PK")
    assert list((tmp_path / "uploads" / "packets").glob("*.zip"))


def test_without_background_jobs_the_first_download_builds_and_keeps(app, applicant, new_application, complete,
                                                                   tmp_path, monkeypatch):
    from tests.support.answers import domestic_steps

    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    app_id = new_application()
    complete(applicant, app_id, domestic_steps())
    first = applicant.get(f"/applications/{app_id}/packet.zip")
    assert first.status_code == 200
    assert applicant.get(f"/applications/{app_id}/packet.zip").data == first.data
    assert len(list((tmp_path / "uploads" / "packets").glob("*.zip"))) == 1
