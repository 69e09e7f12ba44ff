"""电子监察: the officers' watch list — what is near (yellow) or past (red) a
limit: a case's time limit, a deferred paper's due date, the two-year lapse, a
return the applicant has not answered, and a cancellation waiting to be
confirmed. Read on demand, from the same dates the sweep uses."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from app import clock, memo
from app.cases import deadlines
from app.cases.after_filing import reports_of
from app.cases.models import Application, CaseEvent
from app.cases.states import Status
from app.cases.sweep import not_started, with_open_deferrals
from app.extensions import db
from app.messages import N_
from app.workdays import china_date, working_days_between

KIND_LABELS = {"time_limit": N_("办理时限"), "deferral": N_("容缺材料"), "lapse": N_("两年未开工"),
               "return": N_("退回补正未答复"), "cancel": N_("注销待确认")}
MARKS = ("red", "yellow")


@dataclass(frozen=True)
class WatchItem:
    application: Application
    kind: str  # a key of KIND_LABELS
    mark: str  # red | yellow
    detail: str  # a Chinese msgid with %(…)s
    params: dict
    due: object = None  # the date it is due, when there is one


def _time_limits(now):
    rows = db.session.scalars(select(Application).where(
        Application.status.in_((Status.SUBMITTED, Status.ACCEPTED)), Application.is_preview.is_(False))).all()
    for application in rows:
        days, state = deadlines.time_limit_clock(application, now)
        if state != "ok":
            yield WatchItem(application, "time_limit", "red" if state == "over" else "yellow",
                            N_("已用%(days)s个工作日，时限%(limit)s个工作日"),
                            {"days": days, "limit": deadlines.time_limit(application)})


def _deferrals(today):
    for application in with_open_deferrals():
        for paper in deadlines.deferrals_of(application, reports_of(application.id)):
            state = paper.state(today)
            if state in ("due_soon", "overdue"):
                yield WatchItem(application, "deferral", "red" if state == "overdue" else "yellow",
                                N_("“%(material)s”应于%(due)s前补交"),
                                {"material": paper.name, "due": paper.due.isoformat()}, paper.due)


def _lapses(today):
    cfg = current_app.config
    for application in not_started(today, max(cfg["START_REMINDER_MONTHS"], default=cfg["LAPSE_MONTHS"])):
        lapse = deadlines.lapse_clock(application, {})
        mark = lapse.mark(today)
        if mark:
            yield WatchItem(application, "lapse", mark, N_("备案于%(filed)s，%(lapses)s满两年，尚未报送开工"),
                            {"filed": lapse.filed_on.isoformat(), "lapses": lapse.lapses_on.isoformat()},
                            lapse.lapses_on)


def _returns(now):
    yellow, red = current_app.config["RETURN_WATCH_WORKING_DAYS"]
    returned_at = (select(CaseEvent.application_id, func.max(CaseEvent.created_at).label("at"))
                   .where(CaseEvent.kind.in_(("return", "void_acceptance"))).group_by(CaseEvent.application_id)
                   .subquery())
    rows = db.session.execute(select(Application, returned_at.c.at).join(
        returned_at, returned_at.c.application_id == Application.id).where(
        Application.status == Status.RETURNED, Application.is_preview.is_(False))).all()
    for application, at in rows:
        days = working_days_between(at, now)
        if days >= yellow:
            yield WatchItem(application, "return", "red" if days >= red else "yellow",
                            N_("退回已%(days)s个工作日，申请人尚未重新提交"), {"days": days})


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


def watch_list(now=None):
    """Every item, red first, then by due date."""
    now = now or clock.utcnow()
    today = china_date(now)
    items = [*_time_limits(now), *_deferrals(today), *_lapses(today), *_returns(now), *_cancellations()]
    return sorted(items, key=lambda i: (MARKS.index(i.mark), i.due is None, i.due or today, i.application.id))


def watch_counts(items):
    """{'red': n, 'yellow': n} of a watch list."""
    return {mark: sum(1 for i in items if i.mark == mark) for mark in MARKS}


def cached_watch_counts(now=None):
    """watch_counts of the whole list, at most QUEUE_COUNTS_SECONDS old: the queue page
    shows them on every view, and building the list reads every open case."""
    return memo.every("watch_counts", current_app.config["QUEUE_COUNTS_SECONDS"],
                      lambda: watch_counts(watch_list(now)))
