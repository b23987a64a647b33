"""A petition's letter campaign: the letter supporters send to their own alder."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class LetterDelivery(enum.Enum):
    """How letters reach the alder's office."""

    EACH = "each"  # every letter on its own, queued when the supporter sends it
    DIGEST = "digest"  # one email per alder and day (`flask letters send-digests`)


DEFAULT_REPLY_CHECK_DAYS = 14


class LetterCampaign(db.Model):
    __tablename__ = "letter_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One campaign per petition.
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), unique=True
    )
    # Templates with placeholders (petition.mail.sandbox), checked when saved.
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The letter in Spanish, for supporters who read the site in Spanish (both or neither).
    subject_es: Mapped[str | None] = mapped_column(String(200), nullable=True)
    body_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    supporters_may_edit: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery: Mapped[LetterDelivery] = mapped_column(
        Enum(LetterDelivery, name="letter_delivery",
             values_callable=lambda e: [m.value for m in e], validate_strings=True),
        default=LetterDelivery.EACH,
    )
    # Supporters may send letters only while this is on.
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    # Days after a letter before its sender is asked "Did your alder reply?".
    reply_check_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_REPLY_CHECK_DAYS,
                                                  server_default=str(DEFAULT_REPLY_CHECK_DAYS))
    # Whether the public scoreboard shows each alder's reply rate.
    reply_rates_public: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizers.id", ondelete="SET NULL"), nullable=True
    )

    def __repr__(self):
        return f"<LetterCampaign {self.id} petition={self.petition_id}>"
