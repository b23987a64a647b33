"""Where each ward's alder stands on a petition's ordinance, as organizers record it."""

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class Stance(enum.Enum):
    SUPPORTS = "supports"
    OPPOSES = "opposes"
    UNDECIDED = "undecided"
    UNKNOWN = "unknown"  # also what a ward without a row means


class AlderStance(db.Model):
    __tablename__ = "alder_stances"

    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True
    )
    ward: Mapped[int] = mapped_column(Integer, primary_key=True)
    stance: Mapped[Stance] = mapped_column(
        Enum(Stance, name="alder_stance", values_callable=lambda e: [m.value for m in e],
             validate_strings=True),
        default=Stance.UNKNOWN,
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizers.id", ondelete="SET NULL"), nullable=True
    )
