"""`flask organizer ...` (accounts) and `flask signatures anonymize`."""

import sys

import click
from flask.cli import with_appcontext

from petition.extensions import db
from petition.organizer import accounts, privacy
from petition.petitions.cli import petition_or_exit
from petition.web.forms import FieldError


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
    except FieldError as exc:
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
    except FieldError as exc:
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
    petition = petition_or_exit(slug)
    if not yes:
        click.confirm(f"Blank the names, emails, addresses and phones of every signer of "
                      f"{slug!r}? This cannot be undone.", abort=True)
    try:
        report = privacy.anonymize_petition(petition, force=force)
    except privacy.AnonymizeRefused as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{report.signatures} signatures anonymized, {report.messages} emails emptied; "
               "ward counts kept.")


COMMANDS = (organizer_group, signatures_group)
