"""Uploading the materials an application needs, or deferring them (容缺受理)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.rules import service as rules
from app.web import downloads
from app.wizard import service, uploads
from app.wizard.models import EDITABLE

bp = Blueprint("materials", __name__, url_prefix="/applications", template_folder="templates")


def _application(application_id, draft_only=True):
    application = service.owned_application(current_user, application_id)
    if application is None:
        abort(404)
    if draft_only and application.status not in EDITABLE:
        abort(409)
    return application


def _needed(application, material_id):
    """The material, only if the current outcome asks for it."""
    spec = service.spec_of(application)
    outcome = rules.outcome(spec, application.answers or {}, current_app.config["SITE_LEVEL"])
    if material_id not in {m.id for m in outcome.materials}:
        abort(404)
    return spec.material(material_id)


@bp.get("/<int:application_id>/materials")
@login_required
def index(application_id):
    application = _application(application_id, draft_only=False)
    lang = str(get_locale() or "zh_CN")
    _, outcome, _, checklist = service.evaluate(application, current_app.config["SITE_LEVEL"], lang)
    spec = service.spec_of(application)
    return render_template("wizard/materials.html", application=application, outcome=outcome, checklist=checklist,
                           spec=spec, lang=lang, max_mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024),
                           kind_names=uploads.KIND_NAMES)


@bp.post("/<int:application_id>/materials/<material_id>")
@login_required
def upload(application_id, material_id):
    application = _application(application_id)
    material = _needed(application, material_id)
    posted = request.files.get("file")
    if posted is None or not posted.filename:
        flash(_("请选择要上传的文件。"), "error")
        return redirect(url_for("materials.index", application_id=application.id) + f"#m-{material_id}")
    try:
        name = service.materials.upload(application, material, posted.stream, posted.filename)
    except uploads.UploadRefused as exc:
        flash(_("“%(name)s”未上传:", name=material.name) + _(exc.message, **exc.params), "error")
        return redirect(url_for("materials.index", application_id=application_id) + f"#m-{material_id}"), 303
    flash(_("已上传“%(file)s”。", file=name), "success")
    # application_id from the URL: the committed row is not read back.
    return redirect(url_for("materials.index", application_id=application_id) + f"#m-{material_id}")


@bp.post("/<int:application_id>/materials/<material_id>/delete")
@login_required
def delete(application_id, material_id):
    application = _application(application_id)
    if service.materials.delete(application, material_id):
        flash(_("文件已删除。"), "info")
    return redirect(url_for("materials.index", application_id=application.id) + f"#m-{material_id}")


@bp.post("/<int:application_id>/materials/<material_id>/defer")
@login_required
def defer(application_id, material_id):
    application = _application(application_id)
    material = _needed(application, material_id)
    try:
        service.materials.set_deferred(application, material, request.form.get("deferred") == "1")
    except uploads.UploadRefused as exc:
        flash(_(exc.message, **exc.params), "error")
    return redirect(url_for("materials.index", application_id=application.id) + f"#m-{material_id}")


@bp.get("/<int:application_id>/files/<int:file_id>")
@login_required
def download(application_id, file_id):
    application = _application(application_id, draft_only=False)
    stored = service.materials.file_of(application, file_id)
    if stored is None:
        abort(404)
    inline = request.args.get("inline") == "1"
    return downloads.send_upload(uploads.path_of(stored.stored_name), stored.content_type, stored.download_name,
                                 inline=inline)
