"""Friendly error pages in the user's language; never a stack trace."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

TITLES = {
    400: _l("请求有误"),
    403: _l("无权访问"),
    404: _l("页面不存在"),
    405: _l("请求方式不允许"),
    413: _l("文件过大"),
    429: _l("操作过于频繁"),
    500: _l("系统出错了"),
}

MESSAGES = {
    400: _l("提交的内容无法处理。请返回上一页检查后重试。"),
    403: _l("您的账号没有访问此页面的权限。如需办理，请用有相应权限的账号登录。"),
    404: _l("您访问的页面不存在或已被移除。"),
    405: _l("此页面不接受这种请求方式。"),
    413: _l("上传的内容超过了大小限制。请压缩文件后重新上传。"),
    429: _l("您的操作过于频繁，请稍后再试。"),
    500: _l("服务器出现意外错误，我们已记录此问题。您填写的内容不会丢失，请稍后再试。"),
}


# Headers an error response must keep: 405 says what is allowed, 429 and 503
# when to come back, 401 how to authenticate.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _render(code, message=None, headers=None):
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return ({"error": str(TITLES.get(code, TITLES[500])), "message": message or str(MESSAGES.get(code, ""))},
                code, headers or {})
    return render_template(
        "errors/error.html",
        code=code,
        title=str(TITLES.get(code, TITLES[500])),
        message=message or str(MESSAGES.get(code, MESSAGES[500])),
    ), code, headers or {}


class UserMessage(str):
    """An error description written for the user (translated), shown on the
    error page instead of the generic text: `abort(400, UserMessage(_("…")))`."""


def handle_http_error(exc: HTTPException):
    message = exc.description if isinstance(exc.description, UserMessage) else None
    headers = {name: value for name, value in exc.get_headers() if name in KEPT_HEADERS}
    return _render(exc.code or 500, message, headers)


def handle_untrusted_host(exc: SecurityError):
    # No page can be built: URLs for the layout need a trusted host.
    return "400 请求有误：未知的主机名 (unknown host)\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def handle_csrf_error(exc: CSRFError):
    return _render(400, _("页面已过期或请求来源无法验证（CSRF）。请刷新页面后重新提交。"))


def handle_unexpected(exc: Exception):
    # Logged with the trace for us; the user gets the friendly page only.
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return _render(500)


def register_errorhandlers(app):
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
