"""Spreadsheet exports (.xlsx) that open right in Excel, Google Sheets and LibreOffice.

openpyxl's write-only mode lays out the workbook: each sheet with its bold header row,
frozen and filtered, column widths, the date style, the document's title. Its rows are
streamed into that layout: the database selects each row's plain values
(export_sql.xlsx_columns) and _rows_xml writes them as SpreadsheetML (ECMA-376 part 1,
18.3.1: <row r="2"><c r="A2" t="inlineStr"><is><t>text</t></is></c>...</row>), one
f-string per row, so memory holds one batch of rows.

Why not append every row through openpyxl: its per-cell writer ran at 1,300-5,400 rows/s
here, ten or more times under the 50k rows/s a million-row export must reach, and it zips
a sheet only when the workbook is saved, so the first byte would leave after minutes
(figures in bench/README.md).

Cells are typed: free text as inline strings (stored as text, never run as a formula, no
apostrophe added: "=1+1" and ZIP "06047" arrive as typed), ward numbers as numbers, times
as date-times in Chicago time.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CHICAGO = ZoneInfo("America/Chicago")
SHEET_TITLE_MAX = 31  # Excel refuses longer sheet titles
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:\x00-\x1f]")
MAX_DATA_ROWS = 1_048_576 - 1  # Excel's rows per sheet, less the header
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
EXCEL_EPOCH_DAYS = 25569  # day 0 of Unix time as an Excel serial day (1970-01-01)
SECONDS_PER_DAY = 86_400
# Characters wide, in header order: names, address, ZIP, email, phone, ward, two times,
# opt-in, volunteer, source, sheet number, signed on, the invalidation time.
COLUMN_WIDTHS = (16, 20, 36, 10, 30, 16, 8, 29, 29, 8, 10, 14, 12, 12, 29)
INVALIDATED_COLUMN = "O"
# A row's XML at most: every text field at its longest, escaped and in 3-byte characters.
# A sheet that might pass zip's 4 GB at that size gets zip64 sizes; smaller ones stay plain.
MAX_ROW_BYTES = 12_000
ZIP32_LIMIT = 0xFFFFFFFF
SHEET_PATH = re.compile(r"xl/worksheets/sheet(\d+)\.xml")  # numbered from 1 in sheet order
TEXT_CELL_START = 't="inlineStr"><is><t xml:space="preserve">'  # after the cell's reference
TEXT_CELL_END = "</t></is></c>"
# Characters XML 1.0 cannot hold (C0 controls but tab, LF and CR: the sign form refuses
# them, older rows might hold one; two noncharacters) are dropped; & < > escaped. A search
# over the row's text first: nearly every row needs nothing, and translating every cell
# cost six times as long as the search.
XML_FORBIDDEN = "".join(map(chr, [*range(9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]))
NEEDS_ESCAPING = re.compile(f"[&<>{XML_FORBIDDEN}]")
XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"} | dict.fromkeys(XML_FORBIDDEN))
# The petition's title goes into workbook.xml and docProps/core.xml as it is: the same
# characters, and lone surrogates, are dropped from it.
NOT_XML = re.compile(f"[{XML_FORBIDDEN}\ud800-\udfff]")


def header(include_invalidated=False):
    """The header row, in the organizer's language; times name their zone."""
    names = [_("first name"), _("last name"), _("address"), _("ZIP"), _("email"), _("phone"),
             _("ward"), _("signed at (America/Chicago)"), _("confirmed at (America/Chicago)"),
             _("opt-in"), _("volunteer"), _("source"), _("sheet number"), _("signed on")]
    if include_invalidated:
        names.append(_("invalidated at (America/Chicago)"))
    return names


def sheet_title(label, petition_title):
    """"<label> · <petition>" within Excel's 31 characters and without its forbidden ones."""
    title = SHEET_TITLE_FORBIDDEN.sub(" ", NOT_XML.sub("", f"{label} · {petition_title}"))
    title = re.sub(r"\s+", " ", title).strip()
    if len(title) > SHEET_TITLE_MAX:
        title = title[:SHEET_TITLE_MAX - 1].rstrip() + "…"
    return title.strip("'").strip() or "Sheet"  # Excel refuses a title that starts or ends with '


@lru_cache(maxsize=1 << 16)
def _chicago_offset(utc_hour):
    """Chicago's offset from UTC in seconds during this UTC hour (zones change on the hour)."""
    moment = datetime.fromtimestamp(utc_hour * 3600, UTC)
    return int(moment.astimezone(CHICAGO).utcoffset().total_seconds())


@lru_cache(maxsize=1)
def _day_fractions():
    """Each second of a day as the decimal part of an Excel serial, ".500000000000" at noon:
    looking one up takes half the time of formatting a float, twice per row."""
    return tuple(f"{second / SECONDS_PER_DAY:.12f}"[1:] for second in range(SECONDS_PER_DAY))


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: int
    batches: object  # an iterator over lists of rows: the id, then export_sql.xlsx_columns


def _layout(sheets, header_names, document_title):
    """The workbook with every sheet's header and no data rows, and the date style's id."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = NOT_XML.sub("", document_title)
    workbook.properties.creator = "petition"
    date_style = None
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title)
        ws.freeze_panes = "A2"
        for column, width in enumerate(COLUMN_WIDTHS[:len(header_names)], 1):
            ws.column_dimensions[get_column_letter(column)].width = width
        last_column = get_column_letter(len(header_names))
        ws.auto_filter.ref = f"A1:{last_column}{sheet.rows + 1}"
        cells = []
        for name in header_names:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = Font(bold=True)
            cells.append(cell)
        ws.append(cells)
        if date_style is None:
            cell = WriteOnlyCell(ws)
            cell.number_format = DATE_FORMAT
            date_style = cell.style_id  # registers the style in the workbook
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), date_style


def _serial(seconds):
    """A UTC instant (epoch seconds) as an Excel serial date-time in Chicago time."""
    days, second = divmod(seconds + _chicago_offset(seconds // 3600), SECONDS_PER_DAY)
    return f"{days + EXCEL_EPOCH_DAYS}{_day_fractions()[second]}"


def _rows_xml(batch, first_row, style, words, with_invalidated):
    """A batch of rows (the id, then export_sql.xlsx_columns) as <row> elements numbered
    from first_row: free text as inline strings, the ward as a number, times as numbers in
    the date style `style`; `words` are the escaped yes, no and outside."""
    yes, no, outside = words
    start, end = TEXT_CELL_START, TEXT_CELL_END
    parts = []
    for n, (_id, first, last, address, zip_code, email, phone, ward, is_outside, signed,
            confirmed, opt_in, volunteer, source, sheet, signed_on,
            invalidated) in enumerate(batch, first_row):
        if NEEDS_ESCAPING.search(f"{first}{last}{address}{zip_code}{email}{phone}{sheet}"):
            first, last, address, zip_code, email, phone, sheet = (
                value.translate(XML_TEXT)
                for value in (first, last, address, zip_code, email, phone, sheet))
        if is_outside:
            ward_cell = f'<c r="G{n}" {start}{outside}{end}'
        else:
            ward_cell = "" if ward is None else f'<c r="G{n}"><v>{ward}</v></c>'
        parts.append(
            f'<row r="{n}"><c r="A{n}" {start}{first}{end}<c r="B{n}" {start}{last}{end}'
            f'<c r="C{n}" {start}{address}{end}<c r="D{n}" {start}{zip_code}{end}'
            f'<c r="E{n}" {start}{email}{end}'
            + (f'<c r="F{n}" {start}{phone}{end}' if phone else "") + ward_cell
            + f'<c r="H{n}" s="{style}"><v>{_serial(signed)}</v></c>'
            + ("" if confirmed is None else
               f'<c r="I{n}" s="{style}"><v>{_serial(confirmed)}</v></c>')
            + f'<c r="J{n}" {start}{yes if opt_in else no}{end}'
            f'<c r="K{n}" {start}{yes if volunteer else no}{end}'
            # The source is a checked token and the day ISO text: nothing to escape.
            + (f'<c r="L{n}" {start}{source}{end}' if source else "")
            + (f'<c r="M{n}" {start}{sheet}{end}' if sheet else "")
            + (f'<c r="N{n}" {start}{signed_on}{end}' if signed_on else "")
            + (f'<c r="{INVALIDATED_COLUMN}{n}" s="{style}"><v>{_serial(invalidated)}</v></c>'
               if with_invalidated and invalidated is not None else "")
            + "</row>")
    return "".join(parts).encode("utf-8")


class RowSource:
    """One stream of row batches, dealt out to sheets of at most `quota` rows each."""

    def __init__(self, batches):
        self.batches = iter(batches)
        self.left = []

    def take(self, quota):
        while quota > 0:
            batch = self.left or next(self.batches, None)
            if not batch:
                return
            batch, self.left = batch[:quota], batch[quota:]
            quota -= len(batch)
            yield batch


def sheets_for(label, petition_title, rows, batches):
    """The sheets for one selection: one, or more when it passes Excel's rows per sheet."""
    source = RowSource(batches)
    parts = max(1, -(-rows // MAX_DATA_ROWS))
    return [Sheet(sheet_title(label if parts == 1 else f"{label} ({part + 1})", petition_title),
                  min(MAX_DATA_ROWS, rows - part * MAX_DATA_ROWS), source.take(MAX_DATA_ROWS))
            for part in range(parts)]


def stream_workbook(sheets, include_invalidated, document_title, sink, flush_bytes):
    """The .xlsx file in byte chunks: the layout's parts, each sheet's rows streamed in."""
    layout, style = _layout(sheets, header(include_invalidated), document_title)
    # "outside" as the CSV writes it: a key, not a sentence.
    words = tuple(word.translate(XML_TEXT) for word in (_("yes"), _("no"), "outside"))
    source = zipfile.ZipFile(io.BytesIO(layout))
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=1) as archive:
        for info in source.infolist():
            data = source.read(info)
            path = SHEET_PATH.fullmatch(info.filename)
            if path is None:
                archive.writestr(info, data)
                continue
            sheet = sheets[int(path.group(1)) - 1]
            head, tail = data.split(b"</sheetData>", 1)
            # By name: a ZipInfo of our own would be deflated at level 6, not 1.
            with archive.open(info.filename, mode="w",
                              force_zip64=sheet.rows * MAX_ROW_BYTES >= ZIP32_LIMIT) as out:
                out.write(head)
                next_row = 2
                for batch in sheet.batches:
                    out.write(_rows_xml(batch, next_row, style, words, include_invalidated))
                    next_row += len(batch)
                    if sink.size >= flush_bytes:
                        yield sink.take()
                out.write(b"</sheetData>" + tail)
            yield sink.take()
    yield sink.take()
