import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.sms import service

sms_cli = AppGroup("sms", help="The SMS outbox.")


@sms_cli.command("send-due")
def send_due_command():
    """Send every queued message that is due now."""
    sent, queued, failed = service.send_due()
    click.echo(f"sent {sent}, still queued {queued}, failed {failed}")


@sms_cli.command("worker")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
@click.option("--once", is_flag=True, help="Do one pass and stop.")
def worker_command(interval, once):
    """Keep sending due messages until stopped."""
    current_app.logger.info("SMS worker started (backend %s)", current_app.config["SMS_BACKEND"])
    while True:
        service.send_due()
        if once:
            return
        time.sleep(interval)


@sms_cli.command("list")
@click.option("--limit", default=20, show_default=True)
def list_command(limit):
    """Show the newest messages and their state."""
    for m in service.recent_messages(limit):
        click.echo(f"{m.id}\t{m.status.value}\t{m.attempts}\t{m.recipient}\t{m.purpose}\t{m.last_error or ''}")
