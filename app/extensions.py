"""Extension objects, created unbound and bound in create_app()."""

import sqlite3
import time

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool

# Named constraints so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys like PostgreSQL does, and let several
    worker processes share the file (WAL, wait instead of failing on a lock)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL keeps the file consistent; fsync at checkpoints
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


# A pooled connection unused for longer than this is pinged before a request gets it.
PING_AFTER_IDLE_SECONDS = 10


@event.listens_for(Pool, "checkin")
def _note_checkin(_dbapi_connection, record):
    record.info["checked_in_at"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection, record, _proxy):
    """A connection that sat idle may have been cut (a database restart, a
    firewall's timeout): it is tried first, and a dead one is replaced before
    any request sees it (the pool retries on DisconnectionError). One used a
    moment ago is not tried: `pool_pre_ping` would cost every request a round
    trip to the database, about a sixth of a wizard step's on PostgreSQL."""
    checked_in_at = record.info.get("checked_in_at")
    if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
        return
    try:
        _ping(dbapi_connection)
    except Exception as exc:  # any failure means the connection is not usable
        raise DisconnectionError(str(exc)) from exc


def _ping(dbapi_connection):
    cursor = dbapi_connection.cursor()
    cursor.execute("SELECT 1")
    cursor.close()
    dbapi_connection.rollback()  # psycopg began a transaction for it
