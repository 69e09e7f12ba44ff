"""Posts that did not come from our form get a clear answer and store nothing."""

import pytest

from app.cases.models import Application
from app.extensions import db
from tests.support.answers import domestic_steps


def _answers(app, app_id):
    with app.app_context():
        return dict(db.session.get(Application, app_id).answers)


def test_unknown_fields_are_refused(applicant, new_application, app):
    app_id = new_application()
    before = _answers(app, app_id)
    data = {**domestic_steps()["enterprise"], "is_admin": "1", "action": "next"}
    response = applicant.submit(f"/applications/{app_id}/steps/enterprise", data)
    assert response.status_code == 400
    assert "请求有误" in response.get_data(as_text=True)
    assert _answers(app, app_id) == before


def test_a_field_of_another_step_is_refused(applicant, new_application, app):
    app_id = new_application()
    data = {**domestic_steps()["enterprise"], "project_name": "偷渡字段", "action": "next"}
    assert applicant.submit(f"/applications/{app_id}/steps/enterprise", data).status_code == 400
    assert "project_name" not in _answers(app, app_id)


def test_wrong_types_get_messages_and_store_nothing(applicant, new_application, app):
    app_id = new_application()
    before = _answers(app, app_id)
    data = {**domestic_steps()["investment"], "building_cost_wan": "abc", "funding_sources-0-amount_wan": "1e999999",
            "action": "next"}
    response = applicant.submit(f"/applications/{app_id}/steps/investment", data)
    assert response.status_code == 422
    assert "请输入数字" in response.get_data(as_text=True)
    assert _answers(app, app_id) == before


def test_option_outside_the_list_is_refused(applicant, new_application, app):
    app_id = new_application()
    data = {**domestic_steps()["enterprise"], "ownership": "martian", "action": "next"}
    response = applicant.submit(f"/applications/{app_id}/steps/enterprise", data)
    assert response.status_code == 422
    assert "请从列表中选择" in response.get_data(as_text=True)
    assert "ownership" not in _answers(app, app_id) or _answers(app, app_id)["ownership"] != "martian"


@pytest.mark.parametrize("field", ["project_name", "necessity"])
def test_100kb_strings_are_refused(applicant, new_application, app, field):
    app_id = new_application()
    data = {**domestic_steps()["project"], field: "长" * 100_000, "action": "next"}
    response = applicant.submit(f"/applications/{app_id}/steps/project", data)
    assert response.status_code in (400, 422)
    assert "长" * 1000 not in str(_answers(app, app_id))


def test_unknown_step_is_404(applicant, new_application):
    app_id = new_application()
    assert applicant.get(f"/applications/{app_id}/steps/no_such_step").status_code == 404
    response = applicant.submit(f"/applications/{app_id}/steps/no_such_step", {"x": "1"},
                                page=f"/applications/{app_id}/steps/enterprise")
    assert response.status_code == 404


def test_a_hidden_step_cannot_be_posted_to(applicant, new_application, app):
    app_id = new_application()
    applicant.submit(f"/applications/{app_id}/steps/enterprise", {**domestic_steps()["enterprise"], "action": "next"})
    response = applicant.submit(f"/applications/{app_id}/steps/foreign_investment",
                                {"foreign_investor_name": "X", "action": "next"},
                                page=f"/applications/{app_id}/steps/project")
    assert response.status_code == 302
    assert "foreign_investor_name" not in _answers(app, app_id)


def test_another_applicants_application_is_404_everywhere(applicant, new_application, app, login_as):
    app_id = new_application()
    other = login_as("+8613911112222", ip="10.9.9.9")
    for url in (f"/applications/{app_id}", f"/applications/{app_id}/steps/enterprise",
                f"/applications/{app_id}/check", f"/applications/{app_id}/submitted"):
        assert other.get(url).status_code == 404, url
    token_page = "/applications/"
    for url, data in ((f"/applications/{app_id}/steps/enterprise", {"enterprise_name": "抢注", "action": "next"}),
                      (f"/applications/{app_id}/submit", {}), (f"/applications/{app_id}/delete", {}),
                      (f"/applications/{app_id}/steps/enterprise/preview", {})):
        assert other.submit(url, data, page=token_page).status_code == 404, url
    with app.app_context():
        assert db.session.get(Application, app_id) is not None
        assert _answers(app, app_id).get("enterprise_name") != "抢注"


def test_posts_without_csrf_are_refused(applicant, new_application, app):
    app_id = new_application()
    response = applicant.post(f"/applications/{app_id}/steps/enterprise",
                              {**domestic_steps()["enterprise"], "action": "next"})
    assert response.status_code == 400
    assert applicant.post("/applications/new").status_code == 400


def test_signed_out_visitors_are_sent_to_sign_in(client, published):
    response = client.get("/applications/")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]


def test_submitted_applications_cannot_change(applicant, new_application, app, complete):
    app_id = new_application()
    complete(applicant, app_id, domestic_steps())
    response = applicant.get(f"/applications/{app_id}/steps/enterprise")
    assert response.status_code == 302
    response = applicant.submit(f"/applications/{app_id}/delete", page="/applications/")
    assert response.status_code == 400


def test_preview_endpoint_reports_visibility_and_totals(applicant, new_application):
    app_id = new_application()
    url = f"/applications/{app_id}/steps/enterprise/preview"
    data = applicant.submit(url, {"ownership": "foreign"}, page=f"/applications/{app_id}/steps/enterprise").json
    assert "foreign_share" in data["visible"]
    data = applicant.submit(url, {"ownership": "domestic"}, page=f"/applications/{app_id}/steps/enterprise").json
    assert "foreign_share" not in data["visible"]
    url = f"/applications/{app_id}/steps/investment/preview"
    data = applicant.submit(url, {"building_cost_wan": "1.5", "equipment_cost_wan": "2"},
                            page=f"/applications/{app_id}/steps/investment").json
    assert data["computed"]["total_investment_wan"] == "3.50 万元"


@pytest.mark.parametrize(("step", "field", "value"), [
    ("project", "project_name", "控制字符\x0b\x1b项目"),
    ("project", "necessity", "必要性说明足够长足够长足够长足够长足够长\x00足够长"),
    ("enterprise", "enterprise_name", "杭州\x7f示例"),
    ("project", "project_name", "两行\n项目"),
])
def test_control_characters_are_refused_at_the_field(applicant, new_application, app, step, field, value):
    app_id = new_application()
    before = _answers(app, app_id)
    response = applicant.submit(f"/applications/{app_id}/steps/{step}",
                                {**domestic_steps()[step], field: value, "action": "next"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "不能包含控制字符" in page and f'href="#{field}"' in page
    assert _answers(app, app_id) == before


def test_tabs_and_line_breaks_in_long_texts_are_kept(applicant, new_application, app):
    app_id = new_application()
    text = "第一段：市场需求快速增长，\t现有产线自动化程度低。\r\n第二段：技改后可提升效率并降低能耗。"
    response = applicant.submit(f"/applications/{app_id}/steps/project",
                                {**domestic_steps()["project"], "necessity": text, "action": "next"})
    assert response.status_code == 302
    assert _answers(app, app_id)["necessity"] == text.replace("\r\n", "\n")


@pytest.mark.parametrize("action", ["add_row:products\r\nX-Injected: 1", "add_row:no_such_table",
                                    "remove_row:products:x", "publish", "add_row:legal_rep_name"])
def test_crafted_actions_are_400(applicant, new_application, action):
    app_id = new_application()
    data = {**domestic_steps()["project"], "action": action}
    response = applicant.submit(f"/applications/{app_id}/steps/project", data)
    assert response.status_code == 400
    assert "X-Injected" not in response.headers
