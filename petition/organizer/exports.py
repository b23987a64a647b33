"""Signer exports by ward (or Illinois House / Senate district): CSV and zip streamed with
constant memory.

One writer for both databases. The database builds each row's CSV line (export_sql.csv_line:
every cell formatted and neutralised, free text quoted); Python reads (id, line) tuples in
keyset batches (``WHERE id > last ORDER BY id LIMIT n``) and joins each batch into one byte
chunk, so memory holds one batch. The csv module writes the header.

Why not select the cells and let the csv module write them: creating eleven Python strings
per row and quoting them in Python ran at little more than half the speed, far under the
300k rows/s the export must reach on 1M signatures (figures in bench/README.md).

Consistency: the count written to the audit log and the rows streamed come from one read
snapshot (a REPEATABLE READ transaction on PostgreSQL; one deferred read transaction on
SQLite, whose WAL gives it a stable snapshot), so "rows" in the log is exactly what the file
holds.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from petition.database import read_only
from petition.extensions import db
from petition.models import WARD_NUMBERS, PetitionTarget, Signature
from petition.models.base import utcnow
from petition.models.legislator import CHAMBER_DISTRICTS, HOUSE
from petition.models.ward import parse_ward
from petition.organizer import audit, export_sql, xlsx
from petition.organizer.export_sql import neutralise  # noqa: F401 (re-exported)
from petition.petitions.counts import count_by_ward_key
from petition.web.forms import FieldError

OTHER_WARD_KEYS = ("outside", "unknown")
STATUSES = ("confirmed", "all")
BOM = "\ufeff".encode()
BATCH_SIZE = 20_000
LINE_END = "\r\n"  # RFC 4180
ZIP_FLUSH_BYTES = 1 << 20  # hand the zip on in pieces of about this size


@dataclass(frozen=True)
class ExportOptions:
    wards: tuple = ()  # ward numbers and/or "outside" / "unknown"; empty means all
    status: str = "confirmed"  # or "all" (pending too)
    include_invalidated: bool = False
    chamber: str | None = None  # HOUSE or SENATE: the zip is per district of this chamber
    districts: tuple = ()  # that chamber's districts; empty means all



def chamber_for(target, asked):
    """The chamber ``?district=N`` means for a petition's target (FieldError if it asks
    alders); None for a petition to alders."""
    if asked is not None and not target.chambers:
        raise FieldError(_("This petition asks alders: choose signers by ward (ward=N)."))
    return target.chambers[0] if target.chambers else None


def parse_districts(chamber, values):
    """District numbers of a chamber from query-string values (FieldError names the bad one)."""
    districts = []
    for raw in values:
        value = (raw or "").strip()
        number = int(value) if value.isascii() and value.isdigit() and len(value) <= 3 \
            else None
        if number is None or number not in CHAMBER_DISTRICTS[chamber]:
            value = repr((raw or "")[:20])
            raise FieldError(
                _("An Illinois House district is a number from 1 to 118; got %(value)s.",
                  value=value) if chamber == HOUSE else
                _("An Illinois Senate district is a number from 1 to 59; got %(value)s.",
                  value=value))
        if number not in districts:
            districts.append(number)
    return tuple(sorted(districts))


def parse_options(wards=(), status=None, invalidated=None, *, target=PetitionTarget.ALDER,
                  districts=None):
    """Validate query-string values into ExportOptions (FieldError with a message).

    ``districts`` are the ``?district=N`` values (None: not given): districts of the chamber
    the petition targets (the House for both state members). A petition to state members
    is exported per district of that chamber, also when none is given."""
    keys = []
    for raw in wards:
        value = (raw or "").strip().lower()
        key = value if value in OTHER_WARD_KEYS else parse_ward(value)
        if key is None:
            raise FieldError(_("Ward must be a number from 1 to 50, \"outside\" or "
                                "\"unknown\"; got %(value)s.", value=repr((raw or "")[:20])))
        if key not in keys:
            keys.append(key)
    status = (status or "confirmed").strip().lower()
    if status not in STATUSES:
        raise FieldError(_("Status must be \"confirmed\" or \"all\"."))
    include = (invalidated or "").strip().lower() in ("1", "yes", "true", "include")
    ordered = tuple(sorted(k for k in keys if isinstance(k, int))) + tuple(
        k for k in OTHER_WARD_KEYS if k in keys)
    chamber = chamber_for(target, districts)
    chosen = parse_districts(chamber, districts) if districts else ()
    if chosen and ordered:
        raise FieldError(_("Choose signers by ward or by district, not both."))
    return ExportOptions(wards=ordered, status=status, include_invalidated=include,
                         chamber=chamber if not ordered else None, districts=chosen)


def file_name(slug, options, extension):
    part = "all-wards" if not options.wards else "wards-" + "-".join(
        str(k) for k in options.wards)
    if options.chamber:
        part = f"{options.chamber}-" + ("all-districts" if not options.districts else
                                        "districts-" + "-".join(map(str, options.districts)))
    status = "" if options.status == "confirmed" else "-with-pending"
    return f"{slug}-{part}{status}-{utcnow():%Y%m%d-%H%M}.{extension}"


def zip_member_name(key):
    if isinstance(key, tuple):  # (chamber, district); None: no district known
        if key[1] is None:
            return f"{key[0]}-district-unknown.csv"
        return f"{key[0]}-district-{key[1]:03d}.csv"
    if key == "outside":
        return "outside-chicago.csv"
    if key == "unknown":
        return "ward-unknown.csv"
    return f"ward-{key:02d}.csv"


def _header_bytes(include_invalidated):
    """The BOM (spreadsheets then read UTF-8) and the header row."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=LINE_END).writerow(export_sql.header(include_invalidated))
    return BOM + buffer.getvalue().encode("utf-8")


def _snapshot():
    """A connection in a read transaction: every statement on it sees the same rows."""
    if db.engine.dialect.name == "postgresql":
        conn = db.engine.connect().execution_options(isolation_level="REPEATABLE READ")
        conn.begin()
        return conn
    conn = db.engine.connect()
    with read_only():  # a plain BEGIN: a long read must not hold SQLite's write lock
        conn.begin()
    return conn


@dataclass
class Export:
    """A read snapshot of one petition's signers, and the CSV to stream from it."""

    petition_id: int
    options: ExportOptions
    batch_size: int = BATCH_SIZE
    rows: int = 0
    rows_by_ward: dict = field(default_factory=dict)  # {"1".."50", "outside", "unknown": n}

    def __post_init__(self):
        self.conn = _snapshot()
        # The first statement fixes the snapshot; the rows streamed later are the same set.
        self.rows_by_ward = count_by_ward_key(
            *export_sql.conditions(self.petition_id, self.options), connection=self.conn)
        self.rows = sum(self.rows_by_ward.values())

    def close(self):
        if self.conn is not None:
            self.conn.close()  # ends the read transaction
            self.conn = None

    def _options_for(self, wards):
        if wards is None:
            return self.options
        if wards and isinstance(wards[0], tuple):  # one district of the chamber
            return ExportOptions(status=self.options.status, chamber=self.options.chamber,
                                 districts=(wards[0][1],),
                                 include_invalidated=self.options.include_invalidated)
        return ExportOptions(wards=wards, status=self.options.status,
                             include_invalidated=self.options.include_invalidated)

    def _batches(self, columns, options):
        """The selected rows' `columns` in id order, in lists of up to batch_size tuples."""
        query = (select(Signature.id, *columns)
                 .where(*export_sql.conditions(self.petition_id, options))
                 .order_by(Signature.id).limit(self.batch_size))
        last_id = 0
        while True:
            with self.conn.execute(query.where(Signature.id > last_id)) as result:
                # The DB-API cursor's plain tuples: building a Row per line adds a third
                # or more to the time on SQLite.
                batch = result.cursor.fetchall()
            if not batch:
                return
            last_id = batch[-1][0]
            yield batch
            if len(batch) < self.batch_size:
                return

    def _csv_chunks(self, wards=None):
        """The CSV file in byte chunks: BOM and header, then one chunk per batch of rows."""
        options = self._options_for(wards)
        yield _header_bytes(options.include_invalidated)
        line_sql = export_sql.csv_line(self.conn.dialect.name, options.include_invalidated)
        for batch in self._batches((line_sql,), options):
            lines = [line for _id, line in batch]
            yield (LINE_END.join(lines) + LINE_END).encode("utf-8")

    def _xlsx_batches(self, wards=None):
        """Rows as (id, *export_sql.xlsx_columns) tuples, in batches."""
        options = self._options_for(wards)
        columns = export_sql.xlsx_columns(self.conn.dialect.name, options.include_invalidated)
        return self._batches(columns, options)

    def iter_csv(self):
        """The CSV file, in byte chunks; closes the snapshot at the end."""
        try:
            yield from self._csv_chunks()
        finally:
            self.close()

    def parts(self):
        """The zip's files and the per-ward workbook's sheets, as (key, rows): the wards
        asked for, else all 50 plus outside / unknown if any; for a petition to state
        members, (chamber, district) for the districts asked for, else every one with
        signers, and (chamber, None) last for the rows with no district."""
        if self.options.chamber:
            counts = export_sql.rows_by_district(self.conn, self.petition_id, self.options)
            districts = self.options.districts or sorted(
                d for d in counts if d is not None) + ([None] if None in counts else [])
            return [((self.options.chamber, d), counts.get(d, 0)) for d in districts]
        keys = list(self.options.wards) or list(WARD_NUMBERS) + [
            k for k in OTHER_WARD_KEYS if self.rows_by_ward.get(k)]
        return [(key, self.rows_by_ward.get(str(key), 0)) for key in keys]

    def iter_zip(self):
        """A zip with one CSV per ward or district, streamed (data descriptors, no seeking)."""
        sink = _Sink()
        try:
            with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED,
                                 compresslevel=1) as archive:
                for key, _rows in self.parts():
                    # By name, not a ZipInfo: a ZipInfo of our own would be deflated at
                    # zlib's default level 6, not the archive's 1 (three times the time).
                    with archive.open(zip_member_name(key), mode="w",
                                      force_zip64=True) as member:
                        for chunk in self._csv_chunks(wards=(key,)):
                            member.write(chunk)
                            if sink.size >= ZIP_FLUSH_BYTES:
                                yield sink.take()
                    yield sink.take()
            yield sink.take()
        finally:
            self.close()

    def iter_xlsx(self, petition_title, *, by_ward=False):
        """The .xlsx workbook in byte chunks: one sheet, or one per ward (per district for a
        petition to state members), as in the zip."""
        try:
            if by_ward:
                sheets = [sheet for key, rows in self.parts() for sheet in xlsx.sheets_for(
                    part_label(key), petition_title, rows, self._xlsx_batches(wards=(key,)))]
            else:
                sheets = xlsx.sheets_for(filter_label(self.options), petition_title,
                                         self.rows, self._xlsx_batches())
            title = f"{petition_title} · {filter_label(self.options)}"
            yield from xlsx.stream_workbook(sheets, self.options.include_invalidated, title,
                                            _Sink(), ZIP_FLUSH_BYTES)
        finally:
            self.close()


def part_label(key):
    """A ward key or (chamber, district) as a sheet's label: "Ward 32", "Outside Chicago",
    "Ward unknown", "House district 3", "Senate district unknown"."""
    if isinstance(key, tuple):
        chamber, district = key
        if district is None:
            return (pgettext("sheet title", "House district unknown") if chamber == HOUSE
                    else pgettext("sheet title", "Senate district unknown"))
        return (pgettext("sheet title", "House district %(n)d", n=district) if chamber == HOUSE
                else pgettext("sheet title", "Senate district %(n)d", n=district))
    if key == "outside":
        return _("Outside Chicago")
    if key == "unknown":
        return _("Ward unknown")
    return _("Ward %(n)d", n=key)


def _districts_label(options):
    """"All House districts", "House district 3", "Senate districts 2, 5"."""
    if len(options.districts) == 1:
        return part_label((options.chamber, options.districts[0]))
    numbers = ", ".join(map(str, options.districts))
    if options.chamber == HOUSE:
        return (pgettext("sheet title", "House districts %(districts)s", districts=numbers)
                if numbers else pgettext("sheet title", "All House districts"))
    return (pgettext("sheet title", "Senate districts %(districts)s", districts=numbers)
            if numbers else pgettext("sheet title", "All Senate districts"))


def filter_label(options):
    """What the export holds, in a few words: "All wards", "Wards 5, 32, pending too"."""
    if options.chamber:
        label = _districts_label(options)
    elif not options.wards:
        label = _("All wards")
    elif len(options.wards) == 1:
        label = part_label(options.wards[0])
    else:
        label = _("Wards %(wards)s", wards=", ".join(
            {"outside": _("outside"), "unknown": _("unknown")}.get(k, str(k))
            for k in options.wards))
    if options.status == "all":
        label += ", " + _("pending too")
    if options.include_invalidated:
        label += ", " + _("invalidated too")
    return label


class _Sink(io.RawIOBase):
    """A write-only, unseekable file that hands over what was written so far."""

    def __init__(self):
        super().__init__()
        self.chunks = []
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self):
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.size = 0
        return data


def open_export(petition, options, *, organizer, kind, now=None, batch_size=BATCH_SIZE):
    """Open the snapshot, count its rows and log the export (in the caller's transaction).

    The audit entry is written before the first byte goes out, with the exact row count of
    the snapshot the file is streamed from: the log then holds even when the download is cut
    off or the worker dies mid-stream (recording at the end of the stream would miss exactly
    those), and counting is one GROUP BY on the indexed rows, not a second pass.
    """
    export = Export(petition.id, options, batch_size=batch_size)
    details = {"status": options.status, "invalidated": options.include_invalidated}
    if options.chamber:
        details.update(chamber=options.chamber, districts=list(options.districts))
    try:
        audit.record(organizer, kind, petition=petition, wards=options.wards, rows=export.rows,
                     details=details, now=now)
    except Exception:
        export.close()
        raise
    return export
