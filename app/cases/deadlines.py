"""The dates of life after filing, on the district's calendar: the two-year
clock of a filing (reminders, lapse) and when each deferred paper is due.
Pure reading: nothing here changes a case."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app import clock
from app.cases.evaluation import spec_of
from app.cases.models import MaterialDeferral
from app.cases.states import Status
from app.extensions import db
from app.workdays import add_months, add_working_days, china_date, working_days_between

DEFERRAL_STATES = (Status.SUBMITTED, Status.ACCEPTED, Status.COMPLETED)  # a deferred paper may still arrive


@dataclass(frozen=True)
class LapseClock:
    filed_on: object  # date
    reminders: tuple  # ((months, date), …)
    lapses_on: object  # date

    def lapsed(self, today):
        return today >= self.lapses_on

    def due_reminder(self, today):
        """The month mark whose reminder is due today: the latest one passed, and
        only until the next mark (a sweep that missed 18 months sends 22, not both)."""
        due = None
        for months, day in self.reminders:
            if today >= day:
                due = months
        return None if self.lapsed(today) else due

    def mark(self, today):
        """'red' past the lapse, 'yellow' from the last reminder, else None."""
        if self.lapsed(today):
            return "red"
        return "yellow" if self.reminders and today >= self.reminders[-1][1] else None


def lapse_clock(application, reports):
    """The two-year clock of a completed filing with no start reported, else None
    (an approval's granted 延期开工 moves its end, start_extension.py)."""
    if application.status != Status.COMPLETED or application.completed_at is None or "start" in reports:
        return None
    filed_on = china_date(application.completed_at)
    reminders = tuple((m, add_months(filed_on, m)) for m in sorted(current_app.config["START_REMINDER_MONTHS"]))
    return LapseClock(filed_on, reminders, add_months(filed_on, lapse_months(application.start_extended_months)))


def lapse_months(extended_months):
    """Months from filing to the lapse: LAPSE_MONTHS, plus a granted 延期开工."""
    return current_app.config["LAPSE_MONTHS"] + (extended_months or 0)


@dataclass(frozen=True)
class DeferredPaper:
    material_id: str
    name: str
    due: object  # date, or None while "before construction" and no start is reported
    supplied_at: object  # datetime or None

    def state(self, today):
        """'supplied', 'waiting' (no date yet), 'ok', 'due_soon' or 'overdue'."""
        if self.supplied_at is not None:
            return "supplied"
        if self.due is None:
            return "waiting"
        if today > self.due:
            return "overdue"
        soon = current_app.config["DEFERRAL_REMINDER_WORKING_DAYS"]
        return "due_soon" if working_days_between(today, self.due) <= soon else "ok"


def deferrals_of(application, reports):
    """Each deferred paper of the case with its due date: N working days after
    acceptance, or before the reported start of construction (the spec's
    `deferral`; `reports` are the case's, by kind)."""
    start = reports.get("start")
    rows = db.session.scalars(select(MaterialDeferral).filter_by(application_id=application.id)
                              .order_by(MaterialDeferral.id)).all()
    if not rows:
        return []
    materials = {m.id: m for m in spec_of(application).materials}
    papers = []
    for row in rows:
        material = materials.get(row.material_id)
        rule = (material.deferral if material else None) or {}
        due = None
        if rule.get("before") == "construction":
            due = start.happened_on if start else None
        elif application.accepted_at is not None and rule.get("working_days"):
            due = add_working_days(china_date(application.accepted_at), int(rule["working_days"]))
        papers.append(DeferredPaper(row.material_id, material.name if material else row.material_id, due,
                                    row.supplied_at))
    return papers



DEFAULT_TIME_LIMIT = 20  # working days, for a filing type CASE_TIME_LIMITS does not name


def time_limit(application):
    """The working days an officer has for the case's filing type (CASE_TIME_LIMITS)."""
    return current_app.config["CASE_TIME_LIMITS"].get(application.filing_type or "", DEFAULT_TIME_LIMIT)


def time_limit_clock(application, now=None):
    """(working days since submission, 'ok' | 'near' | 'over') against the limit for its type."""
    if application.submitted_at is None:
        return None, "ok"
    days = working_days_between(application.submitted_at, now or clock.utcnow())
    near_from, over_from = time_limit_marks(time_limit(application))
    state = "over" if days >= over_from else ("near" if days >= near_from else "ok")
    return days, state


def time_limit_marks(limit):
    """(working days from which a case is near its limit — 80 % of it —, from which it is over)."""
    return -(-limit * 4 // 5), limit + 1
