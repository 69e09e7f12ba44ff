"""The figures on the statistics page, from the applications table."""

from flask_babel import gettext as _

from app.cases import service as cases
from app.review import stats
from app.workdays import working_days_between

AIM_WORKING_DAYS = 3.5  # the district's promise: filing done in 3.5 days


def _named(counts, name, order):
    """[(value, count)] → [(its name, count)] in the order of the values in `order` (others last)."""
    rank = {value: i for i, value in enumerate(order)}
    named = {}
    for value, n in sorted(counts, key=lambda vn: rank.get(vn[0], len(rank))):
        named[name(value)] = named.get(name(value), 0) + n  # two codes of one name are counted together
    return list(named.items())


def figures(names):
    """The page's numbers; `names` (review.names.CaseNames) names the states, types and levels."""
    rows = cases.timings()
    to_accept = [working_days_between(r.submitted_at, r.accepted_at) for r in rows if r.accepted_at]
    to_complete = [working_days_between(r.submitted_at, r.completed_at) for r in rows if r.completed_at]
    completed = [r for r in rows if r.status == cases.Status.COMPLETED]
    first_time = sum(1 for r in completed if not r.returned_count)
    weeks = stats.weekly_counts([r.submitted_at for r in rows if r.submitted_at], weeks=12)
    chart = stats.bar_chart_svg([(f"{d.month}/{d.day}", n) for d, n in weeks], _("每周提交量（近12周）"),
                                empty_text=_("暂无数据"))
    return {
        "by_state": _named(cases.grouped_counts("status"), names.status, [s.value for s in cases.SUBMITTED_STATES]),
        "by_type": _named(cases.grouped_counts("filing_type"), names.filing_type, list(cases.FILING_TYPE_LABELS)),
        "by_level": _named(cases.grouped_counts("level"), names.level, [level for level, _name in names.levels]),
        "accept_median": stats.median(to_accept), "accept_p90": stats.percentile(to_accept, 90),
        "complete_median": stats.median(to_complete), "complete_p90": stats.percentile(to_complete, 90),
        "aim": AIM_WORKING_DAYS, "completed": len(completed),
        "first_time_right": (first_time / len(completed)) if completed else None,
        "weekly_chart": chart, "total": len(rows), "funnel": cases.funnel(),
    }
