"""Wards, alders and police District Council members: loaded and re-imported from files.

Organizers re-import a roster whenever an alder or a council member changes, so every
import here:

- reads the whole file and validates every row first, collecting each problem with the
  line number it starts on (the header is line 1);
- changes nothing when any row is bad (it raises :class:`RosterError` before touching the
  session), and otherwise only flushes: the caller commits once;
- is safe to repeat: an identical file changes no row (not even ``updated_at``).

Alders: one per ward; wards missing from the file keep the alder they have.
District Councils: the file is authoritative for the districts it lists (members no longer
listed are removed); districts absent from the file are left as they are.

This module holds what the imports share (reading, validating cells, one row per seat with
`parse_roster`, reports); the imports themselves are in wards.py, alders.py, councils.py and
legislators.py.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from petition.extensions import db
from petition.mail.addresses import InvalidEmail, check_email
from petition.web.numbers import is_digits, parse_number

MAX_FILE_BYTES = 2 * 1024 * 1024
_PHONE = re.compile(r"^[0-9+().\-\s/,;x]*$", re.IGNORECASE)
# A cell starting with one of these is a spreadsheet formula saved as its text, never a
# name, address or number ("=HYPERLINK(...)" would go on pages, letters and batch CSVs).
FORMULA_START = ("=", "@")


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header; 0 is the file as a whole
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


class RosterError(Exception):
    """The file cannot be imported; nothing was changed."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors[:5]))


def raise_if_bad(parsed: list, errors: list) -> None:
    """Refuse the whole file if any row was bad, or if it had no rows at all."""
    if not parsed and not errors:
        errors.append(RowError(0, "the file has no rows"))
    if errors:
        raise RosterError(sorted(errors, key=lambda e: e.line))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    warnings: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return self.created + self.updated + self.removed

    def summary(self):
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.removed} removed")


# -- reading files -----------------------------------------------------------------------

def decode(data: bytes) -> str:
    """File bytes -> text: UTF-8, with or without a byte-order mark."""
    if len(data) > MAX_FILE_BYTES:
        raise RosterError([RowError(0, f"the file is larger than {MAX_FILE_BYTES} bytes")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterError([RowError(line, "the file is not UTF-8 text; save it as "
                                          "CSV UTF-8 and try again")]) from exc


def header_key(name: str) -> str:
    """'Ward Office Email ' -> 'ward_office_email'."""
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def read_rows(text: str, columns: dict[str, tuple[str, ...]], required: set[str]):
    """Rows of a CSV as (line, {field: text}) with header aliases resolved.

    ``columns`` maps each field to the header names accepted for it (first is canonical).
    Raises RosterError for a bad header; row-level problems are left to the caller.
    """
    # strict: a quote left open is an error, not a cell that silently swallows the rows
    # after it (those seats would then keep their old member without a word).
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise RosterError([RowError(1, f"the header cannot be read: {exc}")]) from exc
    if not header or not any(h.strip() for h in header):
        raise RosterError([RowError(1, "the file is empty or has no header row")])
    keys = [header_key(h) for h in header]
    index, errors = {}, []
    for fieldname, names in columns.items():
        found = [i for i, k in enumerate(keys) if k in names]
        if len(found) > 1:
            errors.append(RowError(1, f"columns {', '.join(header[i] for i in found)} "
                                      f"both give the {fieldname}; keep one"))
        elif found:
            index[fieldname] = found[0]
    missing = [" or ".join(columns[f]) for f in columns if f in required and f not in index]
    if missing:
        errors.append(RowError(1, "missing column(s): " + "; ".join(missing)
                                  + f" (the header has: {', '.join(header)[:300]})"))
    if errors:
        raise RosterError(errors)
    rows, row_errors = [], []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row_errors.append(RowError(line, f"this row cannot be read as CSV: {exc}"))
            break
        start, line = line, reader.line_num + 1
        if not cells or not any(c.strip() for c in cells):
            continue  # blank line
        if len(cells) > len(header):
            row_errors.append(RowError(start, f"{len(cells)} cells but the header has "
                                              f"{len(header)} columns (a stray comma?)"))
            continue
        rows.append((start, {f: (cells[i] if i < len(cells) else "") for f, i in index.items()}))
    return rows, row_errors


def parse_roster(text, columns, required, *, values, key, duplicate):
    """Validate a roster with one row per seat; returns (rows, warnings) or raises
    RosterError listing every bad row.

    ``values(raw, line, warnings)`` turns a row's cells into column values (BadValue for a
    bad cell); ``key(values)`` names the seat; ``duplicate(values, line)`` says that seat
    is already on ``line``.
    """
    rows, errors = read_rows(text, columns, required)
    warnings, parsed, seen = [], [], {}
    for line, raw in rows:
        try:
            row = values(raw, line, warnings)
        except BadValue as exc:
            errors.append(RowError(line, str(exc)))
            continue
        if key(row) in seen:
            errors.append(RowError(line, duplicate(row, seen[key(row)])))
            continue
        seen[key(row)] = line
        parsed.append(row)
    raise_if_bad(parsed, errors)
    return parsed, warnings


# -- checking values ---------------------------------------------------------------------

class BadValue(ValueError):
    pass


def clean_value(value: str, what: str, max_len: int, required=False, multiline=False) -> str:
    value = (value or "").strip()
    if multiline:  # an address typed on several lines in a spreadsheet cell
        value = ", ".join(part.strip() for part in value.splitlines() if part.strip())
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in value):
        raise BadValue(f"{what} contains control characters")
    if value.startswith(FORMULA_START):
        raise BadValue(f"{what} {value[:40]!r} is a spreadsheet formula, not its value; "
                       "save the cells as values and try again")
    if len(value) > max_len:
        raise BadValue(f"{what} is longer than {max_len} characters")
    if required and not value:
        raise BadValue(f"{what} is missing")
    return value


def whole_number(value: str, what: str, allowed) -> int:
    value = (value or "").strip()
    if not value:
        raise BadValue(f"{what} is missing")
    if not is_digits(value):
        raise BadValue(f"{what} {value[:20]!r} is not a whole number")
    number = parse_number(value, allowed)
    if number is None:
        raise BadValue(f"{what} {value.lstrip('0')[:20] or 0} does not exist")
    return number


def email_value(value: str) -> str:
    value = clean_value(value, "email", 254, required=True)
    try:
        return check_email(value)
    except InvalidEmail as exc:
        raise BadValue(f"email {value[:60]!r} is not a valid email address") from exc


def phone_value(value: str, what="phone") -> str:
    value = clean_value(value, what, 60)
    if value and (not _PHONE.match(value) or sum(c.isdigit() for c in value) < 7):
        raise BadValue(f"{what} {value[:40]!r} is not a phone number")
    return value


def url_value(value: str, what: str, warnings: list, line: int) -> str:
    """An http(s) URL; a URL that is really an email address is dropped with a warning."""
    value = clean_value(value, what, 300)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in value:
        raise BadValue(f"{what} {value[:60]!r} must be a web address starting with "
                   "http:// or https://")
    if "@" in parts.netloc:
        warnings.append(RowError(line, f"{what} {value!r} looks like an email address, "
                                       "not a web page; it was left empty"))
        return ""
    return value


def office_address(address: str, city: str, state: str, zip_code: str) -> str:
    """'1958 N Milwaukee Ave' + Chicago, IL 60647 -> one line; pairs 'A; B' with 'Z1; Z2'."""
    streets = [a.strip() for a in address.split(";") if a.strip()]
    if not streets:
        return ""
    zips = [z.strip() for z in zip_code.split(";")]
    if len(zips) != len(streets):
        zips = [zip_code.strip()] + [""] * (len(streets) - 1)
    out = []
    for street, z in zip(streets, zips, strict=True):
        tail = " ".join(p for p in (state, z) if p)
        out.append(", ".join(p for p in (street, city, tail) if p))
    return "; ".join(out)


def apply_fields(row, values: dict, now) -> bool:
    """Set changed attributes only; True if anything changed.

    ``source`` says where the current values came from: it is written along with a real
    change, but a file that differs only by its name changes nothing.
    """
    changed = False
    for key, value in values.items():
        if key != "source" and getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if changed:
        row.updated_at = now
        if "source" in values:
            row.source = values["source"]
    return changed


def upsert_rows(model, existing, parsed, key, report, now):
    """Add the rows of `parsed` (column values) missing from `existing` ({key: row}) and
    update the changed ones, counting each in `report`; returns the keys the file has."""
    listed = set()
    for values in parsed:
        listed.add(key(values))
        row = existing.get(key(values))
        if row is None:
            db.session.add(model(updated_at=now, **values))
            report.created += 1
        elif apply_fields(row, values, now):
            report.updated += 1
        else:
            report.unchanged += 1
    return listed


def present_values(values: dict, raw: dict, always=("source",)) -> dict:
    """Only the fields the file has a column for (an existing row keeps the others)."""
    return {k: v for k, v in values.items() if k in raw or k in always}

