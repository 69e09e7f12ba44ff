"""The figures on the statistics page, from the applications table."""

from flask_babel import gettext as _

from app.cases import service as cases
from app.review import stats
from app.workdays import working_days_between

AIM_WORKING_DAYS = 3.5  # the district's promise: filing done in 3.5 days


def figures():
    rows = cases.timings()
    to_accept = [working_days_between(r.submitted_at, r.accepted_at) for r in rows if r.accepted_at]
    to_complete = [working_days_between(r.submitted_at, r.completed_at) for r in rows if r.completed_at]
    completed = [r for r in rows if r.status == cases.Status.COMPLETED]
    first_time = sum(1 for r in completed if not r.returned_count)
    weeks = stats.weekly_counts([r.submitted_at for r in rows if r.submitted_at], weeks=12)
    chart = stats.bar_chart_svg([(f"{d.month}/{d.day}", n) for d, n in weeks], _("每周提交量(近12周)"),
                                empty_text=_("暂无数据"))
    return {
        "by_state": cases.grouped_counts("status"),
        "by_type": cases.grouped_counts("filing_type"),
        "by_level": cases.grouped_counts("level"),
        "accept_median": stats.median(to_accept), "accept_p90": stats.percentile(to_accept, 90),
        "complete_median": stats.median(to_complete), "complete_p90": stats.percentile(to_complete, 90),
        "aim": AIM_WORKING_DAYS, "completed": len(completed),
        "first_time_right": (first_time / len(completed)) if completed else None,
        "weekly_chart": chart, "total": len(rows),
    }
