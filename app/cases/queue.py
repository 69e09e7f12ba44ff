"""The submitted cases as a list: the officers' queue (filters, search, sort,
pages, CSV) and the rows the statistics are made from."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import load_only

from app.cases.models import Application, Submission
from app.cases.states import OUT_OF_QUEUE, SUBMITTED_STATES
from app.clock import CHINA
from app.extensions import db

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
    if f.q.strip():
        # % and _ are what the officer typed, not wildcards.
        escaped = f.q.strip()[:100].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        term = f"%{escaped}%"
        query = query.where(or_(*(column.ilike(term, escape="\\") for column in (
            Application.reference, Application.project_name, Application.enterprise_name, Application.credit_code))))
    return query


def _ordered(query, f):
    return query.order_by(SORTS.get(f.sort, SORTS["submitted"]), Application.id)


def queue(f, page=1, per_page=25):
    """(cases on the page, total matching)."""
    query = _filtered(f)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(_ordered(query, f).limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    return rows, total


def queue_all(f, limit=50_000):
    return db.session.scalars(_ordered(_filtered(f), f).limit(limit)).all()


def queue_export(f, answer_ids=(), limit=50_000):
    """The cases of queue_all for a spreadsheet: [(case, {answer id: stored value})], the
    answers `answer_ids` read from each case's latest submission (those values only, in
    the query: never the whole JSON of 50 000 cases)."""
    latest = (select(Submission.application_id, func.max(Submission.number).label("number"))
              .group_by(Submission.application_id).subquery())
    answers = [Submission.answers[answer_id].as_string() for answer_id in answer_ids]
    query = (_ordered(_filtered(f, EXPORTED), f).add_columns(*answers)
             .outerjoin(latest, latest.c.application_id == Application.id)
             .outerjoin(Submission, (Submission.application_id == Application.id)
                        & (Submission.number == latest.c.number))
             .limit(limit))
    return [(row[0], dict(zip(answer_ids, row[1:], strict=True))) for row in db.session.execute(query)]


def counts_by_state():
    rows = db.session.execute(
        select(Application.status, func.count()).where(*COUNTED).group_by(Application.status)
    ).all()
    counts = {state.value: 0 for state in SUBMITTED_STATES}
    counts.update({status.value: n for status, n in rows})
    return counts


def grouped_counts(column_name):
    """[(value, count)] of submitted cases by one of status, filing_type, level."""
    column = getattr(Application, column_name)
    rows = db.session.execute(select(column, func.count()).where(*COUNTED).group_by(column)).all()
    return sorted(((key.value if hasattr(key, "value") else key) or "—", n) for key, n in rows)


def timings():
    """(submitted_at, accepted_at, completed_at, status, returned_count) of every submitted case."""
    return db.session.execute(
        select(Application.submitted_at, Application.accepted_at, Application.completed_at, Application.status,
               Application.returned_count).where(*COUNTED)
    ).all()
