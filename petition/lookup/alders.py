"""The alder roster: one alder per ward, re-imported from a CSV file (see rosters.py)."""

from __future__ import annotations

from sqlalchemy import select

from petition.extensions import db
from petition.lookup.rosters import (
    ImportReport,
    RosterError,
    RowError,
    clean_value,
    email_value,
    office_address,
    parse_roster,
    phone_value,
    present_values,
    upsert_rows,
    url_value,
    whole_number,
)
from petition.models import WARD_NUMBERS, Alder, Ward
from petition.models.base import utcnow

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
        "ward": whole_number(get("ward", ""), "ward", WARD_NUMBERS),
        "name": clean_value(get("name", ""), "name", 120, required=True),
        "email": email_value(get("email", "")),
        "phone": phone_value(get("phone", "")),
        "office_address": office_address(
            clean_value(get("office_address", ""), "office address", 200, multiline=True),
            clean_value(get("office_city", ""), "office city", 40),
            clean_value(get("office_state", ""), "office state", 20),
            clean_value(get("office_zip", ""), "office ZIP", 30),
        )[:300],
        "website": url_value(get("website", ""), "website", warnings, line),
        "city_hall_address": clean_value(get("city_hall_address", ""), "City Hall address", 200),
        "city_hall_phone": phone_value(get("city_hall_phone", ""), "City Hall phone"),
        "source": clean_value(get("source", ""), "source", 2000) or source,
    }
    return present_values(values, raw)


def parse_alders(text: str, *, source: str):
    """Validate an alder roster; returns (rows, warnings) or raises RosterError."""
    return parse_roster(
        text, ALDER_COLUMNS, ALDER_REQUIRED,
        values=lambda raw, line, warnings: _alder_values(raw, line, source, warnings),
        key=lambda values: values["ward"],
        duplicate=lambda values, line: f"ward {values['ward']} is already on line {line}")


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
    listed = upsert_rows(Alder, existing, parsed, lambda values: values["ward"], report, now)
    db.session.flush()
    absent = sorted(set(WARD_NUMBERS) - listed)
    if absent:
        report.notes.append("wards not in the file keep their alder: "
                            + ", ".join(map(str, absent)))
    return report

