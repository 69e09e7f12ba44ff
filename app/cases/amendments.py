"""备案变更: a completed filing changed by a new application of the same
project (`Application.amends_id`), prefilled from the filed answers and pinned
to the live spec. The spec's `changes:` rules (rules.judge_change) decide from
the old and the new answers whether it is a change, not needed (the applicant
records it; no officer's work) or a new filing (the applicant files it as a
new project). An officer completes a change under the same project code; the
new 备案证明 supersedes the old one (issuing.record) and the filing it changed
moves to `changed`, handing on its start and completion reports.

Which filing a change may start from, and what completing one does, live here;
starting the draft is after_filing.start_change (it needs lifecycle.start)."""

from sqlalchemy import select

from app.cases.models import Application, CaseEvent, ProjectReport
from app.cases.moves import move
from app.cases.states import TRANSITIONS, Status
from app.extensions import db
from app.messages import N_

CHANGEABLE_TYPES = ("filing",)  # a 核准 is changed by its own procedure (核准变更), not online here
IN_FLIGHT = (Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED)
NOT_CONFIGURED = N_("现行申报规则尚未配置备案变更，请联系办理窗口。")


def open_change(application):
    """The change of `application` still in flight (draft to accepted), or None."""
    return db.session.scalar(select(Application).where(
        Application.amends_id == application.id, Application.status.in_(IN_FLIGHT))
        .order_by(Application.id.desc()).limit(1))


def change_refusal(application):
    """Why `application` cannot be changed online (a msgid), or None, from the case
    alone: the live spec's `changes:` section is looked at only after this passes."""
    if application.status != Status.COMPLETED:
        return N_("只有已办结且有效的备案可以申请备案变更。")
    if application.filing_type not in CHANGEABLE_TYPES:
        return N_("核准和审批项目的变更请向原审批机关申请，本系统只办理备案变更。")
    return None


def completion_problem(application, project_code):
    """A change is completed under its filing's project code: (msgid, params) when another was typed."""
    original = application.amends
    if original is None or not original.project_code:
        return None
    if (project_code or "").strip().upper() != original.project_code:
        return N_("备案变更沿用原项目代码 %(code)s，不重新赋码。"), {"code": original.project_code}
    return None


def supersede_original(application, officer, when):
    """In the transaction completing the change `application`: the filing it
    changes moves to `changed` and its reports carry over (the project started
    once, whatever its record says now). The certificate is superseded by
    issuing.record. False when the original moved meanwhile."""
    original = application.amends
    if original is None:
        return True
    before = original.status.value
    if not move(original, "supersede", updated_at=when):
        return False
    db.session.add(CaseEvent(application_id=original.id, kind="supersede", from_status=before,
                             to_status=TRANSITIONS["supersede"].target.value, actor_id=officer.id,
                             data={"reference": application.reference}, created_at=when))
    carried = set(db.session.scalars(select(ProjectReport.kind).filter_by(application_id=application.id)))
    for report in db.session.scalars(select(ProjectReport).filter_by(application_id=original.id)):
        if report.kind not in carried:
            db.session.add(ProjectReport(application_id=application.id, kind=report.kind,
                                         happened_on=report.happened_on, description=report.description,
                                         reported_at=report.reported_at, reported_by_id=report.reported_by_id))
            if report.kind == "start":
                application.started_on = report.happened_on
    return True


def record_on_original(application, reference, verdict, when):
    """A change not needing a 备案变更 is written on the filing's timeline (in the recording transaction)."""
    db.session.add(CaseEvent(application_id=application.amends_id, kind="change_recorded",
                             actor_id=application.user_id, reason=verdict.reason or None, created_at=when,
                             data={"reference": reference, "changed": verdict.changed}))


def changes_of(application):
    """Every change of `application`, oldest first (for the case pages)."""
    return db.session.scalars(select(Application).where(Application.amends_id == application.id)
                              .order_by(Application.id)).all()
