"""What changed between two sets of answers (cases.diff), and which notes of a
return the change answered (cases.answered_notes): pure, on the default spec."""

from app.cases import service as cases
from app.rules import service as rules
from tests.support.documents import DEMO, SPEC


def answers(**changes):
    stored, unknown = rules.from_json(SPEC, {**DEMO, **changes})
    assert not unknown, unknown
    return stored


def by_field(changes):
    return {c.field_id: c for c in changes}


def test_the_same_answers_change_nothing():
    assert cases.diff(SPEC, answers(), answers()) == []


def test_a_changed_answer_is_printed_as_the_summary_prints_it():
    found = by_field(cases.diff(SPEC, answers(), answers(land_area_m2=25000)))
    area = found["land_area_m2"]
    assert (area.label, area.kind, area.before, area.after) == ("总用地面积", "changed", "20,000.00 m²", "25,000.00 m²")
    assert area.step.id == "project" and not area.computed and not area.is_table
    english = by_field(cases.diff(SPEC, answers(), answers(land_area_m2=25000), "en"))["land_area_m2"]
    assert english.label == "Total land area"


def test_a_computed_field_is_listed_and_marked():
    found = by_field(cases.diff(SPEC, answers(), answers(building_cost_wan=1300)))
    assert found["building_cost_wan"].after == "1,300.00 万元"
    total = found["total_investment_wan"]
    assert total.computed and total.kind == "changed"


def test_a_table_is_compared_row_by_row():
    products = [{"name": "智能电机", "capacity": 120000, "unit": "台"},
                {"name": "伺服驱动器", "capacity": 50000, "unit": "套"},
                {"name": "控制器", "capacity": 1000, "unit": "套"}]
    change = by_field(cases.diff(SPEC, answers(), answers(products=products)))["products"]
    assert change.is_table and change.kind == "changed"
    assert [(r.number, r.kind) for r in change.rows] == [(1, "changed"), (3, "added")]  # row 2 is the same
    first, added = change.rows
    assert first.before == "产品名称：智能电机；年产能：100,000.00；单位：台"
    assert first.after == "产品名称：智能电机；年产能：120,000.00；单位：台"
    assert (added.before, added.after) == ("", "产品名称：控制器；年产能：1,000.00；单位：套")
    assert change.after.splitlines()[2] == added.after  # the whole table as text, one line per row

    fewer = by_field(cases.diff(SPEC, answers(), answers(products=DEMO["products"][:1])))["products"]
    assert [(r.number, r.kind, r.after) for r in fewer.rows] == [(2, "removed", "")]


def test_hidden_means_gone_a_field_hidden_after_is_removed():
    # The contract number is asked for bought land only; the answer stays in the set but is hidden.
    before, after = answers(), answers(land_source="lease")
    assert after["land_contract_no"] == "3301092019A21045"
    found = by_field(cases.diff(SPEC, before, after))
    assert (found["land_source"].before, found["land_source"].after) == ("出让", "租赁")
    contract = found["land_contract_no"]
    assert (contract.kind, contract.before, contract.after) == ("removed", "3301092019A21045", "")
    back = by_field(cases.diff(SPEC, after, before))["land_contract_no"]
    assert (back.kind, back.before, back.after) == ("added", "", "3301092019A21045")
    # Hidden on both sides: no change, whatever the hidden answers say.
    assert "land_contract_no" not in by_field(cases.diff(SPEC, after, answers(land_source="lease",
                                                                               land_contract_no="X-1")))


def test_notes_are_answered_by_a_change_of_their_field_or_their_step():
    notes = {"fields": {"land_area_m2": "请核对用地面积", "project_name": "名称应与立项文件一致"},
             "steps": {"project": "请补充项目信息", "investment": "补充资金来源说明", "gone": "旧步骤"}}
    changes = cases.diff(SPEC, answers(), answers(land_area_m2=25000))
    found = {(n.kind, n.target): (n.label, n.answered) for n in cases.answered_notes(SPEC, notes, changes)}
    assert found == {
        ("field", "land_area_m2"): ("总用地面积", True),
        ("field", "project_name"): ("项目名称", False),
        ("step", "project"): ("项目基本情况", True),
        ("step", "investment"): ("投资估算与资金来源", False),
        ("step", "gone"): ("", False),  # a step the spec does not have: shown by its id
    }


def test_a_computed_change_answers_no_note():
    # The total moves with its parts; only the parts were typed (and they are on the same step here).
    changes = [c for c in cases.diff(SPEC, answers(), answers(building_cost_wan=1300)) if c.computed]
    assert changes
    notes = {"fields": {"total_investment_wan": "总投资有误"}, "steps": {"investment": "请核对"}}
    assert [n.answered for n in cases.answered_notes(SPEC, notes, changes)] == [False, False]
