"""A letter a supporter sent to their alder, as it was sent (the text is frozen)."""

import enum
from datetime import datetime
from email.utils import parseaddr

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow

# Between the names of a letter's recipients in `alder_name` (a letter to both state
# members); pages list them with the words of their language.
NAMES_SEPARATOR = " & "


def recipient_names(stored):
    """The names stored in a letter's `alder_name`, as a list."""
    return [name for name in (stored or "").split(NAMES_SEPARATOR) if name]


class LetterReply(enum.Enum):
    """What a supporter says when asked whether their alder replied."""

    YES = "yes"
    NO = "no"
    NOT_YET = "not_yet"


class Letter(db.Model):
    __tablename__ = "letters"
    __table_args__ = (
        # One letter per supporter per campaign; settles double submits in the database.
        Index("uq_letters_campaign_signature", "campaign_id", "signature_id", unique=True),
        # Letters per ward (dashboard), and the letters still waiting for a digest.
        Index("ix_letters_petition_ward", "petition_id", "ward"),
        Index("ix_letters_campaign_ward_digest", "campaign_id", "ward", "digest_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("letter_campaigns.id", ondelete="CASCADE")
    )
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    # A signature removed by its signer takes its letter with it.
    signature_id: Mapped[int] = mapped_column(ForeignKey("signatures.id", ondelete="CASCADE"))
    ward: Mapped[int] = mapped_column(Integer)
    # The alder as the roster named them when the letter was sent (both state members:
    # their names joined by NAMES_SEPARATOR, shown as the page's language lists them).
    alder_name: Mapped[str] = mapped_column(String(120))
    # A letter to a state member: "house" or "senate" and the district (None: to the alder).
    # alder_name/alder_email then hold that member's name and email.
    recipient_chamber: Mapped[str | None] = mapped_column(String(6), nullable=True)
    recipient_district: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A letter to both state members: recipient_* name the State Representative, this the
    # State Senator's district (None: no Senator got it, e.g. their seat was vacant).
    senate_district: Mapped[int | None] = mapped_column(Integer, nullable=True)
    alder_email: Mapped[str] = mapped_column(String(254))
    signer_name: Mapped[str] = mapped_column(String(201))
    # The supporter's address: replies from the alder's office go to them.
    reply_to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    # Waits for the daily digest (else it was queued on its own when sent).
    for_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), nullable=True
    )
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("letter_digests.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # A letter to both state members goes in two digests: the State Representative's
    # (digest_id) and the State Senator's (this one).
    senate_digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("letter_digests.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # "Did your alder reply?": when the supporter was asked, and their latest answer.
    reply_asked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reply: Mapped[LetterReply | None] = mapped_column(
        Enum(LetterReply, name="letter_reply", values_callable=lambda e: [m.value for m in e],
             validate_strings=True), nullable=True)
    reply_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    @property
    def recipient_names(self):
        """Whom the letter went to, one name each (see NAMES_SEPARATOR)."""
        return recipient_names(self.alder_name)

    @property
    def reply_address(self):
        """The supporter's bare address, from `reply_to` ('"Name" <address>')."""
        return parseaddr(self.reply_to)[1] or self.reply_to

    def __repr__(self):
        return f"<Letter {self.id} ward={self.ward}>"
