"""Flask CLI commands for Find my alder: rosters and batch look-ups.

    flask wards load
    flask alders import FILE.csv
    flask district-councils import FILE.csv
    flask legislators import FILE.csv
    flask lookup batch IN.csv OUT.csv
    flask lookup fill-districts
"""

import contextlib
import csv
import os
import time

import click
from flask.cli import with_appcontext

from petition.extensions import db
from petition.geo import Geocoder
from petition.lookup import alders as alder_roster
from petition.lookup import batch as lookup_batch
from petition.lookup import councils as council_roster
from petition.lookup import legislators as legislator_roster
from petition.lookup import rosters
from petition.lookup import service as lookup
from petition.lookup import wards as ward_roster
from petition.signing.districts import fill_missing_districts


def _read_file(path):
    with open(path, "rb") as fh:
        data = fh.read(rosters.MAX_FILE_BYTES + 1)
    return rosters.decode(data)


def _write_batch(batch, geocoder, alders, workers, quiet, bom, path):
    with contextlib.ExitStack() as stack:
        bar = None
        if not quiet:
            bar = stack.enter_context(click.progressbar(length=len(batch.rows),
                                                        label="Looking up", show_pos=True))
        out = stack.enter_context(open(path, "w", encoding="utf-8-sig" if bom else "utf-8",
                                       newline=""))
        writer = csv.writer(out)
        writer.writerow(batch.output_header())
        results = lookup_batch.look_up(batch, geocoder, workers=workers,
                                       on_progress=bar.update if bar else None)
        for cells, values in zip(batch.rows, results, strict=True):
            writer.writerow(lookup_batch.process_row(batch, cells, values, alders))


def _echo_report(what, report):
    click.echo(f"{what}: {report.summary()}.")
    for warning in report.warnings:
        click.echo(f"  warning: {warning}", err=True)
    for note in report.notes:
        click.echo(f"  note: {note}")


def _fail(error: rosters.RosterError):
    db.session.rollback()
    lines = [f"  {e}" for e in error.errors[:50]]
    if len(error.errors) > 50:
        lines.append(f"  ... and {len(error.errors) - 50} more")
    raise click.ClickException(
        f"nothing was changed: {len(error.errors)} problem(s) in the file\n" + "\n".join(lines)
    )


@click.group("wards")
def wards_group():
    """Chicago's 50 wards (2023 map)."""


@wards_group.command("load")
@with_appcontext
def wards_load():
    """Create or update the 50 wards from the shipped 2023 boundaries (safe to repeat)."""
    try:
        report = ward_roster.load_wards(Geocoder.default())
    except rosters.RosterError as exc:
        _fail(exc)
    db.session.commit()
    _echo_report("Wards", report)


@click.group("alders")
def alders_group():
    """The alder roster."""


@alders_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def alders_import(path):
    """Import or update alders from a CSV (ward, name/alderperson, email/ward_office_email,
    phone, office_address, website, ...). Checks every row first; changes nothing if any
    row is bad. Wards are loaded first if they are not yet."""
    try:
        text = _read_file(path)
        alder_roster.parse_alders(text, source=os.path.basename(path))  # fail before loading
        ward_roster.load_wards(Geocoder.default())
        report = alder_roster.import_alders(text, source=os.path.basename(path))
    except rosters.RosterError as exc:
        _fail(exc)
    db.session.commit()
    _echo_report("Alders", report)


@click.group("district-councils")
def councils_group():
    """Police District Council members (elected under the ECPS ordinance)."""


@councils_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def councils_import(path):
    """Import District Council members from a CSV (district, name, role, ...). Replaces the
    members of each district the file lists; changes nothing if any row is bad."""
    try:
        text = _read_file(path)
        report = council_roster.import_district_councils(
            text, source=os.path.basename(path),
            districts=sorted(Geocoder.default().districts.numbers),
        )
    except rosters.RosterError as exc:
        _fail(exc)
    db.session.commit()
    _echo_report("District Council members", report)


@click.group("legislators")
def legislators_group():
    """Illinois House and Senate members (the General Assembly roster)."""


@legislators_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def legislators_import(path):
    """Import or update State Representatives and Senators from a CSV (chamber, district,
    name, party, email, phone, office_address, website/source_url; a name starting with
    VACANT marks a vacant seat). Checks every row first; changes nothing if any row is bad."""
    try:
        report = legislator_roster.import_legislators(_read_file(path),
                                                      source=os.path.basename(path))
    except rosters.RosterError as exc:
        _fail(exc)
    db.session.commit()
    _echo_report("Legislators", report)


@click.group("lookup")
def lookup_group():
    """Find wards for addresses."""


@lookup_group.command("batch")
@click.argument("in_path", metavar="IN.csv", type=click.Path(exists=True, dir_okay=False))
@click.argument("out_path", metavar="OUT.csv", type=click.Path(dir_okay=False, writable=True))
@click.option("--workers", type=click.IntRange(1, 32), default=None,
              help="Processes to look up with (default: the number of CPUs, at most 4).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext
def lookup_batch_command(in_path, out_path, workers, quiet):
    """Add ward, alder, lon, lat, match, confidence, police district and the Illinois House
    and Senate districts (state_house, state_senate) to a CSV with an 'address' column (and
    an optional 'zip' column). Every input column is kept."""
    with open(in_path, "rb") as fh:
        data = fh.read()
    try:
        text, bom = lookup_batch.decode(data)
        batch = lookup_batch.prepare(text)
    except lookup_batch.BatchError as exc:
        raise click.ClickException(str(exc)) from exc
    alders = lookup.alder_names()
    db.session.remove()  # nothing more to read: hold no connection while working
    if not alders:
        click.echo("note: no alder roster is loaded (flask alders import FILE.csv); "
                   "the alder column will be empty", err=True)
    for name, out in batch.renamed.items():
        click.echo(f"note: the input already has a '{name}' column; the look-up's is '{out}'",
                   err=True)
    workers = workers or min(os.cpu_count() or 1, 4)
    geocoder = Geocoder.default()  # loaded before the workers fork, so they share it
    if workers > 1:
        db.engine.dispose()  # no pooled connection is inherited by the workers
    started = time.perf_counter()
    tmp = f"{out_path}.tmp-{os.getpid()}"
    try:
        _write_batch(batch, geocoder, alders, workers, quiet, bom, tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    os.replace(tmp, out_path)
    seconds = time.perf_counter() - started
    rate = batch.done / seconds if seconds > 0 else 0.0
    click.echo(f"{batch.done} addresses in {seconds:.1f} s ({rate:,.0f}/s), written to "
               f"{out_path}")
    found = sum(batch.by_confidence.values())
    click.echo(f"ward found: {found}")
    for match in ("exact", "interpolated", "street", "corrected"):
        click.echo(f"  match {match:13} {batch.by_match.get(match, 0)}")
    for confidence in ("high", "near_boundary"):
        click.echo(f"  confidence {confidence:13} {batch.by_confidence.get(confidence, 0)}")
    click.echo(f"no ward: {sum(batch.by_problem.values())}")
    for problem, n in sorted(batch.by_problem.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {problem:24} {n}")


@lookup_group.command("fill-districts")
@with_appcontext
def fill_districts_command():
    """Record the Illinois House and Senate districts of signatures stored before they were
    recorded (from its stored point in its ward, or the ward alone) and move the district
    counters with them; safe to repeat."""
    filled = fill_missing_districts(Geocoder.default())
    db.session.commit()
    click.echo(f"House and Senate districts recorded for {filled} signature(s).")


COMMANDS = (wards_group, alders_group, councils_group, legislators_group, lookup_group,)
