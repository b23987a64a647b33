"""One email per alder, or per State Representative or Senator, and day that carries the
day's constituent letters."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class LetterDigest(db.Model):
    __tablename__ = "letter_digests"
    __table_args__ = (
        # At most one digest per campaign, recipient and day: running the command twice
        # (even at the same time) sends nothing twice.
        Index("uq_letter_digests_campaign_chamber_ward_day", "campaign_id", "chamber", "ward",
              "day", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("letter_campaigns.id", ondelete="CASCADE")
    )
    # "" for an alder's digest ("ward" is the ward); "house" or "senate" for a state
    # member's ("ward" is then the House or Senate district). Not NULL: the unique index
    # must see two alder digests as the same recipient.
    chamber: Mapped[str] = mapped_column(String(6), default="", server_default="")
    ward: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)  # a Chicago calendar day
    alder_name: Mapped[str] = mapped_column(String(120))  # the alder or the state member
    alder_email: Mapped[str] = mapped_column(String(254))
    letters: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), nullable=True
    )

    def __repr__(self):
        return f"<LetterDigest {self.id} {self.chamber or 'ward'}={self.ward} {self.day}>"
