"""Migrations from empty to head, down to base and up again, on the database
the suite runs against (a separate database next to it on PostgreSQL)."""

import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app


@pytest.fixture
def scratch_url(tmp_path):
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path}/migrations.sqlite3"
        return
    url = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = "onetrip_migrations_test"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _tables(url):
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_up_down_up(scratch_url):
    app = create_app({"APP_ENV": "testing", "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": scratch_url})
    with app.app_context():
        upgrade()
        first = _tables(scratch_url)
        assert {"users", "applications", "submissions", "spec_versions", "case_events", "admin_audit"} <= first
        downgrade(revision="base")
        assert _tables(scratch_url) == set()
        upgrade()
        assert _tables(scratch_url) == first
        from app.extensions import db

        db.engine.dispose()
