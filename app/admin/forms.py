from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.admin import spec_items
from app.text import NoControlCharacters

NOTE_MAX = 500  # spec_versions.note and admin_audit.note are String(500)


def _tidy(text):
    """Line breaks as one character each (browsers send CRLF), no blank edges."""
    return text.replace("\r\n", "\n").strip() if isinstance(text, str) else text


class ChangeNoteForm(FlaskForm):
    """Publishing and rolling back ask why: the note goes into the version list and the audit log."""

    note = TextAreaField(
        _l("变更说明"),
        filters=[_tidy],
        validators=[DataRequired(message=_l("请填写变更说明，写明改了什么、为什么。未填写时不会发布。")),
                    Length(max=NOTE_MAX, message=_l("变更说明不超过500个字。")),
                    NoControlCharacters(multiline=True)],
        render_kw={"rows": 4, "maxlength": NOTE_MAX},
    )


# --- Quick edits: a field's, a material's or a rule's texts without YAML --------

_EN_HINT = _l("英文页面显示。留空时英文页面显示中文。")
# (key, label, longest as the spec's JSON Schema allows, several lines?, required?, hint) per kind.
QUICK_TEXTS = {
    "field": [
        ("label", _l("问题（中文）"), 500, False, True, _l("申请人在填报页面看到的问题名称。")),
        ("label_en", _l("问题（英文）"), 500, False, False, _EN_HINT),
        ("help", _l("提示（中文）"), 2000, True, False, _l("显示在问题下方的说明。留空则不显示。")),
        ("help_en", _l("提示（英文）"), 2000, True, False, _EN_HINT),
        ("placeholder", _l("输入框中的示例文字"), 200, False, False, _l("输入框中的灰色示例文字。留空则不显示。")),
    ],
    "material": [
        ("name", _l("材料名称（中文）"), 100, False, True, None),
        ("name_en", _l("材料名称（英文）"), 100, False, False, _EN_HINT),
        ("description", _l("材料说明（中文）"), 2000, True, True, _l("写明材料是什么、由谁出具。")),
        ("description_en", _l("材料说明（英文）"), 2000, True, False, _EN_HINT),
        ("reason", _l("为什么需要（中文）"), 5000, True, True,
         _l("显示在申请人的材料页面。可用 {{ … }} 读取填写内容。")),
        ("reason_en", _l("为什么需要（英文）"), 5000, True, False, _EN_HINT),
    ],
    "rule": [
        ("message", _l("提示信息（中文）"), 5000, True, True,
         _l("条件成立时显示给申请人。可用 {{ 字段标识 }} 读取填写内容，如 {{ labels.land_area_m2 }}。")),
        ("message_en", _l("提示信息（英文）"), 5000, True, False, _EN_HINT),
    ],
}
OPTION_LABEL_MAX = 200


def _text_field(label, limit, multiline, required, hint=None):
    validators = [Length(max=limit, message=_l("不能超过%(max)d个字（现在%(length)d个字）。")),
                  NoControlCharacters(multiline=multiline)]
    if required:
        validators.insert(0, DataRequired(message=_l("不能为空，请填写。")))
    kind = TextAreaField if multiline else StringField
    render_kw = {"maxlength": limit, **({"rows": 3} if multiline else {})}
    return kind(label, filters=[_tidy], validators=validators, description=hint or "", render_kw=render_kw)


def _option_key(index, key):
    return f"option_{index}_{key}"


def quick_edit_form(item):
    """A form for the item's texts (a field's `required` flag and its own options' labels too),
    filled with what the YAML holds now; posted data wins on POST."""
    attrs, data = {"base": HiddenField()}, {"base": spec_items.digest(item)}
    for key, label, limit, multiline, required, hint in QUICK_TEXTS[item.kind]:
        if key == "placeholder" and not spec_items.takes_placeholder(item):
            continue
        attrs[key] = _text_field(label, limit, multiline, required, hint)
        data[key] = item.raw.get(key) if isinstance(item.raw.get(key), str) else ""
    if item.kind == "field":
        attrs["required"] = BooleanField(_l("必填"), description=_l("勾选后申请人必须填写（声明类问题须勾选确认）。"))
        data["required"] = item.raw.get("required") is True
    for i, option in enumerate(spec_items.inline_options(item)):
        for key, label, required in (("label", _l("选项 %(value)s（中文）", value=option["value"]), True),
                                     ("label_en", _l("选项 %(value)s（英文）", value=option["value"]), False)):
            attrs[_option_key(i, key)] = _text_field(label, OPTION_LABEL_MAX, False, required)
            data[_option_key(i, key)] = option.get(key) if isinstance(option.get(key), str) else ""
    return type("QuickEditForm", (FlaskForm,), attrs)(data=data)


def quick_edit_values(form, item):
    """{key or ("options", i, key): value} from a validated form; an empty text is None (the key goes)."""
    values = {}
    for key, *_rest in QUICK_TEXTS[item.kind]:
        if key in form:
            values[key] = form[key].data or None
    if item.kind == "field":
        values["required"] = bool(form["required"].data)
    for i, _option in enumerate(spec_items.inline_options(item)):
        for key in ("label", "label_en"):
            values[("options", i, key)] = form[_option_key(i, key)].data or None
    return values


def option_rows(form, item):
    """(option value, its Chinese label field, its English label field) for the template."""
    return [(option["value"], form[_option_key(i, "label")], form[_option_key(i, "label_en")])
            for i, option in enumerate(spec_items.inline_options(item))]
