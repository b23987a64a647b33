"""Printable delivery packets: a ward's confirmed signers, to hand to its alder, or (for
a petition to state members) a House or Senate district's, to hand to its member."""

from dataclasses import dataclass

from sqlalchemy import func, select

from petition.extensions import db
from petition.models import Signature
from petition.organizer import audit
from petition.organizer.export_sql import conditions
from petition.organizer.exports import ExportOptions
from petition.stances.calls import calls_by_ward, calls_to_members


@dataclass(frozen=True)
class Packet:
    petition: object
    ward: int
    signers: list  # (first name, last name, address, ZIP), sorted by last name
    confirmed: int
    calls: int = 0  # calls supporters reported making to the ward (or member's) office
    chamber: str | None = None  # "house" / "senate": `ward` is then that district


def _signers(petition, options):
    return db.session.execute(
        select(Signature.first_name, Signature.last_name, Signature.address, Signature.zip)
        .where(*conditions(petition.id, options))
        .order_by(func.lower(Signature.last_name), func.lower(Signature.first_name),
                  Signature.id)
    ).all()


def district_packet(petition, chamber, district, *, organizer, now=None):
    """A House or Senate district's confirmed, valid signers; logged in the audit log."""
    rows = _signers(petition, ExportOptions(chamber=chamber, districts=(district,)))
    audit.record(organizer, "packet", petition=petition, rows=len(rows),
                 details={"chamber": chamber, "district": district}, now=now)
    return Packet(petition=petition, ward=district, signers=rows, confirmed=len(rows),
                  calls=calls_to_members(petition.id, chamber).get(district, 0),
                  chamber=chamber)


def delivery_packet(petition, ward, *, organizer, now=None):
    """The ward's confirmed, valid signers for a printed packet; logged in the audit log."""
    rows = _signers(petition, ExportOptions(wards=(ward,)))
    audit.record(organizer, "packet", petition=petition, wards=(ward,), rows=len(rows), now=now)
    return Packet(petition=petition, ward=ward, signers=rows, confirmed=len(rows),
                  calls=calls_by_ward(petition.id).get(ward, 0))
