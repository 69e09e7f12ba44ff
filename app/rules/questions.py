"""The questions that decide: the fields the authority, energy-review and
materials rules read, with the questions that show or hide them. The public
self-check asks only these, and gives the same outcome the wizard would."""

from functools import lru_cache


@lru_cache(maxsize=16)  # specs are immutable and hashed by identity
def deciding_fields(spec):
    """The asked (not computed) fields the outcome depends on, in the spec's order."""
    read = set()
    for rule in spec.authority_rules:
        read |= rule.when.names | (rule.level.names if rule.level is not None else set())
    for rule in spec.energy_rules:
        read |= rule.when.names
    for material in spec.materials:
        read |= material.when.names if material.when is not None else set()
    wanted, pending = set(), [name for name in read if name in spec.fields]
    while pending:  # a question counts once; what reveals it, and what feeds a computed one, count too
        name = pending.pop()
        if name in wanted:
            continue
        wanted.add(name)
        spec_field = spec.fields[name]
        step = spec.step(spec_field.step_id)
        for expression in (spec_field.show_if, spec_field.value, step.show_if if step else None):
            if expression is not None:
                pending += [n for n in expression.names if n in spec.fields]
    return tuple(f for step in spec.steps for f in step.fields if f.id in wanted and not f.computed)
