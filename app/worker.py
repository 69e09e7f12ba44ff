"""`flask worker`: the background worker. It runs the RQ jobs (SMS, packets) and,
every few seconds, sends whatever the outbox says is due: retries after a
provider failure, and messages whose sender died mid-send."""

import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from app import jobs
from app.documents import service as documents
from app.sms import service as sms
from app.warmup import warm_up


def _sweep(app, interval, stop):
    while not stop.wait(interval):
        with app.app_context():
            try:
                sms.send_due()
            except Exception:
                app.logger.exception("SMS sweep failed")


@click.command("worker")
@click.option("--sweep-interval", default=10.0, show_default=True, help="Seconds between outbox sweeps.")
@click.option("--burst", is_flag=True, help="Run the queued jobs and the sweep once, then stop.")
@with_appcontext
def worker_command(sweep_interval, burst):
    """Run background jobs (needs REDIS_URL)."""
    from rq import Queue, SimpleWorker, Worker

    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without Redis the site sends SMS in the request itself")
    # RQ forks a process per job: make the app, compile the live spec and its
    # templates and load the fonts once, here, so every job starts warm instead
    # of paying for them again (a packet job compiled the spec for half a second).
    jobs.use_app(app)
    warm_up(app)
    documents.load_fonts()
    connection = jobs.redis_connection()
    queues = [Queue(name, connection=connection) for name in jobs.QUEUES]
    if burst:
        SimpleWorker(queues, connection=connection).work(burst=True)
        sms.send_due()
        return
    stop = threading.Event()
    threading.Thread(target=_sweep, args=(app, sweep_interval, stop), daemon=True).start()
    click.echo(f"worker: queues {[q.name for q in queues]}, outbox sweep every {sweep_interval:g} s")
    try:
        Worker(queues, connection=connection).work(with_scheduler=True)
    finally:
        stop.set()
