"""Downloading documents and packets: applicants their own, officers any case's."""

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user, login_required

from app import jobs
from app.auth.service import role_required
from app.documents import cases, service
from app.links import public_url
from app.review import service as review
from app.web import downloads
from app.wizard import service as wizard
from app.wizard.models import EDITABLE

bp = Blueprint("documents", __name__, template_folder="templates")


def _status_url(application):
    return public_url("wizard.view", application_id=application.id)


def _document(application, document_id, fmt, live=False):
    if fmt not in service.FORMATS:
        abort(404)
    document = cases.find(application, document_id, current_app.config["SITE_LEVEL"], _status_url(application),
                          live)
    if document is None:
        abort(404)
    name = f"{application.reference or 'draft'}-{document.filename(fmt)}"
    return downloads.send_bytes(document.render(fmt), service.FORMATS[fmt][0], name, inline=fmt == "pdf")


def _packet(application):
    """The stored packet; with background jobs a missing one is being built (202)."""
    if not application.submissions:
        abort(404)
    data = cases.stored_packet(application)
    if data is None and jobs.background_enabled():
        cases.prepare_packet(application, _status_url(application))
        return render_template("documents/packet_pending.html", application=application), 202
    if data is None:
        data = cases.build_and_store(application, current_app.config["SITE_LEVEL"], _status_url(application))
    return downloads.send_bytes(data, "application/zip", f"{application.reference}.zip", inline=False)


def _owned(application_id):
    application = wizard.owned_application(current_user, application_id)
    if application is None:
        abort(404)
    return application


@bp.get("/applications/<int:application_id>/documents/<document_id>.<fmt>")
@login_required
def applicant_document(application_id, document_id, fmt):
    application = _owned(application_id)
    return _document(application, document_id, fmt, live=application.status in EDITABLE)


@bp.get("/applications/<int:application_id>/packet.zip")
@login_required
def applicant_packet(application_id):
    return _packet(_owned(application_id))


def _case(application_id):
    application = wizard.submitted_case(application_id)
    if application is None:
        abort(404)
    return application


@bp.get("/review/cases/<int:application_id>/documents/<document_id>.<fmt>")
@role_required("officer")
def officer_document(application_id, document_id, fmt):
    application = _case(application_id)
    response = _document(application, document_id, fmt)
    review.record(application, current_user, "document_downloaded", document=document_id, format=fmt)
    return response


@bp.get("/review/cases/<int:application_id>/packet.zip")
@role_required("officer")
def officer_packet(application_id):
    application = _case(application_id)
    response = _packet(application)
    review.record(application, current_user, "packet_downloaded")
    return response
