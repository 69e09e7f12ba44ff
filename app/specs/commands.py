import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.specs import service

specs_cli = AppGroup("specs", help="Form specs: check, publish, list.")


@specs_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
def check(paths):
    """Check spec files (default: forms_spec/*.yaml). Exit 1 on any problem."""
    paths = paths or sorted(str(p) for p in service.SPEC_DIR.glob("*.yaml"))
    failed = False
    for path in paths:
        try:
            spec = service.check_file(path)
        except service.SpecInvalid as exc:
            failed = True
            for problem in exc.problems:
                where = f"{path}:{problem.line}" if problem.line else path
                click.echo(f"{where}: {problem.path or '(top)'}: {problem.message}", err=True)
            continue
        fields = sum(len(s.fields) for s in spec.steps)
        click.echo(f"{path}: ok — {spec.id}: {len(spec.steps)} steps, {fields} fields, {len(spec.rules)} rules")
    sys.exit(1 if failed else 0)


@specs_cli.command("publish")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--note", help="Why this version (shown in the version list).")
def publish(path, note):
    """Publish PATH as a new version; an unchanged file is a no-op."""
    try:
        version, created = service.publish_file(Path(path), note=note)
    except service.SpecInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    state = "published as" if created else "unchanged, live is"
    click.echo(f"{version.spec_id}: {state} version {version.number} ({version.sha256[:12]})")


@specs_cli.command("list")
def list_versions():
    """List stored versions of the default spec."""
    for v in service.versions():
        click.echo(f"{v.spec_id}\tv{v.number}\t{v.status.value}\t{v.sha256[:12]}\t{v.published_at or ''}")
