"""Documents over HTTP: preview before submitting, downloads after, packets,
and who may fetch what."""

import hashlib
import io
import json
import zipfile

from tests.support.answers import domestic_steps
from tests.support.wizard import walk


def _submitted(applicant, new_application, complete):
    """Walked and submitted over HTTP, where the walk is part of the story."""
    app_id = new_application()
    assert complete(applicant, app_id, domestic_steps()).status_code == 302
    return app_id


def test_applicant_previews_the_pdf_before_submitting(applicant, new_application):
    app_id = new_application()
    walk(applicant, app_id, domestic_steps())
    check = applicant.get(f"/applications/{app_id}/check").get_data(as_text=True)
    assert f"/applications/{app_id}/documents/application_form.pdf" in check
    response = applicant.get(f"/applications/{app_id}/documents/application_form.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.data.startswith(b"%PDF")


def test_after_submitting_documents_and_packet_download(applicant, new_application, complete, app):
    app_id = _submitted(applicant, new_application, complete)  # the applicant's whole story, over HTTP
    page = applicant.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "企业投资项目备案信息表" in page and "收件回执" in page
    assert "项目建议书" not in page  # a proposal belongs to government-funded projects only
    word = applicant.get(f"/applications/{app_id}/documents/application_form.docx")
    assert word.status_code == 200 and word.headers["Content-Disposition"].startswith("attachment")
    assert zipfile.ZipFile(io.BytesIO(word.data)).testzip() is None

    packet = applicant.get(f"/applications/{app_id}/packet.zip")
    archive = zipfile.ZipFile(io.BytesIO(packet.data))
    names = set(archive.namelist())
    for doc in ("application_form", "materials_checklist", "receipt"):
        assert {f"documents/{doc}.pdf", f"documents/{doc}.docx"} <= names
    assert any(n.startswith("materials/eia_registration-") for n in names)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["reference"].startswith("XS-")
    assert manifest["spec"]["version"] == 1 and len(manifest["spec"]["sha256"]) == 64
    assert set(manifest["templates"]) == {"application_form.yaml", "materials_checklist.yaml", "receipt.yaml"}
    for entry in manifest["files"]:
        data = archive.read(entry["name"])
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert {e["name"] for e in manifest["files"]} == names - {"manifest.json"}
    # The same case, downloaded again, is the same packet.
    assert applicant.get(f"/applications/{app_id}/packet.zip").data == packet.data


def test_the_checklist_in_the_packet_shows_file_names_not_hashes(case, applicant):
    from tests.support.documents import squash
    from tests.support.files import PDF

    app_id = case("submitted")
    pdf = applicant.get(f"/applications/{app_id}/documents/materials_checklist.pdf").data
    from pypdf import PdfReader

    text = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "eia_registration.pdf" in text
    assert hashlib.sha256(PDF).hexdigest()[:12] not in text  # hashes stay in the packet's manifest


def test_another_applicant_cannot_fetch_documents_or_packets(case, applicant, app, login_as):
    app_id = case("submitted")
    other = login_as("+8613977778888", ip="10.3.3.3")
    assert other.get(f"/applications/{app_id}/documents/application_form.pdf").status_code == 404
    assert other.get(f"/applications/{app_id}/packet.zip").status_code == 404
    assert other.get(f"/review/cases/{app_id}/packet.zip").status_code == 403


def test_officers_download_any_cases_packet(case, applicant, app, login_as):
    app_id = case("submitted")
    officer = login_as("+8613900000001", role="officer", ip="10.4.4.4")
    packet = officer.get(f"/review/cases/{app_id}/packet.zip")
    assert packet.status_code == 200 and packet.headers["Content-Type"] == "application/zip"
    assert officer.get(f"/review/cases/{app_id}/documents/receipt.pdf").status_code == 200
    assert officer.get(f"/review/cases/{app_id}/documents/nothing.pdf").status_code == 404
    assert officer.get(f"/review/cases/{app_id}/documents/receipt.exe").status_code == 404


def test_drafts_have_no_packet_and_officers_cannot_see_drafts(applicant, new_application, app, login_as):
    app_id = new_application()
    assert applicant.get(f"/applications/{app_id}/packet.zip").status_code == 404
    officer = login_as("+8613900000001", role="officer", ip="10.5.5.5")
    assert officer.get(f"/review/cases/{app_id}/packet.zip").status_code == 404


def test_a_forged_host_header_never_reaches_a_stored_document(case, applicant, app, officer):
    from tests.support.documents import pdf_text, squash

    app_id = case("submitted")
    # The officer's own session, sent by a client that names another host.
    session = officer.client.get_cookie("session").value
    packet = app.test_client(use_cookies=False).get(f"/review/cases/{app_id}/packet.zip",
                                   headers={"Host": "evil.example", "Cookie": f"session={session}"})
    assert packet.status_code == 200, packet.headers.get("Location")
    receipt = zipfile.ZipFile(io.BytesIO(packet.data)).read("documents/receipt.pdf")
    text = squash(pdf_text(receipt))
    assert f"http://localhost/applications/{app_id}" in text
    assert "evil.example" not in text


def test_control_characters_stored_before_they_were_refused_do_not_break_the_packet(case, applicant, app, officer):
    from app.cases.models import Submission
    from app.extensions import db

    app_id = case("submitted")
    with app.app_context():
        submission = db.session.query(Submission).filter_by(application_id=app_id).one()
        submission.answers = {**submission.answers, "project_name": "控制字符\x0b\x1b项目"}
        db.session.commit()
    packet = officer.get(f"/review/cases/{app_id}/packet.zip")
    assert packet.status_code == 200
    from tests.support.documents import docx_text

    text = docx_text(zipfile.ZipFile(io.BytesIO(packet.data)).read("documents/receipt.docx"))
    assert "控制字符项目" in text
    assert officer.get(f"/review/cases/{app_id}/documents/application_form.docx").status_code == 200
