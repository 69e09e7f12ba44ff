"""Evaluating a spec against answers: visibility, completeness and, later,
cross-field rules, authority and materials. No Flask here: the same code
runs in web requests, the CLI and tests."""

from app.rules.completeness import Problem, missing
from app.rules.visibility import Resolved, resolve, typed_value

__all__ = ["Problem", "Resolved", "all_problems", "resolve", "snapshot", "step_problems", "typed_value"]


def step_problems(spec, answers, step):
    """Problems that keep the applicant on `step` when they press Next."""
    resolved = resolve(spec, answers)
    return missing(resolved, step)


def all_problems(spec, answers):
    """Everything that blocks submission, in step order."""
    return missing(resolve(spec, answers))


def snapshot(spec, answers):
    """The answers a submission freezes: shown fields only, computed values included."""
    return dict(resolve(spec, answers).stored)
