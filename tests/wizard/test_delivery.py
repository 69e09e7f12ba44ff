"""零上门： the applicant asks for the paper originals by courier; the officer records the dispatch."""

from sqlalchemy import select

from app.cases.models import CaseEvent, CourierRequest
from app.extensions import db
from tests.support.browser import flashes

GOOD = {"recipient": "张三", "mobile": "138 1234 5678", "town": "beigan_jiedao", "address": "金城路1号"}


def _request(app, app_id):
    with app.app_context():
        return db.session.scalar(select(CourierRequest).filter_by(application_id=app_id))


def test_a_request_is_checked_like_the_wizards_fields(app, case, applicant):
    app_id = case("draft")
    response = applicant.submit(f"/applications/{app_id}/delivery",
                                {"recipient": "", "mobile": "12345", "town": "mars", "address": "路\x0b1号"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in ("请填写此项", "请输入有效的手机号码", "请从列表中选择", "不能包含控制字符"):
        assert message in page
    assert _request(app, app_id) is None


def test_request_dispatch_sms_and_timeline(app, case, applicant, officer, outbox):
    app_id = case("submitted")
    response = applicant.submit(f"/applications/{app_id}/delivery", GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/applications/{app_id}")
    request = _request(app, app_id)
    assert (request.recipient, request.mobile, request.town) == ("张三", "+8613812345678", "beigan_jiedao")
    assert "纸质文件将在办结后寄往：金城路1号" in applicant.get(f"/applications/{app_id}").get_data(as_text=True)

    early = officer.submit(f"/review/cases/{app_id}/dispatch", {"carrier": "EMS", "tracking_number": "E123"},
                           page=f"/review/cases/{app_id}")
    assert "办结、转报或不予受理后才能寄出" in " ".join(officer.get(early.headers["Location"]).get_data(as_text=True)
                                                  .split())
    officer.submit(f"/review/cases/{app_id}", {"action": "accept"})
    officer.submit(f"/review/cases/{app_id}", {"action": "complete", "project_code": "2311-330109-04-01-789813"})
    dispatch = {"carrier": "中国邮政EMS", "tracking_number": "EA123"}
    response = officer.submit(f"/review/cases/{app_id}/dispatch", dispatch, page=f"/review/cases/{app_id}")
    assert "已登记寄出" in flashes(officer, response)
    assert any("纸质文件已由中国邮政EMS寄出，运单号EA123" in body for body in outbox.to("+8613812345678"))
    status = applicant.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "运单号 EA123" in status
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(select(CaseEvent).filter_by(application_id=app_id))]
    assert "courier_requested" in kinds and "courier_dispatched" in kinds
    again = officer.submit(f"/review/cases/{app_id}/dispatch", {"carrier": "EMS", "tracking_number": "X"},
                           page=f"/review/cases/{app_id}")
    assert again.status_code == 303


def test_nobody_else_can_ask_for_someone_elses_delivery(app, case, login_as):
    app_id = case("submitted")
    other = login_as("+8613955556666", ip="10.2.2.9")
    assert other.get(f"/applications/{app_id}/delivery").status_code == 404
    assert other.submit(f"/applications/{app_id}/delivery", GOOD, page="/applications/").status_code == 404
    assert _request(app, app_id) is None


def test_dispatch_without_a_request_is_refused(app, case, officer):
    app_id = case("completed")
    response = officer.submit(f"/review/cases/{app_id}/dispatch", {"carrier": "EMS", "tracking_number": "E1"},
                              page=f"/review/cases/{app_id}")
    assert response.status_code == 303
    assert "申请人未申请邮寄纸质文件" in officer.get(response.headers["Location"]).get_data(as_text=True)


def test_after_the_decision_the_page_says_why_it_cannot_be_asked_for(app, case, applicant):
    app_id = case("completed")
    page = applicant.get(f"/applications/{app_id}/delivery").get_data(as_text=True)
    assert "不能再在线申请邮寄" in page and 'name="recipient"' not in page
    response = applicant.submit(f"/applications/{app_id}/delivery", GOOD, page=f"/applications/{app_id}")
    assert response.status_code == 409 and "不能再申请邮寄" in response.get_data(as_text=True)
    assert _request(app, app_id) is None
