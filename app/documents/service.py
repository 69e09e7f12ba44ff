"""The documents engine's public face: a compiled spec and a case's plain data
(CaseData) in, document titles, laid-out documents, Word and PDF bytes and
packets out. It knows nothing of applications, requests or the database;
callers decide where the bytes go. Same data and versions, same bytes.
"""

from dataclasses import dataclass, replace

from app.documents import packet
from app.documents.context import build_context
from app.documents.data import CaseData, case_data, case_info
from app.documents.fonts import body_font, main_font
from app.documents.layout import build_document, text_of
from app.documents.model import Seal
from app.documents.pdf import render_pdf, render_pdf_with_seals
from app.documents.templates import TemplateInvalid, template_of
from app.documents.word import render_docx
from app.lang.service import ExpressionError

__all__ = ["FORMATS", "CaseData", "DocumentError", "DocumentLink", "TemplateInvalid", "applicable", "case_data",
           "case_info", "issued_for", "issued_model", "laid_out", "load_fonts", "packet_of", "render", "render_issued",
           "template_problems", "titles"]

FORMATS = {"pdf": ("application/pdf", render_pdf),
           "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx)}


class DocumentError(RuntimeError):
    """A template failed on this case's data (the publish gate runs every template
    on every golden example, so this means data no example foresaw)."""


@dataclass
class DocumentLink:
    id: str
    title: str


def applicable(spec, data, documents=None):
    """The spec's documents (or the given ones) whose `when` holds for this case."""
    found = []
    for document_spec in spec.documents if documents is None else documents:
        try:
            applies = document_spec.when is None or document_spec.when.test(data.conditions)
        except ExpressionError:
            applies = False
        if applies:
            found.append(document_spec)
    return found


def _context_and_templates(spec, data):
    return build_context(spec, data), [(d, template_of(spec, d)) for d in applicable(spec, data)]


def titles(spec, data):
    """Id and title of each document of the case, without laying any out."""
    context, templates = _context_and_templates(spec, data)
    try:
        return [DocumentLink(d.id, text_of(template.title, context)) for d, template in templates]
    except ExpressionError as exc:
        raise DocumentError(str(exc)) from exc


def laid_out(spec, data, document_id=None):
    """[(document id, document model)] of the case (only `document_id`'s when given)."""
    context, templates = _context_and_templates(spec, data)
    try:
        return [(d.id, build_document(template, context)) for d, template in templates
                if document_id is None or d.id == document_id]
    except ExpressionError as exc:
        raise DocumentError(str(exc)) from exc


def render(spec, data, document_id, fmt):
    """(file name, MIME type, bytes) of one document in one format, laying out
    that document alone; None when the case has no such document or format."""
    if fmt not in FORMATS:
        return None
    models = laid_out(spec, data, document_id)
    if not models:
        return None
    mimetype, writer = FORMATS[fmt]
    return f"{document_id}.{fmt}", mimetype, writer(models[0][1])


def packet_of(spec, data, spec_info, material_files=()):
    """(zip bytes, manifest, files): every document in both formats (each laid
    out and written once), the materials and manifest.json."""
    files = []
    for document_id, model in laid_out(spec, data):
        for fmt in ("docx", "pdf"):
            files.append((f"documents/{document_id}.{fmt}", FORMATS[fmt][1](model)))
    files.extend((f"materials/{name}", content) for name, content in material_files)
    templates = {d.template_name: packet.sha256(_template_bytes(d.source)) for d in applicable(spec, data)}
    manifest = packet.manifest(data.application["reference"], spec_info, templates, files)
    return packet.build_zip(files, manifest), manifest, files


def load_fonts():
    """Load the PDF fonts now (a worker does it once before forking its jobs)."""
    main_font()
    body_font()


def issued_for(spec, data, action):
    """The official document a decision (`action`) issues for this case, or None."""
    found = applicable(spec, data, [d for d in spec.issued if d.after == action])
    return found[0] if found else None


def issued_model(spec, data, issued_spec, decision, verification):
    """The laid-out official document stating `decision`, verifiable with `verification` (code, URL)."""
    data = replace(data, decision=decision, verification=verification)
    try:
        model = build_document(template_of(spec, issued_spec), build_context(spec, data))
    except ExpressionError as exc:
        raise DocumentError(str(exc)) from exc
    seals = sum(isinstance(block, Seal) for block in model.blocks)
    if seals != 1:  # the office seals it there: none would issue an unsealed document
        raise DocumentError(f"the official document '{issued_spec.id}' must lay out exactly one seal block "
                            f"(`seal:`), not {seals}")
    return model


def render_issued(spec, data, issued_spec, decision, verification):
    """(PDF bytes, title, seal boxes) of an official document: laid out and written once."""
    model = issued_model(spec, data, issued_spec, decision, verification)
    pdf, boxes = render_pdf_with_seals(model)
    return pdf, model.title, boxes


def template_problems(spec):
    """Problems of every template the spec's documents name, with file, line and path."""
    problems = []
    for document_spec in [*spec.documents, *spec.issued]:
        try:
            template_of(spec, document_spec)
        except TemplateInvalid as exc:
            problems.extend(exc.problems)
    return problems


def _template_bytes(source):
    return source.encode("utf-8") if isinstance(source, str) else source


def watermarked(pdf, text):
    """The PDF with `text` across every page (e.g. 样表 on a sample form)."""
    from app.documents.watermark import watermark

    return watermark(pdf, text)
