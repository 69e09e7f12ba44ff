import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.sms import catalog, service
from app.sms.providers import configured_names

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
        delivery = m.delivery.value if m.delivery else "-"
        click.echo(f"{m.id}\t{m.status.value}\t{delivery}\t{m.provider or '-'}\t{m.attempts}\t{m.recipient}\t"
                   f"{m.purpose}\t{m.last_error or ''}")


@sms_cli.command("templates")
@click.option("--for-approval", is_flag=True, help="Print each text as Alibaba Cloud and Tencent Cloud approve it.")
def templates_command(for_approval):
    """List the SMS templates and check them against the code and the configured providers.

    Exits with status 1 when a key the code sends has no template, the parameters
    differ, or a configured Chinese provider lacks a template code."""
    try:
        templates = service.templates()
    except catalog.TemplateFileError as exc:
        raise click.ClickException(str(exc)) from exc
    signature = current_app.config["SMS_SIGNATURE"]
    providers = configured_names(current_app.config)
    for key, template in templates.templates.items():
        codes = ", ".join(f"{p}={template.code_for(p) or '—'}" for p in catalog.CHINESE_PROVIDERS)
        click.echo(f"{key}\t{template.kind}\t{template.longest(signature)}/{template.budget}\t{codes}")
        if for_approval:
            click.echo(f"    aliyun:  {template.text}")
            click.echo(f"    tencent: {template.positional_text()}")
    problems = catalog.check_declared(templates)
    problems += [f"{key}: no {provider} template code (SMS backends: {', '.join(providers)})"
                 for provider, key in templates.missing_codes(providers)]
    unused = sorted(set(templates.templates) - set(catalog.DECLARED))
    if unused:
        click.echo(f"not sent by the code (kept for approval or later use): {', '.join(unused)}")
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"{len(templates.templates)} templates, all {len(catalog.DECLARED)} keys the code sends are defined")
