"""Changing a case: starting it, saving its answers, submitting it (once),
and the officers' decisions. Every change of state goes through `moves.move`,
which checks the one transition table (states.py)."""

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from app.cases import amendments, issuing, notices, packets, project_codes
from app.cases.evaluation import evaluate_submission, spec_of
from app.cases.lookups import applications_of
from app.cases.models import Application, CaseEvent, ReferenceCounter, Submission
from app.cases.moves import move
from app.cases.states import ACTION_LABELS, EDITABLE, OFFICER, STATUS_LABELS, TRANSITIONS, Status, allowed
from app.clock import CHINA, utcnow
from app.documents import service as documents
from app.extensions import db
from app.messages import UserError
from app.rules import service as rules
from app.seals import service as seals
from app.specs import service as specs
from app.workdays import working_days_between

log = logging.getLogger(__name__)


class NoLiveSpec(RuntimeError):
    pass


class Incomplete(ValueError):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class Rejected(ValueError):
    """The rules say the project may not be filed at all."""

    def __init__(self, outcome):
        super().__init__(outcome.reasons)
        self.outcome = outcome


class PreviewOnly(ValueError):
    """An admin's preview of a draft spec: it can be filled in, never submitted."""


class MaterialsMissing(ValueError):
    def __init__(self, missing):
        super().__init__([m.need.id for m in missing])
        self.missing = missing


class NeedsNewFiling(ValueError):
    """A 备案变更 whose changes make another project: it is filed as a new one."""

    def __init__(self, verdict):
        super().__init__(verdict.reason)
        self.verdict = verdict


class NothingChanged(ValueError):
    """A 备案变更 that changes no answer of the filing."""


class DecisionRefused(UserError):
    """An action not allowed now, or missing what it needs (a Chinese msgid)."""


class NotEditable(PermissionError):
    """Only drafts and cases returned for correction change."""


@dataclass
class Decision:
    action: str
    reason: str = ""
    project_code: str = ""
    field_reasons: dict | None = None  # field id → what to correct
    step_reasons: dict | None = None  # step id → what to correct


# --- Drafts -------------------------------------------------------------------

def _prefill(user, spec):
    """Answers of fields marked `prefill`, from the user's newest application that has them,
    and the enterprise name from the profile."""
    answers = {}
    wanted = [f for f in spec.fields.values() if f.prefill]
    for previous in applications_of(user)[:10]:
        for spec_field in wanted:
            if spec_field.id not in answers and previous.answers.get(spec_field.id) is not None:
                answers[spec_field.id] = previous.answers[spec_field.id]
    if spec.case_index and user.enterprise_name:
        answers.setdefault(spec.case_index.enterprise_name.id, user.enterprise_name)
    return answers


def start(user, spec_id=specs.DEFAULT_SPEC_ID, version=None, preview=False, answers=None, amends=None):
    """A new application on the live version (or, for an admin's preview, on `version`).
    `answers` (stored values, e.g. carried from the public self-check or a filing
    being changed) are filled in, as far as the version still asks them; the
    wizard checks them step by step. `amends`: the completed filing a 备案变更 changes."""
    version = version or specs.live_version(spec_id)
    if version is None:
        raise NoLiveSpec(spec_id)
    spec = specs.compiled(version)
    defaults = {f.id: f.default for f in spec.fields.values() if f.default is not None and not f.computed}
    carried = {k: v for k, v in (answers or {}).items()
               if k in spec.fields and not spec.fields[k].computed and v is not None}
    application = Application(user_id=user.id, spec_version_id=version.id, is_preview=preview,
                              answers={**defaults, **_prefill(user, spec), **carried},
                              amends_id=amends.id if amends else None,
                              project_name=amends.project_name if amends else None)
    db.session.add(application)
    db.session.commit()
    return application


def save_step(evaluation, cleaned, step_id):
    """Merge one step's cleaned answers into the case of `evaluation` (None
    removes an answer); returns the evaluation of the merged answers.

    One UPDATE, guarded by the status: a save racing the submit in another tab
    cannot change a case that was just frozen. A Core statement: the ORM's unit
    of work cost a third of the wizard's hottest request. The row is not read
    back: the application object keeps the merged answers, and the evaluation
    returned needs nothing else from it."""
    application = evaluation.application
    if application.status not in EDITABLE:
        raise NotEditable(application.status)
    answers = dict(application.answers or {})
    for field_id, value in cleaned.items():
        if value is None:
            answers.pop(field_id, None)
        else:
            answers[field_id] = value
    index = evaluation.spec.case_index
    project_name = answers.get(index.project_name.id) if index else None
    table = Application.__table__
    changed = db.session.connection().execute(
        table.update()
        .where(table.c.id == application.id, table.c.status.in_(EDITABLE))
        .values(answers=answers, last_step=step_id, updated_at=utcnow(),
                project_name=project_name or application.project_name)
    ).rowcount
    db.session.commit()
    if changed != 1:
        raise NotEditable(application.status)
    set_committed_value(application, "answers", answers)
    return evaluation.after_save(answers)


def delete_draft(application):
    if application.status != Status.DRAFT:
        raise NotEditable(application.status)
    db.session.delete(application)
    db.session.commit()


# --- Submitting ----------------------------------------------------------------

def _insert_for(dialect):
    return pg_insert if dialect == "postgresql" else sqlite_insert


def next_reference(prefix, year):
    """Take the next number for (prefix, year) in the current transaction.

    One upsert statement: concurrent submitters queue on the counter row, and
    a rolled-back submission gives its number back, so there are no gaps.
    """
    stmt = (
        _insert_for(db.engine.dialect.name)(ReferenceCounter)
        .values(prefix=prefix, year=year, last=1)
        .on_conflict_do_update(index_elements=["prefix", "year"], set_={"last": ReferenceCounter.last + 1})
        .returning(ReferenceCounter.last)
    )
    number = db.session.execute(stmt).scalar_one()
    return f"{prefix}-{year}-{number:06d}"


def tell_refusal(evaluation):
    """A project the rules refuse, once every deciding question is answered: the
    applicant is told by SMS, once per distinct set of reasons (the check page
    calls it each time it shows the refusal; repeats are dropped by the outbox)."""
    outcome = evaluation.outcome
    if outcome.decided and outcome.filing_type == "rejected" and not evaluation.application.is_preview:
        notices.rejected(evaluation.application, evaluation.spec, outcome)


def submit(evaluation):
    """Freeze the answers of `evaluation` (the case's, as they stand) and give the
    case its reference (kept on resubmission after a return for correction).
    Idempotent: a second submit (double click, replayed post) returns the first
    submission.

    A 备案变更 the change rules find too small is recorded (`record_change`),
    not sent to the officers; one they find to be another project is refused.

    Refused with Incomplete (answers), Rejected (the rules forbid the project;
    the applicant is told by SMS once), MaterialsMissing, NothingChanged,
    NeedsNewFiling or PreviewOnly.
    """
    application = evaluation.application
    if application.is_preview:
        raise PreviewOnly()
    spec, outcome = evaluation.spec, evaluation.outcome
    if evaluation.errors:
        raise Incomplete(evaluation.errors)
    if outcome.filing_type == "rejected":
        notices.rejected(application, spec, outcome)
        raise Rejected(outcome)
    if evaluation.missing_materials:
        raise MaterialsMissing(evaluation.missing_materials)
    verdict = evaluation.amendment.verdict if evaluation.amendment else None
    if verdict is not None and not verdict.changed:
        raise NothingChanged()
    if verdict is not None and verdict.outcome == rules.NEW_FILING:
        raise NeedsNewFiling(verdict)
    recording = verdict is not None and verdict.outcome == rules.NOT_NEEDED and application.status == Status.DRAFT
    action = "resubmit" if application.status == Status.RETURNED else "record_change" if recording else "submit"
    now = utcnow()
    if not move(application, action, submitted_at=now, updated_at=now):
        db.session.rollback()
        db.session.refresh(application)
        return application.submissions[-1] if application.submissions else None
    reference = application.reference or next_reference(spec.reference_prefix, now.year)
    number = len(application.submissions) + 1
    frozen_outcome = {**outcome.to_json(), **({"change": verdict.to_json()} if verdict else {})}
    submission = Submission(application_id=application.id, number=number, answers=evaluation.snapshot,
                            submitted_at=now, outcome=frozen_outcome,
                            materials=[item.to_json() for item in evaluation.checklist])
    db.session.add(submission)
    index = spec.case_index.values(evaluation.snapshot) if spec.case_index else {}
    db.session.execute(
        update(Application).where(Application.id == application.id)
        .values(reference=reference, filing_type=outcome.filing_type, level=outcome.level,
                escalated=outcome.escalated, energy_review=outcome.energy_review, **index)
        .execution_options(synchronize_session=False)
    )
    if recording:
        amendments.record_on_original(application, reference, verdict, now)
    db.session.commit()
    db.session.refresh(application)
    if recording:
        return submission
    if outcome.sms:
        notices.escalated(application, spec, number, outcome)
    packets.prepare(application)
    return submission


def allowed_decisions(application):
    return allowed(application.status, OFFICER, application.escalated)


def _check(application, decision):
    if decision.action not in TRANSITIONS or TRANSITIONS[decision.action].by != OFFICER:
        raise DecisionRefused("未知的操作。")
    if decision.action not in allowed_decisions(application):
        if decision.action == "forward" and application.status in TRANSITIONS["forward"].sources:
            raise DecisionRefused("只有超出区级权限的项目才能转报。")
        raise DecisionRefused("当前状态“%(state)s”下不能“%(action)s”。", state=STATUS_LABELS[application.status.value],
                              action=ACTION_LABELS[decision.action])
    if decision.action == "complete":
        wrong = project_codes.problem(decision.project_code, dt.datetime.now(CHINA).date()) \
            or amendments.completion_problem(application, decision.project_code)
        if wrong:
            raise DecisionRefused(wrong[0], **wrong[1])
    if decision.action == "return" and not (decision.reason.strip() or decision.field_reasons or decision.step_reasons):
        raise DecisionRefused("退回补正时请说明需要修改的内容。")
    if decision.action == "not_accept" and not decision.reason.strip():
        raise DecisionRefused("不予受理时请填写理由。")


def decide(application, decision, officer):
    """Apply an officer's decision: the move, its event, the official document it
    issues (sealed, see issuing.py), and one SMS to the applicant. Raises
    DecisionRefused; concurrent decisions on one case cannot both win."""
    _check(application, decision)
    before = application.status.value
    try:
        prepared = issuing.prepare(evaluate_submission(application), decision)
    except seals.SealFailed as exc:
        raise DecisionRefused("签章服务暂时不可用，决定没有保存，请稍后再试。") from exc
    except documents.DocumentError as exc:  # data no golden example foresaw: the admins must fix the template
        log.error("case %s: the official document for %s failed: %s", application.id, decision.action, exc)
        raise DecisionRefused("无法生成签发文件，决定没有保存。请联系管理员检查文书模板。") from exc
    now = utcnow()
    values = {"updated_at": now}
    if decision.action == "accept":
        values.update(accepted_at=now, accept_working_days=working_days_between(application.submitted_at, now))
    elif decision.action == "complete":
        values.update(completed_at=now, project_code=project_codes.normalized(decision.project_code),
                      complete_working_days=working_days_between(application.submitted_at, now))
    elif decision.action == "return":
        values["returned_count"] = Application.returned_count + 1
    elif decision.action == "forward":
        values["forwarded_to"] = application.level
    try:
        if not move(application, decision.action, **values):
            raise DecisionRefused("该申请的状态刚刚被其他人更改，请刷新后再操作。")
        event = CaseEvent(application_id=application.id, kind=decision.action, from_status=before,
                          to_status=TRANSITIONS[decision.action].target.value, actor_id=officer.id,
                          reason=decision.reason.strip() or None,
                          data={"fields": decision.field_reasons or {}, "steps": decision.step_reasons or {},
                                "project_code": project_codes.normalized(decision.project_code) or None},
                          created_at=now)
        db.session.add(event)
        db.session.flush()
        if decision.action == "complete" and not amendments.supersede_original(application, officer, now):
            raise DecisionRefused("原备案的状态刚刚被更改（如已注销），不能办结本次变更，请刷新后查看。")
        issued = issuing.record(prepared, application, event, officer) if prepared else None
        db.session.commit()
    except BaseException:
        db.session.rollback()
        issuing.discard(prepared)
        raise
    db.session.refresh(application)
    notices.decided(application, spec_of(application), decision, event, issued)
    return event


def revoke_issued(issued, officer, reason):
    """Revoke an issued document (it shows as revoked on the public page). Raises DecisionRefused."""
    if issued.status == "revoked":
        raise DecisionRefused("该文件已撤销。")
    if not reason.strip():
        raise DecisionRefused("撤销文件时请填写理由。")
    issuing.revoke(issued, reason)
    db.session.add(CaseEvent(application_id=issued.application_id, kind="issued_revoked", actor_id=officer.id,
                             reason=reason.strip(), data={"document": issued.title, "code": issued.code}))
    db.session.commit()


def record(application, officer, kind, **data):
    """An officer looked at or downloaded something (audit; no state change)."""
    db.session.add(CaseEvent(application_id=application.id, kind=kind, actor_id=officer.id, data=data))
    db.session.commit()
