import re

from app.phone import InvalidPhone, normalize_mobile
from app.specs.fieldtypes.base import FieldType, FieldValueError, registry

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


@registry.register
class Text(FieldType):
    name = "text"

    def clean(self, raw, field):
        value = super().clean(raw, field)
        pattern = field.constraints.get("pattern")
        if value is not None and pattern and not re.fullmatch(pattern, value):
            raise FieldValueError(field.constraints.get("pattern_message") or "格式不正确。")
        return value


@registry.register
class Textarea(FieldType):
    name = "textarea"
    widget = "textarea"

    default_max_length = 10000
    multiline = True

    def clean(self, raw, field):
        text = (raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        return self.check_length(text, field) if text else None


@registry.register
class Email(FieldType):
    name = "email"
    input_type = "email"
    autocomplete = "email"

    def clean(self, raw, field):
        value = super().clean(raw, field)
        if value is not None and not EMAIL_RE.match(value):
            raise FieldValueError("请输入有效的电子邮箱地址，例如 name@example.com。")
        return value


@registry.register
class Mobile(FieldType):
    name = "mobile"
    input_type = "tel"
    input_mode = "tel"
    autocomplete = "tel"

    def clean(self, raw, field):
        value = super().clean(raw, field)
        if value is None:
            return None
        try:
            return normalize_mobile(value)
        except InvalidPhone as exc:
            raise FieldValueError("请输入有效的手机号码，例如 13812345678。") from exc

    def display(self, stored, field, lang):
        if stored and stored.startswith("+86"):
            return stored[3:]
        return stored or ""
