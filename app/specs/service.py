"""Specs: check files, publish immutable versions, hand out compiled specs."""

import hashlib
import json
from pathlib import Path

from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.rules.service import example_failures
from app.specs.display import format_answer
from app.specs.loader import (
    SPEC_DIR,
    SpecInvalid,
    SpecProblem,
    compile_spec,
    parse_yaml,
    resolve_lists,
    resolve_templates,
)
from app.specs.model import Field, Spec, Step
from app.specs.models import SpecVersion, VersionStatus

__all__ = [
    "DEFAULT_SPEC_ID",
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
    "format_answer",
    "get_version",
    "live_version",
    "publish_file",
    "publish_text",
    "versions",
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
    templates = resolve_templates(data if isinstance(data, dict) else {})
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
