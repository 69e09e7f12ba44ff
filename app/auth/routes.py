from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import service
from app.auth.forms import CodeForm, PhoneForm, ProfileForm
from app.extensions import limiter
from app.links import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

PENDING_PHONE = "signin_phone"
KNOWN_BROWSER_COOKIE = "known_browser"
KNOWN_BROWSER_DAYS = 365


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
            phone = service.normalize_mobile(form.phone.data,
                                             country_codes=current_app.config["SIGNIN_COUNTRY_CODES"])
        except service.UnsupportedRegion:
            form.phone.errors.append(_("暂只支持中国大陆、香港、澳门和台湾的手机号码。"))
        except service.InvalidPhone:
            form.phone.errors.append(_("请输入有效的手机号码，例如 13812345678。"))
        else:
            known = service.browser_knows(request.cookies.get(KNOWN_BROWSER_COOKIE), phone)
            try:
                service.request_code(phone, client_ip=request.remote_addr, known_browser=known)
            except service.TooManyCodes as exc:
                return render_template("auth/too_many.html", retry_after=exc.retry_after), 429
            session[PENDING_PHONE] = phone
            nxt = safe_next(request.args.get("next"))
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
            form.code.errors.append(_("验证码不正确或已失效。请检查后重试，或重新获取验证码。"))
        elif not user.is_active:
            form.code.errors.append(_("该账号已停用，不能登录。如需恢复，请联系办理窗口。"))
        else:
            nxt = safe_next(request.args.get("next"))
            lang = session.get("lang")
            session.clear()  # a fresh session on privilege change: no fixation
            if lang:
                session["lang"] = lang
            login_user(user)
            if user.needs_profile:
                response = redirect(url_for("auth.profile", next=nxt, welcome=1))
            else:
                flash(_("已登录。"), "success")
                response = redirect(nxt or url_for("web.home"))
            _remember_browser(response, phone)
            return response
    return render_template("auth/verify.html", form=form, phone=service.masked(phone))


def _remember_browser(response, phone):
    """Mark this browser as one that signed in to `phone`: its later code
    requests draw on the owner's allowance, which strangers cannot exhaust."""
    cfg = current_app.config
    value = service.remember_browser(request.cookies.get(KNOWN_BROWSER_COOKIE), phone)
    response.set_cookie(KNOWN_BROWSER_COOKIE, value, max_age=KNOWN_BROWSER_DAYS * 86400, httponly=True,
                        secure=cfg["SESSION_COOKIE_SECURE"], samesite="Lax", path="/auth/")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        service.update_profile(current_user, form.display_name.data, form.enterprise_name.data)
        flash(_("资料已保存。"), "success")
        return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
    return render_template("auth/profile.html", form=form, welcome=request.args.get("welcome"))


@bp.post("/sign-out")
@login_required
def sign_out():
    service.end_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("web.home"))
