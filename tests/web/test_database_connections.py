"""A pooled connection cut while it sat idle (a database restart, a firewall's
timeout) is replaced before a request meets it; one used a moment ago is not
pinged, which is what saves a round trip per request (extensions._ping_if_idle)."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app import extensions
from app.extensions import db


@pytest.fixture
def postgres(app):
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("only a database server's connections can be cut from outside")
    yield engine
    engine.dispose()  # the pool may still hold connections this test cut


def _pool_of_one_cut_connection(engine):
    """The pool holds one connection, and the server has ended it (what a restart
    does); no other connection to the database is touched."""
    engine.dispose()
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    other = create_engine(engine.url, poolclass=NullPool)
    with other.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()


def test_an_idle_connection_that_was_cut_is_replaced_before_the_request(postgres, client, monkeypatch):
    _pool_of_one_cut_connection(postgres)
    monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", 0)  # every connection counts as idle
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_without_the_ping_the_cut_connection_reaches_the_request(postgres, client, monkeypatch):
    """The control: the test above passes because of the ping, not by luck."""
    _pool_of_one_cut_connection(postgres)
    monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", 3600)  # just used: not pinged
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "error: OperationalError"


def test_a_connection_used_a_moment_ago_is_not_pinged(app, monkeypatch):
    pings = []
    monkeypatch.setattr(extensions, "_ping", pings.append)
    with app.app_context():
        _select_one()  # whatever the pool held before, this one was used just now
        pings.clear()
        for _ in range(3):
            _select_one()
        assert pings == []
        monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", 0)
        _select_one()
        assert len(pings) == 1


def _select_one():
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
