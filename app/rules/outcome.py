"""The authority decision, the energy review and the materials checklist.

Rules are data in the spec; this module only walks them: the first matching
authority rule decides the filing type and level, the first matching energy
rule the energy review, and every material whose condition holds is needed.
"""

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from app.lang.service import ExpressionError

log = logging.getLogger(__name__)


@dataclass
class MaterialNeed:
    id: str
    name: str
    reason: str
    deferrable: bool
    file_types: tuple
    stage: str = "filing"  # filing: needed now; before_construction: listed, not demanded now
    legal_basis: str = ""
    form: str | None = None
    copies: int | None = None
    deferral: dict | None = None

    @property
    def needed_now(self):
        return self.stage == "filing"


@dataclass
class Outcome:
    filing_type: str | None  # filing | approval | examination | rejected | None while unknown
    level: str | None
    escalated: bool
    energy_review: str | None
    energy_escalated: bool
    sms: bool
    reasons: list[str] = field(default_factory=list)
    matched: list[dict] = field(default_factory=list)  # [{kind, rule, inputs}]
    materials: list[MaterialNeed] = field(default_factory=list)
    level_name: str | None = None
    level_office: str | None = None
    energy_name: str | None = None
    # Questions not answered yet that the authority (or energy) rules read up to
    # the one that matched: until they are, the verdict is not given.
    pending: list[str] = field(default_factory=list)
    energy_pending: list[str] = field(default_factory=list)

    @property
    def decided(self):
        """Whether the authority verdict stands: a rule matched and nothing it depends on is unanswered."""
        return self.filing_type is not None and not self.pending

    def to_json(self):
        """The stored and outside-check form (materials as ids)."""
        data = asdict(self)
        data["materials"] = [m.id for m in self.materials]
        return data

    @classmethod
    def from_json(cls, data, materials):
        """The outcome frozen with a submission; `materials` are the MaterialNeeds frozen with it."""
        data = data or {}
        known = {name for name in cls.__dataclass_fields__ if name != "materials"}
        base = {"filing_type": None, "level": None, "escalated": False, "energy_review": None,
                "energy_escalated": False, "sms": False}
        return cls(**{**base, **{k: v for k, v in data.items() if k in known}}, materials=list(materials))


class Labels(Mapping):
    """Printed answers (with units) for {{ labels.x }} in reasons and messages,
    formatted when a text reads them: most texts read none or one."""

    def __init__(self, resolved, lang):
        self._resolved, self._lang, self._done = resolved, lang, {}

    def __getitem__(self, field_id):
        if field_id not in self._done:
            spec_field = self._resolved.fields.get(field_id)
            if spec_field is None or spec_field.columns:
                raise KeyError(field_id)
            self._done[field_id] = spec_field.printed(self._resolved.stored.get(field_id), self._lang)
        return self._done[field_id]

    def __iter__(self):
        return (fid for fid, f in self._resolved.fields.items() if not f.columns)

    def __len__(self):
        return sum(1 for _ in self)


def labels_for(resolved, lang="zh_CN"):
    return Labels(resolved, lang)


def _holds(condition, context, what):
    try:
        return condition.test(context)
    except ExpressionError as exc:
        # Usually an answer not given yet (None compared with a number):
        # the rule cannot apply until it is.
        log.debug("%s not evaluated: %s", what, exc)
        return False


def _render(template, context, what):
    try:
        return template.render(context)
    except ExpressionError as exc:
        log.warning("%s could not be rendered: %s", what, exc)
        return ""


def _inputs(resolved, *expressions):
    names = set()
    for expr in expressions:
        if expr is not None:
            names |= expr.names
    return {name: resolved.stored.get(name) for name in sorted(names) if name in resolved.fields}


def _unanswered(resolved, expressions):
    """The shown, required questions the expressions read that have no answer yet
    (through computed values to what they are computed from), in spec order.
    Hidden questions and optional ones left blank are decided: they read as empty."""
    found, seen = set(), set()
    names = [name for expr in expressions if expr is not None for name in expr.names]
    while names:
        name = names.pop()
        if name in seen:
            continue
        seen.add(name)
        spec_field = resolved.fields.get(name)
        if spec_field is None:
            continue
        if spec_field.computed:
            names.extend(spec_field.value.names)
        elif spec_field.required and resolved.stored.get(name) is None:
            found.add(name)
    return [name for name in resolved.fields if name in found]


def _pick(template, template_en, lang):
    return template_en if lang.startswith("en") and template_en is not None else template


def decide(spec, resolved, site_level="district", lang="zh_CN"):
    context = {**spec.lists, **resolved.values, "labels": labels_for(resolved, lang)}
    outcome = Outcome(filing_type=None, level=None, escalated=False, energy_review=None, energy_escalated=False,
                      sms=False)
    site_rank = spec.levels[site_level].rank if site_level in spec.levels else 0

    read = []  # what the first-match walk read: a rule before the match could still match once answered
    for rule in spec.authority_rules:
        read.append(rule.when)
        if not _holds(rule.when, context, f"authority rule {rule.id}"):
            continue
        read.append(rule.level)
        level = None
        if rule.level is not None:
            try:
                level = rule.level.evaluate(context)
            except ExpressionError as exc:
                log.warning("level of %s failed: %s", rule.id, exc)
            if level not in spec.levels:
                log.warning("authority rule %s gave unknown level %r; skipped", rule.id, level)
                continue
        outcome.filing_type, outcome.level = rule.filing_type, level
        if level:
            outcome.level_name = spec.levels[level].name_en if lang.startswith("en") and spec.levels[level].name_en \
                else spec.levels[level].name
            office_en = spec.levels[level].office_en if lang.startswith("en") else None
            outcome.level_office = office_en or spec.levels[level].office
            outcome.escalated = spec.levels[level].rank > site_rank
        context.update(filing_type=outcome.filing_type, level=level, level_name=outcome.level_name,
                       escalated=outcome.escalated)
        text = _render(_pick(rule.reason, rule.reason_en, lang), context, f"reason of {rule.id}")
        outcome.reasons.append(text)  # rule ids stay in `matched`: applicants and offices read only the reason
        outcome.matched.append({"kind": "authority", "rule": rule.id, "inputs": _inputs(resolved, rule.when,
                                                                                          rule.level)})
        break
    outcome.pending = _unanswered(resolved, read)

    if outcome.filing_type not in (None, "rejected"):
        energy_site_rank = spec.energy_levels[site_level].rank if site_level in spec.energy_levels else 0
        read = []
        for rule in spec.energy_rules:
            read.append(rule.when)
            if not _holds(rule.when, context, f"energy rule {rule.id}"):
                continue
            level = spec.energy_levels[rule.level]
            outcome.energy_review = rule.level
            outcome.energy_name = level.name_en if lang.startswith("en") and level.name_en else level.name
            outcome.energy_escalated = level.rank > energy_site_rank
            context["energy_review"] = rule.level
            text = _render(_pick(rule.reason, rule.reason_en, lang), context, f"reason of {rule.id}")
            outcome.reasons.append(text)
            outcome.matched.append({"kind": "energy", "rule": rule.id, "inputs": _inputs(resolved, rule.when)})
            break
        outcome.energy_pending = _unanswered(resolved, read)

    outcome.sms = outcome.filing_type == "rejected" or outcome.escalated or outcome.energy_escalated
    if outcome.filing_type not in (None, "rejected"):
        outcome.materials = _materials(spec, resolved, context, lang)
    return outcome


def _materials(spec, resolved, context, lang):
    needs = []
    for material in spec.materials:
        if material.when is not None and not _holds(material.when, context, f"material {material.id}"):
            continue
        if material.when is not None and _unanswered(resolved, [material.when]):
            continue  # listed once the questions that decide it are answered
        reason = _render(_pick(material.reason, material.reason_en, lang), context, f"reason of {material.id}")
        needs.append(MaterialNeed(id=material.id, name=material.text("name", lang), reason=reason,
                                  deferrable=material.deferrable, file_types=material.file_types,
                                  stage=material.stage, legal_basis=material.legal_basis, form=material.form,
                                  copies=material.copies, deferral=material.deferral))
    return needs
