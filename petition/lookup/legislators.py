"""The Illinois General Assembly roster: one member (or a vacancy) per House and Senate
district, re-imported from a CSV file with the rules of the other rosters (rosters.py).

Seats missing from the file keep the member they have. A seat is vacant when its name
cell starts with "VACANT" (the roster's own spelling, e.g. "VACANT (left office ...)").
A member without an email address is imported with a warning: letters to them cannot be
sent, and the letter page offers their phone instead.
"""

from __future__ import annotations

from sqlalchemy import select

from petition.extensions import db
from petition.lookup.rosters import (
    BadValue,
    ImportReport,
    RowError,
    clean_value,
    email_value,
    parse_roster,
    phone_value,
    present_values,
    upsert_rows,
    url_value,
    whole_number,
)
from petition.models import Legislator
from petition.models.base import utcnow
from petition.models.legislator import CHAMBER_DISTRICTS, HOUSE, SENATE

LEGISLATOR_COLUMNS = {
    "chamber": ("chamber",),
    "district": ("district",),
    "name": ("name", "member"),
    "party": ("party",),
    "email": ("email",),
    "phone": ("phone", "district_phone"),
    "office_address": ("office_address", "district_office", "district_office_address"),
    "website": ("website", "source_url"),
    "source": ("source",),
}
LEGISLATOR_REQUIRED = {"chamber", "district", "name"}
CHAMBER_NAMES = {"house": HOUSE, "lower": HOUSE, "senate": SENATE, "upper": SENATE}
VACANT = "vacant"


def _chamber(value: str) -> str:
    chamber = CHAMBER_NAMES.get(" ".join((value or "").lower().split()))
    if chamber is None:
        raise BadValue(f"chamber {(value or '').strip()[:20]!r} is not house or senate")
    return chamber


def _legislator_values(raw: dict, line: int, source: str, warnings: list) -> dict:
    get = raw.get
    chamber = _chamber(get("chamber", ""))
    what = "House district" if chamber == HOUSE else "Senate district"
    district = whole_number(get("district", ""), what, CHAMBER_DISTRICTS[chamber])
    name = clean_value(get("name", ""), "name", 300, required=True)
    source = clean_value(get("source", ""), "source", 2000) or source
    if name.lower().startswith(VACANT):
        # Everything about the former member is cleared, whatever the file has.
        return {"chamber": chamber, "district": district, "vacant": True, "name": "",
                "party": "", "email": "", "phone": "", "office_address": "", "website": "",
                "source": source}
    if len(name) > 120:
        raise BadValue("name is longer than 120 characters")
    email = get("email", "").strip()
    if not email:
        warnings.append(RowError(line, f"{name} ({what} {district}) has no email: letters "
                                       "cannot be sent to them; the letter page offers the "
                                       "phone instead"))
    values = {
        "chamber": chamber, "district": district, "vacant": False, "name": name,
        "party": clean_value(get("party", ""), "party", 40),
        "email": email_value(email) if email else "",
        "phone": phone_value(get("phone", "")),
        "office_address": clean_value(get("office_address", ""), "office address", 300,
                                      multiline=True),
        "website": url_value(get("website", ""), "website", warnings, line),
        "source": source,
    }
    return present_values(values, raw, always=("source", "vacant"))


def _seat(values) -> tuple[str, int]:
    return values["chamber"], values["district"]


def parse_legislators(text: str, *, source: str):
    """Validate a General Assembly roster; returns (rows, warnings) or raises RosterError."""
    return parse_roster(
        text, LEGISLATOR_COLUMNS, LEGISLATOR_REQUIRED,
        values=lambda raw, line, warnings: _legislator_values(raw, line, source, warnings),
        key=_seat,
        duplicate=lambda values, line: f"{values['chamber']} district {values['district']} "
                                       f"is already on line {line}")


def import_legislators(text: str, *, source: str, now=None) -> ImportReport:
    """Create or update House and Senate members from a CSV roster; flushes only."""
    now = now or utcnow()
    parsed, warnings = parse_legislators(text, source=source)
    existing = {_seat({"chamber": m.chamber, "district": m.district}): m
                for m in db.session.scalars(select(Legislator))}
    report = ImportReport(warnings=warnings)
    upsert_rows(Legislator, existing, parsed, _seat, report, now)
    db.session.flush()
    vacant = sorted(f"{v['chamber']} {v['district']}" for v in parsed if v["vacant"])
    if vacant:
        report.notes.append("vacant seats: " + ", ".join(vacant))
    return report
