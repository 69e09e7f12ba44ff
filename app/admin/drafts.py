"""Storing a draft's YAML text: one path for the YAML editor and the quick
edits, so that both are checked, judged by the publish gate (golden examples
included), logged with their diff and reported to the admin alike."""

from flask import current_app, flash
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import service
from app.publishing import service as publishing
from app.specs import service as specs


def verdict(version):
    """The publish gate's verdict on the stored content (kept per content hash)."""
    return publishing.judge_version(version, current_app.config["SITE_LEVEL"])


def save_text(version, text):
    """Store `text` as the draft's spec once the safe-YAML checks (size, binary,
    anchors, depth) pass, log the change with its diff and say what the gate
    thinks of it. Returns the audit entry; raises specs.SpecInvalid, storing nothing."""
    specs.parse_yaml(text, "spec.yaml")
    before = version.source
    specs.save_draft(version, text)
    problems = verdict(version).problems
    entry = service.record(current_user, "save_draft", f"{version.spec_id} v{version.number}",
                           service.text_diff(before, text))
    flash(_("草稿已保存。") + (_("还有 %(n)s 个问题，发布前需要修改。", n=len(problems)) if problems else
                               _("检查通过，可以预览和发布。")), "info" if problems else "success")
    return entry
