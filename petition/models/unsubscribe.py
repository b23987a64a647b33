"""Addresses that asked for no more email from organizers."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.extensions import db
from petition.models.base import utcnow


class Unsubscribe(db.Model):
    __tablename__ = "unsubscribes"

    # The normal form (petition.mail.addresses.normalize_email): every spelling of the inbox.
    email_normalized: Mapped[str] = mapped_column(String(254), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # "page" (the button) or "one_click" (RFC 8058, from the mail client).
    source: Mapped[str] = mapped_column(String(20), default="page")
    # The petition whose email carried the link, for organizers' numbers.
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="SET NULL"), nullable=True
    )

    def __repr__(self):
        return f"<Unsubscribe {self.created_at:%Y-%m-%d}>"
