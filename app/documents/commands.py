"""`flask documents render`: the contract for outside checks."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app.documents import service as documents
from app.rules import service as rules
from app.rules.commands import load_answers
from app.specs import service as specs

documents_cli = AppGroup("documents", help="Render documents and packets.")
PLACEHOLDER_REFERENCE = "XS-0000-000000"
PLACEHOLDER_STATUS_URL = "https://onetrip.example/applications/0"


def _live_version():
    try:
        return specs.live_version()
    except SQLAlchemyError:
        return None


@documents_cli.command("render")
@click.argument("source", metavar="FILE")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Directory to write to.")
@click.option("--spec", "spec_path", type=click.Path(dir_okay=False), help="A spec file instead of the published one.")
def render(source, out_dir, spec_path):
    """Render the packet for the answers in FILE (JSON object; - for stdin) into DIR."""
    spec, answers = load_answers(source, spec_path)
    resolved, outcome, _ = rules.evaluate(spec, answers, current_app.config["SITE_LEVEL"])
    materials = [{"id": m.id, "name": m.name, "reason": m.reason, "state": "missing"} for m in outcome.materials]
    info = documents.case_info(PLACEHOLDER_REFERENCE, None, answers.get("enterprise_name", ""),
                               answers.get("project_name", ""))
    docs = documents.documents_for(spec, dict(resolved.stored), outcome.to_json(), materials, info,
                                   PLACEHOLDER_STATUS_URL)
    files = documents.packet_files(docs)
    version = None if spec_path else _live_version()
    spec_info = {"id": spec.id, "version": version.number if version else None,
                 "sha256": version.sha256 if version else None}
    _, manifest = documents.render_packet(PLACEHOLDER_REFERENCE, spec, spec_info, docs)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        (out / Path(name).name).write_bytes(data)
    for entry in manifest["files"]:
        entry["name"] = Path(entry["name"]).name
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True),
                                       encoding="utf-8")
    click.echo(f"wrote {len(files)} files and manifest.json to {out}")
