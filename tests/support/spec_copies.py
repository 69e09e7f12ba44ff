"""Edited copies of the default spec, laid out as `flask specs export` writes
them (DIR/<spec>.yaml, DIR/lists/, DIR/doc_templates/), for tests that publish
or check a changed version."""

import shutil

from app.specs import service as specs

DEFAULT = specs.SPEC_DIR / "enterprise_investment.yaml"


def _replace(text, old, new):
    assert old in text, old
    return text.replace(old, new)


def spec_copy(directory, spec_edits=(), template_edits=None, name="enterprise_investment.yaml"):
    """Copy the default spec into `directory` with `spec_edits` [(old, new)] applied to the spec and
    `template_edits` {template file: [(old, new)]} to its templates; returns the spec's path."""
    shutil.copytree(specs.SPEC_DIR / "lists", directory / "lists")
    shutil.copytree(specs.SPEC_DIR.parent / "doc_templates", directory / "doc_templates")
    for template, edits in (template_edits or {}).items():
        path = directory / "doc_templates" / template
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            text = _replace(text, old, new)
        path.write_text(text, encoding="utf-8")
    text = DEFAULT.read_text(encoding="utf-8")
    for old, new in spec_edits:
        text = _replace(text, old, new)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
