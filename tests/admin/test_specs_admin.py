"""Admins change the spec and templates safely: drafts, checks, preview,
publish, compare, rollback, and nothing breaks applications in flight."""

import io
import re

import pytest
from pypdf import PdfReader

from app.admin.models import AdminAudit
from app.cases.models import Application
from app.extensions import db
from app.specs import service as specs
from tests.support.answers import domestic_steps

OLD_LABEL = "label: 项目名称, label_en: Project name"
NEW_LABEL = "label: 项目名称（与立项文件一致）, label_en: Project name"
NEW_FIELD = ("      - {id: contact_wechat, type: text, label: 联系人微信号, label_en: WeChat ID, max_length: 40}\n"
             "      - {id: registered_address,")


def new_draft(admin):
    response = admin.submit("/admin/specs/drafts", page="/admin/specs")
    return int(re.search(r"/admin/specs/(\d+)", response.headers["Location"])[1])


def draft_text(app, version_id):
    with app.app_context():
        return specs.get_version(version_id).source


def save(admin, version_id, text):
    return admin.submit(f"/admin/specs/{version_id}", {"text": text})


def publish(admin, version_id, note="项目名称改为与立项文件一致"):
    return admin.submit(f"/admin/specs/{version_id}/publish", {"note": note})


def rollback(admin, version_id, note="新标签引起误解，恢复原版本"):
    return admin.submit(f"/admin/specs/{version_id}/rollback", {"note": note})


def live_number(app):
    with app.app_context():
        return specs.live_version().number


def test_change_a_label_add_a_field_preview_publish(admin, app, applicant, new_application, complete, published):
    # An application started on v1 before the change.
    old_app = new_application()
    applicant.submit(f"/applications/{old_app}/steps/enterprise", {**domestic_steps()["enterprise"], "action": "next"})

    draft = new_draft(admin)
    text = draft_text(app, draft).replace(OLD_LABEL, NEW_LABEL, 1).replace("      - {id: registered_address,",
                                                                           NEW_FIELD, 1)
    response = save(admin, draft, text)
    assert response.status_code == 302
    page = admin.get(f"/admin/specs/{draft}").get_data(as_text=True)
    assert 'id="checks-passed"' in page

    preview = admin.submit(f"/admin/specs/{draft}/preview", page=f"/admin/specs/{draft}")
    preview_id = int(re.search(r"/applications/(\d+)/", preview.headers["Location"])[1])
    assert "联系人微信号" in admin.get(preview.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Application, preview_id).is_preview
    assert live_number(app) == 1  # previewing changes nothing live

    publish(admin, draft)
    assert live_number(app) == 2

    new_app = new_application()
    page = applicant.get(f"/applications/{new_app}/steps/project").get_data(as_text=True)
    assert "项目名称（与立项文件一致）" in page
    assert "联系人微信号" in applicant.get(f"/applications/{new_app}/steps/enterprise").get_data(as_text=True)

    # The application started before keeps v1 to the end, documents included.
    old_page = applicant.get(f"/applications/{old_app}/steps/project").get_data(as_text=True)
    assert "项目名称（与立项文件一致）" not in old_page and "项目名称" in old_page
    assert complete(applicant, old_app, domestic_steps()).status_code == 302
    pdf = applicant.get(f"/applications/{old_app}/documents/application_form.pdf").data
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "与立项文件一致" not in text and "联系人微信号" not in text
    with app.app_context():
        assert db.session.get(Application, old_app).spec_version.number == 1
        actions = [a.action for a in db.session.query(AdminAudit).order_by(AdminAudit.id)]
        assert actions == ["create_draft", "save_draft", "preview", "publish"]
        saved = db.session.query(AdminAudit).filter_by(action="save_draft").one()
        assert "+" in saved.diff and "联系人微信号" in saved.diff


def test_preview_applications_never_reach_officers(admin, app, login_as):
    draft = new_draft(admin)
    admin.submit(f"/admin/specs/{draft}/preview", page=f"/admin/specs/{draft}")
    officer = login_as("+8613900000001", role="officer", ip="10.9.1.1")
    assert "共 0 件" in officer.get("/review/").get_data(as_text=True)


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda t: "a: &a [x, x, x]\nb: [*a, *a, *a]\n" + t, "anchors and aliases"),
    (lambda t: t + "\n# " + "x" * (10 * 1024 * 1024), "larger than"),
    (lambda t: t.replace("show_if: new_land}", "show_if: \"().__class__.__mro__\"}"), "not allowed"),
    (lambda t: t.replace("show_if: new_land}", "show_if: \"range(10**9)\"}"), "unknown"),
    (lambda t: t.replace("type: credit_code", "type: nope"), "unknown field type"),
])
def test_bad_specs_are_refused_with_a_message_and_live_stays(admin, app, mutate, message):
    draft = new_draft(admin)
    response = save(admin, draft, mutate(draft_text(app, draft)))
    page = (admin.get(response.headers["Location"]) if response.status_code == 302 else response).get_data(
        as_text=True)
    assert message in page
    publish(admin, draft)
    assert live_number(app) == 1


def test_binary_upload_is_refused(admin, app):
    response = admin.submit("/admin/specs/upload", {"file": (io.BytesIO(b"\x7fELF\x00\x00"), "spec.yaml")},
                            page="/admin/specs", content_type="multipart/form-data")
    assert "binary" in admin.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert len(specs.versions()) == 1


@pytest.mark.parametrize("evil", ["{{ lipsum.__globals__ }}", "{{ ''.__class__.mro() }}", "{{ range(10**9)|list }}"])
def test_evil_templates_are_refused_and_never_run(admin, app, evil):
    draft = new_draft(admin)
    url = f"/admin/specs/{draft}/templates/receipt.yaml"
    text = admin.get(url).get_data(as_text=True)
    source = re.search(r'<textarea[^>]*>(.*?)</textarea>', text, re.S)[1]
    from html import unescape

    changed = unescape(source).replace('- paragraph: "“最多跑一次”投资项目网上申报系统"', f'- paragraph: "{evil}"')
    response = admin.submit(url, {"text": changed})
    assert response.status_code == 200
    assert "not allowed" in response.get_data(as_text=True) or "unknown" in response.get_data(as_text=True)
    publish(admin, draft)
    assert live_number(app) == 1


def test_template_preview_renders_a_pdf(admin, app):
    draft = new_draft(admin)
    response = admin.get(f"/admin/specs/{draft}/templates/receipt.yaml/preview.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_rollback_publishes_an_older_version_anew(admin, app):
    draft = new_draft(admin)
    save(admin, draft, draft_text(app, draft).replace(OLD_LABEL, NEW_LABEL, 1))
    publish(admin, draft)
    with app.app_context():
        v1 = specs.versions()[0]
        v1_id, v1_sha = v1.id, v1.sha256
    rollback(admin, v1_id)
    with app.app_context():
        live = specs.live_version()
        assert live.number == 3 and live.sha256 == v1_sha
        assert [v.status.value for v in specs.versions()] == ["retired", "retired", "published"]


def test_compare_view_on_a_known_pair(admin, app):
    draft = new_draft(admin)
    text = draft_text(app, draft).replace(OLD_LABEL, NEW_LABEL, 1).replace("      - {id: registered_address,",
                                                                           NEW_FIELD, 1)
    save(admin, draft, text)
    with app.app_context():
        v1 = specs.versions()[0].id
    page = admin.get(f"/admin/specs/compare?a={v1}&b={draft}").get_data(as_text=True)
    assert "+ contact_wechat" in page
    assert "~ project_name" in page
    assert "+      - {id: contact_wechat" in page  # the text diff


ADMIN_URLS = ["/admin/", "/admin/specs", "/admin/audit", "/admin/specs/1", "/admin/specs/compare?a=1&b=1",
              "/admin/specs/1/templates/receipt.yaml", "/admin/specs/1/templates/receipt.yaml/preview.pdf",
              "/admin/specs/1/publish", "/admin/specs/1/rollback"]


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_applicants_and_officers_are_refused_on_every_admin_url(app, login_as, published, url):
    applicant = login_as("+8613911110000", ip="10.9.2.2")
    officer = login_as("+8613900000001", role="officer", ip="10.9.2.3")
    assert applicant.get(url).status_code == 403
    assert officer.get(url).status_code == 403
    for post in ("/admin/specs/drafts", "/admin/specs/1/publish", "/admin/specs/1/rollback"):
        assert officer.submit(post, page="/review/").status_code == 403


def test_export_and_publish_round_trip(app, runner, tmp_path, published):
    result = runner.invoke(args=["specs", "export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["specs", "publish", str(tmp_path / "out" / "enterprise_investment.yaml")])
    assert "unchanged, live is version 1" in result.output


def test_option_lists_are_edited_with_checks(admin, app, applicant, new_application):
    draft = new_draft(admin)
    url = f"/admin/specs/{draft}/lists/towns"
    assert "beigan_jiedao" in admin.get(url).get_data(as_text=True)
    bad = admin.submit(url, {"text": "id: towns\noptions:\n  - {value: a, label: 甲}\n  - {value: a, label: 乙}\n"})
    assert bad.status_code == 422 and "duplicate values: a" in bad.get_data(as_text=True)
    good = "id: towns\noptions:\n  - {value: new_town, label: 新设街道}\n  - {value: beigan_jiedao, label: 北干街道}\n"
    assert admin.submit(url, {"text": good}).status_code == 302
    publish(admin, draft)
    app_id = new_application()
    assert "新设街道" in applicant.get(f"/applications/{app_id}/steps/project").get_data(as_text=True)


def test_templates_download_and_upload(admin, app):
    draft = new_draft(admin)
    base = f"/admin/specs/{draft}/templates/receipt.yaml"
    text = admin.get(f"{base}/download").get_data(as_text=True)
    assert text.startswith("# 收件回执")
    changed = text.replace('- paragraph: "“最多跑一次”投资项目网上申报系统"',
                           '- paragraph: "萧山区发展和改革局（行政服务中心）"')
    admin.submit(f"{base}/upload", {"file": (io.BytesIO(changed.encode()), "receipt.yaml")}, page=base,
                 content_type="multipart/form-data")
    with app.app_context():
        assert "行政服务中心" in specs.get_version(draft).templates["receipt.yaml"]
    pdf = admin.get(f"{base}/preview.pdf").data
    assert "行政服务中心" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    binary = admin.submit(f"{base}/upload", {"file": (io.BytesIO(b"\x00\x01"), "receipt.yaml")}, page=base,
                          content_type="multipart/form-data")
    assert "binary" in admin.get(binary.headers["Location"]).get_data(as_text=True)


def test_deeply_nested_yaml_is_refused_in_the_editor_and_on_upload(admin, app):
    draft = new_draft(admin)
    response = save(admin, draft, "id: x\nsteps: " + "[" * 3000 + "\n")
    assert response.status_code == 422
    assert "nested more than 40 levels deep" in response.get_data(as_text=True)
    response = admin.submit("/admin/specs/upload", {"file": (io.BytesIO(b"a: " + b"[" * 3000), "deep.yaml")},
                            page="/admin/specs", content_type="multipart/form-data")
    assert "nested more than 40 levels deep" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert draft_text(app, draft) != "id: x\nsteps: " + "[" * 3000 + "\n"


# --- Safer publishing: a confirmation step with a change note --------------------

NOTE = "项目名称标签改为“与立项文件一致”，减少企业填写简称。"


def changed_draft(admin, app):
    draft = new_draft(admin)
    assert save(admin, draft, draft_text(app, draft).replace(OLD_LABEL, NEW_LABEL, 1)).status_code == 302
    return draft


def audit_entries(app, action):
    with app.app_context():
        return [(a.target, a.note) for a in db.session.query(AdminAudit).filter_by(action=action)]


def test_publish_asks_for_a_change_note_on_a_page_with_csrf(admin, app):
    draft = changed_draft(admin, app)
    editor = admin.get(f"/admin/specs/{draft}").get_data(as_text=True)
    assert f'<form method="get" action="/admin/specs/{draft}/publish"' in editor  # 发布 opens the step, no JS
    page = admin.get(f"/admin/specs/{draft}/publish")
    assert page.status_code == 200
    form = re.search(r'<form method="post" novalidate id="confirm-form">(.*?)</form>', page.get_data(as_text=True),
                     re.S)[1]
    assert 'name="csrf_token"' in form
    assert re.search(r'<textarea[^>]*maxlength="500"[^>]*name="note"[^>]*required', form)
    assert "变更说明" in form and "确认发布" in form
    # Without the page's CSRF token nothing happens.
    assert admin.post(f"/admin/specs/{draft}/publish", {"note": NOTE}).status_code == 400
    assert live_number(app) == 1


@pytest.mark.parametrize("note", ["", "  \r\n  ", "说" * 501])
def test_publishing_without_a_proper_note_is_refused_and_publishes_nothing(admin, app, note):
    draft = changed_draft(admin, app)
    response = publish(admin, draft, note)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("请填写变更说明" if len(note) < 500 else "变更说明不超过500个字") in page
    assert 'id="error-summary"' in page
    assert live_number(app) == 1
    with app.app_context():
        assert specs.get_version(draft).status == specs.VersionStatus.DRAFT
    assert audit_entries(app, "publish") == []


def test_the_change_note_is_kept_with_the_version_and_in_the_audit_log(admin, app):
    draft = changed_draft(admin, app)
    response = publish(admin, draft, f"  {NOTE}\r\n")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/specs")
    assert live_number(app) == 2
    with app.app_context():
        assert specs.get_version(draft).note == NOTE
    row = re.search(r"<tr>\s*<td>v2 .*?</tr>", admin.get("/admin/specs").get_data(as_text=True), re.S)[0]
    assert NOTE in row
    assert audit_entries(app, "publish") == [("enterprise_investment v2", NOTE)]
    assert NOTE in admin.get("/admin/audit").get_data(as_text=True)


def test_a_note_of_500_characters_with_line_breaks_is_accepted(admin, app):
    draft = changed_draft(admin, app)
    note = "第一行说明\r\n" + "改" * 493  # 500 characters once the browser's CRLF is one line break
    assert publish(admin, draft, note).status_code == 302
    with app.app_context():
        assert specs.get_version(draft).note == note.replace("\r\n", "\n")


def test_rollback_asks_for_a_change_note_too(admin, app):
    publish(admin, changed_draft(admin, app))
    with app.app_context():
        v1 = specs.versions()[0].id
    listing = admin.get("/admin/specs").get_data(as_text=True)
    assert f'href="/admin/specs/{v1}/rollback"' in listing
    page = admin.get(f"/admin/specs/{v1}/rollback").get_data(as_text=True)
    assert "确认回滚" in page and 'name="csrf_token"' in page and 'name="note"' in page

    refused = rollback(admin, v1, "")
    assert refused.status_code == 422 and "请填写变更说明" in refused.get_data(as_text=True)
    with app.app_context():
        assert len(specs.versions()) == 2  # not even a draft copy was made
    assert live_number(app) == 2

    note = "v2 的新标签引起误解，恢复 v1 的写法。"
    assert rollback(admin, v1, note).status_code == 302
    assert live_number(app) == 3
    row = re.search(r"<tr>\s*<td>v3 .*?</tr>", admin.get("/admin/specs").get_data(as_text=True), re.S)[0]
    assert note in row
    assert audit_entries(app, "rollback") == [("enterprise_investment v3", note)]
    assert note in admin.get("/admin/audit").get_data(as_text=True)


def test_the_rollback_button_is_readable(admin, app):
    """axe measured 1.6:1 for btn-outline-warning on white; btn-outline-secondary is darkened in site.css."""
    publish(admin, changed_draft(admin, app))
    listing = admin.get("/admin/specs").get_data(as_text=True)
    button = re.search(r'<a class="([^"]*)" href="/admin/specs/\d+/rollback"', listing)
    assert button and "btn-outline-secondary" in button[1].split()
    assert "btn-outline-warning" not in listing


def test_a_preview_opens_with_a_draft_banner_and_the_way_back(admin, app):
    draft = new_draft(admin)
    response = admin.submit(f"/admin/specs/{draft}/preview", page=f"/admin/specs/{draft}")
    step = response.headers["Location"]
    app_id = re.search(r"/applications/(\d+)/", step)[1]
    # Every page of the preview says so, with the way back to the draft.
    for url in (step, f"/applications/{app_id}/check", f"/applications/{app_id}/materials"):
        page = admin.get(url).get_data(as_text=True)
        banner = re.search(r'<div class="alert alert-info py-2" role="status" id="preview-banner">(.*?)</div>', page,
                           re.S)[1]
        assert "草稿预览" in banner, url
        assert f'href="/admin/specs/{draft}"' in banner and "返回草稿" in banner
