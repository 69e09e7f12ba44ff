"""The correction loop, both ways: the applicant's status page leads each note
of a return to its question, and after the resubmission the officer's case
page shows what changed and which notes were answered."""

import re

from tests.review.pages import text
from tests.support.answers import domestic_steps

NOTES = {"project_name": "名称应与立项文件一致", "scale_content": "请写明建筑面积"}
OLD_NAME, NEW_NAME = "年产10万台智能电机技改项目", "年产10万台智能电机技改项目（修订）"


def note_links(page):
    """{href: text} of the links in the list of the return's notes."""
    notes = re.search(r'<ul[^>]*id="correction-notes".*?</ul>', page, re.S)[0]
    return {href: re.sub(r"\s+", " ", label).strip()
            for href, label in re.findall(r'<a href="([^"]+)">(.*?)</a>', notes, re.S)}


def rows_of(page, field_id):
    """The [label, before, after] of the change rows of `field_id` on the case page."""
    rows = re.findall(rf'<tr data-change="{field_id}"[^>]*>(.*?)</tr>', page, re.S)
    return [[re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows]


def test_the_status_page_leads_each_note_to_its_question(case, applicant):
    app_id = case("returned", return_notes=NOTES)
    links = note_links(applicant.get(f"/applications/{app_id}").get_data(as_text=True))
    assert links == {
        f"/applications/{app_id}/steps/project?return_to=check#project_name": "项目名称：名称应与立项文件一致",
        f"/applications/{app_id}/steps/project?return_to=check#scale_content": "建设规模及内容：请写明建筑面积",
    }
    # The anchor is the question's input on the step page, which shows the note there too.
    step = applicant.get(f"/applications/{app_id}/steps/project?return_to=check").get_data(as_text=True)
    assert 'id="project_name"' in step and 'id="scale_content"' in step and "名称应与立项文件一致" in step


def test_a_note_on_a_step_leads_to_the_step(case, applicant, officer):
    app_id = case("submitted")
    officer.submit(f"/review/cases/{app_id}", {"action": "return", "target_1": "step:investment",
                                               "note_1": "补充资金来源说明"})
    links = note_links(applicant.get(f"/applications/{app_id}").get_data(as_text=True))
    assert links == {f"/applications/{app_id}/steps/investment?return_to=check": "投资估算与资金来源：补充资金来源说明"}


def test_the_case_page_shows_what_the_correction_changed_and_which_notes_it_answered(case, applicant, officer):
    app_id = case("returned", return_notes=NOTES)
    before = officer.get(f"/review/cases/{app_id}").get_data(as_text=True)
    assert 'id="changes"' not in before  # one submission: nothing to compare yet

    data = {**domestic_steps()["project"], "project_name": NEW_NAME, "action": "next", "return_to": "check"}
    assert applicant.submit(f"/applications/{app_id}/steps/project", data).status_code == 302
    response = applicant.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")
    assert response.status_code == 302

    page = officer.get(f"/review/cases/{app_id}").get_data(as_text=True)
    assert text(page, "changes-title") == "第2次提交的修改"
    assert rows_of(page, "project_name") == [["项目名称", OLD_NAME, NEW_NAME]]
    assert rows_of(page, "scale_content") == []  # unchanged, so not listed
    answered = {m[0]: m[1] for m in re.findall(r'data-note="field:(\w+)" data-answered="(\w+)"', page)}
    assert answered == {"project_name": "yes", "scale_content": "no"}
    listed = text(page, "answered-notes")
    assert "已修改 项目名称：名称应与立项文件一致" in listed
    assert "未修改 建设规模及内容：请写明建筑面积" in listed


def test_a_resubmission_without_changes_says_so(case, app, officer):
    from app.cases import service as cases
    from app.cases.models import Application
    from app.extensions import db

    app_id = case("returned", return_notes=NOTES)
    with app.app_context():
        cases.submit(cases.evaluate(db.session.get(Application, app_id)))
    page = officer.get(f"/review/cases/{app_id}").get_data(as_text=True)
    assert text(page, "no-changes") == "申报内容与上次提交相同。"
    assert set(re.findall(r'data-answered="(\w+)"', page)) == {"no"}
