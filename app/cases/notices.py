"""Every SMS an applicant gets about a case. Each event is queued with a
dedupe key, so retries and double clicks never send it twice. Office names
come from the spec's `authority.levels`, never from the code."""

import hashlib

from flask import current_app

from app.names import FILING_TYPES
from app.sms import service as sms

FALLBACK_OFFICE = "发展改革部门"


def _project(application):
    return f"“{application.project_name or '未命名项目'}”"


def _case(application):
    return f"您的项目{_project(application)}（受理编号{application.reference}）"


def _reasons(outcome):
    return "".join(outcome.reasons)


def site_office(spec):
    """The office of the level this site decides at (e.g. 萧山区发展和改革局)."""
    level = spec.levels.get(current_app.config["SITE_LEVEL"])
    return (level.office if level else None) or FALLBACK_OFFICE


def rejected(application, spec, outcome):
    """Once per distinct set of reasons: the applicant may change answers and try again."""
    digest = hashlib.sha256(_reasons(outcome).encode()).hexdigest()[:16]
    # A self-check result, not the office's decision: it says why, and where to ask.
    text = (f"您的项目{_project(application)}按现有方案不能申报：{_reasons(outcome)}"
            f"详情及可依法办理的途径请登录系统查看，如有疑问请咨询{site_office(spec)}。")
    return sms.queue(application.user.phone, text, purpose="authority_rejected",
                     dedupe_key=f"application:{application.id}:rejected:{digest}")


def escalated(application, submission_number, outcome):
    """After submission: where the applicant must go, why, and what to do next."""
    parts = []
    if outcome.escalated:
        verb = FILING_TYPES.get(outcome.filing_type, "办理")  # a rejected case is never submitted
        parts.append(f"{_case(application)}超出区级权限，须报{outcome.level_office or outcome.level_name}{verb}。")
    else:
        parts.append(f"{_case(application)}已提交区级办理。")
    if outcome.energy_escalated:
        parts.append(f"节能审查须由{outcome.energy_name}负责。")
    parts.append(f"原因：{_reasons(outcome)}")
    parts.append("下一步：请登录系统下载已生成的申请材料，按上述层级报送；本区将为您转报并告知进度。")
    return sms.queue(application.user.phone, "".join(parts), purpose="authority_escalated",
                     dedupe_key=f"application:{application.id}:submission:{submission_number}:authority")


def decided(application, spec, decision, event, issued=None):
    """One SMS per officer decision; it says when an official document is ready."""
    project = _case(application)
    ready = f"《{issued.title}》已签发，可登录系统下载。" if issued else ""
    if decision.action == "accept":
        text = f"{project}已受理。{ready or '进度可登录系统查看。'}"
    elif decision.action == "return":
        items = [*(decision.field_reasons or {}).values(), *(decision.step_reasons or {}).values()]
        if decision.reason.strip():
            items.insert(0, decision.reason.strip())
        text = f"{project}需补正：{'；'.join(items)}。{ready}请登录系统按提示修改后重新提交。"
    elif decision.action == "complete":
        code = decision.project_code.strip().upper()
        text = f"{project}已办结，项目代码{code}。{ready or '可登录系统下载相关文件。'}"
    elif decision.action == "forward":
        outcome = application.submissions[-1].outcome or {}  # where the submission said it must go
        office = outcome.get("level_office") or f"上级{FALLBACK_OFFICE}"
        text = f"{project}已转报{office}办理，请留意后续通知。{ready}"
    else:
        text = f"{project}不予受理，理由：{decision.reason.strip()}。{ready}如有疑问请咨询{site_office(spec)}。"
    return sms.queue(application.user.phone, text, purpose=f"case_{decision.action}",
                     dedupe_key=f"application:{application.id}:event:{event.id}")


def messages_of(application):
    """The SMS sent about a case, oldest first."""
    return sms.messages_with_key_prefix(f"application:{application.id}:")


def dispatched(application, courier):
    """The paper originals are on their way."""
    text = (f"{_case(application)}的纸质文件已寄出：{courier.carrier}，运单号{courier.tracking_number},"
            f"收件人{courier.recipient}。")
    return sms.queue(application.user.phone, text, purpose="courier_dispatched",
                     dedupe_key=f"application:{application.id}:courier:{courier.id}")
