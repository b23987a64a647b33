"""State Representatives and State Senators: a district's seat and who holds it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_

from petition.extensions import db
from petition.models import Legislator
from petition.models.legislator import HOUSE, SENATE

# The parties the roster spells out, in the page's language; others show as spelled.
PARTY_NAMES = {"democratic": _l("Democratic"), "republican": _l("Republican")}


def party_name(party):
    """A party in the page's language ("Democratic" -> "Demócrata")."""
    return PARTY_NAMES.get(" ".join((party or "").lower().split()), party)


@dataclass(frozen=True)
class LegislatorInfo:
    chamber: str
    district: int
    name: str
    party: str
    email: str
    phone: str
    office_address: str
    website: str

    def to_dict(self):
        """Empty fields are None (null in JSON)."""
        return {"name": self.name, "party": self.party or None, "email": self.email or None,
                "phone": self.phone or None, "office_address": self.office_address or None,
                "website": self.website or None}


@dataclass(frozen=True)
class StateSeat:
    """A House or Senate district, its member (None: vacant or not in the roster) and the
    districts the address could be in when it lies near a line."""

    district: int
    member: LegislatorInfo | None = None
    vacant: bool = False
    candidates: list[int] = field(default_factory=list)

    @classmethod
    def at(cls, district, candidates=()) -> StateSeat | None:
        """The seat of a district number (None stays None)."""
        if district is None:
            return None
        return cls(district=int(district), candidates=sorted(set(candidates) | {district}))

    @property
    def near_line(self):
        return len(self.candidates) > 1

    def to_api(self) -> dict:
        body = {"district": self.district,
                "member": self.member.to_dict() if self.member else None,
                "vacant": self.vacant}
        if self.near_line:
            body["candidate_districts"] = list(self.candidates)
        return body


def _info(row: Legislator) -> LegislatorInfo:
    return LegislatorInfo(chamber=row.chamber, district=row.district, name=row.name,
                          party=row.party, email=row.email, phone=row.phone,
                          office_address=row.office_address, website=row.website)


def legislators(seats) -> dict[tuple[str, int], Legislator]:
    """Roster rows for (chamber, district) pairs, vacant seats included."""
    seats = list(seats)
    if not seats:
        return {}
    rows = db.session.scalars(select(Legislator).where(
        tuple_(Legislator.chamber, Legislator.district).in_(seats)))
    return {(row.chamber, row.district): row for row in rows}


def members_of(chamber: str, districts=None) -> dict[int, LegislatorInfo | None]:
    """A chamber's members by district (None for a vacant seat), some districts or all."""
    query = select(Legislator).where(Legislator.chamber == chamber)
    if districts is not None:
        query = query.where(Legislator.district.in_(list(districts)))
    return {row.district: None if row.vacant else _info(row)
            for row in db.session.scalars(query)}


def seats_for(house: StateSeat | None, senate: StateSeat | None):
    """The two seats with their members filled in from the roster."""
    wanted = [(c, s.district) for c, s in ((HOUSE, house), (SENATE, senate)) if s]
    rows = legislators(wanted)

    def filled(chamber, seat):
        if seat is None:
            return None
        row = rows.get((chamber, seat.district))
        if row is None:
            return seat
        return replace(seat, vacant=row.vacant, member=None if row.vacant else _info(row))

    return filled(HOUSE, house), filled(SENATE, senate)
