"""Command-line tools for spec files:

- `flask specs check|publish|export|list`: the publish gate from the shell;
- `flask rules evaluate FILE`: the rules' verdict on a JSON object of answers;
- `flask documents render FILE --out DIR`: the documents of such answers.

The last two are the contract for outside checks: bad input exits 2 with a
message, never a trace.
"""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app.cases import service as cases
from app.documents import service as documents
from app.publishing import gate
from app.rules import service as rules
from app.specs import service as specs

specs_cli = AppGroup("specs", help="Form specs: check, publish, export, list.")
rules_cli = AppGroup("rules", help="Evaluate the rules of a spec.")
documents_cli = AppGroup("documents", help="Render documents and packets.")


def _site_level():
    return current_app.config["SITE_LEVEL"]


def _where(path, problem):
    """file:line: yaml.path: message — naming the list or template file when the problem is there."""
    file = path if problem.file == Path(path).name else problem.file
    where = f"{file}:{problem.line}" if problem.line else file
    return f"{where}: {problem.path or '(top)'}: {problem.message}"


@specs_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
def check(paths):
    """Check spec files (default: forms_spec/*.yaml) through the publish gate. Exit 1 on any problem."""
    paths = paths or sorted(str(p) for p in specs.SPEC_DIR.glob("*.yaml"))
    failed = False
    for path in paths:
        verdict, _text, _lists = gate.judge_file(path, _site_level())
        if verdict.problems:
            failed = True
            for problem in verdict.problems:
                click.echo(_where(path, problem), err=True)
            continue
        spec = verdict.spec
        fields = sum(len(s.fields) for s in spec.steps)
        click.echo(f"{path}: ok — {spec.id}: {len(spec.steps)} steps, {fields} fields, {len(spec.rules)} checks, "
                   f"{len(spec.authority_rules)} authority rules, {len(spec.materials)} materials, "
                   f"{len(spec.examples)} examples pass")
    sys.exit(1 if failed else 0)


@specs_cli.command("publish")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--note", help="Why this version (shown in the version list).")
def publish(path, note):
    """Publish PATH as a new version; an unchanged file is a no-op."""
    try:
        version, created = gate.publish_file(Path(path), _site_level(), note=note)
    except specs.SpecInvalid as exc:
        for problem in exc.problems:
            click.echo(_where(path, problem), err=True)
        click.echo("refused: the live version is unchanged", err=True)
        sys.exit(1)
    state = "published as" if created else "unchanged, live is"
    click.echo(f"{version.spec_id}: {state} version {version.number} ({version.sha256[:12]})")


@specs_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
def export(directory):
    """Write the live version (spec, option lists, templates) into DIRECTORY."""
    version = specs.live_version()
    if version is None:
        raise click.ClickException("no published version")
    path = specs.export(version, directory)
    click.echo(f"exported v{version.number} to {path} (+ lists/, doc_templates/)")


@specs_cli.command("list")
def list_versions():
    """List stored versions of the default spec."""
    for v in specs.versions():
        click.echo(f"{v.spec_id}\tv{v.number}\t{v.status.value}\t{v.sha256[:12]}\t{v.published_at or ''}")


# --- Outside checks ----------------------------------------------------------------

def die(message):
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _load_spec(path):
    """The spec of --spec PATH, else the published default, else the default file."""
    if path:
        try:
            return specs.check_file(path)
        except specs.SpecInvalid as exc:
            die(f"invalid spec {path}:\n{exc}")
    try:
        version = specs.live_version()
    except SQLAlchemyError:
        version = None  # no database yet: fall back to the file in the repository
    if version is not None:
        return specs.compiled(version)
    return specs.check_file(specs.SPEC_DIR / f"{specs.DEFAULT_SPEC_ID}.yaml")


def _read_json(source):
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        die(f"cannot read {source}: {exc.strerror}")
    except UnicodeDecodeError:
        die(f"{source} is not UTF-8 text")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        die(f"malformed JSON in {source}: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    except RecursionError:
        die(f"{source} is nested too deeply")


def _load_answers(source, spec_path):
    """(spec, stored answers) from a JSON file of answers; exit 2 on any problem."""
    spec = _load_spec(spec_path)
    data = _read_json(source)
    try:
        answers, unknown = rules.from_json(spec, data)
    except rules.AnswerError as exc:
        die(str(exc))
    if unknown:
        click.echo(f"note: ignored unknown fields: {', '.join(sorted(unknown))}", err=True)
    return spec, answers


SPEC_OPTION = click.option("--spec", "spec_path", type=click.Path(dir_okay=False),
                           help="A spec file instead of the published one.")


@rules_cli.command("evaluate")
@click.argument("source", metavar="FILE")
@SPEC_OPTION
def evaluate(source, spec_path):
    """Evaluate answers in FILE (JSON object; - for stdin) and print the outcome as JSON."""
    spec, answers = _load_answers(source, spec_path)
    outcome = rules.evaluate(spec, answers, _site_level()).outcome
    click.echo(json.dumps({
        "filing_type": outcome.filing_type, "level": outcome.level, "escalated": outcome.escalated,
        "sms": outcome.sms, "energy_review": outcome.energy_review, "materials": [m.id for m in outcome.materials],
        "reasons": outcome.reasons,
    }, ensure_ascii=False))


@documents_cli.command("render")
@click.argument("source", metavar="FILE")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Directory to write to.")
@SPEC_OPTION
def render(source, out_dir, spec_path):
    """Render the packet for the answers in FILE (JSON object; - for stdin) into DIR."""
    spec, answers = _load_answers(source, spec_path)
    data = cases.sample_data(spec, answers, _site_level())
    try:
        version = None if spec_path else specs.live_version()
    except SQLAlchemyError:
        version = None
    spec_info = {"id": spec.id, "version": version.number if version else None,
                 "sha256": version.sha256 if version else None}
    try:
        _zip, manifest, files = documents.packet_of(spec, data, spec_info)
    except documents.DocumentError as exc:
        die(f"a template failed on these answers: {exc}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files:
        (out / Path(name).name).write_bytes(content)
    for entry in manifest["files"]:
        entry["name"] = Path(entry["name"]).name
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True),
                                       encoding="utf-8")
    click.echo(f"wrote {len(files)} files and manifest.json to {out}")
