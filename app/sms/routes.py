"""The development SMS page: lets someone trying the site read their code.

Registered only when DEV_SMS_PAGE is on (never in production).
"""

from flask import Blueprint, render_template

from app.sms import service

bp = Blueprint("dev_sms", __name__, url_prefix="/dev", template_folder="templates")


@bp.get("/sms")
def outbox():
    return render_template("sms/dev_outbox.html", messages=service.recent_messages(50))
