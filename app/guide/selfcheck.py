"""The self-check: the deciding questions read from a query string or a form,
and what the rules say about them. Nothing is stored; the same evaluation the
wizard's live panel makes, on the live spec."""

from dataclasses import dataclass

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from app.rules import service as rules
from app.specs import service as specs


@dataclass
class SelfCheck:
    evaluation: object  # rules.Evaluation
    questions: list  # the deciding fields shown for these answers, in order
    values: dict  # field id → what its input shows
    errors: dict  # field id → message
    answered: bool  # anything was asked for at all

    @property
    def outcome(self):
        return self.evaluation.outcome

    @property
    def pending(self):
        """The shown questions still unanswered that the verdict waits for."""
        waiting = set(self.outcome.pending) | set(self.outcome.energy_pending)
        return [f for f in self.questions if f.id in waiting]


def check(spec, formdata, site_level, lang):
    """The SelfCheck of the answers in `formdata` (only the deciding questions are read)."""
    answers, errors, values = {}, {}, {}
    deciding = rules.deciding_fields(spec)
    for spec_field in deciding:
        raw = spec_field.type.raw_from_form(formdata, spec_field)
        values[spec_field.id] = raw
        try:
            stored = spec_field.type.clean(raw, spec_field)
        except specs.FieldValueError as exc:
            errors[spec_field.id] = gettext(exc.message, **exc.params)
            continue
        if stored is not None:
            answers[spec_field.id] = stored
    evaluation = rules.evaluate(spec, answers, site_level, lang)
    shown = [f for f in deciding if f.id in evaluation.resolved.fields]
    return SelfCheck(evaluation, shown, values, errors, answered=any(f.id in formdata for f in deciding))


def stored_answers(self_check):
    """The answers that count (shown questions only), as stored: what a new application starts from."""
    return dict(self_check.evaluation.resolved.stored)


def as_form(spec, stored):
    """Stored answers as the form would post them (to check them again)."""
    return MultiDict({f.id: f.type.form_value(stored[f.id]) for f in rules.deciding_fields(spec) if f.id in stored})
