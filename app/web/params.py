"""Reading query and form values that people (or probes) can craft: a value
outside its range is a 400 with a message, never a 500 from deep below."""

import datetime as dt

from flask import abort
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from app.web.errors import UserMessage

MAX_PAGE = 100_000
# Dates an officer may filter by; outside them date arithmetic overflows.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2199, 12, 31)
# Ids in URLs: the database's integer primary keys are 32-bit on PostgreSQL.
MAX_ID = 2**31 - 1


def bad_request(message):
    abort(400, description=UserMessage(message))


def page_number(value):
    """`?page=` as 1…MAX_PAGE; blank means 1."""
    if value in (None, ""):
        return 1
    if not (value.isascii() and value.isdigit() and len(value) <= 6 and 1 <= int(value) <= MAX_PAGE):
        bad_request(_("页码应为 1 到 %(max)s 之间的整数。", max=MAX_PAGE))
    return int(value)


def date_value(value):
    """`YYYY-MM-DD` between 2000 and 2199, or None when blank."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        bad_request(_("日期“%(value)s”无效，请按“年-月-日”填写，例如 2026-03-01。", value=value[:20]))
    if not EARLIEST <= day <= LATEST:
        bad_request(_("日期应在 %(first)s 至 %(last)s 之间。", first=EARLIEST.isoformat(), last=LATEST.isoformat()))
    return day


def id_value(value):
    """An id from a query string (`?a=3`), or None when it cannot be one."""
    if value and value.isascii() and value.isdigit() and len(value) <= 10 and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs, but only ids the database can hold: a larger number
    matches no route (404) instead of overflowing the database driver (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
