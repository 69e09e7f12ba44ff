"""A compiled spec: plain objects the wizard, rules and documents read."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from app.lang.service import Expression


# eq=False: fields and specs are compared and hashed by identity, so that
# screens can keep per-field caches (weak references) without touching them.
@dataclass(eq=False)
class Field:
    id: str
    type: Any  # a FieldType from the registry
    label: str
    label_en: str | None = None
    help: str | None = None
    help_en: str | None = None
    placeholder: str | None = None
    required: bool = False
    show_if: Expression | None = None
    value: Expression | None = None  # computed fields are not asked
    default: Any = None
    prefill: bool = False
    unit: str | None = None
    constraints: dict = dc_field(default_factory=dict)
    options: list | None = None
    columns: list["Field"] = dc_field(default_factory=list)
    step_id: str | None = None
    path: tuple = ()
    _options_en: list | None = dc_field(default=None, repr=False, compare=False)
    _groups: dict = dc_field(default_factory=dict, repr=False, compare=False)

    @property
    def computed(self):
        return self.value is not None

    def text(self, key, lang="zh_CN"):
        """label/help in the user's language, falling back to Chinese."""
        if lang.startswith("en"):
            return getattr(self, f"{key}_en", None) or getattr(self, key)
        return getattr(self, key)

    def printed(self, stored, lang="zh_CN"):
        """A stored answer as text with its unit; a table gives a list of row dicts of text."""
        if self.columns:
            return [{c.id: c.printed((row or {}).get(c.id), lang) for c in self.columns} for row in stored or []]
        if stored is None:
            return ""
        text = self.type.display(stored, self, lang)
        return f"{text} {self.unit}" if self.unit and text else text

    def options_for(self, lang="zh_CN"):
        if not self.options:
            return []
        if not lang.startswith("en"):
            return self.options
        if self._options_en is None:
            self._options_en = [{**o, "label": o.get("label_en") or o["label"]} for o in self.options]
        return self._options_en

    @property
    def grouped(self):
        """Options in a tree (`parent`): only the leaves may be chosen, listed under their parents."""
        return bool(self.options) and any(o.get("parent") for o in self.options)

    @property
    def choosable(self):
        """The option values an answer may take: every option but those that head others."""
        if "choosable" not in self._groups:
            parents = {o.get("parent") for o in self.options or []}
            self._groups["choosable"] = {o["value"] for o in self.options or [] if o["value"] not in parents}
        return self._groups["choosable"]

    def option_path(self, value, lang="zh_CN"):
        """The option of `value` and its ancestors, root first ([] for an unknown value)."""
        by_value = {o["value"]: o for o in self.options_for(lang)}
        path, seen = [], set()
        while value in by_value and value not in seen:  # `seen`: a cycle in an admin's list ends the walk
            seen.add(value)
            path.insert(0, by_value[value])
            value = by_value[value].get("parent")
        return path

    def option_groups(self, lang="zh_CN"):
        """[(heading, [choosable options])] of a tree of options, in list order: the
        leaves under their parent, the heading naming the parent's ancestors too
        (GB/T 4754: "C 制造业 › 38 电气机械和器材制造业 › 381 电机制造")."""
        key = "en" if lang.startswith("en") else "zh"
        if key not in self._groups:
            groups, by_parent = [], {}  # [(parent value or None, children)]; None: a top-level choice
            for o in self.options_for(lang):
                if o["value"] not in self.choosable:
                    continue
                parent = o.get("parent")
                if parent is None:
                    if not groups or groups[-1][0] is not None:
                        groups.append((None, []))
                    groups[-1][1].append(o)
                else:
                    if parent not in by_parent:
                        by_parent[parent] = []
                        groups.append((parent, by_parent[parent]))
                    by_parent[parent].append(o)
            self._groups[key] = [
                (" › ".join(f'{p["value"]} {p["label"]}' if self.type.name == "industry" else p["label"]
                            for p in self.option_path(parent, lang)) if parent else None, children)
                for parent, children in groups]
        return self._groups[key]


@dataclass(eq=False)
class Step:
    id: str
    title: str
    fields: list[Field]
    title_en: str | None = None
    intro: str | None = None
    intro_en: str | None = None
    show_if: Expression | None = None
    index: int = 0

    def text(self, key, lang="zh_CN"):
        if lang.startswith("en"):
            return getattr(self, f"{key}_en", None) or getattr(self, key)
        return getattr(self, key)


@dataclass
class Rule:
    """A cross-field check: `when` true means the problem is there."""

    id: str
    when: Expression
    message: Any  # TextTemplate
    message_en: Any = None
    severity: str = "error"
    step: str | None = None
    field: str | None = None


@dataclass
class Level:
    id: str
    name: str
    name_en: str | None = None
    office: str | None = None
    office_en: str | None = None
    rank: int = 0
    phone: str | None = None
    address: str | None = None


@dataclass
class AuthorityRule:
    id: str
    name: str
    when: Expression
    filing_type: str
    reason: Any  # TextTemplate
    level: Expression | None = None
    reason_en: Any = None


@dataclass
class EnergyRule:
    id: str
    when: Expression
    level: str
    reason: Any
    reason_en: Any = None


@dataclass
class Material:
    id: str
    name: str
    description: str
    reason: Any  # TextTemplate
    when: Expression | None = None
    file_types: tuple = ("pdf", "jpg", "png")
    deferrable: bool = False
    name_en: str | None = None
    description_en: str | None = None
    reason_en: Any = None
    # Where the law asks for it (四个一律取消) and when: "filing" (to file or apply)
    # or "before_construction". Versions published before these keys read as filing.
    stage: str = "filing"
    legal_basis: str = ""
    form: str | None = None  # original | copy | original_and_copy | electronic
    copies: int | None = None
    review_points: tuple = ()
    deferral: dict | None = None  # {working_days: N} after acceptance, or {before: construction}
    stage_given: bool = True  # False when the spec left `stage` out (the publish gate refuses that)

    def text(self, key, lang="zh_CN"):
        if lang.startswith("en"):
            return getattr(self, f"{key}_en", None) or getattr(self, key)
        return getattr(self, key)


@dataclass
class ChangeRule:
    """One rule of a 备案变更: the first whose `when` holds gives the outcome."""

    id: str
    when: Expression
    outcome: str  # change | not_needed | new_filing
    reason: Any  # TextTemplate
    reason_en: Any = None


@dataclass(eq=False)
class ChangeRules:
    """The spec's `changes:` section: what a change of a completed filing compares
    (the measures in percent, the fields of the name, the site and the main
    content) and the ordered rules that decide it, with their golden examples."""

    measures: tuple  # field ids
    name: tuple
    site: tuple
    content: tuple
    rules: list  # [ChangeRule]
    examples: list = dc_field(default_factory=list)  # [{name, before, after, expect}]


@dataclass
class DocumentSpec:
    """A document the packet holds: its template (compiled by the documents engine) and when it applies."""

    id: str
    template_name: str
    source: str  # the template file's text, as stored with the version
    when: Expression | None = None


@dataclass
class IssuedSpec(DocumentSpec):
    """An official document a decision issues (sealed, stored, verifiable) `after` that decision."""

    after: str = "complete"


@dataclass(eq=False)
class CaseIndex:
    """The fields the case index reads (the spec's `case_index:` section, checked at load)."""

    enterprise_name: Field
    project_name: Field
    credit_code: Field
    town: Field
    industry: Field

    def values(self, answers):
        """The index columns of a case from its answers (stored values)."""
        industry = answers.get(self.industry.id)
        return {
            "enterprise_name": answers.get(self.enterprise_name.id),
            "project_name": answers.get(self.project_name.id),
            "credit_code": answers.get(self.credit_code.id),
            "town": answers.get(self.town.id),
            "industry_section": self.industry.type.section_of(industry, self.industry) if industry else None,
        }

    def town_options(self):
        return self.town.options or []

    def industry_sections(self):
        return [o for o in self.industry.options or [] if not o.get("parent")]


@dataclass(eq=False)
class Spec:
    id: str
    title: str
    steps: list[Step]
    fields: dict[str, Field]
    lists: dict[str, list]
    rules: list[Rule]
    raw: dict
    title_en: str | None = None
    description: str | None = None
    reference_prefix: str = "XS"
    levels: dict[str, Level] = dc_field(default_factory=dict)
    authority_rules: list[AuthorityRule] = dc_field(default_factory=list)
    energy_levels: dict[str, Level] = dc_field(default_factory=dict)
    energy_rules: list[EnergyRule] = dc_field(default_factory=list)
    materials: list[Material] = dc_field(default_factory=list)
    examples: list[dict] = dc_field(default_factory=list)
    documents: list[DocumentSpec] = dc_field(default_factory=list)
    templates: dict[str, str] = dc_field(default_factory=dict)  # template file name → text
    case_index: CaseIndex | None = None
    issued: list[IssuedSpec] = dc_field(default_factory=list)
    changes: ChangeRules | None = None  # None: the version decides no 备案变更

    def material(self, material_id):
        return next((m for m in self.materials if m.id == material_id), None)

    def step(self, step_id):
        for step in self.steps:
            if step.id == step_id:
                return step
        return None
