"""The plain data a case gives the engine: printed answers, raw values, the
shown steps, the outcome, the materials and the case's own facts. Strings,
numbers, lists and dicts only; never ORM objects.

Every caller (a live draft, a frozen submission, a sample case for the CLI
and the admins' preview) builds it with `case_data` from a rules Evaluation,
so a document shows exactly what the pages show.
"""

import datetime as dt
from dataclasses import dataclass, field

from app.clock import CHINA
from app.names import FILING_TYPES
from app.text import printable

DOCUMENT_LANG = "zh_CN"  # official documents are in Chinese, whatever language the page is in
# How a checklist states a material on paper (the pages say it more shortly).
PRINTED_MATERIAL_STATES = {"uploaded": "已提交（电子件）", "deferred": "容缺后补（已书面承诺）", "missing": "未提供",
                           "later": "开工前取得"}
PRINTED_STAGES = {"filing": "申报时提交", "before_construction": "开工前取得"}
PRINTED_FORMS = {"original": "原件", "copy": "复印件", "original_and_copy": "原件及复印件", "electronic": "电子材料"}


def deadline_text(deferral):
    """When a deferred paper is due, as the checklist and the commitment letter say it."""
    if not deferral:
        return ""
    if deferral.get("working_days"):
        return f"受理后{deferral['working_days']}个工作日内"
    return "开工建设前"


def _printed_material(m):
    """A checklist item for templates. `files`: [{name, sha256, size, kind, uploaded_at}];
    `file`: their names, as one text; `sha256` and `kind` of a material with one file."""
    files = m.get("files")
    if files is None:  # frozen before a material could have several files: one, at the top
        files = [{"name": m["file"], "sha256": m.get("sha256", ""), "size": m.get("size"),
                  "kind": m.get("kind", "")}] if m.get("file") else []
    one = files[0] if len(files) == 1 else {}
    return {"legal_basis": "", "copies": None, **m, "files": files,
            "file": "、".join(f["name"] for f in files), "sha256": one.get("sha256", ""), "kind": one.get("kind", ""),
            "size": sum(f.get("size") or 0 for f in files) if files else None,
            "state_name": PRINTED_MATERIAL_STATES.get(m["state"], m["state"]),
            "stage_name": PRINTED_STAGES.get(m.get("stage") or "filing", ""),
            "form_name": PRINTED_FORMS.get(m.get("form") or "", ""),
            "deadline": deadline_text(m.get("deferral"))}


@dataclass
class CaseData:
    answers: dict  # field id → printed text ("" when hidden); a table → list of row dicts of text
    raw: dict  # field id → stored value (None when hidden)
    values: dict  # field id → typed value, for the documents' `when` conditions
    steps: list  # [{id, title, items: [{kind: value|table, label, value | columns + rows}]}]
    outcome: dict  # the rule outcome as stored, plus filing_type_name
    materials: list  # see _printed_material
    application: dict  # see case_info
    status_url: str = ""
    conditions: dict = field(default_factory=dict)  # what a document's `when` reads
    # Only for an issued document (see decision_data): the decision it states, and how to verify it.
    decision: dict = field(default_factory=dict)
    verification: dict = field(default_factory=dict)


def case_info(reference, submitted_at=None, enterprise="", project_name="", submitted=False, time_limit_days=None):
    """The `application` part of a template's context. `submitted_at` is naive UTC
    (as stored) or aware; it is printed in China time. `submitted`: the case was
    sent (a draft's documents print with today's date); `time_limit_days`: the
    promised working days of its filing type, for the receipt."""
    when = submitted_at
    if when is not None:
        when = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(CHINA)
    return {
        "reference": reference,
        "date": f"{when.year}年{when.month}月{when.day}日" if when else "",
        "submitted_at": when.strftime("%Y-%m-%d %H:%M") if when else "",
        "enterprise": printable(enterprise or ""),
        "project_name": printable(project_name or ""),
        "submitted": submitted,
        "time_limit_days": time_limit_days,
    }


def _printed(item):
    if item.is_table:
        return [{column: printable(text) for column, text in row.items()} for row in item.rows]
    return printable(str(item.value or ""))


def case_data(evaluation, materials, info, status_url=""):
    """CaseData from a rules Evaluation (its summary in Chinese, its values and
    outcome), the checklist (`materials`: dicts with id, name, reason, state and
    file details where a file was uploaded) and the case's facts."""
    spec = evaluation.spec
    printed = {fid: ([] if f.columns else "") for fid, f in spec.fields.items()}
    raw = dict.fromkeys(spec.fields)
    steps = []
    for summary_step in evaluation.summary(DOCUMENT_LANG):
        items = []
        for item in summary_step.items:
            printed[item.field.id] = _printed(item)
            raw[item.field.id] = evaluation.resolved.stored.get(item.field.id)
            if item.is_table:
                items.append({"kind": "table", "label": item.label,
                              "columns": [c.label for c in item.field.columns],
                              "rows": [[row[c.id] for c in item.field.columns] for row in printed[item.field.id]]})
            else:
                items.append({"kind": "value", "label": item.label, "value": printed[item.field.id]})
        steps.append({"id": summary_step.step.id, "title": summary_step.title, "items": items})
    outcome = evaluation.outcome.to_json()
    return CaseData(
        answers=printed, raw=raw, values=evaluation.resolved.values, steps=steps,
        outcome={**outcome, "filing_type_name": FILING_TYPES.get(outcome.get("filing_type"), "")},
        materials=[_printed_material(m) for m in materials],
        application=info, status_url=status_url,
        conditions={**evaluation.resolved.values, **{k: outcome.get(k) for k in
                                                       ("filing_type", "level", "level_name", "escalated",
                                                        "energy_review")},
                    "submitted": bool(info.get("submitted"))},
    )
