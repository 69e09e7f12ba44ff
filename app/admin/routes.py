"""The admins' area: accounts and SMS at a glance; specs and templates edited,
checked, previewed, compared and published without a programmer."""

import yaml
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import FileField, StringField, TextAreaField

from app.admin import drafts, quick_routes, service
from app.admin.forms import ChangeNoteForm
from app.auth import service as auth
from app.auth.service import role_required
from app.cases import service as cases
from app.documents import service as documents
from app.publishing import service as publishing
from app.rules import service as rules
from app.sms import service as sms
from app.specs import service as specs
from app.web import service as web

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
bp.register_blueprint(quick_routes.bp)


class TextForm(FlaskForm):
    text = TextAreaField()
    note = StringField()


class UploadForm(FlaskForm):
    file = FileField()


@bp.get("/")
@role_required("admin")
def index():
    return render_template(
        "admin/index.html",
        users=auth.all_users(),
        sms_counts=sms.counts_by_status(),
        failed_sms=sms.failed_messages(20),
        startup_warnings=current_app.config.get("STARTUP_WARNINGS") or [],
    )


def _version_or_404(version_id):
    version = specs.get_version(version_id) if version_id else None
    if version is None:
        abort(404)
    return version


def _site_level():
    return current_app.config["SITE_LEVEL"]


@bp.get("/specs")
@role_required("admin")
def spec_versions():
    return render_template("admin/specs.html", versions=list(reversed(specs.versions())), live=specs.live_version(),
                           upload=UploadForm(), form=FlaskForm())


@bp.post("/specs/drafts")
@role_required("admin")
def new_draft():
    live = specs.live_version()
    if live is None:
        abort(409)
    draft = specs.create_draft(live, current_user)
    service.record(current_user, "create_draft", f"{draft.spec_id} v{draft.number}", f"copy of v{live.number}")
    return redirect(url_for("admin.edit_spec", version_id=draft.id))


@bp.post("/specs/upload")
@role_required("admin")
def upload_spec():
    form = UploadForm()
    if not form.validate_on_submit() or not request.files.get("file"):
        flash(_("请选择要上传的规范文件（YAML）。"), "error")
        return redirect(url_for("admin.spec_versions"))
    raw = request.files["file"].read(specs.MAX_SPEC_BYTES + 1)
    try:
        specs.parse_yaml(raw, request.files["file"].filename or "upload.yaml")
    except specs.SpecInvalid as exc:
        flash(_("文件未上传：") + "; ".join(p.message for p in exc.problems), "error")
        return redirect(url_for("admin.spec_versions"))
    draft = specs.draft_from_text(specs.DEFAULT_SPEC_ID, raw.decode("utf-8"), current_user, note="uploaded")
    service.record(current_user, "upload_draft", f"{draft.spec_id} v{draft.number}")
    return redirect(url_for("admin.edit_spec", version_id=draft.id))


@bp.route("/specs/<int:version_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_spec(version_id):
    version = _version_or_404(version_id)
    form = TextForm()
    is_draft = version.status == specs.VersionStatus.DRAFT
    if request.method == "POST":
        if not is_draft:
            abort(409)
        if form.validate_on_submit():
            text = (form.text.data or "").replace("\r\n", "\n")
            try:
                drafts.save_text(version, text)
            except specs.SpecInvalid as exc:
                return _render_edit(version, form, text=text, problems=exc.problems, status=422)
            return redirect(url_for("admin.edit_spec", version_id=version.id))
    return _render_edit(version, form)


def _problems(version):
    return drafts.verdict(version).problems


def _render_edit(version, form, text=None, problems=None, status=200):
    """The editor; the gate's verdict on the stored text (kept per content hash)
    unless the posted text could not even be stored."""
    verdict = drafts.verdict(version)
    problems = verdict.problems if problems is None else problems
    examples = verdict.examples if verdict.spec is not None else []
    return render_template("admin/edit_spec.html", version=version, form=form,
                           text=version.source if text is None else text, problems=problems, examples=examples,
                           templates=sorted((version.templates or {}).keys()),
                           quick=quick_routes.outline_of(version)), status


def _confirm(version, live, form, action):
    """The confirmation step of publishing or rolling back: the change note is asked for here."""
    status = 422 if form.errors else 200
    return render_template("admin/confirm.html", version=version, live=live, form=form, action=action,
                           problems=_problems(version)), status


@bp.route("/specs/<int:version_id>/publish", methods=["GET", "POST"])
@role_required("admin")
def publish_spec(version_id):
    """GET asks for a change note; POST with one publishes. Nothing goes live without a note."""
    version = _version_or_404(version_id)
    if version.status != specs.VersionStatus.DRAFT:
        abort(409)
    live = specs.live_version(version.spec_id)
    form = ChangeNoteForm()
    if not form.validate_on_submit():
        return _confirm(version, live, form, "publish")
    note = form.note.data
    try:
        publishing.publish_draft(version, _site_level(), current_user, note=note)
    except specs.SpecInvalid as exc:
        flash(_("未发布，线上版本保持不变：") + "; ".join(str(p) for p in exc.problems[:5]), "error")
        return redirect(url_for("admin.edit_spec", version_id=version.id))
    service.record(current_user, "publish", f"{version.spec_id} v{version.number}",
                   service.text_diff(live.source if live else "", version.source,
                                     f"v{live.number}" if live else "none", f"v{version.number}"), note=note)
    flash(_("已发布 v%(n)s。新申请将使用此版本，已开始的申请保持原版本。", n=version.number), "success")
    return redirect(url_for("admin.spec_versions"))


@bp.route("/specs/<int:version_id>/rollback", methods=["GET", "POST"])
@role_required("admin")
def rollback_spec(version_id):
    """GET asks for a change note; POST with one publishes the older content anew."""
    version = _version_or_404(version_id)
    if version.status == specs.VersionStatus.DRAFT:
        abort(409)
    form = ChangeNoteForm()
    if not form.validate_on_submit():
        return _confirm(version, specs.live_version(version.spec_id), form, "rollback")
    note = form.note.data
    try:
        new = publishing.republish(version, _site_level(), current_user, note=note)
    except specs.SpecInvalid as exc:
        flash(_("未发布，线上版本保持不变：") + "; ".join(str(p) for p in exc.problems[:5]), "error")
        return redirect(url_for("admin.spec_versions"))
    service.record(current_user, "rollback", f"{new.spec_id} v{new.number}", f"content of v{version.number}",
                   note=note)
    flash(_("已将 v%(old)s 的内容发布为 v%(new)s。", old=version.number, new=new.number), "success")
    return redirect(url_for("admin.spec_versions"))


@bp.post("/specs/<int:version_id>/preview")
@role_required("admin")
def preview_spec(version_id):
    """Try a (valid) version as an applicant would, in an application no officer sees."""
    version = _version_or_404(version_id)
    if _problems(version):
        flash(_("草稿还有问题，修改后才能预览。"), "error")
        return redirect(url_for("admin.edit_spec", version_id=version.id))
    application = cases.start(current_user, version=version, preview=True)
    service.record(current_user, "preview", f"{version.spec_id} v{version.number}")
    first = specs.compiled(version).steps[0].id
    return redirect(url_for("wizard.step", application_id=application.id, step_id=first))


@bp.get("/specs/compare")
@role_required("admin")
def compare_specs():
    a = _version_or_404(web.id_value(request.args.get("a")))
    b = _version_or_404(web.id_value(request.args.get("b")))
    try:
        result = service.compare(a, b)
    except specs.SpecInvalid:
        result = {"text": service.text_diff(a.source, b.source, f"v{a.number}", f"v{b.number}"), "broken": True}
    return render_template("admin/compare.html", a=a, b=b, result=result)


def _save_template(version, name, text, action):
    """Store one template of a draft, log the change, return the draft's problems."""
    templates = dict(version.templates or {})
    before, templates[name] = templates[name], text
    specs.save_draft(version, templates=templates)
    problems = _problems(version)
    service.record(current_user, action, f"{version.spec_id} v{version.number} {name}",
                   service.text_diff(before, text, name, name))
    return problems


@bp.route("/specs/<int:version_id>/templates/<name>", methods=["GET", "POST"])
@role_required("admin")
def edit_template(version_id, name):
    version = _version_or_404(version_id)
    templates = dict(version.templates or {})
    if name not in templates:
        abort(404)
    form = TextForm()
    problems = []
    if request.method == "POST":
        if version.status != specs.VersionStatus.DRAFT:
            abort(409)
        if form.validate_on_submit():
            text = (form.text.data or "").replace("\r\n", "\n")
            try:
                specs.parse_yaml(text, name)
            except specs.SpecInvalid as exc:
                return render_template("admin/edit_template.html", version=version, name=name, form=form,
                                       text=text, problems=exc.problems), 422
            problems = _save_template(version, name, text, "save_template")
            if not problems:
                flash(_("模板已保存，检查通过。"), "success")
                return redirect(url_for("admin.edit_template", version_id=version.id, name=name))
    problems = problems or _problems(version)
    return render_template("admin/edit_template.html", version=version, name=name, form=form,
                           text=templates[name], problems=problems)


@bp.get("/specs/<int:version_id>/templates/<name>/download")
@role_required("admin")
def download_template(version_id, name):
    version = _version_or_404(version_id)
    text = (version.templates or {}).get(name)
    if text is None:
        abort(404)
    response = Response(text.encode("utf-8"), mimetype="application/x-yaml")
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.post("/specs/<int:version_id>/templates/<name>/upload")
@role_required("admin")
def upload_template(version_id, name):
    """Replace a draft's template with an uploaded file (same checks as editing)."""
    version = _version_or_404(version_id)
    templates = dict(version.templates or {})
    if name not in templates or version.status != specs.VersionStatus.DRAFT:
        abort(404)
    posted = request.files.get("file")
    raw = posted.read(specs.MAX_SPEC_BYTES + 1) if posted else b""
    try:
        specs.parse_yaml(raw, name)
    except specs.SpecInvalid as exc:
        flash(_("文件未上传：") + "; ".join(p.message for p in exc.problems), "error")
        return redirect(url_for("admin.edit_template", version_id=version.id, name=name))
    problems = _save_template(version, name, raw.decode("utf-8"), "upload_template")
    flash(_("模板已上传。") + (_("还有 %(n)s 个问题。", n=len(problems)) if problems else ""),
          "info" if problems else "success")
    return redirect(url_for("admin.edit_template", version_id=version.id, name=name))


@bp.route("/specs/<int:version_id>/lists/<list_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_list(version_id, list_id):
    """An option list of the draft (industries, towns…) as YAML: `options: [{value, label}, …]`."""
    version = _version_or_404(version_id)
    lists = dict(version.lists or {})
    if list_id not in lists:
        abort(404)
    form = TextForm()
    current = yaml.safe_dump({"id": list_id, "options": lists[list_id]}, allow_unicode=True, sort_keys=False)
    if request.method == "POST":
        if version.status != specs.VersionStatus.DRAFT:
            abort(409)
        if form.validate_on_submit():
            text = (form.text.data or "").replace("\r\n", "\n")
            try:
                data, _tree = specs.parse_yaml(text, f"lists/{list_id}")
                problems = specs.list_problems(data, f"lists/{list_id}") if isinstance(data, dict) else \
                    [specs.SpecProblem(f"lists/{list_id}", "", 1, "a list is a mapping with `options`")]
            except specs.SpecInvalid as exc:
                problems = exc.problems
            if problems:
                return render_template("admin/edit_list.html", version=version, list_id=list_id, form=form,
                                       text=text, problems=problems), 422
            lists[list_id] = data["options"]
            specs.save_draft(version, lists=lists)
            problems = _problems(version)
            service.record(current_user, "save_list", f"{version.spec_id} v{version.number} {list_id}",
                           service.text_diff(current, text, list_id, list_id))
            flash(_("选项表已保存。") + (_("还有 %(n)s 个问题。", n=len(problems)) if problems else ""),
                  "info" if problems else "success")
            return redirect(url_for("admin.edit_list", version_id=version.id, list_id=list_id))
    return render_template("admin/edit_list.html", version=version, list_id=list_id, form=form, text=current,
                           problems=[])


@bp.get("/specs/<int:version_id>/templates/<name>/preview.pdf")
@role_required("admin")
def preview_template(version_id, name):
    """The template rendered with the spec's first golden example."""
    version = _version_or_404(version_id)
    verdict = publishing.judge_version(version, _site_level())
    if verdict.problems:
        abort(422)
    spec = verdict.spec
    document_spec = next((d for d in spec.documents if d.template_name == name), None)
    if document_spec is None or not spec.examples:
        abort(404)
    answers, _unknown = rules.from_json(spec, spec.examples[0]["answers"])
    rendered = documents.render(spec, cases.sample_data(spec, answers, _site_level()), document_spec.id, "pdf")
    if rendered is None:  # the document does not apply to the first golden example
        abort(404)
    return Response(rendered[2], mimetype="application/pdf")


@bp.get("/audit")
@role_required("admin")
def audit():
    return render_template("admin/audit.html", entries=service.audit_log())
