"""Working days in mainland China, for review deadlines and statistics.

Public holidays and the adjusted working weekends (调休) come from the
`chinese-calendar` package. For a year that package does not cover yet, the
week is Monday to Friday. Either way, the admin-maintained file
forms_spec/calendar/holidays.yaml wins: its `holidays` are days off and its `workdays`
are days worked, whatever the package or the weekday says.

Datetimes are naive UTC, as stored (see app.clock); a day is a day in China.
"""

import datetime as dt
from pathlib import Path

import chinese_calendar
import yaml

from app.clock import CHINA

__all__ = ["CHINA", "HOLIDAYS_FILE", "HolidaysFileInvalid", "add_months", "add_working_days", "china_date",
           "is_workday", "latest_day_months_before", "latest_day_working_days_before", "start_of_day_utc",
           "working_days_between"]

HOLIDAYS_FILE = Path(__file__).resolve().parents[1] / "forms_spec" / "calendar" / "holidays.yaml"

_NO_OVERRIDES = (frozenset(), frozenset())
_cache = {"key": None, "overrides": _NO_OVERRIDES}


class HolidaysFileInvalid(ValueError):
    """holidays.yaml is there but cannot be trusted: better loud than wrong deadlines."""


# --- The admin's file ------------------------------------------------------

def _parse_days(data, key, path):
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise HolidaysFileInvalid(f"{path}: `{key}` must be a list of dates like \"2031-01-01\"")
    days = set()
    for entry in entries:
        if isinstance(entry, dt.datetime):
            raise HolidaysFileInvalid(f"{path}: `{key}` entry {entry!r} is a time, not a date")
        if isinstance(entry, dt.date):  # unquoted 2031-01-01: YAML already made it a date
            days.add(entry)
            continue
        try:
            days.add(dt.date.fromisoformat(str(entry).strip()))
        except ValueError:
            raise HolidaysFileInvalid(f"{path}: `{key}` entry {entry!r} is not a date like \"2031-01-01\"") from None
    return frozenset(days)


def _load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data is None:
        return _NO_OVERRIDES
    if not isinstance(data, dict):
        raise HolidaysFileInvalid(f"{path}: expected the keys `holidays` and `workdays`")
    unknown = set(data) - {"holidays", "workdays"}
    if unknown:
        raise HolidaysFileInvalid(f"{path}: unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    holidays, workdays = _parse_days(data, "holidays", path), _parse_days(data, "workdays", path)
    both = holidays & workdays
    if both:
        raise HolidaysFileInvalid(f"{path}: listed both as holiday and as workday: "
                                  f"{', '.join(d.isoformat() for d in sorted(both))}")
    return holidays, workdays


def _overrides():
    """(holidays, workdays) from HOLIDAYS_FILE; read again only when the file changes."""
    path = Path(HOLIDAYS_FILE)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return _NO_OVERRIDES
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if _cache["key"] != key:
        _cache["overrides"] = _load(path)
        _cache["key"] = key
    return _cache["overrides"]


# --- Days ------------------------------------------------------------------

def china_date(when):
    """The day in China: naive datetimes are UTC; a plain date is already a day in China."""
    if isinstance(when, dt.datetime):
        aware = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        return aware.astimezone(CHINA).date()
    if isinstance(when, dt.date):
        return when
    raise TypeError(f"expected a date or datetime, got {type(when).__name__}")


def _is_workday(day, overrides):
    holidays, workdays = overrides
    if day in holidays:
        return False
    if day in workdays:
        return True
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package has no data for yet
        return day.weekday() < 5


def is_workday(day: dt.date) -> bool:
    """Whether government offices work on this day."""
    return _is_workday(china_date(day), _overrides())


_years = {}  # year → (the overrides it was counted with, cumulative workdays by day of year)


def _cumulative(year, overrides):
    """counts[i] = working days from 1 January up to and including day i (0-based) of `year`."""
    cached = _years.get(year)
    if cached is None or cached[0] is not overrides:
        counts, total, day = [], 0, dt.date(year, 1, 1)
        while day.year == year:
            total += _is_workday(day, overrides)
            counts.append(total)
            day += dt.timedelta(days=1)
        cached = _years[year] = (overrides, counts)
    return cached[1]


def working_days_between(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> int:
    """Working days after start's day, up to and including end's day (0 if end's day is not later).

    Counted from per-year running totals, so a queue page with cases months
    old costs a few lookups per case, not a walk over every day."""
    first, last = china_date(start), china_date(end)
    if last <= first:
        return 0
    overrides = _overrides()
    total = 0
    for year in range(first.year, last.year + 1):
        counts = _cumulative(year, overrides)
        upto = counts[last.timetuple().tm_yday - 1] if year == last.year else counts[-1]
        before = counts[first.timetuple().tm_yday - 1] if year == first.year else 0
        total += upto - before
    return total


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The day n working days after start (before it for negative n; start itself for 0)."""
    day = china_date(start)
    overrides = _overrides()
    step = dt.timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        remaining -= _is_workday(day, overrides)
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later; the month's last day when it is shorter
    (filed on 31 August, 18 months later is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


# --- Bounds for SQL: the same rules as a date each row is compared with -----

def start_of_day_utc(day: dt.date) -> dt.datetime:
    """The naive UTC instant at which `day` begins in China: `stored < start_of_day_utc(d + 1 day)`
    selects, in SQL, what happened on or before d in China."""
    return dt.datetime.combine(day, dt.time(), tzinfo=CHINA).astimezone(dt.UTC).replace(tzinfo=None)


def latest_day_working_days_before(today: dt.date, n: int) -> dt.date:
    """The latest day d with working_days_between(d, today) >= n: every earlier day has
    at least as many (the count only grows into the past)."""
    if n <= 0:
        return today
    overrides, day, found = _overrides(), today, 0
    while True:  # (d, today] holds n working days once d is just before the n-th one back
        found += _is_workday(day, overrides)
        if found == n:
            return day - dt.timedelta(days=1)
        day -= dt.timedelta(days=1)


def latest_day_months_before(today: dt.date, months: int) -> dt.date:
    """The latest day d with add_months(d, months) <= today (month ends make it a few
    days later than add_months(today, -months) at most)."""
    day = add_months(today, -months)
    while add_months(day + dt.timedelta(days=1), months) <= today:
        day += dt.timedelta(days=1)
    return day
