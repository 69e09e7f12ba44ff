"""`flask rules evaluate`: the contract for outside checks."""

import json

import pytest

from app.specs import service as specs


@pytest.fixture
def evaluate(runner, tmp_path):
    def _run(payload, *extra):
        path = tmp_path / "answers.json"
        path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
        return runner.invoke(args=["rules", "evaluate", str(path), *extra])

    return _run


def test_prints_one_json_object(evaluate):
    result = evaluate({"ownership": "foreign", "negative_list": "restricted", "total_investment_usd_wan": 30000,
                       "location_scope": "cross_city", "energy_tce": 1000})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(data) == {"filing_type", "level", "escalated", "sms", "energy_review", "materials", "reasons"}
    assert (data["filing_type"], data["level"], data["escalated"], data["sms"], data["energy_review"]) == (
        "approval", "national", True, True, "district")
    assert "application_report" in data["materials"]


def test_uses_the_published_version_when_there_is_one(evaluate, app, runner):
    runner.invoke(args=["specs", "publish", str(specs.SPEC_DIR / "enterprise_investment.yaml")])
    data = json.loads(evaluate({"location_scope": "within_district"}).stdout)
    assert data["level"] == "district"


def test_reads_stdin(runner):
    result = runner.invoke(args=["rules", "evaluate", "-"], input='{"industrial_policy": "eliminated"}')
    assert json.loads(result.stdout)["filing_type"] == "rejected"


@pytest.mark.parametrize(("payload", "message"), [
    ("{not json", "malformed JSON"),
    ("[1, 2]", "JSON object"),
    ('"text"', "JSON object"),
    ({"ownership": "martian"}, "ownership"),
    ({"energy_tce": "a lot"}, "energy_tce"),
    ({"overcapacity_industry": "maybe"}, "overcapacity_industry"),
])
def test_bad_input_exits_2_with_a_message(evaluate, payload, message):
    result = evaluate(payload)
    assert result.exit_code == 2
    assert message in result.stderr


def test_spec_option(evaluate, tmp_path):
    result = evaluate({"location_scope": "cross_district"}, "--spec",
                      str(specs.SPEC_DIR / "enterprise_investment.yaml"))
    assert json.loads(result.stdout)["level"] == "city"
