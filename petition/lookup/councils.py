"""Police District Council members, re-imported from a CSV file (see rosters.py)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from petition.extensions import db
from petition.lookup.rosters import (
    BadValue,
    ImportReport,
    RowError,
    clean_value,
    present_values,
    raise_if_bad,
    read_rows,
    upsert_rows,
    url_value,
    whole_number,
)
from petition.models import DistrictCouncilMember
from petition.models.base import utcnow

# The roles the City's District Council pages list, in the page's language; a role not
# listed here shows as the roster spells it.
ROLE_NAMES = {
    "chair": _l("Chair"),
    "vice chair": _l("Vice Chair"),
    "secretary": _l("Secretary"),
    "nominating committee": _l("Nominating Committee"),
    "community engagement": _l("Community Engagement"),
    "community engagements": _l("Community Engagement"),
}


def role_name(role):
    """A District Council role in the page's language ("Chair" -> "Presidencia")."""
    return ROLE_NAMES.get(" ".join((role or "").lower().split()), role)


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
        raise BadValue(f"as_of {value[:20]!r} is not a date like 2023-06-16") from exc


def parse_district_councils(text: str, *, source: str, districts):
    """Validate a District Council roster; returns (rows, warnings) or raises RosterError."""
    districts = set(districts)
    rows, errors = read_rows(text, COUNCIL_COLUMNS, COUNCIL_REQUIRED)
    warnings, parsed, seen = [], [], {}
    for line, raw in rows:
        try:
            values = {
                "district": whole_number(raw.get("district", ""), "police district",
                                          districts),
                "name": clean_value(raw.get("name", ""), "name", 120, required=True),
                "role": clean_value(raw.get("role", ""), "role", 80),
                "source_url": url_value(raw.get("source_url", ""), "source_url", warnings, line),
                "as_of": _date(raw.get("as_of", "")),
                "source": clean_value(raw.get("source", ""), "source", 2000) or source,
            }
            values = present_values(values, raw)
        except BadValue as exc:
            errors.append(RowError(line, str(exc)))
            continue
        key = (values["district"], values["name"].casefold())
        if key in seen:
            errors.append(RowError(line, f"{values['name']} is already listed for district "
                                         f"{values['district']} on line {seen[key]}"))
            continue
        seen[key] = line
        parsed.append(values)
    raise_if_bad(parsed, errors)
    per_district = {}
    for values in parsed:
        per_district[values["district"]] = per_district.get(values["district"], 0) + 1
    for district, n in sorted(per_district.items()):
        if n > COUNCIL_SEATS:
            warnings.append(RowError(0, f"district {district} lists {n} members; "
                                        f"a District Council has {COUNCIL_SEATS} seats"))
    return parsed, warnings


def _member_key(values):
    """A member is known by district and name (case ignored)."""
    return values["district"], values["name"].casefold()


def import_district_councils(text: str, *, source: str, districts, now=None) -> ImportReport:
    """Replace the members of each police district the file lists; flushes only."""
    now = now or utcnow()
    parsed, warnings = parse_district_councils(text, source=source, districts=districts)
    listed = {v["district"] for v in parsed}
    existing = {
        _member_key({"district": m.district, "name": m.name}): m
        for m in db.session.scalars(
            select(DistrictCouncilMember).where(DistrictCouncilMember.district.in_(listed))
        )
    }
    report = ImportReport(warnings=warnings)
    keep = upsert_rows(DistrictCouncilMember, existing, parsed, _member_key, report, now)
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
