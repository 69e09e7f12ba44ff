import click
from flask import current_app
from flask.cli import with_appcontext

from app.auth import service as auth
from app.seals import service as seals


@click.command("demo")
@with_appcontext
def demo_command():
    """Grant the demo officer and admin roles and print how to sign in."""
    officer = auth.grant_role(current_app.config["DEMO_OFFICER_PHONE"], "officer")
    admin = auth.grant_role(current_app.config["DEMO_ADMIN_PHONE"], "admin")
    for user, label in ((officer, "officer"), (admin, "admin")):
        if not user.display_name:
            auth.update_profile(user, f"演示{'审核员' if label == 'officer' else '管理员'}", "萧山区发展和改革局")
    click.echo("Demo accounts (sign in with the number, read the code on /dev/sms):")
    click.echo(f"  officer: {officer.phone}")
    click.echo(f"  admin:   {admin.phone}")
    if current_app.config["APP_ENV"] != "production":
        click.echo(f"Issued documents are sealed as {seals.signer_name()!r} with a development seal in "
                   f"instance/seal/: for trying the site only, it proves nothing to anyone else.")
