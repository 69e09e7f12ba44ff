"""Specs: compile files, store immutable versions, hand out compiled specs.

Whether a version may go live (its templates and golden examples included) is
the publish gate's decision (app/publishing); this module only stores what the
gate let through."""

import hashlib
import json
from pathlib import Path

import yaml
from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.lang.service import MAX_SPEC_BYTES, SpecInvalid, SpecProblem, parse_yaml
from app.specs.fieldtypes import FieldValueError
from app.specs.fieldtypes.table import TableErrors
from app.specs.loader import (
    SPEC_DIR,
    compile_spec,
    list_problems,
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
    "FieldValueError",
    "Spec",
    "SpecInvalid",
    "SpecProblem",
    "SpecVersion",
    "Step",
    "TableErrors",
    "VersionStatus",
    "bundle_hash",
    "check_file",
    "compiled",
    "create_draft",
    "draft_from_text",
    "export",
    "get_version",
    "list_problems",
    "live_version",
    "live_versions",
    "mark_published",
    "parse_yaml",
    "read_bundle",
    "retire_old",
    "save_draft",
    "store_published",
    "versions",
]

DEFAULT_SPEC_ID = "enterprise_investment"


def bundle_hash(source, lists, templates):
    """The content hash of a version: spec text, option lists and templates."""
    canonical = json.dumps({"source": source, "lists": lists, "templates": templates}, ensure_ascii=False,
                           sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_file(path):
    """Compile a spec file (reading its list files and templates). Raises SpecInvalid."""
    return read_bundle(path)[0]


def read_bundle(path):
    """(spec, text, lists) of a spec file with its list files and templates (exported
    beside it, or the repository's). Raises SpecInvalid; compiled once per content."""
    path = Path(path)
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise SpecInvalid([SpecProblem(str(path), "", None, f"cannot read: {exc.strerror}")]) from exc
    data, _ = parse_yaml(source, path.name)
    text = source.decode("utf-8")
    data = data if isinstance(data, dict) else {}
    lists = resolve_lists(data, path.parent)
    templates = resolve_templates(data, template_dir_for(path.parent))
    return _compiled_bundle(text, lists, templates, path.name), text, lists


def store_published(spec, text, lists, user=None, note=None):
    """Store a compiled spec as the new live version. Returns (version, created);
    content identical to the live version changes nothing. Callers: the publish gate."""
    digest = bundle_hash(text, lists, spec.templates)
    live = live_version(spec.id)
    if live is not None and live.sha256 == digest:
        return live, False
    number = _number_for(spec.id)
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


def _number_for(spec_id):
    return (db.session.scalar(select(func.max(SpecVersion.number)).filter_by(spec_id=spec_id)) or 0) + 1


def live_versions():
    """The live version of every spec (for warming a worker up)."""
    spec_ids = db.session.scalars(
        select(SpecVersion.spec_id).filter_by(status=VersionStatus.PUBLISHED).distinct()
    ).all()
    return [live_version(spec_id) for spec_id in spec_ids]


def versions(spec_id=DEFAULT_SPEC_ID):
    return db.session.scalars(select(SpecVersion).filter_by(spec_id=spec_id).order_by(SpecVersion.number)).all()


# Compiled specs by content hash. Versions are immutable, so an entry never
# goes stale; each worker process compiles a version once.
_COMPILED = {}
_COMPILED_MAX = 32


def _compiled_bundle(text, lists, templates, filename, digest=None):
    digest = digest or bundle_hash(text, lists, templates)
    spec = _COMPILED.get(digest)
    if spec is None:
        spec = compile_spec(text, filename, lists=lists, templates=templates)
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[digest] = spec
    return spec


def compiled(version):
    """The compiled Spec of a stored version. Raises SpecInvalid for a broken draft."""
    # The stored content hash is the key, read first: the text, lists and
    # templates are deferred columns, loaded only when the version is compiled.
    spec = _COMPILED.get(version.sha256)
    if spec is not None:
        return spec
    return _compiled_bundle(version.source, version.lists, version.templates or {}, f"version {version.number}",
                            version.sha256)


# --- Drafts, publishing, rolling back, comparing, exporting -------------------

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
    """Store new text (and/or templates, lists) in a draft, valid or not.
    A draft is the admin's work in progress: nothing reads it but the admin preview."""
    if draft.status != VersionStatus.DRAFT:
        raise ValueError("only drafts can be edited")
    if text is not None:
        draft.source = text
    if templates is not None:
        draft.templates = templates
    if lists is not None:
        draft.lists = lists
    draft.sha256 = bundle_hash(draft.source, draft.lists, draft.templates or {})
    db.session.commit()
    return draft


def mark_published(draft, user=None):
    """Make a draft the live version. Callers: the publish gate, after its checks."""
    if draft.status != VersionStatus.DRAFT:
        raise ValueError("only drafts can be published")
    live = live_version(draft.spec_id)
    if live is not None and live.sha256 == draft.sha256:
        raise SpecInvalid([SpecProblem(draft.spec_id, "", None, "nothing changed since the live version")])
    now = utcnow()
    draft.status, draft.title, draft.published_at = VersionStatus.PUBLISHED, compiled(draft).title, now
    draft.published_by_id = user.id if user else None
    db.session.commit()
    retire_old(draft.spec_id)
    return draft


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
