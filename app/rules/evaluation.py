"""One evaluation of one set of answers: everything the rules say about them,
each part computed when it is first read and then kept.

A request makes one Evaluation and hands it on; nothing downstream resolves
the same answers again, and nothing can pass the parts of two different
answer sets together, because the parts live on the object of their answers.
"""

from dataclasses import dataclass
from functools import cached_property

from app.rules.checks import cross_field
from app.rules.completeness import missing
from app.rules.outcome import decide
from app.rules.visibility import resolve


@dataclass
class SummaryItem:
    """One shown answer, printed: `value` for a field, `rows` (dicts of text by column) for a table."""

    field: object  # specs.Field
    label: str
    value: str = ""
    rows: list | None = None

    @property
    def is_table(self):
        return self.rows is not None


@dataclass
class SummaryStep:
    step: object  # specs.Step
    title: str
    items: list


class Evaluation:
    """What the rules say about `answers` (stored values by field id) under `spec`.

    `outcome` is given only for a frozen submission, whose outcome was decided
    when it was submitted and is not decided again."""

    def __init__(self, spec, answers, site_level="district", lang="zh_CN", outcome=None):
        self.spec, self.answers, self.site_level, self.lang = spec, answers or {}, site_level, lang
        if outcome is not None:
            self.__dict__["outcome"] = outcome

    @cached_property
    def resolved(self):
        """Shown steps and fields, stored and typed values (hidden means gone)."""
        return resolve(self.spec, self.answers)

    @cached_property
    def outcome(self):
        """Filing type, level, energy review, reasons and the materials needed."""
        return decide(self.spec, self.resolved, self.site_level, self.lang)

    @cached_property
    def problems(self):
        """Everything to fix (errors) or to note (warnings) before submitting, in step order."""
        order = {s.id: i for i, s in enumerate(self.spec.steps)}
        found = missing(self.resolved) + cross_field(self.spec, self.resolved, None, self.lang)
        return sorted(found, key=lambda p: order.get(p.step_id, len(order)))

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self):
        return [p for p in self.problems if p.severity == "warning"]

    def step_problems(self, step):
        """Problems on one step (missing answers first, then its cross-field checks)."""
        return missing(self.resolved, step) + cross_field(self.spec, self.resolved, step, self.lang)

    @cached_property
    def snapshot(self):
        """The answers a submission freezes: shown fields only, computed values included."""
        return dict(self.resolved.stored)

    def summary(self, lang=None):
        """The shown answers printed in `lang` (default: the evaluation's), by step:
        what the check page, the status page, the case page and the documents show."""
        lang = lang or self.lang
        cache = self.__dict__.setdefault("_summaries", {})
        if lang not in cache:
            resolved = self.resolved
            cache[lang] = [
                SummaryStep(step, step.text("title", lang), [self._item(f, resolved.stored.get(f.id), lang)
                                                             for f in resolved.shown_fields(step)])
                for step in resolved.steps
            ]
        return cache[lang]

    @staticmethod
    def _item(spec_field, stored, lang):
        printed = spec_field.printed(stored, lang)
        if spec_field.columns:
            return SummaryItem(spec_field, spec_field.text("label", lang), rows=printed)
        return SummaryItem(spec_field, spec_field.text("label", lang), value=printed)
