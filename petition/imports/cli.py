"""`flask signatures import FILE --petition SLUG [--source NAME]`: the import page's
import from the command line, with a progress bar and the counts at the end."""

import os

import click
from flask import current_app
from flask.cli import with_appcontext

from petition.extensions import db
from petition.imports import columns, service
from petition.imports.reading import ImportFileError, check_size, open_table
from petition.models.base import utcnow
from petition.organizer.cli import signatures_group
from petition.petitions.cli import petition_or_exit
from petition.petitions.counts import city_day
from petition.web.forms import FieldError


def _ward_order(key):
    return (0, int(key)) if key.isdigit() else (1, key)


# A command of `flask signatures` (petition/organizer/cli.py), registered with it.
@signatures_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--petition", "slug", required=True, help="The petition's slug.")
@click.option("--source", default=None, help="Stored on every signature (default: import).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes looking addresses up (default: IMPORT_WORKERS, the cores).")
@with_appcontext
def import_command(path, slug, source, workers):
    """Import a CSV or XLSX file of signatures: all of it, or nothing if a row is bad.
    The columns are guessed from the header (as the import page does)."""
    petition = petition_or_exit(slug)
    try:
        check_size(path, current_app.config["IMPORT_MAX_BYTES"])
        table = open_table(path)
        mapping = columns.check_mapping(table.header, columns.guess(table.header))
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Columns: " + ", ".join(f"{field} <- {name!r}" for field, name in
                                       columns.named(table.header, mapping).items()))
    with click.progressbar(length=_rows_guess(path), label="Checking rows",
                           show_pos=True) as bar:
        try:
            report, batch = service.import_file(
                petition, table, mapping, actor=None, file_name=os.path.basename(path),
                source=source, today=city_day(utcnow()),
                blocked_domains=current_app.config["BLOCKED_EMAIL_DOMAINS"],
                workers=workers or current_app.config["IMPORT_WORKERS"],
                on_progress=bar.update)
        except (ImportFileError, FieldError) as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
    batch_id = batch.id if batch is not None else None
    if batch is None:
        db.session.rollback()
    else:
        db.session.commit()
    _print_report(report, batch_id)
    if not report.ok:
        raise SystemExit(1)


def _rows_guess(path):
    """About how many rows (for the bar): the file's lines, or an .xlsx's size / 40."""
    with open(path, "rb") as fh:
        data = fh.read(8)
        if data.startswith(b"PK"):
            return max(1, os.path.getsize(path) // 40)
        fh.seek(0)
        return max(1, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")))


def _print_report(report, batch_id):
    click.echo(f"rows:       {report.rows}")
    click.echo(f"imported:   {report.imported}")
    click.echo(f"duplicates: {report.duplicates} ({report.in_file} within the file, "
               f"{report.existing} already signed)")
    click.echo(f"refused:    {report.refused}")
    for line, message in report.problems:
        click.echo(f"  line {line}: {message}")
    if not report.ok:
        click.echo("Nothing was imported: fix the rows above and run the import again.")
        return
    click.echo(f"import batch: {batch_id}")
    click.echo("by ward:")
    for key in sorted(report.by_ward, key=_ward_order):
        click.echo(f"  {key:>8} {report.by_ward[key]}")

