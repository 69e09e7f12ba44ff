"""Life after filing, over the project's one clock (app.clock.utcnow, moved by
`today_is`): withdrawal, cancellation, start and completion reports, the
two-year clock and its lapse, deferred papers with deadlines, the watch list,
and none of it reachable on another applicant's case."""

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from app import clock
from app.cases import service as cases
from app.cases.models import Application, CaseEvent, IssuedDocument
from app.extensions import db
from app.sms.models import SmsMessage
from app.workdays import add_months, add_working_days, china_date
from tests.support import factories
from tests.support.answers import examination_steps
from tests.support.files import PDF

OTHER_PHONE = "+8613900001111"


@pytest.fixture
def today_is(monkeypatch):
    """Move the one clock to 10:00 in the district on `day`."""
    def _set(day):
        at = dt.datetime.combine(day, dt.time(2, 0))  # 10:00 in China, as naive UTC
        monkeypatch.setattr(clock, "utcnow", lambda: at)
        return at
    return _set


def _app(app, application_id):
    return db.session.get(Application, application_id)


def _filed_on(app, application_id):
    with app.app_context():
        return china_date(_app(app, application_id).completed_at)


def _sms(app, key_part):
    with app.app_context():
        return db.session.scalars(select(SmsMessage).where(SmsMessage.dedupe_key.contains(key_part))).all()


def _deferred_case(app, state="accepted"):
    """A government-funded case whose business licence is deferred (5 working days after acceptance)."""
    with app.app_context():
        user = factories.applicant()
        application = cases.start(user)
        spec = cases.spec_of(application)
        cases.save_step(cases.evaluate(application), factories.stored_answers(spec, examination_steps()),
                        spec.steps[-1].id)
        factories.supply_files(application, skip=("business_license",))
        cases.set_deferred(application.id, spec.material("business_license"), True)
        cases.submit(cases.evaluate(application))
        if state == "accepted":
            cases.decide(application, cases.Decision("accept"), factories.officer())
        return application.id


# --- 撤回 -------------------------------------------------------------------------

def test_a_submitted_case_is_withdrawn_and_leaves_the_queue(app, case, applicant, officer):
    application_id = case("submitted")
    page = f"/applications/{application_id}/after-filing"
    response = applicant.submit(f"/applications/{application_id}/withdraw", {"reason": "方案调整"}, page=page)
    assert response.status_code == 302
    with app.app_context():
        application = _app(app, application_id)
        assert application.status == cases.Status.WITHDRAWN and application.reference
        reference = application.reference
        assert db.session.scalar(select(CaseEvent).filter_by(application_id=application_id, kind="withdraw")).reason \
            == "方案调整"
    assert reference not in officer.get("/review/").get_data(as_text=True)
    assert reference in officer.get("/review/?state=withdrawn").get_data(as_text=True)
    assert "撤回申请" in officer.get(f"/review/cases/{application_id}").get_data(as_text=True)  # the timeline


def test_an_accepted_case_cannot_be_withdrawn(app, case, applicant):
    application_id = case("accepted")
    page = f"/applications/{application_id}"
    response = applicant.submit(f"/applications/{application_id}/withdraw", {}, page=page)
    assert response.status_code == 422 and "只有尚未受理的申请可以撤回" in response.get_data(as_text=True)
    with app.app_context():
        assert _app(app, application_id).status == cases.Status.ACCEPTED


# --- 注销 -------------------------------------------------------------------------

def test_a_cancellation_asked_and_confirmed_revokes_the_certificate(app, case, applicant, officer, client):
    application_id = case("completed")
    page = f"/applications/{application_id}/after-filing"
    response = applicant.submit(f"/applications/{application_id}/cancellation", {"reason": ""}, page=page)
    assert response.status_code == 422 and "申请注销时请说明原因" in response.get_data(as_text=True)
    response = applicant.submit(f"/applications/{application_id}/cancellation", {"reason": "市场变化，项目不再建设"},
                                page=page)
    assert response.status_code == 302
    case_page = officer.get(f"/review/cases/{application_id}").get_data(as_text=True)
    assert "市场变化，项目不再建设" in case_page and 'id="confirm-cancel"' in case_page
    assert officer.get("/review/watch").get_data(as_text=True).count('data-kind="cancel"') == 1
    response = officer.submit(f"/review/cases/{application_id}/cancel", page=f"/review/cases/{application_id}")
    assert response.status_code == 302
    with app.app_context():
        assert _app(app, application_id).status == cases.Status.CANCELLED
        certificate = db.session.scalar(select(IssuedDocument).filter_by(application_id=application_id))
        assert certificate.status == "revoked" and "项目已注销" in certificate.revoked_reason
        code = certificate.code
    assert "已撤销" in client.get(f"/verify/{code}").get_data(as_text=True)
    assert len(_sms(app, f"application:{application_id}:event:")) == 3  # accepted, completed, cancelled
    again = officer.submit(f"/review/cases/{application_id}/cancel", page=f"/review/cases/{application_id}")
    assert again.status_code == 303  # nothing pending any more


# --- 开工 / 竣工 -------------------------------------------------------------------

def test_start_and_completion_reports(app, case, applicant, officer, today_is):
    application_id = case("completed")
    filed = _filed_on(app, application_id)
    today_is(filed + dt.timedelta(days=40))
    page = f"/applications/{application_id}/after-filing"
    url = f"/applications/{application_id}/reports"
    early = applicant.submit(f"{url}/completion", {"happened_on": (filed + dt.timedelta(days=5)).isoformat(),
                                                   "description": "竣工"}, page=page)
    assert early.status_code == 404 or "请先报送开工" in early.get_data(as_text=True)
    bad = applicant.submit(f"{url}/start", {"happened_on": "2026-13-01", "description": "开工"}, page=page)
    assert bad.status_code == 422 and "年-月-日" in bad.get_data(as_text=True)
    future = applicant.submit(f"{url}/start", {"happened_on": (filed + dt.timedelta(days=41)).isoformat(),
                                               "description": "主体厂房开始施工"}, page=page)
    assert future.status_code == 422 and "主体厂房开始施工" in future.get_data(as_text=True)  # what was typed stays
    started = (filed + dt.timedelta(days=10)).isoformat()
    ok = applicant.submit(f"{url}/start", {"happened_on": started, "description": "主体厂房开始施工"}, page=page)
    assert ok.status_code == 302
    before = applicant.submit(f"{url}/completion", {"happened_on": (filed + dt.timedelta(days=9)).isoformat(),
                                                    "description": "竣工"}, page=page)
    assert before.status_code == 422 and "竣工日期不能早于开工日期" in before.get_data(as_text=True)
    done = applicant.submit(f"{url}/completion", {"happened_on": (filed + dt.timedelta(days=30)).isoformat(),
                                                  "description": "全部完工并投产"}, page=page)
    assert done.status_code == 302
    with app.app_context():
        assert set(cases.reports_of(application_id)) == {"start", "completion"}
    case_page = officer.get(f"/review/cases/{application_id}").get_data(as_text=True)
    assert 'data-report="start"' in case_page and "全部完工并投产" in case_page
    stats = officer.get("/review/stats").get_data(as_text=True)
    assert 'id="after-filing-funnel"' in stats


# --- The two-year clock -------------------------------------------------------

def test_start_reminders_at_18_and_22_months_exactly_once(app, case, today_is):
    application_id = case("completed")
    filed = _filed_on(app, application_id)
    for months, expected in ((17, {}), (18, {"start_reminder": 1}), (18, {}), (20, {}), (22, {"start_reminder": 1}),
                             (22, {}), (23, {})):
        today_is(add_months(filed, months))
        with app.app_context():
            assert cases.sweep() == expected, months
    reminders = _sms(app, ":start_reminder:")
    assert sorted(m.params["months"] for m in reminders) == ["18", "22"]
    assert "备案已满18个月" in reminders[0].body


def test_two_sweeps_at_once_send_each_reminder_once(app, case, today_is):
    import threading

    application_id = case("completed")
    today_is(add_months(_filed_on(app, application_id), 18))
    results, barrier = [], threading.Barrier(2)

    def run():
        with app.app_context():
            barrier.wait()
            results.append(cases.sweep())
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(_sms(app, ":start_reminder:18")) == 1


def test_a_reported_start_stops_the_clock(app, case, today_is):
    application_id = case("completed")
    filed = _filed_on(app, application_id)
    today_is(filed + dt.timedelta(days=3))
    with app.app_context():
        application = _app(app, application_id)
        cases.report(application, application.user, "start", filed + dt.timedelta(days=1), "开工")
    today_is(add_months(filed, 25))
    with app.app_context():
        assert cases.sweep() == {}
        assert not [i for i in cases.watch_list().items if i.application.id == application_id]


def test_a_filing_past_two_years_is_marked_lapsed_and_reads_so_publicly(app, case, officer, client, today_is):
    application_id = case("completed")
    filed = _filed_on(app, application_id)
    today_is(add_months(filed, 23))
    early = officer.submit(f"/review/cases/{application_id}/lapse", {}, page=f"/review/cases/{application_id}")
    assert early.status_code == 303
    with app.app_context():
        marks = {i.kind: i.mark for i in cases.watch_list().items if i.application.id == application_id}
        assert marks == {"lapse": "yellow"}
    today_is(add_months(filed, 24))
    with app.app_context():
        marks = {i.kind: i.mark for i in cases.watch_list().items if i.application.id == application_id}
        assert marks == {"lapse": "red"}
    page = officer.get(f"/review/cases/{application_id}").get_data(as_text=True)
    assert 'id="mark-lapsed"' in page
    response = officer.submit(f"/review/cases/{application_id}/lapse", {"explanation": "企业称资金未到位"},
                              page=f"/review/cases/{application_id}")
    assert response.status_code == 302
    with app.app_context():
        assert _app(app, application_id).status == cases.Status.LAPSED
        certificate = db.session.scalar(select(IssuedDocument).filter_by(application_id=application_id))
        assert certificate.status == "lapsed"
        assert db.session.scalar(select(CaseEvent).filter_by(application_id=application_id, kind="lapse")).reason \
            == "企业称资金未到位"
        code = certificate.code
    assert "已失效" in client.get(f"/verify/{code}").get_data(as_text=True)
    assert len(_sms(app, f"application:{application_id}:event:")) == 3


# --- Deferred papers (容缺受理) ----------------------------------------------------

def test_a_deferred_paper_is_reminded_then_overdue_then_voids_the_acceptance(app, published, officer, today_is,
                                                                             login_as):
    application_id = _deferred_case(app)
    with app.app_context():
        accepted = china_date(_app(app, application_id).accepted_at)
    due = add_working_days(accepted, 5)
    applicant = login_as()
    status = applicant.get(f"/applications/{application_id}").get_data(as_text=True)
    assert f"应于{due.isoformat()}前补交" in status
    today_is(add_working_days(due, -4))
    with app.app_context():
        assert cases.sweep() == {}
    today_is(add_working_days(due, -2))
    with app.app_context():
        assert cases.sweep() == {"deferral_due_soon": 1}
        assert cases.sweep() == {}
        assert {i.kind: i.mark for i in cases.watch_list().items if i.application.id == application_id} == \
            {"deferral": "yellow"}
    early = officer.submit(f"/review/cases/{application_id}/void-acceptance", {"reason": "逾期"},
                           page=f"/review/cases/{application_id}")
    assert early.status_code == 303
    today_is(add_working_days(due, 1))
    with app.app_context():
        assert cases.sweep() == {"deferral_overdue": 1}
        marks = {i.kind: i.mark for i in cases.watch_list().items if i.application.id == application_id}
        assert marks["deferral"] == "red"
    response = officer.submit(f"/review/cases/{application_id}/void-acceptance", {"reason": "营业执照逾期未补交"},
                              page=f"/review/cases/{application_id}")
    assert response.status_code == 302
    with app.app_context():
        application = _app(app, application_id)
        assert application.status == cases.Status.RETURNED and application.returned_count == 1
    assert len(_sms(app, f"application:{application_id}:deferral:business_license:")) == 2
    assert "受理已撤销" in _sms(app, f"application:{application_id}:event:")[-1].body


def test_supplying_the_deferred_paper_clears_it(app, published, login_as, today_is):
    application_id = _deferred_case(app)
    applicant = login_as()
    page = f"/applications/{application_id}/after-filing"
    html = applicant.get(page).get_data(as_text=True)
    from tests.support.browser import csrf_from

    response = applicant.post(f"/applications/{application_id}/deferred/business_license",
                              data={"csrf_token": csrf_from(html), "file": (io.BytesIO(PDF), "执照.pdf")},
                              content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        papers = cases.deferrals_of(_app(app, application_id), cases.reports_of(application_id))
        assert papers[0].supplied_at is not None
        assert cases.sweep() == {}
    again = applicant.post(f"/applications/{application_id}/deferred/business_license",
                           data={"csrf_token": csrf_from(html), "file": (io.BytesIO(PDF), "执照.pdf")},
                           content_type="multipart/form-data")
    assert again.status_code == 422 and "没有待补交的该项容缺材料" in again.get_data(as_text=True)


# --- The watch list -------------------------------------------------------------

def test_the_watch_list_marks_time_limits_and_unanswered_returns(app, case, officer, today_is):
    submitted = case("submitted")
    returned = case("returned")
    with app.app_context():
        start = china_date(_app(app, submitted).submitted_at)
    today_is(add_working_days(start, 4))  # a 备案 has 3 working days
    with app.app_context():
        marks = {(i.application.id, i.kind): i.mark for i in cases.watch_list().items}
    assert marks[(submitted, "time_limit")] == "red" and (returned, "return") not in marks
    today_is(add_working_days(start, 10))
    with app.app_context():
        marks = {(i.application.id, i.kind): i.mark for i in cases.watch_list().items}
    assert marks[(returned, "return")] == "yellow"
    today_is(add_working_days(start, 21))
    page = officer.get("/review/watch").get_data(as_text=True)
    assert f'data-kind="return" data-mark="red" data-application="{returned}"' in page
    queue = officer.get("/review/").get_data(as_text=True)
    assert 'id="watch-link"' in queue, queue[queue.find("watch"):][:600]
    assert "已超期 2" in queue


# --- Security -----------------------------------------------------------------

@pytest.mark.parametrize(("state", "path", "data"), [
    ("submitted", "withdraw", {}),
    ("completed", "cancellation", {"reason": "x"}),
    ("completed", "reports/start", {"happened_on": "2026-01-01", "description": "x"}),
])
def test_none_of_it_on_another_applicants_case(app, case, login_as, state, path, data):
    application_id = case(state)
    stranger = login_as(OTHER_PHONE)
    assert stranger.get(f"/applications/{application_id}/after-filing").status_code == 404
    html = stranger.get("/applications/").get_data(as_text=True)
    from tests.support.browser import csrf_from

    response = stranger.post(f"/applications/{application_id}/{path}", data={**data, "csrf_token": csrf_from(html)})
    assert response.status_code == 404
    with app.app_context():
        assert _app(app, application_id).status.value == state
        assert db.session.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.application_id == application_id, CaseEvent.actor_id.is_not(None),
            CaseEvent.kind.in_(("withdraw", "cancel_requested", "start_reported")))) == 0


def test_every_after_filing_post_needs_the_csrf_token(app, case, login_as, officer):
    application_id = case("completed")
    applicant = login_as()
    assert applicant.post(f"/applications/{application_id}/cancellation", data={"reason": "x"}).status_code == 400
    assert officer.post(f"/review/cases/{application_id}/lapse", data={}).status_code == 400


def test_applicants_cannot_use_the_officers_actions(app, case, login_as):
    application_id = case("completed")
    applicant = login_as()
    html = applicant.get(f"/applications/{application_id}").get_data(as_text=True)
    from tests.support.browser import csrf_from

    response = applicant.post(f"/review/cases/{application_id}/cancel", data={"csrf_token": csrf_from(html)})
    assert response.status_code in (403, 404)
    with app.app_context():
        assert _app(app, application_id).status == cases.Status.COMPLETED


def test_the_sweep_reads_only_filings_old_enough_for_a_reminder(app, case, today_is):
    from app.cases.sweep import not_started

    application_id = case("completed")
    filed = _filed_on(app, application_id)
    with app.app_context():
        assert not_started(add_months(filed, 17), 18) == []  # a recent filing is not even loaded
        assert [a.id for a in not_started(add_months(filed, 18), 18)] == [application_id]


def test_the_after_filing_pages_in_english(app, case, login_as, officer):
    from tests.support.browser import csrf_from

    application_id = case("completed")
    applicant = login_as()
    token = csrf_from(applicant.get("/").get_data(as_text=True))
    applicant.post("/language", {"lang": "en", "csrf_token": token, "next": "/"})
    page = applicant.get(f"/applications/{application_id}/after-filing").get_data(as_text=True)
    assert "Report start of construction" in page and "报送开工" not in page
    token = csrf_from(officer.get("/").get_data(as_text=True))
    officer.post("/language", {"lang": "en", "csrf_token": token, "next": "/"})
    assert "Watch list" in officer.get("/review/watch").get_data(as_text=True)
