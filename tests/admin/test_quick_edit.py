"""Quick edits without YAML: an admin changes a field's label, an option's
name, a material's reason or a rule's message through a form on a draft; the
change lands in the draft's YAML like a hand edit (same checks, same audit
record, same diff) and reaches applicants once published."""

import json
import re
from html import unescape
from pathlib import Path

import pytest

from app.admin.forms import OPTION_LABEL_MAX, QUICK_TEXTS
from app.admin.models import AdminAudit
from app.extensions import db
from app.specs import service as specs
from tests.admin.test_specs_admin import OLD_LABEL, draft_text, live_number, new_draft, publish
from tests.support.answers import domestic_steps
from tests.support.wizard import walk

SCHEMA = Path(__file__).resolve().parents[2] / "forms_spec" / "schema" / "spec.schema.json"


def quick_url(version_id, section, item_id):
    return f"/admin/specs/{version_id}/quick/{section}/{item_id}"


def form_values(html):
    """What a browser would send from the quick-edit form as it stands: every text box and
    text area with its content, the ticked boxes."""
    form = re.search(r'<form method="post" novalidate id="quick-form">(.*?)</form>', html, re.S)[1]
    values = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name[1] == "csrf_token":
            continue
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                values[name[1]] = "y"
        else:
            value = re.search(r'value="([^"]*)"', tag)
            values[name[1]] = unescape(value[1]) if value else ""
    for name, text in re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        values[name] = unescape(text).removeprefix("\n")
    return values


def quick_edit(admin, version_id, section, item_id, **changed):
    """Open the item's quick-edit form, change some boxes, submit it as it stands otherwise."""
    url = quick_url(version_id, section, item_id)
    values = form_values(admin.get(url).get_data(as_text=True))
    for name, value in changed.items():
        if value is None:
            values.pop(name, None)  # an unticked box is not sent
        else:
            values[name] = value
    return admin.submit(url, values)


def save_entries(app):
    with app.app_context():
        return [(a.target, a.diff) for a in db.session.query(AdminAudit).filter_by(action="save_draft")]


def test_the_draft_editor_lists_fields_by_step_materials_and_rules(admin, app):
    draft = new_draft(admin)
    page = admin.get(f"/admin/specs/{draft}").get_data(as_text=True)
    quick = re.search(r'<section class="mb-3" aria-labelledby="quick-title" id="quick-edit">(.*?)</section>', page,
                      re.S)[1]
    assert "<summary>项目基本情况（" in quick  # a step, with its number of fields
    assert f'href="{quick_url(draft, "fields", "project_name")}">项目名称</a>' in quick
    assert f'href="{quick_url(draft, "materials", "eia_registration")}">环境影响登记表备案回执</a>' in quick
    assert f'href="{quick_url(draft, "rules", "funding_adds_up")}"' in quick
    # A published version has no quick edits.
    with app.app_context():
        v1 = specs.versions()[0].id
    assert 'id="quick-edit"' not in admin.get(f"/admin/specs/{v1}").get_data(as_text=True)


def test_a_label_changed_through_the_form_lands_in_the_yaml_and_goes_live(admin, app, applicant, new_application):
    draft = new_draft(admin)
    before = draft_text(app, draft)
    page = admin.get(quick_url(draft, "fields", "project_name")).get_data(as_text=True)
    assert 'name="label"' in page and 'value="项目名称"' in page and 'name="csrf_token"' in page

    response = quick_edit(admin, draft, "fields", "project_name", label="项目名称（与立项文件一致）")
    assert response.status_code == 302 and "?change=" in response.headers["Location"]
    # Exactly that value changed: comments, order and layout elsewhere as they were.
    after = draft_text(app, draft)
    assert after == before.replace(OLD_LABEL, "label: 项目名称（与立项文件一致）, label_en: Project name", 1)
    assert "# 企业投资项目备案/核准 — the default filing spec of the district." in after

    # The page shows the change as a diff and the checks' verdict, golden examples included.
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    diff = unescape(re.search(r'<pre class="small border p-2 diff" id="change-diff">(.*?)</pre>', page, re.S)[1])
    assert "-      - {id: project_name, type: text, label: 项目名称, label_en" in diff
    assert "+      - {id: project_name, type: text, label: 项目名称（与立项文件一致）, label_en" in diff
    assert 'id="checks-passed"' in page and "草稿已保存。" in page and "黄金样例" in page
    assert 'value="项目名称（与立项文件一致）"' in page

    # An ordinary text change: the YAML editor, the compare page and the audit log see it.
    assert "项目名称（与立项文件一致）" in unescape(admin.get(f"/admin/specs/{draft}").get_data(as_text=True))
    with app.app_context():
        v1 = specs.versions()[0].id
    compare = admin.get(f"/admin/specs/compare?a={v1}&b={draft}").get_data(as_text=True)
    assert "~ project_name" in compare and "项目名称（与立项文件一致）" in compare
    [(target, logged)] = save_entries(app)
    assert target == f"enterprise_investment v{2}" and logged == diff

    assert publish(admin, draft).status_code == 302
    assert live_number(app) == 2
    step = applicant.get(f"/applications/{new_application()}/steps/project").get_data(as_text=True)
    assert "项目名称（与立项文件一致）" in step


def test_help_placeholder_and_required_are_written_in_the_fields_own_style(admin, app):
    draft = new_draft(admin)
    before = draft_text(app, draft)
    response = quick_edit(admin, draft, "fields", "credit_code", help="", placeholder="如：91330109MA2B000000",
                          required=None)
    assert response.status_code == 302
    after = draft_text(app, draft)
    block = ("        label_en: Unified social credit code\n"
             "        help_en: 18 characters, top left of the business licence.\n"
             "        placeholder: 如：91330109MA2B000000\n"
             "        required: false\n")
    assert block in after  # help gone, placeholder added after help_en, required: true → false
    assert "        help: 18位，见营业执照左上角。\n" not in after
    assert len(after.splitlines()) == len(before.splitlines())
    with app.app_context():
        field = specs.compiled(specs.get_version(draft)).fields["credit_code"]
        assert (field.help, field.placeholder, field.required) == (None, "如：91330109MA2B000000", False)

    # In a one-line field the new key goes after its neighbour inside the braces; odd text is quoted.
    quick_edit(admin, draft, "fields", "site_address", help="写到门牌号: 如“桥南路1号” #3")
    assert ('{id: site_address, type: text, label: 详细地址, label_en: Site address, '
            'help: "写到门牌号: 如“桥南路1号” #3", required: true') in draft_text(app, draft)


def test_an_option_label_is_changed_and_its_value_kept(admin, app, applicant, new_application):
    draft = new_draft(admin)
    page = admin.get(quick_url(draft, "fields", "registration_type")).get_data(as_text=True)
    assert 'name="option_1_label"' in page and 'value="股份有限公司"' in page
    response = quick_edit(admin, draft, "fields", "registration_type", option_1_label="股份有限公司（含上市公司）")
    assert response.status_code == 302
    assert ("          - {value: joint_stock, label: 股份有限公司（含上市公司）, label_en: Joint-stock company}\n"
            in draft_text(app, draft))
    assert 'id="checks-passed"' in admin.get(response.headers["Location"]).get_data(as_text=True)
    publish(admin, draft, "登记注册类型选项名称补充说明")
    step = applicant.get(f"/applications/{new_application()}/steps/enterprise").get_data(as_text=True)
    assert "股份有限公司（含上市公司）" in step


def test_a_field_on_a_shared_list_points_to_the_list_editor(admin, app):
    draft = new_draft(admin)
    page = admin.get(quick_url(draft, "fields", "ownership")).get_data(as_text=True)
    assert 'id="shared-list"' in page and f'href="/admin/specs/{draft}/lists/ownership"' in page
    assert 'name="option_0_label"' not in page


def test_a_materials_reason_reaches_the_applicants_materials_page(admin, app, applicant, new_application):
    draft = new_draft(admin)
    reason = "项目环评类别为填报环境影响登记表，应在建成并投入生产运营前通过网上系统备案（萧山区生态环境分局可咨询）。"
    response = quick_edit(admin, draft, "materials", "eia_registration", reason=reason)
    assert response.status_code == 302
    assert f"    reason: {reason}\n    legal_basis: 《建设项目环境影响登记表备案管理办法》" in draft_text(app, draft)
    assert 'id="checks-passed"' in admin.get(response.headers["Location"]).get_data(as_text=True)
    publish(admin, draft, "环评登记表材料说明补充咨询渠道")

    app_id = new_application()
    walk(applicant, app_id, domestic_steps())
    page = applicant.get(f"/applications/{app_id}/materials").get_data(as_text=True)
    assert reason in page


def test_a_rule_message_is_changed_and_checked_like_a_hand_edit(admin, app):
    draft = new_draft(admin)
    message = "计划竣工时间（{{ labels.planned_completion }}）应晚于计划开工时间（{{ labels.planned_start }}）。"
    response = quick_edit(admin, draft, "rules", "completion_after_start", message=message)
    assert response.status_code == 302
    assert f"    message: {message}\n    message_en: Planned completion" in draft_text(app, draft)
    assert 'id="checks-passed"' in admin.get(response.headers["Location"]).get_data(as_text=True)

    # A message the checks refuse is stored, as the YAML editor stores it, and the problem shown.
    response = quick_edit(admin, draft, "rules", "completion_after_start", message="竣工晚于{{ no_such_field }}。")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="problems"' in page and "no_such_field" in page and "草稿已保存。" in page
    assert len(save_entries(app)) == 2


@pytest.mark.parametrize(("label", "message"), [
    ("", "不能为空，请填写。"),
    ("  ", "不能为空，请填写。"),
    ("项" * 501, "不能超过500个字（现在501个字）。"),
    ("项目\x07名称", "不能包含控制字符"),
    ("项目\n名称", "不能包含控制字符"),
])
def test_bad_input_is_refused_at_the_field_and_nothing_is_written(admin, app, label, message):
    draft = new_draft(admin)
    before = draft_text(app, draft)
    response = quick_edit(admin, draft, "fields", "project_name", label=label, help_en="Changed too")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<div id="label-error" class="invalid-feedback d-block">(.*?)</div>', page, re.S)[1]
    assert message in error
    assert 'id="error-summary"' in page and 'href="#label"' in page
    assert draft_text(app, draft) == before
    assert save_entries(app) == []


def test_an_over_long_material_text_and_an_empty_option_label_are_refused(admin, app):
    draft = new_draft(admin)
    before = draft_text(app, draft)
    response = quick_edit(admin, draft, "materials", "eia_registration", reason="理" * 5001)
    assert response.status_code == 422 and "不能超过5000个字" in response.get_data(as_text=True)
    response = quick_edit(admin, draft, "fields", "registration_type", option_2_label="")
    assert response.status_code == 422 and 'id="option_2_label-error"' in response.get_data(as_text=True)
    assert draft_text(app, draft) == before


def test_submitting_the_form_unchanged_changes_nothing(admin, app):
    draft = new_draft(admin)
    before = draft_text(app, draft)
    for section, item_id in (("fields", "credit_code"), ("materials", "application_report"),
                             ("rules", "funding_adds_up")):
        response = quick_edit(admin, draft, section, item_id)
        assert response.status_code == 302 and "change=" not in response.headers["Location"]
    assert draft_text(app, draft) == before and save_entries(app) == []


def test_a_published_version_cannot_be_quick_edited(admin, app):
    with app.app_context():
        v1 = specs.versions()[0]
        v1_id, v1_text = v1.id, v1.source
    page = admin.get(quick_url(v1_id, "fields", "project_name"))
    assert page.status_code == 409 and "已发布或已停用，不能修改" in page.get_data(as_text=True)
    response = admin.submit(quick_url(v1_id, "fields", "project_name"), {"label": "改了"}, page="/admin/specs")
    assert response.status_code == 409
    with app.app_context():
        assert specs.get_version(v1_id).source == v1_text
    assert admin.get(quick_url(v1_id + 99, "fields", "project_name")).status_code == 404
    draft = new_draft(admin)
    assert admin.get(quick_url(draft, "fields", "no_such_field")).status_code == 404
    assert admin.get(quick_url(draft, "steps", "project")).status_code == 404


def test_a_draft_whose_yaml_does_not_read_is_refused_clearly(admin, app):
    draft = new_draft(admin)  # the editor stores no such text; a draft from before its checks might hold one
    with app.app_context():
        specs.save_draft(specs.get_version(draft), "id: [unclosed\n")
    page = admin.get(quick_url(draft, "fields", "project_name"))
    assert page.status_code == 409 and "YAML现在无法读取" in page.get_data(as_text=True)


def test_non_admins_are_refused(app, login_as, admin):
    draft = new_draft(admin)
    url = quick_url(draft, "fields", "project_name")
    for browser in (login_as("+8613911110000", ip="10.9.2.2"),
                    login_as("+8613900000001", role="officer", ip="10.9.2.3")):
        assert browser.get(url).status_code == 403
        assert browser.submit(url, {"label": "改了"}, page="/applications/").status_code == 403
    assert "label: 项目名称, label_en" in draft_text(app, draft)


def test_a_post_without_the_csrf_token_is_refused(admin, app):
    draft = new_draft(admin)
    before = draft_text(app, draft)
    values = form_values(admin.get(quick_url(draft, "fields", "project_name")).get_data(as_text=True))
    response = admin.post(quick_url(draft, "fields", "project_name"), {**values, "label": "改了"})
    assert response.status_code == 400
    assert draft_text(app, draft) == before and save_entries(app) == []


def test_the_forms_limits_are_the_schemas():
    defs = json.loads(SCHEMA.read_text(encoding="utf-8"))["$defs"]

    def longest(kind, key):
        prop = defs[kind]["properties"][key]
        return prop.get("maxLength") or defs[prop["$ref"].rsplit("/", 1)[1]]["maxLength"]

    for kind, texts in QUICK_TEXTS.items():
        for key, _label, limit, *_rest in texts:
            assert limit == longest(kind, key), (kind, key)
    assert OPTION_LABEL_MAX == longest("option", "label") == longest("option", "label_en")


def test_a_shape_the_quick_edit_cannot_change_sends_the_admin_to_the_yaml_editor(admin, app):
    draft = new_draft(admin)
    opening = "      - id: credit_code\n        type: credit_code\n        label: 统一社会信用代码\n"
    text = draft_text(app, draft).replace(
        opening + "        label_en: Unified social credit code\n        help: 18位，见营业执照左上角。\n",
        "      - help: 18位，见营业执照左上角。\n        id: credit_code\n        type: credit_code\n"
        "        label: 统一社会信用代码\n        label_en: Unified social credit code\n", 1)
    assert admin.submit(f"/admin/specs/{draft}", {"text": text}).status_code == 302
    saved = len(save_entries(app))
    response = quick_edit(admin, draft, "fields", "credit_code", help="")  # `- help:` opens the list item
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    notice = re.search(r'<div class="alert alert-warning" role="alert" id="cannot-edit">(.*?)</div>', page, re.S)[1]
    assert "无法自动修改，草稿未改动" in notice and f'href="/admin/specs/{draft}#line-' in notice
    assert draft_text(app, draft) == text and len(save_entries(app)) == saved


def test_a_form_opened_before_someone_else_changed_the_item_is_not_saved_over_it(admin, app):
    draft = new_draft(admin)
    url = quick_url(draft, "fields", "credit_code")
    opened = form_values(admin.get(url).get_data(as_text=True))
    # Meanwhile a colleague changes the help text in the YAML editor.
    text = draft_text(app, draft).replace("help: 18位，见营业执照左上角。", "help: 18位，见营业执照。", 1)
    assert admin.submit(f"/admin/specs/{draft}", {"text": text}).status_code == 302
    response = admin.submit(url, {**opened, "label": "信用代码"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="stale"' in page and 'value="信用代码"' in page  # what was typed is kept
    assert draft_text(app, draft) == text
    # Saving again is deliberate: the typed values win (the form shows the help text it was opened with).
    again = form_values(page)
    assert admin.submit(url, again).status_code == 302
    assert "label: 信用代码\n" in draft_text(app, draft)


def test_a_change_that_would_pass_the_size_limit_is_refused_with_the_editors_message(admin, app):
    draft = new_draft(admin)
    text = draft_text(app, draft)
    text += "# " + "x" * (specs.MAX_SPEC_BYTES - len(text.encode("utf-8")) - 10) + "\n"
    assert admin.submit(f"/admin/specs/{draft}", {"text": text}).status_code == 302
    response = quick_edit(admin, draft, "materials", "eia_registration", reason="理由" * 100)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="unsaved"' in page and "larger than the 512 KB limit" in page
    assert draft_text(app, draft) == text
