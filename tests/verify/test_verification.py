"""The public verification pages: anyone checks an issued document by its code
or by uploading the PDF; nothing personal is shown; guessing is slow and learns nothing."""

import re

import pytest
from sqlalchemy import select

from app.cases import service as cases
from app.cases.models import IssuedDocument
from app.extensions import db
from tests.support.browser import Browser
from tests.support.files import PDF, PLAIN_PDF, upload, with_incremental_update, with_one_byte_changed


@pytest.fixture
def certificate(app, case):
    app_id = case("completed")
    with app.app_context():
        issued = db.session.scalar(select(IssuedDocument).filter_by(application_id=app_id,
                                                                    kind="filing_certificate"))
        return {"code": issued.code, "pdf": cases.issued_file(issued), "app_id": app_id, "id": issued.id}


def check(client, data, name="文件.pdf"):
    return Browser(client).submit("/verify/check", {"file": upload(data, name)}, page="/verify/",
                                  content_type="multipart/form-data")


def test_a_valid_document_is_shown_as_valid_without_personal_data(client, certificate):
    page = client.get(f"/verify/{certificate['code']}").get_data(as_text=True)
    assert "有效" in page and "企业投资项目备案证明" in page and "萧山区发展和改革局" in page
    for shown in ("2311-330109-04-01-789813", "年产10万台智能电机技改项目", "杭州示例科技有限公司"):
        assert shown in page
    for personal in ("11010519491231002X", "13812345678", "王五", "张三", "zhangsan@example.com"):
        assert personal not in page


def test_the_code_may_be_typed_with_dashes_and_in_lower_case(client, certificate):
    typed = "-".join(certificate["code"][i:i + 4] for i in range(0, 16, 4)).lower()
    response = Browser(client).submit("/verify/lookup", {"code": typed}, page="/verify/")
    assert response.headers["Location"].endswith(f"/verify/{certificate['code']}")


def test_superseded_and_revoked_documents_say_so(app, case, client, officer):
    from app.cases.models import Application
    from tests.support import factories

    app_id = case("returned")
    with app.app_context():
        application = db.session.get(Application, app_id)
        cases.submit(cases.evaluate(application))
        cases.decide(application, cases.Decision("return", reason="仍需补充"), factories.officer())
        first, second = db.session.scalars(select(IssuedDocument).filter_by(application_id=app_id)
                                           .order_by(IssuedDocument.id)).all()
        first_code, second_code, second_id = first.code, second.code, second.id
    page = client.get(f"/verify/{first_code}").get_data(as_text=True)
    assert "已被替代" in page and f"/verify/{second_code}" in page
    response = officer.submit(f"/review/cases/{app_id}/issued/{second_id}/revoke", {"reason": "误发"},
                              page=f"/review/cases/{app_id}")
    assert response.status_code == 302
    page = client.get(f"/verify/{second_code}").get_data(as_text=True)
    assert "已撤销" in page and "不再有效" in page
    assert "撤销签发文件" in officer.get(f"/review/cases/{app_id}").get_data(as_text=True)


def test_an_uploaded_genuine_pdf_is_authentic(client, certificate):
    page = check(client, certificate["pdf"]).get_data(as_text=True)
    assert "真实、未被修改" in page and "企业投资项目备案证明" in page


@pytest.mark.parametrize("tamper", [with_one_byte_changed, with_incremental_update], ids=["byte", "incremental"])
def test_a_pdf_changed_after_sealing_is_not_authentic(client, certificate, tamper):
    page = check(client, tamper(certificate["pdf"])).get_data(as_text=True)
    assert "签章后被修改" in page and "真实、未被修改" not in page


def test_a_pdf_never_issued_here_is_not_issued_by_this_office(client, certificate, seal_files, tmp_path):
    assert "非本机关签发" in check(client, PDF).get_data(as_text=True)
    # Sealed, but by somebody else's key: not ours either.
    from app.seals import devseal
    from app.seals.signer import PadesSigner

    other = devseal.make_files(tmp_path / "other", "某某发展和改革局")
    signer = PadesSigner({"SEAL_KEY_PATH": str(other["key"]), "SEAL_CERT_PATH": str(other["cert"]),
                          "SEAL_CHAIN_PATHS": str(other["root"])})
    forged = signer.seal(PLAIN_PDF, 0, (50, 50, 150, 150), "伪造", "某地")
    assert "非本机关签发" in check(client, forged).get_data(as_text=True)


def _without_tokens(html):
    """The page without what differs per request anyway: the CSRF token and the language switch's return path."""
    return re.sub(r'name="(csrf_token|next)" value="[^"]+"', "", html)


def test_unknown_codes_all_get_the_same_answer(client, certificate):
    near_miss = certificate["code"][:-1] + ("Y" if certificate["code"].endswith("X") else "X")
    answers = [client.get(f"/verify/{code}") for code in ("0000000000000000", "ZZZZZZZZZZZZZZZZ", "abc", "-",
                                                           near_miss)]
    assert {a.status_code for a in answers} == {404}
    assert len({_without_tokens(a.get_data(as_text=True)) for a in answers}) == 1


def test_guessing_codes_is_rate_limited_in_chinese(app, client):
    limit = app.config["VERIFY_IP_LIMIT"]
    app.config["VERIFY_IP_LIMIT"] = "5 per minute"
    try:
        answers = [client.get(f"/verify/{i:016d}") for i in range(7)]
    finally:
        app.config["VERIFY_IP_LIMIT"] = limit
    assert [a.status_code for a in answers] == [404] * 5 + [429, 429]
    assert "操作过于频繁" in answers[-1].get_data(as_text=True)


def test_posts_need_csrf(client):
    assert client.post("/verify/lookup", data={"code": "x"}).status_code == 400
    assert client.post("/verify/check", data={"file": upload(PDF, "a.pdf")},
                       content_type="multipart/form-data").status_code == 400
