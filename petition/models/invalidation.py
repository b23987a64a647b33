"""A batch of signatures an admin set aside (spam, a bot, a test), and could restore."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class Invalidation(db.Model):
    __tablename__ = "invalidations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), index=True
    )
    organizer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizers.id", ondelete="SET NULL"), nullable=True
    )
    organizer_email: Mapped[str] = mapped_column(String(254))
    # "manual": an admin's filter; "rate_limit": signatures over the per-IP signing limits,
    # set aside automatically at signing and waiting for an organizer's review.
    reason: Mapped[str] = mapped_column(String(20), default="manual", server_default="manual")
    # The filter used: {"email_domain": ..., "ip": ..., "since": ..., "until": ...}
    criteria: Mapped[dict] = mapped_column(JSON, default=dict)
    matched: Mapped[int] = mapped_column(Integer, default=0)
    confirmed: Mapped[int] = mapped_column(Integer, default=0)  # of which were counted
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    restored_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    restored_by_email: Mapped[str | None] = mapped_column(String(254), nullable=True)

    @property
    def is_restored(self):
        return self.restored_at is not None
