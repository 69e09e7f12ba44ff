"""The rules' public face. Evaluating a spec against answers: visibility,
completeness, cross-field checks, the authority outcome and the materials
needed, as one lazy Evaluation. No Flask here: the same code runs in web
requests, background jobs, the CLI, golden examples and tests."""

from app.rules.amendment import CHANGE, NEW_FILING, NOT_NEEDED, ChangeVerdict, Move, run_change_example
from app.rules.amendment import judge as judge_change
from app.rules.answers import AnswerError, from_json
from app.rules.completeness import Problem
from app.rules.evaluation import Evaluation, SummaryItem, SummaryStep
from app.rules.outcome import MaterialNeed, Outcome
from app.rules.questions import deciding_fields
from app.rules.visibility import Resolved, resolve, typed_value

__all__ = [
    "CHANGE",
    "NEW_FILING",
    "NOT_NEEDED",
    "AnswerError",
    "ChangeVerdict",
    "Evaluation",
    "MaterialNeed",
    "Move",
    "Outcome",
    "Problem",
    "Resolved",
    "SummaryItem",
    "SummaryStep",
    "deciding_fields",
    "evaluate",
    "example_failures",
    "from_json",
    "judge_change",
    "resolve",
    "run_change_example",
    "run_example",
    "typed_value",
]


def evaluate(spec, answers, site_level="district", lang="zh_CN"):
    """The Evaluation of `answers` (stored values); nothing is computed until it is read."""
    return Evaluation(spec, answers, site_level, lang)


def run_example(spec, example, site_level="district"):
    """Differences between a golden example's expectation and what the rules say ([] = pass)."""
    answers, _ = from_json(spec, example["answers"])
    evaluation = evaluate(spec, answers, site_level)
    actual = {**evaluation.outcome.to_json(),
              "errors": sorted(p.rule_id for p in evaluation.errors if p.rule_id)}
    differences = []
    for key, expected in (example.get("expect") or {}).items():
        got = actual.get(key)
        if key in ("materials", "errors"):
            expected, got = sorted(expected), sorted(got or [])
        if got != expected:
            differences.append(f"{key}: expected {expected!r}, got {got!r}")
    return differences


def example_failures(spec, site_level="district"):
    """[(index, name, differences)] for every golden example that does not hold."""
    failures = []
    for index, example in enumerate(spec.examples):
        try:
            differences = run_example(spec, example, site_level)
        except AnswerError as exc:
            differences = [f"bad answers: {exc}"]
        if differences:
            failures.append((index, example["name"], differences))
    return failures

