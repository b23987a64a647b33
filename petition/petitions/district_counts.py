"""A petition to state members, per Illinois House or Senate district: signatures, letters
and the member, for the organizers' dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from petition.extensions import db
from petition.lookup.members import members_of
from petition.models import Letter, Signature
from petition.models.legislator import HOUSE


@dataclass
class DistrictRow:
    district: int
    member: str | None  # None: vacant or not in the roster
    vacant: bool
    confirmed: int
    pending: int
    letters: int


@dataclass
class DistrictTable:
    chamber: str  # HOUSE or SENATE
    rows: list
    no_district: dict  # {"confirmed": n, "pending": n}: outside Chicago or not placed


def district_table(petition, chamber: str) -> DistrictTable:
    """Every district with signers or letters, in district order (invalidated signatures
    left out, as in the ward counts)."""
    column = Signature.state_house if chamber == HOUSE else Signature.state_senate
    confirmed = Signature.confirmed_at.is_not(None)
    counts = db.session.execute(
        select(column, func.count().filter(confirmed), func.count().filter(~confirmed))
        .where(Signature.petition_id == petition.id, Signature.invalidated_at.is_(None))
        .group_by(column)).all()
    letters = dict(db.session.execute(
        select(Letter.recipient_district, func.count())
        .where(Letter.petition_id == petition.id, Letter.recipient_chamber == chamber)
        .group_by(Letter.recipient_district)).all())
    by_district = {d: (c, p) for d, c, p in counts}
    members = members_of(chamber)
    rows = []
    for district in sorted(d for d in set(by_district) | set(letters) if d is not None):
        c, p = by_district.get(district, (0, 0))
        member = members.get(district)
        rows.append(DistrictRow(district, member.name if member else None,
                                district in members and member is None, c, p,
                                letters.get(district, 0)))
    c, p = by_district.get(None, (0, 0))
    return DistrictTable(chamber, rows, {"confirmed": c, "pending": p})
