"""The default authority rules, every boundary and the rule order. Pure
functions: no Flask app is involved."""

import shutil

import pytest

from app.rules import service as rules
from app.specs import service as specs

SPEC = specs.check_file(specs.SPEC_DIR / "enterprise_investment.yaml")

BASE = {"ownership": "domestic", "construction_nature": "renovation", "location_scope": "within_district",
        "industrial_policy": "encouraged", "overcapacity_industry": False, "catalogue_item": "none",
        "gov_investment": False, "new_land": False, "energy_tce": 100, "electricity_wan_kwh": 10,
        "eia_category": "none"}


def outcome(spec=SPEC, **changes):
    answers, _ = rules.from_json(spec, {**BASE, **changes})
    return rules.evaluate(spec, answers).outcome


def test_plain_district_filing():
    o = outcome()
    assert (o.filing_type, o.level, o.escalated, o.energy_review, o.sms) == ("filing", "district", False,
                                                                            "commitment", False)


@pytest.mark.parametrize("changes", [
    {"industrial_policy": "eliminated"},
    {"industrial_policy": "eliminated", "construction_nature": "renovation"},
    {"industrial_policy": "restricted", "construction_nature": "new"},
    {"industrial_policy": "restricted", "construction_nature": "expansion"},
    {"overcapacity_industry": True, "construction_nature": "new"},
    {"overcapacity_industry": True, "construction_nature": "expansion"},
    {"ownership": "foreign", "negative_list": "prohibited", "total_investment_usd_wan": 10},
])
def test_r1_rejects(changes):
    o = outcome(**changes)
    assert (o.filing_type, o.level, o.sms, o.energy_review, o.materials) == ("rejected", None, True, None, [])
    assert o.matched[0]["rule"] == "R1" and "【" not in o.reasons[0]


@pytest.mark.parametrize("changes", [
    {"industrial_policy": "restricted", "construction_nature": "renovation"},
    {"overcapacity_industry": True, "construction_nature": "relocation"},
])
def test_upgrading_existing_capacity_is_allowed(changes):
    assert outcome(**changes).filing_type == "filing"


@pytest.mark.parametrize(("budget", "escalated"), [("district", False), ("city", True), ("province", True)])
def test_r2_government_investment_is_examined_at_the_budget_level(budget, escalated):
    o = outcome(gov_investment=True, gov_budget_level=budget)
    assert (o.filing_type, o.level, o.escalated) == ("examination", budget, escalated)
    assert "project_proposal" in [m.id for m in o.materials]


@pytest.mark.parametrize(("usd", "level"), [(29999.99, "province"), (30000, "national"), (30000.01, "national")])
def test_r3_restricted_foreign_project_boundary(usd, level):
    o = outcome(ownership="foreign", negative_list="restricted", total_investment_usd_wan=usd)
    assert (o.filing_type, o.level, o.escalated, o.sms) == ("approval", level, True, True)
    assert "application_report" in [m.id for m in o.materials]


@pytest.mark.parametrize(("item", "level"), [
    ("nuclear_power", "state_council"), ("thermal_power", "province"), ("captive_power", "province"),
    ("land_reclamation", "province"), ("wind_power", "city"), ("heat_power", "city"),
])
def test_r4_catalogue_items(item, level):
    o = outcome(catalogue_item=item)
    assert (o.filing_type, o.level, o.escalated) == ("approval", level, True)


@pytest.mark.parametrize(("scope", "level", "escalated"), [
    ("within_district", "district", False), ("cross_district", "city", True), ("cross_city", "province", True),
])
def test_r5_filing_by_location(scope, level, escalated):
    o = outcome(location_scope=scope)
    assert (o.filing_type, o.level, o.escalated, o.sms) == ("filing", level, escalated, escalated)


@pytest.mark.parametrize(("tce", "kwh", "review"), [
    (999.99, 499.99, "commitment"), (1000, 0, "district"), (0, 500, "district"), (4999.99, 0, "district"),
    (5000, 0, "city"), (9999.99, 0, "city"), (10000, 0, "province"), (20000, 10000, "province"),
])
def test_energy_review_boundaries(tce, kwh, review):
    answers, _ = rules.from_json(SPEC, {**BASE, "energy_tce": tce, "electricity_wan_kwh": kwh})
    evaluation = rules.evaluate(SPEC, answers)
    o = evaluation.outcome
    assert o.energy_review == review
    # Below the thresholds the enterprise commits online; above, the review opinion is due before construction.
    assert ("energy_commitment" in evaluation.resolved.fields) == (review == "commitment")
    report = [m for m in o.materials if m.id == "energy_report"]
    assert bool(report) == (review != "commitment")
    assert all(m.stage == "before_construction" for m in report)
    # Above the district, the energy review alone is a reason to tell the applicant.
    assert o.sms == (review in ("city", "province"))


def test_rule_order_prohibited_government_project_is_rejected():
    o = outcome(gov_investment=True, gov_budget_level="district", ownership="foreign", negative_list="prohibited")
    assert o.filing_type == "rejected"


def test_rule_order_restricted_foreign_cross_city_project_needs_approval():
    o = outcome(ownership="foreign", negative_list="restricted", total_investment_usd_wan=100,
                location_scope="cross_city")
    assert (o.filing_type, o.level) == ("approval", "province")
    assert [m["rule"] for m in o.matched] == ["R3", "E4"]


def test_government_project_on_the_catalogue_is_examined_not_approved():
    assert outcome(gov_investment=True, gov_budget_level="city", catalogue_item="wind_power").filing_type == \
        "examination"


def test_domestic_enterprise_ignores_the_foreign_negative_list():
    # Hidden means gone: negative_list sits on the foreign step.
    assert outcome(ownership="domestic", negative_list="prohibited").filing_type == "filing"


def test_reasons_state_the_answers_without_rule_ids():
    o = outcome(ownership="foreign", negative_list="restricted", total_investment_usd_wan=35000)
    assert o.matched[0]["rule"] == "R3" and o.reasons[0].startswith("项目属于外商投资准入负面清单限制类")
    assert "35,000.00 万美元" in o.reasons[0]
    assert "国家发展和改革委员会" in o.level_office
    assert o.matched[0] == {"kind": "authority", "rule": "R3", "inputs": {"negative_list": "restricted",
                                                                          "total_investment_usd_wan": "35000.00"}}


@pytest.mark.parametrize(("changes", "expected"), [
    # A 备案 asks for nothing on paper at filing (Order 673 Art. 13); what the law asks
    # for before construction is listed with its stage.
    ({}, []),
    ({"new_land": True}, ["land_site_opinion"]),
    ({"eia_category": "report"}, ["eia_report_approval"]),
    ({"eia_category": "report_form"}, ["eia_form_approval"]),
    ({"eia_category": "registration"}, ["eia_registration"]),
    ({"catalogue_item": "captive_power"}, ["application_report", "business_license"]),
    ({"catalogue_item": "captive_power", "new_land": True},
     ["application_report", "approval_land_opinion", "business_license"]),
    ({"gov_investment": True, "gov_budget_level": "district"}, ["business_license", "project_proposal"]),
])
def test_materials_are_additive(changes, expected):
    assert [m.id for m in outcome(**changes).materials] == expected


def test_a_filing_needs_no_material_at_filing():
    o = outcome(new_land=True, eia_category="report", energy_tce=5000)
    assert o.filing_type == "filing" and o.materials
    assert not [m.id for m in o.materials if m.needed_now]


def test_every_material_names_its_legal_basis_and_stage():
    for material in SPEC.materials:
        assert material.legal_basis and material.stage_given, material.id
        assert material.stage in ("filing", "before_construction")
        assert not material.deferrable or material.deferral, material.id


def test_an_over_capacity_expansion_with_a_swap_plan_may_be_filed():
    refused = outcome(overcapacity_industry=True, construction_nature="expansion", capacity_swap=False)
    assert refused.filing_type == "rejected" and "产能置换" in refused.reasons[0]
    swapped = outcome(overcapacity_industry=True, construction_nature="expansion", capacity_swap=True)
    assert swapped.filing_type == "filing"
    assert [m.id for m in swapped.materials if m.needed_now] == ["capacity_swap_plan"]


@pytest.mark.parametrize(("item", "level"), [
    ("nuclear_power", "state_council"), ("captive_power", "province"), ("thermal_power", "province"),
    ("land_reclamation", "province"), ("wind_power", "city"),
])
def test_the_catalogue_list_names_the_deciding_level(item, level):
    o = outcome(catalogue_item=item)
    assert (o.filing_type, o.level) == ("approval", level)


def test_every_catalogue_item_routes_to_a_known_level():
    field = SPEC.fields["catalogue_item"]
    items = [o for o in field.options if o["value"] in field.choosable and o["value"] != "none"]
    assert len(items) > 50
    for item in items:
        o = outcome(catalogue_item=item["value"])
        assert (o.filing_type, o.level) == ("approval", item["level"]), item["value"]


def test_every_material_carries_its_reason():
    for need in outcome(new_land=True, eia_category="report").materials:
        assert need.reason


def test_golden_examples_pass():
    for example in SPEC.examples:
        assert rules.run_example(SPEC, example) == [], example["name"]


def test_site_level_is_a_setting():
    answers, _ = rules.from_json(SPEC, {**BASE, "location_scope": "cross_district"})
    assert rules.evaluate(SPEC, answers, site_level="city").outcome.escalated is False
    assert rules.evaluate(SPEC, answers, site_level="district").outcome.escalated is True


def test_changing_a_threshold_in_a_spec_copy_changes_the_outcome(tmp_path):
    """Policy is data: a copy of the spec with another threshold decides differently, no code change."""
    shutil.copytree(specs.SPEC_DIR / "lists", tmp_path / "lists")
    text = (specs.SPEC_DIR / "enterprise_investment.yaml").read_text(encoding="utf-8")
    changed = text.replace("(total_investment_usd_wan or 0) >= 30000", "(total_investment_usd_wan or 0) >= 10000")
    changed = changed.replace("when: (energy_tce or 0) >= 1000 or", "when: (energy_tce or 0) >= 800 or")
    assert changed != text
    (tmp_path / "copy.yaml").write_text(changed, encoding="utf-8")
    copy = specs.check_file(tmp_path / "copy.yaml")
    foreign = {"ownership": "foreign", "negative_list": "restricted", "total_investment_usd_wan": 15000}
    assert outcome(**foreign).level == "province"
    assert outcome(copy, **foreign).level == "national"
    assert outcome(energy_tce=900).energy_review == "commitment"
    assert outcome(copy, energy_tce=900).energy_review == "district"


def test_a_half_filled_application_has_no_outcome_errors():
    answers, _ = rules.from_json(SPEC, {"ownership": "domestic"})
    o = rules.evaluate(SPEC, answers).outcome
    assert o.filing_type == "filing"  # R5 applies until something says otherwise
