"""Quick edits without YAML: a field's, a material's or a cross-field rule's
texts changed through a form on a draft. The change is written into the
draft's YAML text in place (yaml_edit) and stored the way the YAML editor
stores text (drafts.save_text: the same checks, golden examples and audit
record), then shown as a diff with the gate's verdict."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import drafts, service, spec_items, yaml_edit
from app.admin.forms import QUICK_TEXTS, option_rows, quick_edit_form, quick_edit_values
from app.auth.service import role_required
from app.specs import service as specs
from app.web import service as web

bp = Blueprint("quick", __name__, url_prefix="/specs/<int:version_id>/quick")


def outline_of(version):
    """What the draft editor lists for quick edits; None for a published version or unreadable YAML."""
    if version.status != specs.VersionStatus.DRAFT:
        return None
    try:
        data, _tree = specs.parse_yaml(version.source, yaml_edit.FILENAME)
    except specs.SpecInvalid:
        return None
    return spec_items.outline(data)


def _refuse(version, message):
    return make_response(render_template("admin/quick_refused.html", version=version, message=message), 409)


def _draft(version_id):
    """(draft, data, tree) of a draft whose YAML reads; 404, or a clear refusal (409)."""
    version = specs.get_version(version_id)
    if version is None:
        abort(404)
    if version.status != specs.VersionStatus.DRAFT:
        abort(_refuse(version, _("v%(n)s 已发布或已停用，不能修改。要修改，请从线上版本新建草稿。", n=version.number)))
    try:
        data, tree = specs.parse_yaml(version.source, yaml_edit.FILENAME)
    except specs.SpecInvalid:
        abort(_refuse(version, _("草稿的YAML现在无法读取，请先在YAML编辑器中改正。")))
    return version, data, tree


@bp.route("/<any(fields, materials, rules):section>/<item_id>", methods=["GET", "POST"])
@role_required("admin")
def edit(version_id, section, item_id):
    version, data, tree = _draft(version_id)
    item = spec_items.find(data, spec_items.KINDS[section], item_id)
    if item is None:
        abort(404)
    form = quick_edit_form(item)
    page = {"version": version, "section": section, "item": item, "form": form,
            "line": yaml_edit.line_at(tree, item.path)}
    if not form.validate_on_submit():
        return _render(page, status=422 if form.errors else 200)
    if form.base.data != spec_items.digest(item):
        form.base.data = spec_items.digest(item)  # saving again means: mine over theirs
        return _render(page, stale=True, status=409)
    changes = spec_items.changes(item, quick_edit_values(form, item))
    if not changes:
        flash(_("没有改动，草稿未变。"), "info")
        return redirect(url_for(".edit", version_id=version.id, section=section, item_id=item.id))
    try:
        entry = drafts.save_text(version, yaml_edit.set_values(version.source, changes))
    except yaml_edit.CannotEdit as exc:
        return _render(page, cannot=exc.line or page["line"], status=422)
    except specs.SpecInvalid as exc:  # e.g. the text grew past the size limit
        return _render(page, problems=exc.problems, status=422)
    return redirect(url_for(".edit", version_id=version.id, section=section, item_id=item.id, change=entry.id))


def _shown_change(version):
    """The audit entry of the save this page was redirected from (its diff is the change)."""
    entry = service.audit_entry(web.id_value(request.args.get("change")))
    if entry is None or entry.action != "save_draft" or entry.target != f"{version.spec_id} v{version.number}":
        return None
    return entry


def _render(page, cannot=None, problems=None, stale=False, status=200):
    version, item, form = page["version"], page["item"], page["form"]
    verdict = drafts.verdict(version)
    options = item.raw.get("options") if item.kind == "field" else None
    editor = url_for("admin.edit_spec", version_id=version.id)
    return render_template(
        "admin/quick_edit.html", **page, cannot=cannot, stale=stale,
        texts=[form[key] for key, *_rest in QUICK_TEXTS[item.kind] if key in form],
        options=option_rows(form, item), shared_list=options if isinstance(options, str) else None,
        problems=verdict.problems if problems is None else problems, unsaved=problems is not None,
        examples=verdict.examples if verdict.spec is not None and problems is None else [],
        change=_shown_change(version), live=specs.live_version(version.spec_id),
        editor=editor, line_base=editor,
    ), status
