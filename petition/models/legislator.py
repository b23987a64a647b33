"""A member of the Illinois House or Senate for one district, re-imported from a CSV roster."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow

HOUSE = "house"
SENATE = "senate"
# The districts of each chamber of the Illinois General Assembly (2021 plan).
CHAMBER_DISTRICTS = {HOUSE: range(1, 119), SENATE: range(1, 60)}


def parse_districts(text, allowed):
    """The districts a comma-separated list names ("5,6"), skipping what names none."""
    out = []
    for part in (text or "").split(","):
        part = part.strip()
        if part.isascii() and part.isdigit() and len(part) <= 3 and int(part) in allowed:
            out.append(int(part))
    return out


def senate_district_of(house_district: int) -> int:
    """Each Senate district is House districts 2n-1 and 2n (Illinois Constitution, art. IV)."""
    return (house_district + 1) // 2


class Legislator(db.Model):
    __tablename__ = "legislators"
    # One seat per chamber and district: the unique index settles concurrent imports.
    __table_args__ = (UniqueConstraint("chamber", "district"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chamber: Mapped[str] = mapped_column(String(6))  # HOUSE or SENATE
    district: Mapped[int] = mapped_column(Integer)
    # A vacant seat has a row too (vacant, no name), so the look-up can say so.
    vacant: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(120), default="")
    party: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    office_address: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # Where the row came from (the file's source column, or the file name) and when it changed.
    source: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self):
        return f"<Legislator {self.chamber} {self.district} {self.name or 'vacant'!r}>"
