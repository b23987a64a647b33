"""Elected police District Council members (ECPS: three per police district)."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class DistrictCouncilMember(db.Model):
    __tablename__ = "district_council_members"
    __table_args__ = (
        Index("uq_district_council_members_district_name", "district", "name", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    district: Mapped[int] = mapped_column(Integer, index=True)  # police district number
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(80), default="")
    source_url: Mapped[str] = mapped_column(String(300), default="")
    as_of: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self):
        return f"<DistrictCouncilMember district={self.district} {self.name!r}>"
