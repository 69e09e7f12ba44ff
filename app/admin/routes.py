"""The admins' area."""

from flask import Blueprint, render_template

from app.auth import service as auth
from app.auth.service import role_required
from app.sms import service as sms

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.get("/")
@role_required("admin")
def index():
    return render_template(
        "admin/index.html",
        users=auth.all_users(),
        sms_counts=sms.counts_by_status(),
        failed_sms=sms.failed_messages(20),
    )
