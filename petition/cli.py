"""Flask CLI commands: run as `flask --app wsgi <command>`."""

import signal
import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from petition import config as config_checks
from petition import demo
from petition.extensions import db
from petition.letters import cli as cli_letters
from petition.lookup import cli as cli_lookup
from petition.mail import outbox
from petition.mail.transport import transport_for
from petition.models import OutboxMessage, OutboxStatus, Petition
from petition.organizer import accounts, privacy
from petition.petitions import counts


def init_app(app):
    """Register the commands on the app."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(outbox_group)
    app.cli.add_command(counts_group)
    app.cli.add_command(dev)
    app.cli.add_command(signatures_group)
    app.cli.add_command(check_config)
    cli_lookup.init_app(app)
    cli_letters.init_app(app)
    app.cli.add_command(organizer_group)


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Create the demo data (the ECPS petition, wards, alders, District Councils); safe to
    run twice."""
    from petition.geo import Geocoder

    petition, created = demo.ensure_ecps_petition()
    demo.ensure_ecps_letter_campaign(petition)
    slug = petition.slug
    wards, alders, councils = demo.ensure_rosters(Geocoder.default())
    db.session.commit()
    state = "created" if created else "already present"
    click.echo(f"Petition '{slug}' {state}.")
    click.echo(f"Wards: {wards.summary()}. Alders: {alders.summary()}. "
               f"District Council members: {councils.summary()}.")


@click.group("outbox")
def outbox_group():
    """Deliver queued email."""


def _delivery_settings(batch_size):
    config = current_app.config
    return {
        "batch_size": batch_size or config["OUTBOX_BATCH_SIZE"],
        "lease_seconds": config["OUTBOX_LEASE_SECONDS"],
        "max_attempts": config["OUTBOX_MAX_ATTEMPTS"],
    }


@outbox_group.command("send")
@click.option("--loop", is_flag=True, help="Keep running and deliver mail as it arrives.")
@click.option("--batch-size", type=click.IntRange(1, 1000), default=None)
@with_appcontext
def outbox_send(loop, batch_size):
    """Deliver every message that is due, then exit (or keep going with --loop)."""
    app = current_app._get_current_object()
    transport = transport_for(app)
    settings = _delivery_settings(batch_size)
    if not loop:
        report = outbox.deliver_due(transport, **settings)
        click.echo(f"sent {report.sent}, retrying later {report.retrying}, failed {report.failed}, "
                   f"skipped {report.skipped}")
        for message_id, error in report.errors[:20]:
            click.echo(f"  message {message_id}: {error}", err=True)
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo("Delivering mail; stop with Ctrl-C.")
    outbox.run_forever(transport, poll_seconds=app.config["OUTBOX_POLL_SECONDS"],
                       should_stop=stop.is_set, **settings)


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


@click.group("counts")
def counts_group():
    """Signature counters."""


@counts_group.command("rebuild")
@click.option("--petition", "slug", required=True, help="The petition's slug.")
@with_appcontext
def counts_rebuild(slug):
    """Recount a petition's confirmed signatures from scratch."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        raise click.ClickException(f"No petition with slug {slug!r}.")
    totals = counts.recount(petition.id)
    db.session.commit()
    click.echo(f"{sum(totals.values())} confirmed signatures recounted.")


@click.group("organizer")
def organizer_group():
    """Organizer accounts."""


def _read_password(from_stdin):
    if from_stdin:
        # For scripts: the first line of standard input, e.g. `... < secret-file`.
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@organizer_group.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Administrator: manages organizers, sees the log.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input (for scripts).")
@with_appcontext
def organizer_create(email, admin, password_stdin):
    """Create an organizer account; prompts for the password twice (hidden)."""
    password = _read_password(password_stdin)
    try:
        organizer = accounts.create_organizer(email, password, is_admin=admin)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    address, role = organizer.email, "administrator" if admin else "organizer"
    db.session.commit()
    click.echo(f"Created {role} {address}.")


@organizer_group.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input (for scripts).")
@with_appcontext
def organizer_set_password(email, password_stdin):
    """Set a new password for an organizer (e.g. one who forgot theirs)."""
    organizer = accounts.find_organizer(email)
    if organizer is None:
        raise click.ClickException(f"No organizer with the email {email!r}.")
    password = _read_password(password_stdin)
    try:
        accounts.set_password(organizer, password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo("Password changed.")


@organizer_group.command("list")
@with_appcontext
def organizer_list():
    """List organizer accounts."""
    for organizer in accounts.organizers():
        role = "admin" if organizer.is_admin else "organizer"
        state = "" if organizer.active else " (deactivated)"
        click.echo(f"{organizer.email}\t{role}{state}")


@click.command("dev")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def dev(host, port):
    """Development: migrate, load demo data, deliver mail to files and serve the app."""
    from flask_migrate import upgrade

    app = current_app._get_current_object()
    if app.config["APP_ENV"] != "development":
        raise click.ClickException("`flask dev` is for APP_ENV=development only.")
    upgrade()
    seed_demo.callback()
    # This context lives as long as the server: end its session so it holds no lock.
    db.session.remove()

    def deliver():
        with app.app_context():
            outbox.run_forever(transport_for(app), poll_seconds=1, **_delivery_settings(None))

    threading.Thread(target=deliver, name="outbox", daemon=True).start()
    click.echo(f"Mail is written to {app.config['MAIL_FILE_DIR']}; read it at "
               f"http://{host}:{port}/dev/mail")
    # app.run() refuses to start inside a `flask` command, so serve with Werkzeug directly.
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True, use_reloader=False)


@click.group("signatures")
def signatures_group():
    """Signers' data."""


@signatures_group.command("anonymize")
@click.option("--petition", "slug", required=True, help="The petition's slug.")
@click.option("--force", is_flag=True, help="Even while the petition is open.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def signatures_anonymize(slug, force, yes):
    """Drop signers' personal data after a campaign; ward counts are kept."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        raise click.ClickException(f"No petition with slug {slug!r}.")
    if not yes:
        click.confirm(f"Blank the names, emails, addresses and phones of every signer of "
                      f"{slug!r}? This cannot be undone.", abort=True)
    try:
        report = privacy.anonymize_petition(petition, force=force)
    except privacy.AnonymizeRefused as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{report.signatures} signatures anonymized, {report.messages} emails deleted; "
               "ward counts kept.")


@click.command("check-config")
@with_appcontext
def check_config():
    """Refuse to go on unless the settings are fit for production (exit status 1)."""
    problems = config_checks.production_problems(current_app.config)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo("Configuration is fit for production.")
