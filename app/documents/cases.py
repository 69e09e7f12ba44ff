"""Documents of one application: from the live draft (preview) or from its
latest frozen submission (what officers receive)."""

import datetime as dt
import os

from app import jobs
from app.documents import service
from app.rules import service as rules
from app.wizard import service as wizard
from app.wizard import uploads

DRAFT_REFERENCE = "(草稿,提交后生成受理编号)"


def _case_inputs(application, site_level, live=False, evaluated=None):
    """Inputs from the latest submission, or from the current answers when `live`
    (an applicant previewing a draft or a correction; `evaluated`: the caller's
    (outcome, checklist) for those answers)."""
    spec = wizard.spec_of(application)
    if application.submissions and not live:
        submission = application.submissions[-1]
        info = service.case_info(application.reference, submission.submitted_at,
                                 submission.answers.get("enterprise_name", ""), application.project_name or "")
        return spec, submission.answers, submission.outcome or {}, submission.materials or [], info
    if evaluated is None:
        _, outcome, _, checklist = wizard.evaluate(application, site_level)
    else:
        outcome, checklist = evaluated
    answers = rules.snapshot(spec, application.answers or {})
    info = service.case_info(application.reference or DRAFT_REFERENCE, dt.datetime.now(dt.UTC),
                             answers.get("enterprise_name", ""),
                             application.project_name or "")
    return spec, answers, outcome.to_json(), [m.to_json() for m in checklist], info


def documents(application, site_level, status_url, live=False):
    spec, answers, outcome, materials, info = _case_inputs(application, site_level, live)
    return service.documents_for(spec, answers, outcome, materials, info, status_url)


def links(application, site_level, status_url, live=False, evaluated=None):
    """Id and title of each document, for pages that list them (nothing is laid out)."""
    spec, answers, outcome, materials, info = _case_inputs(application, site_level, live, evaluated)
    return service.document_links(spec, answers, outcome, materials, info, status_url)


def find(application, document_id, site_level, status_url, live=False):
    return next((d for d in documents(application, site_level, status_url, live) if d.id == document_id), None)


def packet(application, site_level, status_url):
    """(zip bytes, manifest) of a submitted application."""
    spec, answers, outcome, materials, info = _case_inputs(application, site_level)
    docs = service.documents_for(spec, answers, outcome, materials, info, status_url)
    files = []
    for stored in application.files:
        path = uploads.path_of(stored.stored_name)
        files.append((f"{stored.material_id}-{stored.download_name}", path.read_bytes()))
    version = application.spec_version
    spec_info = {"id": version.spec_id, "version": version.number, "sha256": version.sha256}
    return service.render_packet(application.reference, spec, spec_info, docs, files)


# --- Stored packets: built once per submission, by a worker when Redis is set ---

def stored_packet_path(application):
    """Where the packet of the application's latest submission is kept (submissions never change)."""
    return uploads.upload_dir() / "packets" / f"{application.id}-{len(application.submissions)}.zip"


def stored_packet(application):
    path = stored_packet_path(application)
    return path.read_bytes() if path.is_file() else None


def build_and_store(application, site_level, status_url):
    """Build the packet and keep it (written whole, then renamed: never half a file)."""
    data, _manifest = packet(application, site_level, status_url)
    path = stored_packet_path(application)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)
    return data


def build_packet_job(application_id, status_url):
    """The RQ job: build and keep a submitted application's packet."""
    app = jobs.worker_app()
    with app.app_context():
        application = wizard.submitted_case(application_id)
        if application is not None and stored_packet(application) is None:
            build_and_store(application, app.config["SITE_LEVEL"], status_url)


def prepare_packet(application, status_url):
    """After a submission: have a worker build the packet now (with Redis); without
    Redis it is built on the first download instead."""
    if jobs.background_enabled():
        job_id = f"packet-{application.id}-{len(application.submissions)}"
        jobs.enqueue("packets", build_packet_job, application.id, status_url, job_id=job_id)
