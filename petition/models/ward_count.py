"""Confirmed-signature counters per petition and ward, kept in step with confirmations."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class WardCount(db.Model):
    """Counting at confirm time keeps the public counts a ~52-row read at any size."""

    __tablename__ = "ward_counts"

    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True
    )
    # "1".."50", "outside" (outside Chicago) or "unknown" (no ward found yet).
    ward_key: Mapped[str] = mapped_column(String(10), primary_key=True)
    confirmed: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
