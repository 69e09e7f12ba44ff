"""Documents of one application: from the live draft (preview) or from its
latest frozen submission (what officers receive)."""

import datetime as dt

from app.documents import service
from app.rules import service as rules
from app.wizard import service as wizard
from app.wizard import uploads

DRAFT_REFERENCE = "(草稿,提交后生成受理编号)"


def _case_inputs(application, site_level, live=False):
    """Inputs from the latest submission, or from the current answers when `live`
    (an applicant previewing a draft or a correction)."""
    spec = wizard.spec_of(application)
    if application.submissions and not live:
        submission = application.submissions[-1]
        info = service.case_info(application.reference, submission.submitted_at,
                                 submission.answers.get("enterprise_name", ""), application.project_name or "")
        return spec, submission.answers, submission.outcome or {}, submission.materials or [], info
    _, outcome, _, checklist = wizard.evaluate(application, site_level)
    answers = rules.snapshot(spec, application.answers or {})
    info = service.case_info(application.reference or DRAFT_REFERENCE, dt.datetime.now(dt.UTC),
                             answers.get("enterprise_name", ""),
                             application.project_name or "")
    return spec, answers, outcome.to_json(), [m.to_json() for m in checklist], info


def documents(application, site_level, status_url, live=False):
    spec, answers, outcome, materials, info = _case_inputs(application, site_level, live)
    return service.documents_for(spec, answers, outcome, materials, info, status_url)


def find(application, document_id, site_level, status_url, live=False):
    return next((d for d in documents(application, site_level, status_url, live) if d.id == document_id), None)


def packet(application, site_level, status_url):
    """(zip bytes, manifest) of a submitted application."""
    spec, answers, outcome, materials, info = _case_inputs(application, site_level)
    docs = service.documents_for(spec, answers, outcome, materials, info, status_url)
    files = []
    for stored in application.files:
        path = uploads.path_of(stored.stored_name)
        files.append((f"{stored.material_id}-{stored.original_name}", path.read_bytes()))
    version = application.spec_version
    spec_info = {"id": version.spec_id, "version": version.number, "sha256": version.sha256}
    return service.render_packet(application.reference, spec, spec_info, docs, files)
