"""Where each ward's alder stands on a petition's ordinance, as organizers record it."""

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class Stance(enum.Enum):
    CO_SPONSOR = "co_sponsor"  # sponsors the ordinance: the strongest support
    SUPPORTS = "supports"
    OPPOSES = "opposes"
    UNDECIDED = "undecided"
    UNKNOWN = "unknown"  # also what a ward without a row means


SUPPORTING = (Stance.CO_SPONSOR, Stance.SUPPORTS)
# Sorting by stance: the strongest support first, opposition last.
STANCE_ORDER = {Stance.CO_SPONSOR: 0, Stance.SUPPORTS: 1, Stance.UNDECIDED: 2,
                Stance.UNKNOWN: 3, Stance.OPPOSES: 4}
VOTES_TO_PASS = 26  # of the City Council's 50 alders


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
    # The evidence for the current stance: a link (a vote, a statement) and/or a note.
    source_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    source_note: Mapped[str | None] = mapped_column(String(300), nullable=True)
