"""`flask rules evaluate`: the contract for outside checks."""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app.rules import service as rules
from app.specs import service as specs

rules_cli = AppGroup("rules", help="Evaluate the rules of a spec.")


def die(message):
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def load_spec(path):
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


def read_answers(source):
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


def load_answers(source, spec_path):
    """(spec, stored answers) from a JSON file of answers; exit 2 on any problem."""
    spec = load_spec(spec_path)
    data = read_answers(source)
    try:
        answers, unknown = rules.from_json(spec, data)
    except rules.AnswerError as exc:
        die(str(exc))
    if unknown:
        click.echo(f"note: ignored unknown fields: {', '.join(sorted(unknown))}", err=True)
    return spec, answers


@rules_cli.command("evaluate")
@click.argument("source", metavar="FILE")
@click.option("--spec", "spec_path", type=click.Path(dir_okay=False), help="A spec file instead of the published one.")
def evaluate(source, spec_path):
    """Evaluate answers in FILE (JSON object; - for stdin) and print the outcome as JSON."""
    spec, answers = load_answers(source, spec_path)
    outcome = rules.outcome(spec, answers, current_app.config["SITE_LEVEL"])
    result = {
        "filing_type": outcome.filing_type,
        "level": outcome.level,
        "escalated": outcome.escalated,
        "sms": outcome.sms,
        "energy_review": outcome.energy_review,
        "materials": [m.id for m in outcome.materials],
        "reasons": outcome.reasons,
    }
    click.echo(json.dumps(result, ensure_ascii=False))
