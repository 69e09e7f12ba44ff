"""The figures on the statistics page, from the applications table."""

import datetime as dt

from flask import current_app
from flask_babel import gettext as _

from app import clock, memo
from app.cases import service as cases
from app.review import stats
from app.workdays import china_date

AIM_WORKING_DAYS = 3.5  # the district's promise: filing done in 3.5 days


def _named(counts, name, order):
    """[(value, count)] → [(its name, count)] in the order of the values in `order` (others last)."""
    rank = {value: i for i, value in enumerate(order)}
    named = {}
    for value, n in sorted(counts, key=lambda vn: rank.get(vn[0], len(rank))):
        named[name(value)] = named.get(name(value), 0) + n  # two codes of one name are counted together
    return list(named.items())


def _weeks(count=12):
    """[(Monday, cases submitted that week)], the last `count` weeks: days counted in SQL."""
    today = china_date(clock.utcnow())
    first = today - dt.timedelta(days=today.weekday(), weeks=count - 1)
    since = dt.datetime.combine(first, dt.time()) - dt.timedelta(hours=8)  # the district's midnight, in UTC
    per_day = cases.submitted_per_day(since)
    return [(first + dt.timedelta(weeks=w), sum(per_day.get(first + dt.timedelta(weeks=w, days=d), 0)
                                                for d in range(7))) for w in range(count)]


def figures(names):
    """The page's numbers, every one aggregated in the database; `names`
    (review.names.CaseNames) names the states, types and levels."""
    seconds = current_app.config["QUEUE_COUNTS_SECONDS"]  # a scan of every case: at most once a minute
    counted = memo.every("case_figures", seconds, cases.case_figures)
    accept = {p: cases.percentile_of_counts(counted.accept_days, p) for p in (0.5, 0.9)}
    complete = {p: cases.percentile_of_counts(counted.complete_days, p) for p in (0.5, 0.9)}
    completed, first_time = counted.completed, counted.first_time
    weeks = _weeks(12)
    chart = stats.bar_chart_svg([(f"{d.month}/{d.day}", n) for d, n in weeks], _("每周提交量（近12周）"),
                                empty_text=_("暂无数据"))
    return {
        "by_state": _named(counted.by_status.items(), names.status, [s.value for s in cases.SUBMITTED_STATES]),
        "by_type": _named(counted.by_type.items(), names.filing_type, list(cases.FILING_TYPE_LABELS)),
        "by_level": _named(counted.by_level.items(), names.level, [level for level, _name in names.levels]),
        "accept_median": accept[0.5], "accept_p90": accept[0.9],
        "complete_median": complete[0.5], "complete_p90": complete[0.9],
        "aim": AIM_WORKING_DAYS, "completed": completed,
        "first_time_right": (first_time / completed) if completed else None,
        "weekly_chart": chart, "total": counted.total, "funnel": memo.every("funnel", seconds, cases.funnel),
        "fresh_seconds": seconds,
    }
