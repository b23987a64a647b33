"""Every change of an alder's stance on a petition: who, when, what, and on what evidence."""

from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow
from petition.models.stance import Stance


class StanceChange(db.Model):
    __tablename__ = "stance_changes"
    __table_args__ = (Index("ix_stance_changes_petition_ward", "petition_id", "ward"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"))
    ward: Mapped[int] = mapped_column(Integer)
    stance: Mapped[Stance] = mapped_column(
        Enum(Stance, name="alder_stance", values_callable=lambda e: [m.value for m in e],
             validate_strings=True, create_type=False))
    source_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    source_note: Mapped[str | None] = mapped_column(String(300), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizers.id", ondelete="SET NULL"), nullable=True)
    changed_by_email: Mapped[str] = mapped_column(String(254))

    def __repr__(self):
        return f"<StanceChange petition={self.petition_id} ward={self.ward} {self.stance.value}>"
