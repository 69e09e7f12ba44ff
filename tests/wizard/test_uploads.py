"""Uploading materials: what is refused, and that nothing stray is left behind."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases.models import MaterialDeferral, MaterialFile
from app.extensions import db
from tests.support.answers import domestic_steps, examination_steps
from tests.support.files import (
    ELF,
    JPG,
    PDF,
    PDF_ESCAPED_NAMES,
    PDF_LAUNCH,
    PDF_OPEN_ACTION_JS,
    PNG,
    pdf_with_script_in_an_object_stream,
    upload,
)
from tests.support.wizard import walk


@pytest.fixture
def filled(applicant, new_application, uploads_dir):
    """A district examination case: it needs the business licence (deferrable) and the
    project proposal to apply, and lists the EIA registration as before construction."""
    app_id = new_application()
    walk(applicant, app_id, examination_steps())
    return app_id


def post_file(browser, app_id, material, data, name):
    return browser.submit(f"/applications/{app_id}/materials/{material}", {"file": upload(data, name)},
                          page=f"/applications/{app_id}/materials", content_type="multipart/form-data")


def stored_files(uploads_dir):
    return sorted(p for p in uploads_dir.rglob("*") if p.is_file())


def files_in_db(app):
    with app.app_context():
        return db.session.scalars(select(MaterialFile)).all()


def message_after(browser, response):
    return browser.get(response.headers["Location"]).get_data(as_text=True)


def test_pdf_is_stored_under_a_random_name_with_its_hash(applicant, filled, uploads_dir, app):
    response = post_file(applicant, filled, "business_license", PDF, "营业执照.pdf")
    assert "已上传“营业执照.pdf”" in message_after(applicant, response)
    [record] = files_in_db(app)
    [path] = stored_files(uploads_dir)
    assert path.name == record.stored_name and "营业执照" not in path.name
    import hashlib

    assert record.sha256 == hashlib.sha256(PDF).hexdigest() and record.kind == "pdf"
    assert "static" not in str(path)


@pytest.mark.parametrize(("data", "name", "message"), [
    (ELF, "setup.pdf", "只接受PDF、JPG或PNG文件"),
    (b"MZ\x90\x00" + b"\x00" * 60, "report.pdf", "只接受PDF、JPG或PNG文件"),
    (b"", "empty.pdf", "文件是空的"),
])
def test_refused_files_leave_nothing_behind(applicant, filled, uploads_dir, app, data, name, message):
    response = post_file(applicant, filled, "business_license", data, name)
    assert message in message_after(applicant, response)
    assert stored_files(uploads_dir) == []
    assert files_in_db(app) == []


def test_a_21mb_file_is_refused(applicant, filled, uploads_dir, app):
    from werkzeug.test import encode_multipart

    from tests.support.browser import csrf_from

    # Encoded in memory: Werkzeug's test client would spool a body this large
    # to a temporary file that it never closes.
    token = csrf_from(applicant.get(f"/applications/{filled}/materials").get_data(as_text=True))
    big = PDF + b"0" * (21 * 1024 * 1024)
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    boundary, body = encode_multipart({"csrf_token": token, "file": FileStorage(BytesIO(big), "big.pdf")})
    response = applicant.post(f"/applications/{filled}/materials/business_license", body,
                              content_type=f"multipart/form-data; boundary={boundary}")
    assert "文件超过20MB" in message_after(applicant, response)
    assert stored_files(uploads_dir) == [] and files_in_db(app) == []


def test_path_in_the_name_is_stripped(applicant, filled, uploads_dir, app):
    post_file(applicant, filled, "business_license", PDF, "../../etc/passwd.pdf")
    [record] = files_in_db(app)
    assert record.original_name == "passwd.pdf"
    assert not Path("/etc/passwd.pdf").exists()
    [path] = stored_files(uploads_dir)
    assert uploads_dir in path.parents


def test_png_renamed_pdf_is_accepted_as_png_where_png_is_allowed(applicant, filled, uploads_dir, app):
    post_file(applicant, filled, "business_license", PNG, "scan.pdf")
    [record] = files_in_db(app)
    assert record.kind == "png" and record.content_type == "image/png"
    download = applicant.get(f"/applications/{filled}/files/{record.id}?inline=1")
    assert download.headers["Content-Type"] == "image/png"
    assert download.get_data() == PNG
    download.close()


def test_png_is_refused_where_only_pdf_is_accepted(applicant, new_application, uploads_dir, app):
    app_id = new_application()
    steps = domestic_steps()
    steps["resources"]["eia_category"] = "report"  # needs eia_report_approval: PDF only
    walk(applicant, app_id, steps)
    response = post_file(applicant, app_id, "eia_report_approval", PNG, "approval.pdf")
    assert "此材料只接受PDF文件" in message_after(applicant, response)
    assert stored_files(uploads_dir) == []


def test_a_second_upload_adds_a_file_and_delete_removes_only_that_one(applicant, filled, uploads_dir, app):
    post_file(applicant, filled, "business_license", PDF, "first.pdf")
    post_file(applicant, filled, "business_license", JPG, "second.jpg")
    first, second = files_in_db(app)
    assert (first.original_name, second.original_name) == ("first.pdf", "second.jpg")
    assert len(stored_files(uploads_dir)) == 2
    response = applicant.submit(f"/applications/{filled}/materials/business_license/files/{first.id}/delete",
                                page=f"/applications/{filled}/materials")
    assert "已删除“first.pdf”" in message_after(applicant, response)
    [left] = files_in_db(app)
    assert left.original_name == "second.jpg" and stored_files(uploads_dir) == [
        uploads_dir / left.stored_name[:2] / left.stored_name]


def test_defer_only_where_allowed(applicant, filled, app):
    applicant.submit(f"/applications/{filled}/materials/business_license/defer", {"deferred": "1"},
                     page=f"/applications/{filled}/materials")
    response = applicant.submit(f"/applications/{filled}/materials/project_proposal/defer", {"deferred": "1"},
                                page=f"/applications/{filled}/materials")
    assert "此材料不能容缺后补" in message_after(applicant, response)
    with app.app_context():
        assert [d.material_id for d in db.session.scalars(select(MaterialDeferral))] == ["business_license"]


def test_submission_lists_missing_materials(applicant, filled):
    post_file(applicant, filled, "business_license", PDF, "a.pdf")
    response = applicant.submit(f"/applications/{filled}/submit", page=f"/applications/{filled}/check")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "尚未上传：项目建议书" in page and f'href="/applications/{filled}/materials#m-project_proposal"' in page
    assert "尚未上传：营业执照" not in page
    assert "尚未上传：环境影响登记表备案回执" not in page  # needed before construction, not to apply
    # The check page itself lists the same blocker and offers no submit button until it is cleared.
    check = applicant.get(f"/applications/{filled}/check").get_data(as_text=True)
    assert "尚未上传：项目建议书" in check and "确认提交" not in check


def test_deferred_materials_do_not_block_submission(applicant, filled, app):
    post_file(applicant, filled, "project_proposal", PDF, "proposal.pdf")
    applicant.submit(f"/applications/{filled}/materials/business_license/defer", {"deferred": "1"},
                     page=f"/applications/{filled}/materials")
    response = applicant.submit(f"/applications/{filled}/submit", page=f"/applications/{filled}/check")
    assert response.status_code == 302


def test_a_filing_with_no_uploads_at_all_can_be_submitted(applicant, new_application, uploads_dir, app):
    """Order 673 Art. 13: a 备案 tells the office four things, all typed online."""
    app_id = new_application()
    steps = domestic_steps()
    steps["project"]["new_land"] = "yes"
    steps["project"]["new_land_area_m2"] = "5000"
    walk(applicant, app_id, steps)
    page = applicant.get(f"/applications/{app_id}/materials").get_data(as_text=True)
    assert "用地预审与选址意见书" in page and "开工前取得" in page and "《土地管理法实施条例》第二十四条" in page
    response = applicant.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")
    assert response.status_code == 302
    assert files_in_db(app) == []


def test_a_paper_needed_before_construction_may_still_be_uploaded(applicant, filled, app):
    response = post_file(applicant, filled, "eia_registration", PDF, "回执.pdf")
    assert "已上传“回执.pdf”" in message_after(applicant, response)


def test_a_material_not_needed_cannot_be_uploaded(applicant, filled, uploads_dir):
    response = post_file(applicant, filled, "application_report", PDF, "report.pdf")
    assert response.status_code == 404
    assert stored_files(uploads_dir) == []


def test_another_applicant_cannot_fetch_or_change_files(applicant, filled, app, login_as):
    post_file(applicant, filled, "business_license", PDF, "a.pdf")
    [record] = files_in_db(app)
    other = login_as("+8613955556666", ip="10.2.2.2")
    assert other.get(f"/applications/{filled}/files/{record.id}").status_code == 404
    assert other.get(f"/applications/{filled}/materials").status_code == 404
    response = other.submit(f"/applications/{filled}/materials/business_license/files/{record.id}/delete",
                            page="/applications/")
    assert response.status_code == 404
    # Nor may the owner delete a file under another material's name.
    response = applicant.submit(f"/applications/{filled}/materials/project_proposal/files/{record.id}/delete",
                                page=f"/applications/{filled}/materials")
    assert response.status_code == 404
    assert len(files_in_db(app)) == 1


def test_upload_without_csrf_is_refused(applicant, filled, app):
    response = applicant.post(f"/applications/{filled}/materials/business_license",
                              {"file": upload(PDF, "a.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert files_in_db(app) == []


def test_the_live_panel_states_match_the_materials_page(applicant, filled, app):
    # One checklist (cases/materials.py) serves both; they must tell the applicant the same.
    applicant.submit(f"/applications/{filled}/materials/business_license/defer", {"deferred": "1"},
                     page=f"/applications/{filled}/materials")
    post_file(applicant, filled, "eia_registration", PDF, "b.pdf")
    step = applicant.get(f"/applications/{filled}/steps/project").get_data(as_text=True)
    panel = dict(re.findall(r'data-material="([a-z_]+)">\s*<span class="badge[^"]*">([^<]+)<', step))
    page = applicant.get(f"/applications/{filled}/materials").get_data(as_text=True)
    listed = dict(re.findall(r'id="m-([a-z_]+)-title">[^<]+</h2>\s*<span class="badge[^"]*">([^<]+)<', page))
    assert panel == listed
    assert (panel["business_license"], panel["eia_registration"], panel["project_proposal"]) == \
        ("容缺后补", "已上传", "待上传")


def test_uploading_a_deferred_material_ends_the_deferral(applicant, filled, app):
    applicant.submit(f"/applications/{filled}/materials/business_license/defer", {"deferred": "1"},
                     page=f"/applications/{filled}/materials")
    post_file(applicant, filled, "business_license", PDF, "营业执照.pdf")
    with app.app_context():
        assert db.session.scalars(select(MaterialDeferral)).all() == []
        assert [f.material_id for f in db.session.scalars(select(MaterialFile))] == ["business_license"]


@pytest.mark.parametrize("data", [PDF_OPEN_ACTION_JS, PDF_LAUNCH, PDF_ESCAPED_NAMES,
                                  pdf_with_script_in_an_object_stream()],
                         ids=["open-action-js", "launch", "escaped-names", "object-stream"])
def test_pdfs_with_scripts_or_actions_are_refused(applicant, filled, uploads_dir, app, data):
    response = post_file(applicant, filled, "business_license", data, "营业执照.pdf")
    assert "此PDF含有脚本或自动执行的动作" in message_after(applicant, response)
    assert stored_files(uploads_dir) == [] and files_in_db(app) == []


def test_downloads_are_named_by_what_the_file_is_and_sandboxed(applicant, filled, uploads_dir, app, officer):
    post_file(applicant, filled, "business_license", PDF, "invoice.html")
    [record] = files_in_db(app)
    assert record.original_name == "invoice.html"  # shown as given, never served as given
    for query, disposition in (("", "attachment"), ("?inline=1", "inline")):
        response = applicant.get(f"/applications/{filled}/files/{record.id}{query}")
        assert response.headers["Content-Disposition"].startswith(disposition)
        assert "filename=invoice.pdf" in response.headers["Content-Disposition"]
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Security-Policy"].startswith("sandbox")
        response.close()
    post_file(applicant, filled, "project_proposal", PDF, "proposal.pdf")
    assert applicant.submit(f"/applications/{filled}/submit", page=f"/applications/{filled}/check").status_code == 302
    [record] = [f for f in files_in_db(app) if f.material_id == "business_license"]
    response = officer.get(f"/review/cases/{filled}/files/{record.id}?inline=1")
    assert "filename=invoice.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    response.close()
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(officer.get(f"/review/cases/{filled}/packet.zip").data)).namelist()
    assert "materials/business_license-invoice.pdf" in names
    assert not any(n.endswith(".html") for n in names)


def test_materials_are_a_task_in_the_step_list_with_their_state(applicant, filled):
    def task():
        page = applicant.get(f"/applications/{filled}/steps/project").get_data(as_text=True)
        start = page.index('id="materials-task"')
        return re.sub(r"\s+", " ", page[start:page.index("</li>", start)])

    assert "上传材料" in task() and "已提供 0 / 2 项" in task()
    post_file(applicant, filled, "project_proposal", PDF, "proposal.pdf")
    applicant.submit(f"/applications/{filled}/materials/business_license/defer", {"deferred": "1"},
                     page=f"/applications/{filled}/materials")
    assert "已提供 1 / 2 项，容缺后补 1 项" in task()


def test_a_filing_says_it_needs_no_uploads_in_the_step_list(applicant, new_application):
    app_id = new_application()
    walk(applicant, app_id, domestic_steps())
    page = applicant.get(f"/applications/{app_id}/steps/project").get_data(as_text=True)
    assert "本次申报无需上传材料" in page
