"""Archive packages (归档信息包) of finished cases, in the shape of GB/T
42727-2023 (政务服务事项电子文件归档): one ZIP per case holding its documents,
issued results, materials, submissions and timeline, with a metadata file
naming every file with its SHA-256. archive_check.py verifies a package (the
four checks of DA/T 70). The layout is in docs/records.md.

A package is written once (to a temporary name, then renamed): a case already
archived is skipped, and the archiving is itself an event of the case."""

import datetime as dt
import hashlib
import json
import os
import zipfile
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app import clock
from app.cases import filestore, issuing, materials
from app.cases.evaluation import evaluate_submission
from app.cases.lookups import events
from app.cases.models import Application, CaseEvent
from app.cases.states import EVENT_LABELS, STATUS_LABELS, Status
from app.documents import service as documents
from app.extensions import db

PACKAGE_VERSION = 1
METADATA = "metadata.json"
STANDARD = "GB/T 42727-2023 政务服务事项电子文件归档"
# Finished: nothing more happens to the case here (a completed filing's later life
# is in its own events, archived again with --force when it ends).
FINISHED = (Status.COMPLETED, Status.CHANGED, Status.CANCELLED, Status.LAPSED, Status.NOT_ACCEPTED,
            Status.FORWARDED, Status.WITHDRAWN, Status.RECORDED)


def archive_dir():
    path = Path(current_app.config.get("ARCHIVE_DIR") or Path(current_app.instance_path) / "archive")
    path.mkdir(parents=True, exist_ok=True)
    return path


def package_name(application):
    return f"{application.reference}.zip"


def finished_case_ids(before=None):
    """Ids of the finished cases, oldest first; `before` (a date): last changed before that
    day. Ids, not rows: a province's archive run loads one case at a time."""
    query = select(Application.id).where(Application.status.in_(FINISHED), Application.is_preview.is_(False),
                                         Application.reference.is_not(None))
    if before is not None:
        query = query.where(Application.updated_at < dt.datetime.combine(before, dt.time()))
    return db.session.scalars(query.order_by(Application.id)).all()


def _iso(moment):
    return moment.replace(tzinfo=dt.UTC).isoformat() if moment else None


def _json(data):
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def _timeline(application):
    return [{"kind": e.kind, "name": EVENT_LABELS.get(e.kind, e.kind), "from": e.from_status, "to": e.to_status,
             "actor": e.actor_id, "reason": e.reason, "data": e.data, "at": _iso(e.created_at)}
            for e in events(application)]


def _submissions(application):
    return [{"number": s.number, "submitted_at": _iso(s.submitted_at), "answers": s.answers, "outcome": s.outcome,
             "materials": s.materials} for s in application.submissions]


def _contents(application):
    """[(path in the package, title, category, bytes)] of everything the package holds."""
    items = []
    evaluation = evaluate_submission(application)
    if evaluation is not None:
        for link in evaluation.document_titles():
            rendered = documents.render(evaluation.spec, evaluation.document_data, link.id, "pdf")
            if rendered is not None:
                items.append((f"documents/{link.id}.pdf", link.title, "application_document", rendered[2]))
    for issued in issuing.issued_of(application.id):
        items.append((f"issued/{issued.kind}-{issued.code}.pdf", issued.title, "issued_document",
                      issuing.read(issued)))
    for number, stored in enumerate(materials.files_of(application.id), 1):
        items.append((f"materials/{stored.material_id}/{number:03d}.{stored.kind}", stored.original_name,
                      "material", filestore.path_of(stored.stored_name).read_bytes()))
    items.append(("submissions.json", "申报内容（每次提交）", "submissions", _json(_submissions(application))))
    items.append(("timeline.json", "办理过程记录", "timeline", _json(_timeline(application))))
    return items


def metadata(application, items):
    """The package's metadata: the case (办件) and every file with its SHA-256."""
    spec_version = application.spec_version
    return {
        "standard": STANDARD, "package_version": PACKAGE_VERSION, "created_at": _iso(clock.utcnow()),
        "retention_period": current_app.config["ARCHIVE_RETENTION"],
        "service": {"spec_id": spec_version.spec_id, "spec_version": spec_version.number},
        "case": {
            "reference": application.reference, "project_code": application.project_code,
            "project_name": application.project_name, "enterprise_name": application.enterprise_name,
            "credit_code": application.credit_code, "filing_type": application.filing_type,
            "level": application.level, "status": application.status.value,
            "status_name": STATUS_LABELS[application.status.value], "submitted_at": _iso(application.submitted_at),
            "accepted_at": _iso(application.accepted_at), "completed_at": _iso(application.completed_at),
            "amends": application.amends.reference if application.amends else None,
        },
        "fixity": "SHA-256",
        "files": [{"path": path, "title": title, "category": category, "format": path.rsplit(".", 1)[-1],
                   "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for path, title, category, data in items],
    }


def write_package(application, folder, force=False):
    """Write the case's package into `folder`; returns its path, or None when it exists (and not `force`)."""
    target = folder / package_name(application)
    if target.exists() and not force:
        return None
    items = _contents(application)
    meta = metadata(application, items)
    partial = target.with_suffix(".zip.part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as package:
            package.writestr(METADATA, _json(meta))
            for path, _title, _category, data in items:
                package.writestr(path, data)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    db.session.add(CaseEvent(application_id=application.id, kind="archived", created_at=clock.utcnow(),
                             data={"package": target.name, "sha256": digest, "files": len(items)}))
    db.session.commit()
    return target


def archive(before=None, folder=None, force=False):
    """Archive every finished case (last changed before `before`): (written paths, skipped count)."""
    folder = Path(folder) if folder else archive_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written, skipped = [], 0
    for application_id in finished_case_ids(before):
        path = write_package(db.session.get(Application, application_id), folder, force)
        db.session.expunge_all()  # what one package loaded is not kept for the next
        if path is None:
            skipped += 1
        else:
            written.append(path)
    return written, skipped

