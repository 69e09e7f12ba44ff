"""A case that exists only as answers: what the command line renders, what the
admins' template preview shows, and what the tests and benchmarks print."""

import datetime as dt

from app.cases import issuing
from app.cases.materials import ChecklistItem
from app.config import Config
from app.documents import service as documents
from app.rules import service as rules

SAMPLE_REFERENCE = "XS-0000-000000"
SAMPLE_STATUS_URL = "https://onetrip.example/applications/0"


def sample_data(spec, answers, site_level="district", reference=SAMPLE_REFERENCE, submitted_at=None,
                status_url=SAMPLE_STATUS_URL):
    """The documents' data for `answers` (stored values), every material not yet supplied."""
    evaluation = rules.evaluate(spec, answers, site_level)
    needed = [ChecklistItem(m, "missing" if m.needed_now else "later").to_json()
              for m in evaluation.outcome.materials]
    index = spec.case_index.values(evaluation.snapshot) if spec.case_index else {}
    info = documents.case_info(reference, submitted_at, index.get("enterprise_name") or "",
                               index.get("project_name") or "", submitted=True,
                               time_limit_days=Config.CASE_TIME_LIMITS.get(evaluation.outcome.filing_type or "", 20))
    return documents.case_data(evaluation, needed, info, status_url)


SAMPLE_PROJECT_CODE = "2311-330109-04-01-789813"
DECISIONS = ("accept", "complete", "return", "not_accept", "forward")
SAMPLE_DAY = dt.date(2026, 1, 5)


def sample_decision(spec, data, action, site_level="district"):
    """A decision of `action` on a sample case, with a note on its first shown field:
    what the publish gate lays the official documents out with."""
    first = next((item for step in data.steps for item in step["items"] if item["kind"] == "value"), None)
    level = spec.levels.get(site_level)
    office = (level.office if level else None) or "发展改革部门"
    decision = {"action": action, "action_name": action, "reason": "示例说明", "project_code": SAMPLE_PROJECT_CODE,
                "office": office, "date": issuing.chinese_date(SAMPLE_DAY),
                "forwarded_to": data.outcome.get("level_office") or "",
                **issuing.office_facts(spec, site_level, data.outcome.get("filing_type"), SAMPLE_DAY,
                                       Config.CASE_TIME_LIMITS),
                "notes": [{"kind": "field", "where": first["label"], "answer": first["value"], "note": "示例补正要求"}]
                if first else [],
                # As a 备案变更 states it, so that the gate lays out the paragraph naming the replaced document.
                "replaces": {"code": "0000-0000-0000-0000", "date": issuing.chinese_date(SAMPLE_DAY)}}
    return decision, {"code": "0000-0000-0000-0000", "url": "https://onetrip.example/verify/0000000000000000"}
