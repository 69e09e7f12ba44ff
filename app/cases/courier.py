"""零上门： the paper originals by courier. The applicant asks (recipient,
mobile, town and address, checked like the wizard's fields) before submitting
and until the case is decided; the officer records the dispatch, and the
applicant is told by SMS."""

from flask import current_app
from sqlalchemy import select

from app.cases import notices
from app.cases.evaluation import spec_of
from app.cases.models import CaseEvent, CourierRequest
from app.cases.states import Status
from app.clock import utcnow
from app.extensions import db
from app.messages import N_, UserError
from app.phone import InvalidPhone, normalize_mobile
from app.text import CONTROL_MESSAGE, has_control_characters

REQUESTABLE = (Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED)
DISPATCHABLE = (Status.COMPLETED, Status.FORWARDED, Status.NOT_ACCEPTED)
LIMITS = {"recipient": 40, "address": 200, "carrier": 40, "tracking_number": 40}


class CourierRefused(UserError):
    """A courier request or dispatch that cannot be taken (a Chinese msgid)."""


def request_of(application_id):
    return db.session.scalar(select(CourierRequest).filter_by(application_id=application_id))


def _text(data, name, errors, required=True):
    value = (data.get(name) or "").strip()
    if not value and required:
        errors[name] = (N_("请填写此项。"), {})
    elif len(value) > LIMITS[name]:
        errors[name] = (N_("不能超过%(max)s个字符。"), {"max": LIMITS[name]})
    elif has_control_characters(value):
        errors[name] = (CONTROL_MESSAGE, {})
    return value


def requestable(application):
    return application.status in REQUESTABLE


def request(application, user, data):
    """Save the applicant's delivery request; returns {field: (msgid, params)} of problems (nothing saved then)."""
    if not requestable(application):
        raise CourierRefused("该申请已办理完毕，不能再申请邮寄。")
    errors = {}
    recipient, address = _text(data, "recipient", errors), _text(data, "address", errors)
    try:
        mobile = normalize_mobile(data.get("mobile"), country_codes=current_app.config["SIGNIN_COUNTRY_CODES"])
    except InvalidPhone:
        errors["mobile"], mobile = (N_("请输入有效的手机号码，例如 13812345678。"), {}), None
    index = spec_of(application).case_index
    towns = {o["value"] for o in index.town_options()} if index else set()
    town = (data.get("town") or "").strip()
    if town not in towns:
        errors["town"] = (N_("请从列表中选择。"), {})
    if errors:
        return errors
    courier = request_of(application.id) or CourierRequest(application_id=application.id)
    if courier.dispatched_at:
        raise CourierRefused("文件已寄出，不能再修改邮寄地址。")
    courier.recipient, courier.mobile, courier.town, courier.address = recipient, mobile, town, address
    courier.requested_at = utcnow()
    db.session.add(courier)
    db.session.add(CaseEvent(application_id=application.id, kind="courier_requested", actor_id=user.id,
                             data={"town": town}))
    db.session.commit()
    return {}


def dispatch(application, officer, data):
    """Record the dispatch and tell the applicant; returns {field: (msgid, params)} of problems."""
    courier = request_of(application.id)
    if courier is None:
        raise CourierRefused("申请人未申请邮寄纸质文件。")
    if courier.dispatched_at:
        raise CourierRefused("已登记寄出。")
    if application.status not in DISPATCHABLE:
        raise CourierRefused("办结、转报或不予受理后才能寄出纸质文件。")
    errors = {}
    carrier, tracking = _text(data, "carrier", errors), _text(data, "tracking_number", errors)
    if errors:
        return errors
    courier.carrier, courier.tracking_number = carrier, tracking
    courier.dispatched_at, courier.dispatched_by_id = utcnow(), officer.id
    db.session.add(CaseEvent(application_id=application.id, kind="courier_dispatched", actor_id=officer.id,
                             data={"carrier": carrier, "tracking_number": tracking}))
    db.session.commit()
    notices.dispatched(application, courier)
    return {}
