"""Hidden means gone: which steps and fields are shown for a set of answers,
and the values (asked and computed) that everything downstream reads."""

import logging
from dataclasses import dataclass, field

from app.lang.service import ExpressionError

log = logging.getLogger(__name__)


@dataclass
class Resolved:
    steps: list  # shown steps, in order
    fields: dict  # shown fields by id, in order
    stored: dict = field(default_factory=dict)  # shown answers as stored (computed included)
    values: dict = field(default_factory=dict)  # typed values, as expressions see them

    def shown_fields(self, step):
        return [f for f in step.fields if f.id in self.fields]


def typed_value(spec_field, stored):
    if stored is None:
        return None
    if spec_field.columns:
        return [
            {c.id: c.type.typed(row.get(c.id)) for c in spec_field.columns}
            for row in stored
        ]
    try:
        return spec_field.type.typed(stored)
    except (ValueError, TypeError, ArithmeticError):
        return None  # a stored value from a tampered or older format reads as blank


def _shown(condition, context, what):
    if condition is None:
        return True
    try:
        return condition.test(context)
    except ExpressionError as exc:
        # A condition that cannot be evaluated shows the question: asking too
        # much is recoverable, silently skipping a question is not.
        log.warning("show_if of %s failed: %s", what, exc)
        return True


def resolve(spec, answers):
    """Walk the spec in order with `answers` (stored values by field id)."""
    context = dict(spec.lists)
    result = Resolved(steps=[], fields={})
    for step in spec.steps:
        if not _shown(step.show_if, context, f"step {step.id}"):
            continue
        result.steps.append(step)
        for spec_field in step.fields:
            if not _shown(spec_field.show_if, context, f"field {spec_field.id}"):
                continue
            if spec_field.computed:
                try:
                    raw = spec_field.value.evaluate(context)
                except ExpressionError as exc:
                    log.warning("value of %s failed: %s", spec_field.id, exc)
                    raw = None
                compute = getattr(spec_field.type, "computed", None)
                stored = compute(raw, spec_field) if compute else raw
                given = answers.get(spec_field.id)
                if given is not None and all(context.get(n) is None for n in spec_field.value.names):
                    stored = given  # imported answers may carry the result without its parts
            else:
                stored = answers.get(spec_field.id)
            result.fields[spec_field.id] = spec_field
            if stored is not None:
                result.stored[spec_field.id] = stored
            context[spec_field.id] = result.values[spec_field.id] = typed_value(spec_field, stored)
    return result
