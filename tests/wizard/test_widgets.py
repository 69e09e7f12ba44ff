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


def test_a_tree_of_options_lists_the_leaves_under_their_ancestors():
    field = _field([{"value": "none", "label": "不属于"}, {"value": "energy", "label": "能源"},
                    {"value": "hydro", "label": "水电站", "parent": "energy"}, {"value": "A", "label": "农业"}])

    html = select_options(field, "zh_CN", "hydro", grouped=True)

    # Headings are not choosable; a top-level option with no children is.
    assert html == ('<option value="none">不属于</option>'
                    '<optgroup label="能源"><option value="hydro" selected>水电站</option></optgroup>'
                    '<option value="A">农业</option>')


def test_industry_classes_are_listed_with_their_codes_under_the_full_path():
    class _Industry:
        name = "industry"

    field = Field(id="industry", type=_Industry(), label="行业", options=[
        {"value": "C", "label": "制造业"}, {"value": "38", "label": "电气机械和器材制造业", "parent": "C"},
        {"value": "381", "label": "电机制造", "parent": "38"},
        {"value": "3812", "label": "电动机制造", "parent": "381"}])

    html = select_options(field, "zh_CN", "3812", grouped=True)

    assert html == ('<optgroup label="C 制造业 › 38 电气机械和器材制造业 › 381 电机制造">'
                    '<option value="3812" selected>3812 电动机制造</option></optgroup>')


def test_every_field_type_has_an_input_macro(app):
    from app.specs import fieldtypes

    with app.app_context():
        widgets = app.jinja_env.get_template("wizard/_inputs.html").module.WIDGETS
    assert {t.widget for t in fieldtypes.registry.values()} <= set(widgets)


def test_a_field_types_input_attributes_reach_the_page(applicant, new_application):
    app_id = new_application()
    from tests.support.answers import domestic_steps
    from tests.support.wizard import walk

    walk(applicant, app_id, domestic_steps())
    page = applicant.get(f"/applications/{app_id}/steps/schedule").get_data(as_text=True)
    start = page[page.index('id="planned_start"') - 200: page.index('id="planned_start"') + 300]
    assert 'placeholder="2026-03"' in start and 'pattern="\\d{4}-\\d{1,2}"' in start
    assert 'inputmode="numeric"' in start and 'value="2027-03"' in start
    enterprise = applicant.get(f"/applications/{app_id}/steps/enterprise").get_data(as_text=True)
    assert 'type="tel"' in enterprise and 'autocomplete="tel"' in enterprise and 'type="email"' in enterprise
