"""备案变更: a completed filing changed by a new application of the same project.
The spec's change rules decide (25 % more investment is a change, 10 % is not
needed, name and main content together are a new filing); an officer completes
a change under the same project code, the new 备案证明 supersedes the old one on
the public page, and none of it is reachable on another applicant's case."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app import clock
from app.cases import amendments, filestore
from app.cases import service as cases
from app.cases.models import Application, CaseEvent, IssuedDocument, MaterialFile, ProjectReport
from app.extensions import db
from app.publishing import service as publishing
from app.sms.models import SmsMessage
from app.workdays import add_months, china_date
from tests.support import factories
from tests.support.answers import domestic_steps
from tests.support.browser import csrf_from
from tests.support.files import PNG
from tests.support.spec_copies import spec_copy

OTHER_PHONE = "+8613900002222"
# domestic_steps() totals 5,000 万元, of which 3,000 equipment and 2,000 a bank loan.
PLUS_25 = {"investment": {"equipment_cost_wan": "4250", "funding_sources-0-source": "own_funds",
                          "funding_sources-0-amount_wan": "3000", "funding_sources-1-source": "bank_loan",
                          "funding_sources-1-amount_wan": "3250"}}
PLUS_10 = {"investment": {"equipment_cost_wan": "3500", "funding_sources-0-source": "own_funds",
                          "funding_sources-0-amount_wan": "3000", "funding_sources-1-source": "bank_loan",
                          "funding_sources-1-amount_wan": "2500"}}
ANOTHER_PROJECT = {"project": {"project_name": "年产5000吨高性能复合材料项目",
                               "scale_content": "新建复合材料生产线3条。"}}


def _changed(app, application_id, edits):
    """Start the change of a completed filing and save `edits` (step id → form values); returns the change's id."""
    with app.app_context():
        original = db.session.get(Application, application_id)
        change = cases.start_change(original, original.user)
        spec = cases.spec_of(change)
        for step_id, values in edits.items():
            cases.save_step(cases.evaluate(change), factories.stored_answers(spec, {step_id: values}), step_id)
        return change.id


def _verdict(app, change_id):
    with app.app_context():
        return cases.evaluate(db.session.get(Application, change_id)).amendment.verdict


def _status(app, application_id):
    with app.app_context():
        return db.session.get(Application, application_id).status


# --- What the rules decide -------------------------------------------------------

def test_25_percent_more_investment_is_a_change_and_10_percent_is_not(app, case):
    bigger = _changed(app, case("completed"), PLUS_25)
    verdict = _verdict(app, bigger)
    assert verdict.outcome == "change" and verdict.rule_id == "C2"
    assert "项目总投资变化25%" in verdict.reason
    smaller = _changed(app, case("completed"), PLUS_10)
    verdict = _verdict(app, smaller)
    assert verdict.outcome == "not_needed" and verdict.largest.percent == 10


def test_name_and_main_content_together_make_a_new_filing(app, case):
    change_id = _changed(app, case("completed"), ANOTHER_PROJECT)
    assert _verdict(app, change_id).outcome == "new_filing"
    with app.app_context():
        change = db.session.get(Application, change_id)
        with pytest.raises(cases.NeedsNewFiling):
            cases.submit(cases.evaluate(change))
        assert change.status == cases.Status.DRAFT
        cases.file_as_new_project(change)  # the applicant's way out: a first filing of its own
        assert change.amends_id is None
        cases.submit(cases.evaluate(change))
        assert change.status == cases.Status.SUBMITTED


def test_a_change_that_changes_nothing_cannot_be_sent(app, case):
    change_id = _changed(app, case("completed"), {})
    with app.app_context(), pytest.raises(cases.NothingChanged):
        cases.submit(cases.evaluate(db.session.get(Application, change_id)))


@pytest.mark.parametrize(("edit", "message"), [
    (("measures: [total_investment_wan,", "measures: [project_name, total_investment_wan,"),
     "a measure is a decimal or integer field"),
    (("content: [scale_content,", "content: [no_such_field, scale_content,"), "unknown field 'no_such_field'"),
    (("when: largest_move >= 20", "when: total_investment_wan >= 20"), "unknown or not yet asked"),
    (("      expect: change\n    - name: 总投资增加10%", "      expect: new_filing\n    - name: 总投资增加10%"),
     "change example '总投资增加25%，备案变更' fails"),
])
def test_the_spec_checks_its_change_rules(app, tmp_path, edit, message):
    with app.app_context():
        verdict, _text, _lists = publishing.judge_file(spec_copy(tmp_path, spec_edits=[edit]), "district")
    assert message in " ".join(p.message for p in verdict.problems)


# --- The applicant's pages -------------------------------------------------------

def test_the_applicant_sees_the_verdict_and_the_marked_fields(app, case, applicant):
    application_id = case("completed")
    page = f"/applications/{application_id}/after-filing"
    assert 'id="start-change"' in applicant.get(page).get_data(as_text=True)
    response = applicant.submit(f"/applications/{application_id}/change", page=page)
    assert response.status_code == 302
    change_id = int(response.headers["Location"].split("/")[-2])
    again = applicant.submit(f"/applications/{application_id}/change", page=page)
    assert again.headers["Location"] == response.headers["Location"]  # the open change, not a second one
    with app.app_context():
        spec = cases.spec_of(db.session.get(Application, change_id))
        cases.save_step(cases.evaluate(db.session.get(Application, change_id)),
                        factories.stored_answers(spec, PLUS_25), "investment")
    check = applicant.get(f"/applications/{change_id}/check").get_data(as_text=True)
    assert 'data-change-outcome="change"' in check and "须办理备案变更" in check
    assert 'data-changed="equipment_cost_wan"' in check and "原备案：3,000.00" in check
    assert "提交变更申请" in check
    step = applicant.get(f"/applications/{change_id}/steps/investment").get_data(as_text=True)
    assert 'data-changed="equipment_cost_wan"' in step and 'data-changed="building_cost_wan"' not in step
    assert applicant.submit(f"/applications/{change_id}/submit", page=f"/applications/{change_id}/check") \
        .status_code == 302
    assert _status(app, change_id) == cases.Status.SUBMITTED


def test_a_small_change_is_recorded_without_the_officers(app, case, applicant, officer):
    application_id = case("completed")
    change_id = _changed(app, application_id, PLUS_10)
    check = applicant.get(f"/applications/{change_id}/check").get_data(as_text=True)
    assert "无须办理备案变更" in check and 'id="record-change"' in check
    response = applicant.submit(f"/applications/{change_id}/submit", page=f"/applications/{change_id}/check")
    assert response.headers["Location"].endswith(f"/applications/{change_id}")
    assert _status(app, change_id) == cases.Status.RECORDED
    status_page = applicant.get(f"/applications/{change_id}")
    assert status_page.status_code == 200 and "已记录（无须变更）" in status_page.get_data(as_text=True)
    assert _status(app, application_id) == cases.Status.COMPLETED  # the filing and its certificate stand
    with app.app_context():
        recorded = db.session.scalar(select(CaseEvent).filter_by(application_id=application_id,
                                                                 kind="change_recorded"))
        assert recorded.data["changed"] == ["equipment_cost_wan", "funding_sources"]
        reference = db.session.get(Application, change_id).reference
    assert reference not in officer.get("/review/").get_data(as_text=True)
    assert "记录了无须备案变更的修改" in officer.get(f"/review/cases/{application_id}").get_data(as_text=True)


def test_a_new_project_is_offered_on_the_check_page(app, case, applicant):
    change_id = _changed(app, case("completed"), ANOTHER_PROJECT)
    check_url = f"/applications/{change_id}/check"
    check = applicant.get(check_url).get_data(as_text=True)
    assert "应作为新项目备案" in check and 'id="file-as-new"' in check and 'id="record-change"' not in check
    assert applicant.submit(f"/applications/{change_id}/submit", page=check_url).status_code == 422
    assert applicant.submit(f"/applications/{change_id}/new-project", page=check_url).status_code == 302
    assert "应作为新项目备案" not in applicant.get(check_url).get_data(as_text=True)


# --- The officer, and the certificate ----------------------------------------------

def test_completing_a_change_supersedes_the_old_certificate_under_the_same_code(app, case, applicant, officer):
    application_id = case("completed")
    with app.app_context():
        db.session.add(ProjectReport(application_id=application_id, kind="start",
                                     happened_on=db.session.get(Application, application_id).completed_at.date(),
                                     description="主体厂房开始施工"))
        db.session.commit()
        old = db.session.scalar(select(IssuedDocument).filter_by(application_id=application_id,
                                                                 kind="filing_certificate"))
        old_code, project_code = old.code, db.session.get(Application, application_id).project_code
    change_id = _changed(app, application_id, PLUS_25)
    applicant.submit(f"/applications/{change_id}/submit", page=f"/applications/{change_id}/check")
    assert f'data-amends="{application_id}"' in officer.get("/review/").get_data(as_text=True)
    page = officer.get(f"/review/cases/{change_id}").get_data(as_text=True)
    assert 'id="amendment-table"' in page and 'data-change="equipment_cost_wan"' in page
    assert 'data-change="total_investment_wan"' in page and "6,250.00" in page  # the total moved with its part
    officer.submit(f"/review/cases/{change_id}", {"action": "accept"})
    wrong = officer.submit(f"/review/cases/{change_id}", {"action": "complete",
                                                          "project_code": "2312-330109-04-01-111111"})
    assert wrong.status_code == 303 and _status(app, change_id) == cases.Status.ACCEPTED
    form = officer.get(f"/review/cases/{change_id}").get_data(as_text=True)
    assert f'value="{project_code}"' in form  # prefilled with the filing's code
    officer.post(f"/review/cases/{change_id}", data={"action": "complete", "project_code": project_code,
                                                     "csrf_token": csrf_from(form)})
    assert _status(app, change_id) == cases.Status.COMPLETED
    assert _status(app, application_id) == cases.Status.CHANGED
    with app.app_context():
        old = db.session.scalar(select(IssuedDocument).filter_by(code=old_code))
        new = db.session.get(IssuedDocument, old.superseded_by_id)
        assert old.status == "superseded" and new.status == "valid" and new.application_id == change_id
        assert new.project_code == project_code
        # The project started once: the report follows the filing to its change.
        start = db.session.scalar(select(ProjectReport).filter_by(application_id=change_id, kind="start"))
        assert db.session.get(Application, change_id).started_on == start.happened_on  # off the two-year clock
        new_code = new.code
    public = app.test_client().get(f"/verify/{old_code}").get_data(as_text=True)
    assert "已被替代" in public and f"/verify/{new_code}" in public
    assert "有效" in app.test_client().get(f"/verify/{new_code}").get_data(as_text=True)
    # The old filing has nothing left to change or report; the new one has.
    old_page = applicant.get(f"/applications/{application_id}/after-filing").get_data(as_text=True)
    assert 'id="start-change"' not in old_page
    assert 'id="start-change"' in applicant.get(f"/applications/{change_id}/after-filing").get_data(as_text=True)


def test_the_certificate_of_a_change_names_the_one_it_replaces(app, case):
    application_id = case("completed")
    change_id = _changed(app, application_id, PLUS_25)
    with app.app_context():
        change = db.session.get(Application, change_id)
        cases.submit(cases.evaluate(change))
        staff = factories.officer()
        cases.decide(change, cases.Decision("accept"), staff)
        original = db.session.get(Application, application_id)
        cases.decide(change, cases.Decision("complete", project_code=original.project_code), staff)
        issued = db.session.scalar(select(IssuedDocument).filter_by(application_id=change_id,
                                                                    kind="filing_certificate"))
        text = _pdf_text(cases.issued_file(issued))
    assert "备案变更后出具" in text and "项目代码不变" in text


def _pdf_text(data):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def test_a_change_is_refused_where_the_office_does_not_change_online(app, case, applicant):
    submitted = case("submitted")
    with app.app_context(), pytest.raises(cases.DecisionRefused):
        cases.start_change(db.session.get(Application, submitted), factories.applicant())
    application_id = case("completed")
    with app.app_context():
        db.session.get(Application, application_id).filing_type = "approval"
        db.session.commit()
    page = applicant.get(f"/applications/{application_id}/after-filing").get_data(as_text=True)
    assert 'id="change-refusal"' in page and "核准和审批项目的变更请向原审批机关申请" in page
    refused = applicant.submit(f"/applications/{application_id}/change",
                               page=f"/applications/{application_id}/after-filing")
    assert refused.status_code == 422


def test_none_of_it_is_reachable_on_another_applicants_case(app, case, login_as):
    application_id = case("completed")
    change_id = _changed(app, application_id, ANOTHER_PROJECT)
    stranger = login_as(phone=OTHER_PHONE)
    own = stranger.get("/applications/").get_data(as_text=True)
    token = csrf_from(own)
    assert stranger.post(f"/applications/{application_id}/change", data={"csrf_token": token}).status_code == 404
    assert stranger.post(f"/applications/{change_id}/new-project", data={"csrf_token": token}).status_code == 404
    assert stranger.get(f"/applications/{change_id}/check").status_code == 404
    with app.app_context():
        assert db.session.get(Application, change_id).amends_id == application_id
        assert db.session.scalar(select(Application).filter_by(amends_id=application_id, user_id=None)) is None


def test_a_change_needs_the_csrf_token(app, case, applicant):
    application_id = case("completed")
    assert applicant.post(f"/applications/{application_id}/change").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Application).filter_by(amends_id=application_id)) is None


# --- Photos with a report ----------------------------------------------------------

def test_a_start_report_keeps_its_photos_and_the_officer_sees_them(app, case, applicant, officer):
    application_id = case("completed")
    page = f"/applications/{application_id}/after-filing"
    with app.app_context():
        day = china_date(db.session.get(Application, application_id).completed_at).isoformat()  # the district's
    html = applicant.get(page).get_data(as_text=True)
    response = applicant.post(f"/applications/{application_id}/reports/start", data={
        "csrf_token": csrf_from(html), "happened_on": day, "description": "基础施工",
        "photos": [(io.BytesIO(PNG), "现场1.png"), (io.BytesIO(PNG), "现场2.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        photos = db.session.scalars(select(MaterialFile).filter_by(application_id=application_id,
                                                                   material_id="report_start")).all()
        assert [p.original_name for p in photos] == ["现场1.png", "现场2.png"]
        assert db.session.get(Application, application_id).started_on == cases.reports_of(application_id)[
            "start"].happened_on  # the watch list and the sweep find unstarted filings by it
        photo_id = photos[0].id
    case_page = officer.get(f"/review/cases/{application_id}").get_data(as_text=True)
    assert 'data-photos="start"' in case_page
    with officer.get(f"/review/cases/{application_id}/files/{photo_id}?inline=1") as photo:
        assert photo.data == PNG


def test_a_report_with_a_refused_photo_leaves_nothing(app, case, applicant):
    application_id = case("completed")
    page = f"/applications/{application_id}/after-filing"
    with app.app_context():
        day = china_date(db.session.get(Application, application_id).completed_at).isoformat()  # the district's
        files_before = len(list(filestore.upload_dir().rglob("*.png")))
    html = applicant.get(page).get_data(as_text=True)
    response = applicant.post(f"/applications/{application_id}/reports/start", data={
        "csrf_token": csrf_from(html), "happened_on": day, "description": "基础施工",
        "photos": [(io.BytesIO(PNG), "现场1.png"), (io.BytesIO(b"%PDF-1.4 not a photo"), "说明.pdf")]},
        content_type="multipart/form-data")
    refused = response.get_data(as_text=True)
    assert response.status_code == 422 and "基础施工" in refused and "只接受" in refused  # the photo, not the date
    with app.app_context():
        assert cases.reports_of(application_id) == {}
        assert not db.session.scalars(select(MaterialFile).filter_by(material_id="report_start")).all()
        assert len(list(filestore.upload_dir().rglob("*.png"))) == files_before



def test_the_preview_marks_a_field_as_it_is_typed(app, case, applicant):
    change_id = _changed(app, case("completed"), {})
    form = dict(domestic_steps()["investment"], equipment_cost_wan="3600")
    data = applicant.submit(f"/applications/{change_id}/steps/investment/preview", form,
                            page=f"/applications/{change_id}/steps/investment").get_json()
    marks = data["change_marks"]  # the typed field, and the totals computed from it
    assert set(marks) == {"equipment_cost_wan", "fixed_asset_investment_wan", "total_investment_wan"}
    assert "3,000.00" in marks["equipment_cost_wan"] and "5,000.00" in marks["total_investment_wan"]
    assert 'data-change-outcome="not_needed"' in data["panel_html"]


def test_the_changed_filing_leaves_the_two_year_sweep(app, case, monkeypatch):
    application_id = case("completed")
    change_id = _changed(app, application_id, PLUS_25)
    with app.app_context():
        change, staff = db.session.get(Application, change_id), factories.officer()
        cases.submit(cases.evaluate(change))
        cases.decide(change, cases.Decision("accept"), staff)
        cases.decide(change, cases.Decision("complete", project_code=factories.PROJECT_CODE), staff)
        filed = china_date(change.completed_at)
    at = dt.datetime.combine(add_months(filed, 18), dt.time(2, 0))
    monkeypatch.setattr(clock, "utcnow", lambda: at)
    with app.app_context():
        assert cases.sweep() == {"start_reminder": 1}  # the change's, not the changed filing's too
        keys = db.session.scalars(select(SmsMessage.dedupe_key)).all()
        assert any(str(change_id) in key for key in keys if "start" in key)


def test_a_change_in_english(app, case, login_as):
    application_id = case("completed")
    change_id = _changed(app, application_id, PLUS_25)
    applicant = login_as()
    applicant.post("/language", {"lang": "en", "csrf_token": csrf_from(applicant.get("/").get_data(as_text=True)),
                                 "next": "/"})
    assert "Apply for a filing change" not in applicant.get(f"/applications/{application_id}/after-filing") \
        .get_data(as_text=True)  # the open change is continued instead
    check = applicant.get(f"/applications/{change_id}/check").get_data(as_text=True)
    assert "Filing change needed" in check and "moved by 25%" in check and "须办理备案变更" not in check


def test_two_changes_opened_at_once_are_one(app, case, monkeypatch):
    """The open-change check and the insert race: the partial unique index decides."""
    application_id = case("completed")
    first = _changed(app, application_id, {})
    with app.app_context():
        original = db.session.get(Application, application_id)
        real = amendments.open_change
        calls = iter([None])  # the racing request did not see the first change yet
        monkeypatch.setattr(amendments, "open_change", lambda a: next(calls, None) or real(a))
        assert cases.start_change(original, original.user).id == first
        assert db.session.scalar(select(func.count()).select_from(Application)
                                 .where(Application.amends_id == application_id)) == 1
