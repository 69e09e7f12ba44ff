"""After submission, the applicant's own moves: withdraw before acceptance, ask
to cancel a filing, change it (备案变更), report the start and the completion
of construction (with photos), supply a deferred paper. One page holds them
all; a refusal re-shows it with the message at the form and what was typed kept."""

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.cases import service as cases
from app.web import service as web
from app.wizard.access import owned_application

bp = Blueprint("after_filing", __name__, url_prefix="/applications", template_folder="templates")
TEXT_LIMIT = 2000


def _page(application, errors=None, values=None, status=200):
    return render_template("wizard/after_filing.html", application=application,
                           after=cases.after_filing_of(application), errors=errors or {}, values=values or {},
                           lang=web.current_lang()), status


def _text(name):
    return (request.form.get(name) or "").strip()[:TEXT_LIMIT]


def _refused(application, form, exc):
    return _page(application, {form: web.error_text(exc)}, request.form.to_dict(), 422)


def _act(application, form, act, message, to="after_filing.page"):
    """Run `act`; on success flash `message` and go to `to`, else the page again with the refusal at `form`."""
    try:
        act()
    except cases.DecisionRefused as exc:
        return _refused(application, form, exc)
    flash(message, "success")
    return redirect(url_for(to, application_id=application.id))


@bp.get("/<int:application_id>/after-filing")
@owned_application
def page(application):
    return _page(application)


@bp.post("/<int:application_id>/withdraw")
@owned_application
def withdraw(application):
    return _act(application, "withdraw", lambda: cases.withdraw(application, current_user, _text("reason")),
                _("申请已撤回，受理编号保留。需要时可重新新建申请。"), to="wizard.view")


@bp.post("/<int:application_id>/cancellation")
@owned_application
def cancellation(application):
    return _act(application, "cancel",
                lambda: cases.request_cancellation(application, current_user, _text("reason")),
                _("已申请注销，审批人员确认后备案证明将作废，并短信通知您。"))


@bp.post("/<int:application_id>/reports/<kind>")
@owned_application
def report(application, kind):
    if kind not in cases.REPORT_KINDS:
        return _page(application, status=404)
    try:
        happened_on = dt.date.fromisoformat(request.form.get("happened_on") or "")
    except ValueError:
        return _page(application, {kind: _("请按“年-月-日”填写日期，例如 2026-03-01。")}, request.form.to_dict(), 422)
    photos = [(f.stream, f.filename) for f in request.files.getlist("photos") if f.filename]
    try:
        cases.report(application, current_user, kind, happened_on, _text("description"), photos)
    except (cases.DecisionRefused, cases.UploadRefused) as exc:
        return _refused(application, kind, exc)
    flash(_("已报送开工。") if kind == "start" else _("已报送竣工。"), "success")
    return redirect(url_for("after_filing.page", application_id=application.id))


@bp.post("/<int:application_id>/extension")
@owned_application
def extension(application):
    """延期开工 of an approval: months asked and why."""
    try:
        months = int(request.form.get("months") or "")
    except ValueError:
        return _page(application, {"extension": _("请选择延期的月数。")}, request.form.to_dict(), 422)
    return _act(application, "extension",
                lambda: cases.request_extension(application, current_user, months, _text("reason")),
                _("已申请延期开工，审批人员将在20个工作日内作出决定，并短信通知您。"))


@bp.post("/<int:application_id>/change")
@owned_application
def change(application):
    """备案变更: open the change (a new one, or the one in flight) at its check page."""
    try:
        draft = cases.start_change(application, current_user)
    except cases.DecisionRefused as exc:
        return _refused(application, "change", exc)
    flash(_("已按原备案信息生成变更申请，请修改发生变化的内容；系统会标出改动，并判断是否需要办理变更。"), "success")
    return redirect(url_for("wizard.check", application_id=draft.id))


@bp.post("/<int:application_id>/new-project")
@owned_application
def new_project(application):
    """A change the rules call another project is filed as a new project."""
    try:
        cases.file_as_new_project(application)
    except cases.DecisionRefused as exc:
        flash(web.error_text(exc), "error")
        return redirect(url_for("wizard.check", application_id=application.id))
    flash(_("已改为新项目备案：提交后将另行赋予项目代码。"), "success")
    return redirect(url_for("wizard.check", application_id=application.id))


@bp.post("/<int:application_id>/deferred/<material_id>")
@owned_application
def supply(application, material_id):
    posted = request.files.get("file")
    if posted is None or not posted.filename:
        return _page(application, {f"paper-{material_id}": _("请选择要上传的文件。")}, status=422)
    try:
        name = cases.supply_deferred(application, material_id, posted.stream, posted.filename)
    except (cases.DecisionRefused, cases.UploadRefused) as exc:
        return _page(application, {f"paper-{material_id}": web.error_text(exc)}, status=422)
    flash(_("已补交“%(file)s”。", file=name), "success")
    return redirect(url_for("after_filing.page", application_id=application.id))
