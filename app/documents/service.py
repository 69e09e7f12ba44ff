"""Documents: render a case's forms and proposal to Word and PDF, and build packets.

Inputs are plain data (answers, outcome, materials); callers decide where the
bytes go. Rendering is deterministic: same answers and versions, same bytes.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.documents import packet
from app.documents.context import build_context
from app.documents.pdf import render_pdf
from app.documents.templates import TemplateInvalid
from app.documents.word import render_docx
from app.rules import service as rules
from app.specs.expressions import ExpressionError

__all__ = ["FORMATS", "DocumentLink", "RenderedDocument", "TemplateInvalid", "build_context", "case_info",
           "document_links", "documents_for", "packet_files", "render", "render_packet"]

CHINA = ZoneInfo("Asia/Shanghai")
FORMATS = {"pdf": ("application/pdf", render_pdf),
           "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx)}


@dataclass
class RenderedDocument:
    id: str
    title: str
    template_name: str
    model: object  # documents.model.Document

    def render(self, fmt):
        return FORMATS[fmt][1](self.model)

    def filename(self, fmt):
        return f"{self.id}.{fmt}"


def case_info(reference, submitted_at=None, enterprise="", project_name=""):
    """The `application` part of a template's context. `submitted_at` is naive UTC
    (as stored) or aware; it is printed in China time."""
    when = submitted_at
    if when is not None:
        when = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(CHINA)
    return {
        "reference": reference,
        "date": f"{when.year}年{when.month}月{when.day}日" if when else "",
        "submitted_at": when.strftime("%Y-%m-%d %H:%M") if when else "",
        "enterprise": enterprise,
        "project_name": project_name,
    }


def _applies(document_spec, values, outcome):
    if document_spec.when is None:
        return True
    context = {**values, "filing_type": outcome.get("filing_type"), "level": outcome.get("level"),
               "level_name": outcome.get("level_name"), "escalated": outcome.get("escalated"),
               "energy_review": outcome.get("energy_review")}
    try:
        return document_spec.when.test(context)
    except ExpressionError:
        return False


def documents_for(spec, answers, outcome, materials, application, status_url=""):
    """The documents this case's packet holds, laid out (not yet written)."""
    context = build_context(spec, answers, outcome, materials, application, status_url)
    values = rules.resolve(spec, answers).values
    return [RenderedDocument(d.id, "", d.template_name, d.template.build(context))
            for d in spec.documents if _applies(d, values, outcome)]


@dataclass
class DocumentLink:
    id: str
    title: str


def document_links(spec, answers, outcome, materials, application, status_url=""):
    """Id and title of each document the packet holds, without laying the
    documents out: the pages that list them only need this."""
    context = build_context(spec, answers, outcome, materials, application, status_url)
    values = rules.resolve(spec, answers).values
    return [DocumentLink(d.id, d.template.title_for(context)) for d in spec.documents
            if _applies(d, values, outcome)]


def render(document, fmt):
    return document.render(fmt)


def packet_files(documents, material_files=()):
    """[(zip path, bytes)] for every document in both formats plus the materials."""
    files = []
    for document in documents:
        for fmt in ("docx", "pdf"):
            files.append((f"documents/{document.filename(fmt)}", document.render(fmt)))
    files.extend((f"materials/{name}", data) for name, data in material_files)
    return files


def render_packet(reference, spec, spec_info, documents, material_files=()):
    """(zip bytes, manifest dict) for a case."""
    files = packet_files(documents, material_files)
    templates = {d.template_name: packet.sha256(_template_bytes(spec, d.template_name)) for d in documents}
    manifest = packet.manifest(reference, spec_info, templates, files)
    return packet.build_zip(files, manifest), manifest


def _template_bytes(spec, name):
    text = spec.templates.get(name, "")
    return text.encode("utf-8") if isinstance(text, str) else text
