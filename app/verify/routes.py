"""/verify: an issued document's state by its code, and checking a PDF someone was given."""

import hashlib

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.cases import service as cases
from app.extensions import limiter
from app.seals import service as seals

bp = Blueprint("verify", __name__, url_prefix="/verify", template_folder="templates")


def _limit():
    return current_app.config["VERIFY_IP_LIMIT"]


def _public(issued):
    """What the page may show of an issued document: the document and its case, no person."""
    application = issued.application
    newer = issued.superseded_by_id and cases.issued_by_id(issued.superseded_by_id)
    return {"title": issued.title, "reference": application.reference, "project_code": issued.project_code,
            "project_name": application.project_name, "enterprise": application.enterprise_name,
            "office": issued.office, "issued_at": issued.issued_at, "status": issued.status,
            "revoked_at": issued.revoked_at, "code": issued.display_code,
            "newer_code": newer.code if newer else None}


@bp.get("/")
@limiter.limit(_limit)
def index():
    return render_template("verify/index.html")


@bp.post("/lookup")
@limiter.limit(_limit)
def lookup():
    code = cases.normalized_issued_code(request.form.get("code"))
    return redirect(url_for("verify.document", code=code or "-"))


@bp.get("/<code>")
@limiter.limit(_limit)
def document(code):
    issued = cases.issued_by_code(code)
    if issued is None:
        # The same page for a mistyped, a guessed and a never-issued code.
        return render_template("verify/unknown.html"), 404
    return render_template("verify/document.html", document=_public(issued))


@bp.post("/check")
@limiter.limit(_limit)
def check():
    posted = request.files.get("file")
    if posted is None or not posted.filename:
        return render_template("verify/index.html", error=_("请选择要核验的PDF文件。")), 400
    data = posted.stream.read(current_app.config["MAX_UPLOAD_BYTES"] + 1)
    if len(data) > current_app.config["MAX_UPLOAD_BYTES"]:
        return render_template("verify/index.html", error=_("文件过大。")), 413
    issued = cases.issued_by_sha256(hashlib.sha256(data).hexdigest())
    seal = seals.examine_pdf(data)
    if issued is not None and seal.state == "sealed":
        verdict = "authentic"
    elif seal.state == "altered" or (seal.state == "sealed" and issued is None):
        verdict = "altered"  # our seal, but not the bytes we issued
    else:
        verdict = "not_issued"
    authentic = verdict == "authentic"
    return render_template("verify/result.html", verdict=verdict, document=_public(issued) if authentic else None,
                           stamped_at=seal.stamped_at if authentic else None)
