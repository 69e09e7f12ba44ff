"""`flask lifecycle`: the daily sweep of life after filing, and its scheduler."""

import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup

from app.auth import service as auth
from app.cases import archive, archive_check
from app.cases.accounts import remove_account
from app.cases.sweep import sweep, sweep_job

lifecycle_cli = AppGroup("lifecycle", help="Life after filing: reminders, deferred papers, the two-year clock.")
accounts_cli = AppGroup("accounts", help="Removing accounts without losing a record.")
cases_cli = AppGroup("cases", help="Archive packages of finished cases (GB/T 42727) and their checks (DA/T 70).")


@cases_cli.command("archive")
@click.option("--before", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only cases last changed before this day.")
@click.option("--out", "folder", type=click.Path(file_okay=False), default=None,
              help="Where the packages go (default ARCHIVE_DIR, or instance/archive).")
@click.option("--force", is_flag=True, help="Write packages that exist again.")
def archive_command(before, folder, force):
    """Write one archive package per finished case (a case already archived is skipped)."""
    written, skipped = archive.archive(before.date() if before else None, folder, force)
    for path in written:
        click.echo(str(path))
    click.echo(f"{len(written)} written, {skipped} already archived")


@cases_cli.command("check-archive")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def check_archive_command(paths):
    """Check packages: authentic, complete, usable, safe (DA/T 70). Exit status 1 when one fails."""
    failed = 0
    for path in paths:
        report = archive_check.check_package(path)
        failed += not report.ok
        click.echo(f"{path}: {'OK' if report.ok else 'FAILED'}")
        for check in archive_check.CHECKS:
            state = "skipped (no CLAMD_SOCKET)" if check in report.skipped else \
                ("ok" if not report.problems[check] else "FAILED")
            click.echo(f"  {archive_check.NAMES[check]} {check}: {state}")
            for problem in report.problems[check]:
                click.echo(f"    - {problem}")
    if failed:
        raise SystemExit(1)


@accounts_cli.command("remove")
@click.argument("phone")
def remove_command(phone):
    """Delete PHONE's account and drafts, or deactivate it when it has filed anything."""
    try:
        user = auth.find_user(auth.normalize_mobile(phone))
    except auth.InvalidPhone as exc:
        raise click.ClickException(f"not a valid mobile number: {phone}") from exc
    if user is None:
        raise click.ClickException(f"no account for {phone}")
    click.echo(f"{user.phone}: {remove_account(user)}")


@lifecycle_cli.command("sweep")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Sweep as of this day (the district's date); default today.")
def sweep_command(day):
    """Queue the reminders due today (idempotent: running it twice sends nothing twice). For cron."""
    queued = sweep(day.date() if isinstance(day, dt.datetime) else None)
    click.echo("queued " + (", ".join(f"{k} {v}" for k, v in sorted(queued.items())) or "nothing"))


def cron_scheduler(connection, cron=None):
    """RQ's own cron scheduler with the daily sweep registered on the `lifecycle` queue."""
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=connection, name="onetrip-lifecycle")
    scheduler.register(sweep_job, "lifecycle", cron=cron or current_app.config["LIFECYCLE_SWEEP_CRON"],
                       job_timeout=600)
    return scheduler


@lifecycle_cli.command("scheduler")
def scheduler_command():
    """Queue the sweep daily at LIFECYCLE_SWEEP_CRON for `flask worker` to run (needs REDIS_URL)."""
    from app import jobs

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: run `flask lifecycle sweep` from cron instead")
    click.echo(f"lifecycle scheduler: sweep at '{current_app.config['LIFECYCLE_SWEEP_CRON']}' (UTC)")
    cron_scheduler(jobs.redis_connection()).start()
