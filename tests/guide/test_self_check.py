"""The public self-check: the questions the rules read, the same outcome as the
rules themselves, nothing stored, and the answers carried into a filing."""

import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from app.cases.models import Application
from app.extensions import db
from app.guide import selfcheck
from app.rules import service as rules
from app.specs import service as specs

BASE = {"ownership": "domestic", "construction_nature": "new", "location_scope": "within_district",
        "industrial_policy": "permitted", "overcapacity_industry": False, "catalogue_item": "none",
        "gov_investment": False, "new_land": False, "energy_tce": 800, "electricity_wan_kwh": 300,
        "eia_category": "registration"}
FOREIGN = {**BASE, "ownership": "foreign", "negative_list": "restricted", "industrial_policy": "encouraged"}
ANSWER_SETS = {
    "district filing": BASE,
    "cross-district": {**BASE, "location_scope": "cross_district"},
    "cross-city": {**BASE, "location_scope": "cross_city", "new_land": True, "eia_category": "report_form"},
    "restricted foreign, USD 300 million": {**FOREIGN, "total_investment_usd_wan": 30000, "energy_tce": 10000,
                                           "eia_category": "report"},
    "restricted foreign, below": {**FOREIGN, "total_investment_usd_wan": 29999, "new_land": True,
                                  "eia_category": "none"},
    "captive power": {**BASE, "catalogue_item": "captive_power", "energy_tce": 20000, "eia_category": "report"},
    "government-funded": {**BASE, "gov_investment": True, "gov_budget_level": "district", "energy_tce": 5000},
    "over-capacity renovation": {**BASE, "construction_nature": "renovation", "overcapacity_industry": True},
    "over-capacity expansion with a swap": {**BASE, "construction_nature": "expansion", "overcapacity_industry": True,
                                            "capacity_swap": True, "energy_tce": 3000},
    "energy 10,000 tce": {**BASE, "energy_tce": 10000, "electricity_wan_kwh": 2000},
    "eliminated": {**BASE, "industrial_policy": "eliminated"},
}


def _query(app, answers):
    with app.app_context():
        spec = specs.compiled(specs.live_version())
        stored, unknown = rules.from_json(spec, answers)
        assert not unknown
        return selfcheck.as_form(spec, stored)


def _result(page):
    summary = re.search(r'id="result-summary" data-filing-type="([^"]*)" data-level="([^"]*)" '
                        r'data-escalated="([^"]*)" data-energy-review="([^"]*)"', page)
    materials = re.findall(r'data-material="([a-z_]+)"', page)
    return summary.groups(), materials


@pytest.mark.parametrize("name", list(ANSWER_SETS))
def test_the_self_check_says_what_flask_rules_evaluate_says(client, runner, app, published, name):
    answers = ANSWER_SETS[name]
    page = client.get("/check-my-project", query_string=_query(app, answers)).get_data(as_text=True)
    evaluated = json.loads(runner.invoke(args=["rules", "evaluate", "-"], input=json.dumps(answers)).output)
    summary, materials = _result(page)
    assert summary == (evaluated["filing_type"], evaluated["level"] or "", str(evaluated["escalated"]).lower(),
                       evaluated["energy_review"] or "")
    assert materials == evaluated["materials"]
    for reason in evaluated["reasons"]:
        assert reason in page


def test_it_asks_only_what_decides_and_reveals_questions_as_answers_need_them(client, published):
    page = client.get("/check-my-project").get_data(as_text=True)
    asked = re.findall(r'data-field="([a-z_]+)"', page)
    assert "project_name" not in asked and "enterprise_name" not in asked  # nothing the rules do not read
    assert "gov_budget_level" not in asked and "capacity_swap" not in asked  # hidden until they apply
    assert "请先回答左侧的问题" in page
    domestic = client.get("/check-my-project", query_string={"ownership": "domestic"}).get_data(as_text=True)
    assert 'data-field="negative_list"' not in domestic  # the spec's own show_if skips the foreign questions
    foreign = client.get("/check-my-project", query_string={"ownership": "foreign"}).get_data(as_text=True)
    assert 'data-field="negative_list"' in foreign and 'data-field="total_investment_usd_wan"' in foreign
    assert "还需回答" in foreign and 'id="start-filing"' not in foreign


def test_a_decided_result_says_where_to_go_and_how_long(client, app, published):
    page = client.get("/check-my-project", query_string=_query(app, ANSWER_SETS["cross-city"])).get_data(
        as_text=True)
    assert "不能，须向浙江省发展和改革委员会申报" in page and "自查结果，仅供参考" in page
    here = client.get("/check-my-project", query_string=_query(app, BASE)).get_data(as_text=True)
    assert "能，在本网站申报" in here and "3个工作日" in here and 'id="start-filing"' in here


def test_a_bad_value_is_told_in_chinese_and_the_rest_still_counts(client, published):
    response = client.get("/check-my-project", query_string={"ownership": "domestic", "energy_tce": "很多"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="energy_tce-error"' in page and 'id="error-summary"' in page
    assert re.search(r'value="domestic"[^>]*checked', page)  # the good answer is kept and still counts


def _row_counts():
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_the_self_check_and_the_guide_write_nothing(client, app, published):
    with app.app_context():
        before = _row_counts()
    for answers in ANSWER_SETS.values():
        client.get("/check-my-project", query_string=_query(app, answers))
    client.get("/guide")
    client.get("/guide/samples/application_form.pdf")
    with app.app_context():
        assert _row_counts() == before


def test_signed_in_the_answers_start_a_filing_that_the_wizard_shows(app, login_as, published):
    applicant = login_as()
    query = _query(app, ANSWER_SETS["cross-city"])
    page = f"/check-my-project?{'&'.join(f'{k}={v}' for k, v in query.items())}"
    response = applicant.submit("/check-my-project/start", dict(query), page=page)
    assert response.status_code == 302 and "/steps/" in response.headers["Location"]
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.answers["location_scope"] == "cross_city" and application.answers["new_land"] is True
        app_id = application.id
    step = applicant.get(f"/applications/{app_id}/steps/project").get_data(as_text=True)
    assert re.search(r'value="cross_city"[^>]*checked', step)
    assert "已用自查时的回答新建申请" in step


def test_anonymous_answers_wait_for_sign_in(app, client, login_as, published):
    from tests.support.browser import Browser

    visitor = Browser(client)
    query = _query(app, BASE)
    page = f"/check-my-project?{urlencode(query)}"
    response = visitor.submit("/check-my-project/start", dict(query), page=page)
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    resume_url = parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]
    assert resume_url.startswith("/check-my-project/resume?")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 0
    applicant = login_as(client=client)  # signing in starts a fresh session: the answers ride in the address
    resume = applicant.get(resume_url).get_data(as_text=True)
    assert 'id="start-filing"' in resume and 'name="ownership" value="domestic"' in resume
    response = applicant.submit("/check-my-project/start", dict(query), page=resume_url)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Application)).answers["ownership"] == "domestic"


def test_resume_without_answers_goes_back_to_the_self_check(login_as, published):
    response = login_as().get("/check-my-project/resume")
    assert response.status_code == 302 and response.headers["Location"].startswith("/check-my-project")


def test_starting_needs_the_csrf_token(client, app, published):
    response = client.post("/check-my-project/start", data=dict(_query(app, BASE)))
    assert response.status_code == 400
