"""Decisions as a state machine: each allowed transition, the refusals, the SMS
for each, and the return-for-correction round trip."""

import pytest

from app.cases.models import Application, CaseEvent
from app.extensions import db
from tests.support.answers import domestic_steps
from tests.support.browser import flashes

PHONE = "+8613812345678"
CODE = "2311-330109-04-01-789813"


def state(app, app_id):
    with app.app_context():
        return db.session.get(Application, app_id).status.value


def case_sms(outbox):
    return [b for b in outbox.to(PHONE) if "验证码" not in b]


def test_accept_then_complete_with_a_project_code(submit_case, decide, officer, outbox, app):
    app_id = submit_case()
    response = decide(app_id, "accept")
    assert "已受理" in flashes(officer, response)
    assert state(app, app_id) == "accepted"
    assert "已受理" in case_sms(outbox)[-1]

    refused = decide(app_id, "complete", project_code="2026-12")
    assert refused.status_code == 422 and "项目代码应为24位" in refused.get_data(as_text=True)
    assert state(app, app_id) == "accepted"
    decide(app_id, "complete", project_code=CODE)
    assert state(app, app_id) == "completed"
    assert f"已办结，项目代码{CODE}" in case_sms(outbox)[-1]
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.project_code == CODE and application.completed_at and application.accepted_at
        events = db.session.query(CaseEvent).filter_by(application_id=app_id).order_by(CaseEvent.id).all()
        assert [(e.kind, e.from_status, e.to_status) for e in events] == [
            ("accept", "submitted", "accepted"), ("complete", "accepted", "completed")]
        assert all(e.actor.phone == "+8613900000001" for e in events)


def test_not_accepted_needs_a_reason(submit_case, decide, officer, outbox, app):
    app_id = submit_case()
    refused = decide(app_id, "not_accept")
    assert refused.status_code == 422 and "请填写理由" in refused.get_data(as_text=True)
    decide(app_id, "not_accept", reason="项目不属于本部门管辖")
    assert state(app, app_id) == "not_accepted"
    notice = case_sms(outbox)[-1]
    assert "不予受理" in notice and "理由请登录申报网站查看" in notice  # the reason itself stays on the site
    assert "项目不属于本部门管辖" not in notice


def test_only_escalated_cases_are_forwarded(submit_case, decide, officer, outbox, app):
    local = submit_case()
    assert "只有超出区级权限的项目才能转报" in flashes(officer, decide(local, "forward"))
    steps = domestic_steps()
    steps["project"]["location_scope"] = "cross_city"
    escalated = submit_case(steps)
    decide(escalated, "forward")
    assert state(app, escalated) == "forwarded"
    assert "已转报浙江省发展和改革委员会办理" in case_sms(outbox)[-1]


@pytest.mark.parametrize(("first", "illegal"), [("accept", "accept"), ("accept", "not_accept"),
                                                ("not_accept", "complete")])
def test_illegal_transitions_are_refused_with_a_message(submit_case, decide, officer, app, first, illegal):
    app_id = submit_case()
    decide(app_id, first, reason="理由")
    before = state(app, app_id)
    response = decide(app_id, illegal, reason="理由", project_code=CODE)
    assert "不能" in flashes(officer, response)
    assert state(app, app_id) == before


def test_return_for_correction_round_trip(submit_case, decide, officer, applicant, supply_materials, outbox, app):
    app_id = submit_case()
    decide(app_id, "return", return_reason="请核对项目信息", target_1="field:project_name",
           note_1="名称应与立项文件一致", target_2="step:investment", note_2="补充资金来源说明")
    assert state(app, app_id) == "returned"
    text = case_sms(outbox)[-1]
    assert "需补正" in text and "请登录申报网站查看补正意见" in text
    assert "名称应与立项文件一致" not in text  # the notes are on the site, at their fields

    status = applicant.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "请补正后重新提交" in status and "名称应与立项文件一致" in status
    step = applicant.get(f"/applications/{app_id}/steps/project").get_data(as_text=True)
    assert "审核意见：</strong>名称应与立项文件一致" in step  # at the field
    data = {**domestic_steps()["project"], "project_name": "年产10万台智能电机技改项目（修订）", "action": "next",
            "return_to": "check"}
    assert applicant.submit(f"/applications/{app_id}/steps/project", data).status_code == 302
    response = applicant.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")
    assert response.status_code == 302
    assert state(app, app_id) == "submitted"
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert [s.number for s in application.submissions] == [1, 2]
        assert application.submissions[0].answers["project_name"] == "年产10万台智能电机技改项目"
        assert application.submissions[1].answers["project_name"].endswith("（修订）")
        assert application.returned_count == 1
    # Officers now see the corrected documents; the reference did not change.
    page = officer.get(f"/review/cases/{app_id}").get_data(as_text=True)
    assert "（修订）" in page and "第2次提交" in page
    pdf = officer.get(f"/review/cases/{app_id}/documents/application_form.pdf").data
    import io

    from pypdf import PdfReader

    from tests.support.documents import squash

    assert "（修订）" in squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def test_a_return_needs_something_to_correct(submit_case, decide, officer, app):
    app_id = submit_case()
    refused = decide(app_id, "return")
    assert refused.status_code == 422 and "请说明需要修改的内容" in refused.get_data(as_text=True)
    assert state(app, app_id) == "submitted"


def test_decisions_need_csrf(submit_case, officer, app):
    app_id = submit_case()
    assert officer.post(f"/review/cases/{app_id}", {"action": "accept"}).status_code == 400
    assert state(app, app_id) == "submitted"


def test_officer_downloads_are_recorded(submit_case, officer, app):
    app_id = submit_case()
    officer.get(f"/review/cases/{app_id}/packet.zip")
    officer.get(f"/review/cases/{app_id}/documents/receipt.pdf")
    with app.app_context():
        kinds = [e.kind for e in db.session.query(CaseEvent).filter_by(application_id=app_id)]
    assert kinds == ["packet_downloaded", "document_downloaded"]
    page = officer.get(f"/review/cases/{app_id}").get_data(as_text=True)
    assert "下载材料包" in page


def test_officers_cannot_change_answers(submit_case, officer):
    app_id = submit_case()
    response = officer.submit(f"/applications/{app_id}/steps/project", {"project_name": "改", "action": "next"},
                              page=f"/review/cases/{app_id}")
    assert response.status_code == 404
