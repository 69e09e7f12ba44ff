"""The authority outcome in the product: the live panel, the SMS, the stored outcome."""

import json
import re

import pytest

from app.cases.models import Application
from app.extensions import db
from tests.support.answers import domestic_steps
from tests.support.wizard import walk

PHONE = "+8613812345678"


def outcome_sms(outbox):
    return [b for b in outbox.to(PHONE) if "验证码" not in b]


def cross_city():
    steps = domestic_steps()
    steps["project"]["location_scope"] = "cross_city"
    return steps


def test_district_filing_sends_no_sms_and_records_the_outcome(applicant, new_application, complete, outbox, app):
    app_id = new_application()
    assert complete(applicant, app_id, domestic_steps()).status_code == 302
    assert outcome_sms(outbox) == []
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert (application.filing_type, application.level, application.escalated) == ("filing", "district", False)
        stored = application.submissions[0].outcome
        assert stored["matched"][0]["rule"] == "R5"
        assert stored["matched"][0]["inputs"] == {"location_scope": "within_district"}
        # A district filing asks for the registration receipt of its EIA only (supplied here early).
        assert [(m["id"], m["state"]) for m in application.submissions[0].materials] == \
            [("eia_registration", "uploaded")]


def test_escalated_case_is_submitted_and_told_once_by_sms(applicant, new_application, complete, outbox, app):
    app_id = new_application()
    response = complete(applicant, app_id, cross_city())
    assert response.status_code == 302
    messages = outcome_sms(outbox)
    assert len(messages) == 1
    text = messages[0]
    assert text.startswith("【最多跑一次】")
    assert "超出区级权限" in text and "浙江省发展和改革委员会" in text and "备案" in text
    # The reasons stay on the site: no rule ids, no pasted explanations, a pointer to where they are.
    assert "跨设区市" not in text and not re.search(r"R\d", text) and "】" not in text[len("【最多跑一次】"):]
    assert "下一步请登录申报网站查看" in text
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.escalated and application.level == "province"
        text_ref = application.reference
    assert text_ref in text
    # Replays of the submit post change nothing and send nothing.
    applicant.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/view"
                     if False else "/applications/")
    assert len(outcome_sms(outbox)) == 1


def test_rejected_case_cannot_be_submitted_and_is_told_once(applicant, new_application, supply_materials,
                                                            outbox, app):
    app_id = new_application()
    steps = domestic_steps()
    steps["project"]["construction_nature"] = "new"
    steps["policy"]["industrial_policy"] = "restricted"
    walk(applicant, app_id, steps)
    page = applicant.get(f"/applications/{app_id}/check").get_data(as_text=True)
    # Why and on what basis, as a self-check result; no coaching to change answers, no submit button.
    assert "自查结果：按现有方案不能申报" in page and "限制类" in page and "不是行政机关的决定" in page
    assert 'id="submit-blocked"' in page and "确认提交" not in page and "请修改项目方案" not in page
    summary = applicant.get(f"/applications/{app_id}/documents/self_check.pdf")
    assert summary.status_code == 200 and summary.data.startswith(b"%PDF")  # the downloadable self-check result
    for _ in range(3):  # a replayed post is refused the same way
        response = applicant.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/steps/policy")
        assert response.status_code == 422
        assert "自查结果：按现有方案不能申报" in response.get_data(as_text=True)
    messages = outcome_sms(outbox)
    assert len(messages) == 1
    assert "按现有方案不能在本区申报" in messages[0] and "请修改" not in messages[0]
    assert "限制类" not in messages[0]  # the reason is on the self-check result, not in the SMS
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.reference is None and application.submissions == []


def test_energy_review_above_the_district_is_told_by_sms(applicant, new_application, complete, outbox):
    app_id = new_application()
    steps = domestic_steps()
    steps["resources"]["energy_tce"] = "6000"
    complete(applicant, app_id, steps)
    messages = outcome_sms(outbox)
    assert len(messages) == 1
    assert "另须报市级节能审查" in messages[0]


def test_cross_field_error_keeps_the_applicant_on_the_step(applicant, new_application):
    app_id = new_application()
    data = {**domestic_steps()["investment"], "funding_sources-1-amount_wan": "1000", "action": "next"}
    response = applicant.submit(f"/applications/{app_id}/steps/investment", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "应等于项目总投资" in page and 'href="#funding_sources"' in page


def test_completion_before_start_is_refused_on_the_schedule_step(applicant, new_application):
    app_id = new_application()
    response = applicant.submit(f"/applications/{app_id}/steps/schedule",
                                {"planned_start": "2027-06", "planned_completion": "2027-01", "action": "next"})
    assert response.status_code == 422
    assert "计划竣工时间应晚于计划开工时间" in response.get_data(as_text=True)


def test_live_panel_on_every_step_and_in_the_preview(applicant, new_application):
    app_id = new_application()
    page = applicant.get(f"/applications/{app_id}/steps/enterprise").get_data(as_text=True)
    assert 'id="live-panel"' in page and "待判定" in page
    url = f"/applications/{app_id}/steps/project/preview"
    for step_id, data in cross_city().items():
        if step_id not in ("project", "foreign_investment"):
            applicant.submit(f"/applications/{app_id}/steps/{step_id}", {**data, "action": "next"})
    data = applicant.submit(url, {**cross_city()["project"]}, page=f"/applications/{app_id}/steps/project").json
    assert data["outcome"]["level"] == "province" and data["outcome"]["escalated"] is True
    assert "超出区级权限" in data["panel_html"]
    data = applicant.submit(url, {**domestic_steps()["project"]}, page=f"/applications/{app_id}/steps/project").json
    assert data["outcome"]["escalated"] is False
    assert data["outcome"]["filing_type"] == "filing" and data["outcome"]["materials"] == ["eia_registration"]


def test_no_verdict_before_the_deciding_questions_are_answered(applicant, new_application, runner, tmp_path):
    app_id = new_application()
    applicant.submit(f"/applications/{app_id}/steps/enterprise", {**domestic_steps()["enterprise"], "action": "next"})
    panel = applicant.get(f"/applications/{app_id}/steps/project").get_data(as_text=True)
    panel = panel[panel.index('id="live-panel"'):]
    assert "待判定" in panel and "本区可以办理" not in panel and "需要准备的材料" not in panel
    # The questions the authority rules read, each linking to its place.
    for label, anchor in (("建设地点范围", "#location_scope"), ("产业结构调整指导目录", "#industrial_policy"),
                          ("建设性质", "#construction_nature")):
        assert label in panel and anchor in panel, label
    # Once everything is answered, the verdict is the one `flask rules evaluate` gives.
    walk(applicant, app_id, domestic_steps())
    panel = applicant.get(f"/applications/{app_id}/check").get_data(as_text=True)
    assert "待判定" not in panel and "区级备案" in panel and "本区可以办理" in panel
    from tests.support.documents import DEMO

    source = tmp_path / "answers.json"
    source.write_text(json.dumps(DEMO, ensure_ascii=False), encoding="utf-8")
    verdict = json.loads(runner.invoke(args=["rules", "evaluate", str(source)]).output)
    assert (verdict["filing_type"], verdict["level"], verdict["escalated"]) == ("filing", "district", False)


@pytest.mark.parametrize("lang", ["en"])
def test_panel_speaks_english_when_chosen(applicant, new_application, lang):
    app_id = new_application()
    applicant.submit("/language", {"lang": lang, "next": "/"}, page="/")
    page = applicant.get(f"/applications/{app_id}/steps/enterprise").get_data(as_text=True)
    assert "Xiaoshan District Development and Reform Bureau" in page
