"""Pre-rendered <option> lists: the same HTML the template loop produced."""

from app.specs.model import Field
from app.wizard.widgets import select_options


class _Select:
    name = "select"


def _field(options):
    return Field(id="f", type=_Select(), label="F", options=options)


def test_marks_only_the_current_value_selected_and_escapes_text():
    field = _field([{"value": "a", "label": "甲 <b>"}, {"value": 'b"', "label": "乙", "label_en": "B & co"}])

    html = select_options(field, "zh_CN", "a")

    assert html == ('<option value="a" selected>甲 &lt;b&gt;</option>'
                    '<option value="b&#34;">乙</option>')
    assert select_options(field, "en", 'b"') == ('<option value="a">甲 &lt;b&gt;</option>'
                                                   '<option value="b&#34;" selected>B &amp; co</option>')
    assert "selected" not in select_options(field, "zh_CN", None)


def test_grouped_options_put_divisions_under_their_section():
    field = _field([{"value": "C", "label": "制造业"}, {"value": "38", "label": "电气机械", "parent": "C"},
                    {"value": "A", "label": "农业"}])

    html = select_options(field, "zh_CN", "38", grouped=True)

    assert html == ('<optgroup label="C 制造业"><option value="38" selected>38 电气机械</option></optgroup>'
                    '<optgroup label="A 农业"></optgroup>')
