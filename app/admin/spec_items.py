"""What a quick edit changes in a spec's YAML: the fields of each step, the
materials and the cross-field rules, found in the data the YAML reads, and
the changes a form's values make to one of them (paths for yaml_edit)."""

import hashlib
import json
from dataclasses import dataclass

from app.admin.yaml_edit import Change

__all__ = ["KINDS", "Item", "changes", "digest", "find", "inline_options", "outline", "takes_placeholder"]

# The keys of each kind in the order the shipped spec writes them: a key
# added by a quick edit goes after the nearest earlier one that is there.
KEY_ORDER = {
    "field": ("id", "type", "label", "label_en", "help", "help_en", "placeholder", "required"),
    "material": ("id", "name", "name_en", "description", "description_en", "reason", "reason_en"),
    "rule": ("id", "when", "message", "message_en"),
    "option": ("value", "label", "label_en"),
}
KINDS = {"fields": "field", "materials": "material", "rules": "rule"}  # URL section → kind
# The field types drawn as a box to type in, where a `placeholder` shows (docs/spec.md §3.2).
BOX_TYPES = {"text", "textarea", "email", "mobile", "credit_code", "resident_id", "integer", "decimal", "date",
             "month"}


@dataclass(frozen=True)
class Item:
    kind: str  # field, material or rule
    id: str
    path: tuple  # from the document root to the item's mapping
    raw: dict  # the item as the YAML reads now
    step: dict | None = None  # a field's step


def _mappings(value):
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict) and isinstance(v.get("id"), str)] \
        if isinstance(value, list) else []


def outline(data):
    """{steps: [(step, [Item…])], materials: [Item…], rules: [Item…]} of what can be quick-edited."""
    data = data if isinstance(data, dict) else {}
    steps = [(step, [Item("field", f["id"], ("steps", i, "fields", j), f, step)
                     for j, f in _mappings(step.get("fields"))])
             for i, step in _mappings(data.get("steps"))]
    return {
        "steps": steps,
        "materials": [Item("material", m["id"], ("materials", i), m) for i, m in _mappings(data.get("materials"))],
        "rules": [Item("rule", r["id"], ("rules", i), r) for i, r in _mappings(data.get("rules"))],
    }


def find(data, kind, item_id):
    """The first field, material or rule with that id, or None."""
    parts = outline(data)
    items = [f for _step, fields in parts["steps"] for f in fields] if kind == "field" else parts[f"{kind}s"]
    return next((item for item in items if item.id == item_id), None)


def inline_options(item):
    """A field's own options (a list in the field), or [] when it names a shared list or has none."""
    options = item.raw.get("options") if item.kind == "field" else None
    if not isinstance(options, list) or not all(isinstance(o, dict) and "value" in o for o in options):
        return []
    return options


def digest(item):
    """A short fingerprint of the item as the YAML reads now: a form opened on an older
    state is not saved over a change made since (by another admin, or in the YAML editor)."""
    canonical = json.dumps(item.raw, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def takes_placeholder(item):
    return item.kind == "field" and (item.raw.get("type") in BOX_TYPES or "placeholder" in item.raw)


def _current(raw, key):
    value = raw.get(key)
    if key == "required":
        return value is True
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _change(base, raw, key, value, order):
    """One Change when `value` differs from what `raw` holds (None: the key goes)."""
    if _current(raw, key) == value or (value is False and key not in raw):
        return None
    earlier = order[:order.index(key)] if key in order else order
    return Change((*base, key), value, after=tuple(reversed(earlier)))


def changes(item, values):
    """The Changes that `values` ({key or ("options", i, key): value}) make to the item."""
    found = []
    for key, value in values.items():
        if isinstance(key, tuple):
            _options, index, option_key = key
            option = inline_options(item)[index]
            found.append(_change((*item.path, "options", index), option, option_key, value, KEY_ORDER["option"]))
        else:
            found.append(_change(item.path, item.raw, key, value, KEY_ORDER[item.kind]))
    return [c for c in found if c is not None]
