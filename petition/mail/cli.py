"""`flask outbox ...`: deliver queued mail, and see how much is waiting."""

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from petition.extensions import db
from petition.mail import worker
from petition.models import OutboxMessage, OutboxStatus

# Threads in one process; run more processes (petition-outbox@.service) for more.
MAX_CONCURRENCY = 64


@click.group("outbox")
def outbox_group():
    """Deliver queued email."""


def delivery_settings(config, batch_size=None):
    """The outbox worker's settings from the app's config (`batch_size` overrides)."""
    return {
        "batch_size": batch_size or config["OUTBOX_BATCH_SIZE"],
        "lease_seconds": config["OUTBOX_LEASE_SECONDS"],
        "max_attempts": config["OUTBOX_MAX_ATTEMPTS"],
    }


@outbox_group.command("send")
@click.option("--loop", is_flag=True, help="Keep running and deliver mail as it arrives.")
@click.option("--batch-size", type=click.IntRange(1, 1000), default=None)
@click.option("--concurrency", type=click.IntRange(1, MAX_CONCURRENCY), default=None,
              help="Workers in this process, each with its own mail server connection "
                   "(default OUTBOX_CONCURRENCY).")
@with_appcontext
def outbox_send(loop, batch_size, concurrency):
    """Deliver every message that is due, then exit (or keep going with --loop)."""
    app = current_app._get_current_object()
    settings = delivery_settings(app.config, batch_size)
    stop = threading.Event()
    if loop:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        click.echo("Delivering mail; stop with Ctrl-C.")
    report = worker.run_threads(app, concurrency or app.config["OUTBOX_CONCURRENCY"], settings,
                                loop=loop, poll_seconds=app.config["OUTBOX_POLL_SECONDS"],
                                should_stop=stop.is_set)
    if not loop:
        click.echo(f"sent {report.sent}, retrying later {report.retrying}, failed {report.failed}, "
                   f"skipped {report.skipped}")
        for message_id, error in report.errors[:20]:
            click.echo(f"  message {message_id}: {error}", err=True)


@outbox_group.command("status")
@with_appcontext
def outbox_status():
    """Count messages by status."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    found = {status: n for status, n in rows}
    for status in OutboxStatus:
        click.echo(f"{status.value:8} {found.get(status, 0)}")


COMMANDS = (outbox_group,)
