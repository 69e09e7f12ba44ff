"""Uploading the materials an application needs, or deferring them (容缺受理)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases import service as cases
from app.web import service as web
from app.wizard.access import owned_application

bp = Blueprint("materials", __name__, url_prefix="/applications", template_folder="templates")
KIND_NAMES = {"pdf": "PDF", "jpg": "JPG", "png": "PNG"}


def _editable_or_409(application):
    if application.status not in cases.EDITABLE:
        abort(409)


def _needed(application, material_id):
    """The material, only if the current outcome asks for it."""
    evaluation = cases.evaluate(application)
    if material_id not in {m.id for m in evaluation.outcome.materials}:
        abort(404)
    return evaluation.spec.material(material_id)


def _back(application_id, material_id, status=302):
    # By id: after a commit the application's row is expired, and reading it back costs a query.
    return redirect(url_for("materials.index", application_id=application_id) + f"#m-{material_id}", status)


@bp.get("/<int:application_id>/materials")
@owned_application
def index(application):
    lang = web.current_lang()
    evaluation = cases.evaluate(application, lang)
    return render_template("wizard/materials.html", application=application, outcome=evaluation.outcome,
                           checklist=evaluation.checklist, spec=evaluation.spec, lang=lang,
                           max_mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024), kind_names=KIND_NAMES)


@bp.post("/<int:application_id>/materials/<material_id>")
@owned_application
def upload(application, material_id):
    _editable_or_409(application)
    application_id = application.id
    material = _needed(application, material_id)
    posted = request.files.get("file")
    if posted is None or not posted.filename:
        flash(_("请选择要上传的文件。"), "error")
        return _back(application_id, material_id)
    try:
        name = cases.upload(application.id, material, posted.stream, posted.filename)
    except cases.UploadRefused as exc:
        flash(_("“%(name)s”未上传：", name=material.text("name", web.current_lang())) + web.error_text(exc),
              "error")
        return _back(application_id, material_id, 303)
    flash(_("已上传“%(file)s”。", file=name), "success")
    return _back(application_id, material_id)


@bp.post("/<int:application_id>/materials/<material_id>/delete")
@owned_application
def delete(application, material_id):
    _editable_or_409(application)
    application_id = application.id
    if cases.delete_file(application.id, material_id):
        flash(_("文件已删除。"), "info")
    return _back(application_id, material_id)


@bp.post("/<int:application_id>/materials/<material_id>/defer")
@owned_application
def defer(application, material_id):
    _editable_or_409(application)
    application_id = application.id
    material = _needed(application, material_id)
    try:
        cases.set_deferred(application.id, material, request.form.get("deferred") == "1")
    except cases.UploadRefused as exc:
        flash(web.error_text(exc), "error")
    return _back(application_id, material_id)


@bp.get("/<int:application_id>/files/<int:file_id>")
@owned_application
def download(application, file_id):
    stored = cases.file_of(application, file_id)
    if stored is None:
        abort(404)
    return web.send_upload(cases.file_path(stored), stored.content_type, stored.download_name,
                           inline=request.args.get("inline") == "1")
