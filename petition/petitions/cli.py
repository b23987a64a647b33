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


# Lines of drift shown per petition; the repair fixes them all.
MAX_DRIFT_LINES = 20


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


@counts_group.command("verify")
@click.option("--petition", "slug", default=None, help="One petition's slug (default: all).")
@click.option("--dry-run", is_flag=True, help="Report drift only; exit 1 if there is any.")
@with_appcontext
def counts_verify(slug, dry_run):
    """Check every counter against a full recount of the signatures, and repair drift."""
    petitions = ([petition_or_exit(slug)] if slug
                 else db.session.scalars(select(Petition).order_by(Petition.id)).all())
    drifted = 0
    for petition in petitions:
        found = counts.drift(petition.id)
        if not found:
            click.echo(f"{petition.slug}: counters agree with the signatures.")
            continue
        drifted += 1
        click.echo(f"{petition.slug}: {len(found)} counters disagree (stored -> recounted):")
        for what, stored, expected in found[:MAX_DRIFT_LINES]:
            click.echo(f"  {what}: {stored} -> {expected}")
        if not dry_run:
            counts.recount(petition.id)
            click.echo(f"{petition.slug}: repaired.")
    db.session.commit()
    if drifted and dry_run:
        raise SystemExit(1)


COMMANDS = (counts_group,)
