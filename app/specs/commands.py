import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.rules import service as rules
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
                click.echo(_where(path, problem), err=True)
            continue
        failures = _example_failures(spec)
        if failures:
            failed = True
            for line in failures:
                click.echo(f"{path}: {line}", err=True)
            continue
        fields = sum(len(s.fields) for s in spec.steps)
        click.echo(f"{path}: ok — {spec.id}: {len(spec.steps)} steps, {fields} fields, {len(spec.rules)} checks, "
                   f"{len(spec.authority_rules)} authority rules, {len(spec.materials)} materials, "
                   f"{len(spec.examples)} examples pass")
    sys.exit(1 if failed else 0)


def _where(path, problem):
    """file:line: yaml.path: message — naming the list or template file when the problem is there."""
    from pathlib import Path

    file = path if problem.file == Path(path).name else problem.file
    where = f"{file}:{problem.line}" if problem.line else file
    return f"{where}: {problem.path or '(top)'}: {problem.message}"


def _example_failures(spec):
    """Run the golden examples; one line per failing example."""
    return [f"examples[{i}] ({name}) fails: " + "; ".join(diffs)
            for i, name, diffs in rules.example_failures(spec, current_app.config["SITE_LEVEL"])]


@specs_cli.command("publish")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--note", help="Why this version (shown in the version list).")
def publish(path, note):
    """Publish PATH as a new version; an unchanged file is a no-op."""
    try:
        version, created = service.publish_file(Path(path), note=note,
                                                site_level=current_app.config["SITE_LEVEL"])
    except service.SpecInvalid as exc:
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
    version = service.live_version()
    if version is None:
        raise click.ClickException("no published version")
    path = service.export(version, directory)
    click.echo(f"exported v{version.number} to {path} (+ lists/, doc_templates/)")


@specs_cli.command("list")
def list_versions():
    """List stored versions of the default spec."""
    for v in service.versions():
        click.echo(f"{v.spec_id}\tv{v.number}\t{v.status.value}\t{v.sha256[:12]}\t{v.published_at or ''}")
