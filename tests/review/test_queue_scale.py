"""What keeps the queue fast at a province's scale (bench/queue.py measures
it): exact lookups for references and credit codes, short searches among the
newest cases only, totals counted up to a cap, keyset pages, a streamed CSV,
and statistics aggregated in the database."""

import pytest

from app.cases import queue as queue_module
from app.cases.models import Application
from app.extensions import db


def _copies(app, count):
    """`count` list-only copies of the submitted case, one minute apart (oldest first)."""
    import datetime as dt

    with app.app_context():
        base = db.session.query(Application).one()
        for i in range(count):
            db.session.add(Application(
                user_id=base.user_id, spec_version_id=base.spec_version_id, status=base.status, answers={},
                reference=f"XS-2025-{i + 500:06d}", project_name=f"批量项目{i:02d}", enterprise_name="杭州批量有限公司",
                credit_code=f"91330109MA{i:08d}", submitted_at=dt.datetime(2025, 1, 1) + dt.timedelta(minutes=i)))
        db.session.commit()


def test_a_reference_and_a_credit_code_are_looked_up_exactly(submit_case, officer, app):
    submit_case()
    _copies(app, 3)
    page = officer.get("/review/?q=xs-2025-000501").get_data(as_text=True)
    assert "共 1 件" in page and "批量项目01" in page
    assert "共 1 件" in officer.get("/review/?q=91330109MA00000002").get_data(as_text=True)


def test_a_short_search_looks_at_the_newest_cases_only(submit_case, officer, app, monkeypatch):
    submit_case()
    _copies(app, 5)
    monkeypatch.setattr(queue_module, "SHORT_SEARCH_WINDOW", 3)  # the newest three: the case and two copies
    page = officer.get("/review/?q=批量").get_data(as_text=True)
    assert 'id="short-search"' in page and "最近 3 件" in page and "共 2 件" in page
    assert "批量项目04" in page and "批量项目00" not in page
    assert "共 5 件" in officer.get("/review/?q=批量项").get_data(as_text=True)  # three characters: all of them


def test_the_total_is_counted_up_to_a_cap_and_deep_pages_are_keyset_pages(submit_case, officer, app, monkeypatch):
    submit_case()
    _copies(app, 30)
    monkeypatch.setattr(queue_module, "COUNT_CAP", 20)
    first = officer.get("/review/").get_data(as_text=True)
    assert "超过 20 件" in first and "1 / 1+" in first
    assert 'id="next-keyset"' in first  # past the counted pages, the next one is a keyset page
    after = first.split('id="next-keyset" href="')[1].split('"')[0].replace("&amp;", "&")
    second = officer.get(after).get_data(as_text=True)
    assert "批量项目25" in second and "批量项目00" not in second and "回到第一页" in second
    assert officer.get("/review/?after=not-a-cursor").status_code == 400


def test_the_csv_export_is_streamed(submit_case, officer, app):
    submit_case()
    _copies(app, 3)
    response = officer.get("/review/?format=csv")
    assert response.is_streamed
    assert response.get_data(as_text=True).count("\n") == 5  # header, the case, three copies


@pytest.mark.parametrize("decided", [1, 2])
def test_statistics_come_from_the_database(submit_case, decide, officer, app, decided):
    ids = [submit_case() for _ in range(3)]
    for app_id in ids[:decided]:
        decide(app_id, "accept")
        decide(app_id, "complete", project_code="2311-330109-04-01-789813")
    with app.app_context():
        counted = queue_module.case_figures()
        assert (counted.completed, counted.first_time, counted.total) == (decided, decided, 3)
        assert counted.by_status == {"completed": decided, "submitted": 3 - decided}
        assert queue_module.working_days_percentiles("complete_working_days", (0.5, 0.9)) == {0.5: 0.0, 0.9: 0.0}
    page = officer.get("/review/stats").get_data(as_text=True)
    assert "100%" in page and "<svg" in page


def test_percentiles_interpolate_alike_on_both_databases(submit_case, app):
    """percentile_cont on PostgreSQL, two neighbouring rows on SQLite: the same numbers (numpy's rule)."""
    submit_case()
    _copies(app, 4)
    with app.app_context():
        copies = db.session.query(Application).filter(Application.reference.like("XS-2025-%")).all()
        for days, application in zip((4, 1, 3, 2), copies, strict=True):
            application.complete_working_days = days
        db.session.commit()
        found = queue_module.working_days_percentiles("complete_working_days", (0, 0.25, 0.5, 0.9, 1))
    assert found == pytest.approx({0: 1, 0.25: 1.75, 0.5: 2.5, 0.9: 3.7, 1: 4})
