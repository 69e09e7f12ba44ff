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
    id: str
    when: Expression
    message: str
    message_en: str | None = None
    severity: str = "error"
    step: str | None = None
    field: str | None = None


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

    def step(self, step_id):
        for step in self.steps:
            if step.id == step_id:
                return step
        return None
