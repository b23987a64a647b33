"""Whom a supporter's letter goes to: their alder, or their state member(s), by the
petition's target (PetitionTarget)."""

from __future__ import annotations

from dataclasses import dataclass

from petition.lookup.members import legislators
from petition.lookup.service import alders_by_ward
from petition.models import PetitionTarget
from petition.models.legislator import HOUSE

ALDER = "alder"


@dataclass(frozen=True)
class Recipient:
    """One person a letter is addressed to."""

    role: str  # ALDER, "house" or "senate"
    district: int  # the ward, or the House / Senate district
    name: str
    email: str
    phone: str = ""
    office_address: str = ""
    website: str = ""

    @property
    def ward(self):
        """The ward (letters page wording for alders)."""
        return self.district


@dataclass(frozen=True)
class Recipients:
    """``status``: ``ready`` (at least one has an email), ``no_alder`` (no alder email),
    ``no_district`` (the signature has no House/Senate district), ``vacant`` (every seat
    asked is vacant), ``no_member`` (not in the roster) or ``no_email`` (members without
    an email: the page offers their phone and office instead)."""

    status: str
    people: tuple[Recipient, ...] = ()

    @property
    def with_email(self):
        return tuple(p for p in self.people if p.email)

    @property
    def without_email(self):
        return tuple(p for p in self.people if not p.email)


def _district_of(signature, chamber):
    return signature.state_house if chamber == HOUSE else signature.state_senate


def recipients_for(signature, target: PetitionTarget) -> Recipients:
    """Whom this signer's letter goes to (the signature has a sure ward already)."""
    if target is PetitionTarget.ALDER:
        alder = alders_by_ward([signature.ward]).get(signature.ward)
        if alder is None or not alder.email:
            return Recipients("no_alder")
        return Recipients("ready", (Recipient(ALDER, alder.ward, alder.name, alder.email,
                                              alder.phone, alder.office_address,
                                              alder.website),))
    seats = [(chamber, _district_of(signature, chamber)) for chamber in target.chambers]
    if any(district is None for _, district in seats):
        return Recipients("no_district")
    rows = legislators(seats)
    if any(seat not in rows for seat in seats):
        return Recipients("no_member")
    people = tuple(Recipient(row.chamber, row.district, row.name, row.email, row.phone,
                             row.office_address, row.website)
                   for row in (rows[seat] for seat in seats) if not row.vacant)
    if not people:
        return Recipients("vacant")
    return Recipients("ready" if any(p.email for p in people) else "no_email", people)
