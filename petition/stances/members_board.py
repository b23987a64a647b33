"""The scoreboard of a petition to state members: every State Representative and/or
Senator whose district reaches into Chicago, with their constituents' signatures (from the
district counters), letters and calls this month. A vacant seat is listed as vacant.
(Stances are recorded per ward, for alders; members have none here.)"""

from dataclasses import dataclass

from petition.letters.reports import letters_to_members
from petition.lookup.members import legislators
from petition.petitions.district_counts import chamber_counts, city_districts
from petition.stances.calls import calls_to_members
from petition.stances.scoreboard import month_start


@dataclass(frozen=True)
class MemberRow:
    chamber: str  # "house" or "senate"
    district: int
    name: str | None  # None: vacant or not in the roster
    party: str
    vacant: bool
    signers: int  # confirmed constituents who signed
    letters_this_month: int
    calls_this_month: int


def members_board(petition, now):
    """[(chamber, [MemberRow by district])] for each chamber the petition targets."""
    counted = chamber_counts(petition.id)
    since = month_start(now)
    out = []
    for chamber in petition.target.chambers:
        districts = city_districts(chamber)
        rows = legislators([(chamber, d) for d in districts])
        letters = letters_to_members(petition.id, chamber, since)
        calls = calls_to_members(petition.id, chamber, since)
        board = []
        for district in districts:
            row = rows.get((chamber, district))
            count = counted.get((chamber, district))
            board.append(MemberRow(
                chamber, district, row.name if row and not row.vacant else None,
                row.party if row and not row.vacant else "", bool(row and row.vacant),
                count.confirmed if count else 0, letters.get(district, 0),
                calls.get(district, 0)))
        out.append((chamber, board))
    return out


def as_json(petition, board):
    """The members' scoreboard as the API answers it."""
    return {"petition": petition.slug, "target": petition.target.value,
            "members": [{"chamber": row.chamber, "district": row.district, "name": row.name,
                         "party": row.party or None, "vacant": row.vacant,
                         "confirmed_signers": row.signers,
                         "letters_this_month": row.letters_this_month,
                         "calls_this_month": row.calls_this_month}
                        for _chamber, rows in board for row in rows]}
