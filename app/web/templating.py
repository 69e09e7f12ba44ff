"""Things every template can use: navigation, language, date formatting."""

from datetime import UTC

from flask import current_app, request, url_for
from flask_babel import format_datetime
from flask_login import current_user

from app.cases import service as cases
from app.messages import N_
from app.names import SMS_STATE_LABELS, sms_state
from app.web.i18n import selected_language, translate


def _nav_items():
    shown = list(PUBLIC_NAV)
    if current_user.is_authenticated:
        shown += [(endpoint, label) for endpoint, label, role in NAV if not role or current_user.has_role(role)]
    items = []
    for endpoint, label in shown:
        if endpoint not in current_app.view_functions:
            continue  # an area not built (or not enabled) yet
        url = url_for(endpoint)
        items.append({"url": url, "label": translate(label), "active": request.path.startswith(url)})
    return items


# Pages for everyone, signed in or not.
PUBLIC_NAV = [("guide.guide", N_("服务指南")), ("guide.check", N_("项目自查"))]
# (endpoint, label, role needed); later areas add themselves here.
NAV = [
    ("wizard.my_applications", "我的申请", None),
    ("review.queue", "审核工作台", "officer"),
    ("admin.index", "系统管理", "admin"),
]


def datetime_local(value, fmt="yyyy-MM-dd HH:mm"):
    if value is None:
        return ""
    return format_datetime(value if value.tzinfo else value.replace(tzinfo=UTC), fmt)  # stored times are UTC


def _label(table):
    return lambda value: translate(table[value]) if value in table else str(value or "")


def deadline_label(deferral):
    """When a deferrable material is due, in the visitor's language."""
    if not deferral:
        return ""
    if deferral.get("working_days"):
        return translate(cases.DEADLINE_WORKING_DAYS) % {"n": deferral["working_days"]}
    return translate(cases.DEADLINE_BEFORE_CONSTRUCTION)


# The one table of each kind of name (cases/states.py), translated where shown.
LABELS = {
    "status_label": _label(cases.STATUS_LABELS),
    "filing_type_label": _label(cases.FILING_TYPE_LABELS),
    "material_state_label": _label(cases.MATERIAL_STATE_LABELS),
    "material_form_label": _label(cases.MATERIAL_FORM_LABELS),
    "deadline_label": deadline_label,
    "event_label": _label(cases.EVENT_LABELS),
    "issued_status_label": _label(cases.ISSUED_STATUS_LABELS),
    "sms_state_label": lambda message: _label(SMS_STATE_LABELS)(sms_state(message)),
}


def register(app):
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["datetime_local"] = datetime_local
    app.jinja_env.globals.update(LABELS)

    @app.context_processor
    def inject():
        lang = selected_language()  # zh_CN or en, not Babel's expanded zh_Hans_CN
        return {
            "nav_items": _nav_items(),
            "current_lang": lang,
            "html_lang": lang.replace("_", "-"),
        }
