"""One value of a YAML text changed in place: the rest of the text as it was,
the value read back exactly, shapes it cannot change refused."""

import pytest
import yaml

from app.admin.yaml_edit import CannotEdit, Change, set_values

BLOCK = """\
# 规范
steps:
  - id: a            # 第一步
    label: 旧的名称   # 旁注
    help: >-
      折叠的
      说明
    required: true
    options:
      - {value: x, label: 甲, label_en: A}
      - {value: y, label: '乙''s'}
# 结尾
"""
FLOW = "fields:\n  - {id: f, type: text, label: 名称, help: 提示, max_length: 10}\n"


def test_a_plain_value_is_replaced_and_everything_else_stays():
    new = set_values(BLOCK, [Change(("steps", 0, "label"), "新的名称")])
    assert new == BLOCK.replace("label: 旧的名称", "label: 新的名称")


@pytest.mark.parametrize("value", ["true", "123", "2026-01-01", "- 列表", "a: b", "名称 #1", "null", "~", "'引号'",
                                   '"双引号"', "{x}", "[1]", "*别名", "&锚", "!标签", "%", "@", "`", "前 后",
                                   "行一\n行二", "分隔\u2028符", "全角\u3000空格", "反斜杠\\n", ""])
@pytest.mark.parametrize("text", [BLOCK, FLOW])
def test_odd_values_are_quoted_and_read_back_exactly(text, value):
    path = ("steps", 0, "label") if text is BLOCK else ("fields", 0, "label")
    new = set_values(text, [Change(path, value)])
    data = yaml.safe_load(new)
    assert data[path[0]][0]["label"] == value
    assert new.splitlines()[0] == text.splitlines()[0]


def test_a_block_scalar_becomes_a_quoted_line_and_single_quotes_stay_single():
    new = set_values(BLOCK, [Change(("steps", 0, "help"), "新的说明\n第二行"),
                             Change(("steps", 0, "options", 1, "label"), "丙's")])
    assert '    help: "新的说明\\n第二行"\n    required: true\n' in new
    assert "label: '丙''s'}" in new
    assert new.endswith("# 结尾\n")


def test_keys_are_added_after_their_neighbour_and_removed_with_their_line():
    new = set_values(BLOCK, [Change(("steps", 0, "label_en"), "New name", after=("label",)),
                             Change(("steps", 0, "help"), None),
                             Change(("steps", 0, "options", 0, "label_en"), None),
                             Change(("steps", 0, "options", 1, "label_en"), "B", after=("label",))])
    expected = (BLOCK.replace("# 旁注\n", "# 旁注\n    label_en: New name\n")
                .replace("    help: >-\n      折叠的\n      说明\n", "")
                .replace("label: 甲, label_en: A}", "label: 甲}")
                .replace("label: '乙''s'}", "label: '乙''s', label_en: B}"))
    assert new == expected


def test_flags_and_keys_in_braces():
    new = set_values(FLOW, [Change(("fields", 0, "required"), True, after=("help", "label")),
                            Change(("fields", 0, "id"), None)])
    assert new == "fields:\n  - {type: text, label: 名称, help: 提示, required: true, max_length: 10}\n"
    assert set_values("a: {x: 1, y: 2}", [Change(("a", "y"), None)]) == "a: {x: 1}"
    assert set_values("a: 1\nb: 2", [Change(("b",), None)]) == "a: 1"


def test_shapes_it_does_not_change_are_refused():
    with pytest.raises(CannotEdit) as refused:
        set_values(BLOCK, [Change(("steps", 0, "options"), "甲")])  # a list, not a text
    assert refused.value.line == 10
    with pytest.raises(CannotEdit):
        set_values(BLOCK, [Change(("steps", 0, "id"), None)])  # `- id:` opens the list item
    with pytest.raises(CannotEdit):
        set_values("a:\n  label:\n", [Change(("a", "label"), "x")])  # an empty value has no characters to replace
    with pytest.raises(CannotEdit):
        set_values("a: {x: 1 # 注\n   , y: 2}\n", [Change(("a", "y"), None)])  # the comment would go too
