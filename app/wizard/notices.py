"""The SMS an applicant gets about the authority outcome. Each event is
queued with a dedupe key, so retries and double clicks never send it twice."""

import hashlib

from app.sms import service as sms

FILING_VERBS = {"filing": "备案", "approval": "核准", "examination": "审批"}


def _project(application):
    return f"“{application.project_name or '未命名项目'}”"


def _reasons(outcome):
    return "".join(outcome.reasons)


def rejected(application, phone, outcome):
    """Once per distinct set of reasons: the applicant may change answers and try again."""
    digest = hashlib.sha256(_reasons(outcome).encode()).hexdigest()[:16]
    text = (f"您的项目{_project(application)}不能办理:{_reasons(outcome)}"
            "请修改项目方案后重新申报,如有疑问请咨询萧山区发展和改革局。")
    return sms.queue(phone, text, purpose="authority_rejected",
                     dedupe_key=f"application:{application.id}:rejected:{digest}")


def escalated(application, phone, submission_number, outcome):
    """After submission: where the applicant must go, why, and what to do next."""
    parts = []
    if outcome.escalated:
        verb = FILING_VERBS.get(outcome.filing_type, "办理")
        parts.append(f"您的项目{_project(application)}(受理编号{application.reference})超出区级权限,"
                     f"须报{outcome.level_office or outcome.level_name}{verb}。")
    else:
        parts.append(f"您的项目{_project(application)}(受理编号{application.reference})已提交区级办理。")
    if outcome.energy_escalated:
        parts.append(f"节能审查须由{outcome.energy_name}负责。")
    parts.append(f"原因:{_reasons(outcome)}")
    parts.append("下一步:请登录系统下载已生成的申请材料,按上述层级报送;本区将为您转报并告知进度。")
    return sms.queue(phone, "".join(parts), purpose="authority_escalated",
                     dedupe_key=f"application:{application.id}:submission:{submission_number}:authority")
