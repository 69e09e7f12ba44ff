"""Cross-field checks from the spec's `rules` section."""

import logging

from app.lang.service import ExpressionError
from app.rules.completeness import Problem
from app.rules.outcome import labels_for

log = logging.getLogger(__name__)


def cross_field(spec, resolved, step=None, lang="zh_CN"):
    """Problems from rules attached to shown steps (or to `step` only)."""
    shown_steps = {s.id for s in resolved.steps}
    context = None
    problems = []
    for rule in spec.rules:
        if rule.step and rule.step not in shown_steps:
            continue
        if step is not None and rule.step != step.id:
            continue
        if rule.field and rule.field not in resolved.fields:
            continue
        if context is None:
            context = {**spec.lists, **resolved.values, "labels": labels_for(resolved, lang)}
        try:
            fires = rule.when.test(context)
        except ExpressionError as exc:
            log.debug("rule %s not evaluated: %s", rule.id, exc)
            continue
        if not fires:
            continue
        template = rule.message_en if lang.startswith("en") and rule.message_en else rule.message
        try:
            message = template.render(context)
        except ExpressionError:
            message = rule.message.source
        problems.append(Problem(rule.step, rule.field, message, {}, severity=rule.severity, rule_id=rule.id))
    return problems
