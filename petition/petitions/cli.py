"""`flask counts ...`: the petitions' signature counters."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from petition.extensions import db
from petition.models import Petition
from petition.petitions import counts


def petition_or_exit(slug):
    """The petition with this slug (in any state), or the command stops with a message."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        raise click.ClickException(f"No petition with slug {slug!r}.")
    return petition


@click.group("counts")
def counts_group():
    """Signature counters."""


@counts_group.command("rebuild")
@click.option("--petition", "slug", required=True, help="The petition's slug.")
@with_appcontext
def counts_rebuild(slug):
    """Recount a petition's confirmed signatures from scratch."""
    petition = petition_or_exit(slug)
    totals = counts.recount(petition.id)
    db.session.commit()
    click.echo(f"{sum(totals.values())} confirmed signatures recounted.")


COMMANDS = (counts_group,)
