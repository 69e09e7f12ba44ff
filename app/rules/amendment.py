"""备案变更: what a change of a completed filing amounts to, judged by the
spec's `changes:` rules from the filed answers and the new ones.

The rules read a few names, computed here: `largest_move` (the largest move
of a measure, in percent of the filed value, 0 when none moved; a measure
given now and blank or zero before counts as 100), `largest_measure` (its
label), `name_changed`, `site_changed`, `content_changed` (an answer of that
group differs), `changed_count` and `changed_labels` (every typed answer that
differs). The first rule whose `when` holds decides. Pure: no database."""

from dataclasses import dataclass, field
from decimal import Decimal

from app.lang.service import ExpressionError
from app.rules.answers import from_json
from app.rules.visibility import resolve

CHANGE, NOT_NEEDED, NEW_FILING = "change", "not_needed", "new_filing"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Move:
    """How far one measure moved."""

    field_id: str
    label: str
    before: object  # Decimal or None
    after: object
    percent: Decimal  # of the filed value, rounded to 0.01


@dataclass
class ChangeVerdict:
    outcome: str | None  # CHANGE, NOT_NEEDED, NEW_FILING; None when the spec has no change rules
    rule_id: str | None = None
    reason: str = ""
    moves: list = field(default_factory=list)  # [Move] of the measures that moved
    changed: list = field(default_factory=list)  # field ids whose answers differ, in spec order
    groups: dict = field(default_factory=dict)  # name/site/content → changed?

    @property
    def largest(self):
        return _largest(self.moves)

    def to_json(self):
        return {"outcome": self.outcome, "rule": self.rule_id, "reason": self.reason, "changed": self.changed,
                "groups": self.groups, "moves": [{"field": m.field_id, "percent": str(m.percent)}
                                                 for m in self.moves]}


def _percent(before, after):
    if before == after:
        return Decimal(0)
    if not before:
        return HUNDRED
    percent = (abs(after - before) / abs(before) * HUNDRED).quantize(Decimal("0.01"))
    return percent.quantize(Decimal(1)) if percent == percent.to_integral_value() else percent  # 25, not 25.00


def _largest(moves):
    return max(moves, key=lambda m: m.percent, default=None)


def _moves(rules, spec, old, new, lang):
    moves = []
    for field_id in rules.measures:
        before, after = old.values.get(field_id), new.values.get(field_id)
        if before is None and after is None:
            continue
        percent = _percent(before or Decimal(0), after or Decimal(0))
        if percent:
            moves.append(Move(field_id, spec.fields[field_id].text("label", lang), before, after, percent))
    return moves


def _differs(old, new, field_id):
    return old.values.get(field_id) != new.values.get(field_id)


def judge(spec, old, new, lang="zh_CN"):
    """The ChangeVerdict of changing a filing whose answers resolved to `old` into
    ones resolved to `new` (rules.Resolved: the caller resolves each set once)."""
    rules = spec.changes
    if rules is None:
        return ChangeVerdict(None)
    moves = _moves(rules, spec, old, new, lang)
    changed = [fid for fid, f in spec.fields.items() if not f.computed and _differs(old, new, fid)]
    groups = {group: any(_differs(old, new, fid) for fid in getattr(rules, group))
              for group in ("name", "site", "content")}
    largest = _largest(moves)
    context = {**spec.lists, "largest_move": largest.percent if largest else Decimal(0),
               "largest_measure": largest.label if largest else "", "name_changed": groups["name"],
               "site_changed": groups["site"], "content_changed": groups["content"], "changed_count": len(changed),
               "changed_labels": "、".join(spec.fields[fid].text("label", lang) for fid in changed)}
    for rule in rules.rules:
        try:
            holds = rule.when.test(context)
        except ExpressionError:
            continue
        if holds:
            template = rule.reason_en if lang.startswith("en") and rule.reason_en else rule.reason
            try:
                reason = template.render(context).strip()
            except ExpressionError:
                reason = ""
            return ChangeVerdict(rule.outcome, rule.id, reason, moves, changed, groups)
    return ChangeVerdict(NOT_NEEDED, None, "", moves, changed, groups)


def run_change_example(spec, example):
    """Differences between a change example's expectation and the verdict ([] = pass)."""
    before, _ = from_json(spec, example["before"])
    after, _ = from_json(spec, example["after"])
    verdict = judge(spec, resolve(spec, before), resolve(spec, after))
    if verdict.outcome != example["expect"]:
        return [f"expected {example['expect']!r}, got {verdict.outcome!r} (rule {verdict.rule_id})"]
    return []
