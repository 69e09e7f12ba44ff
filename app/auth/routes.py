from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import service
from app.auth.forms import CodeForm, PhoneForm, ProfileForm
from app.extensions import limiter

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

PENDING_PHONE = "signin_phone"


def _safe_next(target):
    """Only same-site relative paths: an open redirect helps phishing."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _signin_ip_limit():
    return current_app.config["SIGNIN_IP_LIMIT"]


def _verify_ip_limit():
    return current_app.config["SIGNIN_VERIFY_IP_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_signin_ip_limit, methods=["POST"])
def sign_in():
    form = PhoneForm()
    if form.validate_on_submit():
        try:
            phone = service.normalize_mobile(form.phone.data)
        except service.InvalidPhone:
            form.phone.errors.append(_("请输入有效的手机号码,例如 13812345678。"))
        else:
            try:
                service.request_code(phone, client_ip=request.remote_addr)
            except service.TooManyCodes as exc:
                return render_template("auth/too_many.html", retry_after=exc.retry_after), 429
            session[PENDING_PHONE] = phone
            nxt = _safe_next(request.args.get("next"))
            return redirect(url_for("auth.verify", next=nxt))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(_verify_ip_limit, methods=["POST"])
def verify():
    phone = session.get(PENDING_PHONE)
    if not phone:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        user = service.verify_code(phone, form.code.data)
        if user is None:
            form.code.errors.append(_("验证码不正确或已失效。请检查后重试,或重新获取验证码。"))
        else:
            nxt = _safe_next(request.args.get("next"))
            lang = session.get("lang")
            session.clear()  # a fresh session on privilege change: no fixation
            if lang:
                session["lang"] = lang
            login_user(user)
            if user.needs_profile:
                return redirect(url_for("auth.profile", next=nxt, welcome=1))
            flash(_("已登录。"), "success")
            return redirect(nxt or url_for("web.home"))
    return render_template("auth/verify.html", form=form, phone=service.masked(phone))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        service.update_profile(current_user, form.display_name.data, form.enterprise_name.data)
        flash(_("资料已保存。"), "success")
        return redirect(_safe_next(request.args.get("next")) or url_for("web.home"))
    return render_template("auth/profile.html", form=form, welcome=request.args.get("welcome"))


@bp.post("/sign-out")
@login_required
def sign_out():
    service.end_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("web.home"))
