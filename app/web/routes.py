"""Site-wide pages: home, language choice, health."""

import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import text

from app.cases import service as cases
from app.extensions import db
from app.links import safe_next

bp = Blueprint("web", __name__, template_folder="templates")


MEDIAN_FOR = 600  # seconds a measured median is reused: the home page must not scan every case each visit


def _measured_median():
    """(median working days from submission to completion, cases counted), kept for MEDIAN_FOR seconds."""
    cached = current_app.extensions.get("onetrip_home_median")
    if cached and time.monotonic() - cached[0] < MEDIAN_FOR:
        return cached[1]
    median = cases.working_days_percentiles("complete_working_days", (0.5,))[0.5]
    figure = (median, cases.completed_count())
    current_app.extensions["onetrip_home_median"] = (time.monotonic(), figure)
    return figure


@bp.get("/")
def home():
    median, counted = _measured_median()
    return render_template("web/home.html", user=current_user, promised=current_app.config["CASE_TIME_LIMITS"],
                           median=median, counted=counted)


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("web.home"))


@bp.post("/account/remove")
@login_required
def remove_account():
    """The applicant closes the account: deleted with its drafts, or deactivated
    once it has filed anything (the cases are government records and stay)."""
    if request.form.get("confirm") != "yes":
        flash(_("请勾选确认后再注销账号。"), "error")
        return redirect(url_for("auth.profile"))
    outcome = cases.remove_account(current_user)
    logout_user()
    session.clear()
    flash(_("账号及草稿已删除。") if outcome == "deleted" else
          _("账号已停用，不能再登录；已提交的申请和签发的文件作为政务记录保留。"), "info")
    return redirect(url_for("web.home"))


@bp.get("/livez")
def livez():
    """Liveness: the process answers. Also the benchmarks' floor route."""
    return {"status": "ok"}


@bp.get("/healthz")
def healthz():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        checks["database"] = f"error: {exc.__class__.__name__}"
    if current_app.config.get("REDIS_URL"):
        try:
            import redis

            redis.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001 - health reports any failure
            checks["redis"] = f"error: {exc.__class__.__name__}"
    ok = all(v == "ok" for v in checks.values())
    return {"status": "ok" if ok else "error", **checks}, 200 if ok else 503
