"""Hidden means gone, for the fields the real record added: a question hidden
by its controlling answer is neither stored, nor read by the rules, nor printed."""

import pytest

from app.rules import service as rules
from app.rules.visibility import resolve
from tests.support.documents import DEMO, SPEC

CASES = [
    # (field, answers that show it, answers that hide it)
    ("legal_rep_passport", {"legal_rep_id_type": "passport", "legal_rep_passport": "E12345678"},
     {"legal_rep_id_type": "resident_id", "legal_rep_passport": "E12345678"}),
    ("legal_rep_id", {"legal_rep_id_type": "resident_id"},
     {"legal_rep_id_type": "passport", "legal_rep_passport": "E12345678"}),
    ("land_contract_no", {"land_source": "transfer"}, {"land_source": "lease"}),
    ("new_land_area_m2", {"new_land": True, "new_land_area_m2": 5000}, {"new_land": False, "new_land_area_m2": 5000}),
    ("new_land_area_mu", {"new_land": True, "new_land_area_m2": 5000}, {"new_land": False, "new_land_area_m2": 5000}),
    ("capacity_swap", {"construction_nature": "new", "overcapacity_industry": True, "capacity_swap": True},
     {"construction_nature": "renovation", "overcapacity_industry": True, "capacity_swap": True}),
    ("energy_commitment", {"energy_tce": 800}, {"energy_tce": 5000}),
]


def _resolved(changes):
    answers, _ = rules.from_json(SPEC, {**DEMO, **changes})
    return resolve(SPEC, answers)


@pytest.mark.parametrize("field_id, shown, hidden", CASES, ids=[c[0] for c in CASES])
def test_a_hidden_new_field_is_gone(field_id, shown, hidden):
    assert field_id in _resolved(shown).stored
    resolved = _resolved(hidden)
    assert field_id not in resolved.stored and resolved.values.get(field_id) is None


def test_the_land_area_is_shown_in_mu_from_the_square_metres():
    resolved = _resolved({"land_area_m2": 20000, "new_land": True, "new_land_area_m2": 6666.7})
    assert (resolved.stored["land_area_mu"], resolved.stored["new_land_area_mu"]) == ("30.00", "10.00")


def test_a_hidden_capacity_swap_does_not_open_the_swap_route():
    # Renovation of an over-capacity plant is not new capacity: the swap question is not asked,
    # and an answer left from before does not add the swap plan to the materials.
    def materials(changes):
        return [m.id for m in rules.evaluate(SPEC, rules.from_json(SPEC, {**DEMO, **changes})[0]).outcome.materials]

    _, shown, hidden = CASES[5]
    assert "capacity_swap_plan" in materials(shown) and "capacity_swap_plan" not in materials(hidden)
