"""Several files for one material (an ID card's two sides, a scan page by page):
each listed and kept, deleted one at a time, at most MAX_FILES_PER_MATERIAL;
each frozen with the submission, on the officer's page, in the packet and on
the printed checklist. With JavaScript, the page asks for JSON and gets the
material's block anew."""

import hashlib
import io
import re
import zipfile

import pytest
from sqlalchemy import select

from app.cases import service as cases
from app.cases.models import Application, MaterialFile, Submission
from app.extensions import db
from tests.support.answers import examination_steps
from tests.support.documents import pdf_text, squash
from tests.support.files import ELF, JPG, PDF, PNG, upload
from tests.support.wizard import walk

JSON = {"Accept": "application/json"}


@pytest.fixture
def filled(applicant, new_application, uploads_dir):
    """A district examination case: the business licence (deferrable) and the project proposal are needed."""
    app_id = new_application()
    walk(applicant, app_id, examination_steps())
    return app_id


def post_file(browser, app_id, material, data, name, headers=None):
    return browser.submit(f"/applications/{app_id}/materials/{material}", {"file": upload(data, name)},
                          page=f"/applications/{app_id}/materials", content_type="multipart/form-data",
                          headers=headers or {})


def files_of(app, material_id=None):
    with app.app_context():
        query = select(MaterialFile).order_by(MaterialFile.id)
        if material_id:
            query = query.filter_by(material_id=material_id)
        return db.session.scalars(query).all()


def block(html, material_id):
    """One material's block of the materials page."""
    start = html.index(f'id="m-{material_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def materials_page(browser, app_id):
    return browser.get(f"/applications/{app_id}/materials").get_data(as_text=True)


def state_of(html, material_id):
    return re.search(r'<span class="badge[^"]*">([^<]+)<', block(html, material_id))[1]


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_an_id_cards_two_sides_are_two_files_each_listed_and_each_in_the_officers_packet(applicant, filled, app,
                                                                                         officer):
    post_file(applicant, filled, "business_license", JPG, "正面.jpg")
    post_file(applicant, filled, "business_license", PNG, "反面.png")
    post_file(applicant, filled, "project_proposal", PDF, "proposal.pdf")
    front, back = files_of(app, "business_license")
    licence = block(materials_page(applicant, filled), "business_license")
    for record, data in ((front, JPG), (back, PNG)):
        assert record.original_name in licence and sha(data)[:12] in licence
        assert f"/applications/{filled}/materials/business_license/files/{record.id}/delete" in licence
    assert licence.count("上传于") == 2 and "添加文件" in licence
    assert state_of(materials_page(applicant, filled), "business_license") == "已上传"

    assert applicant.submit(f"/applications/{filled}/submit", page=f"/applications/{filled}/check").status_code == 302
    case_page = officer.get(f"/review/cases/{filled}").get_data(as_text=True)
    for record, data in ((front, JPG), (back, PNG)):
        assert f"/review/cases/{filled}/files/{record.id}?inline=1" in case_page and record.original_name in case_page
        download = officer.get(f"/review/cases/{filled}/files/{record.id}")
        assert download.status_code == 200 and download.data == data
        download.close()
    archive = zipfile.ZipFile(io.BytesIO(officer.get(f"/review/cases/{filled}/packet.zip").data))
    # Numbered where a material has several files, in upload order; one file keeps the plain name.
    assert archive.read("materials/business_license-1-正面.jpg") == JPG
    assert archive.read("materials/business_license-2-反面.png") == PNG
    assert archive.read("materials/project_proposal-proposal.pdf") == PDF
    names = archive.namelist()
    assert len(names) == len(set(names))


def test_the_submission_freezes_every_file_and_the_printed_checklist_names_them(case, app, applicant):
    app_id = case("submitted", files=2)
    with app.app_context():
        submission = db.session.scalars(select(Submission).filter_by(application_id=app_id)).one()
        [frozen] = [m for m in submission.materials if m["id"] == "eia_registration"]
        assert [f["name"] for f in frozen["files"]] == ["eia_registration-1.pdf", "eia_registration-2.pdf"]
        assert {f["sha256"] for f in frozen["files"]} == {sha(PDF)} and frozen["state"] == "uploaded"
        evaluation = cases.evaluate_submission(db.session.get(Application, app_id))
        [printed] = [m for m in evaluation.document_data.materials if m["id"] == "eia_registration"]
        assert printed["file"] == "eia_registration-1.pdf、eia_registration-2.pdf"
        assert printed["size"] == 2 * len(PDF) and len(printed["files"]) == 2
    text = squash(pdf_text(applicant.get(f"/applications/{app_id}/documents/materials_checklist.pdf").data))
    assert "eia_registration-1.pdf、eia_registration-2.pdf" in text


def test_a_submission_frozen_with_one_file_at_the_top_still_reads(case, app, applicant):
    """Submissions frozen before a material could have several files name it as `file`, `sha256`…"""
    app_id = case("submitted")
    with app.app_context():
        submission = db.session.scalars(select(Submission).filter_by(application_id=app_id)).one()
        legacy = []
        for m in submission.materials:
            m = dict(m)
            for f in m.pop("files", [])[:1]:
                m.update(file=f["name"], sha256=f["sha256"], size=f["size"], kind=f["kind"])
            legacy.append(m)
        submission.materials = legacy
        db.session.commit()
        item = next(i for i in cases.evaluate_submission(db.session.get(Application, app_id)).checklist
                    if i.need.id == "eia_registration")
        assert [(f.original_name, f.sha256) for f in item.files] == [("eia_registration.pdf", sha(PDF))]
    text = squash(pdf_text(applicant.get(f"/applications/{app_id}/documents/materials_checklist.pdf").data))
    assert "eia_registration.pdf" in text


def test_deleting_one_file_keeps_the_others_and_the_material_stays_supplied(applicant, filled, app, uploads_dir):
    for name in ("第1页.pdf", "第2页.pdf", "第3页.pdf"):
        post_file(applicant, filled, "business_license", PDF, name)
    first, second, third = files_of(app)
    applicant.submit(f"/applications/{filled}/materials/business_license/files/{second.id}/delete",
                     page=f"/applications/{filled}/materials")
    assert [f.original_name for f in files_of(app)] == ["第1页.pdf", "第3页.pdf"]
    assert not (uploads_dir / second.stored_name[:2] / second.stored_name).exists()
    assert (uploads_dir / first.stored_name[:2] / first.stored_name).exists()
    page = materials_page(applicant, filled)
    assert "第2页.pdf" not in block(page, "business_license") and state_of(page, "business_license") == "已上传"
    for record in (first, third):
        applicant.submit(f"/applications/{filled}/materials/business_license/files/{record.id}/delete",
                         page=f"/applications/{filled}/materials")
    assert files_of(app) == [] and state_of(materials_page(applicant, filled), "business_license") == "待上传"


def test_at_most_max_files_per_material(applicant, filled, app, uploads_dir, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_FILES_PER_MATERIAL", 2)
    post_file(applicant, filled, "business_license", PDF, "a.pdf")
    post_file(applicant, filled, "business_license", PDF, "b.pdf")
    response = post_file(applicant, filled, "business_license", PDF, "c.pdf")
    assert response.status_code == 303
    page = applicant.get(response.headers["Location"]).get_data(as_text=True)
    assert "“营业执照”未上传：每项材料最多上传2个文件。如需更换，请先删除不需要的文件。" in page
    assert [f.original_name for f in files_of(app)] == ["a.pdf", "b.pdf"]
    assert len([p for p in uploads_dir.rglob("*") if p.is_file()]) == 2  # the refused copy is gone
    licence = block(page, "business_license")
    assert "已达到每项2个文件的上限" in licence
    assert f'action="/applications/{filled}/materials/business_license"' not in licence  # no upload form
    assert f'action="/applications/{filled}/materials/project_proposal"' in page
    # With JavaScript the same refusal is a 422 with the message.
    response = post_file(applicant, filled, "business_license", PDF, "d.pdf", headers=JSON)
    assert response.status_code == 422 and "每项材料最多上传2个文件" in response.get_json()["message"]


def test_with_javascript_an_upload_answers_the_block_anew(applicant, filled, app):
    response = post_file(applicant, filled, "business_license", PDF, "营业执照.pdf", headers=JSON)
    assert response.status_code == 200 and response.is_json
    data = response.get_json()
    assert data["message"] == "已上传“营业执照.pdf”。"
    html = data["html"]
    assert html.startswith('<section class="card mb-3" id="m-business_license"') and "<html" not in html
    assert 'role="status"' in html and data["message"] in html and "营业执照.pdf" in html
    assert re.search(r'<span class="badge[^"]*">已上传<', html)
    [record] = files_of(app)
    assert f"/applications/{filled}/files/{record.id}?inline=1" in html
    # Nothing left over for the next page: the message was shown in the block.
    assert data["message"] not in materials_page(applicant, filled)


def test_with_javascript_a_refused_file_is_a_422_with_the_message_in_the_block(applicant, filled, app, uploads_dir):
    response = post_file(applicant, filled, "business_license", ELF, "setup.pdf",
                         headers={"X-Requested-With": "fetch"})
    assert response.status_code == 422
    data = response.get_json()
    assert data["message"].startswith("“营业执照”未上传：") and "只接受PDF、JPG或PNG文件" in data["message"]
    assert re.search(r'role="alert"[^>]*>' + re.escape(data["message"]) + "<", data["html"])
    assert files_of(app) == [] and [p for p in uploads_dir.rglob("*") if p.is_file()] == []
    empty = applicant.submit(f"/applications/{filled}/materials/business_license", {},
                             page=f"/applications/{filled}/materials", headers=JSON)
    assert empty.status_code == 422 and empty.get_json()["message"] == "请选择要上传的文件。"


def test_with_javascript_delete_and_defer_answer_the_block_too(applicant, filled, app):
    post_file(applicant, filled, "business_license", PDF, "a.pdf")
    [record] = files_of(app)
    response = applicant.submit(f"/applications/{filled}/materials/business_license/files/{record.id}/delete",
                                page=f"/applications/{filled}/materials", headers=JSON)
    assert response.status_code == 200 and response.get_json()["message"] == "已删除“a.pdf”。"
    assert "a.pdf" not in response.get_json()["html"].replace("已删除“a.pdf”", "")
    response = applicant.submit(f"/applications/{filled}/materials/business_license/defer", {"deferred": "1"},
                                page=f"/applications/{filled}/materials", headers=JSON)
    assert re.search(r'<span class="badge[^"]*">容缺后补<', response.get_json()["html"])
    response = applicant.submit(f"/applications/{filled}/materials/project_proposal/defer", {"deferred": "1"},
                                page=f"/applications/{filled}/materials", headers=JSON)
    assert response.status_code == 422 and "此材料不能容缺后补" in response.get_json()["message"]


def test_a_json_upload_needs_the_csrf_token_and_the_owner(applicant, filled, app, login_as):
    response = applicant.post(f"/applications/{filled}/materials/business_license",
                              {"file": upload(PDF, "a.pdf")}, content_type="multipart/form-data", headers=JSON)
    assert response.status_code == 400
    other = login_as("+8613955556666", ip="10.2.2.2")
    response = other.submit(f"/applications/{filled}/materials/business_license", {"file": upload(PDF, "a.pdf")},
                            page="/applications/", content_type="multipart/form-data", headers=JSON)
    assert response.status_code == 404
    assert files_of(app) == []


def test_only_the_materials_page_loads_its_script(applicant, filled):
    page = materials_page(applicant, filled)
    assert "/static/js/materials.js" in page
    assert 'id="materials" data-failed="' in page and page.count("data-async") >= 3
    assert "/static/js/materials.js" not in applicant.get(f"/applications/{filled}/steps/project").get_data(
        as_text=True)
