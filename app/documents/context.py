"""The plain data a document template receives: strings, numbers, lists and
dicts made from the frozen answers and the rule outcome; never ORM objects."""

from app.rules import service as rules
from app.specs.display import format_answer
from app.text import printable

FILING_TYPE_NAMES = {"filing": "备案", "approval": "核准", "examination": "审批", "rejected": "不予办理"}
MATERIAL_STATES = {"uploaded": "已上传", "deferred": "容缺后补(已书面承诺)", "missing": "未提供"}


def _printed(spec_field, stored):
    value = format_answer(spec_field, stored)
    if spec_field.columns:
        return [{column: printable(text) for column, text in row.items()} for row in value]
    return printable(str(value or ""))


def build_context(spec, answers, outcome, materials, application, status_url=""):
    """`answers`: stored values (a submission snapshot); `outcome`: Outcome.to_json();
    `materials`: MaterialStatus.to_json() dicts; `application`: reference, date, …"""
    resolved = rules.resolve(spec, answers)
    printed = {fid: ([] if f.columns else "") for fid, f in spec.fields.items()}
    raw = dict.fromkeys(spec.fields)
    for fid, spec_field in resolved.fields.items():
        printed[fid] = _printed(spec_field, resolved.stored.get(fid))
        raw[fid] = resolved.stored.get(fid)
    steps = []
    for step in resolved.steps:
        items = []
        for spec_field in resolved.shown_fields(step):
            value = printed[spec_field.id]
            if spec_field.columns:
                items.append({"kind": "table", "label": spec_field.label,
                              "columns": [c.label for c in spec_field.columns],
                              "rows": [[row[c.id] for c in spec_field.columns] for row in value]})
            else:
                items.append({"kind": "value", "label": spec_field.label, "value": value})
        steps.append({"id": step.id, "title": step.title, "items": items})
    filing_type = outcome.get("filing_type")
    return {
        "answers": printed,
        "raw": raw,
        "labels": {fid: f.label for fid, f in spec.fields.items()},
        "steps": steps,
        "outcome": {**outcome, "filing_type_name": FILING_TYPE_NAMES.get(filing_type, "")},
        "materials": [{"file": "", "sha256": "", "size": None, "kind": "", **m,
                       "state_name": MATERIAL_STATES.get(m["state"], m["state"]),
                       "sha256_prefix": (m.get("sha256") or "")[:12]} for m in materials],
        "application": application,
        "spec": {"id": spec.id, "title": spec.title},
        "status_url": status_url,
    }
