"""The submitted cases as a list: the officers' queue (filters, search, sort,
pages, CSV) and the rows the statistics are made from. Built for a province's
ten years (bench/queue.py seeds a million cases):

- search: a reference or a credit code is looked up exactly; three characters
  or more match anywhere in the reference, project, enterprise and credit code
  (`ILIKE`, served by pg_trgm GIN indexes on PostgreSQL, migration 0015); one
  or two characters, which trigrams cannot index, match only among the newest
  SHORT_SEARCH_WINDOW cases (the page says so);
- the total is counted up to COUNT_CAP and reads "more than" beyond it;
- deep pages are keyset pages (`after`, on the submission-time sorts), never a
  large OFFSET;
- the CSV export streams rows from the database in batches.
"""

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import load_only

from app import memo
from app.cases.models import Application, Submission
from app.cases.states import OUT_OF_QUEUE, SUBMITTED_STATES, Status
from app.clock import CHINA
from app.extensions import db

COUNT_CAP = 10_000  # counted exactly up to here; beyond, "more than 10,000"
SHORT_SEARCH_WINDOW = 100_000  # a 1–2 character search looks at the newest this many cases (a year's)
SHORT_COUNT_CAP = 1_000  # and counts its matches up to here
EXPORT_LIMIT = 1_000_000
EARLIEST = dt.datetime(1970, 1, 1)
REFERENCE_SHAPE = re.compile(r"^[A-Z]{1,8}-\d{4}-\d{6}$")
CREDIT_CODE_SHAPE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{18}$")
SORTS = {
    "submitted": Application.submitted_at.asc(),
    "-submitted": Application.submitted_at.desc(),
    "reference": Application.reference.asc(),
    "project": Application.project_name.asc(),
}
COUNTED = (Application.status.in_(SUBMITTED_STATES), Application.is_preview.is_(False))
# What a queue row shows: the index columns, never the answers (a few kilobytes of JSON per case).
LISTED = (Application.id, Application.reference, Application.project_name, Application.enterprise_name,
          Application.credit_code, Application.status, Application.filing_type, Application.level,
          Application.escalated, Application.industry_section, Application.town, Application.submitted_at,
          Application.amends_id)
EXPORTED = (*LISTED, Application.project_code)  # a spreadsheet row also has the official project code


@dataclass
class QueueFilter:
    state: str = ""
    filing_type: str = ""
    level: str = ""
    escalated: str = ""  # "", "yes", "no"
    section: str = ""
    town: str = ""
    since: object = None  # date
    until: object = None  # date
    q: str = ""
    sort: str = "submitted"


def _start_of_china_day(day, plus_days=0):
    start = dt.datetime.combine(day + dt.timedelta(days=plus_days), dt.time(), tzinfo=CHINA)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def _filtered(f, columns=LISTED):
    query = select(Application).options(load_only(*columns, raiseload=True)).where(*COUNTED)
    for column, value in ((Application.status, f.state), (Application.filing_type, f.filing_type),
                          (Application.level, f.level), (Application.industry_section, f.section),
                          (Application.town, f.town)):
        if value:
            query = query.where(column == value)
    if not f.state:
        query = query.where(Application.status.not_in(OUT_OF_QUEUE))
    if f.escalated in ("yes", "no"):
        query = query.where(Application.escalated.is_(f.escalated == "yes"))
    if f.since:
        query = query.where(Application.submitted_at >= _start_of_china_day(f.since))
    if f.until:
        query = query.where(Application.submitted_at < _start_of_china_day(f.until, plus_days=1))
    return _searched(query, f.q)


def short_search(q):
    """Whether `q` is too short for the trigram index (searched among the newest cases only)."""
    q = q.strip()
    return 0 < len(q) < 3 and not REFERENCE_SHAPE.match(q.upper())


def _searched(query, q):
    q = q.strip()[:100]
    if not q:
        return query
    if REFERENCE_SHAPE.match(q.upper()):
        return query.where(Application.reference == q.upper())
    if CREDIT_CODE_SHAPE.match(q.upper()):
        return query.where(Application.credit_code == q.upper())
    # % and _ are what the officer typed, not wildcards.
    term = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if short_search(q):
        newest = (select(Application.submitted_at).where(*COUNTED).order_by(Application.submitted_at.desc())
                  .offset(SHORT_SEARCH_WINDOW).limit(1).scalar_subquery())
        # Chinese has no case: LIKE, several times cheaper per row than ILIKE, when no Latin letter was typed.
        match = "ilike" if any(ch.isascii() and ch.isalpha() for ch in q) else "like"
        return query.where(or_(getattr(Application.project_name, match)(term, escape="\\"),
                               getattr(Application.enterprise_name, match)(term, escape="\\")),
                           # One bound the index can start from (an OR with "no such case" would scan them all).
                           Application.submitted_at > func.coalesce(newest, EARLIEST))
    return query.where(or_(*(column.ilike(term, escape="\\") for column in (
        Application.reference, Application.project_name, Application.enterprise_name, Application.credit_code))))


def _ordered(query, f):
    direction = Application.id.desc() if f.sort == "-submitted" else Application.id
    return query.order_by(SORTS.get(f.sort, SORTS["submitted"]), direction)


@dataclass
class QueuePage:
    rows: list
    total: int  # exact up to COUNT_CAP
    capped: bool  # more than COUNT_CAP match
    after: str | None  # the keyset cursor of the next page, on the submission-time sorts
    short_search: int  # a search too short for the index: the number of newest cases looked at (else 0)


KEYSET_SORTS = {"submitted": False, "-submitted": True}  # sort → newest first?


def cursor_of(application):
    return f"{application.submitted_at.isoformat()}_{application.id}"


def parse_cursor(text):
    """(submitted_at, id) from a cursor, or None when it is not one."""
    try:
        when, _, ident = (text or "").rpartition("_")
        return dt.datetime.fromisoformat(when), int(ident)
    except ValueError:
        return None


def _count(query, cap):
    """The number of matching cases, counted up to cap + 1 (never a scan of them all)."""
    capped = query.order_by(None).with_only_columns(Application.id).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped))


def queue(f, page=1, per_page=25, after=None):
    """One QueuePage: by page number, or after a keyset cursor (`after`, from QueuePage.after)."""
    query = _filtered(f)
    cap = SHORT_COUNT_CAP if short_search(f.q) else COUNT_CAP
    counted = _count(query, cap)
    ordered = _ordered(query, f)
    key = parse_cursor(after) if f.sort in KEYSET_SORTS else None
    if key is not None:
        position = tuple_(Application.submitted_at, Application.id)
        newest_first = KEYSET_SORTS[f.sort]
        ordered = ordered.where(position < tuple_(*key) if newest_first else position > tuple_(*key))
        ordered = ordered.order_by(None).order_by(*((Application.submitted_at.desc(), Application.id.desc())
                                                    if newest_first else (Application.submitted_at, Application.id)))
    else:
        ordered = ordered.offset((max(page, 1) - 1) * per_page)
    rows = db.session.scalars(ordered.limit(per_page)).all()
    more = len(rows) == per_page
    return QueuePage(rows, min(counted, cap), counted > cap,
                     cursor_of(rows[-1]) if more and f.sort in KEYSET_SORTS else None,
                     SHORT_SEARCH_WINDOW if short_search(f.q) else 0)


def queue_export(f, answer_ids=(), limit=EXPORT_LIMIT):
    """The matching cases for a spreadsheet, streamed: (case, {answer id: stored value})
    one at a time, the answers `answer_ids` read from each case's latest submission
    (those values only, in the query), fetched from the database in batches."""
    latest = (select(Submission.application_id, func.max(Submission.number).label("number"))
              .group_by(Submission.application_id).subquery())
    answers = [Submission.answers[answer_id].as_string() for answer_id in answer_ids]
    query = (_ordered(_filtered(f, EXPORTED), f).add_columns(*answers)
             .outerjoin(latest, latest.c.application_id == Application.id)
             .outerjoin(Submission, (Submission.application_id == Application.id)
                        & (Submission.number == latest.c.number))
             .limit(limit))
    for row in db.session.execute(query.execution_options(yield_per=1000)):
        yield row[0], dict(zip(answer_ids, row[1:], strict=True))


def cached_counts_by_state():
    """counts_by_state, at most QUEUE_COUNTS_SECONDS old: the queue's tabs must not count a
    million rows per view."""
    return memo.every("counts_by_state", current_app.config["QUEUE_COUNTS_SECONDS"], counts_by_state)


def counts_by_state():
    rows = db.session.execute(
        select(Application.status, func.count()).where(*COUNTED).group_by(Application.status)
    ).all()
    counts = {state.value: 0 for state in SUBMITTED_STATES}
    counts.update({status.value: n for status, n in rows})
    return counts


# --- Statistics, aggregated in the database -------------------------------------

def _postgres():
    return db.engine.dialect.name == "postgresql"


def percentile_of_counts(counts, p):
    """The p-th percentile (0–1) of values given as {value: how many}, interpolated
    between neighbours as numpy does; None when there are none. Working days take a
    few dozen values, so the database counts them and nothing sorts a million rows."""
    total = sum(counts.values())
    if not total:
        return None
    rank = (total - 1) * p
    low, fraction = int(rank), rank - int(rank)
    ordered, seen, below, above = sorted(counts.items()), 0, None, None
    for value, n in ordered:
        if below is None and seen + n > low:
            below = value
        if seen + n > low + 1 or (seen + n > low and fraction == 0):
            above = value
            break
        seen += n
    return float(below + (above - below) * fraction)


def working_days_percentiles(column_name, ps):
    """{p: the p-th percentile (0–1) of accept_ or complete_working_days} over the
    submitted cases that have it (None when none has): counted in SQL, interpolated here."""
    column = getattr(Application, column_name)
    counts = dict(db.session.execute(select(column, func.count()).where(*COUNTED, column.is_not(None))
                                     .group_by(column)).all())
    return {p: percentile_of_counts(counts, p) for p in ps}


@dataclass
class CaseFigures:
    """What one grouped scan of the submitted cases says (the statistics page)."""

    total: int
    by_status: dict  # status value → cases
    by_type: dict  # filing type (or None) → cases
    by_level: dict
    accept_days: dict  # working days → cases accepted in them
    complete_days: dict
    completed: int
    first_time: int  # completed without a return for correction


def case_figures():
    """One GROUP BY over every submitted case: counts by state, type and level, the
    working days to acceptance and to completion, and first-time-right completions."""
    first = Application.returned_count == 0
    columns = (Application.status, Application.filing_type, Application.level, Application.accept_working_days,
               Application.complete_working_days, first)
    rows = db.session.execute(select(*columns, func.count()).where(*COUNTED).group_by(*columns)).all()
    figures = CaseFigures(0, {}, {}, {}, {}, {}, 0, 0)
    for status, filing_type, level, accept_days, complete_days, first_time, n in rows:
        figures.total += n
        for tally, key in ((figures.by_status, status.value), (figures.by_type, filing_type or "—"),
                           (figures.by_level, level or "—")):
            tally[key] = tally.get(key, 0) + n
        for tally, days in ((figures.accept_days, accept_days), (figures.complete_days, complete_days)):
            if days is not None:
                tally[days] = tally.get(days, 0) + n
        if status == Status.COMPLETED:
            figures.completed += n
            figures.first_time += n if first_time else 0
    return figures


def submitted_per_day(since):
    """{the district's date: cases submitted} from `since` (a naive UTC time) on."""
    if _postgres():
        day = func.date(func.timezone("Asia/Shanghai", func.timezone("UTC", Application.submitted_at)))
    else:
        day = func.date(Application.submitted_at, "+8 hours")
    rows = db.session.execute(select(day, func.count()).where(*COUNTED, Application.submitted_at >= since)
                              .group_by(day)).all()
    return {(d if isinstance(d, dt.date) else dt.date.fromisoformat(d)): n for d, n in rows}


def completed_count():
    """Cases whose completion time is known (the home page's median is over them)."""
    return db.session.scalar(select(func.count()).where(*COUNTED, Application.complete_working_days.is_not(None)))


