"""Flask CLI commands (`flask --app wsgi <command>`): each feature's, and the app's own."""

import os
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from petition import config as config_checks
from petition import demo
from petition.extensions import db
from petition.geo import Geocoder
from petition.imports import cli as imports_cli  # noqa: F401 (adds `flask signatures import`)
from petition.letters import cli as letters_cli
from petition.lookup import cli as lookup_cli
from petition.mail import cli as mail_cli
from petition.mail import worker
from petition.mail.cli import delivery_settings
from petition.mail.transport import transport_for
from petition.organizer import cli as organizer_cli
from petition.petitions import cli as petitions_cli

ANY_INTERFACE = ("0.0.0.0", "::", "")


def init_app(app):
    """Register every command on the app."""
    for command in (seed_demo, dev, check_config, *mail_cli.COMMANDS,
                    *petitions_cli.COMMANDS, *organizer_cli.COMMANDS, *lookup_cli.COMMANDS,
                    *letters_cli.COMMANDS):
        app.cli.add_command(command)


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Create the demo data (the ECPS petition to alders, the TIRC petition to State
    Representatives with demo signers, wards, alders, District Councils, state legislators);
    safe to run twice."""
    petition, created = demo.ensure_ecps_petition()
    demo.ensure_ecps_letter_campaign(petition)
    tirc, tirc_created = demo.ensure_tirc_petition()
    # Read before the commit: reading after it would begin a transaction (on SQLite, one
    # holding the write lock) that nothing ends.
    slug, tirc_slug = petition.slug, tirc.slug
    wards, alders, councils, legislators = demo.ensure_rosters(Geocoder.default())
    signers = demo.ensure_tirc_signatures(tirc, Geocoder.default())
    db.session.commit()
    state = "created" if created else "already present"
    click.echo(f"Petition '{slug}' {state}.")
    click.echo(f"Petition '{tirc_slug}' {'created' if tirc_created else 'already present'}.")
    if signers:
        click.echo(f"Petition '{tirc_slug}': {signers} demo signers at real Chicago addresses.")
    click.echo(f"Wards: {wards.summary()}. Alders: {alders.summary()}. "
               f"District Council members: {councils.summary()}. "
               f"State legislators: {legislators.summary()}.")


def dev_public_url(host, port):
    """The address links should use for a development server on host:port."""
    # A server listening on every interface is still reached as localhost from this machine.
    if host in ANY_INTERFACE:
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@click.command("dev")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def dev(host, port):
    """Development: migrate, load demo data, deliver mail to files and serve the app."""
    app = current_app._get_current_object()
    if app.config["APP_ENV"] != "development":
        raise click.ClickException("`flask dev` is for APP_ENV=development only.")
    if not os.environ.get("PUBLIC_URL"):
        app.config["PUBLIC_URL"] = dev_public_url(host, port)
    upgrade()
    seed_demo.callback()
    # This context lives as long as the server: end its session so it holds no lock.
    db.session.remove()

    def deliver():
        with app.app_context():
            worker.run_forever(transport_for(app), poll_seconds=1, **delivery_settings(app.config))

    threading.Thread(target=deliver, name="outbox", daemon=True).start()
    click.echo(f"Links in emails point at {app.config['PUBLIC_URL']}. Mail is written to "
               f"{app.config['MAIL_FILE_DIR']}; read it at {app.config['PUBLIC_URL']}/dev/mail")
    # app.run() refuses to start inside a `flask` command, so serve with Werkzeug directly.
    run_simple(host, port, app, threaded=True, use_reloader=False)


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
