"""One source of "now", so tests can reason about time.

Times are stored as naive UTC: SQLite has no time zones and PostgreSQL
columns stay `timestamp without time zone`, so both behave the same.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")  # the district's clock: dates printed and working days counted in it


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)
