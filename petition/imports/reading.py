"""Reading a file of signatures as rows of text cells: CSV (UTF-8 with or without a
byte-order mark, else Windows-1252, what Excel's plain "CSV" saves) or XLSX (the first
sheet, openpyxl's read-only mode). Anything else gets a clear ImportFileError.

Cells are text, whatever they hold: a formula is read as its text ("=1+1", never run),
a number as its digits (ZIP 60647), a date as YYYY-MM-DD.
"""

import codecs
import csv
import os
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

XLSX_MAGIC = b"PK\x03\x04"  # a zip archive, as every .xlsx is
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003)
# Bytes Windows-1252 leaves undefined: a file holding them is in neither encoding.
CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
MAX_COLUMNS = 100
MAX_CELL_CHARS = 1000  # longer cells are cut here (every field of ours is shorter)
READ_CHUNK = 1 << 16
csv.field_size_limit(1 << 20)


class ImportFileError(ValueError):
    """The file cannot be read; the message says why (already translated)."""


@dataclass(frozen=True)
class Table:
    """A file's header and a way to read its data rows."""

    path: str
    kind: str  # "csv" or "xlsx"
    encoding: str | None
    header: tuple[str, ...]

    def rows(self):
        """(line number, cells) for every data row that is not blank; the header is line 1."""
        reader = _csv_rows(self) if self.kind == "csv" else _xlsx_rows(self.path)
        next(reader, None)  # the header
        width = len(self.header)
        for line, cells in reader:
            cells = [_text(c) for c in cells[:width]]
            if any(cells):
                yield line, cells + [""] * (width - len(cells))


def check_size(path, limit):
    """Refuse an empty file or one over `limit` bytes."""
    size = os.path.getsize(path)
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > limit:
        raise ImportFileError(_("The file is too large: at most %(mb)d MB. Split it into "
                                "smaller files.", mb=limit // (1024 * 1024)))
    return size


def open_table(path):
    """The file's Table (its kind from its first bytes, never its name)."""
    with open(path, "rb") as fh:
        start = fh.read(8)
    if start.startswith(OLD_EXCEL_MAGIC):
        raise ImportFileError(_("This is an old Excel file (.xls). Save it as .xlsx or CSV "
                                "and try again."))
    if start.startswith(XLSX_MAGIC):
        kind, encoding = "xlsx", None
        reader = _xlsx_rows(path)
    else:
        kind, encoding = "csv", csv_encoding(path)
        reader = _csv_rows(Table(path, kind, encoding, ()))
    try:
        first = next(reader, None)
    finally:
        reader.close()
    header = tuple(_text(c) for c in (first[1] if first else ()))
    while header and not header[-1]:
        header = header[:-1]
    if not any(header):
        raise ImportFileError(_("The file has no header row: its first row must name "
                                "the columns."))
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(_("The file has more than %(n)d columns.", n=MAX_COLUMNS))
    return Table(path, kind, encoding, header)


def csv_encoding(path):
    """"utf-8-sig" when the whole file is UTF-8, else "cp1252" when it reads as that;
    ImportFileError otherwise (UTF-16, a binary file)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    undefined = False
    with open(path, "rb") as fh:
        utf8 = True
        while chunk := fh.read(READ_CHUNK):
            if b"\x00" in chunk:
                raise ImportFileError(_("This is not a text file we can read. Save it as "
                                        "\"CSV UTF-8\" (or .xlsx) and try again."))
            undefined = undefined or not CP1252_UNDEFINED.isdisjoint(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
                return "utf-8-sig"
            except UnicodeDecodeError:
                pass
    if undefined:
        raise ImportFileError(_("The file's characters are in an encoding we cannot read. "
                                "Save it as \"CSV UTF-8\" (or .xlsx) and try again."))
    return "cp1252"


def _csv_rows(table):
    with open(table.path, encoding=table.encoding, newline="") as fh:
        # strict: an unclosed quote is an error, not the rest of the file in one cell.
        reader = csv.reader(fh, strict=True)
        line = 1
        try:
            for cells in reader:
                yield line, cells
                line = reader.line_num + 1
        except csv.Error as exc:
            raise ImportFileError(_("Line %(line)d is not valid CSV (%(reason)s).",
                                    line=line, reason=str(exc))) from exc


def _xlsx_rows(path):
    # A file object: openpyxl would refuse the path, which has no .xlsx extension.
    fh = open(path, "rb")
    try:
        workbook = load_workbook(fh, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError,
            InvalidFileException) as exc:
        fh.close()
        raise ImportFileError(_("This file could not be read as a spreadsheet (.xlsx). "
                                "Save it again as .xlsx or CSV.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1,
                                                     values_only=True), 1):
            yield line, list(cells)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise ImportFileError(_("This file could not be read as a spreadsheet (.xlsx). "
                                "Save it again as .xlsx or CSV.")) from exc
    finally:
        workbook.close()
        fh.close()


def _text(value):
    """A cell as trimmed text (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value.replace(microsecond=0)
    if isinstance(value, date | datetime):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()[:MAX_CELL_CHARS]
