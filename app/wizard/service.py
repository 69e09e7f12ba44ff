"""Applications: start, save steps, check answers, submit exactly once."""

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clock import utcnow
from app.extensions import db
from app.rules import service as rules
from app.specs import service as specs
from app.wizard import materials, notices
from app.wizard.models import EDITABLE, Application, ApplicationStatus, ReferenceCounter, Submission

__all__ = [
    "Application", "ApplicationStatus", "Incomplete", "MaterialsMissing", "NoLiveSpec", "PreviewOnly", "Rejected",
    "Submission",
    "applications_of", "delete_draft", "evaluate", "materials", "next_reference", "owned_application",
    "save_answers", "spec_of", "start_application", "submit", "submitted_case",
]


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


def spec_of(application):
    return specs.compiled(application.spec_version)


def applications_of(user):
    return db.session.scalars(
        select(Application).filter_by(user_id=user.id).order_by(Application.updated_at.desc())
    ).all()


def submitted_case(application_id):
    """A submitted application by id, for staff (the caller checks the role)."""
    application = db.session.get(Application, application_id)
    if application is None or not application.submissions:
        return None
    return application


# Built once (see auth.service._USER_BY_ID): every wizard request runs it.
_OWNED_APPLICATION = select(Application).where(Application.id == bindparam("application_id"),
                                               Application.user_id == bindparam("user_id"))


def owned_application(user, application_id):
    """The application if it belongs to `user`; None otherwise (the caller answers 404)."""
    return db.session.execute(_OWNED_APPLICATION, {"application_id": application_id, "user_id": user.id}
                              ).scalar_one_or_none()


def _prefill(user, spec):
    """Answers of fields marked `prefill`, from the user's newest application that has them."""
    answers = {}
    wanted = [f for f in spec.fields.values() if f.prefill]
    for previous in applications_of(user)[:10]:
        for spec_field in wanted:
            if spec_field.id not in answers and previous.answers.get(spec_field.id) is not None:
                answers[spec_field.id] = previous.answers[spec_field.id]
    if "enterprise_name" in spec.fields and user.enterprise_name:
        answers.setdefault("enterprise_name", user.enterprise_name)
    return answers


def start_application(user, spec_id=specs.DEFAULT_SPEC_ID, version=None, preview=False):
    """A new application on the live version (or, for an admin's preview, on `version`)."""
    version = version or specs.live_version(spec_id)
    if version is None:
        raise NoLiveSpec(spec_id)
    spec = specs.compiled(version)
    defaults = {f.id: f.default for f in spec.fields.values() if f.default is not None and not f.computed}
    application = Application(user_id=user.id, spec_version_id=version.id, is_preview=preview,
                              answers={**defaults, **_prefill(user, spec)})
    db.session.add(application)
    db.session.commit()
    return application


def save_answers(application, cleaned, step_id):
    """Merge one step's cleaned answers into the draft (None removes an answer).
    Returns the merged answers, so callers need not reload the committed row."""
    if application.status not in EDITABLE:
        raise PermissionError("only drafts and cases returned for correction can change")
    answers = dict(application.answers or {})
    for field_id, value in cleaned.items():
        if value is None:
            answers.pop(field_id, None)
        else:
            answers[field_id] = value
    # One UPDATE, guarded by the status: a save racing the submit in another
    # tab cannot change a case that was just frozen. A Core statement: the
    # ORM's unit of work cost a third of the wizard's hottest request.
    table = Application.__table__
    changed = db.session.connection().execute(
        table.update()
        .where(table.c.id == application.id, table.c.status.in_(EDITABLE))
        .values(answers=answers, last_step=step_id, updated_at=utcnow(),
                project_name=answers.get("project_name") or application.project_name)
    ).rowcount
    db.session.commit()
    if changed != 1:
        raise PermissionError("only drafts and cases returned for correction can change")
    return answers


def delete_draft(application):
    if application.status != ApplicationStatus.DRAFT:
        raise PermissionError("only drafts can be deleted")
    db.session.delete(application)
    db.session.commit()


def _insert_for(dialect):
    return pg_insert if dialect == "postgresql" else sqlite_insert


def next_reference(prefix, year):
    """Take the next number for (prefix, year) in the current transaction.

    One upsert statement: concurrent submitters queue on the counter row, and
    a rolled-back submission gives its number back, so there are no gaps.
    """
    insert = _insert_for(db.engine.dialect.name)
    stmt = (
        insert(ReferenceCounter)
        .values(prefix=prefix, year=year, last=1)
        .on_conflict_do_update(index_elements=["prefix", "year"], set_={"last": ReferenceCounter.last + 1})
        .returning(ReferenceCounter.last)
    )
    number = db.session.execute(stmt).scalar_one()
    return f"{prefix}-{year}-{number:06d}"


def evaluate(application, site_level, lang="zh_CN", resolved=None):
    """(resolved, outcome, problems, materials checklist) for the current answers."""
    spec = spec_of(application)
    resolved, outcome, problems = rules.evaluate(spec, application.answers or {}, site_level, lang, resolved)
    return resolved, outcome, problems, materials.statuses(application, outcome)


def submit(application, site_level):
    """Freeze the answers and give the case its reference (kept on resubmission
    after a return for correction). Idempotent: a second submit (double click,
    replayed post) returns the first submission.

    Refused with Incomplete (answers), Rejected (the rules forbid the project;
    the applicant is told by SMS once) or MaterialsMissing.
    """
    if application.is_preview:
        raise PreviewOnly()
    spec = spec_of(application)
    _, outcome, problems, checklist = evaluate(application, site_level)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise Incomplete(errors)
    if outcome.filing_type == "rejected":
        notices.rejected(application, application.user.phone, outcome)
        raise Rejected(outcome)
    missing = materials.missing(checklist)
    if missing:
        raise MaterialsMissing(missing)
    now = utcnow()
    claimed = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status.in_(EDITABLE))
        .values(status=ApplicationStatus.SUBMITTED, submitted_at=now, updated_at=now)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(application)
        return application.submissions[-1] if application.submissions else None
    if application.reference is None:
        reference = next_reference(spec.reference_prefix, now.year)
        db.session.execute(update(Application).where(Application.id == application.id).values(reference=reference))
    number = len(application.submissions) + 1
    submission = Submission(application_id=application.id, number=number,
                            answers=rules.snapshot(spec, application.answers), submitted_at=now,
                            outcome=outcome.to_json(), materials=[m.to_json() for m in checklist])
    db.session.add(submission)
    industry = spec.fields.get("industry")
    code = submission.answers.get("industry")
    db.session.execute(
        update(Application).where(Application.id == application.id)
        .values(filing_type=outcome.filing_type, level=outcome.level, escalated=outcome.escalated,
                energy_review=outcome.energy_review, enterprise_name=submission.answers.get("enterprise_name"),
                credit_code=submission.answers.get("credit_code"), town=submission.answers.get("town"),
                industry_section=industry.type.section_of(code, industry) if industry and code else None)
    )
    db.session.commit()
    db.session.refresh(application)
    if outcome.sms:
        notices.escalated(application, application.user.phone, number, outcome)
    return submission
