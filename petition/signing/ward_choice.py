"""A supporter confirms or chooses the ward their own signature is counted in."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from petition.extensions import db
from petition.geo import Geocoder
from petition.geo.boundaries import BoundaryStreet, boundary_street
from petition.models import WARD_NUMBERS, Signature, WardStatus
from petition.models.base import utcnow
from petition.petitions import counts
from petition.signing.districts import districts_for_ward


class InvalidWard(ValueError):
    """Not a Chicago ward number (1-50)."""


@dataclass(frozen=True)
class WardChange:
    old_ward: int | None
    new_ward: int
    counted: bool  # the signature is confirmed, so a counter moved (when the key changed)


def set_signature_ward(signature, ward, now=None, geocoder=None) -> WardChange:
    """Set the signature's ward as confirmed by the signer, and its House and Senate
    districts with it (signing/districts.py); flushes, the caller commits.

    If the signature counts, its count moves from the old ward counter (a ward, "unknown"
    or "outside") and districts to the new ones, in the caller's transaction. The row is
    locked first (FOR UPDATE on PostgreSQL; SQLite writers already hold the write lock) so
    a concurrent change of the same signature cannot move the count twice.
    """
    if isinstance(ward, bool) or not isinstance(ward, int) or ward not in WARD_NUMBERS:
        raise InvalidWard(f"no ward {ward!r}")
    now = now or utcnow()
    new_districts = districts_for_ward(geocoder or Geocoder.default(), ward, signature.lon,
                                       signature.lat)
    # Lock the row alone (the joined petition cannot be locked through an outer join),
    # then read its current values.
    db.session.execute(
        select(Signature.id).where(Signature.id == signature.id).with_for_update()
    ).one()
    db.session.refresh(signature)
    old_key, old_ward = signature.ward_key, signature.ward
    old_districts = counts.districts_of(signature)
    signature.ward = ward
    signature.ward_status = WardStatus.CONFIRMED
    signature.state_house, signature.state_senate = new_districts
    new_key = signature.ward_key
    # An invalidated signature is not in any counter (an admin set it aside).
    if not signature.is_invalidated and (old_key, old_districts) != (new_key, new_districts):
        confirmed, pending = (1, 0) if signature.is_confirmed else (0, 1)
        day = counts.city_day(signature.created_at)
        counts.tally(signature.petition_id, old_key, day, districts=old_districts,
                     confirmed=-confirmed, pending=-pending, now=now)
        counts.tally(signature.petition_id, new_key, day, districts=new_districts,
                     confirmed=confirmed, pending=pending, now=now)
    counted = signature.is_confirmed and not signature.is_invalidated
    db.session.flush()
    return WardChange(old_ward=old_ward, new_ward=ward, counted=counted)


@dataclass
class WardChoice:
    """What `templates/lookup/_ward_choice.html` needs to offer a signer their ward.

    ``mode``:
      - ``near_boundary``: the address is near a line; choose between ``candidate_wards``;
      - ``choose``: no ward was found; choose on the city map;
      - ``confirmed``: the ward is set (geocoded or chosen); offer to change it.
    """

    slug: str
    mode: str
    ward: int | None = None
    candidate_wards: list[int] = field(default_factory=list)
    location: tuple[float, float] | None = None
    chosen: bool = False
    boundary: BoundaryStreet | None = None  # near a line that follows a street: ask by side


def ward_choice_for_signature(signature, slug: str) -> WardChoice:
    """The ward choice to offer for a signature (see :class:`WardChoice`)."""
    location = None
    if signature.lon is not None and signature.lat is not None:
        location = (signature.lon, signature.lat)
    candidates = signature.candidate_ward_numbers
    status = signature.ward_status
    boundary = None
    if status is WardStatus.NEAR_BOUNDARY and len(candidates) > 1 and location:
        mode = "near_boundary"
        boundary = boundary_street(Geocoder.default(), *location, candidates)
    elif signature.ward is None:
        mode = "choose"
    else:
        mode = "confirmed"
    return WardChoice(slug=slug, mode=mode, ward=signature.ward, candidate_wards=candidates,
                      location=location, chosen=status is WardStatus.CONFIRMED,
                      boundary=boundary)
