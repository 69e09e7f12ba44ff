"""The figures on the statistics page, from the applications table."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.review import stats
from app.review.service import QUEUE_STATES
from app.review.workdays import working_days_between
from app.wizard.models import Application, ApplicationStatus

AIM_WORKING_DAYS = 3.5  # the district's promise: filing done in 3.5 days
COUNTED = (Application.status.in_(QUEUE_STATES), Application.is_preview.is_(False))


def _grouped(column):
    rows = db.session.execute(
        select(column, func.count()).where(*COUNTED).group_by(column)
    ).all()
    return sorted(((key.value if hasattr(key, "value") else key) or "—", n) for key, n in rows)


def figures():
    rows = db.session.execute(
        select(Application.submitted_at, Application.accepted_at, Application.completed_at, Application.status,
               Application.returned_count).where(*COUNTED)
    ).all()
    to_accept = [working_days_between(r.submitted_at, r.accepted_at) for r in rows if r.accepted_at]
    to_complete = [working_days_between(r.submitted_at, r.completed_at) for r in rows if r.completed_at]
    completed = [r for r in rows if r.status == ApplicationStatus.COMPLETED]
    first_time = sum(1 for r in completed if not r.returned_count)
    weeks = stats.weekly_counts([r.submitted_at for r in rows if r.submitted_at], weeks=12)
    chart = stats.bar_chart_svg([(f"{d.month}/{d.day}", n) for d, n in weeks], _("每周提交量(近12周)"),
                                empty_text=_("暂无数据"))
    return {
        "by_state": _grouped(Application.status),
        "by_type": _grouped(Application.filing_type),
        "by_level": _grouped(Application.level),
        "accept_median": stats.median(to_accept), "accept_p90": stats.percentile(to_accept, 90),
        "complete_median": stats.median(to_complete), "complete_p90": stats.percentile(to_complete, 90),
        "aim": AIM_WORKING_DAYS, "completed": len(completed),
        "first_time_right": (first_time / len(completed)) if completed else None,
        "weekly_chart": chart, "total": len(rows),
    }
