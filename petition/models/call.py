"""A supporter's call to their alder's office, or to one of their state members' offices,
as they report it ("I called")."""

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow
from petition.models.stance import Stance


class CallOutcome(enum.Enum):
    SPOKE_TO_ALDER = "spoke_to_alder"
    SPOKE_TO_STAFF = "spoke_to_staff"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no_answer"


class Call(db.Model):
    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_petition_ward", "petition_id", "ward"),
                      Index("ix_calls_petition_chamber_district", "petition_id", "chamber",
                            "district"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    # The only link to a person: removing the signature removes their calls.
    signature_id: Mapped[int] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), index=True)
    ward: Mapped[int] = mapped_column(Integer)
    # A call to a state member: "house" or "senate" and their district (None: the alder).
    chamber: Mapped[str | None] = mapped_column(String(6), nullable=True)
    district: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome: Mapped[CallOutcome] = mapped_column(
        Enum(CallOutcome, name="call_outcome", values_callable=lambda e: [m.value for m in e],
             validate_strings=True))
    # The alder's position as the caller heard it, if they heard one.
    heard_stance: Mapped[Stance | None] = mapped_column(
        Enum(Stance, name="alder_stance", values_callable=lambda e: [m.value for m in e],
             validate_strings=True, create_type=False), nullable=True)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
