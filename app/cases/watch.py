"""电子监察: the officers' watch list — what is near (yellow) or past (red) a
limit: a case's time limit, a deferred paper's due date, the two-year lapse, a
return the applicant has not answered, and a cancellation waiting to be
confirmed. Read on demand, from the same dates the sweep uses.

At a province, years of filings never report a start and returns go
unanswered, so those marks are decided in SQL: each rule's day becomes a bound
on a stored instant (app.workdays), the whole list is counted by mark and kind,
and only the earliest `limit` items of each kind are read."""

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, case, func, literal, or_, select

from app import clock, memo
from app.cases import deadlines
from app.cases.after_filing import reports_of
from app.cases.models import Application, CaseEvent
from app.cases.start_extension import MAX_MONTHS as MAX_EXTENSION_MONTHS
from app.cases.states import Status
from app.cases.sweep import with_open_deferrals
from app.extensions import db
from app.messages import N_
from app.workdays import (
    china_date,
    latest_day_months_before,
    latest_day_working_days_before,
    start_of_day_utc,
    working_days_between,
)

KIND_LABELS = {"time_limit": N_("办理时限"), "deferral": N_("容缺材料"), "lapse": N_("两年未开工"),
               "return": N_("退回补正未答复"), "cancel": N_("注销待确认")}
MARKS = ("red", "yellow")
WATCH_LIMIT = 100  # items of one kind read for the page (an officer works the oldest first); counts are whole


@dataclass(frozen=True)
class WatchItem:
    application: Application
    kind: str  # a key of KIND_LABELS
    mark: str  # red | yellow
    detail: str  # a Chinese msgid with %(…)s
    params: dict
    due: object = None  # the date it is due, when there is one


@dataclass
class WatchList:
    items: list  # red first, then by due date; at most `limit` of each kind
    counts: dict  # {'red': n, 'yellow': n} of the whole list
    by_kind: dict = field(default_factory=dict)  # kind → n, of the whole list
    limit: int = WATCH_LIMIT

    @property
    def cut_kinds(self):
        """The kinds with more items than the page shows."""
        return [kind for kind, n in self.by_kind.items() if n > self.limit]


def _on_or_before(column, day):
    """`column` (a stored UTC instant) falls on `day` or earlier in China."""
    return column < start_of_day_utc(day + dt.timedelta(days=1))


class _Source:
    """One kind decided in SQL: `mark` is a CASE giving 'red', 'yellow' or NULL per row;
    `item(application, mark, now, *extra)` makes the WatchItem of a row read."""

    def __init__(self, kind, mark, where, order_by, item, joins=(), extra=()):
        self.kind, self.mark, self.where, self.order_by, self.item, self.joins, self.extra = \
            kind, mark, where, order_by, item, joins, extra

    def _select(self, *columns):
        query = select(*columns).select_from(Application)
        for target, on in self.joins:
            query = query.join(target, on)
        return query.where(*self.where, self.mark.is_not(None))

    def counts(self):
        return dict(db.session.execute(self._select(self.mark, func.count()).group_by(self.mark)).all())

    def rows(self, limit):
        return db.session.execute(self._select(Application, self.mark.label("mark"), *self.extra)
                                  .order_by(*self.order_by, Application.id).limit(limit)).all()


def _time_limit_source(today):
    """Open cases: red past their type's limit of working days, yellow from 80 % of it."""
    limits = current_app.config["CASE_TIME_LIMITS"]
    submitted = Application.submitted_at

    def bound(working_days):
        return _on_or_before(submitted, latest_day_working_days_before(today, working_days))

    def of_type(kind):
        if kind is None:  # every type without a limit of its own
            return or_(Application.filing_type.is_(None), Application.filing_type.not_in(list(limits)))
        return Application.filing_type == kind

    marks = [(kind, *deadlines.time_limit_marks(limit))
             for kind, limit in [*limits.items(), (None, deadlines.DEFAULT_TIME_LIMIT)]]
    mark = case(*[(and_(of_type(kind), bound(over_from)), literal("red")) for kind, _near, over_from in marks],
                *[(and_(of_type(kind), bound(near_from)), literal("yellow")) for kind, near_from, _over in marks])
    return _Source("time_limit", mark, (Application.status.in_((Status.SUBMITTED, Status.ACCEPTED)),
                                        Application.is_preview.is_(False), submitted.is_not(None)),
                   (submitted,), _time_limit_item)


def _time_limit_item(application, mark, now):
    days, _state = deadlines.time_limit_clock(application, now)
    return WatchItem(application, "time_limit", mark, N_("已用%(days)s个工作日，时限%(limit)s个工作日"),
                     {"days": days, "limit": deadlines.time_limit(application)})


def _deferrals(today):
    for application in with_open_deferrals():
        for paper in deadlines.deferrals_of(application, reports_of(application.id)):
            state = paper.state(today)
            if state in ("due_soon", "overdue"):
                yield WatchItem(application, "deferral", "red" if state == "overdue" else "yellow",
                                N_("“%(material)s”应于%(due)s前补交"),
                                {"material": paper.name, "due": paper.due.isoformat()}, paper.due)


def _lapse_source(today):
    """Completed filings with no start reported: red once the two years (plus any
    granted 延期开工, 1–12 months) are over, yellow from the last reminder."""
    cfg = current_app.config
    completed, extended = Application.completed_at, func.coalesce(Application.start_extended_months, 0)
    red = or_(*[and_(extended == months, _on_or_before(
        completed, latest_day_months_before(today, deadlines.lapse_months(months))))
        for months in range(MAX_EXTENSION_MONTHS + 1)])
    whens = [(red, literal("red"))]
    if cfg["START_REMINDER_MONTHS"]:
        last_reminder = max(cfg["START_REMINDER_MONTHS"])
        whens.append((_on_or_before(completed, latest_day_months_before(today, last_reminder)), literal("yellow")))
    # The predicate of ix_applications_unstarted, written as it is (`= false`, not `IS false`)
    # so that PostgreSQL sees the index applies.
    return _Source("lapse", case(*whens), (Application.status == Status.COMPLETED,
                                           Application.is_preview == False,  # noqa: E712
                                           Application.started_on.is_(None), completed.is_not(None)),
                   (completed,), _lapse_item)


def _lapse_item(application, mark, _now):
    lapse = deadlines.lapse_clock(application, {})
    return WatchItem(application, "lapse", mark, N_("备案于%(filed)s，%(lapses)s满两年，尚未报送开工"),
                     {"filed": lapse.filed_on.isoformat(), "lapses": lapse.lapses_on.isoformat()}, lapse.lapses_on)


def _return_source(today):
    """Returned cases the applicant has not sent back: by working days since the last return."""
    yellow, red = current_app.config["RETURN_WATCH_WORKING_DAYS"]
    returned = (select(CaseEvent.application_id, func.max(CaseEvent.created_at).label("at"))
                .where(CaseEvent.kind.in_(("return", "void_acceptance"))).group_by(CaseEvent.application_id)
                .subquery())
    mark = case((_on_or_before(returned.c.at, latest_day_working_days_before(today, red)), literal("red")),
                (_on_or_before(returned.c.at, latest_day_working_days_before(today, yellow)), literal("yellow")))
    return _Source("return", mark, (Application.status == Status.RETURNED, Application.is_preview.is_(False)),
                   (returned.c.at,), _return_item, joins=((returned, returned.c.application_id == Application.id),),
                   extra=(returned.c.at,))


def _return_item(application, mark, now, returned_at):
    return WatchItem(application, "return", mark, N_("退回已%(days)s个工作日，申请人尚未重新提交"),
                     {"days": working_days_between(returned_at, now)})


def _cancellations():
    latest = (select(CaseEvent.application_id, func.max(CaseEvent.id).label("id"))
              .where(CaseEvent.kind.in_(("cancel_requested", "cancel"))).group_by(CaseEvent.application_id)
              .subquery())
    rows = db.session.execute(select(Application, CaseEvent).join(latest, latest.c.application_id == Application.id)
                              .join(CaseEvent, CaseEvent.id == latest.c.id)
                              .where(Application.status == Status.COMPLETED, CaseEvent.kind == "cancel_requested"))
    for application, event in rows:
        yield WatchItem(application, "cancel", "yellow", N_("申请人于%(day)s申请注销"),
                        {"day": china_date(event.created_at).isoformat()})


def _sources(today):
    return _time_limit_source(today), _lapse_source(today), _return_source(today)


def _few_items(today):
    """The kinds that stay few at any scale (open deferrals, cancellations waiting): read whole."""
    return [*_deferrals(today), *_cancellations()]


def watch_list(now=None, limit=None, kind=None):
    """The watch list: every count, and the earliest `limit` (WATCH_LIMIT) items of
    each kind (or of `kind` alone), red first, then by due date."""
    now = now or clock.utcnow()
    limit = WATCH_LIMIT if limit is None else limit
    today = china_date(now)
    items, by_kind, counts = [], {}, dict.fromkeys(MARKS, 0)
    for source in _sources(today):
        found = source.counts()
        by_kind[source.kind] = sum(found.values())
        for mark, n in found.items():
            counts[mark] += n
        if limit and kind in (None, source.kind):
            items += [source.item(application, mark, now, *extra)
                      for application, mark, *extra in source.rows(limit)]
    for item in _few_items(today):
        by_kind[item.kind] = by_kind.get(item.kind, 0) + 1
        counts[item.mark] += 1
        if kind in (None, item.kind):
            items.append(item)
    items.sort(key=lambda i: (MARKS.index(i.mark), i.due is None, i.due or today, i.application.id))
    return WatchList(items, counts, by_kind, limit)


def watch_counts(now=None):
    """{'red': n, 'yellow': n} of the whole list, counted in SQL."""
    return watch_list(now, limit=0).counts


def cached_watch_counts(now=None):
    """watch_counts at most QUEUE_COUNTS_SECONDS old: the queue page shows them on every view."""
    return memo.every("watch_counts", current_app.config["QUEUE_COUNTS_SECONDS"], lambda: watch_counts(now))
