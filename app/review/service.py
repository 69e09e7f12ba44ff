"""The officers' side of a case: the decision state machine, the queue and
the statistics. Every state change goes through `decide`, which checks the
transition table, records who/when/why, and sends the applicant one SMS."""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from app.clock import utcnow
from app.extensions import db
from app.review.models import CaseEvent
from app.sms import service as sms
from app.wizard.models import Application, ApplicationStatus

S = ApplicationStatus
CHINA = ZoneInfo("Asia/Shanghai")
PROJECT_CODE_RE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")

# action: (states it may start from, state it leads to). The applicant's
# resubmission after a return (returned → submitted) is wizard.service.submit.
TRANSITIONS = {
    "accept": ({S.SUBMITTED}, S.ACCEPTED),
    "return": ({S.SUBMITTED, S.ACCEPTED}, S.RETURNED),
    "complete": ({S.ACCEPTED}, S.COMPLETED),
    "forward": ({S.SUBMITTED, S.ACCEPTED}, S.FORWARDED),
    "not_accept": ({S.SUBMITTED}, S.NOT_ACCEPTED),
}
ACTION_NAMES = {"accept": _l("受理"), "return": _l("退回补正"), "complete": _l("办结"), "forward": _l("转报"),
                "not_accept": _l("不予受理")}


class DecisionRefused(ValueError):
    """An action not allowed now, or missing what it needs. The message is a Chinese msgid."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass
class Decision:
    action: str
    reason: str = ""
    project_code: str = ""
    field_reasons: dict | None = None  # field id → what to correct
    step_reasons: dict | None = None  # step id → what to correct


def allowed_actions(application):
    actions = [a for a, (sources, _) in TRANSITIONS.items() if application.status in sources]
    if not application.escalated:
        actions = [a for a in actions if a != "forward"]
    return actions


def _check(application, decision):
    if decision.action not in TRANSITIONS:
        raise DecisionRefused("未知的操作。")
    sources, _ = TRANSITIONS[decision.action]
    if application.status not in sources:
        raise DecisionRefused("当前状态“%(state)s”下不能“%(action)s”。", state=application.status.value,
                              action=str(ACTION_NAMES[decision.action]))
    if decision.action == "forward" and not application.escalated:
        raise DecisionRefused("只有超出区级权限的项目才能转报。")
    if decision.action == "complete" and not PROJECT_CODE_RE.match(decision.project_code.strip()):
        raise DecisionRefused("项目代码应为24位,格式如 2026-330109-36-03-012345。")
    if decision.action == "return" and not (decision.reason.strip() or decision.field_reasons or decision.step_reasons):
        raise DecisionRefused("退回补正时请说明需要修改的内容。")
    if decision.action == "not_accept" and not decision.reason.strip():
        raise DecisionRefused("不予受理时请填写理由。")


def _sms_text(application, decision):
    project = f"您的项目“{application.project_name or '未命名项目'}”(受理编号{application.reference})"
    if decision.action == "accept":
        return f"{project}已受理,我们将尽快办理,进度可登录系统查看。"
    if decision.action == "return":
        items = [*(decision.field_reasons or {}).values(), *(decision.step_reasons or {}).values()]
        if decision.reason.strip():
            items.insert(0, decision.reason.strip())
        return f"{project}需补正:{';'.join(items)}。请登录系统按提示修改后重新提交。"
    if decision.action == "complete":
        return f"{project}已办结,项目代码{decision.project_code.strip()}。可登录系统下载相关文件。"
    if decision.action == "forward":
        outcome = application.submissions[-1].outcome or {} if application.submissions else {}
        office = outcome.get("level_office") or "上级发展改革部门"
        return f"{project}已转报{office}办理,请留意后续通知。"
    return f"{project}不予受理,理由:{decision.reason.strip()}。如有疑问请咨询萧山区发展和改革局。"


def decide(application, decision, officer):
    """Apply an officer's decision. Raises DecisionRefused; concurrent decisions
    on one case cannot both win (the status is compared in the update)."""
    _check(application, decision)
    sources, target = TRANSITIONS[decision.action]
    before = application.status.value  # the update below refreshes the object in the session
    now = utcnow()
    values = {"status": target, "updated_at": now}
    if decision.action == "accept":
        values["accepted_at"] = now
    elif decision.action == "complete":
        values.update(completed_at=now, project_code=decision.project_code.strip())
    elif decision.action == "return":
        values["returned_count"] = Application.returned_count + 1
    elif decision.action == "forward":
        values["forwarded_to"] = application.level
    changed = db.session.execute(
        update(Application).where(Application.id == application.id, Application.status.in_(sources)).values(**values)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise DecisionRefused("该申请的状态刚刚被其他人更改,请刷新后再操作。")
    event = CaseEvent(application_id=application.id, kind=decision.action, from_status=before,
                      to_status=target.value, actor_id=officer.id, reason=decision.reason.strip() or None,
                      data={"fields": decision.field_reasons or {}, "steps": decision.step_reasons or {},
                            "project_code": decision.project_code.strip() or None},
                      created_at=now)
    db.session.add(event)
    db.session.commit()
    db.session.refresh(application)
    sms.queue(application.user.phone, _sms_text(application, decision), purpose=f"case_{decision.action}",
              dedupe_key=f"application:{application.id}:event:{event.id}")
    return event


def record(application, officer, kind, **data):
    """An officer looked at or downloaded something (audit; no state change)."""
    db.session.add(CaseEvent(application_id=application.id, kind=kind, actor_id=officer.id, data=data))
    db.session.commit()


def events(application):
    return db.session.scalars(
        select(CaseEvent).filter_by(application_id=application.id).order_by(CaseEvent.created_at, CaseEvent.id)
    ).all()


def latest_return(application):
    """The officer's reasons of the return that is waiting to be corrected, or None."""
    if application.status != S.RETURNED:
        return None
    return db.session.scalar(
        select(CaseEvent).filter_by(application_id=application.id, kind="return").order_by(CaseEvent.id.desc())
    )


def sms_for(application):
    return sms.messages_with_key_prefix(f"application:{application.id}:")


# --- The queue -------------------------------------------------------------

QUEUE_STATES = [S.SUBMITTED, S.ACCEPTED, S.RETURNED, S.FORWARDED, S.COMPLETED, S.NOT_ACCEPTED]
SORTS = {
    "submitted": Application.submitted_at.asc(),
    "-submitted": Application.submitted_at.desc(),
    "reference": Application.reference.asc(),
    "project": Application.project_name.asc(),
}


@dataclass
class QueueFilter:
    state: str = ""
    filing_type: str = ""
    level: str = ""
    escalated: str = ""  # "", "yes", "no"
    section: str = ""
    town: str = ""
    since: object = None  # date
    until: object = None  # date
    q: str = ""
    sort: str = "submitted"


def _filtered(f):
    query = select(Application).where(Application.status.in_(QUEUE_STATES), Application.is_preview.is_(False))
    if f.state:
        query = query.where(Application.status == f.state)
    if f.filing_type:
        query = query.where(Application.filing_type == f.filing_type)
    if f.level:
        query = query.where(Application.level == f.level)
    if f.escalated in ("yes", "no"):
        query = query.where(Application.escalated.is_(f.escalated == "yes"))
    if f.section:
        query = query.where(Application.industry_section == f.section)
    if f.town:
        query = query.where(Application.town == f.town)
    if f.since:
        query = query.where(Application.submitted_at >= _start_of_china_day(f.since))
    if f.until:
        query = query.where(Application.submitted_at < _start_of_china_day(f.until, plus_days=1))
    if f.q.strip():
        # % and _ are what the officer typed, not wildcards.
        escaped = f.q.strip()[:100].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        term = f"%{escaped}%"
        query = query.where(or_(*(column.ilike(term, escape="\\") for column in (
            Application.reference, Application.project_name, Application.enterprise_name, Application.credit_code))))
    return query


def _start_of_china_day(day, plus_days=0):
    start = dt.datetime.combine(day + dt.timedelta(days=plus_days), dt.time(), tzinfo=CHINA)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def queue(f, page=1, per_page=25):
    """(cases on the page, total matching)."""
    query = _filtered(f)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(
        query.order_by(SORTS.get(f.sort, SORTS["submitted"]), Application.id)
        .limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    return rows, total


def queue_all(f, limit=50_000):
    return db.session.scalars(_filtered(f).order_by(SORTS.get(f.sort, SORTS["submitted"]), Application.id)
                              .limit(limit)).all()


def counts_by_state():
    rows = db.session.execute(
        select(Application.status, func.count())
        .where(Application.status.in_(QUEUE_STATES), Application.is_preview.is_(False))
        .group_by(Application.status)
    ).all()
    counts = {state.value: 0 for state in QUEUE_STATES}
    counts.update({status.value: n for status, n in rows})
    return counts
