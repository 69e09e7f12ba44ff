"""Required answers: which shown questions are still unanswered."""

from dataclasses import dataclass

from app.lang.service import blank
from app.messages import N_


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
            if spec_field.required and blank(value):
                problems.append(Problem(shown_step.id, spec_field.id, spec_field.type.required_message,
                                        {"label": spec_field.label}))
                continue
            min_rows = spec_field.constraints.get("min_rows", 0)
            if spec_field.columns and len(value or []) < min_rows:
                problems.append(Problem(shown_step.id, spec_field.id, N_("至少填写%(min)s行。"), {"min": min_rows}))
    return problems
