"""A case that exists only as answers: what the command line renders, what the
admins' template preview shows, and what the tests and benchmarks print."""

from app.documents import service as documents
from app.rules import service as rules

SAMPLE_REFERENCE = "XS-0000-000000"
SAMPLE_STATUS_URL = "https://onetrip.example/applications/0"


def sample_data(spec, answers, site_level="district", reference=SAMPLE_REFERENCE, submitted_at=None,
                status_url=SAMPLE_STATUS_URL):
    """The documents' data for `answers` (stored values), every material not yet supplied."""
    evaluation = rules.evaluate(spec, answers, site_level)
    needed = [{"id": m.id, "name": m.name, "reason": m.reason, "state": "missing"}
              for m in evaluation.outcome.materials]
    index = spec.case_index.values(evaluation.snapshot) if spec.case_index else {}
    info = documents.case_info(reference, submitted_at, index.get("enterprise_name") or "",
                               index.get("project_name") or "")
    return documents.case_data(evaluation, needed, info, status_url)
