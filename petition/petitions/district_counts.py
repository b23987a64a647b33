"""A petition to state members, per Illinois House or Senate district: the public counts
(page and JSON) and the organizers' dashboard table, read from the district counters
(models/district_count.py, kept by petitions/counts.py) rather than the signatures."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from petition.extensions import db
from petition.geo import Geocoder
from petition.letters.reports import letters_to_members
from petition.lookup.members import members_of
from petition.models import NO_DISTRICT, DistrictCount, PetitionTarget
from petition.models.legislator import HOUSE
from petition.petitions import counts
from petition.stances.calls import calls_to_members, heard_from_members


@dataclass
class DistrictRow:
    district: int
    member: str | None  # None: vacant or not in the roster
    vacant: bool
    confirmed: int
    pending: int
    letters: int
    calls: int
    heard: dict = field(default_factory=dict)  # {Stance: n}: positions callers heard


@dataclass
class DistrictTable:
    chamber: str  # HOUSE or SENATE
    rows: list
    no_district: dict  # {"confirmed": n, "pending": n}: outside Chicago or not placed


def city_districts(chamber: str) -> list[int]:
    """The chamber's districts that reach into Chicago (the shipped polygons)."""
    state = Geocoder.default().state
    return sorted((state.house if chamber == HOUSE else state.senate).numbers)


def chamber_counts(petition_id) -> dict:
    """{(chamber, district): DistrictCount row} of a petition (district 0: none)."""
    return {(row.chamber, row.district): row for row in db.session.scalars(
        select(DistrictCount).where(DistrictCount.petition_id == petition_id))}


def public_counts(petition) -> dict:
    """The public counts, following the petition's target: per ward for alders (as
    counts.petition_counts), else per House and/or Senate district instead of per ward:
    ``{"house_districts": {"1": n, ...}, "no_house_district": n}`` (and the same for the
    Senate), with ``"target"``, the total, outside Chicago and when they last changed."""
    data = counts.petition_counts(petition)
    data["target"] = petition.target.value
    if petition.target is PetitionTarget.ALDER:
        return data
    stored = chamber_counts(petition.id)
    del data["wards"], data["unknown_ward"]
    for chamber in petition.target.chambers:
        data[f"{chamber}_districts"] = {
            str(n): stored[(chamber, n)].confirmed if (chamber, n) in stored else 0
            for n in city_districts(chamber)}
        none = stored.get((chamber, NO_DISTRICT))
        data[f"no_{chamber}_district"] = none.confirmed if none else 0
    changed = [row.updated_at for row in stored.values() if row.updated_at]
    latest = max(changed, default=None)
    if latest and latest.replace(microsecond=0).isoformat() + "Z" > data["updated_at"]:
        data["updated_at"] = latest.replace(microsecond=0).isoformat() + "Z"
    return data


def district_table(petition, chamber: str) -> DistrictTable:
    """Every district with signers, letters or calls, in district order (set-aside signatures
    left out, as in the ward counts)."""
    stored = {district: (row.confirmed, row.pending)
              for (row_chamber, district), row in chamber_counts(petition.id).items()
              if row_chamber == chamber}
    letters = letters_to_members(petition.id, chamber)
    calls = calls_to_members(petition.id, chamber)
    heard = heard_from_members(petition.id, chamber)
    members = members_of(chamber)
    rows = []
    wanted = {d for d, value in stored.items() if value != (0, 0)} | set(letters) | set(calls)
    for district in sorted(wanted - {NO_DISTRICT, None}):
        c, p = stored.get(district, (0, 0))
        member = members.get(district)
        rows.append(DistrictRow(district, member.name if member else None,
                                district in members and member is None, c, p,
                                letters.get(district, 0), calls.get(district, 0),
                                heard.get(district, {})))
    c, p = stored.get(NO_DISTRICT, (0, 0))
    return DistrictTable(chamber, rows, {"confirmed": c, "pending": p})
