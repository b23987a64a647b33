"""Importing a file of signatures: checked whole first (checking.py), then stored in the
caller's one transaction as one audited batch that an admin can undo.

Imported signatures are treated as paper ones are: counted as confirmed at once and never
sent a confirmation email. Only rows whose consent column says yes (and that have an
email) are opted in to organizers' emails (`opt_in`, what blasts select on).
"""

import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from petition.database import insert, read_only
from petition.extensions import db
from petition.imports import columns
from petition.imports.checking import Check, email_key, name_key, refusal
from petition.imports.rows import RowProblem, read_row
from petition.mail.addresses import normalize_email
from petition.models import ImportBatch, Signature
from petition.models.base import utcnow
from petition.organizer import audit
from petition.paper.service import duplicates
from petition.petitions import counts
from petition.signing.erasure import forget_mail_and_unsubscribes
from petition.signing.placement import place_address
from petition.signing.sources import clean_source
from petition.web.forms import FieldError

DEFAULT_SOURCE = "import"
# An imported row without an email still needs a unique email_normalized (see paper).
NO_EMAIL_PREFIX = "import-"
PREVIEW_ROWS = 10
INSERT_BATCH = 1000
COMMAND_LINE = "(command line)"


def source_name(text):
    """The source stored on the signatures: a short token, "import" when not given."""
    if not text:
        return DEFAULT_SOURCE
    token = clean_source(text)
    if token is None:
        raise FieldError(_("The source must be a short word: letters, digits, - and _ "
                           "(like actionnetwork)."), field="source")
    return token


@dataclass(frozen=True)
class PreviewRow:
    """One of the first rows: its fields and ward, or why it is refused, or a duplicate."""

    line: int
    row: object = None  # rows.ImportRow
    placement: object = None  # signing.placement.Placement
    problem: str | None = None
    duplicate: bool = False
    cells: tuple = ()  # a refused row's name, address and email as the file has them


def preview(petition, table, mapping, *, today, blocked_domains=(), limit=PREVIEW_ROWS):
    """The first `limit` data rows as they would be imported; changes nothing."""
    shown, seen = [], set()
    for line, cells in table.rows():
        if len(shown) >= limit:
            break
        try:
            row = read_row(line, cells, mapping, today=today, blocked_domains=blocked_domains)
        except RowProblem as problem:
            shown.append(PreviewRow(line, problem=str(problem), cells=_raw(cells, mapping)))
            continue
        placement = place_address(row.address, row.zip)
        keys = {email_key(normalize_email(row.email) if row.email else None),
                name_key(placement.ward, row.first_name, row.last_name, row.address)} - {None}
        repeated = bool(keys & seen) or bool(duplicates(petition, row, placement))
        seen |= keys
        shown.append(PreviewRow(line, row, placement, problem=refusal(petition, placement),
                                duplicate=repeated))
    return shown


def _raw(cells, mapping):
    """(name, address, email) as a row has them, for showing a refused row."""
    def cell(*fields):
        return " ".join(cells[mapping[f]] for f in fields if f in mapping).strip()
    return (cell("first_name", "last_name"), cell("address", "address2", "zip"),
            cell("email"))


@dataclass(frozen=True)
class Target:
    """What an import needs of its petition, read once (see import_file)."""

    id: int
    accepts_outside_chicago: bool


def import_file(petition, table, mapping, *, actor, file_name, source=None, today,
                blocked_domains=(), workers=1, on_progress=None, now=None):
    """Check the whole file, then store it all, or nothing when a row is refused;
    (report, the ImportBatch or None). Flushes: the caller commits (or rolls back).

    Checking a big file takes a while, and on SQLite a writing transaction holds the
    database's write lock (signing waits): so the session's transaction is ended before
    the check (the caller must have nothing unsaved in it), the check reads in a
    transaction of its own that takes no write lock, and only storing takes it.
    """
    source = source_name(source)
    target = Target(petition.id, petition.accepts_outside_chicago)
    db.session.rollback()
    check = Check(target, table, mapping, today=today, blocked_domains=blocked_domains,
                  workers=workers, on_progress=on_progress)
    try:
        with read_only():
            report = check.run()
        db.session.rollback()  # the check's reads; storing takes the write lock anew
        if not report.ok:
            return report, None
        return report, _store(target, check, actor=actor, file_name=file_name,
                              source=source, columns=columns.named(table.header, mapping),
                              now=now or utcnow())
    finally:
        check.close()


def _store(petition, check, *, actor, file_name, source, columns, now):
    report = check.report
    batch = ImportBatch(petition_id=petition.id, organizer_id=getattr(actor, "id", None),
                        organizer_email=getattr(actor, "email", COMMAND_LINE),
                        file_name=file_name[:255], source=source, columns=columns,
                        rows=report.rows, created_at=now)
    db.session.add(batch)
    db.session.flush()
    # A signer whose email arrives online during the import keeps their own signature:
    # the unique index skips the imported row (counted as a duplicate below).
    statement = insert(Signature.__table__).on_conflict_do_nothing(
        index_elements=["petition_id", "email_normalized"])
    # Like paper signatures: confirmed at once, never sent a confirmation email.
    same = {"petition_id": petition.id, "import_batch_id": batch.id, "volunteer": False,
            "locale": "en", "created_at": now, "confirmed_at": now, "confirmation_sends": 0,
            "source": source}
    values = []
    for kept in check.kept_rows():
        row = {**kept, **same}
        row["email_normalized"] = row["email_normalized"] or NO_EMAIL_PREFIX + uuid.uuid4().hex
        values.append(row)
        if len(values) >= INSERT_BATCH:
            db.session.execute(statement, values)
            values = []
    if values:
        db.session.execute(statement, values)
    stored = db.session.scalar(select(func.count()).select_from(Signature)
                               .where(Signature.import_batch_id == batch.id))
    report.existing = report.rows - report.in_file - stored  # the races above included
    report.imported = stored
    report.by_ward.update(counts.tally_matching(
        petition.id, Signature.import_batch_id == batch.id, direction=1, now=now))
    batch.imported, batch.duplicates = stored, report.duplicates
    audit.record(actor, "import", petition=petition, rows=stored, now=now,
                 details={"import_batch_id": batch.id, "file_name": batch.file_name,
                          "source": source, "rows": report.rows,
                          "duplicates": report.duplicates})
    db.session.flush()
    return batch


def undo(petition, batch, *, actor, now=None):
    """Delete the batch's signatures and uncount them, audited; returns how many."""
    if batch.is_undone:
        raise FieldError(_("This import was already undone."))
    now = now or utcnow()
    mine = Signature.import_batch_id == batch.id
    # Those set aside since were uncounted then.
    counts.tally_matching(petition.id, mine, Signature.invalidated_at.is_(None),
                          direction=-1, now=now)
    forget_mail_and_unsubscribes(mine)
    removed = db.session.execute(
        delete(Signature).where(mine).execution_options(synchronize_session=False)).rowcount
    batch.undone_at, batch.undone_by_email, batch.removed = now, actor.email, removed
    audit.record(actor, "import_undo", petition=petition, rows=removed, now=now,
                 details={"import_batch_id": batch.id, "file_name": batch.file_name})
    db.session.flush()
    return removed


def batches(petition):
    """The petition's imports, newest first."""
    return db.session.scalars(select(ImportBatch).where(ImportBatch.petition_id == petition.id)
                              .order_by(ImportBatch.id.desc())).all()


def find_batch(petition, batch_id):
    batch = db.session.get(ImportBatch, batch_id)
    return batch if batch is not None and batch.petition_id == petition.id else None

