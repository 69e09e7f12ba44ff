"""Specs: check files, publish immutable versions, hand out compiled specs."""

import hashlib
import json
from pathlib import Path

import yaml
from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.rules.service import example_failures
from app.specs.display import format_answer
from app.specs.loader import (
    MAX_SPEC_BYTES,
    SPEC_DIR,
    SpecInvalid,
    SpecProblem,
    compile_spec,
    list_problems,
    parse_yaml,
    resolve_lists,
    resolve_templates,
    template_dir_for,
)
from app.specs.model import Field, Spec, Step
from app.specs.models import SpecVersion, VersionStatus

__all__ = [
    "DEFAULT_SPEC_ID",
    "MAX_SPEC_BYTES",
    "SPEC_DIR",
    "Field",
    "Spec",
    "SpecInvalid",
    "SpecProblem",
    "SpecVersion",
    "Step",
    "VersionStatus",
    "check_file",
    "compiled",
    "create_draft",
    "draft_from_text",
    "export",
    "format_answer",
    "get_version",
    "list_problems",
    "live_version",
    "parse_yaml",
    "publish_draft",
    "publish_file",
    "publish_text",
    "republish",
    "retire_old",
    "save_draft",
    "version_problems",
    "versions",
    "warm_up",
]

DEFAULT_SPEC_ID = "enterprise_investment"


def _bundle_hash(source, lists, templates):
    canonical = json.dumps({"source": source, "lists": lists, "templates": templates}, ensure_ascii=False,
                           sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_file(path):
    """Compile a spec file (reading its list files). Raises SpecInvalid."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpecInvalid([SpecProblem(str(path), "", None, f"cannot read: {exc.strerror}")]) from exc
    return compile_spec(data, path.name, base_dir=path.parent)


def _read_bundle(path):
    path = Path(path)
    source = path.read_bytes()
    data, _ = parse_yaml(source, path.name)
    text = source.decode("utf-8")
    lists = resolve_lists(data if isinstance(data, dict) else {}, path.parent)
    templates = resolve_templates(data if isinstance(data, dict) else {}, template_dir_for(path.parent))
    spec = compile_spec(text, path.name, lists=lists, templates=templates)
    return spec, text, lists


def publish_file(path, user=None, note=None, site_level="district"):
    """Publish a spec file as a new version. Returns (version, created);
    publishing content identical to the live version changes nothing."""
    spec, text, lists = _read_bundle(path)
    return publish_text(spec, text, lists, user=user, note=note, site_level=site_level)


def _refuse_failing_examples(spec, site_level):
    failures = example_failures(spec, site_level)
    if failures:
        raise SpecInvalid([SpecProblem(spec.id, f"examples[{i}]", None, f"golden example '{name}' fails: "
                                       + "; ".join(diffs)) for i, name, diffs in failures])


def publish_text(spec, text, lists, user=None, note=None, site_level="district"):
    """Store a compiled spec as the new live version, unless its golden examples fail."""
    _refuse_failing_examples(spec, site_level)
    digest = _bundle_hash(text, lists, spec.templates)
    live = live_version(spec.id)
    if live is not None and live.sha256 == digest:
        return live, False
    number = (db.session.scalar(select(func.max(SpecVersion.number)).filter_by(spec_id=spec.id)) or 0) + 1
    now = utcnow()
    version = SpecVersion(
        spec_id=spec.id, number=number, status=VersionStatus.PUBLISHED, title=spec.title, source=text,
        lists=lists, templates=spec.templates, sha256=digest, created_at=now, published_at=now,
        created_by_id=user.id if user else None, published_by_id=user.id if user else None, note=note,
    )
    db.session.add(version)
    db.session.commit()
    retire_old(spec.id)
    return version, True


def live_version(spec_id=DEFAULT_SPEC_ID):
    """The newest published version: new applications start on it."""
    return db.session.scalar(
        select(SpecVersion)
        .filter_by(spec_id=spec_id, status=VersionStatus.PUBLISHED)
        .order_by(SpecVersion.published_at.desc(), SpecVersion.number.desc())
        .limit(1)
    )


def get_version(version_id):
    return db.session.get(SpecVersion, version_id)


def versions(spec_id=DEFAULT_SPEC_ID):
    return db.session.scalars(select(SpecVersion).filter_by(spec_id=spec_id).order_by(SpecVersion.number)).all()


# Compiled specs by content hash. Versions are immutable, so an entry never
# goes stale; each worker process compiles a version once.
_COMPILED = {}
_COMPILED_MAX = 32


def warm_up():
    """Compile every live spec now (about half a second each on a small
    machine), so that a fresh worker's first applicant does not wait for it."""
    spec_ids = db.session.scalars(
        select(SpecVersion.spec_id).filter_by(status=VersionStatus.PUBLISHED).distinct()
    ).all()
    for spec_id in spec_ids:
        compiled(live_version(spec_id))
    db.session.remove()


def compiled(version):
    """The compiled Spec of a stored version."""
    spec = _COMPILED.get(version.sha256)
    if spec is None:
        spec = compile_spec(version.source, f"version {version.number}", lists=version.lists,
                            templates=version.templates or {})
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[version.sha256] = spec
    return spec


# --- Drafts, publishing, rolling back, comparing, exporting -------------------

def _number_for(spec_id):
    return (db.session.scalar(select(func.max(SpecVersion.number)).filter_by(spec_id=spec_id)) or 0) + 1


def version_problems(version, site_level="district"):
    """Problems that keep a stored version (usually a draft) from being published: [] when fine."""
    try:
        spec = compile_spec(version.source, f"v{version.number}", lists=version.lists,
                            templates=version.templates or {})
        _refuse_failing_examples(spec, site_level)
    except SpecInvalid as exc:
        return exc.problems
    return []


def create_draft(source_version, user=None, note=None):
    """A new draft: a copy of `source_version` (usually the live one) to edit."""
    draft = SpecVersion(
        spec_id=source_version.spec_id, number=_number_for(source_version.spec_id), status=VersionStatus.DRAFT,
        title=source_version.title, source=source_version.source, lists=source_version.lists,
        templates=source_version.templates or {}, sha256=source_version.sha256,
        created_by_id=user.id if user else None, note=note or f"based on v{source_version.number}",
    )
    db.session.add(draft)
    db.session.commit()
    return draft


def draft_from_text(spec_id, text, user=None, note=None):
    """A new draft from an uploaded file's text (lists and templates from the live version)."""
    live = live_version(spec_id)
    draft = create_draft(live, user, note=note or "uploaded")
    save_draft(draft, text)
    return draft


def save_draft(draft, text=None, templates=None, lists=None):
    """Store new text (and/or templates) in a draft, valid or not; returns its problems.
    A draft is the admin's work in progress: nothing reads it but the admin preview."""
    if draft.status != VersionStatus.DRAFT:
        raise ValueError("only drafts can be edited")
    if text is not None:
        draft.source = text
    if templates is not None:
        draft.templates = templates
    if lists is not None:
        draft.lists = lists
    draft.sha256 = _bundle_hash(draft.source, draft.lists, draft.templates or {})
    db.session.commit()
    return version_problems(draft)


def publish_draft(draft, user=None, site_level="district"):
    """Make a valid draft the live version. Raises SpecInvalid (the live version stays)."""
    if draft.status != VersionStatus.DRAFT:
        raise ValueError("only drafts can be published")
    problems = version_problems(draft, site_level)
    if problems:
        raise SpecInvalid(problems)
    live = live_version(draft.spec_id)
    if live is not None and live.sha256 == draft.sha256:
        raise SpecInvalid([SpecProblem(draft.spec_id, "", None, "nothing changed since the live version")])
    spec = compiled(draft)
    now = utcnow()
    draft.status, draft.title, draft.published_at = VersionStatus.PUBLISHED, spec.title, now
    draft.published_by_id = user.id if user else None
    db.session.commit()
    retire_old(draft.spec_id)
    return draft


def republish(version, user=None, site_level="district"):
    """Roll back: publish an older version's content anew, as a new version."""
    copy = create_draft(version, user, note=f"rollback to v{version.number}")
    return publish_draft(copy, user, site_level)


def retire_old(spec_id):
    """Mark published versions other than the live one as retired (for the version list)."""
    live = live_version(spec_id)
    for version in versions(spec_id):
        if version.status == VersionStatus.PUBLISHED and live is not None and version.id != live.id:
            version.status = VersionStatus.RETIRED
    db.session.commit()


def export(version, directory):
    """Write a version as files: the spec, its option lists and its templates.
    `flask specs publish DIR/<spec>.yaml` reads them back to the same version."""
    directory = Path(directory)
    (directory / "lists").mkdir(parents=True, exist_ok=True)
    (directory / "doc_templates").mkdir(exist_ok=True)
    (directory / f"{version.spec_id}.yaml").write_text(version.source, encoding="utf-8")
    data, _ = parse_yaml(version.source, version.spec_id)
    for list_id, ref in (data.get("lists") or {}).items():
        if isinstance(ref, str):
            payload = {"id": list_id, "options": version.lists[list_id]}
            (directory / "lists" / ref).write_text(yaml.safe_dump(payload, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")
    for name, text in (version.templates or {}).items():
        (directory / "doc_templates" / name).write_text(text, encoding="utf-8")
    return directory / f"{version.spec_id}.yaml"
