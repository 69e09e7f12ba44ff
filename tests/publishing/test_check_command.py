"""`flask specs check` on the default spec and on broken copies of it."""

import shutil

import pytest

from app.specs import service as specs
from tests.support.spec_copies import spec_copy

DEFAULT = specs.SPEC_DIR / "enterprise_investment.yaml"


@pytest.fixture
def broken(tmp_path):
    """Copy the default spec (and its lists) and apply one edit to the copy."""
    shutil.copytree(specs.SPEC_DIR / "lists", tmp_path / "lists")

    def _make(old, new):
        text = DEFAULT.read_text(encoding="utf-8")
        assert old in text, old
        path = tmp_path / "broken.yaml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return str(path)

    return _make


def _line_of(path, needle):
    from pathlib import Path

    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_default_spec_passes(runner):
    result = runner.invoke(args=["specs", "check", str(DEFAULT)])
    assert result.exit_code == 0, result.output
    assert "ok — enterprise_investment: 8 steps" in result.output


def test_yaml_syntax_error(runner, broken):
    path = broken("  - id: project\n    title: 项目基本情况", "  - id: project\n    title: [项目基本情况")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "YAML" in result.output


def test_unknown_field_type(runner, broken):
    path = broken("type: credit_code", "type: credit_card")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    line = _line_of(path, "type: credit_card")
    assert f"{path}:{line}: steps[0].fields[1].type: unknown field type 'credit_card'" in result.output


def test_expression_naming_an_unknown_field(runner, broken):
    path = broken("show_if: new_land}", "show_if: new_lnad}")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    line = _line_of(path, "new_lnad")
    assert f"{path}:{line}: steps[1].fields[" in result.output and "new_lnad" in result.output


def test_show_if_on_a_later_steps_field(runner, broken):
    path = broken("show_if: ownership != 'domestic'\n    intro: 外商",
                  "show_if: gov_investment\n    intro: 外商")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    assert "steps[3].show_if" in result.output and "gov_investment" in result.output


def test_duplicate_field_id(runner, broken):
    path = broken("{id: contact_email, type: email", "{id: contact_name, type: email")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    assert "duplicate field id 'contact_name'" in result.output


@pytest.mark.parametrize("attack", ["().__class__", "ownership.__class__.__mro__", "lipsum.__globals__",
                                    "ownership['__class__']", "[].mro"])
def test_attribute_tricks_are_load_errors(runner, broken, attack):
    path = broken("show_if: new_land}", f'show_if: "{attack}"}}')
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    assert "not allowed" in result.output or "unknown" in result.output


def test_unknown_option_list(runner, broken):
    path = broken("options: towns}", "options: villages}")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    assert "unknown option list 'villages'" in result.output


def test_unknown_key_is_reported_with_its_line(runner, broken):
    path = broken("    title: 建设进度\n", "    title: 建设进度\n    colour: blue\n")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    assert "unknown key" in result.output and "colour" in result.output


def test_alias_bomb_is_refused(runner, tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb)
    result = runner.invoke(args=["specs", "check", str(path)])
    assert result.exit_code == 1
    assert "anchors and aliases" in result.output


def test_oversized_spec_is_refused(runner, tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("id: x\n" + "# padding\n" * 60_000)
    result = runner.invoke(args=["specs", "check", str(path)])
    assert result.exit_code == 1
    assert "larger than" in result.output


def test_binary_file_is_refused(runner, tmp_path):
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\x7fELF\x00\x00\x01")
    result = runner.invoke(args=["specs", "check", str(path)])
    assert result.exit_code == 1
    assert "binary" in result.output


def test_check_without_paths_checks_every_spec(runner):
    result = runner.invoke(args=["specs", "check"])
    assert result.exit_code == 0
    assert "enterprise_investment" in result.output


def test_publish_is_a_no_op_when_unchanged(runner, app, broken):
    first = runner.invoke(args=["specs", "publish", str(DEFAULT)])
    assert "published as version 1" in first.output
    again = runner.invoke(args=["specs", "publish", str(DEFAULT)])
    assert "unchanged, live is version 1" in again.output
    changed = broken("title: 建设进度", "title: 建设进度安排")
    result = runner.invoke(args=["specs", "publish", changed])
    assert "published as version 2" in result.output
    bad = broken("type: credit_code", "type: nope")
    result = runner.invoke(args=["specs", "publish", bad])
    assert result.exit_code == 1
    with app.app_context():
        assert specs.live_version().number == 2  # the broken file did not replace it


def test_publish_refuses_a_spec_whose_golden_examples_fail(runner, app, broken):
    runner.invoke(args=["specs", "publish", str(DEFAULT)])
    failing = broken("expect: {filing_type: filing, level: district, escalated: false",
                     "expect: {filing_type: filing, level: city, escalated: false")
    result = runner.invoke(args=["specs", "publish", failing])
    assert result.exit_code == 1
    assert "golden example" in result.output and "refused" in result.output
    with app.app_context():
        assert specs.live_version().number == 1


def test_a_problem_in_a_list_file_names_that_file(runner, tmp_path):
    (tmp_path / "lists").mkdir()
    for name in ("industry.yaml", "xiaoshan_towns.yaml"):
        (tmp_path / "lists" / name).write_text("id: x\noptions:\n  - {value: a}\n", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(DEFAULT.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(args=["specs", "check", str(tmp_path / "spec.yaml")])
    assert result.exit_code == 1
    assert "lists/industry.yaml:3: options[0]" in result.output


def test_computed_value_only_on_numbers(runner, broken):
    path = broken("      - id: total_investment_wan\n        type: decimal",
                  "      - id: total_investment_wan\n        type: text")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    assert "only integer and decimal fields can be computed" in result.output


@pytest.mark.parametrize("text", ["id: x\nsteps: " + "[" * 3000 + "]" * 3000 + "\n",
                                  "id: x\nsteps:\n" + "".join("  " * i + "- a:\n" for i in range(1, 300)),
                                  "id: x\nsteps: " + "{a: " * 200 + "1" + "}" * 200 + "\n"],
                         ids=["flow-lists", "block-nesting", "flow-mappings"])
def test_deeply_nested_yaml_is_a_problem_line_not_a_crash(runner, tmp_path, text):
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    result = runner.invoke(args=["specs", "check", str(path)])
    assert result.exit_code == 1
    assert "nested more than 40 levels deep" in result.output
    assert "Traceback" not in result.output


def test_a_renamed_contract_field_is_an_error_naming_the_case_index_entry(runner, broken):
    path = broken("- {id: town, type: select,", "- {id: township, type: select,")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    line = _line_of(path, "  town: town")
    assert f"{path}:{line}: case_index.town: the spec has no field 'town'" in result.output


def test_a_contract_field_of_the_wrong_type_is_an_error(runner, broken):
    path = broken("  industry: industry\n", "  industry: town\n")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    assert "case_index.industry: field 'town' is a select field; it must be one of: industry" in result.output


def test_a_spec_without_a_case_index_is_refused(runner, broken):
    path = broken("case_index:\n", "case_index_missing:\n")
    result = runner.invoke(args=["specs", "check", path])
    assert result.exit_code == 1
    assert "'case_index' is a required property" in result.output


def test_a_template_failing_on_a_golden_example_is_refused(runner, tmp_path):
    # `answers.products[5]` exists only when there are six products: the first golden example has none.
    path = spec_copy(tmp_path, template_edits={"receipt.yaml": [(
        '  - paragraph: "{{ answers.enterprise_name }}:"', '  - paragraph: "{{ raw.products[5].name }}:"')]})
    result = runner.invoke(args=["specs", "check", str(path)])
    assert result.exit_code == 1
    assert "a document fails for golden example" in result.output


@pytest.mark.parametrize("seal_block", ["", '  - seal: x\n    if: raw.new_land\n'])
def test_an_official_document_without_its_seal_is_refused(runner, tmp_path, seal_block):
    # Without the seal block there is nowhere to seal it: it would be issued unsealed (or, behind an
    # `if:`, unsealed for some cases only).
    notice = (specs.SPEC_DIR.parent / "doc_templates" / "non_acceptance_notice.yaml").read_text(encoding="utf-8")
    seal = notice[notice.index("  - seal:"):]
    path = spec_copy(tmp_path, template_edits={"non_acceptance_notice.yaml": [(seal, seal_block)]})
    result = runner.invoke(args=["specs", "check", str(path)])
    assert result.exit_code == 1
    assert "'non_acceptance_notice' must lay out exactly one seal block" in result.output


@pytest.mark.parametrize("edit, message", [
    (("    legal_basis: 《企业投资项目核准和备案管理条例》第六条；《企业投资项目核准和备案管理办法》"
      "（国家发展改革委令第2号）第二十一条\n", ""),
     "material 'application_report' names no legal_basis: cite the law that asks for it"),
    (("    stage: filing\n    form: original\n    copies: 2\n", "    form: original\n    copies: 2\n"),
     "material 'application_report' has no stage (filing or before_construction)"),
])
def test_a_material_without_a_legal_basis_or_a_stage_is_refused(runner, broken, edit, message):
    # 四个一律取消： a material no law asks for may not be asked for.
    result = runner.invoke(args=["specs", "check", broken(*edit)])
    assert result.exit_code == 1
    assert message in result.output


def test_a_grid_row_that_does_not_fill_the_grid_is_refused(runner, tmp_path):
    path = spec_copy(tmp_path, template_edits={"receipt.yaml": [(
        '{label: 承诺办结时限}, {text: "自受理之日起{{ application.time_limit_days }}个工作日", span: 3}',
        '{label: 承诺办结时限}, {text: "自受理之日起{{ application.time_limit_days }}个工作日", span: 2}')]})
    result = runner.invoke(args=["specs", "check", str(path)])
    assert result.exit_code == 1
    assert "row 5: the cells span 3 columns, the grid has 4" in result.output
