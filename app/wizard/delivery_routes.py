"""零上门： asking for the paper originals by courier."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.cases import service as cases
from app.web import service as web
from app.wizard.access import owned_application

bp = Blueprint("delivery", __name__, url_prefix="/applications", template_folder="templates")


@bp.route("/<int:application_id>/delivery", methods=["GET", "POST"])
@owned_application
def delivery(application):
    courier = cases.courier_request_of(application.id)
    index = cases.spec_of(application).case_index
    errors, values = {}, {}
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in ("recipient", "mobile", "town", "address")}
        application_id = application.id
        try:
            problems = cases.request_courier(application, current_user, values)
        except cases.CourierRefused as exc:
            abort(409, description=web.UserMessage(web.error_text(exc)))
        if not problems:
            flash(_("已保存邮寄信息。办结后纸质文件将寄往此地址，寄出时会短信通知您。"), "success")
            return redirect(url_for("wizard.view", application_id=application_id)
                            if application.status != cases.Status.DRAFT
                            else url_for("wizard.check", application_id=application_id))
        errors = {name: _(message, **params) for name, (message, params) in problems.items()}
    elif courier is not None:
        values = {"recipient": courier.recipient, "mobile": courier.mobile.removeprefix("+86"), "town": courier.town,
                  "address": courier.address}
    return render_template("wizard/delivery.html", application=application, courier=courier, values=values,
                           errors=errors, towns=index.town_options() if index else [], lang=web.current_lang(),
                           requestable=cases.courier_requestable(application)), 422 if errors else 200
