"""`flask letters ...`: the daily digests of letters to alders, and asking about replies."""

import click
from flask.cli import with_appcontext

from petition.extensions import db
from petition.letters import digests, replies


@click.group("letters")
def letters_group():
    """Letters from supporters to their alders."""


@letters_group.command("send-digests")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The Chicago day whose letters to send (YYYY-MM-DD); default yesterday.")
@with_appcontext
def send_digests(day):
    """Queue one email per alder, or State Representative or Senator, with the day's
    letters (for cron, after midnight).

    Safe to run twice: each gets at most one digest per campaign and day, and letters sent
    after a digest wait for the next one. A state member without an email (or a vacant
    seat) gets none: the output says so and their letters wait.
    """
    day = day.date() if day is not None else digests.default_day()
    report = digests.send_digests(day)
    db.session.commit()
    click.echo(f"{day.isoformat()}: {report.digests} digests queued with {report.letters} "
               f"letters.")
    if report.already_sent:
        click.echo(f"{report.already_sent} recipients already had that day's digest; their "
                   "newer letters wait for the next one.")
    for note in report.waiting:
        click.echo(f"Not sent: {note}.")


@letters_group.command("ask-replies")
@with_appcontext
def ask_replies():
    """Ask each letter's sender, once, whether their alder replied (for cron, daily)."""
    asked = replies.ask_for_replies()
    db.session.commit()
    click.echo(f"{asked} senders asked whether their alder replied.")


COMMANDS = (letters_group,)
