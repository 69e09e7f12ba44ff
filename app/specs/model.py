"""A compiled spec: plain objects the wizard, rules and documents read."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from app.specs.expressions import Expression


@dataclass
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
    rendered: dict = dc_field(default_factory=dict, repr=False, compare=False)  # HTML kept by app/wizard/widgets.py

    @property
    def computed(self):
        return self.value is not None

    def text(self, key, lang="zh_CN"):
        """label/help in the user's language, falling back to Chinese."""
        if lang.startswith("en"):
            return getattr(self, f"{key}_en", None) or getattr(self, key)
        return getattr(self, key)

    def options_for(self, lang="zh_CN"):
        if not self.options:
            return []
        if not lang.startswith("en"):
            return self.options
        if self._options_en is None:
            self._options_en = [{**o, "label": o.get("label_en") or o["label"]} for o in self.options]
        return self._options_en

    def option_groups(self, lang="zh_CN"):
        """[(section option, [its options])] for lists with `parent` (the industry list)."""
        key = "en" if lang.startswith("en") else "zh"
        if key not in self._groups:
            options = self.options_for(lang)
            children = {}
            for o in options:
                if o.get("parent"):
                    children.setdefault(o["parent"], []).append(o)
            self._groups[key] = [(o, children.get(o["value"], [])) for o in options if not o.get("parent")]
        return self._groups[key]


@dataclass
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

    def text(self, key, lang="zh_CN"):
        if lang.startswith("en"):
            return getattr(self, f"{key}_en", None) or getattr(self, key)
        return getattr(self, key)


@dataclass
class DocumentSpec:
    id: str
    template: Any  # documents.templates.DocTemplate
    template_name: str
    when: Expression | None = None


@dataclass
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

    def material(self, material_id):
        return next((m for m in self.materials if m.id == material_id), None)

    def step(self, step_id):
        for step in self.steps:
            if step.id == step_id:
                return step
        return None
