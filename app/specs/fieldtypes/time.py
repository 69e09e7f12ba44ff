import datetime as dt
import re

from app.specs.fieldtypes.base import FieldType, FieldValueError, english, registry

DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
MONTH_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")


def _check_date_range(value, field):
    low, high = field.constraints.get("min"), field.constraints.get("max")
    if low and value < dt.date.fromisoformat(str(low)):
        raise FieldValueError("不能早于%(min)s。", min=low)
    if high and value > dt.date.fromisoformat(str(high)):
        raise FieldValueError("不能晚于%(max)s。", max=high)


@registry.register
class Date(FieldType):
    name = "date"
    input_type = "date"

    def clean(self, raw, field):
        text = (raw or "").strip()
        if not text:
            return None
        match = DATE_RE.match(text)
        try:
            value = dt.date(int(match[1]), int(match[2]), int(match[3])) if match else None
        except ValueError:
            value = None
        if value is None:
            raise FieldValueError("请按“年-月-日”填写日期，例如 2026-03-01。")
        _check_date_range(value, field)
        return value.isoformat()

    def typed(self, stored):
        return None if stored is None else dt.date.fromisoformat(stored)

    def display(self, stored, field, lang):
        if not stored:
            return ""
        if english(lang):
            return stored
        value = dt.date.fromisoformat(stored)
        return f"{value.year}年{value.month}月{value.day}日"


@registry.register
class Month(FieldType):
    """Year and month, typed as 2026-03 (or 2026年3月). A text box rather than
    <input type="month">, which half the browsers lack and which is awkward to
    use with the keyboard."""

    name = "month"
    input_type = "text"
    input_mode = "numeric"

    def input_attributes(self, field):
        return {**super().input_attributes(field), "placeholder": field.placeholder or "2026-03",
                "pattern": r"\d{4}-\d{1,2}"}

    def clean(self, raw, field):
        text = (raw or "").strip()
        if not text:
            return None
        match = MONTH_RE.match(text)
        if not match or not 1 <= int(match[2]) <= 12 or not 1900 <= int(match[1]) <= 2200:
            raise FieldValueError("请按“年-月”填写，例如 2026-03。")
        return f"{int(match[1]):04d}-{int(match[2]):02d}"

    def typed(self, stored):
        return None if stored is None else dt.date(int(stored[:4]), int(stored[5:7]), 1)

    def display(self, stored, field, lang):
        if not stored:
            return ""
        if english(lang):
            return stored
        return f"{int(stored[:4])}年{int(stored[5:7])}月"
