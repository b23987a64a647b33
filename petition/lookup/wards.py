"""The 50 wards of the 2023 map, loaded from the shipped boundaries (safe to repeat)."""

from __future__ import annotations

import shapely
from shapely.ops import polylabel
from sqlalchemy import select

from petition.extensions import db
from petition.lookup.rosters import ImportReport, RosterError, RowError, upsert_rows
from petition.models import WARD_NUMBERS, Ward
from petition.models.base import utcnow

WARD_SOURCE = "City of Chicago, Boundaries - Wards (2023-), petition/data/chicago_wards_2023"
# A ward's police districts: those covering at least this share of its area (ignores the
# slivers where two boundary files disagree by a few metres).
DISTRICT_MIN_SHARE = 0.005


def ward_facts(geocoder) -> dict[int, dict]:
    """Per ward: a label point and the police districts it overlaps, from the geocoder."""
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
    rows = [{"number": number, **values} for number, values in facts.items()]
    upsert_rows(Ward, existing, rows, lambda values: values["number"], report, now)
    db.session.flush()
    return report

