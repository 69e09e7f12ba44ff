"""Admin actions on specs and templates: drafts, checks, previews, publishing,
rollback, comparison; every action lands in the audit log with its diff."""

import difflib

from sqlalchemy import select

from app.admin.models import AdminAudit
from app.extensions import db
from app.specs import service as specs

__all__ = ["audit_entry", "audit_log", "compare", "record", "text_diff"]


def record(actor, action, target, diff=None, note=None):
    entry = AdminAudit(actor_id=actor.id if actor else None, action=action, target=target, diff=diff, note=note)
    db.session.add(entry)
    db.session.commit()
    return entry


def audit_entry(entry_id):
    return db.session.get(AdminAudit, entry_id) if entry_id else None


def audit_log(limit=200):
    return db.session.scalars(select(AdminAudit).order_by(AdminAudit.id.desc()).limit(limit)).all()


def text_diff(old, new, old_name="before", new_name="after"):
    return "".join(difflib.unified_diff((old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
                                        fromfile=old_name, tofile=new_name))


def _fields(spec):
    return {f.id: {"label": f.label, "type": f.type.name, "required": f.required,
                   "show_if": f.show_if.source if f.show_if else None, "step": f.step_id,
                   "options": [o["value"] for o in f.options or []]} for f in spec.fields.values()}


def _by_id(items, describe):
    return {item.id: describe(item) for item in items}


def _section_diff(old, new):
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(k for k in set(old) & set(new) if old[k] != new[k])
    return {"added": added, "removed": removed,
            "changed": [(k, old[k], new[k]) for k in changed]}


def compare(version_a, version_b):
    """What changed from a to b: fields, rules, materials, documents, plus a text diff."""
    a, b = specs.compiled(version_a), specs.compiled(version_b)
    return {
        "fields": _section_diff(_fields(a), _fields(b)),
        "rules": _section_diff(_by_id(a.rules, lambda r: (r.when.source, r.message.source, r.severity)),
                               _by_id(b.rules, lambda r: (r.when.source, r.message.source, r.severity))),
        "authority": _section_diff(
            _by_id(a.authority_rules, lambda r: (r.when.source, r.filing_type, r.level.source if r.level else None)),
            _by_id(b.authority_rules, lambda r: (r.when.source, r.filing_type, r.level.source if r.level else None))),
        "materials": _section_diff(_by_id(a.materials, lambda m: (m.name, m.when.source if m.when else None)),
                                   _by_id(b.materials, lambda m: (m.name, m.when.source if m.when else None))),
        "documents": _section_diff(
            _by_id(a.documents, lambda d: (d.template_name, d.source)),
            _by_id(b.documents, lambda d: (d.template_name, d.source))),
        "text": text_diff(version_a.source, version_b.source, f"v{version_a.number}", f"v{version_b.number}"),
    }
