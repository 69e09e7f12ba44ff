"""The applicant's own documents: each in PDF or Word (a preview with the
answers as they stand until submitted), and the packet of the latest submission."""

from flask import Blueprint, abort, render_template

from app.cases import service as cases
from app.web import service as web
from app.wizard.access import owned_application

bp = Blueprint("applicant_documents", __name__, url_prefix="/applications")


@bp.get("/<int:application_id>/documents/<document_id>.<fmt>")
@owned_application
def document(application, document_id, fmt):
    rendered = cases.document(cases.evaluate_current(application, web.current_lang()), document_id, fmt)
    if rendered is None:
        abort(404)
    name, mimetype, data = rendered
    return web.send_bytes(data, mimetype, f"{application.reference or 'draft'}-{name}", inline=fmt == "pdf")


@bp.get("/<int:application_id>/packet.zip")
@owned_application
def packet(application):
    if not application.submissions:
        abort(404)
    data, pending = cases.packet(application)
    if pending:
        return render_template("documents/packet_pending.html", application=application), 202
    return web.send_bytes(data, "application/zip", f"{application.reference}.zip")


@bp.get("/<int:application_id>/issued/<int:issued_id>.pdf")
@owned_application
def issued(application, issued_id):
    """An official document issued to this case, as it was sealed."""
    document = cases.issued_by_id(issued_id)
    if document is None or document.application_id != application.id:
        abort(404)
    return web.send_bytes(cases.issued_file(document), "application/pdf",
                          f"{application.reference}-{document.kind}.pdf", inline=True)
