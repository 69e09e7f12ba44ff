"""Sample forms (样表): each document the spec generates, filled from the
first golden example it applies to, written as for a real case and marked
样表 on every page. Made once per spec version and document."""

from functools import lru_cache

from app.cases import service as cases
from app.documents import service as documents
from app.rules import service as rules

WATERMARK = "样表"
SKIPPED = {"receipt", "self_check"}  # a receipt proves a real submission; a self-check result is not a form


def _example_data(spec, document_id, site_level):
    for example in spec.examples:
        if "errors" in (example.get("expect") or {}):
            continue
        answers, _ = rules.from_json(spec, example["answers"])
        data = cases.sample_data(spec, answers, site_level)
        if any(d.id == document_id for d in documents.applicable(spec, data)):
            return data
    return None


def _titles(spec, data):
    return {link.id: link.title for link in documents.titles(spec, data)}


@lru_cache(maxsize=64)
def sample_pdf(spec, document_id, site_level="district"):
    """(title, watermarked PDF bytes) of a document's sample form, or None."""
    if document_id in SKIPPED:
        return None
    data = _example_data(spec, document_id, site_level)
    rendered = data and documents.render(spec, data, document_id, "pdf")
    if not rendered:
        return None
    title = _titles(spec, data).get(document_id, document_id)
    return title, documents.watermarked(rendered[2], WATERMARK)


@lru_cache(maxsize=8)
def sample_documents(spec, site_level="district"):
    """[(document id, title)] of the documents that have a sample form."""
    found = []
    for document_spec in spec.documents:
        if document_spec.id in SKIPPED:
            continue
        data = _example_data(spec, document_spec.id, site_level)
        if data is not None:
            found.append((document_spec.id, _titles(spec, data).get(document_spec.id)))
    return found
