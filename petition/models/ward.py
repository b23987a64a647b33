"""Chicago's 50 wards (2023 map); the polygons stay in the geocoder's index."""

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow
from petition.web.numbers import parse_number

# The ward numbers of the 2023 map, the only one that counts.
WARD_NUMBERS = range(1, 51)


def parse_ward(text):
    """The ward that `text` names ("7", " 07 "), or None if it names none."""
    return parse_number(text, WARD_NUMBERS)


def parse_wards(text):
    """The wards a comma-separated list names ("3,4"), skipping what names none."""
    return [n for n in map(parse_ward, (text or "").split(",")) if n is not None]


class Ward(db.Model):
    """One row per ward, loaded by `flask wards load` from the shipped 2023 boundaries."""

    __tablename__ = "wards"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(40))
    # Police districts the ward overlaps (a supporter's own district depends on the address).
    police_districts: Mapped[str] = mapped_column(String(80), default="")
    # A point well inside the ward, for labels and map links.
    label_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    label_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def police_district_numbers(self):
        return [int(n) for n in self.police_districts.split(",") if n]

    def __repr__(self):
        return f"<Ward {self.number}>"
