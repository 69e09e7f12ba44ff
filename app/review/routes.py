"""The officers' area."""

from flask import Blueprint, render_template

from app.auth.service import role_required

bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")


@bp.get("/")
@role_required("officer")
def queue():
    return render_template("review/queue.html")
