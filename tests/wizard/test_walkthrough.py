"""Walking the whole wizard over HTTP, as applicants do."""

import re

from sqlalchemy import select

from app.cases.models import Application, Submission
from app.extensions import db
from tests.support.answers import STEP_ORDER, domestic_steps, foreign_steps
from tests.support.clock import time_passes
from tests.support.wizard import walk


def test_domestic_filing_from_start_to_reference(applicant, new_application, app, supply_materials):
    app_id = new_application()
    visited = walk(applicant, app_id, domestic_steps())
    supplied = supply_materials(applicant, app_id)
    assert supplied == ["eia_registration"]  # a 备案 asks for no paper; this one is for before construction
    assert visited == [s for s in STEP_ORDER if s != "foreign_investment"]

    check = applicant.get(f"/applications/{app_id}/check").get_data(as_text=True)
    assert "年产10万台智能电机技改项目" in check
    assert "5,000.00 万元" in check  # the computed total, printed as it will be
    assert "外商投资情况" not in check
    assert "提交前还需处理" not in check and "确认提交" in check

    response = applicant.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")
    assert response.status_code == 302
    page = applicant.get(response.headers["Location"]).get_data(as_text=True)
    reference = re.search(r"XS-\d{4}-\d{6}", page)[0]
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.reference == reference
        snapshot = application.submissions[0].answers
        assert snapshot["total_investment_wan"] == "5000.00"
        assert snapshot["contact_mobile"] == "+8613812345678"
        assert snapshot["products"] == [{"name": "智能电机", "capacity": "100000.00", "unit": "台"}]
        assert "foreign_share" not in snapshot


def test_foreign_filing_shows_the_foreign_step(applicant, new_application, app, supply_materials):
    app_id = new_application()
    visited = walk(applicant, app_id, foreign_steps())
    assert "foreign_investment" in visited
    supply_materials(applicant, app_id)
    applicant.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")
    with app.app_context():
        snapshot = db.session.get(Application, app_id).submissions[0].answers
        assert snapshot["total_investment_usd_wan"] == "700.00"
        assert snapshot["foreign_share"] == "60.00"


def test_hidden_step_answers_vanish_from_the_snapshot(applicant, new_application, app, supply_materials):
    app_id = new_application()
    walk(applicant, app_id, foreign_steps())
    # The applicant changes their mind: the enterprise is domestic after all.
    steps = domestic_steps()
    response = applicant.submit(f"/applications/{app_id}/steps/enterprise?return_to=check",
                                {**steps["enterprise"], "action": "next", "return_to": "check"})
    assert response.headers["Location"].endswith("/check")
    check = applicant.get(f"/applications/{app_id}/check").get_data(as_text=True)
    assert "外商投资情况" not in check and "Example Holdings" not in check
    supply_materials(applicant, app_id)
    applicant.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")
    with app.app_context():
        application = db.session.get(Application, app_id)
        snapshot = application.submissions[0].answers
        assert "foreign_investor_name" not in snapshot
        assert "total_investment_usd_wan" not in snapshot
        assert "foreign_share" not in snapshot
        # The draft keeps what was typed (the applicant may switch back), the case does not.
        assert application.answers["foreign_investor_name"] == "Example Holdings Ltd."


def test_next_with_missing_answers_stays_on_the_step_with_messages(applicant, new_application):
    app_id = new_application()
    response = applicant.submit(f"/applications/{app_id}/steps/project", {"project_name": "测试项目", "action": "next"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="error-summary"' in page
    assert "请选择建设性质" in page
    assert 'href="#construction_nature"' in page
    # What was valid is kept.
    assert applicant.get(f"/applications/{app_id}/steps/project").get_data(as_text=True).count("测试项目") >= 1


def test_format_errors_store_nothing(applicant, new_application, app):
    app_id = new_application()
    data = {**domestic_steps()["enterprise"], "registered_capital_wan": "一千", "credit_code": "123",
            "action": "next"}
    response = applicant.submit(f"/applications/{app_id}/steps/enterprise", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "请输入数字" in page and "统一社会信用代码应为18位，您填写了3位" in page
    assert "一千" in page  # what was typed comes back
    with app.app_context():
        assert "legal_rep_name" not in db.session.get(Application, app_id).answers


def test_save_and_leave_then_resume_after_sign_out(applicant, new_application, app, sign_in):
    app_id = new_application()
    data = {"enterprise_name": "杭州示例科技有限公司", "legal_rep_name": "王五", "action": "save"}
    response = applicant.submit(f"/applications/{app_id}/steps/enterprise", data)
    assert response.headers["Location"].endswith("/applications/")
    applicant.submit("/auth/sign-out", page="/")
    time_passes(app, seconds=61)  # a minute later, signing in again
    sign_in(applicant)
    listing = applicant.get("/applications/").get_data(as_text=True)
    assert f"/applications/{app_id}" in listing
    resume = applicant.get(f"/applications/{app_id}")
    assert resume.headers["Location"].endswith("/steps/enterprise")
    assert "王五" in applicant.get(resume.headers["Location"]).get_data(as_text=True)


def test_back_keeps_answers(applicant, new_application):
    app_id = new_application()
    steps = domestic_steps()
    applicant.submit(f"/applications/{app_id}/steps/enterprise", {**steps["enterprise"], "action": "next"})
    response = applicant.submit(f"/applications/{app_id}/steps/project",
                                {"project_name": "半途项目", "action": "back"})
    assert response.headers["Location"].endswith("/steps/enterprise")
    assert "杭州示例科技有限公司" in applicant.get(response.headers["Location"]).get_data(as_text=True)
    assert "半途项目" in applicant.get(f"/applications/{app_id}/steps/project").get_data(as_text=True)


def test_table_rows_can_be_added_and_removed_without_javascript(applicant, new_application, app):
    app_id = new_application()
    url = f"/applications/{app_id}/steps/project"
    response = applicant.submit(url, {"products-0-name": "电机", "products-0-capacity": "10",
                                      "products-0-unit": "台", "action": "add_row:products"})
    page = applicant.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="products-1-name"' in page
    applicant.submit(url, {"products-0-name": "电机", "products-0-capacity": "10", "products-0-unit": "台",
                           "products-1-name": "风机", "products-1-capacity": "5", "products-1-unit": "台",
                           "action": "remove_row:products:0"})
    with app.app_context():
        assert db.session.get(Application, app_id).answers["products"] == [
            {"name": "风机", "capacity": "5.00", "unit": "台"}]


def test_double_submit_makes_one_case(applicant, new_application, app, supply_materials):
    app_id = new_application()
    walk(applicant, app_id, domestic_steps())
    supply_materials(applicant, app_id)
    page = applicant.get(f"/applications/{app_id}/check").get_data(as_text=True)
    from tests.support.browser import csrf_from

    token = csrf_from(page)
    first = applicant.post(f"/applications/{app_id}/submit", {"csrf_token": token})
    second = applicant.post(f"/applications/{app_id}/submit", {"csrf_token": token})
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Submission)) == 1


def test_enterprise_details_are_prefilled_from_the_previous_application(applicant, new_application):
    first = new_application()
    applicant.submit(f"/applications/{first}/steps/enterprise", {**domestic_steps()["enterprise"], "action": "next"})
    second = new_application()
    page = applicant.get(f"/applications/{second}/steps/enterprise").get_data(as_text=True)
    assert "王五" in page and "zhangsan@example.com" in page


def test_delete_a_draft(applicant, new_application, app):
    app_id = new_application()
    applicant.submit(f"/applications/{app_id}/delete", page="/applications/")
    with app.app_context():
        assert db.session.get(Application, app_id) is None


def test_submitting_an_incomplete_application_is_refused_with_the_list(applicant, new_application, app):
    app_id = new_application()
    response = applicant.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")
    assert response.status_code == 422
    assert "提交前还需处理" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Application, app_id).reference is None
