"""The alder (City Council member) of each ward, re-imported from a CSV roster."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class Alder(db.Model):
    __tablename__ = "alders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One alder per ward: the unique index settles concurrent imports.
    ward: Mapped[int] = mapped_column(
        ForeignKey("wards.number", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(60), default="")
    office_address: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    city_hall_address: Mapped[str] = mapped_column(String(200), default="")
    city_hall_phone: Mapped[str] = mapped_column(String(60), default="")
    # Where the row came from (the file's source column, or the file name) and when it changed.
    source: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self):
        return f"<Alder ward={self.ward} {self.name!r}>"
