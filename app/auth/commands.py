import click
from flask.cli import AppGroup

from app.auth import service

users_cli = AppGroup("users", help="Accounts and roles.")


@users_cli.command("grant")
@click.argument("phone")
@click.argument("role", type=click.Choice(["officer", "admin"]))
def grant(phone, role):
    """Give PHONE the ROLE (creates the account if needed)."""
    try:
        user = service.grant_role(phone, role)
    except service.InvalidPhone as exc:
        raise click.ClickException(f"not a valid mobile number: {phone}") from exc
    click.echo(f"{user.phone}: {', '.join(sorted(user.role_names))}")


@users_cli.command("revoke")
@click.argument("phone")
@click.argument("role", type=click.Choice(["officer", "admin"]))
def revoke(phone, role):
    """Take ROLE away from PHONE."""
    try:
        user = service.revoke_role(phone, role)
    except service.InvalidPhone as exc:
        raise click.ClickException(f"not a valid mobile number: {phone}") from exc
    if user is None:
        raise click.ClickException(f"no account for {phone}")
    click.echo(f"{user.phone}: {', '.join(sorted(user.role_names))}")


@users_cli.command("list")
def list_users():
    """List accounts with their roles."""
    for user in service.all_users():
        roles = ",".join(sorted(user.role_names))
        click.echo(f"{user.phone}\t{roles}\t{user.display_name or ''}\t{user.enterprise_name or ''}")
