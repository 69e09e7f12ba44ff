"""Evaluating a spec against answers: visibility, completeness, cross-field
checks, the authority outcome and the materials checklist. No Flask here:
the same code runs in web requests, the CLI, golden examples and tests."""

from app.rules.answers import AnswerError, from_json
from app.rules.checks import cross_field
from app.rules.completeness import Problem, missing
from app.rules.outcome import MaterialNeed, Outcome, decide
from app.rules.visibility import Resolved, resolve, typed_value

__all__ = [
    "AnswerError", "MaterialNeed", "Outcome", "Problem", "Resolved", "all_problems", "evaluate",
    "example_failures", "from_json", "outcome", "resolve", "run_example", "snapshot", "step_problems",
    "typed_value",
]


def step_problems(spec, answers, step, lang="zh_CN", resolved=None):
    """Problems on `step` (missing answers first, then cross-field checks).
    Pass `resolved` when the caller already resolved these answers."""
    resolved = resolve(spec, answers) if resolved is None else resolved
    return missing(resolved, step) + cross_field(spec, resolved, step, lang)


def all_problems(spec, answers, lang="zh_CN"):
    """Everything to fix before submitting (errors) or to note (warnings), in step order."""
    resolved = resolve(spec, answers)
    order = {s.id: i for i, s in enumerate(spec.steps)}
    problems = missing(resolved) + cross_field(spec, resolved, None, lang)
    return sorted(problems, key=lambda p: order.get(p.step_id, len(order)))


def outcome(spec, answers, site_level="district", lang="zh_CN", resolved=None):
    """The authority outcome alone (no completeness or cross-field checks)."""
    return decide(spec, resolve(spec, answers) if resolved is None else resolved, site_level, lang)


def evaluate(spec, answers, site_level="district", lang="zh_CN", resolved=None):
    """(resolved, outcome, problems) in one pass over the answers (`resolved`:
    the caller's resolve of these same answers, to skip a second walk)."""
    resolved = resolve(spec, answers) if resolved is None else resolved
    problems = missing(resolved) + cross_field(spec, resolved, None, lang)
    return resolved, decide(spec, resolved, site_level, lang), problems


def snapshot(spec, answers):
    """The answers a submission freezes: shown fields only, computed values included."""
    return dict(resolve(spec, answers).stored)


def run_example(spec, example, site_level="district"):
    """Differences between a golden example's expectation and what the rules say ([] = pass)."""
    answers, _ = from_json(spec, example["answers"])
    _, result, problems = evaluate(spec, answers, site_level)
    actual = {**result.to_json(), "errors": sorted(p.rule_id for p in problems if p.rule_id and
                                                    p.severity == "error")}
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
