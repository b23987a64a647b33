"""Valid signatures per petition, Chicago day of signing and ward, confirmed and pending."""

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db


class DailyWardCount(db.Model):
    """Kept in step with signing, confirming and setting aside, so the organizer's
    dashboard reads ~52 rows a day of campaign whatever the number of signatures; one row
    per ward, not per day, so that signers at the same moment rarely wait for each other."""

    __tablename__ = "daily_ward_counts"

    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # Chicago calendar day signed
    # "1".."50", "outside" (outside Chicago) or "unknown" (no ward found yet).
    ward_key: Mapped[str] = mapped_column(String(10), primary_key=True)
    confirmed: Mapped[int] = mapped_column(Integer, default=0)
    pending: Mapped[int] = mapped_column(Integer, default=0)
