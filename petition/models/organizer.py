"""Organizers (staff accounts) and which petitions each one runs."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from petition.extensions import db
from petition.models.base import utcnow

# Which organizers run which petitions (admins see every petition without a row here).
petition_organizers = Table(
    "petition_organizers",
    db.metadata,
    Column("petition_id", ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True),
    Column("organizer_id", ForeignKey("organizers.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Organizer(UserMixin, db.Model):
    __tablename__ = "organizers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lower-cased and trimmed, so log-in is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    petitions = relationship("Petition", secondary=petition_organizers,
                             back_populates="organizers", order_by="Petition.title")

    @property
    def is_active(self):  # Flask-Login refuses inactive accounts
        return bool(self.active)

    def can_manage(self, petition):
        """Whether this organizer may see and change `petition`."""
        if self.is_admin:
            return True
        return any(p.id == petition.id for p in self.petitions)

    def __repr__(self):
        return f"<Organizer {self.id} {'admin' if self.is_admin else 'organizer'}>"
