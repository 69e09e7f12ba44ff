"""The official result of a decision: render the document the spec's `issued:`
names for it, seal it in the office's name, store it once, and keep its record
(kind, random verification code, SHA-256, who and when, valid / superseded /
revoked). A later document of the same kind supersedes the earlier one.

Rendering and sealing happen before the decision's transaction; the record is
added inside it, so a decision and its document land together or not at all
(a refused decision leaves no file behind)."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update

from app.cases import filestore
from app.cases.models import IssuedDocument
from app.cases.notices import site_office
from app.cases.states import ACTION_LABELS
from app.clock import CHINA, utcnow
from app.documents import service as documents
from app.extensions import db
from app.links import public_url
from app.seals import service as seals
from app.workdays import add_working_days

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U to misread
CODE_LENGTH = 16  # 80 bits: not guessable, not sequential, not derived from anything


@dataclass
class Prepared:
    """A sealed document written to the file store, waiting for its decision to commit."""

    kind: str
    title: str
    code: str
    office: str
    project_code: str | None
    stored_name: str
    sha256: str
    size: int


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalized_code(text):
    """What someone typed (any case, with dashes or spaces, O for 0) → a stored code."""
    text = (text or "").upper().replace("-", "").replace(" ", "")
    return text.translate(str.maketrans("OIL", "011"))[:CODE_LENGTH * 2]


def grouped(code):
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _notes(evaluation, decision):
    """Every officer's note at its field (with the field's label and the answer as
    submitted) or step: the 一次性告知 of a correction notice."""
    printed = {item.field.id: item for step in evaluation.summary("zh_CN") for item in step.items}
    notes = []
    for field_id, note in (decision.field_reasons or {}).items():
        item = printed.get(field_id)
        spec_field = evaluation.spec.fields.get(field_id)
        answer = "" if item is None else (f"{len(item.rows)} 行" if item.is_table else item.value)
        notes.append({"kind": "field", "where": spec_field.label if spec_field else field_id, "answer": answer,
                      "note": note})
    for step_id, note in (decision.step_reasons or {}).items():
        step = evaluation.spec.step(step_id)
        notes.append({"kind": "step", "where": step.title if step else step_id, "answer": "", "note": note})
    return notes


def chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def office_facts(spec, site_level, filing_type, day, time_limits):
    """What a notice says about the office and its promise: the office's phone and
    address (from the spec's level), the time limit of the case's filing type in
    working days and the date it ends when counted from `day`."""
    level = spec.levels.get(site_level)
    limit = time_limits.get(filing_type or "", 20)
    return {"office_phone": (level.phone if level else None) or "",
            "office_address": (level.address if level else None) or "",
            "time_limit_days": limit, "due_date": chinese_date(add_working_days(day, limit))}


def decision_data(evaluation, decision, office, when):
    local = when.replace(tzinfo=dt.UTC).astimezone(CHINA)
    outcome = evaluation.outcome
    config = current_app.config
    return {
        "action": decision.action, "action_name": ACTION_LABELS[decision.action],
        "reason": decision.reason.strip(), "project_code": decision.project_code.strip().upper() or None,
        "office": office, "date": chinese_date(local),
        "forwarded_to": outcome.level_office or outcome.level_name or "",
        "notes": _notes(evaluation, decision),
        **office_facts(evaluation.spec, config["SITE_LEVEL"], outcome.filing_type, local.date(),
                       config["CASE_TIME_LIMITS"]),
    }


def prepare(evaluation, decision):
    """Render and seal the document `decision` issues for the case (None when the
    spec issues none for it); the file is stored, the record not yet."""
    spec = evaluation.spec
    issued_spec = documents.issued_for(spec, evaluation.document_data, decision.action)
    if issued_spec is None:
        return None
    office, code, now = site_office(spec), new_code(), utcnow()
    verification = {"code": grouped(code), "url": public_url("verify.document", code=code)}
    stated = decision_data(evaluation, decision, office, now)
    replaced = _replaced(evaluation.application, issued_spec.id)
    if replaced is not None:  # a 备案变更: the certificate says which one it replaces
        stated["replaces"] = {"code": grouped(replaced.code), "date": chinese_date(
            replaced.issued_at.replace(tzinfo=dt.UTC).astimezone(CHINA))}
    pdf, title, boxes = documents.render_issued(spec, evaluation.document_data, issued_spec, stated, verification)
    if boxes:
        page, box = boxes[-1]
        pdf = seals.seal(pdf, page, box, reason=title)
    stored_name = filestore.keep_issued(pdf)
    return Prepared(kind=issued_spec.id, title=title, code=code, office=office,
                    project_code=decision.project_code.strip().upper() or None, stored_name=stored_name,
                    sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))


def _cases_of(application):
    """The case and, for a 备案变更, the filing it changes: whose documents a new one supersedes."""
    return [application.id] + ([application.amends_id] if application.amends_id else [])


def _replaced(application, kind):
    """The valid document of `kind` that a 备案变更's new one replaces, or None."""
    if not application.amends_id:
        return None
    return db.session.scalar(select(IssuedDocument).filter_by(
        application_id=application.amends_id, kind=kind, status="valid").order_by(IssuedDocument.id.desc()).limit(1))


def record(prepared, application, event, officer):
    """Add the issued document's record to the decision's transaction; the
    case's earlier valid document of the same kind (and, for a 备案变更, the
    changed filing's) is superseded by it."""
    issued = IssuedDocument(application_id=application.id, kind=prepared.kind, title=prepared.title,
                            code=prepared.code, office=prepared.office, project_code=prepared.project_code,
                            stored_name=prepared.stored_name, sha256=prepared.sha256, size=prepared.size,
                            issued_at=event.created_at, issued_by_id=officer.id, event_id=event.id)
    db.session.add(issued)
    db.session.flush()
    db.session.execute(
        update(IssuedDocument)
        .where(IssuedDocument.application_id.in_(_cases_of(application)), IssuedDocument.kind == prepared.kind,
               IssuedDocument.id != issued.id, IssuedDocument.status == "valid")
        .values(status="superseded", superseded_by_id=issued.id)
        .execution_options(synchronize_session=False)
    )
    return issued


def discard(prepared):
    if prepared is not None:
        filestore.discard_issued(prepared.stored_name)


def issued_of(application_id):
    return db.session.scalars(select(IssuedDocument).filter_by(application_id=application_id)
                              .order_by(IssuedDocument.issued_at, IssuedDocument.id)).all()


def by_code(code):
    code = normalized_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(select(IssuedDocument).filter_by(code=code))


def by_id(issued_id):
    return db.session.get(IssuedDocument, issued_id)


def by_sha256(sha256):
    return db.session.scalar(select(IssuedDocument).filter_by(sha256=sha256))


def revoke(issued, reason):
    issued.status, issued.revoked_at, issued.revoked_reason = "revoked", utcnow(), reason.strip()


def lapse(issued, reason):
    """Two years without a start: the document no longer stands (the public page says 已失效)."""
    issued.status, issued.revoked_at, issued.revoked_reason = "lapsed", utcnow(), reason.strip()


def read(issued):
    return filestore.issued_path(issued.stored_name).read_bytes()
