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
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import shapely
from sqlalchemy import select

from petition.extensions import db
from petition.models import Alder, DistrictCouncilMember, Ward
from petition.models.base import utcnow
from petition.services.emails import InvalidEmail, check_email

WARD_NUMBERS = range(1, 51)
WARD_SOURCE = "City of Chicago, Boundaries - Wards (2023-), petition/data/chicago_wards_2023"
# A ward's police districts: those covering at least this share of its area (ignores the
# slivers where two boundary files disagree by a few metres).
DISTRICT_MIN_SHARE = 0.005
MAX_FILE_BYTES = 2 * 1024 * 1024
_PHONE = re.compile(r"^[0-9+().\-\s/,;x]*$", re.IGNORECASE)


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
    reader = csv.reader(io.StringIO(text, newline=""))
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


# -- checking values ---------------------------------------------------------------------

class _Bad(ValueError):
    pass


def _clean(value: str, what: str, max_len: int, required=False, multiline=False) -> str:
    value = (value or "").strip()
    if multiline:  # an address typed on several lines in a spreadsheet cell
        value = ", ".join(part.strip() for part in value.splitlines() if part.strip())
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise _Bad(f"{what} contains control characters")
    if len(value) > max_len:
        raise _Bad(f"{what} is longer than {max_len} characters")
    if required and not value:
        raise _Bad(f"{what} is missing")
    return value


def _whole_number(value: str, what: str, allowed) -> int:
    value = (value or "").strip()
    if not value:
        raise _Bad(f"{what} is missing")
    if not value.isdigit() or len(value) > 4:
        raise _Bad(f"{what} {value[:20]!r} is not a whole number")
    number = int(value)
    if number not in allowed:
        raise _Bad(f"{what} {number} does not exist")
    return number


def _email(value: str) -> str:
    value = _clean(value, "email", 254, required=True)
    try:
        return check_email(value)
    except InvalidEmail as exc:
        raise _Bad(f"email {value[:60]!r} is not a valid email address") from exc


def _phone(value: str, what="phone") -> str:
    value = _clean(value, what, 60)
    if value and (not _PHONE.match(value) or sum(c.isdigit() for c in value) < 7):
        raise _Bad(f"{what} {value[:40]!r} is not a phone number")
    return value


def _url(value: str, what: str, warnings: list, line: int) -> str:
    """An http(s) URL; a URL that is really an email address is dropped with a warning."""
    value = _clean(value, what, 300)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in value:
        raise _Bad(f"{what} {value[:60]!r} must be a web address starting with "
                   "http:// or https://")
    if "@" in parts.netloc:
        warnings.append(RowError(line, f"{what} {value!r} looks like an email address, "
                                       "not a web page; it was left empty"))
        return ""
    return value


def _office_address(address: str, city: str, state: str, zip_code: str) -> str:
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


def _apply_fields(row, values: dict, now) -> bool:
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


def _present(values: dict, raw: dict, always=("source",)) -> dict:
    """Only the fields the file has a column for (an existing row keeps the others)."""
    return {k: v for k, v in values.items() if k in raw or k in always}


# -- wards -------------------------------------------------------------------------------

def ward_facts(geocoder) -> dict[int, dict]:
    """Per ward: a label point and the police districts it overlaps, from the geocoder."""
    from shapely.ops import polylabel

    districts = {}
    for number in sorted(geocoder.districts.numbers):
        districts[number] = geocoder.district_geometry(number)
    facts = {}
    for number in geocoder.ward_numbers():
        ward = geocoder.ward_geometry(number)
        overlaps = []
        for d, geom in districts.items():
            if shapely.intersects(ward, geom):
                share = shapely.area(shapely.intersection(ward, geom)) / ward.area
                if share >= DISTRICT_MIN_SHARE:
                    overlaps.append(d)
        largest = max(getattr(ward, "geoms", [ward]), key=lambda g: g.area)
        label = polylabel(largest, tolerance=1e-4)
        facts[number] = {
            "name": f"Ward {number}",
            "police_districts": ",".join(str(d) for d in overlaps),
            "label_lon": round(label.x, 6),
            "label_lat": round(label.y, 6),
            "source": WARD_SOURCE,
        }
    return facts


def load_wards(geocoder, *, now=None) -> ImportReport:
    """Create or update the 50 ward rows from the shipped 2023 boundaries (idempotent)."""
    now = now or utcnow()
    facts = ward_facts(geocoder)
    if sorted(facts) != list(WARD_NUMBERS):
        raise RosterError([RowError(0, f"the ward map has {len(facts)} wards, not 50")])
    existing = {w.number: w for w in db.session.scalars(select(Ward))}
    report = ImportReport()
    for number, values in facts.items():
        ward = existing.get(number)
        if ward is None:
            db.session.add(Ward(number=number, updated_at=now, **values))
            report.created += 1
        elif _apply_fields(ward, values, now):
            report.updated += 1
        else:
            report.unchanged += 1
    db.session.flush()
    return report


# -- alders ------------------------------------------------------------------------------

ALDER_COLUMNS = {
    "ward": ("ward",),
    "name": ("name", "alder", "alderperson"),
    "email": ("email", "ward_office_email"),
    "phone": ("phone", "ward_office_phone"),
    "office_address": ("office_address", "ward_office_address"),
    "office_city": ("office_city", "ward_office_city"),
    "office_state": ("office_state", "ward_office_state"),
    "office_zip": ("office_zip", "ward_office_zip"),
    "website": ("website",),
    "city_hall_address": ("city_hall_address",),
    "city_hall_phone": ("city_hall_phone",),
    "source": ("source",),
}
ALDER_REQUIRED = {"ward", "name", "email"}


def _alder_values(raw: dict, line: int, source: str, warnings: list) -> dict:
    get = raw.get
    values = {
        "ward": _whole_number(get("ward", ""), "ward", WARD_NUMBERS),
        "name": _clean(get("name", ""), "name", 120, required=True),
        "email": _email(get("email", "")),
        "phone": _phone(get("phone", "")),
        "office_address": _office_address(
            _clean(get("office_address", ""), "office address", 200, multiline=True),
            _clean(get("office_city", ""), "office city", 40),
            _clean(get("office_state", ""), "office state", 20),
            _clean(get("office_zip", ""), "office ZIP", 30),
        )[:300],
        "website": _url(get("website", ""), "website", warnings, line),
        "city_hall_address": _clean(get("city_hall_address", ""), "City Hall address", 200),
        "city_hall_phone": _phone(get("city_hall_phone", ""), "City Hall phone"),
        "source": _clean(get("source", ""), "source", 2000) or source,
    }
    return _present(values, raw)


def parse_alders(text: str, *, source: str):
    """Validate an alder roster; returns (rows, warnings) or raises RosterError."""
    rows, errors = read_rows(text, ALDER_COLUMNS, ALDER_REQUIRED)
    warnings, parsed, seen = [], [], {}
    for line, raw in rows:
        try:
            values = _alder_values(raw, line, source, warnings)
        except _Bad as exc:
            errors.append(RowError(line, str(exc)))
            continue
        ward = values["ward"]
        if ward in seen:
            errors.append(RowError(line, f"ward {ward} is already on line {seen[ward]}"))
            continue
        seen[ward] = line
        parsed.append(values)
    if not parsed and not errors:
        errors.append(RowError(0, "the file has no rows"))
    if errors:
        raise RosterError(sorted(errors, key=lambda e: e.line))
    return parsed, warnings


def import_alders(text: str, *, source: str, now=None) -> ImportReport:
    """Create or update alders from a CSV roster (see the module docs); flushes only."""
    now = now or utcnow()
    parsed, warnings = parse_alders(text, source=source)
    wards = set(db.session.scalars(select(Ward.number)))
    unknown = sorted({v["ward"] for v in parsed} - wards)
    if unknown:
        raise RosterError([RowError(0, "wards are not loaded yet: run `flask wards load` "
                                       f"first (missing: {', '.join(map(str, unknown[:5]))})")])
    existing = {a.ward: a for a in db.session.scalars(select(Alder))}
    report = ImportReport(warnings=warnings)
    for values in parsed:
        alder = existing.get(values["ward"])
        if alder is None:
            db.session.add(Alder(updated_at=now, **values))
            report.created += 1
        elif _apply_fields(alder, values, now):
            report.updated += 1
        else:
            report.unchanged += 1
    db.session.flush()
    absent = sorted(set(WARD_NUMBERS) - {v["ward"] for v in parsed})
    if absent:
        report.notes.append("wards not in the file keep their alder: "
                            + ", ".join(map(str, absent)))
    return report


# -- District Council members --------------------------------------------------------------

COUNCIL_COLUMNS = {
    "district": ("district",),
    "name": ("name",),
    "role": ("role", "role_as_listed"),
    "source_url": ("source_url",),
    "as_of": ("as_of",),
    "source": ("source",),
}
COUNCIL_REQUIRED = {"district", "name"}
COUNCIL_SEATS = 3


def _date(value: str):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _Bad(f"as_of {value[:20]!r} is not a date like 2023-06-16") from exc


def parse_district_councils(text: str, *, source: str, districts):
    """Validate a District Council roster; returns (rows, warnings) or raises RosterError."""
    districts = set(districts)
    rows, errors = read_rows(text, COUNCIL_COLUMNS, COUNCIL_REQUIRED)
    warnings, parsed, seen = [], [], {}
    for line, raw in rows:
        try:
            values = {
                "district": _whole_number(raw.get("district", ""), "police district",
                                          districts),
                "name": _clean(raw.get("name", ""), "name", 120, required=True),
                "role": _clean(raw.get("role", ""), "role", 80),
                "source_url": _url(raw.get("source_url", ""), "source_url", warnings, line),
                "as_of": _date(raw.get("as_of", "")),
                "source": _clean(raw.get("source", ""), "source", 2000) or source,
            }
            values = _present(values, raw)
        except _Bad as exc:
            errors.append(RowError(line, str(exc)))
            continue
        key = (values["district"], values["name"].casefold())
        if key in seen:
            errors.append(RowError(line, f"{values['name']} is already listed for district "
                                         f"{values['district']} on line {seen[key]}"))
            continue
        seen[key] = line
        parsed.append(values)
    if not parsed and not errors:
        errors.append(RowError(0, "the file has no rows"))
    if errors:
        raise RosterError(sorted(errors, key=lambda e: e.line))
    per_district = {}
    for values in parsed:
        per_district[values["district"]] = per_district.get(values["district"], 0) + 1
    for district, n in sorted(per_district.items()):
        if n > COUNCIL_SEATS:
            warnings.append(RowError(0, f"district {district} lists {n} members; "
                                        f"a District Council has {COUNCIL_SEATS} seats"))
    return parsed, warnings


def import_district_councils(text: str, *, source: str, districts, now=None) -> ImportReport:
    """Replace the members of each police district the file lists; flushes only."""
    now = now or utcnow()
    parsed, warnings = parse_district_councils(text, source=source, districts=districts)
    listed = {v["district"] for v in parsed}
    existing = {
        (m.district, m.name.casefold()): m
        for m in db.session.scalars(
            select(DistrictCouncilMember).where(DistrictCouncilMember.district.in_(listed))
        )
    }
    report = ImportReport(warnings=warnings)
    keep = set()
    for values in parsed:
        key = (values["district"], values["name"].casefold())
        keep.add(key)
        member = existing.get(key)
        if member is None:
            db.session.add(DistrictCouncilMember(updated_at=now, **values))
            report.created += 1
        elif _apply_fields(member, values, now):
            report.updated += 1
        else:
            report.unchanged += 1
    for key, member in existing.items():
        if key not in keep:
            db.session.delete(member)
            report.removed += 1
    db.session.flush()
    absent = sorted(set(districts) - listed)
    if absent:
        report.notes.append("police districts not in the file were left as they are: "
                            + ", ".join(map(str, absent)))
    return report
