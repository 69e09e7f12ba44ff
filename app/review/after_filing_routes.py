"""The officers' side of life after filing: confirming a cancellation, marking
a filing lapsed, voiding an acceptance whose deferred paper is overdue,
deciding an approval's 延期开工, and the watch list (电子监察)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.service import role_required
from app.cases import service as cases
from app.review.access import submitted_case
from app.web import service as web

bp = Blueprint("review_after_filing", __name__, url_prefix="/review", template_folder="templates")
TEXT_LIMIT = 2000


def _text(name):
    return (request.form.get(name) or "").strip()[:TEXT_LIMIT]


def _act(application, act, done):
    back = url_for("review.case", application_id=application.id)
    try:
        act()
    except cases.DecisionRefused as exc:
        flash(web.error_text(exc), "error")
        return redirect(back + "#after-filing"), 303
    flash(done, "success")
    return redirect(back + "#after-filing")


@bp.post("/cases/<int:application_id>/cancel")
@submitted_case
def cancel(application):
    return _act(application, lambda: cases.confirm_cancellation(application, current_user),
                _("已注销备案，备案证明已作废，并已短信通知申请人。"))


@bp.post("/cases/<int:application_id>/lapse")
@submitted_case
def lapse(application):
    return _act(application, lambda: cases.mark_lapsed(application, current_user, _text("explanation")),
                _("已标记为失效，并已短信通知申请人。"))


@bp.post("/cases/<int:application_id>/void-acceptance")
@submitted_case
def void_acceptance(application):
    return _act(application, lambda: cases.void_acceptance(application, current_user, _text("reason")),
                _("已撤销受理，申请已退回，并已短信通知申请人。"))


@bp.post("/cases/<int:application_id>/extension")
@submitted_case
def extension(application):
    grant = request.form.get("decision") == "grant"
    return _act(application, lambda: cases.decide_extension(application, current_user, grant, _text("reason")),
                _("已同意延期开工，并已短信通知申请人。") if grant else _("已不同意延期开工，并已短信通知申请人。"))


@bp.get("/watch")
@role_required("officer")
def watch():
    kind = request.args.get("kind")
    if kind not in cases.WATCH_KIND_LABELS:
        kind = None
    return render_template("review/watch.html", watch=cases.watch_list(kind=kind), kind=kind,
                           kinds=cases.WATCH_KIND_LABELS)
