"""Uploading the materials an application needs (several files each), deleting
one, taking an enterprise paper over from an earlier application, or deferring
a material (容缺受理).

Every form of a material's block posts and redirects back to the block. A
request that asks for JSON (static/js/materials.js sends `Accept:
application/json`) gets the block anew instead: {"html", "message"}, with 422
when the file was refused, so the page need not reload.
"""

from functools import partial

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
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
    """(evaluation, spec material): only if the current outcome asks for the material."""
    evaluation = cases.evaluate(application, web.current_lang())
    if material_id not in {m.id for m in evaluation.outcome.materials}:
        abort(404)
    return evaluation, evaluation.spec.material(material_id)


def _back(application_id, material_id, status=302):
    # By id: after a commit the application's row is expired, and reading it back costs a query.
    return redirect(url_for("materials.index", application_id=application_id) + f"#m-{material_id}", status)


def _wants_json():
    return "X-Requested-With" in request.headers or \
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _blocks(application_id, evaluation, editable):
    """What every material's block is rendered with (the page's and each JSON answer's)."""
    return {"application_id": application_id, "editable": editable, "spec": evaluation.spec,
            "lang": evaluation.lang, "kind_names": KIND_NAMES, "max_files": cases.max_files_per_material()}


def _answer(application, application_id, evaluation, material_id, message, category="success", status=200):
    """After a change: back to the block (with a flash message), or the block anew as JSON.
    `application_id` is read before the change: after its commit the row is expired."""
    if not _wants_json():
        if message:
            flash(message, category)
        return _back(application_id, material_id, 303 if status >= 400 else 302)
    need = next((m for m in evaluation.outcome.materials if m.id == material_id), None)
    html = ""
    if need is not None:  # a material the outcome no longer asks for has no block
        [item] = cases.material_checklist(application_id, [need])
        offers = cases.reuse_offers(application, evaluation.spec, [item])
        html = render_template("wizard/_material.html", m=item, m_offers=offers.get(material_id, []),
                               message={"text": message, "category": category} if message else None,
                               **_blocks(application_id, evaluation, True)).strip()
    return jsonify(html=html, message=message or ""), status


@bp.get("/<int:application_id>/materials")
@owned_application
def index(application):
    lang = web.current_lang()
    evaluation = cases.evaluate(application, lang)
    editable = application.status in cases.EDITABLE
    checklist = evaluation.checklist
    offers = cases.reuse_offers(application, evaluation.spec, checklist) if editable else {}
    return render_template("wizard/materials.html", application=application, outcome=evaluation.outcome,
                           checklist=checklist, offers=offers,
                           max_mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024),
                           **_blocks(application.id, evaluation, editable))


def _refused(material, exc, lang):
    return _("“%(name)s”未上传：", name=material.text("name", lang)) + web.error_text(exc)


@bp.post("/<int:application_id>/materials/<material_id>")
@owned_application
def upload(application, material_id):
    _editable_or_409(application)
    application_id = application.id
    evaluation, material = _needed(application, material_id)
    answer = partial(_answer, application, application_id, evaluation, material_id)
    posted = request.files.get("file")
    if posted is None or not posted.filename:
        return answer(_("请选择要上传的文件。"), "error", 422)
    try:
        name = cases.upload(application_id, material, posted.stream, posted.filename)
    except cases.UploadRefused as exc:
        return answer(_refused(material, exc, evaluation.lang), "error", 422)
    return answer(_("已上传“%(file)s”。", file=name))


@bp.post("/<int:application_id>/materials/<material_id>/files/<int:file_id>/delete")
@owned_application
def delete(application, material_id, file_id):
    """One file of the material goes; the others stay. Also for a material the
    answers no longer ask for (its files would otherwise stay in the packet)."""
    _editable_or_409(application)
    application_id = application.id
    name = cases.delete_file(application_id, material_id, file_id)
    if name is None:
        abort(404)
    message = _("已删除“%(file)s”。", file=name)
    if not _wants_json():  # no evaluation needed to go back
        flash(message, "info")
        return _back(application_id, material_id)
    evaluation = cases.evaluate(application, web.current_lang())
    return _answer(application, application_id, evaluation, material_id, message, "info")


@bp.post("/<int:application_id>/materials/<material_id>/reuse/<int:file_id>")
@owned_application
def reuse(application, material_id, file_id):
    """Take over a file offered from the applicant's other application of the same
    enterprise. Only what reuse_offers offers this application can be taken: any
    other file id (another applicant's, another enterprise's) is a 404."""
    _editable_or_409(application)
    if not cases.reusable_material(material_id):
        abort(404)
    application_id = application.id
    evaluation, material = _needed(application, material_id)
    need = next(m for m in evaluation.outcome.materials if m.id == material_id)
    [item] = cases.material_checklist(application_id, [need])
    offers = cases.reuse_offers(application, evaluation.spec, [item]).get(material_id, [])
    offer = next((o for o in offers if o.file.id == file_id), None)
    if offer is None:
        abort(404)
    answer = partial(_answer, application, application_id, evaluation, material_id)
    try:
        name = cases.reuse_file(application_id, material, offer)
    except cases.UploadRefused as exc:
        return answer(_refused(material, exc, evaluation.lang), "error", 422)
    return answer(_("已使用申请%(reference)s中的“%(file)s”。", reference=offer.reference or "", file=name))


@bp.post("/<int:application_id>/materials/<material_id>/defer")
@owned_application
def defer(application, material_id):
    _editable_or_409(application)
    application_id = application.id
    evaluation, material = _needed(application, material_id)
    answer = partial(_answer, application, application_id, evaluation, material_id)
    try:
        cases.set_deferred(application_id, material, request.form.get("deferred") == "1")
    except cases.UploadRefused as exc:
        return answer(web.error_text(exc), "error", 422)
    return answer("")


@bp.get("/<int:application_id>/files/<int:file_id>")
@owned_application
def download(application, file_id):
    stored = cases.file_of(application, file_id)
    if stored is None:
        abort(404)
    return web.send_upload(cases.file_path(stored), stored.content_type, stored.download_name,
                           inline=request.args.get("inline") == "1")
