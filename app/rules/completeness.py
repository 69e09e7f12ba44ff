"""Required answers: which shown questions are still unanswered."""

from dataclasses import dataclass

from app.messages import N_
from app.specs.fieldtypes.base import is_blank


@dataclass
class Problem:
    step_id: str
    field_id: str | None
    message: str  # a Chinese msgid with %(name)s params
    params: dict
    severity: str = "error"
    rule_id: str | None = None


def missing(resolved, step=None):
    """Problems for required shown fields without an answer (in `step`, or all shown steps)."""
    problems = []
    for shown_step in resolved.steps:
        if step is not None and shown_step.id != step.id:
            continue
        for spec_field in resolved.shown_fields(shown_step):
            if spec_field.computed:
                continue
            value = resolved.stored.get(spec_field.id)
            if spec_field.required and is_blank(value):
                message = N_("请勾选确认。") if spec_field.type.name == "consent" else N_("请填写%(label)s。")
                if spec_field.type.widget in ("radio", "select", "yesno", "industry", "checkboxes"):
                    message = N_("请选择%(label)s。")
                problems.append(Problem(shown_step.id, spec_field.id, message, {"label": spec_field.label}))
                continue
            min_rows = spec_field.constraints.get("min_rows", 0)
            if spec_field.columns and len(value or []) < min_rows:
                problems.append(Problem(shown_step.id, spec_field.id, N_("至少填写%(min)s行。"), {"min": min_rows}))
    return problems
