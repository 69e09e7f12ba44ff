"""The queue, the statistics and the CSV in the officer's language: the names of
states, filing types, levels, towns and sections (the spec's), never their codes;
the CSV's times on the district's clock, with the investment, the project code,
the working days used and the limit."""

import csv
import datetime as dt
import io
import re

import pytest

from app.cases.models import Application
from app.extensions import db
from app.workdays import working_days_between
from tests.review.pages import visible_text
from tests.support.factories import PROJECT_CODE, escalated_steps

# Codes stored on the cases below: none may reach an officer's eyes.
CODES = ("district", "province", "filing", "submitted", "completed", "beigan_jiedao", "within_district",
         "cross_city", "True", "False", "None")
SUBMITTED_UTC = dt.datetime(2026, 3, 2, 1, 38)  # 09:38 on the district's clock


@pytest.fixture
def two_cases(case, app):
    """A completed district filing (submitted at SUBMITTED_UTC) and a submitted one the province decides."""
    local, far = case("completed"), case("submitted", steps=escalated_steps())
    with app.app_context():
        db.session.get(Application, local).submitted_at = SUBMITTED_UTC
        db.session.commit()
    return local, far


def in_english(browser):
    browser.submit("/language", {"lang": "en", "next": "/"}, page="/")
    return browser


def queue_table(browser, url="/review/"):
    page = browser.get(url).get_data(as_text=True)
    return page, visible_text(re.search(r'<table[^>]*id="queue".*?</table>', page, re.S)[0])


def csv_rows(browser):
    response = browser.get("/review/?format=csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def no_codes(text):
    return [code for code in CODES if re.search(rf"(?<![\w-]){code}(?![\w-])", text)]


def test_the_queue_names_types_levels_and_states(two_cases, officer):
    page, table = queue_table(officer)
    assert "备案 · 区级" in table and "备案 · 省级" in table
    assert "已办结" in table and "已提交，待受理" in table
    assert no_codes(table) == []
    # The level filter offers the spec's levels, by name.
    assert '<option value="province">省级</option>' in page and '<option value="state_council">国务院</option>' in page


def test_the_queue_in_english(two_cases, officer):
    _, table = queue_table(in_english(officer))
    assert "Filing · District" in table and "Filing · Province" in table  # the spec's name_en
    assert "Completed" in table
    assert no_codes(table) == []


def test_the_statistics_name_what_they_count(two_cases, officer):
    page = officer.get("/review/stats").get_data(as_text=True)
    tables = visible_text(page[page.index("按状态"):page.index("<figure")])
    assert re.search(r"备案 2\b", tables) and re.search(r"区级 1\b", tables) and re.search(r"省级 1\b", tables)
    assert re.search(r"已办结 1\b", tables)
    assert tables.index("区级 1") < tables.index("省级 1")  # the spec's order, lowest level first
    assert no_codes(tables) == []


def test_the_csv_reads_like_the_queue(two_cases, officer):
    header, *rows = csv_rows(officer)
    assert header == ["受理编号", "项目名称", "项目单位", "统一社会信用代码", "状态", "办理类型", "层级",
                      "超出区级权限", "行业门类", "镇街", "提交时间", "已用工作日", "时限（工作日）", "总投资（万元）",
                      "项目代码"]
    local, far = rows  # oldest submission first
    assert local[1] == "年产10万台智能电机技改项目" and far[1] == "跨市物流园项目"
    assert local[4:10] == ["已办结", "备案", "区级", "否", "制造业", "北干街道"]
    assert far[4:8] == ["已提交，待受理", "备案", "省级", "是"]
    assert local[10] == "2026-03-02 09:38"  # the district's clock, as the queue shows it
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", far[10])
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert int(local[11]) == working_days_between(SUBMITTED_UTC, now)
    assert local[12] == far[12] == "3"  # CASE_TIME_LIMITS["filing"]
    assert local[13] == far[13] == "5000.00"  # 4 900 fixed assets + 100 working capital
    assert local[14] == PROJECT_CODE and far[14] == ""
    assert no_codes(" ".join(cell for row in rows for cell in row)) == []


def test_the_csv_limit_follows_the_configuration(case, officer, app, monkeypatch):
    case("submitted")
    monkeypatch.setitem(app.config, "CASE_TIME_LIMITS", {**app.config["CASE_TIME_LIMITS"], "filing": 5})
    assert csv_rows(officer)[1][12] == "5"


def test_the_csv_in_english(two_cases, officer):
    header, local, far = csv_rows(in_english(officer))
    assert header[0] == "Reference number"
    assert local[4:8] == ["Completed", "Filing", "District", "No"] and far[6:8] == ["Province", "Yes"]


def test_the_case_page_says_which_answers_decided_in_words_without_rule_ids(officer, case):
    app_id = case("submitted")
    page = officer.get(f"/review/cases/{app_id}").get_data(as_text=True)
    start = page.index("命中的规则及读取的回答")
    matched = page[start:page.index("</details>", start)]
    assert "审批权限：" in matched and "建设地点范围 = 在本区范围内" in matched
    assert "R5" not in matched and "location_scope" not in matched
