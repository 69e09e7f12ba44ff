"""Cross-field checks of the default spec."""

import re

from app.rules import service as rules
from app.specs import service as specs

SPEC = specs.check_file(specs.SPEC_DIR / "enterprise_investment.yaml")


def problems(**answers):
    stored, _ = rules.from_json(SPEC, answers)
    return {p.rule_id: p for p in rules.evaluate(SPEC, stored).problems if p.rule_id}


def test_funding_must_add_up_to_the_total():
    bad = problems(building_cost_wan=100, equipment_cost_wan=50.5,
                   funding_sources=[{"source": "own_funds", "amount_wan": 150}])
    assert "funding_adds_up" in bad
    assert "150.50" in bad["funding_adds_up"].message and bad["funding_adds_up"].severity == "error"
    assert bad["funding_adds_up"].field_id == "funding_sources"


def test_funding_within_a_cent_is_fine():
    ok = problems(building_cost_wan=100, equipment_cost_wan=50.5,
                  funding_sources=[{"source": "own_funds", "amount_wan": 150.49}])
    assert "funding_adds_up" not in ok
    ok = problems(building_cost_wan=100, equipment_cost_wan=50.5,
                  funding_sources=[{"source": "own_funds", "amount_wan": 100},
                                   {"source": "bank_loan", "amount_wan": 50.5}])
    assert "funding_adds_up" not in ok


def test_completion_after_start():
    assert "completion_after_start" in problems(planned_start="2027-06", planned_completion="2027-06")
    assert "completion_after_start" not in problems(planned_start="2027-06", planned_completion="2027-07")


def test_new_land_within_total_land():
    assert "new_land_within_total" in problems(new_land=True, new_land_area_m2=2000, land_area_m2=1000)
    assert "new_land_within_total" not in problems(new_land=True, new_land_area_m2=1000, land_area_m2=1000)


def test_the_foreign_share_is_a_required_question_of_foreign_enterprises_only():
    # Asked (and required) where it is shown, not demanded by a cross-check behind an "optional" label.
    stored, _ = rules.from_json(SPEC, {"ownership": "foreign"})
    missing = {p.field_id for p in rules.evaluate(SPEC, stored).problems if not p.rule_id}
    assert "foreign_share" in missing
    stored, _ = rules.from_json(SPEC, {"ownership": "domestic"})
    assert "foreign_share" not in {p.field_id for p in rules.evaluate(SPEC, stored).problems}


def test_no_cross_check_requires_a_question_marked_optional():
    for rule in SPEC.rules:
        for name in re.findall(r"\b(\w+) is none\b", rule.when.source):
            spec_field = SPEC.fields.get(name)
            assert spec_field is None or spec_field.required or spec_field.computed, (rule.id, name)


def test_usd_total_positive_for_foreign_projects():
    assert "usd_total_positive" in problems(ownership="foreign", total_investment_usd_wan=0)
    assert "usd_total_positive" not in problems(ownership="foreign", total_investment_usd_wan=1)


def test_start_more_than_two_years_ahead_is_only_a_warning():
    found = problems(planned_start="2099-01")
    assert found["start_within_two_years"].severity == "warning"
