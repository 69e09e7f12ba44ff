"""The seal's trusted time (TSA_URL): real RFC 3161 requests over HTTP to a
local timestamp server; when it cannot stamp, the decision is refused and
nothing is issued, stored or sent."""

import pytest
from sqlalchemy import select

from app.cases import service as cases
from app.cases.models import Application, IssuedDocument
from app.extensions import db
from app.seals import service as seals
from app.sms.models import SmsMessage
from tests.support import factories
from tests.support.browser import Browser
from tests.support.files import upload
from tests.support.tsa_stub import TsaStub


@pytest.fixture
def tsa(app, tmp_path):
    with TsaStub() as stub:
        app.config.update(TSA_URL=stub.url, TSA_TRUST_ROOTS=str(stub.write_root(tmp_path / "tsa-root.pem")))
        app.extensions.pop("onetrip_seal", None)  # the signer is made once per process, with its TSA
        yield stub
    app.config.update(TSA_URL=None, TSA_TRUST_ROOTS=None)
    app.extensions.pop("onetrip_seal", None)


def _certificate_pdf(app, app_id):
    with app.app_context():
        return cases.issued_file(db.session.scalar(select(IssuedDocument).filter_by(application_id=app_id,
                                                                                    kind="filing_certificate")))


def _complete(app, app_id):
    with app.app_context():
        application = db.session.get(Application, app_id)
        cases.decide(application, cases.Decision("complete", project_code=factories.PROJECT_CODE),
                     factories.officer())


def test_the_seal_carries_the_timestamp_servers_token(app, case, tsa, client):
    app_id = case("accepted")  # its acceptance notice is stamped too
    before = tsa.requests
    _complete(app, app_id)
    assert tsa.requests - before in (1, 2)  # pyHanko may ask once more, to size the signature before signing
    pdf = _certificate_pdf(app, app_id)
    with app.app_context():
        check = seals.examine_pdf(pdf)
    assert check.state == "sealed" and check.stamped_at is not None
    page = Browser(client).submit("/verify/check", {"file": upload(pdf, "备案证明.pdf")}, page="/verify/",
                                  content_type="multipart/form-data").get_data(as_text=True)
    assert "真实、未被修改" in page and "签章时间（可信时间戳）" in page


def test_a_timestamp_server_that_fails_refuses_the_decision_and_issues_nothing(app, case, tsa, uploads_dir):
    app_id = case("accepted")
    tsa.fail_with = 503
    with pytest.raises(cases.DecisionRefused, match="签章服务暂时不可用"):
        _complete(app, app_id)
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.status == cases.Status.ACCEPTED and application.project_code is None
        assert [d.kind for d in db.session.scalars(select(IssuedDocument))] == ["acceptance_notice"]
        completed_sms = select(SmsMessage).where(SmsMessage.body.contains("已办结"))
        assert db.session.scalars(completed_sms).all() == []
    assert len(list((uploads_dir / "issued").rglob("*.pdf"))) == 1  # the acceptance notice's only
    tsa.fail_with = None
    _complete(app, app_id)  # once the server is back, the same decision goes through
    with app.app_context():
        assert db.session.get(Application, app_id).status == cases.Status.COMPLETED


def test_an_untrusted_timestamp_leaves_the_seal_valid_but_reports_no_time(app, case, tsa):
    app_id = case("accepted")
    _complete(app, app_id)
    app.config["TSA_TRUST_ROOTS"] = None  # the timestamp server's root is not configured
    app.extensions.pop("onetrip_seal", None)
    with app.app_context():
        check = seals.examine_pdf(_certificate_pdf(app, app_id))
    assert (check.state, check.stamped_at) == ("sealed", None)
