from app.messages import N_
from app.specs.fieldtypes.base import FieldType, FieldValueError, english, registry

YES, NO = "yes", "no"
CHOOSE = N_("请选择%(label)s。")


def _label(options, value):
    for option in options:
        if option["value"] == value:
            return option["label"]
    return value


@registry.register
class Select(FieldType):
    name = "select"
    widget = "select"
    required_message = CHOOSE

    def clean(self, raw, field):
        value = (raw or "").strip()
        if not value:
            return None
        if value not in field.choosable:
            raise FieldValueError(self.not_a_choice)
        return value

    # Shown for a value outside the list, or a heading of a grouped list.
    not_a_choice = N_("请从列表中选择。")

    def display(self, stored, field, lang):
        return "" if stored is None else _label(field.options_for(lang), stored)


@registry.register
class Radio(Select):
    name = "radio"
    widget = "radio"


@registry.register
class Industry(Select):
    """GB/T 4754 industry: the code of a leaf of the classification (a class,
    4 digits, in the 2017 list), chosen in a list grouped by its parents."""

    name = "industry"
    widget = "industry"
    not_a_choice = N_("请选择到行业小类（4位代码）。")

    def display(self, stored, field, lang):
        if stored is None:
            return ""
        path = field.option_path(stored, lang)
        if not path:
            return stored
        return " › ".join(f"{o['value']} {o['label']}" for o in path)

    def section_of(self, stored, field):
        path = field.option_path(stored)
        return path[0]["value"] if path else None


@registry.register
class Checkboxes(FieldType):
    name = "checkboxes"
    widget = "checkboxes"
    required_message = CHOOSE

    def raw_from_form(self, formdata, field):
        return formdata.getlist(field.id)

    def raw_from_json(self, value, field):
        return value if isinstance(value, list) else [value]

    def clean(self, raw, field):
        values = [v for v in (raw or []) if isinstance(v, str) and v]
        if not values:
            return None
        allowed = [o["value"] for o in field.options]
        if any(v not in allowed for v in values):
            raise FieldValueError("请从列表中选择。")
        return [v for v in allowed if v in values]  # spec order, no duplicates

    def display(self, stored, field, lang):
        separator = ", " if english(lang) else "、"
        return separator.join(_label(field.options_for(lang), v) for v in stored or [])


@registry.register
class YesNo(FieldType):
    name = "yesno"
    widget = "yesno"
    required_message = CHOOSE

    def raw_from_json(self, value, field):
        return (YES if value else NO) if isinstance(value, bool) else value

    def clean(self, raw, field):
        if raw in (None, ""):
            return None
        if raw not in (YES, NO):
            raise FieldValueError("请选择“是”或“否”。")
        return raw == YES

    def form_value(self, stored):
        return None if stored is None else (YES if stored else NO)

    def display(self, stored, field, lang):
        if stored is None:
            return ""
        if english(lang):
            return "Yes" if stored else "No"
        return "是" if stored else "否"


@registry.register
class Consent(FieldType):
    """A box the applicant must tick to declare something."""

    name = "consent"
    widget = "consent"
    required_message = N_("请勾选确认。")

    def raw_from_json(self, value, field):
        return "y" if value is True else value

    def clean(self, raw, field):
        if raw in (None, False, ""):
            return None
        if raw not in (True, "y", "on", "1", "true"):
            raise FieldValueError("请勾选确认。")
        return True

    def display(self, stored, field, lang):
        if english(lang):
            return "Confirmed" if stored else "Not confirmed"
        return "已确认" if stored else "未确认"
