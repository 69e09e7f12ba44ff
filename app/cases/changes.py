"""What changed between two sets of answers to one spec, printed as the summary
prints them: the officer's view of a correction (the two latest submissions
of a case), and later the record of a 备案变更. Pure: no database, no Flask.

Hidden means gone. Both sets are resolved under the spec first, so an answer
the other answers hide counts as no answer: a field shown and answered before
and hidden after is a change of kind REMOVED (its old value, nothing after),
and a field hidden before and answered after is ADDED. A field hidden on both
sides, or shown but blank on both, is not a change.

Computed fields (totals, conversions) are listed too, marked by
`Change.computed`: the officer reads that the total investment moved with its
parts. They are nobody's answer, so they never answer a correction note
(`answered_notes`).

Tables (repeating groups) are compared row by row, by position: `Change.rows`
holds the rows that differ (added at the end, removed from the end, or
changed in place), each printed as one line of "column：value" pairs.
"""

from dataclasses import dataclass

from app.rules import service as rules

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
FIELD, STEP = "field", "step"


@dataclass(frozen=True)
class RowChange:
    """One row of a table that differs; `before`/`after` are "" where the row is not there."""

    number: int  # 1 for the first row
    kind: str  # ADDED, REMOVED or CHANGED
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    """One field whose printed answer differs. `before`/`after` are the printed
    answers ("" for none; a table prints one line per row)."""

    field: object  # specs.Field
    step: object  # specs.Step
    label: str
    kind: str  # ADDED, REMOVED or CHANGED
    before: str
    after: str
    rows: tuple = ()  # RowChange of a table, in row order

    @property
    def field_id(self):
        return self.field.id

    @property
    def computed(self):
        return self.field.computed

    @property
    def is_table(self):
        return bool(self.field.columns)


@dataclass(frozen=True)
class NoteAnswer:
    """One note of a return for correction, and whether the answers after it changed there."""

    kind: str  # FIELD or STEP
    target: str  # the field's or the step's id
    label: str  # the field's label or the step's title ("" for one the spec does not have)
    note: str
    answered: bool


def _row_text(spec_field, row, lang):
    """A printed table row as one line: 产品名称：智能电机；年产能：100,000.00 (blank cells left out)."""
    english = lang.startswith("en")
    pair, separator = ("{}: {}", "; ") if english else ("{}\uff1a{}", "\uff1b")
    return separator.join(pair.format(c.text("label", lang), row.get(c.id)) for c in spec_field.columns
                          if row.get(c.id))


def _rows(spec_field, resolved, lang):
    """The printed rows of a table as lines, trailing blank rows dropped ([] when hidden)."""
    if spec_field.id not in resolved.fields:
        return []
    lines = [_row_text(spec_field, row, lang) for row in spec_field.printed(resolved.stored.get(spec_field.id), lang)]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _kind(before, after):
    return ADDED if not before else REMOVED if not after else CHANGED


def _row_changes(before, after):
    changes = []
    for i in range(max(len(before), len(after))):
        old = before[i] if i < len(before) else ""
        new = after[i] if i < len(after) else ""
        if old != new:
            changes.append(RowChange(i + 1, _kind(old, new), old, new))
    return tuple(changes)


def _printed(spec_field, resolved, lang):
    if spec_field.id not in resolved.fields:
        return ""
    return spec_field.printed(resolved.stored.get(spec_field.id), lang)


def diff(spec, before_answers, after_answers, lang="zh_CN"):
    """[Change] of every field whose printed answer differs between the two sets
    of stored answers (e.g. two submissions' snapshots), in the spec's order."""
    return diff_resolved(spec, rules.resolve(spec, before_answers or {}), rules.resolve(spec, after_answers or {}),
                         lang)


def diff_resolved(spec, old, new, lang="zh_CN"):
    """diff of two sets of answers already resolved under `spec` (rules.Resolved)."""
    changes = []
    for step in spec.steps:
        for spec_field in step.fields:
            if spec_field.id not in old.fields and spec_field.id not in new.fields:
                continue
            label = spec_field.text("label", lang)
            if spec_field.columns:
                rows_before, rows_after = _rows(spec_field, old, lang), _rows(spec_field, new, lang)
                if rows_before != rows_after:
                    changes.append(Change(spec_field, step, label, _kind(rows_before, rows_after),
                                          "\n".join(rows_before), "\n".join(rows_after),
                                          _row_changes(rows_before, rows_after)))
                continue
            before, after = _printed(spec_field, old, lang), _printed(spec_field, new, lang)
            if before != after:
                changes.append(Change(spec_field, step, label, _kind(before, after), before, after))
    return changes


def answered_notes(spec, notes, changes, lang="zh_CN"):
    """[NoteAnswer] of a return's notes (its event data: {"fields": {id: note},
    "steps": {id: note}}) against `changes` (from `diff`): a note on a field is
    answered when that field's answer changed, a note on a step when an answer
    of that step changed. Computed fields answer nothing: nobody typed them."""
    notes = notes or {}
    typed = [c for c in changes if not c.computed]
    changed_fields = {c.field_id for c in typed}
    changed_steps = {c.step.id for c in typed}
    found = []
    for field_id, note in (notes.get("fields") or {}).items():
        spec_field = spec.fields.get(field_id)
        found.append(NoteAnswer(FIELD, field_id, spec_field.text("label", lang) if spec_field else "", note,
                                field_id in changed_fields))
    for step_id, note in (notes.get("steps") or {}).items():
        step = spec.step(step_id)
        found.append(NoteAnswer(STEP, step_id, step.text("title", lang) if step else "", note,
                                step_id in changed_steps))
    return found


@dataclass(frozen=True)
class Amendment:
    """A 备案变更 as it stands: the filing it changes, what changed (printed, as
    `diff` gives it) and what the spec's change rules make of it."""

    original: object  # the completed Application changed
    changes: list  # [Change]
    verdict: object  # rules.ChangeVerdict

    @property
    def changed_ids(self):
        return {c.field_id for c in self.changes}


def amendment(spec, original, before_answers, after, lang="zh_CN"):
    """The Amendment of changing `original` (filed with `before_answers`) into the answers
    `after` resolved (the request's evaluation.resolved: not resolved again here)."""
    old = rules.resolve(spec, before_answers or {})
    return Amendment(original, diff_resolved(spec, old, after, lang), rules.judge_change(spec, old, after, lang))
