"""The functions every spec expression may call, by name, like fields."""

import datetime as dt
from decimal import Decimal, InvalidOperation


def blank(value):
    """No answer: None, an empty text, list or mapping."""
    return value is None or value == "" or value == [] or value == {}


def number(value):
    """A Decimal from an answer (None for blanks and non-numbers)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def total(*values):
    """Sum of the given numbers; blanks count as zero."""
    return sum((number(v) or Decimal(0) for v in values), Decimal(0))


def column_total(rows, column):
    """Sum of one column of a repeating table; blanks count as zero."""
    return total(*((row or {}).get(column) for row in (rows or [])))


def months_between(start, end):
    """Whole months from `start` to `end` (month or date values); None if either is blank."""
    if not start or not end:
        return None
    return (end.year - start.year) * 12 + (end.month - start.month)


def today():
    return dt.date.today()


def option(options, value):
    """The option of a list whose value is `value` (a mapping: `option(list, answer).level`);
    an empty mapping when there is none, so reading a key of it gives a blank."""
    for item in options or []:
        if isinstance(item, dict) and item.get("value") == value:
            return item
    return {}


FUNCTIONS = {
    "total": total,
    "column_total": column_total,
    "blank": blank,
    "months_between": months_between,
    "today": today,
    "option": option,
    "abs": abs,
    "min": min,
    "max": max,
    "round": round,
    "len": len,
    "Decimal": number,
}
