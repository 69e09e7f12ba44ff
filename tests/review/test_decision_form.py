"""The decision form cannot mislead: no action is chosen for the officer, each
action's fields stand in a fieldset of their own, and a decision refused for
what was typed comes back (422) with the choice, the text and each message at
its field."""

import re

from app.cases.models import Application, CaseEvent
from app.extensions import db
from tests.review.pages import attrs, parse, text
from tests.support.browser import csrf_from

CODE = "2311-330109-04-01-789813"
PHONE = "+8613812345678"


def state(app, app_id):
    with app.app_context():
        return db.session.get(Application, app_id).status.value


def decisions(app, app_id):
    with app.app_context():
        return db.session.query(CaseEvent).filter(CaseEvent.application_id == app_id,
                                                  CaseEvent.from_status.isnot(None)).count()


def fieldset(page, action):
    """The HTML of the fieldset of `action`'s fields; None when the page has none."""
    match = re.search(rf'<fieldset[^>]*id="fields-{action}".*?</fieldset>', page, re.S)
    return match[0] if match else None


def checked(page):
    """The actions whose radio is checked."""
    found = parse(page).attrs
    return [a["value"] for element_id, a in found.items() if element_id.startswith("action-") and "checked" in a]


def described_by(page, element_id):
    return (attrs(page, element_id).get("aria-describedby") or "").split()


def test_no_action_is_chosen_for_the_officer(case, officer):
    page = officer.get(f"/review/cases/{case('submitted')}").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="action"[^>]*>', page)
    assert len(radios) == 3  # 受理, 退回补正, 不予受理
    assert checked(page) == []


def test_each_action_has_its_own_fields(case, officer):
    submitted = officer.get(f"/review/cases/{case('submitted')}").get_data(as_text=True)
    assert fieldset(submitted, "complete") is None and 'name="project_code"' not in submitted  # not allowed yet
    not_accept, returning = fieldset(submitted, "not_accept"), fieldset(submitted, "return")
    assert "不予受理" in not_accept and 'name="reason"' in not_accept
    assert 'name="note_1"' not in not_accept and 'name="project_code"' not in not_accept
    assert "退回补正" in returning and 'name="target_1"' in returning and 'name="note_3"' in returning
    assert 'name="return_reason"' in returning and 'name="reason"' not in returning

    accepted = officer.get(f"/review/cases/{case('accepted')}").get_data(as_text=True)
    complete = fieldset(accepted, "complete")
    assert "办结" in complete and 'name="project_code"' in complete and 'name="reason"' not in complete
    assert fieldset(accepted, "not_accept") is None and attrs(accepted, "reason") == {}
    # Shown only once chosen, by CSS (no script); where :has() is unknown, all show, each with its legend.
    assert ".decision-form:has(#action-complete:checked) #fields-complete" in accepted
    assert "@supports selector(:has(*))" in accepted


def test_the_forward_fields_are_for_escalated_cases_only(case, officer):
    local = officer.get(f"/review/cases/{case('accepted')}").get_data(as_text=True)
    assert fieldset(local, "forward") is None
    from tests.support.factories import escalated_steps

    escalated = officer.get(f"/review/cases/{case('submitted', steps=escalated_steps())}").get_data(as_text=True)
    assert 'name="forward_reason"' in fieldset(escalated, "forward")


def test_a_post_without_a_choice_is_refused_at_the_choice(case, officer, app):
    app_id = case("submitted")
    response = officer.submit(f"/review/cases/{app_id}", {"reason": "写了理由却没选操作"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "请选择一项操作" in text(page, "action-error")
    assert "error" in attrs(page, "action-error")["class"].split()
    assert described_by(page, "fields-action") == ["action-error"]
    assert attrs(page, "reason")["tag"] == "textarea" and "写了理由却没选操作" in text(page, "reason")
    assert state(app, app_id) == "submitted" and decisions(app, app_id) == 0


def test_a_malformed_project_code_stays_with_its_message(case, officer, outbox, app):
    app_id = case("accepted")
    sms_before = len(outbox.to(PHONE))
    response = officer.submit(f"/review/cases/{app_id}", {"action": "complete", "project_code": "2026-12"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert checked(page) == ["complete"]
    assert attrs(page, "project_code")["value"] == "2026-12"
    assert text(page, "project_code-error") == "项目代码应为24位，分五段，如 2311-330109-04-01-789813。"
    assert "error" in attrs(page, "project_code-error")["class"].split()
    assert described_by(page, "project_code") == ["project_code-hint", "project_code-error"]
    assert attrs(page, "project_code")["aria-invalid"] == "true"
    assert "项目代码应为24位" in text(page, "decision-errors")  # and listed above the form
    assert f'action="/review/cases/{app_id}#decide"' in page  # the browser shows the form, not the page top
    assert state(app, app_id) == "accepted" and len(outbox.to(PHONE)) == sms_before

    # The page that came back is a form like any other: corrected, it goes through (CSRF and all).
    fixed = officer.post(f"/review/cases/{app_id}", {"action": "complete", "project_code": CODE,
                                                     "csrf_token": csrf_from(page)})
    assert fixed.status_code == 302
    assert state(app, app_id) == "completed"


def test_a_project_code_from_the_future_or_none_at_all(case, officer, app):
    app_id = case("accepted")
    future = officer.submit(f"/review/cases/{app_id}",
                            {"action": "complete", "project_code": "9912-330109-04-01-789813"})
    assert future.status_code == 422
    assert "晚于今天" in text(future.get_data(as_text=True), "project_code-error")
    empty = officer.submit(f"/review/cases/{app_id}", {"action": "complete", "project_code": "  "})
    assert empty.status_code == 422
    assert text(empty.get_data(as_text=True), "project_code-error") == "办结时请填写项目代码。"
    assert state(app, app_id) == "accepted"


def test_not_accepting_without_a_reason(case, officer, app):
    app_id = case("submitted")
    response = officer.submit(f"/review/cases/{app_id}", {"action": "not_accept", "reason": "   ",
                                                          "return_reason": "这里写的不算"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert checked(page) == ["not_accept"]
    assert text(page, "reason-error") == "不予受理时请填写理由。"
    assert "reason-error" in described_by(page, "reason") and attrs(page, "reason")["aria-invalid"] == "true"
    assert "这里写的不算" in text(page, "return_reason")  # what was typed elsewhere is kept too
    assert state(app, app_id) == "submitted"


def test_a_return_keeps_its_rows_and_says_which_one_is_wrong(case, officer, app):
    app_id = case("submitted")
    response = officer.submit(f"/review/cases/{app_id}", {
        "action": "return", "target_1": "field:project_name", "note_1": "名称应与立项文件一致",
        "target_2": "", "note_2": "这一条没有选择内容"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert checked(page) == ["return"]
    assert text(page, "target_2-error") == "请选择这条修改要求对应的内容。"
    assert described_by(page, "target_2") == ["target_2-error"]
    assert "target_1-error" not in page
    assert attrs(page, "note_1")["value"] == "名称应与立项文件一致"
    assert attrs(page, "note_2")["value"] == "这一条没有选择内容"
    assert re.search(r'<option selected value="field:project_name">|<option value="field:project_name" selected>',
                     page)
    assert state(app, app_id) == "submitted"


def test_a_return_with_nothing_to_correct(case, officer, app):
    app_id = case("submitted")
    response = officer.submit(f"/review/cases/{app_id}", {"action": "return", "target_1": "field:project_name"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert text(page, "corrections-error") == "退回补正时请说明需要修改的内容。"
    assert described_by(page, "fields-return") == ["corrections-error"]
    assert state(app, app_id) == "submitted"


def test_a_refused_post_still_needs_its_csrf_token(case, officer, app):
    app_id = case("accepted")
    assert officer.post(f"/review/cases/{app_id}", {"action": "complete", "project_code": "bad"}).status_code == 400
    assert officer.post(f"/review/cases/{app_id}", {"action": "complete", "project_code": CODE}).status_code == 400
    assert state(app, app_id) == "accepted"
