"""What every field type does, with the defaults of a single-line text input.

A field type owns every way its field is used: reading what a form posted or
an outside check sent as JSON into a stored (JSON) value, the message when a
required answer is missing, the typed value expressions see, how a stored
value prints (per language), and which input the wizard draws (`widget`, the
macro of the same name in wizard/_inputs.html, with `input_attributes`).
"""

from app.lang.service import blank
from app.messages import N_, UserError
from app.text import CONTROL_MESSAGE, has_control_characters

UNITS = ("万元", "万美元", "m²", "亩", "tce", "万kWh", "t", "%", "个", "人", "年", "月")


class FieldValueError(UserError):
    """Submitted data that does not fit the field (a Chinese msgid with params)."""


class Registry(dict):
    def register(self, cls):
        if cls.name in self:
            raise ValueError(f"field type {cls.name!r} registered twice")
        self[cls.name] = cls()
        return cls


registry = Registry()


def english(lang):
    return lang.startswith("en")


class FieldType:
    """Defaults for a single-line text input. Subclasses override what differs."""

    name = ""
    widget = "input"  # the macro that draws it (wizard/_inputs.html)
    input_type = "text"
    input_mode = None
    autocomplete = None
    multiline = False
    default_max_length = 200
    required_message = N_("请填写%(label)s。")

    # --- Reading ---------------------------------------------------------------

    def raw_from_form(self, formdata, field):
        """What the form posted for this field (a string, or None)."""
        return formdata.get(field.id)

    def raw_from_json(self, value, field):
        """A JSON value (outside checks, golden examples) → what clean() takes from a form.
        Raises ValueError for a value of the wrong JSON type."""
        if isinstance(value, bool):
            raise ValueError(f"expected a {self.name} value, got true/false")
        if isinstance(value, int | float):
            return repr(value) if isinstance(value, float) else str(value)
        if not isinstance(value, str):
            raise ValueError(f"expected a {self.name} value, got {type(value).__name__}")
        return value

    def clean(self, raw, field):
        """Form data → stored value (or None when blank). Raises FieldValueError."""
        text = (raw or "").strip() if isinstance(raw, str) else raw
        if blank(text):
            return None
        return self.check_length(text, field)

    def check_length(self, text, field):
        """The length limits, and no invisible control characters (every text type passes here)."""
        if has_control_characters(text, self.multiline):
            raise FieldValueError(CONTROL_MESSAGE)
        max_length = field.constraints.get("max_length", self.default_max_length)
        if len(text) > max_length:
            raise FieldValueError("不能超过%(max)s个字符。", max=max_length)
        if len(text) < field.constraints.get("min_length", 0):
            raise FieldValueError("至少需要%(min)s个字符。", min=field.constraints["min_length"])
        return text

    # --- Using -----------------------------------------------------------------

    def typed(self, stored):
        """Stored value → value expressions see."""
        return stored

    def form_value(self, stored):
        """Stored value → what the input shows."""
        return stored

    def display(self, stored, field, lang):
        """Stored value → printed text (the unit is added by Field.printed)."""
        return "" if stored is None else str(stored)

    def input_attributes(self, field):
        """Attributes of the <input> the wizard draws (besides name, id and value)."""
        attributes = {"type": self.input_type, "inputmode": self.input_mode, "autocomplete": self.autocomplete,
                      "placeholder": field.placeholder, "maxlength": field.constraints.get("max_length")}
        return {k: v for k, v in attributes.items() if v is not None}
