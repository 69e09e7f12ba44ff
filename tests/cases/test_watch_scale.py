"""The watch list decides its marks in SQL (bounds from app.workdays) so that a
province's years of filings are counted, not read: these tests hold the SQL
marks to the Python clocks the case pages and the sweep use, on the edges —
midnight in China, month ends, 延期开工, holidays — and check the page's cut."""

import datetime as dt

import pytest
from sqlalchemy import update

from app import clock
from app.cases import deadlines
from app.cases import service as cases
from app.cases.models import Application, CaseEvent
from app.extensions import db
from app.workdays import (
    add_months,
    china_date,
    latest_day_months_before,
    latest_day_working_days_before,
    start_of_day_utc,
    working_days_between,
)
from tests.support import factories


def _at_china(day, hour, minute=0):
    """A stored (naive UTC) instant at hour:minute in China on `day`."""
    return start_of_day_utc(day) + dt.timedelta(hours=hour, minutes=minute)


def _marks(kind, now):
    return {i.application.id: i.mark for i in cases.watch_list(now).items if i.kind == kind}


def test_the_day_bounds_agree_with_the_rules_they_stand_for():
    today = dt.date(2026, 10, 9)  # just after the National Day week
    for n in range(0, 30):
        bound = latest_day_working_days_before(today, n)
        assert working_days_between(bound, today) >= n
        assert working_days_between(bound + dt.timedelta(days=1), today) < n or n == 0
    for today in (dt.date(2026, 2, 28), dt.date(2028, 2, 29), dt.date(2026, 3, 31), dt.date(2026, 8, 31)):
        for months in (18, 22, 24, 36):
            bound = latest_day_months_before(today, months)
            assert add_months(bound, months) <= today < add_months(bound + dt.timedelta(days=1), months)
    assert china_date(start_of_day_utc(today)) == today
    assert china_date(start_of_day_utc(today) - dt.timedelta(microseconds=1)) == today - dt.timedelta(days=1)


@pytest.fixture
def filings(app, published):
    """Completed filings with no start report, whose completion instants the test sets."""
    with app.app_context():
        ids = [factories.make_case("completed").id for _ in range(6)]
    return ids


def test_lapse_marks_in_sql_match_the_two_year_clock(app, filings):
    instants = [  # around midnight in China, on month ends and a leap day
        _at_china(dt.date(2024, 2, 29), 0, 1), _at_china(dt.date(2024, 2, 28), 23, 59),
        _at_china(dt.date(2024, 8, 31), 12), _at_china(dt.date(2024, 3, 1), 0, 0),
        _at_china(dt.date(2024, 10, 31), 7, 30), _at_china(dt.date(2024, 4, 30), 23, 59),
    ]
    with app.app_context():
        for application_id, at, months in zip(filings, instants, (None, None, None, 3, 12, None), strict=True):
            db.session.execute(update(Application).where(Application.id == application_id)
                               .values(completed_at=at, start_extended_months=months))
        db.session.commit()
        rows = [db.session.get(Application, i) for i in filings]
        day = dt.date(2025, 12, 20)
        while day <= dt.date(2027, 2, 5):
            now = _at_china(day, 10)
            expected = {a.id: deadlines.lapse_clock(a, {}).mark(day) for a in rows}
            assert _marks("lapse", now) == {k: v for k, v in expected.items() if v}, day
            day += dt.timedelta(days=3 if day.day not in (26, 27, 28, 29, 30, 31, 1, 2) else 1)


def test_time_limit_marks_in_sql_match_the_case_clock(app, published):
    with app.app_context():
        open_cases = [factories.make_case("submitted") for _ in range(3)] + [factories.make_case("accepted")]
        instants = [_at_china(dt.date(2026, 9, 25), 23, 59), _at_china(dt.date(2026, 9, 26), 0, 0),
                    _at_china(dt.date(2026, 9, 30), 16), _at_china(dt.date(2026, 9, 21), 9)]
        for application, at, kind in zip(open_cases, instants, ("filing", "approval", "examination", None),
                                          strict=True):
            db.session.execute(update(Application).where(Application.id == application.id)
                               .values(submitted_at=at, filing_type=kind))
        db.session.commit()
        rows = [db.session.get(Application, a.id) for a in open_cases]
        for offset in range(0, 45):  # through the National Day week and its working weekends
            day = dt.date(2026, 9, 26) + dt.timedelta(days=offset)
            now = _at_china(day, 10)
            expected = {}
            for application in rows:
                _days, state = deadlines.time_limit_clock(application, now)
                if state != "ok":
                    expected[application.id] = "red" if state == "over" else "yellow"
            assert _marks("time_limit", now) == expected, day


def test_return_marks_in_sql_match_working_days_since_the_return(app, case):
    application_id = case("returned")
    with app.app_context():
        event = db.session.query(CaseEvent).filter_by(application_id=application_id, kind="return").one()
        event.created_at = _at_china(dt.date(2026, 9, 28), 23, 59)
        db.session.commit()
        yellow, red = app.config["RETURN_WATCH_WORKING_DAYS"]
        for offset in range(0, 50):
            day = dt.date(2026, 9, 28) + dt.timedelta(days=offset)
            days = working_days_between(event.created_at, _at_china(day, 10))
            expected = "red" if days >= red else "yellow" if days >= yellow else None
            assert _marks("return", _at_china(day, 10)).get(application_id) == expected, day


def test_a_long_list_is_counted_whole_and_shows_the_earliest(app, filings, officer, monkeypatch):
    now = clock.utcnow()
    with app.app_context():
        for years, application_id in enumerate(filings):
            db.session.execute(update(Application).where(Application.id == application_id)
                               .values(completed_at=now - dt.timedelta(days=800 + 30 * years)))
        db.session.commit()
        watch = cases.watch_list(limit=4)
        lapses = [i for i in watch.items if i.kind == "lapse"]
        assert watch.by_kind["lapse"] == 6 and watch.counts["red"] >= 6 and len(lapses) == 4
        assert [i.application.id for i in lapses] == list(reversed(filings))[:4]  # the oldest first
        assert watch.cut_kinds == ["lapse"]
        assert cases.watch_counts() == watch.counts
    from app.cases import watch as watch_module

    monkeypatch.setattr(watch_module, "WATCH_LIMIT", 4)
    page = officer.get("/review/watch").get_data(as_text=True)
    assert 'id="watch-cut"' in page and "“两年未开工”共6项，这里只列出最早的4项" in page
    assert page.count('data-kind="lapse"') == 4
    only = officer.get("/review/watch?kind=lapse").get_data(as_text=True)
    assert 'aria-current="page" href="/review/watch?kind=lapse"' in only
    assert officer.get("/review/watch?kind=nonsense").status_code == 200
