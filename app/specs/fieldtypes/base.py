from wtforms import StringField

from app.text import CONTROL_MESSAGE, has_control_characters

UNITS = ("万元", "万美元", "m²", "亩", "tce", "万kWh", "t", "%", "个", "人", "年", "月")


class FieldValueError(ValueError):
    """Submitted data that does not fit the field. The message is a Chinese
    msgid; the caller translates it and fills in `params`."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params


class Registry(dict):
    def register(self, cls):
        if cls.name in self:
            raise ValueError(f"field type {cls.name!r} registered twice")
        self[cls.name] = cls()
        return cls


registry = Registry()


def is_blank(value):
    return value is None or value == "" or value == [] or value == {}


class FieldType:
    """Defaults for a single-line text input. Subclasses override what differs."""

    name = ""
    widget = "input"  # which macro renders it (wizard/_fields.html)
    input_type = "text"
    input_mode = None
    autocomplete = None

    def wtforms_field(self, field, options):
        return StringField(field.label, render_kw=self.render_kw(field))

    def render_kw(self, field):
        kw = {}
        if self.input_mode:
            kw["inputmode"] = self.input_mode
        if self.autocomplete:
            kw["autocomplete"] = self.autocomplete
        return kw

    default_max_length = 200
    multiline = False

    def clean(self, raw, field):
        """Form data → stored value (or None when blank). Raises FieldValueError."""
        text = (raw or "").strip() if isinstance(raw, str) else raw
        if is_blank(text):
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

    def typed(self, stored):
        """Stored value → value expressions see."""
        return stored

    def form_value(self, stored):
        """Stored value → what the form shows."""
        return stored

    def display(self, stored, field, options):
        """Stored value → printed text (without unit decoration beyond the value)."""
        return "" if stored is None else str(stored)
