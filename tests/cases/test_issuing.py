"""Every decision issues its official result: sealed, stored once, one SMS,
and verifiable; a refused or repeated decision issues nothing."""

import hashlib
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.cases import service as cases
from app.cases.models import Application, IssuedDocument
from app.extensions import db
from app.publishing import service as publishing
from app.seals import service as seals
from app.sms.models import SmsMessage
from tests.support import factories
from tests.support.answers import domestic_steps
from tests.support.documents import scan_qr
from tests.support.spec_copies import spec_copy


def _text(pdf):
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def _issued(app, app_id):
    with app.app_context():
        return db.session.scalars(select(IssuedDocument).filter_by(application_id=app_id)
                                  .order_by(IssuedDocument.id)).all()


def _sms(app, app_id):
    with app.app_context():
        return [m.body for m in db.session.scalars(select(SmsMessage).where(
            SmsMessage.dedupe_key.startswith(f"application:{app_id}:event:")).order_by(SmsMessage.id))]


def test_completing_a_filing_issues_a_sealed_filing_certificate(app, case):
    app_id = case("completed")
    acceptance, certificate = _issued(app, app_id)
    assert acceptance.kind == "acceptance_notice"
    assert (certificate.kind, certificate.title, certificate.status) == ("filing_certificate", "企业投资项目备案证明",
                                                                        "valid")
    assert len(certificate.code) == 16 and certificate.project_code == factories.PROJECT_CODE
    with app.app_context():
        pdf = cases.issued_file(certificate)
        assert seals.examine_pdf(pdf).state == "sealed"  # pyHanko: trusted, intact, nothing changed after
        assert "萧山区发展和改革局" in seals.examine_pdf(pdf).signer
    text = _text(pdf)
    for expected in (factories.PROJECT_CODE, "萧山区发展和改革局", "年产10万台智能电机技改项目", "杭州示例科技有限公司",
                     "备案变更", "2年内", certificate.display_code, f"/verify/{certificate.code}"):
        assert expected in text, expected
    assert "11010519491231002X" not in text and "13812345678" not in text  # no personal data on it
    reader = PdfReader(io.BytesIO(pdf))
    [widget] = [a.get_object() for a in reader.pages[0].get("/Annots", []) if a.get_object().get("/FT") == "/Sig"]
    left, bottom, right, top = (float(v) for v in widget["/Rect"])
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert len(reader.pages) == 1 and 0 < left < right < width and 0 < bottom < top < height  # the seal on page 1
    assert scan_qr(pdf) == f"http://localhost/verify/{certificate.code}"  # the QR code a phone reads
    assert hashlib.sha256(pdf).hexdigest() == certificate.sha256
    messages = _sms(app, app_id)
    assert len(messages) == 2  # accepted, completed: one SMS per decision
    assert "《企业投资项目备案证明》已签发" in messages[-1] and factories.PROJECT_CODE in messages[-1]


def test_a_second_completion_issues_nothing_new(app, case):
    app_id = case("completed")
    with app.app_context():
        application = db.session.get(Application, app_id)
        with pytest.raises(cases.DecisionRefused):
            cases.decide(application, cases.Decision("complete", project_code=factories.PROJECT_CODE),
                         factories.officer())
    assert [d.kind for d in _issued(app, app_id)] == ["acceptance_notice", "filing_certificate"]
    assert len(_sms(app, app_id)) == 2


def test_a_refused_decision_leaves_no_file(app, case, uploads_dir):
    app_id = case("accepted")
    with app.app_context():
        application = db.session.get(Application, app_id)
        with pytest.raises(cases.DecisionRefused, match="项目代码"):
            cases.decide(application, cases.Decision("complete", project_code="2399-330109-04-01-789813"),
                         factories.officer())
    [acceptance] = _issued(app, app_id)  # issued when the case was accepted; nothing since
    assert acceptance.kind == "acceptance_notice"
    assert len(list((uploads_dir / "issued").rglob("*.pdf"))) == 1


def test_returning_issues_one_correction_notice_with_every_note(app, case):
    notes = {"scale_content": "请写明新增建筑面积", "registered_capital_wan": "与营业执照不一致"}
    app_id = case("returned", return_notes=notes)
    [notice] = _issued(app, app_id)
    assert notice.kind == "correction_notice" and notice.title == "补正告知书"
    with app.app_context():
        text = _text(cases.issued_file(notice))
    for expected in ("一次性告知", "建设规模及内容", "请写明新增建筑面积", "注册资本", "与营业执照不一致",
                     "1,000.00万元", "请补充说明"):
        assert expected in text, expected
    assert "补正告知书》已签发" in _sms(app, app_id)[-1]


def test_a_later_return_supersedes_the_earlier_notice(app, case):
    app_id = case("returned")
    with app.app_context():
        application = db.session.get(Application, app_id)
        cases.submit(cases.evaluate(application))
        cases.decide(application, cases.Decision("return", reason="仍需补充"), factories.officer())
    first, second = _issued(app, app_id)
    assert (first.status, first.superseded_by_id, second.status) == ("superseded", second.id, "valid")


def test_not_accepting_issues_the_notice_with_reasons_and_how_to_appeal(app, case):
    app_id = case("not_accepted")
    [notice] = _issued(app, app_id)
    with app.app_context():
        text = _text(cases.issued_file(notice))
    for expected in ("不予受理通知书", "不属于本区受理范围", "行政复议", "行政诉讼", "六十日内"):
        assert expected in text, expected


def test_forwarding_issues_the_forward_notice_naming_where_it_went(app, case):
    app_id = case("forwarded")
    [notice] = _issued(app, app_id)
    with app.app_context():
        text = _text(cases.issued_file(notice))
    assert "项目转报告知书" in text and "浙江省发展和改革委员会" in text


def test_completing_an_examination_issues_the_approval_notice(app, case):
    steps = domestic_steps()
    steps["policy"].update(gov_investment="yes", gov_budget_level="district")
    app_id = case("completed", steps=steps)
    _, notice = _issued(app, app_id)
    assert notice.kind == "approval_notice" and notice.title == "政府投资项目审批批复"
    with app.app_context():
        assert seals.examine_pdf(cases.issued_file(notice)).state == "sealed"


def test_accepting_issues_the_acceptance_notice_with_the_due_date_and_the_office(app, case):
    app_id = case("accepted")
    [notice] = _issued(app, app_id)
    assert (notice.kind, notice.title, notice.status) == ("acceptance_notice", "受理通知书", "valid")
    with app.app_context():
        pdf = cases.issued_file(notice)
        assert seals.examine_pdf(pdf).state == "sealed"
    text = _text(pdf)
    for expected in ("予以受理", "3个工作日", "0571-82890000", "萧山区发展和改革局", notice.display_code):
        assert expected in text, expected
    assert "《受理通知书》已签发" in _sms(app, app_id)[-1]


def test_a_template_failing_on_a_decision_refuses_it_with_nothing_saved(app, published, tmp_path):
    # A path no golden example takes (the gate lays out every official document for each of them):
    # the officer is told, the case stays as it was, and nothing is issued or sent.
    failing = "  - if: \"decision.reason == '模板出错'\"\n    paragraph: \"{{ raw.products[5].name }}\"\n"
    spec = spec_copy(tmp_path, template_edits={"non_acceptance_notice.yaml": [("  - seal:", failing + "  - seal:")]})
    with app.app_context():
        version, _ = publishing.publish_file(spec, app.config["SITE_LEVEL"])
        application = factories.make_case("submitted", version=version)
        with pytest.raises(cases.DecisionRefused, match="无法生成签发文件"):
            cases.decide(application, cases.Decision("not_accept", reason="模板出错"), factories.officer())
        db.session.refresh(application)
        assert application.status == cases.Status.SUBMITTED
        app_id = application.id
    assert _issued(app, app_id) == [] and _sms(app, app_id) == []
