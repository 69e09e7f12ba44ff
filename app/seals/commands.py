"""`flask seal make-test-seal DIR`: a self-signed office seal for trying production mode locally."""

import click
from flask.cli import AppGroup

from app.seals import devseal

seal_cli = AppGroup("seal", help="The office seal on issued documents.")


@seal_cli.command("make-test-seal")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--office", default="萧山区发展和改革局", show_default=True, help="The office named in the certificate.")
def make_test_seal(directory, office):
    """Write a self-signed root, an office certificate and its key into DIRECTORY (NOT for real use)."""
    paths = devseal.make_files(directory, office)
    click.echo("A self-signed seal for trying the site only; documents sealed with it prove nothing to others.")
    click.echo(f"export SEAL_KEY_PATH={paths['key']} SEAL_CERT_PATH={paths['cert']} "
               f"SEAL_CHAIN_PATHS={paths['root']} SEAL_TRUST_ROOTS={paths['root']}")
