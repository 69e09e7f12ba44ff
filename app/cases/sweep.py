"""The daily sweep of life after filing: the reminders that are due today, each
sent once (the outbox's dedupe key is unique, so two sweeps racing, or a sweep
run twice, queue it once). Run by `flask lifecycle sweep` from cron, or by
RQ's cron scheduler (`flask lifecycle scheduler`) when Redis is configured."""

import datetime as dt
from collections import Counter

from flask import current_app
from sqlalchemy import exists, select

from app import clock
from app.cases import deadlines, notices
from app.cases.after_filing import reports_of
from app.cases.models import Application, MaterialDeferral
from app.cases.states import Status
from app.extensions import db
from app.workdays import add_months, china_date


def not_started(today, months):
    """Completed filings with no start reported that are at least `months` old on
    `today`: the SQL bound keeps the years of recent filings out (a day of slack
    for the time zone; the caller checks each date exactly)."""
    cutoff = dt.datetime.combine(add_months(today, -months) + dt.timedelta(days=1), dt.time())
    return db.session.scalars(select(Application).where(
        Application.status == Status.COMPLETED, Application.is_preview.is_(False), Application.started_on.is_(None),
        Application.completed_at < cutoff)).all()


def with_open_deferrals():
    """Cases with a deferred paper still to come."""
    waiting = exists().where(MaterialDeferral.application_id == Application.id, MaterialDeferral.supplied_at.is_(None))
    return db.session.scalars(select(Application).where(
        Application.status.in_(deadlines.DEFERRAL_STATES), Application.is_preview.is_(False), waiting)).all()


def sweep(today=None):
    """Queue every reminder due `today` (the district's date); returns what was queued, by kind."""
    today = today or china_date(clock.utcnow())
    queued = Counter()
    for application in not_started(today, min(current_app.config["START_REMINDER_MONTHS"], default=0)):
        months = deadlines.lapse_clock(application, {}).due_reminder(today)
        if months and notices.start_reminder(application, months).newly_queued:
            queued["start_reminder"] += 1
    for application in with_open_deferrals():
        for paper in deadlines.deferrals_of(application, reports_of(application.id)):
            state = paper.state(today)
            if state == "due_soon":
                message = notices.deferral_due(application, paper.name, paper.material_id, paper.due)
            elif state == "overdue":
                message = notices.deferral_overdue(application, paper.name, paper.material_id)
            else:
                continue
            if message.newly_queued:
                queued[f"deferral_{state}"] += 1
    return dict(queued)


def sweep_job():
    """The RQ job the cron scheduler queues once a day (see app/cases/commands.py)."""
    from app import jobs

    with jobs.worker_app().app_context():
        return sweep()
