"""The publish gate. A version goes live only when its spec compiles, its
templates compile against it, its golden examples hold and every document
renders for every golden example. The verdict depends on the content alone,
so it is kept per content hash: the editor, `flask specs check` and publish
ask as often as they like and the work is done once."""

from dataclasses import dataclass, field

from app.cases import service as cases
from app.documents import service as documents
from app.lang.service import SpecInvalid, SpecProblem
from app.rules import service as rules
from app.specs import service as specs

_VERDICTS = {}
_VERDICTS_MAX = 64


@dataclass
class Verdict:
    problems: list  # SpecProblems; empty when the version may go live
    examples: list = field(default_factory=list)  # [(name, differences)] of every golden example
    spec: object = None  # the compiled spec, when it compiles


def _differences(run, *args):
    """What an example run finds wrong ([] = it holds); answers the spec cannot read are wrong too."""
    try:
        return run(*args)
    except rules.AnswerError as exc:
        return [f"bad answers: {exc}"]


def _examples(spec, site_level):
    results, problems = [], []
    for index, example in enumerate(spec.examples):
        differences = _differences(rules.run_example, spec, example, site_level)
        results.append((example["name"], differences))
        if differences:
            problems.append(SpecProblem(spec.id, f"examples[{index}]", None,
                                        f"golden example '{example['name']}' fails: " + "; ".join(differences)))
            continue
        answers, _ = rules.from_json(spec, example["answers"])
        data = cases.sample_data(spec, answers, site_level)
        try:
            documents.laid_out(spec, data)
            for action in cases.DECISIONS:  # the official documents each decision would issue
                issued_spec = documents.issued_for(spec, data, action)
                if issued_spec is not None:
                    decision, verification = cases.sample_decision(spec, data, action, site_level)
                    documents.issued_model(spec, data, issued_spec, decision, verification)
        except documents.DocumentError as exc:
            problems.append(SpecProblem(spec.id, f"examples[{index}]", None,
                                        f"a document fails for golden example '{example['name']}': {exc}"))
    for index, example in enumerate(spec.changes.examples if spec.changes else []):  # 备案变更
        differences = _differences(rules.run_change_example, spec, example)
        results.append((example["name"], differences))
        if differences:
            problems.append(SpecProblem(spec.id, f"changes.examples[{index}]", None,
                                        f"change example '{example['name']}' fails: " + "; ".join(differences)))
    return results, problems


def _material_problems(spec):
    """四个一律取消： a material no law asks for is not asked. Versions stored before
    these keys existed still load (a case in flight keeps its spec); a new one
    cannot go live without them."""
    problems = []
    for index, material in enumerate(spec.materials):
        where = f"materials[{index}]"
        if not material.legal_basis:
            problems.append(SpecProblem(spec.id, where, None, f"material '{material.id}' names no legal_basis: "
                                        "cite the law that asks for it"))
        if material.stage_given is False:
            problems.append(SpecProblem(spec.id, where, None, f"material '{material.id}' has no stage "
                                        "(filing or before_construction)"))
        if material.deferrable and not material.deferral:
            problems.append(SpecProblem(spec.id, where, None, f"material '{material.id}' is deferrable without a "
                                        "deadline: use deferrable: {working_days: N} or {before: construction}"))
    return problems


def _judge(compile_spec, site_level):
    try:
        spec = compile_spec()
    except SpecInvalid as exc:
        return Verdict(exc.problems)
    problems = _material_problems(spec) or documents.template_problems(spec)
    if problems:
        return Verdict(problems, spec=spec)
    examples, failures = _examples(spec, site_level)
    return Verdict(failures, examples, spec)


def _cached(key, compile_spec, site_level):
    verdict = _VERDICTS.get((key, site_level))
    if verdict is None:
        verdict = _judge(compile_spec, site_level)
        if len(_VERDICTS) >= _VERDICTS_MAX:
            _VERDICTS.pop(next(iter(_VERDICTS)))
        _VERDICTS[(key, site_level)] = verdict
    return verdict


def judge_version(version, site_level):
    """The gate's verdict on a stored version (usually a draft)."""
    return _cached(version.sha256, lambda: specs.compiled(version), site_level)


def judge_file(path, site_level):
    """(verdict, text, lists) for a spec file with its lists and templates."""
    try:
        spec, text, lists = specs.read_bundle(path)
    except SpecInvalid as exc:
        return Verdict(exc.problems), None, None
    verdict = _cached(specs.bundle_hash(text, lists, spec.templates), lambda: spec, site_level)
    return verdict, text, lists


def publish_file(path, site_level, user=None, note=None):
    """Publish a spec file as a new version: (version, created). Raises SpecInvalid."""
    verdict, text, lists = judge_file(path, site_level)
    if verdict.problems:
        raise SpecInvalid(verdict.problems)
    return specs.store_published(verdict.spec, text, lists, user=user, note=note)


def publish_draft(draft, site_level, user=None, note=None):
    """Make a draft the live version; `note` (why) replaces the draft's note in
    the version list. Raises SpecInvalid (the live version and the draft stay)."""
    verdict = judge_version(draft, site_level)
    if verdict.problems:
        raise SpecInvalid(verdict.problems)
    previous, draft.note = draft.note, note or draft.note
    try:
        return specs.mark_published(draft, user)
    except SpecInvalid:
        draft.note = previous
        raise


def republish(version, site_level, user=None, note=None):
    """Roll back: publish an older version's content anew, as a new version."""
    copy = specs.create_draft(version, user, note=note or f"rollback to v{version.number}")
    return publish_draft(copy, site_level, user)
